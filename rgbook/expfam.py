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
from scipy.optimize import minimize
from scipy.special import digamma, expit, gammaln, polygamma
from scipy.stats import poisson

from ._numeric import logsumexp
from ._validate import as_generator, as_int, as_real, as_real_array, as_shape

__all__ = [
    "FAMILIES",
    "FAMILY_NAMES",
    "Family",
    "Gaussian",
    "Poisson",
    "Bernoulli",
    "Gamma",
    "EvenPoly",
    "family",
    "sample_chain",
    "chain_linear_cumulants",
    "cumulants",
    "sample",
    "sample_cumulants",
    "cumulants_from_pmf",
    "block_sum_pmf",
    "even_poly_density",
    "grid_even_moments",
    "project_even_poly",
    "project_even_poly_moments",
    "check_even_poly",
]

FAMILIES = ("gaussian", "poisson", "bernoulli", "gamma")

#: Most values one call of a sampler may return (8e8 bytes as float64).
MAX_SAMPLES = 10**8
#: Most multiply-adds :func:`block_sum_pmf` may spend (about b^2 len(pmf)^2 / 2; a few seconds).
MAX_CONVOLUTION_WORK = 2 * 10**9
#: Most points of a grid passed to the grid functions.
MAX_GRID = 10**7


def _check_size(size) -> None:
    """``size`` of a sampler: None (one value) or an output shape with at most :data:`MAX_SAMPLES` values."""
    if size is not None:
        as_shape("size", size, max_size=MAX_SAMPLES)


def _check_grid(name: str, x) -> np.ndarray:
    """A uniform, increasing grid of at least 2 finite points, as float64."""
    x = as_real_array(name, x)
    if x.ndim != 1 or not 2 <= x.size <= MAX_GRID:
        raise ValueError(f"{name} must be a 1-d grid of 2 to {MAX_GRID:g} points, got shape {x.shape}")
    dx = np.diff(x)
    if not np.all(dx > 0) or not np.allclose(dx, dx[0], rtol=1e-6, atol=0.0):
        raise ValueError(f"{name} must be a uniform, increasing grid (equal spacings)")
    return x


def _check_density(name: str, density, x: np.ndarray) -> np.ndarray:
    """A non-negative finite density tabulated on the grid ``x``."""
    p = as_real_array(name, density, minimum=0.0)
    if p.shape != x.shape:
        raise ValueError(f"{name} must have the shape of the grid x, {x.shape}, got {p.shape}")
    return p


def _params(family: str, params: dict) -> dict:
    if not isinstance(family, str) or family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}, got {family!r}")
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    spec = {
        "gaussian": {"mu": None, "var": 0.0},
        "poisson": {"lam": 0.0},
        "bernoulli": {"p": 0.0},
        "gamma": {"k": 0.0, "theta": 0.0},
    }[family]
    if set(params) != set(spec):
        raise ValueError(f"params: {family} needs parameters {sorted(spec)}, got {sorted(params)}")
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
    try:
        out = np.array([k * th, k * th**2, 2 * k * th**3, 6 * k * th**4])
    except OverflowError:  # th**n of a Python float
        out = np.array([np.inf])
    if not np.all(np.isfinite(out)):
        raise ValueError(
            f"k and theta must keep the cumulants k theta^n (n - 1)! within float64, got k={k}, theta={th}"
        )
    return out


def sample(family: str, params: dict, size, *, rng) -> np.ndarray:
    """Exact i.i.d. samples (numpy's generators) of shape ``size``."""
    p = _params(family, params)
    _check_size(size)
    rng = as_generator("rng", rng)
    if family == "gaussian":
        return rng.normal(p["mu"], np.sqrt(p["var"]), size)
    if family == "poisson":
        return rng.poisson(p["lam"], size).astype(np.float64)
    if family == "bernoulli":
        return (rng.random(size) < p["p"]).astype(np.float64)
    return rng.gamma(p["k"], p["theta"], size)


def sample_cumulants(x) -> np.ndarray:
    """Unbiased estimates (k-statistics) of :math:`\\kappa_1..\\kappa_4` along the last axis (at least 4 samples)."""
    x = as_real_array("x", x)
    if x.ndim == 0 or x.shape[-1] < 4:
        raise ValueError(f"x must have at least 4 samples along its last axis, got shape {x.shape}")
    if np.max(np.abs(x)) > 1e60:
        raise ValueError(
            f"|x| must be <= 1e60 (fourth powers of larger samples overflow float64), got {np.max(np.abs(x))}"
        )
    n = x.shape[-1]
    mean = x.mean(axis=-1)
    c = x - mean[..., None]
    m2, m3, m4 = (c**2).mean(-1), (c**3).mean(-1), (c**4).mean(-1)
    k2 = n / (n - 1) * m2
    k3 = n**2 / ((n - 1) * (n - 2)) * m3
    k4 = n**2 * ((n + 1) * m4 - 3 * (n - 1) * m2**2) / ((n - 1) * (n - 2) * (n - 3))
    return np.stack([mean, k2, k3, k4], axis=-1)


def cumulants_from_pmf(values, pmf) -> np.ndarray:
    """Exact :math:`\\kappa_1..\\kappa_4` of a discrete distribution from its probability table."""
    v = as_real_array("values", values)
    w = as_real_array("pmf", pmf)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"values must be a non-empty 1-d array, got shape {v.shape}")
    if w.shape != v.shape:
        raise ValueError(f"pmf must have the shape of values, {v.shape}, got {w.shape}")
    if np.any(w < 0) or not np.isclose(w.sum(), 1.0, atol=1e-12):
        raise ValueError("pmf must be non-negative and sum to 1")
    mean = w @ v
    c = v - mean
    m2, m3, m4 = w @ c**2, w @ c**3, w @ c**4
    return np.array([mean, m2, m3, m4 - 3 * m2**2])


def block_sum_pmf(pmf, b: int) -> np.ndarray:
    """Probability table of the sum of ``b`` i.i.d. copies on 0, 1, 2, ... (repeated convolution).

    ``pmf`` is a non-negative table on 0, 1, ..., len(pmf) - 1 with total at most 1 (a truncated
    tail may be missing). The ``b``-fold convolution costs about :math:`b^2 n^2/2` operations
    (:math:`n` = ``len(pmf)``); ``b`` is refused where that exceeds :data:`MAX_CONVOLUTION_WORK`.
    """
    base = as_real_array("pmf", pmf, minimum=0.0)
    if base.ndim != 1 or base.size == 0:
        raise ValueError(f"pmf must be a non-empty 1-d probability table, got shape {base.shape}")
    if not 0.0 < base.sum() <= 1.0 + 1e-9:
        raise ValueError(f"pmf must have a total in (0, 1], got {base.sum()}")
    b = as_int("b", b, minimum=1)
    n = base.size
    if b * b * n * n // 2 > MAX_CONVOLUTION_WORK:
        b_max = max(1, int(np.sqrt(2 * MAX_CONVOLUTION_WORK) / n))
        raise ValueError(
            f"b must be <= {b_max} for a pmf of {n} entries (the {b}-fold convolution would cost about "
            f"b^2 n^2 / 2 = {b * b * n * n / 2:.2g} operations, more than {MAX_CONVOLUTION_WORK:.0e})"
        )
    out = np.array([1.0])
    for _ in range(b):
        out = np.convolve(out, base)
    return out


def check_even_poly(theta) -> np.ndarray:
    """``theta`` of :math:`V(x) = \\sum_k \\theta_k x^{2k}` as float64, checked: 1-d, finite, highest non-zero > 0."""
    theta = as_real_array("theta", theta)
    if theta.ndim != 1 or theta.size == 0:
        raise ValueError("theta must be a 1-d array (theta_1, ..., theta_m) of V(x) = sum_k theta_k x^(2k)")
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"theta must be finite, got {theta}")
    nonzero = np.flatnonzero(theta)
    if nonzero.size == 0 or theta[nonzero[-1]] <= 0:
        raise ValueError(f"the highest non-zero theta_k must be > 0 (else exp(-V) is not normalizable), got {theta}")
    return theta


def even_poly_density(theta, x) -> np.ndarray:
    r"""Normalized density :math:`p(x) \propto e^{-V(x)}`, :math:`V(x) = \sum_k \theta_k x^{2k}`, on a uniform grid
    ``x``.
    """
    theta = check_even_poly(theta)
    x = _check_grid("x", x)
    V = sum(t * x ** (2 * (k + 1)) for k, t in enumerate(theta))
    if not np.all(np.isfinite(V)):
        raise ValueError("theta and x must keep V(x) = sum_k theta_k x^(2k) within float64 on the grid")
    w = np.exp(-(V - V.min()))
    return w / (w.sum() * (x[1] - x[0]))


def project_even_poly(x, density, m: int = 2, theta0=None) -> np.ndarray:
    r"""KL (moment-matching) projection of a symmetric density on a grid onto the even-polynomial family.

    Minimizes :math:`\mathrm{KL}(p\,\|\,p_\theta)`, equivalently the convex
    :math:`A(\theta) + \sum_k \theta_k \E_p[x^{2k}]` with :math:`A = \ln\int e^{-V_\theta}`, whose
    stationarity condition is :math:`\E_\theta[x^{2k}] = \E_p[x^{2k}]`, :math:`k = 1..m`.
    """
    m = as_int("m", m, minimum=1, maximum=4)
    if theta0 is not None:
        _check_theta0(theta0, m)
    return project_even_poly_moments(grid_even_moments(x, density, m), x, theta0)


def _check_theta0(theta0, m: int) -> None:
    t0 = as_real_array("theta0", theta0)
    if t0.shape != (m,):
        raise ValueError(f"theta0 must have shape ({m},) (one coefficient per moment), got {t0.shape}")


def grid_even_moments(x, density, m: int) -> np.ndarray:
    r"""Even moments :math:`\E[x^{2k}]`, ``k = 1..m``, of a density tabulated on a uniform grid."""
    x = _check_grid("x", x)
    p = _check_density("density", density, x)
    m = as_int("m", m, minimum=1, maximum=50)
    return np.array([(x ** (2 * k)) @ p * (x[1] - x[0]) for k in range(1, m + 1)])


def project_even_poly_moments(target, x, theta0=None) -> np.ndarray:
    r"""The even-polynomial :math:`\theta` whose moments :math:`\E_\theta[x^{2k}]` equal ``target`` (k = 1..m).

    Same convex problem as :func:`project_even_poly`; the model is integrated on the grid ``x``.

    **Boundary.** The family is closed by :math:`\theta_m \ge 0`. Targets outside the family's
    moment range have no moment-matching solution with :math:`\theta_m > 0`; the KL projection is
    then the boundary point :math:`\theta_m = 0` that matches the lower moments. For ``m = 2``
    the family :math:`\theta_1x^2 + \theta_2x^4` (:math:`\theta_2 > 0`) has excess kurtosis in
    :math:`(-2, 0)`, so a target with :math:`\E x^4 \ge 3(\E x^2)^2` (Poisson, Gamma data)
    returns the Gaussian :math:`(1/(2\E x^2), 0)`. For ``m >= 3`` a boundary point whose remaining
    top coefficient is not positive is no normalizable law and raises ``ValueError``.

    Raises ``ValueError`` unless ``target`` are the even moments of some density: with
    :math:`s_k = \E x^{2k}` (:math:`s_0 = 1`), the Hankel matrices :math:`[s_{i+j}]` and
    :math:`[s_{i+j+1}]` must be positive definite (the moments of :math:`u = x^2 \ge 0`); for
    ``m = 2`` that is :math:`\E x^4 > (\E x^2)^2`, for ``m = 3`` also
    :math:`\E x^2\,\E x^6 > (\E x^4)^2`. Without that the solver returns meaningless numbers.
    """

    target = as_real_array("target", target)
    if target.ndim != 1 or target.size == 0 or not np.all(np.isfinite(target)) or not np.all(target > 0):
        raise ValueError(f"target must be a 1-d array of finite, positive even moments E x^2, E x^4, ...; got {target}")
    s = np.concatenate([[1.0], target])
    for shift in (0, 1):  # Hankel matrices [s_(i+j)] and [s_(i+j+1)]
        n = (target.size - shift) // 2 + 1
        hankel = np.array([[s[i + j + shift] for j in range(n)] for i in range(n)])
        try:
            np.linalg.cholesky(hankel)
        except np.linalg.LinAlgError:
            raise ValueError(
                f"target must be the even moments of a density (Hankel matrices of (1, E x^2, E x^4, ...) positive "
                f"definite; for m = 2: E x^4 > (E x^2)^2, for m = 3 also E x^2 E x^6 > (E x^4)^2); got {target}"
            ) from None
    m = target.size
    x = _check_grid("x", x)
    if theta0 is not None:
        _check_theta0(theta0, m)
    dx = x[1] - x[0]
    powers = np.stack([x ** (2 * k) for k in range(1, m + 1)])  # (m, n)

    def objective(theta):
        logw = -(theta @ powers)
        lse = logsumexp(logw)
        A = lse + np.log(dx)
        q = np.exp(logw - lse)
        return A + theta @ target, target - powers @ q

    start = np.zeros(m) if theta0 is None else np.asarray(theta0, dtype=np.float64)
    if theta0 is None:
        start[0] = 0.5 / target[0]
    # theta_m >= 0 keeps exp(-V) normalizable on the real line; the Gaussian fixed point lies on
    # that boundary (theta_m = 0), so the bound is part of the family, not a numerical device.
    bounds = [(None, None)] * (m - 1) + [(0.0, None)]
    res = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"ftol": 1e-15, "gtol": 1e-11, "maxiter": 5000},
    )
    try:
        return check_even_poly(res.x)
    except ValueError:
        pass
    # on the boundary theta_m = 0 the solver can leave round-off of either sign in the coefficients
    # above the last positive one (e.g. Gaussian moments with m = 4): drop them, else refuse
    theta = np.where(np.abs(res.x) <= 1e-12 * np.max(np.abs(res.x)), 0.0, res.x)
    try:
        return check_even_poly(theta)
    except ValueError:
        raise ValueError(
            f"target {target} lies outside the moment range of the even-polynomial family of degree "
            f"{2 * m} on the grid x: its KL projection is on the boundary theta_{m} = 0 at {res.x}, which "
            "is not a normalizable law; project onto a smaller family (fewer moments)"
        ) from None


# ------------------------------------------------------------------------------------------
# Families as objects: natural parameters, sufficient statistics, log-partition, projection
# ------------------------------------------------------------------------------------------
#
# p(x | eta) = h(x) exp(eta . T(x) - A(eta)), with grad A(eta) = E_eta[T(x)]. The KL projection
# of any law q onto the family, argmin_eta KL(q || p_eta), solves grad A(eta) = E_q[T(x)]
# (moment matching); from samples E_q is the sample mean of T, which is the maximum-likelihood
# estimate. Each family below implements that inverse map in closed form or by a convex solve.


class Family:
    """Base class of an exponential family :math:`h(x)\\,e^{\\eta\\cdot T(x) - A(\\eta)}` (subclasses fill it in)."""

    name: str = ""
    dim: int = 1

    def check_natural(self, eta) -> np.ndarray:
        """``eta`` as a float array of shape ``(dim,)``; raises ``ValueError`` outside the natural domain."""
        try:
            eta = np.atleast_1d(np.asarray(eta, dtype=np.float64))
        except (TypeError, ValueError) as err:
            raise TypeError(f"{self.name}: eta must be an array of {self.dim} real numbers, got {eta!r}") from err
        if eta.shape != (self.dim,):
            raise ValueError(f"{self.name}: eta must have shape ({self.dim},), got {eta.shape}")
        if not np.all(np.isfinite(eta)):
            raise ValueError(f"{self.name}: eta must be finite, got {eta}")
        return eta

    def check_means(self, t) -> np.ndarray:
        """Mean statistics ``t`` as a float array of shape ``(dim,)`` (finite); TypeError/ValueError naming ``t``."""
        t = np.atleast_1d(as_real_array("t", t))
        if t.shape != (self.dim,):
            raise ValueError(f"{self.name}: t must have shape ({self.dim},) (one mean per statistic), got {t.shape}")
        return t

    def sufficient(self, x) -> np.ndarray:
        """Sufficient statistics :math:`T(x)`, shape ``x.shape + (dim,)``; here :math:`T(x) = x` (Poisson,
        Bernoulli).
        """
        return np.asarray(x, dtype=np.float64)[..., None]

    def log_partition(self, eta) -> float:
        r""":math:`A(\eta) = \ln\int h(x)\,e^{\eta\cdot T(x)}\,dx`."""
        raise NotImplementedError

    def mean_statistics(self, eta) -> np.ndarray:
        r""":math:`\nabla A(\eta) = \E_\eta[T(x)]`."""
        raise NotImplementedError

    def natural_from_means(self, t) -> np.ndarray:
        r"""Inverse of :meth:`mean_statistics`: the :math:`\eta` with :math:`\E_\eta T = t` (the KL projection)."""
        raise NotImplementedError

    def sample(self, eta, size, *, rng) -> np.ndarray:
        """Exact i.i.d. samples of shape ``size``."""
        raise NotImplementedError

    def project(self, x) -> np.ndarray:
        r"""KL projection of the empirical law of ``x`` onto the family (maximum likelihood):
        :math:`\eta` with :math:`\nabla A(\eta) = \overline{T(x)}`."""
        x = as_real_array("x", x).ravel()
        if x.size < 2:
            raise ValueError(f"{self.name}: x must hold at least 2 samples to project, got {x.size}")
        means = self.sufficient(x).mean(axis=0)
        try:
            return self.natural_from_means(means)
        except ValueError as err:
            raise ValueError(f"{self.name}: the samples x have no projection onto the family ({err})") from None

    def project_with_interval(self, x, *, n_boot: int = 200, rng, level: float = 0.95):
        """:meth:`project` and a percentile bootstrap interval, shapes ``(dim,)``, ``(2, dim)``."""
        x = as_real_array("x", x).ravel()
        if x.size < 2:
            raise ValueError(f"{self.name}: x must hold at least 2 samples to project, got {x.size}")
        rng = as_generator("rng", rng)
        n_boot = as_int("n_boot", n_boot, minimum=20, maximum=100_000)
        level = as_real("level", level, minimum=0.5, maximum=0.999)
        T = self.sufficient(x)
        try:
            boots = np.array(
                [self.natural_from_means(T[rng.integers(0, x.size, x.size)].mean(axis=0)) for _ in range(n_boot)]
            )
        except ValueError as err:
            raise ValueError(
                f"{self.name}: the samples x or a bootstrap resample of them have no projection onto the family ({err})"
            ) from None
        a = (1 - level) / 2
        return self.natural_from_means(T.mean(axis=0)), np.quantile(boots, [a, 1 - a], axis=0)


class Gaussian(Family):
    r"""Gaussian: :math:`T = (x, x^2)`, :math:`\eta = (\mu/\sigma^2, -1/(2\sigma^2))`, :math:`h = 1`,
    :math:`A = -\eta_1^2/(4\eta_2) + \tfrac12\ln(\pi/(-\eta_2))`."""

    name, dim = "gaussian", 2

    def check_natural(self, eta):
        eta = super().check_natural(eta)
        if eta[1] >= 0:
            raise ValueError(f"gaussian: eta_2 = -1/(2 var) must be < 0, got {eta[1]}")
        return eta

    @staticmethod
    def natural(mu: float, var: float) -> np.ndarray:
        var = as_real("var", var, minimum=0.0, strict_minimum=True)
        return np.array([as_real("mu", mu) / var, -0.5 / var])

    def sufficient(self, x):
        x = np.asarray(x, dtype=np.float64)
        return np.stack([x, x**2], axis=-1)

    def log_partition(self, eta):
        e1, e2 = self.check_natural(eta)
        return float(-(e1**2) / (4 * e2) + 0.5 * np.log(np.pi / -e2))

    def mean_statistics(self, eta):
        e1, e2 = self.check_natural(eta)
        mu, var = -e1 / (2 * e2), -0.5 / e2
        return np.array([mu, var + mu**2])

    def natural_from_means(self, t):
        t = self.check_means(t)
        var = t[1] - t[0] ** 2
        if not var > 0:
            raise ValueError(f"gaussian: t = (E x, E x^2) must have E x^2 - (E x)^2 > 0, got {var}")
        return self.natural(t[0], var)

    def sample(self, eta, size, *, rng):
        mu, second = self.mean_statistics(eta)
        _check_size(size)
        return as_generator("rng", rng).normal(mu, np.sqrt(second - mu**2), size)


class Poisson(Family):
    r"""Poisson: :math:`T = x`, :math:`\eta = \ln\lambda`, :math:`h = 1/x!`, :math:`A = e^\eta`."""

    name, dim = "poisson", 1

    def log_partition(self, eta):
        return float(np.exp(self.check_natural(eta)[0]))

    def mean_statistics(self, eta):
        return np.exp(self.check_natural(eta))

    def natural_from_means(self, t):
        t = self.check_means(t)
        if not t[0] > 0:
            raise ValueError(f"poisson: t = (E x,) must be > 0 to project, got {t[0]}")
        return np.log(t)

    def sample(self, eta, size, *, rng):
        _check_size(size)
        return as_generator("rng", rng).poisson(self.mean_statistics(eta)[0], size).astype(np.float64)


class Bernoulli(Family):
    r"""Bernoulli on {0, 1}: :math:`T = x`, :math:`\eta = \ln(p/(1-p))`, :math:`A = \ln(1 + e^\eta)`."""

    name, dim = "bernoulli", 1

    def log_partition(self, eta):
        return float(np.logaddexp(0.0, self.check_natural(eta)[0]))

    def mean_statistics(self, eta):

        return expit(self.check_natural(eta))

    def natural_from_means(self, t):
        t = self.check_means(t)
        if not 0 < t[0] < 1:
            raise ValueError(f"bernoulli: t = (E x,) must lie in (0, 1) to project, got {t[0]}")
        return np.log(t) - np.log1p(-t)

    def sample(self, eta, size, *, rng):
        _check_size(size)
        return (as_generator("rng", rng).random(size) < self.mean_statistics(eta)[0]).astype(np.float64)


class Gamma(Family):
    r"""Gamma on :math:`x > 0`: :math:`T = (\ln x, x)`, :math:`\eta = (k - 1, -1/\theta)`, :math:`h = 1`,
    :math:`A = \ln\Gamma(\eta_1 + 1) - (\eta_1 + 1)\ln(-\eta_2)`,
    :math:`\nabla A = (\psi(k) + \ln\theta,\ k\theta)`."""

    name, dim = "gamma", 2

    def check_natural(self, eta):
        eta = super().check_natural(eta)
        if eta[0] <= -1 or eta[1] >= 0:
            raise ValueError(f"gamma: need eta_1 = k - 1 > -1 and eta_2 = -1/theta < 0, got {eta}")
        return eta

    @staticmethod
    def natural(k: float, theta: float) -> np.ndarray:
        k = as_real("k", k, minimum=0.0, strict_minimum=True)
        theta = as_real("theta", theta, minimum=0.0, strict_minimum=True)
        return np.array([k - 1.0, -1.0 / theta])

    def sufficient(self, x):
        x = np.asarray(x, dtype=np.float64)
        if np.any(x <= 0):
            raise ValueError("gamma: samples x must be > 0")
        return np.stack([np.log(x), x], axis=-1)

    def log_partition(self, eta):

        e1, e2 = self.check_natural(eta)
        return float(gammaln(e1 + 1) - (e1 + 1) * np.log(-e2))

    def mean_statistics(self, eta):

        e1, e2 = self.check_natural(eta)
        k, theta = e1 + 1, -1 / e2
        return np.array([digamma(k) + np.log(theta), k * theta])

    def natural_from_means(self, t):
        r"""Solve :math:`\ln k - \psi(k) = \ln\E x - \E\ln x` by Newton (the left side is decreasing, convex)."""

        t = self.check_means(t)
        s = np.log(t[1]) - t[0] if t[1] > 0 else -1.0
        if not s > 0:
            raise ValueError(
                f"gamma: t = (E ln x, E x) must have ln E x > E ln x (Jensen gap > 0) to project, got gap {s}"
            )
        k = (3 - s + np.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s)  # Minka's starting point
        for _ in range(100):
            f, fp = np.log(k) - digamma(k) - s, 1 / k - polygamma(1, k)
            k_new = k - f / fp
            k = k_new if k_new > 0 else k / 2
            if abs(f) < 1e-14 * max(1.0, s):
                break
        return self.natural(k, t[1] / k)

    def sample(self, eta, size, *, rng):
        e1, e2 = self.check_natural(eta)
        _check_size(size)
        return as_generator("rng", rng).gamma(e1 + 1, -1 / e2, size)


class EvenPoly(Family):
    r"""Even polynomial: :math:`T = (x^2, \dots, x^{2m})`, :math:`\eta = -\theta`,
    :math:`p \propto e^{-V}`, :math:`V = \sum_k \theta_k x^{2k}` (highest non-zero :math:`\theta_k > 0`).

    :math:`A` and its gradient by quadrature on a uniform grid of ``n_grid`` points on
    :math:`[-L, L]`; exact samples by rejection from a Gaussian envelope whose bound is found
    from the real roots of a polynomial (no grid enters the sampler).
    """

    name = "even_poly"

    def __init__(self, m: int = 2, half_width: float = 10.0, n_grid: int = 8001):
        self.dim = as_int("m", m, minimum=1, maximum=4)
        # x^(2m) on the grid must stay finite: |x| <= 1e30 keeps x^8 far below float64's 1e308
        half_width = as_real("half_width", half_width, minimum=1.0, maximum=1e30)
        self.x = np.linspace(-half_width, half_width, as_int("n_grid", n_grid, minimum=201, maximum=MAX_GRID))

    def check_natural(self, eta):
        eta = super().check_natural(eta)
        try:
            check_even_poly(-eta)
        except ValueError as err:
            raise ValueError(f"even_poly: eta = -theta must have its highest non-zero eta_k < 0 ({err})") from None
        with np.errstate(over="ignore"):
            V_edge = np.sum(np.abs(eta) * self.x[-1] ** (2.0 * np.arange(1, self.dim + 1)))
        if not np.isfinite(V_edge):
            raise ValueError(
                f"even_poly: eta must keep V(x) = -eta . (x^2, ..., x^(2m)) within float64 on the grid "
                f"|x| <= {self.x[-1]}, got {eta}"
            )
        return eta

    def sufficient(self, x):
        x = np.asarray(x, dtype=np.float64)
        return np.stack([x ** (2 * k) for k in range(1, self.dim + 1)], axis=-1)

    def log_partition(self, eta):

        eta = self.check_natural(eta)
        return float(logsumexp(self.sufficient(self.x) @ eta) + np.log(self.x[1] - self.x[0]))

    def mean_statistics(self, eta):
        return grid_even_moments(self.x, even_poly_density(-self.check_natural(eta), self.x), self.dim)

    def natural_from_means(self, t):
        t = self.check_means(t)
        if not np.all(t > 0):
            raise ValueError(f"even_poly: t must be {self.dim} positive even moments, got {t}")
        try:
            return -project_even_poly_moments(t, self.x)
        except ValueError as err:
            raise ValueError(f"even_poly: t = {t} has no projection onto the family ({err})") from None

    def sample(self, eta, size, *, rng):
        r"""Rejection from :math:`N(0, s^2)`, :math:`s^2 = \E x^2`: accept with
        :math:`e^{-g(x^2) + g_{\min}}`, :math:`g(u) = \sum_k\theta_k u^k - u/(2s^2)`, whose minimum
        over :math:`u\ge0` is at 0 or a real root of :math:`g'`."""
        theta = -self.check_natural(eta)
        if size is None:
            raise TypeError("even_poly: size must be an integer or a tuple of integers, got None")
        _check_size(size)
        rng = as_generator("rng", rng)
        s2 = float(self.mean_statistics(eta)[0])
        coeffs = np.concatenate([[0.0], theta])  # g(u), coefficients from u^0 upward
        coeffs[1] -= 0.5 / s2
        roots = np.roots(np.polynomial.polynomial.polyder(coeffs)[::-1])
        crit = [r.real for r in roots if abs(r.imag) < 1e-12 and r.real > 0]
        g_min = min(np.polynomial.polynomial.polyval(u, coeffs) for u in [0.0, *crit])
        n = int(np.prod(size))
        out = np.empty(0)
        while out.size < n:
            y = rng.normal(0.0, np.sqrt(s2), 2 * (n - out.size) + 16)
            accept = rng.random(y.size) < np.exp(-(np.polynomial.polynomial.polyval(y**2, coeffs) - g_min))
            out = np.concatenate([out, y[accept]])
        return out[:n].reshape(size)


def family(name: str, **options) -> Family:
    """The family object named ``name`` (one of ``FAMILY_NAMES``); ``options`` go to :class:`EvenPoly`."""
    classes = {"gaussian": Gaussian, "poisson": Poisson, "bernoulli": Bernoulli, "gamma": Gamma, "even_poly": EvenPoly}
    if not isinstance(name, str):
        raise TypeError(f"family must be a string, one of {sorted(classes)}, got {type(name).__name__}")
    if name not in classes:
        raise ValueError(f"family must be one of {sorted(classes)}, got {name!r}")
    if options and name != "even_poly":
        raise TypeError(
            f"family {name!r} takes no options (m, half_width, n_grid are options of 'even_poly'), "
            f"got {', '.join(sorted(options))}"
        )
    if name == "even_poly" and set(options) - {"m", "half_width", "n_grid"}:
        raise TypeError(
            f"family 'even_poly' takes the options m, half_width, n_grid, got "
            f"{', '.join(sorted(set(options) - {'m', 'half_width', 'n_grid'}))}"
        )
    return classes[name](**options)


FAMILY_NAMES = ("gaussian", "even_poly", "poisson", "bernoulli", "gamma")


def _chain_support(fam: Family, eta: np.ndarray, K: float, n_grid: int):
    """Support points, log site weights ln h(x) + eta.T(x), and cell width (0 for discrete support)."""

    if fam.name == "bernoulli":
        x = np.array([0.0, 1.0])
        return x, fam.sufficient(x) @ eta, 0.0
    if fam.name == "poisson":
        # K <= 0 makes every conditional law stochastically smaller than Poisson(e^eta): cut its 1e-16 tail
        x = np.arange(poisson.isf(1e-16, np.exp(eta[0])) + 2.0)
        return x, fam.sufficient(x) @ eta - gammaln(x + 1), 0.0
    if fam.name == "gamma":
        k, theta = eta[0] + 1, -1 / eta[1]
        hi = (k + 40 * np.sqrt(k) + 40) * theta
    else:
        hi = 12.0 / np.sqrt(-eta[0]) if fam.dim == 1 else max(6.0, (40 / -eta[-1]) ** (1 / (2 * fam.dim)))
    lo = 0.0 if fam.name == "gamma" else -hi
    h = (hi - lo) / n_grid
    x = lo + h * (np.arange(n_grid) + 0.5)  # cell midpoints
    return x, fam.sufficient(x) @ eta, h


def sample_chain(fam: Family, eta, K: float, n_sites: int, size: int, *, rng, n_grid: int = 800) -> np.ndarray:
    r"""Samples of the open chain :math:`p(x) \propto \prod_i h(x_i)e^{\eta\cdot T(x_i)}\,e^{K\sum_i x_ix_{i+1}}`.

    Gaussian: exact (multivariate normal with precision :math:`-2\eta_2 I - K(S + S^T)`).
    Bernoulli, Poisson: exact forward filtering / backward sampling with the transfer matrix on
    the support (Poisson cut where its tail is below :math:`10^{-16}`).
    Gamma, even polynomial: the same on ``n_grid`` cells with a uniform position inside the
    chosen cell, a discretization whose error shrinks with the cell width (stated, not exact).
    The backward step draws each site from its conditional cumulative table (one table per
    state of the next site, shared by all samples) by bisection, with one uniform number per
    sample and site, then one per sample and site for the position inside the cell.
    Unbounded families with :math:`e^{Kxy}`, :math:`K > 0`, are not normalizable (Poisson,
    Gamma; the Gaussian needs a positive-definite precision) and raise ``ValueError``.
    Returns an array of shape ``(size, n_sites)``.
    """
    if not isinstance(fam, Family):
        raise TypeError(f"fam must be an rgbook.expfam.Family, got {type(fam).__name__}")
    eta = fam.check_natural(eta)
    K = as_real("K", K)
    n_sites = as_int("n_sites", n_sites, minimum=1, maximum=4096)
    size = as_int("size", size, minimum=1, maximum=10_000_000)
    rng = as_generator("rng", rng)
    if fam.name in ("poisson", "gamma") and K > 0:
        raise ValueError(
            f"{fam.name} chain: K must be <= 0 (e^(K x y) with K > 0 is not normalizable "
            f"on an unbounded support), got {K}"
        )
    if fam.name == "even_poly" and fam.dim == 1 and abs(K) >= -eta[0]:
        raise ValueError(f"even_poly chain with m = 1: need |K| < theta_1 = {-eta[0]}, got {K}")
    if fam.name == "gaussian":
        S = np.eye(n_sites, k=1)
        P = -2 * eta[1] * np.eye(n_sites) - K * (S + S.T)
        try:
            L = np.linalg.cholesky(P)
        except np.linalg.LinAlgError:
            raise ValueError(
                f"gaussian chain: precision of this open chain is not positive definite "
                f"(any length is fine when |K| < -eta_2 = {-eta[1]}), got K={K}"
            ) from None
        mean = np.linalg.solve(P, np.full(n_sites, eta[0]))
        z = rng.standard_normal((size, n_sites))
        return mean + np.linalg.solve(L.T, z.T).T
    x, logw, h = _chain_support(fam, eta, K, as_int("n_grid", n_grid, minimum=100, maximum=20_000))
    logpair = K * np.outer(x, x)
    # forward messages alpha_i(x_i) = p(x_1..x_i part) summed over x_1..x_{i-1}, in logs
    alphas = [logw - logw.max()]
    for _ in range(n_sites - 1):
        nxt = logsumexp(alphas[-1][:, None] + logpair, axis=0) + logw
        alphas.append(nxt - nxt.max())
    steps = int(np.ceil(np.log2(x.size))) + 1

    def draw(cdf, rows):  # smallest j with cdf[row, j] >= u (u uniform)
        u = rng.random(size)
        lo, up = np.zeros(size, dtype=np.int64), np.full(size, x.size - 1, dtype=np.int64)
        for _ in range(steps):
            mid = (lo + up) // 2
            below = (cdf[mid] if rows is None else cdf[rows, mid]) < u
            lo, up = np.where(below, mid + 1, lo), np.where(below, up, mid)
        return lo

    out = np.empty((size, n_sites), dtype=np.int64)
    c = np.cumsum(np.exp(alphas[-1] - alphas[-1].max()))
    out[:, -1] = draw(c / c[-1], None)
    for i in range(n_sites - 2, -1, -1):
        logp = alphas[i][None, :] + logpair  # row: the state of x_{i+1}
        c = np.cumsum(np.exp(logp - logp.max(axis=1, keepdims=True)), axis=1)
        out[:, i] = draw(c / c[:, -1:], out[:, i + 1])
    values = x[out]
    if h > 0:
        values = values + h * (rng.random(values.shape) - 0.5)
    return values


def chain_linear_cumulants(fam: Family, eta, K: float, w) -> np.ndarray:
    r"""Exact :math:`\kappa_1..\kappa_4` of linear units :math:`u = \sum_i w_i x_i` of the open chain of
    :func:`sample_chain`, :math:`p(x) \propto \prod_i h(x_i)e^{\eta\cdot T(x_i)}\,e^{K\sum_i x_ix_{i+1}}`,
    for the discrete families (Bernoulli; Poisson with :math:`K \le 0`, its support cut where the tail is
    below :math:`10^{-16}`, as the sampler does).

    Transfer matrix in a formal variable :math:`t`: :math:`E[e^{tu}] = Z(t)/Z(0)` with
    :math:`Z(t) = \sum_x \prod_i h(x_i)e^{\eta\cdot T(x_i) + t w_i x_i}\prod_i e^{Kx_ix_{i+1}}`, computed by
    forward messages whose entries are power series in :math:`t` truncated after :math:`t^4`; the
    cumulants are :math:`n!` times the coefficients of :math:`\ln Z(t)`. Each site enters centred on its
    exact marginal mean (a shift that leaves :math:`\kappa_{n\ge2}` unchanged and avoids cancellation),
    added back to :math:`\kappa_1`. ``w`` has shape ``(n_sites,)`` or ``(units, n_sites)``; returns
    shape ``(4,)`` or ``(units, 4)``. ``K = 0`` gives the i.i.d. cumulants :math:`\sum_i w_i^n\kappa_n(x)`.
    """
    if not isinstance(fam, Family):
        raise TypeError(f"fam must be an rgbook.expfam.Family, got {type(fam).__name__}")
    if fam.name not in ("bernoulli", "poisson"):
        raise ValueError(f"fam must be a discrete family ('bernoulli' or 'poisson'), got {fam.name!r}")
    eta = fam.check_natural(eta)
    K = as_real("K", K)
    if fam.name == "poisson" and K > 0:
        raise ValueError(f"poisson chain: K must be <= 0 (not normalizable otherwise), got {K}")
    W = as_real_array("w", w)
    if W.ndim not in (1, 2) or W.shape[-1] < 1 or W.shape[-1] > 4096:
        raise ValueError(f"w must have shape (n_sites,) or (units, n_sites) with 1 <= n_sites <= 4096, got {W.shape}")
    single = W.ndim == 1
    W = np.atleast_2d(W)
    n = W.shape[1]
    x, logw, _ = _chain_support(fam, eta, K, 100)
    phi = np.exp(logw - logw.max())
    T = np.exp(K * np.outer(x, x))  # T[s, s'] couples x_i = x[s] to x_{i+1} = x[s']
    # exact marginals from normalized forward and backward messages at t = 0
    fwd, bwd = [phi / phi.sum()], [np.ones_like(phi)]
    for _ in range(n - 1):
        f = (fwd[-1] @ T) * phi
        fwd.append(f / f.sum())
        b = T @ (phi * bwd[-1])
        bwd.append(b / b.sum())
    bwd = bwd[::-1]
    marg = np.array([f * b / (f @ b) for f, b in zip(fwd, bwd)])  # (n, S)
    m = marg @ x  # marginal means
    order = 5  # coefficients of t^0 .. t^4
    fact = np.array([1.0, 1.0, 2.0, 6.0, 24.0])

    def times_site(A, i):
        """Multiply the series of every state by phi(s) exp(t w_i (x_s - m_i)), truncated after t^4."""
        a = W[:, i, None] * (x - m[i])[None, :]  # (U, S)
        e = a[..., None] ** np.arange(order) / fact  # (U, S, order)
        out = np.zeros_like(A)
        for k in range(order):
            out[..., k] = np.einsum("usj,usj->us", A[..., : k + 1], e[..., k::-1])
        return out * phi[None, :, None]

    A = np.zeros((W.shape[0], x.size, order))
    A[..., 0] = 1.0
    A = times_site(A, 0)
    for i in range(1, n):
        A = A / A[..., 0].sum(axis=1)[:, None, None]  # a t-independent constant per unit
        A = times_site(np.einsum("usk,sr->urk", A, T), i)
    z = A.sum(axis=1)
    z = z / z[:, :1]
    lg = np.zeros_like(z)  # ln z as a series: l_k = z_k - (1/k) sum_{j<k} j l_j z_{k-j}
    for k in range(1, order):
        lg[:, k] = z[:, k] - sum(j * lg[:, j] * z[:, k - j] for j in range(1, k)) / k
    kappa = lg[:, 1:] * fact[1:]
    kappa[:, 0] += W @ m
    return kappa[0] if single else kappa
