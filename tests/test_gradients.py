"""Gradients through time: the bound (gamma sigma_max)^k, the measured norms, and the cliff."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnncourse import gradcheck, gradients, rnn
from rnncourse.activations import GAMMA


def _orthogonal(n: int, seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _setup(n_in, n_h, T, m, s, seed, orthogonal=False, input_scale=1.0):
    rng = np.random.default_rng(seed)
    params = rnn.init_params(n_in, n_h, seed=seed)
    params["b"] = 0.3 * rng.standard_normal((n_h, 1))
    W = _orthogonal(n_h, seed) if orthogonal else params["W_R"]
    params["W_R"] = gradients.scale_to_sigma_max(W, s)
    X = input_scale * rng.standard_normal((T, n_in, m))
    return params, X


# --------------------------------------------------------------------------------------
# scale_to_sigma_max, jacobian_bound, verdict
# --------------------------------------------------------------------------------------
def test_scale_to_sigma_max_sets_the_largest_singular_value():
    W = np.random.default_rng(0).standard_normal((5, 5))
    for s in (0.1, 0.9, 1.0, 2.5):
        Ws = gradients.scale_to_sigma_max(W, s)
        assert Ws.shape == W.shape
        assert gradients.sigma_max(Ws) == pytest.approx(s, rel=1e-12)
        sv, sv_s = np.linalg.svd(W, compute_uv=False), np.linalg.svd(Ws, compute_uv=False)
        np.testing.assert_allclose(sv_s / sv_s[0], sv / sv[0], rtol=1e-12)  # ratios kept
    np.testing.assert_array_equal(W, np.random.default_rng(0).standard_normal((5, 5)))  # input unchanged


def test_scale_to_sigma_max_refuses_what_it_cannot_do():
    with pytest.raises(ValueError, match="all zeros"):
        gradients.scale_to_sigma_max(np.zeros((3, 3)), 1.0)
    with pytest.raises(ValueError, match=">= 0"):
        gradients.scale_to_sigma_max(np.eye(3), -1.0)
    with pytest.raises(ValueError, match="2-D"):
        gradients.scale_to_sigma_max(np.ones(3), 1.0)


def test_jacobian_bound_values():
    assert gradients.jacobian_bound(0.5, "tanh", 10) == pytest.approx(0.5**10)
    assert gradients.jacobian_bound(2.0, "sigmoid", 3) == pytest.approx(0.5**3)  # gamma = 1/4
    assert gradients.jacobian_bound(1.3, "relu", 0) == 1.0
    assert gradients.jacobian_bound(1.1, "linear", 5) == pytest.approx(1.1**5)
    np.testing.assert_allclose(gradients.jacobian_bound(0.9, "tanh", np.arange(4)), 0.9 ** np.arange(4))
    assert gradients.jacobian_bound(3.0, "tanh", 10_000) == np.inf  # overflows quietly to inf
    with pytest.raises(ValueError):
        gradients.jacobian_bound(1.0, "tanh", -1)
    with pytest.raises(ValueError, match="unknown activation"):
        gradients.jacobian_bound(1.0, "softplus", 2)


def test_quiz_number_of_notebook_10():
    # "with sigma_max = 0.5 and tanh, at most how large is the gradient 10 steps back?"
    assert gradients.jacobian_bound(0.5, "tanh", 10) == pytest.approx(1 / 1024)


def test_verdict_words():
    assert gradients.verdict(np.array([1e-5, 0.1, 1.0])) == ("vanishing", pytest.approx(1e-5))
    assert gradients.verdict(np.array([0.5, 1.0]))[0] == "stable"
    assert gradients.verdict(np.array([1e4, 1.0]))[0] == "exploding"
    assert gradients.verdict(np.array([np.inf, 1.0]))[0] == "exploding"
    assert gradients.verdict(np.array([0.0, 1.0]))[0] == "vanishing"


# --------------------------------------------------------------------------------------
# gradient_flow / gradient_norms agree with the course's BPTT
# --------------------------------------------------------------------------------------
def test_gradient_flow_matches_rnn_backward():
    params, X = _setup(3, 5, 12, 2, 1.2, seed=1)
    flow = gradients.gradient_flow(params, X)
    A, cache = rnn.forward(X, params)
    dA = np.zeros_like(A)
    dA[-1] = flow["dA"][-1]
    np.testing.assert_allclose(flow["da0"], rnn.backward(dA, cache)["a0"], rtol=1e-12, atol=1e-15)
    # dL/da_t is what rnn.backward calls grads["a0"] when the sequence starts after step t
    for t in (0, 4, 10):
        _, cache_t = rnn.forward(X[t + 1 :], params, a0=A[t])
        np.testing.assert_allclose(
            rnn.backward(dA[t + 1 :], cache_t)["a0"], flow["dA"][t], rtol=1e-12, atol=1e-15
        )


def test_gradient_norms_loss_is_u_dot_a_T_with_unit_gradient():
    params, X = _setup(2, 4, 6, 3, 0.8, seed=2)
    norms = gradients.gradient_norms(params, X)
    assert norms.shape == (6,)
    assert norms[-1] == pytest.approx(1.0)
    u = gradients.unit_direction(4)

    def loss(a0):
        A, _ = rnn.forward(X, params, a0=a0)
        return float(np.sum(u * A[-1]) / np.sqrt(3))

    a0 = np.zeros((4, 3))
    numeric = gradcheck.numerical_gradient(lambda: loss(a0), a0)
    flow = gradients.gradient_flow(params, X, a0=np.zeros((4, 3)))
    assert gradcheck.rel_error(flow["da0"], numeric) < 1e-7


def test_step_jacobians_chain_to_the_same_gradient():
    params, X = _setup(3, 4, 8, 1, 1.1, seed=3)
    J = gradients.step_jacobians(params, X)
    assert J.shape == (8, 4, 4)
    flow = gradients.gradient_flow(params, X)
    g = flow["dA"][-1]
    for t in range(7, 0, -1):  # from a_T back: dL/da_{t-1} = J_t^T dL/da_t
        g = J[t].T @ g
        np.testing.assert_allclose(g, flow["dA"][t - 1], rtol=1e-10, atol=1e-14)


# --------------------------------------------------------------------------------------
# The bound and what follows from it
# --------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(
    n_in=st.integers(1, 4),
    n_h=st.integers(1, 8),
    T=st.integers(1, 40),
    m=st.integers(1, 3),
    s=st.floats(0.05, 3.0),
    activation=st.sampled_from(["tanh", "sigmoid", "relu", "linear"]),
    orthogonal=st.booleans(),
    seed=st.integers(0, 10_000),
)
def test_measured_norms_never_exceed_the_bound(n_in, n_h, T, m, s, activation, orthogonal, seed):
    params, X = _setup(n_in, n_h, T, m, s, seed, orthogonal=orthogonal)
    norms = gradients.gradient_norms(params, X, activation=activation)
    k = T - np.arange(1, T + 1)  # steps back from T
    bound = gradients.jacobian_bound(s, activation, k)
    assert np.all(norms <= bound * (1 + 1e-9) + 1e-300), (
        f"{activation}, s={s}: norm exceeds (gamma s)^k at k={k[np.argmax(norms / bound)]}"
    )


@settings(max_examples=40, deadline=None)
@given(
    n_h=st.integers(1, 8),
    T=st.integers(2, 40),
    frac=st.floats(0.05, 0.99),
    activation=st.sampled_from(["tanh", "sigmoid", "relu", "linear"]),
    seed=st.integers(0, 10_000),
)
def test_below_one_over_gamma_the_gradient_decays_geometrically(n_h, T, frac, activation, seed):
    s = frac / GAMMA[activation]  # sigma_max below 1 / gamma
    params, X = _setup(3, n_h, T, 2, s, seed)
    norms = gradients.gradient_norms(params, X, activation=activation)
    rate = GAMMA[activation] * s  # < 1
    # every step back multiplies the norm by at most gamma * s ...
    assert np.all(norms[:-1] <= rate * norms[1:] * (1 + 1e-9) + 1e-300)
    # ... so after k steps it is at most rate^k
    assert norms[0] <= rate ** (T - 1) * (1 + 1e-9)


@pytest.mark.parametrize("n_h, T", [(1, 30), (6, 50), (16, 200)])
def test_linear_rnn_with_orthogonal_W_R_keeps_the_norm(n_h, T):
    params, X = _setup(3, n_h, T, 2, 1.0, seed=7, orthogonal=True)
    norms = gradients.gradient_norms(params, X, activation="linear")
    np.testing.assert_allclose(norms, 1.0, rtol=1e-10)


def test_linear_rnn_with_scaled_orthogonal_W_R_meets_the_bound_exactly():
    for s in (0.7, 1.3):
        params, X = _setup(2, 5, 30, 1, s, seed=8, orthogonal=True)
        norms = gradients.gradient_norms(params, X, activation="linear")
        bound = gradients.jacobian_bound(s, "linear", 30 - np.arange(1, 31))
        np.testing.assert_allclose(norms, bound, rtol=1e-9)


def test_tanh_saturation_keeps_the_gradient_below_the_bound():
    # with big weights most units saturate: f' ~ 0 pulls the gradient far below (gamma s)^k
    params, X = _setup(3, 16, 50, 1, 3.0, seed=9, orthogonal=True, input_scale=3.0)
    norms = gradients.gradient_norms(params, X, activation="tanh")
    assert norms[0] < 1e-6 * gradients.jacobian_bound(3.0, "tanh", 49)


def test_state_gradient_norms_for_every_cell():
    from rnncourse import cells

    X = 0.5 * np.random.default_rng(0).standard_normal((30, 3, 1))
    for cell in cells.CELLS:
        params = cells.init(cell, 3, 6, seed=1)
        norms = gradients.state_gradient_norms(cell, params, X)
        assert norms.shape == (30,)
        assert norms[-1] == pytest.approx(1.0)
        assert np.all(np.isfinite(norms)) and np.all(norms >= 0)
    params = cells.init("rnn", 3, 6, seed=1)
    np.testing.assert_array_equal(
        gradients.state_gradient_norms("rnn", params, X), gradients.gradient_norms(params, X)
    )


def test_gated_cells_keep_the_gradient_where_the_rnn_loses_it():
    from rnncourse import cells

    X = 0.5 * np.random.default_rng(0).standard_normal((60, 3, 1))
    factor = {}
    for cell, kw in (("rnn", {}), ("lstm", {"forget_bias": 4.0}), ("gru", {"update_bias": 4.0})):
        params = cells.init(cell, 3, 8, seed=2, **kw)
        factor[cell] = gradients.state_gradient_norms(cell, params, X)[0]
    assert factor["rnn"] < 1e-4
    assert factor["lstm"] > 1e-2 and factor["gru"] > 1e-2


# --------------------------------------------------------------------------------------
# The cliff
# --------------------------------------------------------------------------------------
def test_cliff_loss_is_the_recurrence_written_out():
    w, b = 5.0, -2.5
    x = 0.5
    for _ in range(50):
        x = w / (1 + np.exp(-x)) + b
    expected = (1 / (1 + np.exp(-x)) - 0.7) ** 2
    assert gradients.cliff_loss(w, b) == pytest.approx(expected, rel=1e-12)
    grid = gradients.cliff_loss(np.array([[1.0, 5.0]]), np.array([[-1.0], [-2.5]]))  # broadcast
    assert grid.shape == (2, 2)
    assert grid[1, 1] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("w, b", [(1.0, -0.5), (4.5, -3.0), (6.0, -4.0), (3.0, 1.0), (-2.0, 0.5)])
def test_cliff_gradient_matches_central_differences(w, b):
    loss, g = gradients.cliff_loss_and_grad(w, b)
    assert loss == pytest.approx(float(gradients.cliff_loss(w, b)), rel=1e-12)
    p = {"w": np.array([w]), "b": np.array([b])}
    numeric = gradcheck.numerical_gradients(lambda q: float(gradients.cliff_loss(q["w"][0], q["b"][0])), p)
    assert gradcheck.rel_error(np.array([g["w"]]), numeric["w"]) < 1e-6, "dL/dw is wrong"
    assert gradcheck.rel_error(np.array([g["b"]]), numeric["b"]) < 1e-6, "dL/db is wrong"


def test_cliff_gradient_on_arrays_equals_pointwise():
    w = np.array([1.0, 4.5, 6.0])
    b = np.array([-0.5, -3.0, -4.0])
    loss, g = gradients.cliff_loss_and_grad(w, b)
    for i in range(3):
        li, gi = gradients.cliff_loss_and_grad(w[i], b[i])
        assert loss[i] == pytest.approx(li)
        assert g["w"][i] == pytest.approx(gi["w"]) and g["b"][i] == pytest.approx(gi["b"])


def test_cliff_has_a_huge_gradient_near_the_wall():
    _, far = gradients.cliff_loss_and_grad(4.5, -5.0)
    bs = np.linspace(-3.0, -2.0, 201)
    norms = [np.hypot(*gradients.cliff_loss_and_grad(4.5, b)[1].values()) for b in bs]
    assert max(norms) > 100 * np.hypot(far["w"], far["b"])


def test_cliff_descent_with_and_without_clipping():
    start, lr, th = (4.5, -3.0), 1.0, 0.05
    free = gradients.cliff_descent(start, lr, 50)
    by_norm = gradients.cliff_descent(start, lr, 50, clip="norm", threshold=th)
    by_value = gradients.cliff_descent(start, lr, 50, clip="value", threshold=th)
    # plain gradient descent is a step of -lr * gradient
    _, g0 = gradients.cliff_loss_and_grad(*start)
    np.testing.assert_allclose(free["step"][0], [-lr * g0["w"], -lr * g0["b"]])
    # the cliff throws the unclipped run far away, onto a plateau
    assert np.hypot(*free["step"].T).max() > 5.0
    assert free["loss"][-1] > 0.08
    # clipping by norm caps every step at lr * threshold and keeps the direction
    assert np.all(np.hypot(*by_norm["step"].T) <= lr * th * (1 + 1e-9))
    for step, gn in zip(by_norm["step"], by_norm["path"][:-1]):
        _, g = gradients.cliff_loss_and_grad(*gn)
        assert abs(step[0] * g["b"] - step[1] * g["w"]) <= 1e-9 * (abs(g["w"]) + abs(g["b"]) + 1)
    assert by_norm["loss"][-10:].mean() < 0.01
    # clipping by value caps every component instead
    assert np.all(np.abs(by_value["step"]) <= lr * th * (1 + 1e-9))
    with pytest.raises(ValueError, match="clip"):
        gradients.cliff_descent(start, lr, 5, clip="both")
