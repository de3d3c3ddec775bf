"""Learner pages: a unit's assessment tasks, working on a task, the submission receipt, evidence files."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from accounts.access import role_required
from accounts.models import Enrolment
from content import default_content
from database import db
from extensions import DOWNLOAD_POLICY, talisman
from storage import LocalStore, StorageFull

from . import attempts as work
from .models import Attempt, EvidenceFile
from .rules import OUTCOMES
from .standing import current_outcome, items_to_redo, task_states
from .tools import TaskTool

bp = Blueprint("assessments", __name__)


def store() -> LocalStore:
    return LocalStore(current_app.config["UPLOAD_DIR"])


def limits() -> work.Limits:
    mb = 1024 * 1024
    config = current_app.config
    return work.Limits(config["UPLOAD_MAX_MB"] * mb, config["RECORDING_MAX_MB"] * mb)


def _my_enrolment(code: str) -> Enrolment:
    if code not in default_content().catalogue:
        abort(404)
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.learner_id == current_user.id, Enrolment.unit_code == code)
    )
    if enrolment is None:
        abort(403)
    return enrolment


def _task(code: str, task_id: str) -> TaskTool:
    pack = default_content().packs.get(code)
    task = pack.task(task_id) if pack else None
    if task is None:
        abort(404)
    return task


@bp.route("/learn/<code>/tasks")
@role_required("learner")
def tasks(code: str):
    enrolment = _my_enrolment(code)
    states = task_states(enrolment.id, default_content().packs[code], current_app.config["MAX_ATTEMPTS"])
    return render_template(
        "assessments/tasks.html",
        unit=default_content().catalogue[code],
        states=states,
        pack=default_content().packs[code],
        enrolment=enrolment,
        outcome=current_outcome(enrolment.id),
        outcomes=OUTCOMES,
    )


@bp.route("/learn/<code>/tasks/<task_id>", methods=["GET"])
@role_required("learner")
def task(code: str, task_id: str):
    enrolment, task = _my_enrolment(code), _task(code, task_id)
    return _render_task(enrolment, task)


def _render_task(enrolment: Enrolment, task: TaskTool, problems: dict | None = None, status: int = 200):
    pack = default_content().packs[enrolment.unit_code]
    state = task_states(enrolment.id, pack, current_app.config["MAX_ATTEMPTS"])[task.id]
    page = render_template(
        "assessments/task.html",
        unit=default_content().catalogue[enrolment.unit_code],
        task=task,
        state=state,
        draft=state.draft,
        problems=problems or {},
        typed=request.form if problems else {},
        limits=limits(),
    )
    return page, status


@bp.route("/learn/<code>/tasks/<task_id>", methods=["POST"])
@role_required("learner")
def save(code: str, task_id: str):
    """Save the draft (action=save, also sent by autosave) or submit it (action=submit), all or nothing."""
    enrolment, task = _my_enrolment(code), _task(code, task_id)
    submitting = request.form.get("action") == "submit"
    written: list[str] = []
    try:
        redo = items_to_redo(
            enrolment, task, default_content().packs[code], current_app.config["MAX_ATTEMPTS"]
        )
        attempt = work.open_draft(enrolment, task, redo)
        texts = {
            key.removeprefix("text-"): value for key, value in request.form.items() if key.startswith("text-")
        }
        written = work.save_draft(attempt, task, texts, _uploads(), store(), limits())
        if submitting:
            work.submit(
                attempt,
                task,
                current_user,
                request.form.get("declaration_name", ""),
                request.form.get("declaration") == "yes",
            )
        db.session.commit()
    except (work.Problems, work.NotOpen, StorageFull) as problem:
        db.session.rollback()
        for name in written:
            store().delete(name)
        return _refused(enrolment, task, problem)
    except BaseException:
        db.session.rollback()
        for name in written:
            store().delete(name)
        raise
    if request.accept_mimetypes.best == "application/json":
        return {"saved_at": attempt.saved_at.isoformat()}
    if submitting:
        return redirect(url_for(".receipt", attempt_id=attempt.id))
    flash("Your draft is saved.", "success")
    return redirect(url_for(".task", code=code, task_id=task.id))


def _refused(enrolment: Enrolment, task: TaskTool, problem: Exception):
    if isinstance(problem, work.Problems):
        by_item = problem.by_item
    elif isinstance(problem, StorageFull):
        by_item = {
            "": "The server could not store your files because its disk is full. Nothing was saved; "
            "please try again later and tell your RTO."
        }
    else:
        by_item = {"": str(problem)}
    if request.accept_mimetypes.best == "application/json":
        return {"problems": by_item}, 409 if isinstance(problem, work.NotOpen) else 422
    return _render_task(enrolment, task, problems=by_item or {"": str(problem)}, status=422)


def _uploads() -> list[work.Upload]:
    found = []
    for key, storage in request.files.items(multi=True):
        if key.startswith("file-") and storage.filename:
            size = storage.seek(0, 2) or storage.tell()
            storage.seek(0)
            found.append(work.Upload(key.removeprefix("file-"), storage.filename, storage.stream, size))
    return found


@bp.route("/learn/<code>/tasks/<task_id>/files/<int:file_id>/remove", methods=["POST"])
@role_required("learner")
def remove_file(code: str, task_id: str, file_id: int):
    enrolment, task = _my_enrolment(code), _task(code, task_id)
    history = work.attempts_of(enrolment.id, task.id)
    if not history:
        abort(404)
    try:
        removed = work.remove_file(history[-1], file_id)
    except (work.Problems, work.NotOpen) as problem:
        db.session.rollback()
        return _refused(enrolment, task, problem)
    db.session.commit()
    store().delete(removed.stored_name)
    flash(f"Removed {removed.original_name}.", "success")
    return redirect(url_for(".task", code=code, task_id=task.id))


@bp.route("/attempts/<int:attempt_id>/receipt")
@role_required("learner", "assessor", "admin")
def receipt(attempt_id: int):
    attempt = db.get_or_404(Attempt, attempt_id)
    if not attempt.can_be_seen_by(current_user) or attempt.is_draft:
        abort(403 if not attempt.can_be_seen_by(current_user) else 404)
    task = _task(attempt.enrolment.unit_code, attempt.task_id)
    return render_template(
        "assessments/receipt.html",
        attempt=attempt,
        task=task,
        unit=default_content().catalogue[attempt.enrolment.unit_code],
    )


@bp.route("/evidence/<int:file_id>")
@role_required("learner", "assessor", "admin")
@talisman(content_security_policy=DOWNLOAD_POLICY)
def evidence(file_id: int):
    """A learner's file, to them and their assessors only, always as a download (never rendered inline)."""
    evidence = db.get_or_404(EvidenceFile, file_id)
    if not evidence.attempt.can_be_seen_by(current_user):
        abort(403)
    response = send_file(
        store().path(evidence.stored_name),
        mimetype=evidence.content_type,
        as_attachment=True,
        download_name=evidence.original_name,
        conditional=True,
        etag=evidence.sha256,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
