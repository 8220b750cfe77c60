"""Reference solutions of the exercises, in the course notation.

The checkers compare the learner's function with these, and the nbgrader export
(`rnncourse.classroom`) pastes the body of each into the solution cell of its
exercise. So every function here is self-contained: it uses only ``np`` (NumPy,
imported in every notebook), no helper of this module, and its name is the
name of the stub in the notebook.

They are written to be read, not to be fast: the course's own, faster versions live
in `rnncourse.rnn`, `rnncourse.optim` and `rnncourse.cells`, and the tests check
that both agree.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "cell_forward",
    "forward",
    "backward",
    "clip_by_norm",
    "sample",
    "lstm_cell_forward",
    "embedding_backward",
]


def cell_forward(x_t, a_prev, W_F, W_R, b):
    """One step: a_t = tanh(W_F x_t + W_R a_{t-1} + b) (notebook 02).

    x_t : (n_in, m); a_prev : (n_h, m); W_F : (n_h, n_in); W_R : (n_h, n_h); b : (n_h, 1)
    Returns a_t : (n_h, m)
    """
    z_t = W_F @ x_t + W_R @ a_prev + b  # (n_h, m), b broadcast over the m columns
    a_t = np.tanh(z_t)  # (n_h, m)
    return a_t


def forward(X, a0, W_F, W_R, b):
    """The loop over time for a batch (notebook 04).

    X : (T, n_in, m); a0 : (n_h, m); W_F : (n_h, n_in); W_R : (n_h, n_h); b : (n_h, 1)
    Returns A : (T, n_h, m), A[t] is a_t
    """
    T, n_in, m = X.shape
    n_h = W_F.shape[0]
    A = np.zeros((T, n_h, m))
    a_prev = a0
    for t in range(T):
        a_t = np.tanh(W_F @ X[t] + W_R @ a_prev + b)  # (n_h, m)
        A[t] = a_t
        a_prev = a_t  # the state carried to the next step
    return A


def backward(dA, X, A, a0, W_F, W_R):
    """Backpropagation through time for the tanh layer of `forward` (notebook 08).

    dA : (T, n_h, m) dL/da_t arriving from above at each step; X : (T, n_in, m);
    A : (T, n_h, m) from the forward pass; a0 : (n_h, m); W_F : (n_h, n_in); W_R : (n_h, n_h)
    Returns {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1), "a0": (n_h, m)}
    """
    T, n_h, m = A.shape
    dW_F = np.zeros_like(W_F)
    dW_R = np.zeros_like(W_R)
    db = np.zeros((n_h, 1))
    da_next = np.zeros((n_h, m))  # the gradient coming back from step t+1
    for t in reversed(range(T)):
        da = dA[t] + da_next  # (n_h, m): from above *plus* from the future
        dz = da * (1 - A[t] ** 2)  # (n_h, m): tanh'(z_t) = 1 - a_t^2
        a_prev = a0 if t == 0 else A[t - 1]  # (n_h, m)
        dW_F += dz @ X[t].T  # (n_h, n_in)
        dW_R += dz @ a_prev.T  # (n_h, n_h)
        db += dz.sum(axis=1, keepdims=True)  # (n_h, 1): the bias is shared by the batch
        da_next = W_R.T @ dz  # (n_h, m), goes to step t-1
    return {"W_F": dW_F, "W_R": dW_R, "b": db, "a0": da_next}


def clip_by_norm(grads, max_norm):
    """Scale all gradients together so that their global norm is at most max_norm (notebook 10).

    grads : dict of arrays (any shapes); max_norm : float >= 0
    Returns a new dict; the input is not changed
    """
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    scale = 1.0
    if total_norm > max_norm:
        scale = max_norm / (total_norm + 1e-6)
    return {name: g * scale for name, g in grads.items()}


def sample(logits, temperature, rng):
    """Draw one index from softmax(logits / temperature) (notebook 09).

    logits : (n_out,) scores y; temperature : float > 0; rng : np.random.Generator
    Returns an int in 0 .. n_out-1
    """
    scaled = logits / temperature  # (n_out,)
    scaled = scaled - scaled.max()  # so that exp cannot overflow
    p = np.exp(scaled)
    p = p / p.sum()  # (n_out,), sums to 1
    return int(rng.choice(len(p), p=p))


def lstm_cell_forward(x_t, a_prev, c_prev, params):
    """One LSTM step (notebook 11).

    x_t : (n_in, m); a_prev, c_prev : (n_h, m); params : "W_F_k" (n_h, n_in), "W_R_k" (n_h, n_h)
    and "b_k" (n_h, 1) for the gates k = i, f, g, o
    Returns (a_t, c_t), each (n_h, m)
    """

    def pre(k):
        return params["W_F_" + k] @ x_t + params["W_R_" + k] @ a_prev + params["b_" + k]  # (n_h, m)

    i_t = 1 / (1 + np.exp(-pre("i")))  # input gate
    f_t = 1 / (1 + np.exp(-pre("f")))  # forget gate
    g_t = np.tanh(pre("g"))  # candidate
    o_t = 1 / (1 + np.exp(-pre("o")))  # output gate
    c_t = f_t * c_prev + i_t * g_t  # (n_h, m)
    a_t = o_t * np.tanh(c_t)  # (n_h, m)
    return a_t, c_t


def embedding_backward(dx_t, tokens, vocab_size):
    """Gradient of the embedding matrix E (n_e, V) for the lookup x_t = E[:, tokens] (notebook 12).

    dx_t : (n_e, m) dL/dx_t; tokens : (m,) integer token ids; vocab_size : V
    Returns dE : (n_e, V); a token that occurs several times collects every column's gradient
    """
    n_e = dx_t.shape[0]
    dE = np.zeros((n_e, vocab_size))
    np.add.at(dE, (slice(None), tokens), dx_t)  # dE[:, tokens[j]] += dx_t[:, j] for every j, repeats too
    return dE
