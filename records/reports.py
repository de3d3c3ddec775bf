"""The numbers on the administrator's dashboard, each from one aggregate query."""

from __future__ import annotations

import statistics
from collections import Counter as Tally
from dataclasses import dataclass

from sqlalchemy import func, select

from accounts.models import Enrolment, User
from assessments.models import Attempt, Judgement, Marking, Outcome
from content import default_content
from database import db

from .certificates import latest_outcomes


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    note: str = ""


def outcomes_per_unit() -> dict[str, dict[str, int]]:
    """unit code → outcome code → number of enrolments whose current outcome it is ("70" = none yet)."""
    latest = latest_outcomes()
    rows = db.session.execute(
        select(Enrolment.unit_code, Outcome.code, func.count())
        .outerjoin(latest, latest.c.enrolment_id == Enrolment.id)
        .outerjoin(Outcome, Outcome.id == latest.c.outcome_id)
        .group_by(Enrolment.unit_code, Outcome.code)
    ).all()
    table: dict[str, dict[str, int]] = {}
    for unit, code, count in rows:
        counts = table.setdefault(unit, {})
        counts[code or "70"] = counts.get(code or "70", 0) + count
    return dict(sorted(table.items()))


def days_to_competence() -> list[Bar]:
    """Median days from enrolment to a Competent outcome, per unit."""
    latest = latest_outcomes()
    rows = db.session.execute(
        select(Enrolment.unit_code, Enrolment.start_date, Outcome.decided_at)
        .join(latest, latest.c.enrolment_id == Enrolment.id)
        .join(Outcome, Outcome.id == latest.c.outcome_id)
        .where(Outcome.code == "20")
    ).all()
    days: dict[str, list[int]] = {}
    for unit, start, decided in rows:
        days.setdefault(unit, []).append(max((decided.date() - start).days, 0))
    return [Bar(unit, statistics.median(v), f"{len(v)} learner(s)") for unit, v in sorted(days.items())]


def most_often_not_yet_satisfactory(limit: int = 10) -> list[Bar]:
    """The requirements whose items are most often judged Not Yet Satisfactory: where teaching can improve."""
    rows = db.session.execute(
        select(Enrolment.unit_code, Attempt.task_id, Judgement.item_id, func.count())
        .join(Attempt, Attempt.id == Judgement.attempt_id)
        .join(Enrolment, Enrolment.id == Attempt.enrolment_id)
        .where(Judgement.result == "NYS")
        .group_by(Enrolment.unit_code, Attempt.task_id, Judgement.item_id)
    ).all()
    packs, tally = default_content().packs, Tally()
    for unit, task_id, item_id, count in rows:
        task = packs[unit].task(task_id) if unit in packs else None
        for item in task.items if task else ():
            if item.id == item_id:
                tally.update({f"{unit} {'PC ' if r[0].isdigit() else ''}{r}": count for r in item.maps})
    return [Bar(label, count) for label, count in tally.most_common(limit)]


class Hours(float):
    """A number of hours that reads well however small: the chart draws the number and prints the text."""

    def __str__(self) -> str:
        if self * 60 < 1:
            return "under 1 min"
        if (minutes := round(self * 60)) < 60:
            return f"{minutes} min"
        return f"{self:.1f} h"


def marking_turnaround() -> list[Bar]:
    """Median hours from submission to released judgement, per assessor."""
    rows = db.session.execute(
        select(User.given_names, User.family_name, Attempt.submitted_at, Marking.decided_at)
        .join(Marking, Marking.attempt_id == Attempt.id)
        .join(User, User.id == Marking.assessor_id)
    ).all()
    hours: dict[str, list[float]] = {}
    for given, family, submitted, decided in rows:
        elapsed = (decided - submitted).total_seconds() / 3600
        hours.setdefault(f"{given} {family}".strip(), []).append(elapsed)
    return [Bar(who, Hours(statistics.median(h)), f"{len(h)} marked") for who, h in sorted(hours.items())]


def awaiting_marking() -> int:
    query = select(func.count()).select_from(Attempt).where(Attempt.status == "submitted")
    return db.session.scalar(query) or 0
