"""Issuing many certificates as a background job, one learner per transaction."""

from __future__ import annotations

from collections import Counter

from flask import current_app

from accounts.models import User
from database import db
from storage import LocalStore

from . import certificates, documents
from .jobs import handler, note
from .models import Job

ISSUED, ALREADY = "issued", "already"  # what became of a learner, besides the reasons for refusing


def eligible_learner_ids() -> list[int]:
    """The learners whose certificate the issuing rules accept now: those with nothing blocking it."""
    return sorted(learner_id for learner_id, blocks in certificates.readiness().items() if not blocks)


@handler("certificates")
def issue_all(job: Job) -> None:
    """Issue a certificate to each learner with certifiable units; a rerun skips those already done."""
    learner_ids = job.params.get("learner_ids") or eligible_learner_ids()
    job.total, job.done = len(learner_ids), 0
    db.session.commit()
    issuer = db.session.get(User, job.created_by_id)
    config, store = documents.settings(), LocalStore(current_app.config["CERTIFICATE_DIR"])
    tally: Counter[str] = Counter()
    for learner_id in learner_ids:
        tally.update(issue_one(job, db.session.get(User, learner_id), issuer, config, store))
        job.done += 1
        db.session.commit()
    job.result = summary(tally, len(learner_ids))


def issue_one(
    job: Job, learner: User, issuer: User, config: documents.Settings, store: LocalStore
) -> list[str]:
    """Issue to one learner; returns what became of them: issued, already done, or why not."""
    if not certificates.certifiable(learner.id):
        return [ALREADY]  # a rerun after a crash, or issued from the register meanwhile
    try:
        certificate, stored = certificates.issue(learner, issuer, config, store)
    except certificates.Refused as refused:
        db.session.rollback()
        note(job, f"Not issued to {learner.full_name}: {' '.join(refused.problems)}")
        return [block.short for block in refused.blocks] or ["refused"]
    certificates.commit_or_remove(store, stored)
    note(job, f"{certificate.number}: {learner.full_name}")
    return [ISSUED]


def summary(tally: Counter[str], learners: int) -> str:
    """E.g. "2 issued, 1 not issued (USI not verified)." A learner refused twice over counts once."""
    if not learners:
        return "Nothing to issue: no learner was eligible."
    issued, already = tally[ISSUED], tally[ALREADY]
    reasons = {reason: n for reason, n in tally.items() if reason not in (ISSUED, ALREADY)}
    parts = [f"{issued} issued"]
    if refused := learners - issued - already:
        why = "; ".join(r if len(reasons) == 1 else f"{r}: {n}" for r, n in reasons.items())
        parts.append(f"{refused} not issued ({why})")
    if already:
        parts.append(f"{already} already had one")
    return ", ".join(parts) + "."
