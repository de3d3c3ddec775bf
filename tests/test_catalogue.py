"""The unit catalogue: exact structure and wording, and useful errors for broken unit files."""

import shutil
from pathlib import Path

import pytest

from units.catalogue import DATA_DIR, load_catalogue
from units.datafile import ContentError

from .reference_units import REFERENCE

SHAPE = {  # code: (elements, PCs)
    "BSBOPS304": (3, 12),
    "BSBCUS403": (3, 9),
    "BSBCUS401B": (3, 12),
}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_the_three_units_are_catalogued(catalogue):
    assert sorted(catalogue) == sorted(SHAPE)


@pytest.mark.parametrize(("code", "shape"), SHAPE.items())
def test_each_unit_has_its_exact_elements_and_criteria(catalogue, code, shape):
    unit = catalogue[code]
    assert (len(unit.elements), len(unit.criteria)) == shape


@pytest.mark.parametrize("code", SHAPE)
def test_every_criterion_is_worded_exactly_as_the_reference(catalogue, code):
    assert {pc.id: pc.text for pc in catalogue[code].criteria} == REFERENCE[code]


def test_status_and_supersession(catalogue):
    assert catalogue["BSBCUS401B"].status == "superseded"
    assert [s.code for s in catalogue["BSBCUS401B"].superseded_by] == ["BSBCUS401", "BSBOPS404"]
    assert catalogue["BSBCUS403"].status == "current"
    assert catalogue["BSBOPS304"].supersession[0].code == "BSBCUS301"


def test_bsbops304_ships_marked_unverified_and_bsbcus401b_verified(catalogue):
    assert not catalogue["BSBOPS304"].is_fully_verified
    assert not any(pc.verified for pc in catalogue["BSBOPS304"].criteria)
    assert all(pc.verified for pc in catalogue["BSBCUS403"].criteria)
    assert catalogue["BSBCUS401B"].is_fully_verified


def test_pre_2015_unit_has_critical_aspects_not_pe_ke(catalogue):
    unit = catalogue["BSBCUS401B"]
    assert [r.id for r in unit.requirements if r.kind == "CA"] == ["CA1", "CA2", "CA3", "CA4"]
    assert not unit.performance_evidence and not unit.knowledge_evidence


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "units"
    shutil.copytree(DATA_DIR, folder)
    path = folder / "BSBCUS403.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return folder


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('      - id: "2.1"', '      - id: "3.9"', "PC 3.9 is not numbered under element 2"),
        ("title: Implement customer service standards\n", "", "title: Field required"),
        ("status: current", "status: retired", "status: Input should be"),
        ('      - id: "1.2"', "      - id: 1.2", "write requirement ids as quoted strings"),
        ("code: BSBCUS403", "code: BSBCUS404", "must match the file name"),
        ("elements:\n", "elements: [\n", "invalid YAML"),
    ],
)
def test_broken_unit_file_is_reported_with_file_line_and_reason(tmp_path, old, new, expected):
    with pytest.raises(ContentError) as caught:
        load_catalogue(_broken_copy(tmp_path, old, new))
    message = str(caught.value)
    assert "BSBCUS403.yaml:" in message
    assert expected in message


def test_line_number_points_at_the_bad_field(tmp_path):
    folder = _broken_copy(tmp_path, "status: current", "status: retired")
    with pytest.raises(ContentError) as caught:
        load_catalogue(folder)
    problem = caught.value.problems[0]
    lines = (folder / "BSBCUS403.yaml").read_text().splitlines()
    assert lines[problem.line - 1].startswith("status: retired")


def test_a_fourth_unit_needs_no_code(tmp_path):
    folder = tmp_path / "units"
    shutil.copytree(DATA_DIR, folder)
    text = (folder / "BSBCUS403.yaml").read_text().replace("code: BSBCUS403", "code: BSBXYZ999")
    (folder / "BSBXYZ999.yaml").write_text(text)
    assert "BSBXYZ999" in load_catalogue(folder)
