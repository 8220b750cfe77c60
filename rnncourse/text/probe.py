"""What a trained model has learnt, character by character: brackets and indentation.

Introduced in notebook 12. `char_probs` gives the probability the model gave to every
character of a text that really came next; `bracket_closing` groups those of the
closing brackets by how many characters back their bracket was opened. A model that
remembers an open bracket over many characters gives ``)`` a high probability even
when the ``(`` is far behind; a model whose memory fades does not.
"""

from __future__ import annotations

import numpy as np

from .lm import CharLM
from .tbptt import chunks, sequential_streams

__all__ = ["char_probs", "bracket_distances", "bracket_closing"]

PAIRS = {")": "(", "]": "[", "}": "{"}


def char_probs(model: CharLM, text: str, m: int = 16, k: int = 200) -> np.ndarray:
    """p(text[i] | text[start of its stream : i]) for every i, read as m streams (see `perplexity`).

    Returns
    -------
    (len(text),) probabilities; NaN at the first character of each stream and at the
    dropped tail, which are not predicted
    """
    ids = model.vocab.encode(text)
    streams = sequential_streams(ids, m)  # (L, m)
    L = streams.shape[0]
    P = np.full((L, m), np.nan)
    state, s = None, 1
    for ids_in, ids_out in chunks(streams, k):
        logits, state, _ = model.forward(ids_in, state)  # (k, V, m)
        z = np.exp(logits - logits.max(axis=1, keepdims=True))
        p = z / z.sum(axis=1, keepdims=True)  # (k, V, m)
        P[s : s + len(ids_in)] = np.take_along_axis(p, ids_out[:, None, :], axis=1)[:, 0]  # (k, m)
        s += len(ids_in)
    out = np.full(len(text), np.nan)
    out[: m * L] = P.T.ravel()
    return out


def bracket_distances(text: str) -> np.ndarray:
    """For each character: how far back its matching opening bracket is, if it closes one; else 0."""
    dist = np.zeros(len(text), dtype=np.int64)
    stack: list[tuple[str, int]] = []
    for i, c in enumerate(text):
        if c in "([{":
            stack.append((c, i))
        elif c in PAIRS:
            if stack and stack[-1][0] == PAIRS[c]:
                dist[i] = i - stack.pop()[1]
            else:
                stack.clear()  # a bracket inside a string or a comment: start afresh
    return dist


def bracket_closing(probs: np.ndarray, text: str, edges=(1, 5, 20, 50, 10**9)) -> list[dict]:
    """Mean probability given to closing brackets, by distance to the bracket they close.

    Parameters
    ----------
    probs : (len(text),) from `char_probs`
    text : the same text
    edges : distance bins [edges[j], edges[j + 1])

    Returns
    -------
    one dict per bin: "from", "to", "count", "mean_p" (mean probability of the closer)
    """
    d = bracket_distances(text)
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (d >= lo) & (d < hi) & ~np.isnan(probs)
        rows.append({"from": lo, "to": hi, "count": int(sel.sum()),
                     "mean_p": float(probs[sel].mean()) if sel.any() else float("nan")})  # fmt: skip
    return rows
