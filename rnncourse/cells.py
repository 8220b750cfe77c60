"""LSTM and GRU cells in NumPy: forward and backward over a whole sequence.

Same notation as `rnncourse.rnn`: inputs x_t (n_in, m), states a_t (n_h, m), one column
per sequence of the batch, X (T, n_in, m) time-major. Every gate has its own feedforward
weights W_F^k (n_h, n_in), recurrent weights W_R^k (n_h, n_h) and bias b^k (n_h, 1),
stored in the params dict as ``"W_F_k"``, ``"W_R_k"``, ``"b_k"``. sigma is the sigmoid
and * multiplies elementwise.

LSTM (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers, Schmidhuber and
Cummins, 2000): three gates i, f, o and the candidate g, four blocks of weights
k = i, f, g, o (the order of PyTorch's ``weight_ih_l0`` blocks)::

    i_t = sigma(W_F^i x_t + W_R^i a_{t-1} + b^i)     input gate       (n_h, m)
    f_t = sigma(W_F^f x_t + W_R^f a_{t-1} + b^f)     forget gate      (n_h, m)
    g_t =  tanh(W_F^g x_t + W_R^g a_{t-1} + b^g)     candidate        (n_h, m)
    o_t = sigma(W_F^o x_t + W_R^o a_{t-1} + b^o)     output gate      (n_h, m)
    c_t = f_t * c_{t-1} + i_t * g_t                  cell state       (n_h, m)
    a_t = o_t * tanh(c_t)                            hidden state     (n_h, m)

The cell state is updated by an *addition*: dc_{t-1} = f_t * dc_t along that path, with
no weight matrix and no squashing derivative in between. While f_t is near 1 the
gradient passes unchanged (the "constant error carousel").

GRU (Cho et al., 2014): two gates r, u and the candidate g, three blocks k = r, u, g::

    r_t = sigma(W_F^r x_t + W_R^r a_{t-1} + b^r)            reset gate     (n_h, m)
    u_t = sigma(W_F^u x_t + W_R^u a_{t-1} + b^u)            update gate    (n_h, m)
    g_t =  tanh(W_F^g x_t + W_R^g (r_t * a_{t-1}) + b^g)    candidate      (n_h, m)
    a_t = u_t * a_{t-1} + (1 - u_t) * g_t                   hidden state   (n_h, m)

u_t is the share of the old state that is kept, as in Cho et al. (2014), PyTorch and
Keras; some texts (Chung et al., 2014) swap u_t and 1 - u_t. (PyTorch's ``nn.GRU`` calls
u_t "z" and applies r_t after the product, r_t * (W_R^g a_{t-1} + b_R^g); both forms work
alike.) Where u_t is near 1 the state is copied: da_{t-1} gets u_t * da_t directly.

`init`, `forward` and `backward` take the cell's name ("rnn", "lstm" or "gru"), so code
can treat the three cells alike. This module imports NumPy only.
"""

from __future__ import annotations

import numpy as np

from . import rnn
from .activations import sigmoid
from .errors import ShapeChecker, ShapeError

__all__ = [
    "LSTM_GATES",
    "GRU_GATES",
    "CELLS",
    "lstm_init_params",
    "gru_init_params",
    "lstm_cell_forward",
    "lstm_cell_backward",
    "gru_cell_forward",
    "gru_cell_backward",
    "lstm_forward",
    "lstm_backward",
    "gru_forward",
    "gru_backward",
    "init",
    "forward",
    "backward",
    "state_size",
]

LSTM_GATES = ("i", "f", "g", "o")
GRU_GATES = ("r", "u", "g")
CELLS = ("rnn", "lstm", "gru")

Params = dict[str, np.ndarray]


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------
def _init_gates(gates, n_in: int, n_h: int, seed: int, scale: float | None) -> Params:
    for name, v in (("n_in", n_in), ("n_h", n_h)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ShapeError(f"init_params: {name} must be a positive whole number, got {v!r}.")
    rng = np.random.default_rng(seed)
    s = 1.0 / np.sqrt(n_in + n_h) if scale is None else scale
    params: Params = {}
    for k in gates:
        params[f"W_F_{k}"] = rng.standard_normal((n_h, n_in)) * s  # (n_h, n_in)
        params[f"W_R_{k}"] = rng.standard_normal((n_h, n_h)) * s  # (n_h, n_h)
        params[f"b_{k}"] = np.zeros((n_h, 1))  # (n_h, 1)
    return params


def lstm_init_params(
    n_in: int,
    n_h: int,
    seed: int = 0,
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
    params = _init_gates(LSTM_GATES, n_in, n_h, seed, scale)
    params["b_f"][:] = forget_bias
    params["b_i"][:] = input_bias
    return params


def gru_init_params(
    n_in: int, n_h: int, seed: int = 0, scale: float | None = None, update_bias: float = 0.0
) -> Params:
    """Random GRU parameters: weights N(0, scale^2), biases 0 except b^u = `update_bias`.

    Returns
    -------
    params : for k in r, u, g: "W_F_k" (n_h, n_in), "W_R_k" (n_h, n_h), "b_k" (n_h, 1)
    """
    params = _init_gates(GRU_GATES, n_in, n_h, seed, scale)
    params["b_u"][:] = update_bias
    return params


def _stack(params: Params, gates, where: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The gates' weights one above the other: W_F (G n_h, n_in), W_R (G n_h, n_h), b (G n_h, 1)."""
    if not isinstance(params, dict):
        raise ShapeError(f"{where}: params must be a dict, not {type(params).__name__}.")
    keys = [f"{p}_{k}" for k in gates for p in ("W_F", "W_R", "b")]
    missing = [k for k in keys if k not in params]
    if missing:
        raise ShapeError(f"{where}: params is missing {missing}; it has {sorted(params)}.")
    chk = ShapeChecker(where)
    for k in gates:
        chk.check(f"params['W_R_{k}']", params[f"W_R_{k}"], ("n_h", "n_h"), f"recurrent weights, gate {k}")
        chk.check(f"params['W_F_{k}']", params[f"W_F_{k}"], ("n_h", "n_in"), f"feedforward weights, gate {k}")
        chk.check(f"params['b_{k}']", params[f"b_{k}"], ("n_h", "1"), f"bias of gate {k}")
    W_F = np.vstack([params[f"W_F_{k}"] for k in gates])  # (G n_h, n_in)
    W_R = np.vstack([params[f"W_R_{k}"] for k in gates])  # (G n_h, n_h)
    b = np.vstack([params[f"b_{k}"] for k in gates])  # (G n_h, 1)
    return W_F, W_R, b


def _unstack(dW_F: np.ndarray, dW_R: np.ndarray, db: np.ndarray, gates) -> Params:
    n_h = dW_R.shape[1]
    grads: Params = {}
    for j, k in enumerate(gates):
        rows = slice(j * n_h, (j + 1) * n_h)
        grads[f"W_F_{k}"] = dW_F[rows]
        grads[f"W_R_{k}"] = dW_R[rows]
        grads[f"b_{k}"] = db[rows]
    return grads


def _check_sequence(where: str, X: np.ndarray, n_in: int, n_h: int, **states) -> tuple[np.ndarray, dict]:
    chk = ShapeChecker(where, {"n_in": n_in, "n_h": n_h})
    X = chk.check("X", X, ("T", "n_in", "m"), "batch of sequences, time-major")
    out = {}
    for name, s in states.items():
        out[name] = None if s is None else chk.check(name, s, ("n_h", "m"), "initial state")
    return X, out


def _accumulate(
    grads: dict, dz: np.ndarray, x_t: np.ndarray, h_prev: np.ndarray, W_F: np.ndarray
) -> np.ndarray:
    """Add one step's share to the weight gradients; return dL/dx_t = W_F^T dz (n_in, m).

    dz : (G n_h, m) gradients at the pre-activations of the G gates, stacked
    x_t : (n_in, m), h_prev : (n_h, m) what the gates' weights multiplied at this step

    The products are done step by step: small matrix products stay on one thread,
    which is fastest for the sizes of this course.
    """
    grads["W_F"] += dz @ x_t.T  # (G n_h, n_in)
    grads["W_R"] += dz @ h_prev.T  # (G n_h, n_h)
    grads["b"] += dz.sum(axis=1, keepdims=True)  # (G n_h, 1)
    return W_F.T @ dz  # (n_in, m)


# --------------------------------------------------------------------------------------
# LSTM
# --------------------------------------------------------------------------------------
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
    cache : the gates i, f, g, o (each (n_h, m)), inputs and weights, for `lstm_cell_backward`
    """
    A, cache = lstm_forward(np.asarray(x_t)[None], params, a0=a_prev, c0=c_prev)
    return A[0], cache["C"][0], cache


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
    grads = lstm_backward(np.asarray(da_t)[None], cache, dc_last=dc_t)
    grads["x_t"] = grads.pop("X")[0]
    grads["a_prev"] = grads.pop("a0")
    grads["c_prev"] = grads.pop("c0")
    return grads


def lstm_forward(
    X: np.ndarray, params: Params, a0: np.ndarray | None = None, c0: np.ndarray | None = None
) -> tuple[np.ndarray, dict]:
    """Run an LSTM layer over a batch of sequences.

    Parameters
    ----------
    X : (T, n_in, m) inputs, time-major
    params : LSTM parameters (see `lstm_init_params`)
    a0 : (n_h, m) initial hidden state, zeros when None
    c0 : (n_h, m) initial cell state, zeros when None

    Returns
    -------
    A : (T, n_h, m) hidden states, A[t] is a_t
    cache : for `lstm_backward`; ``cache["C"]`` (T, n_h, m) holds the cell states and
        ``cache["gates"]`` (T, 4 n_h, m) the gates i, f, g, o stacked in that order
    """
    W_F, W_R, b = _stack(params, LSTM_GATES, "lstm_forward")
    n_h, n_in = W_R.shape[1], W_F.shape[1]
    X, s = _check_sequence("lstm_forward", X, n_in, n_h, a0=a0, c0=c0)
    T, _, m = X.shape
    a = np.zeros((n_h, m)) if s["a0"] is None else s["a0"]
    c = np.zeros((n_h, m)) if s["c0"] is None else s["c0"]
    a0, c0 = a, c
    A = np.empty((T, n_h, m))
    C = np.empty((T, n_h, m))
    gates = np.empty((T, 4 * n_h, m))
    for t in range(T):
        z = W_F @ X[t] + W_R @ a + b  # (4 n_h, m): the four gates at once
        gt = gates[t]
        sigmoid(z, out=gt)  # i, f and o are sigmoids ...
        np.tanh(z[2 * n_h : 3 * n_h], out=gt[2 * n_h : 3 * n_h])  # ... and g is a tanh
        i, f, g, o = gt[:n_h], gt[n_h : 2 * n_h], gt[2 * n_h : 3 * n_h], gt[3 * n_h :]
        c = f * c + i * g  # (n_h, m): the additive path
        a = o * np.tanh(c)  # (n_h, m)
        C[t], A[t] = c, a
    cache = {"X": X, "A": A, "C": C, "gates": gates, "a0": a0, "c0": c0, "W_F": W_F, "W_R": W_R}
    return A, cache


def lstm_backward(
    dA: np.ndarray, cache: dict, dc_last: np.ndarray | None = None, keep_state_grads: bool = False
) -> Params:
    """BPTT for `lstm_forward`.

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
    X, A, C, gates = cache["X"], cache["A"], cache["C"], cache["gates"]
    W_F, W_R = cache["W_F"], cache["W_R"]
    T, n_in, m = X.shape
    n_h = W_R.shape[1]
    chk = ShapeChecker("lstm_backward", {"T": T, "n_h": n_h, "m": m})
    dA = chk.check("dA", dA, ("T", "n_h", "m"), "dL/da_t from above at every step")
    dc = np.zeros((n_h, m)) if dc_last is None else chk.check("dc_last", dc_last, ("n_h", "m"), "dL/dc_T")
    C_prev = np.concatenate([cache["c0"][None], C[:-1]], axis=0)  # (T, n_h, m)
    H_prev = np.concatenate([cache["a0"][None], A[:-1]], axis=0)  # (T, n_h, m)
    acc = {"W_F": np.zeros_like(W_F), "W_R": np.zeros_like(W_R), "b": np.zeros((4 * n_h, 1))}
    dX = np.empty((T, n_in, m))
    dz = np.empty((4 * n_h, m))
    da_next = np.zeros((n_h, m))
    W_R_T = np.ascontiguousarray(W_R.T)  # (n_h, 4 n_h)
    if keep_state_grads:
        dA_state, dC_state = np.empty((T, n_h, m)), np.empty((T, n_h, m))
    for t in range(T - 1, -1, -1):
        gt = gates[t]
        i, f, g, o = gt[:n_h], gt[n_h : 2 * n_h], gt[2 * n_h : 3 * n_h], gt[3 * n_h :]
        da = dA[t] + da_next  # (n_h, m): from above + from the future
        if keep_state_grads:
            dA_state[t], dC_state[t] = da, dc
        tc = np.tanh(C[t])
        dc = dc + da * o * (1.0 - tc * tc)  # (n_h, m): through a_t + along the cell path
        dz[:n_h] = dc * g * i * (1.0 - i)  # input gate
        dz[n_h : 2 * n_h] = dc * C_prev[t] * f * (1.0 - f)  # forget gate
        dz[2 * n_h : 3 * n_h] = dc * i * (1.0 - g * g)  # candidate
        dz[3 * n_h :] = da * tc * o * (1.0 - o)  # output gate
        dX[t] = _accumulate(acc, dz, X[t], H_prev[t], W_F)
        da_next = W_R_T @ dz  # (n_h, m), to step t-1
        dc = dc * f  # (n_h, m), to c_{t-1}: no matrix, no squashing
    grads = _unstack(acc["W_F"], acc["W_R"], acc["b"], LSTM_GATES)
    grads["X"] = dX  # (T, n_in, m)
    grads["a0"] = da_next
    grads["c0"] = dc
    if keep_state_grads:
        grads["dA_state"], grads["dC_state"] = dA_state, dC_state
    return grads


# --------------------------------------------------------------------------------------
# GRU
# --------------------------------------------------------------------------------------
def gru_cell_forward(x_t: np.ndarray, a_prev: np.ndarray, params: Params) -> tuple[np.ndarray, dict]:
    """One GRU step.

    Parameters
    ----------
    x_t : (n_in, m) input at step t
    a_prev : (n_h, m) hidden state a_{t-1}
    params : GRU parameters (see `gru_init_params`)

    Returns
    -------
    a_t : (n_h, m) hidden state
    cache : the gates r, u, g (each (n_h, m)), inputs and weights, for `gru_cell_backward`
    """
    A, cache = gru_forward(np.asarray(x_t)[None], params, a0=a_prev)
    return A[0], cache


def gru_cell_backward(da_t: np.ndarray, cache: dict) -> Params:
    """Backward pass of `gru_cell_forward`.

    Parameters
    ----------
    da_t : (n_h, m) dL/da_t, everything that arrives at a_t
    cache : from `gru_cell_forward`

    Returns
    -------
    grads : per-gate "W_F_k", "W_R_k", "b_k", and "x_t" (n_in, m), "a_prev" (n_h, m).
        In a sequence, "a_prev" is *added* to the gradient step t-1 receives from above.
    """
    grads = gru_backward(np.asarray(da_t)[None], cache)
    grads["x_t"] = grads.pop("X")[0]
    grads["a_prev"] = grads.pop("a0")
    return grads


def gru_forward(X: np.ndarray, params: Params, a0: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
    """Run a GRU layer over a batch of sequences.

    Parameters
    ----------
    X : (T, n_in, m) inputs, time-major
    params : GRU parameters (see `gru_init_params`)
    a0 : (n_h, m) initial state, zeros when None

    Returns
    -------
    A : (T, n_h, m) hidden states, A[t] is a_t
    cache : for `gru_backward`; ``cache["gates"]`` (T, 3 n_h, m) holds r, u, g stacked
    """
    W_F, W_R, b = _stack(params, GRU_GATES, "gru_forward")
    n_h, n_in = W_R.shape[1], W_F.shape[1]
    X, s = _check_sequence("gru_forward", X, n_in, n_h, a0=a0)
    T, _, m = X.shape
    a = np.zeros((n_h, m)) if s["a0"] is None else s["a0"]
    a0 = a
    W_Rru, W_Rg = W_R[: 2 * n_h], W_R[2 * n_h :]  # (2 n_h, n_h), (n_h, n_h)
    A = np.empty((T, n_h, m))
    gates = np.empty((T, 3 * n_h, m))
    for t in range(T):
        gt = gates[t]
        p = W_F @ X[t] + b  # (3 n_h, m): the input's share of every gate
        sigmoid(p[: 2 * n_h] + W_Rru @ a, out=gt[: 2 * n_h])  # r and u
        r, u = gt[:n_h], gt[n_h : 2 * n_h]
        np.tanh(p[2 * n_h :] + W_Rg @ (r * a), out=gt[2 * n_h :])  # candidate g
        a = u * a + (1.0 - u) * gt[2 * n_h :]  # (n_h, m): keep or replace
        A[t] = a
    cache = {"X": X, "A": A, "gates": gates, "a0": a0, "W_F": W_F, "W_R": W_R}
    return A, cache


def gru_backward(dA: np.ndarray, cache: dict, keep_state_grads: bool = False) -> Params:
    """BPTT for `gru_forward`.

    Parameters
    ----------
    dA : (T, n_h, m) dA[t] is dL/da_t arriving from above
    cache : from `gru_forward`
    keep_state_grads : also return "dA_state" (T, n_h, m), the whole gradient at the
        state a_t (from above *plus* from the future)

    Returns
    -------
    grads : per-gate "W_F_k" (n_h, n_in), "W_R_k" (n_h, n_h), "b_k" (n_h, 1) for
        k = r, u, g, and "X" (T, n_in, m), "a0" (n_h, m)

    The gradient sent back to a_{t-1} is the sum of four paths: the copy u_t * da_t,
    the candidate through W_R^g and r_t, and the two gates through W_R^r and W_R^u.
    """
    X, A, gates = cache["X"], cache["A"], cache["gates"]
    W_F, W_R = cache["W_F"], cache["W_R"]
    T, n_in, m = X.shape
    n_h = W_R.shape[1]
    chk = ShapeChecker("gru_backward", {"T": T, "n_h": n_h, "m": m})
    dA = chk.check("dA", dA, ("T", "n_h", "m"), "dL/da_t from above at every step")
    H_prev = np.concatenate([cache["a0"][None], A[:-1]], axis=0)  # (T, n_h, m)
    W_Rru_T = np.ascontiguousarray(W_R[: 2 * n_h].T)  # (n_h, 2 n_h)
    W_Rg_T = np.ascontiguousarray(W_R[2 * n_h :].T)  # (n_h, n_h)
    dW_F, dW_R, db = np.zeros_like(W_F), np.zeros_like(W_R), np.zeros((3 * n_h, 1))
    dX = np.empty((T, n_in, m))
    dz = np.empty((3 * n_h, m))
    da_next = np.zeros((n_h, m))
    if keep_state_grads:
        dA_state = np.empty((T, n_h, m))
    for t in range(T - 1, -1, -1):
        gt = gates[t]
        r, u, g = gt[:n_h], gt[n_h : 2 * n_h], gt[2 * n_h :]
        a_prev = H_prev[t]
        da = dA[t] + da_next  # (n_h, m): from above + from the future
        if keep_state_grads:
            dA_state[t] = da
        dz[2 * n_h :] = da * (1.0 - u) * (1.0 - g * g)  # candidate
        dra = W_Rg_T @ dz[2 * n_h :]  # (n_h, m): dL/d(r_t * a_{t-1})
        dz[:n_h] = dra * a_prev * r * (1.0 - r)  # reset gate
        dz[n_h : 2 * n_h] = da * (a_prev - g) * u * (1.0 - u)  # update gate
        da_next = da * u + dra * r + W_Rru_T @ dz[: 2 * n_h]  # (n_h, m), to step t-1
        dW_F += dz @ X[t].T  # (3 n_h, n_in)
        dW_R[: 2 * n_h] += dz[: 2 * n_h] @ a_prev.T  # (2 n_h, n_h): r and u multiply a_{t-1} ...
        dW_R[2 * n_h :] += dz[2 * n_h :] @ (r * a_prev).T  # (n_h, n_h): ... W_R^g multiplies r_t * a_{t-1}
        db += dz.sum(axis=1, keepdims=True)
        dX[t] = W_F.T @ dz  # (n_in, m)
    grads = _unstack(dW_F, dW_R, db, GRU_GATES)
    grads["X"] = dX  # (T, n_in, m)
    grads["a0"] = da_next
    if keep_state_grads:
        grads["dA_state"] = dA_state
    return grads


# --------------------------------------------------------------------------------------
# The three cells by name
# --------------------------------------------------------------------------------------
def _check_cell(cell: str, where: str) -> str:
    if cell not in CELLS:
        raise ValueError(f"{where}: unknown cell {cell!r}; choose one of {', '.join(CELLS)}.")
    return cell


def init(cell: str, n_in: int, n_h: int, seed: int = 0, **kwargs) -> Params:
    """Parameters for the cell named "rnn", "lstm" or "gru" (keyword arguments go to its init)."""
    _check_cell(cell, "init")
    if cell == "rnn":
        return rnn.init_params(n_in, n_h, seed=seed, **kwargs)
    if cell == "lstm":
        return lstm_init_params(n_in, n_h, seed=seed, **kwargs)
    return gru_init_params(n_in, n_h, seed=seed, **kwargs)


def forward(
    cell: str, X: np.ndarray, params: Params, a0: np.ndarray | None = None, activation: str = "tanh"
) -> tuple[np.ndarray, dict]:
    """Run the named cell over X (T, n_in, m); returns A (T, n_h, m) and a cache for `backward`.

    `activation` is used by the plain RNN only (gated cells use sigmoid and tanh).
    The LSTM's cell state starts at zero.
    """
    _check_cell(cell, "forward")
    if cell == "rnn":
        A, cache = rnn.forward(X, params, a0=a0, activation=activation)
    elif cell == "lstm":
        A, cache = lstm_forward(X, params, a0=a0)
    else:
        A, cache = gru_forward(X, params, a0=a0)
    cache["cell"] = cell
    return A, cache


def backward(dA: np.ndarray, cache: dict) -> Params:
    """BPTT for `forward`: dA (T, n_h, m) from above -> gradients of params, "X" and "a0"."""
    cell = cache["cell"]
    if cell == "rnn":
        return rnn.backward(dA, cache)
    if cell == "lstm":
        return lstm_backward(dA, cache)
    return gru_backward(dA, cache)


def state_size(cell: str, n_h: int) -> int:
    """How many numbers the cell carries from step to step: n_h, or 2 n_h for the LSTM (a and c)."""
    return 2 * n_h if _check_cell(cell, "state_size") == "lstm" else n_h
