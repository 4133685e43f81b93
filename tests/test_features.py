"""Paper II network side: feature-layer pipelines against independent routes (closed forms, Schur complements,
samples).
"""

import numpy as np
import pytest
import torch

from rgbook import couplings, expfam, features, rg
from rgbook.chapters.feature_layers import gaussian_ring_covariance


def _ring_precision(n, K, d=1.0):
    S = np.roll(np.eye(n), 1, axis=1)
    return d * np.eye(n) - K * (S + S.T)


@pytest.mark.parametrize("r", [0.1, 0.3, 0.45, -0.2])
def test_ratio_map_any_b_against_schur_complement(r):
    assert rg.gaussian_chain_ratio_map_b(r, 2) == pytest.approx(rg.gaussian_chain_ratio_map(r), rel=1e-12, abs=1e-15)
    for b in (2, 3, 4):
        P = rg.gaussian_ring_marginal_precision(r, 1.0, m=6, b=b)
        assert rg.gaussian_chain_ratio_map_b(r, b) == pytest.approx(-P[2, 3] / P[2, 2], rel=1e-10, abs=1e-14)


def test_ring_projection_round_trip_and_from_samples():
    n, K, d = 9, 0.35, 1.3
    C = np.linalg.inv(_ring_precision(n, K, d))
    dp, Kp, kl = couplings.project_gaussian_ring(C)
    assert (dp, Kp) == pytest.approx((d, K), abs=1e-10) and kl == pytest.approx(0.0, abs=1e-12)
    x = np.random.default_rng(0).multivariate_normal(np.zeros(n), C, size=200_000)
    ds, Ks, _ = couplings.project_gaussian_ring(np.cov(x.T))
    assert abs(ds - d) < 0.02 and abs(Ks - K) < 0.02


@pytest.mark.parametrize("b", [2, 3])
def test_decimation_network_reproduces_rg_prediction(b):
    """Hand-built selection layer -> feature covariance -> ring projection = the RG map (both routes)."""
    r, N = 0.4, 6 * b
    C = gaussian_ring_covariance(N, r)
    S = features.selection_matrix(N, b)
    d, K, kl = couplings.project_gaussian_ring(S @ C @ S.T)
    assert kl < 1e-12
    assert K / d == pytest.approx(rg.gaussian_chain_ratio_map_b(r, b), rel=1e-10)
    if b == 2:
        assert (K, d) == pytest.approx(rg.gaussian_chain_decimate(r, 1.0), rel=1e-10)


def test_linear_autoencoder_reaches_eckart_young_and_losses_agree():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(6, 6))
    C = A @ A.T + 0.5 * np.eye(6)
    aes = features.train_linear_autoencoder(C, 2, restarts=2, steps=4000, lr=0.02, seed=3)
    ey = features.eckart_young_loss(C, 2)
    assert aes[0].loss == pytest.approx(ey, rel=1e-6)
    top = np.linalg.eigh(C)[1][:, -2:].T
    assert features.optimal_linear_loss(C, top) == pytest.approx(ey, rel=1e-12)  # regression route vs eigenvalues
    assert features.optimal_linear_loss(C, aes[0].W) == pytest.approx(ey, rel=1e-6)


def test_training_is_deterministic():
    C = gaussian_ring_covariance(9, 0.3)
    a, b = (features.train_linear_autoencoder(C, 3, restarts=1, steps=50, seed=5)[0] for _ in range(2))
    assert np.array_equal(a.W, b.W) and a.loss == b.loss
    r1, r2 = (features.train_parameter_regressor("poisson", 8, steps=20, n_train=256, seed=2) for _ in range(2))
    assert all(np.array_equal(r1.params[k], r2.params[k]) for k in r1.params) and r1.test_rmse == r2.test_rmse


def test_batched_regressors_equal_single_runs():
    """One batched fit of seeds x modes performs the steps of the separate runs (each model its own data, init and
    minibatches), up to the rounding of batched products."""
    runs = [
        ("poisson", "trained", 0),
        ("poisson", "trained", 1),
        ("poisson", "random", 0),
        ("gamma", "selection", 2),
        ("bernoulli_chain", "block_sum", 0),
    ]
    kw = dict(steps=40, n_train=256, batch_size=64)  # minibatches: 4 per epoch, 10 epochs
    batch = features.train_parameter_regressors(runs, 8, **kw)
    for (task, mode, seed), reg in zip(runs, batch):
        alone = features.train_parameter_regressor(task, 8, mode=mode, seed=seed, **kw)
        assert (reg.task, reg.mode, reg.seed) == (alone.task, alone.mode, alone.seed)
        for k in alone.params:
            np.testing.assert_allclose(reg.params[k], alone.params[k], rtol=0, atol=1e-10)
        assert reg.test_rmse == pytest.approx(alone.test_rmse, abs=1e-10)


def test_batched_linear_autoencoder_restarts_equal_single_runs():
    C = gaussian_ring_covariance(9, 0.3)
    together = features.train_linear_autoencoder(C, 3, restarts=3, steps=60, seed=4)
    for ae in together:
        alone = features.train_linear_autoencoder(C, 3, restarts=1, steps=60, seed=ae.seed)[0]
        np.testing.assert_allclose(ae.W, alone.W, rtol=0, atol=1e-10)
        assert ae.loss == pytest.approx(alone.loss, abs=1e-10)


def test_receptive_field_gauge():
    S = features.selection_matrix(12, 3)
    np.testing.assert_allclose(features.receptive_field_features(S, 3), S, atol=1e-14)
    W = np.random.default_rng(2).normal(size=(4, 12))
    A = np.random.default_rng(3).normal(size=(4, 4))
    np.testing.assert_allclose(
        features.receptive_field_features(A @ W, 3), features.receptive_field_features(W, 3), atol=1e-10
    )
    assert features.largest_principal_angle(S, S) == pytest.approx(0.0, abs=1e-7)


def test_block_sum_unit_kurtosis_matches_cumulant_recursion():
    """Block-sum control on Gamma data: exact rho = 1/N and sampled kappa_4^std = kappa_4^std(x)/N."""
    N = 8
    reg = features.control_regressor("gamma", N, "block_sum")
    np.testing.assert_allclose(features.exact_feature_kurtosis_ratio(reg), 1 / N, rtol=1e-12)
    task = features.TASKS["gamma"]
    eta = task.natural(task.eta_eval)
    x = expfam.family("gamma").sample(eta, (200_000, N), rng=np.random.default_rng(4))
    v, se = features.standardized_cumulants(features.feature_values(reg, x))
    k, theta = eta[0] + 1, -1 / eta[1]
    kappa = expfam.cumulants("gamma", {"k": k, "theta": theta})
    assert np.all(np.abs(v[1] - kappa[3] / kappa[1] ** 2 / N) < 5 * se[1])


def test_exact_kurtosis_ratio_against_samples_for_random_unit():
    N = 6
    reg = features.control_regressor("poisson", N, "random", seed=7)
    x = expfam.family("poisson").sample([np.log(0.5)], (200_000, N), rng=np.random.default_rng(8))
    v, se = features.standardized_cumulants(features.feature_values(reg, x))
    predicted = features.exact_feature_kurtosis_ratio(reg) * 1 / 0.5  # Poisson kappa_4^std = 1/lambda
    assert np.all(np.abs(v[1] - predicted) < 5 * se[1])


@pytest.mark.parametrize(
    "call,error",
    [
        (lambda: features.eckart_young_loss(-np.eye(3), 1), ValueError),
        (lambda: features.optimal_linear_loss(np.eye(4), np.ones((2, 3))), ValueError),
        (lambda: features.selection_matrix(10, 3), ValueError),
        (lambda: features.train_parameter_regressor("poisson", 8, mode="magic"), ValueError),
        (lambda: features.train_parameter_regressor("even_poly", 8, mode="block_sum"), ValueError),
        (lambda: features.train_parameter_regressor("cauchy", 8), ValueError),
        (lambda: features.task_data("poisson", 8, 10, rng=0), TypeError),
        (lambda: features.train_parameter_regressors([], 8), ValueError),
        (
            lambda: features.train_parameter_regressors([("poisson", "trained", 0), ("even_poly", "trained", 0)], 8),
            ValueError,
        ),
        (lambda: couplings.project_gaussian_ring(np.eye(2)), ValueError),
        (lambda: couplings.project_gaussian_ring(-np.eye(4)), ValueError),
        (lambda: rg.gaussian_chain_ratio_map_b(0.5, 3), ValueError),
        (
            lambda: features.exact_feature_kurtosis_ratio(features.control_regressor("even_poly", 8, "random")),
            ValueError,
        ),
    ],
)
def test_bad_input(call, error):
    with pytest.raises(error):
        call()


def test_minibatches_visit_every_window_once_per_epoch():
    """Each epoch visits the contiguous windows once, in a fresh order; the schedule does not depend on the batch."""
    from rgbook.training import Minibatches

    mb = Minibatches(10, 3, seed=4)  # 3 windows of 3 samples; sample 9 is never used
    x = torch.arange(20).reshape(2, 10)
    epochs = []
    for e in range(4):
        seen = []
        for k in range(3):
            mb.advance(3 * e + k)
            (xb,) = mb.take(x)
            assert xb.shape == (2, 3) and xb.data_ptr() == x[:, mb.window].data_ptr()  # a view
            seen.append(mb.window.start // 3)
        assert sorted(seen) == [0, 1, 2]
        epochs.append(seen)
    assert len({tuple(s) for s in epochs}) > 1  # orders are redrawn
    again = Minibatches(10, 3, seed=4)
    again.advance(0)
    assert again.window.start // 3 == epochs[0][0]
    mb.advance(None)
    assert mb.window is None and mb.take(x)[0] is x
    assert Minibatches(10, 10).full
    with pytest.raises(ValueError, match="batch_size"):
        Minibatches(10, 0)


# --------------------------------------------------------------------------------------
# Exact Bayes estimator of the i.i.d. tasks with a discrete sufficient sum (II.B2)


@pytest.mark.parametrize("task", features.BAYES_FAMILIES)
def test_bin_midpoints_are_the_values_task_data_draws(task):
    _, eta = features.task_data(features.TASKS[task], 4, 5000, np.random.default_rng(0))
    mids = features.bin_midpoints(task)
    assert mids.size == 32 and set(np.unique(eta)) <= set(mids)
    assert len(np.unique(eta)) == 32


@pytest.mark.parametrize("task,N", [("poisson", 3), ("bernoulli", 5)])
def test_posterior_mean_from_sum_equals_full_likelihood(task, N):
    """Route 1: the law of the sum. Route 2: the product of the per-datum laws over the whole data (sufficiency)."""
    from scipy.stats import bernoulli, poisson

    x, _ = features.task_data(features.TASKS[task], N, 50, np.random.default_rng(1))
    eta = features.bin_midpoints(task)
    if task == "poisson":
        loglik = poisson.logpmf(x[:, :, None], np.exp(eta)).sum(axis=1)
    else:
        loglik = bernoulli.logpmf(x[:, :, None], 1 / (1 + np.exp(-eta))).sum(axis=1)
    post = np.exp(loglik - loglik.max(axis=1, keepdims=True))
    brute = (post @ eta) / post.sum(axis=1)
    np.testing.assert_allclose(features.bayes_posterior_mean(task, N, x.sum(axis=1)), brute, rtol=0, atol=1e-12)


@pytest.mark.parametrize("task,N", [("poisson", 8), ("bernoulli", 16)])
def test_bayes_risk_closed_form_against_monte_carlo(task, N):
    """Exact summation over the law of the sum vs the squared error of the posterior mean on fresh task data."""
    x, eta = features.task_data(features.TASKS[task], N, 200_000, np.random.default_rng(2))
    err2 = (features.bayes_posterior_mean(task, N, x.sum(axis=1)) - eta) ** 2
    se = err2.std(ddof=1) / np.sqrt(err2.size)
    assert abs(err2.mean() - features.bayes_risk(task, N)) < 4 * se


def test_bayes_risk_bounds():
    """Below the prior variance, decreasing in N, never above the squared error of any other estimator of the sum."""
    for task in features.BAYES_FAMILIES:
        mids = features.bin_midpoints(task)
        risks = [features.bayes_risk(task, N) for N in (1, 4, 16, 64)]
        assert risks[0] < mids.var() and all(a > b for a, b in zip(risks, risks[1:]))
    # another estimator of eta from the sum (the clipped maximum-likelihood estimate) has a larger exact risk
    N = 16
    s, P = features.sum_likelihood("poisson", N)
    mids = features.bin_midpoints("poisson")
    mle = np.clip(np.log(np.maximum(s, 0.5) / N), mids[0], mids[-1])
    assert np.sum(P * (mids[:, None] - mle[None, :]) ** 2) / mids.size > features.bayes_risk("poisson", N)


def test_regression_data_rebuilds_the_test_set_of_a_trained_regressor():
    reg = features.train_parameter_regressor("poisson", 8, steps=10, n_train=256, batch_size=64, seed=3)
    x, eta, x_test, eta_test = features.regression_data("poisson", 8, 256, 3)
    assert x.shape == (256, 8) and x_test.shape == (64, 8)
    params = {k: torch.as_tensor(v) for k, v in reg.params.items()}
    pred = features._head_t(params, torch.as_tensor(features.feature_values(reg, x_test))).numpy()
    assert np.sqrt(np.mean((pred - eta_test) ** 2)) == pytest.approx(reg.test_rmse, rel=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda: features.bayes_risk("gamma", 8),
        lambda: features.bayes_risk("bernoulli_chain", 8),
        lambda: features.bayes_posterior_mean("poisson", 8, [-1.0]),
        lambda: features.bayes_posterior_mean("poisson", 8, [1.5]),
        lambda: features.bayes_posterior_mean("bernoulli", 4, [5.0]),
        lambda: features.span_unit_weights(features.control_regressor("even_poly", 8, "random")),
    ],
)
def test_bayes_bad_input(call):
    with pytest.raises(ValueError):
        call()


def test_n_rho_one_does_not_single_out_the_block_sum():
    """Any sign pattern with equal |w_i| has N rho = 1; only the uniform one is the block sum (overlap 1)."""
    N = 8
    reg = features.control_regressor("poisson", N, "block_sum")
    from scipy.linalg import hadamard

    signs = hadamard(N).astype(float)[1:5]  # four sign patterns, each orthogonal to the uniform vector
    flipped = features.ParameterRegressor("poisson", N, "random", {**reg.params, "W": signs}, 0.0, 0)
    assert N * features.exact_feature_kurtosis_ratio(flipped) == pytest.approx(np.ones(4), rel=1e-12)
    assert features.block_sum_overlap(reg) == pytest.approx(1.0, rel=1e-12)
    assert features.block_sum_overlap(flipped) == pytest.approx(0.0, abs=1e-12)  # every row sums to 0


def test_span_unit_weights_is_the_projection_of_the_uniform_vector():
    rng = np.random.default_rng(5)
    N, M = 12, 4
    W = rng.normal(size=(M, N))
    W[0] += 3.0  # some weight on the uniform vector
    reg = features.ParameterRegressor("poisson", N, "random", {"W": W, "c": np.zeros(M)}, 0.0, 0)
    w = features.span_unit_weights(reg)
    coef, *_ = np.linalg.lstsq(W.T, np.ones(N), rcond=None)  # least squares: the projection onto the row space
    np.testing.assert_allclose(w, W.T @ coef, atol=1e-12)
    assert w @ w / N == pytest.approx(features.block_sum_overlap(reg), rel=1e-12)
    W2 = np.vstack([np.ones(N), W[1:]])  # uniform vector in the span: the unit is the block sum
    reg2 = features.ParameterRegressor("poisson", N, "random", {"W": W2, "c": np.zeros(M)}, 0.0, 0)
    np.testing.assert_allclose(features.span_unit_weights(reg2), np.ones(N), atol=1e-12)


def test_exact_feature_cumulants_chain_against_samples_and_iid_ratio():
    """The chain units' exact cumulants agree with a large sample; for i.i.d. data the standardized kappa_4 is
    rho times the datum's (the route of exact_feature_kurtosis_ratio)."""
    reg = features.control_regressor("bernoulli_chain", 12, "random", seed=5)
    task = features.TASKS["bernoulli_chain"]
    k = features.exact_feature_cumulants(reg)
    x = features.sample_task(task, 12, task.natural(task.eta_eval), 400_000, np.random.default_rng(0))
    sample = expfam.sample_cumulants(features.feature_values(reg, x).T)
    np.testing.assert_allclose(sample[:, :2], k[:, :2], rtol=0.01)
    assert np.all(np.abs(sample[:, 3] - k[:, 3]) < 0.02 * k[:, 1] ** 2)
    iid = features.control_regressor("bernoulli", 12, "random", seed=5)
    k = features.exact_feature_cumulants(iid)
    p = 1 / (1 + np.exp(-features.TASKS["bernoulli"].eta_eval))
    kx = expfam.cumulants("bernoulli", {"p": p})
    np.testing.assert_allclose(
        k[:, 3] / k[:, 1] ** 2, features.exact_feature_kurtosis_ratio(iid) * kx[3] / kx[1] ** 2, rtol=1e-10
    )
    with pytest.raises(ValueError, match="discrete family"):
        features.exact_feature_cumulants(features.control_regressor("gamma", 12, "random", seed=5))
