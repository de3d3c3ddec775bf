"""In a real browser: an administrator issues a certificate, downloads it, and verifies it by its QR URL."""

import io
import re

import pytest
from pypdf import PdfReader

from demo import PASSWORDS

from .conftest import PHONE, assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_admin_issues_downloads_and_verifies_a_certificate(live_server, page):
    sign_in(page, live_server, "admin@example.com", PASSWORDS["admin"])
    assert_accessible(page)  # the dashboard, with its charts
    page.get_by_role("link", name="Certificates", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Issue to Lucy Chen").click()
    assert "Issued" in page.locator(".flashes").inner_text()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    pdf = download.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Lucy Chen" in text and "Statement of Attainment" in text
    url = re.search(r"(https?://\S+/verify/[0-9A-Z-]+)", text.replace("\n", " ")).group(1)

    public = page.context.browser.new_page(viewport=PHONE)  # a stranger scanning the QR code on a phone
    public.goto(url.replace("http://127.0.0.1:5000", live_server))
    assert "Valid." in public.locator(".verify-result").inner_text()
    assert "Lucy Chen" in public.content()
    assert_accessible(public)


def test_issuing_to_everyone_ends_by_saying_what_was_issued_and_the_page_polls_in_the_same_words(
    live_server, page
):
    sign_in(page, live_server, "admin@example.com", PASSWORDS["admin"])
    page.goto(live_server + "/admin/certificates")
    page.get_by_role("button", name=re.compile("Issue to everyone eligible")).click()
    page.wait_for_function(
        "document.getElementById('job-status').textContent.trim().startsWith('Finished')", timeout=60_000
    )
    finished = page.locator("#job-status").inner_text().strip()
    assert re.fullmatch(r"Finished: \d+ issued(, .+)?\.", finished)
    assert_accessible(page)
    # While a job runs, the page rewrites its status from the job's JSON: in the words the server uses.
    polled = {
        state: page.evaluate(f"jobStatus({{status: '{state}', done: 1, total: 2, result: '1 issued.'}})")
        for state in ("queued", "running", "done", "failed")
    }
    assert polled["queued"] == "Waiting to start…"
    assert polled["running"] == "Issuing: 1 of 2 learners so far…"
    assert polled["done"] == "Finished: 1 issued."
    assert polled["failed"].startswith("Stopped after 1 of 2 learners: 1 issued.")
