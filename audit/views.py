"""Administrators read the audit trail, filtered by learner and action."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import aliased

from accounts.access import role_required
from accounts.models import Enrolment, User
from assessments.models import Attempt
from content import default_content
from database import db, stored_int

from .changes import changes
from .models import AuditEvent

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PAGE_SIZE = 50


@bp.route("")
@role_required("admin")
def trail():
    learner_id = request.args.get("learner", type=stored_int)
    action = request.args.get("action", "").strip()
    actor, learner = aliased(User), aliased(User)
    query = (
        select(AuditEvent, actor, learner)
        .outerjoin(actor, AuditEvent.actor_id == actor.id)
        .outerjoin(learner, AuditEvent.learner_id == learner.id)
        .order_by(AuditEvent.seq.desc())
    )
    if learner_id:
        query = query.where(AuditEvent.learner_id == learner_id)
    if action:
        query = query.where(AuditEvent.action == action)
    page = max(request.args.get("page", 1, type=stored_int), 1)
    rows = db.session.execute(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    has_next = len(rows) > PAGE_SIZE
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    chosen = db.session.get(User, learner_id) if learner_id else None
    rows = rows[:PAGE_SIZE]
    names = _attempt_names([event for event, *_ in rows])
    return render_template(
        "audit/trail.html",
        rows=[(*row, changes(row[0].before, row[0].after, names.get(row[0].subject))) for row in rows],
        has_next=has_next,
        page=page,
        actions=actions,
        action=action,
        learner=chosen,
    )


def _attempt_names(events: list[AuditEvent]) -> dict[str, dict[str, str]]:
    """For each "attempt:N" subject on the page, its task's title and its items' and behaviours' labels
    by id ("Question 3"), in one query: the trail records ids, people read names."""
    ids = {int(e.subject.split(":")[1]) for e in events if e.subject.startswith("attempt:")}
    packs = default_content().packs
    found = db.session.execute(
        select(Attempt.id, Attempt.task_id, Enrolment.unit_code)
        .join(Attempt.enrolment)
        .where(Attempt.id.in_(ids))
    )
    names = {}
    for attempt_id, task_id, unit_code in found:
        task = packs[unit_code].task(task_id) if unit_code in packs else None
        if task is not None:
            labels = {point: label.number for point, label in task.labels.items()}
            names[f"attempt:{attempt_id}"] = labels | {task.id: task.title}
    return names
