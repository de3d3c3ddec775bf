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
