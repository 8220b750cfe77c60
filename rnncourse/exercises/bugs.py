"""The library of known-wrong versions of the recurrent-layer exercises, and the equations.

Each `Bug` is one small function that makes one mistake learners make, with what to
tell them: what their result matches (`says`), what to change (`fix`), and the
equation to revisit (a key of `EQUATIONS`). The checkers run a wrong result against
every bug of its exercise and name the one that produces the same numbers.

This module holds the bugs of the one-step cell, the loop over time and BPTT;
`bugs_training` holds those of clipping, sampling, the LSTM step and the embedding.
Every bug is tested: a learner-style version of it, written separately in
``tests/``, must be rejected and named.

Messages use the markup of `feedback`: maths as ``{{latex :: plain text}}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Bug", "EQUATIONS", "CELL_FORWARD", "FORWARD", "BACKWARD"]


@dataclass(frozen=True)
class Bug:
    """One known mistake: an id, a function that makes it, and what to say about it."""

    id: str
    fn: Callable
    says: str  # markup: what the learner's result matches
    fix: str  # markup: what to change
    equation: str  # key of EQUATIONS


#: key -> (the equation in markup, the notebook that teaches it)
EQUATIONS = {
    "cell": (
        "{{z_t = W_F x_t + W_R a_{t-1} + b,\\; a_t = \\tanh(z_t)"
        " :: z_t = W_F x_t + W_R a_(t-1) + b, a_t = tanh(z_t)}}",
        "02_recurrence",
    ),
    "forward": (
        "{{a_t = \\tanh(W_F x_t + W_R a_{t-1} + b)\\ \\text{for}\\ t = 1, \\dots, T,"
        "\\ \\text{starting from}\\ a_0,\\ \\text{and}\\ A[t-1] = a_t"
        " :: a_t = tanh(W_F x_t + W_R a_(t-1) + b) for t = 1, ..., T, starting from a_0,"
        " and A[t-1] = a_t}}",
        "04_feeding_sequences",
    ),
    "bptt_carry": (
        "{{\\frac{\\partial L}{\\partial a_t} = dA_t + W_R^\\top \\frac{\\partial L}{\\partial z_{t+1}}"
        " :: dL/da_t = dA[t] + W_R^T dL/dz_(t+1)}} (what arrives from above plus what comes back "
        "from step t+1)",
        "08_training",
    ),
    "bptt_dz": (
        "{{\\frac{\\partial L}{\\partial z_t} = \\frac{\\partial L}{\\partial a_t} \\odot (1 - a_t^2)"
        " :: dL/dz_t = dL/da_t * (1 - a_t^2)}} (elementwise; tanh'(z_t) = 1 - a_t^2 uses a_t itself)",
        "08_training",
    ),
    "bptt_weights": (
        "{{\\frac{\\partial L}{\\partial W_F} = \\sum_t \\frac{\\partial L}{\\partial z_t} x_t^\\top,\\;"
        "\\frac{\\partial L}{\\partial W_R} = \\sum_t \\frac{\\partial L}{\\partial z_t} a_{t-1}^\\top,\\;"
        "\\frac{\\partial L}{\\partial b} = \\sum_t \\sum_{j=1}^{m} \\left(\\frac{\\partial L}"
        "{\\partial z_t}\\right)_{:, j}"
        " :: dL/dW_F = sum over t of dL/dz_t x_t^T, dL/dW_R = sum over t of dL/dz_t a_(t-1)^T,"
        " dL/db = sum over t and over the m columns of dL/dz_t}}",
        "08_training",
    ),
    "bptt_a0": (
        "{{\\frac{\\partial L}{\\partial a_0} = W_R^\\top \\frac{\\partial L}{\\partial z_1}"
        " :: dL/da_0 = W_R^T dL/dz_1}} (the gradient carried back from the first step)",
        "08_training",
    ),
    "clip": (
        "{{\\lVert g \\rVert = \\sqrt{\\textstyle\\sum_k \\lVert g_k \\rVert^2},\\;"
        "g_k \\leftarrow g_k \\cdot \\min\\left(1, \\frac{c}{\\lVert g \\rVert + 10^{-6}}\\right)"
        " :: ||g|| = sqrt(sum over every gradient g_k of its sum of squares),"
        " g_k <- g_k * min(1, c / (||g|| + 1e-6))}}",
        "10_vanishing_gradients",
    ),
    "sample": (
        "{{p_k = \\frac{e^{y_k / \\tau}}{\\sum_j e^{y_j / \\tau}},\\ k \\sim p"
        " :: p_k = exp(y_k / tau) / sum_j exp(y_j / tau), then draw k with probability p_k}}"
        " (subtract the largest y_j / tau first so that exp cannot overflow)",
        "09_one_to_many",
    ),
    "lstm": (
        # four pieces of maths, not one: a line too long to wrap makes the output scroll sideways
        "{{i_t, f_t, o_t = \\sigma(W_F^k x_t + W_R^k a_{t-1} + b^k)"
        " :: i_t, f_t, o_t = sigmoid(W_F^k x_t + W_R^k a_(t-1) + b^k)}},"
        " {{g_t = \\tanh(W_F^g x_t + W_R^g a_{t-1} + b^g) :: g_t = tanh(W_F^g x_t + W_R^g a_(t-1) + b^g)}},"
        " {{c_t = f_t \\odot c_{t-1} + i_t \\odot g_t :: c_t = f_t * c_(t-1) + i_t * g_t}},"
        " {{a_t = o_t \\odot \\tanh(c_t) :: a_t = o_t * tanh(c_t)}}",
        "11_lstm_gru_preview",
    ),
    "embedding": (
        "{{x_t = E_{:, k_t},\\; \\frac{\\partial L}{\\partial E_{:, v}} = \\sum_{j : k_j = v}"
        " \\left(\\frac{\\partial L}{\\partial x_t}\\right)_{:, j}"
        " :: x_t = E[:, tokens], dL/dE[:, v] = the sum of the columns j of dL/dx_t whose token is v}}",
        "12_char_language_model",
    ),
}


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ---------------------------------------------------------------------------
# One step: fn(x_t, a_prev, W_F, W_R, b) -> a_t
# ---------------------------------------------------------------------------
CELL_FORWARD = (
    Bug(
        "bias_missing",
        lambda x, a, W_F, W_R, b: np.tanh(W_F @ x + W_R @ a),
        "Your {{a_t :: a_t}} matches what you get **without the bias** {{b :: b}}.",
        "add {{b :: b}} (shape (n_h, 1)) inside the tanh; NumPy broadcasts it over the m columns.",
        "cell",
    ),
    Bug(
        "activation_missing",
        lambda x, a, W_F, W_R, b: W_F @ x + W_R @ a + b,
        "Your result is {{z_t :: z_t}}, the sum **before the activation**: the tanh is missing.",
        "return {{a_t = \\tanh(z_t) :: a_t = tanh(z_t)}} (`np.tanh`).",
        "cell",
    ),
    Bug(
        "sigmoid_instead_of_tanh",
        lambda x, a, W_F, W_R, b: _sigmoid(W_F @ x + W_R @ a + b),
        "Your {{a_t :: a_t}} is the **sigmoid** of {{z_t :: z_t}}; this exercise uses tanh.",
        "use `np.tanh` (values in (-1, 1)), not the sigmoid (values in (0, 1)).",
        "cell",
    ),
    Bug(
        "relu_instead_of_tanh",
        lambda x, a, W_F, W_R, b: np.maximum(W_F @ x + W_R @ a + b, 0.0),
        "Your {{a_t :: a_t}} is the **ReLU** of {{z_t :: z_t}} (negatives set to 0); "
        "this exercise uses tanh.",
        "use `np.tanh`.",
        "cell",
    ),
    Bug(
        "previous_state_ignored",
        lambda x, a, W_F, W_R, b: np.tanh(W_F @ x + b),
        "Your {{a_t :: a_t}} matches what you get **without the recurrent term** "
        "{{W_R a_{t-1} :: W_R a_(t-1)}}: the previous state is ignored, so this is a feedforward layer.",
        "add `W_R @ a_prev`: the recurrence is what makes the layer remember.",
        "cell",
    ),
    Bug(
        "recurrent_matrix_transposed",
        lambda x, a, W_F, W_R, b: np.tanh(W_F @ x + W_R.T @ a + b),
        "Your {{a_t :: a_t}} matches {{\\tanh(W_F x_t + W_R^\\top a_{t-1} + b)"
        " :: tanh(W_F x_t + W_R^T a_(t-1) + b)}}: "
        "the recurrent matrix is **transposed**. {{W_R :: W_R}} is square, (n_h, n_h), so no shape error "
        "catches this.",
        "use `W_R @ a_prev`: row i of {{W_R :: W_R}} holds the weights into unit i of the new state.",
        "cell",
    ),
    Bug(
        "result_transposed",
        lambda x, a, W_F, W_R, b: np.tanh(W_F @ x + W_R @ a + b).T,
        "Your values are right but **transposed**: shape (m, n_h) instead of (n_h, m).",
        "this course puts one example per column; compute {{W_F x_t :: W_F x_t}} (`W_F @ x_t`), "
        "not `x_t.T @ W_F.T`, or return the result without `.T`.",
        "cell",
    ),
    Bug(
        "bias_after_activation",
        lambda x, a, W_F, W_R, b: np.tanh(W_F @ x + W_R @ a) + b,
        "Your {{a_t :: a_t}} adds the bias **after** the tanh: {{\\tanh(W_F x_t + W_R a_{t-1}) + b"
        " :: tanh(W_F x_t + W_R a_(t-1)) + b}}.",
        "put {{b :: b}} inside the tanh, with the two products.",
        "cell",
    ),
)


# ---------------------------------------------------------------------------
# The loop over time: fn(X, a0, W_F, W_R, b) -> A (T, n_h, m)
# ---------------------------------------------------------------------------
def _loop(X, a0, W_F, W_R, b, f=np.tanh, recur=True, carry=True, store_z=False, store_prev=False):
    A = np.zeros((X.shape[0], W_F.shape[0], X.shape[2]))
    a = a0
    for t in range(X.shape[0]):
        z = W_F @ X[t] + (W_R @ a if recur else 0.0) + b
        new = f(z)
        A[t] = a if store_prev else (z if store_z else new)
        if carry:
            a = new
    return A


FORWARD = (
    Bug(
        "bias_missing",
        lambda X, a0, W_F, W_R, b: _loop(X, a0, W_F, W_R, 0.0 * b),
        "Your {{A :: A}} matches a loop **without the bias** {{b :: b}}.",
        "add {{b :: b}} (shape (n_h, 1)) at every step, inside the tanh.",
        "forward",
    ),
    Bug(
        "activation_missing",
        lambda X, a0, W_F, W_R, b: _loop(X, a0, W_F, W_R, b, f=lambda z: z),
        "Your {{A :: A}} matches a loop **without the tanh**: each step computes only {{z_t :: z_t}}.",
        "apply `np.tanh` at every step, and carry {{a_t :: a_t}} to the next one.",
        "forward",
    ),
    Bug(
        "sigmoid_instead_of_tanh",
        lambda X, a0, W_F, W_R, b: _loop(X, a0, W_F, W_R, b, f=_sigmoid),
        "Your loop uses the **sigmoid**; this exercise uses tanh.",
        "use `np.tanh`.",
        "forward",
    ),
    Bug(
        "relu_instead_of_tanh",
        lambda X, a0, W_F, W_R, b: _loop(X, a0, W_F, W_R, b, f=lambda z: np.maximum(z, 0.0)),
        "Your loop uses the **ReLU**; this exercise uses tanh.",
        "use `np.tanh`.",
        "forward",
    ),
    Bug(
        "previous_state_ignored",
        lambda X, a0, W_F, W_R, b: _loop(X, a0, W_F, W_R, b, recur=False),
        "Your {{A :: A}} matches a loop **without the recurrent term** {{W_R a_{t-1} :: W_R a_(t-1)}}: "
        "every step sees only its own input.",
        "add `W_R @ a_prev` at every step, with the state of the step before.",
        "forward",
    ),
    Bug(
        "state_not_carried",
        lambda X, a0, W_F, W_R, b: _loop(X, a0, W_F, W_R, b, carry=False),
        "Every step of your loop uses {{a_0 :: a_0}} as the previous state: the **state is not carried** "
        "from one step to the next. Your first step is right, the later ones are not.",
        "after computing {{a_t :: a_t}}, make it the previous state of the next step (`a_prev = a_t`).",
        "forward",
    ),
    Bug(
        "z_stored_instead_of_a",
        lambda X, a0, W_F, W_R, b: _loop(X, a0, W_F, W_R, b, store_z=True),
        "Your {{A[t] :: A[t]}} holds {{z_t :: z_t}}, the value **before** the tanh, while the loop carries "
        "{{a_t :: a_t}} correctly.",
        "store the activation: `A[t] = a_t`, not the sum before it.",
        "forward",
    ),
    Bug(
        "previous_state_stored",
        lambda X, a0, W_F, W_R, b: _loop(X, a0, W_F, W_R, b, store_prev=True),
        "Your {{A[t] :: A[t]}} holds {{a_{t-1} :: a_(t-1)}}, the state **before** the step (so A[0] is "
        "a_0): the result is stored one step late.",
        "store the new state after computing it: {{A[t-1] = a_t :: A[t-1] = a_t}} in the course's "
        "counting, `A[t] = a_t` in Python's.",
        "forward",
    ),
    Bug(
        "a0_ignored",
        lambda X, a0, W_F, W_R, b: _loop(X, 0.0 * a0, W_F, W_R, b),
        "Your loop starts from zeros instead of the given {{a_0 :: a_0}}.",
        "start the loop with `a_prev = a0`.",
        "forward",
    ),
    Bug(
        "result_transposed",
        lambda X, a0, W_F, W_R, b: _loop(X, a0, W_F, W_R, b).transpose(0, 2, 1),
        "Your values are right but each step is **transposed**: {{A :: A}} has shape (T, m, n_h) "
        "instead of (T, n_h, m).",
        "keep one example per column: `A[t]` is {{a_t :: a_t}} of shape (n_h, m).",
        "forward",
    ),
    Bug(
        "batch_first",
        lambda X, a0, W_F, W_R, b: _loop(X, a0, W_F, W_R, b).transpose(2, 0, 1),
        "Your values are right but in the **batch-first** layout (m, T, n_h) of Keras and PyTorch's "
        "`batch_first=True`; this course is time-major, (T, n_h, m).",
        "fill an array of shape (T, n_h, m) with `A[t] = a_t`.",
        "forward",
    ),
)


# ---------------------------------------------------------------------------
# BPTT: fn(dA, X, A, a0, W_F, W_R) -> {"W_F", "W_R", "b", "a0"}
# ---------------------------------------------------------------------------
def _bptt(
    dA,
    X,
    A,
    a0,
    W_F,
    W_R,
    carry=True,
    deriv="tanh",
    prev="a_prev",
    db="sum",
    da0="carry",
    through="W_R.T",
    accumulate=True,
    dW_F_T=False,
):
    T, n_h, m = A.shape
    dW_F, dW_R, d_b = np.zeros_like(W_F), np.zeros_like(W_R), np.zeros((n_h, 1))
    d_b_cols = np.zeros((n_h, m))
    da_next = np.zeros((n_h, m))
    da1 = None
    for t in reversed(range(T)):
        da = dA[t] + (da_next if carry else 0.0)
        if t == 0:
            da1 = da
        local = {"tanh": 1 - A[t] ** 2, "none": 1.0, "tanh_again": 1 - np.tanh(A[t]) ** 2}[deriv]
        dz = da * local
        a_prev = a0 if t == 0 else A[t - 1]
        a_used = A[t] if prev == "a_t" else a_prev
        if accumulate:
            dW_F, dW_R = dW_F + dz @ X[t].T, dW_R + dz @ a_used.T
        else:
            dW_F, dW_R = dz @ X[t].T, dz @ a_used.T
        d_b = d_b + (dz.mean(axis=1, keepdims=True) if db == "mean" else dz.sum(axis=1, keepdims=True))
        d_b_cols = d_b_cols + dz
        da_next = {"W_R.T": W_R.T @ dz, "W_R": W_R @ dz, "nothing": dz}[through]
    grads = {"W_F": dW_F.T if dW_F_T else dW_F, "W_R": dW_R, "b": d_b_cols if db == "columns" else d_b}
    grads["a0"] = {"carry": da_next, "zeros": np.zeros((n_h, m)), "da1": da1}[da0]
    return grads


def _b(**options):
    return lambda dA, X, A, a0, W_F, W_R: _bptt(dA, X, A, a0, W_F, W_R, **options)


BACKWARD = (
    Bug(
        "carried_gradient_not_added",
        _b(carry=False),
        "Your gradients match BPTT where each step receives only {{dA_t :: dA[t]}} from above: "
        "**the gradient coming back from step t+1 is not added**. (With T = 1 your function would be right.)",
        "at each step, add what comes back from the step after (computed at step t+1) to `dA[t]`.",
        "bptt_carry",
    ),
    Bug(
        "a_t_instead_of_a_prev",
        _b(prev="a_t"),
        "Your {{\\partial L / \\partial W_R :: dL/dW_R}} uses {{a_t :: a_t}} where {{a_{t-1} :: a_(t-1)}} "
        "belongs: the recurrent weights multiply the state of the step **before**.",
        "use `A[t-1]` (and `a0` at t = 0) in the product for `W_R`.",
        "bptt_weights",
    ),
    Bug(
        "tanh_derivative_missing",
        _b(deriv="none"),
        "Your gradients match BPTT **without the tanh derivative**: {{\\partial L/\\partial z_t :: dL/dz_t}} "
        "is taken equal to {{\\partial L/\\partial a_t :: dL/da_t}}.",
        "multiply elementwise by {{1 - a_t^2 :: 1 - a_t^2}} before the products.",
        "bptt_dz",
    ),
    Bug(
        "tanh_applied_twice",
        _b(deriv="tanh_again"),
        "Your tanh derivative is {{1 - \\tanh(a_t)^2 :: 1 - tanh(a_t)^2}}: it applies tanh to "
        "{{a_t :: a_t}}, which is already a tanh.",
        "use {{1 - a_t^2 :: 1 - a_t^2}} with the stored `A[t]` as it is.",
        "bptt_dz",
    ),
    Bug(
        "bias_not_summed_over_batch",
        _b(db="columns"),
        "Your {{\\partial L/\\partial b :: dL/db}} has one column per example (n_h, m): the bias gradient "
        "is **not summed over the batch**. The bias is shared by all m columns, so their gradients add up.",
        "sum over the columns: `dz.sum(axis=1, keepdims=True)`, shape (n_h, 1).",
        "bptt_weights",
    ),
    Bug(
        "bias_averaged_over_batch",
        _b(db="mean"),
        "Your {{\\partial L/\\partial b :: dL/db}} is the **mean** over the batch; the other gradients "
        "are sums, so this one must be a sum too.",
        "use `.sum(axis=1, keepdims=True)`, not `.mean(...)`.",
        "bptt_weights",
    ),
    Bug(
        "da0_missing",
        _b(da0="zeros"),
        "Your {{\\partial L/\\partial a_0 :: dL/da_0}} is all zeros, but {{a_0 :: a_0}} feeds the first "
        "step, so the loss depends on it.",
        "after the loop, return the gradient carried back from the first step, {{W_R^\\top "
        "\\partial L/\\partial z_1 :: W_R^T dL/dz_1}}.",
        "bptt_a0",
    ),
    Bug(
        "da0_is_da1",
        _b(da0="da1"),
        "Your {{\\partial L/\\partial a_0 :: dL/da_0}} is the gradient at {{a_1 :: a_1}} (A[0]): it was "
        "not taken back **through** the first step.",
        "return {{W_R^\\top \\partial L/\\partial z_1 :: W_R^T dL/dz_1}}, the `da_next` the loop leaves "
        "after step t = 0.",
        "bptt_a0",
    ),
    Bug(
        "W_R_not_transposed",
        _b(through="W_R"),
        "The gradient you carry back to step t-1 uses {{W_R :: W_R}} where {{W_R^\\top :: W_R^T}} belongs "
        "(a square matrix, so the shapes did not warn you).",
        "carry `W_R.T @ dz` back to the previous step.",
        "bptt_carry",
    ),
    Bug(
        "carried_without_W_R",
        _b(through="nothing"),
        "The gradient you carry back to step t-1 is {{\\partial L/\\partial z_t :: dL/dz_t}} itself: "
        "the product with {{W_R^\\top :: W_R^T}} is missing.",
        "carry `W_R.T @ dz` back to the previous step.",
        "bptt_carry",
    ),
    Bug(
        "weights_not_accumulated",
        _b(accumulate=False),
        "Your weight gradients hold the contribution of **one step only** (the last one your loop "
        "visited): they are assigned with `=` instead of summed over the steps.",
        "start from zeros and add every step's product (`dW_F += ...`): the same weights act at every step.",
        "bptt_weights",
    ),
    Bug(
        "dW_F_transposed",
        _b(dW_F_T=True),
        "Your {{\\partial L/\\partial W_F :: dL/dW_F}} is right but **transposed**, shape (n_in, n_h) "
        "instead of (n_h, n_in): a gradient has the shape of its weight.",
        "compute `dz @ X[t].T` (n_h, m) times (m, n_in).",
        "bptt_weights",
    ),
)
