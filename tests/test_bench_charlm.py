"""The character-model benchmark records every matrix product of a training step."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.charlm import record_products
from rnncourse.text.lm import CharLM
from rnncourse.text.vocab import Vocab

TEXT = "def f(x):\n    return (x + 1) * 2\n" * 4


@pytest.mark.parametrize(
    ("cell", "per_step"),
    # forward: W_F x_t and W_R a_{t-1}; backward: dW_F, dW_R, dx_t, da_{t-1}
    [("rnn", 2 + 4), ("lstm", 2 + 4)],
)
def test_every_product_of_a_step_is_recorded(cell, per_step):
    vocab = Vocab.from_text(TEXT)
    model = CharLM(vocab, n_e=3, n_h=5, cell=cell, seed=0)
    T, m = 7, 2
    ids = vocab.encode(TEXT)[: T * m + 1]
    ids_in, ids_out = ids[:-1].reshape(T, m), ids[1:].reshape(T, m)
    products = record_products(model, ids_in, ids_out)
    # plus the output layer: W_out A forward; W_out^T dlogits and the tensordot for dW_out
    assert len(products) == per_step * T + 3
    assert ("matmul", (len(vocab), 5), (T, 5, m), {}) in products
    assert all(type(v) is np.ndarray for v in model.params.values()), "the parameters are plain again"
    # np.asarray is NumPy's own again: it turns a subclass into a plain array
    assert type(np.asarray(np.ones((2, 2)).view(np.matrix))) is np.ndarray
