"""The loop every checker shares: run the cases, read the result, recognise the bug, hint.

An `Exercise` knows its cases, how to read the learner's result (`read`), how to
compare it with the reference, and which known bugs (`bugs.Bug`) to try when it is
wrong. `run_check` drives it and turns what it finds into an `ExerciseFeedback`:

1. the learner's function runs on each case (fresh copies of the inputs) with a
   time limit; an error, a stub, a changed input or an unreadable result stops there;
2. a result that differs from the reference is run against every known bug of the
   exercise; the first that produces the same result is named;
3. otherwise the exercise says which output is wrong, where, and by how much.

Hints escalate with the wrong attempts of the session: a hint, then the equation,
then where the course's own implementation lives. No message holds solution code.

Under the test suite (``PYTEST_CURRENT_TEST`` set) an error of the checker itself
propagates; in a notebook it becomes a short apology, never a traceback.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import feedback as fb
from .bugs import EQUATIONS, Bug
from .runner import call_with_limit, error_text, learner_line, learner_source

__all__ = [
    "Case",
    "Exercise",
    "Unreadable",
    "Verdict",
    "run_check",
    "HINT_AFTER",
    "EQUATION_AFTER",
    "SOURCE_AFTER",
]

HINT_AFTER = 1  # wrong attempts before the hint is shown
EQUATION_AFTER = 3  # ... before the equation is shown
SOURCE_AFTER = 5  # ... before the course's implementation is named

RTOL = 1e-5
ATOL = 1e-8


@dataclass
class Case:
    """One set of inputs for the learner's function.

    args : the positional arguments (copied before every call)
    names : their names, for the messages (e.g. ``("x_t", "a_prev", ...)``)
    sizes : the sizes in the course notation (``{"n_in": 3, "n_h": 5, "m": 4}``)
    expected : the reference result for these inputs
    """

    args: tuple
    names: tuple[str, ...]
    sizes: dict[str, int]
    expected: Any = None
    note: str = ""

    @property
    def label(self) -> str:
        parts = [f"{k} = {v}" for k, v in self.sizes.items()] + ([self.note] if self.note else [])
        return ", ".join(parts)


@dataclass
class Verdict:
    """A wrong result: what kind, the message body in markup, and the bug if one was named."""

    kind: str
    body: str
    bug: Bug | None = None


class Unreadable(Exception):
    """The learner's result cannot be read; the message says why (markup)."""

    def __init__(self, kind: str, body: str):
        super().__init__(body)
        self.kind, self.body = kind, body


@dataclass
class Exercise:
    """One exercise: its cases, its reader, its bugs, and what to say.

    Subclasses (one per checker) override `cases`, `read`, `same` and `describe`.
    """

    id: str
    notebook: str
    title: str  # "one step of the recurrence"
    signature: str  # "fn(x_t, a_prev, W_F, W_R, b) -> a_t"
    todo: str  # markup: what the function must do, for the stub message
    hint: str  # markup
    equation: str  # key of EQUATIONS
    reference: str  # "rnncourse.rnn.cell_forward"
    bugs: Sequence[Bug] = field(default_factory=tuple)
    mutation_bug: str = ""  # the bug named when the function changes an input in place
    arg_dims: dict = field(default_factory=dict)  # argument name -> its shape in course notation

    # -- to override -------------------------------------------------------
    def cases(self) -> list[Case]:
        raise NotImplementedError

    def read(self, value: Any, case: Case, args: tuple) -> Any:
        """The learner's result, checked for type; raise `Unreadable` if it cannot be used.

        `args` are the very objects the learner's function received.
        """
        return value

    def same(self, value: Any, target: Any) -> bool:
        """Whether `value` equals `target` (a reference or a bug's result)."""
        return _close(value, target)

    def describe(self, fn: Callable, value: Any, case: Case, limit: float | None) -> Verdict:
        """What is wrong with `value` when no known bug explains it."""
        return Verdict("wrong", f"Your result differs from the expected one ({case.label}).")

    def on_error(self, exc: BaseException, case: Case, fn: Callable | None, limit: float | None) -> str:
        """Extra advice for an error the learner's `fn` raised on `case` ("" for none).

        `fn` may be called again (under `call_with_limit`, with copies of the arguments) to
        test a guess about the mistake; it is None where the function is not at hand.
        """
        return ""

    # -- shared ------------------------------------------------------------
    def judge(self, fn: Callable, case: Case, limit: float | None) -> Verdict | None:
        """Run `fn` on one case; None if it is right."""
        args = copy.deepcopy(case.args)
        outcome = call_with_limit(lambda: fn(*args), limit)
        early = self._early(outcome, case, args, fn, limit)
        if early is not None:
            return early
        try:
            value = self.read(outcome.value, case, args)
        except Unreadable as exc:
            return Verdict(exc.kind, exc.body)
        if self.same(value, case.expected):
            return None
        bug = self.recognise(value, case)
        if bug is not None:
            return Verdict("bug", bug_body(bug), bug)
        return self.describe(fn, value, case, limit)

    def _early(
        self, outcome, case: Case, args: tuple, fn: Callable | None = None, limit: float | None = None
    ) -> Verdict | None:
        if outcome.timed_out:
            return Verdict("timeout", timeout_body(outcome.seconds, case, outcome.stopped))
        if outcome.error is not None:
            return self.error_verdict(outcome.error, case, fn, limit)
        changed = [n for n, a, b in zip(case.names, case.args, args) if not _unchanged(a, b)]
        if changed:
            return self.mutation_verdict(changed)
        return None

    def error_verdict(
        self, exc: BaseException, case: Case, fn: Callable | None = None, limit: float | None = None
    ) -> Verdict:
        if isinstance(exc, NotImplementedError):
            return Verdict("stub", stub_body(self))
        line = learner_line(exc)
        body = f"Your function raised an error ({case.label}):\n\n`{error_text(exc)}`"
        if line:
            body += f"\n\nThe last line of your code that ran: {line}"
        advice = "\n\n".join(
            a for a in (self.on_error(exc, case, fn, limit), self._shape_advice(exc, case)) if a
        )
        return Verdict("error", body + (f"\n\n{advice}" if advice else ""))

    def _shape_advice(self, exc: BaseException, case: Case) -> str:
        """For a NumPy shape error: the shape of every argument, in course notation."""
        text = str(exc)
        if not isinstance(exc, ValueError) or not any(
            w in text for w in ("matmul", "broadcast", "shapes", "aligned", "dimension")
        ):
            return ""
        shapes = [
            f"`{n}` {self.arg_dims.get(n, '')} = {tuple(a.shape)}".replace("  ", " ")
            for n, a in zip(case.names, case.args)
            if isinstance(a, np.ndarray)
        ]
        intro = (
            "This is a shape error. The arguments of this case, in the course notation: "
            + "; ".join(shapes)
            + ". "
        )
        if "broadcast" not in text:
            return intro + (
                "For `P @ Q` the columns of P must equal the rows of Q, e.g. {{W_F x_t :: W_F x_t}} "
                "is (n_h, n_in) times (n_in, m)."
            )
        if _multiplies(learner_source(exc)) and _product_shapes(text):
            return intro + (
                "Your line multiplies with `*`, and `*` multiplies entry by entry: it pairs each "
                "entry of one array with the entry in the same place of the other, so the shapes "
                "must match. The matrix product of the course's equations, as in "
                "{{W_F x_t :: W_F x_t}}, is written `@`: (n_h, n_in) @ (n_in, m) gives (n_h, m)."
            )
        return intro + (
            "`+`, `-` and `*` work entry by entry: two shapes fit when each axis has the same "
            "length in both, or length 1 in one of them (that is how a bias of shape (n_h, 1) "
            "is added to every one of the m columns)."
        )

    def mutation_verdict(self, changed: list[str]) -> Verdict:
        bug = next((b for b in self.bugs if b.id == self.mutation_bug), None)
        names = ", ".join(f"`{n}`" for n in changed)
        if bug is not None:
            return Verdict("bug", bug_body(bug) + f"\n\n(Changed: {names}.)", bug)
        return Verdict(
            "mutated",
            f"Your function changed its input {names} in place (for example with `+=` on an "
            "argument, or by writing into it). The caller still needs it: compute into a new array "
            "instead (`a = ...` rather than `a += ...`, or start from `.copy()`).",
        )

    def recognise(self, value: Any, case: Case) -> Bug | None:
        """The first known bug whose result on `case` equals `value` (and differs from the reference)."""
        for bug in self.bugs:
            if bug.id == self.mutation_bug:
                continue
            try:
                with np.errstate(all="ignore"):
                    target = bug.fn(*copy.deepcopy(case.args))
            except Exception:  # a bug that cannot run on this case cannot be the one
                if _strict():  # ... but under the tests, a broken bug function is a bug of ours
                    raise
                continue
            if self.same(target, case.expected):
                continue
            if self.same(value, target):
                return bug
        return None


# ---------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------
def _close(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() >= b.keys() and all(_close(a[k], b[k]) for k in b)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    try:
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))
    except (TypeError, ValueError):
        return False


def _unchanged(before: Any, after: Any) -> bool:
    if isinstance(before, dict):
        return (
            isinstance(after, dict)
            and before.keys() == after.keys()
            and all(_unchanged(before[k], after[k]) for k in before)
        )
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            and bool(np.array_equal(before, after, equal_nan=True))
        )
    if isinstance(before, np.random.Generator):
        return True  # drawing from the generator is its job
    return before == after


# ---------------------------------------------------------------------------
# Message bodies
# ---------------------------------------------------------------------------
def equation_line(key: str) -> str:
    text, notebook = EQUATIONS[key]
    return f"{text} (notebook {notebook})"


def bug_body(bug: Bug) -> str:
    return f"{bug.says}\n\n**Fix:** {bug.fix}\n\n**Revisit:** {equation_line(bug.equation)}"


def stub_body(ex: Exercise) -> str:
    return (
        f"**Not written yet:** your function still raises `NotImplementedError`, so there is "
        f"nothing to check. That is fine: the notebook runs on without it.\n\n"
        f"**What to do:** {ex.todo} Replace the line `raise NotImplementedError` with your code, "
        f"run the cell that defines the function, then run this check again.\n\n"
        f"The equation: {equation_line(ex.equation)}"
    )


def timeout_body(seconds: float, case: Case, stopped: bool) -> str:
    head = f"Your function was still running after {seconds:g} s ({case.label}), "
    look = (
        "Look for a loop that never ends (a `while` whose condition never changes) or a loop over "
        "far more steps than T."
    )
    if stopped:
        return head + f"so the check stopped it. {look}"
    return (
        head + f"so the check gave up on it. {look} It may still be running in the background: if the "
        "kernel stays busy (the circle at the top right is filled) or slow, interrupt it (Kernel > "
        "Interrupt, or the square button); if that does not help, restart the kernel."
    )


def _hints(ex: Exercise, wrong: int, verdict: Verdict) -> str:
    parts = []
    if wrong >= HINT_AFTER and verdict.bug is None:
        parts.append(f"**Hint:** {ex.hint}")
    if wrong >= EQUATION_AFTER and verdict.bug is None:
        parts.append(f"**The equation:** {equation_line(ex.equation)}")
    if wrong >= SOURCE_AFTER:
        parts.append(
            f"**To compare:** the course's own version is `{ex.reference}`; read its source "
            f"with `{ex.reference}??` in a code cell (it may be written more generally, "
            "but it computes the same thing)."
        )
    return "\n\n".join(parts)


def _strict() -> bool:
    return bool(os.environ.get("PYTEST_CURRENT_TEST"))


def run_check(ex: Exercise, fn: Any, time_limit: float | None = None) -> fb.ExerciseFeedback:
    """Check the learner's `fn` on every case of `ex`; record the attempt; never raise.

    `time_limit` is in seconds per case (`runner.TIME_LIMIT_S` if None).
    """
    try:
        verdict, n_cases = _verdict(ex, fn, time_limit)
    except Exception as exc:
        if _strict():
            raise
        verdict = Verdict(
            "internal",
            f"The checker itself failed (`{error_text(exc)}`); this is a bug of the course, not "
            "yours. Restart the kernel and try again; if it persists, please report it.",
        )
        n_cases = 0
    if verdict is None:
        fb.record(ex.notebook, ex.id, f"correct on {n_cases} cases", True)
        markup = (
            f"**Correct.** Your function matches the course's {ex.title} on all {n_cases} "
            f"test cases (sizes all different, so a transposed matrix could not hide)."
        )
        return fb.ExerciseFeedback(True, ex.id, markup, kind="correct")
    response = f"bug: {verdict.bug.id}" if verdict.bug else verdict.kind
    fb.record(ex.notebook, ex.id, response, False)
    if verdict.kind == "stub":
        return fb.ExerciseFeedback(False, ex.id, verdict.body, kind="stub")
    wrong = fb.count_wrong(ex.id)
    hints = _hints(ex, wrong, verdict)
    markup = f"**Not yet.** {verdict.body}" + (f"\n\n{hints}" if hints else "")
    return fb.ExerciseFeedback(
        False, ex.id, markup, bug=verdict.bug.id if verdict.bug else "", kind=verdict.kind
    )


def _verdict(ex: Exercise, fn: Any, limit: float | None) -> tuple[Verdict | None, int]:
    if not callable(fn):
        return Verdict(
            "type",
            f"Pass the function itself, without calling it: `check_{ex.id}(my_function)`, not "
            f"`check_{ex.id}(my_function(...))`. Received {_describe(fn)}.",
        ), 0
    cases = ex.cases()
    for case in cases:
        verdict = ex.judge(fn, case, limit)
        if verdict is not None:
            return verdict, len(cases)
    return None, len(cases)


def _describe(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------
# Reading results (shared by the array exercises)
# ---------------------------------------------------------------------------
def read_array(value: Any, name: str, what: str, dims: tuple[str, ...], case: Case) -> np.ndarray:
    """`value` as a float array of shape `dims`, or `Unreadable` with a message in course notation.

    A wrong *shape* is not refused here (a known bug may explain it): see `shape_message`.
    """
    if value is None:
        raise Unreadable(
            "type",
            f"Your function returned `None` instead of {name}. Did it end without `return {name}`? "
            "(A function without a `return` line gives `None`.)",
        )
    if isinstance(value, tuple):
        raise Unreadable(
            "type",
            f"Your function returned a tuple of {len(value)} items; this exercise returns {name} "
            f"only, one array {what}. (The course's own function also returns a cache; yours need not.)",
        )
    if not isinstance(value, np.ndarray):
        raise Unreadable(
            "type",
            f"Your function returned {_describe(value)}; {name} should be a NumPy array {what}. "
            "If you built a list, turn it into an array with `np.array(...)`, or better, fill an "
            "array made with `np.zeros(...)`.",
        )
    if value.dtype.kind not in "fiu":
        raise Unreadable("type", f"{name} has dtype `{value.dtype}`; it should hold real numbers (float).")
    if value.size and not np.all(np.isfinite(value)):
        n_bad = int(np.sum(~np.isfinite(value)))
        raise Unreadable(
            "nan",
            f"{name} holds {n_bad} NaN or infinite value(s) ({case.label}). With these small inputs "
            "nothing should overflow: look for a division by zero, an `np.empty` that was never "
            "filled, or an exponential of a large number.",
        )
    return value.astype(np.float64, copy=False)


def shape_message(value: np.ndarray, name: str, dims: tuple[str, ...], meaning: str, case: Case) -> str:
    """Why `value` does not have shape `dims`, in course notation (via `rnncourse.errors.ShapeChecker`)."""
    from rnncourse.errors import ShapeChecker, ShapeError

    try:
        ShapeChecker("your result", dict(case.sizes)).check(name, value, dims, meaning)
    except ShapeError as exc:
        return str(exc).replace("your result: ", "Your result ", 1)
    return f"`{name}` has shape {value.shape}; expected {dims}."


def diff_message(name: str, value: np.ndarray, target: np.ndarray) -> str:
    """How far `value` is from `target`: the largest difference, where, and how many entries."""
    err = np.abs(value - target)
    idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(err)), err.shape))
    wrong = int(np.sum(~np.isclose(value, target, rtol=RTOL, atol=ATOL)))
    return (
        f"`{name}` differs from the expected values: {wrong} of {err.size} entries are off, by up "
        f"to {float(err.max()):.3g} (at index {idx}, yours {float(value[idx]):.6g}, "
        f"expected {float(target[idx]):.6g})."
    )


def first_wrong_step(value: np.ndarray, target: np.ndarray) -> tuple[int, int]:
    """(first, last) time step t where value[t] and target[t] differ (-1, -1 if none)."""
    bad = [t for t in range(len(target)) if not np.allclose(value[t], target[t], rtol=RTOL, atol=ATOL)]
    return (bad[0], bad[-1]) if bad else (-1, -1)


def _multiplies(source: str) -> bool:
    """Whether a line of code multiplies two operands with `*` (not `**`, `*=` or `*args`)."""
    return re.search(r"[\w)\]]\s*(?<!\*)\*(?![*=])\s*[\w(\[]", source) is not None


def _product_shapes(text: str) -> bool:
    """Whether NumPy's broadcast error names two matrices that `@` could multiply, (p, q) and (q, r)."""
    found = re.search(r"with shapes \((\d+),(\d+)\) \((\d+),(\d+)\)", text)
    return found is not None and found[2] == found[3]
