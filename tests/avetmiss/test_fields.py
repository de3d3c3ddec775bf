"""Formatting single values: A left-justified, space-filled; N right-justified, zero-filled; D DDMMYYYY."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from records.avetmiss.fields import (
    FieldError,
    FieldTexts,
    check_generally,
    clean_text,
    format_alpha,
    format_date,
    format_field,
    format_numeric,
    is_blank,
    to_ascii,
)
from records.avetmiss.layouts import LAYOUTS, Field, Layout


@pytest.mark.parametrize(
    ("value", "length", "expected"),
    [
        ("ABC", 5, "ABC  "),
        ("  padded  ", 8, "padded  "),
        ("exact", 5, "exact"),
        ("@", 1, "@"),
        (12, 4, "12  "),
        ("José", 6, "Jose  "),
        ("O’Brien", 8, "O'Brien "),
        ("Straße", 8, "Strasse "),
    ],
)
def test_alpha_is_left_justified_and_space_filled(value: object, length: int, expected: str) -> None:
    assert format_alpha(value, length) == expected


@pytest.mark.parametrize(
    ("value", "length", "expected"),
    [(7, 4, "0007"), ("435", 4, "0435"), (0, 2, "00"), ("08", 3, "008"), (12345, 5, "12345"), ("3", 1, "3")],
)
def test_numeric_is_right_justified_and_zero_filled(value: object, length: int, expected: str) -> None:
    assert format_numeric(value, length) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(date(2024, 2, 5), "05022024"), (date(1990, 12, 31), "31121990"), (date(2001, 1, 1), "01012001")],
)
def test_date_is_ddmmyyyy_zero_filled(value: date, expected: str) -> None:
    assert format_date(value, 8) == expected


@pytest.mark.parametrize(
    ("formatter", "value", "length", "fragment"),
    [
        (format_alpha, "toolong", 6, "at most 6"),
        (format_alpha, "王", 4, "ASCII"),
        (format_alpha, "tab\there", 10, "ASCII"),
        (format_numeric, 12345, 4, "at most 4"),
        (format_numeric, -5, 4, "digits only"),
        (format_numeric, "1.5", 4, "digits only"),
        (format_numeric, "٣", 4, "digits only"),
        (format_numeric, True, 4, "digits only"),
        (format_date, "2024-02-05", 8, "must be a date"),
    ],
)
def test_values_that_do_not_fit_are_refused_never_cut(
    formatter, value: object, length: int, fragment: str
) -> None:
    with pytest.raises(FieldError, match=fragment):
        formatter(value, length)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [("A", None, "    "), ("A", "   ", "    "), ("N", None, "    "), ("N", "", "    "), ("D", None, "    ")],
)
def test_blank_values_are_written_as_spaces(kind: str, value: object, expected: str) -> None:
    assert format_field(Field("Test", 1, 4, kind, "test"), value) == expected


def test_filler_fields_are_blank_whatever_the_value() -> None:
    assert format_field(Field("Blank", 1, 3, "A"), "ignored") == "   "


def test_to_ascii_transliterates_accents_and_keeps_length_for_simple_letters() -> None:
    assert to_ascii("Nguyễn Văn Ánh, Zoë, François") == "Nguyen Van Anh, Zoe, Francois"


@pytest.mark.parametrize(
    ("value", "blank"), [(None, True), ("", True), ("  ", True), ("x", False), (0, False)]
)
def test_is_blank(value: object, blank: bool) -> None:
    assert is_blank(value) is blank


# Every field of every layout, and values of every kind an export meets (and some it should not).
ALL_FIELDS = [field for layout in LAYOUTS.values() for field in layout.fields]
VALUES = st.one_of(
    st.none(),
    st.text(max_size=14),
    st.text(alphabet="0123456789 ", max_size=6),
    st.sampled_from([code for field in ALL_FIELDS if field.codes for code in field.codes]),
    st.integers(min_value=-5, max_value=10**6),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.floats(allow_nan=False, width=16),
)


@settings(max_examples=3000, deadline=None)
@given(field=st.sampled_from(ALL_FIELDS), value=VALUES)
def test_the_quick_path_agrees_with_the_general_one_whenever_it_answers(field, value):
    text = clean_text(field, value)
    if text is not None:
        assert check_generally(field, value) == (text, None)
        assert len(text) == field.length


def test_the_quick_path_leaves_anything_to_explain_or_transliterate_to_the_general_one():
    surname = Field("Family name", 1, 10, "A", "family_name", required=True)
    state = LAYOUTS["NAT00020"].field("state")
    assert clean_text(surname, "Nguyễn") is None  # transliterated by the general path
    assert clean_text(surname, "   ") is None  # required: the general path says so
    assert clean_text(surname, "A" * 11) is None  # too long
    assert clean_text(state, "42") is None  # not a code
    assert clean_text(Field("Blank", 1, 3, "A"), "anything") == "   "  # filler positions stay blank
    assert clean_text(surname, "Citizen") == "Citizen   "


KEYS = sorted({field.key for field in ALL_FIELDS if field.key})
# Records of one layout as dictionaries of values: few distinct values, so that they repeat, of every kind.
RECORD_VALUES = st.sampled_from(
    [None, "", " ", "Y", "N", "1", "01", "20", 1, True, 0, False, 1.0, date(2026, 3, 1), "José", ["1"]]
)


@settings(max_examples=300, deadline=None)
@given(
    layout=st.sampled_from(list(LAYOUTS.values())),
    records=st.lists(st.dictionaries(st.sampled_from(KEYS), RECORD_VALUES, max_size=8), max_size=12),
)
def test_remembered_texts_are_what_the_quick_path_would_say_each_time(layout, records):
    texts = FieldTexts(layout)
    for values in records:
        assert texts.of(values) == [clean_text(field, values.get(field.key)) for field in layout.fields]


def test_true_is_not_written_as_the_1_remembered_before_it_and_memory_stays_bounded():
    field = Field("Hours", 1, 4, "N", "hours")
    layout = Layout("TEST", "Test", (field,))
    texts = FieldTexts(layout)
    assert texts.of({"hours": "1"}) == ["0001"]
    assert texts.of({"hours": 1}) == ["0001"]
    assert texts.of({"hours": True}) == [None]  # the general path refuses a boolean
    for number in range(FieldTexts.LIMIT + 10):
        assert texts.of({"hours": str(number)}) == [str(number).zfill(4)]
        assert len(texts.seen[0]) <= FieldTexts.LIMIT
    assert texts.seen[0] == {
        str(number): str(number).zfill(4) for number in range(FieldTexts.LIMIT, FieldTexts.LIMIT + 10)
    }
    assert texts.of({"hours": "9999"}) == ["9999"]  # still right once the first values are forgotten
