"""Administrators read the audit trail, filtered by learner and action."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import aliased

from accounts.access import role_required
from accounts.models import User
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
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    chosen = db.session.get(User, learner_id) if learner_id else None
    return render_template(
        "audit/trail.html",
        rows=[(*row, changes(row[0].before, row[0].after)) for row in rows[:PAGE_SIZE]],
        has_next=len(rows) > PAGE_SIZE,
        page=page,
        actions=actions,
        action=action,
        learner=chosen,
    )
