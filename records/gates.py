"""Whether a Statement of Attainment may be issued: plain rules, no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable

CERTIFIABLE = {
    "20": "Competency achieved",
    "51": "Recognition of prior learning granted",
    "60": "Credit transfer",
}


def certifiable(outcomes: Iterable[tuple[str, str | None]]) -> list[str]:
    """The unit codes whose outcome allows certification, from (unit code, outcome code) pairs."""
    return [unit for unit, code in outcomes if code in CERTIFIABLE]


def problems(
    given_names: str, family_name: str, usi_verified: bool, usi_exempt: bool, units: list[str]
) -> list[str]:
    """Why nothing can be issued now; an empty list means the certificate may be issued."""
    found = []
    if not units:
        found.append(
            "No unit has an outcome that allows certification (20, 51 or 60) without a valid certificate."
        )
    if not family_name.strip():
        found.append("The learner's full legal name is missing.")
    if not (usi_verified or usi_exempt):
        found.append("The learner's USI has not been verified (and no exemption is recorded).")
    return found
