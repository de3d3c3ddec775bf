"""Some NAT files alone (`files=`): written as in the whole submission, their own records checked, and
what they refer to in the files left out taken on trust, those files' collections never read."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from records.avetmiss import check, spooled, validate, write_files
from tests.avetmiss.changes import activity
from tests.avetmiss.sample import sample_submission
from tests.avetmiss.test_write import COLLECTIONS, ReadOnce, _as_learners

WITHOUT_CLIENTS = dict.fromkeys(("clients", "client_contacts", "disabilities", "prior_educations"), ())


class Unread:
    """A collection that must not be read: its file was not asked for."""

    def __iter__(self):
        raise AssertionError("a collection whose file was not asked for was read")


@pytest.fixture(scope="module")
def whole() -> dict[str, bytes]:
    return write_files(sample_submission())


@pytest.mark.parametrize(
    "files", [("NAT00120",), ("NAT00080", "NAT00090"), ("NAT00010", "NAT00060", "NAT00130")], ids=str
)
def test_the_files_asked_for_are_written_as_in_the_whole_submission(whole, files) -> None:
    with spooled(_as_learners(sample_submission()), force=False, files=files) as (spool, report):
        written = spool.contents()
    assert written == {f"{file}.txt": whole[f"{file}.txt"] for file in files}
    assert set(report.records) == set(files) and report.problems == []


def test_the_activity_file_alone_never_reads_the_learners() -> None:
    sample = sample_submission()
    unread = dict.fromkeys(set(COLLECTIONS) - {"training_activities"}, Unread())
    activities = ReadOnce(sample.training_activities)
    partial = replace(sample, learners=Unread(), training_activities=activities, **unread)
    report = check(partial, files=("NAT00120",))
    assert report.records == {"NAT00120": len(sample.training_activities)} and activities.reads == 1


def test_references_into_files_left_out_are_taken_on_trust() -> None:
    no_clients = replace(sample_submission(), **WITHOUT_CLIENTS)
    assert any("is not in the client file (NAT00080)" in p.message for p in validate(no_clients))
    assert check(no_clients, files=("NAT00120",)).problems == []
    assert check(no_clients, files=("NAT00085", "NAT00090", "NAT00100", "NAT00120")).problems == []


def test_records_used_or_listed_only_in_files_left_out_are_not_called_unused_or_missing() -> None:
    no_activities = replace(sample_submission(), training_activities=(), program_completions=())
    assert any("not used by any training activity" in p.message for p in validate(no_activities))
    assert check(no_activities, files=("NAT00020", "NAT00060", "NAT00080")).problems == []
    without_lists = replace(sample_submission(), disabilities=(), prior_educations=())
    assert any(p.field == "Disability flag" for p in validate(without_lists))
    assert check(without_lists, files=("NAT00080",)).problems == []


def test_the_activity_file_alone_still_checks_its_own_records() -> None:
    ended_in_year = activity(3, end_date=date(2024, 12, 20))  # continuing (70) must end after the year
    problems = check(ended_in_year(sample_submission()), files=("NAT00120",)).problems
    assert [(p.file, p.field) for p in problems] == [("NAT00120", "Activity end date")]
    assert "Continuing activity (70)" in problems[0].message
