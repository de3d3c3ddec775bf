"""Turn a Submission into the values of each NAT file's records, with a readable key for each record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from .records import Submission, TrainingActivity


@dataclass(frozen=True)
class Row:
    """The values of one record, by layout key, and how a person would recognise the record."""

    key: str
    values: Mapping[str, object]


def learner_names(submission: Submission) -> dict[str, str]:
    """Client identifier -> learner name, for problem messages."""
    return {client.identifier: client.display_name for client in submission.clients}


def client_key(client_id: str, names: Mapping[str, str]) -> str:
    """'client 1001 (Jane Citizen)', or just 'client 1001' when the client is unknown."""
    name = names.get(client_id)
    return f"client {client_id} ({name})" if name else f"client {client_id}"


def activity_key(activity: TrainingActivity, names: Mapping[str, str]) -> str:
    """A training activity is recognised by its client and subject."""
    return f"{client_key(activity.client_id, names)}, subject {activity.subject_id}"


def file_rows(submission: Submission) -> dict[str, list[Row]]:
    """NAT file name -> its records' values, in file order."""
    names = learner_names(submission)
    organisation = submission.organisation
    linked = {"organisation_id": organisation.identifier}

    def client_rows(records: tuple) -> list[Row]:
        return [Row(client_key(record.client_id, names), asdict(record)) for record in records]

    return {
        "NAT00010": [Row(f"organisation {organisation.identifier}", asdict(organisation))],
        "NAT00020": [
            Row(f"delivery location {location.identifier}", asdict(location) | linked)
            for location in submission.delivery_locations
        ],
        "NAT00030": [
            Row(f"program {program.identifier}", asdict(program)) for program in submission.programs
        ],
        "NAT00060": [
            Row(f"subject {subject.identifier}", asdict(subject)) for subject in submission.subjects
        ],
        "NAT00080": [
            Row(
                client_key(client.identifier, names),
                asdict(client) | {"name_for_encryption": client.name_for_encryption},
            )
            for client in submission.clients
        ],
        "NAT00085": client_rows(submission.client_contacts),
        "NAT00090": client_rows(submission.disabilities),
        "NAT00100": client_rows(submission.prior_educations),
        "NAT00120": [
            Row(activity_key(activity, names), asdict(activity) | linked)
            for activity in submission.training_activities
        ],
        "NAT00130": [
            Row(
                f"{client_key(completion.client_id, names)}, program {completion.program_id}",
                asdict(completion) | linked,
            )
            for completion in submission.program_completions
        ],
    }
