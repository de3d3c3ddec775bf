"""Marking knowledge checks: instant, formative, and never assessment evidence."""

from __future__ import annotations

from dataclasses import dataclass

from .modules import Question


@dataclass(frozen=True)
class Mark:
    question_id: str
    answered: bool
    correct: bool | None  # None for free-text answers, which learners compare with the sample


def normalise(question: Question, raw: list[str]) -> str | list[int] | bool | None:
    """Turn submitted form values into the question's answer shape; None when unanswered or invalid."""
    values = [v for v in raw if v != ""]
    if not values:
        return None
    try:
        if question.type == "single":
            return int(values[0])
        if question.type == "multiple":
            return sorted({int(v) for v in values})
    except ValueError:
        return None
    if question.type == "truefalse":
        return {"true": True, "false": False}.get(values[0])
    return values[0].strip() or None


def answered_any(answers: dict[str, str | list[int] | bool | None]) -> bool:
    """Whether a submitted check has at least one answer (normalised: None is unanswered)."""
    return any(answer is not None for answer in answers.values())


def mark(question: Question, response: str | list[int] | bool | None) -> Mark:
    if response is None:
        return Mark(question.id, answered=False, correct=False if question.type != "text" else None)
    if question.type == "text":
        return Mark(question.id, answered=True, correct=None)
    if question.type == "multiple":
        return Mark(question.id, answered=True, correct=sorted(response) == sorted(question.answer))
    return Mark(question.id, answered=True, correct=response == question.answer)


def score(marks: list[Mark]) -> tuple[int, int]:
    """(right, out of) over the automatically marked questions."""
    marked = [m for m in marks if m.correct is not None]
    return sum(bool(m.correct) for m in marked), len(marked)
