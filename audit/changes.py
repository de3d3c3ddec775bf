"""An audit event's before and after, as the changes a person reads: plain Python, no Flask."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Field names recorded by the services, as the trail shows them; any other reads as words (start_date:
# Start date).
LABELS = {
    "sha256": "SHA-256",
    "usi": "USI",
    "code": "Outcome code",
    "meaning": "Outcome",
    "items": "Judgements",
    "observed": "Behaviours observed",
}


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: str | None  # None: the field was not there before (a value set, not changed)
    after: str | None  # None: the field is gone


def label(key: str) -> str:
    return LABELS.get(key) or key.replace("_", " ").capitalize()


def show(value: Any) -> str:
    """A recorded value in words: lists joined, a mapping grouped by value ("S: a1, a2; NYS: a3")."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(show(v) for v in value) or "none"
    if isinstance(value, Mapping):
        groups: dict[str, list[str]] = {}
        for key, item in value.items():
            groups.setdefault(show(item), []).append(str(key))
        return "; ".join(f"{v}: {', '.join(keys)}" for v, keys in groups.items()) or "none"
    return str(value)


def changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[Change]:
    """The fields whose value the event changed, set or removed, in the order they were recorded;
    a field with the same value before and after is left out."""
    before, after = before or {}, after or {}
    keys = [*after, *(k for k in before if k not in after)]
    return [
        Change(
            key,
            label(key),
            show(before[key]) if key in before else None,
            show(after[key]) if key in after else None,
        )
        for key in keys
        if key not in before or key not in after or before[key] != after[key]
    ]
