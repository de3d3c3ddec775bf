"""Competency records as CSV, streamed row by row so 100,000 rows need no more memory than ten."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from accounts.models import Enrolment, LearnerProfile, User
from assessments.models import Outcome
from assessments.rules import outcome_meaning
from content import default_catalogue
from database import db

from .certificates import latest_outcomes
from .models import VALID, Certificate, CertificateUnit

HEADER = [
    "Learner",
    "Client identifier",
    "Unit code",
    "Unit title",
    "Outcome code",
    "Outcome",
    "Start date",
    "End date",
    "Assessor",
    "Certificate number",
]
BATCH = 1000


@dataclass(frozen=True)
class Filters:
    cohort_id: int | None = None
    unit_code: str | None = None
    start: dt.date | None = None  # activity overlapping this period
    end: dt.date | None = None


def query(filters: Filters) -> Select:
    latest = latest_outcomes()
    assessor = aliased(User)
    certified = (
        select(CertificateUnit.enrolment_id, Certificate.number)
        .join(Certificate, Certificate.id == CertificateUnit.certificate_id)
        .where(Certificate.status == VALID)
        .subquery()
    )
    statement = (
        select(
            User.given_names,
            User.family_name,
            LearnerProfile.client_id,
            Enrolment.unit_code,
            Outcome.code,
            Enrolment.start_date,
            Outcome.end_date,
            assessor.given_names,
            assessor.family_name,
            certified.c.number,
        )
        .join(User, User.id == Enrolment.learner_id)
        .join(LearnerProfile, LearnerProfile.user_id == User.id)
        .outerjoin(latest, latest.c.enrolment_id == Enrolment.id)
        .outerjoin(Outcome, Outcome.id == latest.c.outcome_id)
        .outerjoin(assessor, assessor.id == Outcome.decided_by_id)
        .outerjoin(certified, certified.c.enrolment_id == Enrolment.id)
        .order_by(Enrolment.id)
    )
    if filters.cohort_id:
        statement = statement.where(Enrolment.cohort_id == filters.cohort_id)
    if filters.unit_code:
        statement = statement.where(Enrolment.unit_code == filters.unit_code)
    if filters.end:
        statement = statement.where(Enrolment.start_date <= filters.end)
    if filters.start:
        statement = statement.where(or_(Outcome.end_date.is_(None), Outcome.end_date >= filters.start))
    return statement


def rows(filters: Filters) -> Iterator[list[str]]:
    titles = {code: unit.title for code, unit in default_catalogue().items()}
    result = db.session.execute(query(filters).execution_options(yield_per=BATCH))
    for given, family, client, unit, code, start, end, a_given, a_family, number in result:
        yield [
            f"{given} {family}".strip(),
            client,
            unit,
            titles.get(unit, ""),
            code or "70",
            outcome_meaning(code or "70"),
            f"{start:%Y-%m-%d}",
            f"{end:%Y-%m-%d}" if end else "",
            f"{a_given or ''} {a_family or ''}".strip(),
            number or "",
        ]


def csv_chunks(filters: Filters) -> Iterator[str]:
    """The CSV text in chunks of BATCH rows: header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for n, row in enumerate(rows(filters), start=1):
        writer.writerow(row)
        if n % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
