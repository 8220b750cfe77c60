"""A character-level language model: embedding -> recurrent layer -> output layer.

Introduced in notebook 12. At every step t of a batch of m text streams,

    x_t = E[:, ids_t]                      (n_e, m)   the embedded characters
    a_t = cell(x_t, a_{t-1})               (n_h, m)   plain RNN, LSTM or GRU
    o_t = W_out a_t + b_out                (V, m)     one score per character
    p_t = softmax(o_t)                     (V, m)     the next character's distribution

and the loss is the cross-entropy of the character that really comes next, summed over
the T steps and averaged over the m streams (`rnncourse.losses.cross_entropy_sequence`,
as in notebook 08). Divided by T it is the mean per character, whose exp is the
perplexity.

The recurrent layer is `rnncourse.rnn` (``cell="rnn"``, tanh) or `rnncourse.cells`
(``"lstm"``, ``"gru"``). The model carries a *state* from one call to the next: a
tuple ``(a,)`` for the RNN and GRU, ``(a, c)`` for the LSTM, each (n_h, m). A state
passed in is a constant for the backward pass: the gradient stops there, which is what
truncated BPTT (`rnncourse.text.tbptt`) needs.

Not included, deliberately: several layers, dropout, and the GPU; the point is to see
every array of a working language model.
"""

from __future__ import annotations

import numpy as np

from .. import cells, rnn
from ..losses import cross_entropy_sequence, softmax
from .embedding import embedding_backward, embedding_forward, init_embedding
from .vocab import Vocab

__all__ = ["CharLM", "sample"]

Params = dict[str, np.ndarray]
State = tuple[np.ndarray, ...]


class CharLM:
    """Embedding, one recurrent layer and an output layer over a character vocabulary.

    Parameters
    ----------
    vocab : the `Vocab` (V = len(vocab) ids, ``<unk>`` included)
    n_e : size of an embedding column
    n_h : neurons of the recurrent layer
    cell : "rnn", "lstm" or "gru"
    seed : seeds the initial weights

    Attributes
    ----------
    params : "E" (n_e, V), the cell's weights (e.g. "W_F" (n_h, n_e), "W_R" (n_h, n_h),
        "b" (n_h, 1) for the RNN; "W_F_k", "W_R_k", "b_k" per gate for LSTM and GRU),
        "W_out" (V, n_h), "b_out" (V, 1); all float64
    """

    def __init__(self, vocab: Vocab, n_e: int, n_h: int, cell: str = "lstm", seed: int = 0) -> None:
        if cell not in cells.CELLS:
            raise ValueError(f"CharLM: unknown cell {cell!r}; choose one of {', '.join(cells.CELLS)}.")
        if not isinstance(vocab, Vocab):
            raise TypeError(f"CharLM: vocab must be a rnncourse.text.Vocab, not {type(vocab).__name__}.")
        self.vocab, self.n_e, self.n_h, self.cell = vocab, n_e, n_h, cell
        V = len(vocab)
        rng = np.random.default_rng(seed + 2)
        self.params: Params = {
            "E": init_embedding(n_e, V, seed=seed + 1),  # (n_e, V)
            **cells.init(cell, n_e, n_h, seed=seed),
            "W_out": rng.standard_normal((V, n_h)) / np.sqrt(n_h),  # (V, n_h)
            "b_out": np.zeros((V, 1)),  # (V, 1)
        }
        self._cell_keys = [k for k in self.params if k not in ("E", "W_out", "b_out")]

    @property
    def V(self) -> int:
        """Vocabulary size."""
        return len(self.vocab)

    def n_params(self) -> int:
        """Number of trainable numbers."""
        return int(sum(p.size for p in self.params.values()))

    def __repr__(self) -> str:
        return (
            f"CharLM({self.cell}, V = {self.V}, n_e = {self.n_e}, n_h = {self.n_h}, "
            f"{self.n_params():,} parameters)"
        )

    def init_state(self, m: int) -> State:
        """The zero state for m streams: (a,) or, for the LSTM, (a, c), each (n_h, m)."""
        z = np.zeros((self.n_h, m))
        return (z, z.copy()) if self.cell == "lstm" else (z,)

    # -- forward and backward -------------------------------------------------
    def _check_state(self, state, m: int) -> State:
        if state is None:
            return self.init_state(m)
        want = 2 if self.cell == "lstm" else 1
        state = tuple(state)
        if len(state) != want or any(np.shape(s) != (self.n_h, m) for s in state):
            names = "(a, c)" if want == 2 else "(a,)"
            raise ValueError(
                f"CharLM ({self.cell}): state should be a tuple {names} of arrays (n_h, m) = "
                f"({self.n_h}, {m}), got shapes {[np.shape(s) for s in state]}. "
                "Use model.init_state(m) for a fresh one."
            )
        return state

    def forward(self, ids, state: State | None = None) -> tuple[np.ndarray, State, dict]:
        """Scores for the next character at every step.

        Parameters
        ----------
        ids : (T, m) input character ids, time-major
        state : the state before the first step (zeros when None)

        Returns
        -------
        logits : (T, V, m) output scores o_t
        state : the state after the last step (a new tuple, safe to keep)
        cache : what `backward` needs
        """
        ids = np.asarray(ids)
        if ids.ndim != 2:
            raise ValueError(f"CharLM.forward: ids should be (T, m), got shape {ids.shape}.")
        state = self._check_state(state, ids.shape[1])
        p = self.params
        X = embedding_forward(p["E"], ids)  # (T, n_e, m)
        cp = {k: p[k] for k in self._cell_keys}
        if self.cell == "rnn":
            A, rc = rnn.forward(X, cp, a0=state[0])  # (T, n_h, m)
            new_state: State = (A[-1].copy(),)
        elif self.cell == "lstm":
            A, rc = cells.lstm_forward(X, cp, a0=state[0], c0=state[1])
            new_state = (A[-1].copy(), rc["C"][-1].copy())
        else:
            A, rc = cells.gru_forward(X, cp, a0=state[0])
            new_state = (A[-1].copy(),)
        logits = np.matmul(p["W_out"], A) + p["b_out"]  # (V, n_h) @ (T, n_h, m) -> (T, V, m)
        return logits, new_state, {"ids": ids, "A": A, "rnn": rc}

    def backward(self, dlogits: np.ndarray, cache: dict) -> Params:
        """Gradients of every parameter from dL/dlogits (T, V, m); the input state gets none.

        The output layer's weights sum their gradient over steps and streams; the
        recurrent layer's BPTT adds the gradient carried back from step t+1 to the one
        from the output at step t; the embedding scatter-adds dL/dx_t into the
        columns of the characters read.
        """
        A = cache["A"]  # (T, n_h, m)
        W_out = self.params["W_out"]
        grads: Params = {
            "W_out": np.tensordot(dlogits, A, axes=([0, 2], [0, 2])),  # (V, n_h)
            "b_out": dlogits.sum(axis=(0, 2))[:, None],  # (V, 1)
        }
        dA = np.matmul(W_out.T, dlogits)  # (T, n_h, m)
        if self.cell == "rnn":
            g = rnn.backward(dA, cache["rnn"])
        elif self.cell == "lstm":
            g = cells.lstm_backward(dA, cache["rnn"])
        else:
            g = cells.gru_backward(dA, cache["rnn"])
        grads["E"] = embedding_backward(g["X"], cache["ids"], self.V)  # (n_e, V)
        for k in self._cell_keys:
            grads[k] = g[k]
        return grads

    def loss_and_grads(self, ids_in, ids_out, state: State | None = None) -> tuple[float, Params, State]:
        """Cross-entropy of predicting `ids_out` from `ids_in`, its gradients, and the new state.

        Parameters
        ----------
        ids_in : (T, m) the characters read, ids_out : (T, m) the ones that follow them
        state : the state before the first step (zeros when None); not differentiated

        Returns
        -------
        loss : sum over the T steps, mean over the m streams, of -log p(next character)
        grads : same keys and shapes as `params`
        state : the state after the last step, to carry into the next chunk
        """
        logits, new_state, cache = self.forward(ids_in, state)
        loss, dlogits = cross_entropy_sequence(logits, ids_out)
        return loss, self.backward(dlogits, cache), new_state

    def nll(self, ids_in, ids_out, state: State | None = None) -> tuple[float, State]:
        """Total -log p(ids_out | ids_in) over all T*m characters (no gradients), and the new state."""
        logits, new_state, _ = self.forward(ids_in, state)  # (T, V, m)
        z = logits - logits.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))  # (T, V, m) log-softmax
        y = np.asarray(ids_out)
        picked = np.take_along_axis(log_p, y[:, None, :], axis=1)  # (T, 1, m)
        return float(-picked.sum()), new_state


def sample(
    model: CharLM,
    prime: str,
    n: int,
    temperature: float = 1.0,
    rng: np.random.Generator | int | None = None,
) -> str:
    """Continue `prime` by `n` characters drawn from the model, one at a time.

    Parameters
    ----------
    model : a `CharLM`
    prime : text that sets the state first (characters not in the vocabulary are ``<unk>``)
    n : number of characters to write
    temperature : 0 takes the most likely character each time; otherwise the next one is
        drawn from softmax(o_t / temperature): below 1 sharper, above 1 flatter
    rng : a NumPy Generator or a seed

    Returns
    -------
    prime followed by the n new characters
    """
    if temperature < 0:
        raise ValueError(f"sample: temperature must be >= 0, got {temperature}.")
    if not prime:
        raise ValueError("sample: prime must hold at least one character to start from.")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    ids = model.vocab.encode(prime)[:, None]  # (T, 1)
    logits, state, _ = model.forward(ids)
    o = logits[-1]  # (V, 1)
    out = []
    for _ in range(n):
        if temperature == 0:
            k = int(o[:, 0].argmax())
        else:
            p = softmax(o / temperature)[:, 0]  # (V,)
            k = int(rng.choice(len(p), p=p / p.sum()))
        out.append(k)
        logits, state, _ = model.forward(np.array([[k]]), state)
        o = logits[-1]
    return prime + model.vocab.decode(out)
