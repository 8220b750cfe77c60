"""Every question of the bank against variants generated from its own right answer.

- the right answer in the other notations the course accepts must be accepted;
- a shape with two distinct sizes transposed (or a 3-D shape reversed) is refused;
- a number written with a decimal comma is refused, and told to use a decimal point;
- a number off by a factor (x2, x10, /2) is refused whenever the factor takes it
  outside the question's tolerance;
- for a choice question, every other set of options is refused.

One test per question and kind of variant, so a failure names the question; each
lists all the variants that misbehave.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from rnncourse import progress, quiz
from rnncourse.quiz import bank

ENTRIES = [(stem, e) for stem in bank.notebooks_with_a_bank() for e in bank.load_bank(stem).values()]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _ids(entries) -> list[str]:
    return [f"{stem[:2]}-{e['id']}" for stem, e in entries]


def of_kind(*kinds: str) -> list[tuple[str, dict]]:
    return [(s, e) for s, e in ENTRIES if e["kind"] in kinds]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(tmp_path / "progress.sqlite3"))
    quiz.set_notebook(None)
    with progress.paused():  # hundreds of checks: none needs to be on disk
        yield
    quiz.set_notebook(None)


def verdicts(stem: str, entry: dict, responses) -> list[tuple[object, quiz.Feedback]]:
    q = quiz.ask(entry["id"], notebook=stem)
    return [(r, q.check(r)) for r in responses]


# --------------------------------------------------------------------------- the variants


def accepted_notations(entry: dict) -> list:
    """The right answer written in every other way the course accepts."""
    if entry["kind"] == "shape":
        a = entry["answer"]
        joined = [sep.join(str(s) for s in a) for sep in ("x", " x ", "X", " × ", " by ", ",", ", ")]
        out = [*joined, tuple(a), list(a), "[" + ", ".join(map(str, a)) + "]", " shape " + joined[0] + "."]
        return out + ([f"({a[0]},)", a[0]] if len(a) == 1 else ["(" + joined[-1] + ")"])
    if entry["kind"] == "numeric":
        a = entry["answer"]
        out = [a, float(a), str(a), f" {a!r} ", f"{a:e}", f"{float(a):.15g}"]
        if float(a) == int(a):
            out += [int(a), f"{int(a)}.0", f"{int(a)}.", f"{int(a):_}"]
            out += [f"{int(a):,}"] if abs(a) >= 1000 else []
        frac = Fraction(a).limit_denominator(10**6)
        if frac.denominator > 1 and float(frac) == a:
            out.append(f"{frac.numerator}/{frac.denominator}")
        return out
    correct = sorted(entry["correct"] if isinstance(entry["correct"], list) else [entry["correct"]])
    letters = [LETTERS[i] for i in correct]
    texts = [entry["options"][i] for i in correct]
    out = [correct, ", ".join(letters), " ".join(letters), ",".join(letters).upper(), letters, texts]
    out += [tuple(reversed(correct)), [f"{c})" for c in letters]]
    return out + ([correct[0], texts[0], f"({letters[0]})"] if len(correct) == 1 else [])


def decimal_comma(entry: dict) -> str:
    """The answer written with a decimal comma, e.g. 0.001 -> "0,001" and 620 -> "620,0"."""
    a = entry["answer"]
    text = repr(float(a)) if "e" not in repr(float(a)) else f"{float(a):.12f}".rstrip("0")
    return text.replace(".", ",")


def tolerance(entry: dict) -> float:
    return max(entry.get("tol", 1e-9), entry.get("rel_tol", 0.0) * abs(entry["answer"]))


def off_by_a_factor(entry: dict) -> list[float]:
    a = entry["answer"]
    return [a * f for f in (2, 10, 0.5) if abs(a * f - a) > tolerance(entry)]


def other_option_sets(entry: dict) -> list[list[str]]:
    n = len(entry["options"])
    correct = set(entry["correct"] if isinstance(entry["correct"], list) else [entry["correct"]])
    subsets = (set(c) for k in range(1, n + 1) for c in itertools.combinations(range(n), k))
    return [sorted(s) for s in subsets if s != correct]


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize(("stem", "entry"), ENTRIES, ids=_ids(ENTRIES))
def test_the_right_answer_is_accepted_in_every_notation(stem, entry):
    refused = [
        (r, fb.message) for r, fb in verdicts(stem, entry, accepted_notations(entry)) if not fb.correct
    ]
    assert not refused, f"{stem}/{entry['id']}: right answers refused: {refused}"


def _transposed(entry: dict) -> list[tuple[int, ...]]:
    a = tuple(entry["answer"])
    return [a[::-1]] if len(a) in (2, 3) and a[0] != a[-1] else []


@pytest.mark.parametrize(("stem", "entry"), of_kind("shape"), ids=_ids(of_kind("shape")))
def test_a_transposed_shape_is_refused(stem, entry):
    variants = _transposed(entry)
    if not variants:
        pytest.skip(f"{entry['answer']} reads the same reversed")
    for shape in variants:
        for response in (shape, "x".join(map(str, shape))):
            ((_, fb),) = verdicts(stem, entry, [response])
            assert not fb.correct, f"{stem}/{entry['id']}: the transposed {response!r} is accepted"
            assert "transposed" in fb.message or "order" in fb.message or "layout" in fb.message, fb.message


@pytest.mark.parametrize(("stem", "entry"), of_kind("numeric"), ids=_ids(of_kind("numeric")))
def test_a_decimal_comma_is_refused_with_the_fix(stem, entry):
    text = decimal_comma(entry)
    ((_, fb),) = verdicts(stem, entry, [text])
    assert not fb.correct, f"{stem}/{entry['id']}: {text!r} is accepted"
    assert "decimal point" in fb.message and text.replace(",", ".") in fb.message, fb.message


@pytest.mark.parametrize(("stem", "entry"), of_kind("numeric"), ids=_ids(of_kind("numeric")))
def test_a_value_off_by_a_factor_is_refused(stem, entry):
    variants = off_by_a_factor(entry)
    assert variants, f"{stem}/{entry['id']}: a tolerance so wide that x2, x10 and /2 are all right"
    responses = [*variants, *(repr(v) for v in variants)]
    accepted = [r for r, fb in verdicts(stem, entry, responses) if fb.correct]
    assert not accepted, f"{stem}/{entry['id']}: answers off by a factor are accepted: {accepted}"


@pytest.mark.parametrize(("stem", "entry"), of_kind("choice"), ids=_ids(of_kind("choice")))
def test_every_other_set_of_options_is_refused(stem, entry):
    sets = other_option_sets(entry)
    responses = [[entry["options"][i] for i in s] for s in sets] + [
        ", ".join(LETTERS[i] for i in s) for s in sets
    ]
    accepted = [r for r, fb in verdicts(stem, entry, responses) if fb.correct]
    assert not accepted, f"{stem}/{entry['id']}: wrong option sets accepted: {accepted}"


def test_the_variants_cover_the_bank():
    """Each kind of variant reaches the questions it applies to (a generator returning nothing fails)."""
    assert all(accepted_notations(e) for _, e in ENTRIES)
    assert all(other_option_sets(e) for _, e in of_kind("choice"))
    assert all("," in decimal_comma(e) for _, e in of_kind("numeric"))
    assert sum(bool(_transposed(e)) for _, e in of_kind("shape")) >= len(of_kind("shape")) // 2
