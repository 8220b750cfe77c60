"""The sorting task and its encoder-decoder (rnncourse.sorting)."""

import numpy as np
import pytest

from rnncourse.gradcheck import check_gradients
from rnncourse.sorting import Seq2Seq, sorting_task


def test_sorting_task_holds_out_its_validation_lists():
    task = sorting_task(n_train=3000, n_val=300, max_value=9, min_len=2, max_len=5, seed=1)
    val = {tuple(x) for x in task.val.inputs}
    assert not val & {tuple(x) for x in task.train.inputs}
    for src, tgt in zip(task.train.inputs[:50], task.train.targets[:50]):
        assert [int(v) for v in tgt] == sorted(int(v) for v in src)
    assert set(task.train.lengths.tolist()) == {2, 3, 4, 5}
    assert task.train.X.shape == (5, 10, 3000)
    i = 0
    n = task.train.lengths[i]
    assert task.train.Y[n, i] == task.out_vocab.index("<eos>")
    assert task.train.mask[:, i].sum() == n + 1
    assert len(val) == 300
    with pytest.raises(ValueError, match="quarter"):
        sorting_task(n_val=100, max_value=3, min_len=2, max_len=3)
    again = sorting_task(n_train=3000, n_val=300, seed=1)
    np.testing.assert_array_equal(again.train.Y, task.train.Y)


@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_seq2seq_gradients(cell):
    task = sorting_task(n_train=20, n_val=5, max_value=4, min_len=2, max_len=4, seed=0)
    b = task.train.take(np.arange(5), tokens=False)  # lengths vary within the batch
    assert len(set(b.lengths.tolist())) > 1
    model = Seq2Seq(task.n_in, 4, task.n_out, cell=cell, seed=3)
    _, grads = model.loss_and_grads(b.X, b.lengths, b.Y, b.mask)
    # eps = 1e-4: some encoder gradients are ~1e-6 against a loss of ~10, where the
    # rounding error of eps = 1e-5 alone is 1e-5 relative.
    errors = check_gradients(lambda p: model.loss_and_grads(b.X, b.lengths, b.Y, b.mask)[0],
                             model.params, grads, eps=1e-4)  # fmt: skip
    assert max(errors.values()) < 1e-5, errors


def test_seq2seq_learns_to_sort_short_lists():
    task = sorting_task(n_train=2000, n_val=50, max_value=5, min_len=2, max_len=3, seed=0)
    model = Seq2Seq(task.n_in, 24, task.n_out, cell="gru", seed=0)
    before = model.exact_match(task.val)
    hist = model.fit(task.train, task.val, steps=200, batch_size=32, lr=1e-2, eval_every=100)
    assert hist["loss"][-1] < 0.5 * hist["loss"][0]
    assert hist["val_exact"][-1] > max(0.5, before)
