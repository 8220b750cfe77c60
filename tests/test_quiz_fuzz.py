"""Fuzzing every question of the bank: whatever is answered, `check` gives a verdict and never raises.

Strict mode is on (``RNNCOURSE_STRICT=1``, set by the root conftest), so an
internal error of a checker fails here instead of becoming a polite message.
Each kind of question gets 3,000 generated answers, each to a question of that
kind drawn from the whole bank: any unicode text (surrogates and control
characters too), bytes, huge ints, floats with NaN and infinity, None, nested
lists and tuples, NumPy arrays, objects whose ``repr`` raises, and small
mutations of the right answer. A verdict is a `Feedback` with a bool
``correct`` and a message; an accepted answer must be one that an independent
reader, written here, also finds right.

The generated checks run with recording paused, so 12,000 answers do not each
wait for a synced write; the expensive answers (1 MB strings, ``10**10000``)
are a few explicit cases below, for one question of each kind, recorded to the
test's own progress file.
"""

from __future__ import annotations

import math
import re
import unicodedata
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_quiz import Hostile  # repr, str, ==, len and hash all raise

from rnncourse import progress, quiz
from rnncourse.quiz import Feedback, bank

ENTRIES = [(stem, e) for stem in bank.notebooks_with_a_bank() for e in bank.load_bank(stem).values()]
KINDS = sorted({e["kind"] for _, e in ENTRIES})
EXAMPLES = 3000
_fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _own_progress_file(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(tmp_path / "progress.sqlite3"))


def test_strict_mode_is_on():
    assert quiz.strict(), "the fuzz tests must run in strict mode, or internal errors are hidden"


# --------------------------------------------------------------------------- the right answer, as data


def right_text(entry: dict) -> str:
    """The right answer as a learner would type it."""
    if entry["kind"] == "shape":
        return "(" + ", ".join(str(s) for s in entry["answer"]) + ")"
    if entry["kind"] == "numeric":
        return repr(float(entry["answer"]))
    correct = entry["correct"] if isinstance(entry["correct"], list) else [entry["correct"]]
    return ", ".join("abcdefghijklmnopqrstuvwxyz"[i] for i in sorted(correct))


def correct_set(entry: dict) -> set[int]:
    return set(entry["correct"]) if isinstance(entry["correct"], list) else {entry["correct"]}


# --------------------------------------------------------------------------- an independent reader


def _text(value) -> str | None:
    """The response as text if it is text (bytes decoded), else None."""
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFKC", value).replace("\u2212", "-").replace("\u2013", "-").strip()


def _shape_right(entry: dict, response) -> bool:
    answer = list(entry["answer"])
    s = _text(response)
    if s is not None:
        if len(response) > 200 or not re.fullmatch(r"[\s\d,;x×✕✖⨯*·()\[\]{}.+a-z:=]*", s, re.I):
            return False
        return [int(d) for d in re.findall(r"\d+", s)] == answer
    if isinstance(response, np.ndarray):
        return response.ndim == 1 and response.dtype.kind in "iu" and response.tolist() == answer
    if isinstance(response, (tuple, list)):
        items = list(response)
    elif isinstance(response, (int, np.integer)) and not isinstance(response, bool):
        items = [response]
    else:
        return False
    ints = all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in items)
    return ints and [int(i) for i in items] == answer


def _number(s: str) -> float | None:
    """A number in one of the forms the course accepts, read without the engine's parser."""
    s = s.replace("_", "").replace(" ", "")
    forms = [
        (r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?", lambda m: float(m.group(0))),
        (r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?", lambda m: float(m.group(0).replace(",", ""))),
        (r"([+-]?\d+)/([+-]?\d+)", lambda m: float(Fraction(int(m.group(1)), int(m.group(2))))),
        (
            r"([+-]?\d+(?:\.\d+)?)(?:\^|\*\*)([+-]?\d+)",
            lambda m: float(Fraction(m.group(1)) ** int(m.group(2))),
        ),
    ]
    for pattern, read in forms:
        m = re.fullmatch(pattern, s, re.I)
        if m:
            try:
                return read(m)
            except (OverflowError, ZeroDivisionError, ValueError):
                return None
    return None


def _numeric_right(entry: dict, response) -> bool:
    answer = float(entry["answer"])
    tol = max(entry.get("tol", 1e-9), entry.get("rel_tol", 0.0) * abs(answer))
    s = _text(response)
    if s is not None:
        value = _number(s) if len(response) <= 200 else None
    elif isinstance(response, np.ndarray) and response.shape == ():
        # a 0-d array reads as what it holds: np.array(4.0), np.array("4"), np.array(4, dtype=object)
        return _numeric_right(entry, response.item())
    elif isinstance(response, (int, float, Fraction, np.integer, np.floating)) and not isinstance(
        response, (bool, np.bool_)
    ):
        try:
            value = float(response)
        except OverflowError:
            value = None
    else:
        value = None
    return value is not None and math.isfinite(value) and abs(value - answer) <= tol


def _choice_right(entry: dict, response) -> bool:
    options, correct = entry["options"], correct_set(entry)

    def index(item) -> int | None:
        if isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_)):
            return int(item) if 0 <= int(item) < len(options) else None
        s = _text(item) if isinstance(item, str) else None
        if s is None:
            return None
        for i, o in enumerate(options):
            if s.casefold() == unicodedata.normalize("NFKC", o).strip().casefold():
                return i
        m = re.fullmatch(r"\(?([a-z])[).]?", s, re.I)
        return "abcdefghijklmnopqrstuvwxyz".index(m.group(1).lower()) if m else None

    if isinstance(response, str):
        single = index(response)
        if single is not None:
            return {single} == correct
        parts = [p for p in re.split(r"\s*(?:,|;|\band\b|\s)\s*", _text(response)) if p]
        chosen = [index(p) for p in parts]
    elif isinstance(response, (list, tuple, set, frozenset)):
        chosen = [index(p) for p in response]
    else:
        chosen = [index(response)]
    return None not in chosen and set(chosen) == correct


IS_RIGHT = {"shape": _shape_right, "numeric": _numeric_right, "choice": _choice_right}


def test_the_independent_reader_agrees_on_the_stated_answers():
    """The oracle itself can fail: it accepts each stated answer and refuses a wrong one."""
    for _, entry in ENTRIES:
        assert IS_RIGHT[entry["kind"]](entry, right_text(entry)), entry["id"]
        assert not IS_RIGHT[entry["kind"]](entry, "9" + right_text(entry)), entry["id"]


def test_a_zero_d_array_reads_as_what_it_holds_for_the_quiz_and_the_reader():
    """Found by the fuzz: np.array(4, dtype=object) is 4 to the quiz, and must be to the reader too."""
    stem, entry = next(
        (s, e) for s, e in ENTRIES if e["kind"] == "numeric" and float(e["answer"]).is_integer()
    )
    answer = int(entry["answer"])
    for dtype in (int, float, str, object):
        for value, right in ((answer, True), (answer + 1, False)):
            held = np.array(value, dtype=dtype) if dtype is not str else np.array(str(value))
            with progress.paused():
                fb = question(stem, entry).check(held)
            assert fb.correct is right and IS_RIGHT["numeric"](entry, held) is right, (repr(held), fb.message)


# --------------------------------------------------------------------------- answers


class HostileInt(int):
    """An int whose repr and str raise."""

    def __repr__(self):
        raise RuntimeError("no repr")

    __str__ = __repr__


SPECIAL = [
    "10**10000",
    "1e999",
    "-1e999",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1/0",
    "0^-1",
    "9" * 300,
    "1e-400",
    "0,001",
    "1,024",
    "2^999",
    "(",
    ")",
    "[]",
    "()",
    "{}",
    "7x",
    "x7",
    ",",
    "a,",
    "a and",
    " ",
    "\x00",
    "\ud800",
    "\U0010ffff",
    "\u200b7",
    "７",
    "٣",
]

unicode_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.complex_numbers(),
    st.fractions(),
    st.binary(max_size=20),
    st.builds(Hostile),
    st.builds(HostileInt, st.integers(-3, 12)),
    st.sampled_from(SPECIAL),
    unicode_text,
    st.text("0123456789 ,.x()[]-+e/^*abcd", max_size=20),
)
nested = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner), max_leaves=4
)
_DTYPES = [np.int64, np.uint8, np.float64, np.bool_, np.complex128, "U3", object]
arrays = st.tuples(
    st.lists(st.integers(-3, 12) | st.floats() | st.none(), max_size=6),
    st.sampled_from(_DTYPES),
    st.sampled_from([(-1,), (1, -1), (-1, 1), ()]),
).map(lambda a: _array(*a))


def _array(items: list, dtype, shape: tuple) -> np.ndarray:
    """An array of `items` (as `dtype` when they convert), 0-d when `shape` is () and one item is given."""
    try:
        out = np.array(items, dtype=dtype)
    except (TypeError, ValueError, OverflowError):
        out = np.array(items, dtype=object)
    if shape == ():
        return out[:1].reshape(()) if out.size else out
    return out.reshape(shape)


def mutations(text: str) -> st.SearchStrategy:
    """Small edits of a right answer: a character inserted, deleted, replaced or doubled, brackets, spaces."""
    n = len(text)
    pos = st.integers(0, max(n - 1, 0))
    char = st.characters(codec=None, exclude_categories=()) | st.sampled_from(list("0123456789,.x()- e"))
    return st.one_of(
        st.tuples(pos, char).map(lambda pc: text[: pc[0]] + pc[1] + text[pc[0] :]),
        pos.map(lambda p: text[:p] + text[p + 1 :]),
        st.tuples(pos, char).map(lambda pc: text[: pc[0]] + pc[1] + text[pc[0] + 1 :]),
        pos.map(lambda p: text[:p] + text[p] * 2 + text[p:] if n else text),
        st.sampled_from(["(", "[", " ", "-", "+", "0"]).map(lambda c: c + text),
        st.sampled_from([")", "]", ",", ".", " ", "0", "%", "e3"]).map(lambda c: text + c),
        st.just(text.upper()),
        st.just(text.replace(".", ",")),
        st.just(text.replace(", ", "x")),
        st.just(text + " " + text),
    )


def answers(entry: dict) -> st.SearchStrategy:
    right = right_text(entry)
    values = [entry["answer"]] if entry["kind"] != "choice" else [entry["correct"], entry["options"]]
    return st.one_of(nested, arrays, mutations(right), st.sampled_from([right, *values]))


# --------------------------------------------------------------------------- the properties


def assert_verdict(entry: dict, response, fb) -> None:
    assert isinstance(fb, Feedback), f"{entry['id']}: check returned {type(fb).__name__}"
    assert isinstance(fb.correct, bool), f"{entry['id']}: correct is {fb.correct!r}"
    assert isinstance(fb.message, str) and fb.message.strip(), f"{entry['id']}: empty message"
    assert fb.message.startswith("Correct" if fb.correct else "Not yet"), fb.message
    if fb.correct:
        shown = quiz.feedback._describe(response)
        assert IS_RIGHT[entry["kind"]](entry, response), f"{entry['id']}: accepted {shown}: {fb.message}"


_questions: dict[tuple[str, str], quiz.Question] = {}


def question(stem: str, entry: dict) -> quiz.Question:
    key = (stem, entry["id"])
    if key not in _questions:
        _questions[key] = quiz.ask(entry["id"], notebook=stem)
    return _questions[key]


@pytest.mark.parametrize("kind", KINDS)
def test_fuzz_covers_every_kind_of_the_bank(kind):
    assert kind in {"shape", "numeric", "choice"}, f"a new kind {kind!r}: give it an oracle in IS_RIGHT"
    assert [e for _, e in ENTRIES if e["kind"] == kind]


_ANSWERS = {(s, e["id"]): answers(e) for s, e in ENTRIES}  # built once: strategies are validated once
CASES = {
    kind: st.sampled_from([(s, e) for s, e in ENTRIES if e["kind"] == kind]).flatmap(
        lambda se: st.tuples(st.just(se[0]), st.just(se[1]), _ANSWERS[se[0], se[1]["id"]])
    )
    for kind in KINDS
}


@pytest.mark.parametrize("kind", KINDS)
def test_any_answer_gets_a_verdict(kind):
    """`EXAMPLES` answers to the questions of one kind, each question drawn from the whole bank."""
    seen, checked = set(), []

    @_fuzz
    @given(case=CASES[kind])
    def check(case):
        stem, entry, response = case
        seen.add(entry["id"])
        checked.append(1)
        with progress.paused():
            fb = question(stem, entry).check(response)
        assert_verdict(entry, response, fb)

    check()
    assert len(checked) >= EXAMPLES, f"only {len(checked)} answers were checked"
    assert len(seen) == sum(e["kind"] == kind for _, e in ENTRIES), "some questions were never drawn"


HUGE = [
    ("1 MB text", "7" * 2**20),
    ("1 MB of the answer repeated", None),
    ("1 MB of surrogates", "\udfff" * 2**20),
    ("1 MB bytes", b"\xff" * 2**20),
    ("10**10000 as an int", 10**10000),
    ("-10**10000 as an int", -(10**10000)),
    ("a list of 10**10000", [10**10000, 3]),
    ("a 1e6-element array", np.arange(10**6)),
    ("a list of a million ones", [1] * 10**6),
    ("a hostile int", HostileInt(7)),
    ("a list with a hostile object", [Hostile(), "a"]),
    ("nested a thousand deep", None),
]


def _deep() -> list:
    out: list = []
    for _ in range(1000):
        out = [out]
    return out


ONE_OF_EACH = [next((s, e) for s, e in ENTRIES if e["kind"] == kind) for kind in KINDS]  # each reads a MB


@pytest.mark.parametrize(("label", "response"), HUGE, ids=[h[0] for h in HUGE])
@pytest.mark.parametrize(("stem", "entry"), ONE_OF_EACH, ids=[f"{s[:2]}-{e['id']}" for s, e in ONE_OF_EACH])
def test_huge_and_hostile_answers_get_a_verdict_and_are_recorded(stem, entry, label, response):
    if label.startswith("1 MB of the answer"):
        response = (right_text(entry) * (2**20 // len(right_text(entry)) + 1))[: 2**20]
    elif label.startswith("nested"):
        response = _deep()
    fb = quiz.ask(entry["id"], notebook=stem).check(response)
    assert_verdict(entry, response, fb)
    assert not fb.correct
    assert progress.attempts()[-1].qid == entry["id"]
