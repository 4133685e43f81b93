r"""Chapter *RG of coupled continuous chains* (``book/chain_rg``).

Real-space decimation (:math:`b = 2`) of chains of real-valued fields: the exact Gaussian-chain
recursion :math:`K' = K^2/d`, :math:`d' = d - 2K^2/d` against Schur complements of ring
precisions and against squaring the transfer kernel on a grid (claim ``II.rg.gaussian-chain``),
the projected flow of the :math:`\phi^4`-type chain and its small-coupling law
:math:`K' = K^2\langle x^2\rangle_V + O(K^4)` (claim ``II.rg.phi4-small-K``). No torch.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pandas as pd
from scipy.integrate import quad
from scipy.linalg import solve_circulant
from scipy.special import pbdv

from .. import rg
from .._protocol import number_word, sci
from ..claims import Claim, Row

# fmt: off
__all__ = [
    "CHAPTER", "Protocol", "PROTOCOL", "Phi4Step", "phi4_chain_flow", "phi4_table", "single_site_variance",
    "single_site_variance_closed_form", "SmallK", "small_K", "ring_correlation_length", "StableFlow", "stable_flow",
    "CriticalExponent", "critical_exponent", "plot_ratio_map", "plot_phi4_flow", "FIGURES", "CLAIMS"
]
# fmt: on

CHAPTER = "book/chain_rg"


@dataclass(frozen=True)
class Protocol:
    """Cases of the chapter.

    Gaussian chain: ``(K, d)`` cases (all :math:`|K/d| < 1/2`) checked on rings of ``2 ring_m``
    sites; the flow from ``flow_start`` over ``flow_steps`` steps; ``eps`` of the central
    difference at :math:`r^* = 1/2`; the same flow by the exact ``b = 2^flow_steps`` map of the
    correlation route; the correlation length of a ring of ``nu_ring`` sites at distances
    ``nu_ts`` = :math:`1/2 - r` from the critical point. :math:`\\phi^4`-type chain: on-site
    ``phi4_theta``, couplings ``phi4_Ks`` (the first is tabulated), ``phi4_steps`` steps; the
    small-coupling law :math:`K' = K^2\\langle x^2\\rangle_V` at couplings ``small_Ks`` for the
    potentials ``small_thetas``. Figure: cobweb starts.
    """

    cases: tuple[tuple[float, float], ...] = ((0.3, 1.0), (0.45, 1.0), (-0.2, 0.7), (1.0, 2.5))
    ring_m: int = 8
    flow_start: float = 0.45
    flow_steps: int = 10
    eps: float = 1e-6
    phi4_theta: tuple[float, ...] = (0.5, 0.1)
    phi4_Ks: tuple[float, ...] = (0.3, 0.8)
    phi4_steps: int = 5
    cobweb_starts: tuple[float, ...] = (0.2, 0.45, 0.499, 0.4999999)
    nu_ts: tuple[float, float] = (1e-3, 1e-5)
    nu_ring: int = 2**14
    small_thetas: tuple[tuple[float, ...], ...] = ((0.5, 0.1), (0.1, 0.5))
    small_Ks: tuple[float, ...] = (0.01, 0.02, 0.05)

    def smoke(self) -> Protocol:
        """A variant that runs the claims in a fraction of a second."""
        return replace(
            self,
            cases=self.cases[:1],
            phi4_Ks=self.phi4_Ks[:1],
            phi4_steps=1,
            small_thetas=self.small_thetas[:1],
            small_Ks=self.small_Ks[-1:],
        )

    # numbers of the claims' statements derived from the protocol

    @property
    def flow_steps_word(self) -> str:
        """``flow_steps`` in words ("ten")."""
        return number_word(self.flow_steps)

    @property
    def flow_end_order(self) -> str:
        """Order of magnitude of r after ``flow_steps`` decimations from ``flow_start`` (as :func:`stable_flow`)."""
        r = self.flow_start
        for _ in range(self.flow_steps):
            K, d = rg.gaussian_chain_decimate(r, 1.0)
            r = float(K / d)
        return sci(10.0 ** math.floor(math.log10(r))) if r > 0 else f"{r:g}"

    @property
    def nu_ts_text(self) -> str:
        """The distances ``nu_ts`` from the critical point, ``"1e-3 and 1e-5"``."""
        return " and ".join(sci(t) for t in self.nu_ts)

    @property
    def small_thetas_text(self) -> str:
        """The small-coupling potentials, ``"(0.5, 0.1) and (0.1, 0.5)"``."""
        return " and ".join("(" + ", ".join(f"{t:g}" for t in theta) + ")" for theta in self.small_thetas)

    @property
    def window_corrections(self) -> str:
        """Relative size (L^2/5) |kappa_4|/<x^2>_V K^2 of the first neglected term on the fit window |x| <= L of
        :func:`rgbook.rg.grid_chain_decimate`, per potential of ``small_thetas``: ``"0.36 K^2 and 0.44 K^2"``."""
        L = inspect.signature(rg.grid_chain_decimate).parameters["fit_width"].default
        out = []
        for theta in self.small_thetas:
            m2, m4 = (single_site_moment(theta, n) for n in (2, 4))
            out.append(f"{L**2 / 5 * abs(m4 - 3 * m2**2) / m2:.2f} K^2")
        return " and ".join(out)


PROTOCOL = Protocol()


@dataclass(frozen=True)
class Phi4Step:
    """Projected parameters of the phi^4-type chain after ``step`` decimations, and the projection misfit
    (largest :math:`|\\ln T_2 - \\text{fit}|` on the fit window; NaN at step 0)."""

    step: int
    theta_2: float
    theta_4: float
    K: float
    misfit: float


@cache
def phi4_chain_flow(theta: tuple[float, ...], K: float, steps: int) -> tuple[Phi4Step, ...]:
    """Grid decimation of the chain with V = theta_2 x^2 + theta_4 x^4: parameters and projection misfit per step."""
    th, k = np.asarray(theta, dtype=float), K
    out = [Phi4Step(0, float(th[0]), float(th[1]), float(k), float("nan"))]
    for n in range(1, steps + 1):
        th, k, res = rg.grid_chain_decimate(th, k)
        out.append(Phi4Step(n, float(th[0]), float(th[1]), float(k), float(res)))
    return tuple(out)


def phi4_table(P: Protocol, K: float | None = None):
    """:func:`phi4_chain_flow` from the protocol's first coupling (or ``K``) as a display table."""

    flow = phi4_chain_flow(P.phi4_theta, P.phi4_Ks[0] if K is None else K, P.phi4_steps)
    return pd.DataFrame(
        [
            {
                "step": s.step,
                "theta_2": s.theta_2,
                "theta_4": s.theta_4,
                "K": s.K,
                "max |ln T2 - fit| (window |x|<=2.5)": s.misfit,
            }
            for s in flow
        ]
    )


def single_site_variance(theta) -> float:
    r""":math:`\langle x^2\rangle_V` of the single-site law :math:`e^{-V}/Z_V`, :math:`V = \sum_k \theta_k x^{2k}`,
    by adaptive quadrature on the real line (``scipy.integrate.quad``)."""
    return single_site_moment(theta, 2)


def single_site_moment(theta, n: int) -> float:
    r""":math:`\langle x^n\rangle_V` of the single-site law :math:`e^{-V}/Z_V`, :math:`V = \sum_k \theta_k x^{2k}`,
    by adaptive quadrature on the real line (``scipy.integrate.quad``)."""
    theta = np.asarray(theta, dtype=float)

    def weight(x, n):
        return x**n * np.exp(-sum(t * x ** (2 * (k + 1)) for k, t in enumerate(theta)))

    Z = quad(weight, -np.inf, np.inf, args=(0,), epsabs=0, epsrel=1e-13)[0]
    return float(quad(weight, -np.inf, np.inf, args=(n,), epsabs=0, epsrel=1e-13)[0] / Z)


def single_site_variance_closed_form(theta_2: float, theta_4: float) -> float:
    r""":math:`\langle x^2\rangle_V` for :math:`V = \theta_2x^2 + \theta_4x^4` (:math:`\theta_4 > 0`) in parabolic
    cylinder functions: :math:`(2\theta_4)^{-1/2} D_{-3/2}(w) / (2 D_{-1/2}(w))`, :math:`w = \theta_2/\sqrt{2\theta_4}`
    (from :math:`\int_0^\infty u^{\nu-1}e^{-\beta u^2-\gamma u}du = (2\beta)^{-\nu/2}\Gamma(\nu)
    e^{\gamma^2/8\beta}D_{-\nu}(\gamma/\sqrt{2\beta})` with :math:`u = x^2`)."""
    w = theta_2 / np.sqrt(2 * theta_4)
    return float(pbdv(-1.5, w)[0] / (2 * np.sqrt(2 * theta_4) * pbdv(-0.5, w)[0]))


@dataclass(frozen=True)
class SmallK:
    """One decimation of the phi^4-type chain at small ``K``: the grid's K', the cumulant prediction
    K^2 <x^2>_V and the Gaussian formula K^2/(2 theta_2) (wrong when theta_4 != 0)."""

    theta: tuple[float, ...]
    K: float
    variance: float
    grid: float
    cumulant: float
    gaussian: float

    @property
    def relative_deviation(self) -> float:
        """K'_grid / (K^2 <x^2>_V) - 1."""
        return self.grid / self.cumulant - 1.0


@cache
def small_K(theta: tuple[float, ...], K: float) -> SmallK:
    """Grid decimation (:func:`rgbook.rg.grid_chain_decimate`) of the chain with on-site ``theta`` at coupling ``K``,
    against K^2 <x^2>_V."""
    var = single_site_variance(theta)
    _, Kp, _ = rg.grid_chain_decimate(list(theta), K)
    return SmallK(tuple(theta), K, var, float(Kp), K**2 * var, K**2 / (2 * theta[0]))


def ring_correlation_length(r: float, n: int) -> float:
    r"""Correlation length :math:`\xi = -1/\ln(C_1/C_0)` of the Gaussian ring of ``n`` sites with
    :math:`d = 1`, :math:`K = r`, from the first column :math:`C` of its covariance (the inverse of the circulant
    precision, by ``scipy.linalg.solve_circulant``). Independent of the decimation recursion; for
    ``n`` much larger than :math:`\xi` it equals :math:`1/\operatorname{arccosh}(1/2r)` to :math:`O(e^{-n/\xi})`."""
    column = np.zeros(n)
    column[0], column[1], column[-1] = 1.0, -r, -r
    e0 = np.zeros(n)
    e0[0] = 1.0
    C = solve_circulant(column, e0)
    return float(-1.0 / np.log(C[1] / C[0]))


@dataclass(frozen=True)
class StableFlow:
    """``steps`` decimations (b = 2) from ``r0`` by the recursion, and one step of b = 2^steps by the correlation
    route (:func:`rgbook.rg.gaussian_chain_ratio_map_b`)."""

    r0: float
    steps: int
    recursion: float
    one_step: float

    @property
    def log_ratio(self) -> float:
        """|ln(recursion / one_step)|."""
        return float(abs(np.log(self.recursion) - np.log(self.one_step)))


def stable_flow(P: Protocol) -> StableFlow:
    """The flow of r = K/d from ``P.flow_start`` over ``P.flow_steps`` steps, by two routes."""
    r = P.flow_start
    for _ in range(P.flow_steps):
        K, d = rg.gaussian_chain_decimate(r, 1.0)
        r = K / d
    return StableFlow(
        P.flow_start, P.flow_steps, float(r), float(rg.gaussian_chain_ratio_map_b(P.flow_start, b=2**P.flow_steps))
    )


@dataclass(frozen=True)
class CriticalExponent:
    """Correlation lengths of the ring at distances ``ts`` = 1/2 - r from the critical point, and
    nu = -d ln xi / d ln(1/2 - r) between them."""

    ts: tuple[float, float]
    xis: tuple[float, float]
    ring: int

    @property
    def nu(self) -> float:
        return float(np.log(self.xis[1] / self.xis[0]) / np.log(self.ts[0] / self.ts[1]))


@cache
def critical_exponent(P: Protocol) -> CriticalExponent:
    """:func:`ring_correlation_length` at ``P.nu_ts`` on a ring of ``P.nu_ring`` sites."""
    xis = tuple(ring_correlation_length(0.5 - t, P.nu_ring) for t in P.nu_ts)
    return CriticalExponent(tuple(P.nu_ts), xis, P.nu_ring)


def plot_ratio_map(ax, P: Protocol) -> None:
    r"""The map :math:`r' = r^2/(1-2r^2)` with its fixed points and cobweb trajectories."""
    r = np.linspace(0, 0.52, 400)
    ax.plot(r, rg.gaussian_chain_ratio_map(r), color="C0", label="$r' = r^2/(1-2r^2)$")
    ax.plot(r, r, "k:", lw=1, label="$r' = r$")
    for i, r0 in enumerate(P.cobweb_starts):
        x, path_x, path_y = r0, [r0], [r0]
        for _ in range(12):
            y = rg.gaussian_chain_ratio_map(x)
            path_x += [x, y]
            path_y += [y, y]
            x = y
        ax.plot(path_x, path_y, "-", color=f"C{i + 1}", lw=0.9, label=f"$r_0={r0:g}$")
    ax.plot([0, 0.5], [0, 0.5], "o", color="k", ms=6)
    ax.annotate("stable $r^*=0$", (0.0, 0.0), (0.05, 0.2), arrowprops={"arrowstyle": "->"})
    ax.annotate("critical $r^*=1/2$\neigenvalue $b^2=4$", (0.5, 0.5), (0.2, 0.45), arrowprops={"arrowstyle": "->"})
    ax.set(xlim=(0, 0.52), ylim=(0, 0.55), xlabel="$r = K/d$", ylabel="$r'$", title="Gaussian chain, $b = 2$")
    ax.legend(fontsize="x-small", loc="upper left")


def plot_phi4_flow(ax_params, ax_misfit, P: Protocol) -> None:
    r"""Grid decimation of :math:`\phi^4`-type chains: coupling and on-site coefficients per step, and the
    projection misfit.
    """
    steps = P.phi4_steps
    for i, K in enumerate(P.phi4_Ks):
        flow = phi4_chain_flow(P.phi4_theta, K, steps)
        n = [s.step for s in flow]
        kw = dict(color=f"C{i}", marker="o", ms=4)
        ax_params.plot(n, [s.K for s in flow], ls="-", label=f"$K_n$ ($K_0={K}$)", **kw)
        ax_params.plot(n, [s.theta_2 for s in flow], ls="--", **kw, label=f"$\\theta_{{2,n}}$ ($K_0={K}$)")
        ax_params.plot(n, [s.theta_4 for s in flow], ls=":", **kw, label=f"$\\theta_{{4,n}}$ ($K_0={K}$)")
        ax_misfit.semilogy(n[1:], [s.misfit for s in flow[1:]], ls="-", label=f"$K_0={K}$", **kw)
    ax_params.axhline(0, color="k", lw=0.8)
    for ax in (ax_params, ax_misfit):
        ax.set_xticks(range(steps + 1))
    ax_params.set(
        xlabel="decimation step $n$ ($b=2$)",
        ylabel="projected parameter (dimensionless)",
        title="flow of $(K, \\theta_2, \\theta_4)$",
    )
    ax_misfit.set(
        xlabel="decimation step $n$",
        ylabel="max $|\\ln T_2 - \\mathrm{fit}|$ on $|x|\\leq 2.5$",
        title="projection error",
    )
    ax_params.legend(fontsize="x-small", ncol=2)
    ax_misfit.legend(fontsize="small")


FIGURES = ("fig-gaussian-chain-flow", "fig-phi4-chain-flow")


def measure_gaussian_chain(P: Protocol, tol) -> list[Row]:
    """Recursion vs Schur complement of a ring and vs grid kernel squaring (evidence); ten steps vs one step of
    b = 2^10 from the correlation route, in ln r (evidence); nu from a ring's correlation length (evidence); the
    fixed point r* = 1/2, its central-difference eigenvalue and nu from it (consistency: the recursion itself).
    """
    rows = []
    for K, d in P.cases:
        Kp, dp = rg.gaussian_chain_decimate(K, d)
        Pm = rg.gaussian_ring_marginal_precision(K, d, m=P.ring_m)
        rows.append(Row(f"d' recursion vs Schur complement (K={K}, d={d})", dp, float(Pm[3, 3]), tol["schur"]))
        rows.append(Row(f"K' recursion vs Schur complement (K={K}, d={d})", Kp, float(-Pm[3, 4]), tol["schur"]))
        rows.append(Row(f"next-nearest coupling generated (K={K}, d={d})", 0.0, float(Pm[3, 5]), tol["schur"]))
        theta_g, K_g, _ = rg.grid_chain_decimate([d / 2], K)
        rows.append(Row(f"d' grid kernel squaring vs recursion (K={K}, d={d})", dp, float(2 * theta_g[0]), tol["grid"]))
        rows.append(Row(f"K' grid kernel squaring vs recursion (K={K}, d={d})", Kp, K_g, tol["grid"]))
    f = stable_flow(P)
    rows.append(
        Row(
            f"ln r_{f.steps} from r_0 = {f.r0} (r_{f.steps} = {f.recursion:.3g}, flows to r* = 0): "
            f"{f.steps} steps of b = 2 vs one step of b = 2^{f.steps} (correlation route)",
            float(np.log(f.one_step)),
            float(np.log(f.recursion)),
            tol["log_ratio"],
        )
    )
    c = critical_exponent(P)
    rows.append(
        Row(
            f"nu = -d ln xi / d ln(1/2 - r) from the ring's correlation length ({c.ring} sites; "
            f"1/2 - r = {c.ts[0]:g}, {c.ts[1]:g}; xi = {c.xis[0]:.1f}, {c.xis[1]:.1f})",
            0.5,
            c.nu,
            tol["nu_xi"],
        )
    )
    r_map = rg.gaussian_chain_ratio_map
    rows.append(Row("r* = 1/2 is fixed by r' = r^2/(1 - 2r^2)", 0.5, r_map(0.5), tol["fixed"], role="consistency"))
    eps = P.eps
    slope = (r_map(0.5 + eps) - r_map(0.5 - eps)) / (2 * eps)
    rows.append(
        Row(
            "eigenvalue dr'/dr at r* = 1/2 (b^2 = 4), central differences of the recursion",
            4.0,
            slope,
            tol["eigenvalue"],
            role="consistency",
        )
    )
    rows.append(
        Row(
            "nu = ln b / ln(eigenvalue) at r* = 1/2",
            0.5,
            float(np.log(2) / np.log(slope)),
            tol["eigenvalue"],
            role="consistency",
        )
    )
    return rows


def measure_phi4_small_K(P: Protocol, tol) -> list[Row]:
    """Grid decimation's K' at small K against K^2 <x^2>_V, relative tolerance rel_coeff * K^2 (evidence); <x^2>_V
    by quadrature against its parabolic-cylinder closed form (consistency)."""
    rows = []
    for theta in P.small_thetas:
        var = single_site_variance(theta)
        rows.append(
            Row(
                f"<x^2>_V quadrature vs parabolic cylinder closed form, theta = {list(theta)}",
                single_site_variance_closed_form(*theta),
                var,
                tol["quad"] * var,
                role="consistency",
            )
        )
        for K in P.small_Ks:
            s = small_K(tuple(theta), K)
            rows.append(
                Row(
                    f"K' grid decimation vs K^2 <x^2>_V, theta = {list(theta)}, K = {K} "
                    f"(relative tol {tol['rel_coeff']:g} K^2)",
                    s.cumulant,
                    s.grid,
                    tol["rel_coeff"] * K**2 * s.cumulant,
                )
            )
    return rows


CLAIMS = (
    Claim(
        id="II.rg.gaussian-chain",
        paper="II",
        reading="RG",
        paper_claim="Standard real-space RG of a coupled Gaussian chain (continuous field), on which Paper II builds.",
        statement=(
            "Decimating every second site of -H = -(d/2) sum x_i^2 + K sum x_i x_(i+1) gives exactly K' = K^2/d, d' = "
            "d - 2K^2/d with no further couplings (evidence: Schur complements of ring precisions to {schur}, squaring "
            "the transfer kernel on a grid to {grid}), i.e. r' = r^2/(1 - 2r^2) for r = K/d. r* = 0 is stable: "
            "{protocol.flow_steps_word} steps from r_0 = {protocol.flow_start} (r_{protocol.flow_steps} ~ "
            "{protocol.flow_end_order}) agree in ln r to {log_ratio} with the single step of b = "
            "2^{protocol.flow_steps} from the correlation route, r'_b = lambda^b/(1 + lambda^(2b)) with r = lambda/(1 "
            "+ lambda^2) (evidence). r* = 1/2 is critical with eigenvalue b^2 = 4, so nu = ln b/ln 4 = 1/2 "
            "(consistency rows, from the recursion itself: the fixed point to {fixed}, the central-difference "
            "eigenvalue and nu to {eigenvalue}); evidence for nu = 1/2 by another route: the correlation length xi of "
            "a ring's covariance at 1/2 - r = {protocol.nu_ts_text} gives nu = -d ln xi/d ln(1/2 - r) to {nu_xi} (the "
            "correction to scaling is relative O(1/2 - r))."
        ),
        tolerances={"schur": 1e-12, "grid": 1e-9, "fixed": 1e-15, "eigenvalue": 1e-6, "log_ratio": 1e-9, "nu_xi": 1e-3},
        chapter=CHAPTER,
        measure=measure_gaussian_chain,
        protocol=PROTOCOL,
        figure="fig-gaussian-chain-flow",
        title="exact Gaussian-chain decimation",
        constants=(
            "(d/2)",
            "x_i^2",
            "K' = K^2/d",
            "d' = d - 2K^2/d",
            "r' = r^2/(1 - 2r^2)",
            "r* = 0",
            "1 + lambda^(2b)",
            "1 + lambda^2",
            "1/2",
            "b^2 = 4",
            "ln 4",
            "b = 2^",
        ),
    ),
    Claim(
        id="II.rg.phi4-small-K",
        paper="II",
        reading="RG",
        paper_claim=(
            "Standard real-space RG of a coupled phi^4-type chain (continuous field), on which Paper II builds."
        ),
        statement=(
            "For -H = -sum V(x_i) + K sum x_i x_(i+1) with V = theta_2 x^2 + theta_4 x^4, the second-order cumulant "
            "expansion of the decimated kernel (b = 2) gives K' = K^2 <x^2>_V + O(K^4), with <x^2>_V the variance of "
            "the single-site law e^(-V)/Z (equal to 1/(2 theta_2) only when theta_4 = 0). Evidence: grid kernel "
            "squaring with the log-kernel projection at K = {protocol.small_Ks} for (theta_2, theta_4) = "
            "{protocol.small_thetas_text} agrees with K^2 <x^2>_V within relative {rel_coeff} K^2 (the first neglected "
            "term, kappa_4 K^4 (x_- + x_+)^4/24, reaches x_- x_+ only through the projection on the fit window |x| <= "
            "L = 2.5, a relative (L^2/5) |kappa_4|/<x^2>_V K^2 = {protocol.window_corrections} for these potentials). "
            "Consistency: <x^2>_V by adaptive quadrature equals its closed form in parabolic cylinder functions, (2 "
            "theta_4)^(-1/2) D_(-3/2)(w)/(2 D_(-1/2)(w)) with w = theta_2/sqrt(2 theta_4), to relative {quad}."
        ),
        tolerances={"rel_coeff": 1.0, "quad": 1e-10},
        chapter=CHAPTER,
        measure=measure_phi4_small_K,
        protocol=PROTOCOL,
        figure="fig-phi4-chain-flow",
        title="K' = K^2 <x^2>_V at small coupling",
        constants=(
            "x^2",
            "x^4",
            "second-order",
            "(b = 2)",
            "K^2",
            "K^4",
            "1/(2 theta_2)",
            "theta_4 = 0",
            "(x_- + x_+)^4/24",
            "L = 2.5",
            "(L^2/5)",
            "(2 theta_4)^(-1/2)",
            "/(2 D",
            "sqrt(2 theta_4)",
        ),
    ),
)
