"""The recurrent layer: one time step, a whole sequence, and backpropagation through time.

Course notation (one layer, so ``n_in`` is ``n_{l-1}``, the input size, and ``n_h``
is ``n_l``, the number of neurons of the layer):

    z_t = W_F x_t + W_R a_{t-1} + b        a_t = f(z_t)

=========  =============  ====================================================
name       shape          meaning
=========  =============  ====================================================
x_t        (n_in, m)      input at step t, one column per sequence of the batch
a_prev     (n_h, m)       a_{t-1}, the layer's activation one step earlier
W_F        (n_h, n_in)    feedforward weights (PyTorch calls them ``weight_ih_l0``)
W_R        (n_h, n_h)     recurrent weights (PyTorch: ``weight_hh_l0``)
b          (n_h, 1)       bias, a column broadcast over the m columns
W          (n_h, n_in+n_h)  ``[W_F | W_R]`` side by side (simplified notation)
X          (T, n_in, m)   a batch of sequences, time-major: ``X[t]`` is x_t
A          (T, n_h, m)    the activations of every step: ``A[t]`` is a_t
a0         (n_h, m)       the state before the first step (zeros by default)
=========  =============  ====================================================

Python counts from 0, so ``X[0]`` is the course's x_1 and ``A[T-1]`` is a_T.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import activate, check_activation, derivative
from .errors import ShapeChecker, ShapeError

__all__ = [
    "cell_forward",
    "cell_backward",
    "cell_forward_concat",
    "concat_weights",
    "split_weights",
    "init_params",
    "forward",
    "backward",
]

Params = dict[str, np.ndarray]


def _check_params(chk: ShapeChecker, params: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not isinstance(params, dict):
        raise ShapeError(
            f"{chk.where}: params must be a dict with keys 'W_F', 'W_R' and 'b', not {type(params).__name__}."
        )
    missing = [k for k in ("W_F", "W_R", "b") if k not in params]
    if missing:
        raise ShapeError(
            f"{chk.where}: params is missing {', '.join(repr(k) for k in missing)}; "
            f"it has {sorted(params)}. Use rnncourse.rnn.init_params(n_in, n_h) to make one."
        )
    # W_R first: being square, it fixes n_h most reliably.
    W_R = chk.check("params['W_R']", params["W_R"], ("n_h", "n_h"), "recurrent weights")
    b = chk.check("params['b']", params["b"], ("n_h", "1"), "bias column")
    W_F = chk.check("params['W_F']", params["W_F"], ("n_h", "n_in"), "feedforward weights")
    return W_F, W_R, b


def _dtype(*arrays: np.ndarray) -> np.dtype:
    return np.result_type(*arrays)


# ---------------------------------------------------------------------------
# One time step
# ---------------------------------------------------------------------------
def cell_forward(
    x_t: np.ndarray,
    a_prev: np.ndarray,
    W_F: np.ndarray,
    W_R: np.ndarray,
    b: np.ndarray,
    activation: str = "tanh",
) -> tuple[np.ndarray, dict]:
    """One step of the recurrent layer: a_t = f(W_F x_t + W_R a_{t-1} + b).

    Parameters
    ----------
    x_t : (n_in, m) input at step t
    a_prev : (n_h, m) activation at step t-1
    W_F : (n_h, n_in) feedforward weights
    W_R : (n_h, n_h) recurrent weights
    b : (n_h, 1) bias
    activation : "tanh", "sigmoid", "relu" or "linear"

    Returns
    -------
    a_t : (n_h, m) activation at step t
    cache : what `cell_backward` needs (x_t, a_prev, a_t, weights, activation)
    """
    check_activation(activation, "cell_forward")
    chk = ShapeChecker("cell_forward")
    W_R = chk.check("W_R", W_R, ("n_h", "n_h"), "recurrent weights")
    b = chk.check("b", b, ("n_h", "1"), "bias column")
    W_F = chk.check("W_F", W_F, ("n_h", "n_in"), "feedforward weights")
    x_t = chk.check("x_t", x_t, ("n_in", "m"), "input at step t")
    a_prev = chk.check("a_prev", a_prev, ("n_h", "m"), "activation at step t-1")
    z_t = W_F @ x_t + W_R @ a_prev + b  # (n_h, m)
    a_t = activate(activation, z_t)  # (n_h, m)
    cache = {"x_t": x_t, "a_prev": a_prev, "a_t": a_t, "W_F": W_F, "W_R": W_R, "activation": activation}
    return a_t, cache


def cell_backward(da_t: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """Backward pass of `cell_forward`.

    Parameters
    ----------
    da_t : (n_h, m) dL/da_t, the gradient arriving at this step's output
    cache : from `cell_forward`

    Returns
    -------
    grads : dict with "x_t" (n_in, m), "a_prev" (n_h, m), "W_F" (n_h, n_in),
        "W_R" (n_h, n_h) and "b" (n_h, 1).

    In a sequence, ``grads["a_prev"]`` flows back to step t-1, where it is *added*
    to the gradient that step receives from above (its own loss). Forgetting that
    addition is the most common BPTT bug.
    """
    chk = ShapeChecker("cell_backward", {"n_h": cache["a_t"].shape[0], "m": cache["a_t"].shape[1]})
    da_t = chk.check("da_t", da_t, ("n_h", "m"), "gradient dL/da_t")
    dz = da_t * derivative(cache["activation"], cache["a_t"])  # (n_h, m)
    return {
        "x_t": cache["W_F"].T @ dz,  # (n_in, m)
        "a_prev": cache["W_R"].T @ dz,  # (n_h, m)
        "W_F": dz @ cache["x_t"].T,  # (n_h, n_in)
        "W_R": dz @ cache["a_prev"].T,  # (n_h, n_h)
        "b": dz.sum(axis=1, keepdims=True),  # (n_h, 1)
    }


def concat_weights(W_F: np.ndarray, W_R: np.ndarray) -> np.ndarray:
    """W = [W_F | W_R]: the two weight matrices side by side.

    W_F : (n_h, n_in), W_R : (n_h, n_h)  ->  W : (n_h, n_in + n_h)
    """
    chk = ShapeChecker("concat_weights")
    W_F = chk.check("W_F", W_F, ("n_h", "n_in"), "feedforward weights")
    W_R = chk.check("W_R", W_R, ("n_h", "n_h"), "recurrent weights")
    return np.hstack([W_F, W_R])  # (n_h, n_in + n_h)


def split_weights(W: np.ndarray, n_in: int) -> tuple[np.ndarray, np.ndarray]:
    """Undo `concat_weights`: W (n_h, n_in + n_h) -> W_F (n_h, n_in), W_R (n_h, n_h)."""
    chk = ShapeChecker("split_weights")
    W = chk.check("W", W, ("n_h", "n_in+n_h"), "concatenated weights [W_F | W_R]")
    n_h = W.shape[0]
    if W.shape[1] != n_in + n_h:
        raise ShapeError(
            f"split_weights: W has {W.shape[1]} columns, but [W_F | W_R] with n_in = {n_in} "
            f"and n_h = {n_h} has n_in + n_h = {n_in + n_h}."
        )
    return W[:, :n_in], W[:, n_in:]


def cell_forward_concat(
    x_t: np.ndarray, a_prev: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str = "tanh"
) -> tuple[np.ndarray, dict]:
    """One step in the simplified notation: a_t = f(W [x_t ; a_{t-1}] + b), one matrix product.

    Parameters
    ----------
    x_t : (n_in, m) input at step t
    a_prev : (n_h, m) activation at step t-1
    W : (n_h, n_in + n_h) the concatenated weights [W_F | W_R]
    b : (n_h, 1) bias
    activation : "tanh", "sigmoid", "relu" or "linear"

    Returns
    -------
    a_t : (n_h, m), equal to `cell_forward` with W_F, W_R = split_weights(W, n_in)
    cache : dict with "stacked" (n_in + n_h, m), "a_t", "W" and "activation"
    """
    check_activation(activation, "cell_forward_concat")
    chk = ShapeChecker("cell_forward_concat")
    x_t = chk.check("x_t", x_t, ("n_in", "m"), "input at step t")
    a_prev = chk.check("a_prev", a_prev, ("n_h", "m"), "activation at step t-1")
    n_in, n_h = x_t.shape[0], a_prev.shape[0]
    chk.sizes["n_in + n_h"] = n_in + n_h
    W = chk.check("W", W, ("n_h", "n_in + n_h"), "concatenated weights [W_F | W_R]")
    b = chk.check("b", b, ("n_h", "1"), "bias column")
    stacked = np.vstack([x_t, a_prev])  # (n_in + n_h, m)
    a_t = activate(activation, W @ stacked + b)  # (n_h, m)
    return a_t, {"stacked": stacked, "a_t": a_t, "W": W, "activation": activation}


def init_params(
    n_in: int, n_h: int, seed: int = 0, scale: float | None = None, dtype: Any = np.float64
) -> Params:
    """Random parameters for a layer of `n_h` neurons reading `n_in` inputs.

    Weights are drawn from N(0, scale^2) with ``scale = 1 / sqrt(n_in + n_h)`` by default,
    the bias starts at zero.

    Returns
    -------
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}
    """
    for name, v in (("n_in", n_in), ("n_h", n_h)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ShapeError(f"init_params: {name} must be a positive whole number, got {v!r}.")
    rng = np.random.default_rng(seed)
    s = 1.0 / np.sqrt(n_in + n_h) if scale is None else scale
    return {
        "W_F": (rng.standard_normal((n_h, n_in)) * s).astype(dtype),
        "W_R": (rng.standard_normal((n_h, n_h)) * s).astype(dtype),
        "b": np.zeros((n_h, 1), dtype=dtype),
    }


# ---------------------------------------------------------------------------
# A whole sequence
# ---------------------------------------------------------------------------
def forward(
    X: np.ndarray, params: Params, a0: np.ndarray | None = None, activation: str = "tanh"
) -> tuple[np.ndarray, dict]:
    """Run the layer over a batch of sequences.

    Parameters
    ----------
    X : (T, n_in, m) inputs, time-major: X[t] is x_t
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}
    a0 : (n_h, m) initial state; zeros when None
    activation : "tanh", "sigmoid", "relu" or "linear"

    Returns
    -------
    A : (T, n_h, m) activations, A[t] is a_t
    cache : what `backward` needs

    The input projection W_F x_t + b does not depend on the previous state, so it
    is computed for all T steps at once as one matrix product before the loop;
    only W_R a_{t-1} has to wait for the step before.
    """
    check_activation(activation, "forward")
    chk = ShapeChecker("forward")
    W_F, W_R, b = _check_params(chk, params)
    X = chk.check("X", X, ("T", "n_in", "m"), "batch of sequences, time-major")
    T, n_in, m = X.shape
    n_h = W_F.shape[0]
    dtype = _dtype(X, W_F, W_R, b)
    if a0 is None:
        a0 = np.zeros((n_h, m), dtype=dtype)
    else:
        a0 = chk.check("a0", a0, ("n_h", "m"), "initial state")

    # The input projection W_F x_t + b for every step at once, before the loop:
    # it does not depend on the previous state. A[t] starts as W_F x_t + b.
    A = np.matmul(W_F, X).astype(dtype, copy=False)  # (T, n_h, m)
    A += b
    Ra = np.empty((n_h, m), dtype=dtype)  # W_R a_{t-1}, reused at every step
    a = a0
    for t in range(T):
        np.matmul(W_R, a, out=Ra)  # (n_h, m)
        A[t] += Ra  # z_t = W_F x_t + b + W_R a_{t-1}
        a = activate(activation, A[t], out=A[t])  # a_t = f(z_t), in place
    cache = {"X": X, "A": A, "a0": a0, "W_F": W_F, "W_R": W_R, "activation": activation}
    return A, cache


def backward(dA: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """Backpropagation through time (BPTT) for `forward`.

    Parameters
    ----------
    dA : (T, n_h, m) dA[t] is dL/da_t arriving *from above* at step t (from the
        loss or the next layer); zeros at steps with no output
    cache : from `forward`

    Returns
    -------
    grads : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1),
             "X": (T, n_in, m), "a0": (n_h, m)}

    Walking back from t = T-1 to 0, the gradient at a_t is the one from above,
    dA[t], *plus* the one carried back from step t+1 through W_R^T. The weight
    gradients sum the contributions of every step, because every step uses the
    same W_F, W_R and b.
    """
    X, A, a0 = cache["X"], cache["A"], cache["a0"]
    W_F, W_R, activation = cache["W_F"], cache["W_R"], cache["activation"]
    T, n_in, m = X.shape
    n_h = W_R.shape[0]
    chk = ShapeChecker("backward", {"T": T, "n_h": n_h, "m": m})
    dA = chk.check("dA", dA, ("T", "n_h", "m"), "dL/da_t from above at every step")

    # dZ[:, t, :] is dL/dz_t. Time sits in the middle so that dZ.reshape(n_h, T*m)
    # lines up every step's columns side by side without a copy.
    dZ = np.empty((n_h, T, m), dtype=A.dtype)
    W_R_T = np.ascontiguousarray(W_R.T)
    da = np.empty((n_h, m), dtype=A.dtype)
    da_next = np.zeros((n_h, m), dtype=A.dtype)  # gradient carried back from step t+1
    for t in range(T - 1, -1, -1):
        np.add(dA[t], da_next, out=da)  # (n_h, m): from above + from the future
        dz = np.multiply(da, derivative(activation, A[t]), out=dZ[:, t, :])  # (n_h, m) = dL/dz_t
        da_next = W_R_T @ dz  # (n_h, m), goes to step t-1

    # Weight gradients for all steps at once: each is a sum over t of the same
    # product, so one product of (n_h, T*m) matrices computes all of them.
    dZ_flat = dZ.reshape(n_h, T * m)  # (n_h, T*m)
    X_flat = X.transpose(1, 0, 2).reshape(n_in, T * m)  # (n_in, T*m)
    A_prev = np.empty((n_h, T, m), dtype=A.dtype)  # A_prev[:, t] = a_{t-1}
    A_prev[:, 0] = a0
    A_prev[:, 1:] = A[:-1].transpose(1, 0, 2)
    A_prev_flat = A_prev.reshape(n_h, T * m)  # (n_h, T*m)
    return {
        "W_F": dZ_flat @ X_flat.T,  # (n_h, n_in)
        "W_R": dZ_flat @ A_prev_flat.T,  # (n_h, n_h)
        "b": dZ_flat.sum(axis=1, keepdims=True),  # (n_h, 1)
        "X": (W_F.T @ dZ_flat).reshape(n_in, T, m).transpose(1, 0, 2),  # (T, n_in, m)
        "a0": da_next,  # (n_h, m)
    }
