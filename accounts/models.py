"""People and groups: users and their roles, learner records, cohorts and enrolments."""

from __future__ import annotations

import datetime as dt
import secrets

from flask_login import UserMixin
from sqlalchemy import JSON, Column, ColumnElement, ForeignKey, String, Table, UniqueConstraint, func, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash

from database import db, local_today, utcnow

from . import passwords

ROLES = ("learner", "assessor", "admin")

cohort_learners = Table(
    "cohort_learners",
    db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)
cohort_staff = Table(
    "cohort_staff",
    db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    given_names: Mapped[str] = mapped_column(String(100), default="")
    family_name: Mapped[str] = mapped_column(String(100))
    is_learner: Mapped[bool] = mapped_column(default=False)
    is_assessor: Mapped[bool] = mapped_column(default=False)
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Flask-Login's id for the session; rotating it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    learner: Mapped[LearnerProfile | None] = relationship(
        back_populates="user", uselist=False, foreign_keys="LearnerProfile.user_id"
    )

    def get_id(self) -> str:
        return self.session_token

    @hybrid_property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @full_name.inplace.expression
    @classmethod
    def _full_name_in_sql(cls) -> ColumnElement[str]:
        """The same name in SQL, so a list can read it as a column without loading the user."""
        return func.trim(cls.given_names + " " + cls.family_name)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(r for r in ROLES if getattr(self, f"is_{r}"))

    def has_role(self, *roles: str) -> bool:
        return any(getattr(self, f"is_{r}") for r in roles)

    def set_password(self, password: str) -> None:
        self.password_hash = passwords.hash_password(password)
        self.password_changed_at = utcnow()
        self.session_token = new_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def assesses(self, learner_id: int) -> bool:
        """Whether this user is staff of a cohort that the learner belongs to."""
        query = (
            select(cohort_staff.c.user_id)
            .join(cohort_learners, cohort_learners.c.cohort_id == cohort_staff.c.cohort_id)
            .where(cohort_staff.c.user_id == self.id, cohort_learners.c.user_id == learner_id)
        )
        return db.session.execute(query.limit(1)).first() is not None

    def may_assess(self, on_cohort_staff: bool) -> bool:
        """Who may mark a cohort's work: admins, and assessors on the cohort's staff."""
        return self.is_admin or (self.is_assessor and on_cohort_staff)

    def can_view_learner(self, learner_id: int) -> bool:
        return self.is_admin or self.id == learner_id or (self.is_assessor and self.assesses(learner_id))


class LearnerProfile(db.Model):
    """What certification and reporting need to know about a learner."""

    __tablename__ = "learner_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(10), unique=True)  # the RTO's own id, never the USI
    date_of_birth: Mapped[dt.date | None]
    usi: Mapped[str | None] = mapped_column(String(10))
    usi_verified_at: Mapped[dt.datetime | None]
    usi_verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    usi_exemption: Mapped[str | None] = mapped_column(String(10))  # INDIV or INTOFF
    # What national reporting (AVETMISS NAT00080/85/90/100) asks of every learner, as national codes;
    # "@" and "@@…" mean not stated.
    gender: Mapped[str] = mapped_column(String(1), default="@")
    indigenous_status: Mapped[str] = mapped_column(String(1), default="@")
    language: Mapped[str] = mapped_column(String(4), default="@@@@")
    country_of_birth: Mapped[str] = mapped_column(String(4), default="@@@@")
    labour_force_status: Mapped[str] = mapped_column(String(2), default="@@")
    highest_school_level: Mapped[str] = mapped_column(String(2), default="@@")
    at_school: Mapped[str] = mapped_column(String(1), default="@")
    disability_flag: Mapped[str] = mapped_column(String(1), default="@")
    disability_types: Mapped[list] = mapped_column(JSON, default=list)
    prior_education_flag: Mapped[str] = mapped_column(String(1), default="@")
    prior_achievements: Mapped[list] = mapped_column(JSON, default=list)
    survey_contact_status: Mapped[str] = mapped_column(String(1), default="A")
    building: Mapped[str] = mapped_column(String(50), default="")
    flat_unit: Mapped[str] = mapped_column(String(30), default="")
    street_number: Mapped[str] = mapped_column(String(15), default="")
    street_name: Mapped[str] = mapped_column(String(70), default="")
    postal_delivery_box: Mapped[str] = mapped_column(String(22), default="")
    suburb: Mapped[str] = mapped_column(String(50), default="")
    postcode: Mapped[str] = mapped_column(String(4), default="")
    state: Mapped[str] = mapped_column(String(2), default="")
    phone_mobile: Mapped[str] = mapped_column(String(20), default="")

    user: Mapped[User] = relationship(back_populates="learner", foreign_keys=[user_id])

    @property
    def has_verified_usi(self) -> bool:
        return bool(self.usi and self.usi_verified_at) or bool(self.usi_exemption)


class Cohort(db.Model):
    """A group of learners taught and assessed together by their trainers/assessors."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    starts_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    learners: Mapped[list[User]] = relationship(secondary=cohort_learners, order_by=User.family_name)
    staff: Mapped[list[User]] = relationship(secondary=cohort_staff, order_by=User.family_name)


class Enrolment(db.Model):
    """A learner enrolled in one unit of competency (referred to by its code)."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("learner_id", "unit_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_code: Mapped[str] = mapped_column(String(12), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    start_date: Mapped[dt.date] = mapped_column(default=local_today)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # AVETMISS training activity: the platform delivers online (external), fee-for-service by default.
    delivery_mode: Mapped[str] = mapped_column(String(3), default="NYN")
    predominant_delivery_mode: Mapped[str] = mapped_column(String(1), default="E")
    funding_source: Mapped[str] = mapped_column(String(2), default="20")
    study_reason: Mapped[str] = mapped_column(String(2), default="@@")

    learner: Mapped[User] = relationship()
    cohort: Mapped[Cohort | None] = relationship()

    def can_be_viewed_by(self, user: User) -> bool:
        return user.can_view_learner(self.learner_id)

    def is_assessed_by(self, user: User) -> bool:
        """Admins, and the trainers/assessors of the cohort this enrolment belongs to."""
        return user.may_assess(self.cohort is not None and user in self.cohort.staff)
