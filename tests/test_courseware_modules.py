"""The module loader and renderer, without Flask: shipped content, broken files, caching."""

import shutil
from pathlib import Path

import markdown
import pytest

from content import coverage, load_content
from courseware.modules import CONTENT_DIR, load_library
from courseware.render import render_module, to_html
from units.catalogue import load_catalogue
from units.datafile import ContentError

CATALOGUE = load_catalogue()
GOOD = CONTENT_DIR / "BSBCUS403" / "customers-models-and-standards.md"


@pytest.fixture(scope="module")
def library():
    return load_library(CATALOGUE)


@pytest.mark.parametrize("code", ["BSBOPS304", "BSBCUS403", "BSBCUS401B"])
def test_every_element_has_a_module_and_every_pc_a_section(library, code):
    unit = CATALOGUE[code]
    modules = library.modules(code)
    assert {e.number for e in unit.elements} <= {m.meta.element for m in modules}
    taught = {rid for m in modules for s in m.sections for rid in s.covers}
    assert {pc.id for pc in unit.criteria} <= taught


def test_every_module_has_the_required_parts(library):
    modules = [m for code in library.by_unit for m in library.modules(code)]
    assert len(modules) >= 9
    for module in modules:
        body = "\n".join(s.body for s in module.sections)
        assert "!!! case" in body and "!!! try" in body, module.id
        assert module.sections[-1].id == "summary", module.id
        assert 1200 <= module.word_count <= 2800, module.id
        assert 4 <= len(module.meta.check) <= 8, module.id
        assert module.meta.outcomes


def write_module(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """A copy of the BSBCUS403 modules with one change to GOOD; returns the content folder."""
    folder = tmp_path / "content" / "BSBCUS403"
    shutil.copytree(GOOD.parent, folder)
    text = GOOD.read_text()
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    (folder / GOOD.name).write_text(text)
    return folder.parent


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_library(CATALOGUE, folder)
    return [str(p) for p in caught.value.problems]


def test_a_good_module_file_loads(tmp_path):
    library = load_library(CATALOGUE, write_module(tmp_path))
    assert library.module("BSBCUS403", GOOD.stem).title.startswith("Customers")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "who-your-customers-are: [KE1]",
            'who-your-customers-are: [KE1, "9.9"]',
            "'9.9' is not a PC or evidence item",
        ),
        ("unit: BSBCUS403", "unit: BSBXXX999", "not in the catalogue"),
        ('element: "1"', 'element: "7"', "element '7' is not an element"),
        ("{#service-models}", "", "needs an id"),
        ("  service-models: [KE2]\n", "", "not mapped in front matter"),
        ("!!! case", "!!! note", "needs a worked example or case"),
        ("!!! try", "!!! note", "needs a try-this-at-work activity"),
        ("## Summary {#summary}", "## Wrapping up {#wrapping-up}", "not mapped in front matter"),
        ("    answer: 1\n", "    answer: 9\n", "answer must be the index"),
        ("minutes: 75", "minutes: soon", "minutes"),
    ],
)
def test_broken_module_reports_file_line_and_reason(tmp_path, old, new, expected):
    found = problems(write_module(tmp_path, old, new))
    assert any(expected in p and GOOD.name in p for p in found), found


def test_problem_names_the_line(tmp_path):
    folder = write_module(tmp_path, "who-your-customers-are: [KE1]", 'who-your-customers-are: [KE1, "9.9"]')
    [problem] = [p for p in problems(folder) if "9.9" in p]
    line = int(problem.split(":")[1])
    assert '"9.9"' in (folder / "BSBCUS403" / GOOD.name).read_text().splitlines()[line - 1]


def test_missing_front_matter_and_broken_links_are_reported(tmp_path):
    folder = write_module(tmp_path)
    path = folder / "BSBCUS403" / GOOD.name
    path.write_text(
        path.read_text() + "\nSee [elsewhere](no-such-module.md#x) and [here](#no-such-section).\n"
    )
    found = problems(folder)
    assert any("broken link 'no-such-module.md#x'" in p for p in found)
    assert any("broken link '#no-such-section'" in p for p in found)
    path.write_text("# No front matter\n")
    assert any("missing front matter" in p for p in problems(folder))


def test_too_few_words_is_reported(tmp_path):
    folder = write_module(tmp_path)
    path = folder / "BSBCUS403" / GOOD.name
    front, body = path.read_text().split("\n---\n", 1)
    skeleton = [line for line in body.splitlines() if line.startswith(("## ", "!!! "))]
    path.write_text(front + "\n---\n" + "\n\n".join(f"{line}\n    Short." for line in skeleton) + "\n")
    assert any("words; write 1200" in p for p in problems(folder))


def test_module_links_become_page_urls_and_external_links_are_marked():
    html = to_html("[next](other-module.md#part) and [ACCC](https://www.accc.gov.au)", "/learn/BSBCUS403/")
    assert 'href="/learn/BSBCUS403/other-module#part"' in html
    assert 'rel="noopener"' in html


def test_rendering_is_cached_by_content_hash(library, monkeypatch):
    module = library.modules("BSBOPS304")[0]
    first = render_module(module, "/learn/BSBOPS304/")
    calls = []
    monkeypatch.setattr(markdown.Markdown, "convert", lambda *a: calls.append(a) or "")
    assert render_module(module, "/learn/BSBOPS304/") is first
    assert calls == []


def test_heading_ids_are_unique_across_a_module(library):
    import re

    for code in library.by_unit:
        for module in library.modules(code):
            rendered = render_module(module, "/x/")
            ids = re.findall(r'id="([^"]+)"', "".join(rendered.sections.values()))
            assert len(ids) == len(set(ids)), module.id


def test_coverage_json_shape():
    mapped = coverage(load_content())
    row = mapped["units"]["BSBCUS403"]["2.3"]
    assert row["text"].startswith("Identify customer service problems")
    assert row["courseware"] and all("#" in ref for ref in row["courseware"])
    assert isinstance(row["assessments"], list)


def test_copied_library_loads_like_the_original(tmp_path):
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    assert (
        load_library(CATALOGUE, tmp_path / "content").by_unit.keys() == load_library(CATALOGUE).by_unit.keys()
    )
