"""In a real browser: marking Not Yet Satisfactory, resubmission, Satisfactory, and a Competent outcome."""

import datetime as dt

import pytest
from sqlalchemy import select

from accounts.models import Enrolment, User
from assessments import marking, rules
from assessments.models import Attempt
from content import default_content
from database import db
from demo import PASSWORDS

from ..conftest import submit_task
from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser
UNIT, WRITTEN = "BSBCUS403", "knowledge-questions"
LEARNER, ASSESSOR = "mia.thompson@example.com", "priya.sharma@example.com"


def every_other_task_satisfactory(app) -> None:
    """Mia has done the rest of the unit; only the knowledge questions remain."""
    with app.app_context():
        mia = db.session.scalar(select(User).where(User.email == LEARNER))
        priya = db.session.scalar(select(User).where(User.email == ASSESSOR))
        mia_id, priya_id = mia.id, priya.id
    for tool in default_content().packs[UNIT].tasks:
        if tool.id == WRITTEN:
            continue
        attempt_id = submit_task(app, mia_id, UNIT, tool.id)
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            decisions = {i: rules.Decision(rules.S, "") for i in attempt.items}
            seen = marking.ObservationRecord(
                {b.id: True for b in tool.observation}, {}, dt.date.today(), "10", ""
            )
            marking.mark_attempt(
                attempt, tool, db.session.get(User, priya_id), decisions, seen, "", True, attempt.version
            )
            db.session.commit()


def submit_written_task(page, live_server, only_first=False):
    page.goto(f"{live_server}/learn/{UNIT}/tasks/{WRITTEN}")
    areas = page.locator("textarea").all()
    for area in areas[:1] if only_first else areas:
        area.fill("In my workplace we use the charter's measures every week; here is how I would apply them.")
    page.get_by_label("I declare that this work is my own").check()
    page.get_by_label("Your full name").fill("Mia Thompson")
    page.get_by_role("button", name="Submit for assessment").click()
    assert page.get_by_role("heading", name="Submission receipt").is_visible()


def mark_in_queue(page, live_server, not_yet: str | None):
    page.goto(f"{live_server}/marking?learner=mia")
    page.get_by_role("button", name="Mark Mia Thompson, Knowledge questions").click()
    for radio in page.locator("input[type=radio][value='S']").all():
        radio.check()
    if not_yet:
        page.locator(f"input[name='result-{not_yet}'][value='NYS']").check()
        page.locator(f"#comment-{not_yet}").fill(
            "Name two service models and say how each shows in the charter."
        )
    page.get_by_label("I declare that I assessed this evidence").check()
    page.get_by_role("button", name="Release judgement").click()
    assert "Judgement released to Mia Thompson" in page.locator(".flashes").inner_text()


def test_nys_then_resubmission_then_competent(app, live_server, browser):
    every_other_task_satisfactory(app)
    learner = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    assessor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(learner, live_server, LEARNER, PASSWORDS["learner"])
    submit_written_task(learner, live_server)

    sign_in(assessor, live_server, ASSESSOR, PASSWORDS["assessor"])
    assessor.goto(f"{live_server}/marking?learner=mia")
    assessor.get_by_role("button", name="Mark Mia Thompson, Knowledge questions").click()
    assert assessor.locator(".marking-guide").first.is_visible()
    assert_accessible(assessor)
    first_requirement = assessor.locator(".picture-list li").first
    assessor.locator("input[type=radio][value='S']").first.check()
    assert (
        "met" in (first_requirement.get_attribute("class") or "")
        or assessor.locator(".picture-list li.met").count()
    )
    mark_in_queue(assessor, live_server, not_yet="q1-service-models")

    learner.goto(f"{live_server}/learn/{UNIT}/tasks/{WRITTEN}")
    assert (
        "Name two service models"
        in learner.locator("#feedback-heading + article, .attempt-feedback").first.inner_text()
    )
    assert learner.locator("textarea").count() == 1  # only the Not Yet Satisfactory item is reopened
    submit_written_task(learner, live_server, only_first=True)

    mark_in_queue(assessor, live_server, not_yet=None)
    with app.app_context():
        enrolment = db.session.scalar(
            select(Enrolment.id)
            .join(User, User.id == Enrolment.learner_id)
            .where(User.email == LEARNER, Enrolment.unit_code == UNIT)
        )
    assessor.goto(f"{live_server}/enrolments/{enrolment}")
    assert "The evidence supports an outcome: Competency achieved/pass (20)" in assessor.content()
    assert_accessible(assessor)
    assessor.get_by_label("I declare that this outcome rests on evidence").check()
    assessor.get_by_role("button", name="Record outcome").click()
    assert "Recorded Competency achieved/pass for Mia Thompson" in assessor.locator(".flashes").inner_text()

    learner.goto(f"{live_server}/learn/{UNIT}/tasks")
    assert "Unit outcome: Competency achieved/pass" in learner.locator(".flash").first.inner_text()
    assert_accessible(learner)
