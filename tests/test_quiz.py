"""Tests of rnncourse.quiz: reading answers, diagnosing them, strict mode, the widget, the answer key."""

from __future__ import annotations

import ast
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnncourse import progress, quiz
from rnncourse.quiz import ChoiceQuestion, Feedback, NumericQuestion, ShapeQuestion

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Every test writes its progress to its own file and starts with no notebook or key."""
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(tmp_path / "progress.sqlite3"))
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    quiz.set_notebook(None)
    quiz._displayed.clear()
    yield
    quiz.set_notebook(None)
    quiz._displayed.clear()


def w_question(**kw) -> ShapeQuestion:
    """W = [W_F | W_R] of the notebook 05 example: 3 inputs, 7 hidden, batch 64."""
    return ShapeQuestion(
        "What is the shape of W = [W_F | W_R]?",
        answer=(7, 10),
        name="W",
        related={"W_F": (7, 3), "W_R": (7, 7)},
        batch=64,
        explanation="7 rows (one per hidden neuron), 3 + 7 columns.",
        hint="Put W_F and W_R side by side.",
        **kw,
    )


def a_question() -> ShapeQuestion:
    return ShapeQuestion("Shape of a_t?", answer=(7, 64), name="a_t", batch=64)


def b_question() -> ShapeQuestion:
    return ShapeQuestion("Shape of b?", answer=(7, 1), name="b", batch=64)


def x_question() -> ShapeQuestion:
    return ShapeQuestion("Shape of X?", answer=(10, 3, 64), name="X", batch=64)


def choice_question() -> ChoiceQuestion:
    return ChoiceQuestion(
        "Which of these are sequences?",
        ["a sentence", "a shuffled deck of cards' photo", "a stock price over a year", "an audio clip"],
        correct=[0, 2, 3],
    )


# --------------------------------------------------------------------------- reading shapes


@pytest.mark.parametrize(
    "response",
    [
        "(7, 10)",
        "7x10",
        "7X10",
        "7 x 10",
        "7 × 10",
        "7 by 10",
        "[7,10]",
        "7,10",
        " ( 7 , 10 ) ",
        "7*10",
        "７×１０",
        "shape: (7, 10)",
        (7, 10),
        [7, 10],
        (np.int64(7), np.int32(10)),
        np.array([7, 10]),
        b"7x10",
    ],
)
def test_shape_answers_are_read_leniently(response):
    fb = w_question().check(response)
    assert fb.correct is True, fb.message
    assert fb.message.startswith("Correct")


def test_one_dimensional_shapes():
    q = ShapeQuestion("Shape of the bias of a layer of 5 as a 1-D vector?", answer=(5,))
    assert q.check("(5,)").correct
    assert q.check("5").correct
    assert q.check(5).correct
    assert q.check(np.int64(5)).correct


# --------------------------------------------------------------------------- diagnoses


def test_transposed_says_batch_in_columns():
    msg = a_question().check("(64, 7)").message
    assert msg.startswith("Not yet")
    assert "transposed" in msg and "batch in columns" in msg


def test_transposed_weights_say_outputs_in_rows():
    msg = w_question().check("10 x 7").message
    assert "transposed" in msg and "one row per neuron" in msg


def test_batch_missing():
    msg = a_question().check("7").message
    assert "batch dimension m = 64 is missing" in msg


def test_batch_for_single_sequence():
    msg = a_question().check("(7, 1)").message
    assert "single sequence" in msg and "m = 64" in msg


def test_batch_extra_dimension():
    msg = w_question().check("(7, 10, 64)").message
    assert "extra batch dimension" in msg and "do not depend on the batch" in msg


def test_batch_instead_of_one_for_the_bias():
    msg = b_question().check("(7, 64)").message
    assert "does not depend on the batch" in msg and "broadcast" in msg


def test_concatenation_factor():
    msg = w_question().check("(7, 3)").message
    assert "that is the shape of W_F" in msg.replace("(7, 3) is", "that is")
    assert "asks for W" in msg and "add up" in msg
    msg = w_question().check("7x7").message
    assert "W_R" in msg and "asks for W" in msg


def test_related_shape_that_is_not_a_block():
    q = ShapeQuestion("Shape of W_F?", answer=(7, 3), name="W_F", related={"W_R": (7, 7)})
    assert q.check("(7, 7)").message == "Not yet: that is the shape of W_R; the question asks for W_F."


def test_three_d_batch_first():
    msg = x_question().check("(64, 10, 3)").message
    assert "batch-first" in msg and "time-major" in msg and "(T, n_0, m)" in msg


def test_three_d_other_order():
    msg = x_question().check("3x10x64").message
    assert "right sizes in the wrong order" in msg


def test_wrong_number_of_dimensions_and_partial_sizes():
    assert "has 3 dimensions" in a_question().check("(7, 64, 10)").message
    assert "number of rows is right" in w_question().check("(7, 11)").message
    assert "none of the sizes" in w_question().check("(2, 2)").message


def test_numeric_factor_of_ten():
    q = NumericQuestion("How many parameters does W have?", 70)
    assert "factor of exactly 10 (too large)" in q.check("700").message
    assert "factor of exactly 10 (too small)" in q.check("7").message
    assert "factor of exactly 100" in q.check(0.7).message


def test_numeric_sign_flip():
    msg = NumericQuestion("Derivative?", -0.25, tol=1e-6).check("0.25").message
    assert "wrong sign" in msg


def test_numeric_close_but_outside_tolerance():
    q = NumericQuestion("1/3 to 3 digits?", 1 / 3, tol=5e-4)
    assert q.check("0.333").correct
    assert "close" in q.check("0.33").message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1e-3", 0.001),
        (" 0.001 ", 0.001),
        ("1/4", 0.25),
        ("-3/8", -0.375),
        ("1,024", 1024),
        ("1,000,000", 1e6),
        ("2^10", 1024),
        ("2**10", 1024),
        ("1_024", 1024),
        ("\u22122.5", -2.5),
        (".5", 0.5),
        (Fraction(1, 4), 0.25),
        (np.float32(0.5), 0.5),
        (np.array(0.5), 0.5),
    ],
)
def test_numbers_are_read_leniently(text, value):
    assert quiz.parse_number(text) == pytest.approx(value)
    assert NumericQuestion("?", value, rel_tol=1e-6).check(text).correct


@pytest.mark.parametrize(("text", "answer"), [("0,001", 0.001), ("0,620", 620), ("2,5", 2.5), ("0,25", 0.25)])
def test_a_decimal_comma_is_diagnosed_never_accepted(text, answer):
    # "0,001" was read as the thousands group 1, and "0,620" as 620.
    with pytest.raises(quiz.parse._Unreadable, match="decimal point"):
        quiz.parse_number(text)
    fb = NumericQuestion("?", answer).check(text)
    assert not fb.correct and "decimal point" in fb.message and text.replace(",", ".") in fb.message


def test_choice_partial_says_how_many_without_naming_them():
    q = choice_question()
    msg = q.check(["a sentence", "a stock price over a year"]).message
    assert msg == "Not yet: 2 of your 2 choices are right and 1 right option is missing."
    msg = q.check("a, b").message
    assert msg == "Not yet: 1 of your 2 choices is right, 1 is not and 2 right options are missing."
    for option in q.options:
        assert option not in msg


@pytest.mark.parametrize(
    "response",
    [[0, 2, 3], "a, c, d", "a c d", "A,C,D", ["a", "c", "d"], ["a sentence", 2, "d)"], (3, 2, 0), {0, 2, 3}],
)
def test_choice_accepts_indices_labels_letters_and_lists(response):
    assert choice_question().check(response).correct


def test_single_choice():
    q = ChoiceQuestion(
        "Which layout does this course use?", ["(T, n_0, m)", "(m, T, n_0)"], correct="(T, n_0, m)"
    )
    assert q.check("a").correct and q.check(0).correct and q.check("(T, n_0, m)").correct
    assert q.check(["(T, n_0, m)"]).correct
    assert q.check("b").message == 'Not yet: "(m, T, n_0)" is not the right option.'  # as the widget shows it
    assert "one right answer" in q.check(["a", "b"]).message


# --------------------------------------------------------------------------- bad input never raises

BAD_SHAPES = [
    "",
    "   ",
    None,
    "abc",
    "seven by ten",
    "n_1 x m",
    "-7, 10",
    "(0, 10)",
    "0",
    "7.5 x 10",
    "(7.0, 10)",
    "1e3 x 10",
    "9" * 40,
    "(7, 10",
    "7,,10",
    "()",
    "x" * 10_000,
    "(" * 500,
    "\u00e9\u00e8\u4e2d\u6587",
    "\U0001f600",
    "\x00\x01",
    "7 x 10 x 64 x 1 x 1 x 1 x 1 x 1 x 1",
    {},
    {"rows": 7},
    object(),
    7.5,
    -3,
    0,
    True,
    3 + 4j,
    [7, "10"],
    [7.5, 10],
    [None],
    np.zeros((7, 10)),
    np.float64(7.0),
    b"\xff\xfe",
    "__import__('os').system('echo hi')",
    "(7, 10); import os",
    float("nan"),
    float("inf"),
    10**100,
    [10**100, 1],
]


@pytest.mark.parametrize("response", BAD_SHAPES, ids=[f"bad{i}" for i in range(len(BAD_SHAPES))])
def test_bad_shape_inputs_give_a_helpful_message(response):
    fb = w_question().check(response)
    assert isinstance(fb, Feedback)
    assert fb.correct is False
    assert fb.message.startswith("Not yet: ") and len(fb.message) > len("Not yet: ") + 10


BAD_NUMBERS = [
    "",
    None,
    "abc",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "1/0",
    "1 2",
    "12%",
    "9" * 300,
    [1],
    {},
    object(),
]


@pytest.mark.parametrize("response", BAD_NUMBERS, ids=[f"badnum{i}" for i in range(len(BAD_NUMBERS))])
def test_bad_numeric_inputs_give_a_helpful_message(response):
    fb = NumericQuestion("?", 70).check(response)
    assert fb.correct is False and fb.message.startswith("Not yet: ") and len(fb.message) > 20


BAD_CHOICES = ["", None, "z", "e", 9, -1, True, 2.5, {}, object(), "x" * 10_000, [None], [[0]], b"a"]


@pytest.mark.parametrize("response", BAD_CHOICES, ids=[f"badchoice{i}" for i in range(len(BAD_CHOICES))])
def test_bad_choice_inputs_give_a_helpful_message(response):
    fb = choice_question().check(response)
    assert fb.correct is False and fb.message.startswith("Not yet: ") and len(fb.message) > 20


class Hostile:
    """An object whose every dunder a checker might call raises."""

    def __repr__(self):
        raise RuntimeError("no repr")

    def __str__(self):
        raise RuntimeError("no str")

    def __eq__(self, other):
        raise RuntimeError("no eq")

    __hash__ = None

    def __len__(self):
        raise RuntimeError("no len")


QUESTIONS = [w_question, x_question, lambda: NumericQuestion("?", 0.25, tol=1e-3), choice_question]
_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize("make", QUESTIONS)
def test_hostile_object_gives_feedback(make):
    fb = make().check(Hostile())
    assert isinstance(fb, Feedback) and fb.correct is False and fb.message


@pytest.mark.parametrize("make", QUESTIONS)
@_settings
@given(text=st.text())
def test_any_text_gives_feedback(make, text):
    fb = make().check(text)
    assert isinstance(fb, Feedback) and fb.message.startswith(("Correct", "Not yet"))


@pytest.mark.parametrize("make", QUESTIONS)
@_settings
@given(value=st.from_type(object) | st.lists(st.integers() | st.floats() | st.text(max_size=3), max_size=5))
def test_any_object_gives_feedback(make, value):
    fb = make().check(value)
    assert isinstance(fb, Feedback) and fb.message.startswith(("Correct", "Not yet"))


def test_check_survives_a_failing_progress_store(monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr(progress, "record", broken)
    with pytest.raises(OSError):  # under the tests (strict mode) a broken store must show
        w_question().check("7x10")
    monkeypatch.delenv("RNNCOURSE_STRICT")  # as a learner runs it: judged, and told it is not saved
    fb = w_question().check("7x10")
    assert fb.correct and "disk on fire" in fb.not_saved and "RNNCOURSE_PROGRESS" in fb.not_saved


@pytest.mark.parametrize("module", sorted((ROOT / "rnncourse" / "quiz").glob("*.py")), ids=lambda p: p.name)
def test_nothing_is_evaluated(module):
    """Responses are parsed with regexes: no eval, exec, compile or ast.literal_eval anywhere."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    calls = [node.func for node in ast.walk(tree) if isinstance(node, ast.Call)]
    names = {f.id for f in calls if isinstance(f, ast.Name)}  # eval(...), exec(...), compile(...)
    attributes = {f.attr for f in calls if isinstance(f, ast.Attribute)}  # ast.literal_eval(...)
    assert not names & {"eval", "exec", "compile", "literal_eval", "__import__"}
    assert not attributes & {"eval", "exec", "literal_eval"}


def test_quiz_modules_stay_small():
    for module in (ROOT / "rnncourse" / "quiz").glob("*.py"):
        n = len(module.read_text(encoding="utf-8").splitlines())
        assert n <= 600, f"{module.name} has {n} lines"


# --------------------------------------------------------------------------- strict mode


def _broken_question(monkeypatch) -> ShapeQuestion:
    q = w_question()

    def bug(response):
        raise ZeroDivisionError("a bug in the checker")

    monkeypatch.setattr(q, "_judge", bug)
    return q


def test_the_test_suite_runs_in_strict_mode():
    assert quiz.strict(), "conftest.py should set RNNCOURSE_STRICT=1 for the whole test run"


def test_strict_mode_lets_internal_errors_through(monkeypatch):
    monkeypatch.setenv("RNNCOURSE_STRICT", "1")
    with pytest.raises(ZeroDivisionError, match="a bug in the checker"):
        _broken_question(monkeypatch).check("7x10")


def test_without_strict_mode_an_internal_error_is_a_polite_message(monkeypatch):
    monkeypatch.delenv("RNNCOURSE_STRICT")
    fb = _broken_question(monkeypatch).check("7x10")
    assert not fb.correct and fb.message.startswith("Not yet: I could not read '7x10' as an answer.")
    assert "Type a shape" in fb.message


def test_strict_mode_in_the_widget(monkeypatch):
    pytest.importorskip("ipywidgets")
    q = _broken_question(monkeypatch)
    parts = _parts(q.widget())
    (text,) = parts["rnncourse-quiz-input"]
    (feedback,) = parts["rnncourse-quiz-feedback"]
    monkeypatch.delenv("RNNCOURSE_STRICT")
    text.value = "7x10"
    assert "Not yet" in feedback.value
    monkeypatch.setenv("RNNCOURSE_STRICT", "1")
    with pytest.raises(ZeroDivisionError):
        text.value = "7 x 10"


# --------------------------------------------------------------------------- ids, notebooks, text display


def test_qid_is_stable_and_css_safe():
    assert w_question().qid == w_question().qid
    assert w_question().qid != a_question().qid
    assert w_question(qid="05/W shape!").qid == "05/W shape!"
    assert quiz.css_safe("05/W shape!") == "05-W-shape-"


def test_notebook_default(monkeypatch):
    assert w_question().notebook == "unknown"
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/course/notebooks/05_dimensions.ipynb")
    assert w_question().notebook == "05_dimensions"
    quiz.set_notebook("06_simplified_notation")
    assert w_question().notebook == "06_simplified_notation"
    assert w_question(notebook="x.ipynb").notebook == "x"


def test_text_display_without_widgets():
    q = w_question()
    assert "What is the shape of W = [W_F | W_R]?" in repr(q)
    assert ".check('(2, 5)') on this quiz" in repr(q)
    assert "W = [W_F | W_R]" in q._repr_markdown_()
    c = choice_question()
    assert "c) a stock price over a year" in repr(c)


def test_import_and_use_without_ipywidgets():
    code = (
        "import sys; sys.modules['ipywidgets'] = None\n"
        "import rnncourse.quiz as q\n"
        "s = q.ShapeQuestion('Shape of a_t?', answer=(7, 64))\n"
        "assert 'ipywidgets' not in [m for m in sys.modules if sys.modules[m] is not None]\n"
        "assert s.check('7x64').correct\n"
        "b = s._repr_mimebundle_()\n"
        "assert set(b) == {'text/plain', 'text/markdown'}, b\n"
        "print(b['text/plain'])\n"
    )
    env = {"PYTHONPATH": str(ROOT), "RNNCOURSE_PROGRESS": str(Path(progress.default_path()))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Shape of a_t?" in out.stdout


def test_explanation_after_max_attempts_and_hint_after_wrong():
    q = w_question()
    first = q.check("1x1")
    assert first.hint == "Put W_F and W_R side by side." and first.explanation == ""
    q.check("1x2")
    third = q.check("1x3")
    assert third.explanation.startswith("7 rows")
    right = w_question().check("7x10")
    assert right.hint == "" and right.explanation.startswith("7 rows")


# --------------------------------------------------------------------------- the widget


def _parts(box) -> dict:
    """CSS class -> widget, for the widget tree under `box`."""
    found: dict = {}
    stack = [box]
    while stack:
        w = stack.pop()
        for cls in w._dom_classes:
            found.setdefault(cls, []).append(w)
        stack.extend(getattr(w, "children", ()))
    return found


def test_shape_widget_checks_records_and_shows_hint_then_explanation():
    ipywidgets = pytest.importorskip("ipywidgets")
    quiz.set_notebook("05_dimensions")
    q = w_question(qid="05-W")
    box = q.widget()
    assert isinstance(box, ipywidgets.VBox)
    assert {"rnncourse-quiz", "rnncourse-quiz-05-W"} <= set(box._dom_classes)
    parts = _parts(box)
    (text,) = parts["rnncourse-quiz-input"]
    (button,) = parts["rnncourse-quiz-check"]
    (feedback,) = parts["rnncourse-quiz-feedback"]
    (hint,) = parts["rnncourse-quiz-hint"]
    (explanation,) = parts["rnncourse-quiz-explanation"]
    assert isinstance(text, ipywidgets.Text) and isinstance(feedback, ipywidgets.HTML)
    assert hint.layout.display == "none" and explanation.layout.display == "none"

    text.value = "(10, 7)"
    button.click()
    assert ">Not yet: (10, 7) looks transposed" in feedback.value
    assert hint.layout.display != "none" and "side by side" in hint.value
    assert explanation.layout.display == "none"

    text.value = "7 by 10"
    button.click()
    assert ">Correct!" in feedback.value
    assert explanation.layout.display != "none" and "7 rows" in explanation.value

    rows = progress.attempts()
    assert [(r.notebook, r.qid, r.response, r.correct) for r in rows] == [
        ("05_dimensions", "05-W", "(10, 7)", False),
        ("05_dimensions", "05-W", "7 by 10", True),
    ]


def test_button_alone_checks_once():
    pytest.importorskip("ipywidgets")
    box = a_question().widget()
    parts = _parts(box)
    (text,) = parts["rnncourse-quiz-input"]
    (button,) = parts["rnncourse-quiz-check"]
    text.value = "64x7"  # Enter in the box syncs the value and checks
    assert len(progress.attempts()) == 1
    button.click()  # the same value: not recorded twice
    assert len(progress.attempts()) == 1


def test_choice_widget_reads_ticked_boxes():
    ipywidgets = pytest.importorskip("ipywidgets")
    q = choice_question()
    parts = _parts(q.widget())
    boxes = parts["rnncourse-quiz-option"]
    assert all(isinstance(b, ipywidgets.Checkbox) for b in boxes)
    assert sorted(b.description for b in boxes) == sorted(q.options)
    by_text = {b.description: b for b in boxes}
    (button,) = parts["rnncourse-quiz-check"]
    (feedback,) = parts["rnncourse-quiz-feedback"]
    by_text["a sentence"].value = True
    button.click()
    assert "Not yet: 1 of your 1 choices is right and 2 right options are missing" in feedback.value
    by_text["a stock price over a year"].value = True
    by_text["an audio clip"].value = True
    button.click()
    assert ">Correct" in feedback.value
    assert [r.correct for r in progress.attempts()] == [False, True]


def test_mimebundle_has_the_widget_and_text():
    pytest.importorskip("ipywidgets")
    bundle = w_question()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "W = [W_F | W_R]" in bundle["text/plain"]


# --------------------------------------------------------------------------- the answer key


def test_answer_key_in_display_order_and_consistent_with_check():
    pytest.importorskip("ipywidgets")
    questions = [
        w_question(),
        x_question(),
        ShapeQuestion("Square?", answer=(7, 7), name="W_R", related={"W_F": (7, 3)}),
        NumericQuestion("Parameters of W_F?", 21),
        NumericQuestion("Zero?", 0),
        choice_question(),
        ChoiceQuestion("One?", ["yes", "no"], correct=1),
    ]
    for q in questions:
        q.widget()
    w_question().widget()  # shown again (a re-run cell): keeps its place
    key = quiz.answer_key()
    assert [k["qid"] for k in key] == [q.qid for q in questions]
    assert [k["kind"] for k in key] == ["shape", "shape", "shape", "numeric", "numeric", "choice", "choice"]
    for k, q in zip(key, questions, strict=True):
        assert set(k) == {"qid", "kind", "right", "wrong"}
        if k["kind"] == "choice":
            assert all(isinstance(x, str) for x in k["right"] + k["wrong"])
        else:
            assert isinstance(k["right"], str) and isinstance(k["wrong"], str)
        assert q.check(k["right"]).correct, k
        wrong = q.check(k["wrong"])
        assert not wrong.correct and len(wrong.message) > len("Not yet: ") + 10, k


def test_answer_key_is_empty_until_something_is_shown():
    w_question().check("7x10")
    assert quiz.answer_key() == []


def test_powers_with_a_decimal_base_are_read():
    from rnncourse.quiz import parse_number

    assert parse_number("0.5^10") == 0.5**10
    assert parse_number("1.5**2") == 2.25


def test_transposed_answer_to_a_plain_matrix_question_speaks_of_rows_and_columns():
    q = ShapeQuestion("A matrix with 2 rows and 3 columns?", answer=(2, 3))
    msg = q.check("3x2").message
    assert "transposed" in msg and "(rows, columns)" in msg and "weight" not in msg
