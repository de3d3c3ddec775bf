"""Code tables: the codes the spec defines, with labels a person can choose from."""

from __future__ import annotations

import pytest

from records.avetmiss import codes

TABLES = {
    name: table
    for name, table in vars(codes).items()
    if name.isupper() and isinstance(table, dict) and all(isinstance(label, str) for label in table.values())
}


def test_outcomes_are_those_of_data_element_definitions_2_3() -> None:
    assert set(codes.OUTCOME_NATIONAL) == {
        "20",
        "30",
        "40",
        "41",
        "51",
        "52",
        "60",
        "61",
        "70",
        "81",
        "82",
        "85",
    }
    assert codes.FINISHED_OUTCOMES | {"70", "85"} == set(codes.OUTCOME_NATIONAL)


def test_states_run_from_nsw_to_other_territories_and_overseas() -> None:
    assert list(codes.STATE) == ["01", "02", "03", "04", "05", "06", "07", "08", "09", "99"]
    assert codes.STATE["01"] == "New South Wales" and codes.STATE["08"] == "Australian Capital Territory"


def test_not_stated_and_common_classification_codes() -> None:
    assert codes.LANGUAGE["1201"] == "English only" and "@@@@" in codes.LANGUAGE
    assert codes.COUNTRY["1101"] == "Australia" and "@@@@" in codes.COUNTRY
    assert codes.INDIGENOUS_STATUS["@"] == "Not stated"
    assert set(codes.GENDER) == {"M", "F", "X", "@"}


def test_delivery_mode_flags_and_predominant_modes() -> None:
    assert all(len(mode) == 3 and set(mode) <= {"Y", "N"} for mode in codes.DELIVERY_MODE)
    assert len(codes.DELIVERY_MODE) == 8
    assert set(codes.PREDOMINANT_DELIVERY_MODE) == {"I", "E", "W", "N"}


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_has_ascii_codes_and_readable_labels(name: str) -> None:
    table = TABLES[name]
    assert table
    for code, label in table.items():
        assert code.isascii() and code == code.strip()
        assert label[0].isupper() and len(label) >= 2, f"{name}[{code!r}] = {label!r}"


@pytest.mark.parametrize("name", [name for name in TABLES if name != "USI_EXEMPTIONS"])
def test_codes_of_a_field_share_its_width(name: str) -> None:
    assert len({len(code) for code in TABLES[name]}) == 1
