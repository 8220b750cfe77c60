"""Known-wrong versions of the training exercises: clipping, sampling, the LSTM step, the embedding.

The same `Bug` records as `bugs` (id, function, what to say, the equation). The
sampling bugs also carry the probabilities they draw from (`SampleBug.probs`), so the
checker can compare the learner's draws with each of them statistically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .bugs import Bug

__all__ = ["CLIP_BY_NORM", "SAMPLE", "SampleBug", "LSTM_CELL_FORWARD", "EMBEDDING_BACKWARD"]


# ---------------------------------------------------------------------------
# Clipping by the global norm: fn(grads, max_norm) -> a new dict
# ---------------------------------------------------------------------------
def _norm(grads):
    return np.sqrt(sum(np.sum(g**2) for g in grads.values()))


def _per_array(grads, c):
    return {k: g * min(1.0, c / (np.sqrt(np.sum(g**2)) + 1e-6)) for k, g in grads.items()}


def _always(grads, c):
    return {k: g * (c / (_norm(grads) + 1e-6)) for k, g in grads.items()}


def _squared(grads, c):
    n2 = _norm(grads) ** 2
    return {k: g * (c / (n2 + 1e-6) if n2 > c else 1.0) for k, g in grads.items()}


def _inverted(grads, c):
    n = _norm(grads)
    return {k: g * (n / c if n > c else 1.0) for k, g in grads.items()}


def _in_place(grads, c):
    n = _norm(grads)
    if n > c:
        for g in grads.values():
            g *= c / (n + 1e-6)
    return dict(grads)


CLIP_BY_NORM = (
    Bug(
        "each_clipped_by_own_norm",
        _per_array,
        "Your function clips **each gradient by its own norm**. Clipping by the global norm scales all "
        "of them by one common factor, computed from the norm of all gradients together, so the "
        "direction of the whole update is kept.",
        "compute one norm over all arrays (the square root of the sum of every array's sum of "
        "squares), then one factor for all of them.",
        "clip",
    ),
    Bug(
        "clipped_below_threshold",
        _always,
        "Your function rescales the gradients **even when their norm is below** {{c :: max_norm}}: "
        "a small gradient is then blown up to length max_norm.",
        "scale only when the norm is larger than max_norm; otherwise return the gradients unchanged "
        "(in a new dict).",
        "clip",
    ),
    Bug(
        "clipped_by_value",
        lambda grads, c: {k: np.clip(g, -c, c) for k, g in grads.items()},
        "Your function **clips by value**: each entry is capped to [-max_norm, max_norm]. That "
        "changes the direction of the gradient; clipping by norm scales the whole gradient instead.",
        "compute the global norm and multiply every array by the same factor.",
        "clip",
    ),
    Bug(
        "norm_not_square_rooted",
        _squared,
        "Your norm is the **sum of squares without the square root**: {{\\lVert g \\rVert^2 :: ||g||^2}} "
        "instead of {{\\lVert g \\rVert :: ||g||}}.",
        "take `np.sqrt` of the total sum of squares.",
        "clip",
    ),
    Bug(
        "ratio_inverted",
        _inverted,
        "Your factor is **upside down**: {{\\lVert g \\rVert / c :: ||g|| / max_norm}} makes a large "
        "gradient larger.",
        "multiply by {{c / (\\lVert g \\rVert + 10^{-6}) :: max_norm / (||g|| + 1e-6)}}.",
        "clip",
    ),
    Bug(
        "input_changed_in_place",
        _in_place,
        "Your function **changes the gradients it was given in place** (`*=` on the arrays of the input "
        "dict). "
        "The caller may still need them (to log their norm, say): this exercise returns a new dict "
        "and leaves the input untouched.",
        "compute each clipped array as a new array (`g * scale`, not `g *= scale`).",
        "clip",
    ),
)


# ---------------------------------------------------------------------------
# Sampling with a temperature: fn(logits, temperature, rng) -> int
# ---------------------------------------------------------------------------
def _softmax(y):
    e = np.exp(y - np.max(y))
    return e / e.sum()


@dataclass(frozen=True)
class SampleBug(Bug):
    """A sampling bug, with the probabilities ``probs(logits, temperature)`` it draws from."""

    probs: Callable | None = None


def _sampler(probs):
    return lambda logits, temperature, rng: int(rng.choice(len(logits), p=probs(logits, temperature)))


def _greedy(y, tau):
    p = np.zeros(len(y))
    p[int(np.argmax(y))] = 1.0
    return p


def _sample_bug(id, probs, says, fix):
    return SampleBug(id, _sampler(probs), says, fix, "sample", probs)


SAMPLE = (
    _sample_bug(
        "temperature_multiplied",
        lambda y, tau: _softmax(y * tau),
        "Your draws follow {{\\mathrm{softmax}(y \\cdot \\tau) :: softmax(y * tau)}}: the logits are "
        "**multiplied** by the temperature, so a high temperature sharpens instead of flattening.",
        "divide the logits by the temperature.",
    ),
    _sample_bug(
        "temperature_ignored",
        lambda y, tau: _softmax(y),
        "Your draws follow {{\\mathrm{softmax}(y) :: softmax(y)}} whatever the temperature: "
        "**the temperature is not used**.",
        "divide the logits by the temperature before the softmax.",
    ),
    _sample_bug(
        "always_argmax",
        _greedy,
        "Your function always returns the index of the largest logit (**greedy**, `argmax`), so it "
        "never samples: at temperature 1 the other characters should appear too.",
        "draw the index at random with the softmax probabilities, `rng.choice(n_out, p=p)`.",
    ),
    _sample_bug(
        "uniform_draw",
        lambda y, tau: np.full(len(y), 1.0 / len(y)),
        "Your draws are **uniform**: every index equally likely, whatever the logits.",
        "pass the softmax probabilities to the draw (`p=` of `rng.choice`).",
    ),
    _sample_bug(
        "softmax_overflow",
        lambda y, tau: np.exp(y / tau) / np.sum(np.exp(y / tau)),
        "Your function fails at a **tiny temperature**: {{e^{y / \\tau} :: exp(y / tau)}} overflows "
        "to infinity (y / tau is in the thousands) and infinity / infinity is NaN.",
        "subtract the largest value of y / tau before `np.exp` (the softmax does not change, and the "
        "largest exponent becomes 0).",
    ),
    SampleBug(
        "rng_not_used",
        lambda y, tau, rng: int(np.random.default_rng().choice(len(y), p=_softmax(y / tau))),
        "Your draws are right but **do not come from the generator `rng`** you were given: with the "
        "same seed, two runs gave different draws. Seeded generators make the course's results "
        "repeatable.",
        "draw with `rng.choice(...)` (or `rng.random()`), not `np.random.choice` or `random`.",
        "sample",
        lambda y, tau: _softmax(y / tau),
    ),
)


# ---------------------------------------------------------------------------
# One LSTM step: fn(x_t, a_prev, c_prev, params) -> (a_t, c_t)
# ---------------------------------------------------------------------------
def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def _lstm(
    x,
    a,
    c,
    p,
    forget=True,
    swap_if=False,
    out_tanh=True,
    g_sig=False,
    tanh_outside=False,
    recur=True,
    use_c=True,
    bias=True,
    swap_out=False,
):
    def pre(k):
        return p["W_F_" + k] @ x + (p["W_R_" + k] @ a if recur else 0.0) + (p["b_" + k] if bias else 0.0)

    i, f, o = _sig(pre("i")), _sig(pre("f")), _sig(pre("o"))
    g = _sig(pre("g")) if g_sig else np.tanh(pre("g"))
    if swap_if:
        i, f = f, i
    c_in = c if use_c else 0.0
    c_t = (f * c_in if forget else c_in) + i * g
    if tanh_outside:
        a_t = np.tanh(o * c_t)
    else:
        a_t = o * (np.tanh(c_t) if out_tanh else c_t)
    return (c_t, a_t) if swap_out else (a_t, c_t)


def _l(**options):
    return lambda x, a, c, p: _lstm(x, a, c, p, **options)


LSTM_CELL_FORWARD = (
    Bug(
        "forget_gate_missing",
        _l(forget=False),
        "Your {{c_t :: c_t}} is {{c_{t-1} + i_t \\odot g_t :: c_(t-1) + i_t * g_t}}: the **forget gate** "
        "{{f_t :: f_t}} does not multiply the old cell state.",
        "multiply `c_prev` by f_t elementwise before adding i_t * g_t.",
        "lstm",
    ),
    Bug(
        "input_and_forget_gates_swapped",
        _l(swap_if=True),
        "Your {{c_t :: c_t}} is {{i_t \\odot c_{t-1} + f_t \\odot g_t :: i_t * c_(t-1) + f_t * g_t}}: "
        "the **input and forget gates are swapped** (check which weights, W_F_i or W_F_f, make which gate).",
        "the forget gate f_t keeps the old state, the input gate i_t lets the candidate g_t in.",
        "lstm",
    ),
    Bug(
        "output_tanh_missing",
        _l(out_tanh=False),
        "Your {{a_t :: a_t}} is {{o_t \\odot c_t :: o_t * c_t}}: the **tanh of the cell state** is missing.",
        "use `o_t * np.tanh(c_t)`.",
        "lstm",
    ),
    Bug(
        "tanh_outside_output_gate",
        _l(tanh_outside=True),
        "Your {{a_t :: a_t}} is {{\\tanh(o_t \\odot c_t) :: tanh(o_t * c_t)}}: the tanh is applied "
        "**after** the output gate instead of to c_t alone.",
        "squash c_t first, then gate it: o_t * tanh(c_t).",
        "lstm",
    ),
    Bug(
        "candidate_sigmoid",
        _l(g_sig=True),
        "Your candidate {{g_t :: g_t}} uses the **sigmoid**; it is the one part of the LSTM with a tanh, "
        "so that it can add negative values to the cell state.",
        "use `np.tanh` for g_t and the sigmoid for i_t, f_t and o_t.",
        "lstm",
    ),
    Bug(
        "previous_state_ignored",
        _l(recur=False),
        "Your gates ignore {{a_{t-1} :: a_(t-1)}}: the **recurrent terms** W_R^k a_(t-1) are missing.",
        "add `params['W_R_k'] @ a_prev` to each gate's sum.",
        "lstm",
    ),
    Bug(
        "cell_state_ignored",
        _l(use_c=False),
        "Your {{c_t :: c_t}} does not use {{c_{t-1} :: c_(t-1)}}: the **old cell state is dropped**, "
        "so the cell cannot remember.",
        "keep the forget gate's share of the old cell state, f_t * c_prev, in the sum.",
        "lstm",
    ),
    Bug(
        "bias_missing",
        _l(bias=False),
        "Your gates are computed **without their biases** {{b^k :: b^k}}.",
        "add `params['b_k']` (shape (n_h, 1)) in each gate's sum.",
        "lstm",
    ),
    Bug(
        "outputs_swapped",
        _l(swap_out=True),
        "Your values are right but **in the wrong order**: you return (c_t, a_t); this exercise "
        "returns (a_t, c_t).",
        "return `a_t, c_t`.",
        "lstm",
    ),
)


# ---------------------------------------------------------------------------
# The embedding backward: fn(dx_t, tokens, vocab_size) -> dE (n_e, V)
# ---------------------------------------------------------------------------
def _lost(dx, tokens, V):
    dE = np.zeros((dx.shape[0], V))
    dE[:, tokens] += dx  # buffered: a repeated token keeps only one column
    return dE


def _summed(dx, tokens, V):
    dE = np.zeros((dx.shape[0], V))
    np.add.at(dE, (slice(None), tokens), dx)
    return dE


def _averaged(dx, tokens, V):
    counts = np.bincount(tokens, minlength=V)
    return _summed(dx, tokens, V) / np.maximum(counts, 1)


EMBEDDING_BACKWARD = (
    Bug(
        "repeated_tokens_lost",
        _lost,
        "Your {{dE :: dE}} is right for the tokens that occur once in the batch, but a token that occurs "
        "**several times keeps only one** of its gradients. `dE[:, tokens] += dx_t` does not add up "
        "repeated indices: NumPy reads all the old values first, adds, and writes each column once, so "
        "the last write wins.",
        "use `np.add.at` (it adds at repeated indices too; read `help(np.add.at)`), or loop over the "
        "columns of the batch and add one at a time.",
        "embedding",
    ),
    Bug(
        "result_transposed",
        lambda dx, tokens, V: _summed(dx, tokens, V).T,
        "Your values are right but **transposed**: shape (V, n_e); the embedding matrix E is (n_e, V), "
        "one column per token, and its gradient has the same shape.",
        "build `dE = np.zeros((n_e, V))` and add into its columns.",
        "embedding",
    ),
    Bug(
        "repeats_averaged",
        _averaged,
        "Your {{dE :: dE}} **averages** the gradients of a repeated token; they must be **summed**: each "
        "occurrence of the token uses the same column of E, so each contributes its full gradient.",
        "add the columns of every occurrence, without dividing by the count.",
        "embedding",
    ),
    Bug(
        "divided_by_batch",
        lambda dx, tokens, V: _summed(dx, tokens, V) / len(tokens),
        "Your {{dE :: dE}} is the right sum **divided by m**, the number of columns of the batch. "
        "dL/dx_t already holds whatever averaging the loss did; the embedding only passes each "
        "column of it on to the column of E it came from.",
        "add the columns of dx_t into dE as they are, without dividing.",
        "embedding",
    ),
)
