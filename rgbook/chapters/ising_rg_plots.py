r"""Tables and figures of the chapter *Real-space RG of the 1D Ising chain* (``book/ising_rg``).

Each takes the chapter's ``Protocol`` ``P`` (or a run of :mod:`rgbook.chapters.ising_rg_runs`); the
chapter module re-exports them. Nothing here loads torch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import ising, rg
from .ising_rg_runs import correlation_flows


def routes_table(routes) -> pd.DataFrame:
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


def plot_zero_field_flow(ax, P, b: int) -> None:
    """:math:`K_n` against ``n`` for the starting couplings ``P.fig_flow_starts`` (zero field)."""
    steps = P.fig_flow_steps
    for K0 in P.fig_flow_starts:
        Ks, _, _ = rg.flow(K0, 0.0, b, steps)
        ax.plot(np.arange(steps + 1), Ks, "o-", ms=3, label=f"$K_0={K0:g}$")
    ax.axhline(0.0, color="k", lw=0.8, ls="--")
    ax.set(xlabel="RG step $n$", ylabel="coupling $K_n$ (dimensionless)", title=f"decimation, $b={b}$")
    ax.legend(fontsize="small")


def plot_field_flow(ax, P) -> None:
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


def plot_map_near_fixed_points(ax_small, ax_large, P) -> None:
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


def plot_correlation_length_flow(ax, P) -> None:
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


def plot_free_energy_convergence(ax, P) -> None:
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
