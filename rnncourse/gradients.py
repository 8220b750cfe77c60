"""Gradients through time: how dL/da_t shrinks or grows as it travels back.

With a loss L at the last step T only, BPTT carries the gradient back one step at a time:

    dL/da_{t-1} = W_R^T (f'(z_t) * dL/da_t)        (* is elementwise)

so dL/da_t is the product of T - t step Jacobians J_s = da_s/da_{s-1} = diag(f'(z_s)) W_R
applied to dL/da_T. Each one stretches a vector by at most |f'| times the largest singular
value of W_R, so for k = T - t steps back

    ||dL/da_t|| <= (gamma * sigma_max(W_R))^k * ||dL/da_T||

where gamma is the largest value of |f'| (Pascanu, Mikolov and Bengio, 2013):

==========  =====  ================================================================
activation  gamma  what the bound says
==========  =====  ================================================================
tanh        1      sigma_max < 1 is enough for the gradient to vanish geometrically
sigmoid     1/4    it vanishes already for sigma_max < 4
relu        1      f' is 0 or 1: the bound is that of tanh, but active units do not
                   saturate, so growth when sigma_max > 1 is not damped by f'
linear      1      f' = 1: no damping at all; with W_R = s times an orthogonal matrix
                   the bound is reached exactly, ||dL/da_t|| = s^(T-t)
==========  =====  ================================================================

Below 1/gamma the gradient must vanish. Above it, it *may* explode (the bound is an
upper limit, and saturating units pull it down). This module imports NumPy only.
"""

from __future__ import annotations

import math

import numpy as np

from . import rnn
from .activations import GAMMA, check_activation, derivative
from .optim import clip_by_norm, clip_by_value

__all__ = [
    "sigma_max",
    "scale_to_sigma_max",
    "jacobian_bound",
    "step_jacobians",
    "gradient_flow",
    "gradient_norms",
    "unit_direction",
    "state_gradient_norms",
    "verdict",
    "cliff_loss",
    "cliff_loss_and_grad",
    "cliff_descent",
]


def sigma_max(W: np.ndarray) -> float:
    """The largest singular value of a matrix W (its spectral norm, ||W||_2)."""
    return float(np.linalg.norm(np.asarray(W, dtype=np.float64), 2))


def scale_to_sigma_max(W: np.ndarray, s: float) -> np.ndarray:
    """A copy of W multiplied by a number so that its largest singular value is `s`.

    Parameters
    ----------
    W : (n, k) any matrix that is not all zeros, e.g. W_R (n_h, n_h)
    s : the largest singular value wanted, >= 0

    Returns
    -------
    W_s : same shape as W, equal to ``W * s / sigma_max(W)``; the directions (singular
        vectors) and the ratios of the singular values are kept.
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2:
        raise ValueError(f"scale_to_sigma_max: W must be a matrix (2-D), got shape {W.shape}.")
    if not (np.isfinite(s) and s >= 0):
        raise ValueError(f"scale_to_sigma_max: s must be a finite number >= 0, got {s!r}.")
    current = sigma_max(W)
    if current == 0.0:
        raise ValueError("scale_to_sigma_max: W is all zeros, so no factor can give it a singular value.")
    return W * (s / current)


def jacobian_bound(s: float, activation: str, k: int | np.ndarray) -> float | np.ndarray:
    """Upper bound (gamma * s)^k on the norm of a product of k step Jacobians.

    Parameters
    ----------
    s : sigma_max(W_R), the largest singular value of the recurrent weights
    activation : "tanh" (gamma = 1), "sigmoid" (gamma = 1/4), "relu" (1) or "linear" (1)
    k : number of steps back (an int or an array of ints, >= 0)

    Returns
    -------
    bound : same shape as k. ``||dL/da_{T-k}|| <= bound * ||dL/da_T||`` for a loss at step T.
    """
    check_activation(activation, "jacobian_bound")
    k_arr = np.asarray(k)
    if np.any(k_arr < 0):
        raise ValueError("jacobian_bound: k counts steps back and must be >= 0.")
    with np.errstate(over="ignore"):
        out = np.power(GAMMA[activation] * float(s), k_arr.astype(np.float64))
    return float(out) if np.ndim(out) == 0 else out


def step_jacobians(
    params: dict, X: np.ndarray, activation: str = "tanh", a0: np.ndarray | None = None, sequence: int = 0
) -> np.ndarray:
    """The step Jacobians J_t = da_t/da_{t-1} = diag(f'(z_t)) W_R of one sequence.

    Parameters
    ----------
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}
    X : (T, n_in, m) inputs; only column `sequence` is used
    activation : "tanh", "sigmoid", "relu" or "linear"
    a0 : (n_h, m) initial state, zeros when None
    sequence : which column of the batch

    Returns
    -------
    J : (T, n_h, n_h) with J[t - 1] the course's J_t (Python counts from 0). The
        gradient k steps back is ``J[T-k].T @ ... @ J[T-1].T @ dL/da_T``.
    """
    A, cache = rnn.forward_fast(X, params, a0=a0, activation=activation)  # (T, n_h, m)
    fprime = derivative(activation, A[:, :, sequence])  # (T, n_h)
    return fprime[:, :, None] * cache["W_R"][None, :, :]  # (T, n_h, n_h)


def unit_direction(n_h: int, seed: int = 0) -> np.ndarray:
    """A fixed random unit vector u of shape (n_h, 1): the loss L = u . a_T uses it."""
    u = np.random.default_rng(seed).standard_normal((n_h, 1))
    return u / np.linalg.norm(u)


def gradient_flow(
    params: dict,
    X: np.ndarray,
    activation: str = "tanh",
    a0: np.ndarray | None = None,
    dL_daT: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Carry a gradient from the last step back to the first and keep it at every step.

    The loss is at the last step only: ``dA`` is zero except ``dA[T-1] = dL_daT``. The
    backward loop is the one of `rnncourse.rnn.backward` (same recursion, same order),
    but it keeps the gradient dL/da_t of every step instead of summing it into the
    weight gradients.

    Parameters
    ----------
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}
    X : (T, n_in, m) inputs, time-major
    activation : "tanh", "sigmoid", "relu" or "linear"
    a0 : (n_h, m) initial state, zeros when None
    dL_daT : (n_h, m) gradient at the last step. By default the loss is
        ``L = sum over the m sequences of u . a_T / sqrt(m)`` with u = `unit_direction`,
        so dL/da_T has every column equal to u / sqrt(m) and norm exactly 1.

    Returns
    -------
    dict with
        "A": (T, n_h, m) activations a_t from `rnncourse.rnn.forward`,
        "dA": (T, n_h, m) dL/da_t at every step (``dA[T-1]`` is dL_daT),
        "da0": (n_h, m) dL/da_0, equal to ``rnn.backward(...)["a0"]`` (and to ``rnn.backward_fast``),
        "norms": (T,) the Frobenius norm of dA[t] (over neurons and batch).
    """
    A, cache = rnn.forward_fast(X, params, a0=a0, activation=activation)  # (T, n_h, m)
    T, n_h, m = A.shape
    if dL_daT is None:
        dL_daT = np.repeat(unit_direction(n_h), m, axis=1) / np.sqrt(m)  # (n_h, m), norm 1
    dL_daT = np.asarray(dL_daT, dtype=A.dtype)
    if dL_daT.shape != (n_h, m):
        raise ValueError(f"gradient_flow: dL_daT must have shape (n_h, m) = {(n_h, m)}, got {dL_daT.shape}.")
    W_R_T = np.ascontiguousarray(cache["W_R"].T)
    dA = np.empty_like(A)
    da = dL_daT
    for t in range(T - 1, -1, -1):
        dA[t] = da  # nothing arrives from above except at T-1, so this is all of dL/da_t
        da = W_R_T @ (da * derivative(activation, A[t]))  # (n_h, m): dL/da_{t-1}
    norms = np.sqrt(np.einsum("tij,tij->t", dA, dA))  # (T,)
    return {"A": A, "dA": dA, "da0": da, "norms": norms}


def gradient_norms(
    params: dict, X: np.ndarray, activation: str = "tanh", a0: np.ndarray | None = None
) -> np.ndarray:
    """||dL/da_t|| for t = 1 .. T, for a loss at the last step with ||dL/da_T|| = 1.

    Parameters
    ----------
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}
    X : (T, n_in, m) inputs, time-major
    activation : "tanh", "sigmoid", "relu" or "linear"
    a0 : (n_h, m) initial state, zeros when None

    Returns
    -------
    norms : (T,) ``norms[t-1]`` is ||dL/da_t|| (Frobenius norm over neurons and batch);
        ``norms[T-1]`` is 1. The loss is ``L = sum_j u . a_T^(j) / sqrt(m)`` for the fixed
        unit vector u = ``unit_direction(n_h)``; see `gradient_flow`. By the bound,
        ``norms[T-1-k] <= jacobian_bound(sigma_max(W_R), activation, k)``.
    """
    return gradient_flow(params, X, activation=activation, a0=a0)["norms"]


def state_gradient_norms(
    cell: str, params: dict, X: np.ndarray, activation: str = "tanh", a0: np.ndarray | None = None
) -> np.ndarray:
    """Like `gradient_norms`, for the plain RNN, the LSTM or the GRU: ||dL/d state_t|| for t = 1 .. T.

    Parameters
    ----------
    cell : "rnn", "lstm" or "gru"
    params : the cell's parameters (`rnncourse.cells.init`)
    X : (T, n_in, m) inputs, time-major
    activation : for the plain RNN only
    a0 : (n_h, m) initial state, zeros when None

    Returns
    -------
    norms : (T,) with the same loss as `gradient_norms` (``L = sum_j u . a_T^(j) / sqrt(m)``,
        so the last entry is 1). The state is what a step hands to the next one: a_t for
        the RNN and the GRU, the pair (a_t, c_t) for the LSTM, whose norm is
        sqrt(||dL/da_t||^2 + ||dL/dc_t||^2) with dL/dc_t taken along the cell path.
    """
    from . import cells

    if cell == "rnn":
        return gradient_norms(params, X, activation=activation, a0=a0)
    A, cache = cells.forward(cell, X, params, a0=a0)  # (T, n_h, m)
    T, n_h, m = A.shape
    dA = np.zeros_like(A)
    dA[-1] = np.repeat(unit_direction(n_h), m, axis=1) / np.sqrt(m)  # norm 1
    if cell == "lstm":
        g = cells.lstm_backward(dA, cache, keep_state_grads=True)
        sq = np.einsum("tij,tij->t", g["dA_state"], g["dA_state"]) + np.einsum(
            "tij,tij->t", g["dC_state"], g["dC_state"]
        )
    else:
        g = cells.gru_backward(dA, cache, keep_state_grads=True)
        sq = np.einsum("tij,tij->t", g["dA_state"], g["dA_state"])
    return np.sqrt(sq)


def verdict(norms: np.ndarray, low: float = 1e-2, high: float = 1e2) -> tuple[str, float]:
    """Name what happened to the gradient on its way from step T back to step 1.

    Parameters
    ----------
    norms : (T,) ||dL/da_t|| for t = 1 .. T
    low, high : the ratio below which it counts as vanishing and above which as exploding

    Returns
    -------
    (word, factor) with factor = norms[0] / norms[-1], the gradient at t = 1 relative to
    the one at t = T, and word one of "vanishing", "stable", "exploding".
    """
    norms = np.asarray(norms, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = float(norms[0] / norms[-1]) if norms[-1] != 0 else float("nan")
    if not np.isfinite(factor):
        return ("exploding" if factor == np.inf or np.isnan(factor) else "vanishing"), factor
    if factor < low:
        return "vanishing", factor
    if factor > high:
        return "exploding", factor
    return "stable", factor


# --------------------------------------------------------------------------------------
# The cliff: one neuron, 50 steps (Pascanu, Mikolov and Bengio, 2013)
# --------------------------------------------------------------------------------------
CLIFF_STEPS = 50
CLIFF_X0 = 0.5
CLIFF_TARGET = 0.7


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def cliff_loss(
    w: np.ndarray | float,
    b: np.ndarray | float,
    T: int = CLIFF_STEPS,
    x0: float = CLIFF_X0,
    target: float = CLIFF_TARGET,
) -> np.ndarray:
    """Loss of the one-neuron RNN x_t = w sigmoid(x_{t-1}) + b after T steps: (sigmoid(x_T) - target)^2.

    Parameters
    ----------
    w, b : numbers or arrays of the same (or broadcastable) shape, e.g. a whole grid
        of (w, b) pairs: every pair is run at once, elementwise
    T : steps; x0 : the start x_0; target : the wanted sigmoid(x_T)

    Returns
    -------
    loss : array with the broadcast shape of w and b
    """
    w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
    x = np.full(np.broadcast_shapes(w.shape, b.shape), float(x0))
    for _ in range(T):
        x = w * _sigmoid(x) + b
    return (_sigmoid(x) - target) ** 2


def cliff_loss_and_grad(
    w: float, b: float, T: int = CLIFF_STEPS, x0: float = CLIFF_X0, target: float = CLIFF_TARGET
) -> tuple[float, dict[str, float]]:
    """The loss of `cliff_loss` and its gradient {"w": dL/dw, "b": dL/db}, by BPTT.

    Forward: s_{t-1} = sigmoid(x_{t-1}), x_t = w s_{t-1} + b. Backward, from
    dL/dx_T = 2 (s_T - target) s_T (1 - s_T): every step adds dL/dx_t * s_{t-1} to dL/dw
    and dL/dx_t to dL/db, and hands dL/dx_{t-1} = dL/dx_t * w * s_{t-1} (1 - s_{t-1}) back.
    That factor w s (1 - s), repeated 50 times, is what makes the gradient explode
    near the cliff. The arguments w, b may also be arrays (elementwise, like `cliff_loss`).
    """
    if np.ndim(w) == 0 and np.ndim(b) == 0:  # one point: plain floats are much faster
        return _cliff_point(float(w), float(b), T, x0, target)
    w_a, b_a = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
    shape = np.broadcast_shapes(w_a.shape, b_a.shape)
    xs = np.empty((T + 1, *shape))
    xs[0] = x0
    for t in range(T):
        xs[t + 1] = w_a * _sigmoid(xs[t]) + b_a
    s_T = _sigmoid(xs[T])
    loss = (s_T - target) ** 2
    dx = 2.0 * (s_T - target) * s_T * (1.0 - s_T)  # dL/dx_T
    dw = np.zeros(shape)
    db = np.zeros(shape)
    for t in range(T, 0, -1):
        s_prev = _sigmoid(xs[t - 1])
        dw += dx * s_prev
        db += dx
        dx = dx * w_a * s_prev * (1.0 - s_prev)  # dL/dx_{t-1}
    if loss.ndim == 0:
        return float(loss), {"w": float(dw), "b": float(db)}
    return loss, {"w": dw, "b": db}


def _cliff_point(w: float, b: float, T: int, x0: float, target: float) -> tuple[float, dict[str, float]]:
    """`cliff_loss_and_grad` for one (w, b), with Python floats (same formulas)."""
    s = [0.0] * (T + 1)  # s[t] = sigmoid(x_t)
    x = x0
    for t in range(T):
        s[t] = 0.5 * (1.0 + math.tanh(0.5 * x))
        x = w * s[t] + b
    s_T = 0.5 * (1.0 + math.tanh(0.5 * x))
    loss = (s_T - target) ** 2
    dx = 2.0 * (s_T - target) * s_T * (1.0 - s_T)
    dw = db = 0.0
    for t in range(T - 1, -1, -1):
        dw += dx * s[t]
        db += dx
        dx = dx * w * s[t] * (1.0 - s[t])
    return loss, {"w": dw, "b": db}


def cliff_descent(
    start: tuple[float, float],
    lr: float,
    steps: int = 40,
    clip: str | None = None,
    threshold: float = 1.0,
    T: int = CLIFF_STEPS,
) -> dict[str, np.ndarray]:
    """Gradient descent on the cliff loss from `start` = (w, b), optionally with clipping.

    Parameters
    ----------
    start : (w_0, b_0)
    lr : learning rate
    steps : number of updates
    clip : None, "norm" (`rnncourse.optim.clip_by_norm`: the gradient's length is capped
        at `threshold`, its direction kept) or "value" (`rnncourse.optim.clip_by_value`:
        each of dL/dw and dL/db is capped to [-threshold, threshold], which can turn it)
    threshold : max_norm for "norm", the limit for "value"

    Returns
    -------
    dict with "path" (steps + 1, 2) the (w, b) visited, "loss" (steps + 1,),
    "grad_norm" (steps,) the norm of each raw gradient, "step" (steps, 2) each update taken.
    """
    if clip not in (None, "norm", "value"):
        raise ValueError(f"cliff_descent: clip must be None, 'norm' or 'value', got {clip!r}.")
    p = np.array(start, dtype=np.float64)
    path, losses, norms, moves = [p.copy()], [], [], []
    for _ in range(steps):
        loss, g = cliff_loss_and_grad(p[0], p[1], T=T)
        losses.append(loss)
        norms.append(float(np.hypot(g["w"], g["b"])))
        if clip == "norm":
            g, _ = clip_by_norm(g, threshold)
        elif clip == "value":
            g = clip_by_value(g, threshold)
        move = -lr * np.array([float(g["w"]), float(g["b"])])
        p = p + move
        moves.append(move)
        path.append(p.copy())
    losses.append(cliff_loss_and_grad(p[0], p[1], T=T)[0])
    return {
        "path": np.array(path),
        "loss": np.array(losses),
        "grad_norm": np.array(norms),
        "step": np.array(moves).reshape(-1, 2),
    }
