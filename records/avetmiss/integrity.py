"""Rules across files: references resolve, nothing is reported twice or left unused, flags match records.

An `Index` is fed every record once, in file order (rows.sources), and keeps only identifiers: references
are checked as each record arrives (the files referred to come first), the rest once everything is in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from datetime import date
from functools import partial

from .fields import is_blank
from .layouts import LAYOUTS
from .problems import Problem
from .rows import activity_key, client_key

# NAT00120 field -> the file its value must be found in.
ACTIVITY_REFERENCES = {
    "client_id": "NAT00080",
    "subject_id": "NAT00060",
    "delivery_location_id": "NAT00020",
    "program_id": "NAT00030",
}
# File -> the field a duplicate is reported on, and what makes one of its records unique.
IDENTITIES: dict[str, tuple[str, Callable]] = {
    "NAT00020": ("identifier", lambda r: r.identifier),
    "NAT00030": ("identifier", lambda r: r.identifier),
    "NAT00060": ("identifier", lambda r: r.identifier),
    "NAT00080": ("identifier", lambda r: r.identifier),
    "NAT00085": ("client_id", lambda r: r.client_id),
    "NAT00090": ("client_id", lambda r: (r.client_id, r.disability_type)),
    "NAT00100": ("client_id", lambda r: (r.client_id, r.achievement)),
    "NAT00120": ("client_id",
                 lambda r: (r.delivery_location_id, r.client_id, r.subject_id, r.program_id, r.start_date)),
    "NAT00130": ("client_id", lambda r: (r.program_id, r.client_id)),
}  # fmt: skip
# Client flag -> the file that must hold records for the client when (and only when) it is Y.
FLAGS = {"disability_flag": "NAT00090", "prior_education_flag": "NAT00100"}
IDENTIFIED = ("NAT00020", "NAT00030", "NAT00060")  # files whose records other files refer to by identifier
USERS = ("NAT00120", "NAT00130")  # the files that use clients, subjects, programs and locations


class Index:
    """What the cross-file rules need to remember of the records seen so far, in the files `read`; what
    refers to, or is used by, a file not read is not judged."""

    def __init__(self, read: Collection[str] = LAYOUTS) -> None:
        self.read = frozenset(read)
        self.names: dict[str, str] = {}  # client identifier -> name, in file order
        self.births: dict[str, date | None] = {}
        self.known: dict[str, dict[str, None]] = {file: {} for file in IDENTIFIED}  # ordered sets
        self.used: dict[str, set[str]] = defaultdict(set)
        self.identities: dict[str, Counter] = defaultdict(Counter)
        self.flagged: dict[str, set[str]] = {flag: set() for flag in FLAGS}
        self.listed: dict[str, set[str]] = {file: set() for file in FLAGS.values()}

    def adder(self, file: str) -> Callable[[object], list[Problem]]:
        """Remember a record of `file`, returning its dangling references, if any."""
        if file == "NAT00120":  # most records of a year: what depends only on the file is looked up once
            return self._activity_adder()
        return partial(self._add, file)

    def problems(self) -> list[Problem]:
        """Duplicate, unused-record and flag problems, once every record has been added."""
        return self._duplicates() + self._unused() + self._flags()

    def _add(self, file: str, record) -> list[Problem]:
        if file in IDENTITIES:
            counts, identity = self.identities[file], IDENTITIES[file][1](record)
            counts[identity] = counts.get(identity, 0) + 1  # not += 1, which calls Counter.__missing__
        if file in self.known:
            self.known[file][record.identifier] = None
        if file == "NAT00080":
            self.names[record.identifier] = record.display_name
            self.births[record.identifier] = record.date_of_birth
            for flag, flagged in self.flagged.items():
                if getattr(record, flag) == "Y":
                    flagged.add(record.identifier)
        if file in self.listed:
            self.listed[file].add(record.client_id)
        if file in {"NAT00085", "NAT00090", "NAT00100", "NAT00130"}:
            return self._client_references(file, record)
        return []

    def _activity_adder(self) -> Callable[[object], list[Problem]]:
        counts, identity = self.identities["NAT00120"], IDENTITIES["NAT00120"][1]
        references = [
            (field_key, self.used[target], self._identifiers(target), target)
            for field_key, target in ACTIVITY_REFERENCES.items()
            if target in self.read
        ]

        def add(activity) -> list[Problem]:
            key = identity(activity)
            counts[key] = counts.get(key, 0) + 1
            found = []
            for field_key, used, known, target in references:
                value = getattr(activity, field_key)
                used.add(value)
                if value not in known and not is_blank(value):
                    message = f"{value} is not in {_file(target)}."
                    found.append(_problem("NAT00120", activity_key(activity, self.names), field_key, message))
            return found

        return add

    def _client_references(self, file: str, record) -> list[Problem]:
        key = client_key(record.client_id, self.names)
        found = []
        if "NAT00080" in self.read and record.client_id not in self.names:
            message = f"Client {record.client_id} is not in {_file('NAT00080')}."
            found.append(_problem(file, key, "client_id", message))
        if file == "NAT00130":
            self.used["NAT00080"].add(record.client_id)
            self.used["NAT00030"].add(record.program_id)
            if "NAT00030" in self.read and record.program_id not in self.known["NAT00030"]:
                message = f"Program {record.program_id} is not in {_file('NAT00030')}."
                found.append(_problem(file, key, "program_id", message))
        return found

    def _identifiers(self, file: str):
        return self.names if file == "NAT00080" else self.known[file]

    def _duplicates(self) -> list[Problem]:
        found = []
        for file, (field_key, _) in IDENTITIES.items():
            for value, count in self.identities[file].items():
                if count > 1:
                    key = (
                        ", ".join(map(str, value))
                        if isinstance(value, tuple)
                        else client_key(value, self.names)
                    )
                    message = f"This record is reported {count} times; keep one."
                    found.append(_problem(file, key, field_key, message))
        return found

    def _unused(self) -> list[Problem]:
        unused = "is not used by any training activity (NAT00120)"
        nouns = {
            "NAT00020": "delivery location",
            "NAT00060": "subject",
            "NAT00030": "program",
            "NAT00080": "client",
        }
        if not self.read.issuperset(USERS):
            return []  # a record used only by a file not read would be called unused
        found = []
        for file, noun in nouns.items():
            also = " or program completion (NAT00130)" if file in {"NAT00030", "NAT00080"} else ""
            for identifier in self._identifiers(file):
                if identifier not in self.used[file]:
                    key = client_key(identifier, self.names) if noun == "client" else f"{noun} {identifier}"
                    found.append(_problem(file, key, "identifier", f"This {noun} {unused}{also}."))
        return found

    def _flags(self) -> list[Problem]:
        found = []
        for client_id in self.names:
            for flag_key, file in FLAGS.items():
                if file not in self.read:
                    continue
                flagged, listed = client_id in self.flagged[flag_key], client_id in self.listed[file]
                if flagged and not listed:
                    message = f"The flag is Y, but {_file(file)} has no record for this client."
                elif listed and not flagged:
                    message = f"{_file(file, 'The')} has records for this client, so the flag must be Y."
                else:
                    continue
                found.append(_problem("NAT00080", client_key(client_id, self.names), flag_key, message))
        return found


def _problem(file: str, key: str, field_key: str, message: str) -> Problem:
    return Problem(file, key, LAYOUTS[file].field(field_key).name, message)


def _file(file: str, article: str = "the") -> str:
    """'the client file (NAT00080)'."""
    return f"{article} {LAYOUTS[file].title.lower()} file ({file})"
