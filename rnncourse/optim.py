"""Optimisers and gradient clipping on dicts of parameters.

Parameters and gradients are dicts with the same keys, e.g.
``{"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}``. The optimisers update
the parameter arrays in place (so the dict you hold stays the model); the
clipping functions return new dicts and never change their input.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .errors import ShapeError

__all__ = ["SGD", "Adam", "clip_by_norm", "clip_by_value", "global_norm"]


def _check_pair(where: str, params: Mapping, grads: Mapping) -> None:
    missing = [k for k in params if k not in grads]
    if missing:
        raise ShapeError(f"{where}: grads has no entry for {missing}; it has {sorted(grads)}.")
    for k in params:
        if np.shape(params[k]) != np.shape(grads[k]):
            raise ShapeError(
                f"{where}: grads[{k!r}] has shape {np.shape(grads[k])} but params[{k!r}] has "
                f"shape {np.shape(params[k])}; a gradient always has its parameter's shape."
            )


class SGD:
    """Plain gradient descent: p <- p - lr * g.

    Parameters
    ----------
    lr : learning rate (step size), > 0
    """

    def __init__(self, lr: float = 0.1):
        if not lr > 0:
            raise ValueError(f"SGD: the learning rate lr must be positive, got {lr!r}.")
        self.lr = float(lr)

    def step(self, params: dict, grads: Mapping) -> dict:
        """Update every array of `params` in place; returns `params`."""
        _check_pair("SGD.step", params, grads)
        for k in params:
            params[k] -= self.lr * grads[k]
        return params


class Adam:
    """Adam (Kingma and Ba, 2015), as in ``torch.optim.Adam`` with no weight decay.

    For every parameter, with t counting steps from 1::

        m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g^2
        m_hat = m / (1 - beta1^t)             v_hat = v / (1 - beta2^t)
        p <- p - lr m_hat / (sqrt(v_hat) + eps)
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        if not lr > 0:
            raise ValueError(f"Adam: the learning rate lr must be positive, got {lr!r}.")
        if not (0 <= beta1 < 1 and 0 <= beta2 < 1):
            raise ValueError(f"Adam: beta1 and beta2 must lie in [0, 1), got {beta1!r} and {beta2!r}.")
        self.lr, self.beta1, self.beta2, self.eps = float(lr), float(beta1), float(beta2), float(eps)
        self.t = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def step(self, params: dict, grads: Mapping) -> dict:
        """Update every array of `params` in place; returns `params`."""
        _check_pair("Adam.step", params, grads)
        self.t += 1
        c1 = 1.0 - self.beta1**self.t
        c2 = 1.0 - self.beta2**self.t
        for k in params:
            g = grads[k]
            if k not in self.m:
                self.m[k] = np.zeros_like(params[k])
                self.v[k] = np.zeros_like(params[k])
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * g * g
            params[k] -= self.lr * (self.m[k] / c1) / (np.sqrt(self.v[k] / c2) + self.eps)
        return params


def global_norm(grads: Mapping) -> float:
    """The L2 norm of all gradients together: sqrt(sum over arrays of sum of squares).

    Computed in float64 whatever the gradients' dtype, so float16 gradients of a
    few hundred do not overflow to inf and large integers do not wrap around.
    """
    squares = (float(np.sum(np.square(np.asarray(g, dtype=np.float64)))) for g in grads.values())
    return float(np.sqrt(sum(squares)))


def clip_by_norm(grads: Mapping, max_norm: float, error_if_nonfinite: bool = False) -> tuple[dict, float]:
    """Scale all gradients together so that their global L2 norm is at most `max_norm`.

    The same computation as ``torch.nn.utils.clip_grad_norm_`` (norm_type 2):
    ``total_norm`` is the L2 norm of all gradients taken together, and every
    gradient is multiplied by ``min(1, max_norm / (total_norm + 1e-6))``. The
    direction of the whole gradient is kept; only its length changes.

    Parameters
    ----------
    grads : dict of arrays (any shapes)
    max_norm : the largest allowed global norm, >= 0
    error_if_nonfinite : raise if the norm is NaN or infinite (as PyTorch's option)

    Returns
    -------
    clipped : a new dict, the input is not modified
    total_norm : the global norm *before* clipping
    """
    if not np.isfinite(max_norm) or max_norm < 0:
        raise ValueError(f"clip_by_norm: max_norm must be a finite number >= 0, got {max_norm!r}.")
    total_norm = global_norm(grads)
    if error_if_nonfinite and not np.isfinite(total_norm):
        raise ValueError(
            f"clip_by_norm: the total gradient norm is {total_norm}; the gradients hold NaN or inf. "
            "Clipping cannot repair that: lower the learning rate or find the overflow."
        )
    coef = min(1.0, max_norm / (total_norm + 1e-6))
    return {k: np.asarray(g) * coef for k, g in grads.items()}, total_norm


def clip_by_value(grads: Mapping, limit: float) -> dict:
    """Cap every gradient component to [-limit, limit] (``torch.nn.utils.clip_grad_value_``).

    Unlike `clip_by_norm`, this changes the gradient's *direction* whenever some
    components are capped and others are not.

    Returns a new dict; the input is not modified.
    """
    if not np.isfinite(limit) or limit < 0:
        raise ValueError(f"clip_by_value: limit must be a finite number >= 0, got {limit!r}.")
    return {k: np.clip(g, -limit, limit) for k, g in grads.items()}
