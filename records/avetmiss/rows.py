"""Each record of a Submission as the values its NAT file's layout reads, and as a person would name it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

from .layouts import LAYOUTS
from .records import Learner, Submission, TrainingActivity

LEARNER_FILES = frozenset({"NAT00080", "NAT00085", "NAT00090", "NAT00100"})  # a Learner's four files


def sources(submission: Submission, files: Collection[str] = LAYOUTS) -> Iterator[tuple[str, Iterable]]:
    """Each of `files` (all ten by default) with records of it, in file order: every record a record
    refers to comes before it.

    A learner's client comes straight before their further records, so their four files are filled
    together. The collections may be streams (each is iterated exactly once, and not at all when its
    file is not wanted): nothing here counts them.
    """
    before = (
        ("NAT00010", (submission.organisation,)),
        ("NAT00020", submission.delivery_locations),
        ("NAT00030", submission.programs),
        ("NAT00060", submission.subjects),
        ("NAT00080", submission.clients),
    )
    after = (
        ("NAT00085", submission.client_contacts),
        ("NAT00090", submission.disabilities),
        ("NAT00100", submission.prior_educations),
        ("NAT00120", submission.training_activities),
        ("NAT00130", submission.program_completions),
    )
    yield from ((file, records) for file, records in before if file in files)
    if not LEARNER_FILES.isdisjoint(files):
        every = LEARNER_FILES.issubset(files)  # nearly always: no filter per learner
        for learner in submission.learners:
            found = learner_sources(learner)
            yield from found if every else [(file, records) for file, records in found if file in files]
    yield from ((file, records) for file, records in after if file in files)


def learner_sources(learner: Learner) -> tuple[tuple[str, Iterable], ...]:
    """A learner's client, then their contact details, disabilities and prior educational achievements."""
    contact = () if learner.contact is None else (learner.contact,)
    return (
        ("NAT00080", (learner.client,)),
        ("NAT00085", contact),
        ("NAT00090", learner.disabilities),
        ("NAT00100", learner.prior_educations),
    )


def client_key(client_id: str, names: Mapping[str, str]) -> str:
    """'client 1001 (Jane Citizen)', or just 'client 1001' when the client is unknown."""
    name = names.get(client_id)
    return f"client {client_id} ({name})" if name else f"client {client_id}"


def activity_key(activity: TrainingActivity, names: Mapping[str, str]) -> str:
    """A training activity is recognised by its client and subject."""
    return f"{client_key(activity.client_id, names)}, subject {activity.subject_id}"


LINKED_TO_ORGANISATION = {"NAT00020", "NAT00120", "NAT00130"}  # their layouts start with the RTO's code


def values(file: str, record: object, organisation_id: str) -> Mapping[str, object]:
    """The values the layout of `file` reads from one record: its own fields and what it is linked to."""
    own = vars(record)  # the dataclass's own fields; copied only where something is added
    if file in LINKED_TO_ORGANISATION:
        return own | {"organisation_id": organisation_id}
    if file == "NAT00080":
        return own | {"name_for_encryption": record.name_for_encryption}
    return own


def key(file: str, record, names: Mapping[str, str]) -> str:
    """How a person recognises one record of `file` in a problem list; `names` knows the clients read."""
    match file:
        case "NAT00010":
            return f"organisation {record.identifier}"
        case "NAT00020":
            return f"delivery location {record.identifier}"
        case "NAT00030":
            return f"program {record.identifier}"
        case "NAT00060":
            return f"subject {record.identifier}"
        case "NAT00080":
            return client_key(record.identifier, names)
        case "NAT00120":
            return activity_key(record, names)
        case "NAT00130":
            return f"{client_key(record.client_id, names)}, program {record.program_id}"
        case _:  # NAT00085, NAT00090, NAT00100: a client's further records
            return client_key(record.client_id, names)
