"""The four RNN types, built on the same recurrent layer, trained in NumPy.

=================  ===========================  ================================
model              input                        output
=================  ===========================  ================================
`ManyToOne`        a sequence X (T, n_in, m)    one class per sequence (m,)
`ManyToMany`       a sequence X (T, n_in, m)    one class per step (T, m)
`EncoderDecoder`   a sequence X (T_in, n_in, m) another sequence, any length
`OneToMany`        one class per sequence (m,)  a sequence (T, m)
=================  ===========================  ================================

Every model runs `rnncourse.rnn.forward` for its recurrent layer(s) and
`rnncourse.rnn.backward` for BPTT; what differs is where the inputs come from and
which activations feed the output layer

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
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from . import rnn
from .errors import ShapeChecker, ShapeError
from .losses import cross_entropy_last, cross_entropy_sequence, softmax
from .optim import Adam, clip_by_norm
from .tasks import Split, one_hot

__all__ = ["ManyToOne", "ManyToMany", "EncoderDecoder", "OneToMany", "sample", "masked_accuracy"]

Params = dict[str, np.ndarray]


# ---------------------------------------------------------------------------
# Pieces shared by the models
# ---------------------------------------------------------------------------
def _init_output(n_out: int, n_h: int, rng: np.random.Generator) -> Params:
    return {
        "W_out": rng.standard_normal((n_out, n_h)) / np.sqrt(n_h),  # (n_out, n_h)
        "b_out": np.zeros((n_out, 1)),  # (n_out, 1)
    }


def _output_forward(W_out: np.ndarray, b_out: np.ndarray, A: np.ndarray) -> np.ndarray:
    """o_t = W_out a_t + b_out for every step at once: A (T, n_h, m) -> logits (T, n_out, m)."""
    return np.matmul(W_out, A) + b_out  # (n_out, n_h) @ (T, n_h, m) -> (T, n_out, m)


def _output_backward(dO: np.ndarray, A: np.ndarray, W_out: np.ndarray) -> tuple[np.ndarray, ...]:
    """Gradients of the output layer; the weight gradients sum over steps and the batch.

    dO : (T, n_out, m), A : (T, n_h, m) -> dW_out (n_out, n_h), db_out (n_out, 1), dA (T, n_h, m)
    """
    dW_out = np.tensordot(dO, A, axes=([0, 2], [0, 2]))  # (n_out, n_h)
    db_out = dO.sum(axis=(0, 2))[:, None]  # (n_out, 1)
    dA = np.matmul(W_out.T, dO)  # (T, n_h, m)
    return dW_out, db_out, dA


def _rnn_params(params: Params, prefix: str = "") -> Params:
    return {"W_F": params[prefix + "W_F"], "W_R": params[prefix + "W_R"], "b": params[prefix + "b"]}


def _lengths(lengths: Any, T: int, m: int, where: str) -> np.ndarray:
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


def _gather_last(A: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The activation at the last *real* step of each sequence.

    A : (T, n_h, m), lengths : (m,) -> (n_h, m), column i is A[lengths[i] - 1, :, i]
    """
    m = A.shape[2]
    return A[lengths - 1, :, np.arange(m)].T  # (m, n_h) -> (n_h, m)


def _scatter_last(dh: np.ndarray, lengths: np.ndarray, T: int) -> np.ndarray:
    """The reverse of `_gather_last`: dh (n_h, m) -> dA (T, n_h, m), zero except at the last real steps."""
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


class _Model:
    """What the four models share: parameters, `fit` and its history."""

    score_name = "score"

    params: Params

    def __init__(self) -> None:
        self.history: dict[str, list] = {
            "epoch": [], "loss": [], "val_epoch": [], "val": [], "batch_loss": []
        }
        self.seconds = 0.0
        self._opt: Adam | None = None

    # -- to be provided by each model -----------------------------------------
    def loss_and_grads(self, *args, **kwargs) -> tuple[float, Params]:  # pragma: no cover
        raise NotImplementedError

    def _args(self, batch: Split) -> tuple:  # pragma: no cover
        """The arguments of `loss_and_grads` taken from a batch of a split."""
        raise NotImplementedError

    def score(self, split: Split) -> float:  # pragma: no cover
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------
    def n_params(self) -> int:
        """Number of trainable numbers."""
        return int(sum(p.size for p in self.params.values()))

    def loss(self, split: Split) -> float:
        """The loss on a whole split (mean over its sequences)."""
        return self.loss_and_grads(*self._args(split))[0]

    def fit(
        self,
        train: Split,
        epochs: int = 10,
        batch_size: int = 64,
        lr: float = 0.01,
        clip: float | None = None,
        val: Split | None = None,
        print_every: int = 1,
        seed: int = 0,
        verbose: bool = True,
    ) -> dict[str, list]:
        """Train with Adam on shuffled minibatches.

        Parameters
        ----------
        train : a split of a task (see `rnncourse.tasks`)
        epochs : passes over the training split
        batch_size : sequences per step of Adam
        lr : learning rate of Adam
        clip : if given, the global gradient norm is clipped to `clip` before each
            step (`rnncourse.optim.clip_by_norm`)
        val : if given, `score(val)` is computed every `print_every` epochs and
            after the last one
        print_every : print a progress line every so many epochs (and after the
            last); 0 prints nothing, and `val` is then scored after the last
            epoch only
        seed : seeds the shuffling
        verbose : print the progress lines

        Returns
        -------
        history : dict with "epoch", "loss" (mean training loss of each epoch),
            "val_epoch" and "val" (the validation score at those epochs) and
            "batch_loss" (the loss of every minibatch, for a detailed learning
            curve). Calling `fit` again continues training and extends the history;
            ``model.seconds`` adds up the training time.
        """
        return self._fit(train, epochs, batch_size, lr, clip, val, print_every, seed, verbose)

    def _fit(self, train, epochs, batch_size, lr, clip, val, print_every, seed, verbose) -> dict[str, list]:
        if print_every < 0:
            raise ValueError(
                f"print_every must be 0 (silent) or a positive number of epochs, got {print_every}"
            )
        if print_every == 0:
            verbose = False
        if self._opt is None or self._opt.lr != lr:
            self._opt = Adam(lr=lr)
        rng = np.random.default_rng(seed)
        m = len(train)
        start_epoch = self.history["epoch"][-1] if self.history["epoch"] else 0
        t0 = time.perf_counter()
        for e in range(1, epochs + 1):
            order = rng.permutation(m)
            total = 0.0
            for s in range(0, m, batch_size):
                idx = order[s : s + batch_size]
                loss, grads = self.loss_and_grads(*self._args(train.take(idx, tokens=False)))
                if clip is not None:
                    grads, _ = clip_by_norm(grads, clip)
                self._opt.step(self.params, grads)
                self.history["batch_loss"].append(loss)
                total += loss * len(idx)
            epoch = start_epoch + e
            self.history["epoch"].append(epoch)
            self.history["loss"].append(total / m)
            if e == epochs or (print_every > 0 and e % print_every == 0):
                line = f"epoch {epoch:3d}   training loss {total / m:.4f}"
                if val is not None:
                    v = self.score(val)
                    self.history["val_epoch"].append(epoch)
                    self.history["val"].append(v)
                    line += f"   validation {self.score_name} {v:.4f}"
                if verbose:
                    print(line + f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
        self.seconds += time.perf_counter() - t0
        return self.history


def _check_X(where: str, X: Any, n_in: int) -> np.ndarray:
    chk = ShapeChecker(where, {"n_in": n_in})
    return chk.check("X", X, ("T", "n_in", "m"), "one-hot inputs, time-major")


# ---------------------------------------------------------------------------
# Many-to-one
# ---------------------------------------------------------------------------
class ManyToOne(_Model):
    """A sequence in, one class out, read from the activation of the last real step.

    The layer computes a_t at every step, but only a_T (for each sequence, its own
    last step ``lengths[i] - 1``) reaches the output layer:
    ``o = W_out a_T + b_out``, ``p = softmax(o)``.

    Parameters
    ----------
    n_in : size of an input column (one-hot length)
    n_h : neurons of the recurrent layer
    n_out : number of classes
    seed : seeds the initial weights

    Attributes
    ----------
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1),
              "W_out": (n_out, n_h), "b_out": (n_out, 1)}
    """

    score_name = "accuracy"

    def __init__(self, n_in: int, n_h: int, n_out: int, seed: int = 0) -> None:
        super().__init__()
        rng = np.random.default_rng(seed)
        self.n_in, self.n_h, self.n_out = n_in, n_h, n_out
        self.params = {**rnn.init_params(n_in, n_h, seed=seed), **_init_output(n_out, n_h, rng)}

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
        X = _check_X("ManyToOne", X, self.n_in)
        T, _, m = X.shape
        L = _lengths(lengths, T, m, "ManyToOne")
        A, cache = rnn.forward(X, _rnn_params(self.params))  # (T, n_h, m)
        h = _gather_last(A, L)  # (n_h, m): a_T of each sequence
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
        dA = _scatter_last(dh, c["lengths"], c["T"])  # (T, n_h, m): only the last real steps
        g = rnn.backward(dA, c["rnn"])
        return loss, {
            "W_F": g["W_F"],
            "W_R": g["W_R"],
            "b": g["b"],
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
class ManyToMany(_Model):
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
        rng = np.random.default_rng(seed)
        self.n_in, self.n_h, self.n_out = n_in, n_h, n_out
        self.params = {**rnn.init_params(n_in, n_h, seed=seed), **_init_output(n_out, n_h, rng)}

    def forward(self, X: np.ndarray) -> tuple[np.ndarray, dict]:
        """X (T, n_in, m) -> logits (T, n_out, m), and a cache."""
        X = _check_X("ManyToMany", X, self.n_in)
        A, cache = rnn.forward(X, _rnn_params(self.params))  # (T, n_h, m)
        return _output_forward(self.params["W_out"], self.params["b_out"], A), {"rnn": cache, "A": A}

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
        dW_out, db_out, dA = _output_backward(dO, c["A"], self.params["W_out"])
        g = rnn.backward(dA, c["rnn"])
        return loss, {"W_F": g["W_F"], "W_R": g["W_R"], "b": g["b"], "W_out": dW_out, "b_out": db_out}

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(T, m) the most likely class at every step (padded steps included: mask them)."""
        return self.forward(X)[0].argmax(axis=1)

    def _args(self, batch: Split) -> tuple:
        return batch.X, batch.Y, batch.mask

    def score(self, split: Split) -> float:
        """Token accuracy: share of real steps whose predicted class is right."""
        return masked_accuracy(self.predict(split.X), split.Y, split.mask)


# ---------------------------------------------------------------------------
# Encoder-decoder
# ---------------------------------------------------------------------------
class EncoderDecoder(_Model):
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
        rng = np.random.default_rng(seed)
        self.n_in, self.n_h, self.n_out, self.go, self.eos = n_in, n_h, n_out, go, eos
        enc = rnn.init_params(n_in, n_h, seed=seed)
        dec = rnn.init_params(n_out, n_h, seed=seed + 1)
        self.params = {
            **{"enc_" + k: v for k, v in enc.items()},
            **{"dec_" + k: v for k, v in dec.items()},
            **_init_output(n_out, n_h, rng),
        }

    def encode(self, X: np.ndarray, lengths: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
        """X (T_in, n_in, m) -> context c (n_h, m), the encoder's a at each last real step."""
        X = _check_X("EncoderDecoder", X, self.n_in)
        T, _, m = X.shape
        L = _lengths(lengths, T, m, "EncoderDecoder")
        A, cache = rnn.forward(X, _rnn_params(self.params, "enc_"))  # (T_in, n_h, m)
        return _gather_last(A, L), {"rnn": cache, "lengths": L, "T": T}

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
        c, enc = self.encode(X, lengths)  # (n_h, m)
        if mask is None:
            mask = (np.asarray(Y) >= 0).astype(np.float64)
        Xd = self.decoder_inputs(np.asarray(Y))  # (T_out, n_out, m)
        Ad, dec_cache = rnn.forward(Xd, _rnn_params(self.params, "dec_"), a0=c)  # (T_out, n_h, m)
        logits = _output_forward(self.params["W_out"], self.params["b_out"], Ad)  # (T_out, n_out, m)
        loss, dO = cross_entropy_sequence(logits, Y, mask)
        dW_out, db_out, dAd = _output_backward(dO, Ad, self.params["W_out"])
        gd = rnn.backward(dAd, dec_cache)
        dA_enc = _scatter_last(gd["a0"], enc["lengths"], enc["T"])  # dL/dc enters at the last real steps
        ge = rnn.backward(dA_enc, enc["rnn"])
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
        dec = _rnn_params(self.params, "dec_")
        word = np.full(m, self.go)
        out = np.empty((max_len, m), dtype=np.int64)
        done = np.zeros(m, dtype=bool)
        for t in range(max_len):
            x = one_hot(word[None, :], self.n_out)  # (1, n_out, m)
            A, _ = rnn.forward(x, dec, a0=a)  # one step
            a = A[0]  # (n_h, m)
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
class OneToMany(_Model):
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
        rng = np.random.default_rng(seed)
        self.n_classes, self.n_h, self.n_out = n_classes, n_h, n_out
        self.n_in = n_classes + n_out
        self.params = {**rnn.init_params(self.n_in, n_h, seed=seed), **_init_output(n_out, n_h, rng)}

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
        A, cache = rnn.forward(X, _rnn_params(self.params))  # (T, n_h, m)
        return _output_forward(self.params["W_out"], self.params["b_out"], A), {"rnn": cache, "A": A}

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
        dW_out, db_out, dA = _output_backward(dO, c["A"], self.params["W_out"])
        g = rnn.backward(dA, c["rnn"])
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
        m = classes.shape[0]
        params = _rnn_params(self.params)
        x = np.zeros((1, self.n_in, m))
        x[0, classes, np.arange(m)] = 1.0  # x_1 = [one_hot(c) ; 0]
        a = np.zeros((self.n_h, m))
        out = np.empty((length, m), dtype=np.int64)
        for t in range(length):
            A, _ = rnn.forward(x, params, a0=a)  # one step
            a = A[0]  # (n_h, m)
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
