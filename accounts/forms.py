"""Forms for signing in, passwords, users, cohorts and enrolments."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    widgets,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError

from records.avetmiss import codes

from . import passwords, usi

EXEMPTIONS = [
    SelectChoice("", "No exemption"),
    SelectChoice("INDIV", "Individual exemption (INDIV)"),
    SelectChoice("INTOFF", "International student studying offshore (INTOFF)"),
]
ROLE_CHOICES = [
    SelectChoice("learner", "Learner"),
    SelectChoice("assessor", "Trainer/assessor"),
    SelectChoice("admin", "Administrator"),
]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes rather than a hard-to-use multiple select."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def strong_password(form: FlaskForm, field: PasswordField) -> None:
    if problem := passwords.problem(field.data or ""):
        raise ValidationError(problem)


def valid_usi(form: FlaskForm, field: StringField) -> None:
    field.data = usi.normalise(field.data or "") or None
    if field.data and (problem := usi.problem(field.data)):
        raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    submit = SubmitField("Sign in")


class PasswordChangeForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField("New password", validators=[DataRequired(), strong_password])
    confirm = PasswordField(
        "Repeat the new password", validators=[DataRequired(), EqualTo("new", "The passwords differ.")]
    )
    submit = SubmitField("Change password")


class UserForm(FlaskForm):
    given_names = StringField("Given names", validators=[Length(max=100)])
    family_name = StringField("Family name", validators=[DataRequired(), Length(max=100)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    roles = MultiCheckboxField(
        "Roles", choices=ROLE_CHOICES, validators=[DataRequired("Choose at least one role.")]
    )
    password = PasswordField("Initial password", validators=[Optional(), strong_password])
    is_active = BooleanField("Account active", default=True)
    # Learner record: needed for certificates and national reporting.
    client_id = StringField(
        "Client identifier (the RTO's own; leave blank to assign one)",
        validators=[
            Optional(),
            Length(max=10),
            Regexp(r"^[A-Za-z0-9]+$", message="Letters and digits only."),
        ],
    )
    date_of_birth = DateField("Date of birth", validators=[Optional()])
    usi = StringField("Unique Student Identifier (USI)", validators=[valid_usi])
    usi_verified = BooleanField("USI verified with the USI Registry")
    usi_exemption = SelectField("USI exemption", choices=EXEMPTIONS, default="")
    submit = SubmitField("Save")


class CohortForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    starts_on = DateField("Starts on", validators=[Optional()])
    staff = MultiCheckboxField("Trainers and assessors", coerce=int)
    learners = MultiCheckboxField("Learners", coerce=int)
    submit = SubmitField("Save cohort")


class EnrolForm(FlaskForm):
    unit_code = SelectField("Unit", validators=[DataRequired()])
    cohort_id = SelectField("Cohort", coerce=int, validators=[DataRequired()])
    learners = MultiCheckboxField(
        "Learners to enrol", coerce=int, validators=[DataRequired("Choose learners.")]
    )
    start_date = DateField("Start date", validators=[Optional()])
    submit = SubmitField("Enrol")


def _choices(table: dict[str, str], blank: str | None = None) -> list[SelectChoice]:
    options = [SelectChoice(code, label) for code, label in table.items()]
    return [SelectChoice("", blank), *options] if blank else options


# The questions that speak to the learner, as an administrator filling them in for one reads them.
ABOUT_THE_LEARNER = {
    "postal_delivery_box": "Postal delivery box (if they use one)",
    "indigenous_status": "Is the learner of Aboriginal or Torres Strait Islander origin?",
    "at_school": "Is the learner still at secondary school?",
    "disability_flag": "Does the learner have a disability, impairment or long-term condition?",
    "prior_education_flag": "Has the learner completed any qualification?",
    "submit": "Save details",
}


class DetailsForm(FlaskForm):
    """What national reporting (AVETMISS) asks of every learner, with the national codes as choices."""

    gender = SelectField("Gender", choices=_choices(codes.GENDER), default="@")
    building = StringField("Building or property name", validators=[Length(max=50)])
    flat_unit = StringField("Flat or unit", validators=[Length(max=30)])
    street_number = StringField("Street number", validators=[Length(max=15)])
    street_name = StringField("Street name", validators=[Length(max=70)])
    postal_delivery_box = StringField("Postal delivery box (if you use one)", validators=[Length(max=22)])
    suburb = StringField("Suburb, locality or town", validators=[DataRequired(), Length(max=50)])
    postcode = StringField(
        "Postcode",
        validators=[
            DataRequired(),
            Regexp(r"^(\d{4}|OSPC)$", message="Four digits, or OSPC for an address overseas."),
        ],
    )
    state = SelectField("State or territory", choices=_choices(codes.STATE))
    phone_mobile = StringField("Mobile phone", validators=[Length(max=20)])
    indigenous_status = SelectField(
        "Are you of Aboriginal or Torres Strait Islander origin?",
        choices=_choices(codes.INDIGENOUS_STATUS),
        default="@",
    )
    country_of_birth = SelectField("Country of birth", choices=_choices(codes.COUNTRY), default="@@@@")
    language = SelectField("Main language spoken at home", choices=_choices(codes.LANGUAGE), default="@@@@")
    labour_force_status = SelectField(
        "Employment status", choices=_choices(codes.LABOUR_FORCE_STATUS), default="@@"
    )
    highest_school_level = SelectField(
        "Highest completed school level", choices=_choices(codes.HIGHEST_SCHOOL_LEVEL), default="@@"
    )
    at_school = SelectField(
        "Are you still at secondary school?", choices=_choices(codes.YES_NO_NOT_STATED), default="@"
    )
    disability_flag = SelectField(
        "Do you have a disability, impairment or long-term condition?",
        choices=_choices(codes.YES_NO_NOT_STATED),
        default="@",
    )
    disability_types = MultiCheckboxField("If yes, which", choices=_choices(codes.DISABILITY_TYPE))
    prior_education_flag = SelectField(
        "Have you completed any qualification?", choices=_choices(codes.YES_NO_NOT_STATED), default="@"
    )
    prior_achievements = MultiCheckboxField(
        "If yes, which", choices=_choices(codes.PRIOR_EDUCATIONAL_ACHIEVEMENT)
    )
    survey_contact_status = SelectField(
        "Survey contact", choices=_choices(codes.SURVEY_CONTACT_STATUS), default="A"
    )
    submit = SubmitField("Save my details")

    def speak_of_the_learner(self) -> None:
        """Word the form for an administrator editing someone else's details."""
        for name, text in ABOUT_THE_LEARNER.items():
            self[name].label.text = text

    def validate_disability_types(self, field: MultiCheckboxField) -> None:
        if self.disability_flag.data == "Y" and not field.data:
            raise ValidationError("Choose at least one, or answer the question above with No or Not stated.")

    def validate_prior_achievements(self, field: MultiCheckboxField) -> None:
        if self.prior_education_flag.data == "Y" and not field.data:
            raise ValidationError("Choose at least one, or answer the question above with No or Not stated.")

    def validate_street_name(self, field: StringField) -> None:
        if not (field.data or "").strip() and not (self.postal_delivery_box.data or "").strip():
            raise ValidationError(
                "Give a street name or a postal delivery box: the RTO needs an address to write to."
            )
