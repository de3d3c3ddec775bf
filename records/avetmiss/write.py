"""Writing the ten NAT files: fixed-width ASCII records, CRLF line ends, no header, and a zip of them."""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from .fields import format_record
from .layouts import LAYOUTS, Layout
from .problems import Problem
from .records import Submission
from .rows import Row, file_rows
from .validate import validate

LINE_END = "\r\n"
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # fixed, so the same submission always gives the same bytes


class SubmissionInvalid(Exception):
    """Raised instead of writing a submission that has problems; `problems` lists them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) must be fixed before this submission is written")
        self.problems = problems


def file_name(nat_file: str) -> str:
    """The name a NAT file has inside the submission: NAT00080 -> NAT00080.txt."""
    return f"{nat_file}.txt"


def render(layout: Layout, rows: list[Row]) -> bytes:
    """The content of one NAT file: each record followed by CRLF (an empty file when there are none)."""
    return "".join(format_record(layout, row.values) + LINE_END for row in rows).encode("ascii")


def write_files(submission: Submission) -> dict[str, bytes]:
    """File name -> content for all ten NAT files; raises FieldError for a value that does not fit its field.

    This does not run the business rules: use `export_zip` (or `validate` first) for a checked submission.
    """
    rows = file_rows(submission)
    return {file_name(file): render(layout, rows[file]) for file, layout in LAYOUTS.items()}


def write_zip(submission: Submission, fileobj: BinaryIO) -> None:
    """Write all ten NAT files into a zip archive on `fileobj`."""
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in write_files(submission).items():
            archive.writestr(
                zipfile.ZipInfo(name, ZIP_TIMESTAMP), content, compress_type=zipfile.ZIP_DEFLATED
            )


def export_zip(submission: Submission, fileobj: BinaryIO, *, force: bool = False) -> list[Problem]:
    """Validate, then write the zip; raises SubmissionInvalid when there are problems unless `force` is set.

    Returns the problems written past (always [] without `force`). Even with `force`, a value that cannot be
    represented in its field at all (too long, not ASCII) raises FieldError: nothing is silently cut.
    """
    problems = validate(submission)
    if problems and not force:
        raise SubmissionInvalid(problems)
    write_zip(submission, fileobj)
    return problems
