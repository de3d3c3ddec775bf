"""Administration of people: users and learner records, cohorts and enrolments."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

import privacy
from audit.trail import record
from content import default_catalogue
from database import db, local_today, stored_int, writes_on_get
from storage import LocalStore

from . import people
from .access import role_required
from .forms import CohortForm, EnrolForm, UserForm
from .models import Cohort, LearnerProfile, User, cohort_learners
from .views import edit_details

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@role_required("admin")
def users():
    query = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    statement = select(User).options(selectinload(User.learner)).order_by(User.family_name, User.given_names)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(
            or_(
                func.lower(User.email).like(like),
                func.lower(User.family_name).like(like),
                func.lower(User.given_names).like(like),
            )
        )
    if role in ("learner", "assessor", "admin"):
        statement = statement.where(getattr(User, f"is_{role}"))
    page = db.paginate(
        statement, page=request.args.get("page", 1, type=stored_int), per_page=25, error_out=False
    )
    return render_template("accounts/users.html", page=page, query=query, role=role)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_user(user_id: int | None = None):
    user = db.get_or_404(User, user_id) if user_id else None
    form = UserForm(obj=user)
    if request.method == "GET" and user:
        _fill_learner_fields(form, user)
    if form.validate_on_submit() and _user_form_is_consistent(form, user):
        user = _save_user(form, user)
        db.session.commit()
        flash(f"Saved {user.full_name}.", "success")
        return redirect(url_for(".users"))
    return render_template("accounts/user_form.html", form=form, user=user)


def _fill_learner_fields(form: UserForm, user: User) -> None:
    form.roles.data = list(user.roles)
    if profile := user.learner:
        form.client_id.data, form.date_of_birth.data = profile.client_id, profile.date_of_birth
        form.usi.data, form.usi_verified.data = profile.usi, bool(profile.usi_verified_at)
        form.usi_exemption.data = profile.usi_exemption or ""


def _user_form_is_consistent(form: UserForm, user: User | None) -> bool:
    other = people.find_user(form.email.data)
    if other and other is not user:
        form.email.errors.append("Another account already uses this email.")
    if form.usi_verified.data and not form.usi.data:
        form.usi_verified.errors.append("Enter the USI before marking it verified.")
    if form.client_id.data:
        owner = db.session.scalar(
            select(LearnerProfile.user_id).where(
                func.upper(LearnerProfile.client_id) == form.client_id.data.upper()
            )
        )
        if owner and (user is None or owner != user.id):
            form.client_id.errors.append("Another learner has this client identifier.")
    if user is None and not form.password.data:
        form.password.errors.append("Give the new user an initial password.")
    return not (
        form.email.errors or form.usi_verified.errors or form.client_id.errors or form.password.errors
    )


def _save_user(form: UserForm, user: User | None) -> User:
    if user is None:
        user = people.create_user(
            form.email.data,
            form.family_name.data,
            form.given_names.data,
            tuple(form.roles.data),
            form.password.data,
        )
    else:
        user.email, user.family_name = form.email.data.strip().lower(), form.family_name.data.strip()
        user.given_names = (form.given_names.data or "").strip()
        people.set_roles(user, form.roles.data)
        if form.password.data:
            user.set_password(form.password.data)
    user.is_active = form.is_active.data
    if user.learner:
        people.assign_client_id(user.learner, form.client_id.data or None)
        people.update_learner_record(
            user.learner,
            by=current_user,
            date_of_birth=form.date_of_birth.data,
            usi=form.usi.data,
            usi_verified=form.usi_verified.data,
            usi_exemption=form.usi_exemption.data,
        )
    return user


@bp.route("/cohorts")
@role_required("admin")
def cohorts():
    rows = db.session.execute(
        select(Cohort, func.count(cohort_learners.c.user_id))
        .outerjoin(cohort_learners, cohort_learners.c.cohort_id == Cohort.id)
        .options(selectinload(Cohort.staff))
        .group_by(Cohort.id)
        .order_by(Cohort.name)
    ).all()
    return render_template("accounts/cohorts.html", rows=rows)


@bp.route("/cohorts/new", methods=["GET", "POST"])
@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit_cohort(cohort_id: int | None = None):
    cohort = db.get_or_404(Cohort, cohort_id) if cohort_id else None
    form = CohortForm(obj=cohort)
    form.staff.choices = _people_choices(User.is_assessor)
    form.learners.choices = _people_choices(User.is_learner)
    if request.method == "GET" and cohort:
        form.staff.data = [u.id for u in cohort.staff]
        form.learners.data = [u.id for u in cohort.learners]
    if form.validate_on_submit():
        clash = db.session.scalar(select(Cohort).where(Cohort.name == form.name.data.strip()))
        if clash and clash is not cohort:
            form.name.errors.append("Another cohort has this name.")
        else:
            cohort = people.save_cohort(
                cohort or Cohort(), form.name.data, form.starts_on.data, form.staff.data, form.learners.data
            )
            db.session.commit()
            flash(f"Saved cohort {cohort.name}.", "success")
            return redirect(url_for("accounts.cohort", cohort_id=cohort.id))
    return render_template("accounts/cohort_form.html", form=form, cohort=cohort)


def _people_choices(role_column) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(User.id, User.given_names, User.family_name, User.email)
        .where(role_column, User.is_active)
        .order_by(User.family_name, User.given_names)
    )
    return [SelectChoice(r.id, f"{r.given_names} {r.family_name} ({r.email})") for r in rows]


@bp.route("/enrolments/new", methods=["GET", "POST"])
@role_required("admin")
def enrol():
    form = EnrolForm(cohort_id=request.args.get("cohort", type=stored_int))
    catalogue = default_catalogue()
    form.unit_code.choices = [
        SelectChoice(u.code, f"{u.code} {u.title}" + ("" if u.status == "current" else f" ({u.status})"))
        for u in catalogue.values()
    ]
    form.cohort_id.choices = [
        SelectChoice(c.id, c.name) for c in db.session.scalars(select(Cohort).order_by(Cohort.name))
    ]
    form.learners.choices = _people_choices(User.is_learner)
    if form.validate_on_submit():
        cohort = db.session.get(Cohort, form.cohort_id.data)
        learners = db.session.scalars(select(User).where(User.id.in_(form.learners.data), User.is_learner))
        enrolled = [
            people.enrol(learner, form.unit_code.data, cohort, form.start_date.data) for learner in learners
        ]
        db.session.commit()
        flash(f"Enrolled {len(enrolled)} learner(s) in {form.unit_code.data}.", "success")
        return redirect(url_for("accounts.cohort", cohort_id=form.cohort_id.data))
    return render_template("accounts/enrol.html", form=form)


@bp.route("/users/<int:user_id>/details", methods=["GET", "POST"])
@role_required("admin")
def learner_details(user_id: int):
    return edit_details(db.get_or_404(User, user_id), url_for(".edit_user", user_id=user_id))


@bp.route("/users/<int:user_id>/export")
@writes_on_get  # the audit record of the export
@role_required("admin")
def export_learner(user_id: int):
    """Everything held about one learner (APP 12), as a zip: data.json, evidence and certificates."""
    user = db.get_or_404(User, user_id)
    config = current_app.config
    data = privacy.export_zip(user, LocalStore(config["UPLOAD_DIR"]), LocalStore(config["CERTIFICATE_DIR"]))
    record(current_user.id, "learner.data_exported", f"user:{user.id}", learner_id=user.id)
    db.session.commit()
    response = current_app.response_class(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="learner-{user.id}-data.zip"'
    return response


PURGE_CONFIRMATION = "I understand this destroys the evidence listed and cannot be undone."
PURGES_SHOWN = 200  # the oldest first; a bounded list keeps one confirmation to a request's worth of work


@bp.route("/retention", methods=["GET", "POST"])
@role_required("admin")
def retention():
    """What is past its keeping period; on confirmation, destroy the evidence listed (privacy.purge_all)."""
    config, today = current_app.config, local_today()
    expired = privacy.expired_evidence(today, config["EVIDENCE_RETENTION_YEARS"])
    purges = expired[:PURGES_SHOWN]
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            flash(f"Nothing was destroyed: tick “{PURGE_CONFIRMATION}” to go ahead.", "error")
            return redirect(url_for(".retention"))
        shown = set(request.form.getlist("enrolment"))  # only what the administrator saw and confirmed
        chosen = [purge for purge in expired if str(purge.enrolment.id) in shown][:PURGES_SHOWN]
        if not chosen:
            flash(
                "Nothing was destroyed: none of the evidence shown is still held. Check the list again.",
                "info",
            )
            return redirect(url_for(".retention"))
        done = privacy.purge_all(chosen, LocalStore(config["UPLOAD_DIR"]), current_user.id)
        flash(
            f"Destroyed the evidence of {done.enrolments} unit enrolment(s): {done.files} file(s) and "
            f"{done.answers} written answer(s). Their judgements and outcomes are kept.",
            "success",
        )
        return redirect(url_for(".retention"))
    return render_template(
        "accounts/retention.html",
        purges=purges,
        more=len(expired) - len(purges),
        certificates=privacy.expired_certificates(today, config["CERTIFICATE_RETENTION_YEARS"]),
        evidence_years=config["EVIDENCE_RETENTION_YEARS"],
        certificate_years=config["CERTIFICATE_RETENTION_YEARS"],
        confirmation=PURGE_CONFIRMATION,
    )
