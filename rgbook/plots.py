"""Plotting functions of the chapters: each draws on given axes and returns nothing else.

Keeping them here keeps the chapter cells short and lets ``rgbook`` regenerate figures
without the book.
"""

from __future__ import annotations

import numpy as np

from . import ising, rg
from .evidence import decimated_correlation

__all__ = ["zero_field_flow", "field_flow", "map_near_fixed_points", "correlation_length_flow", "free_energy_convergence"]


def zero_field_flow(ax, K0s, b: int, steps: int) -> None:
    """:math:`K_n` against ``n`` for several starting couplings (zero field)."""
    for K0 in K0s:
        Ks, _, _ = rg.flow(K0, 0.0, b, steps)
        ax.plot(np.arange(steps + 1), Ks, "o-", ms=3, label=f"$K_0={K0:g}$")
    ax.axhline(0.0, color="k", lw=0.8, ls="--")
    ax.set(xlabel="RG step $n$", ylabel="coupling $K_n$ (dimensionless)", title=f"decimation, $b={b}$")
    ax.legend(fontsize="small")


def field_flow(ax, b: int = 2, starts=((2.0, 0.05), (1.5, -0.2), (1.0, 0.3), (2.5, 0.0), (0.6, -1.0), (0.3, 2.5))) -> None:
    """Flow field of one decimation step in the :math:`(K, h)` plane, with trajectories."""
    K, h = np.meshgrid(np.linspace(0.05, 3.0, 17), np.linspace(-3.0, 3.0, 17))
    Kp, hp, _ = rg.decimate(K, h, b)
    dK, dh = Kp - K, hp - h
    norm = np.hypot(dK, dh)
    ax.quiver(K, h, dK / norm, dh / norm, norm, cmap="viridis", angles="xy", scale=30, width=0.004)
    for K0, h0 in starts:
        Ks, hs, _ = rg.flow(K0, h0, b, 8)
        keep = np.abs(hs) < 3.2
        ax.plot(Ks[keep], hs[keep], "o-", color="C3", ms=3, lw=1.2)
    ax.plot([0, 0], [-3.0, 3.0], color="k", lw=3, label="fixed line $K^*=0$ (attracting)")
    ax.set(xlabel="coupling $K$", ylabel="field $h$", xlim=(-0.1, 3.1), ylim=(-3.2, 3.2),
           title=f"one step of decimation, $b={b}$")
    ax.legend(loc="lower right", fontsize="small")


def map_near_fixed_points(ax_small, ax_large, bs=(2, 3)) -> None:
    """The zero-field map near both fixed points: :math:`K'/K^b \\to 1` and :math:`x'/x \\to b`."""
    K = np.logspace(-3, 0.5, 200)
    Kbig = np.linspace(0.5, 10, 200)
    for b in bs:
        ax_small.plot(K, rg.zero_field_map(K, b) / K**b, label=f"$b={b}$")
        x, xp = np.exp(-2 * Kbig), np.exp(-2 * rg.zero_field_map(Kbig, b))
        ax_large.plot(Kbig, xp / x, label=f"$b={b}$")
        ax_large.axhline(b, color="k", lw=0.8, ls=":")
    ax_small.set(xscale="log", xlabel="coupling $K$", ylabel="$R_b(K)/K^b$", title="near $K^*=0$: $K'\\sim K^b$")
    ax_large.set(xlabel="coupling $K$", ylabel="$x'/x$, $x=e^{-2K}$", title="near $K^*=\\infty$: $x'\\to b\\,x$")
    ax_small.legend(fontsize="small")
    ax_large.legend(fontsize="small")


def correlation_length_flow(ax, K0: float, bs=(2, 3), steps: int = 5, n_samples: int = 20_000, seed: int = 7) -> None:
    """:math:`\\xi(K_n)` along the flow (exact) and measured from decimated exact samples."""
    for i, b in enumerate(bs):
        Ks, _, _ = rg.flow(K0, 0.0, b, steps)
        n = np.arange(steps + 1)
        ax.plot(n, ising.correlation_length(Ks), "-", color=f"C{i}", label=f"$\\xi(K_n)$, $b={b}$")
        ax.plot(n, ising.correlation_length(K0) / float(b) ** n, ":", color="k", lw=1)
        # measured: keep every b^k-th spin of exactly sampled chains (k = 0 is the chain itself)
        meas, err = [], []
        for k in range(min(steps, 3) + 1):
            stride = b**k
            c, se = decimated_correlation(K0, stride, n_samples=n_samples, N=stride * 40 + 1, seed=seed + k)
            meas.append(-1.0 / np.log(c))
            err.append(se / (c * np.log(c) ** 2))  # delta method: d xi / dc = 1/(c ln^2 c)
        ax.errorbar(np.arange(len(meas)), meas, yerr=5 * np.array(err), fmt="o", color=f"C{i}", capsize=3,
                    label=f"from decimated samples, $b={b}$ (5 s.e.)")
    ax.set(yscale="log", xlabel="RG step $n$", ylabel="correlation length $\\xi$ (lattice units of the current chain)",
           title=f"$\\xi_n = \\xi_0/b^n$ from $K_0={K0:g}$ (dotted)")
    ax.legend(fontsize="small")


def free_energy_convergence(ax, cases=((1.0, 0.0, 2), (1.0, 0.3, 2), (2.0, -0.5, 3)), steps: int = 40) -> None:
    """Error of the partial sums :math:`\\sum_{n<M} g_{n+1}/b^{n+1}` against :math:`\\ln\\lambda_{\\max}`."""
    for K, h, b in cases:
        f = rg.free_energy_from_flow(K, h, b, steps)
        err = np.abs(f - ising.free_energy_per_spin(K, h))
        ax.semilogy(np.arange(steps + 1), np.maximum(err, 1e-17), "o-", ms=3, label=f"$K={K:g}, h={h:g}, b={b}$")
    ax.axhline(np.finfo(float).eps, color="k", lw=0.8, ls=":", label="double-precision $\\epsilon$")
    ax.set(xlabel="number of decimation steps $M$", ylabel="$|f_M - \\ln\\lambda_{\\max}|$ (per spin)",
           title="free energy from the RG constants")
    ax.legend(fontsize="small")
