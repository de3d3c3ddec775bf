"""Turn each record of a Submission into the values its NAT file's layout reads, with a readable key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .records import Submission, TrainingActivity


@dataclass(frozen=True)
class Row:
    """The values of one record, by layout key, and how a person would recognise the record."""

    key: str
    values: Mapping[str, object]


def sources(submission: Submission) -> list[tuple[str, Iterable]]:
    """Each NAT file and its records, in file order: every file a record refers to comes before it.

    The collections may be streams (each is iterated exactly once), so nothing here counts or indexes them.
    """
    return [
        ("NAT00010", (submission.organisation,)),
        ("NAT00020", submission.delivery_locations),
        ("NAT00030", submission.programs),
        ("NAT00060", submission.subjects),
        ("NAT00080", submission.clients),
        ("NAT00085", submission.client_contacts),
        ("NAT00090", submission.disabilities),
        ("NAT00100", submission.prior_educations),
        ("NAT00120", submission.training_activities),
        ("NAT00130", submission.program_completions),
    ]


def client_key(client_id: str, names: Mapping[str, str]) -> str:
    """'client 1001 (Jane Citizen)', or just 'client 1001' when the client is unknown."""
    name = names.get(client_id)
    return f"client {client_id} ({name})" if name else f"client {client_id}"


def activity_key(activity: TrainingActivity, names: Mapping[str, str]) -> str:
    """A training activity is recognised by its client and subject."""
    return f"{client_key(activity.client_id, names)}, subject {activity.subject_id}"


def row(file: str, record: object, names: Mapping[str, str], organisation_id: str) -> Row:
    """The layout values of one record of `file`; `names` knows the clients already read."""
    values = vars(record)  # the dataclass's own fields; copied below only where something is added
    linked = {"organisation_id": organisation_id}
    match file:
        case "NAT00010":
            return Row(f"organisation {record.identifier}", values)
        case "NAT00020":
            return Row(f"delivery location {record.identifier}", values | linked)
        case "NAT00030":
            return Row(f"program {record.identifier}", values)
        case "NAT00060":
            return Row(f"subject {record.identifier}", values)
        case "NAT00080":
            extra = {"name_for_encryption": record.name_for_encryption}
            return Row(client_key(record.identifier, names), values | extra)
        case "NAT00120":
            return Row(activity_key(record, names), values | linked)
        case "NAT00130":
            return Row(f"{client_key(record.client_id, names)}, program {record.program_id}", values | linked)
        case _:  # NAT00085, NAT00090, NAT00100: a client's further records
            return Row(client_key(record.client_id, names), values)
