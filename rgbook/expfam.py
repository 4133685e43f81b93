r"""Exponential-family data of Paper II: exact cumulants and sampling.

First part of the module (the families named in the seeds plus Gamma): closed-form cumulants
:math:`\kappa_1..\kappa_4` and exact samplers, used to test the block-sum RG recursion
:math:`\kappa_n' = b^{1-n\zeta}\kappa_n` of :func:`rgbook.rg.block_sum_cumulants`.

=========  ==============  ===========================================================
family     parameters      cumulants
=========  ==============  ===========================================================
gaussian   mu, var         :math:`(\mu, \sigma^2, 0, 0)`
poisson    lam             :math:`(\lambda, \lambda, \lambda, \lambda)`
bernoulli  p               :math:`(p,\ pq,\ pq(1-2p),\ pq(1-6pq))`, :math:`q = 1-p`
gamma      k, theta        :math:`\kappa_n = (n-1)!\,k\,\theta^n`
=========  ==============  ===========================================================
"""

from __future__ import annotations

import numpy as np

from ._validate import as_generator, as_int, as_real

__all__ = ["FAMILIES", "cumulants", "sample", "sample_cumulants", "cumulants_from_pmf", "block_sum_pmf",
           "even_poly_density", "grid_even_moments", "project_even_poly", "project_even_poly_moments",
           "block_sum_even_poly"]

FAMILIES = ("gaussian", "poisson", "bernoulli", "gamma")


def _params(family: str, params: dict) -> dict:
    if not isinstance(family, str) or family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}, got {family!r}")
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    spec = {"gaussian": {"mu": None, "var": 0.0}, "poisson": {"lam": 0.0}, "bernoulli": {"p": 0.0},
            "gamma": {"k": 0.0, "theta": 0.0}}[family]
    if set(params) != set(spec):
        raise ValueError(f"{family} needs parameters {sorted(spec)}, got {sorted(params)}")
    out = {name: as_real(name, params[name], minimum=lo, strict_minimum=lo is not None) for name, lo in spec.items()}
    if family == "bernoulli" and out["p"] >= 1.0:
        raise ValueError(f"p must be < 1, got {out['p']}")
    return out


def cumulants(family: str, params: dict) -> np.ndarray:
    """Exact cumulants :math:`(\\kappa_1, \\kappa_2, \\kappa_3, \\kappa_4)` (table in the module docstring)."""
    p = _params(family, params)
    if family == "gaussian":
        return np.array([p["mu"], p["var"], 0.0, 0.0])
    if family == "poisson":
        return np.full(4, p["lam"])
    if family == "bernoulli":
        q = p["p"] * (1 - p["p"])
        return np.array([p["p"], q, q * (1 - 2 * p["p"]), q * (1 - 6 * q)])
    k, th = p["k"], p["theta"]
    return np.array([k * th, k * th**2, 2 * k * th**3, 6 * k * th**4])


def sample(family: str, params: dict, size, *, rng) -> np.ndarray:
    """Exact i.i.d. samples (numpy's generators) of shape ``size``."""
    p = _params(family, params)
    rng = as_generator("rng", rng)
    if family == "gaussian":
        return rng.normal(p["mu"], np.sqrt(p["var"]), size)
    if family == "poisson":
        return rng.poisson(p["lam"], size).astype(np.float64)
    if family == "bernoulli":
        return (rng.random(size) < p["p"]).astype(np.float64)
    return rng.gamma(p["k"], p["theta"], size)


def sample_cumulants(x) -> np.ndarray:
    """Unbiased estimates (k-statistics) of :math:`\\kappa_1..\\kappa_4` along the last axis."""
    x = np.asarray(x, dtype=np.float64)
    n = as_int("number of samples", x.shape[-1], minimum=4)
    mean = x.mean(axis=-1)
    c = x - mean[..., None]
    m2, m3, m4 = (c**2).mean(-1), (c**3).mean(-1), (c**4).mean(-1)
    k2 = n / (n - 1) * m2
    k3 = n**2 / ((n - 1) * (n - 2)) * m3
    k4 = n**2 * ((n + 1) * m4 - 3 * (n - 1) * m2**2) / ((n - 1) * (n - 2) * (n - 3))
    return np.stack([mean, k2, k3, k4], axis=-1)


def cumulants_from_pmf(values, pmf) -> np.ndarray:
    """Exact :math:`\\kappa_1..\\kappa_4` of a discrete distribution from its probability table."""
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(pmf, dtype=np.float64)
    if v.shape != w.shape or v.ndim != 1:
        raise ValueError("values and pmf must be 1-d arrays of equal length")
    if np.any(w < 0) or not np.isclose(w.sum(), 1.0, atol=1e-12):
        raise ValueError("pmf must be non-negative and sum to 1")
    mean = w @ v
    c = v - mean
    m2, m3, m4 = w @ c**2, w @ c**3, w @ c**4
    return np.array([mean, m2, m3, m4 - 3 * m2**2])


def block_sum_pmf(pmf, b: int) -> np.ndarray:
    """Probability table of the sum of ``b`` i.i.d. copies on 0, 1, 2, ... (repeated convolution)."""
    b = as_int("b", b, minimum=1)
    base = np.asarray(pmf, dtype=np.float64)
    out = np.array([1.0])
    for _ in range(b):
        out = np.convolve(out, base)
    return out


def _check_even_poly(theta) -> np.ndarray:
    theta = np.asarray(theta, dtype=np.float64)
    if theta.ndim != 1 or theta.size == 0:
        raise ValueError("theta must be a 1-d array (theta_1, ..., theta_m) of V(x) = sum_k theta_k x^(2k)")
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"theta must be finite, got {theta}")
    nonzero = np.flatnonzero(theta)
    if nonzero.size == 0 or theta[nonzero[-1]] <= 0:
        raise ValueError(f"the highest non-zero theta_k must be > 0 (else exp(-V) is not normalizable), got {theta}")
    return theta


def even_poly_density(theta, x) -> np.ndarray:
    r"""Normalized density :math:`p(x) \propto e^{-V(x)}`, :math:`V(x) = \sum_k \theta_k x^{2k}`, on a uniform grid ``x``."""
    theta = _check_even_poly(theta)
    x = np.asarray(x, dtype=np.float64)
    V = sum(t * x ** (2 * (k + 1)) for k, t in enumerate(theta))
    w = np.exp(-(V - V.min()))
    return w / (w.sum() * (x[1] - x[0]))


def project_even_poly(x, density, m: int = 2, theta0=None) -> np.ndarray:
    r"""KL (moment-matching) projection of a symmetric density on a grid onto the even-polynomial family.

    Minimizes :math:`\mathrm{KL}(p\,\|\,p_\theta)`, equivalently the convex
    :math:`A(\theta) + \sum_k \theta_k \E_p[x^{2k}]` with :math:`A = \ln\int e^{-V_\theta}`, whose
    stationarity condition is :math:`\E_\theta[x^{2k}] = \E_p[x^{2k}]`, :math:`k = 1..m`.
    """
    m = as_int("m", m, minimum=1, maximum=4)
    return project_even_poly_moments(grid_even_moments(x, density, m), x, theta0)


def grid_even_moments(x, density, m: int) -> np.ndarray:
    r"""Even moments :math:`\E[x^{2k}]`, ``k = 1..m``, of a density tabulated on a uniform grid."""
    x = np.asarray(x, dtype=np.float64)
    p = np.asarray(density, dtype=np.float64)
    return np.array([(x ** (2 * k)) @ p * (x[1] - x[0]) for k in range(1, m + 1)])


def project_even_poly_moments(target, x, theta0=None) -> np.ndarray:
    r"""The even-polynomial :math:`\theta` whose moments :math:`\E_\theta[x^{2k}]` equal ``target`` (k = 1..m).

    Same convex problem as :func:`project_even_poly`; the model is integrated on the grid ``x``.
    """
    from scipy.optimize import minimize
    from scipy.special import logsumexp

    target = np.asarray(target, dtype=np.float64)
    m = target.size
    x = np.asarray(x, dtype=np.float64)
    dx = x[1] - x[0]
    powers = np.stack([x ** (2 * k) for k in range(1, m + 1)])        # (m, n)

    def objective(theta):
        logw = -(theta @ powers)
        A = logsumexp(logw) + np.log(dx)
        q = np.exp(logw - logsumexp(logw))
        return A + theta @ target, target - powers @ q

    start = np.zeros(m) if theta0 is None else np.asarray(theta0, dtype=np.float64)
    if theta0 is None:
        start[0] = 0.5 / target[0]
    # theta_m >= 0 keeps exp(-V) normalizable on the real line; the Gaussian fixed point lies on
    # that boundary (theta_m = 0), so the bound is part of the family, not a numerical device.
    bounds = [(None, None)] * (m - 1) + [(0.0, None)]
    res = minimize(objective, start, jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"ftol": 1e-15, "gtol": 1e-11, "maxiter": 5000})
    return _check_even_poly(res.x)


def block_sum_even_poly(theta, b: int = 2, steps: int = 1, half_width: float = 8.0, n_grid: int = 4001) -> np.ndarray:
    r"""Block-sum RG of i.i.d. even-polynomial data, projected back onto the family after each step.

    One step: the density of :math:`x' = b^{-1/2}\sum_{i\le b} x_i` by ``b``-fold numerical
    convolution on a grid, then :func:`project_even_poly_moments` (the even moments of the
    convolved law, taken on its own grid, so no interpolation error enters).
    The variance is preserved exactly, so the Gaussian fixed point is
    :math:`(\theta_1^*, 0, \dots)` with :math:`\theta_1^* = 1/(2\,\mathrm{Var}\,x)`.
    Returns the parameters after each step, shape ``(steps + 1, m)``.
    """
    theta = _check_even_poly(theta)
    b = as_int("b", b, minimum=2)
    steps = as_int("steps", steps, minimum=0, maximum=50)
    x = np.linspace(-half_width, half_width, n_grid)
    dx = x[1] - x[0]
    out = [theta]
    for _ in range(steps):
        p = even_poly_density(out[-1], x)
        s = p.copy()
        for _ in range(b - 1):
            s = np.convolve(s, p) * dx                    # density of the sum on a grid b times wider
        xs = np.linspace(b * x[0], b * x[-1], s.size) / np.sqrt(b)   # grid of x' = sum / sqrt(b)
        w = s / s.sum()                                             # probabilities of the grid points
        moments = np.array([(xs ** (2 * k)) @ w for k in range(1, theta.size + 1)])
        out.append(project_even_poly_moments(moments, x, theta0=out[-1]))
    return np.array(out)
