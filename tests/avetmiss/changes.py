"""Small builders of changed sample submissions, for the validation tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from records.avetmiss import Submission

Change = Callable[[Submission], Submission]


def changed(collection: str, index: int, **changes: object) -> Change:
    """Change one record of `collection`."""

    def change(submission: Submission) -> Submission:
        items = list(getattr(submission, collection))
        items[index] = replace(items[index], **changes)
        return replace(submission, **{collection: tuple(items)})

    return change


def added(collection: str, record: object) -> Change:
    """Add one record to `collection`."""
    return lambda submission: replace(submission, **{collection: (*getattr(submission, collection), record)})


def both(first: Change, second: Change) -> Change:
    """Apply two changes."""
    return lambda submission: second(first(submission))


def organisation(**changes: object) -> Change:
    """Change the training organisation."""
    return lambda submission: replace(submission, organisation=replace(submission.organisation, **changes))


def year(collection_year: int) -> Change:
    """Change the collection year."""
    return lambda submission: replace(submission, collection_year=collection_year)


def client(index: int, **changes: object) -> Change:
    """Sample clients: 0 Jane Citizen (disability, prior education), 1 Văn An Nguyễn."""
    return changed("clients", index, **changes)


def activity(index: int, **changes: object) -> Change:
    """Sample activities: 0 pass YNN/I, 1 RPL granted NNN/N, 2 fail YNY/W, 3 continuing, no program, NYN/E."""
    return changed("training_activities", index, **changes)
