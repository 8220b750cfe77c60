"""The recurrent layer: values, shapes and every gradient checked numerically in float64."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rnncourse import rnn
from rnncourse.activations import ACTIVATIONS
from rnncourse.gradcheck import numerical_gradient, rel_error

TOL = 1e-7


def make(T=4, n_in=3, n_h=5, m=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((T, n_in, m))
    params = rnn.init_params(n_in, n_h, seed=seed + 1, scale=0.7)
    params["b"] = rng.standard_normal((n_h, 1)) * 0.3
    a0 = rng.standard_normal((n_h, m)) * 0.5
    dA = rng.standard_normal((T, n_h, m))  # a loss on every step: L = sum(dA * A)
    return X, params, a0, dA


def loss_of(X, params, a0, dA, activation):
    A, _ = rnn.forward(X, params, a0, activation)
    return float(np.sum(A * dA))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("name", ["W_F", "W_R", "b", "X", "a0"])
def test_bptt_gradient_matches_numerical(activation, name):
    X, params, a0, dA = make()
    A, cache = rnn.forward(X, params, a0, activation)
    grads = rnn.backward(dA, cache)
    target = {"X": X, "a0": a0}.get(name, params.get(name))
    num = numerical_gradient(lambda: loss_of(X, params, a0, dA, activation), target)
    err = rel_error(grads[name], num)
    assert err < TOL, f"{activation}: dL/d{name} is wrong (relative error {err:.2e})"


def test_recurrent_path_alone():
    """Zero input and zero W_F: only W_R a_{t-1} carries information, so a wrong
    dW_R or a wrong gradient carried back through time shows up here."""
    X, params, a0, dA = make(T=5)
    X[:] = 0.0
    params["W_F"][:] = 0.0
    A, cache = rnn.forward(X, params, a0)
    grads = rnn.backward(dA, cache)
    for name, target in (("W_R", params["W_R"]), ("a0", a0)):
        num = numerical_gradient(lambda: loss_of(X, params, a0, dA, "tanh"), target)
        assert rel_error(grads[name], num) < TOL, f"suspect: the recurrent path (d{name})"


def test_input_path_alone():
    """Zero a0 and zero W_R: every step sees only its own input, so a wrong dW_F
    or dX shows up here, independent of the time recursion."""
    X, params, a0, dA = make(T=5)
    a0[:] = 0.0
    params["W_R"][:] = 0.0
    A, cache = rnn.forward(X, params, a0)
    grads = rnn.backward(dA, cache)
    for name, target in (("W_F", params["W_F"]), ("X", X), ("b", params["b"])):
        num = numerical_gradient(lambda: loss_of(X, params, a0, dA, "tanh"), target)
        assert rel_error(grads[name], num) < TOL, f"suspect: the input path (d{name})"


def test_gradient_from_above_is_added_to_the_one_from_the_future():
    """A loss only at the first step cannot reach the last step's weights; a loss
    only at the last step must reach a0 through every step."""
    X, params, a0, dA = make(T=6)
    only_first = np.zeros_like(dA)
    only_first[0] = dA[0]
    _, cache = rnn.forward(X, params, a0)
    g_first = rnn.backward(only_first, cache)
    # With the loss at step 0, dX at later steps is exactly zero.
    assert np.all(g_first["X"][1:] == 0)
    only_last = np.zeros_like(dA)
    only_last[-1] = dA[-1]
    g_last = rnn.backward(only_last, cache)
    assert np.all(np.abs(g_last["X"][0]) > 0)
    g_all = rnn.backward(dA, cache)
    g_sum = {
        k: sum(rnn.backward(np.where(np.arange(6)[:, None, None] == t, dA, 0), cache)[k] for t in range(6))
        for k in g_all
    }
    for k in g_all:
        np.testing.assert_allclose(g_all[k], g_sum[k], atol=1e-12, err_msg=f"BPTT is not linear in dA ({k})")


def test_cell_forward_matches_hand_computation():
    x = np.array([[1.0], [2.0]])
    a_prev = np.array([[0.5], [-0.5], [0.0]])
    W_F = np.array([[0.1, 0.2], [0.0, -0.1], [0.3, 0.0]])
    W_R = np.eye(3) * 0.5
    b = np.array([[0.0], [0.1], [-0.1]])
    a, _ = rnn.cell_forward(x, a_prev, W_F, W_R, b)
    z = np.array([[0.1 + 0.4 + 0.25], [-0.2 - 0.25 + 0.1], [0.3 + 0.0 - 0.1]])
    np.testing.assert_allclose(a, np.tanh(z))


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_cell_backward_matches_numerical(activation):
    rng = np.random.default_rng(3)
    x, a_prev = rng.standard_normal((3, 2)), rng.standard_normal((4, 2))
    W_F, W_R, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 4)) * 0.5, rng.standard_normal((4, 1))
    da = rng.standard_normal((4, 2))
    a, cache = rnn.cell_forward(x, a_prev, W_F, W_R, b, activation)
    g = rnn.cell_backward(da, cache)

    def f():
        return float(np.sum(rnn.cell_forward(x, a_prev, W_F, W_R, b, activation)[0] * da))

    for name, arr in (("x_t", x), ("a_prev", a_prev), ("W_F", W_F), ("W_R", W_R), ("b", b)):
        assert rel_error(g[name], numerical_gradient(f, arr)) < TOL, f"cell_backward d{name} ({activation})"


def test_forward_equals_repeated_cell_forward():
    X, params, a0, _ = make(T=7)
    A, _ = rnn.forward(X, params, a0)
    a = a0
    for t in range(7):
        a, _ = rnn.cell_forward(X[t], a, params["W_F"], params["W_R"], params["b"])
        np.testing.assert_allclose(A[t], a, rtol=1e-12, atol=1e-12)


def test_float32_stays_float32():
    X, params, a0, dA = make()
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    A, cache = rnn.forward(X.astype(np.float32), p32)
    assert A.dtype == np.float32
    assert rnn.backward(dA.astype(np.float32), cache)["W_R"].dtype == np.float32


def test_split_undoes_concat():
    X, params, _, _ = make()
    W = rnn.concat_weights(params["W_F"], params["W_R"])
    W_F, W_R = rnn.split_weights(W, n_in=3)
    np.testing.assert_array_equal(W_F, params["W_F"])
    np.testing.assert_array_equal(W_R, params["W_R"])


sizes = st.integers(min_value=1, max_value=6)


@settings(max_examples=60, deadline=None)
@given(n_in=sizes, n_h=sizes, m=sizes, seed=st.integers(0, 10_000), activation=st.sampled_from(ACTIVATIONS))
@example(n_in=1, n_h=1, m=1, seed=0, activation="sigmoid")
def test_concat_form_equals_two_matrix_form(n_in, n_h, m, seed, activation):
    rng = np.random.default_rng(seed)
    x, a_prev = rng.standard_normal((n_in, m)), rng.standard_normal((n_h, m))
    W_F, W_R, b = (
        rng.standard_normal((n_h, n_in)),
        rng.standard_normal((n_h, n_h)),
        rng.standard_normal((n_h, 1)),
    )
    a_two, _ = rnn.cell_forward(x, a_prev, W_F, W_R, b, activation)
    a_one, cache = rnn.cell_forward_concat(x, a_prev, rnn.concat_weights(W_F, W_R), b, activation)
    np.testing.assert_allclose(a_one, a_two, rtol=1e-12, atol=1e-12)
    assert cache["stacked"].shape == (n_in + n_h, m)


@settings(max_examples=60, deadline=None)
@given(T=sizes, n_in=sizes, n_h=sizes, m=sizes, activation=st.sampled_from(ACTIVATIONS))
@example(T=1, n_in=1, n_h=1, m=1, activation="tanh")
@example(T=1, n_in=3, n_h=2, m=1, activation="relu")
def test_shapes_of_every_result(T, n_in, n_h, m, activation):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((T, n_in, m))
    params = rnn.init_params(n_in, n_h)
    A, cache = rnn.forward(X, params, activation=activation)
    assert A.shape == (T, n_h, m)
    g = rnn.backward(np.ones_like(A), cache)
    assert g["W_F"].shape == (n_h, n_in)
    assert g["W_R"].shape == (n_h, n_h)
    assert g["b"].shape == (n_h, 1)
    assert g["X"].shape == (T, n_in, m)
    assert g["a0"].shape == (n_h, m)
    a, _ = rnn.cell_forward(X[0], A[0], params["W_F"], params["W_R"], params["b"], activation)
    assert a.shape == (n_h, m)


@settings(max_examples=60, deadline=None)
@given(
    T=sizes, n_in=sizes, n_h=sizes, m=sizes, seed=st.integers(0, 999), activation=st.sampled_from(ACTIVATIONS)
)
@example(T=1, n_in=1, n_h=1, m=1, seed=0, activation="tanh")
@example(T=1, n_in=1, n_h=1, m=1, seed=1, activation="relu")
def test_fast_path_equals_the_loop_over_the_step(T, n_in, n_h, m, seed, activation):
    """forward_fast / backward_fast are the same functions as the loops over the step,
    and the caches are the same, so each backward works after either forward."""
    X, params, a0, dA = make(T=T, n_in=n_in, n_h=n_h, m=m, seed=seed)
    A_loop, cache_loop = rnn.forward(X, params, a0, activation)
    A_fast, cache_fast = rnn.forward_fast(X, params, a0, activation)
    np.testing.assert_allclose(A_fast, A_loop, rtol=0, atol=1e-12, err_msg="forward_fast != forward")
    assert cache_loop.keys() == cache_fast.keys()
    reference = rnn.backward(dA, cache_loop)
    for name, g in (
        ("backward_fast(cache of forward)", rnn.backward_fast(dA, cache_loop)),
        ("backward(cache of forward_fast)", rnn.backward(dA, cache_fast)),
        ("backward_fast(cache of forward_fast)", rnn.backward_fast(dA, cache_fast)),
    ):
        assert g.keys() == reference.keys()
        for k in reference:
            np.testing.assert_allclose(g[k], reference[k], rtol=0, atol=1e-12, err_msg=f"{name}: d{k}")


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_fast_path_gradients_match_numerical(activation):
    X, params, a0, dA = make()
    grads = rnn.backward_fast(dA, rnn.forward_fast(X, params, a0, activation)[1])
    for name in ("W_F", "W_R", "b", "X", "a0"):
        target = {"X": X, "a0": a0}.get(name, params.get(name))
        num = numerical_gradient(lambda: loss_of(X, params, a0, dA, activation), target)
        assert rel_error(grads[name], num) < TOL, f"backward_fast: dL/d{name} ({activation})"


def test_loop_backward_calls_the_step_and_adds_the_carried_gradient():
    """backward is built from cell_backward: rebuilding it by hand from the step gives the same numbers."""
    X, params, a0, dA = make(T=5)
    _, cache = rnn.forward(X, params, a0)
    grads = rnn.backward(dA, cache)
    caches, a = [], a0
    for t in range(5):
        a, c = rnn.cell_forward(X[t], a, params["W_F"], params["W_R"], params["b"])
        caches.append(c)
    da_next = np.zeros_like(a0)
    dW_R = np.zeros_like(params["W_R"])
    for t in reversed(range(5)):
        g = rnn.cell_backward(dA[t] + da_next, caches[t])
        dW_R += g["W_R"]
        da_next = g["a_prev"]
    np.testing.assert_allclose(grads["W_R"], dW_R, atol=1e-12)
    np.testing.assert_allclose(grads["a0"], da_next, atol=1e-12)


def test_fast_path_float32_stays_float32():
    X, params, a0, dA = make()
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    A, cache = rnn.forward_fast(X.astype(np.float32), p32)
    assert A.dtype == np.float32
    assert rnn.backward_fast(dA.astype(np.float32), cache)["W_R"].dtype == np.float32


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_cell_backward_concat_matches_numerical(activation):
    rng = np.random.default_rng(5)
    x, a_prev = rng.standard_normal((3, 2)), rng.standard_normal((4, 2))
    W, b = rng.standard_normal((4, 7)) * 0.5, rng.standard_normal((4, 1))
    da = rng.standard_normal((4, 2))
    _, cache = rnn.cell_forward_concat(x, a_prev, W, b, activation)
    g = rnn.cell_backward_concat(da, cache)

    def f():
        return float(np.sum(rnn.cell_forward_concat(x, a_prev, W, b, activation)[0] * da))

    for name, arr in (("x_t", x), ("a_prev", a_prev), ("W", W), ("b", b)):
        err = rel_error(g[name], numerical_gradient(f, arr))
        assert err < TOL, f"cell_backward_concat d{name} ({activation}): relative error {err:.2e}"


def test_cell_backward_concat_equals_the_two_matrix_backward():
    rng = np.random.default_rng(6)
    x, a_prev = rng.standard_normal((3, 2)), rng.standard_normal((4, 2))
    W_F, W_R, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 4)), rng.standard_normal((4, 1))
    da = rng.standard_normal((4, 2))
    g_two = rnn.cell_backward(da, rnn.cell_forward(x, a_prev, W_F, W_R, b)[1])
    W = rnn.concat_weights(W_F, W_R)
    g_one = rnn.cell_backward_concat(da, rnn.cell_forward_concat(x, a_prev, W, b)[1])
    np.testing.assert_allclose(g_one["W"], rnn.concat_weights(g_two["W_F"], g_two["W_R"]), atol=1e-12)
    for k in ("b", "x_t", "a_prev"):
        np.testing.assert_allclose(g_one[k], g_two[k], atol=1e-12)


def test_init_params_refuses_a_size_below_one():
    with pytest.raises(ValueError, match="init_params: n_h must be a whole number of at least 1"):
        rnn.init_params(3, 0)
