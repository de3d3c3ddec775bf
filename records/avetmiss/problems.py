"""What validation reports: one Problem per thing a person has to fix."""

from __future__ import annotations

from dataclasses import dataclass

SUBMISSION = "Submission"  # `file` of problems about the submission as a whole
Finding = tuple[str, str]  # (field name, message): a problem of a record not yet named, see Problem.key


@dataclass(frozen=True)
class Problem:
    """A problem in one field of one record of one NAT file, in plain English."""

    file: str
    key: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, {self.key}, {self.field}: {self.message}"
