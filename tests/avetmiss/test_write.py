"""Writing: byte-for-byte golden files, CRLF line ends, exact record lengths, the zip, refusing bad input."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from records.avetmiss import (
    FieldError,
    Learner,
    Submission,
    SubmissionInvalid,
    export_zip,
    validate,
    write_files,
    write_zip,
)
from records.avetmiss.layouts import LAYOUTS
from tests.avetmiss.sample import sample_submission

GOLDEN = Path(__file__).parent / "golden"
FILE_NAMES = [f"{file}.txt" for file in LAYOUTS]


@pytest.fixture(scope="module")
def written() -> dict[str, bytes]:
    return write_files(sample_submission())


@pytest.mark.parametrize("name", FILE_NAMES)
def test_output_matches_the_hand_written_golden_file(written: dict[str, bytes], name: str) -> None:
    assert written[name] == (GOLDEN / name).read_bytes()


@pytest.mark.parametrize("file", list(LAYOUTS))
def test_every_record_has_the_record_length_and_ends_with_crlf(written: dict[str, bytes], file: str) -> None:
    content = written[f"{file}.txt"]
    assert content.endswith(b"\r\n")
    records = content.split(b"\r\n")[:-1]
    assert records and all(len(record) == LAYOUTS[file].record_length for record in records)
    assert b"\n" not in b"".join(records) and b"\r" not in b"".join(records)


def test_output_is_ascii_without_header(written: dict[str, bytes]) -> None:
    for content in written.values():
        content.decode("ascii")
    assert written["NAT00080.txt"].startswith(b"1001      Citizen, Jane Maree")


# Positions from the public 8.0 parser jobready/avetmiss_data (0-based slices), not from our layout tables.
@pytest.mark.parametrize(
    ("name", "start", "stop", "expected"),
    [
        ("NAT00080.txt", 149, 159, b"7QRP3KV395"),
        ("NAT00080.txt", 159, 161, b"01"),
        ("NAT00080.txt", 326, 327, b"A"),
        ("NAT00085.txt", 331, 335, b"2000"),
        ("NAT00120.txt", 71, 73, b"20"),
        ("NAT00120.txt", 157, 158, b"I"),
        ("NAT00130.txt", 30, 38, b"29112024"),
    ],
)
def test_golden_values_sit_where_another_implementation_reads_them(
    name: str, start: int, stop: int, expected: bytes
) -> None:
    first_record = (GOLDEN / name).read_bytes().split(b"\r\n")[0]
    assert first_record[start:stop] == expected


def test_files_without_records_are_empty() -> None:
    submission = replace(sample_submission(), programs=(), program_completions=(), disabilities=())
    files = write_files(submission)
    assert files["NAT00030.txt"] == b"" and files["NAT00090.txt"] == b"" and files["NAT00130.txt"] == b""


def test_zip_holds_exactly_the_ten_files(written: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    write_zip(sample_submission(), buffer)
    with zipfile.ZipFile(buffer) as archive:
        assert sorted(archive.namelist()) == FILE_NAMES
        assert all(archive.read(name) == written[name] for name in FILE_NAMES)


def test_zip_is_reproducible() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    write_zip(sample_submission(), first)
    write_zip(sample_submission(), second)
    assert first.getvalue() == second.getvalue()


def test_a_value_too_long_is_never_cut() -> None:
    submission = sample_submission()
    long_name = replace(submission.subjects[0], name="x" * 101)
    with pytest.raises(FieldError, match="at most 100"):
        write_files(replace(submission, subjects=(long_name, *submission.subjects[1:])))


def _with_mistyped_usi():
    submission = sample_submission()
    jane = replace(submission.clients[0], usi="7QRP3KV394")
    return replace(submission, clients=(jane, *submission.clients[1:]))


def test_export_refuses_an_invalid_submission_and_lists_its_problems() -> None:
    buffer = io.BytesIO()
    with pytest.raises(SubmissionInvalid) as raised:
        export_zip(_with_mistyped_usi(), buffer)
    assert [problem.field for problem in raised.value.problems] == ["Unique student identifier"]
    assert buffer.getvalue() == b""


def test_export_with_force_writes_and_returns_the_problems() -> None:
    buffer = io.BytesIO()
    problems = export_zip(_with_mistyped_usi(), buffer, force=True)
    assert len(problems) == 1
    assert len(zipfile.ZipFile(buffer).namelist()) == 10


def test_export_of_a_clean_submission_returns_no_problems() -> None:
    assert export_zip(sample_submission(), io.BytesIO()) == []


class ReadOnce:
    """A collection that can be iterated once, like a stream from a database."""

    def __init__(self, records: tuple) -> None:
        self.records, self.reads = records, 0

    def __iter__(self):
        self.reads += 1
        assert self.reads == 1, "a stream was read twice"
        return iter(self.records)


COLLECTIONS = ("delivery_locations", "programs", "subjects", "clients", "client_contacts", "disabilities")
COLLECTIONS += ("prior_educations", "training_activities", "program_completions")


def test_streamed_collections_are_read_once_and_give_the_same_files(written: dict[str, bytes]) -> None:
    sample = sample_submission()
    streams = {name: ReadOnce(getattr(sample, name)) for name in COLLECTIONS}
    buffer = io.BytesIO()
    assert export_zip(replace(sample, **streams), buffer) == []
    with zipfile.ZipFile(buffer) as archive:
        assert all(archive.read(name) == written[name] for name in FILE_NAMES)
    assert all(stream.reads == 1 for stream in streams.values())


def test_streamed_problems_match_those_of_tuples() -> None:
    sample = _with_mistyped_usi()
    streams = {name: ReadOnce(getattr(sample, name)) for name in COLLECTIONS}
    with pytest.raises(SubmissionInvalid) as raised:
        export_zip(replace(sample, **streams), io.BytesIO())
    assert raised.value.problems == validate(sample)


def _as_learners(submission: Submission) -> Submission:
    """The same submission with each client and their further records read together, as from a database."""
    learners = tuple(
        Learner(
            client,
            next((c for c in submission.client_contacts if c.client_id == client.identifier), None),
            tuple(d for d in submission.disabilities if d.client_id == client.identifier),
            tuple(p for p in submission.prior_educations if p.client_id == client.identifier),
        )
        for client in submission.clients
    )
    separate = dict.fromkeys(("clients", "client_contacts", "disabilities", "prior_educations"), ())
    return replace(submission, learners=ReadOnce(learners), **separate)


def test_learners_read_together_give_the_same_files(written: dict[str, bytes]) -> None:
    together = _as_learners(sample_submission())
    assert write_files(together) == written
    assert together.learners.reads == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda _: _with_mistyped_usi(),
        # Jane says she has a disability, but her disability record is missing (a cross-file rule).
        lambda s: replace(s, disabilities=()),
        # An's contact details lack a street and a postal box (a rule on a further record).
        lambda s: replace(
            s,
            client_contacts=tuple(
                replace(c, street_name="", postal_delivery_box="") if c.client_id == "1002" else c
                for c in s.client_contacts
            ),
        ),
    ],
    ids=["client field", "flag without records", "contact rule"],
)
def test_learners_read_together_give_the_same_problems(change) -> None:
    separate = change(sample_submission())
    problems = validate(separate)
    assert problems  # each variant is wrong somewhere
    assert validate(_as_learners(separate)) == problems
