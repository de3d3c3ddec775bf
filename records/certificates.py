"""Issuing, revoking and reissuing Statements of Attainment, and what is waiting to be issued.

Functions flush but never commit; each returns the stored file's name so a caller can remove it if
its transaction fails. Every action appends an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from accounts.models import Enrolment, LearnerProfile, User
from assessments.models import Outcome
from audit.trail import record
from content import default_catalogue
from database import Page, db, utcnow
from storage import LocalStore

from . import gates
from .documents import Settings, statement_pdf
from .models import REPLACED, REVOKED, VALID, Certificate, CertificateUnit, Counter
from .numbers import certificate_number

ISSUE_WITHIN_DAYS = 30


class Refused(Exception):
    """Nothing was issued; `problems` says why in words an administrator can act on, and `blocks`
    names the certification gates that refused it (none when something else did)."""

    def __init__(self, problems: list[str], blocks: list[gates.Block] | None = None):
        super().__init__(" ".join(problems))
        self.problems = problems
        self.blocks = blocks or []


def is_latest_outcome() -> ColumnElement[bool]:
    """True for an enrolment's current outcome: the one no newer outcome of the enrolment follows (a later
    outcome supersedes an earlier one, and none is edited). As a condition on each outcome row, a query
    about one enrolment or unit can stop at its first match."""
    newer = aliased(Outcome)
    return ~exists().where(newer.enrolment_id == Outcome.enrolment_id, newer.id > Outcome.id)


def latest_outcomes(enrolment_ids: list[int] | None = None):
    """A subquery of each enrolment's current (latest) outcome row id, to join."""
    query = select(Outcome.enrolment_id, Outcome.id.label("outcome_id")).where(is_latest_outcome())
    if enrolment_ids is not None:
        query = query.where(Outcome.enrolment_id.in_(enrolment_ids))
    return query.subquery()


def _awaiting(*columns) -> Select:
    """Enrolments whose latest outcome is certifiable and that no valid certificate covers yet, with the
    outcome and the learner joined, selecting `columns`."""
    latest = latest_outcomes()
    certified = (
        select(CertificateUnit.id)
        .join(Certificate)
        .where(CertificateUnit.enrolment_id == Enrolment.id, Certificate.status == VALID)
        .exists()
    )
    return (
        select(*columns)
        .select_from(Enrolment)
        .join(latest, latest.c.enrolment_id == Enrolment.id)
        .join(Outcome, Outcome.id == latest.c.outcome_id)
        .join(User, User.id == Enrolment.learner_id)
        .where(Outcome.code.in_(gates.CERTIFIABLE), ~certified)
    )


def certifiable(learner_id: int) -> list[tuple[Enrolment, Outcome]]:
    """The learner's enrolments with a certifiable outcome that no valid certificate covers yet."""
    statement = _awaiting(Enrolment, Outcome).where(Enrolment.learner_id == learner_id)
    return [(e, o) for e, o in db.session.execute(statement.order_by(Enrolment.unit_code))]


def gate_blocks(learner: User, units: list[str]) -> list[gates.Block]:
    """The one rule for whether a learner's certificate may be issued: every page and job asks it."""
    profile = learner.learner
    return _blocks(
        learner.given_names,
        learner.family_name,
        profile.usi if profile else None,
        profile.usi_verified_at if profile else None,
        profile.usi_exemption if profile else None,
        units,
    )


def _blocks(
    given_names: str,
    family_name: str,
    usi: str | None,
    usi_verified_at: dt.datetime | None,
    usi_exemption: str | None,
    units: list[str],
) -> list[gates.Block]:
    return gates.blocks(given_names, family_name, bool(usi and usi_verified_at), bool(usi_exemption), units)


def next_number(rto_code: str, year: int) -> str:
    """Claim the next certificate number of the year; the row lock makes concurrent issuers take turns."""
    name = f"certificate-{year}"
    if (
        db.session.execute(
            update(Counter).where(Counter.name == name).values(value=Counter.value + 1)
        ).rowcount
        == 0
    ):
        try:
            with db.session.begin_nested():
                db.session.add(Counter(name=name, value=1))
        except IntegrityError:
            db.session.execute(update(Counter).where(Counter.name == name).values(value=Counter.value + 1))
    value = db.session.scalar(
        select(Counter.value).where(Counter.name == name).execution_options(populate_existing=True)
    )
    return certificate_number(rto_code, year, value)


def _store(certificate: Certificate, config: Settings, store: LocalStore) -> str:
    pdf = statement_pdf(certificate, config)
    stored = store.save(io.BytesIO(pdf))
    certificate.stored_name, certificate.sha256 = stored.name, stored.sha256
    return stored.name


def issue(
    learner: User, by: User, config: Settings, store: LocalStore, enrolment_ids: list[int] | None = None
) -> tuple[Certificate, str]:
    """Issue one Statement of Attainment for the learner's certifiable units (or the chosen ones)."""
    # Two issuers (a page and a background job) never certify the same learner at once.
    db.session.execute(select(User.id).where(User.id == learner.id).with_for_update())
    candidates = [
        (e, o) for e, o in certifiable(learner.id) if enrolment_ids is None or e.id in enrolment_ids
    ]
    if blocks := gate_blocks(learner, [e.unit_code for e, _ in candidates]):
        raise Refused([block.reason for block in blocks], blocks)
    catalogue = default_catalogue()
    units = [(e.id, e.unit_code, catalogue[e.unit_code].title, o.code) for e, o in candidates]
    number = next_number(config.rto_code, utcnow().astimezone(ZoneInfo(config.timezone)).year)  # as dated
    return _issue_version(number, 1, learner, by, units, config, store, "certificate.issued")


def _issue_version(
    number: str,
    version: int,
    learner: User,
    by: User,
    units: list[tuple[int, str, str, str]],
    config: Settings,
    store: LocalStore,
    action: str,
    before: dict | None = None,
    reason: str | None = None,
) -> tuple[Certificate, str]:
    """Render, store and register one version of a certificate, with its audit event."""
    certificate = Certificate(
        number=number,
        version=version,
        status=VALID,
        learner_id=learner.id,
        learner_name=learner.full_name,
        issued_by_id=by.id,
        issued_at=utcnow(),
        stored_name="",
        sha256="",
    )
    certificate.units = [
        CertificateUnit(enrolment_id=e, unit_code=c, unit_title=t, outcome_code=o) for e, c, t, o in units
    ]
    stored = _store(certificate, config, store)
    with _removed_on_failure(store, stored):
        db.session.add(certificate)
        db.session.flush()
        after = _summary(certificate) | ({"reason": reason} if reason else {})
        record(by.id, action, f"certificate:{number}", learner_id=learner.id, before=before, after=after)
    return certificate, stored


def commit_or_remove(store: LocalStore, stored: str) -> None:
    """Commit the issue; if the commit fails, the PDF stored for it must not stay behind."""
    with _removed_on_failure(store, stored):
        try:
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise


@contextmanager
def _removed_on_failure(store: LocalStore, stored: str) -> Iterator[None]:
    """A stored PDF whose register row cannot be written is deleted, never left behind."""
    try:
        yield
    except BaseException:
        store.delete(stored)
        raise


def _summary(certificate: Certificate) -> dict:
    return {
        "number": certificate.number,
        "version": certificate.version,
        "status": certificate.status,
        "units": [u.unit_code for u in certificate.units],
        "sha256": certificate.sha256,
    }


def revoke(certificate: Certificate, by: User, reason: str) -> None:
    if certificate.status != VALID:
        raise Refused([f"Certificate {certificate.number} is already {certificate.status}."])
    if not reason.strip():
        raise Refused(["Give the reason for revoking the certificate."])
    before = _summary(certificate)
    certificate.status, certificate.reason = REVOKED, reason.strip()
    db.session.flush()
    record(
        by.id,
        "certificate.revoked",
        f"certificate:{certificate.number}",
        learner_id=certificate.learner_id,
        before=before,
        after=_summary(certificate) | {"reason": reason.strip()},
    )


def reissue(
    certificate: Certificate, by: User, reason: str, config: Settings, store: LocalStore
) -> tuple[Certificate, str]:
    """A new version under the same number (e.g. a corrected name); the old version is marked replaced."""
    if certificate.status != VALID:
        raise Refused(
            [f"Only a valid certificate can be reissued; {certificate.number} is {certificate.status}."]
        )
    if not reason.strip():
        raise Refused(["Give the reason for reissuing the certificate."])
    learner = db.session.get(User, certificate.learner_id)
    before = _summary(certificate)
    certificate.status, certificate.reason = REPLACED, reason.strip()
    db.session.flush()
    units = [(u.enrolment_id, u.unit_code, u.unit_title, u.outcome_code) for u in certificate.units]
    return _issue_version(
        certificate.number,
        certificate.version + 1,
        learner,
        by,
        units,
        config,
        store,
        "certificate.reissued",
        before=before,
        reason=reason.strip(),
    )


@dataclass(frozen=True)
class Due:
    enrolment: Enrolment
    learner: User
    outcome: Outcome
    days_left: int

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0


def awaiting(zone: dt.tzinfo, page: int = 1, per_page: int = 50) -> Page[Due]:
    """One page of the outcomes awaiting a certificate, the oldest decision (the most overdue) first: the
    days counted where the RTO is (`zone`), from the day of the decision to today."""
    page = max(page, 1)
    total = db.session.scalar(_awaiting(func.count()))
    rows = db.session.execute(
        _awaiting(Enrolment, User, Outcome)
        .order_by(Outcome.decided_at, Outcome.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    today = utcnow().astimezone(zone).date()
    due = [
        Due(e, u, o, ISSUE_WITHIN_DAYS - (today - o.decided_at.astimezone(zone).date()).days)
        for e, u, o in rows
    ]
    return Page(due, page, per_page, total or 0)


def readiness() -> dict[int, list[gates.Block]]:
    """Every learner awaiting a certificate → what stops it being issued (nothing: it may be), from plain
    rows (a learner's facts and a unit waiting), as a list of thousands need not build objects."""
    facts: dict[int, tuple] = {}
    units: dict[int, list[str]] = {}
    profile = LearnerProfile
    rows = db.session.execute(
        _awaiting(
            User.id,
            User.given_names,
            User.family_name,
            profile.usi,
            profile.usi_verified_at,
            profile.usi_exemption,
            Enrolment.unit_code,
        ).outerjoin(profile, profile.user_id == User.id)
    )
    for learner_id, *known, unit in rows:
        facts[learner_id] = tuple(known)
        units.setdefault(learner_id, []).append(unit)
    return {learner_id: _blocks(*known, units[learner_id]) for learner_id, known in facts.items()}
