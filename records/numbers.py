"""Certificate numbers: RTO code, year and sequence, with a check digit that catches typing errors."""

from __future__ import annotations

import re

PATTERN = re.compile(r"^(?P<rto>[0-9A-Z]{1,10})-(?P<year>\d{4})-(?P<sequence>\d{6})-(?P<check>\d)$")


def check_digit(digits: str) -> str:
    """The Luhn (mod 10) check digit of a string of digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str(-total % 10)


def certificate_number(rto_code: str, year: int, sequence: int) -> str:
    """e.g. ("0000", 2026, 17) → "0000-2026-000017-7"."""
    body = f"{year:04d}{sequence:06d}"
    return f"{rto_code}-{year:04d}-{sequence:06d}-{check_digit(body)}"


def is_well_formed(number: str) -> bool:
    match = PATTERN.match(number.strip().upper())
    return bool(match) and check_digit(match["year"] + match["sequence"]) == match["check"]
