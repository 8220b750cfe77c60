"""What the four RNN types of `rnncourse.models` put around the recurrent layer.

The output layer ``o_t = W_out a_t + b_out`` (forward and backward next to each other),
the lengths of padded sequences and the activation at each sequence's last real step,
sampling a class from the logits, and the accuracy over the real steps. Notebooks 07-09.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ShapeChecker, ShapeError
from .losses import softmax

__all__ = [
    "OUTPUT_STREAM",
    "DECODER_STREAM",
    "init_output",
    "rnn_params",
    "output_forward",
    "output_backward",
    "check_lengths",
    "check_X",
    "gather_last",
    "scatter_last",
    "sample",
    "masked_accuracy",
]

Params = dict[str, np.ndarray]

#: The models seed each block of parameters with ``[seed, k]``: the recurrent layer
#: with `seed` itself, the output layer with k = OUTPUT_STREAM, a decoder with
#: k = DECODER_STREAM, so that no block repeats another's random draws.
OUTPUT_STREAM = 1
DECODER_STREAM = 2


def rnn_params(params: Params, prefix: str = "") -> Params:
    """The recurrent layer's {"W_F", "W_R", "b"} out of a model's params (keys after `prefix`)."""
    return {"W_F": params[prefix + "W_F"], "W_R": params[prefix + "W_R"], "b": params[prefix + "b"]}


def init_output(n_out: int, n_h: int, seed: Any) -> Params:
    """The output layer o_t = W_out a_t + b_out: W_out N(0, 1/n_h), b_out zero.

    `seed` is given to ``np.random.default_rng``; the models pass ``[seed, k]`` with a
    k of its own, so that W_out never repeats the draws of the recurrent weights.

    Returns
    -------
    params : {"W_out": (n_out, n_h), "b_out": (n_out, 1)}
    """
    rng = np.random.default_rng(seed)
    return {
        "W_out": rng.standard_normal((n_out, n_h)) / np.sqrt(n_h),  # (n_out, n_h)
        "b_out": np.zeros((n_out, 1)),  # (n_out, 1)
    }


def output_forward(W_out: np.ndarray, b_out: np.ndarray, A: np.ndarray) -> np.ndarray:
    """o_t = W_out a_t + b_out for every step at once: A (T, n_h, m) -> logits (T, n_out, m)."""
    return np.matmul(W_out, A) + b_out  # (n_out, n_h) @ (T, n_h, m) -> (T, n_out, m)


def output_backward(dO: np.ndarray, A: np.ndarray, W_out: np.ndarray) -> tuple[np.ndarray, ...]:
    """Gradients of the output layer; the weight gradients sum over steps and the batch.

    dO : (T, n_out, m), A : (T, n_h, m) -> dW_out (n_out, n_h), db_out (n_out, 1), dA (T, n_h, m)
    """
    dW_out = np.tensordot(dO, A, axes=([0, 2], [0, 2]))  # (n_out, n_h)
    db_out = dO.sum(axis=(0, 2))[:, None]  # (n_out, 1)
    dA = np.matmul(W_out.T, dO)  # (T, n_h, m)
    return dW_out, db_out, dA


def check_lengths(lengths: Any, T: int, m: int, where: str) -> np.ndarray:
    """Check `lengths` (m,) against X's T and m; None means every sequence has T steps."""
    if lengths is None:
        return np.full(m, T, dtype=np.int64)
    L = np.asarray(lengths)
    if L.shape != (m,):
        raise ShapeError(
            f"{where}: lengths should have shape (m,) = ({m},), one length per sequence of the batch, "
            f"but has shape {L.shape}."
        )
    if L.dtype.kind not in "iu" or L.min() < 1 or L.max() > T:
        raise ShapeError(
            f"{where}: every length must be a whole number from 1 to T = {T} (the steps of X), "
            f"but they range from {L.min()} to {L.max()}."
        )
    return L.astype(np.int64)


def gather_last(A: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The activation at the last *real* step of each sequence.

    A : (T, n_h, m), lengths : (m,) -> (n_h, m), column i is A[lengths[i] - 1, :, i]
    """
    m = A.shape[2]
    return A[lengths - 1, :, np.arange(m)].T  # (m, n_h) -> (n_h, m)


def scatter_last(dh: np.ndarray, lengths: np.ndarray, T: int) -> np.ndarray:
    """The reverse of `gather_last`: dh (n_h, m) -> dA (T, n_h, m), zero except at the last real steps."""
    n_h, m = dh.shape
    dA = np.zeros((T, n_h, m))
    dA[lengths - 1, :, np.arange(m)] = dh.T
    return dA


def sample(logits: np.ndarray, temperature: float, rng: np.random.Generator) -> np.ndarray:
    """Pick one class per column of `logits`.

    Parameters
    ----------
    logits : (n_out, m) output scores
    temperature : 0 picks the most likely class (greedy); otherwise classes are
        drawn from softmax(logits / temperature): below 1 sharper, above 1 flatter
    rng : random generator (unused when greedy)

    Returns
    -------
    (m,) class indices
    """
    if temperature < 0:
        raise ValueError(f"sample: temperature must be >= 0, got {temperature}.")
    if temperature == 0:
        return logits.argmax(axis=0)
    p = softmax(logits / temperature)  # (n_out, m)
    u = rng.random(p.shape[1])  # (m,)
    k = (p.cumsum(axis=0) < u).sum(axis=0)  # first class whose cumulative probability passes u
    return np.minimum(k, p.shape[0] - 1)


def masked_accuracy(pred: np.ndarray, Y: np.ndarray, mask: np.ndarray) -> float:
    """Share of the real (mask = 1) steps where pred equals Y; all three are (T, m)."""
    real = mask > 0
    return float((pred[real] == Y[real]).mean())


def check_X(where: str, X: Any, n_in: int) -> np.ndarray:
    chk = ShapeChecker(where, {"n_in": n_in})
    return chk.check("X", X, ("T", "n_in", "m"), "one-hot inputs, time-major")
