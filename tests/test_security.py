"""Security headers, cookies, and what users write never becoming script."""

import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markup import render_user_markdown

from .conftest import config_for, submit_task

TEMPLATES = Path(__file__).parent.parent / "templates"
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "<iframe src=//evil.example></iframe>",
    '"><script>alert(1)</script>',
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "![x](javascript:alert(1))",
    "<details open ontoggle=alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<<script>script>alert(1)<</script>/script>",
    "`<script>alert(1)</script>`",
    '<a href="&#106;avascript:alert(1)">x</a>',
]


class Elements(HTMLParser):
    """Every element and attribute a browser would build from some HTML (escaped text is just text)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def is_safe(html: str) -> bool:
    """No element that runs script, no event-handler attribute, no javascript:, data: or vbscript: link."""
    for tag, attrs in Elements(html).found:
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "style", "body", "details", "img"):
            return False
        for name, value in attrs:
            if name.startswith("on"):
                return False
            target = re.sub(r"\s", "", value or "").lower()
            if name in ("href", "src") and target.startswith(("javascript:", "data:", "vbscript:")):
                return False
    return True


@pytest.mark.parametrize("payload", HOSTILE)
def test_known_attacks_are_neutralised(payload):
    assert is_safe(str(render_user_markdown(payload)))


fragments = st.sampled_from([*HOSTILE, "**bold**", "- item", "[ok](https://example.com)", "\n\n", "> quote"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(fragments, st.text(max_size=40)), max_size=8).map("".join))
def test_any_mix_of_text_and_attacks_renders_safely(text):
    assert is_safe(str(render_user_markdown(text)))


def test_plain_markdown_still_works():
    html = str(render_user_markdown("**Done** by [RTO](https://example.com)\n\n- one\n- two"))
    assert "<strong>Done</strong>" in html and 'href="https://example.com"' in html and "<li>two</li>" in html


def test_hostile_answers_and_comments_are_inert_on_every_page_that_shows_them(app, client, cohort, learner):
    attempt_id = submit_task(app, learner, "BSBCUS403", "knowledge-questions")
    from assessments.models import Response
    from database import db

    with app.app_context():  # what an attacker would type into the answers (stored as typed)
        responses = db.session.query(Response).all()
        for response, payload in zip(responses, HOSTILE, strict=False):
            db.session.execute(
                Response.__table__.update().where(Response.__table__.c.id == response.id).values(text=payload)
            )
        db.session.commit()
    client.login("assessor@example.com")
    page = client.get(f"/marking/attempts/{attempt_id}").get_data(as_text=True)
    answers = re.findall(r'<div class="learner-answer">(.*?)</div>', page, re.S)
    assert len(answers) == len(responses) and all(is_safe(a) for a in answers)
    assert "alert(1)" in page  # the attacks are shown as harmless text, not dropped


def test_templates_contain_no_inline_script_or_handlers():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\son[a-z]+\s*=\s*[\"']", text), path
        assert "javascript:" not in text.lower(), path


def test_every_response_carries_the_security_headers(client, cohort, learner):
    client.login("learner@example.com")
    for url in ("/", "/units", "/learn", "/static/css/app.css", "/health", "/auth/login"):
        with client.get(url) as response:
            headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url


def test_downloads_are_sandboxed_attachments(app, client, cohort, learner):
    from assessments.models import EvidenceFile
    from database import db

    submit_task(app, learner, "BSBCUS403", "project-charter-review")
    with app.app_context():
        file_id = db.session.query(EvidenceFile.id).first()[0]
    client.login("learner@example.com")
    with client.get(f"/evidence/{file_id}") as response:
        assert response.headers["Content-Security-Policy"].strip() == "default-src 'none'; sandbox"
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_https_turns_on_hsts_and_secure_cookies(make_app, tmp_path):
    app = make_app(config_for(tmp_path) | {"PUBLIC_URL": "https://learn.example.edu.au", "PROXY_COUNT": 1})
    # nginx ends TLS and says so in X-Forwarded-Proto; the app trusts one proxy
    response = app.test_client().get("/auth/login", headers={"X-Forwarded-Proto": "https"})
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    plain = make_app(config_for(tmp_path)).test_client().get("/auth/login")
    assert "Strict-Transport-Security" not in plain.headers


def test_a_usi_is_never_written_to_the_logs(app, client, admin, caplog):
    caplog.set_level(logging.DEBUG)
    client.login("admin@example.com")
    data = {
        "given_names": "Kim",
        "family_name": "Tran",
        "email": "kim@example.com",
        "roles": "learner",
        "password": "a-fine-long-passphrase",
        "is_active": "y",
        "usi": "7QRP3KV395",
        "usi_verified": "y",
    }
    client.submit("/admin/users/new", data)
    client.submit("/admin/users/new", data | {"usi": "7QRP3KV394", "email": "other@example.com"})
    assert "7QRP3KV39" not in caplog.text
