"""Marking knowledge-check answers."""

import pytest

from courseware.checks import mark, normalise, score
from courseware.modules import Question

SINGLE = Question(id="a", type="single", prompt="?", options=("x", "y", "z"), answer=1, feedback="f")
MULTIPLE = Question(id="b", type="multiple", prompt="?", options=("x", "y", "z"), answer=(0, 2), feedback="f")
TRUE = Question(id="c", type="truefalse", prompt="?", answer=True, feedback="f")
FALSE = Question(id="d", type="truefalse", prompt="?", answer=False, feedback="f")
TEXT = Question(id="e", type="text", prompt="?", sample_answer="s", feedback="f")


@pytest.mark.parametrize(
    ("question", "raw", "answered", "correct"),
    [
        (SINGLE, ["1"], True, True),
        (SINGLE, ["0"], True, False),
        (SINGLE, [], False, False),
        (SINGLE, ["nonsense"], False, False),
        (SINGLE, ["7"], True, False),
        (MULTIPLE, ["0", "2"], True, True),
        (MULTIPLE, ["2", "0"], True, True),
        (MULTIPLE, ["0"], True, False),
        (MULTIPLE, ["0", "1", "2"], True, False),
        (TRUE, ["true"], True, True),
        (TRUE, ["false"], True, False),
        (FALSE, ["false"], True, True),
        (FALSE, ["maybe"], False, False),
        (TEXT, ["My answer"], True, None),
        (TEXT, ["   "], False, None),
    ],
)
def test_mark(question, raw, answered, correct):
    result = mark(question, normalise(question, raw))
    assert (result.answered, result.correct) == (answered, correct)


def test_score_counts_only_automatically_marked_questions():
    marks = [mark(SINGLE, 1), mark(MULTIPLE, [0]), mark(TEXT, "words")]
    assert score(marks) == (1, 2)


def test_true_is_not_mistaken_for_option_one():
    assert mark(SINGLE, normalise(SINGLE, ["true"])).correct is False
