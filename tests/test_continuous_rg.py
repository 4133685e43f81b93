"""Continuous-field RG (Paper II's RG side): each recursion against an independent route."""

import numpy as np
import pytest
from scipy.stats import binom

from rgbook import expfam, rg


@pytest.mark.parametrize("K,d", [(0.3, 1.0), (-0.45, 1.0), (0.9, 2.0)])
def test_gaussian_chain_recursion_vs_schur_complement(K, d):
    Kp, dp = rg.gaussian_chain_decimate(K, d)
    P = rg.gaussian_ring_marginal_precision(K, d, m=7)
    expected = dp * np.eye(7) - Kp * (np.roll(np.eye(7), 1, axis=1) + np.roll(np.eye(7), -1, axis=1))
    np.testing.assert_allclose(P, expected, atol=1e-12)


def test_gaussian_chain_covariance_route():
    """Marginal covariance of kept sites (inverse of the full precision) = inverse of the decimated precision."""
    K, d, m = 0.35, 1.0, 6
    N = 2 * m
    S = np.roll(np.eye(N), 1, axis=1)
    cov = np.linalg.inv(d * np.eye(N) - K * (S + S.T))[::2, ::2]
    Kp, dp = rg.gaussian_chain_decimate(K, d)
    Sm = np.roll(np.eye(m), 1, axis=1)
    np.testing.assert_allclose(cov, np.linalg.inv(dp * np.eye(m) - Kp * (Sm + Sm.T)), rtol=1e-12)


def test_ratio_recursion_and_fixed_points():
    for r in (0.1, 0.3, 0.49):
        Kp, dp = rg.gaussian_chain_decimate(r, 1.0)
        assert Kp / dp == pytest.approx(r**2 / (1 - 2 * r**2), rel=1e-13)
        assert rg.gaussian_chain_ratio_map(r) == pytest.approx(Kp / dp, rel=1e-13)
    assert rg.gaussian_chain_ratio_map(0.5) == 0.5


@pytest.mark.parametrize(
    "family,params",
    [
        ("poisson", {"lam": 1.3}),
        ("bernoulli", {"p": 0.35}),
        ("gamma", {"k": 0.7, "theta": 2.0}),
        ("gaussian", {"mu": -1.0, "var": 0.5}),
    ],
)
def test_cumulants_match_large_samples(family, params):
    x = expfam.sample(family, params, (20, 100_000), rng=np.random.default_rng(0))
    k = expfam.sample_cumulants(x)
    mean, se = k.mean(0), k.std(0, ddof=1) / np.sqrt(20)
    assert np.all(np.abs(mean - expfam.cumulants(family, params)) <= 5 * se + 1e-12)


def test_cumulant_recursion_vs_binomial_convolution():
    p, b = 0.3, 3
    pmf = expfam.block_sum_pmf([1 - p, p], b)
    np.testing.assert_allclose(pmf, binom.pmf(np.arange(b + 1), b, p), atol=1e-15)
    exact = expfam.cumulants_from_pmf(np.arange(b + 1), pmf) * b ** (-0.5 * np.arange(1, 5))
    predicted = rg.block_sum_cumulants(expfam.cumulants("bernoulli", {"p": p}), b, 0.5, 1)[1]
    np.testing.assert_allclose(predicted, exact, atol=1e-14)


def test_block_sum_standardized_kurtosis_decays_as_one_over_b():
    kappa = expfam.cumulants("gamma", {"k": 2.0, "theta": 1.0})
    flow = rg.block_sum_cumulants(kappa, 2, 0.5, steps=5)
    g2 = flow[:, 3] / flow[:, 1] ** 2
    np.testing.assert_allclose(g2[1:] / g2[:-1], 0.5, rtol=1e-14)
    np.testing.assert_allclose(flow[:, 1], kappa[1], rtol=1e-14)


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: rg.gaussian_chain_decimate(0.6, 1.0), r"\|K\| must be < d/2"),
        (lambda: rg.gaussian_chain_decimate(0.1, -1.0), "d must be > 0"),
        (lambda: rg.gaussian_chain_decimate(np.nan, 1.0), "K must be finite"),
        (lambda: expfam.cumulants("cauchy", {}), "family must be one of"),
        (lambda: expfam.cumulants("bernoulli", {"p": 1.5}), "p must be < 1"),
        (lambda: expfam.cumulants("poisson", {"lam": -1.0}), "lam must be > 0"),
        (lambda: expfam.cumulants("gamma", {"k": 1.0}), "gamma needs parameters"),
        (lambda: rg.block_sum_cumulants([1.0, 2.0], b=1), "b must be >= 2"),
        (lambda: rg.gaussian_chain_ratio_map(0.8), r"\|r\| must be < 1/sqrt\(2\)"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_even_poly_projection_round_trip_and_moments():
    x = np.linspace(-8, 8, 4001)
    theta = np.array([0.4, 0.0, 0.02])
    back = expfam.project_even_poly(x, expfam.even_poly_density(theta, x), m=3)
    np.testing.assert_allclose(back, theta, atol=1e-6)


def test_even_poly_block_sum_gaussian_input_is_fixed():
    """A Gaussian is a fixed point of block sums at zeta = 1/2 (closed form: N(0, v) -> N(0, v))."""
    flow = rg.block_sum_even_poly([0.7, 0.0], b=2, steps=2)
    np.testing.assert_allclose(flow[:, 0], 0.7, atol=1e-6)
    np.testing.assert_allclose(flow[:, 1], 0.0, atol=1e-6)


def test_even_poly_rejects_non_normalizable():
    with pytest.raises(ValueError, match="highest non-zero theta_k must be > 0"):
        expfam.even_poly_density([0.5, -0.1], np.linspace(-1, 1, 11))


@pytest.mark.parametrize("K,d", [(0.3, 1.0), (-0.2, 0.7)])
def test_grid_kernel_squaring_reproduces_gaussian_closed_form(K, d):
    theta, Kp, residual = rg.grid_chain_decimate([d / 2], K)
    Kc, dc = rg.gaussian_chain_decimate(K, d)
    assert residual < 1e-9
    assert 2 * theta[0] == pytest.approx(dc, abs=1e-9) and Kp == pytest.approx(Kc, abs=1e-9)
