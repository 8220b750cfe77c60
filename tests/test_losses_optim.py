"""Losses, optimisers, clipping, gradient checking and the shape table."""

import numpy as np
import pytest

from rnncourse import ShapeError, dims, losses, optim
from rnncourse.gradcheck import check_gradients, numerical_gradient, rel_error


# --- losses -------------------------------------------------------------------
def test_softmax_is_stable_and_sums_to_one():
    z = np.array([[1000.0, -1000.0], [1001.0, -1000.0], [999.0, -1001.0]])
    p = losses.softmax(z)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=0), 1.0)
    np.testing.assert_allclose(p[:, 0], losses.softmax(z[:, :1] - 1000)[:, 0])


def test_cross_entropy_last_value_and_gradient():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((4, 5))
    y = np.array([0, 3, 1, 1, 2])
    loss, dz = losses.cross_entropy_last(z, y)
    p = np.exp(z) / np.exp(z).sum(axis=0)
    assert loss == pytest.approx(-np.mean(np.log(p[y, np.arange(5)])))
    num = numerical_gradient(lambda: losses.cross_entropy_last(z, y)[0], z)
    assert rel_error(dz, num) < 1e-7


def test_cross_entropy_sequence_sums_over_steps_means_over_batch_and_masks():
    rng = np.random.default_rng(1)
    T, n_out, m = 4, 3, 2
    z = rng.standard_normal((T, n_out, m))
    y = rng.integers(0, n_out, (T, m))
    mask = np.array([[1, 1], [1, 1], [1, 0], [1, 0]])
    loss, dz = losses.cross_entropy_sequence(z, y, mask)
    expected = (
        sum(
            losses.cross_entropy_last(z[t][:, [b]], y[t][[b]])[0]
            for t in range(T)
            for b in range(m)
            if mask[t, b]
        )
        / m
    )
    assert loss == pytest.approx(expected)
    assert np.all(dz[2:, :, 1] == 0), "padded steps must get no gradient"
    y2 = y.copy()
    y2[3, 1] = -1  # a padded label may hold anything
    assert losses.cross_entropy_sequence(z, y2, mask)[0] == pytest.approx(loss)
    num = numerical_gradient(lambda: losses.cross_entropy_sequence(z, y, mask)[0], z)
    assert rel_error(dz, num) < 1e-7


# --- optimisers -----------------------------------------------------------------
def test_sgd_step():
    p = {"w": np.array([1.0, -2.0])}
    optim.SGD(lr=0.5).step(p, {"w": np.array([2.0, 2.0])})
    np.testing.assert_allclose(p["w"], [0.0, -3.0])


def test_adam_matches_a_hand_computed_step():
    p = {"w": np.array([1.0, 2.0])}
    g = {"w": np.array([0.5, -1.0])}
    opt = optim.Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8)
    opt.step(p, g)
    # step 1: m = 0.1 g, v = 0.001 g^2, m_hat = g, v_hat = g^2, update = lr * g / (|g| + eps)
    np.testing.assert_allclose(p["w"], [1.0 - 0.1 * 0.5 / (0.5 + 1e-8), 2.0 + 0.1 * 1.0 / (1.0 + 1e-8)])
    opt.step(p, {"w": np.array([1.0, 1.0])})
    m = 0.9 * 0.1 * np.array([0.5, -1.0]) + 0.1 * np.array([1.0, 1.0])
    v = 0.999 * 0.001 * np.array([0.25, 1.0]) + 0.001 * np.array([1.0, 1.0])
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
    before = np.array([1.0 - 0.1 * 0.5 / (0.5 + 1e-8), 2.0 + 0.1 / (1.0 + 1e-8)])
    np.testing.assert_allclose(p["w"], before - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8))


def test_optimiser_refuses_mismatched_gradients():
    with pytest.raises(ValueError, match="shape"):
        optim.SGD().step({"w": np.zeros((2, 3))}, {"w": np.zeros((3, 2))})
    with pytest.raises(ValueError, match="no entry"):
        optim.Adam().step({"w": np.zeros(2)}, {})


# --- clipping -----------------------------------------------------------------
def test_clip_by_norm_hand_computed():
    g = {"a": np.array([3.0, 0.0]), "b": np.array([[0.0], [4.0]])}  # global norm 5
    clipped, total = optim.clip_by_norm(g, 1.0)
    assert total == pytest.approx(5.0)
    coef = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(clipped["a"], [3 * coef, 0.0])
    np.testing.assert_allclose(clipped["b"], [[0.0], [4 * coef]])
    np.testing.assert_array_equal(g["a"], [3.0, 0.0]), "input must not change"


def test_clip_by_norm_leaves_small_gradients_alone_and_keeps_direction():
    g = {"a": np.array([0.3, -0.4])}
    clipped, total = optim.clip_by_norm(g, 10.0)
    assert total == pytest.approx(0.5)
    np.testing.assert_allclose(clipped["a"], g["a"])
    big = {"a": np.array([30.0, -40.0])}
    c, _ = optim.clip_by_norm(big, 2.0)
    np.testing.assert_allclose(c["a"] / np.linalg.norm(c["a"]), big["a"] / 50.0)
    assert np.linalg.norm(c["a"]) == pytest.approx(2.0, rel=1e-6)


def test_clip_by_norm_nonfinite():
    g = {"a": np.array([np.inf, 1.0])}
    with pytest.raises(ValueError, match="NaN or inf"):
        optim.clip_by_norm(g, 1.0, error_if_nonfinite=True)
    with pytest.raises(ValueError, match="max_norm"):
        optim.clip_by_norm({"a": np.ones(2)}, -1.0)


def test_clip_by_value_hand_computed_and_changes_direction():
    g = {"a": np.array([3.0, -0.5, -7.0])}
    c = optim.clip_by_value(g, 1.0)
    np.testing.assert_array_equal(c["a"], [1.0, -0.5, -1.0])
    np.testing.assert_array_equal(g["a"], [3.0, -0.5, -7.0])
    cos = c["a"] @ g["a"] / np.linalg.norm(c["a"]) / np.linalg.norm(g["a"])
    assert cos < 0.99


# --- gradcheck ----------------------------------------------------------------
def test_rel_error_definition():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(2.0 / 4.0)
    assert rel_error(np.zeros(2), np.zeros(2)) == 0.0


def test_check_gradients_catches_a_wrong_gradient():
    params = {"w": np.array([0.5, -1.5, 2.0])}

    def loss(p):
        return float(np.sum(p["w"] ** 3))

    assert check_gradients(loss, params, {"w": 3 * params["w"] ** 2})["w"] < 1e-8
    assert check_gradients(loss, params, {"w": 2 * params["w"] ** 2})["w"] > 1e-2
    np.testing.assert_array_equal(params["w"], [0.5, -1.5, 2.0]), "params restored"


# --- dims ---------------------------------------------------------------------
def test_rnn_shapes_for_the_course_example():
    s = dims.rnn_shapes(n_in=3, n_hidden=7, n_out=1, batch=64, seq_len=10)
    assert s["x_t"] == (3, 64) and s["a_t"] == (7, 64) and s["z_t"] == (7, 64)
    assert s["W_F"] == (7, 3) and s["W_R"] == (7, 7) and s["b"] == (7, 1)
    assert s["W"] == (7, 10) and s["stacked_input"] == (10, 64)
    assert s["X"] == (10, 3, 64) and s["A"] == (10, 7, 64)
    assert s["W_out"] == (1, 7) and s["y_t"] == (1, 64)
    c = dims.parameter_counts(3, 7, 1)
    assert c["recurrent_layer"] == 7 * 3 + 7 * 7 + 7 == 77
    assert c["total"] == 77 + 7 + 1


def test_rnn_shapes_agree_with_real_arrays():
    from rnncourse import rnn

    s = dims.rnn_shapes(4, 5, 2, 3, 6)
    params = rnn.init_params(4, 5)
    X = np.zeros(s["X"])
    A, _ = rnn.forward(X, params)
    assert A.shape == s["A"] and params["W_F"].shape == s["W_F"] and params["b"].shape == s["b"]
    assert rnn.concat_weights(params["W_F"], params["W_R"]).shape == s["W"]
    f = dims.framework_shapes(4, 5, 3, 6)
    assert f["pytorch"]["weight_ih_l0"] == s["W_F"] and f["keras"]["kernel"] == s["W_F"][::-1]
    assert X.transpose(2, 0, 1).shape == f["pytorch"]["input"]


# ---------------------------------------------------------------------------
# Extreme values: exact losses and norms where naive formulas overflow
# ---------------------------------------------------------------------------
def test_cross_entropy_is_exact_for_huge_logits():
    from math import exp, log

    z = np.array([[1000.0, -1000.0, 3.0], [-1000.0, 1000.0, -2.0]])  # (n_out=2, m=3)
    y = np.array([1, 0, 1])  # the first two columns put the label at -1000
    loss, dz = losses.cross_entropy_last(z, y)
    exact = np.mean([2000.0, 2000.0, 5.0 + log(1.0 + exp(-5.0))])
    assert loss == pytest.approx(exact, rel=1e-12)  # clamping p at tiny gave 708.4 per column
    assert np.all(np.isfinite(dz))
    Z = np.stack([z, z])  # (T=2, n_out, m)
    seq, _ = losses.cross_entropy_sequence(Z, np.stack([y, y]))
    assert seq == pytest.approx(2 * exact, rel=1e-12)
    assert np.allclose(np.exp(losses.log_softmax(z)), losses.softmax(z))


def test_transposed_logits_are_blamed_on_logits():
    z = np.zeros((5, 3))  # (m, n_out) by mistake: 5 sequences, 3 classes
    with pytest.raises(ShapeError, match=r"logits looks transposed.*\(3, 5\).*logits\.T"):
        losses.cross_entropy_last(z, np.zeros(5, dtype=int))
    with pytest.raises(ShapeError, match=r"logits looks transposed.*transpose\(0, 2, 1\)"):
        losses.cross_entropy_sequence(np.zeros((4, 5, 3)), np.zeros((4, 5), dtype=int))


def test_global_norm_in_float64_whatever_the_dtype():
    g16 = {"W": np.full((3, 4), 300.0, dtype=np.float16)}
    clipped, norm = optim.clip_by_norm(g16, 1.0)
    assert norm == pytest.approx(300.0 * np.sqrt(12), rel=1e-6)  # not inf
    assert np.all(clipped["W"] > 0)  # not zeroed
    assert optim.global_norm(clipped) == pytest.approx(1.0, rel=1e-2)
    big = {"W": np.array([[4_000_000_000, -4_000_000_000]], dtype=np.int64)}
    clipped, norm = optim.clip_by_norm(big, 1.0)
    assert norm == pytest.approx(4e9 * np.sqrt(2), rel=1e-12)  # not NaN
    assert optim.global_norm(clipped) == pytest.approx(1.0, rel=1e-6)
