r"""Runs of the chapter *Real-space RG of the 1D Ising chain* (``book/ising_rg``): the routes it checks.

:func:`decimate_by_enumeration` (brute-force enumeration of a ring, the chapter's independent
route to the decimation map) and the runs the claims read: :func:`decimation_routes`,
:func:`fixed_points`, :func:`sampled_correlations` and :func:`correlation_flows`. ``P`` is the
chapter's ``Protocol`` (:mod:`rgbook.chapters.ising_rg`, which re-exports every name; it is not
imported here). Nothing here loads torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import ising, rg
from .._numeric import logsumexp
from .._validate import as_int, as_real
from ..couplings import fit_chain_loglinear


def decimate_by_enumeration(K: float, h: float = 0.0, b: int = 2, m: int = 4) -> tuple[float, float, float, float]:
    r"""Brute-force decimation: enumerate a ring of ``N = b m`` sites and sum out spins.

    Keeps sites :math:`0, b, 2b, \dots`; the exact marginal of a ring is again a ring of
    ``m`` sites, so a least-squares fit of :math:`\ln P(\sigma)` onto
    :math:`(1, \sum_i \sigma_i\sigma_{i+1}, \sum_i \sigma_i)` returns :math:`(K', h')` with
    zero residual, and :math:`g' = (\ln Z_N - \ln Z_m(K',h'))/m`. This route shares no code
    with :func:`rgbook.rg.decimate` beyond :func:`rgbook.ising.energy`; it is the independent
    route of the claim ``I.rg.decimation``.

    Parameters
    ----------
    K, h : float
        Coupling and field of the ring.
    b : int
        Scale factor, ``b >= 2``.
    m : int
        Number of kept spins, ``3 <= m <= 8``, with ``b * m <= 20``.

    Returns
    -------
    K', h', g', residual : float
        ``residual`` is the largest absolute misfit of the log-linear fit.
    """
    K = as_real("K", K)
    h = as_real("h", h)
    b = as_int("b", b, minimum=2)
    m = as_int("m", m, minimum=3, maximum=8)
    N = b * m
    if N > 20:
        raise ValueError(f"b * m must be <= 20 for enumeration, got {N}")
    configs = ising.all_configurations(N)
    logw = ising.energy(configs, K, h, "periodic")
    logZ = float(logsumexp(logw))
    kept_idx = (configs[:, ::b] > 0).astype(np.int64) @ (1 << np.arange(m - 1, -1, -1))
    # log-marginal of the kept spins, in all_configurations(m) order
    order = np.argsort(kept_idx, kind="stable")
    bounds = np.searchsorted(kept_idx[order], np.arange(2**m + 1))
    log_marg = np.array([logsumexp(logw[order[bounds[k] : bounds[k + 1]]]) for k in range(2**m)]) - logZ
    Kp, hp, residual = fit_chain_loglinear(ising.all_configurations(m), log_marg, periodic=True)
    logZm = float(logsumexp(ising.energy(ising.all_configurations(m), Kp, hp, "periodic")))
    gp = (logZ - logZm) / m
    return Kp, hp, gp, residual


@dataclass(frozen=True)
class DecimationRoutes:
    """``(K', h', g')`` of one case by each route."""

    K: float
    h: float
    b: int
    matrix: tuple[float, float, float]  # rgbook.rg.decimate (log-space matrix power)
    enumeration: tuple[float, float, float]  # decimate_by_enumeration
    enumeration_residual: float  # misfit of its log-linear fit
    enumeration_sites: int  # b * m sites enumerated
    closed_form: tuple[float, float, float] | None  # rgbook.rg.decimate_closed_form_b2 (b = 2)
    zero_field_map: float | None  # rgbook.rg.zero_field_map, K' only (h = 0)

    @property
    def closed_forms_available(self) -> str:
        """Which of ``K', h', g'`` have a closed form for this case."""
        return "K',h',g'" if self.b == 2 else ("K'" if self.h == 0 else "none")

    @property
    def spread(self) -> float:
        """Largest ``|route - matrix|`` over the routes and the numbers they give."""
        matrix = np.array(self.matrix)
        if self.closed_form is not None:
            closed = np.array(self.closed_form)
        elif self.zero_field_map is not None:
            closed = np.array([self.zero_field_map, 0.0, np.nan])
        else:
            closed = np.full(3, np.nan)
        return float(np.nanmax(np.abs(np.vstack([np.array(self.enumeration), closed]) - matrix)))


def _enumeration_blocks(P, b: int) -> int:
    return min(P.enumeration_blocks, P.enumeration_max_sites // b)


@lru_cache(maxsize=4)
def decimation_routes(P) -> tuple[DecimationRoutes, ...]:
    """Every case of ``P.decimation_cases`` by matrix power, enumeration and (where one exists) closed form."""
    out = []
    for K, h, b in P.decimation_cases:
        m = _enumeration_blocks(P, b)
        Ke, he, ge, resid = decimate_by_enumeration(K, h, b, m=m)
        out.append(
            DecimationRoutes(
                K=K,
                h=h,
                b=b,
                matrix=tuple(float(v) for v in rg.decimate(K, h, b)),
                enumeration=(Ke, he, ge),
                enumeration_residual=resid,
                enumeration_sites=b * m,
                closed_form=tuple(float(v) for v in rg.decimate_closed_form_b2(K, h)) if b == 2 else None,
                zero_field_map=float(rg.zero_field_map(K, b)) if h == 0.0 else None,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class FlowEnd:
    """Where a flow of ``steps`` decimations from ``(K0, h0)`` ends."""

    K0: float
    h0: float
    b: int
    steps: int
    K_final: float
    h_final: float


@dataclass(frozen=True)
class FixedPoints:
    """The flows and the map near its fixed points."""

    flows: tuple[FlowEnd, ...]  # zero field from P.flow_starts, then P.field_flow_start
    superstable: tuple[tuple[int, float, float], ...]  # (b, K, R_b(K)/K^b) at K = P.small_K
    unstable: tuple[tuple[int, float, float], ...]  # (b, K, x'/x) with x = e^{-2K} at K = P.large_K
    jacobian: tuple[tuple[float, float], tuple[float, float]]  # d(K',h')/d(K,h) at P.fixed_line_point


@lru_cache(maxsize=4)
def fixed_points(P) -> FixedPoints:
    """Flows to :math:`K^* = 0`; :math:`R_b(K)/K^b` near 0; :math:`x'/x` near :math:`K = \\infty`;
    the Jacobian on the fixed line :math:`K = 0`."""
    flows = []
    for K0 in P.flow_starts:
        for b in P.flow_bs:
            Ks, hs, _ = rg.flow(K0, 0.0, b, steps=P.flow_steps)
            flows.append(FlowEnd(K0, 0.0, b, P.flow_steps, float(Ks[-1]), float(hs[-1])))
    K0, h0, b0 = P.field_flow_start
    Ks, hs, _ = rg.flow(K0, h0, b0, steps=P.flow_steps)
    flows.append(FlowEnd(K0, h0, b0, P.flow_steps, float(Ks[-1]), float(hs[-1])))
    superstable, unstable = [], []
    for b in P.flow_bs:
        K = P.small_K
        superstable.append((b, K, float(rg.zero_field_map(K, b) / K**b)))
        K = P.large_K
        x, xp = np.exp(-2 * K), np.exp(-2 * rg.zero_field_map(K, b))
        unstable.append((b, K, float(xp / x)))
    J = rg.linearize(*P.fixed_line_point)
    return FixedPoints(
        tuple(flows),
        tuple(superstable),
        tuple(unstable),
        ((float(J[0, 0]), float(J[0, 1])), (float(J[1, 0]), float(J[1, 1]))),
    )


def decimated_correlation(K: float, b: int, *, n_samples: int, N: int, seed: int) -> tuple[float, float]:
    r"""Nearest-neighbour correlation of every ``b``-th spin of exactly sampled chains (``b = 1``: all spins).

    ``n_samples`` open chains of ``N`` sites at zero field are drawn exactly
    (:func:`rgbook.ising.sample_chain`, seed ``seed``). Returns the sample mean of
    :math:`\sigma_i\sigma_{i+1}` over kept pairs and its standard error from the spread of
    per-chain averages; the exact value is :math:`\tanh^b K = \tanh K'`.
    """
    s = ising.sample_chain(n_samples, N, K, 0.0, rng=np.random.default_rng(seed))
    kept = s[:, ::b].astype(np.float64)
    per_chain = (kept[:, :-1] * kept[:, 1:]).mean(axis=1)
    return float(per_chain.mean()), float(per_chain.std(ddof=1) / np.sqrt(n_samples))


@dataclass(frozen=True)
class SampledCorrelation:
    """Nearest-neighbour correlation of the decimated samples against :math:`\\tanh K'`."""

    K: float
    b: int
    seed: int
    predicted: float  # tanh K', K' = R_b(K)
    mean: float
    se: float


@lru_cache(maxsize=4)
def sampled_correlations(P) -> tuple[SampledCorrelation, ...]:
    """:func:`decimated_correlation` for every case of ``P.sample_cases``."""
    out = []
    for K, b, seed in P.sample_cases:
        mean, se = decimated_correlation(K, b, n_samples=P.n_samples, N=P.chain_sites, seed=seed)
        out.append(SampledCorrelation(K, b, seed, float(np.tanh(rg.zero_field_map(K, b))), mean, se))
    return tuple(out)


@dataclass(frozen=True)
class CorrelationFlow:
    """Correlation length along the zero-field flow from ``K0``: exact, predicted, and from samples."""

    K0: float
    b: int
    xi_exact: tuple[float, ...]  # xi(K_n), n = 0..steps
    xi_predicted: tuple[float, ...]  # xi(K_0) / b^n
    xi_measured: tuple[float, ...]  # from every b^k-th spin of sampled chains, k = 0..sampled_steps
    xi_se: tuple[float, ...]  # standard errors (delta method)


@lru_cache(maxsize=4)
def correlation_flows(P) -> tuple[CorrelationFlow, ...]:
    """:math:`\\xi(K_n)` along the flow from ``P.fig_xi_K0`` (exact) and measured from decimated exact samples."""
    out = []
    n = np.arange(P.fig_xi_steps + 1)
    for b in P.fig_xi_bs:
        Ks, _, _ = rg.flow(P.fig_xi_K0, 0.0, b, P.fig_xi_steps)
        meas, err = [], []
        # keep every b^k-th spin of exactly sampled chains (k = 0 is the chain itself)
        for k in range(min(P.fig_xi_steps, P.fig_xi_sampled_steps) + 1):
            stride = b**k
            c, se = decimated_correlation(
                P.fig_xi_K0,
                stride,
                n_samples=P.fig_xi_n_samples,
                N=stride * P.fig_xi_kept_bonds + 1,
                seed=P.fig_xi_seed + k,
            )
            meas.append(float(-1.0 / np.log(c)))
            err.append(float(se / (c * np.log(c) ** 2)))  # delta method: d xi / dc = 1/(c ln^2 c)
        out.append(
            CorrelationFlow(
                K0=P.fig_xi_K0,
                b=b,
                xi_exact=tuple(float(v) for v in ising.correlation_length(Ks)),
                xi_predicted=tuple(float(v) for v in ising.correlation_length(P.fig_xi_K0) / float(b) ** n),
                xi_measured=tuple(meas),
                xi_se=tuple(err),
            )
        )
    return tuple(out)
