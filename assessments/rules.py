"""The rules of competency-based assessment: plain values in, plain values out, no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

S, NYS = "S", "NYS"
REOPEN_REASONS = {
    "further_training": "Further training completed",
    "reasonable_adjustment": "Reasonable adjustment",
    "appeal": "Appeal upheld",
}
# AVETMISS outcome identifier – national (domain reference §2.6), as the platform records them.
OUTCOMES = {
    "20": "Competency achieved/pass",
    "30": "Competency not achieved/fail",
    "40": "Withdrawn/discontinued",
    "51": "Recognition of prior learning granted",
    "52": "Recognition of prior learning not granted",
    "60": "Credit transfer/national recognition",
    "70": "Continuing activity",
    "85": "Not yet started",
}
COMPETENT_CODES = {"20", "51", "60"}  # the outcomes a Statement of Attainment may show
ADMIN_CODES = {"40", "51", "52", "60"}  # recorded by an administrator, with their evidence


@dataclass(frozen=True)
class ItemJudgement:
    attempt_number: int
    item_id: str
    result: str
    order: int = 0  # later judgements (revisions) of the same attempt and item win


def latest_results(judgements: Iterable[ItemJudgement]) -> dict[str, str]:
    """Each item's standing result: its judgement in the latest attempt that judged it."""
    standing: dict[str, tuple[int, int, str]] = {}
    for j in judgements:
        key = (j.attempt_number, j.order)
        if j.item_id not in standing or key >= standing[j.item_id][:2]:
            standing[j.item_id] = (*key, j.result)
    return {item: value[2] for item, value in standing.items()}


def attempt_result(results: Mapping[str, str], items: Sequence[str]) -> str:
    """An attempt is Satisfactory only when every item it covers is."""
    return S if all(results.get(i) == S for i in items) else NYS


def task_result(results: Mapping[str, str], all_items: Sequence[str]) -> str | None:
    """A task is Satisfactory when every item stands Satisfactory; None until every item is judged."""
    if any(i not in results for i in all_items):
        return None
    return S if all(results[i] == S for i in all_items) else NYS


def items_to_redo(results: Mapping[str, str], all_items: Sequence[str]) -> list[str]:
    """A resubmission reopens only the items that stand Not Yet Satisfactory."""
    return [i for i in all_items if results.get(i) == NYS]


def attempts_allowed(cap: int, reopenings: int) -> int:
    return cap + reopenings


def can_resubmit(attempts_used: int, cap: int, reopenings: int, last_result: str | None) -> bool:
    return last_result == NYS and attempts_used < attempts_allowed(cap, reopenings)


def is_exhausted(attempts_used: int, cap: int, reopenings: int, last_result: str | None) -> bool:
    """Out of attempts: the last was Not Yet Satisfactory and no further attempt is allowed."""
    return last_result == NYS and attempts_used >= attempts_allowed(cap, reopenings)


def task_status(
    attempts_used: int, last_status: str | None, last_result: str | None, cap: int, reopenings: int
) -> str:
    """What the learner sees for a task."""
    if last_status is None:
        return "not_started"
    if last_status in ("draft", "submitted"):
        return last_status
    if last_result == S:
        return "satisfactory"
    if can_resubmit(attempts_used, cap, reopenings, last_result):
        return "resubmit"
    return "not_satisfactory"


def requirements_evidenced(points: Iterable[tuple[Sequence[str], bool]]) -> set[str]:
    """Requirements with satisfactory evidence, from (requirements a point maps to, was it satisfactory)."""
    return {rid for maps, satisfactory in points if satisfactory for rid in maps}


@dataclass(frozen=True)
class Proposal:
    code: str | None  # "20" Competent, "30" Not Yet Competent, None: no outcome can be proposed yet
    reasons: tuple[str, ...]


def propose_outcome(
    task_results: Mapping[str, str | None],
    exhausted_tasks: Iterable[str],
    requirements: Sequence[str],
    evidenced: set[str],
) -> Proposal:
    """Competent only when every task is Satisfactory and every requirement has satisfactory evidence;
    Not Yet Competent once a task has used all its attempts without being Satisfactory."""
    exhausted = sorted(exhausted_tasks)
    if exhausted:
        return Proposal(
            "30", tuple(f"Task {t} is Not Yet Satisfactory with no attempts left." for t in exhausted)
        )
    unfinished = [t for t, r in task_results.items() if r != S]
    missing = [r for r in requirements if r not in evidenced]
    if not unfinished and not missing:
        return Proposal(
            "20", ("Every task is Satisfactory and every requirement has satisfactory evidence.",)
        )
    reasons = [f"Task {t} is not yet Satisfactory." for t in unfinished]
    reasons += [f"No satisfactory evidence yet for {r}." for r in missing]
    return Proposal(None, tuple(reasons))


def outcome_meaning(code: str) -> str:
    return OUTCOMES.get(code, "Unknown outcome")


# How long an observed performance may be recorded as lasting: up to a ten-hour shift.
OBSERVED_MINUTES = range(1, 601)


def observed_minutes(typed: str) -> int | None:
    """How long an observation took, from what the assessor typed: None when left blank; ValueError
    when it is not a whole number of minutes in OBSERVED_MINUTES."""
    text = typed.strip()
    if not text:
        return None
    if not (text.isdigit() and int(text) in OBSERVED_MINUTES):
        raise ValueError(f"not a length of observation: {typed!r}")
    return int(text)


@dataclass(frozen=True)
class Decision:
    result: str | None  # S, NYS, or None when the assessor has not chosen
    comment: str


def marking_problems(
    items: Sequence[str],
    decisions: Mapping[str, Decision],
    recording_items: Sequence[str],
    behaviours: Sequence[str],
    observed: Mapping[str, bool | None],
    observed_on: object,
    declared: bool,
    minutes: str = "",
) -> dict[str, str]:
    """Why a marking decision cannot be released yet: every item judged, every behaviour ticked,
    Not Yet Satisfactory explained, a performance never Satisfactory with behaviours unseen."""
    problems = {}
    for item in items:
        decision = decisions.get(item, Decision(None, ""))
        if decision.result not in (S, NYS):
            problems[item] = "Judge this item Satisfactory or Not Yet Satisfactory."
        elif decision.result == NYS and not decision.comment.strip():
            problems[item] = "Say what the learner must do to reach the standard."
    unseen = [b for b in behaviours if observed.get(b) is None]
    for behaviour in unseen:
        problems[behaviour] = "Record whether you observed this behaviour."
    missed = [b for b in behaviours if observed.get(b) is False]
    for item in recording_items:
        if decisions.get(item, Decision(None, "")).result == S and missed:
            problems[item] = (
                "A performance is Satisfactory only when every behaviour on the checklist was observed."
            )
    if behaviours and not observed_on:
        problems["observed_on"] = "Give the date of the observation."
    if behaviours:
        try:
            observed_minutes(minutes)
        except ValueError:
            problems["observed_minutes"] = (
                f"Give how long the observation took in whole minutes, from {OBSERVED_MINUTES[0]} to "
                f"{OBSERVED_MINUTES[-1]}, or leave it blank."
            )
    if not declared:
        problems["declaration"] = "Tick the assessor's declaration."
    return problems
