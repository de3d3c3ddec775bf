"""Validation of single records: the clean sample passes; each field and record rule fails on one mistake."""

from __future__ import annotations

from datetime import date

import pytest

from records.avetmiss import LAYOUTS, validate
from tests.avetmiss.changes import Change, changed, client, organisation, year
from tests.avetmiss.sample import sample_submission

# id: (change, file, layout key of the field, fragment of the message)
CASES = {
    "required field blank": (organisation(name=""), "NAT00010", "name", "is required"),
    "value too long": (changed("subjects", 0, name="x" * 101), "NAT00060", "name", "at most 100"),
    "not ASCII": (client(0, family_name="王"), "NAT00080", "name_for_encryption", "ASCII"),
    "numeric not digits": (
        changed("subjects", 0, nominal_hours=-5),
        "NAT00060",
        "nominal_hours",
        "digits only",
    ),
    "numeric too long": (
        changed("programs", 0, nominal_hours=12345),
        "NAT00030",
        "nominal_hours",
        "at most 4",
    ),
    "date not a date": (client(0, date_of_birth="1990-05-17"), "NAT00080", "date_of_birth", "must be a date"),
    "code not in table": (client(0, gender="Q"), "NAT00080", "gender", "not a valid code"),
    "USI check character": (client(0, usi="7QRP3KV394"), "NAT00080", "usi", "does not match"),
    "USI forbidden letter": (client(0, usi="7QRP3KV39O"), "NAT00080", "usi", "never contains"),
    "born too recently": (client(0, date_of_birth=date(2020, 1, 1)), "NAT00080", "date_of_birth", "check it"),
    "born too long ago": (client(0, date_of_birth=date(1900, 1, 1)), "NAT00080", "date_of_birth", "check it"),
    "client postcode": (client(0, postcode="20A0"), "NAT00080", "postcode", "four digits"),
    "contact postcode": (
        changed("client_contacts", 0, postcode="ABCD"),
        "NAT00085",
        "postcode",
        "four digits",
    ),
    "location postcode": (changed("delivery_locations", 0, postcode="@@@@"), "NAT00020", "postcode", "four"),
    "language code": (client(0, language="EN"), "NAT00080", "language", "four-digit"),
    "country code": (client(0, country_of_birth="AUS"), "NAT00080", "country_of_birth", "four-digit"),
    "location country": (changed("delivery_locations", 0, country="AU"), "NAT00020", "country", "four-digit"),
    "field of education": (
        changed("subjects", 0, field_of_education="0809"),
        "NAT00060",
        "field_of_education",
        "six-digit",
    ),
    "contact without address": (
        changed("client_contacts", 1, postal_delivery_box=""),
        "NAT00085",
        "street_name",
        "postal delivery box",
    ),
}


def test_the_clean_sample_has_no_problems() -> None:
    assert validate(sample_submission()) == []


@pytest.mark.parametrize(("change", "file", "key", "fragment"), CASES.values(), ids=list(CASES))
def test_each_rule_reports_its_mistake(change: Change, file: str, key: str, fragment: str) -> None:
    field = LAYOUTS[file].field(key).name
    problems = validate(change(sample_submission()))
    assert any((p.file, p.field) == (file, field) and fragment in p.message for p in problems), problems


def test_collection_year_before_8_0_is_refused() -> None:
    problems = validate(year(2017)(sample_submission()))
    assert ("Submission", "Collection year") in {(p.file, p.field) for p in problems}


def test_victorian_recognition_code_is_checked_though_not_written() -> None:
    [problem] = validate(changed("prior_educations", 0, recognition="X")(sample_submission()))
    assert (
        problem.file == "NAT00100" and problem.field == "Prior educational achievement recognition identifier"
    )
    assert "A, E or I" in problem.message


@pytest.mark.parametrize("usi", ["INTOFF", "INDIV", "UDNM3W6KUS"])
def test_usi_exemption_codes_and_valid_usis_pass(usi: str) -> None:
    assert validate(client(0, usi=usi)(sample_submission())) == []


def test_a_problem_names_the_file_the_learner_and_the_field() -> None:
    [problem] = validate(client(0, usi="7QRP3KV394")(sample_submission()))
    assert problem.key == "client 1001 (Jane Maree Citizen)"
    assert str(problem).startswith("NAT00080, client 1001 (Jane Maree Citizen), Unique student identifier: ")


def test_none_in_text_fields_is_reported_as_blank_not_a_crash() -> None:
    blanks = {"postcode": None, "language": None, "usi": None, "given_names": None, "street_name": None}
    problems = validate(client(0, **blanks)(sample_submission()))
    fields = {p.field for p in problems if p.file == "NAT00080"}
    assert fields == {"Postcode", "Language identifier", "Unique student identifier"}
    assert all(p.message.endswith("is required.") for p in problems)
