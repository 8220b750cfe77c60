"""Tests of rnncourse.models: gradients, padding, decoding, generation and training.

Gradient checks compare every parameter's analytic gradient with central
differences in float64 on tiny sizes; a relative error below 1e-6 passes.
"""

from __future__ import annotations

import numpy as np
import pytest

from rnncourse import models, rnn, tasks
from rnncourse.errors import ShapeError
from rnncourse.gradcheck import numerical_gradients, rel_error
from rnncourse.losses import softmax
from rnncourse.optim import global_norm

TOL = 1e-6


def _random_batch(rng, T, n_in, lengths):
    """One-hot batch (T, n_in, m) with zero columns after each length."""
    m = len(lengths)
    idx = rng.integers(0, n_in, size=(T, m))
    for i, L in enumerate(lengths):
        idx[L:, i] = -1
    return tasks.one_hot(idx, n_in)


def _assert_grads(model, loss_fn, grads):
    numeric = numerical_gradients(lambda p: loss_fn(), model.params)
    assert set(grads) == set(model.params), "grads must hold exactly the parameters"
    for k in model.params:
        assert grads[k].shape == model.params[k].shape, k
        err = rel_error(grads[k], numeric[k])
        assert err < TOL, f"{type(model).__name__}: gradient of {k} is wrong (relative error {err:.2e})"


def _bump(model, scale=0.5, seed=9):
    """Make biases non-zero so that their gradients are tested in general position."""
    rng = np.random.default_rng(seed)
    for k, v in model.params.items():
        if k in ("b", "b_out") or k.endswith("_b"):
            v += scale * rng.standard_normal(v.shape)


# --------------------------------------------------------------------------- gradient checks
def test_many_to_one_gradients_with_variable_lengths():
    rng = np.random.default_rng(0)
    model = models.ManyToOne(n_in=3, n_h=4, n_out=3, seed=1)
    _bump(model)
    lengths = np.array([5, 2, 4])
    X = _random_batch(rng, 5, 3, lengths)
    y = np.array([2, 0, 1])
    loss, grads = model.loss_and_grads(X, y, lengths)
    _assert_grads(model, lambda: model.loss_and_grads(X, y, lengths)[0], grads)


def test_many_to_many_gradients_with_mask():
    rng = np.random.default_rng(1)
    model = models.ManyToMany(n_in=3, n_h=4, n_out=3, seed=2)
    _bump(model)
    lengths = np.array([4, 1, 3])
    X = _random_batch(rng, 4, 3, lengths)
    mask = (np.arange(4)[:, None] < lengths[None, :]).astype(float)
    Y = np.where(mask > 0, rng.integers(0, 3, size=(4, 3)), -1)
    loss, grads = model.loss_and_grads(X, Y, mask)
    _assert_grads(model, lambda: model.loss_and_grads(X, Y, mask)[0], grads)


def test_encoder_decoder_gradients_reach_the_encoder():
    rng = np.random.default_rng(2)
    model = models.EncoderDecoder(n_in=3, n_h=4, n_out=5, go=0, eos=1, seed=3)
    _bump(model)
    lengths = np.array([3, 1, 2])
    X = _random_batch(rng, 3, 3, lengths)
    Y = np.array([[2, 3, 4], [1, 2, 3], [-1, 1, 1], [-1, -1, -1]])  # (T_out=4, m=3)
    Y[2, 0], Y[3, 0] = 4, 1
    mask = (Y >= 0).astype(float)
    loss, grads = model.loss_and_grads(X, lengths, Y, mask)
    assert np.abs(grads["enc_W_F"]).sum() > 0, "no gradient reached the encoder"
    _assert_grads(model, lambda: model.loss_and_grads(X, lengths, Y, mask)[0], grads)


def test_one_to_many_gradients():
    rng = np.random.default_rng(3)
    model = models.OneToMany(n_classes=2, n_h=4, n_out=3, seed=4)
    _bump(model)
    classes = np.array([0, 1, 1])
    Y = rng.integers(0, 3, size=(4, 3))
    loss, grads = model.loss_and_grads(classes, Y)
    _assert_grads(model, lambda: model.loss_and_grads(classes, Y)[0], grads)


# --------------------------------------------------------------------------- the last *real* step
def test_many_to_one_reads_the_last_real_step():
    rng = np.random.default_rng(4)
    model = models.ManyToOne(n_in=2, n_h=5, n_out=2, seed=0)
    lengths = np.array([6, 3, 1])
    X = _random_batch(rng, 6, 2, lengths)
    probs = model.predict_proba(X, lengths)  # (2, 3)
    for i, L in enumerate(lengths):
        A, _ = rnn.forward(X[:L, :, i : i + 1], {k: model.params[k] for k in ("W_F", "W_R", "b")})
        logits = model.params["W_out"] @ A[-1] + model.params["b_out"]
        np.testing.assert_allclose(probs[:, i : i + 1], softmax(logits), rtol=1e-12, atol=1e-12)
    # Without lengths, the model reads step T for every sequence: a different answer.
    assert not np.allclose(model.predict_proba(X), probs)


def test_padding_leaves_every_prediction_unchanged():
    task = tasks.brackets(n_train=40, n_val=10, seed=0)
    model = models.ManyToOne(2, 6, 2, seed=1)
    batch = task.train
    together = model.predict_proba(batch.X, batch.lengths)
    for i in range(len(batch)):
        alone = batch.take([i])  # trimmed to its own length: no padding at all
        assert alone.X.shape[0] == batch.lengths[i]
        alone_probs = model.predict_proba(alone.X, alone.lengths)  # (2, 1)
        np.testing.assert_allclose(alone_probs[:, 0], together[:, i], atol=1e-12)
    # More padding, filled with garbage, changes nothing either.
    extra = np.concatenate([batch.X, np.random.default_rng(0).random((5, 2, len(batch)))], axis=0)
    np.testing.assert_allclose(model.predict_proba(extra, batch.lengths), together, atol=1e-12)


def test_padded_steps_do_not_change_loss_or_gradients():
    rng = np.random.default_rng(5)
    lengths = np.array([4, 2])
    X = _random_batch(rng, 4, 3, lengths)
    garbage = X.copy()
    garbage[2:, :, 1] = rng.random((2, 3))  # sequence 1 ends after 2 steps
    mask = (np.arange(4)[:, None] < lengths[None, :]).astype(float)
    Y = np.where(mask > 0, rng.integers(0, 3, (4, 2)), -1)

    m2o = models.ManyToOne(3, 4, 2, seed=0)
    m2m = models.ManyToMany(3, 4, 3, seed=0)
    ed = models.EncoderDecoder(3, 4, 5, seed=0)
    Yd = np.array([[2, 3], [1, 1], [-1, -1]])
    cases = [
        (m2o, (X, np.array([0, 1]), lengths), (garbage, np.array([0, 1]), lengths)),
        (m2m, (X, Y, mask), (garbage, Y, mask)),
        (ed, (X, lengths, Yd, (Yd >= 0).astype(float)), (garbage, lengths, Yd, (Yd >= 0).astype(float))),
    ]
    for model, clean, dirty in cases:
        l1, g1 = model.loss_and_grads(*clean)
        l2, g2 = model.loss_and_grads(*dirty)
        name = type(model).__name__
        assert l1 == pytest.approx(l2, abs=1e-12), f"{name}: padding changed the loss"
        for k in g1:
            np.testing.assert_allclose(g1[k], g2[k], atol=1e-12, err_msg=f"{name}: padding changed d{k}")


def test_many_to_many_batch_loss_is_mean_of_sequence_losses():
    rng = np.random.default_rng(6)
    model = models.ManyToMany(3, 4, 3, seed=0)
    lengths = np.array([4, 2, 3])
    X = _random_batch(rng, 4, 3, lengths)
    mask = (np.arange(4)[:, None] < lengths[None, :]).astype(float)
    Y = np.where(mask > 0, rng.integers(0, 3, (4, 3)), -1)
    batch = model.loss_and_grads(X, Y, mask)[0]
    singles = [model.loss_and_grads(X[:L, :, i : i + 1], Y[:L, i : i + 1])[0] for i, L in enumerate(lengths)]
    assert batch == pytest.approx(np.mean(singles), rel=1e-12)


def test_shape_errors_teach():
    model = models.ManyToOne(n_in=2, n_h=3, n_out=2)
    X = np.zeros((5, 2, 4))
    with pytest.raises(ShapeError, match="time-major"):
        model.predict(X.transpose(2, 0, 1))  # batch-first (m, T, n_in)
    with pytest.raises(ShapeError, match="length must be"):
        model.predict(X, np.array([5, 6, 1, 1]))
    with pytest.raises(ShapeError, match=r"\(m,\)"):
        model.predict(X, np.array([5, 5]))
    with pytest.raises(ShapeError, match="classes"):
        models.OneToMany(2, 3, 4).loss_and_grads(np.array([0, 1, 0]), np.zeros((3, 2), dtype=int))


# --------------------------------------------------------------------------- sampling and decoding
def test_sample_greedy_and_temperature():
    rng = np.random.default_rng(0)
    logits = np.log(np.array([[0.1], [0.6], [0.3]])) * np.ones((3, 20000))
    assert (models.sample(logits, 0.0, rng) == 1).all()
    freq = np.bincount(models.sample(logits, 1.0, rng), minlength=3) / 20000
    np.testing.assert_allclose(freq, [0.1, 0.6, 0.3], atol=0.015)
    cold = np.bincount(models.sample(logits, 0.2, rng), minlength=3) / 20000
    hot = np.bincount(models.sample(logits, 5.0, rng), minlength=3) / 20000
    assert cold[1] > 0.95, "a low temperature should almost always pick the most likely class"
    assert hot.max() < 0.45, "a high temperature should flatten the distribution"
    a = models.sample(logits[:, :50], 1.0, np.random.default_rng(3))
    b = models.sample(logits[:, :50], 1.0, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError):
        models.sample(logits, -1.0, rng)


def test_decoder_inputs_are_the_previous_targets():
    model = models.EncoderDecoder(2, 3, 5, go=0, eos=1)
    Y = np.array([[2, 4], [3, 1], [1, -1]])
    Xd = model.decoder_inputs(Y)
    assert Xd.shape == (3, 5, 2)
    assert Xd[0].argmax(axis=0).tolist() == [0, 0], "step 0 reads <go>"
    assert Xd[1].argmax(axis=0).tolist() == [2, 4] and Xd[2, :, 0].argmax() == 3
    assert Xd[2, :, 1].argmax() == 1  # after the last word comes (a masked) step reading <eos>


def test_encoder_decoder_greedy_decoding_follows_its_own_outputs():
    """Greedy decoding must equal running the teacher-forced pass on its own output."""
    rng = np.random.default_rng(7)
    model = models.EncoderDecoder(3, 5, 6, go=0, eos=1, seed=2)
    _bump(model, 1.0)
    lengths = np.array([3, 2])
    X = _random_batch(rng, 3, 3, lengths)
    pred = model.predict(X, lengths, max_len=4)
    for i, words in enumerate(pred):
        assert 1 not in words and len(words) <= 4
        Y = np.array(words + [1])[:, None] if len(words) < 4 else np.array(words)[:, None]
        c, _ = model.encode(X[:, :, i : i + 1], lengths[i : i + 1])
        A, _ = rnn.forward(
            model.decoder_inputs(Y), {k[4:]: v for k, v in model.params.items() if k.startswith("dec_")}, a0=c
        )
        chosen = (np.matmul(model.params["W_out"], A) + model.params["b_out"]).argmax(axis=1)[:, 0]
        np.testing.assert_array_equal(chosen[: len(Y)], Y[:, 0])


def test_one_to_many_inputs_and_greedy_generation():
    model = models.OneToMany(n_classes=2, n_h=6, n_out=4, seed=1)
    _bump(model, 1.0)
    Y = np.array([[3, 0], [1, 2], [2, 2]])
    X = model.inputs(np.array([1, 0]), Y)
    assert X.shape == (3, 6, 2)
    assert X[0, :, 0].tolist() == [0, 1, 0, 0, 0, 0], "x_1 is the class only"
    assert X[1, :, 0].tolist() == [0, 0, 0, 0, 0, 1], "x_2 is the previous note only"
    gen = model.generate([0, 1], length=5, temperature=0.0)
    assert gen.shape == (5, 2)
    # Teacher forcing on the greedy output reproduces it step by step.
    A, _ = rnn.forward(model.inputs(np.array([0, 1]), gen), {k: model.params[k] for k in ("W_F", "W_R", "b")})
    greedy = (np.matmul(model.params["W_out"], A) + model.params["b_out"]).argmax(axis=1)
    np.testing.assert_array_equal(greedy, gen)
    s1 = model.generate([0, 1], 8, temperature=1.0, seed=4)
    np.testing.assert_array_equal(s1, model.generate([0, 1], 8, temperature=1.0, seed=4))
    assert not np.array_equal(s1, model.generate([0, 1], 8, temperature=1.0, seed=5))


# --------------------------------------------------------------------------- training
def test_fit_learns_brackets_and_keeps_a_history():
    task = tasks.brackets(n_train=1500, n_val=300, max_len=12, seed=0)
    model = models.ManyToOne(task.n_in, 16, task.n_out, seed=0)
    start = model.loss(task.val)
    hist = model.fit(task.train, epochs=6, batch_size=32, lr=0.02, clip=5.0, val=task.val, print_every=3,
                     verbose=False)  # fmt: skip
    assert hist["epoch"] == [1, 2, 3, 4, 5, 6] and len(hist["loss"]) == 6
    assert hist["val_epoch"] == [3, 6] and len(hist["batch_loss"]) == 6 * 47
    assert model.loss(task.val) < 0.5 * start
    assert model.score(task.val) > 0.85
    model.fit(task.train, epochs=1, lr=0.02, verbose=False)
    assert model.history["epoch"][-1] == 7, "a second fit continues the history"


def test_fit_prints_progress(capsys):
    task = tasks.pos_tagging(n_train=200, n_val=50, seed=0)
    model = models.ManyToMany(task.n_in, 8, task.n_out, seed=0)
    model.fit(task.train, epochs=4, val=task.val, print_every=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("epoch   2") and "token accuracy" in lines[0]


def test_fit_with_print_every_0_is_silent(capsys):
    task = tasks.pos_tagging(n_train=200, n_val=50, seed=0)
    model = models.ManyToMany(task.n_in, 8, task.n_out, seed=0)
    hist = model.fit(task.train, epochs=3, val=task.val, print_every=0)
    assert capsys.readouterr().out == "", "print_every=0 must print nothing"
    assert hist["epoch"] == [1, 2, 3] and hist["val_epoch"] == [3], "the last epoch is still scored"
    with pytest.raises(ValueError, match="print_every"):
        model.fit(task.train, epochs=1, print_every=-1)


def test_fit_clips_the_gradient_norm():
    class Spy:
        lr = 0.01

        def __init__(self):
            self.norms = []

        def step(self, params, grads):
            self.norms.append(global_norm(grads))

    task = tasks.brackets(n_train=64, n_val=8, seed=0)
    model = models.ManyToOne(task.n_in, 8, task.n_out, seed=0)
    model._opt = Spy()
    model.fit(task.train, epochs=1, batch_size=16, lr=0.01, clip=1e-3, verbose=False)
    assert len(model._opt.norms) == 4 and max(model._opt.norms) <= 1e-3 + 1e-9
    model._opt = Spy()
    model.fit(task.train, epochs=1, batch_size=16, lr=0.01, clip=None, verbose=False)
    assert max(model._opt.norms) > 1e-3, "without clip the norms are the raw ones"


def test_encoder_decoder_targets_drop_padding_and_eos():
    task = tasks.number_words(n_train=50, n_val=5, seed=0)
    model = models.EncoderDecoder(task.n_in, 4, task.n_out, go=0, eos=1)
    for i, target in enumerate(model.targets(task.train)):
        assert [task.out_vocab[k] for k in target] == task.train.targets[i]


def test_encoder_decoder_and_one_to_many_learn_small_tasks():
    task = tasks.number_words(n_train=1500, n_val=100, seed=0)
    ed = models.EncoderDecoder(task.n_in, 32, task.n_out, go=0, eos=1, seed=0)
    before = ed.loss(task.val)
    ed.fit(task.train, epochs=3, batch_size=32, lr=0.01, clip=5.0, verbose=False)
    assert ed.loss(task.val) < 0.3 * before
    mel = tasks.melodies(n_train=500, n_val=100, seed=0)
    gen = models.OneToMany(2, 16, mel.n_out, seed=0)
    gen.fit(mel.train, epochs=12, batch_size=32, lr=0.01, verbose=False)
    assert gen.score(mel.val) < 0.7 * np.log(mel.n_out), "loss per note should fall far below chance"
    for c, mode in enumerate(tasks.MODES):
        notes = gen.generate(np.full(50, c), 16, temperature=1.0, seed=0)
        assert tasks.in_mode_share(notes, mode) > 0.85


def test_output_layer_draws_from_its_own_stream():
    """W_out must not repeat the first draws of W_F (both once came from default_rng(seed))."""
    for model in (models.ManyToOne(5, 4, 3, seed=0), models.ManyToMany(5, 4, 3, seed=0),
                  models.OneToMany(2, 4, 3, seed=0), models.EncoderDecoder(5, 4, 3, seed=0)):  # fmt: skip
        p = model.params
        W_F = p.get("W_F", p.get("enc_W_F"))
        first_out = p["W_out"].ravel()[:4] * np.sqrt(4)
        first_F = W_F.ravel()[:4] * np.sqrt(W_F.shape[0] + W_F.shape[1])
        assert not np.allclose(first_out, first_F), f"{type(model).__name__}: W_out copies W_F's draws"
    ed = models.EncoderDecoder(5, 4, 5, seed=0).params
    assert not np.allclose(ed["enc_W_R"], ed["dec_W_R"])
    assert not np.allclose(models.EncoderDecoder(5, 4, 5, seed=1).params["enc_W_R"], ed["dec_W_R"])


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_many_to_one_with_a_gated_cell_gradients(cell):
    rng = np.random.default_rng(4)
    model = models.ManyToOne(3, 4, 3, seed=2, cell=cell, scale=1.0)
    _bump(model)
    X = 2.0 * rng.standard_normal((5, 3, 2))
    y, lengths = np.array([0, 2]), np.array([5, 3])
    _, grads = model.loss_and_grads(X, y, lengths)
    _assert_grads(model, lambda: model.loss_and_grads(X, y, lengths)[0], grads)


def test_the_numeric_core_imports_numpy_only():
    import subprocess
    import sys

    code = (
        "import sys; import rnncourse.models, rnncourse.cells, rnncourse.longlag, rnncourse.gradients, "
        "rnncourse.tasks, rnncourse.language; "
        "print([m for m in ('matplotlib', 'ipywidgets', 'IPython', 'scipy') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out
