"""Writing the ten NAT files: fixed-width ASCII records, CRLF line ends, no header, and a zip of them.

One pass (validate.check) checks and formats every record and spools each file to a temporary file, so
a year of 100,000 activities is written without holding it in memory; the zip is made from the spool.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Collection, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

from .fields import FieldError
from .layouts import LAYOUTS
from .problems import Problem
from .records import Submission
from .validate import Report, check

LINE_END = "\r\n"
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # fixed, so the same submission always gives the same bytes


class SubmissionInvalid(Exception):
    """Raised instead of writing a submission that has problems; `problems` lists them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) must be fixed before this submission is written")
        self.problems = problems


class Unwritable(SubmissionInvalid, FieldError):
    """Raised even with `force`: a value cannot be represented in its field at all (too long, not ASCII),
    and nothing is ever silently cut. It is a FieldError, and like SubmissionInvalid lists every problem."""

    def __init__(self, problems: list[Problem], reason: str) -> None:
        super().__init__(problems)
        self.args = (reason,)


def file_name(nat_file: str) -> str:
    """The name a NAT file has inside the submission: NAT00080 -> NAT00080.txt."""
    return f"{nat_file}.txt"


class Spool:
    """NAT files (all ten by default) as temporary files, filled record by record."""

    def __init__(self, files: Collection[str] = LAYOUTS) -> None:
        self._open = ExitStack()  # closed by close(), which `spooled` always calls
        self.files = {
            file: self._open.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
            for file in LAYOUTS
            if file in files
        }

    def write(self, file: str, record: str) -> None:
        self.files[file].write((record + LINE_END).encode("ascii"))

    def contents(self) -> dict[str, bytes]:
        """File name -> content."""
        return {file_name(file): self._rewound(file).read() for file in self.files}

    def save(self, folder: Path) -> None:
        """Each NAT file into `folder`."""
        for file in self.files:
            with (folder / file_name(file)).open("wb") as out:
                shutil.copyfileobj(self._rewound(file), out)

    def zip(self, fileobj: BinaryIO) -> None:
        """The files into a zip archive on `fileobj`."""
        with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file in self.files:
                info = zipfile.ZipInfo(file_name(file), ZIP_TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w") as member:
                    shutil.copyfileobj(self._rewound(file), member)

    def close(self) -> None:
        self._open.close()

    def _rewound(self, file: str) -> BinaryIO:
        handle = self.files[file]
        handle.flush()
        handle.seek(0)
        return handle


@contextmanager
def spooled(
    submission: Submission, *, force: bool = True, files: Collection[str] = LAYOUTS
) -> Iterator[tuple[Spool, Report]]:
    """Check and format the submission's `files` (all ten by default; see `check` for what fewer leave
    unchecked) once into a Spool, for writing out inside the `with` block.

    Raises SubmissionInvalid when there are problems, unless `force`; even with `force`, raises Unwritable
    for a value that cannot be represented in its field at all (too long, not ASCII).
    """
    spool = Spool(files)
    try:
        report = check(submission, spool.write, files)
        if report.unwritable:
            raise Unwritable(report.problems, report.unwritable)
        if report.problems and not force:
            raise SubmissionInvalid(report.problems)
        yield spool, report
    finally:
        spool.close()


def write_files(submission: Submission) -> dict[str, bytes]:
    """File name -> content for all ten NAT files; raises FieldError for a value that does not fit its field.

    This writes past the business rules: use `export_zip` (or `validate` first) for a checked submission.
    """
    with spooled(submission) as (spool, _):
        return spool.contents()


def write_zip(submission: Submission, fileobj: BinaryIO) -> None:
    """Write all ten NAT files into a zip archive on `fileobj` (past the business rules, as write_files)."""
    with spooled(submission) as (spool, _):
        spool.zip(fileobj)


def export_zip(submission: Submission, fileobj: BinaryIO, *, force: bool = False) -> list[Problem]:
    """Validate, then write the zip; raises SubmissionInvalid when there are problems unless `force` is set.

    Returns the problems written past (always [] without `force`).
    """
    with spooled(submission, force=force) as (spool, report):
        spool.zip(fileobj)
    return report.problems
