"""Assessors mark attempts against the criteria; learners resubmit; outcomes are recorded and audited."""

import datetime as dt
import re

import pytest
from sqlalchemy import event, insert, select, text

from accounts import people
from accounts.models import Cohort, Enrolment, User, cohort_learners
from assessments import screen_records
from assessments.models import Attempt, Judgement, Outcome, Reopening
from assessments.standing import task_states
from audit.models import AuditEvent
from audit.trail import check_chain
from content import default_content
from database import db, utcnow

from .conftest import enrolment_id, submit_task

UNIT = "BSBCUS403"
PROJECT = "project-charter-review"
ROLEPLAY = "roleplay-team-briefing"


def task(task_id, code=UNIT):
    return default_content().packs[code].task(task_id)


def mark(client, attempt_id, not_yet=(), *, declaration=True, version=None, comment="Good work."):
    """Fill in the marking screen as an assessor would: every item, every behaviour, the declaration."""
    page = client.get(f"/marking/attempts/{attempt_id}").get_data(as_text=True)
    version = version or re.search(r'name="version" value="(\d+)"', page).group(1)
    items = set(re.findall(r'name="result-([a-z0-9-]+)"', page))
    behaviours = set(re.findall(r'name="observed-([a-z0-9-]+)"', page))
    data = {
        "version": version,
        "feedback": "See the comments on each item.",
        "observed_on": "2026-03-02",
        "observed_minutes": "14",
        "observation_context": "Recorded role-play",
    }
    for item in items:
        data[f"result-{item}"] = "NYS" if item in not_yet else "S"
        data[f"comment-{item}"] = "Use the figures from the dashboard." if item in not_yet else comment
    data |= {f"observed-{b}": "yes" for b in behaviours}
    if declaration:
        data["declaration"] = "yes"
    return client.submit(f"/marking/attempts/{attempt_id}", data, page=f"/marking/attempts/{attempt_id}")


def test_queue_lists_submitted_attempts_oldest_first(app, assessor_client, learner):
    first = submit_task(app, learner, UNIT, PROJECT)
    second = submit_task(app, learner, UNIT, "knowledge-questions")
    page = assessor_client.get("/marking").get_data(as_text=True)
    assert "<strong>2</strong> attempts awaiting marking" in page
    assert page.index(f"/marking/attempts/{first}") < page.index(f"/marking/attempts/{second}")
    filtered = assessor_client.get("/marking?task=knowledge-questions").get_data(as_text=True)
    assert f"/marking/attempts/{second}" in filtered and f"/marking/attempts/{first}" not in filtered


def test_queue_counts_follow_the_filters(app, assessor_client, learner):
    submit_task(app, learner, UNIT, PROJECT)
    submit_task(app, learner, UNIT, "knowledge-questions")
    submit_task(app, learner, "BSBOPS304", "knowledge-questions")

    def counts(query: str = "") -> tuple[str, dict[str, str]]:
        page = assessor_client.get(f"/marking{query}").get_data(as_text=True)
        total = re.search(r"<strong>(\d+)</strong> attempts? awaiting", page).group(1)
        return total, {
            unit: n for n, unit in re.findall(r'class="stat"[^>]*><strong>(\d+)</strong> (\w+)', page)
        }

    assert counts() == ("3", {"BSBCUS403": "2", "BSBOPS304": "1"})
    # Choosing a unit narrows the total; the per-unit figures stay, to show what the other units hold.
    assert counts("?unit=BSBOPS304") == ("1", {"BSBCUS403": "2", "BSBOPS304": "1"})
    assert counts("?task=knowledge-questions") == ("2", {"BSBCUS403": "1", "BSBOPS304": "1"})
    assert counts("?learner=LEARNER@") == ("3", {"BSBCUS403": "2", "BSBOPS304": "1"})
    assert counts("?learner=nobody") == ("0", {})


def test_queue_counts_are_current_straight_after_a_submission_or_a_judgement(app, assessor_client, learner):
    def total() -> str:
        page = assessor_client.get("/marking").get_data(as_text=True)
        return re.search(r"<strong>(\d+)</strong> attempts? awaiting", page).group(1)

    first = submit_task(app, learner, UNIT, PROJECT)
    assert total() == "1"
    submit_task(app, learner, UNIT, "knowledge-questions")
    assert total() == "2"  # the counts are kept, but never past a submission
    assert mark(assessor_client, first).status_code == 302
    assert total() == "1"  # nor past a judgement


def test_the_queue_keeps_its_rows_and_filter_form_by_what_they_show(
    app, cohort, assessor_client, learner, make_user, monkeypatch
):
    first = submit_task(app, learner, UNIT, PROJECT)
    second = submit_task(app, learner, UNIT, "knowledge-questions")
    page = assessor_client.get("/marking?unit=BSBCUS403").get_data(as_text=True)
    rows, forms = app.extensions["marking_queue_rows"], app.extensions["marking_queue_forms"]
    assert len(rows) == 2 and len(forms) == 1
    kept_html = "".join(map(str, [*rows.values(), *forms.values()]))
    assert all(str(html) in page for html in [*rows.values(), *forms.values()])
    assert '<option value="BSBCUS403" selected>' in kept_html and "Test cohort" in kept_html
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    assert token not in kept_html and "Pat Assessor" not in kept_html  # nothing of the assessor's own
    # What a row shows changes: the row is rendered afresh, never served stale.
    with app.app_context():
        db.session.get(User, learner).given_names = "Renamed"
        db.session.commit()
    page = assessor_client.get("/marking?unit=BSBCUS403").get_data(as_text=True)
    assert page.count("Renamed Learner") == 4 and "Pat Learner" not in page  # two rows, name and link text
    # Another assessor's cohorts give another form: nobody is offered a cohort that is not theirs.
    other = make_user("assessor", "other-assessor@example.com")
    with app.app_context():
        people.save_cohort(Cohort(), "Other cohort", None, [other], [])
        db.session.commit()
    other_client = app.test_client()
    other_client.login("other-assessor@example.com")
    other_page = other_client.get("/marking?unit=BSBCUS403").get_data(as_text=True)
    assert "Other cohort" in other_page and "Test cohort" not in other_page
    assert "Test cohort" in assessor_client.get("/marking?unit=BSBCUS403").get_data(as_text=True)
    # The store is bounded: full, it starts afresh, and the page is whole either way.
    monkeypatch.setattr("assessments.marking_views.PARTS_KEPT", 1)
    with app.app_context():
        db.session.get(User, learner).given_names = "Again"
        db.session.commit()
    page = assessor_client.get("/marking").get_data(as_text=True)
    assert len(rows) == 1 and page.count("Again Learner") == 4
    assert f"/marking/attempts/{first}" in page and f"/marking/attempts/{second}" in page


def test_queue_is_scoped_to_the_assessors_cohorts(app, cohort, learner, make_user):
    submit_task(app, learner, UNIT, PROJECT)
    make_user("assessor", "outsider@example.com")
    outsider = app.test_client()
    outsider.login("outsider@example.com")
    assert "<strong>0</strong> attempts awaiting" in outsider.get("/marking").get_data(as_text=True)
    attempt_id = db_attempt_ids(app)[0]
    assert outsider.get(f"/marking/attempts/{attempt_id}").status_code == 403
    response = outsider.submit(f"/marking/attempts/{attempt_id}", {"version": "1"}, page="/marking")
    assert response.status_code == 403


def db_attempt_ids(app):
    with app.app_context():
        return db.session.scalars(select(Attempt.id).order_by(Attempt.id)).all()


def test_marking_releases_judgements_and_the_learner_sees_them(app, client, assessor_client, learner):
    attempt_id = submit_task(app, learner, UNIT, PROJECT)
    response = mark(assessor_client, attempt_id, not_yet=["a2-feedback-analysis"])
    assert response.status_code == 302
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "not_satisfactory" and attempt.marking.declared
        assert {j.item_id: j.result for j in attempt.judgements}["a2-feedback-analysis"] == "NYS"
    client.login("learner@example.com")
    page = client.get(f"/learn/{UNIT}/tasks/{PROJECT}").get_data(as_text=True)
    assert "Use the figures from the dashboard." in page and "Not Yet Satisfactory" in page
    assert "attempts left" in page or "2 attempts left" in page


def test_resubmission_covers_only_the_not_yet_satisfactory_items(app, client, assessor_client, learner):
    first = submit_task(app, learner, UNIT, PROJECT)
    mark(assessor_client, first, not_yet=["a2-feedback-analysis", "a5-communication-plan"])
    second = submit_task(app, learner, UNIT, PROJECT)
    with app.app_context():
        assert db.session.get(Attempt, second).items == ["a2-feedback-analysis", "a5-communication-plan"]
    page = assessor_client.get(f"/marking/attempts/{second}").get_data(as_text=True)
    assert set(re.findall(r'name="result-([a-z0-9-]+)"', page)) == {
        "a2-feedback-analysis",
        "a5-communication-plan",
    }
    mark(assessor_client, second)
    client.login("learner@example.com")
    assert "Satisfactory" in client.get(f"/learn/{UNIT}/tasks").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Attempt, second).status == "satisfactory"


def test_attempts_are_capped_and_a_trainer_reopens_with_a_reason(app, assessor_client, learner):
    for _ in range(3):
        attempt_id = submit_task(app, learner, UNIT, "knowledge-questions")
        mark(assessor_client, attempt_id, not_yet=["q1-service-models"])
    with pytest.raises(Exception, match="not open"):
        submit_task(app, learner, UNIT, "knowledge-questions")
    enrolment = enrolment_id(app, learner)
    page = assessor_client.get(f"/enrolments/{enrolment}").get_data(as_text=True)
    assert "no attempts left" in page and "Allow one more attempt" in page
    missing = assessor_client.submit(
        f"/enrolments/{enrolment}/tasks/knowledge-questions/reopen",
        {"reason": ""},
        page=f"/enrolments/{enrolment}",
    )
    assert missing.status_code == 422
    assessor_client.submit(
        f"/enrolments/{enrolment}/tasks/knowledge-questions/reopen",
        {"reason": "further_training", "note": "Completed a coaching session"},
        page=f"/enrolments/{enrolment}",
    )
    with app.app_context():
        assert db.session.scalar(select(Reopening.reason)) == "further_training"
    fourth = submit_task(app, learner, UNIT, "knowledge-questions")
    with app.app_context():
        assert db.session.get(Attempt, fourth).number == 4


def test_not_yet_competent_is_proposed_once_attempts_are_exhausted(app, assessor_client, learner):
    for _ in range(3):
        mark(
            assessor_client,
            submit_task(app, learner, UNIT, "knowledge-questions"),
            not_yet=["q1-service-models"],
        )
    enrolment = enrolment_id(app, learner)
    competent = assessor_client.submit(
        f"/enrolments/{enrolment}/outcome",
        {"code": "20", "declaration": "yes"},
        page=f"/enrolments/{enrolment}",
    )
    assert competent.status_code == 422 and "does not support this outcome" in competent.get_data(
        as_text=True
    )
    assessor_client.submit(
        f"/enrolments/{enrolment}/outcome",
        {"code": "30", "declaration": "yes"},
        page=f"/enrolments/{enrolment}",
    )
    with app.app_context():
        assert db.session.scalar(select(Outcome.code)) == "30"


def test_competent_only_when_every_task_is_satisfactory(app, client, assessor_client, learner):
    enrolment = enrolment_id(app, learner)
    tasks = default_content().packs[UNIT].tasks
    for tool in tasks[:-1]:
        mark(assessor_client, submit_task(app, learner, UNIT, tool.id))
    early = assessor_client.submit(
        f"/enrolments/{enrolment}/outcome",
        {"code": "20", "declaration": "yes"},
        page=f"/enrolments/{enrolment}",
    )
    assert early.status_code == 422
    mark(assessor_client, submit_task(app, learner, UNIT, tasks[-1].id))
    page = assessor_client.get(f"/enrolments/{enrolment}").get_data(as_text=True)
    assert "The evidence supports an outcome: Competency achieved/pass (20)" in page
    assert "No satisfactory evidence yet" not in page
    undeclared = assessor_client.submit(
        f"/enrolments/{enrolment}/outcome", {"code": "20"}, page=f"/enrolments/{enrolment}"
    )
    assert undeclared.status_code == 422
    assessor_client.submit(
        f"/enrolments/{enrolment}/outcome",
        {"code": "20", "declaration": "yes"},
        page=f"/enrolments/{enrolment}",
    )
    client.login("learner@example.com")
    assert "Unit outcome: <strong>Competency achieved/pass</strong>" in client.get(
        f"/learn/{UNIT}/tasks"
    ).get_data(as_text=True)


def test_only_an_admin_records_rpl_or_credit_transfer_with_evidence(app, assessor_client, learner, admin):
    enrolment = enrolment_id(app, learner, "BSBCUS401B")
    refused = assessor_client.submit(
        f"/enrolments/{enrolment}/outcome",
        {"code": "60", "declaration": "yes", "evidence": "SoA"},
        page=f"/enrolments/{enrolment}",
    )
    assert refused.status_code == 422 and "Only an administrator" in refused.get_data(as_text=True)
    admin_client = app.test_client()
    admin_client.login("admin@example.com")
    no_evidence = admin_client.submit(
        f"/enrolments/{enrolment}/outcome",
        {"code": "60", "declaration": "yes"},
        page=f"/enrolments/{enrolment}",
    )
    assert "Describe the evidence" in no_evidence.get_data(as_text=True)
    admin_client.submit(
        f"/enrolments/{enrolment}/outcome",
        {"code": "60", "declaration": "yes", "evidence": "BSBCUS401 SoA, RTO 1234, verified"},
        page=f"/enrolments/{enrolment}",
    )
    with app.app_context():
        outcome = db.session.scalar(select(Outcome))
        assert (outcome.code, outcome.evidence) == ("60", "BSBCUS401 SoA, RTO 1234, verified")


def test_an_outcome_and_an_enrolment_are_dated_where_the_rto_is(app, learner, admin, cohort, monkeypatch):
    # 13:05 UTC on 24 November 2025 is five past midnight on 25 November in Sydney (AEDT, UTC+11): the
    # date NCVER receives and the certificate shows is Sydney's, not the server's.
    monkeypatch.setattr("database.utcnow", lambda: dt.datetime(2025, 11, 24, 13, 5, tzinfo=dt.UTC))
    enrolment = enrolment_id(app, learner, "BSBCUS401B")
    admin_client = app.test_client()
    admin_client.login("admin@example.com")
    admin_client.submit(
        f"/enrolments/{enrolment}/outcome",
        {"code": "60", "declaration": "yes", "evidence": "BSBCUS401 SoA, RTO 1234, verified"},
        page=f"/enrolments/{enrolment}",
    )
    with app.app_context():
        assert db.session.scalar(select(Outcome.end_date)) == dt.date(2025, 11, 25)
        other = people.create_user("late@example.com", "Late", "Lee", ("learner",), "correct-horse-battery")
        people.enrol(other, UNIT, db.session.get(Cohort, cohort))
        db.session.commit()
        assert db.session.scalar(select(Enrolment.start_date).filter_by(learner_id=other.id)) == dt.date(
            2025, 11, 25
        )


def test_role_play_marking_needs_every_behaviour_and_cannot_be_s_with_one_unseen(
    app, assessor_client, learner
):
    attempt_id = submit_task(app, learner, UNIT, ROLEPLAY)
    page = assessor_client.get(f"/marking/attempts/{attempt_id}").get_data(as_text=True)
    assert "<video controls" in page  # the recording plays in the browser
    assert (
        task(ROLEPLAY).spec.observation[0].look_for.split()[0] in page
    )  # the guidance is shown to assessors
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    data = {"version": version, "declaration": "yes", "observed_on": "2026-03-02"}
    data |= {f"result-{i}": "S" for i in task(ROLEPLAY).item_ids}
    data |= {f"observed-{b.id}": "yes" for b in task(ROLEPLAY).spec.observation}
    data[f"observed-{task(ROLEPLAY).spec.observation[0].id}"] = "no"
    response = assessor_client.submit(f"/marking/attempts/{attempt_id}", data, page="/marking")
    assert response.status_code == 422
    assert "every behaviour on the checklist was observed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "submitted"


def test_the_marking_screen_shows_each_file_and_observation_once_whoever_else_marks_the_cohort(
    app, cohort, assessor_client, learner, make_user
):
    """The files and the cohort's staff are read in one joined query, the judgements and observations with
    the attempts: a second assessor on the cohort, several files, or a role-play's judgements beside its
    behaviours must not repeat anything."""
    second = make_user("assessor", "second@example.com")
    with app.app_context():
        group = db.session.get(Cohort, cohort)
        group.staff.append(db.session.get(User, second))
        db.session.commit()
    project = submit_task(app, learner, UNIT, PROJECT)
    page = assessor_client.get(f"/marking/attempts/{project}").get_data(as_text=True)
    with app.app_context():
        files = db.session.get(Attempt, project).files
        assert len(files) > 1
        for file in files:
            assert page.count(f'href="/evidence/{file.id}"') == 1, file.original_name
    roleplay = submit_task(app, learner, UNIT, ROLEPLAY)
    assert mark(assessor_client, roleplay).status_code == 302
    page = assessor_client.get(f"/marking/attempts/{roleplay}").get_data(as_text=True)
    assert page.count("<strong>Observed</strong>") == len(task(ROLEPLAY).spec.observation)
    assert page.count("Judged by") == len(task(ROLEPLAY).item_ids)
    with app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_id(app, learner))
        states = task_states(enrolment.id, default_content().packs[UNIT], 3)
        [marked] = states[ROLEPLAY].attempts
        assert len(marked.observations) == len(task(ROLEPLAY).spec.observation)
        assert sorted(j.item_id for j in marked.judgements) == sorted(task(ROLEPLAY).item_ids)
    with app.app_context():  # the screen's own records, as it reads them
        shown = screen_records.markable(roleplay, second)
        assert shown.enrolment.on_staff and shown.attempt.marking.assessor_name
        assert [o.behaviour_id for o in shown.attempt.observations] == [
            b.id for b in task(ROLEPLAY).spec.observation
        ]
        assert sorted(j.item_id for j in shown.attempt.judgements) == sorted(task(ROLEPLAY).item_ids)
        assert sorted(a.id for a in shown.attempts) == sorted([project, roleplay])


def test_the_marking_guide_is_rendered_once_per_task_and_each_attempt_s_own_parts_every_time(
    app, cohort, assessor_client, learner, make_user
):
    other = make_user("learner", "other@example.com", family="Other")
    with app.app_context():
        people.enrol(db.session.get(User, other), UNIT, db.session.get(Cohort, cohort))
        db.session.commit()
    attempts = [submit_task(app, who, UNIT, ROLEPLAY) for who in (learner, other)]
    pages = [assessor_client.get(f"/marking/attempts/{a}").get_data(as_text=True) for a in attempts]
    kept = app.extensions["marking_parts"]
    assert len(kept) == 1  # both attempts were served the one rendering of the task
    (parts,) = kept.values()
    roleplay = task(ROLEPLAY)
    assert parts.keys() == set(roleplay.item_ids) | {b.id for b in roleplay.spec.observation}
    kept_html = "".join(str(html) for part in parts.values() for html in part.values())
    for page in pages:
        assert all(str(html) in page for part in parts.values() for html in part.values())
    first_item, first_behaviour = roleplay.spec.items[0], roleplay.spec.observation[0]
    assert "<h3>Item 1" in str(parts[first_item.id]["head"]) and "Marking guide" in kept_html
    assert f"1. {first_behaviour.behaviour}" in str(parts[first_behaviour.id]["head"]).replace("&#39;", "'")
    token = re.search(r'name="csrf_token" value="([^"]+)"', pages[0])[1]
    for own in (
        token,
        "Pat Learner",
        "Pat Other",
        f"My answer to {first_item.id}",
        " checked>",
        "aria-invalid",
    ):
        assert own not in kept_html  # the attempt's answers, the learner and anything chosen are never kept
    assert "Pat Learner" in pages[0] and "Pat Other" in pages[1]
    assert f'name="result-{first_item.id}"' in str(parts[first_item.id]["form"])  # a blank judgement
    # A refused release shows the assessor's own choices and problems, never the kept blank forms.
    version = re.search(r'name="version" value="(\d+)"', pages[0])[1]
    typed = {
        "version": version,
        f"result-{first_item.id}": "NYS",
        f"comment-{first_item.id}": "Redo the close.",
    }
    typed[f"note-{first_behaviour.id}"] = "Greeted by name."
    refused = assessor_client.submit(f"/marking/attempts/{attempts[0]}", typed, page="/marking")
    html = refused.get_data(as_text=True)
    assert (
        refused.status_code == 422
        and "Redo the close.</textarea>" in html
        and 'value="Greeted by name."' in html
    )
    assert re.search(rf'name="result-{first_item.id}" value="NYS" checked', html)
    assert "Redo the close." not in "".join(
        str(h) for part in kept.values() for p in part.values() for h in p.values()
    )
    # The requirement picture is kept by the evidence it shows: the two learners, alike so far, share one.
    assert len(app.extensions["marking_pictures"]) == 1
    assert str(next(iter(app.extensions["marking_pictures"].values()))) in pages[1]
    assert mark(assessor_client, attempts[0]).status_code == 302  # the first learner's evidence moves on
    first_page, second_page = (
        assessor_client.get(f"/marking/attempts/{a}").get_data(as_text=True) for a in attempts
    )
    assert re.search(r'<li data-requirement="[^"]+" data-earlier="" class="met">', first_page)
    assert 'class="met"' not in second_page and len(app.extensions["marking_pictures"]) == 2
    app.jinja_env.auto_reload = True  # as under `flask run --debug`: an edited template shows at once
    assessor_client.get(f"/marking/attempts/{attempts[0]}")
    assert next(iter(kept.values())) is not parts


@pytest.mark.parametrize("minutes", ["0", "601", "-5", str(10**20)])
def test_an_impossible_observation_length_is_refused_and_nothing_is_saved(
    app, assessor_client, learner, minutes
):
    attempt_id = submit_task(app, learner, UNIT, ROLEPLAY)
    page = assessor_client.get(f"/marking/attempts/{attempt_id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    data = {
        "version": version,
        "declaration": "yes",
        "observed_on": "2026-03-02",
        "observed_minutes": minutes,
    }
    data |= {f"result-{i}": "S" for i in task(ROLEPLAY).item_ids}
    data |= {f"observed-{b.id}": "yes" for b in task(ROLEPLAY).spec.observation}
    response = assessor_client.submit(f"/marking/attempts/{attempt_id}", data, page="/marking")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "in whole minutes, from 1 to 600" in html
    assert 'type="number" min="1" max="600" id="mark-observed_minutes"' in html  # the browser's limits agree
    assert (
        '<a href="#mark-observed_minutes">Duration (minutes)</a>' in html
        and 'id="mark-observed_minutes"' in html
    )
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "submitted"
    data["observed_minutes"] = "600"
    assert assessor_client.submit(f"/marking/attempts/{attempt_id}", data, page="/marking").status_code == 302


def test_the_problem_list_names_each_field_as_its_label_does(app, assessor_client, learner):
    attempt_id = submit_task(app, learner, UNIT, ROLEPLAY)
    page = assessor_client.get(f"/marking/attempts/{attempt_id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    data = {"version": version} | {f"result-{i}": "S" for i in task(ROLEPLAY).item_ids}
    response = assessor_client.submit(f"/marking/attempts/{attempt_id}", data, page="/marking")
    html = response.get_data(as_text=True)
    first = task(ROLEPLAY).spec.observation[0].id
    assert response.status_code == 422
    assert f'<a href="#mark-{first}">Checklist behaviour 1</a>' in html
    assert '<a href="#mark-observed_on">Date observed</a>' in html
    assert '<a href="#mark-declaration">Assessor’s declaration</a>' in html


def test_nys_without_a_comment_is_refused(app, assessor_client, learner):
    attempt_id = submit_task(app, learner, UNIT, "knowledge-questions")
    response = mark(assessor_client, attempt_id, not_yet=["q2-internal-external"], comment="")
    assert response.status_code == 302  # S items may go without a comment; NYS items had one
    attempt_id = submit_task(app, learner, UNIT, PROJECT)
    page = assessor_client.get(f"/marking/attempts/{attempt_id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    data = {"version": version, "declaration": "yes"} | {f"result-{i}": "NYS" for i in task(PROJECT).item_ids}
    response = assessor_client.submit(f"/marking/attempts/{attempt_id}", data, page="/marking")
    assert response.status_code == 422 and "Say what the learner must do" in response.get_data(as_text=True)


def test_two_assessors_marking_at_once_the_second_is_refused(
    app, cohort, assessor_client, learner, make_user
):
    attempt_id = submit_task(app, learner, UNIT, PROJECT)
    other_id = make_user("assessor", "second@example.com")
    with app.app_context():
        group = db.session.get(Cohort, cohort)
        group.staff.append(db.session.get(User, other_id))
        db.session.commit()
    second = app.test_client()
    second.login("second@example.com")
    stale_page = second.get(f"/marking/attempts/{attempt_id}").get_data(as_text=True)
    stale_version = re.search(r'name="version" value="(\d+)"', stale_page).group(1)
    assert mark(assessor_client, attempt_id).status_code == 302
    response = mark(second, attempt_id, not_yet=["a1-charter-monitoring"], version=stale_version)
    assert response.status_code == 409
    assert "marked this attempt first" in response.get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "satisfactory"
        assert all(j.result == "S" for j in attempt.judgements) and len(attempt.judgements) == 6


def test_a_released_judgement_changes_only_by_a_recorded_revision(app, assessor_client, learner):
    attempt_id = submit_task(app, learner, UNIT, PROJECT)
    mark(assessor_client, attempt_id, not_yet=["a3-improvement-report"])
    url = f"/marking/attempts/{attempt_id}/items/a3-improvement-report/revise"
    no_reason = assessor_client.submit(
        url, {"result": "S"}, page=f"/marking/attempts/{attempt_id}", follow_redirects=True
    )
    assert "give the reason" in no_reason.get_data(as_text=True)
    assessor_client.submit(
        url,
        {"result": "S", "reason": "Appeal upheld: the report did use the figures"},
        page=f"/marking/attempts/{attempt_id}",
    )
    with app.app_context():
        judgements = db.session.scalars(
            select(Judgement).where(Judgement.item_id == "a3-improvement-report")
        ).all()
        assert [j.result for j in judgements] == ["NYS", "S"] and judgements[1].revises_id == judgements[0].id
        assert db.session.get(Attempt, attempt_id).status == "satisfactory"
        assert (
            db.session.scalar(select(AuditEvent).where(AuditEvent.action == "judgement.revised")) is not None
        )
    page = assessor_client.get(f"/marking/attempts/{attempt_id}").get_data(as_text=True)
    assert page.count("Revised by") == 1 and "Appeal upheld: the report did use the figures" in page
    assert page.count("Judged by") == len(task(PROJECT).item_ids)


def test_evidence_picture_shows_who_gave_evidence_for_each_requirement(app, assessor_client, learner):
    mark(assessor_client, submit_task(app, learner, UNIT, PROJECT))
    page = assessor_client.get(f"/enrolments/{enrolment_id(app, learner)}").get_data(as_text=True)
    assert "Project" in page or task(PROJECT).title in page
    assert "Pat Assessor" in page
    assert "No satisfactory evidence yet" in page  # other requirements still have gaps, shown in red


def test_every_decision_is_audited_and_the_chain_verifies(app, runner, assessor_client, learner):
    attempt_id = submit_task(app, learner, UNIT, PROJECT)
    mark(assessor_client, attempt_id, not_yet=["a1-charter-monitoring"])
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions == ["attempt.submitted", "attempt.marked"]
        assert check_chain() == []
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact: 2 events" in result.output


def test_tampering_with_the_audit_trail_is_detected(app, runner, assessor_client, learner):
    mark(assessor_client, submit_task(app, learner, UNIT, PROJECT))
    with app.app_context():
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text("UPDATE audit_events SET action = 'x' WHERE seq = 1"))
        db.session.rollback()
        drop_append_only_guard()
        db.session.execute(text("UPDATE audit_events SET after = NULL WHERE seq = 1"))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "Event 1: its contents were changed" in result.output


def drop_append_only_guard() -> None:
    """What an attacker with database access would do first."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("DROP TRIGGER audit_events_no_update"))
    else:
        db.session.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))


def test_admin_filters_the_trail_per_learner(app, assessor_client, learner, admin):
    mark(assessor_client, submit_task(app, learner, UNIT, PROJECT))
    admin_client = app.test_client()
    admin_client.login("admin@example.com")
    page = admin_client.get(f"/admin/audit?learner={learner}").get_data(as_text=True)
    assert "<code>attempt.submitted</code>" in page and "<code>attempt.marked</code>" in page
    other = admin_client.get("/admin/audit?learner=999999").get_data(as_text=True)
    assert "<code>attempt.submitted</code>" not in other and "No events yet" in other


def seed_attempts(app, cohort_id: int, count: int, *, submitted_at=None) -> None:
    """Many submitted attempts from many learners, inserted in bulk: the data is under test. With
    `submitted_at`, every attempt shares that time (as a bulk import or a demo seeding would)."""
    tasks = [t.id for t in default_content().packs[UNIT].tasks]
    with app.app_context():
        start = db.session.scalar(select(db.func.max(User.id))) or 0
        learners = count // len(tasks) + 1
        db.session.execute(
            insert(User),
            [
                {
                    "id": start + n,
                    "email": f"bulk{start + n}@example.com",
                    "password_hash": "x",
                    "family_name": f"Bulk{n}",
                    "given_names": "B",
                    "is_learner": True,
                    "session_token": f"bulk-token-{start + n}",
                }
                for n in range(1, learners + 1)
            ],
        )
        db.session.execute(
            insert(cohort_learners),
            [{"cohort_id": cohort_id, "user_id": start + n} for n in range(1, learners + 1)],
        )
        db.session.execute(
            insert(Enrolment),
            [
                {"learner_id": start + n, "unit_code": UNIT, "cohort_id": cohort_id}
                for n in range(1, learners + 1)
            ],
        )
        enrolments = db.session.scalars(select(Enrolment.id).where(Enrolment.learner_id > start)).all()
        rows = [
            {
                "enrolment_id": e,
                "task_id": t,
                "number": 1,
                "items": [],
                "status": "submitted",
                "submitted_at": submitted_at or utcnow(),
                "declaration_name": "B",
            }
            for e in enrolments
            for t in tasks
        ][:count]
        db.session.execute(insert(Attempt), rows)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # the bulk ids skipped the sequence
            db.session.execute(text("SELECT setval('users_id_seq', (SELECT max(id) FROM users))"))
            db.session.commit()


@pytest.mark.slow
def test_queue_query_count_is_the_same_at_ten_and_two_thousand_attempts(
    app, cohort, assessor_client, count_queries
):
    seed_attempts(app, cohort, 10)
    with count_queries() as few:
        page = assessor_client.get("/marking").get_data(as_text=True)
    assert "<strong>10</strong> attempts" in page
    seed_attempts(app, cohort, 1990)
    app.extensions.pop("marking_queue_summary")  # bulk inserts bypass the audit trail that renews it
    with count_queries() as many:
        page = assessor_client.get("/marking?page=3").get_data(as_text=True)
    assert "<strong>2000</strong> attempts" in page and "Page 3 of 80" in page
    assert len(few) == len(many) <= 8, many


def queue_statements(app, client, path: str = "/marking") -> list[tuple[str, object]]:
    """The queue's page query (the one ordered oldest first) as sent, with its parameters."""
    sent = []

    def record(conn, cursor, statement, parameters, *args) -> None:
        if "ORDER BY attempts.submitted_at" in statement:
            sent.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return sent


def test_attempts_submitted_at_the_same_moment_are_paged_by_id_without_gaps(app, cohort, assessor_client):
    seed_attempts(app, cohort, 60, submitted_at=utcnow())
    with app.app_context():
        expected = db.session.scalars(select(Attempt.id).order_by(Attempt.id)).all()
    listed = []
    for page in (1, 2, 3):
        html = assessor_client.get(f"/marking?page={page}").get_data(as_text=True)
        listed += [int(n) for n in re.findall(r'href="/marking/attempts/(\d+)"', html)]
    assert listed == expected
    beyond = assessor_client.get("/marking?page=9999").get_data(as_text=True)
    assert "Page 3 of 3" in beyond and re.findall(r'href="/marking/attempts/(\d+)"', beyond)


def test_each_filter_narrows_the_rows_for_assessors_and_admins(app, world, clients):
    """The queue's statement is built once per set of filters and its values bound on each visit: every
    filter, and the assessor's own cohorts, must still choose exactly the right rows."""
    with app.app_context():
        theirs = db.session.scalar(select(Cohort).filter_by(name="Theirs"))
        people.enrol(db.session.get(User, world["other_learner"]), UNIT, theirs)
        people.enrol(
            db.session.get(User, world["learner"]), "BSBOPS304", db.session.get(Cohort, world["cohort"])
        )
        db.session.commit()
        family = db.session.get(User, world["other_learner"]).family_name
        theirs_id = theirs.id
    mine = world["attempt"]
    other_unit = submit_task(app, world["learner"], "BSBOPS304", "knowledge-questions")
    other_cohort = submit_task(app, world["other_learner"], UNIT, PROJECT)

    def listed(who: str, query: str = "") -> set[int]:
        page = clients[who].get(f"/marking{query}").get_data(as_text=True)
        return {int(n) for n in re.findall(r'href="/marking/attempts/(\d+)"', page)}

    assert listed("assessor") == {mine, other_unit}
    assert listed("other_assessor") == {other_cohort}
    assert listed("admin") == {mine, other_unit, other_cohort}
    assert listed("admin", f"?cohort={theirs_id}") == {other_cohort}
    assert listed("assessor", f"?cohort={theirs_id}") == set()  # not theirs to mark
    assert listed("admin", "?unit=BSBOPS304") == {other_unit}
    assert listed("admin", f"?task={PROJECT}") == {mine, other_cohort}
    assert listed("admin", f"?learner={family.upper()}") == {other_cohort}
    assert listed("assessor", f"?learner={family}") == set()
    assert listed("admin", f"?unit={UNIT}&cohort={world['cohort']}&task={PROJECT}") == {mine}


def query_plan(statement: str, parameters) -> str:
    """The database's plan for a statement as sent, its steps in one line."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        return " | ".join(row[-1] for row in rows)
    rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
    return " | ".join(row[0].strip() for row in rows)


@pytest.mark.slow
def test_the_queue_page_is_read_off_the_index_without_sorting(app, cohort, assessor_client):
    seed_attempts(app, cohort, 2000, submitted_at=utcnow())  # ties: the old index had to sort them all
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))  # as autovacuum would after a bulk load
            db.session.commit()
    [(statement, parameters)] = queue_statements(app, assessor_client)
    with app.app_context():
        plan = query_plan(statement, parameters)
    assert "ix_attempts_status_submitted" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_the_marking_screen_names_items_as_the_learner_s_form_does(app, assessor_client, learner):
    questions = task("knowledge-questions")
    attempt_id = submit_task(app, learner, UNIT, "knowledge-questions")
    page = assessor_client.get(f"/marking/attempts/{attempt_id}").get_data(as_text=True)
    first = questions.labels[questions.item_ids[0]]
    assert first.number == "Question 1" and "<h3>Question 1" in page and "Item 1" not in page
    assert "<legend>Judgement for question 1</legend>" in page
