"""The four activations the course uses, with derivatives written in terms of the output.

For each activation f, `derivative(name, a)` returns f'(z) computed from a = f(z).
That is all backpropagation needs, so the forward pass never has to keep z:

=========  ==================  =====================  ================
name       f(z)                f'(z) from a = f(z)    max of f'
=========  ==================  =====================  ================
tanh       tanh(z)             1 - a**2               1
sigmoid    1 / (1 + e^(-z))    a * (1 - a)            1/4
relu       max(z, 0)           1 if a > 0 else 0      1
linear     z                   1                      1
=========  ==================  =====================  ================

The last column is the constant gamma of the vanishing-gradient bound in notebook 10.
"""

from __future__ import annotations

import numpy as np

from .errors import ShapeError

__all__ = ["ACTIVATIONS", "GAMMA", "activate", "derivative", "sigmoid", "check_activation"]

ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear")

#: Upper bound of |f'(z)| for each activation (gamma in the course's bound).
GAMMA = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0, "linear": 1.0}


def check_activation(activation: str, where: str = "activation") -> str:
    """Return `activation` if the course knows it, else raise an error listing the choices."""
    if activation not in ACTIVATIONS:
        raise ShapeError(
            f"{where}: unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}."
        )
    return activation


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Logistic sigmoid 1 / (1 + e^(-z)), computed without overflow for large |z|.

    Uses 0.5 * (1 + tanh(z / 2)), which is the same function and never overflows.
    """
    out = np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def activate(activation: str, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """a = f(z), elementwise. `out` may be given to write the result in place."""
    if activation == "tanh":
        return np.tanh(z, out=out)
    if activation == "sigmoid":
        return sigmoid(z, out=out)
    if activation == "relu":
        return np.maximum(z, 0.0, out=out)
    if activation == "linear":
        if out is None:
            return np.array(z, copy=True)
        out[...] = z
        return out
    raise ShapeError(check_activation(activation))  # pragma: no cover - check_activation raises


def derivative(activation: str, a: np.ndarray) -> np.ndarray:
    """f'(z) from the activation's output a = f(z), same shape as `a`."""
    if activation == "tanh":
        return 1.0 - a * a
    if activation == "sigmoid":
        return a * (1.0 - a)
    if activation == "relu":
        return (a > 0).astype(a.dtype)
    if activation == "linear":
        return np.ones_like(a)
    raise ShapeError(check_activation(activation))  # pragma: no cover
