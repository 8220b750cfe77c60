"""Tests of rnncourse.tasks: the synthetic data sets are seeded, well labelled and padded right."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnncourse import tasks


# --------------------------------------------------------------------------- helpers
def test_one_hot_puts_a_single_one_per_real_step_and_zeros_at_padding():
    idx = np.array([[2, 0], [1, -1], [-1, -1]])  # (T=3, m=2)
    X = tasks.one_hot(idx, 3)
    assert X.shape == (3, 3, 2)
    assert X[0, 2, 0] == 1 and X[0, 0, 1] == 1 and X[1, 1, 0] == 1
    assert X.sum(axis=1).tolist() == [[1, 1], [1, 0], [0, 0]], "padding (-1) must give a zero column"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abc"), min_size=1, max_size=6), min_size=1, max_size=5))
def test_pad_tokens_and_one_hot_round_trip(seqs):
    vocab = ["a", "b", "c"]
    idx, lengths = tasks.pad_tokens(seqs, vocab)
    X = tasks.one_hot(idx, 3)
    assert idx.shape == (max(len(s) for s in seqs), len(seqs))
    assert lengths.tolist() == [len(s) for s in seqs]
    for i, s in enumerate(seqs):
        decoded = [vocab[k] for k in X[: lengths[i], :, i].argmax(axis=1)]
        assert decoded == s
        assert not X[lengths[i] :, :, i].any(), "steps after the end must be zero columns"


def test_split_take_keeps_order_and_trims_padding():
    task = tasks.brackets(n_train=200, n_val=50, seed=3)
    tr = task.train
    short = np.flatnonzero(tr.lengths <= 4)[:3]
    sub = tr.take(short[::-1])
    assert len(sub) == 3
    assert sub.X.shape == (int(tr.lengths[short].max()), 2, 3)
    assert sub.inputs == [tr.inputs[i] for i in short[::-1]]
    np.testing.assert_array_equal(sub.y, tr.y[short[::-1]])
    assert sub.kinds == [tr.kinds[i] for i in short[::-1]]
    assert tr.take(short, tokens=False).inputs == []


def test_split_take_without_inputs_array_and_trimmed_targets():
    mel = tasks.melodies(n_train=30, n_val=5, seed=0).train
    sub = mel.take([4, 2])
    assert sub.X is None and sub.Y.shape == (16, 2) and sub.y.tolist() == mel.y[[4, 2]].tolist()
    nums = tasks.number_words(n_train=300, n_val=5, seed=0).train
    one_digit = np.flatnonzero(nums.lengths == 1)[:2]
    sub = nums.take(one_digit)
    assert sub.X.shape[0] == 1 and sub.Y.shape[0] == 2, "a one-digit number is one word and <eos>"


# --------------------------------------------------------------------------- brackets
@pytest.mark.parametrize(
    "s, ok",
    [
        ("()", True),
        ("(())()", True),
        ("", True),
        (")(", False),
        ("())(()", False),
        ("(()", False),
        ("(", False),
    ],  # fmt: skip
)
def test_is_well_formed(s, ok):
    assert tasks.is_well_formed(s) is ok


def test_brackets_labels_agree_with_the_rule_and_kinds():
    task = tasks.brackets(n_train=1500, n_val=300, seed=0)
    for split in (task.train, task.val):
        strings = ["".join(s) for s in split.inputs]
        assert [int(tasks.is_well_formed(s)) for s in strings] == split.y.tolist()
        for s, kind in zip(strings, split.kinds):
            if kind == "closes-early":
                assert s.count("(") == s.count(")") and not tasks.is_well_formed(s)
            if kind == "left-open":
                assert s.count("(") == s.count(")") + 1
            if kind == "unequal":
                assert s.count("(") != s.count(")")
    share = task.train.y.mean()
    assert 0.45 < share < 0.55, f"about half the strings should be well formed, got {share:.2f}"
    hard = np.mean([k == "closes-early" for k in task.train.kinds])
    assert 0.13 < hard < 0.20, "a sixth of the strings should be the hard (order-only) negatives"


def test_brackets_arrays_match_the_strings():
    task = tasks.brackets(n_train=100, n_val=20, max_len=10, seed=1)
    tr = task.train
    assert tr.X.shape == (int(tr.lengths.max()), 2, 100)
    assert tr.lengths.max() <= 10
    for i in range(100):
        L = tr.lengths[i]
        assert "".join(task.vocab[k] for k in tr.X[:L, :, i].argmax(axis=1)) == "".join(tr.inputs[i])
        assert not tr.X[L:, :, i].any()


def test_brackets_is_seeded_and_validation_is_new():
    a, b = tasks.brackets(seed=5), tasks.brackets(seed=5)
    np.testing.assert_array_equal(a.train.X, b.train.X)
    np.testing.assert_array_equal(a.val.y, b.val.y)
    assert a.seeds[0] != a.seeds[1]
    c = tasks.brackets(seed=6)
    assert a.train.inputs[:20] != c.train.inputs[:20]
    seen = {"".join(s) for s in a.train.inputs}
    assert not any("".join(s) in seen for s in a.val.inputs), "validation strings must be unseen"


def test_brackets_render():
    task = tasks.brackets(n_train=10, n_val=10, seed=0)
    line = task.render(0)
    assert "".join(task.train.inputs[0]) in line and task.train.targets[0] in line
    assert "(model: well-formed)" in task.render(0, "val", prediction=1)


# --------------------------------------------------------------------------- POS tagging
def test_pos_tags_are_fixed_by_left_context_but_not_by_the_word():
    """The previous tag and the word decide the tag; the word alone does not."""
    task = tasks.pos_tagging(n_train=2000, n_val=200, seed=0)
    by_context: dict = {}
    by_word: dict = {}
    for words, tags in zip(task.train.inputs, task.train.targets):
        prev = "<start>"
        for w, t in zip(words, tags):
            by_context.setdefault((prev, w), set()).add(t)
            by_word.setdefault(w, set()).add(t)
            prev = t
    assert all(len(v) == 1 for v in by_context.values()), "some tag is not decided by its left context"
    ambiguous = sorted(w for w, v in by_word.items() if len(v) > 1)
    assert ambiguous == sorted(tasks.AMBIGUOUS)


def test_pos_arrays_mask_and_examples():
    task = tasks.pos_tagging(n_train=300, n_val=100, seed=2)
    tr = task.train
    assert tr.X.shape[1] == task.n_in == len(task.vocab)
    assert tr.Y.shape == tr.mask.shape == (tr.X.shape[0], 300)
    np.testing.assert_array_equal(tr.mask.sum(axis=0), tr.lengths)
    assert np.all(tr.Y[tr.mask == 0] == -1)
    i = 7
    assert [task.out_vocab[k] for k in tr.Y[: tr.lengths[i], i]] == tr.targets[i]
    seen = {" ".join(s) for s in tr.inputs}
    assert not any(" ".join(s) in seen for s in task.val.inputs)
    assert "/" in task.render(0)


def test_majority_baseline_fails_on_ambiguous_words():
    task = tasks.pos_tagging(n_train=2000, n_val=500, seed=0)
    base = tasks.majority_baseline(task.train, task.val, task.n_in)
    real = task.val.mask > 0
    amb = np.isin(task.val.X.argmax(axis=1), [task.vocab.index(w) for w in tasks.AMBIGUOUS]) & real
    unamb = real & ~amb
    assert np.all(base[unamb] == task.val.Y[unamb]), "unambiguous words are always right by lookup"
    acc_amb = (base[amb] == task.val.Y[amb]).mean()
    assert 0.4 < acc_amb < 0.8, f"the lookup should often fail on ambiguous words, got {acc_amb:.2f}"


# --------------------------------------------------------------------------- numbers
@pytest.mark.parametrize(
    "n, words",
    [
        (0, "zero"),
        (7, "seven"),
        (12, "twelve"),
        (20, "twenty"),
        (45, "forty five"),
        (100, "one hundred"),
        (105, "one hundred five"),
        (119, "one hundred nineteen"),
        (345, "three hundred forty five"),
        (999, "nine hundred ninety nine"),
    ],
)
def test_spell_number(n, words):
    assert " ".join(tasks.spell_number(n)) == words


def test_spell_number_range():
    with pytest.raises(ValueError, match="0..999"):
        tasks.spell_number(1000)


def test_number_words_arrays_lengths_and_held_out_numbers():
    task = tasks.number_words(n_train=1000, n_val=200, seed=0)
    tr, va = task.train, task.val
    eos = task.out_vocab.index(tasks.EOS)
    assert task.out_vocab[0] == tasks.GO
    for split in (tr, va):
        out_len = split.mask.sum(axis=0).astype(int)
        for i in range(len(split)):
            n = int("".join(split.inputs[i]))
            assert split.targets[i] == tasks.spell_number(n)
            assert out_len[i] == len(split.targets[i]) + 1, "targets end with <eos>"
            assert split.Y[out_len[i] - 1, i] == eos
    assert len(set(tr.lengths.tolist())) == 3, "training mixes 1-, 2- and 3-digit numbers"
    assert len(set(tr.mask.sum(axis=0).tolist())) >= 4, "outputs of several lengths in one split"
    train_numbers = {"".join(s) for s in tr.inputs}
    assert not any("".join(s) in train_numbers for s in va.inputs), "validation numbers must be held out"
    assert "->" in task.render(0) and "(model:" in task.render(0, prediction=[2])


# --------------------------------------------------------------------------- melodies
def test_melodies_stay_in_their_mode_and_start_and_end_on_c():
    task = tasks.melodies(n_train=400, n_val=100, seed=0)
    tr = task.train
    assert tr.Y.shape == (16, 400) and tr.Y.min() >= 0 and tr.Y.max() < task.n_out
    assert set(tr.y.tolist()) == {0, 1}
    for i in range(len(tr)):
        mode = task.vocab[tr.y[i]]
        assert tasks.in_mode_share(tr.Y[:, i], mode) == 1.0
        assert tr.Y[0, i] % 12 == 0 and tr.Y[-1, i] % 12 == 0
    # The modes differ in the third, sixth and seventh degrees, which do occur.
    thirds = tr.Y % 12
    assert np.any(thirds[:, tr.y == 0] == 4) and np.any(thirds[:, tr.y == 1] == 3)
    assert not np.array_equal(task.val.Y[:, :10], tr.Y[:, :10])


def test_in_mode_share_and_note_labels():
    assert tasks.in_mode_share(np.array([0, 4, 7, 12]), "major") == 1.0
    assert tasks.in_mode_share(np.array([0, 4, 7, 12]), "minor") == 0.75
    assert tasks.note_label(0) == "C4" and tasks.note_label(15) == "Eb5" and tasks.note_label(24) == "C6"
