"""The GRU cell in NumPy, in both conventions: one step and its backward, then the loop.

Same notation as `rnncourse.rnn` and `rnncourse.lstm`. Two gates r, u and the candidate
g, three blocks k = r, u, g (the order of PyTorch's r, z, n)::

    r_t = sigma(W_F^r x_t + W_R^r a_{t-1} + b^r)            reset gate     (n_h, m)
    u_t = sigma(W_F^u x_t + W_R^u a_{t-1} + b^u)            update gate    (n_h, m)
    a_t = u_t * a_{t-1} + (1 - u_t) * g_t                   hidden state   (n_h, m)

and the candidate g_t in one of two forms:

- reset *before* the product (Cho et al., 2014; Keras with ``reset_after=False``)::

    g_t = tanh(W_F^g x_t + W_R^g (r_t * a_{t-1}) + b^g)

- reset *after* the product (PyTorch's ``nn.GRU``, cuDNN, Keras's default
  ``reset_after=True``), with its own recurrent bias b_R^g (n_h, 1)::

    g_t = tanh(W_F^g x_t + b^g + r_t * (W_R^g a_{t-1} + b_R^g))

The params decide: made with ``gru_init_params(..., reset_after=True)`` they hold the
extra ``"b_R_g"``, and every function here then applies the reset after the product.
Mapping onto PyTorch: W_F^k, W_R^k are the blocks r, z, n of ``weight_ih_l0`` and
``weight_hh_l0``; b^r = b_ir + b_hr, b^u = b_iz + b_hz, b^g = b_in, b_R^g = b_hn.

u_t is the share of the old state that is kept, as in Cho et al. (2014), PyTorch and
Keras; some texts (Chung et al., 2014) swap u_t and 1 - u_t. Where u_t is near 1 the
state is copied: da_{t-1} gets u_t * da_t directly. Notebook 11.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import gates as _gates
from .activations import sigmoid
from .errors import ShapeChecker, check_cache

__all__ = [
    "GRU_GATES",
    "gru_init_params",
    "gru_cell_forward",
    "gru_cell_backward",
    "gru_forward",
    "gru_backward",
]

GRU_GATES = ("r", "u", "g")

Params = dict[str, np.ndarray]


def gru_init_params(
    n_in: int,
    n_h: int,
    seed: Any = 0,
    scale: float | None = None,
    update_bias: float = 0.0,
    reset_after: bool = False,
) -> Params:
    """Random GRU parameters: weights N(0, scale^2), biases 0 except b^u = `update_bias`.

    Returns
    -------
    params : for k in r, u, g: "W_F_k" (n_h, n_in), "W_R_k" (n_h, n_h), "b_k" (n_h, 1);
        with `reset_after` also "b_R_g" (n_h, 1), the recurrent bias of the candidate
    """
    params = _gates.init_gates("gru_init_params", GRU_GATES, n_in, n_h, seed, scale)
    params["b_u"][:] = update_bias
    if reset_after:
        params["b_R_g"] = np.zeros((n_h, 1))  # (n_h, 1)
    return params


def _weights(params: Any, where: str, chk: ShapeChecker) -> tuple:
    """Stacked W_F (3 n_h, n_in), W_R (3 n_h, n_h), b (3 n_h, 1), and b_R^g (n_h, 1) or None."""
    W_F, W_R, b = _gates.stack(params, GRU_GATES, where, chk)
    b_Rg = params.get("b_R_g")
    if b_Rg is not None:
        b_Rg = chk.check("params['b_R_g']", b_Rg, ("n_h", "1"), "recurrent bias of the candidate")
    return W_F, W_R, b, b_Rg


# --------------------------------------------------------------------------------------
# One step
# --------------------------------------------------------------------------------------
def _step(x_t, a_prev, W_F, W_R, b, b_Rg) -> tuple[np.ndarray, dict]:
    """`gru_cell_forward` on stacked weights, without checks: the loop calls this."""
    n_h = W_R.shape[1]
    p = W_F @ x_t + b  # (3 n_h, m): the input's share of every gate
    gt = np.empty_like(p)  # (3 n_h, m): r, u, g
    sigmoid(p[: 2 * n_h] + W_R[: 2 * n_h] @ a_prev, out=gt[: 2 * n_h])  # r and u
    r, u = gt[:n_h], gt[n_h : 2 * n_h]
    if b_Rg is None:  # reset before the product
        q = r * a_prev  # (n_h, m)
        np.tanh(p[2 * n_h :] + W_R[2 * n_h :] @ q, out=gt[2 * n_h :])
    else:  # reset after the product
        q = W_R[2 * n_h :] @ a_prev + b_Rg  # (n_h, m)
        np.tanh(p[2 * n_h :] + r * q, out=gt[2 * n_h :])
    a_t = u * a_prev + (1.0 - u) * gt[2 * n_h :]  # (n_h, m): keep or replace
    cache = {"x_t": x_t, "a_prev": a_prev, "gates": gt, "q": q, "W_F": W_F, "W_R": W_R,
             "reset_after": b_Rg is not None}  # fmt: skip
    return a_t, cache


def _step_backward(da_t, cache) -> dict[str, np.ndarray]:
    """`gru_cell_backward` with stacked weight gradients (3 n_h rows), without checks.

    The gradient sent back to a_{t-1} is the sum of four paths: the copy u_t * da_t,
    the candidate through W_R^g (and r_t), and the two gates through W_R^r and W_R^u.
    """
    gt, q, a_prev, W_F, W_R = cache["gates"], cache["q"], cache["a_prev"], cache["W_F"], cache["W_R"]
    n_h = W_R.shape[1]
    r, u, g = gt[:n_h], gt[n_h : 2 * n_h], gt[2 * n_h :]
    dz = np.empty_like(gt)  # (3 n_h, m): dL/d(pre-activation) of r, u, g
    dz[2 * n_h :] = da_t * (1.0 - u) * (1.0 - g * g)  # candidate
    dz[n_h : 2 * n_h] = da_t * (a_prev - g) * u * (1.0 - u)  # update gate
    dW_R = np.empty_like(W_R)  # (3 n_h, n_h)
    out: dict[str, np.ndarray] = {}
    if cache["reset_after"]:
        dq = dz[2 * n_h :] * r  # (n_h, m): dL/d(W_R^g a_{t-1} + b_R^g)
        dz[:n_h] = dz[2 * n_h :] * q * r * (1.0 - r)  # reset gate
        dW_R[2 * n_h :] = dq @ a_prev.T  # (n_h, n_h)
        da_prev = W_R[2 * n_h :].T @ dq  # (n_h, m)
        out["b_R_g"] = dq.sum(axis=1, keepdims=True)  # (n_h, 1)
    else:
        dq = W_R[2 * n_h :].T @ dz[2 * n_h :]  # (n_h, m): dL/d(r_t * a_{t-1})
        dz[:n_h] = dq * a_prev * r * (1.0 - r)  # reset gate
        dW_R[2 * n_h :] = dz[2 * n_h :] @ q.T  # (n_h, n_h): W_R^g multiplies r_t * a_{t-1}
        da_prev = dq * r  # (n_h, m)
    dW_R[: 2 * n_h] = dz[: 2 * n_h] @ a_prev.T  # (2 n_h, n_h): r and u multiply a_{t-1}
    da_prev += da_t * u + W_R[: 2 * n_h].T @ dz[: 2 * n_h]  # (n_h, m): the copy and the gates
    out.update({
        "W_F": dz @ cache["x_t"].T,  # (3 n_h, n_in)
        "W_R": dW_R,
        "b": dz.sum(axis=1, keepdims=True),  # (3 n_h, 1)
        "x_t": W_F.T @ dz,  # (n_in, m)
        "a_prev": da_prev,
    })  # fmt: skip
    return out


def gru_cell_forward(x_t: np.ndarray, a_prev: np.ndarray, params: Params) -> tuple[np.ndarray, dict]:
    """One GRU step (reset after the product when `params` hold "b_R_g").

    Parameters
    ----------
    x_t : (n_in, m) input at step t
    a_prev : (n_h, m) hidden state a_{t-1}
    params : GRU parameters (see `gru_init_params`)

    Returns
    -------
    a_t : (n_h, m) hidden state
    cache : the gates r, u, g stacked ("gates", (3 n_h, m)), inputs and weights,
        for `gru_cell_backward`
    """
    chk = ShapeChecker("gru_cell_forward")
    W_F, W_R, b, b_Rg = _weights(params, "gru_cell_forward", chk)
    x_t, a_prev = _gates.check_inputs(chk, "x_t", x_t, ("n_in", "m"), a_prev=a_prev)
    if a_prev is None:
        a_prev = np.zeros((W_R.shape[1], x_t.shape[1]))  # (n_h, m)
    return _step(x_t, a_prev, W_F, W_R, b, b_Rg)


def gru_cell_backward(da_t: np.ndarray, cache: dict) -> Params:
    """Backward pass of `gru_cell_forward`.

    Parameters
    ----------
    da_t : (n_h, m) dL/da_t, everything that arrives at a_t
    cache : from `gru_cell_forward`

    Returns
    -------
    grads : per-gate "W_F_k", "W_R_k", "b_k" (and "b_R_g" when the reset comes after
        the product), "x_t" (n_in, m), "a_prev" (n_h, m). In a sequence, "a_prev" is
        *added* to the gradient step t-1 receives from above.
    """
    keys = ("gates", "q", "a_prev", "x_t", "W_F", "W_R", "reset_after")
    check_cache("gru_cell_backward", cache, keys, "gru_cell_forward")
    n_h, m = cache["a_prev"].shape
    da_t = ShapeChecker("gru_cell_backward", {"n_h": n_h, "m": m}).check(
        "da_t", da_t, ("n_h", "m"), "dL/da_t"
    )
    g = _step_backward(da_t, cache)
    grads = {**_gates.unstack(g, GRU_GATES), "x_t": g["x_t"], "a_prev": g["a_prev"]}
    if "b_R_g" in g:
        grads["b_R_g"] = g["b_R_g"]
    return grads


# --------------------------------------------------------------------------------------
# A whole sequence: the loop over the step
# --------------------------------------------------------------------------------------
def gru_forward(X: np.ndarray, params: Params, a0: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
    """Run a GRU layer over a batch of sequences: the loop over `gru_cell_forward`.

    Parameters
    ----------
    X : (T, n_in, m) inputs, time-major
    params : GRU parameters (see `gru_init_params`)
    a0 : (n_h, m) initial state, zeros when None

    Returns
    -------
    A : (T, n_h, m) hidden states, A[t] is a_t
    cache : for `gru_backward`; ``cache["steps"]`` holds the cache of every step and
        ``cache["gates"]`` (T, 3 n_h, m) the gates r, u, g stacked
    """
    chk = ShapeChecker("gru_forward")
    W_F, W_R, b, b_Rg = _weights(params, "gru_forward", chk)
    X, a0 = _gates.check_inputs(chk, "X", X, ("T", "n_in", "m"), a0=a0)
    T, _, m = X.shape
    n_h = W_R.shape[1]
    a = np.zeros((n_h, m)) if a0 is None else a0
    A, steps = np.empty((T, n_h, m)), []
    for t in range(T):
        a, step_cache = _step(X[t], a, W_F, W_R, b, b_Rg)  # gru_cell_forward, checked once above
        A[t] = a
        steps.append(step_cache)
    gates = np.stack([s["gates"] for s in steps])  # (T, 3 n_h, m)
    return A, {"steps": steps, "X": X, "A": A, "gates": gates, "W_F": W_F, "W_R": W_R,
               "reset_after": b_Rg is not None}  # fmt: skip


def gru_backward(dA: np.ndarray, cache: dict, keep_state_grads: bool = False) -> Params:
    """BPTT for `gru_forward`: the loop over `gru_cell_backward`.

    Parameters
    ----------
    dA : (T, n_h, m) dA[t] is dL/da_t arriving from above
    cache : from `gru_forward`
    keep_state_grads : also return "dA_state" (T, n_h, m), the whole gradient at the
        state a_t (from above *plus* from the future)

    Returns
    -------
    grads : per-gate "W_F_k" (n_h, n_in), "W_R_k" (n_h, n_h), "b_k" (n_h, 1) for
        k = r, u, g (and "b_R_g" when the reset comes after the product),
        and "X" (T, n_in, m), "a0" (n_h, m)
    """
    check_cache("gru_backward", cache, ("A", "X", "W_F", "W_R", "steps", "reset_after"), "gru_forward")
    T, n_h, m = cache["A"].shape
    chk = ShapeChecker("gru_backward", {"T": T, "n_h": n_h, "m": m})
    dA = chk.check("dA", dA, ("T", "n_h", "m"), "dL/da_t from above at every step")
    acc = {
        "W_F": np.zeros_like(cache["W_F"]),
        "W_R": np.zeros_like(cache["W_R"]),
        "b": np.zeros((3 * n_h, 1)),
    }
    if cache["reset_after"]:
        acc["b_R_g"] = np.zeros((n_h, 1))
    dX = np.empty(cache["X"].shape)  # (T, n_in, m)
    da_next = np.zeros((n_h, m))  # carried back from step t+1
    dA_state = np.empty((T, n_h, m))
    for t in range(T - 1, -1, -1):
        da = dA[t] + da_next  # (n_h, m): from above + from the future
        dA_state[t] = da
        g = _step_backward(da, cache["steps"][t])  # gru_cell_backward
        for k in acc:
            acc[k] += g[k]  # every step shares the same weights
        dX[t], da_next = g["x_t"], g["a_prev"]
    grads = {**_gates.unstack(acc, GRU_GATES), "X": dX, "a0": da_next}
    if cache["reset_after"]:
        grads["b_R_g"] = acc["b_R_g"]
    if keep_state_grads:
        grads["dA_state"] = dA_state
    return grads
