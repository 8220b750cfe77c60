"""Numerical gradients by central differences, to check every backward pass.

For a scalar function L of a parameter p, the central difference

    (L(p + eps) - L(p - eps)) / (2 eps)

has an error of order eps^2, so in float64 with eps = 1e-5 it agrees with a
correct analytic gradient to about 1e-9 relative error. A wrong gradient is off
by far more, usually 1e-2 or worse.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["rel_error", "numerical_gradient", "numerical_gradients", "check_gradients"]


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """max|a - b| / max(1e-8, |a| + |b|), elementwise, then the largest value.

    Below about 1e-7 (float64) the two gradients agree; above 1e-3 one is wrong.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: shapes differ, {a.shape} and {b.shape}.")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """dL/dx by central differences, where ``f()`` reads `x` (changed in place, then restored).

    Parameters
    ----------
    f : no-argument function returning the scalar loss; it must read `x` itself
    x : float64 array, perturbed one entry at a time
    eps : step

    Returns
    -------
    grad : same shape as `x`
    """
    if x.dtype != np.float64:
        raise ValueError(f"numerical_gradient: use float64 arrays for gradient checks, not {x.dtype}.")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        plus = float(f())
        x[i] = old - eps
        minus = float(f())
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def numerical_gradients(
    loss: Callable[[dict], float], params: dict, eps: float = 1e-5, keys: list | None = None
) -> dict:
    """Numerical gradients of ``loss(params)`` for every array of a params dict.

    Parameters
    ----------
    loss : function of the whole dict returning a scalar
    params : dict of float64 arrays (perturbed in place, restored afterwards)
    keys : which entries to differentiate (all by default)

    Returns
    -------
    dict with the same keys and shapes as `params`
    """
    keys = list(params) if keys is None else keys
    return {k: numerical_gradient(lambda: loss(params), params[k], eps) for k in keys}


def check_gradients(
    loss: Callable[[dict], float], params: dict, analytic: dict, eps: float = 1e-5
) -> dict[str, float]:
    """Relative error between `analytic` gradients and numerical ones, per key of `analytic`."""
    numeric = numerical_gradients(loss, params, eps, keys=list(analytic))
    return {k: rel_error(analytic[k], numeric[k]) for k in analytic}
