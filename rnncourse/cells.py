"""The three recurrent cells by name: the plain RNN, the LSTM and the GRU.

The cells themselves live in `rnncourse.rnn` (plain), `rnncourse.lstm` and
`rnncourse.gru`; each is written as a step with its backward right next to it, and the
sequence functions are the loops over the step. This module gathers their names, so
``rnncourse.cells.lstm_forward`` and friends work, and adds `init`, `forward` and
`backward`, which take the cell's name ("rnn", "lstm" or "gru") so that code (the
models, the gradient plots, the long-lag experiment) can treat the three cells alike.
For the plain RNN they call the fast path of `rnncourse.rnn`. Notebook 11.

This module imports NumPy only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import rnn
from .gru import GRU_GATES, gru_backward, gru_cell_backward, gru_cell_forward, gru_forward, gru_init_params
from .lstm import (
    LSTM_GATES,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    lstm_init_params,
)

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
    "check_cell",
    "init",
    "forward",
    "backward",
    "state_size",
]

CELLS = ("rnn", "lstm", "gru")

Params = dict[str, np.ndarray]


def check_cell(cell: Any, where: str) -> str:
    """Return `cell` if it is "rnn", "lstm" or "gru", else raise an error listing the choices."""
    if cell not in CELLS:
        raise ValueError(f"{where}: unknown cell {cell!r}; choose one of {', '.join(CELLS)}.")
    return cell


def init(cell: str, n_in: int, n_h: int, seed: Any = 0, **kwargs) -> Params:
    """Parameters for the cell named "rnn", "lstm" or "gru" (keyword arguments go to its init).

    Returns
    -------
    params : "W_F", "W_R", "b" for "rnn"; one "W_F_k", "W_R_k", "b_k" per gate otherwise
    """
    check_cell(cell, "init")
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
    check_cell(cell, "forward")
    if cell == "rnn":
        A, cache = rnn.forward_fast(X, params, a0=a0, activation=activation)
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
        return rnn.backward_fast(dA, cache)
    if cell == "lstm":
        return lstm_backward(dA, cache)
    return gru_backward(dA, cache)


def state_size(cell: str, n_h: int) -> int:
    """How many numbers the cell carries from step to step: n_h, or 2 n_h for the LSTM (a and c)."""
    return 2 * n_h if check_cell(cell, "state_size") == "lstm" else n_h
