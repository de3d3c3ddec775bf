"""In a real browser at a phone's width: every page each demo role can reach by following links fits the
screen (nothing scrolls sideways but a table inside its own box) and passes axe-core.

The pages are found by following links, as a person would, so a new page is checked without being listed.
One page of each shape is visited (/enrolments/12 stands for every /enrolments/N).
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Page

from demo import PASSWORDS

from .conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 375, "height": 740}
ROLES = [
    ("admin@example.com", "admin", "/admin/"),
    ("priya.sharma@example.com", "assessor", "/marking"),
    ("sam.okafor@example.com", "learner", "/learn"),
]
# Links that leave, end the session or fetch a file rather than a page.
SKIP = re.compile(r"/auth/logout|/evidence/\d+$|\.(pdf|csv|zip|txt)$|/download|/export/|/print$")
MOST_PAGES = 80

# How far the page is wider than the screen, and what sticks out: elements whose right edge passes the
# screen's, outside any box that scrolls sideways on its own.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
    const style = getComputedStyle(p);
    if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX) && p !== document.body
        && p !== document.documentElement) return true; } return false; };
  const out = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {extra: document.documentElement.scrollWidth - width, out};
}"""


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def links(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    found = []
    for href in hrefs:
        url = urldefrag(href).url
        if url.startswith(base) and not SKIP.search(urlsplit(url).path):
            found.append(url)
    return found


def is_page(page: Page, url: str) -> bool:
    response = page.request.get(url, max_redirects=0)
    return response.status == 200 and response.headers.get("content-type", "").startswith("text/html")


@pytest.mark.parametrize(("email", "role", "landing"), ROLES)
def test_every_page_a_role_reaches_fits_a_phone_and_passes_axe(live_server, page, email, role, landing):
    sign_in(page, live_server, email, PASSWORDS[role])
    page.set_viewport_size(SMALL_PHONE)
    queue, seen, problems = [live_server + landing], set(), {}
    while queue and len(seen) < MOST_PAGES:
        url = queue.pop(0)
        if shape(url) in seen:
            continue
        seen.add(shape(url))
        if not is_page(page, url):
            continue
        page.goto(url)
        fit = page.evaluate(OVERFLOW)
        if fit["extra"] > 0:
            problems[url] = f"{fit['extra']}px wider than the screen: {fit['out']}"
        if violations := axe_violations(page):
            problems[url] = f"axe: {violations}"
        queue += [link for link in links(page, live_server) if shape(link) not in seen]
    assert len(seen) >= 5, f"only {len(seen)} pages reached from {landing}"
    assert problems == {}, "\n".join(f"{url}: {problem}" for url, problem in problems.items())
