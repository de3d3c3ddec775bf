"""Trainer pages: which module sections teach each requirement, and learners' progress by cohort."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select

from accounts.access import role_required
from accounts.models import Cohort, Enrolment
from content import default_content
from database import db

from . import progress

bp = Blueprint("teach", __name__, url_prefix="/teach")


@bp.route("/units/<code>/coverage")
@role_required("assessor", "admin")
def coverage(code: str):
    content = default_content()
    unit = content.catalogue.get(code)
    if unit is None:
        abort(404)
    modules = content.library.modules(code)
    cells = {
        (rid, m.id): [s for s in m.sections if rid in s.covers]
        for m in modules
        for rid in unit.requirements_by_id
    }
    return render_template("courseware/coverage.html", unit=unit, modules=modules, cells=cells)


@bp.route("/cohorts/<int:cohort_id>/progress")
@role_required("assessor", "admin")
def cohort_progress(cohort_id: int):
    cohort = db.get_or_404(Cohort, cohort_id)
    if not (current_user.is_admin or current_user in cohort.staff):
        abort(403)
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.cohort_id == cohort.id)).all()
    rows = progress.progress_rows(u.id for u in cohort.learners)
    library = default_content().library
    table = {
        (e.learner_id, e.unit_code): progress.summarise(
            library.modules(e.unit_code),
            [r for r in rows if (r.learner_id, r.unit_code) == (e.learner_id, e.unit_code)],
        )
        for e in enrolments
    }
    last_seen = {}
    for row in rows:
        last_seen[row.learner_id] = max(last_seen.get(row.learner_id, row.seen_at), row.seen_at)
    units = sorted({e.unit_code for e in enrolments})
    return render_template(
        "courseware/cohort_progress.html", cohort=cohort, units=units, table=table, last_seen=last_seen
    )
