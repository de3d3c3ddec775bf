"""In a real browser: a learner studies a module, checks their knowledge, and submits evidence."""

import hashlib

import pytest
from playwright.sync_api import expect

from content import default_content
from demo import PASSWORDS

from ..conftest import MP4, PDF
from .conftest import PHONE, assert_accessible, sign_in

pytestmark = pytest.mark.browser
LEARNER = "mia.thompson@example.com"  # the demo learner who has not started


def test_learner_walks_a_module_answers_the_check_and_completes_it(live_server, page):
    module = default_content().library.modules("BSBOPS304")[0]
    sign_in(page, live_server, LEARNER, PASSWORDS["learner"])
    page.get_by_role("link", name="BSBOPS304 Deliver and monitor a service to customers").click()
    assert page.locator("progress").get_attribute("value") == "0"
    page.get_by_role("link", name=module.title).click()
    assert_accessible(page)
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name=module.sections[1].title
    ).click()
    chip = page.locator(f"#{module.sections[1].id} .chip summary").first
    chip.click()
    assert "Performance criterion" in page.locator(f"#{module.sections[1].id} .chip[open]").inner_text()

    for question in module.meta.check:
        name = f"q-{question.id}"
        if question.type == "single":
            page.locator(f"input[name='{name}'][value='{question.answer}']").check()
        elif question.type == "multiple":
            for index in question.answer:
                page.locator(f"input[name='{name}'][value='{index}']").check()
        elif question.type == "truefalse":
            page.locator(f"input[name='{name}'][value='{'true' if question.answer else 'false'}']").check()
        else:
            page.locator(f"textarea[name='{name}']").fill("Asking an open question showed the real need.")
    page.get_by_role("button", name="Check my answers").click()
    results = page.locator("#check-results")
    marked = sum(q.type != "text" for q in module.meta.check)
    assert f"{marked} of {marked}" in results.inner_text()
    assert "Sample answer" in results.inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Mark as complete and continue").click()
    page.get_by_role("link", name="BSBOPS304", exact=True).click()
    expected = round(100 / len(default_content().library.modules("BSBOPS304")))
    assert page.locator("progress").get_attribute("value") == str(expected)
    assert "Complete" in page.locator(".module-list li").first.inner_text()


def test_module_page_reads_well_on_a_phone(live_server, page):
    module = default_content().library.modules("BSBCUS403")[0]
    sign_in(page, live_server, LEARNER, PASSWORDS["learner"])
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/learn/BSBCUS403/{module.id}")
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_learner_submits_a_written_task_and_a_role_play_with_a_recording(live_server, page, tmp_path):
    sign_in(page, live_server, LEARNER, PASSWORDS["learner"])
    page.goto(f"{live_server}/learn/BSBCUS403/tasks")
    assert_accessible(page)

    page.get_by_role("link", name="Knowledge questions").click()
    for area in page.locator("textarea").all():
        area.fill("My answer, in my own words, with an example from my workplace.")
    page.get_by_role("button", name="Save draft").click()
    assert "Your draft is saved" in page.locator(".flashes").inner_text()
    assert_accessible(page)
    page.get_by_label("I declare that this work is my own").check()
    page.get_by_label("Your full name").fill("Mia Thompson")
    page.get_by_role("button", name="Submit for assessment").click()
    assert page.get_by_role("heading", name="Submission receipt").is_visible()
    assert_accessible(page)

    recording, slides = tmp_path / "briefing.mp4", tmp_path / "briefing-notes.pdf"
    recording.write_bytes(MP4)
    slides.write_bytes(PDF)
    page.goto(f"{live_server}/learn/BSBCUS403/tasks/roleplay-team-briefing")
    page.locator("input[name='file-briefing-recording']").set_input_files([str(recording), str(slides)])
    for area in page.locator("textarea:not([name='text-briefing-recording'])").all():
        area.fill("What I did, what worked, and what I would change next time.")
    page.get_by_label("I declare that this work is my own").check()
    page.get_by_label("Your full name").fill("Mia Thompson")
    page.get_by_role("button", name="Submit for assessment").click()
    receipt = page.locator(".receipt").inner_text()
    assert "briefing.mp4" in receipt and hashlib.sha256(MP4).hexdigest() in receipt
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    page.goto(f"{live_server}/learn/BSBCUS403/tasks")
    assert page.locator("text=Submitted – awaiting marking").count() == 2


def test_autosave_keeps_typed_text_without_pressing_save(live_server, page):
    sign_in(page, live_server, LEARNER, PASSWORDS["learner"])
    page.goto(f"{live_server}/learn/BSBOPS304/tasks/knowledge-questions")
    page.locator("textarea").first.fill("Typed, then the laptop battery died.")
    expect(page.locator("#autosave-status")).to_contain_text("saved automatically", timeout=15000)
    page.reload()
    assert page.locator("textarea").first.input_value() == "Typed, then the laptop battery died."
