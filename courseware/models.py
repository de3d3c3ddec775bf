"""Each learner's progress through modules, and their knowledge-check attempts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from database import db, utcnow


class ModuleProgress(db.Model):
    """One row per learner per module they have opened: started, where they were, completed."""

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("learner_id", "unit_code", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_code: Mapped[str] = mapped_column(String(12))
    module_id: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_section: Mapped[str | None] = mapped_column(String(80))
    completed_at: Mapped[dt.datetime | None]

    @property
    def status(self) -> str:
        return "complete" if self.completed_at else "in_progress"


class CheckAttempt(db.Model):
    """A learner's answers to a module's knowledge check: kept, formative, never evidence."""

    __tablename__ = "check_attempts"
    __table_args__ = (Index("ix_check_attempts_learner_module", "learner_id", "unit_code", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    unit_code: Mapped[str] = mapped_column(String(12))
    module_id: Mapped[str] = mapped_column(String(80))
    answers: Mapped[dict] = mapped_column(JSON)  # question id → the learner's response
    right: Mapped[int]
    out_of: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
