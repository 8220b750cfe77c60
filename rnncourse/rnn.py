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

How the module reads: `cell_forward` / `cell_backward` are one step (notebook 02 and
08); `forward` is the loop over `cell_forward` (notebook 04) and `backward` the loop
over `cell_backward` that adds the gradient carried back from step t+1 (notebook 08).
`forward_fast` / `backward_fast` compute the same functions faster (the input
projection of every step as one matrix product, the weight gradients of every step as
one product); the models and `rnncourse.gradients` use them. The caches of `forward`
and `forward_fast` are the same dict, so either backward works after either forward.

Left out on purpose: several layers, dropout, masks (padding is handled by the models,
which read each sequence's last real step).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .activations import activate, check_activation, derivative
from .errors import ShapeChecker, ShapeError, check_cache, check_positive_ints

__all__ = [
    "cell_forward",
    "cell_backward",
    "cell_forward_concat",
    "cell_backward_concat",
    "concat_weights",
    "split_weights",
    "init_params",
    "forward",
    "backward",
    "forward_fast",
    "backward_fast",
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
def _check_step(where: str, x_t: Any, a_prev: Any, W_F: Any, W_R: Any, b: Any) -> tuple[np.ndarray, ...]:
    chk = ShapeChecker(where)
    W_R = chk.check("W_R", W_R, ("n_h", "n_h"), "recurrent weights")
    b = chk.check("b", b, ("n_h", "1"), "bias column")
    W_F = chk.check("W_F", W_F, ("n_h", "n_in"), "feedforward weights")
    _check_not_swapped(where, x_t, a_prev, chk.sizes["n_in"], chk.sizes["n_h"])
    x_t = chk.check("x_t", x_t, ("n_in", "m"), "input at step t")
    a_prev = chk.check("a_prev", a_prev, ("n_h", "m"), "activation at step t-1")
    return x_t, a_prev, W_F, W_R, b


def _check_not_swapped(where: str, x_t: Any, a_prev: Any, n_in: int, n_h: int) -> None:
    """Raise a `ShapeError` if x_t has a_prev's shape (n_h, m) and a_prev has x_t's (n_in, m)."""
    sx, sa = getattr(x_t, "shape", ()), getattr(a_prev, "shape", ())
    if n_in != n_h and len(sx) == 2 and len(sa) == 2 and sx[0] == n_h and sa[0] == n_in:
        raise ShapeError(
            f"{where}: x_t has shape {sx} and a_prev has shape {sa}: the arguments look swapped. "
            f"x_t is (n_in, m) = ({n_in}, m) and a_prev is (n_h, m) = ({n_h}, m); "
            f"the order is {where}(x_t, a_prev, W_F, W_R, b)."
        )


def _step(x_t, a_prev, W_F, W_R, b, activation: str) -> tuple[np.ndarray, dict]:
    """`cell_forward` without the checks: the loop of `forward` calls this."""
    z_t = W_F @ x_t + W_R @ a_prev + b  # (n_h, m)
    a_t = activate(activation, z_t, out=z_t)  # (n_h, m), in place of z_t
    cache = {"x_t": x_t, "a_prev": a_prev, "a_t": a_t, "W_F": W_F, "W_R": W_R, "activation": activation}
    return a_t, cache


def _step_backward(da_t: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """`cell_backward` without the checks: the loop of `backward` calls this."""
    dz = da_t * derivative(cache["activation"], cache["a_t"])  # (n_h, m) = dL/dz_t
    return {
        "x_t": cache["W_F"].T @ dz,  # (n_in, m)
        "a_prev": cache["W_R"].T @ dz,  # (n_h, m)
        "W_F": dz @ cache["x_t"].T,  # (n_h, n_in)
        "W_R": dz @ cache["a_prev"].T,  # (n_h, n_h)
        "b": dz.sum(axis=1, keepdims=True),  # (n_h, 1)
    }


def cell_forward(
    x_t: np.ndarray,
    a_prev: np.ndarray,
    W_F: np.ndarray,
    W_R: np.ndarray,
    b: np.ndarray,
    activation: str = "tanh",
) -> tuple[np.ndarray, dict]:
    """One step of the recurrent layer: a_t = f(W_F x_t + W_R a_{t-1} + b). Notebook 02.

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
    return _step(*_check_step("cell_forward", x_t, a_prev, W_F, W_R, b), activation)


def cell_backward(da_t: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """Backward pass of `cell_forward`. Notebook 08.

    Parameters
    ----------
    da_t : (n_h, m) dL/da_t, *everything* that arrives at this step's output
    cache : from `cell_forward`

    Returns
    -------
    grads : dict with "x_t" (n_in, m), "a_prev" (n_h, m), "W_F" (n_h, n_in),
        "W_R" (n_h, n_h) and "b" (n_h, 1).

    In a sequence, ``grads["a_prev"]`` flows back to step t-1, where it is *added*
    to the gradient that step receives from above (its own loss). Forgetting that
    addition is the most common BPTT bug.
    """
    check_cache("cell_backward", cache, _STEP_KEYS, "cell_forward")
    chk = ShapeChecker("cell_backward", {"n_h": cache["a_t"].shape[0], "m": cache["a_t"].shape[1]})
    da_t = chk.check("da_t", da_t, ("n_h", "m"), "gradient dL/da_t")
    return _step_backward(da_t, cache)


def concat_weights(W_F: np.ndarray, W_R: np.ndarray) -> np.ndarray:
    """W = [W_F | W_R]: the two weight matrices side by side. Notebook 06.

    W_F : (n_h, n_in), W_R : (n_h, n_h)  ->  W : (n_h, n_in + n_h)
    """
    chk = ShapeChecker("concat_weights")
    W_F = chk.check("W_F", W_F, ("n_h", "n_in"), "feedforward weights")
    W_R = chk.check("W_R", W_R, ("n_h", "n_h"), "recurrent weights")
    return np.hstack([W_F, W_R])  # (n_h, n_in + n_h)


def split_weights(W: np.ndarray, n_in: int) -> tuple[np.ndarray, np.ndarray]:
    """Undo `concat_weights`: W (n_h, n_in + n_h) -> W_F (n_h, n_in), W_R (n_h, n_h)."""
    check_positive_ints("split_weights", n_in=n_in)
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

    Notebook 06.

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
    cache : dict with "stacked" (n_in + n_h, m), "a_t", "W" and "activation",
        for `cell_backward_concat`
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


def cell_backward_concat(da_t: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """Backward pass of `cell_forward_concat`.

    Parameters
    ----------
    da_t : (n_h, m) dL/da_t, everything that arrives at this step's output
    cache : from `cell_forward_concat`

    Returns
    -------
    grads : dict with "W" (n_h, n_in + n_h), "b" (n_h, 1), "x_t" (n_in, m) and
        "a_prev" (n_h, m). The gradient of the stacked input W^T dz splits into its
        top n_in rows (dL/dx_t) and its bottom n_h rows (dL/da_{t-1}, to be *added*
        to what step t-1 receives from above).
    """
    n_h, m = cache["a_t"].shape
    chk = ShapeChecker("cell_backward_concat", {"n_h": n_h, "m": m})
    da_t = chk.check("da_t", da_t, ("n_h", "m"), "gradient dL/da_t")
    dz = da_t * derivative(cache["activation"], cache["a_t"])  # (n_h, m)
    dstacked = cache["W"].T @ dz  # (n_in + n_h, m)
    n_in = dstacked.shape[0] - n_h
    return {
        "W": dz @ cache["stacked"].T,  # (n_h, n_in + n_h)
        "b": dz.sum(axis=1, keepdims=True),  # (n_h, 1)
        "x_t": dstacked[:n_in],  # (n_in, m)
        "a_prev": dstacked[n_in:],  # (n_h, m)
    }


def init_params(
    n_in: int, n_h: int, seed: int | Sequence[int] = 0, scale: float | None = None, dtype: Any = np.float64
) -> Params:
    """Random parameters for a layer of `n_h` neurons reading `n_in` inputs. Notebook 04.

    Weights are drawn from N(0, scale^2) with ``scale = 1 / sqrt(n_in + n_h)`` by default,
    the bias starts at zero. `seed` is an int or a sequence of ints (as for
    ``np.random.default_rng``), so that a model can give each layer its own stream.

    Returns
    -------
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}
    """
    check_positive_ints("init_params", n_in=n_in, n_h=n_h)
    rng = np.random.default_rng(seed)
    s = 1.0 / np.sqrt(n_in + n_h) if scale is None else scale
    return {
        "W_F": (rng.standard_normal((n_h, n_in)) * s).astype(dtype),
        "W_R": (rng.standard_normal((n_h, n_h)) * s).astype(dtype),
        "b": np.zeros((n_h, 1), dtype=dtype),
    }


# ---------------------------------------------------------------------------
# A whole sequence: the loop over the step
# ---------------------------------------------------------------------------
def _check_sequence(where: str, X: Any, params: Any, a0: Any, activation: str) -> tuple:
    """Check the arguments of `forward` once, so that the loop can skip the step's checks."""
    check_activation(activation, where)
    chk = ShapeChecker(where)
    W_F, W_R, b = _check_params(chk, params)
    X = chk.check("X", X, ("T", "n_in", "m"), "batch of sequences, time-major")
    dtype = _dtype(X, W_F, W_R, b)
    if a0 is None:
        a0 = np.zeros((W_F.shape[0], X.shape[2]), dtype=dtype)
    else:
        a0 = chk.check("a0", a0, ("n_h", "m"), "initial state")
    return X, W_F, W_R, b, a0, dtype


def forward(
    X: np.ndarray, params: Params, a0: np.ndarray | None = None, activation: str = "tanh"
) -> tuple[np.ndarray, dict]:
    """Run the layer over a batch of sequences: the loop over `cell_forward`. Notebook 04.

    Parameters
    ----------
    X : (T, n_in, m) inputs, time-major: X[t] is x_t
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}
    a0 : (n_h, m) initial state; zeros when None
    activation : "tanh", "sigmoid", "relu" or "linear"

    Returns
    -------
    A : (T, n_h, m) activations, A[t] is a_t
    cache : what `backward` (or `backward_fast`) needs: X, A, a0, W_F, W_R, activation

    The arguments are checked once here, so the loop calls the step without
    checking it again at every t. `forward_fast` gives the same result faster.
    """
    X, W_F, W_R, b, a0, dtype = _check_sequence("forward", X, params, a0, activation)
    T, _, m = X.shape
    A = np.empty((T, W_F.shape[0], m), dtype=dtype)  # (T, n_h, m)
    a = a0
    for t in range(T):
        a, _ = _step(X[t], a, W_F, W_R, b, activation)  # cell_forward, unchecked
        A[t] = a
    cache = {"X": X, "A": A, "a0": a0, "W_F": W_F, "W_R": W_R, "activation": activation}
    return A, cache


def _step_cache(cache: dict, t: int) -> dict:
    """The cache `cell_forward` made at step t, rebuilt from the sequence's cache."""
    A = cache["A"]
    return {
        "x_t": cache["X"][t],  # (n_in, m)
        "a_prev": cache["a0"] if t == 0 else A[t - 1],  # (n_h, m)
        "a_t": A[t],  # (n_h, m)
        "W_F": cache["W_F"],
        "W_R": cache["W_R"],
        "activation": cache["activation"],
    }


_STEP_KEYS = ("x_t", "a_prev", "a_t", "W_F", "W_R", "activation")
_SEQ_KEYS = ("X", "A", "a0", "W_F", "W_R", "activation")


def _check_dA(where: str, dA: Any, cache: dict) -> np.ndarray:
    check_cache(where, cache, _SEQ_KEYS, "forward or forward_fast")
    T, n_h, m = cache["A"].shape
    chk = ShapeChecker(where, {"T": T, "n_h": n_h, "m": m})
    return chk.check("dA", dA, ("T", "n_h", "m"), "dL/da_t from above at every step")


def backward(dA: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """Backpropagation through time (BPTT) for `forward`: the loop over `cell_backward`.

    Notebook 08.

    Parameters
    ----------
    dA : (T, n_h, m) dA[t] is dL/da_t arriving *from above* at step t (from the
        loss or the next layer); zeros at steps with no output
    cache : from `forward` (or `forward_fast`: the caches are the same)

    Returns
    -------
    grads : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1),
             "X": (T, n_in, m), "a0": (n_h, m)}

    Walking back from t = T-1 to 0, the gradient at a_t is the one from above,
    dA[t], *plus* the one carried back from step t+1 through W_R^T. The weight
    gradients sum the contributions of every step, because every step uses the
    same W_F, W_R and b. `backward_fast` gives the same result faster.
    """
    dA = _check_dA("backward", dA, cache)
    (n_h, n_in), dtype = cache["W_F"].shape, cache["A"].dtype
    grads = {"W_F": np.zeros((n_h, n_in), dtype), "W_R": np.zeros((n_h, n_h), dtype)}
    grads["b"] = np.zeros((n_h, 1), dtype)
    dX = np.empty(cache["X"].shape, dtype=dtype)  # (T, n_in, m)
    da_next = np.zeros(cache["a0"].shape, dtype)  # (n_h, m) carried back from step t+1
    for t in range(dA.shape[0] - 1, -1, -1):
        g = _step_backward(dA[t] + da_next, _step_cache(cache, t))  # from above + from the future
        for k in ("W_F", "W_R", "b"):
            grads[k] += g[k]  # every step shares the same weights
        dX[t] = g["x_t"]
        da_next = g["a_prev"]  # (n_h, m), goes to step t-1
    grads["X"] = dX
    grads["a0"] = da_next
    return grads


# ---------------------------------------------------------------------------
# The same two functions, computed faster
# ---------------------------------------------------------------------------
def forward_fast(
    X: np.ndarray, params: Params, a0: np.ndarray | None = None, activation: str = "tanh"
) -> tuple[np.ndarray, dict]:
    """The same function as `forward` (same arguments, result and cache), computed faster.

    The input projection W_F x_t + b does not depend on the previous state, so it
    is computed for all T steps at once as one matrix product before the loop;
    only W_R a_{t-1} has to wait for the step before. The tests check that it
    equals `forward` to 1e-12.
    """
    X, W_F, W_R, b, a0, dtype = _check_sequence("forward_fast", X, params, a0, activation)
    n_h, m = W_F.shape[0], X.shape[2]
    A = np.matmul(W_F, X).astype(dtype, copy=False)  # (T, n_h, m): A[t] starts as W_F x_t ...
    A += b  # ... + b
    Ra = np.empty((n_h, m), dtype=dtype)  # W_R a_{t-1}, reused at every step
    a = a0
    for t in range(X.shape[0]):
        np.matmul(W_R, a, out=Ra)  # (n_h, m)
        A[t] += Ra  # z_t = W_F x_t + b + W_R a_{t-1}
        a = activate(activation, A[t], out=A[t])  # a_t = f(z_t), in place
    cache = {"X": X, "A": A, "a0": a0, "W_F": W_F, "W_R": W_R, "activation": activation}
    return A, cache


def backward_fast(dA: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """The same function as `backward` (same arguments and result), computed faster.

    Only the recursion dL/da_{t-1} = W_R^T dL/dz_t has to run step by step; every
    weight gradient is a sum over t of the same product, so it is computed after
    the loop as one product over the T*m columns of all steps side by side.
    Works with the cache of `forward` or `forward_fast`.
    """
    dA = _check_dA("backward_fast", dA, cache)
    X, A, a0 = cache["X"], cache["A"], cache["a0"]
    W_F, W_R, activation = cache["W_F"], cache["W_R"], cache["activation"]
    T, n_in, m = X.shape
    n_h = W_R.shape[0]
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
