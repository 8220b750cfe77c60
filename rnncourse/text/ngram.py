"""n-gram baselines with add-one (Laplace) smoothing: what counting alone achieves.

Introduced in notebook 12. An n-gram model predicts a character from the n - 1
characters before it, by counting in the training text how often each character
followed that context:

    P(c | ctx) = (count(ctx, c) + 1) / (count(ctx) + V)

The +1 gives every character a nonzero probability in every context, also in contexts
the training text never showed (then P is uniform, 1/V). n = 1 is the unigram model
(no context), n = 2 the bigram, n = 3 the trigram.

Perplexity is exp of the mean negative log-probability per character: a model that
spreads its guesses evenly over p characters has perplexity p. Held-out characters
missing from the training text are ``<unk>`` (see `rnncourse.text.vocab`). The context
of the first held-out characters is the end of the training text, which precedes it.
"""

from __future__ import annotations

import numpy as np

from .vocab import Vocab

__all__ = ["ngram_log_probs", "ngram_perplexity", "baselines"]


def _context_codes(ids: np.ndarray, n: int, V: int, start: int) -> np.ndarray:
    """One integer per position i >= start naming the context ids[i-n+1:i] (n - 1 ids)."""
    code = np.zeros(len(ids) - start, dtype=np.int64)
    for j in range(1, n):
        code = code * V + ids[start - j : len(ids) - j]
    return code


def ngram_log_probs(train_ids: np.ndarray, val_ids: np.ndarray, n: int, V: int) -> np.ndarray:
    """log P(val_ids[i] | the n - 1 ids before it) under add-one smoothed counts of `train_ids`.

    Parameters
    ----------
    train_ids : (N,) ids of the training text
    val_ids : (N_val,) ids of the held-out text, which follows the training text
    n : order (1 unigram, 2 bigram, 3 trigram, ...)
    V : vocabulary size, ``<unk>`` included

    Returns
    -------
    (N_val,) natural-log probabilities
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"ngram_log_probs: n must be a whole number >= 1, got {n!r}.")
    train_ids, val_ids = np.asarray(train_ids, np.int64), np.asarray(val_ids, np.int64)
    if len(train_ids) < n:
        raise ValueError(f"ngram_log_probs: the training text has {len(train_ids)} ids, fewer than n = {n}.")
    s = n - 1
    ctx_tr = _context_codes(train_ids, n, V, s)  # (N - s,)
    full = np.concatenate([train_ids, val_ids])
    ctx_val = _context_codes(full, n, V, len(train_ids))  # (N_val,) contexts may reach into train
    # Count (context, next) pairs and contexts, then look the held-out ones up by sorting.
    pair_tr, pair_val = ctx_tr * V + train_ids[s:], ctx_val * V + val_ids
    pairs, pair_counts = np.unique(pair_tr, return_counts=True)
    ctxs, ctx_counts = np.unique(ctx_tr, return_counts=True)
    return np.log(_lookup(pairs, pair_counts, pair_val) + 1.0) - np.log(
        _lookup(ctxs, ctx_counts, ctx_val) + float(V)
    )


def _lookup(keys: np.ndarray, counts: np.ndarray, query: np.ndarray) -> np.ndarray:
    """counts[keys == q] for every q of `query`, 0 where q is not among the sorted `keys`."""
    pos = np.searchsorted(keys, query)
    pos = np.minimum(pos, len(keys) - 1)
    return np.where(keys[pos] == query, counts[pos], 0).astype(np.float64)


def ngram_perplexity(train_text: str, val_text: str, n: int, vocab: Vocab | None = None) -> float:
    """Perplexity on `val_text` of the add-one smoothed n-gram model counted on `train_text`.

    Parameters
    ----------
    train_text : the text the counts come from
    val_text : the held-out text that follows it
    n : 1 unigram, 2 bigram, 3 trigram
    vocab : the character vocabulary (built from `train_text` when None)

    Returns
    -------
    exp(-mean log P) over the characters of `val_text`
    """
    vocab = Vocab.from_text(train_text) if vocab is None else vocab
    lp = ngram_log_probs(vocab.encode(train_text), vocab.encode(val_text), n, len(vocab))
    return float(np.exp(-lp.mean()))


def baselines(train_text: str, val_text: str, orders=(1, 2, 3)) -> dict[str, float]:
    """Held-out perplexity of the unigram, bigram and trigram models: {"unigram": ..., ...}."""
    names = {1: "unigram", 2: "bigram", 3: "trigram"}
    vocab = Vocab.from_text(train_text)
    return {names.get(n, f"{n}-gram"): ngram_perplexity(train_text, val_text, n, vocab) for n in orders}
