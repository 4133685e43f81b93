"""rgbook.continuous: projections, gauge-free measures and exact block-sum flows against independent routes
(the library's own sampler and RG map, closed forms, brute-force quadrature, scipy's Poisson moments)."""

import numpy as np
import pytest
from scipy import integrate
from scipy.stats import poisson

from rgbook import continuous, expfam, rg


def _phi4_chain(theta, K, n_sites, size, *, rng, n_grid=800):
    return expfam.sample_chain(
        expfam.family("even_poly"), -np.asarray(theta, float), K, n_sites, size, rng=rng, n_grid=n_grid
    )


def test_chain_decimation_b2_is_the_book_map_and_gaussian_b3_is_exact():
    th, K, res, _ = continuous.chain_decimate_b([0.5, 0.1], 0.3, 2)
    th2, K2, res2 = rg.grid_chain_decimate([0.5, 0.1], 0.3)
    np.testing.assert_allclose(th, th2, atol=1e-12)
    assert K == pytest.approx(K2, abs=1e-12) and res == pytest.approx(res2, abs=1e-12)
    d, Kg = 1.3, 0.4
    th, Kp, res, s2 = continuous.chain_decimate_b([d / 2], Kg, 3)
    Pm = rg.gaussian_ring_marginal_precision(Kg, d, m=12, b=3)  # Schur complement: exact
    assert 2 * th[0] == pytest.approx(Pm[3, 3], abs=1e-9) and Kp == pytest.approx(-Pm[3, 4], abs=1e-9)
    assert res < 1e-9
    bulk = np.linalg.inv(rg.gaussian_ring_precision(80, Kg, d))[0, 0]  # site variance of a long ring
    assert s2 == pytest.approx(bulk, rel=1e-9)


def _two_site_log_partition(t2, t4, K, L=8.0, n=321):
    z = np.linspace(-L, L, n)
    dz = z[1] - z[0]
    V = t2 * z**2 + t4 * z**4
    w = np.exp(-V[:, None] - V[None, :] + K * np.outer(z, z))
    return np.log(w.sum() * dz**2)


def test_chain_objective_against_brute_force_quadrature_and_finite_differences():
    z = np.linspace(-8.0, 8.0, 321)
    t = np.array([2.0, 6.5, 0.3])
    v = np.array([0.45, 0.05, 0.25])
    f, g = continuous._chain_objective(v, t, z, 2)
    logz = _two_site_log_partition(*v)
    assert f == pytest.approx(logz + v[0] * t[0] + v[1] * t[1] - v[2] * t[2], abs=1e-10)
    eps = 1e-5
    for k in range(3):
        dv = np.zeros(3)
        dv[k] = eps
        f = continuous._chain_objective
        num = (f(v + dv, t, z, 2)[0] - f(v - dv, t, z, 2)[0]) / (2 * eps)
        assert g[k] == pytest.approx(num, abs=1e-6)


def test_chain_projection_recovers_a_gaussian_chain_from_exact_samples():
    d, K, n_sites = 1.4, 0.4, 8
    x = expfam.sample_chain(
        expfam.family("gaussian"),
        expfam.Gaussian.natural(0.0, 1 / d) * [0, 1],
        K,
        n_sites,
        100_000,
        rng=np.random.default_rng(3),
    )
    p = continuous.project_phi4_chain(x)
    assert p.theta_2 == pytest.approx(d / 2, abs=0.01) and p.K == pytest.approx(K, abs=0.01)
    assert p.theta_4 < 0.005


def test_chain_projection_recovers_the_phi4_chain():
    x = _phi4_chain((0.5, 0.1), 0.3, 12, 20_000, rng=np.random.default_rng(0))
    p = continuous.project_phi4_chain(x)
    assert (p.theta_2, p.theta_4, p.K) == pytest.approx((0.5, 0.1, 0.3), abs=0.02)
    assert p.mismatch < 1e-6


def test_marginal_projection_matches_quadrature_moments():
    u = _phi4_chain((0.5, 0.1), 0.0, 1, 50_000, rng=np.random.default_rng(1))
    th2, th4 = continuous.project_marginals(u)[0]
    z = continuous.standardize(u)[:, 0]
    m2, m4, _ = continuous.even_poly_moments([th2, th4])
    assert m2 == pytest.approx(1.0, abs=1e-7) and m4 == pytest.approx((z**4).mean(), abs=1e-6)


def test_mardia_kurtosis_is_affine_invariant_and_reduces_to_mean_kurtosis():
    rng = np.random.default_rng(2)
    u = rng.uniform(-1, 1, size=(200_000, 4))
    A = rng.normal(size=(4, 4))
    k = continuous.excess_mardia_kurtosis(u)
    assert continuous.excess_mardia_kurtosis(u @ A.T + 3.0) == pytest.approx(k, abs=1e-9)
    assert k == pytest.approx(-1.2, abs=0.02)  # uniform: kappa_4 / kappa_2^2 = -6/5
    assert abs(continuous.excess_mardia_kurtosis(rng.normal(size=(200_000, 4)))) < 0.03


def test_receptive_field_gauge_and_decodable_share():
    rng = np.random.default_rng(4)
    u = rng.normal(size=(5000, 3))
    T = u @ rng.normal(size=(3, 2)) + 1.0
    np.testing.assert_allclose(continuous.receptive_field_gauge(u, T), T, atol=1e-10)
    np.testing.assert_allclose(continuous.decodable_share(u, T), 1.0, atol=1e-12)
    B = u @ rng.normal(size=(3, 3)) - 2.0  # an affine map of the features
    gauge = continuous.receptive_field_gauge
    np.testing.assert_allclose(gauge(B, T), gauge(u, T), atol=1e-9)
    assert np.all(continuous.decodable_share(rng.normal(size=(5000, 3)), T) < 0.01)


def test_poisson_flow_against_scipy_moments():
    f = continuous.poisson_flow(1.5, 3, 3)
    assert f.closure < 1e-14
    for n in range(4):
        mu = 1.5 * 3**n
        skew, kurt = poisson.stats(mu, moments="sk")
        assert f.kappa[n] == pytest.approx([float(skew), float(kurt)], rel=1e-9)
    np.testing.assert_allclose(f.kappa[1:] / f.kappa[:-1], [[3**-0.5, 3**-1.0]] * 3, rtol=1e-9)


@pytest.mark.parametrize("theta", [(0.5, 0.1), (-1.0, 0.5), (0.0, 1.0)])
def test_kurtosis_identity_against_adaptive_quadrature(theta):
    t2, t4 = theta
    m = [integrate.quad(lambda z, k=k: z**k * np.exp(-t2 * z**2 - t4 * z**4), -np.inf, np.inf)[0] for k in (0, 2, 4, 6)]
    m2, m4, m6 = (v / m[0] for v in m[1:])
    assert (m4 - 3 * m2**2) == pytest.approx(-4 * t4 * (m6 * m2 - m4**2), abs=1e-9)
    assert continuous.kurtosis_identity_gap(theta) < 1e-10
    assert -2 < m4 / m2**2 - 3 < 0


def test_kurtosis_near_the_gaussian_is_minus_24_theta4():
    p = continuous.project_standardized_law("small", -0.0024)  # the slope at the Gaussian, 4 (15 - 9) = 24
    assert p.theta_4 == pytest.approx(1e-4, rel=0.01)


def test_projection_inside_and_outside_the_family():
    inside = continuous.project_standardized_law("uniform", -1.2)
    assert inside.unmatched == pytest.approx(0.0, abs=1e-6)
    outside = continuous.project_standardized_law("poisson", 1.0)
    assert outside.theta_4 == 0.0 and outside.theta_2 == pytest.approx(0.5, abs=1e-9)
    assert outside.unmatched == pytest.approx(1.0, abs=1e-6)


def test_bad_input():
    with pytest.raises(ValueError, match="outside the quadrature grid"):
        continuous.project_phi4_chain(np.full((20, 3), 9.0))
    with pytest.raises(ValueError, match="u must have at least 2 columns"):
        continuous.project_phi4_chain(np.zeros((20, 1)))
    with pytest.raises(ValueError, match="zero variance"):
        continuous.standardize(np.zeros((20, 2)))
    with pytest.raises(ValueError, match="excess"):
        continuous.project_standardized_law("x", -2.5)


def test_chain_block_sums_gaussian_chain_against_the_covariance_matrix():
    d, K, N, b = 1.3, 0.4, 12, 3
    exact = continuous.chain_block_sums([d / 2], K, N, b, half_width=9.0, n_grid=301)
    S = np.eye(N, k=1)
    C = np.linalg.inv(d * np.eye(N) - K * (S + S.T))  # open chain: precision d I - K (S + S^T)
    A = np.kron(np.eye(N // b), np.ones((1, b)))  # block-sum map
    CB = A @ C @ A.T
    np.testing.assert_allclose(exact.var, np.diag(CB), rtol=1e-9)
    np.testing.assert_allclose(exact.corr, np.diag(CB, 1) / np.sqrt(np.diag(CB)[:-1] * np.diag(CB)[1:]), atol=1e-10)
    np.testing.assert_allclose(exact.kurtosis, 3.0, atol=1e-9)  # Gaussian block sums
    np.testing.assert_allclose(exact.mean, 0.0, atol=1e-12)


def test_chain_block_sums_sites_project_back_onto_the_chain_and_converge_in_the_grid():
    theta, K = (0.5, 0.1), 0.3
    sites = continuous.chain_block_sums(theta, K, 9, 1)
    sd = np.sqrt(sites.var)
    t = [sites.var.sum(), (sites.kurtosis * sites.var**2).sum(), (sites.corr * sd[:-1] * sd[1:]).sum()]
    proj = continuous.project_phi4_chain_stats(t, 9)  # a different grid: [-8, 8], 321 points
    assert (proj.theta_2, proj.theta_4, proj.K) == pytest.approx((0.5, 0.1, 0.3), abs=1e-6)
    coarse = continuous.chain_block_sums(theta, K, 27, 3)
    fine = continuous.chain_block_sums(theta, K, 27, 3, half_width=7.0, n_grid=401)
    np.testing.assert_allclose(coarse.kurtosis, fine.kurtosis, atol=1e-10)
    np.testing.assert_allclose(coarse.corr, fine.corr, atol=1e-10)
    with pytest.raises(ValueError, match="b must divide N"):
        continuous.chain_block_sums(theta, K, 10, 3)


def test_chain_block_sums_against_the_sampler_within_sampling_error():
    theta, K, N, b = (0.5, 0.1), 0.3, 27, 3
    exact = continuous.chain_block_sums(theta, K, N, b)
    x = _phi4_chain(theta, K, N, 40_000, rng=np.random.default_rng(7), n_grid=1600)
    B = x.reshape(len(x), -1, b).sum(axis=2)
    z = (B - B.mean(0)) / B.std(0)
    k4 = ((z**4).mean(0) - 3).mean()  # mean excess kurtosis over the 9 blocks
    se = np.sqrt(24 / len(x) / (N // b))  # Gaussian-level standard error, the blocks nearly independent
    assert abs(k4 - exact.excess) < 4 * se
    corr = (z[:, :-1] * z[:, 1:]).mean(0).mean()
    assert abs(corr - exact.corr.mean()) < 4 / np.sqrt(len(x) * (N // b - 1))
    np.testing.assert_allclose(B.var(0).mean(), exact.var.mean(), rtol=4 * np.sqrt(2 / len(x) / (N // b)) * 2)
    # the chapter's projections of the exact law (issue numbers at N = 27, b = 3)
    assert exact.theta_4 == pytest.approx(0.01614, abs=5e-5)
    assert exact.excess == pytest.approx(-0.264, abs=5e-4)
    assert exact.chain_projection().K == pytest.approx(0.0742, abs=5e-5)
