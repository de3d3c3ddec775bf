"""The certificate register, and the counters and jobs that serve it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Enrolment, User
from database import db, utcnow

VALID, REVOKED, REPLACED = "valid", "revoked", "replaced"


class Certificate(db.Model):
    """One issued version of a Statement of Attainment. A reissue adds a version under the same number."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("number", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), index=True)
    version: Mapped[int] = mapped_column(default=1)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    learner_name: Mapped[str] = mapped_column(String(200))  # as printed, kept for the 30-year register
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default=VALID)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was revoked or replaced
    stored_name: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])
    units: Mapped[list[CertificateUnit]] = relationship(
        cascade="all, delete-orphan", order_by="CertificateUnit.id"
    )

    @property
    def is_valid(self) -> bool:
        return self.status == VALID


class CertificateUnit(db.Model):
    """A unit printed on a certificate, with the enrolment and outcome it rests on."""

    __tablename__ = "certificate_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="RESTRICT"), index=True)
    unit_code: Mapped[str] = mapped_column(String(12))
    unit_title: Mapped[str] = mapped_column(String(200))
    outcome_code: Mapped[str] = mapped_column(String(2))

    enrolment: Mapped[Enrolment] = relationship()


class Counter(db.Model):
    """Named sequences (e.g. certificate numbers per year), incremented under a row lock."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class Job(db.Model):
    """A long task run in the background (bulk certificates, large exports), with its progress."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued, running, done, failed
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    messages: Mapped[list] = mapped_column(JSON, default=list)
    result: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Touched whenever the job commits progress: a running job that stops touching it has lost its worker.
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[dt.datetime | None]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.status == "done" else 0)
