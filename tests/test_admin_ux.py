"""What an administrator (and a screen-reader user) sees: forms laid out field by field, wording for
whoever is filling a form in, named table regions, and an audit trail a person can read."""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from accounts.models import Cohort
from audit.changes import Change, changes, show, together
from audit.trail import record
from courseware.render import TableNames, to_html
from database import db

REGION = re.compile(r'role="region"[^>]*aria-label="([^"]*)"|aria-label="([^"]*)"[^>]*role="region"')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Containers(HTMLParser):
    """For each element with an id (and each label, by its `for`), the elements it sits inside."""

    def __init__(self, page: str):
        super().__init__()
        self.stack: list[tuple[str, int]] = []
        self.inside: dict[str, tuple[tuple[str, int], ...]] = {}
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "label" and "for" in attributes:
            self.inside[f"label:{attributes['for']}"] = tuple(self.stack)
        elif "id" in attributes:
            self.inside[attributes["id"]] = tuple(self.stack)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0] * 10_000 + self.getpos()[1]))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def wrapped_alone(self, field: str) -> bool:
        """The field's label and input share a <div> of their own (a grid cell, a flex item)."""
        label, control = self.inside[f"label:{field}"], self.inside[field]
        return label == control and label[-1][0] == "div"


def regions(page: str) -> list[str]:
    return [a or b for a, b in REGION.findall(page)]


def signed_in(app, email: str, password: str):
    client = app.test_client()
    client.login(email, password)
    return client


# Reporting details: the layout, and wording for whoever is filling the form in.


def test_each_address_field_sits_in_its_own_grid_cell(app, demo):
    lucy = signed_in(app, "lucy.chen@example.com", "demo-learner-pass")
    page = Containers(lucy.get("/account/details").get_data(as_text=True))
    for field in ("flat_unit", "street_number", "suburb", "postcode", "state"):
        assert page.wrapped_alone(field), field
    assert page.inside["flat_unit"][-2] == page.inside["street_number"][-2]  # side by side in one grid


def test_a_learner_is_spoken_to_and_an_administrator_about_the_learner(app, admin_client, demo):
    lucy = signed_in(app, "lucy.chen@example.com", "demo-learner-pass")
    own = lucy.get("/account/details").get_data(as_text=True)
    for words in ('value="Save my details"', "<legend>About you</legend>", "printed on your certificate"):
        assert words in own, words
    assert "Are you of Aboriginal or Torres Strait Islander origin?" in own

    theirs = admin_client.get(f"/admin/users/{demo['lucy']}/details").get_data(as_text=True)
    for words in (
        'value="Save details"',
        "<legend>About the learner</legend>",
        "printed on their certificate",
        "Is the learner of Aboriginal or Torres Strait Islander origin?",
        "Does the learner have a disability, impairment or long-term condition?",
        "Reporting details: Lucy Chen",
    ):
        assert words in theirs, words
    for words in ("Save my details", "About you", "your certificate", "Are you ", "Do you ", "Have you "):
        assert words not in theirs, words


# The user list's search form, laid out like the marking queue's filters.


def test_user_search_fields_each_sit_in_their_own_box_beside_the_button(admin_client, demo):
    page = admin_client.get("/admin/users").get_data(as_text=True)
    form = Containers(page)
    assert form.wrapped_alone("q") and form.wrapped_alone("role")
    assert form.inside["q"][-2][0] == "form" == form.inside["role"][-2][0]
    assert page.index("Add a user") < page.index('role="search"')  # not stacked under the button


# Scrolling table regions: each named for what it holds.


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/users", ["Users"]),
        ("/admin/cohorts", ["Cohorts"]),
        ("/units/BSBCUS403", ["Supersession and equivalence"]),
        ("/admin/certificates", ["Outcomes waiting for a certificate", "Certificate register"]),
    ],
)
def test_table_regions_are_named_for_their_table(admin_client, demo, url, expected):
    assert regions(admin_client.get(url).get_data(as_text=True)) == expected


def test_a_cohorts_table_is_named_for_the_cohort(app, admin_client, demo):
    with app.app_context():
        cohort_id, name = db.session.execute(select(Cohort.id, Cohort.name).order_by(Cohort.id)).first()
    page = admin_client.get(f"/cohorts/{cohort_id}").get_data(as_text=True)
    assert regions(page) == [f"Learners in {name}"]


def test_a_module_page_names_every_table_uniquely_and_has_no_empty_header(app, admin_client, demo):
    page = admin_client.get("/learn/BSBOPS304/priorities-choices-and-limits").get_data(as_text=True)
    names = regions(page)
    assert len(names) >= 3 and len(set(names)) == len(names) and "Table" not in names
    assert "A simple priority matrix" in names  # the heading the matrix follows
    assert not re.search(r"<th[^>]*>\s*</th>", page)


def test_markdown_tables_are_named_after_the_heading_before_them():
    text = (
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        '## What "specific needs" means\n\n| | High | Low |\n|---|---|---|\n| x | 1 | 2 |\n\n'
        "| c | d |\n|---|---|\n| 3 | 4 |\n\n"
        "### Less & <more>\n\n| e | f |\n|---|---|\n| 5 | 6 |\n"
    )
    html = to_html(text, untitled='The "intro" section')
    assert regions(html) == [
        "The &quot;intro&quot; section",  # no heading before it: the section's title
        "What “specific needs” means",
        "What “specific needs” means (table 2)",
        "Less &amp;",  # the heading's text, tags stripped, escaped in the attribute
    ]
    assert "<th></th>" not in html and "<td></td>\n<th>High</th>" in html  # an empty corner is no header


def test_parts_of_one_page_share_names_so_no_two_tables_are_named_alike():
    names = TableNames()
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    first = to_html(f"## Example\n\n{table}", names=names)
    second = to_html(f"## Example\n\n{table}", names=names)
    assert regions(first + second) == ["Example", "Example (table 2)"]


# The audit trail: readable changes, dates on one line.


def test_changes_list_only_what_changed_in_words():
    before = {"number": "0000-2026-000001-1", "version": 1, "status": "valid", "sha256": "ab"}
    after = {"number": "0000-2026-000001-1", "version": 2, "status": "valid", "sha256": "cd", "reason": "x"}
    assert changes(before, after) == [
        Change("version", "Version", "1", "2"),
        Change("sha256", "SHA-256", "ab", "cd"),
        Change("reason", "Reason", None, "x"),
    ]
    assert changes({"start_date": "2026-02-02"}, {}) == [
        Change("start_date", "Start date", "2026-02-02", None)
    ]
    assert show({"q1": "S", "q2": "NYS", "q3": "S"}) == "S: q1, q3; NYS: q2"
    named = {"q1": "Question 1", "q2": "Question 2", "t": "Handle a complaint"}
    assert show({"q1": "S", "q2": "NYS", "q9": "S"}, named) == "S: Question 1, q9; NYS: Question 2"
    assert changes(None, {"task": "t", "status": "t"}, named) == [
        Change("task", "Task", None, "Handle a complaint"),
        Change("status", "Status", None, "t"),  # only ids of a task and its items are named
    ]
    assert (show(None), show(True), show(["BSBOPS304", "BSBCUS403"])) == ("—", "yes", "BSBOPS304, BSBCUS403")


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        ([f"Checklist behaviour {n}" for n in range(1, 10)], "Checklist behaviours 1–9"),
        (["Item 1", "Item 2", "Item 3", "Item 5", "q9"], "Items 1–3 and 5, q9"),
        (["Item 8", "Item 1", "Item 3", "Item 4", "Item 5", "Item 7"], "Items 1, 3–5, 7 and 8"),
        (["Question 1", "Question 2"], "Questions 1 and 2"),
        (["Question 3", "Item 1", "Question 4"], "Questions 3 and 4, Item 1"),
        (["Question 3"], "Question 3"),
        (["q1", "q2"], "q1, q2"),  # ids not named are listed as they are
    ],
)
def test_the_trail_gathers_the_numbers_of_one_noun(names, shown):
    assert together(names) == shown
    judged = {f"id{n}": "S" for n in range(len(names))}
    assert show(judged, dict(zip(judged, names, strict=True))) == f"S: {shown}"


def test_the_trail_shows_judgements_and_certificates_readably_and_escapes_what_was_typed(
    app, admin_client, demo
):
    admin_client.submit("/admin/certificates/issue", {"learner_id": demo["lucy"]}, page="/admin/certificates")
    with app.app_context():
        record(
            demo["admin"],
            "certificate.revoked",
            "certificate:0000-2026-000001-1",
            learner_id=demo["lucy"],
            before={"status": "valid"},
            after={"status": "revoked", "reason": '<script>alert("x")</script>'},
        )
        db.session.commit()
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "<dt>Status</dt>\n          <dd>valid → revoked</dd>" in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "<dt>Units</dt>\n          <dd>BSBOPS304</dd>" in page  # the certificate issued
    assert "<dt>Status</dt>\n          <dd>submitted → satisfactory</dd>" in page  # a task marked
    # Every item satisfactory, its numbers gathered: "S: Questions 1–4", or "S: Item 1" for one item.
    assert re.search(r"<dt>Judgements</dt>\s*<dd>S: (Question|Item)(s 1–\d+| 1)</dd>", page)
    assert re.search(r"<dt>Task</dt>\s*<dd>[A-Z][a-z]+ [^<]*</dd>", page)  # its title, not its id
    assert '{"status"' not in page and "&#34;status&#34;" not in page  # no JSON
    one_line = r"\d{1,2}\xa0\w{3}\xa0\d{4}\xa0\d{1,2}:\d\d\xa0[ap]m"  # no space to wrap at
    assert re.search(rf'<td><time datetime="\d{{4}}-\d\d-\d\dT[^"]+">{one_line}</time></td>', page)
