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

__all__ = ["FAMILIES", "cumulants", "sample", "sample_cumulants", "cumulants_from_pmf", "block_sum_pmf"]

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
