"""An audit event's before and after, as the changes a person reads: plain Python, no Flask."""

from __future__ import annotations

import re
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


# Fields whose values (or, for a mapping, whose keys) are ids of a task, item or behaviour.
NAMED = {"task", "item", "items", "observed"}


def show(value: Any, names: Mapping[str, str] | None = None) -> str:
    """A recorded value in words: lists joined, a mapping grouped by value ("S: a1, a2; NYS: a3"). With
    `names`, ids are shown by what pages call them ("S: Question 1, Question 2")."""
    names = names or {}
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(show(v, names) for v in value) or "none"
    if isinstance(value, Mapping):
        groups: dict[str, list[str]] = {}
        for key, item in value.items():
            groups.setdefault(show(item), []).append(names.get(str(key), str(key)))
        return "; ".join(f"{v}: {together(keys)}" for v, keys in groups.items()) or "none"
    return names.get(str(value), str(value))


NUMBERED = re.compile(r"(?P<noun>.*[^\d ]) (?P<number>\d+)")  # "Checklist behaviour 12"


def together(names: list[str]) -> str:
    """Names joined, with the numbers of one noun gathered, so that a long role-play stays short to read:
    "Item 1, Item 2, Item 3, Item 5, q9" -> "Items 1–3 and 5, q9"."""
    numbers: dict[str, list[int]] = {}
    shown: list[str] = []  # each name, or each noun once (where its first number was)
    for name in names:
        if numbered := NUMBERED.fullmatch(name):
            noun = numbered["noun"]
            if noun not in numbers:
                numbers[noun] = []
                shown.append(noun)
            numbers[noun].append(int(numbered["number"]))
        else:
            shown.append(name)
    return ", ".join(_numbered(name, numbers[name]) if name in numbers else name for name in shown)


def _numbered(noun: str, numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"{noun} {numbers[0]}"
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    spans = [f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs]
    listed = ", ".join(spans)
    head, _, last = listed.rpartition(", ")
    return f"{noun}s {head} and {last}" if head else f"{noun}s {listed}"


def changes(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    names: Mapping[str, str] | None = None,
) -> list[Change]:
    """The fields whose value the event changed, set or removed, in the order they were recorded;
    a field with the same value before and after is left out. `names` turns the ids of a task, its
    items and behaviours into what people call them (the record itself keeps the ids)."""
    before, after = before or {}, after or {}
    keys = [*after, *(k for k in before if k not in after)]
    return [
        Change(
            key,
            label(key),
            show(before[key], names if key in NAMED else None) if key in before else None,
            show(after[key], names if key in NAMED else None) if key in after else None,
        )
        for key in keys
        if key not in before or key not in after or before[key] != after[key]
    ]
