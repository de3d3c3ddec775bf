"""Whether a Statement of Attainment may be issued: plain rules, no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CERTIFIABLE = {
    "20": "Competency achieved",
    "51": "Recognition of prior learning granted",
    "60": "Credit transfer",
}


@dataclass(frozen=True)
class Block:
    """One reason nothing can be issued yet: short enough for a summary, with what to do about it."""

    short: str  # e.g. for a job's summary: "2 issued, 1 not issued (USI not verified)"
    reason: str  # the full sentence an issuer is shown when refused
    remedy: str  # what the administrator can do, in the learner's user record


NO_UNITS = Block(
    "nothing to certify",
    "No unit has an outcome that allows certification (20, 51 or 60) without a valid certificate.",
    "Record a certifiable outcome first",
)
NO_NAME = Block(
    "legal name missing",
    "The learner's full legal name is missing.",
    "Add their family name",
)
NO_USI = Block(
    "USI not verified",
    "The learner's USI has not been verified (and no exemption is recorded).",
    "Verify it, or record an exemption",
)


def certifiable(outcomes: Iterable[tuple[str, str | None]]) -> list[str]:
    """The unit codes whose outcome allows certification, from (unit code, outcome code) pairs."""
    return [unit for unit, code in outcomes if code in CERTIFIABLE]


def blocks(
    given_names: str, family_name: str, usi_verified: bool, usi_exempt: bool, units: list[str]
) -> list[Block]:
    """What stops a certificate being issued now; an empty list means it may be issued."""
    found = []
    if not units:
        found.append(NO_UNITS)
    if not family_name.strip():
        found.append(NO_NAME)
    if not (usi_verified or usi_exempt):
        found.append(NO_USI)
    return found


def problems(
    given_names: str, family_name: str, usi_verified: bool, usi_exempt: bool, units: list[str]
) -> list[str]:
    """Why nothing can be issued now, in full sentences; an empty list means it may be issued."""
    return [b.reason for b in blocks(given_names, family_name, usi_verified, usi_exempt, units)]
