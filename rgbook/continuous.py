r"""Continuous chains and continuous features: projections, gauge-free measures, exact block-sum flows.

Tools of the nonlinear-features chapter that are algorithms in their own right:

* :func:`standardize`, :func:`project_marginals` (KL projection of each standardized column onto
  the even-polynomial family :math:`\theta_2z^2 + \theta_4z^4`), :func:`project_phi4_chain`
  (KL projection of samples onto the open :math:`\phi^4` chain, transfer-matrix quadrature);
* gauge-free measures of a feature layer: :func:`excess_mardia_kurtosis`,
  :func:`receptive_field_gauge`, :func:`decodable_share`;
* the RG side: :func:`chain_decimate_b` (decimation by ``b`` of a grid chain, projected back),
  :func:`poisson_flow` (exact Poisson block sums), :func:`even_poly_moments`,
  :func:`kurtosis_identity_gap`, :func:`project_standardized_law`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize
from scipy.stats import poisson

from . import expfam
from ._validate import as_int, as_real, as_real_array, as_samples

__all__ = [
    "standardize",
    "MARGINAL_GRID",
    "project_marginals",
    "ChainProjection",
    "project_phi4_chain",
    "project_phi4_chain_stats",
    "ChainBlockSums",
    "chain_block_sums",
    "excess_mardia_kurtosis",
    "receptive_field_gauge",
    "decodable_share",
    "chain_decimate_b",
    "PoissonFlow",
    "poisson_flow",
    "even_poly_moments",
    "kurtosis_identity_gap",
    "MarginalProjection",
    "project_standardized_law",
]


def standardize(u) -> np.ndarray:
    """Each column centred and scaled to unit variance (the scale gauge of a feature)."""
    u = as_samples("u", u, min_rows=8)
    sd = u.std(axis=0)
    if np.any(sd <= 0):
        raise ValueError("every column of u must vary (zero variance cannot be standardized)")
    return (u - u.mean(axis=0)) / sd


#: Quadrature grid of the marginal projection (standardized variables).
MARGINAL_GRID = np.linspace(-10.0, 10.0, 4001)


def project_marginals(u) -> np.ndarray:
    r"""KL projection of each standardized column onto :math:`V = \theta_2 z^2 + \theta_4 z^4`, :math:`\theta_4\ge0`.

    Moment matching of :math:`\E z^2 = 1` and :math:`\E z^4` (:func:`rgbook.expfam.project_even_poly_moments`);
    odd moments do not enter (the family is symmetric: the projection of a law is that of its
    symmetrization). A column whose excess kurtosis is :math:`\ge 0` lands on the boundary
    :math:`\theta_4 = 0` (theorem of the chapter). Returns shape ``(units, 2)``: :math:`(\theta_2, \theta_4)`.
    """
    z = standardize(u)
    m4 = (z**4).mean(axis=0)
    return np.array([expfam.project_even_poly_moments([1.0, float(t)], MARGINAL_GRID) for t in m4])


def _chain_objective(v: np.ndarray, t: np.ndarray, z: np.ndarray, n_sites: int) -> tuple[float, np.ndarray]:
    r""":math:`\ln Z + \theta_2 t_2 + \theta_4 t_4 - K t_1` of the open chain on the grid ``z`` and its gradient.

    Forward and backward messages (rescaled at every site) give :math:`\ln Z` and the model's
    means of :math:`\sum_i z_i^2, \sum_i z_i^4, \sum_i z_iz_{i+1}`, whose differences from ``t``
    are the gradient.
    """
    t2, t4, K = v
    dz = z[1] - z[0]
    expo = -(t2 * z**2 + t4 * z**4)
    shift_w = expo.max()
    w = np.exp(expo - shift_w) * dz
    shift_e = abs(K) * z[-1] ** 2
    E = np.exp(K * np.outer(z, z) - shift_e)
    fwd = np.empty((n_sites, z.size))
    bwd = np.empty((n_sites, z.size))
    fwd[0] = w / w.sum()
    logz = np.log(w.sum())
    for i in range(1, n_sites):
        a = (fwd[i - 1] @ E) * w
        c = a.sum()
        fwd[i], logz = a / c, logz + np.log(c)
    bwd[-1] = 1.0
    for i in range(n_sites - 2, -1, -1):
        b = E @ (w * bwd[i + 1])
        bwd[i] = b / b.max()
    logz += n_sites * shift_w + (n_sites - 1) * shift_e
    site = fwd * bwd
    site /= site.sum(axis=1, keepdims=True)
    zz = np.outer(z, z) * E
    bond = 0.0
    for i in range(n_sites - 1):
        right = w * bwd[i + 1]
        bond += (fwd[i] @ zz @ right) / (fwd[i] @ E @ right)
    mean = np.array([(site @ z**2).sum(), (site @ z**4).sum(), bond])
    f = logz + t2 * t[0] + t4 * t[1] - K * t[2]
    return float(f), np.array([t[0] - mean[0], t[1] - mean[1], mean[2] - t[2]])


@dataclass(frozen=True)
class ChainProjection:
    """KL projection onto the open :math:`\\phi^4` chain: parameters and the largest moment mismatch."""

    theta_2: float
    theta_4: float
    K: float
    mismatch: float


def project_phi4_chain(u, half_width: float = 8.0, n_grid: int = 321) -> ChainProjection:
    r"""KL projection of samples ``u`` (columns in chain order) onto the open :math:`\phi^4` chain.

    The family :math:`p(z) \propto \exp\big(-\sum_i(\theta_2 z_i^2 + \theta_4 z_i^4) + K\sum_i z_iz_{i+1}\big)`,
    :math:`\theta_4 \ge 0`, has sufficient statistics :math:`\sum_i z_i^2`, :math:`\sum_i z_i^4`,
    :math:`\sum_i z_iz_{i+1}`; the projection minimizes the convex
    :math:`\ln Z(\theta, K) + \theta_2 t_2 + \theta_4 t_4 - K t_1` (``t`` the sample means of
    those statistics), whose stationary point matches them (moment matching = maximum
    likelihood). :math:`\ln Z` by transfer-matrix quadrature on ``n_grid`` points of
    :math:`[-L, L]`, gradient by automatic differentiation, L-BFGS-B with the bound
    :math:`\theta_4 \ge 0`. ``mismatch`` is the largest :math:`|\E_{\text{model}} - t|` per site
    (zero unless the bound is active).
    """
    u = as_samples("u", u, min_rows=8)
    if u.shape[1] < 2:
        raise ValueError(f"u must have at least 2 columns (sites), got {u.shape[1]}")
    half_width = as_real("half_width", half_width, minimum=1.0)
    n_grid = as_int("n_grid", n_grid, minimum=51, maximum=4001)
    if np.abs(u).max() > half_width:
        raise ValueError(
            f"samples reach |u| = {np.abs(u).max():.3g}, outside the quadrature grid [-{half_width}, "
            f"{half_width}]; rescale u or widen half_width"
        )
    t = np.array([(u**2).sum(1).mean(), (u**4).sum(1).mean(), (u[:, :-1] * u[:, 1:]).sum(1).mean()])
    return project_phi4_chain_stats(t, u.shape[1], half_width=half_width, n_grid=n_grid)


def project_phi4_chain_stats(t, n_sites: int, half_width: float = 8.0, n_grid: int = 321) -> ChainProjection:
    r"""KL projection onto the open :math:`\phi^4` chain of ``n_sites`` sites from the expected sufficient statistics
    ``t`` = :math:`(\E\sum_i z_i^2, \E\sum_i z_i^4, \E\sum_i z_iz_{i+1})` (:func:`project_phi4_chain` with the
    sample means; an exact law's expectations give its exact projection)."""
    t = as_real_array("t", t)
    if t.shape != (3,):
        raise ValueError(f"t must hold the three expected statistics, got shape {t.shape}")
    n_sites = as_int("n_sites", n_sites, minimum=2)
    half_width = as_real("half_width", half_width, minimum=1.0)
    n_grid = as_int("n_grid", n_grid, minimum=51, maximum=4001)
    z = np.linspace(-half_width, half_width, n_grid)
    start = np.array([0.5 * n_sites / t[0], 0.0, 0.0])
    res = minimize(
        _chain_objective,
        start,
        args=(t, z, n_sites),
        jac=True,
        method="L-BFGS-B",
        bounds=[(None, None), (0.0, None), (None, None)],
        options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000},
    )
    _, g = _chain_objective(res.x, t, z, n_sites)
    return ChainProjection(float(res.x[0]), float(res.x[1]), float(res.x[2]), float(np.abs(g).max() / n_sites))


def excess_mardia_kurtosis(u) -> float:
    r"""Excess Mardia kurtosis per dimension of the whitened columns: :math:`(\E|z|^4 - m(m+2))/m`.

    :math:`z = \Sigma^{-1/2}(u - \mu)` (any square root: :math:`|z|` does not depend on it), so
    the value is invariant under every invertible affine map of ``u`` (the gauge of a linear
    feature layer read by a decoder). Zero for a Gaussian vector; for independent columns the
    mean of their standardized :math:`\kappa_4`.
    """
    u = as_samples("u", u, min_rows=8)
    m = u.shape[1]
    c = u - u.mean(axis=0)
    L = np.linalg.cholesky(np.cov(c.T, bias=True).reshape(m, m))
    d2 = (np.linalg.solve(L, c.T) ** 2).sum(axis=0)
    return float(((d2**2).mean() - m * (m + 2)) / m)


def receptive_field_gauge(u, targets) -> np.ndarray:
    r"""Features in the receptive-field gauge: column ``j`` is the least-squares regression of ``targets[:, j]``
    on :math:`(1, u)`, i.e. the part of target ``j`` that the span of the features keeps.

    An invertible affine map of ``u`` leaves the result unchanged; if the features contain
    the targets (``targets = A u + a``) the result is the targets themselves.
    """
    u = as_samples("u", u, min_rows=8)
    T = as_samples("targets", targets, min_rows=8)
    if T.shape[0] != u.shape[0]:
        raise ValueError(f"u and targets must have the same number of samples, got {u.shape[0]} and {T.shape[0]}")
    X = np.column_stack([np.ones(len(u)), u])
    coef, *_ = np.linalg.lstsq(X, T, rcond=None)
    return X @ coef


def decodable_share(u, targets) -> np.ndarray:
    r"""Share of each target's variance that a linear read-out of ``u`` recovers (:math:`R^2`, per column).

    Invariant under invertible affine maps of ``u``.
    """
    T = as_samples("targets", targets, min_rows=8)
    resid = T - receptive_field_gauge(u, T)
    return 1.0 - resid.var(axis=0) / T.var(axis=0)


def chain_decimate_b(
    theta, K: float, b: int, half_width: float = 10.0, n_grid: int = 1201, fit_width: float = 2.5
) -> tuple[np.ndarray, float, float, float]:
    r"""Decimation by ``b`` of the chain :math:`-H = -\sum_i V(x_i) + K\sum_i x_ix_{i+1}` on a grid, projected back.

    The generalization of :func:`rgbook.rg.grid_chain_decimate` (``b = 2``) to any ``b``: the
    symmetric kernel :math:`T = e^{-V(x)/2 - V(z)/2 + Kxz}` is raised to the power ``b`` by
    quadrature and :math:`\ln T_b` fitted by least squares on :math:`|x|,|z| \le` ``fit_width``
    onto :math:`\{1, x^{2k} + z^{2k}, xz\}` (the book's log-kernel projection). Also returns the
    bulk variance :math:`s^2` of a site of the infinite chain (its marginal is
    :math:`\psi_0(x)^2`, :math:`\psi_0` the top eigenvector of the kernel), which is the
    scale that standardizes the decimated chain.

    Returns ``theta', K', residual, s2``.
    """
    theta = expfam.check_even_poly(as_real_array("theta", theta))
    K = as_real("K", K)
    b = as_int("b", b, minimum=1, maximum=16)
    x = np.linspace(-half_width, half_width, as_int("n_grid", n_grid, minimum=101))
    dx = x[1] - x[0]
    V = sum(t * x ** (2 * (k + 1)) for k, t in enumerate(theta))
    T = np.exp(-(V[:, None] + V[None, :]) / 2 + K * np.outer(x, x) + V.min()) * dx
    psi = np.exp(-V / 4)  # power iteration for the top eigenvector
    for _ in range(10_000):
        nxt = T @ psi
        nxt /= np.linalg.norm(nxt)
        done = np.max(np.abs(nxt - psi)) < 1e-14
        psi = nxt
        if done:
            break
    s2 = float(np.sum(x**2 * psi**2) / np.sum(psi**2))
    Tb, log_scale = T.copy(), 0.0
    for _ in range(b - 1):
        Tb = Tb @ T
        scale = Tb.max()
        Tb, log_scale = Tb / scale, log_scale + np.log(scale)
    win = np.abs(x) <= fit_width
    logTb = np.log(Tb[np.ix_(win, win)]) + log_scale - b * V.min() - np.log(dx)
    X, Z = np.meshgrid(x[win], x[win], indexing="ij")
    cols = (
        [np.ones(X.size)]
        + [-(X ** (2 * k) + Z ** (2 * k)).ravel() / 2 for k in range(1, theta.size + 1)]
        + [(X * Z).ravel()]
    )
    A = np.column_stack(cols)
    y = logTb.ravel()
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    return coef[1:-1], float(coef[-1]), float(np.max(np.abs(A @ coef - y))), s2


# --------------------------------------------------------------------------------------
# the RG side: Poisson block sums, the even-polynomial family's kurtosis range


@dataclass(frozen=True)
class PoissonFlow:
    """Block sums of ``b^n`` i.i.d. Poisson(``lam``) variables, ``n = 0..steps``, from the exact pmf.

    ``closure``: the largest difference between the pmf of a sum of ``b`` copies and Poisson(b lam).
    ``kappa`` (steps + 1, 2): standardized :math:`\\kappa_3, \\kappa_4` of the centred rescaled sum;
    ``predicted``: :math:`(b^n\\lambda)^{-1/2}, (b^n\\lambda)^{-1}`.
    """

    lam: float
    b: int
    closure: float
    kappa: np.ndarray = field(repr=False)
    predicted: np.ndarray = field(repr=False)


def poisson_flow(lam: float, b: int, steps: int, tail: float = 1e-18) -> PoissonFlow:
    r"""Exact block-sum flow of Poisson data: pmfs by repeated convolution (:func:`rgbook.expfam.block_sum_pmf`).

    The pmf of one variable is cut where the Poisson tail falls below ``tail``; the
    standardized cumulants of :math:`z = (S - \E S)/\sqrt{\operatorname{Var} S}` do not depend on
    the centring and rescaling, so they come from :func:`rgbook.expfam.cumulants_from_pmf` of ``S``.
    """
    lam = as_real("lam", lam, minimum=0.0, strict_minimum=True, maximum=100.0)
    b = as_int("b", b, minimum=2, maximum=10)
    steps = as_int("steps", steps, minimum=1, maximum=4)
    k = np.arange(int(lam + 60 * np.sqrt(lam) + 60))
    k = k[: int(np.argmax(poisson.sf(k, lam) < tail)) + 1]  # cut where the remaining tail is below ``tail``
    pmf = poisson.pmf(k, lam)
    pmf = pmf / pmf.sum()
    s3 = expfam.block_sum_pmf(pmf, b)
    closure = float(np.max(np.abs(s3 - poisson.pmf(np.arange(s3.size), b * lam))))
    kappa, pred, cur = [], [], pmf
    for n in range(steps + 1):
        c = expfam.cumulants_from_pmf(np.arange(cur.size, dtype=float), cur)
        kappa.append([c[2] / c[1] ** 1.5, c[3] / c[1] ** 2])
        pred.append([(b**n * lam) ** -0.5, (b**n * lam) ** -1.0])
        if n < steps:
            cur = expfam.block_sum_pmf(cur, b)
    return PoissonFlow(lam, b, closure, np.array(kappa), np.array(pred))


def even_poly_moments(theta) -> np.ndarray:
    """Even moments :math:`m_2, m_4, m_6` of :math:`p \\propto e^{-\\theta_2 z^2 - \\theta_4 z^4}` by quadrature."""
    theta = expfam.check_even_poly(as_real_array("theta", theta))
    return expfam.grid_even_moments(MARGINAL_GRID, expfam.even_poly_density(theta, MARGINAL_GRID), 3)


def kurtosis_identity_gap(theta) -> float:
    r""":math:`|\kappa_4 + 4\theta_4(m_6m_2 - m_4^2)|/m_2^2` for the even-polynomial law ``theta`` (quadrature).

    Zero by the identity of the chapter (integration by parts); ``kappa_4 = m_4 - 3 m_2^2``.
    """
    theta = expfam.check_even_poly(as_real_array("theta", theta))
    if theta.shape != (2,):
        raise ValueError(f"theta must be (theta_2, theta_4), got {theta}")
    m2, m4, m6 = even_poly_moments(theta)
    return float(abs((m4 - 3 * m2**2) + 4 * theta[1] * (m6 * m2 - m4**2)) / m2**2)


@dataclass(frozen=True)
class MarginalProjection:
    """Projection of a standardized law with excess kurtosis ``excess`` onto the even-polynomial family."""

    law: str
    excess: float
    theta_2: float
    theta_4: float
    model_excess: float

    @property
    def unmatched(self) -> float:
        """Target minus model excess kurtosis (0 when the law lies inside the family's range)."""
        return self.excess - self.model_excess


def project_standardized_law(law: str, excess: float) -> MarginalProjection:
    """KL projection of a standardized law with fourth moment ``3 + excess`` onto the even-polynomial family."""
    excess = as_real("excess", excess, minimum=-2.0, strict_minimum=True)
    theta = expfam.project_even_poly_moments([1.0, 3.0 + excess], MARGINAL_GRID)
    m2, m4, _ = even_poly_moments(theta)
    return MarginalProjection(law, excess, float(theta[0]), float(theta[1]), float(m4 / m2**2 - 3))


# --------------------------------------------------------------------------------------
# exact block sums of the phi^4 chain (transfer-operator quadrature)


@dataclass(frozen=True)
class ChainBlockSums:
    r"""Exact moments of the ``m = N/b`` block sums :math:`B_j` of the open chain :math:`-H = -\sum_i V(x_i) + K\sum_i
    x_ix_{i+1}` (:func:`chain_block_sums`), and what the chapter's projections make of them.

    ``mean``, ``var`` (m,): :math:`\E B_j`, :math:`\operatorname{Var} B_j`; ``kurtosis`` (m,): standardized
    :math:`\E(B_j - \E B_j)^4/\operatorname{Var}^2`; ``corr`` (m - 1,): correlation of neighbouring block sums.
    """

    N: int
    b: int
    mean: np.ndarray = field(repr=False)
    var: np.ndarray = field(repr=False)
    kurtosis: np.ndarray = field(repr=False)
    corr: np.ndarray = field(repr=False)

    @property
    def m(self) -> int:
        """Number of block sums, ``N/b``."""
        return self.N // self.b

    @property
    def excess(self) -> float:
        """Mean over blocks of the standardized excess kurtosis."""
        return float(np.mean(self.kurtosis - 3.0))

    @property
    def theta_4(self) -> float:
        r"""Mean over blocks of :math:`\theta_4` of the standardized marginal's KL projection onto
        :math:`\theta_2z^2 + \theta_4z^4` (as :func:`project_marginals` reads a sample)."""
        return float(
            np.mean([expfam.project_even_poly_moments([1.0, float(k)], MARGINAL_GRID)[1] for k in self.kurtosis])
        )

    def chain_projection(self, half_width: float = 8.0, n_grid: int = 321) -> ChainProjection:
        r"""KL projection of the standardized block sums onto the open :math:`\phi^4` chain
        (:func:`project_phi4_chain_stats` of their exact expected statistics)."""
        t = np.array([float(self.m), float(self.kurtosis.sum()), float(self.corr.sum())])
        return project_phi4_chain_stats(t, self.m, half_width=half_width, n_grid=n_grid)


def chain_block_sums(theta, K: float, N: int, b: int, half_width: float = 6.0, n_grid: int = 241) -> ChainBlockSums:
    r"""Exact moments of the block sums of ``b`` consecutive sites of the open chain of ``N`` sites (``b`` divides
    ``N``) with :math:`V = \sum_k\theta_k x^{2k}` (``theta`` as in :func:`rgbook.expfam.even_poly_density`).

    Transfer-operator quadrature on ``n_grid`` points of :math:`[-L, L]` (the integrands decay like
    :math:`e^{-V}`, so the Riemann sum converges faster than any power of the spacing): with
    :math:`w = e^{-V}\,dx` and :math:`E = e^{Kxy}`, a block's operator with :math:`B^p` inserted is
    :math:`S_p = \sum_{q_1+\dots+q_b=p}\binom{p}{q_1\dots q_b}D_{q_1}ED_{q_2}\cdots ED_{q_b}`,
    :math:`D_q = \operatorname{diag}(w x^q)`, built one site at a time
    (:math:`S_p \leftarrow \sum_q\binom{p}{q}S_{p-q}ED_q`); moments are ratios of
    :math:`1^T S_0E\cdots S_p\cdots ES_0 1` to the partition function, with left and right messages
    rescaled at every block. No sampling: the only error is the grid's.
    """
    theta = expfam.check_even_poly(as_real_array("theta", theta))
    K = as_real("K", K)
    N = as_int("N", N, minimum=1, maximum=100_000)
    b = as_int("b", b, minimum=1, maximum=N)
    if N % b:
        raise ValueError(f"b must divide N, got N={N}, b={b}")
    half_width = as_real("half_width", half_width, minimum=1.0)
    x = np.linspace(-half_width, half_width, as_int("n_grid", n_grid, minimum=51, maximum=4001))
    V = sum(t * x ** (2 * (k + 1)) for k, t in enumerate(theta))
    w = np.exp(-(V - V.min())) * (x[1] - x[0])
    E = np.exp(K * np.outer(x, x) - abs(K) * half_width**2)
    D = [w * x**q for q in range(5)]  # diagonals of D_q
    binom = [[1], [1, 1], [1, 2, 1], [1, 3, 3, 1], [1, 4, 6, 4, 1]]
    S = [np.diag(d) for d in D]
    for _ in range(b - 1):
        SE = [s @ E for s in S]
        S = [sum(binom[p][q] * SE[p - q] * D[q][None, :] for q in range(p + 1)) for p in range(5)]
        scale = np.abs(S[0]).max()
        S = [s / scale for s in S]
    m = N // b
    T = E @ S[0]  # bond into a block, then the block
    left = [np.ones(x.size)]
    for _ in range(m - 1):
        v = left[-1] @ S[0] @ E
        left.append(v / v.max())
    right = [np.ones(x.size)]
    for _ in range(m - 1):
        v = T @ right[-1]
        right.append(v / v.max())
    right = right[::-1]
    raw = np.empty((m, 5))
    for j in range(m):
        z = left[j] @ S[0] @ right[j]
        raw[j] = [left[j] @ S[p] @ right[j] / z for p in range(5)]
    mean = raw[:, 1]
    var = raw[:, 2] - mean**2
    mu4 = raw[:, 4] - 4 * raw[:, 3] * mean + 6 * raw[:, 2] * mean**2 - 3 * mean**4
    cross = np.empty(m - 1)
    for j in range(m - 1):
        a, c = left[j], right[j + 1]
        cross[j] = (a @ S[1] @ E @ S[1] @ c) / (a @ S[0] @ E @ S[0] @ c)
    corr = (cross - mean[:-1] * mean[1:]) / np.sqrt(var[:-1] * var[1:])
    return ChainBlockSums(N, b, mean, var, mu4 / var**2, corr)
