"""Attempts at assessment tasks: the learner's answers and files, then the assessor's judgements."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from accounts.models import Enrolment, User
from database import db, utcnow

DRAFT, SUBMITTED, SATISFACTORY, NOT_SATISFACTORY = "draft", "submitted", "satisfactory", "not_satisfactory"


class Attempt(db.Model):
    """One attempt at a task. Editable while a draft; immutable once submitted."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "task_id", "number"),
        # The queue reads its page in (submitted_at, id) order straight off this index, with no sort even
        # when many attempts share a time; enrolment_id makes it cover the queue's counts too.
        Index("ix_attempts_status_submitted", "status", "submitted_at", "id", "enrolment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str] = mapped_column(String(80))
    number: Mapped[int] = mapped_column(default=1)
    items: Mapped[list] = mapped_column(
        JSON
    )  # ids of the items this attempt answers (all, or those reopened)
    status: Mapped[str] = mapped_column(String(20), default=DRAFT)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    saved_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    declaration_name: Mapped[str | None] = mapped_column(String(200))
    # Incremented on every change: a save based on an old version is refused, never silently applied.
    version: Mapped[int] = mapped_column(default=1)

    enrolment: Mapped[Enrolment] = relationship()
    responses: Mapped[list[Response]] = relationship(back_populates="attempt", cascade="all, delete-orphan")
    files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="EvidenceFile.id"
    )
    judgements: Mapped[list[Judgement]] = relationship(cascade="all, delete-orphan", order_by="Judgement.id")
    observations: Mapped[list[Observation]] = relationship(cascade="all, delete-orphan")
    marking: Mapped[Marking | None] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    def text_for(self, item_id: str) -> str:
        return next((r.text for r in self.responses if r.item_id == item_id), "")

    def files_for(self, item_id: str) -> list[EvidenceFile]:
        return [f for f in self.files if f.item_id == item_id]

    def can_be_seen_by(self, user: User) -> bool:
        return self.enrolment.can_be_viewed_by(user)


class Response(db.Model):
    """The learner's written answer to one item of an attempt."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("attempt_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text, default="")

    attempt: Mapped[Attempt] = relationship(back_populates="responses")


class EvidenceFile(db.Model):
    """A file the learner attached to an item, stored outside static/ under a random name."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="files")

    @property
    def is_playable(self) -> bool:
        return playable(self.content_type)


def playable(content_type: str) -> bool:
    """A recording a browser can play on the page, rather than a document to download."""
    return content_type.startswith(("audio/", "video/"))


class Judgement(db.Model):
    """An assessor's decision on one item of an attempt. A later judgement of the same item
    (a recorded revision, with its reason) supersedes it; none is ever edited."""

    __tablename__ = "judgements"
    __table_args__ = (Index("ix_judgements_attempt_item", "attempt_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(80))
    result: Mapped[str] = mapped_column(String(3))  # S or NYS
    comment: Mapped[str] = mapped_column(Text, default="")
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revises_id: Mapped[int | None] = mapped_column(ForeignKey("judgements.id"))
    reason: Mapped[str | None] = mapped_column(Text)  # why a released judgement was revised

    assessor: Mapped[User] = relationship()


class Observation(db.Model):
    """Whether a behaviour on a role-play's observation checklist was seen, in one attempt."""

    __tablename__ = "observations"
    __table_args__ = (UniqueConstraint("attempt_id", "behaviour_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    behaviour_id: Mapped[str] = mapped_column(String(80))
    observed: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")


class Marking(db.Model):
    """The assessor's decision on a whole attempt: released to the learner with feedback."""

    __tablename__ = "markings"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    result: Mapped[str] = mapped_column(String(3))
    feedback: Mapped[str] = mapped_column(Text, default="")
    observed_on: Mapped[dt.date | None]  # role-plays: when, how long and where the performance was observed
    observed_minutes: Mapped[int | None]
    observation_context: Mapped[str | None] = mapped_column(Text)
    declared: Mapped[bool] = mapped_column(default=False)
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    assessor: Mapped[User] = relationship()


class Reopening(db.Model):
    """One more attempt at a task past the cap, granted by a trainer or administrator with a reason."""

    __tablename__ = "reopenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(30))  # further_training | reasonable_adjustment | appeal
    note: Mapped[str] = mapped_column(Text, default="")
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Outcome(db.Model):
    """A recorded unit outcome. A later outcome for the enrolment supersedes it; none is edited."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(
        String(2)
    )  # AVETMISS outcome identifier: 20, 30, 40, 51, 52, 60, 70, 85
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    end_date: Mapped[dt.date | None]
    declaration: Mapped[bool] = mapped_column(default=False)
    evidence: Mapped[str] = mapped_column(Text, default="")  # RPL / credit transfer: what it rests on
    note: Mapped[str] = mapped_column(Text, default="")

    decided_by: Mapped[User] = relationship()


@event.listens_for(Session, "before_flush")
def _submitted_evidence_is_immutable(session: Session, _context, _instances) -> None:
    """Refuse any change to the answers or files of an attempt that was already submitted.

    Only the retention purge, which destroys evidence past its keeping period, sets session.info["purging"].
    """
    if session.info.get("purging"):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Response | EvidenceFile) or obj.attempt is None:
            continue
        attempt = obj.attempt
        committed = inspect(attempt).attrs.status.history
        status_before = committed.deleted[0] if committed.deleted else attempt.status
        if status_before != DRAFT and inspect(attempt).persistent:
            raise PermissionError(f"attempt {attempt.id} was submitted: its evidence cannot change")
