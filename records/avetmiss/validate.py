"""Validation of a Submission against the AVETMISS 8.0 layouts, code tables and business rules.

`check` reads every record exactly once, in file order, checking and formatting it in the same step and
handing the formatted record on; only identifiers are kept for the cross-file rules. So a submission whose
collections are streams from a database is checked (and written, see write.py) in bounded memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as default

from . import activity_rules, client_rules, rows
from .fields import FieldTexts, check_generally
from .integrity import Index
from .layouts import LAYOUTS, Layout
from .problems import SUBMISSION, Finding, Problem
from .records import Submission

FIRST_8_0_YEAR = 2018  # AVETMISS 8.0 applies to data collected from 1 January 2018

Sink = Callable[[str, str], None]  # (NAT file, formatted record without its line end)


@dataclass
class Report:
    """What one pass over a submission found."""

    problems: list[Problem] = default(default_factory=list)
    records: Counter = default(default_factory=Counter)  # NAT file -> records read
    unwritable: str | None = None  # why the first value that cannot be written into its field at all cannot


def validate(submission: Submission) -> list[Problem]:
    """Every problem that would stop (or should stop) this submission being accepted; [] when it is clean."""
    return check(submission).problems


def check(submission: Submission, sink: Sink | None = None, files: Collection[str] = LAYOUTS) -> Report:
    """Check every record once, in file order, passing each formatted record that can be written to `sink`.

    Only `files` are read (all ten by default). A reference into a file that is not read is taken on
    trust, and so is a rule that needs one (a client's date of birth, an unused record, a Y flag's list).
    """
    report = Report(_year_problems(submission))
    index = Index(files)
    checkers = {file: _checker(file, submission, index, report, sink) for file in files}
    for file, records in rows.sources(submission, files):
        check_record = checkers[file]
        for record in records:
            check_record(record)
    report.problems += index.problems()
    return report


def _checker(
    file: str, submission: Submission, index: Index, report: Report, sink: Sink | None
) -> Callable[[object], None]:
    """What checks one record of `file`: it is counted and remembered, its fields and rules are checked, and
    it is passed on formatted. What depends only on the file is looked up here, once."""
    layout, texts = LAYOUTS[file], FieldTexts(LAYOUTS[file])
    add, rules = index.adder(file), _rules(file, submission, index)
    organisation_id, counts, problems = submission.organisation.identifier, report.records, report.problems

    def check_record(record: object) -> None:
        counts[file] += 1
        problems.extend(add(record))
        values = rows.values(file, record, organisation_id)
        fields, found = texts.of(values), rules(record)
        if None in fields or found:  # something to say: only now is the record named
            key = rows.key(file, record, index.names)
            line = _check_row(layout, fields, values, key, report)
            problems.extend(Problem(file, key, field, message) for field, message in found)
        else:  # every value fits as it is and every rule holds: nearly every record
            line = "".join(fields)
        if line is not None and sink is not None:
            sink(file, line)

    return check_record


def _rules(file: str, submission: Submission, index: Index) -> Callable[[object], Sequence[Finding]]:
    """The rules beyond the fields' formats that one record of `file` must meet."""
    first, last = submission.period_start, submission.period_end
    if file == "NAT00120":
        births, findings = index.births, activity_rules.activity_findings
        return lambda activity: findings(activity, births.get(activity.client_id), first, last)
    if file == "NAT00130":
        return lambda completion: activity_rules.completion_findings(completion, last)
    return lambda record: client_rules.findings(file, record, last)


def _check_row(
    layout: Layout, texts: list[str | None], values: Mapping[str, object], key: str, report: Report
) -> str | None:
    """The formatted record from its fields' `texts` (None where the general path must decide), adding its
    field problems to `report`; None when a value cannot be written."""
    for place, field in enumerate(layout.fields):
        if texts[place] is not None:
            continue
        texts[place], message = check_generally(field, values.get(field.key))
        if message:
            report.problems.append(Problem(layout.file, key, field.name, message))
        if texts[place] is None:
            report.unwritable = report.unwritable or f"{layout.file}, {key}: {message}"
    return None if None in texts else "".join(texts)


def _year_problems(submission: Submission) -> list[Problem]:
    if submission.collection_year >= FIRST_8_0_YEAR:
        return []
    message = (
        f"AVETMISS 8.0 applies from {FIRST_8_0_YEAR}; {submission.collection_year} data uses release 7.0."
    )
    return [Problem(SUBMISSION, f"collection year {submission.collection_year}", "Collection year", message)]
