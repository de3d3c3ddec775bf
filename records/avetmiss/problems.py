"""What validation reports: one Problem per thing a person has to fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps

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


Findings = tuple[Finding, ...]


def remembered(rule: Callable[..., Findings]) -> Callable[..., Findings]:
    """`rule`, a pure function of values, worked out once for each combination of them (at most 4,096 kept).

    The records of a year share a few hundred combinations of codes and dates. A value that cannot be
    remembered by (not hashable) is worked out every time.
    """
    cached = lru_cache(maxsize=4096)(rule)

    @wraps(rule)
    def findings(*values: object) -> Findings:
        try:
            return cached(*values)
        except TypeError:  # unhashable: nothing to remember it by
            return rule(*values)

    return findings
