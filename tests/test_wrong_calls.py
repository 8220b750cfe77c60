"""A table of wrong calls to the public API: each must raise a course error that names the argument.

A course error is a `ShapeError` (a `ValueError`) or another `ValueError`/`TypeError`
raised by rnncourse itself, never a bare KeyError/IndexError or NumPy's own message.
"""

from __future__ import annotations

import numpy as np
import pytest

from rnncourse import gru, lstm, models, rnn, tasks

n_in, n_h, m, T = 3, 4, 2, 5
rng = np.random.default_rng(0)
P = rnn.init_params(n_in, n_h, seed=0)
x = rng.normal(size=(n_in, m))
a = rng.normal(size=(n_h, m))
X = rng.normal(size=(T, n_in, m))
LP = lstm.lstm_init_params(n_in, n_h, seed=0)
GP = gru.gru_init_params(n_in, n_h, seed=0)

# Bad versions of an array: (label, make(good) -> bad)
BAD = [
    ("None", lambda g: None),
    ("strings", lambda g: np.full(g.shape, "a")),
    ("objects", lambda g: np.array([object()] * g.size, dtype=object).reshape(g.shape)),
    ("NaN", lambda g: np.where(np.ones_like(g, bool), np.nan, g)),
    ("transposed", lambda g: g.T if g.ndim == 2 else g.transpose(0, 2, 1)),
    ("too few dims", lambda g: g[0]),
    ("empty", lambda g: g[:0]),
    ("ragged list", lambda g: [list(np.ravel(g)[:3]), list(np.ravel(g)[:2])]),
]


def _cell_args(**over):
    args = {"x_t": x, "a_prev": a, "W_F": P["W_F"], "W_R": P["W_R"], "b": P["b"]}
    args.update(over)
    return args


_TASK = tasks.brackets(n_train=40, n_val=10, seed=0)


def _fit(**kw):
    model = models.ManyToOne(_TASK.n_in, 4, _TASK.n_out)
    return model.fit(_TASK.train, **{"epochs": 1, "batch_size": 8, "verbose": False, **kw})


CASES = []
for arg in ["x_t", "a_prev", "W_F", "W_R", "b"]:
    good = _cell_args()[arg]
    for label, bad in BAD:
        if label == "transposed" and good.shape[0] == good.shape[-1]:
            continue
        CASES.append(
            (
                f"cell_forward {arg} {label}",
                lambda arg=arg, bad=bad, good=good: rnn.cell_forward(**_cell_args(**{arg: bad(good)})),
                arg,
            )
        )
for label, bad in BAD:
    CASES.append((f"forward X {label}", lambda bad=bad: rnn.forward(bad(X), P), "X"))
    CASES.append((f"forward_fast X {label}", lambda bad=bad: rnn.forward_fast(bad(X), P), "X"))
    CASES.append(
        (f"lstm_cell_forward x_t {label}", lambda bad=bad: lstm.lstm_cell_forward(bad(x), a, a, LP), "x_t")
    )
    if label != "None":  # c_prev=None means zeros
        CASES.append(
            (
                f"lstm_cell_forward c_prev {label}",
                lambda bad=bad: lstm.lstm_cell_forward(x, a, bad(a), LP),
                "c_prev",
            )
        )
    CASES.append(
        (f"gru_cell_forward x_t {label}", lambda bad=bad: gru.gru_cell_forward(bad(x), a, GP), "x_t")
    )

_, CACHE = rnn.forward(X, P)
_, STEP = rnn.cell_forward(x, a, P["W_F"], P["W_R"], P["b"])
_, _, LSTEP = lstm.lstm_cell_forward(x, a, a, LP)
_, LCACHE = lstm.lstm_forward(X, LP)
_, GCACHE = gru.gru_forward(X, GP)
dA = np.zeros((T, n_h, m))
FOREIGN = {"wrong keys": {"foo": 1}, "step cache": STEP, "lstm cache": LCACHE, "a list": [1, 2]}
for label, c in FOREIGN.items():
    CASES.append((f"backward cache {label}", lambda c=c: rnn.backward(dA, c), "cache"))
    CASES.append((f"backward_fast cache {label}", lambda c=c: rnn.backward_fast(dA, c), "cache"))
    CASES.append(
        (f"cell_backward cache {label}", lambda c=c: rnn.cell_backward(a, CACHE if c is STEP else c), "cache")
    )
    CASES.append(
        (
            f"lstm_backward cache {label}",
            lambda c=c: lstm.lstm_backward(dA, c if c is not LCACHE else GCACHE),
            "cache",
        )
    )
    CASES.append((f"gru_backward cache {label}", lambda c=c: gru.gru_backward(dA, c), "cache"))
    CASES.append((f"lstm_cell_backward cache {label}", lambda c=c: lstm.lstm_cell_backward(a, a, c), "cache"))
CASES += [
    (
        "cell_forward swapped x_t a_prev",
        lambda: rnn.cell_forward(a, x, P["W_F"], P["W_R"], P["b"]),
        "swapped",
    ),
    (
        "cell_forward activation unknown",
        lambda: rnn.cell_forward(x, a, P["W_F"], P["W_R"], P["b"], "tanhh"),
        "activation",
    ),
    ("split_weights n_in -1", lambda: rnn.split_weights(rnn.concat_weights(P["W_F"], P["W_R"]), -1), "n_in"),
    ("split_weights n_in 0", lambda: rnn.split_weights(rnn.concat_weights(P["W_F"], P["W_R"]), 0), "n_in"),
    (
        "split_weights n_in float",
        lambda: rnn.split_weights(rnn.concat_weights(P["W_F"], P["W_R"]), 2.5),
        "n_in",
    ),
    ("init_params n_h 0", lambda: rnn.init_params(3, 0), "n_h"),
    ("init_params n_in -1", lambda: rnn.init_params(-1, 3), "n_in"),
    ("init_params n_h float", lambda: rnn.init_params(3, 2.5), "n_h"),
    ("forward params missing W_R", lambda: rnn.forward(X, {"W_F": P["W_F"], "b": P["b"]}), "W_R"),
    ("forward activation unknown", lambda: rnn.forward(X, P, activation="relu6"), "activation"),
    ("forward batch-first X", lambda: rnn.forward(X.transpose(2, 0, 1), P), "X"),
    ("forward a0 wrong shape", lambda: rnn.forward(X, P, a0=np.zeros((n_h, m + 1))), "a0"),
    ("ManyToOne n_out -1", lambda: models.ManyToOne(3, 4, -1), "n_out"),
    ("ManyToOne n_h 0", lambda: models.ManyToOne(3, 0, 2), "n_h"),
    ("ManyToOne n_in float", lambda: models.ManyToOne(2.5, 4, 2), "n_in"),
    ("ManyToMany n_out 0", lambda: models.ManyToMany(3, 4, 0), "n_out"),
    ("fit batch_size 0", lambda: _fit(batch_size=0), "batch_size"),
    ("fit epochs 0", lambda: _fit(epochs=0), "epochs"),
    ("fit lr 0", lambda: _fit(lr=0.0), "lr"),
    ("fit lr negative", lambda: _fit(lr=-0.1), "lr"),
    ("fit clip negative", lambda: _fit(clip=-1.0), "clip"),
    ("fit lr string", lambda: _fit(lr="0.01"), "lr"),
    ("OneToMany.generate class -1", lambda: models.OneToMany(3, 4, 5).generate([-1]), "classes"),
    ("OneToMany.generate class 3", lambda: models.OneToMany(3, 4, 5).generate([0, 3]), "classes"),
    ("backward dA wrong shape", lambda: rnn.backward(dA[:, :, :1], CACHE), "dA"),
]
_ED = models.EncoderDecoder(3, 4, 5)
_ED_X = tasks.one_hot(np.array([[0, 1], [2, 0]]), 3)
for label, token in [("too large", 5), ("far too large", 99), ("negative", -2)]:
    CASES.append(
        (
            f"EncoderDecoder Y token {label}",
            lambda token=token: _ED.loss_and_grads(_ED_X, None, np.array([[token, 1]])),
            "0..4",
        )
    )
    CASES.append(
        (f"one_hot index {label}", lambda token=token: tasks.one_hot(np.array([[token, 0]]), 5), "0..4")
    )
CASES += [
    (
        "EncoderDecoder fit Y token out of range",
        lambda: _ED.fit(
            tasks.Split(
                X=_ED_X, lengths=np.array([2, 2]), Y=np.array([[7, 1], [1, 1]]), mask=np.ones((2, 2))
            ),
            epochs=1,
            batch_size=2,
            verbose=False,
        ),
        "Y",
    ),
    ("EncoderDecoder go out of range", lambda: models.EncoderDecoder(3, 4, 5, go=5), "go"),
    ("EncoderDecoder eos negative", lambda: models.EncoderDecoder(3, 4, 5, eos=-1), "eos"),
]


@pytest.mark.parametrize("name,call,word", CASES, ids=[c[0] for c in CASES])
def test_wrong_call_teaches(name, call, word):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    err = info.value
    own = type(err).__module__.startswith("rnncourse")
    assert own, f"{name}: raised NumPy/Python's own {type(err).__name__}: {err}"
    assert word in str(err), f"{name}: the message does not name {word!r}: {err}"


def test_table_is_large():
    assert len(CASES) >= 100


def test_short_traceback():
    import traceback

    with pytest.raises(ValueError) as info:
        rnn.forward(X.transpose(2, 0, 1), P)
    frames = [f for f in traceback.extract_tb(info.value.__traceback__) if "rnncourse" in f.filename]
    assert len(frames) <= 3, [f"{f.name}:{f.lineno}" for f in frames]
