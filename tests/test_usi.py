"""The USI check character (Luhn mod 32), with the published test USIs."""

import pytest

from accounts import usi


@pytest.mark.parametrize("value", ["7QRP3KV395", "UDNM3W6KUS"])
def test_published_valid_usis_pass(value):
    assert usi.is_valid(value)
    assert usi.check_character(value[:9]) == value[9]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("7QRP3KV394", "last character does not match"),  # check character altered
        ("7QRP3KV359", "last character does not match"),  # two characters swapped
        ("UDNM3W6KUT", "last character does not match"),
        ("8QRP3KV395", "last character does not match"),  # first character altered
        ("7QRP3KV39", "10 characters"),
        ("7QRP3KV3955", "10 characters"),
        ("7QRP3KV3O5", "never contains 'O'"),
        ("7qrp3kv395", "never contains"),
        ("1QRP3KV395", "never contains '1'"),
    ],
)
def test_altered_or_malformed_usis_fail_with_a_reason(value, reason):
    assert not usi.is_valid(value)
    assert reason in usi.problem(value)


def test_every_single_character_change_is_detected():
    valid = "7QRP3KV395"
    for position in range(10):
        for char in usi.ALPHABET:
            if char != valid[position]:
                altered = valid[:position] + char + valid[position + 1 :]
                assert not usi.is_valid(altered), altered


def test_normalise_accepts_spaces_and_lower_case():
    assert usi.normalise(" 7qrp 3kv3 95 ") == "7QRP3KV395"
