"""Validation of a Submission against the AVETMISS 8.0 layouts, code tables and business rules."""

from __future__ import annotations

from . import activity_rules, client_rules, integrity
from .fields import FieldError, format_field, is_blank
from .layouts import LAYOUTS, Field, Layout
from .problems import SUBMISSION, Problem
from .records import Submission
from .rows import Row, file_rows

FIRST_8_0_YEAR = 2018  # AVETMISS 8.0 applies to data collected from 1 January 2018


def validate(submission: Submission) -> list[Problem]:
    """Every problem that would stop (or should stop) this submission being accepted; [] when it is clean."""
    problems = _year_problems(submission)
    for file, rows in file_rows(submission).items():
        for row in rows:
            problems += record_problems(LAYOUTS[file], row)
    problems += client_rules.problems(submission)
    problems += activity_rules.problems(submission)
    problems += integrity.problems(submission)
    return problems


def record_problems(layout: Layout, row: Row) -> list[Problem]:
    """Required, format, length and code-table problems of one record."""
    problems = []
    for field in layout.fields:
        if field.key is not None and (message := field_problem(field, row.values.get(field.key))):
            problems.append(Problem(layout.file, row.key, field.name, message))
    return problems


def field_problem(field: Field, value: object) -> str | None:
    """Why `value` cannot go into `field`, or None when it can."""
    if is_blank(value):
        return f"{field.name} is required." if field.required else None
    try:
        format_field(field, value)
    except FieldError as error:
        return f"{field.name} {error}"
    if field.codes is not None and str(value).strip() not in field.codes:
        return f"{field.name} {value!r} is not a valid code; choose one of {', '.join(field.codes)}."
    return None


def _year_problems(submission: Submission) -> list[Problem]:
    if submission.collection_year >= FIRST_8_0_YEAR:
        return []
    message = (
        f"AVETMISS 8.0 applies from {FIRST_8_0_YEAR}; {submission.collection_year} data uses release 7.0."
    )
    return [Problem(SUBMISSION, f"collection year {submission.collection_year}", "Collection year", message)]
