"""Mutation tests of the recurrent-layer checkers: every known bug, written the way a learner would.

The buggy functions here are written independently of `rnncourse.exercises.bugs`; each
must be rejected *and* named. The reference solutions and the course's own functions pass.
"""

import numpy as np
import pytest

from rnncourse import rnn
from rnncourse.exercises import (
    bugs,
    check_backward,
    check_cell_forward,
    check_forward,
    reset_attempts,
    solutions,
)


@pytest.fixture(autouse=True)
def _store(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(tmp_path / "progress.sqlite3"))
    reset_attempts()


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ---------------------------------------------------------------------------
# One step, as learners get it wrong
# ---------------------------------------------------------------------------
def cell_no_bias(x_t, a_prev, W_F, W_R, b):
    return np.tanh(np.dot(W_F, x_t) + np.dot(W_R, a_prev))


def cell_no_tanh(x_t, a_prev, W_F, W_R, b):
    z = W_F @ x_t + W_R @ a_prev + b
    return z


def cell_sigmoid(x_t, a_prev, W_F, W_R, b):
    return sigmoid(W_F @ x_t + W_R @ a_prev + b)


def cell_relu(x_t, a_prev, W_F, W_R, b):
    z = W_F @ x_t + W_R @ a_prev + b
    return z * (z > 0)


def cell_no_prev(x_t, a_prev, W_F, W_R, b):
    return np.tanh(W_F @ x_t + b)


def cell_rows(x_t, a_prev, W_F, W_R, b):
    return np.tanh(x_t.T @ W_F.T + a_prev.T @ W_R.T + b.T)  # batch in the rows


def cell_W_R_transposed(x_t, a_prev, W_F, W_R, b):
    return np.tanh(W_F @ x_t + W_R.T @ a_prev + b)


def cell_bias_outside(x_t, a_prev, W_F, W_R, b):
    return np.tanh(W_F @ x_t + W_R @ a_prev) + b


CELL_BUGS = {
    "bias_missing": cell_no_bias,
    "activation_missing": cell_no_tanh,
    "sigmoid_instead_of_tanh": cell_sigmoid,
    "relu_instead_of_tanh": cell_relu,
    "previous_state_ignored": cell_no_prev,
    "recurrent_matrix_transposed": cell_W_R_transposed,
    "result_transposed": cell_rows,
    "bias_after_activation": cell_bias_outside,
}


# ---------------------------------------------------------------------------
# The loop, as learners get it wrong
# ---------------------------------------------------------------------------
def _loop(X, a0, step, store=lambda z, a, prev: a, carry=lambda z, a, prev: a, layout=None):
    T, _, m = X.shape
    A = np.zeros((T, a0.shape[0], m))
    prev = a0
    for t in range(T):
        z, a = step(X[t], prev)
        A[t] = store(z, a, prev)
        prev = carry(z, a, prev)
    return A


def loop_no_bias(X, a0, W_F, W_R, b):
    return _loop(X, a0, lambda x, p: (None, np.tanh(W_F @ x + W_R @ p)))


def loop_no_tanh(X, a0, W_F, W_R, b):
    return _loop(X, a0, lambda x, p: (None, W_F @ x + W_R @ p + b))


def loop_sigmoid(X, a0, W_F, W_R, b):
    return _loop(X, a0, lambda x, p: (None, sigmoid(W_F @ x + W_R @ p + b)))


def loop_relu(X, a0, W_F, W_R, b):
    return _loop(X, a0, lambda x, p: (None, np.maximum(0, W_F @ x + W_R @ p + b)))


def loop_no_prev(X, a0, W_F, W_R, b):
    A = np.zeros((X.shape[0], W_F.shape[0], X.shape[2]))
    for t in range(X.shape[0]):
        A[t] = np.tanh(W_F @ X[t] + b)
    return A


def loop_not_carried(X, a0, W_F, W_R, b):
    A = np.zeros((X.shape[0], W_F.shape[0], X.shape[2]))
    for t in range(X.shape[0]):
        A[t] = np.tanh(W_F @ X[t] + W_R @ a0 + b)  # a0 every time
    return A


def loop_z_stored(X, a0, W_F, W_R, b):
    A = np.zeros((X.shape[0], W_F.shape[0], X.shape[2]))
    a = a0
    for t in range(X.shape[0]):
        z = W_F @ X[t] + W_R @ a + b
        A[t] = z
        a = np.tanh(z)
    return A


def loop_stores_prev(X, a0, W_F, W_R, b):
    A = np.zeros((X.shape[0], W_F.shape[0], X.shape[2]))
    a = a0
    for t in range(X.shape[0]):
        A[t] = a
        a = np.tanh(W_F @ X[t] + W_R @ a + b)
    return A


def loop_zero_start(X, a0, W_F, W_R, b):
    a = np.zeros_like(a0)
    out = []
    for x in X:
        a = np.tanh(W_F @ x + W_R @ a + b)
        out.append(a)
    return np.array(out)


def loop_transposed_steps(X, a0, W_F, W_R, b):
    a = a0
    out = []
    for x in X:
        a = np.tanh(W_F @ x + W_R @ a + b)
        out.append(a.T)
    return np.stack(out)


def loop_batch_first(X, a0, W_F, W_R, b):
    a = a0
    out = []
    for x in X:
        a = np.tanh(W_F @ x + W_R @ a + b)
        out.append(a.T)  # (m, n_h)
    return np.stack(out, axis=1)  # (m, T, n_h)


FORWARD_BUGS = {
    "bias_missing": loop_no_bias,
    "activation_missing": loop_no_tanh,
    "sigmoid_instead_of_tanh": loop_sigmoid,
    "relu_instead_of_tanh": loop_relu,
    "previous_state_ignored": loop_no_prev,
    "state_not_carried": loop_not_carried,
    "z_stored_instead_of_a": loop_z_stored,
    "previous_state_stored": loop_stores_prev,
    "a0_ignored": loop_zero_start,
    "result_transposed": loop_transposed_steps,
    "batch_first": loop_batch_first,
}


# ---------------------------------------------------------------------------
# BPTT, as learners get it wrong
# ---------------------------------------------------------------------------
def make_bptt(
    carry=True,
    prev_is_current=False,
    deriv=lambda a: 1 - a * a,
    db_reduce="sum",
    da0="carry",
    back=lambda W_R, dz: W_R.T @ dz,
    assign=False,
    dWF_layout="ok",
):
    def bptt(dA, X, A, a0, W_F, W_R):
        T, n_h, m = A.shape
        dW_F = np.zeros((n_h, X.shape[1]))
        dW_R = np.zeros((n_h, n_h))
        db = np.zeros((n_h, m)) if db_reduce == "none" else np.zeros((n_h, 1))
        nxt = np.zeros((n_h, m))
        first_da = None
        for t in range(T - 1, -1, -1):
            da = dA[t] + nxt if carry else dA[t]
            first_da = da
            dz = da * deriv(A[t])
            prev = A[t] if prev_is_current else (A[t - 1] if t > 0 else a0)
            if assign:
                dW_F = dz @ X[t].T
                dW_R = dz @ prev.T
            else:
                dW_F += dz @ X[t].T
                dW_R += dz @ prev.T
            if db_reduce == "none":
                db += dz
            elif db_reduce == "mean":
                db += np.mean(dz, axis=1, keepdims=True)
            else:
                db += np.sum(dz, axis=1, keepdims=True)
            nxt = back(W_R, dz)
        grads = {"W_F": dW_F.T if dWF_layout == "T" else dW_F, "W_R": dW_R, "b": db}
        grads["a0"] = {"carry": nxt, "zero": np.zeros_like(a0), "first": first_da}[da0]
        return grads

    return bptt


BACKWARD_BUGS = {
    "carried_gradient_not_added": make_bptt(carry=False),
    "a_t_instead_of_a_prev": make_bptt(prev_is_current=True),
    "tanh_derivative_missing": make_bptt(deriv=lambda a: np.ones_like(a)),
    "tanh_applied_twice": make_bptt(deriv=lambda a: 1 - np.tanh(a) ** 2),
    "bias_not_summed_over_batch": make_bptt(db_reduce="none"),
    "bias_averaged_over_batch": make_bptt(db_reduce="mean"),
    "da0_missing": make_bptt(da0="zero"),
    "da0_is_da1": make_bptt(da0="first"),
    "W_R_not_transposed": make_bptt(back=lambda W_R, dz: W_R @ dz),
    "carried_without_W_R": make_bptt(back=lambda W_R, dz: dz),
    "weights_not_accumulated": make_bptt(assign=True),
    "dW_F_transposed": make_bptt(dWF_layout="T"),
}

CASES = [
    (check_cell_forward, bugs.CELL_FORWARD, CELL_BUGS),
    (check_forward, bugs.FORWARD, FORWARD_BUGS),
    (check_backward, bugs.BACKWARD, BACKWARD_BUGS),
]


@pytest.mark.parametrize("check, library, learners", CASES, ids=["cell", "forward", "backward"])
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
    assert result.kind == "bug"
    assert "Fix:" in result.message and "Revisit:" in result.message


def test_references_pass():
    assert check_cell_forward(solutions.cell_forward).correct
    assert check_forward(solutions.forward).correct
    assert check_backward(solutions.backward).correct


def test_the_course_functions_pass():
    assert check_cell_forward(lambda *a: rnn.cell_forward(*a)[0]).correct
    assert check_forward(
        lambda X, a0, W_F, W_R, b: rnn.forward(X, {"W_F": W_F, "W_R": W_R, "b": b}, a0)[0]
    ).correct

    def course_backward(dA, X, A, a0, W_F, W_R):
        b = np.zeros((W_F.shape[0], 1))
        _, cache = rnn.forward(X, {"W_F": W_F, "W_R": W_R, "b": b}, a0)
        cache["A"] = A  # the same activations (the bias only shifts z, which the cache does not hold)
        return rnn.backward(dA, cache)

    assert check_backward(course_backward).correct


def _one_entry_changed(fn, delta=1e-2):
    def changed(*args):
        out = fn(*args)
        if isinstance(out, dict):
            out = dict(out)
            out["W_R"] = out["W_R"].copy()
            out["W_R"][0, -1] += delta
            return out
        out = out.copy()
        out.flat[out.size // 2] += delta
        return out

    return changed


@pytest.mark.parametrize(
    "check, ref",
    [
        (check_cell_forward, solutions.cell_forward),
        (check_forward, solutions.forward),
        (check_backward, solutions.backward),
    ],
)
def test_small_perturbations_are_rejected(check, ref):
    def scaled(*args):
        out = ref(*args)
        return {k: v * (1 + 1e-3) for k, v in out.items()} if isinstance(out, dict) else out * (1 + 1e-3)

    for fn in (scaled, _one_entry_changed(ref)):
        result = check(fn)
        assert not result.correct and result.kind == "wrong", result.message


def test_forward_says_where_the_steps_go_wrong():
    def late(X, a0, W_F, W_R, b):
        A = solutions.forward(X, a0, W_F, W_R, b)
        A[1:] *= 1.01  # the first step right, the later ones not
        return A

    text = check_forward(late).message
    assert "first 1 step(s) are right" in text and "carried" in text


def test_backward_points_at_the_carried_gradient_when_one_step_is_right():
    def half_carry(dA, X, A, a0, W_F, W_R):
        T, n_h, m = A.shape
        g = {"W_F": np.zeros_like(W_F), "W_R": np.zeros_like(W_R), "b": np.zeros((n_h, 1))}
        nxt = np.zeros((n_h, m))
        for t in reversed(range(T)):
            dz = (dA[t] + 0.5 * nxt) * (1 - A[t] ** 2)
            g["W_F"] += dz @ X[t].T
            g["W_R"] += dz @ (A[t - 1] if t else a0).T
            g["b"] += dz.sum(axis=1, keepdims=True)
            nxt = W_R.T @ dz
        g["a0"] = nxt
        return g

    result = check_backward(half_carry)
    assert not result.correct and result.bug == ""
    assert "With a single step (T = 1) your gradients are right" in result.message


def test_shape_mistakes_are_explained_in_course_notation():
    result = check_cell_forward(lambda x_t, a_prev, W_F, W_R, b: np.tanh(W_F @ x_t + W_R @ a_prev + b)[:, :1])
    assert result.kind == "shape"
    assert "(n_h, m)" in result.message

    result = check_backward(lambda *a: {**solutions.backward(*a), "b": solutions.backward(*a)["b"].ravel()})
    assert result.kind == "shape" and "(n_h, 1)" in result.message


def test_swapped_weights_are_named_and_other_shape_errors_are_not(capsys):
    def swapped(x_t, a_prev, W_F, W_R, b):
        print("debugging")
        return np.tanh(W_R @ x_t + W_F @ a_prev + b)

    result = check_cell_forward(swapped)
    assert result.kind == "error" and "`W_F` and `W_R` trade places" in result.message
    message = result.message
    assert message.index("trade places") < message.index("This is a shape error")  # the diagnosis first
    assert capsys.readouterr().out.count("debugging") == 1  # the second call's print is not shown

    result = check_cell_forward(lambda x_t, a_prev, W_F, W_R, b: np.tanh(W_F @ a_prev + b))
    assert result.kind == "error" and "trade places" not in result.message
    assert "This is a shape error" in result.message and "`W_R` (n_h, n_h) = (5, 5)" in result.message


def test_star_for_at_is_named_as_elementwise_and_other_broadcast_errors_get_the_rule():
    def star(x_t, a_prev, W_F, W_R, b):
        return np.tanh(W_F * x_t + W_R @ a_prev + b)  # `*` where the course means @

    message = check_cell_forward(star).message
    assert "`*` multiplies entry by entry" in message and "is written `@`" in message
    assert "For `P @ Q`" not in message  # the learner wrote no matrix product that failed

    def bias_row(x_t, a_prev, W_F, W_R, b):
        return np.tanh(W_F @ x_t + W_R @ a_prev + b.T)  # (n_h, m) + (1, n_h): no `*` involved

    message = check_cell_forward(bias_row).message
    assert "or length 1 in one of them" in message
    assert "`*` multiplies entry by entry" not in message and "For `P @ Q`" not in message

    def transposed_input(x_t, a_prev, W_F, W_R, b):
        return np.tanh(W_F @ x_t.T + W_R @ a_prev + b)  # a matmul error keeps the @ rule

    assert "For `P @ Q` the columns of P" in check_cell_forward(transposed_input).message


def test_other_right_ways_pass():
    def cell_concat(x_t, a_prev, W_F, W_R, b):
        W = np.hstack([W_F, W_R])  # (n_h, n_in + n_h)
        return np.tanh(W @ np.vstack([x_t, a_prev]) + b)

    def forward_stack(X, a0, W_F, W_R, b):
        states, a = [], a0
        for x_t in X:
            a = cell_concat(x_t, a, W_F, W_R, b)
            states.append(a)
        return np.stack(states)

    def backward_einsum(dA, X, A, a0, W_F, W_R):
        A_prev = np.concatenate([a0[None], A[:-1]])  # (T, n_h, m)
        g = {"W_F": 0 * W_F, "W_R": 0 * W_R, "b": np.zeros((W_R.shape[0], 1))}
        carry = 0
        for t in range(len(A) - 1, -1, -1):
            dz = (dA[t] + carry) * (1 - np.tanh(np.arctanh(A[t])) ** 2)
            g["W_F"] = g["W_F"] + np.einsum("im,jm->ij", dz, X[t])
            g["W_R"] = g["W_R"] + np.einsum("im,jm->ij", dz, A_prev[t])
            g["b"] = g["b"] + dz.sum(1)[:, None]
            carry = np.einsum("ji,jm->im", W_R, dz)
        g["a0"] = carry
        return g

    assert check_cell_forward(cell_concat).correct
    assert check_forward(forward_stack).correct
    assert check_backward(backward_einsum).correct
