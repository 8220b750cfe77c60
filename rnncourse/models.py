"""The four RNN types, built on the same recurrent layer, trained in NumPy.

=================  ===========================  ================================
model              input                        output
=================  ===========================  ================================
`ManyToOne`        a sequence X (T, n_in, m)    one class per sequence (m,)
`ManyToMany`       a sequence X (T, n_in, m)    one class per step (T, m)
`EncoderDecoder`   a sequence X (T_in, n_in, m) another sequence, any length
`OneToMany`        one class per sequence (m,)  a sequence (T, m)
=================  ===========================  ================================

Every model runs `rnncourse.rnn.forward_fast` for its recurrent layer(s) and
`rnncourse.rnn.backward_fast` for BPTT (the same functions as `rnn.forward` and
`rnn.backward`, computed faster); `ManyToOne` also takes an LSTM or GRU cell.
What differs is where the inputs come from and which activations feed the output
layer

    o_t = W_out a_t + b_out      W_out : (n_out, n_h),  b_out : (n_out, 1)

followed by a softmax over the n_out rows.

**Inputs are one-hot** columns (no embedding matrix): a token with index k is the
column with a 1 in row k, so ``W_F`` times it is simply column k of ``W_F``,
which plays the role of an embedding. Padded steps are columns of zeros after
the end of a shorter sequence (see `rnncourse.tasks`).

Each model has

- ``params``: a dict of float64 arrays (the keys are listed in its docstring);
- ``loss_and_grads(...) -> (loss, grads)``: the loss (sum over steps, mean over
  the batch, as in `rnncourse.losses`) and the gradient of every parameter;
- ``fit(train, ...)``: Adam on minibatches, optional clipping by norm, a printed
  line every few epochs, a loss history in ``model.history``;
- ``predict`` (the most likely class / tags / words) or ``generate`` (greedy with
  ``temperature=0``, sampled otherwise), and ``score(split)``.

The module is split by job: this file holds the two models that read a sequence
(`ManyToOne`, `ManyToMany`); `rnncourse.generative` the two that write one
(`EncoderDecoder`, `OneToMany`); `rnncourse.heads` the output layer and padding
helpers; `rnncourse.training` the training step and `fit`. Every name stays
importable from here. Notebooks 07, 08 and 09.
"""

from __future__ import annotations

import numpy as np

from . import cells, rnn
from .errors import check_positive_ints
from .generative import EncoderDecoder, OneToMany
from .heads import (
    OUTPUT_STREAM,
    check_lengths,
    check_X,
    gather_last,
    init_output,
    masked_accuracy,
    output_backward,
    output_forward,
    rnn_params,
    sample,
    scatter_last,
)
from .losses import cross_entropy_last, cross_entropy_sequence, softmax
from .tasks import Split
from .training import Model

__all__ = ["ManyToOne", "ManyToMany", "EncoderDecoder", "OneToMany", "Model", "sample", "masked_accuracy"]

Params = dict[str, np.ndarray]


# ---------------------------------------------------------------------------
# Many-to-one
# ---------------------------------------------------------------------------
class ManyToOne(Model):
    """A sequence in, one class out, read from the activation of the last real step.

    The layer computes a_t at every step, but only a_T (for each sequence, its own
    last step ``lengths[i] - 1``) reaches the output layer:
    ``o = W_out a_T + b_out``, ``p = softmax(o)``.

    Parameters
    ----------
    n_in : size of an input column (one-hot length)
    n_h : neurons of the recurrent layer
    n_out : number of classes
    seed : seeds the initial weights (the output layer draws from its own stream)
    cell : the recurrent cell, "rnn" (tanh, the default), "lstm" or "gru"
        (`rnncourse.cells`; the long-lag experiment of notebooks 10 and 11 uses all three)
    **init_kwargs : passed to the cell's init, e.g. ``forget_bias=5.0`` for the LSTM

    Attributes
    ----------
    params : the cell's parameters ({"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}
        for "rnn", one "W_F_k", "W_R_k", "b_k" per gate otherwise) and
        "W_out": (n_out, n_h), "b_out": (n_out, 1)
    """

    score_name = "accuracy"

    def __init__(
        self, n_in: int, n_h: int, n_out: int, seed: int = 0, cell: str = "rnn", **init_kwargs
    ) -> None:
        super().__init__()
        check_positive_ints("ManyToOne", n_in=n_in, n_h=n_h, n_out=n_out)
        self.n_in, self.n_h, self.n_out = n_in, n_h, n_out
        self.cell = cells.check_cell(cell, "ManyToOne")
        self.params = {
            **cells.init(cell, n_in, n_h, seed=seed, **init_kwargs),
            **init_output(n_out, n_h, seed=[seed, OUTPUT_STREAM]),
        }

    def _cell_params(self) -> Params:
        return {k: v for k, v in self.params.items() if k not in ("W_out", "b_out")}

    def forward(self, X: np.ndarray, lengths: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
        """Logits of each sequence from its last real step.

        Parameters
        ----------
        X : (T, n_in, m) one-hot inputs, zero columns at padded steps
        lengths : (m,) real steps of each sequence; None means all T

        Returns
        -------
        logits : (n_out, m)
        cache : for `loss_and_grads`
        """
        X = check_X("ManyToOne", X, self.n_in)
        T, _, m = X.shape
        L = check_lengths(lengths, T, m, "ManyToOne")
        A, cache = cells.forward(self.cell, X, self._cell_params())  # (T, n_h, m)
        h = gather_last(A, L)  # (n_h, m): a_T of each sequence
        logits = self.params["W_out"] @ h + self.params["b_out"]  # (n_out, m)
        return logits, {"rnn": cache, "h": h, "lengths": L, "T": T}

    def loss_and_grads(
        self, X: np.ndarray, y: np.ndarray, lengths: np.ndarray | None = None
    ) -> tuple[float, Params]:
        """Cross-entropy of the last-step output and the gradient of every parameter.

        Parameters
        ----------
        X : (T, n_in, m), y : (m,) class of each sequence, lengths : (m,) or None

        Returns
        -------
        loss : mean over the batch of -log p(correct class)
        grads : same keys and shapes as `params`
        """
        logits, c = self.forward(X, lengths)
        loss, dlogits = cross_entropy_last(logits, y)  # dlogits (n_out, m)
        dh = self.params["W_out"].T @ dlogits  # (n_h, m)
        dA = scatter_last(dh, c["lengths"], c["T"])  # (T, n_h, m): only the last real steps
        g = cells.backward(dA, c["rnn"])
        return loss, {
            **{k: g[k] for k in self._cell_params()},
            "W_out": dlogits @ c["h"].T,  # (n_out, n_h)
            "b_out": dlogits.sum(axis=1, keepdims=True),  # (n_out, 1)
        }

    def predict_proba(self, X: np.ndarray, lengths: np.ndarray | None = None) -> np.ndarray:
        """(n_out, m) probability of each class for each sequence."""
        return softmax(self.forward(X, lengths)[0])

    def predict(self, X: np.ndarray, lengths: np.ndarray | None = None) -> np.ndarray:
        """(m,) the most likely class of each sequence."""
        return self.forward(X, lengths)[0].argmax(axis=0)

    def _args(self, batch: Split) -> tuple:
        return batch.X, batch.y, batch.lengths

    def score(self, split: Split) -> float:
        """Accuracy: share of sequences whose predicted class is right."""
        return float((self.predict(split.X, split.lengths) == split.y).mean())


# ---------------------------------------------------------------------------
# Many-to-many, equal lengths
# ---------------------------------------------------------------------------
class ManyToMany(Model):
    """One output for every input step: o_t = W_out a_t + b_out.

    The loss sums the per-step cross-entropies over the real steps (the mask is
    0 at padding), and every step's gradient enters BPTT at its own step.

    Parameters
    ----------
    n_in, n_h, n_out, seed : as for `ManyToOne`

    Attributes
    ----------
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1),
              "W_out": (n_out, n_h), "b_out": (n_out, 1)}
    """

    score_name = "token accuracy"

    def __init__(self, n_in: int, n_h: int, n_out: int, seed: int = 0) -> None:
        super().__init__()
        check_positive_ints("ManyToMany", n_in=n_in, n_h=n_h, n_out=n_out)
        self.n_in, self.n_h, self.n_out = n_in, n_h, n_out
        self.params = {
            **rnn.init_params(n_in, n_h, seed=seed),
            **init_output(n_out, n_h, [seed, OUTPUT_STREAM]),
        }

    def forward(self, X: np.ndarray) -> tuple[np.ndarray, dict]:
        """X (T, n_in, m) -> logits (T, n_out, m), and a cache."""
        X = check_X("ManyToMany", X, self.n_in)
        A, cache = rnn.forward_fast(X, rnn_params(self.params))  # (T, n_h, m)
        return output_forward(self.params["W_out"], self.params["b_out"], A), {"rnn": cache, "A": A}

    def loss_and_grads(
        self, X: np.ndarray, Y: np.ndarray, mask: np.ndarray | None = None
    ) -> tuple[float, Params]:
        """Total loss over the real steps and the gradient of every parameter.

        Parameters
        ----------
        X : (T, n_in, m), Y : (T, m) class at every step, mask : (T, m) or None

        Returns
        -------
        loss : (1/m) sum over sequences and real steps of -log p(correct class)
        grads : same keys and shapes as `params`
        """
        logits, c = self.forward(X)
        loss, dO = cross_entropy_sequence(logits, Y, mask)  # dO (T, n_out, m), zero at padding
        dW_out, db_out, dA = output_backward(dO, c["A"], self.params["W_out"])
        g = rnn.backward_fast(dA, c["rnn"])
        return loss, {"W_F": g["W_F"], "W_R": g["W_R"], "b": g["b"], "W_out": dW_out, "b_out": db_out}

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(T, m) the most likely class at every step (padded steps included: mask them)."""
        return self.forward(X)[0].argmax(axis=1)

    def _args(self, batch: Split) -> tuple:
        return batch.X, batch.Y, batch.mask

    def score(self, split: Split) -> float:
        """Token accuracy: share of real steps whose predicted class is right."""
        return masked_accuracy(self.predict(split.X), split.Y, split.mask)
