"""A learner's data: exported whole on request (APP 12), and evidence kept only as long as required."""

import datetime as dt
import io
import json
import re
import zipfile
from unittest.mock import patch

from sqlalchemy import insert, select

from assessments.models import Attempt, EvidenceFile, Judgement, Outcome, Response
from audit.models import AuditEvent
from database import db
from privacy import retention_cli, years_before
from storage import LocalStore

from .conftest import enrolment_id, submit_task
from .test_marking import mark


def test_admin_exports_everything_held_about_one_learner(app, cohort, learner, admin, make_user):
    attempt_id = submit_task(app, learner, "BSBCUS403", "project-charter-review")
    make_user("learner", "someone.else@example.com")
    client = app.test_client()
    client.login("admin@example.com")
    response = client.get(f"/admin/users/{learner}/export")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("data.json"))
    assert data["user"]["email"] == "learner@example.com"
    assert "password_hash" not in data["user"] and "session_token" not in data["user"]
    assert [a["id"] for a in data["attempts"]] == [attempt_id]
    assert data["attempts"][0]["responses"][0]["text"].startswith("My answer")
    assert any(name.startswith(f"evidence/attempt-{attempt_id}/") for name in archive.namelist())
    assert data["enrolments"] and all(e["learner_id"] == learner for e in data["enrolments"])
    assert all(event["learner_id"] == learner for event in data["audit_events"])  # nobody else's data
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent.action).where(AuditEvent.action == "learner.data_exported")
        )


def completed_long_ago(app, assessor_client, learner, years: int) -> int:
    attempt_id = submit_task(app, learner, "BSBCUS403", "project-charter-review")
    mark(assessor_client, attempt_id)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        db.session.add(
            Outcome(
                enrolment_id=attempt.enrolment_id,
                code="30",
                decided_by_id=1,
                declaration=True,
                end_date=dt.date.today() - dt.timedelta(days=365 * years + 10),
            )
        )
        db.session.commit()
    return attempt_id


def test_retention_dry_run_lists_and_changes_nothing(app, cohort, learner, assessor):
    assessor_client = app.test_client()
    assessor_client.login("assessor@example.com")
    attempt_id = completed_long_ago(app, assessor_client, learner, years=3)
    result = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])  # as an admin types it
    assert result.exit_code == 0 and "Would purge BSBCUS403 evidence of Pat Learner" in result.output
    with app.app_context():
        assert db.session.scalars(select(EvidenceFile).where(EvidenceFile.attempt_id == attempt_id)).all()
    assert LocalStore(app.config["UPLOAD_DIR"]).names()


def test_retention_run_purges_expired_evidence_and_keeps_the_judgements(app, cohort, learner, assessor):
    assessor_client = app.test_client()
    assessor_client.login("assessor@example.com")
    old = completed_long_ago(app, assessor_client, learner, years=3)
    result = app.test_cli_runner().invoke(retention_cli, ["run"])
    assert "Purging BSBCUS403 evidence" in result.output
    with app.app_context():
        assert db.session.scalars(select(EvidenceFile).where(EvidenceFile.attempt_id == old)).all() == []
        assert {r.text for r in db.session.scalars(select(Response).where(Response.attempt_id == old))} == {
            ""
        }
        assert db.session.scalars(
            select(Judgement).where(Judgement.attempt_id == old)
        ).all()  # the record stays
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purged"))
    assert LocalStore(app.config["UPLOAD_DIR"]).names() == set()
    again = app.test_cli_runner().invoke(retention_cli, ["run", "--dry-run"])
    assert "Nothing is past its keeping period" in again.output


def test_recent_evidence_is_kept(app, cohort, learner, assessor):
    assessor_client = app.test_client()
    assessor_client.login("assessor@example.com")
    completed_long_ago(app, assessor_client, learner, years=1)
    result = app.test_cli_runner().invoke(retention_cli, ["run"])
    assert "Nothing is past its keeping period" in result.output


# The same rules on the administrator's page, for RTOs whose staff never open a terminal.


def held(app, attempt_id: int) -> tuple[int, int]:
    """The attempt's files and written answers, as the database holds them."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        files, answers = len(attempt.files), sum(1 for response in attempt.responses if response.text)
    assert files and answers
    return files, answers


def test_the_retention_page_lists_expired_evidence_and_the_rules(app, cohort, learner, assessor, admin):
    assessor_client = app.test_client()
    assessor_client.login("assessor@example.com")
    files, answers = held(app, completed_long_ago(app, assessor_client, learner, years=3))
    completed = (dt.date.today() - dt.timedelta(days=365 * 3 + 10)).strftime("%-d %b %Y")
    client = app.test_client()
    client.login("admin@example.com")
    assert 'href="/admin/retention"' in client.get("/admin/").text  # reached from Administration
    page = client.get("/admin/retention").text
    assert "kept for 2 years after a unit is completed" in page and "kept for 30 years" in page
    row = re.search(r"<tr>\s*<td><a [^>]*>Pat Learner</a>.*?</tr>", page, re.S).group(0)
    assert re.findall(r"<td>([^<]*)", row)[1:] == ["BSBCUS403", completed, str(files), str(answers)]
    assert "None: no certificate is older than 30 years." in page


def test_recent_evidence_is_not_offered_for_destruction(app, cohort, learner, assessor, admin):
    assessor_client = app.test_client()
    assessor_client.login("assessor@example.com")
    completed_long_ago(app, assessor_client, learner, years=1)
    client = app.test_client()
    client.login("admin@example.com")
    page = client.get("/admin/retention").text
    assert "None: no completed unit's evidence is older than 2 years." in page and "Destroy" not in page


def test_destroying_needs_the_tick_and_then_destroys_what_was_shown(app, cohort, learner, assessor, admin):
    assessor_client = app.test_client()
    assessor_client.login("assessor@example.com")
    old = completed_long_ago(app, assessor_client, learner, years=3)
    files, answers = held(app, old)
    with app.app_context():
        enrolment = str(db.session.get(Attempt, old).enrolment_id)
    client = app.test_client()
    client.login("admin@example.com")

    unticked = client.submit("/admin/retention", {"enrolment": enrolment}, follow_redirects=True).text
    assert "Nothing was destroyed: tick" in unticked
    unlisted = client.submit("/admin/retention", {"confirm": "yes"}, follow_redirects=True).text
    assert "Nothing was destroyed: none of the evidence shown" in unlisted
    assert LocalStore(app.config["UPLOAD_DIR"]).names()  # both refusals left everything

    done = client.submit(
        "/admin/retention", {"enrolment": enrolment, "confirm": "yes"}, follow_redirects=True
    )
    done_message = (
        f"Destroyed the evidence of 1 unit enrolment(s): {files} file(s) and {answers} written answer(s)."
    )
    assert done_message in done.text
    assert "None: no completed unit's evidence is older than 2 years." in done.text
    assert LocalStore(app.config["UPLOAD_DIR"]).names() == set()
    with app.app_context():
        assert db.session.scalars(select(EvidenceFile).where(EvidenceFile.attempt_id == old)).all() == []
        assert db.session.scalars(select(Judgement).where(Judgement.attempt_id == old)).all()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purged"))
        assert event.actor_id == admin and event.subject == f"enrolment:{enrolment}"


def test_a_leap_day_counts_back_to_the_28th():
    assert years_before(dt.date(2028, 2, 29), 2) == dt.date(2026, 2, 28)
    assert years_before(dt.date(2028, 3, 1), 2) == dt.date(2026, 3, 1)


def test_a_long_list_is_offered_the_oldest_first_in_bounded_batches(app, cohort, learner, assessor, admin):
    assessor_client = app.test_client()
    assessor_client.login("assessor@example.com")
    completed_long_ago(app, assessor_client, learner, years=3)
    oldest = enrolment_id(app, learner, "BSBOPS304")  # finished five years ago, with one written answer
    with app.app_context():
        attempt = Attempt(enrolment_id=oldest, task_id="t", number=1, items=[], status="satisfactory")
        db.session.add(attempt)
        db.session.flush()
        db.session.execute(
            insert(Response), [{"attempt_id": attempt.id, "item_id": "a", "text": "An answer"}]
        )
        five_years_ago = dt.date.today() - dt.timedelta(days=365 * 5)
        db.session.add(
            Outcome(
                enrolment_id=oldest, code="30", decided_by_id=admin, declaration=True, end_date=five_years_ago
            )
        )
        db.session.commit()
    client = app.test_client()
    client.login("admin@example.com")
    listed = re.compile(r'name="enrolment" value="(\d+)"')
    with patch("accounts.admin.PURGES_SHOWN", 1):
        page = client.get("/admin/retention").text
        assert listed.findall(page) == [str(oldest)]
        assert "The 1 oldest are listed; 1 more will be listed once these are destroyed." in page
        confirmed = {"enrolment": str(oldest), "confirm": "yes"}
        done = client.submit("/admin/retention", confirmed, follow_redirects=True).text
    assert "Destroyed the evidence of 1 unit enrolment(s): 0 file(s) and 1 written answer(s)." in done
    assert listed.findall(done) and listed.findall(done) != [str(oldest)]  # the next one, now
