"""The password policy."""

import pytest

from accounts import passwords


@pytest.mark.parametrize(
    "password", ["short", "elevenchars", "passwordpassword", "aaaaaaaaaaaaaaaa", "123456789012"]
)
def test_weak_passwords_are_refused(password):
    assert passwords.problem(password)


@pytest.mark.parametrize("password", ["correct-horse-battery", "Wattle bay harbour 42"])
def test_long_uncommon_passwords_are_accepted(password):
    assert passwords.problem(password) is None
