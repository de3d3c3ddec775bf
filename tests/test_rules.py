"""The assessment rules, table by table: results, resubmission, attempts, outcomes, AVETMISS codes."""

import pytest

from assessments.rules import (
    NYS,
    OUTCOMES,
    Decision,
    ItemJudgement,
    S,
    attempt_result,
    can_resubmit,
    is_exhausted,
    items_to_redo,
    latest_results,
    marking_problems,
    propose_outcome,
    requirements_evidenced,
    task_result,
    task_status,
)

ITEMS = ["a", "b", "c"]


@pytest.mark.parametrize(
    ("judgements", "expected"),
    [
        ([], {}),
        ([ItemJudgement(1, "a", S)], {"a": S}),
        ([ItemJudgement(1, "a", NYS), ItemJudgement(2, "a", S)], {"a": S}),  # resubmission replaces
        ([ItemJudgement(2, "a", S), ItemJudgement(1, "a", NYS)], {"a": S}),  # order of rows does not matter
        ([ItemJudgement(1, "a", S, 1), ItemJudgement(1, "a", NYS, 2)], {"a": NYS}),  # a later revision wins
        ([ItemJudgement(1, "a", S), ItemJudgement(1, "b", NYS), ItemJudgement(2, "b", S)], {"a": S, "b": S}),
    ],
)
def test_latest_results(judgements, expected):
    assert latest_results(judgements) == expected


@pytest.mark.parametrize(
    ("results", "task", "attempt", "redo"),
    [
        ({"a": S, "b": S, "c": S}, S, S, []),
        ({"a": S, "b": NYS, "c": S}, NYS, NYS, ["b"]),
        ({"a": NYS, "b": NYS, "c": NYS}, NYS, NYS, ["a", "b", "c"]),
        ({"a": S, "b": S}, None, NYS, []),  # c never judged: the task has no result yet
    ],
)
def test_task_and_attempt_results_and_what_to_redo(results, task, attempt, redo):
    assert task_result(results, ITEMS) == task
    assert attempt_result(results, ITEMS) == attempt
    assert items_to_redo(results, ITEMS) == redo


@pytest.mark.parametrize(
    ("used", "last_status", "last_result", "cap", "reopenings", "status"),
    [
        (0, None, None, 3, 0, "not_started"),
        (1, "draft", None, 3, 0, "draft"),
        (1, "submitted", None, 3, 0, "submitted"),
        (1, "satisfactory", S, 3, 0, "satisfactory"),
        (1, "not_satisfactory", NYS, 3, 0, "resubmit"),
        (2, "not_satisfactory", NYS, 3, 0, "resubmit"),
        (3, "not_satisfactory", NYS, 3, 0, "not_satisfactory"),  # cap reached
        (3, "not_satisfactory", NYS, 3, 1, "resubmit"),  # reopened once
        (4, "not_satisfactory", NYS, 3, 1, "not_satisfactory"),
        (2, "draft", None, 3, 0, "draft"),  # resubmission in progress
        (1, "not_satisfactory", NYS, 1, 0, "not_satisfactory"),  # a cap of one
    ],
)
def test_task_status_cap_and_reopening(used, last_status, last_result, cap, reopenings, status):
    assert task_status(used, last_status, last_result, cap, reopenings) == status
    assert can_resubmit(used, cap, reopenings, last_result) == (status == "resubmit")
    assert is_exhausted(used, cap, reopenings, last_result) == (status == "not_satisfactory")


def test_requirements_evidenced_counts_only_satisfactory_points():
    points = [(["1.1", "PE1"], True), (["1.2"], False), (["1.1", "2.1"], True)]
    assert requirements_evidenced(points) == {"1.1", "PE1", "2.1"}


REQUIREMENTS = ["1.1", "1.2", "PE1", "KE1"]


@pytest.mark.parametrize(
    ("tasks", "exhausted", "evidenced", "code"),
    [
        ({"t1": S, "t2": S}, [], {"1.1", "1.2", "PE1", "KE1"}, "20"),  # Competent
        ({"t1": S, "t2": S}, [], {"1.1", "1.2", "PE1"}, None),  # a gap in the evidence: not yet
        ({"t1": S, "t2": NYS}, [], set(REQUIREMENTS), None),  # a task not yet satisfactory
        ({"t1": S, "t2": None}, [], set(REQUIREMENTS), None),  # a task not yet marked
        ({"t1": S, "t2": NYS}, ["t2"], {"1.1"}, "30"),  # attempts exhausted: Not Yet Competent
    ],
)
def test_outcome_proposal(tasks, exhausted, evidenced, code):
    proposal = propose_outcome(tasks, exhausted, REQUIREMENTS, evidenced)
    assert proposal.code == code
    assert proposal.reasons


def test_gap_reasons_name_the_requirement_and_task():
    proposal = propose_outcome({"t1": NYS}, [], REQUIREMENTS, {"1.1"})
    assert "Task t1 is not yet Satisfactory." in proposal.reasons
    assert "No satisfactory evidence yet for KE1." in proposal.reasons


@pytest.mark.parametrize(
    ("code", "meaning"),
    [
        ("20", "Competency achieved/pass"),
        ("30", "Competency not achieved/fail"),
        ("40", "Withdrawn/discontinued"),
        ("51", "Recognition of prior learning granted"),
        ("52", "Recognition of prior learning not granted"),
        ("60", "Credit transfer/national recognition"),
        ("70", "Continuing activity"),
        ("85", "Not yet started"),
    ],
)
def test_avetmiss_outcome_codes(code, meaning):
    assert OUTCOMES[code] == meaning


@pytest.mark.parametrize(
    ("decisions", "observed", "problems"),
    [
        ({"a": Decision(S, ""), "r": Decision(S, "")}, {"b1": True, "b2": True}, set()),
        ({"a": Decision(None, ""), "r": Decision(S, "")}, {"b1": True, "b2": True}, {"a"}),
        (
            {"a": Decision(NYS, "  "), "r": Decision(S, "")},
            {"b1": True, "b2": True},
            {"a"},
        ),  # NYS needs a comment
        ({"a": Decision(S, ""), "r": Decision(S, "")}, {"b1": True, "b2": False}, {"r"}),  # unseen behaviour
        ({"a": Decision(S, ""), "r": Decision(NYS, "Redo")}, {"b1": True, "b2": False}, set()),
        ({"a": Decision(S, ""), "r": Decision(S, "")}, {"b1": True}, {"b2"}),  # behaviour not ticked
    ],
)
def test_marking_problems(decisions, observed, problems):
    found = marking_problems(["a", "r"], decisions, ["r"], ["b1", "b2"], observed, "2026-03-01", True)
    assert set(found) == problems


def test_marking_needs_the_declaration_and_an_observation_date():
    found = marking_problems(["a"], {"a": Decision(S, "")}, [], ["b1"], {"b1": True}, None, False)
    assert set(found) == {"observed_on", "declaration"}


@pytest.mark.parametrize(
    ("minutes", "refused"),
    [
        ("", False),
        (" ", False),
        ("1", False),
        ("600", False),
        ("0", True),
        ("601", True),
        ("-5", True),
        ("1.5", True),
        ("ten", True),
        ("9" * 30, True),
    ],
)
def test_an_observation_lasts_from_a_minute_to_a_ten_hour_shift(minutes, refused):
    found = marking_problems(
        ["a"], {"a": Decision(S, "")}, [], ["b1"], {"b1": True}, "2026-03-01", True, minutes
    )
    assert ("observed_minutes" in found) is refused
    assert "observed_minutes" not in marking_problems(
        ["a"], {"a": Decision(S, "")}, [], [], {}, None, True, "0"
    )
