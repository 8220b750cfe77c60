"""The weights of a gated cell (LSTM, GRU): made, checked and stacked gate by gate.

Every gate k of a cell has its own feedforward weights W_F^k (n_h, n_in), recurrent
weights W_R^k (n_h, n_h) and bias b^k (n_h, 1), stored in a params dict as ``"W_F_k"``,
``"W_R_k"`` and ``"b_k"``. The cells compute all G gates with one product each by
stacking the gates' weights one above the other: W_F (G n_h, n_in), W_R (G n_h, n_h),
b (G n_h, 1). PyTorch stores them the same way (``weight_ih_l0`` is the stacked W_F).

Used by `rnncourse.lstm` and `rnncourse.gru`; notebook 11.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import ShapeChecker, ShapeError, check_positive_ints

__all__ = ["init_gates", "stack", "unstack", "check_inputs"]

Params = dict[str, np.ndarray]


def init_gates(
    where: str, gates: Sequence[str], n_in: int, n_h: int, seed: Any, scale: float | None
) -> Params:
    """Weights N(0, scale^2) (scale = 1 / sqrt(n_in + n_h) by default) and zero biases.

    Returns
    -------
    params : for each gate k, "W_F_k" (n_h, n_in), "W_R_k" (n_h, n_h), "b_k" (n_h, 1)
    """
    check_positive_ints(where, n_in=n_in, n_h=n_h)
    rng = np.random.default_rng(seed)
    s = 1.0 / np.sqrt(n_in + n_h) if scale is None else scale
    params: Params = {}
    for k in gates:
        params[f"W_F_{k}"] = rng.standard_normal((n_h, n_in)) * s  # (n_h, n_in)
        params[f"W_R_{k}"] = rng.standard_normal((n_h, n_h)) * s  # (n_h, n_h)
        params[f"b_{k}"] = np.zeros((n_h, 1))  # (n_h, 1)
    return params


def stack(
    params: Any, gates: Sequence[str], where: str, chk: ShapeChecker | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The gates' weights one above the other, after checking every one.

    Returns
    -------
    W_F : (G n_h, n_in), W_R : (G n_h, n_h), b : (G n_h, 1), G = len(gates)
    """
    if not isinstance(params, dict):
        raise ShapeError(f"{where}: params must be a dict, not {type(params).__name__}.")
    keys = [f"{p}_{k}" for k in gates for p in ("W_F", "W_R", "b")]
    missing = [k for k in keys if k not in params]
    if missing:
        raise ShapeError(f"{where}: params is missing {missing}; it has {sorted(params)}.")
    chk = chk or ShapeChecker(where)
    for k in gates:
        chk.check(f"params['W_R_{k}']", params[f"W_R_{k}"], ("n_h", "n_h"), f"recurrent weights, gate {k}")
        chk.check(f"params['W_F_{k}']", params[f"W_F_{k}"], ("n_h", "n_in"), f"feedforward weights, gate {k}")
        chk.check(f"params['b_{k}']", params[f"b_{k}"], ("n_h", "1"), f"bias of gate {k}")
    W_F = np.vstack([params[f"W_F_{k}"] for k in gates])  # (G n_h, n_in)
    W_R = np.vstack([params[f"W_R_{k}"] for k in gates])  # (G n_h, n_h)
    b = np.vstack([params[f"b_{k}"] for k in gates])  # (G n_h, 1)
    return W_F, W_R, b


def unstack(grads: dict, gates: Sequence[str]) -> Params:
    """Split stacked gradients "W_F" (G n_h, n_in), "W_R", "b" back into one entry per gate."""
    n_h = grads["W_R"].shape[1]
    out: Params = {}
    for j, k in enumerate(gates):
        rows = slice(j * n_h, (j + 1) * n_h)
        out[f"W_F_{k}"] = grads["W_F"][rows]  # (n_h, n_in)
        out[f"W_R_{k}"] = grads["W_R"][rows]  # (n_h, n_h)
        out[f"b_{k}"] = grads["b"][rows]  # (n_h, 1)
    return out


def check_inputs(chk: ShapeChecker, x_name: str, x: Any, x_dims: tuple, **states: Any) -> tuple:
    """Check an input (one step or a whole sequence) and the (n_h, m) states; None stays None."""
    x = chk.check(
        x_name, x, x_dims, "input at step t" if len(x_dims) == 2 else "batch of sequences, time-major"
    )
    out = [None if s is None else chk.check(name, s, ("n_h", "m"), "state") for name, s in states.items()]
    return (x, *out)
