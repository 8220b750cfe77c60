"""rnncourse.cache: a training is kept only when everything it depends on is the same."""

from __future__ import annotations

import os

import numpy as np
import pytest

from rnncourse import cache, longlag, models, sorting, tasks, text, training


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def brackets():
    return tasks.brackets(n_train=300, n_val=100, seed=0)


def _model(brackets, seed=0):
    return models.ManyToOne(n_in=brackets.n_in, n_h=8, n_out=brackets.n_out, seed=seed)


def _pickles(folder):
    return sorted(p.name for p in folder.glob("*.pickle"))


def test_the_unit_tests_run_without_the_cache():
    """The test run shares trainings between notebook kernels only; these tests train for real."""
    assert cache.ENV not in os.environ


def test_off_unless_the_variable_names_a_folder(brackets, tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    _model(brackets).fit(brackets.train, epochs=1, verbose=False)
    assert list(tmp_path.iterdir()) == []


def test_a_second_call_gets_the_first_calls_state_in_place(brackets, folder, capsys):
    first = _model(brackets)
    h1 = first.fit(brackets.train, epochs=2, batch_size=32, val=brackets.val, print_every=1)
    printed = capsys.readouterr().out
    assert printed.count("epoch") == 2 and len(_pickles(folder)) == 1

    second = _model(brackets)
    params, w_r = second.params, second.params["W_R"]
    h2 = second.fit(brackets.train, epochs=2, batch_size=32, val=brackets.val, print_every=1)
    assert capsys.readouterr().out == printed  # the same lines, printed again
    assert h2 == h1 and h2 is second.history
    assert second.params is params and second.params["W_R"] is w_r  # updated in place
    for name in first.params:
        np.testing.assert_array_equal(second.params[name], first.params[name])
    assert second.score(brackets.val) == first.score(brackets.val)
    assert second._opt is not None and second._opt.t == first._opt.t  # Adam's state too
    assert len(_pickles(folder)) == 1


def test_anything_that_changes_the_result_trains_again(brackets, folder):
    _model(brackets).fit(brackets.train, epochs=1, verbose=False)
    _model(brackets).fit(brackets.train, epochs=1, lr=0.02, verbose=False)  # another argument
    _model(brackets, seed=1).fit(brackets.train, epochs=1, verbose=False)  # another initial state
    other = tasks.brackets(n_train=301, n_val=100, seed=0)
    _model(other).fit(other.train, epochs=1, verbose=False)  # other data
    assert len(_pickles(folder)) == 4

    model = _model(brackets)
    model.fit(brackets.train, epochs=1, verbose=False)  # found
    model.fit(brackets.train, epochs=1, verbose=False)  # continued: the state differs
    assert len(model.history["epoch"]) == 2 and len(_pickles(folder)) == 5


def test_a_change_of_the_code_trains_again(brackets, folder, monkeypatch):
    _model(brackets).fit(brackets.train, epochs=1, verbose=False)
    monkeypatch.setattr(cache, "_source_digest", lambda: "another version of the package")
    _model(brackets).fit(brackets.train, epochs=1, verbose=False)
    assert len(_pickles(folder)) == 2


def test_positional_and_keyword_arguments_are_the_same_call(folder):
    a = longlag.train_lag("rnn", 3, n_h=4, steps=5, n_test=20)
    b = longlag.train_lag(cell="rnn", lag=3, steps=5, n_h=4, n_test=20)
    assert len(_pickles(folder)) == 1 and a["accuracy"] == b["accuracy"]


def test_calls_that_depend_on_the_clock_or_a_callback_are_not_cached(folder):
    corpus = "def f(x):\n    return x + 1\n" * 20
    vocab = text.Vocab.from_text(corpus)
    seen = []
    for _ in range(2):
        model = text.CharLM(vocab, n_e=4, n_h=8, cell="rnn", seed=0)
        text.fit(model, corpus, steps=3, k=8, m=2, eval_every=3, callback=seen.append)
    assert len(seen) == 2 and _pickles(folder) == []  # both ran
    task = sorting.sorting_task(n_train=50, n_val=10)
    for _ in range(2):
        model = sorting.Seq2Seq(task.n_in, 8, task.n_out, cell="rnn", seed=0)
        model.fit(task.train, steps=3, batch_size=8, max_seconds=100.0)
    assert _pickles(folder) == []
    model = text.CharLM(vocab, n_e=4, n_h=8, cell="rnn", seed=0)
    text.fit(model, corpus, steps=3, k=8, m=2, eval_every=3)
    assert len(_pickles(folder)) == 1  # the same call without them is


def test_every_training_the_notebooks_run_can_be_kept():
    for fn in (training.Model.fit, sorting.Seq2Seq.fit, longlag.train_lag, text.fit):
        assert getattr(fn, "__wrapped__", None) is not None, f"{fn.__qualname__} is not cached"
