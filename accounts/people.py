"""Creating and changing people, cohorts and enrolments: used by pages, the CLI and the demo.

These functions flush but never commit, so a caller can make several changes atomically.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import func, select

from database import db, local_today, utcnow

from .models import Cohort, Enrolment, LearnerProfile, User


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    email: str,
    family_name: str,
    given_names: str = "",
    roles: tuple[str, ...] = ("learner",),
    password: str | None = None,
) -> User:
    """Add a user; without a password they get a random one and must have it reset."""
    user = User(email=email.strip().lower(), family_name=family_name.strip(), given_names=given_names.strip())
    user.set_password(password or secrets.token_urlsafe(24))
    set_roles(user, roles)
    db.session.add(user)
    db.session.flush()
    return user


def set_roles(user: User, roles: tuple[str, ...] | list[str]) -> None:
    user.is_learner, user.is_assessor, user.is_admin = (r in roles for r in ("learner", "assessor", "admin"))
    if user.is_learner and user.learner is None:
        profile = LearnerProfile()
        assign_client_id(profile)
        user.learner = profile


def assign_client_id(profile: LearnerProfile, wanted: str | None = None) -> None:
    """Keep `wanted` if given; otherwise give the next free identifier of the form C000123."""
    if wanted:
        profile.client_id = wanted.upper()
        return
    if profile.client_id:
        return
    with db.session.no_autoflush:
        start = (db.session.scalar(select(func.count()).select_from(LearnerProfile)) or 0) + 1
        for n in range(start, start + 1000):
            candidate = f"C{n:06d}"
            if not db.session.scalar(
                select(LearnerProfile.user_id).where(LearnerProfile.client_id == candidate)
            ):
                profile.client_id = candidate
                return
    raise RuntimeError("could not find a free client identifier")


def update_learner_record(
    profile: LearnerProfile,
    *,
    by: User,
    date_of_birth: dt.date | None,
    usi: str | None,
    usi_verified: bool,
    usi_exemption: str | None,
) -> None:
    """Record the learner's details; a changed USI must be verified again."""
    profile.date_of_birth = date_of_birth
    if usi != profile.usi:
        profile.usi, profile.usi_verified_at, profile.usi_verified_by_id = usi, None, None
    if usi_verified and usi and not profile.usi_verified_at:
        profile.usi_verified_at, profile.usi_verified_by_id = utcnow(), by.id
    elif not usi_verified:
        profile.usi_verified_at = profile.usi_verified_by_id = None
    profile.usi_exemption = usi_exemption or None


def save_cohort(
    cohort: Cohort, name: str, starts_on: dt.date | None, staff_ids: list[int], learner_ids: list[int]
) -> Cohort:
    cohort.name, cohort.starts_on = name.strip(), starts_on
    cohort.staff = _users(staff_ids, User.is_assessor)
    cohort.learners = _users(learner_ids, User.is_learner)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def _users(ids: list[int], role_column) -> list[User]:
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids), role_column)))


def enrol(
    learner: User, unit_code: str, cohort: Cohort | None, start_date: dt.date | None = None
) -> Enrolment:
    """Enrol a learner in a unit (once: an existing enrolment is returned as it is)."""
    existing = db.session.scalar(
        select(Enrolment).where(Enrolment.learner_id == learner.id, Enrolment.unit_code == unit_code)
    )
    if existing:
        return existing
    if cohort is not None and learner not in cohort.learners:
        cohort.learners.append(learner)
    enrolment = Enrolment(
        learner=learner, unit_code=unit_code, cohort=cohort, start_date=start_date or local_today()
    )
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


DETAIL_FIELDS = (
    "gender",
    "building",
    "flat_unit",
    "street_number",
    "street_name",
    "postal_delivery_box",
    "suburb",
    "postcode",
    "state",
    "phone_mobile",
    "indigenous_status",
    "country_of_birth",
    "language",
    "labour_force_status",
    "highest_school_level",
    "at_school",
    "disability_flag",
    "disability_types",
    "prior_education_flag",
    "prior_achievements",
    "survey_contact_status",
)


def update_details(profile: LearnerProfile, values: dict) -> None:
    """Record the learner's reporting details (national codes); lists only stand when their flag says yes."""
    for name in DETAIL_FIELDS:
        if name in values:
            value = values[name]
            setattr(profile, name, value.strip() if isinstance(value, str) else list(value))
    if profile.disability_flag != "Y":
        profile.disability_types = []
    if profile.prior_education_flag != "Y":
        profile.prior_achievements = []
