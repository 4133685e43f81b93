r"""Chapter *Real-space RG of the 1D Ising chain* (``book/ising_rg.md``): protocol, measures, claims.

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
``I.rg.free-energy`` (standard physics on which Paper I builds). The runs live in
:mod:`rgbook.chapters.ising_rg_runs`, the table and figures in :mod:`rgbook.chapters.ising_rg_plots`;
this module re-exports both. Nothing here loads torch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from .. import ising, rg
from ..claims import Claim, Row
from .ising_rg_plots import (
    plot_correlation_length_flow,
    plot_field_flow,
    plot_free_energy_convergence,
    plot_map_near_fixed_points,
    plot_zero_field_flow,
    routes_table,
)
from .ising_rg_runs import (
    CorrelationFlow,
    DecimationRoutes,
    FixedPoints,
    FlowEnd,
    SampledCorrelation,
    correlation_flows,
    decimate_by_enumeration,
    decimated_correlation,
    decimation_routes,
    fixed_points,
    sampled_correlations,
)

# fmt: off
__all__ = [
    "CHAPTER", "Protocol", "PROTOCOL", "FIGURES", "CLAIMS", "DECIMATION", "FIXED_POINT", "CORRELATION_LENGTH",
    "FREE_ENERGY", "decimate_by_enumeration", "DecimationRoutes", "decimation_routes", "routes_table", "FlowEnd",
    "FixedPoints", "fixed_points", "decimated_correlation", "SampledCorrelation", "sampled_correlations",
    "CorrelationFlow", "correlation_flows", "measure_decimation", "measure_fixed_point",
    "measure_correlation_length", "measure_free_energy", "plot_zero_field_flow", "plot_field_flow",
    "plot_map_near_fixed_points", "plot_correlation_length_flow", "plot_free_energy_convergence"
]
# fmt: on

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
# claims

_RG_STANDARD = "Standard real-space RG of the 1D Ising chain, on which Paper I builds."
#: What the four claims share besides statement, tolerances and measure (written out in each Claim, where the
#: registration audit reads them).
_RG_CLAIM = {"paper": "I", "reading": "RG", "paper_claim": _RG_STANDARD, "chapter": CHAPTER, "protocol": PROTOCOL}

DECIMATION = Claim(
    id="I.rg.decimation",
    statement=(
        "Decimation by b of the chain (K, h) is exactly the chain (K', h') with "
        "T(K,h)^b = exp(g') T(K',h'); at h = 0, tanh K' = tanh^b K. Closed form, "
        "matrix power and brute-force enumeration of rings agree to {routes} "
        "(closed forms and matrix power to {closed_form})."
    ),
    tolerances={"routes": 1e-9, "closed_form": 1e-12},
    measure=measure_decimation,
    **_RG_CLAIM,
    figure="fig-ising-flow",
    constants=("0",),
)

FIXED_POINT = Claim(
    id="I.rg.fixed-point",
    statement=(
        "The zero-field map has two fixed points: K* = 0 (stable, K' ~ K^b: R_b(K)/K^b -> 1, within "
        "{superstable} at small K) and K* = infinity (unstable; x = exp(-2K) grows as x' = b x: x'/x -> b, "
        "within {unstable} at large K). Every finite K_0 flows to K* = 0 (to {flow}); along the K = 0 fixed "
        "line the field is marginal (dh'/dh = 1, dK'/dK = 0, to {jacobian})."
    ),
    tolerances={"superstable": 1e-5, "unstable": 1e-6, "flow": 1e-8, "jacobian": 1e-6},
    measure=measure_fixed_point,
    **_RG_CLAIM,
    figure="fig-ising-field-flow",
    constants=("0", "1", "exp(-2K)"),
)

CORRELATION_LENGTH = Claim(
    id="I.rg.correlation-length",
    statement=(
        "The correlation length in lattice units shrinks exactly by b per step, "
        "xi(K') = xi(K)/b (to relative {xi_relative}), and the decimated samples of an exactly sampled "
        "chain have nearest-neighbour correlation tanh K' within a {k_sigma}-sigma band."
    ),
    tolerances={"xi_relative": 1e-9, "k_sigma": 5},
    measure=measure_correlation_length,
    **_RG_CLAIM,
    figure="fig-ising-xi",
)

FREE_ENERGY = Claim(
    id="I.rg.free-energy",
    statement=(
        "The constants g' of successive decimations sum to the free energy per spin: "
        "sum_n g_(n+1)/b^(n+1) -> ln lambda_max(K, h), to {free_energy} after {protocol.free_energy_steps} steps; "
        "ln Z_N/N of a long ring agrees with ln lambda_max to {ring}."
    ),
    tolerances={"free_energy": 1e-8, "ring": 1e-8},
    measure=measure_free_energy,
    **_RG_CLAIM,
    figure="fig-ising-free-energy",
    constants=("b^(n+1)",),
)

CLAIMS = (DECIMATION, FIXED_POINT, CORRELATION_LENGTH, FREE_ENERGY)
