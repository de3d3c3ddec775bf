"""Certificate numbers and the certification gates, as plain rules."""

import pytest

from records.gates import blocks, certifiable, problems
from records.numbers import certificate_number, check_digit, is_well_formed


@pytest.mark.parametrize(("digits", "check"), [("7992739871", "3"), ("2026000001", "1"), ("0", "0")])
def test_luhn_check_digit(digits, check):
    assert check_digit(digits) == check


def test_numbers_carry_rto_year_sequence_and_check():
    assert certificate_number("91234", 2026, 42) == "91234-2026-000042-" + check_digit("2026000042")


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        (certificate_number("0000", 2026, 1), True),
        (certificate_number("0000", 2026, 1).lower(), True),
        ("0000-2026-000001-2", False),  # wrong check digit
        ("0000-2026-000010-1", False),  # transposed digits
        ("0000-2026-00001-1", False),
        ("<script>", False),
        ("", False),
    ],
)
def test_well_formed_numbers(number, ok):
    assert is_well_formed(number) is ok


def test_only_outcomes_20_51_60_are_certifiable():
    pairs = [(code, code) for code in ("20", "30", "40", "51", "52", "60", "70", "85")] + [("X", None)]
    assert certifiable(pairs) == ["20", "51", "60"]


@pytest.mark.parametrize(
    ("given", "family", "verified", "exempt", "units", "expected"),
    [
        ("Lucy", "Chen", True, False, ["BSBOPS304"], []),
        ("", "Madonna", True, False, ["BSBOPS304"], []),  # a single legal name is a full name
        ("Lucy", "Chen", False, True, ["BSBOPS304"], []),  # a recorded exemption stands for the USI
        ("Lucy", "Chen", False, False, ["BSBOPS304"], ["USI has not been verified"]),
        ("Lucy", " ", True, False, ["BSBOPS304"], ["full legal name is missing"]),
        ("Lucy", "Chen", True, False, [], ["No unit has an outcome that allows certification"]),
    ],
)
def test_certification_gates(given, family, verified, exempt, units, expected):
    found = problems(given, family, verified, exempt, units)
    assert len(found) == len(expected)
    for fragment, problem in zip(expected, found, strict=True):
        assert fragment in problem


def test_each_gate_says_briefly_why_and_what_to_do_in_the_same_rule():
    found = blocks("Lucy", " ", False, False, [])
    assert [b.short for b in found] == ["nothing to certify", "legal name missing", "USI not verified"]
    assert problems("Lucy", " ", False, False, []) == [b.reason for b in found]
    assert "Verify it" in found[2].remedy and "family name" in found[1].remedy
    assert blocks("Lucy", "Chen", False, True, ["BSBOPS304"]) == []
