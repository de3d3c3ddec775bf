"""The evidence picture of one enrolment, where the unit outcome is decided and tasks are reopened."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from accounts.access import role_required
from accounts.models import Enrolment
from content import default_content
from database import db

from . import rules
from .attempts import Problems
from .marking import record_outcome, reopen
from .standing import current_outcome, evidence_points, proposal, task_states

bp = Blueprint("evidence", __name__, url_prefix="/enrolments")


def _enrolment(enrolment_id: int, *, staff_only: bool = False) -> Enrolment:
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    own = enrolment.learner_id == current_user.id and not staff_only
    if not (own or enrolment.is_assessed_by(current_user)):
        abort(403)
    return enrolment


def _picture(enrolment: Enrolment):
    content = default_content()
    unit, pack = content.catalogue[enrolment.unit_code], content.packs[enrolment.unit_code]
    states = task_states(enrolment.id, pack, current_app.config["MAX_ATTEMPTS"])
    rows = {r.id: [] for r in unit.requirements}
    for state, attempt, point_id, maps, ok in evidence_points(states):
        if ok:
            for rid in maps:
                rows[rid].append((state, attempt, point_id))
    return unit, states, rows, proposal(states, [r.id for r in unit.requirements])


@bp.route("/<int:enrolment_id>")
@role_required("learner", "assessor", "admin")
def enrolment(enrolment_id: int):
    return _render(_enrolment(enrolment_id))


def _render(enrolment: Enrolment, problems: dict | None = None, status: int = 200):
    unit, states, rows, proposed = _picture(enrolment)
    page = render_template(
        "assessments/evidence.html",
        enrolment=enrolment,
        unit=unit,
        states=states,
        rows=rows,
        proposed=proposed,
        outcome=current_outcome(enrolment.id),
        outcomes=rules.OUTCOMES,
        reasons=rules.REOPEN_REASONS,
        staff=enrolment.is_assessed_by(current_user),
        problems=problems or {},
        typed=request.form if problems else {},
    )
    return page, status


@bp.route("/<int:enrolment_id>/outcome", methods=["POST"])
@role_required("assessor", "admin")
def outcome(enrolment_id: int):
    enrolment = _enrolment(enrolment_id, staff_only=True)
    proposed = _picture(enrolment)[3]
    form = request.form
    try:
        record_outcome(
            enrolment,
            current_user,
            form.get("code", ""),
            proposed,
            form.get("declaration") == "yes",
            evidence=form.get("evidence", ""),
            note=form.get("note", ""),
        )
        db.session.commit()
    except Problems as refused:
        db.session.rollback()
        return _render(enrolment, refused.by_item, 422)
    flash(f"Recorded {rules.outcome_meaning(form['code'])} for {enrolment.learner.full_name}.", "success")
    return redirect(url_for(".enrolment", enrolment_id=enrolment.id))


@bp.route("/<int:enrolment_id>/tasks/<task_id>/reopen", methods=["POST"])
@role_required("assessor", "admin")
def reopen_task(enrolment_id: int, task_id: str):
    enrolment = _enrolment(enrolment_id, staff_only=True)
    task = default_content().packs[enrolment.unit_code].task(task_id)
    if task is None:
        abort(404)
    try:
        reopen(enrolment, task, current_user, request.form.get("reason", ""), request.form.get("note", ""))
        db.session.commit()
    except Problems as refused:
        db.session.rollback()
        return _render(enrolment, refused.by_item, 422)
    flash(f"Reopened {task.title}: {enrolment.learner.full_name} may make one more attempt.", "success")
    return redirect(url_for(".enrolment", enrolment_id=enrolment.id))
