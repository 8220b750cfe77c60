"""Checkers for the recurrent layer: one step (notebook 02), the loop (04) and BPTT (08).

Each case has every size different (n_in, n_h, m and T), so a transposed matrix or
swapped arguments cannot pass by accident; the last case is the edge T = 1 or m = 1.
"""

from __future__ import annotations

import contextlib
import copy
import io
from collections.abc import Callable
from typing import Any

import numpy as np

from . import bugs, solutions
from .engine import (
    Case,
    Exercise,
    Unreadable,
    Verdict,
    diff_message,
    first_wrong_step,
    read_array,
    run_check,
    shape_message,
)
from .feedback import ExerciseFeedback
from .runner import call_with_limit

__all__ = ["check_cell_forward", "check_forward", "check_backward"]


def _weights(rng: np.random.Generator, n_in: int, n_h: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    W_F = rng.normal(0.0, 0.6, (n_h, n_in))  # (n_h, n_in)
    W_R = rng.normal(0.0, 0.6, (n_h, n_h))  # (n_h, n_h)
    b = rng.normal(0.0, 0.6, (n_h, 1))  # (n_h, 1)
    return W_F, W_R, b


# ---------------------------------------------------------------------------
# One step
# ---------------------------------------------------------------------------
class _CellForward(Exercise):
    SIZES = ((3, 5, 4), (6, 2, 7), (4, 7, 3), (2, 3, 1))  # (n_in, n_h, m); the last has m = 1

    def cases(self) -> list[Case]:
        rng = np.random.default_rng(2002)
        out = []
        for n_in, n_h, m in self.SIZES:
            x_t = rng.normal(0.0, 1.0, (n_in, m))  # (n_in, m)
            a_prev = rng.uniform(-0.9, 0.9, (n_h, m))  # (n_h, m)
            W_F, W_R, b = _weights(rng, n_in, n_h)
            args = (x_t, a_prev, W_F, W_R, b)
            out.append(
                Case(
                    args,
                    ("x_t", "a_prev", "W_F", "W_R", "b"),
                    {"n_in": n_in, "n_h": n_h, "m": m},
                    solutions.cell_forward(*args),
                )
            )
        return out

    def read(self, value: Any, case: Case, args: tuple) -> np.ndarray:
        return read_array(value, "a_t", "of shape (n_h, m)", ("n_h", "m"), case)

    def on_error(self, exc: BaseException, case: Case, fn: Callable | None, limit: float | None) -> str:
        """A shape error that goes away, with the right result, when W_F and W_R trade places."""
        if fn is None or not isinstance(exc, ValueError):
            return ""
        x_t, a_prev, W_F, W_R, b = copy.deepcopy(case.args)
        with contextlib.redirect_stdout(io.StringIO()):  # its prints were shown by the first call
            outcome = call_with_limit(lambda: fn(x_t, a_prev, W_R, W_F, b), limit)
        if outcome.error is not None or outcome.timed_out or not self.same(outcome.value, case.expected):
            return ""
        return (
            "Your function gives the right {{a_t :: a_t}} when `W_F` and `W_R` trade places: it "
            "multiplies `x_t` by `W_R` and `a_prev` by `W_F`. {{W_F :: W_F}}, (n_h, n_in), weighs the "
            "input; {{W_R :: W_R}}, (n_h, n_h), weighs the previous state: write `W_F @ x_t + W_R @ a_prev`."
        )

    def describe(self, fn: Callable, value: Any, case: Case, limit: float | None) -> Verdict:
        if value.shape != case.expected.shape:
            return Verdict("shape", shape_message(value, "a_t", ("n_h", "m"), "activation at step t", case))
        return Verdict("wrong", f"For {case.label}: " + diff_message("a_t", value, case.expected))


CELL_FORWARD = _CellForward(
    id="cell_forward",
    notebook="02_recurrence",
    title="one step of the recurrence",
    signature="fn(x_t, a_prev, W_F, W_R, b) -> a_t",
    todo="compute {{z_t = W_F x_t + W_R a_{t-1} + b :: z_t = W_F x_t + W_R a_(t-1) + b}} with `@` for "
    "the matrix products, then return {{a_t = \\tanh(z_t) :: a_t = tanh(z_t)}}, shape (n_h, m).",
    hint="write the two products with `@` (`W_F @ x_t` is (n_h, n_in) times (n_in, m)), add the bias "
    "column `b`, and apply `np.tanh` to the sum.",
    equation="cell",
    reference="rnncourse.rnn.cell_forward",
    bugs=bugs.CELL_FORWARD,
    arg_dims={
        "x_t": "(n_in, m)",
        "a_prev": "(n_h, m)",
        "W_F": "(n_h, n_in)",
        "W_R": "(n_h, n_h)",
        "b": "(n_h, 1)",
    },
)


# ---------------------------------------------------------------------------
# The loop over time
# ---------------------------------------------------------------------------
def _sequence_cases(seed: int, sizes: tuple) -> list[tuple[dict, tuple]]:
    rng = np.random.default_rng(seed)
    out = []
    for T, n_in, n_h, m in sizes:
        X = rng.normal(0.0, 1.0, (T, n_in, m))  # (T, n_in, m)
        a0 = rng.uniform(-0.8, 0.8, (n_h, m))  # (n_h, m)
        W_F, W_R, b = _weights(rng, n_in, n_h)
        out.append(({"T": T, "n_in": n_in, "n_h": n_h, "m": m}, (X, a0, W_F, W_R, b)))
    return out


class _Forward(Exercise):
    SIZES = ((6, 3, 5, 4), (4, 7, 2, 3), (5, 2, 3, 7), (1, 3, 4, 2))  # (T, n_in, n_h, m); last: T = 1

    def cases(self) -> list[Case]:
        return [
            Case(
                args,
                ("X", "a0", "W_F", "W_R", "b"),
                sizes,
                solutions.forward(*args),
                note="T = 1" if sizes["T"] == 1 else "",
            )
            for sizes, args in _sequence_cases(2004, self.SIZES)
        ]

    def read(self, value: Any, case: Case, args: tuple) -> np.ndarray:
        return read_array(value, "A", "of shape (T, n_h, m)", ("T", "n_h", "m"), case)

    def describe(self, fn: Callable, value: Any, case: Case, limit: float | None) -> Verdict:
        if value.shape != case.expected.shape:
            return Verdict(
                "shape", shape_message(value, "A", ("T", "n_h", "m"), "activations of every step", case)
            )
        first, last = first_wrong_step(value, case.expected)
        where = f"For {case.label}: " + diff_message("A", value, case.expected)
        if first > 0:
            where += (
                f"\n\nYour first {first} step(s) are right (A[0] to A[{first - 1}]) and the steps from "
                f"t = {first} on are wrong. Since one step is computed right, look at what is carried "
                "from one step to the next: the previous state of step t is A[t-1] (a0 at the start)."
            )
        elif last == 0 and case.sizes["T"] > 1:
            where += "\n\nOnly the first step A[0] is wrong: look at how the loop starts from a0."
        else:
            where += (
                "\n\nAlready the first step A[0] (the course's a_1) is wrong, so the step itself is not "
                "right yet: check it against your one-step function of notebook 02, with a_prev = a0."
            )
        return Verdict("wrong", where)


FORWARD = _Forward(
    id="forward",
    notebook="04_feeding_sequences",
    title="loop over time for a batch",
    signature="fn(X, a0, W_F, W_R, b) -> A",
    todo="make an array A of zeros of shape (T, n_h, m), then for t = 0, ..., T-1 compute the step "
    "{{a_t = \\tanh(W_F x_t + W_R a_{t-1} + b) :: a_t = tanh(W_F x_t + W_R a_(t-1) + b)}} with "
    "`X[t]` as x_t, store it in `A[t]`, and carry it as the previous state of the next step "
    "(a0 before the first). Return A.",
    hint="the previous state starts as `a0`; after each step it becomes the a_t you just computed. "
    "`X[t]` is x_t, shape (n_in, m), and `A[t]` receives a_t, shape (n_h, m).",
    equation="forward",
    reference="rnncourse.rnn.forward",
    bugs=bugs.FORWARD,
    arg_dims={
        "X": "(T, n_in, m)",
        "a0": "(n_h, m)",
        "W_F": "(n_h, n_in)",
        "W_R": "(n_h, n_h)",
        "b": "(n_h, 1)",
    },
)


# ---------------------------------------------------------------------------
# BPTT
# ---------------------------------------------------------------------------
_GRAD_DIMS = {
    "W_F": (("n_h", "n_in"), "gradient of W_F"),
    "W_R": (("n_h", "n_h"), "gradient of W_R"),
    "b": (("n_h", "1"), "gradient of b"),
    "a0": (("n_h", "m"), "gradient of a0"),
}


def _bptt_case(sizes: dict, forward_args: tuple, rng: np.random.Generator, note: str = "") -> Case:
    X, a0, W_F, W_R, b = forward_args
    A = solutions.forward(X, a0, W_F, W_R, b)  # (T, n_h, m)
    dA = rng.normal(0.0, 1.0, A.shape)  # (T, n_h, m): dL/da_t from above
    args = (dA, X, A, a0, W_F, W_R)
    return Case(args, ("dA", "X", "A", "a0", "W_F", "W_R"), sizes, solutions.backward(*args), note=note)


class _Backward(Exercise):
    SIZES = ((5, 3, 4, 2), (4, 6, 3, 5), (3, 2, 5, 4), (1, 4, 3, 2))  # (T, n_in, n_h, m); last: T = 1

    def cases(self) -> list[Case]:
        rng = np.random.default_rng(2008)
        return [
            _bptt_case(sizes, args, rng, note="T = 1" if sizes["T"] == 1 else "")
            for sizes, args in _sequence_cases(2018, self.SIZES)
        ]

    def read(self, value: Any, case: Case, args: tuple) -> dict:
        if not isinstance(value, dict):
            kind = "None" if value is None else f"a {type(value).__name__}"
            raise Unreadable(
                "type",
                f'Your function returned {kind}; it should return a dict with the keys "W_F", "W_R", '
                '"b" and "a0", each the gradient of the loss with respect to that argument'
                + (" (did it end without `return`?)." if value is None else "."),
            )
        missing = [k for k in _GRAD_DIMS if k not in value]
        if missing:
            extra = (
                " The gradient for a0 is the one your loop carries back after the first step."
                if "a0" in missing
                else ""
            )
            raise Unreadable(
                "type",
                f"Your dict has the keys {sorted(map(str, value))} but lacks "
                + ", ".join(f'"{k}"' for k in missing)
                + "."
                + extra,
            )
        return {
            k: read_array(value[k], f'grads["{k}"]', f"of shape {_GRAD_DIMS[k][0]}", _GRAD_DIMS[k][0], case)
            for k in _GRAD_DIMS
        }

    def describe(self, fn: Callable, value: Any, case: Case, limit: float | None) -> Verdict:
        wrong = [k for k in _GRAD_DIMS if not self.same(value[k], case.expected[k])]
        right = [k for k in _GRAD_DIMS if k not in wrong]
        parts = []
        for k in wrong:
            dims, meaning = _GRAD_DIMS[k]
            if value[k].shape != case.expected[k].shape:
                parts.append(shape_message(value[k], f'grads["{k}"]', dims, meaning, case))
            else:
                parts.append(diff_message(f'grads["{k}"]', value[k], case.expected[k]))
        head = f"For {case.label}: " + (
            "the gradients of " + ", ".join(right) + " are right; " if right else ""
        )
        text = head + "\n\n".join(parts)
        if case.sizes["T"] > 1 and self._right_for_one_step(fn, case, limit):
            text += (
                "\n\nWith a single step (T = 1) your gradients are right; with several steps they are not. "
                "What only exists with T > 1 is the gradient carried back from step t+1 to step t, and the "
                "sums over the steps: look there."
            )
        return Verdict("shape" if any("shape" in p for p in parts) else "wrong", text)

    def _right_for_one_step(self, fn: Callable, case: Case, limit: float | None) -> bool:
        dA, X, A, a0, W_F, W_R = case.args
        args = (dA[:1].copy(), X[:1].copy(), A[:1].copy(), a0.copy(), W_F.copy(), W_R.copy())
        expected = solutions.backward(*args)
        outcome = call_with_limit(lambda: fn(*args), limit)
        if outcome.error is not None or outcome.timed_out or not isinstance(outcome.value, dict):
            return False
        return all(self.same(outcome.value.get(k), expected[k]) for k in _GRAD_DIMS)


BACKWARD = _Backward(
    id="backward",
    notebook="08_training",
    title="backpropagation through time",
    signature='fn(dA, X, A, a0, W_F, W_R) -> {"W_F", "W_R", "b", "a0"}',
    todo="walk back from t = T-1 to 0. At each step add what arrives from above, `dA[t]`, to what comes "
    "back from step t+1, multiply by the tanh derivative {{1 - a_t^2 :: 1 - a_t^2}} to get "
    "{{\\partial L/\\partial z_t :: dL/dz_t}}, add its products with {{x_t^\\top :: x_t^T}} and "
    "{{a_{t-1}^\\top :: a_(t-1)^T}} to the weight gradients and its column sum to the bias gradient, "
    "and carry {{W_R^\\top \\partial L/\\partial z_t :: W_R^T dL/dz_t}} back to step t-1. Return the "
    "dict of the four gradients.",
    hint="every gradient has the shape of what it is the gradient of. The gradient at a_t has two "
    "sources, the loss above (dA[t]) and the next step (through W_R^T): both must be added.",
    equation="bptt_carry",
    reference="rnncourse.rnn.backward",
    bugs=bugs.BACKWARD,
    arg_dims={
        "dA": "(T, n_h, m)",
        "X": "(T, n_in, m)",
        "A": "(T, n_h, m)",
        "a0": "(n_h, m)",
        "W_F": "(n_h, n_in)",
        "W_R": "(n_h, n_h)",
    },
)


# ---------------------------------------------------------------------------
# The public checkers
# ---------------------------------------------------------------------------
def check_cell_forward(fn: Callable, time_limit: float | None = None) -> ExerciseFeedback:
    """Check one step of the recurrence (notebook 02).

    Parameters
    ----------
    fn : the learner's ``fn(x_t, a_prev, W_F, W_R, b) -> a_t`` with x_t (n_in, m), a_prev (n_h, m),
        W_F (n_h, n_in), W_R (n_h, n_h), b (n_h, 1) and a_t (n_h, m), tanh
    time_limit : seconds per case (`runner.TIME_LIMIT_S` if None)

    Returns
    -------
    ExerciseFeedback : ``.correct`` and ``.message``; shows as Markdown in a notebook
    """
    return run_check(CELL_FORWARD, fn, time_limit)


def check_forward(fn: Callable, time_limit: float | None = None) -> ExerciseFeedback:
    """Check the loop over time for a batch (notebook 04).

    Parameters
    ----------
    fn : the learner's ``fn(X, a0, W_F, W_R, b) -> A`` with X (T, n_in, m), a0 (n_h, m),
        W_F (n_h, n_in), W_R (n_h, n_h), b (n_h, 1) and A (T, n_h, m), tanh
    time_limit : seconds per case (`runner.TIME_LIMIT_S` if None)
    """
    return run_check(FORWARD, fn, time_limit)


def check_backward(fn: Callable, time_limit: float | None = None) -> ExerciseFeedback:
    """Check backpropagation through time for the tanh layer (notebook 08).

    Parameters
    ----------
    fn : the learner's ``fn(dA, X, A, a0, W_F, W_R) -> grads`` with dA (T, n_h, m) dL/da_t from above,
        X (T, n_in, m), A (T, n_h, m) from the forward pass, a0 (n_h, m), W_F (n_h, n_in),
        W_R (n_h, n_h); grads holds "W_F" (n_h, n_in), "W_R" (n_h, n_h), "b" (n_h, 1), "a0" (n_h, m)
    time_limit : seconds per case (`runner.TIME_LIMIT_S` if None)
    """
    return run_check(BACKWARD, fn, time_limit)
