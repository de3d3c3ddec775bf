"""Learner pages: My learning, a unit's modules, and the module page with its knowledge check."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Select, bindparam, select

from accounts.access import role_required
from accounts.models import Enrolment
from content import default_content
from database import db, writing
from templating import macros, rendered_once
from units.catalogue import Unit

from . import progress
from .models import ModuleProgress
from .modules import Module
from .render import render_module

bp = Blueprint("courseware", __name__, url_prefix="/learn")
READERS = ("learner", "assessor", "admin")  # staff read modules in preview, without progress
PARTS = ("contents", "reading", "questions", "prompts")  # the macros of courseware/_module_parts.html


@cache
def _enrolled_statement() -> Select:
    """Whether the learner is enrolled in the unit: built once, and asked as a plain row (a module page's
    own work is a millisecond, of which building this and going through the ORM took a tenth)."""
    return select(Enrolment.id).where(
        Enrolment.learner_id == bindparam("learner_id"), Enrolment.unit_code == bindparam("unit_code")
    )


def _unit_for_reader(code: str):
    """The unit, if the current user may read it: learners need an enrolment; staff may preview."""
    unit = default_content().catalogue.get(code)
    if unit is None:
        abort(404)
    if current_user.has_role("assessor", "admin"):
        return unit
    bound = {"learner_id": current_user.id, "unit_code": code}
    if db.session.connection().execute(_enrolled_statement(), bound).first() is None:
        abort(403)
    return unit


def _module(code: str, module_id: str) -> Module:
    module = default_content().library.module(code, module_id)
    if module is None:
        abort(404)
    return module


def _tracks_progress() -> bool:
    return current_user.is_learner and not current_user.has_role("assessor", "admin")


@bp.route("")
@role_required("learner")
def my_learning():
    content = default_content()
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.learner_id == current_user.id).order_by(Enrolment.unit_code)
    ).all()
    rows = progress.progress_rows([current_user.id])
    units = [(content.catalogue[e.unit_code], unit_progress(e.unit_code, rows)) for e in enrolments]
    return render_template("courseware/my_learning.html", units=units)


def unit_progress(code: str, rows: list) -> progress.UnitProgress:
    """Summarise one unit from progress rows that may span several units."""
    modules = default_content().library.modules(code)
    return progress.summarise(modules, [r for r in rows if r.unit_code == code])


@bp.route("/<code>")
@role_required(*READERS)
def unit(code: str):
    unit = _unit_for_reader(code)
    modules = default_content().library.modules(code)
    rows = progress.progress_rows([current_user.id], code) if _tracks_progress() else []
    return render_template(
        "courseware/unit.html", unit=unit, modules=modules, progress=progress.summarise(modules, rows)
    )


@bp.route("/<code>/<module_id>")
@role_required(*READERS)
def module(code: str, module_id: str):
    unit = _unit_for_reader(code)
    module = _module(code, module_id)
    state = None
    if _tracks_progress():
        rows = progress.progress_rows([current_user.id], code)
        state = next((row for row in rows if row.module_id == module.id), None)
        if progress.visit_changes_anything(rows, module):
            with writing():  # recorded for resume-where-I-left-off
                state = progress.visit(current_user.id, module)
    return _render_module(unit, module, state)


def _render_module(
    unit: Unit, module: Module, state: ModuleProgress | None, problem: str | None = None, status: int = 200
):
    attempt, attempts = progress.latest_check(current_user.id, module) if _tracks_progress() else (None, 0)
    code = unit.code
    modules = default_content().library.modules(code)
    index = modules.index(module)
    link_base = url_for(".module", code=code, module_id="")
    return render_template(
        "courseware/module.html",
        unit=unit,
        module=module,
        state=state,
        html=render_module(module, link_base),
        parts=reading_parts(unit, module, link_base),
        attempt=attempt,
        attempts=attempts,
        marks=progress.marks_of(attempt, module) if attempt else {},
        previous=modules[index - 1] if index else None,
        next=modules[index + 1] if index + 1 < len(modules) else None,
        problem=problem,
    ), status


def reading_parts(unit: Unit, module: Module, link_base: str) -> dict[str, Markup]:
    """The module page's parts that are the same for every reader (contents, reading, questions), as HTML.

    They are most of the page's template work, so each app renders them once per content version.
    """

    def render() -> dict[str, Markup]:
        html = render_module(module, link_base)
        parts = macros("courseware/_module_parts.html")
        arguments = {"contents": (module,), "reading": (unit, module, html)}
        return {name: getattr(parts, name)(*arguments.get(name, (module, html))) for name in PARTS}

    return rendered_once("module_reading_parts", (unit.code, module.digest, link_base), render)


@bp.route("/<code>/<module_id>/complete", methods=["POST"])
@role_required("learner")
def complete(code: str, module_id: str):
    _unit_for_reader(code)
    module = _module(code, module_id)
    done = request.form.get("complete") == "1"
    progress.set_complete(current_user.id, module, done)
    db.session.commit()
    flash("Module marked complete." if done else "Module marked as not complete.", "success")
    modules = default_content().library.modules(code)
    following = modules[modules.index(module) + 1 :]
    if done and following:
        return redirect(url_for(".module", code=code, module_id=following[0].id))
    return redirect(
        url_for(".unit", code=code) if done else url_for(".module", code=code, module_id=module.id)
    )


@bp.route("/<code>/<module_id>/position", methods=["POST"])
@role_required("learner")
def position(code: str, module_id: str):
    """Remember the section the learner is reading (sent by app.js as they scroll)."""
    _unit_for_reader(code)
    if not progress.save_position(current_user.id, _module(code, module_id), request.form.get("section", "")):
        abort(400)
    db.session.commit()
    return "", 204


@bp.route("/<code>/<module_id>/check", methods=["POST"])
@role_required("learner")
def check(code: str, module_id: str):
    unit = _unit_for_reader(code)
    module = _module(code, module_id)
    try:
        progress.record_check(current_user.id, module, request.form.to_dict(flat=False))
    except progress.NothingAnswered as refused:
        db.session.rollback()  # a blank check is no attempt: it would only give the sample answers away
        rows = progress.progress_rows([current_user.id], code)
        state = next((row for row in rows if row.module_id == module.id), None)
        return _render_module(unit, module, state, f"{refused} Nothing was saved.", 422)
    db.session.commit()
    return redirect(url_for(".module", code=code, module_id=module.id, _anchor="check-results"))
