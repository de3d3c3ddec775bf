"""Learners draft, attach, and submit evidence; a submission is whole, immutable and receipted."""

import hashlib
import io

import pytest
from sqlalchemy import select

from assessments.models import Attempt, EvidenceFile, Response
from audit.models import AuditEvent
from content import default_content
from database import db
from storage import LocalStore

from .conftest import MP4, PDF

UNIT = "BSBCUS403"
TASKS = f"/learn/{UNIT}/tasks"
PROJECT = "project-charter-review"
ROLEPLAY = "roleplay-team-briefing"


def task(task_id):
    return default_content().packs[UNIT].task(task_id)


@pytest.fixture
def learner_client(client, cohort):
    client.login("learner@example.com")
    return client


def answers(task_id, **overrides) -> dict:
    data = {f"text-{i.id}": f"My considered answer to {i.id}." for i in task(task_id).items}
    return data | overrides


def attempts(app):
    with app.app_context():
        return db.session.scalars(select(Attempt)).all()


def stored_files(app) -> set[str]:
    return LocalStore(app.config["UPLOAD_DIR"]).names()


def post(client, task_id, data, files=(), **kwargs):
    url = f"{TASKS}/{task_id}"
    payload = dict(data)
    for field, name, content in files:
        payload.setdefault(field, []).append((io.BytesIO(content), name))
    return client.submit(url, payload, content_type="multipart/form-data", **kwargs)


def test_task_list_shows_every_task_with_its_status(learner_client):
    page = learner_client.get(TASKS).get_data(as_text=True)
    for tool in default_content().packs[UNIT].tasks:
        assert tool.title in page
    assert page.count("Not started") == len(default_content().packs[UNIT].tasks)


def test_task_page_shows_instructions_documents_and_answer_fields(learner_client):
    page = learner_client.get(f"{TASKS}/{PROJECT}").get_data(as_text=True)
    for document in task(PROJECT).documents:
        assert document.title.replace("&", "&amp;") in page
    for item in task(PROJECT).items:
        assert f'name="text-{item.id}"' in page and f'name="file-{item.id}"' in page
    assert "Declaration of authenticity" in page


def test_draft_is_saved_explicitly_and_shown_again(app, learner_client):
    response = post(learner_client, PROJECT, {"action": "save", "text-a1-charter-monitoring": "Half done."})
    assert response.status_code == 302
    page = learner_client.get(f"{TASKS}/{PROJECT}").get_data(as_text=True)
    assert "Half done." in page and "Draft last saved" in page
    [attempt] = attempts(app)
    assert attempt.status == "draft" and attempt.number == 1


def test_autosave_answers_json_and_keeps_the_text(app, learner_client):
    response = post(
        learner_client,
        PROJECT,
        {"action": "save", "text-a2-feedback-analysis": "Typed so far"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and "saved_at" in response.get_json()
    with app.app_context():
        assert db.session.scalar(select(Response.text).where(Response.item_id == "a2-feedback-analysis")) == (
            "Typed so far"
        )


def test_submit_needs_every_answer_and_the_declaration(app, learner_client):
    response = post(learner_client, PROJECT, {"action": "submit", "text-a1-charter-monitoring": "Only one."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was saved" in page and "Write your answer or attach a file." in page
    assert "Tick the declaration" in page and "Type your full name" in page
    assert "Only one." in page  # what was typed is shown again, not lost
    assert attempts(app) == []  # and nothing half-done was stored


def test_complete_submission_gets_a_receipt_with_file_hashes(app, learner_client):
    data = answers(PROJECT, action="submit", declaration="yes", declaration_name="Pat Learner")
    response = post(
        learner_client, PROJECT, data, files=[("file-a1-charter-monitoring", "monitoring.pdf", PDF)]
    )
    assert response.status_code == 302 and "/receipt" in response.location
    receipt = learner_client.get(response.location).get_data(as_text=True)
    assert hashlib.sha256(PDF).hexdigest() in receipt and "monitoring.pdf" in receipt
    [attempt] = attempts(app)
    assert attempt.status == "submitted" and attempt.declaration_name == "Pat Learner"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.submitted"))
        assert event.after["files"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert "Submitted – awaiting marking" in learner_client.get(TASKS).get_data(as_text=True)


def test_a_submitted_attempt_cannot_be_changed(app, learner_client, learner):
    data = answers(PROJECT, action="submit", declaration="yes", declaration_name="Pat Learner")
    post(learner_client, PROJECT, data)
    again = post(learner_client, PROJECT, {"action": "save", "text-a1-charter-monitoring": "Changed my mind"})
    assert again.status_code == 422 and "has been submitted" in again.get_data(as_text=True)
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.item_id == "a1-charter-monitoring"))
        assert response.text != "Changed my mind"
        response.text = "Tampered"
        with pytest.raises(PermissionError):
            db.session.flush()


def test_failure_while_storing_a_file_leaves_no_attempt_and_no_file(app, learner_client, monkeypatch):
    real_save = LocalStore.save
    calls = []

    def failing_save(self, stream, limit=None):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk trouble")
        return real_save(self, stream, limit)

    monkeypatch.setattr(LocalStore, "save", failing_save)
    data = answers(PROJECT, action="submit", declaration="yes", declaration_name="Pat Learner")
    files = [("file-a1-charter-monitoring", "one.pdf", PDF), ("file-a2-feedback-analysis", "two.pdf", PDF)]
    with pytest.raises(OSError):
        post(learner_client, PROJECT, data, files=files)
    assert len(calls) == 2
    assert attempts(app) == []
    assert stored_files(app) == set()


def test_full_disk_gives_a_clear_message_and_stores_nothing(app, learner_client, monkeypatch):
    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("storage.os.fsync", disk_full)  # the write reaches the disk only when flushed
    files = [("file-a1-charter-monitoring", "one.pdf", PDF)]
    response = post(learner_client, PROJECT, {"action": "save"}, files=files)
    assert response.status_code == 422 and "disk is full" in response.get_data(as_text=True)
    assert attempts(app) == [] and stored_files(app) == set()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 60, "does not contain what its name says"),
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, "not a file type we accept"),
        ("../../../../etc/cron.d/evil.pdf", b"not a pdf", "does not contain what its name says"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(app, learner_client, name, content, message):
    response = post(
        learner_client,
        PROJECT,
        {"action": "save", "text-a1-charter-monitoring": "Keep me"},
        files=[("file-a1-charter-monitoring", name, content)],
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert "Keep me" in response.get_data(as_text=True)
    assert attempts(app) == [] and stored_files(app) == set()


def test_oversize_upload_is_refused(app, client, cohort):
    app.config["UPLOAD_MAX_MB"] = 1
    client.login("learner@example.com")
    response = post(
        client,
        PROJECT,
        {"action": "save"},
        files=[("file-a1-charter-monitoring", "big.pdf", PDF + b"0" * (2 * 1024 * 1024))],
    )
    assert response.status_code == 422 and "the limit here is 1 MB" in response.get_data(as_text=True)
    assert stored_files(app) == set()
    response.request.environ["wsgi.input"].close()  # the test client spools large bodies to a temporary file


def test_traversal_name_is_sanitised_and_stored_under_a_random_name(app, learner_client):
    post(
        learner_client,
        PROJECT,
        {"action": "save"},
        files=[("file-a1-charter-monitoring", "../../etc/passwd.pdf", PDF)],
    )
    with app.app_context():
        evidence = db.session.scalar(select(EvidenceFile))
    assert evidence.original_name == "passwd.pdf"
    assert len(evidence.stored_name) == 32 and evidence.stored_name.isalnum()
    assert "static" not in app.config["UPLOAD_DIR"]


def test_files_are_served_as_attachments_only_to_those_allowed(app, learner_client, make_user):
    post(learner_client, PROJECT, {"action": "save"}, files=[("file-a1-charter-monitoring", "mine.pdf", PDF)])
    with app.app_context():
        file_id = db.session.scalar(select(EvidenceFile.id))
    response = learner_client.get(f"/evidence/{file_id}")
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    make_user("learner", "nosy@example.com")
    nosy = app.test_client()
    nosy.login("nosy@example.com")
    assert nosy.get(f"/evidence/{file_id}").status_code == 403


def test_removing_a_draft_file(app, learner_client):
    post(learner_client, PROJECT, {"action": "save"}, files=[("file-a1-charter-monitoring", "oops.pdf", PDF)])
    with app.app_context():
        evidence = db.session.scalar(select(EvidenceFile))
    url = f"{TASKS}/{PROJECT}/files/{evidence.id}/remove"
    response = learner_client.submit(url, page=f"{TASKS}/{PROJECT}", follow_redirects=True)
    assert "Removed oops.pdf" in response.get_data(as_text=True)
    assert stored_files(app) == set()


def test_role_play_submission_with_a_recording(app, learner_client):
    data = answers(ROLEPLAY, action="submit", declaration="yes", declaration_name="Pat Learner")
    data["text-briefing-recording"] = ""
    response = post(learner_client, ROLEPLAY, data, files=[("file-briefing-recording", "briefing.mp4", MP4)])
    assert response.status_code == 302
    with app.app_context():
        [evidence] = db.session.scalars(select(EvidenceFile)).all()
        assert evidence.content_type == "video/mp4" and evidence.is_playable
