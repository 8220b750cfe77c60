"""Sorting short lists of small numbers with an encoder-decoder: ``[8, 2, 5] -> [2, 5, 8]``.

Introduced as an example in notebooks 01 and 07: sorting is a sequence problem whose
output is a sequence of a length only known from the input. `sorting_task` makes the
data, seeded, in the layout of `rnncourse.tasks` (one-hot inputs, time-major, padded
on the right, lengths varying within a batch). The held-out lists are drawn first, and
no training list equals one of them, so a good held-out score means the model sorts,
not that it remembers.

`Seq2Seq` is an encoder-decoder over a plain RNN or a GRU, with the structure of
`rnncourse.models.EncoderDecoder`: the encoder's state at each list's last real step
is the context, the decoder starts from it and reads the previous output (teacher
forcing in training, its own choice when predicting). Without attention the whole
list must fit in the context: with values 0..9 and up to 5 of them, the encoder has
to keep a count per value, which a GRU of a few dozen units learns in seconds.
(The LSTM is left out: its cell state at the last *real* step of a shorter list would
need a gradient injected in the middle of its sequence, which
`rnncourse.cells.lstm_backward` does not take.)
"""

from __future__ import annotations

import time

import numpy as np

from . import cells
from .cache import cached
from .losses import cross_entropy_sequence
from .optim import Adam, clip_by_norm
from .tasks import EOS, GO, Split, Task, one_hot, pad_tokens

__all__ = ["sorting_task", "Seq2Seq"]


def _draw_lists(rng, m: int, max_value: int, min_len: int, max_len: int, avoid=(), distinct=False):
    """m random lists (tuples), none of them in `avoid`; all different if `distinct`."""
    avoid, out = set(avoid), []
    n_lists = sum((max_value + 1) ** n for n in range(min_len, max_len + 1))
    if distinct and m > n_lists // 4:
        raise ValueError(
            f"sorting_task: there are only {n_lists} lists of {min_len} to {max_len} numbers from 0 to "
            f"{max_value}; hold out at most a quarter (n_val <= {n_lists // 4}), or allow longer lists."
        )
    while len(out) < m:
        n = int(rng.integers(min_len, max_len + 1))
        lst = tuple(int(v) for v in rng.integers(0, max_value + 1, size=n))
        if lst not in avoid:
            out.append(lst)
            if distinct:
                avoid.add(lst)
    return out


def _split(lists, in_vocab: list[str], out_vocab: list[str]) -> Split:
    src = [[str(v) for v in lst] for lst in lists]
    tgt = [[str(v) for v in sorted(lst)] for lst in lists]
    idx, lengths = pad_tokens(src, in_vocab)
    Y, _ = pad_tokens([t + [EOS] for t in tgt], out_vocab)
    return Split(X=one_hot(idx, len(in_vocab)), lengths=lengths, Y=Y, mask=(Y >= 0).astype(np.float64),
                 inputs=src, targets=tgt)  # fmt: skip


def sorting_task(
    n_train: int = 20000,
    n_val: int = 1000,
    max_value: int = 9,
    min_len: int = 2,
    max_len: int = 5,
    seed: int = 0,
) -> Task:
    """Encoder-decoder: a list of whole numbers 0..max_value -> the same numbers in increasing order.

    Parameters
    ----------
    n_train, n_val : number of training and held-out lists
    max_value : the largest number (each number is one token; 10 tokens for 0..9)
    min_len, max_len : the lengths of the lists, drawn uniformly
    seed : seeds both splits

    Returns
    -------
    Task with X : (T_in, max_value + 1, m) one-hot numbers, lengths : (m,),
    Y : (T_out, m) output ids ending with ``<eos>`` (-1 at padding), mask : (T_out, m);
    ``out_vocab`` is ``<go>``, ``<eos>`` and the numbers. The held-out lists are all
    different, and no training list is one of them.
    """
    if not 1 <= min_len <= max_len:
        raise ValueError(f"sorting_task: need 1 <= min_len <= max_len, got {min_len} and {max_len}.")
    in_vocab = [str(v) for v in range(max_value + 1)]
    out_vocab = [GO, EOS, *in_vocab]
    rng = np.random.default_rng(seed)
    val = _draw_lists(rng, n_val, max_value, min_len, max_len, distinct=True)
    train = _draw_lists(rng, n_train, max_value, min_len, max_len, avoid=val)
    return Task(
        name="sorting", kind="encoder-decoder",
        train=_split(train, in_vocab, out_vocab), val=_split(val, in_vocab, out_vocab),
        vocab=in_vocab, out_vocab=out_vocab, seeds=(seed, seed),
        description=f"Sort {min_len} to {max_len} numbers from 0 to {max_value}.",
    )  # fmt: skip


class Seq2Seq:
    """Encoder-decoder over "rnn" or "gru" cells (see the module docstring).

    Parameters
    ----------
    n_in : size of an input column; n_h : neurons of each recurrent layer
    n_out : output vocabulary (``<go>`` = 0, ``<eos>`` = 1, then the tokens)
    cell : "rnn" or "gru"; seed : seeds the weights

    Attributes
    ----------
    params : the encoder's weights with prefix "enc_", the decoder's with "dec_"
        (cell keys as in `rnncourse.cells.init`), "W_out" (n_out, n_h), "b_out" (n_out, 1)
    """

    def __init__(self, n_in: int, n_h: int, n_out: int, cell: str = "gru", seed: int = 0) -> None:
        if cell not in ("rnn", "gru"):
            raise ValueError(f"Seq2Seq: cell must be 'rnn' or 'gru', got {cell!r} (see the module doc).")
        self.n_in, self.n_h, self.n_out, self.cell = n_in, n_h, n_out, cell
        rng = np.random.default_rng(seed + 2)
        enc, dec = cells.init(cell, n_in, n_h, seed=seed), cells.init(cell, n_out, n_h, seed=seed + 1)
        self.params = {
            **{"enc_" + k: v for k, v in enc.items()},
            **{"dec_" + k: v for k, v in dec.items()},
            "W_out": rng.standard_normal((n_out, n_h)) / np.sqrt(n_h),  # (n_out, n_h)
            "b_out": np.zeros((n_out, 1)),  # (n_out, 1)
        }
        self._keys = list(enc)

    def _p(self, prefix: str) -> dict:
        return {k: self.params[prefix + k] for k in self._keys}

    def loss_and_grads(self, X, lengths, Y, mask) -> tuple[float, dict]:
        """Teacher-forced loss (sum over output steps, mean over lists) and every gradient.

        X : (T_in, n_in, m), lengths : (m,), Y : (T_out, m) with -1 at padding, mask : (T_out, m)
        """
        T, _, m = X.shape
        A_enc, enc = cells.forward(self.cell, X, self._p("enc_"))  # (T_in, n_h, m)
        cols = np.arange(m)
        c = A_enc[lengths - 1, :, cols].T  # (n_h, m) the state at each last real step
        prev = np.concatenate([np.zeros((1, m), dtype=np.int64), Y[:-1]], axis=0)  # <go> = 0 first
        A_dec, dec = cells.forward(self.cell, one_hot(prev, self.n_out), self._p("dec_"), a0=c)
        W_out = self.params["W_out"]
        logits = np.matmul(W_out, A_dec) + self.params["b_out"]  # (T_out, n_out, m)
        loss, dO = cross_entropy_sequence(logits, Y, mask)
        gd = cells.backward(np.matmul(W_out.T, dO), dec)
        dA_enc = np.zeros_like(A_enc)  # (T_in, n_h, m)
        dA_enc[lengths - 1, :, cols] = gd["a0"].T  # dL/dc enters at the last real steps
        ge = cells.backward(dA_enc, enc)
        grads = {
            "W_out": np.tensordot(dO, A_dec, axes=([0, 2], [0, 2])),  # (n_out, n_h)
            "b_out": dO.sum(axis=(0, 2))[:, None],  # (n_out, 1)
        }
        for k in self._keys:
            grads["enc_" + k], grads["dec_" + k] = ge[k], gd[k]
        return loss, grads

    def predict(self, X, lengths, max_len: int) -> list[list[int]]:
        """Greedy decoding until ``<eos>``: m lists of output ids (without ``<eos>``)."""
        T, _, m = X.shape
        A_enc, _ = cells.forward(self.cell, X, self._p("enc_"))
        a = A_enc[lengths - 1, :, np.arange(m)].T  # (n_h, m)
        word, out = np.zeros(m, dtype=np.int64), []
        dec = self._p("dec_")
        for _ in range(max_len):
            A, _ = cells.forward(self.cell, one_hot(word[None], self.n_out), dec, a0=a)
            a = A[0]
            word = (self.params["W_out"] @ a + self.params["b_out"]).argmax(axis=0)  # (m,)
            out.append(word)
        words = np.array(out).T  # (m, max_len)
        return [r[: r.index(1)] if 1 in r else r for r in words.tolist()]

    def exact_match(self, split: Split) -> float:
        """Share of lists of `split` sorted exactly right."""
        pred = self.predict(split.X, split.lengths, split.Y.shape[0] + 1)
        truth = [[int(y) for y in split.Y[: int(split.mask[:, i].sum()) - 1, i]] for i in range(len(split))]
        return float(np.mean([p == t for p, t in zip(pred, truth)]))

    @cached(mutates_first=True)
    def fit(self, train: Split, val: Split | None = None, steps: int = 2000, batch_size: int = 64,
            lr: float = 1e-2, clip: float = 1.0, eval_every: int = 250, max_seconds: float | None = None,
            clock: str = "wall", seed: int = 0, verbose: bool = False) -> dict[str, list]:  # fmt: skip
        """Adam on random minibatches; returns {"step", "seconds", "loss", "val_exact"} per evaluation."""
        rng, opt = np.random.default_rng(seed), Adam(lr=lr)
        hist: dict[str, list] = {"step": [], "seconds": [], "loss": [], "val_exact": []}
        now = time.process_time if clock == "cpu" else time.perf_counter
        spent, losses = 0.0, []
        for step in range(1, steps + 1):
            t0 = now()
            b = train.take(rng.choice(len(train), batch_size, replace=False), tokens=False)
            loss, grads = self.loss_and_grads(b.X, b.lengths, b.Y, b.mask)
            opt.step(self.params, clip_by_norm(grads, clip)[0])
            spent += now() - t0
            losses.append(loss)
            over = max_seconds is not None and spent >= max_seconds
            if step % eval_every == 0 or step == steps or over:
                v = float("nan") if val is None else self.exact_match(val)
                for key, x in zip(hist, (step, spent, float(np.mean(losses)), v)):
                    hist[key].append(x)
                losses = []
                if verbose:
                    line = f"step {step:5d}  loss {hist['loss'][-1]:.3f}  held-out exact {v:.3f}"
                    print(line + f"  ({spent:.1f} s)", flush=True)
            if over:
                break
        return hist
