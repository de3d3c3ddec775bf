"""The layout tables: contiguous fields, the record lengths of the sources, keys that exist on the records."""

from __future__ import annotations

import pytest

from records.avetmiss import rows
from records.avetmiss.layouts import LAYOUTS
from tests.avetmiss.sample import sample_submission

RECORD_LENGTHS = {
    "NAT00010": 448,
    "NAT00020": 180,
    "NAT00030": 114,
    "NAT00060": 123,
    "NAT00080": 327,
    "NAT00085": 557,
    "NAT00090": 12,
    "NAT00100": 13,
    "NAT00120": 158,
    "NAT00130": 39,
}


def test_there_are_exactly_the_ten_nat_files() -> None:
    assert list(LAYOUTS) == list(RECORD_LENGTHS)


@pytest.mark.parametrize(("file", "length"), RECORD_LENGTHS.items())
def test_record_length(file: str, length: int) -> None:
    assert LAYOUTS[file].record_length == length


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=list(LAYOUTS))
def test_fields_are_contiguous_from_column_one(layout) -> None:
    next_start = 1
    for field in layout.fields:
        assert field.start == next_start, f"{layout.file} {field.name} starts at {field.start}"
        assert field.kind in {"A", "N", "D"}
        next_start = field.end + 1


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=list(LAYOUTS))
def test_every_key_is_a_value_of_the_files_rows(layout) -> None:
    submission = sample_submission()
    first = next(iter(dict(rows.sources(submission))[layout.file]))
    values = rows.values(layout.file, first, submission.organisation.identifier)
    assert {field.key for field in layout.fields if field.key} <= set(values)


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=list(LAYOUTS))
def test_codes_fit_their_field(layout) -> None:
    for field in layout.fields:
        for code in field.codes or {}:
            assert len(code) == field.length, f"{layout.file} {field.name} code {code!r}"


def test_dates_are_eight_characters() -> None:
    dates = [field for layout in LAYOUTS.values() for field in layout.fields if field.kind == "D"]
    assert dates and all(field.length == 8 for field in dates)
