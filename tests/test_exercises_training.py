"""Mutation tests of the clipping, sampling, LSTM and embedding checkers.

Every bug of `rnncourse.exercises.bugs_training` has a learner-style version here,
written independently; each must be rejected and named.
"""

import numpy as np
import pytest

from rnncourse import cells, models, optim
from rnncourse.exercises import (
    bugs_training,
    check_clip_by_norm,
    check_embedding_backward,
    check_lstm_cell_forward,
    check_sample,
    reset_attempts,
    solutions,
)
from rnncourse.gradcheck import numerical_gradient, rel_error


@pytest.fixture(autouse=True)
def _store(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(tmp_path / "progress.sqlite3"))
    reset_attempts()


# ---------------------------------------------------------------------------
# Clipping
# ---------------------------------------------------------------------------
def _total(grads):
    return np.sqrt(sum((g * g).sum() for g in grads.values()))


def clip_each(grads, max_norm):
    out = {}
    for k, g in grads.items():
        n = np.linalg.norm(g)
        out[k] = g * max_norm / (n + 1e-6) if n > max_norm else g.copy()
    return out


def clip_always(grads, max_norm):
    s = max_norm / (_total(grads) + 1e-6)
    return {k: s * g for k, g in grads.items()}


def clip_value(grads, max_norm):
    return {k: np.minimum(np.maximum(g, -max_norm), max_norm) for k, g in grads.items()}


def clip_no_sqrt(grads, max_norm):
    sq = sum(np.sum(g**2) for g in grads.values())
    if sq > max_norm:
        return {k: g * max_norm / (sq + 1e-6) for k, g in grads.items()}
    return {k: g.copy() for k, g in grads.items()}


def clip_inverted(grads, max_norm):
    n = _total(grads)
    return {k: (g * n / max_norm if n > max_norm else g.copy()) for k, g in grads.items()}


def clip_in_place(grads, max_norm):
    n = _total(grads)
    if n > max_norm:
        for k in grads:
            grads[k] *= max_norm / (n + 1e-6)
    return {k: g for k, g in grads.items()}


CLIP_BUGS = {
    "each_clipped_by_own_norm": clip_each,
    "clipped_below_threshold": clip_always,
    "clipped_by_value": clip_value,
    "norm_not_square_rooted": clip_no_sqrt,
    "ratio_inverted": clip_inverted,
    "input_changed_in_place": clip_in_place,
}


# ---------------------------------------------------------------------------
# Sampling
# ---------------------------------------------------------------------------
def _stable(y):
    e = np.exp(y - y.max())
    return e / e.sum()


def sample_times(logits, temperature, rng):
    return int(rng.choice(len(logits), p=_stable(logits * temperature)))


def sample_no_temperature(logits, temperature, rng):
    return int(rng.choice(len(logits), p=_stable(logits)))


def sample_greedy(logits, temperature, rng):
    return int(np.argmax(logits))


def sample_uniform(logits, temperature, rng):
    return int(rng.integers(len(logits)))


def sample_naive_softmax(logits, temperature, rng):
    p = np.exp(logits / temperature) / np.sum(np.exp(logits / temperature))
    return int(rng.choice(len(p), p=p))


def sample_global_rng(logits, temperature, rng):
    return int(np.random.choice(len(logits), p=_stable(logits / temperature)))  # noqa: NPY002 (the bug)


SAMPLE_BUGS = {
    "temperature_multiplied": sample_times,
    "temperature_ignored": sample_no_temperature,
    "always_argmax": sample_greedy,
    "uniform_draw": sample_uniform,
    "softmax_overflow": sample_naive_softmax,
    "rng_not_used": sample_global_rng,
}


# ---------------------------------------------------------------------------
# One LSTM step
# ---------------------------------------------------------------------------
def sig(z):
    return 1 / (1 + np.exp(-z))


def make_lstm(gate=sig, cand=np.tanh, recurrent=True, bias=True, cell_update="ok", out="ok", order="ac"):
    def lstm(x_t, a_prev, c_prev, params):
        def s(k):
            z = params[f"W_F_{k}"] @ x_t
            if recurrent:
                z = z + params[f"W_R_{k}"] @ a_prev
            if bias:
                z = z + params[f"b_{k}"]
            return z

        i, f, g, o = gate(s("i")), gate(s("f")), cand(s("g")), gate(s("o"))
        c = {"ok": f * c_prev + i * g, "no_f": c_prev + i * g, "swap": i * c_prev + f * g, "no_c": i * g}[
            cell_update
        ]
        a = {"ok": o * np.tanh(c), "no_tanh": o * c, "outside": np.tanh(o * c)}[out]
        return (a, c) if order == "ac" else (c, a)

    return lstm


LSTM_BUGS = {
    "forget_gate_missing": make_lstm(cell_update="no_f"),
    "input_and_forget_gates_swapped": make_lstm(cell_update="swap"),
    "output_tanh_missing": make_lstm(out="no_tanh"),
    "tanh_outside_output_gate": make_lstm(out="outside"),
    "candidate_sigmoid": make_lstm(cand=sig),
    "previous_state_ignored": make_lstm(recurrent=False),
    "cell_state_ignored": make_lstm(cell_update="no_c"),
    "bias_missing": make_lstm(bias=False),
    "outputs_swapped": make_lstm(order="ca"),
}


# ---------------------------------------------------------------------------
# The embedding backward
# ---------------------------------------------------------------------------
def emb_fancy_index(dx_t, tokens, vocab_size):
    dE = np.zeros((dx_t.shape[0], vocab_size))
    dE[:, tokens] += dx_t
    return dE


def emb_rows(dx_t, tokens, vocab_size):
    dE = np.zeros((vocab_size, dx_t.shape[0]))
    for j, k in enumerate(tokens):
        dE[k] += dx_t[:, j]
    return dE


def emb_mean(dx_t, tokens, vocab_size):
    dE = np.zeros((dx_t.shape[0], vocab_size))
    for k in set(tokens.tolist()):
        dE[:, k] = dx_t[:, tokens == k].mean(axis=1)
    return dE


def emb_over_batch(dx_t, tokens, vocab_size):
    # divides by the batch size, as if the embedding had to average the loss again
    dE = np.zeros((dx_t.shape[0], vocab_size))
    for j, token in enumerate(tokens):
        dE[:, token] += dx_t[:, j] / len(tokens)
    return dE


EMBEDDING_BUGS = {
    "repeated_tokens_lost": emb_fancy_index,
    "result_transposed": emb_rows,
    "repeats_averaged": emb_mean,
    "divided_by_batch": emb_over_batch,
}

CASES = [
    (check_clip_by_norm, bugs_training.CLIP_BY_NORM, CLIP_BUGS),
    (check_sample, bugs_training.SAMPLE, SAMPLE_BUGS),
    (check_lstm_cell_forward, bugs_training.LSTM_CELL_FORWARD, LSTM_BUGS),
    (check_embedding_backward, bugs_training.EMBEDDING_BACKWARD, EMBEDDING_BUGS),
]


@pytest.mark.parametrize("check, library, learners", CASES, ids=["clip", "sample", "lstm", "embedding"])
def test_every_bug_of_the_library_has_a_learner_version(check, library, learners):
    assert {b.id for b in library} == set(learners)


@pytest.mark.parametrize(
    "check, bug_id, fn",
    [(check, bug_id, fn) for check, _, learners in CASES for bug_id, fn in learners.items()],
    ids=[f"{check.__name__}-{bug_id}" for check, _, learners in CASES for bug_id in learners],
)
def test_each_bug_is_rejected_and_named(check, bug_id, fn):
    result = check(fn)
    assert not result.correct
    assert result.bug == bug_id, result.message
    assert "Fix:" in result.message and "Revisit:" in result.message


def test_references_and_course_functions_pass():
    assert check_clip_by_norm(solutions.clip_by_norm).correct
    assert check_clip_by_norm(optim.clip_by_norm).correct  # returns (dict, norm): accepted
    assert check_sample(solutions.sample).correct
    assert check_sample(lambda y, tau, rng: int(models.sample(y[:, None], tau, rng)[0])).correct
    assert check_lstm_cell_forward(solutions.lstm_cell_forward).correct
    assert check_lstm_cell_forward(cells.lstm_cell_forward).correct  # (a_t, c_t, cache): accepted
    assert check_embedding_backward(solutions.embedding_backward).correct


def test_embedding_reference_is_the_gradient_of_the_lookup():
    rng = np.random.default_rng(0)
    n_e, V = 3, 5
    tokens = np.array([1, 4, 1, 1, 0, 2])  # repeats, and a token (3) that never occurs
    E = rng.normal(size=(n_e, V))
    W = rng.normal(size=(n_e, len(tokens)))

    def loss():
        return float(np.sum(W * np.tanh(E[:, tokens])))

    dx_t = W * (1 - np.tanh(E[:, tokens]) ** 2)  # (n_e, m) = dL/dx_t
    assert rel_error(solutions.embedding_backward(dx_t, tokens, V), numerical_gradient(loss, E)) < 1e-7


def test_perturbed_results_are_rejected():
    def clip_slightly_off(grads, c):
        return {k: v * (1 + 1e-3) for k, v in solutions.clip_by_norm(grads, c).items()}

    def lstm_one_entry(x, a, c, p):
        a_t, c_t = solutions.lstm_cell_forward(x, a, c, p)
        c_t = c_t.copy()
        c_t[0, 0] += 1e-2
        return a_t, c_t

    def emb_one_entry(dx, tokens, V):
        dE = solutions.embedding_backward(dx, tokens, V)
        dE[-1, 0] += 1e-2
        return dE

    def sample_off_by_one(y, tau, rng):
        return (solutions.sample(y, tau, rng) + 1) % len(y)

    def sample_squared_temperature(y, tau, rng):
        return solutions.sample(y, tau**2, rng)

    for check, fn in (
        (check_clip_by_norm, clip_slightly_off),
        (check_lstm_cell_forward, lstm_one_entry),
        (check_embedding_backward, emb_one_entry),
        (check_sample, sample_off_by_one),
        (check_sample, sample_squared_temperature),
    ):
        result = check(fn)
        assert not result.correct and result.bug == "", (fn.__name__, result.message)


def test_clip_returning_its_input_is_refused():
    def lazy(grads, c):
        n = _total(grads)
        return grads if n <= c else solutions.clip_by_norm(grads, c)

    result = check_clip_by_norm(lazy)
    assert not result.correct and "very dict it was given" in result.message


def test_sample_rejects_non_integers():
    result = check_sample(lambda y, tau, rng: _stable(y / tau))  # the probabilities, not an index
    assert not result.correct and result.kind == "type" and "int" in result.message
    result = check_sample(lambda y, tau, rng: len(y))  # out of range
    assert not result.correct and "outside" in result.message


def test_lstm_says_when_only_the_output_is_wrong():
    def bad_output(x, a, c, p):
        a_t, c_t = solutions.lstm_cell_forward(x, a, c, p)
        return a_t * 1.01, c_t

    result = check_lstm_cell_forward(bad_output)
    assert not result.correct and "c_t is right" in result.message


def test_other_right_ways_to_sample_pass():
    def by_cumsum(logits, temperature, rng):
        p = _stable(logits / temperature)
        return int(min(np.searchsorted(np.cumsum(p), rng.random()), len(p) - 1))

    def gumbel_max(logits, temperature, rng):
        return int(np.argmax(logits / temperature + rng.gumbel(size=logits.shape)))

    def multinomial(logits, temperature, rng):
        return int(np.argmax(rng.multinomial(1, _stable(logits / temperature))))

    for fn in (by_cumsum, gumbel_max, multinomial):
        result = check_sample(fn)
        assert result.correct, (fn.__name__, result.message)


def test_other_right_ways_to_clip_and_embed_pass():
    def clip_flat(grads, max_norm):
        norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
        factor = max_norm / norm if norm > max_norm else 1.0  # without the 1e-6: within tolerance
        return {k: factor * g for k, g in grads.items()}

    def embed_loop(dx_t, tokens, vocab_size):
        dE = np.zeros((dx_t.shape[0], vocab_size))
        for j, k in enumerate(tokens):
            dE[:, k] += dx_t[:, j]
        return dE

    def embed_one_hot(dx_t, tokens, vocab_size):
        return dx_t @ np.eye(vocab_size)[tokens]  # (n_e, m) @ (m, V)

    assert check_clip_by_norm(clip_flat).correct
    assert check_embedding_backward(embed_loop).correct
    assert check_embedding_backward(embed_one_hot).correct
