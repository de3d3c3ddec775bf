"""What learners and staff read: items by number and heading, honest attempt counts, word counts that
read as sentences, recordings asked for as the task needs them, and an outcome form that does not invite
a second entry."""

import html
import io
import re
import shutil

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from assessments.models import Attempt, EvidenceFile
from assessments.tools import PACKS_DIR, Item
from assessments.uploads import Rejected, check
from content import default_content, load_content
from database import db

from .conftest import MP4, enrolment_id, submit_task
from .test_marking import mark

UNIT = "BSBCUS403"
TASKS = f"/learn/{UNIT}/tasks"
PROJECT = "project-charter-review"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 16


def visible(page: str) -> str:
    """The text a reader sees: no tags, attributes or CSRF tokens, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def item(prompt: str = "Answer.", **fields) -> Item:
    return Item(id="x1", prompt=prompt, response="text", maps=("1.1",), guide="Look for.", **fields)


def every_id(code: str) -> list[str]:
    return [point for task in default_content().packs[code].tasks for point, _ in task.evidence_points()]


@pytest.fixture
def learner_client(client, cohort):
    client.login("learner@example.com")
    return client


# 1. Items are named as the forms number them, with the heading their prompt opens with.


@pytest.mark.parametrize(
    ("prompt", "heading"),
    [
        (
            "**Item 2. Complaint record and follow-up email**\n\nWrite it.",
            "Complaint record and follow-up email",
        ),
        (
            "**A1. Monitor performance against the charter.**\n\nBuild a table.",
            "Monitor performance against the charter",
        ),
        ("**Written item 1: Coaching record.** Write the record.", "Coaching record"),
        (
            "**Part 4: Is click-and-collect procedure CC-03 working?**",
            "Is click-and-collect procedure CC-03 working?",
        ),
        ("**Request B: Mr Pappas and the leaking sprayer.**", "Request B: Mr Pappas and the leaking sprayer"),
        ("In the table below, list the **needs** you found.", None),
        ("**" + "A bold opening that runs on like a sentence " * 3 + "**", None),
    ],
)
def test_an_items_heading_is_the_bold_opening_without_the_authors_numbering(prompt, heading):
    assert item(prompt).heading == heading


def test_every_item_and_behaviour_is_labelled_by_number_never_by_id():
    packs = default_content().packs
    project = packs[UNIT].task(PROJECT)
    assert project.label("a2-feedback-analysis") == "Item 2: Review and analyse the feedback"
    questions = packs[UNIT].task("knowledge-questions")
    assert questions.label("q3-charter-policy-procedure") == "Question 3: Standards, policies and procedures"
    assert packs["BSBOPS304"].task("knowledge-questions").label("q1-customer-types") == "Question 1"
    briefing = packs[UNIT].task("roleplay-team-briefing")
    assert briefing.label("reflection-reach-everyone") == "Item 2: Reaching everyone before 1 September"
    assert briefing.label(briefing.observation[2].id) == "Checklist behaviour 3"
    for pack in packs.values():
        for task in pack.tasks:
            for point, _ in task.evidence_points():
                assert point not in task.label(point) and re.match(
                    r"(Item|Question|Checklist behaviour) \d+", task.label(point)
                )


def test_results_receipt_and_evidence_name_items_not_ids(app, learner_client, assessor_client, learner):
    attempt_id = submit_task(app, learner, UNIT, PROJECT)
    mark(assessor_client, attempt_id, not_yet=["a2-feedback-analysis"])
    ids = every_id(UNIT)

    results = visible(learner_client.get(f"{TASKS}/{PROJECT}").get_data(as_text=True))
    assert "Item 2: Review and analyse the feedback Not Yet Satisfactory" in results
    assert "Item 1: Monitor performance against the charter Satisfactory" in results
    receipt = visible(learner_client.get(f"/attempts/{attempt_id}/receipt").get_data(as_text=True))
    assert "Item 1: Monitor performance against the charter a1-charter-monitoring.pdf" in receipt
    evidence_url = f"/enrolments/{enrolment_id(app, learner)}"
    for client in (learner_client, assessor_client):
        evidence = visible(client.get(evidence_url).get_data(as_text=True))
        assert "attempt 1, Item 1: Monitor performance against the charter ·" in evidence
        assert "Item 2: Review and analyse the feedback" not in evidence  # not yet satisfactory: no evidence
        for page in (results, receipt, evidence):
            assert not [point for point in ids if point in page.replace(f"{point}.pdf", "")]  # file names


# 2. Word counts read as sentences, whatever the author wrote.


@pytest.mark.parametrize(
    ("words", "hint"),
    [
        ("150–250", "about 150–250 words"),
        ("250", "about 250 words"),
        ("600–1,000", "about 600–1,000 words"),
        ("200–350 for the email", "about 200–350 words for the email"),
        ("300–500 plus the table", "about 300–500 words plus the table"),
        ("400–700, plus the revised procedure", "about 400–700 words, plus the revised procedure"),
        ("table plus 150–300 words", "table plus 150–300 words"),
        ("Table, plus 60–120 words", "Table, plus 60–120 words"),
        (None, None),
    ],
)
def test_word_count_hints(words, hint):
    assert item(words=words).length_hint == hint


def test_every_word_count_in_every_pack_reads_sensibly_on_its_task_page(learner_client):
    hints = 0
    for code, pack in default_content().packs.items():
        for task in pack.tasks:
            page = learner_client.get(f"/learn/{code}/tasks/{task.id}").get_data(as_text=True)
            shown = re.findall(r'<span class="muted">\(([^)]*words[^)]*)\)</span>', page)
            assert shown == [i.length_hint for i in task.items if i.words], (code, task.id)
            for hint in shown:
                assert hint.count("words") == 1 and not re.match(r"about \D", hint), hint
            hints += len(shown)
    assert hints > 60  # every pack's items, not a page that showed none


# 3. A role-play asks for the recording it needs, and refuses audio where it must be seen.


def test_role_plays_ask_for_video_or_audio_by_default(learner_client):
    page = learner_client.get(f"{TASKS}/roleplay-team-briefing").get_data(as_text=True)
    assert "Your recording (video or audio), and any supporting documents" in page
    assert "Recordings: MP3, M4A, MP4 or WEBM" in page


@pytest.fixture
def video_only_watering_system(tmp_path, monkeypatch):
    """The packs, with the watering-system role-play's recording marked video_only."""
    folder = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, folder)
    path = folder / "BSBOPS304" / "roleplay-watering-system.yaml"
    path.write_text(
        path.read_text().replace(
            "    response: recording\n", "    response: recording\n    video_only: true\n", 1
        )
    )
    content = load_content(packs_dir=folder)
    assert content.packs["BSBOPS304"].task("roleplay-watering-system").items[0].video_only
    monkeypatch.setattr("assessments.views.default_content", lambda: content)
    return "/learn/BSBOPS304/tasks/roleplay-watering-system"


def test_a_video_only_role_play_asks_for_video_and_refuses_audio(
    app, learner_client, video_only_watering_system
):
    url = video_only_watering_system
    page = learner_client.get(url).get_data(as_text=True)
    assert "Your video recording, and any supporting documents" in page
    assert "Video: MP4 or WEBM, up to" in page and "MP3" not in page and ".m4a" not in page
    audio = {"action": "save", "file-rp1-recording": [(io.BytesIO(MP3), "roleplay.mp3")]}
    refused = learner_client.submit(url, audio, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "“roleplay.mp3” is an audio recording, and this role-play must be seen" in refused.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalars(select(EvidenceFile)).all() == []
    video = {"action": "save", "file-rp1-recording": [(io.BytesIO(MP4), "roleplay.mp4")]}
    assert learner_client.submit(url, video, content_type="multipart/form-data").status_code == 302
    with app.app_context():
        assert [f.original_name for f in db.session.scalars(select(EvidenceFile))] == ["roleplay.mp4"]


def test_video_only_is_for_recordings_and_refuses_audio_files():
    with pytest.raises(ValidationError, match="only an item with response: recording"):
        item(video_only=True)
    limits = {"recording": True, "document_limit": 2**20, "recording_limit": 2**20}
    with pytest.raises(Rejected, match="is an audio recording"):
        check("talk.m4a", io.BytesIO(MP3), len(MP3), video_only=True, **limits)
    assert check("talk.mp3", io.BytesIO(MP3), len(MP3), **limits).content_type == "audio/mpeg"


# 4. A draft uses up no attempt.


def test_a_draft_is_an_attempt_in_progress_not_an_attempt_used(app, learner_client, assessor_client, learner):
    learner_client.submit(f"{TASKS}/{PROJECT}", {"action": "save", "text-a1-charter-monitoring": "Started."})
    tasks = visible(learner_client.get(TASKS).get_data(as_text=True))
    assert "Attempt 1 of 3 in progress (draft)" in tasks and "1 of 3 attempts used" not in tasks
    evidence_url = f"/enrolments/{enrolment_id(app, learner)}"
    for client in (learner_client, assessor_client):
        evidence = visible(client.get(evidence_url).get_data(as_text=True))
        assert "Attempt 1 of 3 in progress (draft)" in evidence and "1 of 3 attempts used" not in evidence

    first = submit_task(app, learner, UNIT, PROJECT)  # completes and submits that draft
    with app.app_context():
        assert db.session.scalars(select(Attempt.number)).all() == [1]
    assert "1 of 3 attempts used" in visible(learner_client.get(TASKS).get_data(as_text=True))
    mark(assessor_client, first, not_yet=["a2-feedback-analysis"])
    task_page = visible(learner_client.get(f"{TASKS}/{PROJECT}").get_data(as_text=True))
    assert "attempt 2 of 3" in task_page and "You have 2 attempts left." in task_page
    learner_client.submit(f"{TASKS}/{PROJECT}", {"action": "save", "text-a2-feedback-analysis": "Reworked."})
    tasks = visible(learner_client.get(TASKS).get_data(as_text=True))
    assert "Attempt 2 of 3 in progress (draft)" in tasks and "2 of 3 attempts used" not in tasks
    assert "attempt 2 of 3" in visible(learner_client.get(f"{TASKS}/{PROJECT}").get_data(as_text=True))


# 7. Once an outcome is recorded, changing it is a deliberate step.


def test_the_outcome_form_folds_away_once_an_outcome_is_recorded(app, assessor_client, learner):
    for _ in range(3):  # out of attempts: the evidence supports Not Yet Competent
        attempt_id = submit_task(app, learner, UNIT, "knowledge-questions")
        mark(assessor_client, attempt_id, not_yet=["q1-service-models"])
    url = f"/enrolments/{enrolment_id(app, learner)}"
    form = re.compile(r'<details class="outcome-form"\s*(open)?\s*>\s*<summary>([^<]+)</summary>')
    assert form.search(assessor_client.get(url).get_data(as_text=True)).groups() == (
        "open",
        "Record the unit outcome",
    )
    recorded = assessor_client.submit(f"{url}/outcome", {"code": "30", "declaration": "yes"}, page=url)
    assert recorded.status_code == 302
    page = assessor_client.get(url).get_data(as_text=True)
    assert form.search(page).groups() == (None, "Change the outcome")
    assert "Competency not achieved/fail</strong> (AVETMISS 30)" in page and "Record the new outcome" in page
