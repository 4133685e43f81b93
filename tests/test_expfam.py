"""Exponential-family objects: each map against an independent route (quadrature, sums, enumeration)."""

import itertools

import numpy as np
import pytest
from scipy import integrate
from scipy.special import gammaln

from rgbook import expfam

CASES = [
    ("gaussian", [0.5, -0.25]),
    ("poisson", [0.3]),
    ("bernoulli", [-0.7]),
    ("gamma", [1.0, -0.5]),
    ("gamma", [-0.4, -2.0]),
    ("even_poly", [-0.5, -0.1]),
    ("even_poly", [0.4, -0.2]),
]


def _log_partition_by_integration(name, eta):
    """A(eta) = ln int h(x) e^{eta.T(x)} dx by scipy quadrature or explicit summation."""
    f = expfam.family(name)
    if name == "poisson":
        x = np.arange(200.0)
        return float(np.log(np.sum(np.exp(eta[0] * x - gammaln(x + 1)))))
    if name == "bernoulli":
        return float(np.log(1 + np.exp(eta[0])))
    lo = 0.0 if name == "gamma" else -np.inf
    val, _ = integrate.quad(lambda x: np.exp(f.sufficient(np.array([x]))[0] @ eta), lo, np.inf, epsabs=0, epsrel=1e-12)
    return float(np.log(val))


@pytest.mark.parametrize("name,eta", CASES)
def test_log_partition_against_quadrature(name, eta):
    assert expfam.family(name).log_partition(eta) == pytest.approx(_log_partition_by_integration(name, eta), abs=1e-8)


@pytest.mark.parametrize("name,eta", CASES)
def test_gradient_of_log_partition_is_mean_statistics(name, eta):
    f, eta = expfam.family(name), np.asarray(eta, float)
    grad = [(f.log_partition(eta + e) - f.log_partition(eta - e)) / 2e-5 for e in 1e-5 * np.eye(f.dim)]
    np.testing.assert_allclose(f.mean_statistics(eta), grad, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name,eta", CASES)
def test_projection_round_trip(name, eta):
    f = expfam.family(name)
    np.testing.assert_allclose(f.natural_from_means(f.mean_statistics(eta)), eta, atol=1e-7)


@pytest.mark.parametrize("name,eta", CASES)
def test_projection_from_samples_covers_truth(name, eta):
    # even-polynomial projections are convex solves by quadrature: a coarser grid (dx = 0.01) and
    # fewer bootstrap draws keep the test fast
    slow = name == "even_poly"
    f = expfam.family(name, n_grid=2001) if slow else expfam.family(name)
    x = f.sample(eta, 20_000, rng=np.random.default_rng(3))
    est, (lo, hi) = f.project_with_interval(x, rng=np.random.default_rng(4), n_boot=40 if slow else 100, level=0.95)
    se = (hi - lo) / 3.92  # bootstrap standard error from the 95 % interval
    assert np.all(np.abs(est - np.asarray(eta)) <= 4 * se), (est, lo, hi)  # false alarm ~1e-4 per entry


def test_even_poly_sampler_matches_density():
    from scipy.stats import kstest

    f = expfam.family("even_poly")
    theta = np.array([-0.5, 0.2])  # double well: V = -0.5 x^2 + 0.2 x^4
    x = f.sample(-theta, 50_000, rng=np.random.default_rng(5))
    grid = f.x
    cdf = np.cumsum(expfam.even_poly_density(theta, grid)) * (grid[1] - grid[0])
    assert kstest(x, lambda v: np.interp(v, grid, cdf)).pvalue > 1e-3


def test_bernoulli_chain_against_enumeration():
    n, eta, K = 5, -1.0, 2.0
    cfg = np.array(list(itertools.product([0, 1], repeat=n)), float)
    p = np.exp(eta * cfg.sum(1) + K * (cfg[:, :-1] * cfg[:, 1:]).sum(1))
    p /= p.sum()
    x = expfam.sample_chain(expfam.family("bernoulli"), [eta], K, n, 200_000, rng=np.random.default_rng(6))
    se = np.sqrt(p @ cfg * (1 - p @ cfg) / x.shape[0])
    assert np.all(np.abs(x.mean(0) - p @ cfg) < 5 * se)
    assert abs((x[:, 1] * x[:, 2]).mean() - p @ (cfg[:, 1] * cfg[:, 2])) < 0.005


def test_gaussian_chain_samples_and_grid_route_agree_with_inverse_precision():
    n, K = 6, 0.3
    P = np.eye(n) - K * (np.eye(n, k=1) + np.eye(n, k=-1))
    exact = np.linalg.inv(P)
    x = expfam.sample_chain(expfam.family("gaussian"), [0.0, -0.5], K, n, 200_000, rng=np.random.default_rng(7))
    assert np.abs(np.cov(x.T) - exact).max() < 0.02
    grid = expfam.sample_chain(expfam.family("even_poly", m=1), [-0.5], K, n, 30_000, rng=np.random.default_rng(8))
    assert np.abs(np.cov(grid.T) - exact).max() < 0.04  # sampling s.e. ~0.01


def _per_sample_table_chain(fam, eta, K, n_sites, size, rng, n_grid=800):
    """Forward filtering / backward sampling with one cumulative table per sample (the former, slow route)."""
    x, logw, h = expfam._chain_support(fam, np.asarray(eta, float), K, n_grid)
    alphas = [logw - logw.max()]
    for _ in range(n_sites - 1):
        a = alphas[-1][:, None] + K * np.outer(x, x)
        m = a.max(axis=0)
        nxt = m + np.log(np.exp(a - m).sum(axis=0)) + logw
        alphas.append(nxt - nxt.max())

    def draw(logp):
        c = np.cumsum(np.exp(logp - logp.max(axis=-1, keepdims=True)), axis=-1)
        u = rng.random(c.shape[:-1] + (1,)) * c[..., -1:]
        return np.minimum((c < u).sum(axis=-1), x.size - 1)

    out = np.empty((size, n_sites), dtype=np.int64)
    out[:, -1] = draw(np.broadcast_to(alphas[-1], (size, x.size)))
    for i in range(n_sites - 2, -1, -1):
        out[:, i] = draw(alphas[i][None, :] + K * np.outer(x[out[:, i + 1]], x))
    values = x[out]
    return values + h * (rng.random(values.shape) - 0.5) if h > 0 else values


@pytest.mark.parametrize(
    "name,eta,K,n_grid",
    [
        ("even_poly", [-0.5, -0.1], 0.3, 300),
        ("bernoulli", [-1.0], 0.5, 800),
        ("poisson", [0.2], -0.4, 800),
        ("gamma", [1.0, -1.0], -0.3, 200),
    ],
)
def test_chain_sampler_by_bisection_equals_per_sample_tables(name, eta, K, n_grid):
    """The shared-table bisection draws the same samples from the same random numbers as one table per sample."""
    fam = expfam.family(name)
    a = expfam.sample_chain(fam, eta, K, 6, 2000, rng=np.random.default_rng(7), n_grid=n_grid)
    b = _per_sample_table_chain(fam, eta, K, 6, 2000, np.random.default_rng(7), n_grid=n_grid)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "call",
    [
        lambda: expfam.sample_chain(expfam.family("poisson"), [0.0], 0.1, 4, 10, rng=0),
        lambda: expfam.sample_chain(expfam.family("gamma"), [0.0, -1.0], 0.5, 4, 10, rng=0),
        lambda: expfam.sample_chain(expfam.family("gaussian"), [0.0, -0.5], 1.0, 4, 10, rng=0),
        lambda: expfam.family("gaussian").log_partition([0.0, 0.1]),
        lambda: expfam.family("gamma").log_partition([-1.5, -1.0]),
        lambda: expfam.family("even_poly").log_partition([0.0, 0.1]),
        lambda: expfam.family("bernoulli").natural_from_means([1.0]),
        lambda: expfam.family("gamma").natural_from_means([1.0, 1.0]),
        lambda: expfam.family("student"),
        lambda: expfam.family("poisson").project([3.0]),
    ],
)
def test_bad_parameters_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_sample_chain_rejects_non_family():
    with pytest.raises(TypeError):
        expfam.sample_chain("gaussian", [0.0, -0.5], 0.1, 4, 10, rng=0)


def _brute_chain_cumulants(values, logh, eta, K, w):
    """Cumulants of u = w.x on the open chain by enumerating every configuration (support ``values``)."""
    X = np.array(list(itertools.product(values, repeat=len(w))), dtype=float)
    lp = (X * eta + logh(X)).sum(1) + K * (X[:, :-1] * X[:, 1:]).sum(1)
    p = np.exp(lp - lp.max())
    p /= p.sum()
    u = X @ w
    mu = p @ u
    c = u - mu
    m2, m3, m4 = p @ c**2, p @ c**3, p @ c**4
    return np.array([mu, m2, m3, m4 - 3 * m2**2])


@pytest.mark.parametrize("K", [0.5, -0.7, 0.0])
def test_chain_linear_cumulants_match_enumeration_bernoulli(K):
    rng = np.random.default_rng(3)
    W = rng.normal(size=(3, 8))
    got = expfam.chain_linear_cumulants(expfam.family("bernoulli"), [-1.0], K, W)
    want = np.array([_brute_chain_cumulants([0, 1], np.zeros_like, -1.0, K, w) for w in W])
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)
    one = expfam.chain_linear_cumulants(expfam.family("bernoulli"), [-1.0], K, W[0])
    np.testing.assert_allclose(one, want[0], rtol=1e-10, atol=1e-13)


def test_chain_linear_cumulants_match_enumeration_poisson():
    w = np.array([0.7, -0.2, 1.1])
    eta, K = np.log(0.4), -0.3
    # enumeration on 0..15 (the tail beyond is below 1e-16 at these rates)
    want = _brute_chain_cumulants(np.arange(16), lambda X: -gammaln(X + 1), eta, K, w)
    got = expfam.chain_linear_cumulants(expfam.family("poisson"), [eta], K, w)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_chain_linear_cumulants_iid_closed_form():
    """K = 0: cumulants add over independent sites, kappa_n(u) = sum_i w_i^n kappa_n(x)."""
    w = np.random.default_rng(4).normal(size=64)
    p = 1 / (1 + np.e)  # eta = -1
    kx = expfam.cumulants("bernoulli", {"p": p})
    got = expfam.chain_linear_cumulants(expfam.family("bernoulli"), [-1.0], 0.0, w)
    np.testing.assert_allclose(got, [np.sum(w**n) * kx[n - 1] for n in range(1, 5)], rtol=1e-11)
    lam = 2.0
    got = expfam.chain_linear_cumulants(expfam.family("poisson"), [np.log(lam)], 0.0, w)
    np.testing.assert_allclose(got, [lam * np.sum(w**n) for n in range(1, 5)], rtol=1e-9)


def test_chain_linear_cumulants_errors_name_their_argument():
    with pytest.raises(ValueError, match="fam must be a discrete family"):
        expfam.chain_linear_cumulants(expfam.family("gamma"), [1.0, -1.0], 0.0, np.ones(3))
    with pytest.raises(ValueError, match="K must be <= 0"):
        expfam.chain_linear_cumulants(expfam.family("poisson"), [0.0], 0.1, np.ones(3))
    with pytest.raises(ValueError, match="w must have shape"):
        expfam.chain_linear_cumulants(expfam.family("bernoulli"), [0.0], 0.1, np.ones((2, 2, 2)))
