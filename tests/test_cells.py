"""LSTM and GRU cells: shapes, gradient checks, the additive path, and the long-lag experiment."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnncourse import cells, gradcheck, longlag, models, rnn
from rnncourse.errors import ShapeError

TOL = 1e-6


def _params(cell, n_in, n_h, seed):
    """Parameters with non-zero biases, so that every term of the backward pass matters."""
    rng = np.random.default_rng([seed, 99])
    params = cells.init(cell, n_in, n_h, seed=seed, scale=0.6)
    for k in params:
        if k.startswith("b"):
            params[k] = 0.5 * rng.standard_normal(params[k].shape)
    return params


def _problem(cell, T=5, n_in=3, n_h=4, m=2, seed=0):
    rng = np.random.default_rng(seed)
    params = _params(cell, n_in, n_h, seed)
    X = rng.standard_normal((T, n_in, m))
    a0 = 0.5 * rng.standard_normal((n_h, m))
    c0 = 0.5 * rng.standard_normal((n_h, m))
    R = rng.standard_normal((T, n_h, m))  # L = sum(R * A): dL/dA = R at every step
    return params, X, a0, c0, R


def _run(cell, X, params, a0, c0):
    if cell == "lstm":
        return cells.lstm_forward(X, params, a0=a0, c0=c0)
    return cells.gru_forward(X, params, a0=a0)


def _backward(cell, R, cache):
    return cells.lstm_backward(R, cache) if cell == "lstm" else cells.gru_backward(R, cache)


# --------------------------------------------------------------------------------------
# Shapes and the forward pass
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell, gates", [("lstm", "ifgo"), ("gru", "rug")])
def test_parameters_have_the_course_shapes(cell, gates):
    params = cells.init(cell, 3, 5, seed=0)
    assert set(params) == {f"{p}_{g}" for g in gates for p in ("W_F", "W_R", "b")}
    for g in gates:
        assert params[f"W_F_{g}"].shape == (5, 3)
        assert params[f"W_R_{g}"].shape == (5, 5)
        assert params[f"b_{g}"].shape == (5, 1)
    assert cells.lstm_init_params(3, 5, forget_bias=2.0, input_bias=-1.0)["b_f"][0, 0] == 2.0
    assert cells.lstm_init_params(3, 5, forget_bias=2.0, input_bias=-1.0)["b_i"][0, 0] == -1.0
    assert cells.gru_init_params(3, 5, update_bias=1.5)["b_u"][0, 0] == 1.5


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_forward_shapes_and_range(cell):
    params, X, a0, c0, _ = _problem(cell, T=7, n_in=3, n_h=4, m=5)
    A, cache = _run(cell, X, params, a0, c0)
    assert A.shape == (7, 4, 5)
    # LSTM: o * tanh(c) lies in (-1, 1); GRU: a mix of a_{t-1} and tanh(.), so within max(1, |a0|)
    assert np.all(np.abs(A) <= max(1.0, np.abs(a0).max()))
    gates = cache["gates"]
    assert gates.shape == (7, (4 if cell == "lstm" else 3) * 4, 5)
    if cell == "lstm":
        assert cache["C"].shape == (7, 4, 5)


def test_lstm_forward_written_out_for_one_step():
    params, X, a0, c0, _ = _problem("lstm", T=1)

    def sig(z):
        return 1 / (1 + np.exp(-z))

    def gate(k):
        return params[f"W_F_{k}"] @ X[0] + params[f"W_R_{k}"] @ a0 + params[f"b_{k}"]

    i, f, g, o = sig(gate("i")), sig(gate("f")), np.tanh(gate("g")), sig(gate("o"))
    c = f * c0 + i * g
    a_t, c_t, _ = cells.lstm_cell_forward(X[0], a0, c0, params)
    np.testing.assert_allclose(c_t, c, rtol=1e-12)
    np.testing.assert_allclose(a_t, o * np.tanh(c), rtol=1e-12)


def test_gru_forward_written_out_for_one_step():
    params, X, a0, _, _ = _problem("gru", T=1)

    def sig(z):
        return 1 / (1 + np.exp(-z))

    r = sig(params["W_F_r"] @ X[0] + params["W_R_r"] @ a0 + params["b_r"])
    u = sig(params["W_F_u"] @ X[0] + params["W_R_u"] @ a0 + params["b_u"])
    g = np.tanh(params["W_F_g"] @ X[0] + params["W_R_g"] @ (r * a0) + params["b_g"])
    a_t, _ = cells.gru_cell_forward(X[0], a0, params)
    np.testing.assert_allclose(a_t, u * a0 + (1 - u) * g, rtol=1e-12)


def test_wrong_shapes_raise_errors_that_name_the_argument():
    params = cells.init("lstm", 3, 4)
    with pytest.raises(ShapeError, match="X"):
        cells.lstm_forward(np.zeros((5, 2, 1)), params)  # n_in = 2, weights expect 3
    with pytest.raises(ShapeError, match="a0"):
        cells.gru_forward(np.zeros((5, 3, 2)), cells.init("gru", 3, 4), a0=np.zeros((4, 3)))
    bad = dict(params)
    del bad["b_o"]
    with pytest.raises(ShapeError, match="b_o"):
        cells.lstm_forward(np.zeros((5, 3, 1)), bad)
    with pytest.raises(ValueError, match="unknown cell"):
        cells.init("transformer", 3, 4)


def test_dispatch_by_name_matches_the_plain_rnn():
    X = np.random.default_rng(0).standard_normal((6, 3, 2))
    params = cells.init("rnn", 3, 4, seed=1)
    A1, cache = cells.forward("rnn", X, params)
    A2, _ = rnn.forward(X, params)
    np.testing.assert_allclose(A1, A2, rtol=0, atol=1e-12)  # the fast path equals the loop
    dA = np.ones_like(A1)
    g = cells.backward(dA, cache)
    np.testing.assert_allclose(
        g["W_R"], rnn.backward(dA, rnn.forward(X, params)[1])["W_R"], rtol=0, atol=1e-12
    )
    assert cells.state_size("lstm", 4) == 8 and cells.state_size("gru", 4) == 4


# --------------------------------------------------------------------------------------
# Gradient checks: every parameter, the inputs and the initial state
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("T, n_in, n_h, m, seed", [(5, 3, 4, 2, 0), (1, 2, 3, 1, 1), (8, 1, 2, 3, 2)])
def test_sequence_gradients_match_central_differences(cell, T, n_in, n_h, m, seed):
    params, X, a0, c0, R = _problem(cell, T, n_in, n_h, m, seed)

    def loss(_=None):
        return float(np.sum(_run(cell, X, params, a0, c0)[0] * R))

    _, cache = _run(cell, X, params, a0, c0)
    grads = _backward(cell, R, cache)
    errors = gradcheck.check_gradients(loss, params, {k: grads[k] for k in params})
    errors["X"] = gradcheck.rel_error(grads["X"], gradcheck.numerical_gradient(loss, X))
    errors["a0"] = gradcheck.rel_error(grads["a0"], gradcheck.numerical_gradient(loss, a0))
    if cell == "lstm":
        errors["c0"] = gradcheck.rel_error(grads["c0"], gradcheck.numerical_gradient(loss, c0))
    bad = {k: f"{v:.1e}" for k, v in errors.items() if v >= TOL}
    assert not bad, f"{cell} backward disagrees with central differences for {bad}"


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_recurrent_path_alone(cell):
    """Zero inputs: only the recurrent weights and the initial state carry the gradient."""
    params, X, a0, c0, R = _problem(cell, T=6, seed=3)
    X = np.zeros_like(X)

    def loss(_=None):
        return float(np.sum(_run(cell, X, params, a0, c0)[0] * R))

    grads = _backward(cell, R, _run(cell, X, params, a0, c0)[1])
    for k in [k for k in params if k.startswith("W_R")]:
        num = gradcheck.numerical_gradient(loss, params[k])
        assert gradcheck.rel_error(grads[k], num) < TOL, f"recurrent path: {k} is wrong"
    for k in [k for k in params if k.startswith("W_F")]:
        assert np.all(grads[k] == 0), f"{k} must get no gradient when every x_t is zero"


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_input_path_alone(cell):
    """Zero initial state and one step: only the feedforward weights see a_{t-1} = 0."""
    params, X, _, _, R = _problem(cell, T=1, seed=4)
    a0 = np.zeros((4, 2))
    c0 = np.zeros((4, 2))

    def loss(_=None):
        return float(np.sum(_run(cell, X, params, a0, c0)[0] * R))

    grads = _backward(cell, R, _run(cell, X, params, a0, c0)[1])
    for k in [k for k in params if k.startswith("W_F") or k.startswith("b")]:
        num = gradcheck.numerical_gradient(loss, params[k])
        assert gradcheck.rel_error(grads[k], num) < TOL, f"input path: {k} is wrong"
    for k in [k for k in params if k.startswith("W_R")]:
        assert np.all(grads[k] == 0), f"{k} must get no gradient when a_0 is zero and T = 1"


def test_cell_backward_matches_numerical_for_one_step():
    params, X, a0, c0, R = _problem("lstm", T=1, seed=5)
    dc = np.random.default_rng(6).standard_normal(a0.shape)

    def loss(_=None):
        a_t, c_t, _ = cells.lstm_cell_forward(X[0], a0, c0, params)
        return float(np.sum(a_t * R[0]) + np.sum(c_t * dc))

    _, _, cache = cells.lstm_cell_forward(X[0], a0, c0, params)
    g = cells.lstm_cell_backward(R[0], dc, cache)
    for name, arr in (("x_t", X), ("a_prev", a0), ("c_prev", c0)):
        num = gradcheck.numerical_gradient(loss, arr)
        assert gradcheck.rel_error(g[name], num[0] if name == "x_t" else num) < TOL, name

    gp, Xg, ag, _, Rg = _problem("gru", T=1, seed=7)
    _, cache = cells.gru_cell_forward(Xg[0], ag, gp)
    g = cells.gru_cell_backward(Rg[0], cache)
    num = gradcheck.numerical_gradient(
        lambda: float(np.sum(cells.gru_cell_forward(Xg[0], ag, gp)[0] * Rg[0])), ag
    )
    assert gradcheck.rel_error(g["a_prev"], num) < TOL


@settings(max_examples=15, deadline=None)
@given(
    cell=st.sampled_from(["lstm", "gru"]),
    T=st.integers(1, 6),
    n_h=st.integers(1, 4),
    seed=st.integers(0, 999),
)
def test_gradient_of_the_initial_state_property(cell, T, n_h, seed):
    params, X, a0, c0, R = _problem(cell, T=T, n_in=2, n_h=n_h, m=1, seed=seed)

    def loss(_=None):
        return float(np.sum(_run(cell, X, params, a0, c0)[0] * R))

    grads = _backward(cell, R, _run(cell, X, params, a0, c0)[1])
    assert gradcheck.rel_error(grads["a0"], gradcheck.numerical_gradient(loss, a0)) < TOL


# --------------------------------------------------------------------------------------
# The additive path: what makes the gated cells different
# --------------------------------------------------------------------------------------
def test_lstm_constant_error_carousel():
    """Forget gate held at 1, no recurrent weights: dL/dc_0 arrives unchanged after 100 steps."""
    n_in, n_h, T = 2, 3, 100
    params = _params("lstm", n_in, n_h, seed=8)
    for k in ("W_R_i", "W_R_f", "W_R_g", "W_R_o", "W_F_f"):
        params[k] = np.zeros_like(params[k])
    params["b_f"] = np.full((n_h, 1), 50.0)  # sigmoid(50) == 1.0 in float64
    X = np.random.default_rng(9).standard_normal((T, n_in, 1))
    A, cache = cells.lstm_forward(X, params)
    dA = np.zeros_like(A)
    dA[-1] = 1.0
    g = cells.lstm_backward(dA, cache)
    o_T, c_T = cache["gates"][-1, 3 * n_h :], cache["C"][-1]
    np.testing.assert_allclose(g["c0"], o_T * (1 - np.tanh(c_T) ** 2), rtol=1e-12)  # no decay at all
    # the plain RNN over the same 100 steps has lost it
    prnn = rnn.init_params(n_in, n_h, seed=8)
    Ar, cr = rnn.forward(X, prnn)
    dAr = np.zeros_like(Ar)
    dAr[-1] = 1.0
    assert np.abs(rnn.backward(dAr, cr)["a0"]).max() < 1e-6


def test_gru_update_gate_at_one_copies_the_state():
    n_in, n_h, T = 2, 3, 100
    params = _params("gru", n_in, n_h, seed=10)
    params["W_R_u"] = np.zeros_like(params["W_R_u"])
    params["W_F_u"] = np.zeros_like(params["W_F_u"])
    params["b_u"] = np.full((n_h, 1), 50.0)
    X = np.random.default_rng(11).standard_normal((T, n_in, 2))
    a0 = np.random.default_rng(12).standard_normal((n_h, 2))
    A, cache = cells.gru_forward(X, params, a0=a0)
    np.testing.assert_allclose(A[-1], a0, rtol=1e-12)  # remembered for 100 steps
    dA = np.zeros_like(A)
    dA[-1] = 1.0
    np.testing.assert_allclose(cells.gru_backward(dA, cache)["a0"], 1.0, rtol=1e-12)


def test_state_gradients_are_kept_on_request():
    params, X, a0, c0, R = _problem("lstm", T=4, seed=13)
    _, cache = _run("lstm", X, params, a0, c0)
    g = cells.lstm_backward(R, cache, keep_state_grads=True)
    assert g["dA_state"].shape == g["dC_state"].shape == (4, 4, 2)
    np.testing.assert_array_equal(g["dA_state"][-1], R[-1])  # nothing comes from the future at T
    np.testing.assert_array_equal(g["dC_state"][-1], 0.0)
    assert "dA_state" not in cells.lstm_backward(R, cache)


# --------------------------------------------------------------------------------------
# The long-lag task and model
# --------------------------------------------------------------------------------------
def test_lag_task_shapes_and_labels():
    X, y = longlag.make_lag_task(lag=6, m=50, n_symbols=4, n_distractors=3, seed=1)
    assert X.shape == (6, 7, 50) and y.shape == (50,)
    np.testing.assert_array_equal(X.sum(axis=1), 1.0)  # one-hot at every step
    np.testing.assert_array_equal(X[0].argmax(axis=0), y)  # the first symbol is the answer
    assert np.all(X[1:, :4].sum(axis=1) == 0)  # later steps are distractors only
    assert set(np.unique(y)) <= {0, 1, 2, 3}
    X2, y2 = longlag.make_lag_task(lag=6, m=50, n_symbols=4, n_distractors=3, seed=1)
    np.testing.assert_array_equal(X, X2)
    assert longlag.chance_level(4) == 0.25
    with pytest.raises(ValueError):
        longlag.make_lag_task(lag=0, m=5)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_lag_model_gradients(cell):
    model = models.ManyToOne(5, 3, 3, seed=2, cell=cell)
    X, y = longlag.make_lag_task(lag=4, m=6, n_symbols=3, n_distractors=2, seed=3)
    _, grads = model.loss_and_grads(X, y)
    assert set(grads) == set(model.params)

    def loss(_=None):
        return model.loss_and_grads(X, y)[0]

    errors = gradcheck.check_gradients(loss, model.params, grads)
    bad = {k: f"{v:.1e}" for k, v in errors.items() if v >= TOL}
    assert not bad, f"{cell} ManyToOne gradients are wrong for {bad}"


def test_short_lags_are_learned_by_every_cell():
    for cell in ("rnn", "lstm", "gru"):
        result = longlag.train_lag(cell, lag=3, n_h=8, steps=300, seed=0)
        assert result["accuracy"] > 0.95, f"{cell} should learn a lag of 3, got {result['accuracy']}"
        assert result["steps"] < 300  # stopped early once solved


def test_plain_rnn_fails_a_long_lag_that_the_lstm_holds():
    rnn_result = longlag.train_lag("rnn", lag=80, steps=150, seed=0)
    lstm_result = longlag.train_lag(
        "lstm", lag=80, steps=150, seed=0, init_kwargs={"forget_bias": 5.0, "input_bias": -2.0}
    )
    assert rnn_result["accuracy"] < 0.5
    assert lstm_result["accuracy"] > 0.95


# --------------------------------------------------------------------------------------
# The steps themselves, and the GRU with the reset after the product
# --------------------------------------------------------------------------------------
STEP_TOL = 1e-7


def _gated(variant, n_in=3, n_h=4, seed=0):
    """("lstm" | "gru" | "gru_after") -> parameters with non-zero biases."""
    rng = np.random.default_rng([seed, 98])
    if variant == "lstm":
        params = cells.lstm_init_params(n_in, n_h, seed=seed, scale=0.6)
    else:
        params = cells.gru_init_params(n_in, n_h, seed=seed, scale=0.6, reset_after=variant == "gru_after")
    for k in params:
        if k.startswith("b"):
            params[k] = 0.5 * rng.standard_normal(params[k].shape)
    return params


@pytest.mark.parametrize("variant", ["lstm", "gru", "gru_after"])
@pytest.mark.parametrize("n_in, n_h, m, seed", [(3, 4, 2, 0), (1, 1, 1, 1)])
def test_cell_step_gradients_match_central_differences(variant, n_in, n_h, m, seed):
    """Every output of lstm_cell_backward / gru_cell_backward, parameter by parameter."""
    params = _gated(variant, n_in, n_h, seed)
    rng = np.random.default_rng([seed, 7])
    x, a_prev, c_prev = (
        rng.standard_normal((n_in, m)),
        rng.standard_normal((n_h, m)),
        rng.standard_normal((n_h, m)),
    )
    Ra, Rc = rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    if variant == "lstm":

        def loss(_=None):
            a_t, c_t, _ = cells.lstm_cell_forward(x, a_prev, c_prev, params)
            return float(np.sum(a_t * Ra) + np.sum(c_t * Rc))

        g = cells.lstm_cell_backward(Ra, Rc, cells.lstm_cell_forward(x, a_prev, c_prev, params)[2])
        inputs = {"x_t": x, "a_prev": a_prev, "c_prev": c_prev}
    else:

        def loss(_=None):
            return float(np.sum(cells.gru_cell_forward(x, a_prev, params)[0] * Ra))

        g = cells.gru_cell_backward(Ra, cells.gru_cell_forward(x, a_prev, params)[1])
        inputs = {"x_t": x, "a_prev": a_prev}
    assert set(g) == set(params) | set(inputs)
    for name, arr in {**params, **inputs}.items():
        err = gradcheck.rel_error(g[name], gradcheck.numerical_gradient(loss, arr))
        assert err < STEP_TOL, f"{variant} step: d{name} is wrong (relative error {err:.2e})"


def test_gru_reset_after_sequence_gradients_match_central_differences():
    params = _gated("gru_after", 3, 4, seed=2)
    rng = np.random.default_rng(3)
    X, a0, R = (
        rng.standard_normal((5, 3, 2)),
        0.5 * rng.standard_normal((4, 2)),
        rng.standard_normal((5, 4, 2)),
    )

    def loss(_=None):
        return float(np.sum(cells.gru_forward(X, params, a0=a0)[0] * R))

    g = cells.gru_backward(R, cells.gru_forward(X, params, a0=a0)[1])
    for name, arr in {**params, "X": X, "a0": a0}.items():
        err = gradcheck.rel_error(g[name], gradcheck.numerical_gradient(loss, arr))
        assert err < STEP_TOL, f"GRU, reset after: d{name} (relative error {err:.2e})"


def test_gru_reset_after_written_out_for_one_step():
    p = _gated("gru_after", 3, 4, seed=4)
    rng = np.random.default_rng(5)
    x, a = rng.standard_normal((3, 2)), rng.standard_normal((4, 2))

    def sig(z):
        return 1 / (1 + np.exp(-z))

    r = sig(p["W_F_r"] @ x + p["W_R_r"] @ a + p["b_r"])
    u = sig(p["W_F_u"] @ x + p["W_R_u"] @ a + p["b_u"])
    g = np.tanh(p["W_F_g"] @ x + p["b_g"] + r * (p["W_R_g"] @ a + p["b_R_g"]))
    np.testing.assert_allclose(cells.gru_cell_forward(x, a, p)[0], u * a + (1 - u) * g, atol=1e-12)
    # With b_R^g = 0 and r = 1 everywhere the two conventions agree.
    p["b_R_g"][:] = 0.0
    p["b_r"][:] = 50.0
    before = {k: v for k, v in p.items() if k != "b_R_g"}
    np.testing.assert_allclose(
        cells.gru_cell_forward(x, a, p)[0], cells.gru_cell_forward(x, a, before)[0], atol=1e-12
    )


@pytest.mark.parametrize("variant", ["lstm", "gru", "gru_after"])
def test_sequence_is_the_loop_over_the_public_step(variant):
    """lstm_forward / gru_forward and their backwards equal the step functions chained by hand."""
    params = _gated(variant, 3, 4, seed=8)
    rng = np.random.default_rng(9)
    T = 4
    X, a0, c0, R = (rng.standard_normal((T, 3, 2)), rng.standard_normal((4, 2)),
                    rng.standard_normal((4, 2)), rng.standard_normal((T, 4, 2)))  # fmt: skip
    if variant == "lstm":
        A, cache = cells.lstm_forward(X, params, a0=a0, c0=c0)
        grads = cells.lstm_backward(R, cache)
    else:
        A, cache = cells.gru_forward(X, params, a0=a0)
        grads = cells.gru_backward(R, cache)
    a, c, caches = a0, c0, []
    for t in range(T):
        if variant == "lstm":
            a, c, ct = cells.lstm_cell_forward(X[t], a, c, params)
        else:
            a, ct = cells.gru_cell_forward(X[t], a, params)
        np.testing.assert_allclose(A[t], a, atol=1e-12)
        caches.append(ct)
    da_next, dc = np.zeros_like(a0), np.zeros_like(c0)
    total = {k: np.zeros_like(v) for k, v in params.items()}
    for t in reversed(range(T)):
        if variant == "lstm":
            g = cells.lstm_cell_backward(R[t] + da_next, dc, caches[t])
            dc = g["c_prev"]
        else:
            g = cells.gru_cell_backward(R[t] + da_next, caches[t])
        da_next = g["a_prev"]
        for k in total:
            total[k] += g[k]
    for k in total:
        np.testing.assert_allclose(grads[k], total[k], atol=1e-12, err_msg=k)
    np.testing.assert_allclose(grads["a0"], da_next, atol=1e-12)
