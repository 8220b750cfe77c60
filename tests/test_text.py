"""The character-level language model of rnncourse.text: gradients, truncated BPTT, data."""

import numpy as np
import pytest

from rnncourse.gradcheck import check_gradients, numerical_gradient, rel_error
from rnncourse.text import corpus
from rnncourse.text.embedding import embedding_backward, embedding_forward, init_embedding
from rnncourse.text.lm import CharLM, sample
from rnncourse.text.ngram import baselines, ngram_perplexity
from rnncourse.text.tbptt import chunks, sequential_streams, tbptt_loss_and_grads
from rnncourse.text.train import fit, perplexity
from rnncourse.text.vocab import Vocab

CELLS = ["rnn", "lstm", "gru"]
TEXT = "def f(x):\n    return (x + 1) * [x, x]\n" * 3


def _model(cell, n_e=3, n_h=4, seed=0):
    return CharLM(Vocab.from_text(TEXT), n_e, n_h, cell, seed=seed)


# ---------------------------------------------------------------------------
# Corpus and vocabulary
# ---------------------------------------------------------------------------
def test_corpus_is_the_package_source_and_deterministic():
    files = corpus.source_files()
    assert files == sorted(files, key=lambda p: p.relative_to(corpus.package_dir()).as_posix())
    names = {p.name for p in files}
    assert {"rnn.py", "cells.py", "corpus.py"} <= names
    text = corpus.source_corpus()
    assert text == corpus.source_corpus()
    assert corpus.FILE_HEADER.format(path="rnncourse/rnn.py") in text
    assert (corpus.package_dir() / "rnn.py").read_text() in text


def test_corpus_of_a_folder(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "b.py").write_text("B\n")
    (tmp_path / "pkg" / "a.py").write_text("A\n")
    (tmp_path / "pkg" / "sub" / "c.py").write_text("C\n")
    (tmp_path / "pkg" / "notes.txt").write_text("not code")
    text = corpus.source_corpus(tmp_path / "pkg")
    h = corpus.FILE_HEADER
    assert (
        text
        == h.format(path="pkg/a.py")
        + "A\n"
        + h.format(path="pkg/b.py")
        + "B\n"
        + h.format(path="pkg/sub/c.py")
        + "C\n"
    )


def test_split_keeps_the_tail_out():
    text = corpus.source_corpus()
    train, val = corpus.split_text(text, 0.1)
    assert train + val == text
    assert abs(len(val) / len(text) - 0.1) < 0.01
    assert train.endswith("\n")
    with pytest.raises(ValueError, match="held_out"):
        corpus.split_text(text, 1.5)


def test_vocabulary_maps_unseen_characters_to_unk():
    v = Vocab.from_text("banana")
    assert len(v) == 4 and v.itos[0] == "<unk>"
    ids = v.encode("bandana!")
    assert ids.dtype == np.int64 and ids.shape == (8,)
    assert ids[3] == v.unk_id and ids[-1] == v.unk_id  # "d" and "!" were never seen
    assert v.decode(v.encode("nab")) == "nab"
    assert v.decode(ids, unk="?") == "ban?ana?"
    train, val = corpus.split_text(corpus.source_corpus())
    vt = Vocab.from_text(train)
    unseen = set(val) - set(train)
    assert (vt.encode(val) == 0).sum() == sum(val.count(c) for c in unseen)


# ---------------------------------------------------------------------------
# Embedding
# ---------------------------------------------------------------------------
def test_embedding_looks_up_columns():
    E = init_embedding(3, 5, seed=1)
    ids = np.array([[0, 4], [4, 4]])
    X = embedding_forward(E, ids)
    assert X.shape == (2, 3, 2)
    np.testing.assert_array_equal(X[1, :, 0], E[:, 4])


def test_embedding_backward_scatter_adds_repeated_tokens():
    rng = np.random.default_rng(0)
    E = rng.standard_normal((3, 5))
    ids = np.array([[1, 1, 3], [1, 0, 3]])  # token 1 three times, token 3 twice, 2 and 4 never
    G = rng.standard_normal((2, 3, 3))  # (T, n_e, m)

    def loss():
        return float((embedding_forward(E, ids) * G).sum())

    dE = embedding_backward(G, ids, 5)
    assert rel_error(dE, numerical_gradient(loss, E)) < 1e-8
    np.testing.assert_array_equal(dE[:, [2, 4]], 0.0)
    np.testing.assert_allclose(dE[:, 1], G[0, :, 0] + G[0, :, 1] + G[1, :, 0])


def test_embedding_errors_teach():
    with pytest.raises(ValueError, match=r"\(T, m\)"):
        embedding_forward(np.zeros((3, 5)), np.array([1, 2]))
    with pytest.raises(ValueError, match="0..4"):
        embedding_forward(np.zeros((3, 5)), np.array([[7]]))


# ---------------------------------------------------------------------------
# The model: gradients
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("cell", CELLS)
def test_model_gradients(cell):
    model = _model(cell)
    ids = model.vocab.encode(TEXT[:13])
    x = np.stack([ids[:6], ids[6:12]], axis=1)  # (6, 2): repeated characters in both columns
    y = np.stack([ids[1:7], ids[7:13]], axis=1)
    rng = np.random.default_rng(1)
    state = tuple(rng.standard_normal((4, 2)) * 0.5 for _ in model.init_state(2))  # a carried state
    _, grads, _ = model.loss_and_grads(x, y, state)
    errors = check_gradients(lambda p: model.loss_and_grads(x, y, state)[0], model.params, grads)
    # Elementwise relative error: entries near zero make the largest one ~1e-6; a wrong
    # gradient is off by 1e-2 or more.
    assert max(errors.values()) < 1e-5, errors


@pytest.mark.parametrize("cell", CELLS)
def test_nll_matches_the_loss(cell):
    model = _model(cell)
    s = sequential_streams(model.vocab.encode(TEXT), 3)
    x, y = s[:-1], s[1:]
    loss, _, st1 = model.loss_and_grads(x, y)
    nll, st2 = model.nll(x, y)
    assert nll == pytest.approx(loss * 3, rel=1e-12)
    for a, b in zip(st1, st2):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------------
# Truncated BPTT
# ---------------------------------------------------------------------------
def test_sequential_streams_partition():
    ids = np.arange(23)
    s = sequential_streams(ids, 4, offset=2)  # (5, 4)
    assert s.shape == (5, 4)
    np.testing.assert_array_equal(s[:, 1], np.arange(7, 12))
    parts = list(chunks(s, 3))
    assert [p[0].shape[0] for p in parts] == [3, 1]
    np.testing.assert_array_equal(parts[1][1][-1], s[-1])
    with pytest.raises(ValueError, match="smaller m"):
        sequential_streams(ids, 20)


@pytest.mark.parametrize("cell", CELLS)
def test_truncated_with_long_chunks_is_full_bptt(cell):
    model = _model(cell)
    s = sequential_streams(model.vocab.encode(TEXT), 3)  # (L, 3)
    full_loss, full_grads, _ = model.loss_and_grads(s[:-1], s[1:])
    for k in (len(s) - 1, len(s), 10 * len(s)):
        loss, grads, states = tbptt_loss_and_grads(model, s, k)
        assert len(states) == 1
        assert loss == pytest.approx(full_loss, rel=1e-12)
        for key in full_grads:
            assert rel_error(grads[key], full_grads[key]) < 1e-12, key


@pytest.mark.parametrize("cell", CELLS)
def test_truncated_gradient_stops_at_the_chunk_boundary(cell):
    model = _model(cell)
    s = sequential_streams(model.vocab.encode(TEXT), 3)
    k = 7
    loss, grads, states = tbptt_loss_and_grads(model, s, k)
    full_loss, full_grads, _ = model.loss_and_grads(s[:-1], s[1:])
    assert loss == pytest.approx(full_loss, rel=1e-10)  # the same forward pass ...
    assert rel_error(grads["W_out"], full_grads["W_out"]) < 1e-10  # ... and output layer ...
    key = "W_R" if cell == "rnn" else "W_R_g"
    assert rel_error(grads[key], full_grads[key]) > 1e-4  # ... but less backward through time
    # Each chunk's gradient is that of its own loss, its carried state held constant.
    W = model.params[key]
    num = np.zeros_like(W)
    for j, (x, y) in enumerate(chunks(s, k)):
        num += numerical_gradient(lambda x=x, y=y, st=states[j]: model.loss_and_grads(x, y, st)[0], W)
    assert rel_error(grads[key], num) < 1e-6


@pytest.mark.parametrize("cell", CELLS)
def test_carried_state_is_the_full_forward_state(cell):
    model = _model(cell)
    s = sequential_streams(model.vocab.encode(TEXT), 2)
    k = 5
    _, _, states = tbptt_loss_and_grads(model, s, k)
    _, _, cache = model.forward(s[:-1])
    A = cache["A"]  # (L - 1, n_h, m)
    for j in range(1, len(states)):
        np.testing.assert_allclose(states[j][0], A[j * k - 1], rtol=0, atol=1e-13)
        if cell == "lstm":
            np.testing.assert_allclose(states[j][1], cache["rnn"]["C"][j * k - 1], rtol=0, atol=1e-13)


def test_state_errors_teach():
    model = _model("lstm")
    with pytest.raises(ValueError, match=r"\(a, c\)"):
        model.forward(np.zeros((2, 3), dtype=int), (np.zeros((4, 3)),))


# ---------------------------------------------------------------------------
# n-gram baselines
# ---------------------------------------------------------------------------
def test_bigram_of_one_repeated_character_is_near_one():
    assert ngram_perplexity("a" * 10_000, "a" * 500, 2) < 1.001
    assert ngram_perplexity("a" * 10_000, "a" * 500, 3) < 1.001


def test_ngram_add_one_by_hand():
    # V = 3 (<unk>, a, b); bigram counts in "abab": a->b twice, b->a once.
    v = Vocab.from_text("ab")
    p_b_after_a = (2 + 1) / (2 + 3)
    p_a_after_b = (1 + 1) / (1 + 3)
    # "ab" follows "abab": contexts b (last of train) then a.
    expected = np.exp(-(np.log(p_a_after_b) + np.log(p_b_after_a)) / 2)
    assert ngram_perplexity("abab", "ab", 2, v) == pytest.approx(expected)
    assert ngram_perplexity("abab", "ab", 1, v) == pytest.approx(np.exp(-np.log(3 / 7)))


def test_baselines_on_the_package_improve_with_context():
    train, val = corpus.split_text(corpus.source_corpus())
    b = baselines(train, val)
    assert b["unigram"] > b["bigram"] > b["trigram"] > 1


# ---------------------------------------------------------------------------
# Training, perplexity and sampling
# ---------------------------------------------------------------------------
def test_fit_lowers_the_loss_and_records_curves():
    model = _model("gru", n_e=8, n_h=16)
    text = TEXT * 10
    before = perplexity(model, text, m=4)
    points = []
    hist = fit(model, text, text[:200], steps=60, k=16, m=4, lr=1e-2, eval_every=20, callback=points.append)
    after = perplexity(model, text, m=4)
    assert hist["step"] == [20, 40, 60] and len(points) == 3
    assert hist["train_ppl"][-1] < hist["train_ppl"][0]
    assert after < 0.5 * before


def test_perplexity_of_an_untrained_model_is_near_V():
    model = _model("rnn", n_h=4)
    model.params["W_out"][:] = 0.0
    assert perplexity(model, TEXT, m=2) == pytest.approx(len(model.vocab), rel=1e-12)


def test_sample_continues_the_prime_and_is_seeded():
    model = _model("lstm")
    a = sample(model, "def ", 20, temperature=1.0, rng=3)
    assert a.startswith("def ") and len(a) == 24
    assert a == sample(model, "def ", 20, temperature=1.0, rng=np.random.default_rng(3))
    assert sample(model, "x", 5, temperature=0) == sample(model, "x", 5, temperature=0, rng=9)


def test_bracket_distances_and_closing_probe():
    from rnncourse.text.probe import bracket_closing, bracket_distances, char_probs

    text = "f(a, [b])\n"
    d = bracket_distances(text)
    assert d[text.index("]")] == 2 and d[text.index(")")] == 7 and d.sum() == 9
    model = _model("gru")
    p = char_probs(model, TEXT, m=2)
    assert p.shape == (len(TEXT),) and np.isnan(p[0]) and np.nanmax(p) <= 1
    rows = bracket_closing(p, TEXT, edges=(1, 10, 100))
    closers = bracket_distances(TEXT) > 0
    assert sum(r["count"] for r in rows) == (closers & ~np.isnan(p)).sum() > 0
    assert rows[0]["mean_p"] == pytest.approx(p[closers & (bracket_distances(TEXT) < 10)].mean())
