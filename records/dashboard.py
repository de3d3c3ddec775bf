"""The administrator's dashboard: people, what needs doing, and how training is going."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select

from accounts.access import role_required
from accounts.models import Cohort, Enrolment, User
from assessments.rules import OUTCOMES
from content import default_catalogue
from database import db, rto_zone

from . import reports
from .certificates import awaiting

bp = Blueprint("dashboard", __name__)
DUE_SHOWN = 10  # the most overdue certificates; the register lists them all


@bp.route("/admin/")
@role_required("admin")
def dashboard():
    counts = {
        "learners": db.session.scalar(select(func.count()).where(User.is_learner)),
        "staff": db.session.scalar(select(func.count()).where(User.is_assessor)),
        "cohorts": db.session.scalar(select(func.count()).select_from(Cohort)),
        "enrolments": db.session.scalar(select(func.count()).select_from(Enrolment)),
        "awaiting_marking": reports.awaiting_marking(),
    }
    due = awaiting(rto_zone(), per_page=DUE_SHOWN)
    return render_template(
        "records/dashboard.html",
        counts=counts,
        units=default_catalogue().values(),
        due=due,
        outcomes=reports.outcomes_per_unit(),
        outcome_names=OUTCOMES,
        days=reports.days_to_competence(),
        weak=reports.most_often_not_yet_satisfactory(),
        turnaround=reports.marking_turnaround(),
    )
