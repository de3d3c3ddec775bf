"""Learners never see a marking guide, an observation checklist's guidance or an actor's brief."""

import html
import re

import pytest

from accounts import people
from accounts.models import Cohort, User
from content import default_content
from courseware.render import to_html
from database import db

from .conftest import submit_task
from .test_access import RULES


def squash(text: str) -> str:
    """Letters and digits only, lower case: immune to Markdown, HTML entities and smart quotes."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def public_text() -> str:
    """Everything the content itself shows learners: a fact taught there is no secret in a guide."""
    content = default_content()
    parts = [
        s.body for code in content.library.by_unit for m in content.library.modules(code) for s in m.sections
    ]
    for pack in content.packs.values():
        parts.append(pack.info.overview)
        for task in pack.tasks:
            spec = task.spec
            parts += [spec.instructions, spec.learner_brief or "", *(d.body for d in spec.documents)]
            parts += [i.prompt for i in spec.items] + [b.behaviour for b in spec.observation]
    return squash("\n".join(parts))


def secrets() -> list[tuple[str, str]]:
    public = public_text()
    found = []
    for code, pack in default_content().packs.items():
        for task in pack.tasks:
            texts = [("actor brief", task.spec.actor_brief or "")]
            texts += [(f"guide {i.id}", i.guide) for i in task.spec.items]
            texts += [(f"look_for {b.id}", b.look_for) for b in task.spec.observation]
            for label, text in texts:
                squashed = squash(text)
                for start in range(0, max(len(squashed) - 60, 1), 150):
                    fragment = squashed[start : start + 60]
                    if len(fragment) == 60 and fragment not in public:
                        found.append((f"{code}/{task.id} {label}", fragment))
    return found


@pytest.fixture
def learner_pages(app, client, world):
    """Every page a learner can open: all routes, every module and task of every unit, their receipt."""
    with app.app_context():
        learner = db.session.get(User, world["learner"])
        for code in ("BSBOPS304", "BSBCUS401B"):
            people.enrol(learner, code, db.session.get(Cohort, world["cohort"]))
        db.session.commit()
    submit_task(app, world["learner"], "BSBOPS304", "roleplay-late-delivery")
    urls = {t.format(**world) for rules in RULES.values() for method, t, _ in rules if method == "GET"}
    content = default_content()
    for code in content.packs:
        urls.add(f"/learn/{code}/tasks")
        urls.update(f"/learn/{code}/tasks/{task.id}" for task in content.packs[code].tasks)
        urls.update(f"/learn/{code}/{module.id}" for module in content.library.modules(code))
    client.login("learner@example.com")
    pages = {}
    for url in sorted(urls):
        with client.get(url) as response:
            if response.status_code == 200 and response.mimetype == "text/html":
                pages[url] = squash(response.get_data(as_text=True))
    return pages


def test_no_learner_page_contains_any_assessor_only_text(learner_pages):
    assert len(learner_pages) > 40
    fragments = secrets()
    leaks = [
        (url, label)
        for url, page in learner_pages.items()
        for label, fragment in fragments
        if fragment in page
    ]
    assert leaks == []


def test_the_check_finds_a_guide_once_rendered_into_html():
    """A positive control: a guide rendered as the pages render content is caught by the check."""
    task = default_content().packs["BSBCUS403"].task("project-charter-review")
    leaked_page = "<main>" + to_html(task.spec.items[0].guide) + "</main>"
    label = f"BSBCUS403/{task.id} guide {task.spec.items[0].id}"
    mine = [fragment for name, fragment in secrets() if name == label]
    assert mine and all(fragment in squash(leaked_page) for fragment in mine)
