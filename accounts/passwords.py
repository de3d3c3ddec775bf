"""The password policy: long enough, and not on a list of commonly used passwords."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from werkzeug.security import generate_password_hash

MIN_LENGTH = 12
# werkzeug's memory-hard scrypt (n=2^15, r=8, p=1) unless the app is configured otherwise (the test
# suite uses a cheaper cost so it can create hundreds of accounts; see tests/conftest.py).
HASH_METHOD = "scrypt"
# 20,000 common passwords, from Django (BSD licence; see common-passwords.LICENSE).
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt.gz"


@cache
def _common() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines)


def problem(password: str) -> str | None:
    """Why `password` is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a short phrase of several words is easy to remember."
    if password.lower() in _common() or password.isdigit() or _is_repetition(password):
        return "This password is too common or too easy to guess; choose another."
    return None


def _is_repetition(password: str) -> bool:
    """True for passwords like 'abcabcabcabc' or 'passwordpassword'."""
    return password in (password + password)[1:-1]


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)
