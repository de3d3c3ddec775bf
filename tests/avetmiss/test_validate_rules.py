"""Validation across records: activity dates and outcomes, delivery modes, references, duplicates, flags."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from records.avetmiss import LAYOUTS, DeliveryLocation, Problem, Program, Subject, validate, write_files
from records.avetmiss.problems import remembered
from tests.avetmiss.changes import Change, activity, added, both, changed, client
from tests.avetmiss.sample import ACTIVITIES, JANE, sample_submission

SPARE_LOCATION = DeliveryLocation("SPARE", "Spare room", "2000", "01", "SYDNEY")
IDLE_CLIENT = replace(JANE, identifier="1003", disability_flag="N", prior_education_flag="N")
BORN_2014 = client(0, date_of_birth=date(2014, 1, 1))
UNUSED_SUBJECT = Subject("BSBXYZ101", "Unused", "080901", "Y", 10)
UNUSED_PROGRAM = Program("BSB40120", "Certificate IV in Business", 600)

# id: (change, layout key of the NAT00120 field, fragment of the message)
ACTIVITY_CASES = {
    "required field": (activity(0, study_reason=""), "study_reason", "is required"),
    "outcome not in table": (activity(0, outcome="90"), "outcome", "not a valid code"),
    "end before start": (activity(0, end_date=date(2024, 2, 1)), "end_date", "before the start"),
    "ended before the year": (
        activity(0, start_date=date(2023, 2, 1), end_date=date(2023, 3, 1)),
        "end_date",
        "earlier collection",
    ),
    "starts after the year": (activity(3, start_date=date(2025, 1, 5)), "start_date", "only outcome 85"),
    "85 starting in the year": (activity(3, outcome="85"), "start_date", "Not yet started"),
    "70 ending in the year": (activity(3, end_date=date(2024, 12, 20)), "end_date", "Continuing"),
    "final outcome after the year": (activity(0, end_date=date(2025, 1, 31)), "end_date", "is final"),
    "RPL without NNN": (activity(1, delivery_mode="YNN"), "delivery_mode", "need delivery mode NNN"),
    "RPL without N": (
        activity(1, predominant_delivery_mode="I"),
        "predominant_delivery_mode",
        "need predominant",
    ),
    "credit transfer without NNN": (
        activity(1, outcome="60", delivery_mode="YNN"),
        "delivery_mode",
        "need delivery",
    ),
    "NNN for a pass": (activity(0, delivery_mode="NNN"), "delivery_mode", "only for RPL"),
    "N for a pass": (activity(0, predominant_delivery_mode="N"), "predominant_delivery_mode", "only for RPL"),
    "predominant not delivered": (
        activity(0, predominant_delivery_mode="W"),
        "predominant_delivery_mode",
        "not among",
    ),
    "no program, not 8": (activity(3, commencing_program="3"), "commencing_program", "needs"),
    "program, but 8": (activity(0, commencing_program="8"), "commencing_program", "means no program"),
    "before birth": (
        both(BORN_2014, activity(0, start_date=date(2013, 6, 1))),
        "start_date",
        "before the client",
    ),
    "duplicate": (added("training_activities", ACTIVITIES[0]), "client_id", "2 times"),
    "client missing": (activity(0, client_id="9999"), "client_id", "not in"),
    "subject missing": (activity(0, subject_id="XYZ101"), "subject_id", "not in"),
    "location missing": (activity(0, delivery_location_id="ELSEWHERE"), "delivery_location_id", "not in"),
    "program missing": (activity(0, program_id="ABC12345"), "program_id", "not in"),
}

# id: (change, file, layout key of the field, fragment of the message)
CROSS_FILE_CASES = {
    "completion after the year": (
        changed("program_completions", 0, date_completed=date(2025, 1, 10)),
        "NAT00130",
        "date_completed",
        "after the collection year",
    ),
    "duplicate client": (added("clients", JANE), "NAT00080", "identifier", "2 times"),
    "contact client missing": (
        changed("client_contacts", 0, client_id="99"),
        "NAT00085",
        "client_id",
        "not in",
    ),
    "disability client missing": (
        changed("disabilities", 0, client_id="99"),
        "NAT00090",
        "client_id",
        "not in",
    ),
    "prior education client missing": (
        changed("prior_educations", 0, client_id="99"),
        "NAT00100",
        "client_id",
        "not in",
    ),
    "completion client missing": (
        changed("program_completions", 0, client_id="99"),
        "NAT00130",
        "client_id",
        "not in",
    ),
    "completion program missing": (
        changed("program_completions", 0, program_id="ABC12345"),
        "NAT00130",
        "program_id",
        "not in",
    ),
    "unused delivery location": (
        added("delivery_locations", SPARE_LOCATION),
        "NAT00020",
        "identifier",
        "not used",
    ),
    "unused subject": (added("subjects", UNUSED_SUBJECT), "NAT00060", "identifier", "not used"),
    "unused program": (added("programs", UNUSED_PROGRAM), "NAT00030", "identifier", "not used"),
    "client without activity": (added("clients", IDLE_CLIENT), "NAT00080", "identifier", "not used"),
    "disability flag, no records": (
        client(1, disability_flag="Y"),
        "NAT00080",
        "disability_flag",
        "no record",
    ),
    "disability records, no flag": (
        client(0, disability_flag="N"),
        "NAT00080",
        "disability_flag",
        "must be Y",
    ),
    "prior education flag, no records": (
        client(1, prior_education_flag="Y"),
        "NAT00080",
        "prior_education_flag",
        "no record",
    ),
    "prior education records, no flag": (
        client(0, prior_education_flag="@"),
        "NAT00080",
        "prior_education_flag",
        "must be Y",
    ),
}


def _reported(change: Change, file: str, key: str, fragment: str) -> bool:
    field = LAYOUTS[file].field(key).name
    problems = validate(change(sample_submission()))
    return any((p.file, p.field) == (file, field) and fragment in p.message for p in problems)


@pytest.mark.parametrize(("change", "key", "fragment"), ACTIVITY_CASES.values(), ids=list(ACTIVITY_CASES))
def test_each_activity_rule_reports_its_mistake(change: Change, key: str, fragment: str) -> None:
    assert _reported(change, "NAT00120", key, fragment)


@pytest.mark.parametrize(
    ("change", "file", "key", "fragment"), CROSS_FILE_CASES.values(), ids=list(CROSS_FILE_CASES)
)
def test_each_cross_file_rule_reports_its_mistake(change: Change, file: str, key: str, fragment: str) -> None:
    assert _reported(change, file, key, fragment)


def test_missing_dates_are_reported_once_as_required_not_as_crashes() -> None:
    key = "client 1001 (Jane Maree Citizen), subject BSBCRT311"
    message = "Activity start date is required."
    assert validate(activity(0, start_date=None)(sample_submission())) == [
        Problem("NAT00120", key, "Activity start date", message)
    ]


def test_optional_numeric_fields_may_be_blank() -> None:
    assert validate(activity(3, client_tuition_fee=None, hours_attended=None)(sample_submission())) == []


def test_a_subject_only_submission_needs_no_program() -> None:
    subject_only = {"program_id": "", "commencing_program": "8"}
    activities = tuple(replace(a, **subject_only) for a in sample_submission().training_activities)
    submission = replace(
        sample_submission(), programs=(), program_completions=(), training_activities=activities
    )
    assert validate(submission) == []
    assert write_files(submission)["NAT00030.txt"] == b""


def test_a_remembered_rule_works_out_each_combination_once_and_unhashable_values_every_time() -> None:
    calls = []

    @remembered
    def rule(code: object, year: int) -> tuple:
        calls.append(code)
        return (("Field", f"{code!r} is wrong in {year}"),)

    assert rule("A", 2024) == rule("A", 2024) == (("Field", "'A' is wrong in 2024"),)
    assert rule("A", 2025) == (("Field", "'A' is wrong in 2025"),)  # every value is part of the key
    assert rule(["B"], 2024) == rule(["B"], 2024) == (("Field", "['B'] is wrong in 2024"),)
    assert calls == ["A", "A", ["B"], ["B"]]
