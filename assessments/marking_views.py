"""Assessor pages: the marking queue and the one-screen marking of an attempt."""

from __future__ import annotations

import datetime as dt
import time
from functools import cache

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Integer, Row, Select, bindparam, func, or_, select
from sqlalchemy.orm.exc import StaleDataError

from accounts.access import role_required
from accounts.models import Cohort, Enrolment, User, cohort_staff
from audit.trail import head_seq
from content import default_content
from database import db, stored_int
from templating import macros, rendered_once
from units.catalogue import Unit

from . import rules, screen_records
from .attempts import Problems
from .marking import Conflict, ObservationRecord, mark_attempt, revise
from .models import SUBMITTED, Attempt
from .screen_records import Markable
from .standing import evidence_points, task_states
from .tools import TaskTool

bp = Blueprint("marking", __name__, url_prefix="/marking")
PAGE_SIZE = 25
# What a queue row shows, read as plain columns: no objects are built for a list of 25 links. The names
# are looked up row by row rather than joined: PostgreSQL plans that in a quarter of the time of the
# five-table join (0.22 against 0.83 ms on 10,000 learners), which outweighs the lookups it makes for
# the rows a deep page skips (page 200: 30 against 22 ms; SQLite is faster at every depth).
QUEUE_ROW = (
    Attempt.id,
    Attempt.task_id,
    Attempt.number,
    Attempt.submitted_at,
    select(User.full_name)
    .where(User.id == Enrolment.learner_id)
    .correlate(Enrolment)
    .scalar_subquery()
    .label("learner"),
    select(Cohort.name)
    .where(Cohort.id == Enrolment.cohort_id)
    .correlate(Enrolment)
    .scalar_subquery()
    .label("cohort"),
    Enrolment.unit_code,
)
KEPT_SECONDS, KEPT_MAX = 60, 1024
PARTS_KEPT = 4096  # filter forms' and rows' HTML kept, each a few KB at most


def _awaiting(columns: tuple, shape: frozenset[str]) -> Select:
    """Submitted attempts in the assessor's cohorts (all, for an admin) that pass the filters in `shape`
    (see _shape); the values are bound when it runs (_values). The learner's row is joined only to
    search by name."""
    query = (
        select(*columns)
        .select_from(Attempt)
        .join(Enrolment, Attempt.enrolment_id == Enrolment.id)
        .where(Attempt.status == SUBMITTED)
    )
    if "staff" in shape:
        mine = select(cohort_staff.c.cohort_id).where(cohort_staff.c.user_id == bindparam("user_id"))
        query = query.where(Enrolment.cohort_id.in_(mine))
    if "unit" in shape:
        query = query.where(Enrolment.unit_code == bindparam("unit"))
    if "task" in shape:
        query = query.where(Attempt.task_id == bindparam("task"))
    if "cohort" in shape:
        query = query.where(Enrolment.cohort_id == bindparam("cohort"))
    if "learner" in shape:
        like = bindparam("like")
        query = query.join(User, Enrolment.learner_id == User.id).where(
            or_(
                func.lower(User.family_name).like(like),
                func.lower(User.given_names).like(like),
                func.lower(User.email).like(like),
            )
        )
    return query


def _shape(filters: dict) -> frozenset[str]:
    """Which conditions the assessor's queue has: the filters set, and "staff" for any but an admin."""
    shape = {key for key, value in filters.items() if value}
    return frozenset(shape if current_user.is_admin else shape | {"staff"})


def _values(filters: dict, **more: int) -> dict:
    """The values a statement from _awaiting binds (it ignores those its shape does not use)."""
    return filters | {"user_id": current_user.id, "like": f"%{filters['learner'].lower()}%", **more}


@cache
def _page_statement(shape: frozenset[str]) -> Select:
    """A page of the queue, oldest first. Built once per shape (at most 32): a statement reused is not
    built or keyed again on each request (0.2 ms of the page's 3). The limit and offset are written
    into the SQL when it runs: PostgreSQL plans the join faster when it knows them."""
    return (
        _awaiting(QUEUE_ROW, shape)
        .order_by(Attempt.submitted_at, Attempt.id)
        .limit(bindparam("limit", type_=Integer, literal_execute=True))
        .offset(bindparam("offset", type_=Integer, literal_execute=True))
    )


@bp.route("")
@role_required("assessor", "admin")
def queue():
    filters = {key: request.args.get(key, "").strip() for key in ("unit", "task", "learner")}
    filters["cohort"] = request.args.get("cohort", type=stored_int)
    by_unit, cohorts = _summary(filters)
    total = by_unit.get(filters["unit"], 0) if filters["unit"] else sum(by_unit.values())
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(request.args.get("page", 1, type=stored_int), 1), pages)
    place = _values(filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    rows = db.session.connection().execute(_page_statement(_shape(filters)), place).all()
    return render_template(
        "assessments/queue.html",
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        by_unit=by_unit,
        **queue_parts(rows, filters, cohorts),
    )


def queue_parts(rows: list[Row], filters: dict, cohorts: list[Row]) -> dict:
    """The filter form's and each row's HTML, kept by everything they show. They were most of the page's
    template work (the form 0.5 ms, the rows 0.7 of 3.4), and an assessor comes back to the queue after
    every attempt marked to find the same filters and most rows as they were. What changes has a new
    key; the app's content (the tasks' titles) is fixed for the life of the process."""
    parts, packs, root = macros("assessments/_queue_parts.html"), default_content().packs, request.script_root
    form_key = (tuple(filters.items()), tuple(map(tuple, cohorts)), root)
    return {
        "filter_form": rendered_once(
            "marking_queue_forms",
            form_key,
            lambda: parts.filter_form(filters, cohorts, default_content()),
            keep=PARTS_KEPT,
        ),
        "rows": [
            rendered_once(
                "marking_queue_rows",
                (tuple(row), root),
                lambda row=row: parts.queue_row(row, packs[row.unit_code].task(row.task_id)),
                keep=PARTS_KEPT,
            )
            for row in rows
        ],
    }


def _summary(filters: dict) -> tuple[dict[str, int], list[Row]]:
    """Awaiting attempts per unit under every filter but the unit's (one query gives the total too),
    and the cohorts the assessor may filter by.

    Counting runs over every awaiting attempt, so the app keeps both until the audit trail moves on
    (every submission, judgement, reopening and purge is audited) or the minute turns (cohort and staff
    changes, which are not audited, show within a minute).
    """
    filters = filters | {"unit": ""}
    key = (current_user.id, tuple(sorted(filters.items())), head_seq(), int(time.time() // KEPT_SECONDS))
    kept = current_app.extensions.setdefault("marking_queue_summary", {})
    if key not in kept:
        if len(kept) >= KEPT_MAX:
            kept.clear()  # old keys are dead (the trail or the minute moved on): start afresh
        counts = _awaiting((Enrolment.unit_code, func.count()), _shape(filters)).group_by(Enrolment.unit_code)
        cohorts = select(Cohort.id, Cohort.name).order_by(Cohort.name)
        if not current_user.is_admin:
            cohorts = cohorts.join(cohort_staff).where(cohort_staff.c.user_id == current_user.id)
        kept[key] = (
            dict(db.session.execute(counts, _values(filters)).all()),
            db.session.execute(cohorts).all(),
        )
    by_unit, cohorts = kept[key]
    return dict(by_unit), cohorts


def _markable(attempt_id: int) -> Attempt:
    """The attempt, to change it, if the user may mark it."""
    attempt = db.get_or_404(Attempt, attempt_id)
    if not attempt.enrolment.is_assessed_by(current_user):
        abort(403)
    return attempt


def _shown(attempt_id: int) -> Markable:
    """The attempt as the screen shows it, if the user may mark it."""
    shown = screen_records.markable(attempt_id, current_user.id)
    if shown is None:
        abort(404)
    if not current_user.may_assess(shown.enrolment.on_staff):
        abort(403)
    return shown


@bp.route("/attempts/<int:attempt_id>")
@role_required("assessor", "admin")
def attempt(attempt_id: int):
    return _screen(_shown(attempt_id))


def _screen(markable: Markable, problems: dict | None = None, status: int = 200):
    content = default_content()
    attempt, enrolment = markable.attempt, markable.enrolment
    unit, pack = content.catalogue[enrolment.unit_code], content.packs[enrolment.unit_code]
    states = task_states(enrolment.id, pack, current_app.config["MAX_ATTEMPTS"], markable.attempts)
    task = pack.task(attempt.task_id)
    points = evidence_points(states)
    earlier = {rid for _, other, _, maps, ok in points if ok and other.id != attempt.id for rid in maps}
    released = {rid for _, other, _, maps, ok in points if ok and other.id == attempt.id for rid in maps}
    task_maps = {rid for _, maps in task.evidence_points() for rid in maps}
    page = render_template(
        "assessments/mark.html",
        attempt=attempt,
        answers=screen_records.answers(attempt.id),
        task=task,
        state=states[task.id],
        unit=unit,
        learner_name=enrolment.learner_name,
        earlier=earlier,
        released=released,
        picture=_picture(
            unit, tuple(r.id for r in unit.requirements if r.id in task_maps), earlier, released
        ),
        problems=problems or {},
        typed=request.form if problems else {},
        minutes_allowed=rules.OBSERVED_MINUTES,
        parts=marking_parts(unit, task),
    )
    return page, status


def marking_parts(unit: Unit, task: TaskTool) -> dict[str, dict[str, Markup]]:
    """The marking screen's parts that are the same for every attempt at the task, as HTML by item or
    behaviour id: headings with their requirement chips, questions, marking guides and blank judgements.
    They were most of the screen's template work, so each app renders them once per task."""

    def render() -> dict[str, dict[str, Markup]]:
        parts = macros("assessments/_mark_parts.html")
        found = {
            b.id: {"head": parts.behaviour_head(unit, b, n), "form": parts.behaviour_form(b, n, {}, {})}
            for n, b in enumerate(task.observation, 1)
        }
        for item in task.items:
            label = task.labels[item.id]
            found[item.id] = {
                "head": parts.item_head(unit, item, label),
                "prompt": parts.item_prompt(item, label.number),
                "guide": parts.item_guide(item, label.number),
                "form": parts.item_form(item, label, {}, {}),
            }
        return found

    return rendered_once("marking_parts", (unit.code, task.id), render)


def _picture(unit: Unit, mapped: tuple[str, ...], earlier: set[str], released: set[str]) -> Markup:
    """The requirements the task evidences, each marked by the learner's evidence so far: the same for
    every learner whose evidence for them stands the same, so kept by that (0.08 of the screen's 3.4 ms)."""
    key = (
        unit.code,
        mapped,
        frozenset(earlier.intersection(mapped)),
        frozenset(released.intersection(mapped)),
    )
    picture = macros("assessments/_mark_parts.html").requirement_picture
    return rendered_once(
        "marking_pictures", key, lambda: picture(unit, mapped, earlier, released), keep=PARTS_KEPT
    )


@bp.route("/attempts/<int:attempt_id>", methods=["POST"])
@role_required("assessor", "admin")
def release(attempt_id: int):
    attempt = _markable(attempt_id)
    task = default_content().packs[attempt.enrolment.unit_code].task(attempt.task_id)
    form = request.form
    decisions = {
        i: rules.Decision(form.get(f"result-{i}"), form.get(f"comment-{i}", "")) for i in attempt.items
    }
    seen = {b.id: {"yes": True, "no": False}.get(form.get(f"observed-{b.id}", "")) for b in task.observation}
    observation = ObservationRecord(
        seen,
        {b.id: form.get(f"note-{b.id}", "") for b in task.observation},
        _date(form.get("observed_on")),
        form.get("observed_minutes", ""),
        form.get("observation_context", ""),
    )
    try:
        mark_attempt(
            attempt,
            task,
            current_user,
            decisions,
            observation,
            form.get("feedback", ""),
            form.get("declaration") == "yes",
            form.get("version", type=stored_int) or 0,
        )
        db.session.commit()
    except Problems as refused:
        db.session.rollback()
        return _screen(_shown(attempt_id), refused.by_item, 422)
    except (Conflict, StaleDataError) as conflict:
        db.session.rollback()
        message = str(conflict) if isinstance(conflict, Conflict) else "Another assessor saved first."
        flash(f"{message} Nothing you entered was saved; review their judgement below.", "error")
        return _screen(_shown(attempt_id), status=409)
    flash(f"Judgement released to {attempt.enrolment.learner.full_name}.", "success")
    return redirect(url_for(".queue"))


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/attempts/<int:attempt_id>/items/<item_id>/revise", methods=["POST"])
@role_required("assessor", "admin")
def revise_item(attempt_id: int, item_id: str):
    attempt = _markable(attempt_id)
    if item_id not in attempt.items:
        abort(404)
    try:
        revise(attempt, item_id, current_user, request.form.get("result", ""), request.form.get("reason", ""))
        db.session.commit()
    except Problems as refused:
        db.session.rollback()
        flash(" ".join(refused.by_item.values()), "error")
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    flash(f"Revised the judgement of {item_id}; the original stays on record.", "success")
    return redirect(url_for(".attempt", attempt_id=attempt.id))
