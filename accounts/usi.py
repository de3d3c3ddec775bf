"""The Unique Student Identifier: format and check character (Luhn mod 32)."""

from __future__ import annotations

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 10
VALUES = {char: value for value, char in enumerate(ALPHABET)}


def check_character(body: str) -> str:
    """Return the check character for the first nine characters of a USI."""
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * VALUES[char]
        factor = 3 - factor  # alternate 2, 1, 2, 1… from the right
        total += addend // len(ALPHABET) + addend % len(ALPHABET)
    return ALPHABET[-total % len(ALPHABET)]


def normalise(usi: str) -> str:
    """Upper-case and strip spaces, as people type USIs in groups."""
    return "".join(usi.split()).upper()


def problem(usi: str) -> str | None:
    """Why `usi` is not a valid USI, or None when it is."""
    if len(usi) != LENGTH:
        return f"A USI has {LENGTH} characters; this has {len(usi)}."
    if bad := sorted(set(usi).difference(VALUES)):
        return f"A USI never contains {', '.join(repr(c) for c in bad)} (no 0, 1, I or O, no lower case)."
    if check_character(usi[:-1]) != usi[-1]:
        return "This is not a valid USI: its last character does not match. Check it for typing errors."
    return None


def is_valid(usi: str) -> bool:
    return problem(usi) is None
