"""Issuing many certificates as a background job, one learner per transaction."""

from __future__ import annotations

from flask import current_app

from accounts.models import User
from database import db, utcnow
from storage import LocalStore

from . import certificates, documents
from .jobs import handler, note
from .models import Job


def eligible_learner_ids() -> list[int]:
    return sorted({due.learner.id for due in certificates.awaiting(utcnow().date())})


@handler("certificates")
def issue_all(job: Job) -> None:
    """Issue a certificate to each learner with certifiable units; a rerun skips those already done."""
    learner_ids = job.params.get("learner_ids") or eligible_learner_ids()
    job.total, job.done = len(learner_ids), 0
    db.session.commit()
    issuer = db.session.get(User, job.created_by_id)
    config, store = documents.settings(), LocalStore(current_app.config["CERTIFICATE_DIR"])
    for learner_id in learner_ids:
        issue_one(job, db.session.get(User, learner_id), issuer, config, store)
        job.done += 1
        db.session.commit()
    job.result = f"{job.done} learner(s) processed."


def issue_one(job: Job, learner: User, issuer: User, config: documents.Settings, store: LocalStore) -> None:
    if not certificates.certifiable(learner.id):
        return
    try:
        certificate, stored = certificates.issue(learner, issuer, config, store)
    except certificates.Refused as refused:
        db.session.rollback()
        note(job, f"Not issued to {learner.full_name}: {' '.join(refused.problems)}")
        return
    certificates.commit_or_remove(store, stored)
    note(job, f"{certificate.number}: {learner.full_name}")
