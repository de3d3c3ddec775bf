"""Recording and summarising a learner's progress. Functions flush; the caller commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Row, Select, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from database import db, utcnow

from .checks import Mark, answered_any, mark, normalise, score
from .models import CheckAttempt, ModuleProgress
from .modules import Module

VISIT_REFRESH = dt.timedelta(minutes=5)  # how stale "last seen" (staff's activity column) may get


def visit_changes_anything(unit_rows: Sequence[ModuleProgress], module: Module) -> bool:
    """Whether opening `module` should be recorded, given the learner's progress rows in its unit: a first
    visit, a return from another module (resume-where-I-left-off follows the latest), or the last record of
    it is over VISIT_REFRESH old. Re-reading the module the learner is on records nothing."""
    latest = max(unit_rows, key=lambda row: row.seen_at, default=None)
    return latest is None or latest.module_id != module.id or utcnow() - latest.seen_at > VISIT_REFRESH


def visit(learner_id: int, module: Module) -> ModuleProgress:
    """The learner's progress row for `module`, created on their first visit."""
    progress = _progress(learner_id, module)
    if progress is None:
        try:
            with db.session.begin_nested():  # two tabs opening the module at once must not fail
                progress = ModuleProgress(learner_id=learner_id, unit_code=module.unit, module_id=module.id)
                db.session.add(progress)
        except IntegrityError:
            progress = _progress(learner_id, module)
    progress.seen_at = utcnow()
    return progress


def _progress(learner_id: int, module: Module) -> ModuleProgress | None:
    return db.session.scalar(
        select(ModuleProgress).filter_by(learner_id=learner_id, unit_code=module.unit, module_id=module.id)
    )


def save_position(learner_id: int, module: Module, section_id: str) -> bool:
    if section_id not in {s.id for s in module.sections}:
        return False
    visit(learner_id, module).last_section = section_id
    return True


def set_complete(learner_id: int, module: Module, complete: bool) -> ModuleProgress:
    progress = visit(learner_id, module)
    progress.completed_at = (progress.completed_at or utcnow()) if complete else None
    return progress


class NothingAnswered(ValueError):
    """A knowledge check sent with no answer at all: refused, as marking it would only reveal the answers."""


def record_check(learner_id: int, module: Module, form: dict[str, list[str]]) -> CheckAttempt:
    """Mark the submitted answers (form field `q-<id>`) and keep the attempt; NothingAnswered if blank."""
    answers = {q.id: normalise(q, form.get(f"q-{q.id}", [])) for q in module.meta.check}
    if not answered_any(answers):
        raise NothingAnswered("Answer at least one question, then check your answers.")
    right, out_of = score([mark(q, answers[q.id]) for q in module.meta.check])
    attempt = CheckAttempt(
        learner_id=learner_id,
        unit_code=module.unit,
        module_id=module.id,
        answers=answers,
        right=right,
        out_of=out_of,
    )
    db.session.add(attempt)
    visit(learner_id, module)
    db.session.flush()
    return attempt


@cache
def _latest_check_statement() -> Select:
    """The latest check attempt's columns with the count of attempts; read as a plain row, as the page
    only shows it (the ORM's object cost as much as the query)."""
    return (
        select(*CheckAttempt.__table__.columns, func.count().over().label("attempts"))
        .where(
            CheckAttempt.learner_id == bindparam("learner_id"),
            CheckAttempt.unit_code == bindparam("unit_code"),
            CheckAttempt.module_id == bindparam("module_id"),
        )
        .order_by(CheckAttempt.id.desc())
        .limit(1)
    )


def latest_check(learner_id: int, module: Module) -> tuple[Row | None, int]:
    """The learner's latest attempt at the module's check (a row with CheckAttempt's columns), and how many
    attempts they have made."""
    bound = {"learner_id": learner_id, "unit_code": module.unit, "module_id": module.id}
    row = db.session.connection().execute(_latest_check_statement(), bound).first()
    return (row, row.attempts) if row else (None, 0)


def marks_of(attempt: CheckAttempt | Row, module: Module) -> dict[str, Mark]:
    return {q.id: mark(q, attempt.answers.get(q.id)) for q in module.meta.check}


@dataclass(frozen=True)
class UnitProgress:
    statuses: dict[str, str]  # module id → not_started | in_progress | complete
    resume: tuple[str, str | None] | None  # (module id, section id) to carry on from

    @property
    def complete(self) -> int:
        return sum(s == "complete" for s in self.statuses.values())

    @property
    def percent(self) -> int:
        return round(100 * self.complete / len(self.statuses)) if self.statuses else 0


def summarise(modules: Sequence[Module], rows: Iterable[ModuleProgress]) -> UnitProgress:
    """Statuses of a unit's modules, and where to resume: the last module seen, else the next one."""
    by_module = {r.module_id: r for r in rows}
    statuses = {m.id: by_module[m.id].status if m.id in by_module else "not_started" for m in modules}
    unfinished = [by_module[m.id] for m in modules if statuses[m.id] == "in_progress"]
    if unfinished:
        latest = max(unfinished, key=lambda r: r.seen_at)
        return UnitProgress(statuses, (latest.module_id, latest.last_section))
    upcoming = next((m.id for m in modules if statuses[m.id] == "not_started"), None)
    return UnitProgress(statuses, (upcoming, None) if upcoming else None)


@cache
def _progress_statement(one_unit: bool) -> Select:
    """progress_rows' statement, built once per shape: building and keying a statement on every visit cost
    about as much as running it."""
    query = select(ModuleProgress).where(
        ModuleProgress.learner_id.in_(bindparam("learner_ids", expanding=True))
    )
    return query.where(ModuleProgress.unit_code == bindparam("unit_code")) if one_unit else query


def progress_rows(learner_ids: Iterable[int], unit_code: str | None = None) -> list[ModuleProgress]:
    """All progress rows of some learners (optionally one unit), in one query."""
    bound = {"learner_ids": list(learner_ids), "unit_code": unit_code}
    return list(db.session.scalars(_progress_statement(bool(unit_code)), bound))
