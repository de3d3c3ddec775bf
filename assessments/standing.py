"""Where a learner stands in a unit: each task's status, what to redo, the evidence for each requirement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from accounts.models import Enrolment
from database import db

from . import rules
from .models import Attempt, Judgement, Marking, Outcome, Reopening
from .tools import Pack, TaskTool

if TYPE_CHECKING:
    from .screen_records import ShownAttempt


@dataclass(frozen=True)
class TaskState:
    task: TaskTool
    attempts: tuple[Attempt | ShownAttempt, ...]
    results: dict[str, str]  # item id → standing S/NYS
    status: str
    allowed: int

    @property
    def latest(self) -> Attempt | ShownAttempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def draft(self) -> Attempt | ShownAttempt | None:
        return self.latest if self.latest and self.latest.is_draft else None

    @property
    def used(self) -> int:
        """Attempts submitted: a draft uses up no attempt until the learner submits it."""
        return sum(not a.is_draft for a in self.attempts)

    @property
    def number(self) -> int:
        """The attempt the learner is on: their draft, the resubmission they may start, or the latest."""
        if self.draft or (self.latest and self.status != "resubmit"):
            return self.latest.number
        return self.used + 1

    @property
    def attempts_summary(self) -> str:
        """How many attempts are used, as the task list and the evidence picture say it."""
        if self.draft:
            return f"Attempt {self.draft.number} of {self.allowed} in progress (draft)"
        return f"{self.used} of {self.allowed} attempts used"

    @property
    def result(self) -> str | None:
        return rules.task_result(self.results, self.task.item_ids)

    @property
    def to_redo(self) -> list[str]:
        return rules.items_to_redo(self.results, self.task.item_ids)


def _judgements(attempt: Attempt | ShownAttempt) -> list[rules.ItemJudgement]:
    if attempt.marking is None:  # judgements count once released with the marking decision
        return []
    return [rules.ItemJudgement(attempt.number, j.item_id, j.result, j.id) for j in attempt.judgements]


def standing_options() -> tuple:
    """What reading an enrolment's attempts for their standing loads with them, all joined: each attempt's
    marking and its assessor, its judgements with each one's assessor, and its observations. A role-play's
    judgements times its behaviours is a few dozen rows, far cheaper than a query more (0.16 against
    0.40 ms). The marking screen reads the same as plain records (screen_records)."""
    return (
        joinedload(Attempt.marking).joinedload(Marking.assessor),
        joinedload(Attempt.judgements).joinedload(Judgement.assessor),
        joinedload(Attempt.observations),
    )


@cache
def _statements() -> tuple[Select, Select]:
    """task_states' two statements, built once: a statement reused is not rebuilt or keyed again on each
    visit (0.28 ms of a page's 4). The attempts with standing_options(), and the reopenings per
    task."""
    enrolment_id = bindparam("enrolment_id")
    attempts = (
        select(Attempt)
        .where(Attempt.enrolment_id == enrolment_id)
        .order_by(Attempt.number)
        .options(*standing_options())
    )
    reopened = (
        select(Reopening.task_id, func.count())
        .where(Reopening.enrolment_id == enrolment_id)
        .group_by(Reopening.task_id)
    )
    return attempts, reopened


def task_states(
    enrolment_id: int, pack: Pack, cap: int, attempts: Sequence[Attempt | ShownAttempt] | None = None
) -> dict[str, TaskState]:
    """Every task of the unit for one enrolment, in two queries however many attempts there are (see
    _statements); one, when the caller has read the enrolment's `attempts` in number order, with their
    markings, judgements and observations (as ORM objects with standing_options(), or as the marking
    screen's records)."""
    attempts_statement, reopened_statement = _statements()
    bound = {"enrolment_id": enrolment_id}
    if attempts is None:
        attempts = db.session.scalars(attempts_statement, bound).unique().all()
    # Plain rows on the session's connection: the ORM's layer cost more than the query (0.04 vs 0.01 ms).
    reopened = dict(db.session.connection().execute(reopened_statement, bound).all())
    states = {}
    for task in pack.tasks:
        mine = tuple(a for a in attempts if a.task_id == task.id)
        results = rules.latest_results(j for a in mine for j in _judgements(a))
        latest = mine[-1] if mine else None
        last_result = latest.marking.result if latest and latest.marking else None
        submitted = sum(not a.is_draft for a in mine)
        status = rules.task_status(submitted, latest.status if latest else None, last_result, cap,
                                   reopened.get(task.id, 0))  # fmt: skip
        states[task.id] = TaskState(
            task, mine, results, status, rules.attempts_allowed(cap, reopened.get(task.id, 0))
        )
    return states


def evidence_points(
    states: dict[str, TaskState],
) -> list[tuple[TaskState, Attempt | ShownAttempt, str, Sequence[str], bool]]:
    """Every judged evidence point: (task, attempt, item or behaviour id, requirements, satisfactory?)."""
    points = []
    for state in states.values():
        for attempt in state.attempts:
            if attempt.marking is None:
                continue
            latest = rules.latest_results(_judgements(attempt))
            for item in state.task.items:
                if item.id in latest:
                    points.append((state, attempt, item.id, item.maps, latest[item.id] == rules.S))
            seen = {o.behaviour_id: o.observed for o in attempt.observations}
            for behaviour in state.task.observation:
                if behaviour.id in seen:
                    points.append((state, attempt, behaviour.id, behaviour.maps, seen[behaviour.id]))
    return points


def proposal(states: dict[str, TaskState], requirement_ids: Sequence[str]) -> rules.Proposal:
    """The outcome the evidence supports, with reasons that name tasks by title and PCs as "PC 1.1"."""
    label = {rid: f"PC {rid}" if rid[0].isdigit() else rid for rid in requirement_ids}
    evidenced = rules.requirements_evidenced((maps, ok) for _, _, _, maps, ok in evidence_points(states))
    exhausted = [s.task.title for s in states.values() if s.status == "not_satisfactory"]
    return rules.propose_outcome(
        {s.task.title: s.result for s in states.values()},
        exhausted,
        [label[r] for r in requirement_ids],
        {label[r] for r in evidenced if r in label},
    )


def current_outcome(enrolment_id: int) -> Outcome | None:
    return db.session.scalar(
        select(Outcome).where(Outcome.enrolment_id == enrolment_id).order_by(Outcome.id.desc()).limit(1)
    )


def items_to_redo(enrolment: Enrolment, task: TaskTool, pack: Pack, cap: int) -> list[str] | None:
    """The items a new attempt would cover, when the learner may resubmit; otherwise None."""
    state = task_states(enrolment.id, pack, cap)[task.id]
    return state.to_redo if state.status == "resubmit" else None
