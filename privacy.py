"""A learner's personal information: everything we hold about them (APP 12), and how long we keep it.

Retention follows the 2025 Standards: completed assessment evidence for 2 years after the learner
completes, certification records for 30 years. Functions flush but never commit, except `purge_all`,
which commits each enrolment's purge before deleting its files (the CLI and the admin page share it).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import Subquery, func, inspect, or_, select
from sqlalchemy.orm import joinedload

from accounts.models import Enrolment, User
from assessments.models import Attempt, EvidenceFile, Outcome, Response
from audit.models import AuditEvent
from audit.trail import record
from courseware.models import CheckAttempt, ModuleProgress
from database import db, local_today
from records.certificates import latest_outcomes
from records.models import Certificate
from storage import LocalStore

FINAL_OUTCOMES = ("20", "30", "40", "51", "52", "60")
PRIVATE_COLUMNS = {"password_hash", "session_token"}


def _row(obj) -> dict:
    """A model row as plain JSON-able values (secrets left out)."""
    values = {}
    for column in inspect(obj).mapper.column_attrs:
        if column.key not in PRIVATE_COLUMNS:
            value = getattr(obj, column.key)
            values[column.key] = value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
    return values


def learner_data(user: User) -> dict:
    """Everything the platform holds about one learner, as one JSON-able document."""
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.learner_id == user.id)).all()
    ids = [e.id for e in enrolments]
    attempts = db.session.scalars(select(Attempt).where(Attempt.enrolment_id.in_(ids))).all() if ids else []
    return {
        "user": _row(user),
        "learner_record": _row(user.learner) if user.learner else None,
        "enrolments": [_row(e) for e in enrolments],
        "outcomes": [
            _row(o) for o in db.session.scalars(select(Outcome).where(Outcome.enrolment_id.in_(ids)))
        ],
        "module_progress": [
            _row(p) for p in db.session.scalars(select(ModuleProgress).filter_by(learner_id=user.id))
        ],
        "knowledge_checks": [
            _row(c) for c in db.session.scalars(select(CheckAttempt).filter_by(learner_id=user.id))
        ],
        "attempts": [
            _row(a)
            | {
                "responses": [_row(r) for r in a.responses],
                "files": [_row(f) for f in a.files],
                "judgements": [_row(j) for j in a.judgements],
                "observations": [_row(o) for o in a.observations],
                "marking": _row(a.marking) if a.marking else None,
            }
            for a in attempts
        ],
        "certificates": [
            _row(c) | {"units": [_row(u) for u in c.units]}
            for c in db.session.scalars(select(Certificate).filter_by(learner_id=user.id))
        ],
        "audit_events": [
            _row(e) for e in db.session.scalars(select(AuditEvent).filter_by(learner_id=user.id))
        ],
    }


def export_zip(user: User, uploads: LocalStore, certificates: LocalStore) -> bytes:
    """A zip of the learner's data (data.json) with their evidence files and certificate PDFs."""
    data = learner_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, default=str))
        for attempt in data["attempts"]:
            for evidence in attempt["files"]:
                if uploads.exists(evidence["stored_name"]):
                    name = f"evidence/attempt-{attempt['id']}/{evidence['id']}-{evidence['original_name']}"
                    archive.write(uploads.path(evidence["stored_name"]), name)
        for certificate in data["certificates"]:
            if certificates.exists(certificate["stored_name"]):
                name = f"certificates/{certificate['number']}-v{certificate['version']}.pdf"
                archive.write(certificates.path(certificate["stored_name"]), name)
    return buffer.getvalue()


@dataclass(frozen=True)
class Purge:
    enrolment: Enrolment
    completed: dt.date
    files: int
    answers: int


@dataclass(frozen=True)
class Purged:
    enrolments: int
    files: int
    answers: int


def years_before(today: dt.date, years: int) -> dt.date:
    """The same day `years` earlier; 29 February becomes the 28th in a year that has none."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def expired_evidence(today: dt.date, years: int) -> list[Purge]:
    """Enrolments completed more than `years` ago whose assessment evidence is still held, oldest first.

    One query, whatever the number of enrolments: the files and written answers are counted in it."""
    latest = latest_outcomes()
    files, answers = _per_enrolment(EvidenceFile), _per_enrolment(Response, Response.text != "")
    rows = db.session.execute(
        select(Enrolment, Outcome.end_date, func.coalesce(files.c.n, 0), func.coalesce(answers.c.n, 0))
        .join(latest, latest.c.enrolment_id == Enrolment.id)
        .join(Outcome, Outcome.id == latest.c.outcome_id)
        .outerjoin(files, files.c.enrolment_id == Enrolment.id)
        .outerjoin(answers, answers.c.enrolment_id == Enrolment.id)
        .where(Outcome.code.in_(FINAL_OUTCOMES), Outcome.end_date < years_before(today, years))
        .where(or_(files.c.n > 0, answers.c.n > 0))
        .options(joinedload(Enrolment.learner))
        .order_by(Outcome.end_date, Enrolment.id)
    ).all()
    return [Purge(*row) for row in rows]


def _per_enrolment(model: type[EvidenceFile] | type[Response], *where) -> Subquery:
    """How many rows of `model` (held per attempt) each enrolment has, as (enrolment_id, n)."""
    return (
        select(Attempt.enrolment_id, func.count(model.id).label("n"))
        .join(model, model.attempt_id == Attempt.id)
        .where(*where)
        .group_by(Attempt.enrolment_id)
        .subquery()
    )


def purge_evidence(purge: Purge, uploads: LocalStore, actor_id: int | None = None) -> list[str]:
    """Destroy one enrolment's expired evidence (answers and files); the judgements and outcome stay.

    Returns the stored file names, for the caller to delete once the transaction has committed.
    `actor_id` is the administrator who asked for it (None: the scheduled `flask retention run`).
    """
    db.session.info["purging"] = True  # the one sanctioned change to submitted evidence
    names = []
    try:
        for attempt in db.session.scalars(select(Attempt).where(Attempt.enrolment_id == purge.enrolment.id)):
            names += [f.stored_name for f in attempt.files]
            db.session.execute(EvidenceFile.__table__.delete().where(EvidenceFile.attempt_id == attempt.id))
            db.session.execute(
                Response.__table__.update().where(Response.attempt_id == attempt.id).values(text="")
            )
        record(
            actor_id,
            "retention.purged",
            f"enrolment:{purge.enrolment.id}",
            learner_id=purge.enrolment.learner_id,
            after={"files": purge.files, "answers": purge.answers, "completed": purge.completed.isoformat()},
        )
        db.session.flush()
    finally:
        db.session.info.pop("purging", None)
    return names


def purge_all(purges: list[Purge], uploads: LocalStore, actor_id: int | None = None) -> Purged:
    """Purge each enrolment's evidence in its own transaction, then delete its files: a failure part-way
    leaves every enrolment either purged whole (its files perhaps left for `flask storage sweep`) or not
    touched, and running it again finishes the rest."""
    for purge in purges:
        names = purge_evidence(purge, uploads, actor_id)
        db.session.commit()
        for name in names:
            uploads.delete(name)
    return Purged(len(purges), sum(p.files for p in purges), sum(p.answers for p in purges))


def expired_certificates(today: dt.date, years: int) -> list[Certificate]:
    """Certificates issued more than `years` ago: to review for disposal (never destroyed automatically)."""
    cutoff = dt.datetime.combine(years_before(today, years), dt.time(), dt.UTC)
    return list(
        db.session.scalars(
            select(Certificate).where(Certificate.issued_at < cutoff).order_by(Certificate.issued_at)
        )
    )


retention_cli = AppGroup("retention", help="Keep evidence and records only as long as the rules require.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="List what would be purged, change nothing.")
def retention_run(dry_run: bool) -> None:
    """Purge assessment evidence kept past its period (EVIDENCE_RETENTION_YEARS after completion)."""
    config = current_app.config
    today = local_today()
    purges = expired_evidence(today, config["EVIDENCE_RETENTION_YEARS"])
    for purge in purges:
        learner = purge.enrolment.learner
        click.echo(
            f"{'Would purge' if dry_run else 'Purging'} {purge.enrolment.unit_code} evidence of "
            f"{learner.full_name} (completed {purge.completed:%d/%m/%Y}): {purge.files} file(s), "
            f"{purge.answers} written answer(s)"
        )
    if not dry_run:
        purge_all(purges, LocalStore(config["UPLOAD_DIR"]))
    certificates = expired_certificates(today, config["CERTIFICATE_RETENTION_YEARS"])
    for certificate in certificates:
        click.echo(
            f"Certificate {certificate.number} v{certificate.version} is past its "
            f"{config['CERTIFICATE_RETENTION_YEARS']}-year keeping period; review it for disposal."
        )
    if not purges and not certificates:
        click.echo("Nothing is past its keeping period.")
