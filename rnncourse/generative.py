"""The two models of `rnncourse.models` that write a sequence: encoder-decoder and one-to-many.

Both feed their own previous output back in as the next input (teacher forcing in
training: the true previous word or note). Built on `rnncourse.rnn` (the fast path),
the output layer of `rnncourse.heads` and the training of `rnncourse.training`.
Import them from `rnncourse.models`. Notebooks 07 and 09.
"""

from __future__ import annotations

import numpy as np

from . import rnn
from .errors import ArgumentError, ShapeError, check_indices
from .heads import (
    DECODER_STREAM,
    OUTPUT_STREAM,
    check_lengths,
    check_X,
    gather_last,
    init_output,
    output_backward,
    output_forward,
    rnn_params,
    sample,
    scatter_last,
)
from .losses import cross_entropy_sequence
from .tasks import Split, one_hot
from .training import Model

__all__ = ["EncoderDecoder", "OneToMany"]

Params = dict[str, np.ndarray]


# ---------------------------------------------------------------------------
# Encoder-decoder
# ---------------------------------------------------------------------------
class EncoderDecoder(Model):
    """Two recurrent layers: the encoder reads the input, the decoder writes the output.

    - Encoder: ``a_t = tanh(W_F^enc x_t + W_R^enc a_{t-1} + b^enc)``; its activation
      at the last real step of each sequence is the *context vector* c (n_h, m).
    - Decoder: starts from ``a_0 = c``; its input at step t is the one-hot of the
      previous output word (``<go>`` at the first step); ``o_t = W_out a_t + b_out``.
      In training the previous word is the *correct* one (teacher forcing); when
      predicting it is the model's own choice, until it writes ``<eos>``.

    The gradient reaches the encoder only through c: the decoder's BPTT returns
    dL/da_0 = dL/dc, which enters the encoder at each sequence's last real step.

    Parameters
    ----------
    n_in : size of an input column of the encoder
    n_h : neurons of each recurrent layer (the context vector has n_h rows)
    n_out : output vocabulary, including ``<go>`` and ``<eos>``
    go, eos : indices of ``<go>`` and ``<eos>`` in the output vocabulary
    seed : seeds the initial weights

    Attributes
    ----------
    params : {"enc_W_F": (n_h, n_in), "enc_W_R": (n_h, n_h), "enc_b": (n_h, 1),
              "dec_W_F": (n_h, n_out), "dec_W_R": (n_h, n_h), "dec_b": (n_h, 1),
              "W_out": (n_out, n_h), "b_out": (n_out, 1)}
    """

    score_name = "exact match"

    def __init__(self, n_in: int, n_h: int, n_out: int, go: int = 0, eos: int = 1, seed: int = 0) -> None:
        super().__init__()
        self.n_in, self.n_h, self.n_out, self.go, self.eos = n_in, n_h, n_out, go, eos
        enc = rnn.init_params(n_in, n_h, seed=seed)
        dec = rnn.init_params(n_out, n_h, seed=[seed, DECODER_STREAM])
        self.params = {
            **{"enc_" + k: v for k, v in enc.items()},
            **{"dec_" + k: v for k, v in dec.items()},
            **init_output(n_out, n_h, [seed, OUTPUT_STREAM]),
        }
        for name, index in (("go", go), ("eos", eos)):
            if isinstance(index, bool) or not hasattr(index, "__index__") or not 0 <= index < n_out:
                raise ArgumentError(
                    f"EncoderDecoder: {name} must be a word index in 0..{n_out - 1} (the output "
                    f"vocabulary has n_out = {n_out} words), got {index!r}. Pass the index of "
                    f"{'<go>' if name == 'go' else '<eos>'} in that vocabulary."
                )

    def encode(self, X: np.ndarray, lengths: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
        """X (T_in, n_in, m) -> context c (n_h, m), the encoder's a at each last real step."""
        X = check_X("EncoderDecoder", X, self.n_in)
        T, _, m = X.shape
        L = check_lengths(lengths, T, m, "EncoderDecoder")
        A, cache = rnn.forward_fast(X, rnn_params(self.params, "enc_"))  # (T_in, n_h, m)
        return gather_last(A, L), {"rnn": cache, "lengths": L, "T": T}

    def decoder_inputs(self, Y: np.ndarray) -> np.ndarray:
        """Teacher forcing: Y (T_out, m) targets -> (T_out, n_out, m) one-hot of the previous word.

        Step 0 gets ``<go>``; step t gets Y[t-1]; padding (-1) gives zero columns.
        """
        prev = np.concatenate([np.full((1, Y.shape[1]), self.go), Y[:-1]], axis=0)  # (T_out, m)
        return one_hot(prev, self.n_out)

    def loss_and_grads(
        self, X: np.ndarray, lengths: np.ndarray | None, Y: np.ndarray, mask: np.ndarray | None = None
    ) -> tuple[float, Params]:
        """Loss of the decoder's outputs (teacher forcing) and the gradient of every parameter.

        Parameters
        ----------
        X : (T_in, n_in, m) one-hot inputs; lengths : (m,) real input steps (or None)
        Y : (T_out, m) target word indices, ending with ``<eos>``, -1 at padding
        mask : (T_out, m) 1 at real output steps, 0 at padding

        Returns
        -------
        loss : (1/m) sum over sequences and real output steps of -log p(correct word)
        grads : same keys and shapes as `params`
        """
        check_indices("EncoderDecoder", "Y", Y, self.n_out, "n_out")
        c, enc = self.encode(X, lengths)  # (n_h, m)
        if mask is None:
            mask = (np.asarray(Y) >= 0).astype(np.float64)
        Xd = self.decoder_inputs(np.asarray(Y))  # (T_out, n_out, m)
        Ad, dec_cache = rnn.forward_fast(Xd, rnn_params(self.params, "dec_"), a0=c)  # (T_out, n_h, m)
        logits = output_forward(self.params["W_out"], self.params["b_out"], Ad)  # (T_out, n_out, m)
        loss, dO = cross_entropy_sequence(logits, Y, mask)
        dW_out, db_out, dAd = output_backward(dO, Ad, self.params["W_out"])
        gd = rnn.backward_fast(dAd, dec_cache)
        dA_enc = scatter_last(gd["a0"], enc["lengths"], enc["T"])  # dL/dc enters at the last real steps
        ge = rnn.backward_fast(dA_enc, enc["rnn"])
        return loss, {
            "enc_W_F": ge["W_F"], "enc_W_R": ge["W_R"], "enc_b": ge["b"],
            "dec_W_F": gd["W_F"], "dec_W_R": gd["W_R"], "dec_b": gd["b"],
            "W_out": dW_out, "b_out": db_out,
        }  # fmt: skip

    def predict(
        self,
        X: np.ndarray,
        lengths: np.ndarray | None = None,
        max_len: int = 10,
        temperature: float = 0.0,
        seed: int = 0,
    ) -> list[list[int]]:
        """Decode each sequence one word at a time, feeding each word back in.

        Parameters
        ----------
        X : (T_in, n_in, m), lengths : (m,) or None
        max_len : the most words written per sequence (``<eos>`` included)
        temperature : 0 for greedy decoding (the most likely word each time),
            > 0 to sample (see `sample`)
        seed : seeds the sampling

        Returns
        -------
        m lists of word indices, each stopping before its ``<eos>``
        """
        rng = np.random.default_rng(seed)
        a, _ = self.encode(X, lengths)  # (n_h, m)
        m = a.shape[1]
        dec = rnn_params(self.params, "dec_")
        word = np.full(m, self.go)
        out = np.empty((max_len, m), dtype=np.int64)
        done = np.zeros(m, dtype=bool)
        for t in range(max_len):
            x_t = one_hot(word[None, :], self.n_out)[0]  # (n_out, m)
            a, _ = rnn.cell_forward(x_t, a, dec["W_F"], dec["W_R"], dec["b"])  # one step: (n_h, m)
            logits = self.params["W_out"] @ a + self.params["b_out"]  # (n_out, m)
            word = sample(logits, temperature, rng)  # (m,)
            out[t] = word
            done |= word == self.eos
            if done.all():
                out = out[: t + 1]
                break
        result = []
        for i in range(m):
            seq = out[:, i].tolist()
            result.append(seq[: seq.index(self.eos)] if self.eos in seq else seq)
        return result

    def _args(self, batch: Split) -> tuple:
        return batch.X, batch.lengths, batch.Y, batch.mask

    def targets(self, split: Split) -> list[list[int]]:
        """The target word indices of every sequence of `split`, without padding and ``<eos>``.

        The same form as the output of `predict`, so ``predict(...)[i] == targets(split)[i]``
        means sequence i is exactly right.
        """
        result = []
        for i in range(len(split)):
            y = split.Y[:, i][split.mask[:, i] > 0].tolist()
            result.append(y[: y.index(self.eos)] if self.eos in y else y)
        return result

    def score(self, split: Split) -> float:
        """Exact match: share of sequences whose greedy output equals the target word for word."""
        pred = self.predict(split.X, split.lengths, max_len=split.Y.shape[0] + 2)
        return float(np.mean([p == t for p, t in zip(pred, self.targets(split))]))


# ---------------------------------------------------------------------------
# One-to-many
# ---------------------------------------------------------------------------
class OneToMany(Model):
    """One class in, a sequence out: a generative model.

    The input at the first step is the class, one-hot; at every later step it is
    the note the model wrote one step earlier, fed back in. An input column holds
    both parts, ``[class one-hot (n_classes) ; previous output one-hot (n_out)]``,
    so n_in = n_classes + n_out and each step fills one part with zeros:

        x_1 = [one_hot(c) ; 0]        x_t = [0 ; one_hot(y_{t-1})]  for t > 1

    The class enters only once, so the recurrent state must carry it along.
    In training the fed-back note is the true one (teacher forcing); `generate`
    feeds back the model's own sampled notes.

    Parameters
    ----------
    n_classes : number of classes (the one input)
    n_h : neurons of the recurrent layer
    n_out : number of output symbols (e.g. notes)
    seed : seeds the initial weights

    Attributes
    ----------
    params : {"W_F": (n_h, n_classes + n_out), "W_R": (n_h, n_h), "b": (n_h, 1),
              "W_out": (n_out, n_h), "b_out": (n_out, 1)}
    """

    score_name = "loss per note"

    def __init__(self, n_classes: int, n_h: int, n_out: int, seed: int = 0) -> None:
        super().__init__()
        self.n_classes, self.n_h, self.n_out = n_classes, n_h, n_out
        self.n_in = n_classes + n_out
        self.params = {
            **rnn.init_params(self.n_in, n_h, seed=seed),
            **init_output(n_out, n_h, [seed, OUTPUT_STREAM]),
        }

    def inputs(self, classes: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """classes (m,), Y (T, m) -> X (T, n_classes + n_out, m): the class, then the previous notes."""
        classes = np.asarray(classes)
        T, m = Y.shape
        X = np.zeros((T, self.n_in, m))
        X[0, classes, np.arange(m)] = 1.0  # x_1 = [one_hot(c) ; 0]
        X[1:, self.n_classes :, :] = one_hot(Y[:-1], self.n_out)  # x_t = [0 ; one_hot(y_{t-1})]
        return X

    def forward(self, classes: np.ndarray | list[int], Y: np.ndarray) -> tuple[np.ndarray, dict]:
        """Teacher-forced scores: the logits of every step, given the class and the true notes.

        Parameters
        ----------
        classes : (m,) class of each sequence
        Y : (T, m) the symbols fed back; ``Y[t-1]`` is the input of step t, so
            ``logits[t]`` depends on the class and on ``Y[:t]`` only (never on ``Y[t:]``)

        Returns
        -------
        logits : (T, n_out, m) scores of the symbol at every step
        cache : for `loss_and_grads`
        """
        Y = np.asarray(Y)
        classes = np.atleast_1d(np.asarray(classes))
        if Y.ndim != 2 or classes.shape != (Y.shape[1],):
            raise ShapeError(
                f"OneToMany: classes should have shape (m,) and Y shape (T, m), one class and one "
                f"column of symbols per sequence, but they have shapes {classes.shape} and {Y.shape}."
            )
        X = self.inputs(classes, Y)  # (T, n_in, m)
        A, cache = rnn.forward_fast(X, rnn_params(self.params))  # (T, n_h, m)
        return output_forward(self.params["W_out"], self.params["b_out"], A), {"rnn": cache, "A": A}

    def loss_and_grads(
        self, classes: np.ndarray, Y: np.ndarray, mask: np.ndarray | None = None
    ) -> tuple[float, Params]:
        """Loss of predicting every note from the class and the notes before it.

        Parameters
        ----------
        classes : (m,) class of each sequence
        Y : (T, m) target symbol at every step
        mask : (T, m) or None

        Returns
        -------
        loss : (1/m) sum over sequences and steps of -log p(correct note)
        grads : same keys and shapes as `params`
        """
        Y = np.asarray(Y)
        logits, c = self.forward(classes, Y)  # (T, n_out, m)
        loss, dO = cross_entropy_sequence(logits, Y, mask)
        dW_out, db_out, dA = output_backward(dO, c["A"], self.params["W_out"])
        g = rnn.backward_fast(dA, c["rnn"])
        return loss, {"W_F": g["W_F"], "W_R": g["W_R"], "b": g["b"], "W_out": dW_out, "b_out": db_out}

    def generate(
        self, classes: np.ndarray | list[int], length: int = 16, temperature: float = 1.0, seed: int = 0
    ) -> np.ndarray:
        """Write `length` symbols for each class, feeding each one back as the next input.

        Parameters
        ----------
        classes : (m,) the class of each sequence to write
        length : T, the number of symbols to write
        temperature : 0 always takes the most likely symbol (greedy); 1 samples from
            the model's probabilities; lower is more cautious, higher more adventurous
        seed : seeds the sampling

        Returns
        -------
        (T, m) symbol indices
        """
        rng = np.random.default_rng(seed)
        classes = np.atleast_1d(np.asarray(classes, dtype=np.int64))
        bad = classes[(classes < 0) | (classes >= self.n_classes)]
        if bad.size:
            raise ShapeError(
                f"OneToMany.generate: classes must be indices 0 .. n_classes - 1 = {self.n_classes - 1}, "
                f"got {bad.tolist()}. Pass the class number, not a note or a one-hot row."
            )
        m = classes.shape[0]
        params = rnn_params(self.params)
        x = np.zeros((1, self.n_in, m))
        x[0, classes, np.arange(m)] = 1.0  # x_1 = [one_hot(c) ; 0]
        a = np.zeros((self.n_h, m))
        out = np.empty((length, m), dtype=np.int64)
        for t in range(length):
            a, _ = rnn.cell_forward(x[0], a, params["W_F"], params["W_R"], params["b"])  # one step: (n_h, m)
            logits = self.params["W_out"] @ a + self.params["b_out"]  # (n_out, m)
            out[t] = sample(logits, temperature, rng)
            x = np.zeros((1, self.n_in, m))
            x[0, self.n_classes + out[t], np.arange(m)] = 1.0  # x_{t+1} = [0 ; one_hot(y_t)]
        return out

    def _args(self, batch: Split) -> tuple:
        return batch.y, batch.Y, batch.mask

    def score(self, split: Split) -> float:
        """Mean loss per note on `split` (lower is better); log(n_out) means no skill."""
        loss = self.loss(split)
        return float(loss * len(split) / split.mask.sum())
