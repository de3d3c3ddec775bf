"""Every scrolling table box on an assessment page is named, and no two on one page share a name.

Screen readers list a page's regions by name, so two tables called "Table" cannot be told apart. Each
part of a task (its instructions, each document, each question, each marking guide) is rendered apart,
so a table with no heading before it takes the part's own name.
"""

from __future__ import annotations

from collections import Counter

from assessments.marking_views import marking_parts
from content import default_content
from templating import content_markdown
from tests.test_admin_ux import regions

TABLE = "| Day | Calls |\n|---|---|\n| Monday | 12 |\n"


def duplicates(page: str) -> dict[str, int]:
    return {name: count for name, count in Counter(regions(page)).items() if count > 1}


def test_untitled_tables_take_the_name_of_their_part():
    first, second = content_markdown(TABLE, "Question 1"), content_markdown(TABLE, "Question 2")
    assert regions(first + second) == ["Question 1", "Question 2"]
    assert regions(content_markdown(f"## Call log\n\n{TABLE}", "Question 3")) == ["Call log"]


def test_no_learner_task_page_names_two_tables_alike(app, cohort):
    client = app.test_client()
    client.login("learner@example.com")
    pages = [
        (code, task.id, client.get(f"/learn/{code}/tasks/{task.id}").text)
        for code, pack in default_content().packs.items()
        for task in pack.tasks
    ]
    assert {(code, task): duplicates(page) for code, task, page in pages if duplicates(page)} == {}
    assert sum(len(regions(page)) for *_, page in pages) > 10  # the packs do have tables to name


def test_no_marking_screen_names_two_tables_alike(app):
    content = default_content()
    with app.app_context():
        for code, pack in content.packs.items():
            unit = content.catalogue[code]
            for task in pack.tasks:
                parts = marking_parts(unit, task).values()
                screen = "".join(html for part in parts for html in part.values())
                assert duplicates(screen) == {}, (code, task.id)
