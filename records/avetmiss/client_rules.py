"""Rules about single client, contact, subject and location records beyond their fields' formats."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from accounts.usi import problem as usi_problem

from . import codes
from .fields import is_blank
from .layouts import NAT00060
from .problems import Finding, Findings, remembered
from .records import Client, ClientContact

FOUR_DIGITS, SIX_DIGITS = re.compile(r"\d{4}"), re.compile(r"\d{6}")
POSTCODE_NOT_STATED, OVERSEAS_POSTCODE = "@@@@", "OSPC"
CLASSIFICATION_NOT_STATED = "@@@@"
YOUNGEST_AGE, OLDEST_AGE = 10, 100  # plausible ages at the end of the collection year (our choice)
# Victorian field, not in the national layout, so its name is spelt out here.
RECOGNITION = "Prior educational achievement recognition identifier"


def findings(file: str, record, period_end: date) -> Sequence[Finding]:
    """What is wrong with one record's USI, date of birth, postcodes and classification codes."""
    match file:
        case "NAT00080":
            return _client_findings(record, period_end)
        case "NAT00085":
            return _contact_findings(record)
        case "NAT00100":
            return _recognition_findings(record.recognition)
        case "NAT00020":
            found = _postcode_findings(record.postcode, allow_not_stated=False)
            return found + _classification_findings("Country identifier", record.country)
        case "NAT00060":
            return _field_of_education_findings(record.field_of_education)
    return []


def _recognition_findings(recognition: str) -> list[Finding]:
    if is_blank(recognition) or recognition in codes.PRIOR_EDUCATION_RECOGNITION:
        return []
    return [(RECOGNITION, f"{recognition!r} is not a valid code; choose A, E or I, or leave it blank.")]


def _field_of_education_findings(code: object) -> list[Finding]:
    if is_blank(code) or SIX_DIGITS.fullmatch(str(code)):
        return []
    field = NAT00060.field("field_of_education").name
    return [(field, f"{field} must be a six-digit ASCED code, not {code!r}.")]


def _client_findings(client: Client, period_end: date) -> Findings:
    found = _code_findings(client.postcode, client.language, client.country_of_birth)
    return found + _usi_findings(client.usi) + _birth_findings(client.date_of_birth, period_end)


@remembered
def _code_findings(postcode: object, language: object, country: object) -> Findings:
    return (
        *_postcode_findings(postcode, allow_not_stated=True),
        *_classification_findings("Language identifier", language),
        *_classification_findings("Country identifier", country),
    )


def _usi_findings(usi: object) -> tuple[Finding, ...]:
    usi = str(usi or "").strip()
    if usi and usi not in codes.USI_EXEMPTIONS and (message := usi_problem(usi)):
        return (("Unique student identifier", message),)
    return ()


def _birth_findings(born: object, period_end: date) -> tuple[Finding, ...]:
    if isinstance(born, date) and (message := _birth_date_problem(born, period_end)):
        return (("Date of birth", message),)
    return ()


def _birth_date_problem(born: date, period_end: date) -> str | None:
    age = period_end.year - born.year - ((period_end.month, period_end.day) < (born.month, born.day))
    if YOUNGEST_AGE <= age <= OLDEST_AGE:
        return None
    return f"Date of birth {born:%d/%m/%Y} makes the client {age} at the end of {period_end.year}: check it."


def _contact_findings(contact: ClientContact) -> list[Finding]:
    found = _postcode_findings(contact.postcode, allow_not_stated=True)
    if is_blank(contact.street_name) and is_blank(contact.postal_delivery_box):
        message = "Give a street name or a postal delivery box, so the client can be written to."
        found.append(("Address street name", message))
    return found


def _postcode_findings(postcode: object, *, allow_not_stated: bool) -> list[Finding]:
    allowed = {OVERSEAS_POSTCODE, POSTCODE_NOT_STATED} if allow_not_stated else {OVERSEAS_POSTCODE}
    if is_blank(postcode) or FOUR_DIGITS.fullmatch(str(postcode)) or postcode in allowed:
        return []
    extra = f", {POSTCODE_NOT_STATED} (not stated)" if allow_not_stated else ""
    message = f"Postcode {postcode!r} must be four digits, {OVERSEAS_POSTCODE} (overseas){extra}."
    return [("Postcode", message)]


def _classification_findings(field: str, code: object) -> list[Finding]:
    if is_blank(code) or FOUR_DIGITS.fullmatch(str(code)) or code == CLASSIFICATION_NOT_STATED:
        return []
    message = f"{field} {code!r} must be a four-digit ABS code or {CLASSIFICATION_NOT_STATED} (not stated)."
    return [(field, message)]
