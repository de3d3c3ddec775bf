"""What the marking screen shows of an enrolment's attempts, read as plain records.

The marking screen is the page assessors open most. Built as ORM objects (attempts, their enrolment and
learner, markings, judgements, observations and three assessors), its one query cost four times what
running it did: 0.19 against 0.05 ms, the ORM's loaders being set up afresh on every execution. So the
screen reads plain rows into these records, which carry the attributes the standing (`task_states`,
`evidence_points`) and the template read of an attempt. Forms that change an attempt still load it
through the ORM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from functools import cache
from itertools import accumulate, pairwise
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import aliased

from accounts.models import Enrolment, User, cohort_staff
from database import db

from .models import DRAFT, Attempt, EvidenceFile, Judgement, Marking, Observation, Response, playable


@dataclass(frozen=True, slots=True)
class ShownMarking:
    result: str
    feedback: str
    observed_on: dt.date | None
    observed_minutes: int | None
    observation_context: str | None
    decided_at: dt.datetime
    assessor_name: str


@dataclass(frozen=True, slots=True)
class ShownJudgement:
    id: int
    item_id: str
    result: str
    comment: str
    decided_at: dt.datetime
    revises_id: int | None
    reason: str | None
    assessor_name: str


@dataclass(frozen=True, slots=True)
class ShownObservation:
    id: int
    behaviour_id: str
    observed: bool
    comment: str


@dataclass(frozen=True, slots=True)
class ShownAttempt:
    id: int
    enrolment_id: int
    task_id: str
    number: int
    items: list[str]
    status: str
    submitted_at: dt.datetime | None
    declaration_name: str | None
    version: int
    marking: ShownMarking | None = None
    judgements: list[ShownJudgement] = field(default_factory=list)  # in the order they were made
    observations: list[ShownObservation] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    def judgements_of(self, item_id: str) -> list[ShownJudgement]:
        return [j for j in self.judgements if j.item_id == item_id]

    def observation_of(self, behaviour_id: str) -> ShownObservation | None:
        return next((o for o in self.observations if o.behaviour_id == behaviour_id), None)


@dataclass(frozen=True, slots=True)
class ShownEnrolment:
    id: int
    unit_code: str
    learner_name: str
    on_staff: bool  # whether the user reading is on the cohort's staff


@dataclass(frozen=True)
class Markable:
    """An attempt to mark, with every attempt of its enrolment in number order (for the standing)."""

    attempt: ShownAttempt
    attempts: list[ShownAttempt]
    enrolment: ShownEnrolment


def _columns(record: type, model: Any, skip: tuple[str, ...] = (), **computed: Any) -> list:
    """The model's column for each of the record's fields but `skip`, in the record's order; `computed`
    ones by name. The record's definition then says what is read, and each row fills it by position."""
    named = [f.name for f in fields(record) if f.name not in skip]
    return [computed[name] if name in computed else getattr(model, name) for name in named]


class _Layout(NamedTuple):
    statement: Select
    attempt: slice
    marking: slice
    judgement: slice
    observation: slice
    enrolment: slice


@cache
def _layout() -> _Layout:
    """Every attempt of the asked-for attempt's enrolment, with their markings, judgements and observations
    joined (a role-play's judgements times its behaviours is a few dozen rows), the enrolment, and whether
    the user is on the cohort's staff: one query, built once."""
    marker, judge, learner, staff = aliased(User), aliased(User), aliased(User), cohort_staff.c
    on_staff = (
        select(staff.user_id)
        .where(staff.cohort_id == Enrolment.cohort_id, staff.user_id == bindparam("user_id"))
        .exists()
    )
    enrolment_of_attempt = select(Attempt.enrolment_id).where(Attempt.id == bindparam("attempt_id"))
    groups = (
        _columns(ShownAttempt, Attempt, skip=("marking", "judgements", "observations")),
        _columns(ShownMarking, Marking, assessor_name=marker.full_name),
        _columns(ShownJudgement, Judgement, assessor_name=judge.full_name),
        _columns(ShownObservation, Observation),
        _columns(ShownEnrolment, Enrolment, learner_name=learner.full_name, on_staff=on_staff),
    )
    statement = (
        select(*(column for group in groups for column in group))
        .join(Enrolment, Enrolment.id == Attempt.enrolment_id)
        .join(learner, learner.id == Enrolment.learner_id)
        .outerjoin(Marking, Marking.attempt_id == Attempt.id)
        .outerjoin(marker, marker.id == Marking.assessor_id)
        .outerjoin(Judgement, Judgement.attempt_id == Attempt.id)
        .outerjoin(judge, judge.id == Judgement.assessor_id)
        .outerjoin(Observation, Observation.attempt_id == Attempt.id)
        .where(Attempt.enrolment_id == enrolment_of_attempt.scalar_subquery())
        .order_by(Attempt.number, Attempt.id, Judgement.id, Observation.id)
    )
    ends = accumulate((len(group) for group in groups), initial=0)
    return _Layout(statement, *(slice(start, end) for start, end in pairwise(ends)))


def markable(attempt_id: int, user_id: int) -> Markable | None:
    """The attempt and its enrolment's attempts as the marking screen shows them; None if there is no
    such attempt. Whether the user may mark it is the caller's to decide (`enrolment.on_staff`)."""
    layout = _layout()
    rows = db.session.connection().execute(layout.statement, {"attempt_id": attempt_id, "user_id": user_id})
    attempts: dict[int, ShownAttempt] = {}
    seen: set[tuple[str, int]] = set()  # judgements and observations repeat across the joined rows
    enrolment, attempt_id_at = None, layout.attempt.start  # ShownAttempt's own columns start with its id
    for row in rows:
        attempt = attempts.get(row[attempt_id_at])
        if attempt is None:
            marking = ShownMarking(*row[layout.marking]) if row[layout.marking.start] is not None else None
            attempt = attempts[row[attempt_id_at]] = ShownAttempt(*row[layout.attempt], marking=marking)
            enrolment = enrolment or ShownEnrolment(*row[layout.enrolment])
        judgement_id, observation_id = row[layout.judgement.start], row[layout.observation.start]
        if judgement_id is not None and ("j", judgement_id) not in seen:
            seen.add(("j", judgement_id))
            attempt.judgements.append(ShownJudgement(*row[layout.judgement]))
        if observation_id is not None and ("o", observation_id) not in seen:
            seen.add(("o", observation_id))
            attempt.observations.append(ShownObservation(*row[layout.observation]))
    if enrolment is None or attempt_id not in attempts:  # no such attempt
        return None
    return Markable(attempts[attempt_id], list(attempts.values()), enrolment)


@dataclass(frozen=True, slots=True)
class ShownFile:
    id: int
    item_id: str
    original_name: str
    content_type: str
    size: int
    sha256: str

    @property
    def is_playable(self) -> bool:
        return playable(self.content_type)


@dataclass(frozen=True)
class Answers:
    """What the learner wrote and attached, by item, as the marking screen shows it."""

    texts: dict[str, str]
    files: list[ShownFile]

    def text_for(self, item_id: str) -> str:
        return self.texts.get(item_id, "")

    def files_for(self, item_id: str) -> list[ShownFile]:
        return [f for f in self.files if f.item_id == item_id]


@cache
def _answers_statements() -> tuple[Select, Select]:
    attempt_id = bindparam("attempt_id")
    responses = Response.__table__.c
    return (
        select(responses.item_id, responses.text).where(responses.attempt_id == attempt_id),
        select(*_columns(ShownFile, EvidenceFile))
        .where(EvidenceFile.attempt_id == attempt_id)
        .order_by(EvidenceFile.id),
    )


def answers(attempt_id: int) -> Answers:
    """The attempt's answers and files as plain rows: loading them as the attempt's collections cost more
    than the rest of the screen's query (0.27 against 0.03 ms)."""
    texts, files = _answers_statements()
    connection, bound = db.session.connection(), {"attempt_id": attempt_id}
    return Answers(
        dict(connection.execute(texts, bound).all()),
        [ShownFile(*row) for row in connection.execute(files, bound)],
    )
