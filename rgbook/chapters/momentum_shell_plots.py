r"""Tables and figures of the chapter *Momentum-shell RG* (``book/momentum_shell``).

Drawn from :mod:`rgbook.chapters.momentum_shell_runs`; ``P`` is the chapter's ``Protocol``
(:mod:`rgbook.chapters.momentum_shell` re-exports every name; it is not imported here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import features, rg
from ..momentum import (
    circulant,
    fourier_flow,
    momentum_shell_spectrum,
    ring_spectrum,
    wavenumbers,
)
from .momentum_shell_controls import _flow, _t_to_rounding
from .momentum_shell_runs import (
    CONTROLS,
    _control_summary,
    _near_critical,
    block_average_maps,
    decimation_maps,
    momentum_shell_maps,
    stack_readings,
    structure,
    trained_stack,
)

# --------------------------------------------------------------------------------------
# Display tables


def long_ring_table(P, t0s=(2e-3, 0.9)) -> pd.DataFrame:
    """What the two rows of II.L2x tell apart (a diagnostic, not a registered claim): the growth t_1/t_0 and the
    correlation-length ratio xi_0/xi_1 of the trained stack, the momentum shell, decimation (the exact real-space RG
    of the ring) and the block average, on rings of ``P.N`` sites at each ``t0`` (t read to rounding)."""
    stacks = {
        "trained": trained_stack(P, 0.5 - P.eps_train).maps,
        "momentum shell": momentum_shell_maps(P),
        "decimation": decimation_maps(P),
        "block average": block_average_maps(P),
    }
    rows = []
    for t0 in t0s:
        flows = {name: _flow(P.N, 0.5 - 0.5 * t0, maps[:1], _t_to_rounding) for name, maps in stacks.items()}
        xi0 = float(flows["momentum shell"].xi[0])
        for name, f in flows.items():
            rows.append({"t_0": t0, "xi_0 (sites)": xi0, "map": name, "t_1/t_0": f.growth(0), "xi_0/xi_1": f.shrink(0)})
    return pd.DataFrame(rows)


def structure_table(P, loss_tol: float = 1e-6) -> pd.DataFrame:
    """II.MS per stack and level, for display."""
    return pd.DataFrame(
        [
            {
                "r_0": sr.r0,
                "level": sr.level,
                "loss excess (relative)": sr.loss_excess,
                "angle to shell (rad)": sr.angle,
                "allowed angle": sr.angle_bound,
                "covariance error": sr.covariance_error,
                "allowed error": sr.covariance_bound,
                "random encoders' angle (mean)": float(np.mean(sr.random_angles)),
                "decimation's angle": sr.decimation_angle,
                "block average's angle": sr.block_average_angle,
            }
            for sr in structure(P, loss_tol)
        ]
    )


def _reading_columns(reads: dict, attr: str, level: int) -> dict[str, object]:
    out = {}
    for name in ("trained", "momentum shell", "decimation", "block average"):
        out[name] = getattr(reads[name], attr)[level]
    for kind in CONTROLS:
        out[f"{kind}s (seed mean [95 %])"] = _control_summary([getattr(x, attr)[level] for x in reads[kind]]).text(
            ".3g"
        )
    return out


def flow_table(P) -> pd.DataFrame:
    """Projected ratio r_l per level and stack, stable side, for display."""
    rows = []
    for r0 in P.rs:
        reads = stack_readings(P, r0)
        for level in range(P.depth + 1):
            rows.append({"r_0": r0, "level": level, **_reading_columns(reads, "r", level)})
    return pd.DataFrame(rows)


def critical_table(P) -> pd.DataFrame:
    """Distance t_l from the critical point per level and stack (data at 1/2 - eps_critical), for display."""
    r_crit, r_train = _near_critical(P)
    reads = stack_readings(P, r_crit, r_train)
    return pd.DataFrame([{"level": level, **_reading_columns(reads, "t", level)} for level in range(P.depth + 1)])


# --------------------------------------------------------------------------------------
# Figures

_STYLE = {
    "trained": dict(marker="o", color="C0"),
    "momentum shell": dict(marker="", color="k", ls="--"),
    "decimation": dict(marker="s", color="C3", mfc="none"),
    "block average": dict(marker="D", color="C4", mfc="none"),
    "random encoder": dict(marker="^", color="C1"),
    "random shared filter": dict(marker="v", color="C2"),
}


def _plot_controls(ax, levels, reads, attr, transform=lambda v: v):
    for kind in CONTROLS:
        vals = np.array([[transform(v) for v in getattr(x, attr)] for x in reads[kind]])
        lo, hi = np.percentile(vals, [2.5, 97.5], axis=0)
        st = _STYLE[kind]
        ax.plot(
            levels,
            np.exp(np.log(vals).mean(axis=0)),
            marker=st["marker"],
            color=st["color"],
            label=f"{kind}s (geometric mean, {len(vals)} seeds)",
        )
        ax.fill_between(levels, lo, hi, color=st["color"], alpha=0.15)


def plot_structure(ax_spec, ax_angle, P, loss_tol: float = 1e-6) -> None:
    r"""Left: level-1 feature spectrum (trained, momentum-shell prediction, decimation's aliased spectrum).
    Right: largest angle to the shell modes per level, trained vs random encoders, with the allowed angle."""
    r0 = P.rs[-1]
    st = trained_stack(P, r0)
    C0 = circulant(ring_spectrum(P.N, r0))
    m = P.N // P.b
    q = 2 * np.pi * wavenumbers(m) / m
    order = np.argsort(q)
    pred = momentum_shell_spectrum(ring_spectrum(P.N, r0), P.b)
    lam_tr = np.sort(np.linalg.eigvalsh(st.levels[0].F @ C0 @ st.levels[0].F.T))[::-1]
    Sdec = features.selection_matrix(P.N, P.b)
    lam_dec = np.sort(np.linalg.eigvalsh(Sdec @ C0 @ Sdec.T))[::-1]
    # eigenvalues come unlabelled: place them on |q'| by rank (both spectra decrease with |q'|)
    q_rank = np.sort(np.abs(q))
    ax_spec.plot(q[order], pred[order], "k--", label=r"momentum shell $S(q'/b)/b$")
    ax_spec.plot(q_rank, lam_tr, "o", color="C0", ms=5, label="trained features (eigenvalues)")
    ax_spec.plot(q_rank, lam_dec, "s", color="C3", mfc="none", label="decimation (aliased)")
    ax_spec.set(
        xlabel=r"coarse wavenumber $q'$ (rad per coarse site)",
        ylabel=r"feature spectrum $S'(q')$",
        yscale="log",
        title=f"level 1, $N = {P.N}$, $r_0 = {r0}$",
    )
    ax_spec.legend(fontsize="x-small")
    rows = structure(P, loss_tol)
    for i, r in enumerate(sorted({sr.r0 for sr in rows})):
        sel = [sr for sr in rows if sr.r0 == r]
        lv = [sr.level for sr in sel]
        ax_angle.semilogy(lv, [sr.angle for sr in sel], "o-", color=f"C{i}", label=f"trained, $r_0 = {r:g}$")
        ax_angle.semilogy(
            lv, [sr.angle_bound for sr in sel], ":", color=f"C{i}", label=f"allowed by the loss, $r_0 = {r:g}$"
        )
    rnd = [np.mean(sr.random_angles) for sr in rows if sr.r0 == P.rs[0]]
    ax_angle.semilogy(range(1, P.depth + 1), rnd, "^--", color="C4", label="random encoders (mean)")
    ax_angle.set(
        xlabel="level $l$",
        ylabel="largest principal angle to the shell modes (rad)",
        xticks=range(1, P.depth + 1),
        title="learned subspace = longest wavelengths",
    )
    ax_angle.legend(fontsize="xx-small")


def plot_flow(ax_stack, ax_fourier, P) -> None:
    r"""Left: :math:`|r_l|` per level for every stack (r_0 = largest of ``P.rs``). Right: closed-form flows on
    :math:`3^{12}` sites, momentum shell against decimation, with the rate :math:`b^{-2}`."""
    r0 = P.rs[-1]
    reads = stack_readings(P, r0)
    levels = np.arange(P.depth + 1)
    for name in ("trained", "momentum shell", "decimation", "block average"):
        ax_stack.semilogy(levels, np.abs(reads[name].r), label=name, **_STYLE[name])
    _plot_controls(ax_stack, levels, reads, "r", abs)
    ax_stack.set(
        xlabel=f"level $l$ (sites ${P.N}$ to ${P.N // P.b**P.depth}$)",
        ylabel=r"$|r_l|$, projected $K/d$",
        xticks=levels,
        title=f"trained stacks and controls, $r_0 = {r0}$",
    )
    ax_stack.legend(fontsize="xx-small")
    N = P.b**P.fourier_levels
    for i, r in enumerate(P.rs):
        ms = fourier_flow(N, P.b, r, P.fourier_levels)
        dec = [r]
        while len(dec) < len(ms) and dec[-1] > 1e-300:
            dec.append(float(rg.gaussian_chain_ratio_map_b(dec[-1], P.b)))
        ax_fourier.semilogy(np.arange(len(ms)), ms, "o-", color=f"C{i}", label=f"momentum shell, $r_0 = {r}$")
        ax_fourier.semilogy(np.arange(len(dec)), dec, "s:", color=f"C{i}", mfc="none", label=f"decimation, $r_0 = {r}$")
        ax_fourier.semilogy(
            np.arange(len(ms)), ms[2] * float(P.b) ** (-2.0 * (np.arange(len(ms)) - 2)), color="0.6", lw=0.8
        )
    ax_fourier.set(
        xlabel="RG step $l$",
        ylabel=r"$r_l$",
        ylim=(1e-14, 1),
        title=rf"closed form, $N = {P.b}^{{{P.fourier_levels}}}$ (grey: $\propto b^{{-2l}}$)",
    )
    ax_fourier.legend(fontsize="xx-small")


def plot_critical(ax_stack, ax_fourier, P) -> None:
    r"""Left: :math:`t_l/t_0` per level at :math:`t_0 = 2\epsilon` for every stack, with :math:`b^{2l}`. Right:
    the closed-form growth per step :math:`t_{l+1}/t_l` on :math:`3^{12}` sites, tending to :math:`b^2`."""
    r_crit, r_train = _near_critical(P)
    reads = stack_readings(P, r_crit, r_train)
    levels = np.arange(P.depth + 1)
    t0 = 2 * P.eps_critical
    for name in ("trained", "momentum shell", "decimation", "block average"):
        ax_stack.semilogy(levels, np.array(reads[name].t) / t0, label=name, **_STYLE[name])
    _plot_controls(ax_stack, levels, reads, "t", lambda v: v / t0)
    ax_stack.semilogy(levels, float(P.b) ** (2 * levels), color="0.6", lw=0.8, label="$b^{2l}$")
    ax_stack.set(
        xlabel="level $l$",
        ylabel=r"$t_l/t_0$, $t = 1 - 2r$",
        xticks=levels,
        title=f"data at $r_0 = 1/2 - 10^{{{int(np.log10(P.eps_critical))}}}$",
    )
    ax_stack.legend(fontsize="xx-small")
    N = P.b**P.fourier_levels
    for eps, color in ((P.eps_critical, "C0"), (P.eps_response, "C1")):
        t = 1 - 2 * fourier_flow(N, P.b, 0.5 - eps, P.fourier_levels)
        steps = np.arange(len(t) - 1)
        ax_fourier.plot(steps, t[1:] / t[:-1], "o-", color=color, label=f"momentum shell, $t_0 = {2 * eps:g}$")
    ax_fourier.axhline(P.b**2, color="k", ls="--", lw=0.8, label="$b^2 = 9$")
    ax_fourier.set(
        xlabel="RG step $l \\to l+1$", ylabel=r"$t_{l+1}/t_l$", title=f"closed form, $N = {P.b}^{{{P.fourier_levels}}}$"
    )
    ax_fourier.legend(fontsize="x-small")
