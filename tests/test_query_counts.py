"""Every page issues the same number of SQL queries however much data there is (no query per row)."""

import datetime as dt

import pytest
from sqlalchemy import insert, select

from accounts.models import Cohort, Enrolment, User
from assessments.models import Attempt, Outcome, Response
from audit.trail import record
from database import db, utcnow
from records.models import Certificate, CertificateUnit

from .conftest import submit_task
from .test_marking import mark, seed_attempts

PAGES = {  # who looks: [urls]
    "learner": [
        "/learn",
        "/learn/BSBCUS403",
        "/learn/BSBCUS403/customers-models-and-standards",
        "/learn/BSBCUS403/tasks",
        "/learn/BSBCUS403/tasks/project-charter-review",
        "/attempts/{attempt}/receipt",
        "/enrolments/{enrolment}",
        "/learn/records",
    ],
    "assessor": [
        "/marking",
        "/marking/attempts/{attempt}",
        "/enrolments/{enrolment}",
        "/staff",
        "/cohorts/{cohort}",
        "/teach/cohorts/{cohort}/progress",
        "/teach/units/BSBCUS403/coverage",
        "/teach/units/BSBCUS403/assessment-map",
    ],
    "admin": [
        "/admin/",
        "/admin/users",
        "/admin/cohorts",
        "/admin/certificates",
        "/admin/certificates/{certificate}",
        "/admin/audit",
        "/admin/exports",
        "/admin/retention",
    ],
}


def grow(app, ids: dict) -> None:
    """Much more of everything: learners, attempts, judgements, certificates, cohorts, audit events."""
    seed_attempts(app, ids["cohort"], 120)
    with app.app_context():
        learners = db.session.scalars(select(User.id).where(User.is_learner)).all()
        for n in range(25):
            db.session.add(Cohort(name=f"Extra cohort {n}"))
        enrolments = db.session.scalars(select(Enrolment.id)).all()
        for n, (learner, enrolment) in enumerate(zip(learners, enrolments, strict=False)):
            certificate = Certificate(
                number=f"0000-2026-{n + 100:06d}-0",
                version=1,
                learner_id=learner,
                learner_name="Someone",
                issued_by_id=ids["admin"],
                stored_name="x",
                sha256="0" * 64,
            )
            certificate.units = [
                CertificateUnit(
                    enrolment_id=enrolment, unit_code="BSBCUS403", unit_title="Implement", outcome_code="20"
                )
            ]
            db.session.add(certificate)
            record(ids["admin"], "demo.event", f"user:{learner}", learner_id=learner)
        db.session.execute(
            insert(Attempt),
            [
                {
                    "enrolment_id": ids["enrolment"],
                    "task_id": f"old-{n}",
                    "number": 1,
                    "items": [],
                    "status": "satisfactory",
                    "submitted_at": utcnow(),
                }
                for n in range(30)
            ],
        )
        expire_evidence(ids["admin"])
        db.session.commit()


def expire_evidence(admin: int) -> None:
    """Written answers in 20 enrolments finished (Not Yet Competent, so no certificate is due) three years
    ago: evidence past its keeping period."""
    attempts = db.session.execute(
        select(Attempt.id, Attempt.enrolment_id).where(Attempt.status == "submitted")
    )
    chosen = {enrolment: attempt for attempt, enrolment in attempts.all()[:20]}
    db.session.execute(
        insert(Response), [{"attempt_id": a, "item_id": "x", "text": "An answer"} for a in chosen.values()]
    )
    long_ago = dt.date.today() - dt.timedelta(days=365 * 3)
    outcome = {"code": "30", "decided_by_id": admin, "declaration": True, "end_date": long_ago}
    db.session.execute(insert(Outcome), [{"enrolment_id": e, **outcome} for e in chosen])


def measure(app, count_queries, clients, ids) -> dict[str, int]:
    counts = {}
    for who, urls in PAGES.items():
        for template in urls:
            url = template.format(**ids)
            clients[who].get(url)  # warm: first-visit writes (progress rows) do not count
            with count_queries() as statements:
                response = clients[who].get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            counts[f"{who} {url}"] = len(statements)
    return counts


@pytest.mark.slow
def test_query_counts_do_not_grow_with_the_data(app, world, clients, count_queries):
    ids = dict(world)
    mark(clients["assessor"], ids["attempt"], not_yet=["a2-feedback-analysis"])
    ids["attempt"] = submit_task(
        app, ids["learner"], "BSBCUS403", "project-charter-review"
    )  # the resubmission
    mark(clients["assessor"], ids["attempt"])
    small = measure(app, count_queries, clients, ids)
    grow(app, ids)
    large = measure(app, count_queries, clients, ids)
    assert clients["admin"].get("/admin/retention").text.count('name="enrolment"') > 1  # it did grow
    assert large == small
    assert max(small.values()) <= 25, small
