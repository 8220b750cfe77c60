"""Checkers for sampling (notebook 09), clipping (10), the LSTM step (11) and the embedding (12).

Sampling is random, so its checker draws many times from a generator with a fixed
seed and compares the counts with the expected probabilities by a chi-square bound
(at about 4 standard deviations, so a right function never fails; the seeds are
fixed, so the check gives the same verdict every time).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from . import bugs_training as bt
from . import solutions
from .engine import (
    Case,
    Exercise,
    Unreadable,
    Verdict,
    bug_body,
    diff_message,
    read_array,
    run_check,
    shape_message,
)
from .feedback import ExerciseFeedback
from .runner import call_with_limit

__all__ = ["check_clip_by_norm", "check_sample", "check_lstm_cell_forward", "check_embedding_backward"]


# ---------------------------------------------------------------------------
# Clipping by the global norm
# ---------------------------------------------------------------------------
_CLIP_SHAPES = {"W_F": (4, 3), "W_R": (4, 4), "b": (4, 1), "W_out": (2, 4)}


def _grads(rng: np.random.Generator, scales: dict[str, float]) -> dict[str, np.ndarray]:
    return {k: rng.normal(0.0, scales[k], shape) for k, shape in _CLIP_SHAPES.items()}


class _Clip(Exercise):
    def cases(self) -> list[Case]:
        rng = np.random.default_rng(2010)
        settings = (  # (scale of each gradient, max_norm)
            ({"W_F": 0.3, "W_R": 2.5, "b": 0.2, "W_out": 0.4}, 1.0),  # one large gradient, far above
            ({"W_F": 0.05, "W_R": 0.08, "b": 0.05, "W_out": 0.1}, 2.0),  # below the threshold
            ({"W_F": 0.9, "W_R": 0.6, "b": 1.2, "W_out": 0.7}, 2.5),  # a little above
        )
        out = []
        for scales, c in settings:
            grads = _grads(rng, scales)
            norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
            rel = "above" if norm > c else "below"
            note = f"global norm {norm:.3g}, {rel} max_norm = {c:g}"
            out.append(Case((grads, c), ("grads", "max_norm"), {}, solutions.clip_by_norm(grads, c), note))
        return out

    def read(self, value: Any, case: Case, args: tuple) -> dict:
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], dict):
            value = value[0]  # (clipped, norm), as rnncourse.optim.clip_by_norm returns
        if value is args[0]:
            raise Unreadable(
                "type",
                f"Your function returned the very dict it was given ({case.note}). Return a new dict, "
                "even when nothing needs scaling, so that the result and the caller's gradients are "
                "never the same object.",
            )
        if not isinstance(value, dict):
            kind = "None" if value is None else f"a {type(value).__name__}"
            raise Unreadable(
                "type",
                f"Your function returned {kind}; it should return a new dict with "
                "the same keys as `grads`, each holding the clipped gradient.",
            )
        if set(value) != set(args[0]):
            raise Unreadable(
                "type",
                f"Your dict has the keys {sorted(map(str, value))}; it should have "
                f"the same keys as `grads`, {sorted(args[0])}.",
            )
        return {
            k: read_array(
                v,
                f'result["{k}"]',
                f"of shape {np.shape(case.expected[k])}",
                tuple(str(s) for s in np.shape(case.expected[k])),
                case,
            )
            for k, v in value.items()
        }

    def describe(self, fn: Callable, value: Any, case: Case, limit: float | None) -> Verdict:
        grads, c = case.args
        for k in grads:
            if value[k].shape != grads[k].shape:
                return Verdict(
                    "shape",
                    f'`result["{k}"]` has shape {value[k].shape}; a clipped gradient '
                    f"keeps the shape of the gradient, {grads[k].shape}.",
                )
        norm = math.sqrt(sum(float(np.sum(v**2)) for v in value.values()))
        want = math.sqrt(sum(float(np.sum(v**2)) for v in case.expected.values()))
        wrong = [k for k in grads if not self.same(value[k], case.expected[k])]
        return Verdict(
            "wrong",
            f"For {case.note}: your clipped gradients have global norm {norm:.4g}, "
            f"expected {want:.4g}. Wrong: "
            + ", ".join(f'result["{k}"]' for k in wrong)
            + ". "
            + diff_message(f'result["{wrong[0]}"]', value[wrong[0]], case.expected[wrong[0]]),
        )


CLIP = _Clip(
    id="clip_by_norm",
    notebook="10_vanishing_gradients",
    title="clipping by the global norm",
    signature="fn(grads, max_norm) -> a new dict",
    todo="compute the global norm of all gradients together (square root of the sum of the squares of "
    "every entry of every array); if it is larger than max_norm, multiply every gradient by "
    "max_norm / (norm + 1e-6). Return a new dict with the same keys and leave `grads` unchanged.",
    hint="one norm for all the arrays together, then one factor for all of them; below the "
    "threshold the factor is 1.",
    equation="clip",
    reference="rnncourse.optim.clip_by_norm",
    bugs=bt.CLIP_BY_NORM,
    mutation_bug="input_changed_in_place",
)


# ---------------------------------------------------------------------------
# Sampling with a temperature
# ---------------------------------------------------------------------------
_LOGITS = np.array([1.2, -0.4, 0.3, 2.0, -1.1, 0.8])  # (n_out,) with a clear largest entry


def _fits(counts: np.ndarray, p: np.ndarray) -> bool:
    """Whether the counts could come from p: no draw where p is 0, chi-square at ~4 sigma."""
    n = counts.sum()
    live = p > 1e-9
    if np.any(counts[~live] > 0):
        return False
    df = int(live.sum()) - 1
    if df == 0:
        return True
    e = n * p[live]
    stat = float(np.sum((counts[live] - e) ** 2 / e))
    bound = df * (1 - 2 / (9 * df) + 4.0 * math.sqrt(2 / (9 * df))) ** 3  # Wilson-Hilferty
    return stat <= bound


def _looks_like_overflow(exc: BaseException) -> bool:
    text = str(exc).lower()
    return not isinstance(exc, NotImplementedError) and any(w in text for w in ("nan", "inf", "overflow"))


class _Sample(Exercise):
    DRAWS = 800

    def cases(self) -> list[Case]:
        out = []
        for i, (tau, n) in enumerate(
            ((1.0, 40), (0.5, self.DRAWS), (2.0, self.DRAWS), (1e-3, 100), (1e4, self.DRAWS))
        ):
            logits = np.roll(_LOGITS, i)  # the largest logit moves, so a fixed index cannot pass
            note = {0: "the same seed twice", 3: "a tiny temperature", 4: "a huge temperature"}.get(i, "")
            p = np.exp(logits / tau - np.max(logits / tau))
            out.append(
                Case(
                    (logits, tau),
                    ("logits", "temperature"),
                    {"n_out": len(logits)},
                    p / p.sum(),
                    f"temperature = {tau:g}, {n} draws" + (f", {note}" if note else ""),
                )
            )
        return out

    def _draws(self, fn, case, limit, seed):
        logits = case.args[0].copy()
        n = int(case.note.split(", ")[1].split()[0])
        rng = np.random.default_rng(seed)
        outcome = call_with_limit(lambda: [fn(logits, case.args[1], rng) for _ in range(n)], limit)
        return outcome, logits

    def judge(self, fn: Callable, case: Case, limit: float | None) -> Verdict | None:
        outcome, logits = self._draws(fn, case, limit, seed=9)
        tiny = case.args[1] < 0.01
        if tiny and outcome.error is not None and _looks_like_overflow(outcome.error):
            return self._overflow(self.error_verdict(outcome.error, case).body)
        early = self._early(outcome, case, (logits, case.args[1]))
        if early is not None:
            return early
        try:
            counts = self._count(outcome.value, case)
        except Unreadable as exc:
            if tiny and exc.kind == "nan":
                return self._overflow(exc.body)
            return Verdict(exc.kind, exc.body)
        if "same seed" in case.note:
            again, _ = self._draws(fn, case, limit, seed=9)
            if again.error is None and not again.timed_out and list(again.value) != list(outcome.value):
                return self._named("rng_not_used")
            return None  # too few draws to judge the distribution; the next cases do that
        if _fits(counts, case.expected):
            return None
        if tiny:
            return self._overflow("")
        for bug in self.bugs:
            q = bug.probs(*case.args)
            if bug.id == "rng_not_used":
                continue  # found by the repeatability case, not by the counts
            if np.max(np.abs(q - case.expected)) > 0.05 and np.all(np.isfinite(q)) and _fits(counts, q):
                return Verdict("bug", bug_body(bug), bug)
        freq = counts / counts.sum()
        table = "; ".join(
            f"{k}: {f:.3f} (expected {q:.3f})" for k, (f, q) in enumerate(zip(freq, case.expected))
        )
        return Verdict(
            "wrong",
            f"For {case.note}: your draws do not follow "
            "{{\\mathrm{softmax}(y / \\tau) :: softmax(y / tau)}}. How often each index came, "
            f"against the expected probability: {table}.",
        )

    def _count(self, draws: list, case: Case) -> np.ndarray:
        n_out = len(case.args[0])
        for d in draws:
            ok = isinstance(d, (int, np.integer)) and not isinstance(d, (bool, np.bool_))
            if not ok:
                kind = "nan" if isinstance(d, float) and not math.isfinite(d) else "type"
                what = "None" if d is None else f"{d!r} (a {type(d).__name__})"
                raise Unreadable(
                    kind,
                    f"Your function returned {what}; it should return one index, an "
                    f"int from 0 to n_out - 1 = {n_out - 1}. (If you have an array of one "
                    "entry, `int(...)` turns it into an int.)",
                )
            if not 0 <= int(d) < n_out:
                raise Unreadable(
                    "type",
                    f"Your function returned {int(d)}, outside 0 .. {n_out - 1} "
                    f"(n_out = {n_out}): an index into the logits.",
                )
        return np.bincount(np.asarray(draws, dtype=np.int64), minlength=n_out)

    def _named(self, bug_id: str, extra: str = "") -> Verdict:
        bug = next(b for b in self.bugs if b.id == bug_id)
        return Verdict("bug", bug_body(bug) + (f"\n\n{extra}" if extra else ""), bug)

    def _overflow(self, detail: str) -> Verdict:
        return self._named("softmax_overflow", detail)


SAMPLE = _Sample(
    id="sample",
    notebook="09_one_to_many",
    title="sampling with a temperature",
    signature="fn(logits, temperature, rng) -> int",
    todo="divide the logits by the temperature, turn them into probabilities with a softmax (subtract "
    "the largest value before `np.exp`), and draw one index with `rng.choice(n_out, p=p)`. Return it "
    "as an int.",
    hint="a temperature below 1 sharpens the distribution, above 1 flattens it; draw with the "
    "generator `rng` you are given so that the draws repeat with the same seed.",
    equation="sample",
    reference="rnncourse.models.sample",
    bugs=bt.SAMPLE,
)


# ---------------------------------------------------------------------------
# One LSTM step
# ---------------------------------------------------------------------------
class _LSTM(Exercise):
    SIZES = ((3, 5, 4), (6, 2, 7), (4, 3, 2))  # (n_in, n_h, m)

    def cases(self) -> list[Case]:
        from rnncourse.cells import LSTM_GATES, lstm_init_params

        rng = np.random.default_rng(2011)
        out = []
        for n_in, n_h, m in self.SIZES:
            params = lstm_init_params(n_in, n_h, seed=int(rng.integers(1000)), scale=0.7)
            for k in LSTM_GATES:
                params[f"b_{k}"] = rng.normal(0.0, 0.6, (n_h, 1))  # (n_h, 1), so a missing bias shows
            args = (
                rng.normal(0.0, 1.0, (n_in, m)),
                rng.uniform(-0.9, 0.9, (n_h, m)),
                rng.normal(0.0, 1.0, (n_h, m)),
                params,
            )
            out.append(
                Case(
                    args,
                    ("x_t", "a_prev", "c_prev", "params"),
                    {"n_in": n_in, "n_h": n_h, "m": m},
                    solutions.lstm_cell_forward(*copy.deepcopy(args)),
                )
            )
        return out

    def read(self, value: Any, case: Case, args: tuple) -> tuple:
        if not isinstance(value, (tuple, list)) or len(value) not in (2, 3):
            what = (
                "None"
                if value is None
                else (
                    f"a tuple of {len(value)} items"
                    if isinstance(value, (tuple, list))
                    else f"a {type(value).__name__}"
                )
            )
            raise Unreadable(
                "type",
                f"Your function returned {what}; it should return the pair "
                "`a_t, c_t`, the new hidden state and the new cell state, each (n_h, m).",
            )
        return tuple(
            read_array(v, n, "of shape (n_h, m)", ("n_h", "m"), case)
            for v, n in zip(value[:2], ("a_t", "c_t"))
        )

    def describe(self, fn: Callable, value: Any, case: Case, limit: float | None) -> Verdict:
        parts = []
        for v, want, name in zip(value, case.expected, ("a_t", "c_t")):
            if v.shape != want.shape:
                return Verdict("shape", shape_message(v, name, ("n_h", "m"), "state at step t", case))
            if not self.same(v, want):
                parts.append(diff_message(name, v, want))
        if self.same(value[1], case.expected[1]):
            parts.append(
                "Your c_t is right, so the gates i, f, g are: look at the output, "
                "{{a_t = o_t \\odot \\tanh(c_t) :: a_t = o_t * tanh(c_t)}}."
            )
        return Verdict("wrong", f"For {case.label}: " + " ".join(parts))


LSTM = _LSTM(
    id="lstm_cell_forward",
    notebook="11_lstm_gru_preview",
    title="LSTM step",
    signature="fn(x_t, a_prev, c_prev, params) -> (a_t, c_t)",
    todo="for each of the gates k = i, f, g, o compute `params['W_F_k'] @ x_t + params['W_R_k'] @ a_prev "
    "+ params['b_k']`; apply the sigmoid for i, f, o and tanh for g; then "
    "{{c_t = f_t \\odot c_{t-1} + i_t \\odot g_t :: c_t = f_t * c_(t-1) + i_t * g_t}} and "
    "{{a_t = o_t \\odot \\tanh(c_t) :: a_t = o_t * tanh(c_t)}}. Return `a_t, c_t`.",
    hint="three gates are sigmoids (values in (0, 1), they open and close), the candidate g is a tanh; "
    "* is elementwise (`*` in NumPy), only the weights use `@`.",
    equation="lstm",
    reference="rnncourse.cells.lstm_cell_forward",
    bugs=bt.LSTM_CELL_FORWARD,
    arg_dims={"x_t": "(n_in, m)", "a_prev": "(n_h, m)", "c_prev": "(n_h, m)"},
)


# ---------------------------------------------------------------------------
# The embedding backward
# ---------------------------------------------------------------------------
class _Embedding(Exercise):
    # (n_e, V, tokens): every batch repeats a token; the last uses one token only
    SETS = ((3, 7, (4, 1, 4, 0, 6, 4, 2, 1, 5, 3)), (5, 4, (2, 2, 0, 3, 0, 2, 1, 2, 0)), (2, 5, (3,) * 6))

    def cases(self) -> list[Case]:
        rng = np.random.default_rng(2012)
        out = []
        for n_e, V, tokens in self.SETS:
            tokens = np.array(tokens, dtype=np.int64)  # (m,)
            dx_t = rng.normal(0.0, 1.0, (n_e, len(tokens)))  # (n_e, m)
            args = (dx_t, tokens, V)
            repeats = sorted(int(v) for v in np.unique(tokens) if np.sum(tokens == v) > 1)
            out.append(
                Case(
                    args,
                    ("dx_t", "tokens", "vocab_size"),
                    {"n_e": n_e, "V": V, "m": len(tokens)},
                    solutions.embedding_backward(*args),
                    f"tokens {tokens.tolist()}, repeated: {repeats}",
                )
            )
        return out

    def read(self, value: Any, case: Case, args: tuple) -> np.ndarray:
        return read_array(value, "dE", "of shape (n_e, V)", ("n_e", "V"), case)

    def describe(self, fn: Callable, value: Any, case: Case, limit: float | None) -> Verdict:
        if value.shape != case.expected.shape:
            return Verdict(
                "shape", shape_message(value, "dE", ("n_e", "V"), "gradient of the embedding matrix E", case)
            )
        bad = [v for v in range(value.shape[1]) if not self.same(value[:, v], case.expected[:, v])]
        tokens = case.args[1]
        counts = np.bincount(tokens, minlength=value.shape[1])
        text = f"For {case.label}: the columns of dE for the tokens {bad} are wrong. "
        if all(counts[v] > 1 for v in bad):
            text += "Each of them occurs more than once in the batch: check how repeated tokens add up. "
        elif any(counts[v] == 0 for v in bad):
            text += "Some of them do not occur in the batch at all, so their gradient should be zero. "
        return Verdict("wrong", text + diff_message("dE", value, case.expected))


EMBEDDING = _Embedding(
    id="embedding_backward",
    notebook="12_char_language_model",
    title="embedding backward",
    signature="fn(dx_t, tokens, vocab_size) -> dE",
    todo="start from `dE = np.zeros((n_e, V))` and add column j of dx_t into the column `tokens[j]` of "
    "dE, for every j of the batch; a token that occurs twice collects both columns. Return dE.",
    hint="the forward is a lookup, x_t = E[:, tokens]: each column of x_t is a copy of one column of E, "
    "so each column of dx_t flows back to that column of E, and copies of the same column add up.",
    equation="embedding",
    reference="rnncourse.exercises.solutions.embedding_backward",
    bugs=bt.EMBEDDING_BACKWARD,
    arg_dims={"dx_t": "(n_e, m)", "tokens": "(m,)"},
)


# ---------------------------------------------------------------------------
# The public checkers
# ---------------------------------------------------------------------------
def check_clip_by_norm(fn: Callable, time_limit: float | None = None) -> ExerciseFeedback:
    """Check clipping by the global norm (notebook 10), as ``torch.nn.utils.clip_grad_norm_``.

    Parameters
    ----------
    fn : the learner's ``fn(grads, max_norm) -> dict``: grads a dict of arrays (any shapes),
        max_norm a float; returns a new dict, same keys and shapes, the input unchanged
    time_limit : seconds per case (`runner.TIME_LIMIT_S` if None)
    """
    return run_check(CLIP, fn, time_limit)


def check_sample(fn: Callable, time_limit: float | None = None) -> ExerciseFeedback:
    """Check sampling an index with a temperature (notebook 09).

    Parameters
    ----------
    fn : the learner's ``fn(logits, temperature, rng) -> int`` with logits (n_out,), temperature > 0
        and rng a ``np.random.Generator``; draws k with probability softmax(logits / temperature)_k
    time_limit : seconds per case, each case being all of its draws (`runner.TIME_LIMIT_S` if None)
    """
    return run_check(SAMPLE, fn, time_limit)


def check_lstm_cell_forward(fn: Callable, time_limit: float | None = None) -> ExerciseFeedback:
    """Check one LSTM step (notebook 11).

    Parameters
    ----------
    fn : the learner's ``fn(x_t, a_prev, c_prev, params) -> (a_t, c_t)`` with x_t (n_in, m),
        a_prev and c_prev (n_h, m), params as `rnncourse.cells.lstm_init_params` makes it
        ("W_F_k" (n_h, n_in), "W_R_k" (n_h, n_h), "b_k" (n_h, 1) for k = i, f, g, o)
    time_limit : seconds per case (`runner.TIME_LIMIT_S` if None)
    """
    return run_check(LSTM, fn, time_limit)


def check_embedding_backward(fn: Callable, time_limit: float | None = None) -> ExerciseFeedback:
    """Check the gradient of an embedding lookup (notebook 12).

    Parameters
    ----------
    fn : the learner's ``fn(dx_t, tokens, vocab_size) -> dE`` with dx_t (n_e, m) = dL/dx_t,
        tokens (m,) integer ids, and dE (n_e, V) for the embedding matrix E (n_e, V), where the
        forward is x_t = E[:, tokens]
    time_limit : seconds per case (`runner.TIME_LIMIT_S` if None)
    """
    return run_check(EMBEDDING, fn, time_limit)
