"""The LSTM cell in NumPy: one step and its backward, then the loop over the sequence.

Same notation as `rnncourse.rnn`: inputs x_t (n_in, m), states a_t (n_h, m), one column
per sequence of the batch, X (T, n_in, m) time-major. Gate k has W_F^k (n_h, n_in),
W_R^k (n_h, n_h) and b^k (n_h, 1), stored as ``"W_F_k"``, ``"W_R_k"``, ``"b_k"``
(see `rnncourse.gates`). sigma is the sigmoid and * multiplies elementwise.

LSTM (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers, Schmidhuber and
Cummins, 2000): three gates i, f, o and the candidate g, four blocks k = i, f, g, o
(the order of PyTorch's ``weight_ih_l0`` blocks)::

    i_t = sigma(W_F^i x_t + W_R^i a_{t-1} + b^i)     input gate       (n_h, m)
    f_t = sigma(W_F^f x_t + W_R^f a_{t-1} + b^f)     forget gate      (n_h, m)
    g_t =  tanh(W_F^g x_t + W_R^g a_{t-1} + b^g)     candidate        (n_h, m)
    o_t = sigma(W_F^o x_t + W_R^o a_{t-1} + b^o)     output gate      (n_h, m)
    c_t = f_t * c_{t-1} + i_t * g_t                  cell state       (n_h, m)
    a_t = o_t * tanh(c_t)                            hidden state     (n_h, m)

The cell state is updated by an *addition*: dc_{t-1} = f_t * dc_t along that path, with
no weight matrix and no squashing derivative in between. While f_t is near 1 the
gradient passes unchanged (the "constant error carousel").

`lstm_forward` is the loop over the step and `lstm_backward` the loop over the step's
backward, as `rnncourse.rnn.forward` / `backward` are for the plain cell. There is no
faster variant: at the sizes of notebooks 10 and 11 the step's own four-gate product
is the work. Left out: peepholes, projections, several layers. Notebook 11.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import gates as _gates
from .activations import sigmoid
from .errors import ShapeChecker, check_cache

__all__ = [
    "LSTM_GATES",
    "lstm_init_params",
    "lstm_cell_forward",
    "lstm_cell_backward",
    "lstm_forward",
    "lstm_backward",
]

LSTM_GATES = ("i", "f", "g", "o")

Params = dict[str, np.ndarray]


def lstm_init_params(
    n_in: int,
    n_h: int,
    seed: Any = 0,
    scale: float | None = None,
    forget_bias: float = 1.0,
    input_bias: float = 0.0,
) -> Params:
    """Random LSTM parameters: weights N(0, scale^2), biases 0 except b^f and b^i.

    A positive `forget_bias` starts the forget gate near 1 (sigma(1) = 0.73, sigma(5) =
    0.993), so the cell state, and its gradient, survive many steps from the start of
    training. A negative `input_bias` starts the input gate nearly closed, so the cell
    does not fill up with whatever arrives while it is remembering. The default b^f = 1
    is the usual choice (Keras's ``unit_forget_bias=True``); 5 suits very long lags.

    Returns
    -------
    params : for k in i, f, g, o: "W_F_k" (n_h, n_in), "W_R_k" (n_h, n_h), "b_k" (n_h, 1)
    """
    params = _gates.init_gates("lstm_init_params", LSTM_GATES, n_in, n_h, seed, scale)
    params["b_f"][:] = forget_bias
    params["b_i"][:] = input_bias
    return params


# --------------------------------------------------------------------------------------
# One step
# --------------------------------------------------------------------------------------
def _step(x_t, a_prev, c_prev, W_F, W_R, b) -> tuple[np.ndarray, np.ndarray, dict]:
    """`lstm_cell_forward` on stacked weights, without checks: the loop calls this."""
    n_h = W_R.shape[1]
    z = W_F @ x_t + W_R @ a_prev + b  # (4 n_h, m): the four gates at once
    gt = sigmoid(z)  # (4 n_h, m): i, f and o are sigmoids ...
    np.tanh(z[2 * n_h : 3 * n_h], out=gt[2 * n_h : 3 * n_h])  # ... and g is a tanh
    i, f, g, o = gt[:n_h], gt[n_h : 2 * n_h], gt[2 * n_h : 3 * n_h], gt[3 * n_h :]
    c_t = f * c_prev + i * g  # (n_h, m): the additive path
    tc = np.tanh(c_t)  # (n_h, m)
    a_t = o * tc  # (n_h, m)
    cache = {"x_t": x_t, "a_prev": a_prev, "c_prev": c_prev, "c_t": c_t, "tanh_c": tc, "gates": gt,
             "W_F": W_F, "W_R": W_R}  # fmt: skip
    return a_t, c_t, cache


def _step_backward(da_t, dc_t, cache) -> dict[str, np.ndarray]:
    """`lstm_cell_backward` with stacked weight gradients (4 n_h rows), without checks."""
    gt, tc, W_F, W_R = cache["gates"], cache["tanh_c"], cache["W_F"], cache["W_R"]
    n_h = W_R.shape[1]
    i, f, g, o = gt[:n_h], gt[n_h : 2 * n_h], gt[2 * n_h : 3 * n_h], gt[3 * n_h :]
    dc = dc_t + da_t * o * (1.0 - tc * tc)  # (n_h, m): through a_t + along the cell path
    dz = np.empty_like(gt)  # (4 n_h, m): dL/d(pre-activation) of each gate
    dz[:n_h] = dc * g * i * (1.0 - i)  # input gate
    dz[n_h : 2 * n_h] = dc * cache["c_prev"] * f * (1.0 - f)  # forget gate
    dz[2 * n_h : 3 * n_h] = dc * i * (1.0 - g * g)  # candidate
    dz[3 * n_h :] = da_t * tc * o * (1.0 - o)  # output gate
    return {
        "W_F": dz @ cache["x_t"].T,  # (4 n_h, n_in)
        "W_R": dz @ cache["a_prev"].T,  # (4 n_h, n_h)
        "b": dz.sum(axis=1, keepdims=True),  # (4 n_h, 1)
        "x_t": W_F.T @ dz,  # (n_in, m)
        "a_prev": W_R.T @ dz,  # (n_h, m)
        "c_prev": dc * f,  # (n_h, m): no matrix, no squashing
    }


def lstm_cell_forward(
    x_t: np.ndarray, a_prev: np.ndarray, c_prev: np.ndarray, params: Params
) -> tuple[np.ndarray, np.ndarray, dict]:
    """One LSTM step.

    Parameters
    ----------
    x_t : (n_in, m) input at step t
    a_prev : (n_h, m) hidden state a_{t-1}
    c_prev : (n_h, m) cell state c_{t-1}
    params : LSTM parameters (see `lstm_init_params`)

    Returns
    -------
    a_t : (n_h, m) hidden state
    c_t : (n_h, m) cell state
    cache : the gates i, f, g, o stacked ("gates", (4 n_h, m)), inputs and weights,
        for `lstm_cell_backward`
    """
    chk = ShapeChecker("lstm_cell_forward")
    W_F, W_R, b = _gates.stack(params, LSTM_GATES, "lstm_cell_forward", chk)
    x_t, a_prev, c_prev = _gates.check_inputs(chk, "x_t", x_t, ("n_in", "m"), a_prev=a_prev, c_prev=c_prev)
    zeros = np.zeros((W_R.shape[1], x_t.shape[1]))  # (n_h, m), for a state passed as None
    return _step(x_t, zeros if a_prev is None else a_prev, zeros if c_prev is None else c_prev, W_F, W_R, b)


def lstm_cell_backward(da_t: np.ndarray, dc_t: np.ndarray, cache: dict) -> Params:
    """Backward pass of `lstm_cell_forward`.

    Parameters
    ----------
    da_t : (n_h, m) dL/da_t, everything that arrives at a_t
    dc_t : (n_h, m) dL/dc_t arriving from step t+1 (zeros at the last step)
    cache : from `lstm_cell_forward`

    Returns
    -------
    grads : per-gate "W_F_k", "W_R_k", "b_k", and "x_t" (n_in, m), "a_prev" (n_h, m),
        "c_prev" (n_h, m). In a sequence, "a_prev" and "c_prev" flow back to step t-1,
        where "a_prev" is *added* to the gradient that step receives from above.
    """
    keys = ("gates", "tanh_c", "c_t", "c_prev", "x_t", "a_prev", "W_F", "W_R")
    check_cache("lstm_cell_backward", cache, keys, "lstm_cell_forward")
    n_h, m = cache["c_t"].shape
    chk = ShapeChecker("lstm_cell_backward", {"n_h": n_h, "m": m})
    da_t = chk.check("da_t", da_t, ("n_h", "m"), "dL/da_t")
    dc_t = chk.check("dc_t", dc_t, ("n_h", "m"), "dL/dc_t from step t+1")
    g = _step_backward(da_t, dc_t, cache)
    return {**_gates.unstack(g, LSTM_GATES), "x_t": g["x_t"], "a_prev": g["a_prev"], "c_prev": g["c_prev"]}


# --------------------------------------------------------------------------------------
# A whole sequence: the loop over the step
# --------------------------------------------------------------------------------------
def lstm_forward(
    X: np.ndarray, params: Params, a0: np.ndarray | None = None, c0: np.ndarray | None = None
) -> tuple[np.ndarray, dict]:
    """Run an LSTM layer over a batch of sequences: the loop over `lstm_cell_forward`.

    Parameters
    ----------
    X : (T, n_in, m) inputs, time-major
    params : LSTM parameters (see `lstm_init_params`)
    a0 : (n_h, m) initial hidden state, zeros when None
    c0 : (n_h, m) initial cell state, zeros when None

    Returns
    -------
    A : (T, n_h, m) hidden states, A[t] is a_t
    cache : for `lstm_backward`; ``cache["steps"]`` holds the cache of every step,
        ``cache["C"]`` (T, n_h, m) the cell states and ``cache["gates"]`` (T, 4 n_h, m)
        the gates i, f, g, o stacked in that order
    """
    chk = ShapeChecker("lstm_forward")
    W_F, W_R, b = _gates.stack(params, LSTM_GATES, "lstm_forward", chk)
    X, a0, c0 = _gates.check_inputs(chk, "X", X, ("T", "n_in", "m"), a0=a0, c0=c0)
    T, _, m = X.shape
    n_h = W_R.shape[1]
    a = np.zeros((n_h, m)) if a0 is None else a0
    c = np.zeros((n_h, m)) if c0 is None else c0
    A, C, steps = np.empty((T, n_h, m)), np.empty((T, n_h, m)), []
    for t in range(T):
        a, c, step_cache = _step(X[t], a, c, W_F, W_R, b)  # lstm_cell_forward, checked once above
        A[t], C[t] = a, c
        steps.append(step_cache)
    gates = np.stack([s["gates"] for s in steps])  # (T, 4 n_h, m)
    return A, {"steps": steps, "X": X, "A": A, "C": C, "gates": gates, "W_F": W_F, "W_R": W_R}


def lstm_backward(
    dA: np.ndarray, cache: dict, dc_last: np.ndarray | None = None, keep_state_grads: bool = False
) -> Params:
    """BPTT for `lstm_forward`: the loop over `lstm_cell_backward`.

    Parameters
    ----------
    dA : (T, n_h, m) dA[t] is dL/da_t arriving from above (the loss or a next layer)
    cache : from `lstm_forward`
    dc_last : (n_h, m) optional dL/dc_T from beyond the sequence (zeros when None)
    keep_state_grads : also return "dA_state" and "dC_state" (T, n_h, m): the gradient
        with respect to the state (a_t, c_t) that step t hands to step t+1, that is
        dL/da_t (from above *plus* from the future) and dL/dc_t along the cell path
        only (f_{t+1} * dL/dc_{t+1}; zero at the last step)

    Returns
    -------
    grads : per-gate "W_F_k" (n_h, n_in), "W_R_k" (n_h, n_h), "b_k" (n_h, 1) for
        k = i, f, g, o, and "X" (T, n_in, m), "a0" (n_h, m), "c0" (n_h, m)

    Walking back, the gradient at a_t is dA[t] *plus* what step t+1 sends back through
    the four W_R^k; the gradient at c_t is what reaches it through a_t plus f_{t+1} times
    the one at c_{t+1}: the additive path of the cell state.
    """
    check_cache("lstm_backward", cache, ("A", "X", "W_F", "W_R", "steps"), "lstm_forward")
    check_cache("lstm_backward", cache["steps"][0], ("gates", "tanh_c", "c_prev"), "lstm_forward")
    T, n_h, m = cache["A"].shape
    chk = ShapeChecker("lstm_backward", {"T": T, "n_h": n_h, "m": m})
    dA = chk.check("dA", dA, ("T", "n_h", "m"), "dL/da_t from above at every step")
    dc = np.zeros((n_h, m)) if dc_last is None else chk.check("dc_last", dc_last, ("n_h", "m"), "dL/dc_T")
    acc = {
        "W_F": np.zeros_like(cache["W_F"]),
        "W_R": np.zeros_like(cache["W_R"]),
        "b": np.zeros((4 * n_h, 1)),
    }
    dX = np.empty(cache["X"].shape)  # (T, n_in, m)
    da_next = np.zeros((n_h, m))  # carried back from step t+1
    dA_state, dC_state = np.empty((T, n_h, m)), np.empty((T, n_h, m))
    for t in range(T - 1, -1, -1):
        da = dA[t] + da_next  # (n_h, m): from above + from the future
        dA_state[t], dC_state[t] = da, dc
        g = _step_backward(da, dc, cache["steps"][t])  # lstm_cell_backward
        for k in acc:
            acc[k] += g[k]  # every step shares the same weights
        dX[t], da_next, dc = g["x_t"], g["a_prev"], g["c_prev"]
    grads = {**_gates.unstack(acc, LSTM_GATES), "X": dX, "a0": da_next, "c0": dc}
    if keep_state_grads:
        grads["dA_state"], grads["dC_state"] = dA_state, dC_state
    return grads
