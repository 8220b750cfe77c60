"""Wrong calls get a ShapeError (a ValueError) that names the argument and teaches."""

import numpy as np
import pytest

from rnncourse import ShapeError, dims, losses, rnn

rng = np.random.default_rng(0)
T, n_in, n_h, m = 6, 3, 7, 4
X = rng.standard_normal((T, n_in, m))
P = rnn.init_params(n_in, n_h)
a0 = np.zeros((n_h, m))
x_t, a_prev = X[0], a0


def with_param(**changes):
    return {**P, **changes}


# (description, call, words the message must contain)
CASES = [
    ("transposed W_F", lambda: rnn.forward(X, with_param(W_F=P["W_F"].T)), ["W_F", "transposed", ".T"]),
    (
        "non-square W_R",
        lambda: rnn.forward(X, with_param(W_R=np.zeros((n_h, n_h + 1)))),
        ["W_R", "(n_h, n_h)"],
    ),
    ("bias as a 1-D vector", lambda: rnn.forward(X, with_param(b=np.zeros(n_h))), ["b", "reshape(-1, 1)"]),
    ("bias as a row", lambda: rnn.forward(X, with_param(b=np.zeros((1, n_h)))), ["b", "transposed"]),
    (
        "bias of the wrong length",
        lambda: rnn.forward(X, with_param(b=np.zeros((n_h + 2, 1)))),
        ["b", "n_h = 7"],
    ),
    (
        "batch-first X",
        lambda: rnn.forward(X.transpose(2, 0, 1), P),
        ["X", "transpose(1, 2, 0)", "time-major"],
    ),
    ("X without a batch axis", lambda: rnn.forward(X[:, :, 0], P), ["X", "batch", "[:, :, None]"]),
    ("X with the wrong n_in", lambda: rnn.forward(X[:, :2], P), ["X", "n_in = 3"]),
    ("empty sequence", lambda: rnn.forward(X[:0], P), ["X", "empty", "time step"]),
    ("transposed a0", lambda: rnn.forward(X, P, a0=a0.T), ["a0", "transposed"]),
    ("a0 with another batch size", lambda: rnn.forward(X, P, a0=np.zeros((n_h, m + 1))), ["a0", "m = 4"]),
    ("NaN in X", lambda: rnn.forward(np.where(X > 1, np.nan, X), P), ["X", "NaN"]),
    ("inf in W_R", lambda: rnn.forward(X, with_param(W_R=np.full((n_h, n_h), np.inf))), ["W_R", "infinite"]),
    ("strings as input", lambda: rnn.forward(X.astype(str), P), ["X", "numbers"]),
    ("None as input", lambda: rnn.forward(None, P), ["X", "None"]),
    ("ragged list", lambda: rnn.forward([[[1.0]], [[1.0, 2.0]]], P), ["X", "Ragged"]),
    ("params not a dict", lambda: rnn.forward(X, [P["W_F"], P["W_R"], P["b"]]), ["params", "dict"]),
    ("params missing W_R", lambda: rnn.forward(X, {"W_F": P["W_F"], "b": P["b"]}), ["W_R", "init_params"]),
    ("unknown activation", lambda: rnn.forward(X, P, activation="softmax"), ["softmax", "tanh"]),
    (
        "cell: transposed x_t",
        lambda: rnn.cell_forward(x_t.T, a_prev, P["W_F"], P["W_R"], P["b"]),
        ["x_t", "transposed"],
    ),
    (
        "cell: whole X as x_t",
        lambda: rnn.cell_forward(X, a_prev, P["W_F"], P["W_R"], P["b"]),
        ["x_t", "X[t]"],
    ),
    (
        "cell: 1-D x_t",
        lambda: rnn.cell_forward(x_t[:, 0], a_prev, P["W_F"], P["W_R"], P["b"]),
        ["x_t", "[:, None]"],
    ),
    (
        "concat: W_F instead of W",
        lambda: rnn.cell_forward_concat(x_t, a_prev, P["W_F"], P["b"]),
        ["W", "n_in + n_h"],
    ),
    (
        "backward: dA of another shape",
        lambda: rnn.backward(np.zeros((T, m, n_h)), rnn.forward(X, P)[1]),
        ["dA"],
    ),
    ("complex input", lambda: rnn.forward(X.astype(complex), P), ["X", "complex"]),
    ("dims: zero batch", lambda: dims.rnn_shapes(3, 7, 1, 0, 10), ["batch", "at least 1"]),
    ("dims: float size", lambda: dims.rnn_shapes(3, 7.5, 1, 64, 10), ["n_hidden"]),
    (
        "loss: labels out of range",
        lambda: losses.cross_entropy_last(np.zeros((3, 2)), [0, 3]),
        ["labels", "0..2"],
    ),
    (
        "loss: one-hot labels",
        lambda: losses.cross_entropy_last(np.zeros((3, 2)), np.eye(3)[:, :2]),
        ["one-hot"],
    ),
    (
        "loss: transposed logits",
        lambda: losses.cross_entropy_sequence(np.zeros((5, 2, 3)), np.zeros((5, 3)), np.ones((5, 2))),
        ["mask"],
    ),
]


@pytest.mark.parametrize("description,call,words", CASES, ids=[c[0] for c in CASES])
def test_wrong_call_gets_a_teaching_error(description, call, words):
    with pytest.raises(ShapeError) as info:
        call()
    message = str(info.value)
    for w in words:
        assert w in message, f"{description}: message lacks {w!r}: {message}"
    assert isinstance(info.value, ValueError)


def test_errors_are_raised_at_the_boundary_not_inside_numpy():
    """The traceback ends in rnncourse's checks, not in a NumPy matmul."""
    with pytest.raises(ShapeError) as info:
        rnn.forward(X.transpose(2, 0, 1), P)
    frames = [f.name for f in info.traceback]
    assert "check" in frames and "forward" in frames


def test_integers_are_accepted_and_become_float():
    A, _ = rnn.forward(np.ones((2, n_in, 1), dtype=int), P)
    assert A.dtype == np.float64


def test_format_shape_and_positive_sizes():
    from rnncourse.errors import check_positive_ints, format_shape

    assert format_shape((3, 4)) == "(3, 4)" and format_shape((5,)) == "(5,)"
    assert format_shape(("n_h", "m")) == "(n_h, m)"
    check_positive_ints("f", n_h=1, m=np.int64(3))
    for bad in (0, -2, 2.5, True, "3", None):
        with pytest.raises(ShapeError, match=r"f: n_h must be a whole number of at least 1"):
            check_positive_ints("f", n_h=bad)
    # every initialiser names itself
    from rnncourse import cells, dims, rnn

    for where, call in (
        ("init_params", lambda: rnn.init_params(0, 3)),
        ("lstm_init_params", lambda: cells.lstm_init_params(3, 0)),
        ("gru_init_params", lambda: cells.gru_init_params(3, 0)),
        ("rnn_shapes", lambda: dims.rnn_shapes(3, 0, 2, 1, 1)),
    ):
        with pytest.raises(ShapeError, match=f"^{where}: "):
            call()
