"""Rules across files: references resolve, nothing is reported twice or left unused, flags match records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from .fields import is_blank
from .layouts import LAYOUTS
from .problems import Problem
from .records import Submission
from .rows import activity_key, client_key, learner_names

# NAT00120 field -> the file its value must be found in.
ACTIVITY_REFERENCES = {
    "client_id": "NAT00080",
    "subject_id": "NAT00060",
    "delivery_location_id": "NAT00020",
    "program_id": "NAT00030",
}


def problems(submission: Submission) -> list[Problem]:
    """Duplicate, dangling-reference, unused-record and flag problems."""
    names = learner_names(submission)
    return (
        _duplicates(submission, names)
        + _references(submission, names)
        + _unused(submission, names)
        + _flags(submission, names)
    )


def _problem(file: str, key: str, field_key: str, message: str) -> Problem:
    return Problem(file, key, LAYOUTS[file].field(field_key).name, message)


def _file(file: str, article: str = "the") -> str:
    """'the client file (NAT00080)'."""
    return f"{article} {LAYOUTS[file].title.lower()} file ({file})"


def _identities(sub: Submission) -> list[tuple[str, str, Iterable, Callable]]:
    """Per file: the field a duplicate is reported on, the records, and what makes a record unique."""
    return [
        ("NAT00020", "identifier", sub.delivery_locations, lambda r: r.identifier),
        ("NAT00030", "identifier", sub.programs, lambda r: r.identifier),
        ("NAT00060", "identifier", sub.subjects, lambda r: r.identifier),
        ("NAT00080", "identifier", sub.clients, lambda r: r.identifier),
        ("NAT00085", "client_id", sub.client_contacts, lambda r: r.client_id),
        ("NAT00090", "client_id", sub.disabilities, lambda r: (r.client_id, r.disability_type)),
        ("NAT00100", "client_id", sub.prior_educations, lambda r: (r.client_id, r.achievement)),
        ("NAT00120", "client_id", sub.training_activities,
         lambda r: (r.delivery_location_id, r.client_id, r.subject_id, r.program_id, r.start_date)),
        ("NAT00130", "client_id", sub.program_completions, lambda r: (r.program_id, r.client_id)),
    ]  # fmt: skip


def _duplicates(sub: Submission, names: Mapping[str, str]) -> list[Problem]:
    found = []
    for file, field_key, records, identity in _identities(sub):
        for value, count in Counter(identity(record) for record in records).items():
            if count > 1:
                key = ", ".join(map(str, value)) if isinstance(value, tuple) else client_key(value, names)
                message = f"This record is reported {count} times; keep one."
                found.append(_problem(file, key, field_key, message))
    return found


def _references(sub: Submission, names: Mapping[str, str]) -> list[Problem]:
    known = {
        "NAT00020": {location.identifier for location in sub.delivery_locations},
        "NAT00030": {program.identifier for program in sub.programs},
        "NAT00060": {subject.identifier for subject in sub.subjects},
        "NAT00080": set(names),
    }
    found = []
    for activity in sub.training_activities:
        for field_key, target in ACTIVITY_REFERENCES.items():
            value = getattr(activity, field_key)
            if not is_blank(value) and value not in known[target]:
                message = f"{value} is not in {_file(target)}."
                found.append(_problem("NAT00120", activity_key(activity, names), field_key, message))
    client_records = {
        "NAT00085": sub.client_contacts,
        "NAT00090": sub.disabilities,
        "NAT00100": sub.prior_educations,
        "NAT00130": sub.program_completions,
    }
    for file, records in client_records.items():
        for record in records:
            if record.client_id not in known["NAT00080"]:
                message = f"Client {record.client_id} is not in {_file('NAT00080')}."
                found.append(_problem(file, client_key(record.client_id, names), "client_id", message))
    for completion in sub.program_completions:
        if completion.program_id not in known["NAT00030"]:
            message = f"Program {completion.program_id} is not in {_file('NAT00030')}."
            found.append(_problem("NAT00130", client_key(completion.client_id, names), "program_id", message))
    return found


def _unused(sub: Submission, names: Mapping[str, str]) -> list[Problem]:
    activities, completions = sub.training_activities, sub.program_completions
    locations = {activity.delivery_location_id for activity in activities}
    subjects = {activity.subject_id for activity in activities}
    programs = {a.program_id for a in activities} | {c.program_id for c in completions}
    clients = {a.client_id for a in activities} | {c.client_id for c in completions}
    unused = "is not used by any training activity (NAT00120)"
    checks = [
        ("NAT00020", sub.delivery_locations, locations, "delivery location"),
        ("NAT00060", sub.subjects, subjects, "subject"),
        ("NAT00030", sub.programs, programs, "program"),
        ("NAT00080", sub.clients, clients, "client"),
    ]
    found = []
    for file, records, used, noun in checks:
        also = " or program completion (NAT00130)" if file in {"NAT00030", "NAT00080"} else ""
        for record in records:
            if record.identifier not in used:
                key = (
                    client_key(record.identifier, names)
                    if noun == "client"
                    else f"{noun} {record.identifier}"
                )
                found.append(_problem(file, key, "identifier", f"This {noun} {unused}{also}."))
    return found


def _flags(sub: Submission, names: Mapping[str, str]) -> list[Problem]:
    listed = {
        ("disability_flag", "NAT00090"): {record.client_id for record in sub.disabilities},
        ("prior_education_flag", "NAT00100"): {record.client_id for record in sub.prior_educations},
    }
    found = []
    for client in sub.clients:
        for (flag_key, file), clients_listed in listed.items():
            flag, has_records = getattr(client, flag_key), client.identifier in clients_listed
            if flag == "Y" and not has_records:
                message = f"The flag is Y, but {_file(file)} has no record for this client."
            elif flag != "Y" and has_records:
                message = f"{_file(file, 'The')} has records for this client, so the flag must be Y."
            else:
                continue
            found.append(_problem("NAT00080", client_key(client.identifier, names), flag_key, message))
    return found
