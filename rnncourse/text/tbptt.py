"""Truncated backpropagation through time over m parallel streams of one long text.

Introduced in notebook 12. A text of N characters is too long for one BPTT pass. It is
cut into m streams side by side (d2l's *sequential partitioning*): stream i is the
i-th of m equal consecutive pieces, so column i of the (L, m) array continues where
it left off from one chunk to the next::

    streams[:, i] = ids[offset + i L : offset + (i + 1) L]        streams : (L, m)

The streams are then read in chunks of k steps. The state at the end of chunk j (the
hidden state a, and the LSTM's cell state c) is carried into chunk j + 1 as its
starting state, so the model sees context from before the chunk; but it is a constant
there, so the gradient stops at the chunk boundary: each chunk is one BPTT of k steps.
With k at least the length of the streams there is one chunk, and truncated BPTT is
full BPTT.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = ["sequential_streams", "chunks", "tbptt_loss_and_grads"]


def sequential_streams(ids, m: int, offset: int = 0) -> np.ndarray:
    """Cut `ids` (N,) into m consecutive streams, side by side: (L, m), L = (N - offset) // m.

    Parameters
    ----------
    ids : (N,) character ids of the text
    m : number of streams (the batch size)
    offset : ids skipped at the start (d2l draws it at random each epoch, so the chunk
        boundaries fall at other places); the last (N - offset) % m ids are dropped too

    Returns
    -------
    streams : (L, m), column i is ids[offset + i L : offset + (i + 1) L]
    """
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"sequential_streams: ids should be one text (N,), got shape {ids.shape}.")
    if not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"sequential_streams: m must be a positive whole number, got {m!r}.")
    L = (len(ids) - offset) // m
    if L < 2:
        raise ValueError(
            f"sequential_streams: {len(ids)} ids minus an offset of {offset} make streams of {L} "
            f"character(s) for m = {m}; each stream needs at least 2 (an input and its next character). "
            "Use a smaller m."
        )
    return ids[offset : offset + m * L].reshape(m, L).T  # (L, m)


def chunks(streams: np.ndarray, k: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The consecutive chunks of k steps: (ids_in, ids_out), each (k, m) (the last may be shorter).

    ids_out is ids_in moved one step on: the character that follows each input.
    """
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"chunks: k must be a positive whole number of steps, got {k!r}.")
    L = streams.shape[0]
    for s in range(0, L - 1, k):
        e = min(s + k, L - 1)
        yield streams[s:e], streams[s + 1 : e + 1]  # (k, m), (k, m)


def tbptt_loss_and_grads(model, streams: np.ndarray, k: int, state=None) -> tuple[float, dict, list]:
    """Truncated BPTT over all chunks of `streams`, without updating: summed loss and gradients.

    Parameters
    ----------
    model : a `CharLM` (anything with ``loss_and_grads(ids_in, ids_out, state)``)
    streams : (L, m) from `sequential_streams`
    k : steps per chunk
    state : the state before the first chunk (zeros when None)

    Returns
    -------
    loss : the sum of the chunks' losses (each a sum over its steps, mean over the streams)
    grads : the sum of the chunks' gradients
    states : the state carried *into* each chunk (the first is the initial state)
    """
    total, grads, states = 0.0, None, []
    for ids_in, ids_out in chunks(streams, k):
        states.append(state if state is not None else model.init_state(streams.shape[1]))
        loss, g, state = model.loss_and_grads(ids_in, ids_out, state)
        total += loss
        grads = g if grads is None else {key: grads[key] + g[key] for key in grads}
    return total, grads, states
