"""Drafting and submitting attempts. Functions flush but never commit: each request commits once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from sqlalchemy import select

from accounts.models import Enrolment, User
from audit.trail import record
from database import db, utcnow
from storage import LocalStore

from . import uploads
from .models import DRAFT, NOT_SATISFACTORY, SUBMITTED, Attempt, EvidenceFile, Response
from .tools import TaskTool


class NotOpen(Exception):
    """The task cannot be worked on now (awaiting marking, satisfactory, or out of attempts)."""


@dataclass
class Problems(Exception):
    """What stops a save or a submission, by item id ('' for the whole attempt)."""

    by_item: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(self.by_item.values())


@dataclass(frozen=True)
class Upload:
    item_id: str
    filename: str
    stream: BinaryIO
    size: int


@dataclass(frozen=True)
class Limits:
    document_bytes: int
    recording_bytes: int


def attempts_of(enrolment_id: int, task_id: str | None = None) -> list[Attempt]:
    query = (
        select(Attempt).where(Attempt.enrolment_id == enrolment_id).order_by(Attempt.task_id, Attempt.number)
    )
    if task_id:
        query = query.where(Attempt.task_id == task_id)
    return list(db.session.scalars(query))


def open_draft(enrolment: Enrolment, task: TaskTool, items_to_redo: Iterable[str] | None = None) -> Attempt:
    """The task's current draft, or a new attempt when the learner may start (or resubmit) one."""
    previous = attempts_of(enrolment.id, task.id)
    latest = previous[-1] if previous else None
    if latest and latest.is_draft:
        return latest
    if latest and latest.status != NOT_SATISFACTORY:
        raise NotOpen("This task has been submitted. You can work on it again only if it is returned to you.")
    if latest and not items_to_redo:
        raise NotOpen("This task is not open for resubmission.")
    items = list(items_to_redo) if latest else list(task.item_ids)
    attempt = Attempt(
        enrolment=enrolment, task_id=task.id, number=(latest.number + 1 if latest else 1), items=items
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def save_draft(
    attempt: Attempt,
    task: TaskTool,
    texts: dict[str, str],
    new_files: list[Upload],
    store: LocalStore,
    limits: Limits,
) -> list[str]:
    """Save answers and files to a draft. Returns the stored names written, for clean-up on failure."""
    if not attempt.is_draft:
        raise NotOpen("This attempt has been submitted and can no longer be changed.")
    items = {item.id: item for item in task.items if item.id in attempt.items}
    for item_id, text in texts.items():
        if item_id in items:
            _set_text(attempt, item_id, text)
    written: list[str] = []
    try:
        for upload in new_files:
            written.append(_store_file(attempt, items, upload, store, limits))
    except BaseException:
        for name in written:
            store.delete(name)
        raise
    attempt.saved_at = utcnow()
    db.session.flush()
    return written


def _set_text(attempt: Attempt, item_id: str, text: str) -> None:
    response = next((r for r in attempt.responses if r.item_id == item_id), None)
    if response is None:
        attempt.responses.append(Response(item_id=item_id, text=text))
    elif response.text != text:
        response.text = text


def _store_file(attempt: Attempt, items: dict, upload: Upload, store: LocalStore, limits: Limits) -> str:
    item = items.get(upload.item_id)
    if item is None or not item.takes_files:
        raise Problems({upload.item_id: "This question does not take files."})
    try:
        accepted = uploads.check(
            upload.filename,
            upload.stream,
            upload.size,
            recording=item.response == "recording",
            document_limit=limits.document_bytes,
            recording_limit=limits.recording_bytes,
            video_only=item.video_only,
        )
        media = accepted.content_type.startswith(("audio/", "video/"))
        stored = store.save(upload.stream, limit=limits.recording_bytes if media else limits.document_bytes)
    except uploads.Rejected as rejected:
        raise Problems({item.id: str(rejected)}) from rejected
    attempt.files.append(
        EvidenceFile(
            item_id=item.id,
            original_name=accepted.name,
            stored_name=stored.name,
            content_type=accepted.content_type,
            size=stored.size,
            sha256=stored.sha256,
        )
    )
    return stored.name


def remove_file(attempt: Attempt, file_id: int) -> EvidenceFile:
    if not attempt.is_draft:
        raise NotOpen("This attempt has been submitted and can no longer be changed.")
    evidence = next((f for f in attempt.files if f.id == file_id), None)
    if evidence is None:
        raise Problems({"": "That file is not part of this draft."})
    attempt.files.remove(evidence)
    db.session.flush()
    return evidence


def missing(attempt: Attempt, task: TaskTool) -> dict[str, str]:
    """Items of the attempt still unanswered, with what each needs."""
    gaps = {}
    for item in task.items:
        if item.id not in attempt.items:
            continue
        has_text = bool(attempt.text_for(item.id).strip())
        has_file = bool(attempt.files_for(item.id))
        if item.response == "text" and not has_text:
            gaps[item.id] = "Write your answer."
        elif item.response == "file" and not has_file:
            gaps[item.id] = "Attach your file."
        elif item.response == "text_or_file" and not (has_text or has_file):
            gaps[item.id] = "Write your answer or attach a file."
        elif item.response == "recording" and not (has_file or has_text):
            gaps[item.id] = "Attach your recording, or give the date of the live observation you booked."
    return gaps


def submit(attempt: Attempt, task: TaskTool, learner: User, declaration_name: str, declared: bool) -> None:
    """Submit a complete draft with the learner's declaration; it is immutable from then on."""
    problems = missing(attempt, task)
    if not declared:
        problems["declaration"] = "Tick the declaration that this is your own work."
    if " ".join(declaration_name.split()).casefold() != " ".join(learner.full_name.split()).casefold():
        problems["declaration_name"] = f"Type your full name as your RTO has it: {learner.full_name}."
    if problems:
        raise Problems(problems)
    attempt.status, attempt.submitted_at, attempt.declaration_name = (
        SUBMITTED,
        utcnow(),
        declaration_name.strip(),
    )
    db.session.flush()
    files = [
        {"item": f.item_id, "name": f.original_name, "sha256": f.sha256, "size": f.size}
        for f in attempt.files
    ]
    record(
        learner.id,
        "attempt.submitted",
        f"attempt:{attempt.id}",
        learner_id=learner.id,
        before={"status": DRAFT},
        after={"status": SUBMITTED, "task": task.id, "number": attempt.number, "files": files},
    )
