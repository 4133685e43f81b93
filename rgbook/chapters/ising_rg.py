r"""Chapter *Real-space RG of the 1D Ising chain* (``book/ising_rg.md``): protocol, runs, figures, claims.

The chapter builds the yardstick of Paper I, the decimation RG of the chain
:math:`-H = K\sum_i s_is_{i+1} + h\sum_i s_i`, and checks it by independent routes:

* :func:`decimation_routes`: the matrix-power map :func:`rgbook.rg.decimate` against the
  closed forms and against :func:`decimate_by_enumeration` (brute-force enumeration of a ring,
  the chapter's independent route);
* :func:`fixed_points`: flows, and the map near its fixed points;
* :func:`sampled_correlations` and :func:`correlation_flows`: the correlation length of
  exactly sampled, decimated chains;
* the free energy rebuilt from the constants of successive decimations.

Claims: ``I.rg.decimation``, ``I.rg.fixed-point``, ``I.rg.correlation-length``,
``I.rg.free-energy`` (standard physics on which Paper I builds). Nothing here loads torch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.special import logsumexp

from .. import ising, rg
from .._validate import as_int, as_real
from ..claims import Claim, Row
from ..couplings import fit_chain_loglinear

__all__ = [
    "CHAPTER",
    "Protocol",
    "PROTOCOL",
    "FIGURES",
    "CLAIMS",
    "DECIMATION",
    "FIXED_POINT",
    "CORRELATION_LENGTH",
    "FREE_ENERGY",
    "decimate_by_enumeration",
    "DecimationRoutes",
    "decimation_routes",
    "routes_table",
    "FlowEnd",
    "FixedPoints",
    "fixed_points",
    "decimated_correlation",
    "SampledCorrelation",
    "sampled_correlations",
    "CorrelationFlow",
    "correlation_flows",
    "measure_decimation",
    "measure_fixed_point",
    "measure_correlation_length",
    "measure_free_energy",
    "plot_zero_field_flow",
    "plot_field_flow",
    "plot_map_near_fixed_points",
    "plot_correlation_length_flow",
    "plot_free_energy_convergence",
]

CHAPTER = "book/ising_rg"

#: Labels of the chapter's numbered figures, in book order.
FIGURES = ("fig-ising-flow", "fig-ising-field-flow", "fig-ising-map", "fig-ising-xi", "fig-ising-free-energy")


@dataclass(frozen=True)
class Protocol:
    """Everything the chapter computes: cases, sizes, steps and seeds.

    Couplings ``K`` and fields ``h`` are dimensionless; ``b`` is the decimation scale factor.
    """

    # I.rg.decimation: (K, h, b) cases, and the ring sizes of the enumeration route
    decimation_cases: tuple[tuple[float, float, int], ...] = (
        (0.5, 0.0, 2),
        (1.0, 0.0, 2),
        (1.0, 0.3, 2),
        (2.0, -0.5, 2),
        (1.0, 0.0, 3),
        (0.7, -0.4, 3),
        (1.2, 0.2, 4),
    )
    #: the enumerated ring has b*m sites with m = min(enumeration_blocks, enumeration_max_sites // b)
    enumeration_blocks: int = 4
    enumeration_max_sites: int = 12
    #: (K, b, R_b(K)): reference values computed independently (closed form artanh(tanh^b K),
    #: high precision), quoted to 10 decimals
    reference_maps: tuple[tuple[float, int, float], ...] = (
        (1.0, 2, 0.6625013737),
        (0.5, 2, 0.2168904152),
        (1.0, 3, 0.4743957547),
    )
    # I.rg.fixed-point
    flow_starts: tuple[float, ...] = (0.5, 1.0, 2.0, 3.0)
    flow_bs: tuple[int, ...] = (2, 3)
    flow_steps: int = 30
    field_flow_start: tuple[float, float, int] = (1.0, 0.3, 2)  # (K_0, h_0, b)
    small_K: float = 1e-3  # where R_b(K)/K^b is measured
    large_K: float = 10.0  # where x'/x is measured
    fixed_line_point: tuple[float, float, int] = (0.0, 0.5, 2)  # (K, h, b) of the Jacobian
    # I.rg.correlation-length
    xi_couplings: tuple[float, ...] = (0.3, 1.0, 2.0)
    xi_bs: tuple[int, ...] = (2, 3)
    sample_cases: tuple[tuple[float, int, int], ...] = ((0.5, 2, 1), (1.0, 2, 2), (1.0, 3, 3))  # (K, b, seed)
    n_samples: int = 20_000
    chain_sites: int = 61
    # I.rg.free-energy
    free_energy_cases: tuple[tuple[float, float], ...] = ((0.5, 0.0), (1.0, 0.0), (1.0, 0.3), (2.0, -0.5))
    free_energy_bs: tuple[int, ...] = (2, 3)
    free_energy_steps: int = 40
    ring_sites: int = 4096
    # figures
    fig_flow_starts: tuple[float, ...] = (0.5, 1.0, 2.0, 3.0, 4.0)
    fig_flow_bs: tuple[int, ...] = (2, 3)
    fig_flow_steps: int = 12
    fig_field_b: int = 2
    fig_field_starts: tuple[tuple[float, float], ...] = (
        (2.0, 0.05),
        (1.5, -0.2),
        (1.0, 0.3),
        (2.5, 0.0),
        (0.6, -1.0),
        (0.3, 2.5),
    )
    fig_field_steps: int = 8
    fig_map_bs: tuple[int, ...] = (2, 3)
    fig_xi_K0: float = 2.0
    fig_xi_bs: tuple[int, ...] = (2, 3)
    fig_xi_steps: int = 5
    fig_xi_sampled_steps: int = 3  # decimation levels measured from samples (0..3)
    fig_xi_n_samples: int = 20_000
    fig_xi_kept_bonds: int = 40  # chains of b^k * 40 + 1 sites keep 40 bonds after k steps
    fig_xi_seed: int = 7  # level k uses seed fig_xi_seed + k
    fig_xi_k_sigma: float = 5.0  # error bars of k standard errors
    fig_free_energy_cases: tuple[tuple[float, float, int], ...] = ((1.0, 0.0, 2), (1.0, 0.3, 2), (2.0, -0.5, 3))

    def smoke(self) -> Protocol:
        """A variant that runs in well under a second: fewer cases, samples and sites."""
        return dataclasses.replace(
            self,
            decimation_cases=((1.0, 0.0, 2), (1.0, 0.3, 2), (0.7, -0.4, 3)),
            enumeration_blocks=3,
            flow_starts=(1.0,),
            xi_couplings=(1.0,),
            sample_cases=((1.0, 2, 2),),
            n_samples=500,
            chain_sites=21,
            free_energy_cases=((1.0, 0.3),),
            free_energy_steps=20,
            ring_sites=64,
            fig_xi_steps=2,
            fig_xi_sampled_steps=1,
            fig_xi_n_samples=500,
            fig_xi_kept_bonds=10,
        )


PROTOCOL = Protocol()


# --------------------------------------------------------------------------------------
# I.rg.decimation: three routes to (K', h', g')


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


def _enumeration_blocks(P: Protocol, b: int) -> int:
    return min(P.enumeration_blocks, P.enumeration_max_sites // b)


@lru_cache(maxsize=4)
def decimation_routes(P: Protocol) -> tuple[DecimationRoutes, ...]:
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


def routes_table(routes: tuple[DecimationRoutes, ...]) -> pd.DataFrame:
    """Display table of :func:`decimation_routes`: the matrix-power values and the spread of the routes."""
    return pd.DataFrame(
        [
            {
                "K": r.K,
                "h": r.h,
                "b": r.b,
                "K' (matrix power)": r.matrix[0],
                "h' (matrix power)": r.matrix[1],
                "g' (matrix power)": r.matrix[2],
                "closed form available": r.closed_forms_available,
                "max |route - matrix|": r.spread,
            }
            for r in routes
        ]
    )


def measure_decimation(P: Protocol, tol: Mapping[str, float]) -> list[Row]:
    """Matrix power vs closed forms vs enumeration of rings, and independently computed reference values."""
    rows = []
    for r in decimation_routes(P):
        tag = f"K={r.K}, h={r.h}, b={r.b}"
        (Km, hm, gm), (Ke, he, ge) = r.matrix, r.enumeration
        rows += [
            Row(f"K' enumeration vs matrix ({tag})", Km, Ke, tol["routes"]),
            Row(f"h' enumeration vs matrix ({tag})", hm, he, tol["routes"]),
            Row(f"g' enumeration vs matrix ({tag})", gm, ge, tol["routes"]),
            Row(f"log-linear misfit of the decimated ring ({tag})", 0.0, r.enumeration_residual, tol["routes"]),
        ]
        if r.closed_form is not None:
            Kc, hc, gc = r.closed_form
            rows += [
                Row(f"K' closed form vs matrix ({tag})", Km, Kc, tol["closed_form"]),
                Row(f"h' closed form vs matrix ({tag})", hm, hc, tol["closed_form"]),
                Row(f"g' closed form vs matrix ({tag})", gm, gc, tol["closed_form"]),
            ]
        if r.zero_field_map is not None:
            rows.append(Row(f"K' = artanh(tanh^b K) vs matrix ({tag})", Km, r.zero_field_map, tol["closed_form"]))
    for K, b, ref in P.reference_maps:
        rows.append(
            Row(
                f"R_{b}({K}) vs reference value (computed independently: closed form, high precision)",
                ref,
                rg.decimate(K, 0.0, b)[0],
                tol["routes"],
            )
        )
    return rows


# --------------------------------------------------------------------------------------
# I.rg.fixed-point


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
def fixed_points(P: Protocol) -> FixedPoints:
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


def _exponent(x: float) -> str:
    """A small number as a reader writes it: 0.001 -> '1e-3'."""
    mantissa, _, exponent = f"{x:.0e}".partition("e")
    return f"{mantissa}e{int(exponent)}"


def measure_fixed_point(P: Protocol, tol: Mapping[str, float]) -> list[Row]:
    """Flows to K* = 0, K' ~ K^b near 0, x' = b x near K = infinity, marginal field at K = 0."""
    fp = fixed_points(P)
    rows = []
    for f in fp.flows:
        name = (
            f"K_{f.steps} from K_0={f.K0}, b={f.b}"
            if f.h0 == 0.0
            else f"K_{f.steps} from (K_0, h_0)=({f.K0:g}, {f.h0:g}), b={f.b}"
        )
        rows.append(Row(name, 0.0, f.K_final, tol["flow"]))
    for (b, Ks, ratio), (_, Kl, xratio) in zip(fp.superstable, fp.unstable):
        rows.append(Row(f"R_{b}(K)/K^{b} at K={_exponent(Ks)} (K' ~ K^b)", 1.0, ratio, tol["superstable"]))
        rows.append(
            Row(f"x'/x with x=e^(-2K) at K={Kl:g}, b={b} (eigenvalue b at K*=inf)", float(b), xratio, tol["unstable"])
        )
    K, h, _ = P.fixed_line_point
    rows.append(Row(f"dK'/dK on the fixed line K={K:g} (h={h})", 0.0, fp.jacobian[0][0], tol["jacobian"]))
    rows.append(Row(f"dh'/dh on the fixed line K={K:g} (h={h})", 1.0, fp.jacobian[1][1], tol["jacobian"]))
    return rows


# --------------------------------------------------------------------------------------
# I.rg.correlation-length


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
def sampled_correlations(P: Protocol) -> tuple[SampledCorrelation, ...]:
    """:func:`decimated_correlation` for every case of ``P.sample_cases``."""
    out = []
    for K, b, seed in P.sample_cases:
        mean, se = decimated_correlation(K, b, n_samples=P.n_samples, N=P.chain_sites, seed=seed)
        out.append(SampledCorrelation(K, b, seed, float(np.tanh(rg.zero_field_map(K, b))), mean, se))
    return tuple(out)


def measure_correlation_length(P: Protocol, tol: Mapping[str, float]) -> list[Row]:
    """xi(K') b = xi(K) exactly; and the decimated samples' correlation against tanh K'."""
    rows = []
    for K in P.xi_couplings:
        for b in P.xi_bs:
            xi, xip = ising.correlation_length(K), ising.correlation_length(rg.zero_field_map(K, b))
            rows.append(Row(f"b xi(K') vs xi(K) at K={K}, b={b}", float(xi), float(b * xip), tol["xi_relative"] * xi))
    k = tol["k_sigma"]
    for c in sampled_correlations(P):
        rows.append(
            Row(
                f"<s s> of decimated samples vs tanh K' (K={c.K}, b={c.b}; tol {k:g} s.e.)",
                c.predicted,
                c.mean,
                k * c.se,
            )
        )
    return rows


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
def correlation_flows(P: Protocol) -> tuple[CorrelationFlow, ...]:
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


# --------------------------------------------------------------------------------------
# I.rg.free-energy


def measure_free_energy(P: Protocol, tol: Mapping[str, float]) -> list[Row]:
    """Partial sums of g'/b^n against the exact ln(lambda_max) and against ln Z_N / N."""
    rows = []
    N, steps = P.ring_sites, P.free_energy_steps
    for K, h in P.free_energy_cases:
        exact = float(ising.free_energy_per_spin(K, h))
        for b in P.free_energy_bs:
            f = rg.free_energy_from_flow(K, h, b, steps=steps)
            rows.append(
                Row(
                    f"sum g/b^n ({steps} steps) vs ln lambda_max, K={K}, h={h}, b={b}",
                    exact,
                    float(f[-1]),
                    tol["free_energy"],
                )
            )
        lnZ = ising.log_partition(N, K, h, "periodic") / N
        rows.append(Row(f"ln Z_N/N of a {N}-ring vs ln lambda_max, K={K}, h={h}", exact, lnZ, tol["ring"]))
    return rows


# --------------------------------------------------------------------------------------
# figures


def plot_zero_field_flow(ax, P: Protocol, b: int) -> None:
    """:math:`K_n` against ``n`` for the starting couplings ``P.fig_flow_starts`` (zero field)."""
    steps = P.fig_flow_steps
    for K0 in P.fig_flow_starts:
        Ks, _, _ = rg.flow(K0, 0.0, b, steps)
        ax.plot(np.arange(steps + 1), Ks, "o-", ms=3, label=f"$K_0={K0:g}$")
    ax.axhline(0.0, color="k", lw=0.8, ls="--")
    ax.set(xlabel="RG step $n$", ylabel="coupling $K_n$ (dimensionless)", title=f"decimation, $b={b}$")
    ax.legend(fontsize="small")


def plot_field_flow(ax, P: Protocol) -> None:
    """Flow field of one decimation step in the :math:`(K, h)` plane, with trajectories."""
    b = P.fig_field_b
    K, h = np.meshgrid(np.linspace(0.05, 3.0, 17), np.linspace(-3.0, 3.0, 17))
    Kp, hp, _ = rg.decimate(K, h, b)
    dK, dh = Kp - K, hp - h
    norm = np.hypot(dK, dh)
    ax.quiver(K, h, dK / norm, dh / norm, norm, cmap="viridis", angles="xy", scale=30, width=0.004)
    for K0, h0 in P.fig_field_starts:
        Ks, hs, _ = rg.flow(K0, h0, b, P.fig_field_steps)
        keep = np.abs(hs) < 3.2
        ax.plot(Ks[keep], hs[keep], "o-", color="C3", ms=3, lw=1.2)
    ax.plot([0, 0], [-3.0, 3.0], color="k", lw=3, label="fixed line $K^*=0$ (attracting)")
    ax.set(
        xlabel="coupling $K$",
        ylabel="field $h$",
        xlim=(-0.1, 3.1),
        ylim=(-3.2, 3.2),
        title=f"one step of decimation, $b={b}$",
    )
    ax.legend(loc="lower right", fontsize="small")


def plot_map_near_fixed_points(ax_small, ax_large, P: Protocol) -> None:
    """The zero-field map near both fixed points: :math:`K'/K^b \\to 1` and :math:`x'/x \\to b`."""
    K = np.logspace(-3, 0.5, 200)
    Kbig = np.linspace(0.5, 10, 200)
    for b in P.fig_map_bs:
        ax_small.plot(K, rg.zero_field_map(K, b) / K**b, label=f"$b={b}$")
        x, xp = np.exp(-2 * Kbig), np.exp(-2 * rg.zero_field_map(Kbig, b))
        ax_large.plot(Kbig, xp / x, label=f"$b={b}$")
        ax_large.axhline(b, color="k", lw=0.8, ls=":")
    ax_small.set(xscale="log", xlabel="coupling $K$", ylabel="$R_b(K)/K^b$", title="near $K^*=0$: $K'\\sim K^b$")
    ax_large.set(xlabel="coupling $K$", ylabel="$x'/x$, $x=e^{-2K}$", title="near $K^*=\\infty$: $x'\\to b\\,x$")
    ax_small.legend(fontsize="small")
    ax_large.legend(fontsize="small")


def plot_correlation_length_flow(ax, P: Protocol) -> None:
    """:math:`\\xi(K_n)` along the flow (exact, lines; :math:`\\xi_0/b^n`, dotted) and from decimated
    samples (points with error bars of ``P.fig_xi_k_sigma`` standard errors)."""
    k_sigma = P.fig_xi_k_sigma
    for i, fl in enumerate(correlation_flows(P)):
        n = np.arange(len(fl.xi_exact))
        ax.plot(n, fl.xi_exact, "-", color=f"C{i}", label=f"$\\xi(K_n)$, $b={fl.b}$")
        ax.plot(n, fl.xi_predicted, ":", color="k", lw=1)
        ax.errorbar(
            np.arange(len(fl.xi_measured)),
            fl.xi_measured,
            yerr=k_sigma * np.array(fl.xi_se),
            fmt="o",
            color=f"C{i}",
            capsize=3,
            label=f"from decimated samples, $b={fl.b}$ ({k_sigma:g} s.e.)",
        )
    ax.set(
        yscale="log",
        xlabel="RG step $n$",
        ylabel="correlation length $\\xi$ (lattice units of the current chain)",
        title=f"$\\xi_n = \\xi_0/b^n$ from $K_0={P.fig_xi_K0:g}$ (dotted)",
    )
    ax.legend(fontsize="small")


def plot_free_energy_convergence(ax, P: Protocol) -> None:
    """Error of the partial sums :math:`\\sum_{n<M} g_{n+1}/b^{n+1}` against :math:`\\ln\\lambda_{\\max}`."""
    steps = P.free_energy_steps
    for K, h, b in P.fig_free_energy_cases:
        f = rg.free_energy_from_flow(K, h, b, steps)
        err = np.abs(f - ising.free_energy_per_spin(K, h))
        ax.semilogy(np.arange(steps + 1), np.maximum(err, 1e-17), "o-", ms=3, label=f"$K={K:g}, h={h:g}, b={b}$")
    ax.axhline(np.finfo(float).eps, color="k", lw=0.8, ls=":", label="double-precision $\\epsilon$")
    ax.set(
        xlabel="number of decimation steps $M$",
        ylabel="$|f_M - \\ln\\lambda_{\\max}|$ (per spin)",
        title="free energy from the RG constants",
    )
    ax.legend(fontsize="small")


# --------------------------------------------------------------------------------------
# claims

_RG_STANDARD = "Standard real-space RG of the 1D Ising chain, on which Paper I builds."

DECIMATION = Claim(
    id="I.rg.decimation",
    paper="I",
    reading="RG",
    paper_claim=_RG_STANDARD,
    statement=(
        "Decimation by b of the chain (K, h) is exactly the chain (K', h') with "
        "T(K,h)^b = exp(g') T(K',h'); at h = 0, tanh K' = tanh^b K. Closed form, "
        "matrix power and brute-force enumeration of rings agree to {routes} "
        "(closed forms and matrix power to {closed_form})."
    ),
    tolerances={"routes": 1e-9, "closed_form": 1e-12},
    chapter=CHAPTER,
    measure=measure_decimation,
    protocol=PROTOCOL,
    figure="fig-ising-flow",
    constants=("0",),
)

FIXED_POINT = Claim(
    id="I.rg.fixed-point",
    paper="I",
    reading="RG",
    paper_claim=_RG_STANDARD,
    statement=(
        "The zero-field map has two fixed points: K* = 0 (stable, K' ~ K^b: R_b(K)/K^b -> 1, within "
        "{superstable} at small K) and K* = infinity (unstable; x = exp(-2K) grows as x' = b x: x'/x -> b, "
        "within {unstable} at large K). Every finite K_0 flows to K* = 0 (to {flow}); along the K = 0 fixed "
        "line the field is marginal (dh'/dh = 1, dK'/dK = 0, to {jacobian})."
    ),
    tolerances={"superstable": 1e-5, "unstable": 1e-6, "flow": 1e-8, "jacobian": 1e-6},
    chapter=CHAPTER,
    measure=measure_fixed_point,
    protocol=PROTOCOL,
    figure="fig-ising-field-flow",
    constants=("0", "1", "exp(-2K)"),
)

CORRELATION_LENGTH = Claim(
    id="I.rg.correlation-length",
    paper="I",
    reading="RG",
    paper_claim=_RG_STANDARD,
    statement=(
        "The correlation length in lattice units shrinks exactly by b per step, "
        "xi(K') = xi(K)/b (to relative {xi_relative}), and the decimated samples of an exactly sampled "
        "chain have nearest-neighbour correlation tanh K' within a {k_sigma}-sigma band."
    ),
    tolerances={"xi_relative": 1e-9, "k_sigma": 5},
    chapter=CHAPTER,
    measure=measure_correlation_length,
    protocol=PROTOCOL,
    figure="fig-ising-xi",
)

FREE_ENERGY = Claim(
    id="I.rg.free-energy",
    paper="I",
    reading="RG",
    paper_claim=_RG_STANDARD,
    statement=(
        "The constants g' of successive decimations sum to the free energy per spin: "
        "sum_n g_(n+1)/b^(n+1) -> ln lambda_max(K, h), to {free_energy} after {protocol.free_energy_steps} steps; "
        "ln Z_N/N of a long ring agrees with ln lambda_max to {ring}."
    ),
    tolerances={"free_energy": 1e-8, "ring": 1e-8},
    chapter=CHAPTER,
    measure=measure_free_energy,
    protocol=PROTOCOL,
    figure="fig-ising-free-energy",
    constants=("b^(n+1)",),
)

CLAIMS = (DECIMATION, FIXED_POINT, CORRELATION_LENGTH, FREE_ENERGY)
