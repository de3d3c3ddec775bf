"""Releasing judgements, revising them, reopening tasks and recording unit outcomes.

Functions flush but never commit. Every decision appends an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts.models import Enrolment, User
from audit.trail import record
from database import db, local_today

from . import rules
from .attempts import Problems
from .models import (
    NOT_SATISFACTORY,
    SATISFACTORY,
    SUBMITTED,
    Attempt,
    Judgement,
    Marking,
    Observation,
    Outcome,
    Reopening,
)
from .tools import TaskTool


class Conflict(Exception):
    """Someone else decided first: nothing was saved, and their decision stands."""


@dataclass(frozen=True)
class ObservationRecord:
    observed: dict[str, bool | None]  # behaviour id → seen?
    notes: dict[str, str]
    observed_on: dt.date | None
    minutes: str  # as the assessor typed it; blank when not given
    context: str


def mark_attempt(
    attempt: Attempt,
    task: TaskTool,
    assessor: User,
    decisions: dict[str, rules.Decision],
    observation: ObservationRecord,
    feedback: str,
    declared: bool,
    version: int,
) -> None:
    """Release the assessor's judgements of a submitted attempt, or raise Conflict / rules problems."""
    if attempt.status != SUBMITTED or attempt.version != version:
        by = attempt.marking.assessor.full_name if attempt.marking else "another assessor"
        raise Conflict(f"{by} marked this attempt first. Your judgement was not saved; theirs stands.")
    behaviours = [b.id for b in task.observation]
    problems = rules.marking_problems(
        attempt.items,
        decisions,
        [i.id for i in task.items if i.response == "recording" and i.id in attempt.items],
        behaviours,
        observation.observed,
        observation.observed_on,
        declared,
        observation.minutes,
    )
    if problems:
        raise Problems(problems)
    for item_id in attempt.items:
        decision = decisions[item_id]
        attempt.judgements.append(
            Judgement(
                item_id=item_id,
                result=decision.result,
                comment=decision.comment.strip(),
                assessor_id=assessor.id,
            )
        )
    for behaviour in behaviours:
        attempt.observations.append(
            Observation(
                behaviour_id=behaviour,
                observed=bool(observation.observed[behaviour]),
                comment=observation.notes.get(behaviour, "").strip(),
            )
        )
    result = rules.attempt_result({i: decisions[i].result for i in attempt.items}, attempt.items)
    attempt.marking = Marking(
        assessor_id=assessor.id,
        result=result,
        feedback=feedback.strip(),
        declared=True,
        observed_on=observation.observed_on if behaviours else None,
        observed_minutes=rules.observed_minutes(observation.minutes) if behaviours else None,
        observation_context=observation.context.strip() if behaviours else None,
    )
    attempt.status = SATISFACTORY if result == rules.S else NOT_SATISFACTORY
    db.session.flush()
    record(
        assessor.id,
        "attempt.marked",
        f"attempt:{attempt.id}",
        learner_id=attempt.enrolment.learner_id,
        before={"status": SUBMITTED},
        after={
            "status": attempt.status,
            "task": task.id,
            "number": attempt.number,
            "items": {i: decisions[i].result for i in attempt.items},
            "observed": {b: observation.observed[b] for b in behaviours},
        },
    )


def revise(attempt: Attempt, item_id: str, assessor: User, result: str, reason: str) -> Judgement:
    """Change a released judgement by a new, reasoned decision; the original stays on record."""
    current = _standing(attempt, item_id)
    if current is None or attempt.marking is None:
        raise Problems({"": "Only a released judgement can be revised."})
    if result not in (rules.S, rules.NYS) or not reason.strip():
        raise Problems({"": "Choose the new result and give the reason for the revision."})
    revision = Judgement(
        item_id=item_id,
        result=result,
        comment=current.comment,
        assessor_id=assessor.id,
        revises_id=current.id,
        reason=reason.strip(),
    )
    attempt.judgements.append(revision)
    before = attempt.status
    standing = {i: _standing(attempt, i).result for i in attempt.items}
    attempt.status = (
        SATISFACTORY if rules.attempt_result(standing, attempt.items) == rules.S else NOT_SATISFACTORY
    )
    db.session.flush()
    record(
        assessor.id,
        "judgement.revised",
        f"attempt:{attempt.id}",
        learner_id=attempt.enrolment.learner_id,
        before={"item": item_id, "result": current.result, "status": before},
        after={"item": item_id, "result": result, "status": attempt.status, "reason": reason.strip()},
    )
    return revision


def _standing(attempt: Attempt, item_id: str) -> Judgement | None:
    mine = [j for j in attempt.judgements if j.item_id == item_id]
    return mine[-1] if mine else None


def reopen(enrolment: Enrolment, task: TaskTool, by: User, reason: str, note: str) -> Reopening:
    """Grant one more attempt past the cap, for a recorded reason."""
    if reason not in rules.REOPEN_REASONS:
        raise Problems({"reason": "Choose the reason for reopening."})
    reopening = Reopening(
        enrolment_id=enrolment.id, task_id=task.id, reason=reason, note=note.strip(), granted_by_id=by.id
    )
    db.session.add(reopening)
    db.session.flush()
    record(
        by.id,
        "task.reopened",
        f"enrolment:{enrolment.id}",
        learner_id=enrolment.learner_id,
        after={"task": task.id, "reason": reason, "note": note.strip()},
    )
    return reopening


def record_outcome(
    enrolment: Enrolment,
    by: User,
    code: str,
    proposal: rules.Proposal,
    declared: bool,
    evidence: str = "",
    note: str = "",
    end_date: dt.date | None = None,
) -> Outcome:
    """Record the unit outcome: C or NYC only as the rules propose; RPL, CT and withdrawal by an admin."""
    problems = {}
    if code not in rules.OUTCOMES:
        problems["code"] = "Choose an outcome."
    elif code in rules.ADMIN_CODES and not by.is_admin:
        problems["code"] = "Only an administrator records RPL, credit transfer or withdrawal."
    elif code in ("20", "30") and proposal.code != code:
        problems["code"] = "The evidence does not support this outcome yet: " + " ".join(proposal.reasons)
    if code in ("51", "52", "60") and not evidence.strip():
        problems["evidence"] = (
            "Describe the evidence this decision rests on (e.g. the certificate or RPL portfolio)."
        )
    if not declared:
        problems["declaration"] = "Tick the declaration."
    if problems:
        raise Problems(problems)
    outcome = Outcome(
        enrolment_id=enrolment.id,
        code=code,
        decided_by_id=by.id,
        declaration=True,
        evidence=evidence.strip(),
        note=note.strip(),
        end_date=(end_date or local_today()) if code not in ("70", "85") else None,
    )
    db.session.add(outcome)
    db.session.flush()
    record(
        by.id,
        "outcome.recorded",
        f"enrolment:{enrolment.id}",
        learner_id=enrolment.learner_id,
        after={
            "unit": enrolment.unit_code,
            "code": code,
            "meaning": rules.outcome_meaning(code),
            "evidence": evidence.strip(),
        },
    )
    return outcome
