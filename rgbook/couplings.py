r"""Estimating the couplings of a distribution over spin chains.

An FC layer has no spatial order, so its output units are first ordered by the centre of
their receptive field (:func:`receptive_field_order`); the output distribution is then
projected onto the open nearest-neighbour chain by maximum likelihood (KL projection,
:func:`project_chain`), with the KL residual saying how chain-like it is, and onto the
all-pairs model (:func:`fit_all_pairs`). Sample-based versions give confidence intervals.
:func:`fit_chain_loglinear` is an exact log-linear fit used as an independent route.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import t as student_t

from ._numeric import logsumexp
from ._validate import (
    as_bool,
    as_covariance,
    as_generator,
    as_int,
    as_real,
    as_real_array,
    as_spin_distribution,
    as_spins,
)
from .information import mutual_information, total_correlation
from .ising import log_partition, log_transfer_matrix
from .rg import gaussian_ring_precision

__all__ = [
    "total_correlation",
    "project_gaussian_ring",
    "project_gaussian_ring_moments",
    "fit_chain_loglinear",
    "open_chain_log_partition_grad",
    "receptive_field_order",
    "orient_units",
    "canonical_layer",
    "project_chain_moments",
    "project_chain",
    "fit_all_pairs",
    "project_chain_from_samples",
    "project_chain_batches",
    "connected_correlations",
    "mutual_information",
    "correlation_length",
]


def fit_chain_loglinear(configs, log_probs, periodic: bool = False) -> tuple[float, float, float]:
    r"""Least-squares fit of :math:`\ln P(s) = c + K\sum_i s_i s_{i+1} + h\sum_i s_i`.

    Parameters
    ----------
    configs : array_like, shape (n, N)
        Spin configurations (entries ±1), e.g. all :math:`2^N` of them.
    log_probs : array_like, shape (n,)
        :math:`\ln P` of each configuration (finite).
    periodic : bool
        Include the bond :math:`s_N s_1`.

    Returns
    -------
    K, h, residual : float
        Fitted coupling and field, and the largest absolute misfit (zero when ``P`` is
        exactly a nearest-neighbour chain).
    """
    as_spins("configs", configs, min_sites=2)
    s = as_real_array("configs", configs)
    y = as_real_array("log_probs", log_probs)
    if y.shape != (s.shape[0],):
        raise ValueError(f"log_probs must have shape ({s.shape[0]},), got {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError("log_probs must be finite (every configuration needs P > 0)")
    periodic = as_bool("periodic", periodic)
    bonds = (s[:, :-1] * s[:, 1:]).sum(axis=1)
    if periodic:
        bonds = bonds + s[:, -1] * s[:, 0]
    X = np.column_stack([np.ones(len(y)), bonds, s.sum(axis=1)])
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    residual = float(np.max(np.abs(X @ coef - y)))
    return float(coef[1]), float(coef[2]), residual


# --------------------------------------------------------------------------------------
# output couplings of a layer (Paper I's network side)


def receptive_field_order(W) -> np.ndarray:
    r"""Order output units by the centre of their receptive field.

    The centre of unit :math:`j` is the input index of its largest :math:`|W_{jk}|`; ties
    (and equal centres) are broken by the :math:`|W|`-weighted mean position
    :math:`\sum_k k|W_{jk}|/\sum_k|W_{jk}|`. Returns the permutation that sorts the units.
    """
    W = np.abs(as_real_array("W", W))
    if W.ndim != 2 or W.shape[0] < 1 or W.shape[1] < 1:
        raise ValueError(f"W must be a non-empty 2-d array (m, N), got shape {W.shape}")
    if not np.all(np.isfinite(W)):
        raise ValueError("W must be finite")
    weight = W.sum(axis=1)
    mean_pos = (W @ np.arange(W.shape[1])) / np.where(weight > 0, weight, 1.0)
    return np.lexsort((mean_pos, np.argmax(W, axis=1)))


def orient_units(W, c) -> tuple[np.ndarray, np.ndarray]:
    r"""Fix the sign gauge of binary units: flip unit :math:`j` (:math:`W_j, c_j \to -W_j, -c_j`)
    so that its largest-magnitude weight is positive.

    Relabelling :math:`y_j \to -y_j` (with the decoder's column flipped) changes neither the
    loss nor the information kept, but flips the sign of every coupling to :math:`y_j`;
    couplings are compared in this gauge, in which decimation has :math:`W \ge 0`.
    """
    W = as_real_array("W", W)
    c = as_real_array("c", c)
    if W.ndim != 2 or W.shape[0] < 1 or W.shape[1] < 1:
        raise ValueError(f"W must be a non-empty 2-d array (m, N), got shape {W.shape}")
    if c.shape != (W.shape[0],):
        raise ValueError(f"W must be (m, N) and c (m,), got {W.shape} and {c.shape}")
    sign = np.sign(W[np.arange(W.shape[0]), np.argmax(np.abs(W), axis=1)])
    sign[sign == 0] = 1.0
    return W * sign[:, None], c * sign


def canonical_layer(W, c) -> tuple[np.ndarray, np.ndarray]:
    """Units oriented (:func:`orient_units`) and sorted by receptive-field centre (:func:`receptive_field_order`)."""
    W, c = orient_units(W, c)
    order = receptive_field_order(W)
    return W[order], c[order]


def _chain_stats(configs) -> np.ndarray:
    """Sufficient statistics (sum of NN bonds, magnetization) of open-chain configurations."""
    s = np.asarray(configs, dtype=np.float64)
    return np.column_stack([(s[:, :-1] * s[:, 1:]).sum(axis=1), s.sum(axis=1)])


def _as_level(level) -> float:
    """A confidence level in the open interval (0, 1)."""
    level = as_real("level", level, minimum=0.0, strict_minimum=True, maximum=1.0)
    if level >= 1.0:
        raise ValueError(f"level must be < 1, got {level}")
    return level


def _check_enumerated(configs, probs) -> tuple[np.ndarray, np.ndarray]:
    return as_spin_distribution(configs, probs, min_sites=2)


#: Spin products :math:`s s'` of the four bond states, rows and columns ordered ``(+1, -1)``.
_BOND_SIGNS = np.array([[1.0, -1.0], [-1.0, 1.0]])


def open_chain_log_partition_grad(n: int, K: float, h: float) -> tuple[float, np.ndarray]:
    r""":math:`\ln Z_n(K,h)` of the open chain of ``n`` spins and its gradient, by forward-backward.

    With :math:`T_{ss'} = e^{Kss' + h(s+s')/2}` and the end vector :math:`u_s = e^{hs/2}`, the
    forward and backward messages (kept in log space, so no overflow for large couplings) are

    .. math::

        \alpha_1 = u,\quad \alpha_{i+1}(s') = \sum_s \alpha_i(s) T_{ss'}, \qquad
        \beta_n = u,\quad \beta_i(s) = \sum_{s'} T_{ss'} \beta_{i+1}(s'),

    so that :math:`Z_n = \sum_s \alpha_i(s)\beta_i(s)` for every ``i``. The gradient of
    :math:`\ln Z_n` is the vector of mean sufficient statistics,

    .. math::

        \partial_K \ln Z_n = \Big\langle \sum_{i<n} s_i s_{i+1} \Big\rangle
        = \sum_i \sum_{s,s'} s s'\, \frac{\alpha_i(s) T_{ss'} \beta_{i+1}(s')}{Z_n}, \qquad
        \partial_h \ln Z_n = \Big\langle \sum_i s_i \Big\rangle
        = \sum_i \sum_s s\, \frac{\alpha_i(s)\beta_i(s)}{Z_n}.

    Parameters
    ----------
    n : int
        Number of spins, ``2 <= n <= 10**6``.
    K, h : float
        Coupling and field.

    Returns
    -------
    logz : float
        :math:`\ln Z_n(K, h)`.
    grad : numpy.ndarray, shape (2,)
        :math:`(\langle\sum_i s_is_{i+1}\rangle, \langle\sum_i s_i\rangle)`.
    """
    n = as_int("n", n, minimum=2, maximum=10**6)
    K = as_real("K", K)
    h = as_real("h", h)
    logT = log_transfer_matrix(K, h)
    end = np.array([h / 2, -h / 2])
    # Messages are renormalized at every step (largest entry 0) so that they stay of the size
    # of K and h however long the chain: the marginals below then carry rounding errors of
    # order eps * (|K| + |h|) per site, not eps * ln Z_n. The shifts add up to ln Z_n.
    fwd = np.empty((n, 2))
    bwd = np.empty((n, 2))
    fwd[0] = end
    bwd[n - 1] = end
    logz = 0.0
    for i in range(n - 1):
        msg = np.logaddexp(fwd[i, 0] + logT[0], fwd[i, 1] + logT[1])
        shift = msg.max()
        fwd[i + 1] = msg - shift
        logz += shift
    for i in range(n - 2, -1, -1):
        msg = np.logaddexp(logT[:, 0] + bwd[i + 1, 0], logT[:, 1] + bwd[i + 1, 1])
        bwd[i] = msg - msg.max()
    logz += float(np.logaddexp(fwd[-1, 0] + end[0], fwd[-1, 1] + end[1]))
    site = fwd + bwd  # (n, 2): ln P(s_i) + const_i
    site = np.exp(site - logsumexp(site, axis=1, keepdims=True))
    pair = fwd[:-1, :, None] + logT[None] + bwd[1:, None, :]  # (n-1, 2, 2): ln P(s_i, s_{i+1}) + const_i
    pair = np.exp(pair - logsumexp(pair, axis=(1, 2), keepdims=True))
    grad = np.array([np.sum(pair * _BOND_SIGNS), np.sum(site[:, 0] - site[:, 1])])
    return logz, grad


def _newton(objective, hessian, x0: np.ndarray, tol: float = 1e-12, max_iter: int = 200) -> np.ndarray:
    """Damped Newton minimization of a smooth convex function (backtracking on the value)."""
    x = np.asarray(x0, dtype=np.float64)
    f, g = objective(x)
    for _ in range(max_iter):
        if np.max(np.abs(g)) < tol:
            break
        H = hessian(x) + 1e-12 * np.eye(len(x))
        step = np.linalg.solve(H, g)
        t = 1.0
        while t > 1e-10:
            f_new, g_new = objective(x - t * step)
            if np.isfinite(f_new) and f_new <= f + 1e-4 * t * (g @ -step) + 1e-15:
                break
            t /= 2
        x, f, g = x - t * step, f_new, g_new
    return x


def project_chain_moments(bond_mean: float, field_mean: float, n_sites: int) -> tuple[float, float]:
    r"""Open NN chain :math:`(K, h)` of ``n_sites`` spins whose mean bond sum and magnetization
    equal the given ones (moment matching = maximum likelihood = KL projection).

    Solves :math:`\nabla_{K,h}\ln Z_n(K,h) = (\text{bond\_mean}, \text{field\_mean})` by
    minimizing the convex function :math:`\ln Z_n - K\,\text{bond\_mean} - h\,\text{field\_mean}`
    (:math:`\ln Z_n` and its gradient by :func:`open_chain_log_partition_grad`).
    """
    n = as_int("n_sites", n_sites, minimum=2, maximum=100_000)
    bond_mean = as_real("bond_mean", bond_mean)
    field_mean = as_real("field_mean", field_mean)
    if not (abs(bond_mean) < n - 1 and abs(field_mean) < n):
        raise ValueError(
            f"moments must lie inside the marginal polytope (|bond_mean| < {n - 1}, |field_mean| < {n}); "
            f"got ({bond_mean}, {field_mean}), the projection would have infinite coupling"
        )
    target = np.array([bond_mean, field_mean])

    def objective(x):
        logz, grad = open_chain_log_partition_grad(n, x[0], x[1])
        return logz - x @ target, grad - target

    def hessian(x):
        eps = 1e-5
        return np.column_stack([(objective(x + e)[1] - objective(x - e)[1]) / (2 * eps) for e in np.eye(2) * eps])

    x = _newton(objective, hessian, np.zeros(2))
    return float(x[0]), float(x[1])


def project_chain(configs, probs) -> tuple[float, float, float]:
    r"""KL projection of an enumerated distribution onto the open nearest-neighbour chain.

    .. math::

        (K', h') = \arg\min_{K,h} \mathrm{KL}\big(P \,\|\, Q_{K,h}\big), \qquad
        Q_{K,h}(y) \propto e^{K\sum_i y_i y_{i+1} + h\sum_i y_i},

    found by moment matching (:func:`project_chain_moments`).

    Returns
    -------
    K, h, kl : float
        The projected coupling and field, and the residual :math:`\mathrm{KL}(P\|Q_{K',h'})`
        in nats (zero iff :math:`P` is itself such a chain).
    """
    s, p = _check_enumerated(configs, probs)
    stats = _chain_stats(s)
    K, h = project_chain_moments(*(p @ stats), s.shape[1])
    log_q = stats @ np.array([K, h]) - log_partition(s.shape[1], K, h)
    nz = p > 0
    kl = float(np.sum(p[nz] * (np.log(p[nz]) - log_q[nz])))
    return K, h, max(kl, 0.0)


def fit_all_pairs(configs, probs, l2: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Maximum-entropy pairwise model matching all first and second moments of ``P``.

    Fits :math:`Q(y)\propto\exp\big(\sum_{j<k} J_{jk} y_j y_k + \sum_j h_j y_j\big)` by
    minimizing :math:`\mathrm{KL}(P\|Q)` by Newton's method (convex; exact enumeration, so ``n_sites <= 14``);
    ``l2`` adds :math:`\tfrac{l_2}{2}\|J\|^2` to keep couplings finite when ``P`` has zeros.

    Returns
    -------
    J : numpy.ndarray, shape (n, n)
        Symmetric couplings with zero diagonal.
    h : numpy.ndarray, shape (n,)
        Fields.
    """
    s, p = _check_enumerated(configs, probs)
    l2 = as_real("l2", l2, minimum=0.0)
    n = s.shape[1]
    if n > 14:
        raise ValueError(f"fit_all_pairs enumerates 2^n configurations; n_sites must be <= 14, got {n}")
    iu = np.triu_indices(n, 1)
    feats = np.column_stack([(s[:, :, None] * s[:, None, :])[:, iu[0], iu[1]], s])
    target = p @ feats
    n_pairs = len(iu[0])

    def model(x):
        logw = feats @ x
        q = np.exp(logw - logsumexp(logw))
        return logw, q

    def objective(x):
        logw, q = model(x)
        reg = 0.5 * l2 * np.sum(x[:n_pairs] ** 2)
        grad = q @ feats - target
        grad[:n_pairs] += l2 * x[:n_pairs]
        return logsumexp(logw) - x @ target + reg, grad

    def hessian(x):
        _, q = model(x)
        mean = q @ feats
        H = (feats * q[:, None]).T @ feats - np.outer(mean, mean)
        H[np.arange(n_pairs), np.arange(n_pairs)] += l2
        return H

    x = _newton(objective, hessian, np.zeros(feats.shape[1]), tol=1e-11)
    res_x = x
    J = np.zeros((n, n))
    J[iu] = res_x[:n_pairs]
    return J + J.T, res_x[n_pairs:].copy()


def project_chain_from_samples(
    samples, *, rng, n_boot: int = 200, level: float = 0.95
) -> tuple[float, float, tuple[float, float]]:
    r"""Maximum-likelihood NN-chain coupling :math:`(K, h)` of sampled configurations, with a
    bootstrap percentile interval for :math:`K` (``n_boot`` resamples of the configurations).

    Returns ``K, h, (K_low, K_high)``.
    """
    rng = as_generator("rng", rng)
    s = as_real_array("samples", samples)
    if s.ndim != 2 or s.shape[1] < 2 or s.shape[0] < 2 or not np.all(np.abs(s) == 1):
        raise ValueError(f"samples must be an (n >= 2, n_sites >= 2) array of ±1 spins, got shape {s.shape}")
    level = _as_level(level)
    n_boot = as_int("n_boot", n_boot, minimum=10, maximum=100_000)
    stats = _chain_stats(s)
    K, h = project_chain_moments(*stats.mean(axis=0), s.shape[1])
    boot = [
        project_chain_moments(*stats[rng.integers(0, len(stats), len(stats))].mean(axis=0), s.shape[1])[0]
        for _ in range(n_boot)
    ]
    lo, hi = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2])
    return K, h, (float(lo), float(hi))


def project_chain_batches(
    configs, probs, batch_probs, level: float = 0.95
) -> tuple[float, float, float, tuple[float, float]]:
    r"""KL projection of an estimated distribution, with a t-interval from independent batches.

    ``probs`` is a pooled estimate of :math:`P(y)` and ``batch_probs`` (shape ``(B, 2^n)``)
    the estimates of ``B`` independent batches (e.g. from
    :func:`rgbook.networks.feature_distribution_from_samples`). The interval for :math:`K` is
    :math:`\bar K \pm t_{B-1}\,\mathrm{sd}(K_b)/\sqrt B` over the batch projections.

    Returns ``K, h, kl, (K_low, K_high)``.
    """
    level = _as_level(level)
    K, h, kl = project_chain(configs, probs)
    batch_probs = as_real_array("batch_probs", batch_probs, minimum=0.0)
    if batch_probs.ndim != 2 or batch_probs.shape[0] < 2:
        raise ValueError(f"batch_probs must have shape (B >= 2, n_configs), got {batch_probs.shape}")
    Kb = np.array([project_chain(configs, q / q.sum())[0] for q in batch_probs])
    half = student_t.ppf((1 + level) / 2, len(Kb) - 1) * Kb.std(ddof=1) / np.sqrt(len(Kb))
    return K, h, kl, (K - half, K + half)


# --------------------------------------------------------------------------------------
# Gaussian chains (Paper II)


def project_gaussian_ring(cov) -> tuple[float, float, float]:
    r"""KL projection of :math:`\mathcal N(0, C)` onto Gaussian rings :math:`P = d\,I - K(S + S^T)`.

    ``cov`` is the :math:`n\times n` covariance of variables in ring order (:math:`n\ge3`). The
    family's sufficient statistics are :math:`\sum_i x_i^2` and :math:`\sum_i x_ix_{i+1}`, so the
    projection matches :math:`a = \tfrac1n\operatorname{tr}C` and :math:`c = \tfrac1n\sum_i
    C_{i,i+1}` with the ring's :math:`\tfrac1n\sum_q 1/\lambda_q` and
    :math:`\tfrac1n\sum_q \cos q/\lambda_q`, :math:`\lambda_q = d - 2K\cos q`,
    :math:`q = 2\pi k/n`; solved by damped Newton on the convex
    :math:`f(d, K) = \tfrac12(d\,a - 2Kc) - \tfrac1{2n}\sum_q\ln\lambda_q`.

    Returns
    -------
    d, K, kl
        Projected parameters and :math:`\mathrm{KL}(C\,\|\,P^{-1})` per variable (nats).
    """
    C = as_covariance("cov", cov, min_size=3)
    n = C.shape[0]
    a = np.trace(C) / n
    c = np.sum(C[np.arange(n), (np.arange(n) + 1) % n]) / n
    d, K = project_gaussian_ring_moments(a, c, n)
    P = gaussian_ring_precision(n, K, d)
    kl = 0.5 * (np.trace(P @ C) - n - np.linalg.slogdet(P @ C)[1]) / n
    return d, K, float(kl)


def project_gaussian_ring_moments(a: float, c: float, n: int) -> tuple[float, float]:
    r"""The Gaussian ring :math:`P = d\,I - K(S + S^T)` on ``n`` sites with variance ``a`` and
    nearest-neighbour covariance ``c`` (the moment-matching, i.e. KL, projection of
    :func:`project_gaussian_ring`, from the two moments alone).

    Needs :math:`10^{-100} \le a \le 10^{100}` and :math:`\min_q \cos q < c/a < 1` (:math:`|c| < a` for even ``n``).
    Returns ``(d, K)``.
    """
    n = as_int("n", n, minimum=3, maximum=10_000_000)  # the book projects rings of 3^12 sites
    a = as_real("a", a, minimum=1e-100, maximum=1e100)
    c = as_real("c", c)
    if not abs(c) < a:
        raise ValueError(f"c must satisfy |c| < a (a covariance), got a={a}, c={c}")
    cos = np.cos(2 * np.pi * np.arange(n) / n)
    # c / a is an average of cos q weighted by 1/lambda_q > 0: strictly between the smallest cos q and 1
    # (-1 for even n, -cos(pi/n) for odd n); at the edge the ring's parameters are infinite.
    if not c > cos.min() * a:
        raise ValueError(
            f"c must be > {cos.min():.6g} a for a ring of n = {n} sites (c/a is an average of cos q), got a={a}, c={c}"
        )

    def f(z):
        lam = z[0] - 2 * z[1] * cos
        return np.inf if np.any(lam <= 0) else 0.5 * (z[0] * a - 2 * z[1] * c) - np.log(lam).sum() / (2 * n)

    def grad_hess(z):
        lam = z[0] - 2 * z[1] * cos
        g = np.array([0.5 * a - (1 / lam).sum() / (2 * n), -c + (cos / lam).sum() / n])
        u = np.stack([np.ones(n), -2 * cos])
        return g, (u / lam**2) @ u.T / (2 * n)

    edge = 1.0 if c > 0 else float(cos.min())  # the edge of c/a that the ring approaches at its critical point
    too_close = (
        f"c must keep c/a = {c / a!r} farther from its edge {edge:.6g} for a ring of n = {n} sites: the Newton "
        "solve of the projection {}; a ring this close to its critical point needs another parametrization"
    )
    z = np.array([1.0 / a, 0.0])
    for _ in range(200):
        g, H = grad_hess(z)
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            raise ValueError(too_close.format("meets a singular Hessian")) from None
        t, f_z = 1.0, f(z)  # Armijo backtracking; f(z) is evaluated once per Newton step
        while f(z - t * step) > f_z + 1e-4 * t * (g @ -step) and t > 1e-12:
            t /= 2
        z_next = z - t * step
        at_floor = np.array_equal(z_next, z)  # the rounding floor: the step no longer moves z (nor will it)
        z = z_next
        if np.abs(g).max() < 1e-13 * max(1.0, abs(a), abs(c)) or at_floor:
            break
    else:
        raise ValueError(too_close.format("does not converge in 200 steps"))
    return float(z[0]), float(z[1])


# --------------------------------------------------------------------------------------
# measures of an output distribution that need no sign or order convention


def connected_correlations(configs, probs) -> np.ndarray:
    r"""Connected correlations :math:`C_{jk} = \langle y_j y_k\rangle - \langle y_j\rangle\langle y_k\rangle`
    of an enumerated distribution, shape (n, n) (the diagonal holds the variances)."""
    s, p = _check_enumerated(configs, probs)
    y = s.astype(np.float64)
    mean = p @ y
    return (y * p[:, None]).T @ y - np.outer(mean, mean)


def correlation_length(configs, probs) -> float:
    r"""Correlation length from each site's strongest connected correlation, in units of the site spacing.

    .. math::

        \xi = -1/\ln\bar c, \qquad \bar c = \frac1n\sum_j \max_{k\ne j} |\rho_{jk}|,

    with :math:`\rho` the connected correlation coefficients. Neither the sign nor the order of
    the sites enters. For the open zero-field nearest-neighbour chain at coupling :math:`K`,
    :math:`|\rho_{j,j\pm1}| = \tanh|K|` is each site's largest, so :math:`\xi = -1/\ln\tanh|K|`.
    Returns 0 when no two sites are correlated and ``inf`` when some pair is perfectly correlated
    on average (:math:`\bar c = 1`).
    """
    C = connected_correlations(configs, probs)
    if C.shape[0] < 2:
        raise ValueError("correlation_length needs at least two sites")
    sd = np.sqrt(np.clip(np.diag(C), 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(np.outer(sd, sd) > 0, C / np.outer(sd, sd), 0.0)
    np.fill_diagonal(rho, 0.0)
    cbar = float(np.mean(np.abs(rho).max(axis=1)))
    if cbar <= 0.0:
        return 0.0
    if cbar >= 1.0 - 1e-15:
        return float("inf")
    return float(-1.0 / np.log(cbar))
