"""In a real browser: each demo role signs in and lands on its dashboard; pages pass axe-core."""

import pytest

from demo import PASSWORDS

from .conftest import PHONE, assert_accessible, sign_in

pytestmark = pytest.mark.browser

LANDINGS = [
    ("admin@example.com", "admin", "/admin/", "Administration"),
    ("priya.sharma@example.com", "assessor", "/marking", "Marking queue"),
    ("jordan.lee@example.com", "learner", "/learn", "My learning"),
]


@pytest.mark.parametrize(("email", "role", "path", "heading"), LANDINGS)
def test_each_demo_role_lands_on_its_dashboard(live_server, page, email, role, path, heading):
    sign_in(page, live_server, email, PASSWORDS[role])
    assert page.url == live_server + path
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(page)


def test_sign_in_page_is_accessible_on_desktop_and_phone(live_server, page):
    page.goto(live_server + "/auth/login")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)


def test_unit_page_is_accessible_and_fits_a_phone(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/units/BSBOPS304")
    assert page.get_by_role("heading", level=1).inner_text().startswith("BSBOPS304")
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_wrong_password_shows_the_message_next_to_the_field(live_server, page):
    sign_in(page, live_server, "admin@example.com", "not-the-password")
    error = page.locator("#password-error")
    assert "not right" in error.inner_text()
    assert page.get_by_label("Password").get_attribute("aria-invalid") == "true"
