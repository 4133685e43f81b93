r"""Tables and figures of the chapter *Paper I's literal claim* (``book/literal_limit``), drawn from run results.

Every function takes a run of :mod:`rgbook.chapters.literal_limit_runs` (``LiteralRun``, ``LimitRun``)
and the chapter's ``Protocol`` ``P``; the chapter module re-exports them. No chapter module is imported here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rg
from ..stats import seed_bootstrap


def limit_table(run, P):
    """Per K (the null first) and level: mean |K_l| of trained and random stacks (min-max), decimation (= RG),
    copy, and the trained layers' largest late loss fall (a DataFrame for display)."""
    rows = []
    for K in run.Ks:
        tr, ra = run.abs_couplings(K, "trained"), run.abs_couplings(K, "random")
        for lev in range(P.limit_depth + 1):
            rows.append(
                {
                    "K": K,
                    "level": lev,
                    "spins": P.limit_N // 2**lev,
                    "trained mean |K_l|": tr[:, lev].mean(),
                    "trained range": f"[{tr[:, lev].min():.3f}, {tr[:, lev].max():.3f}]",
                    "random mean |K_l|": ra[:, lev].mean(),
                    "random range": f"[{ra[:, lev].min():.3f}, {ra[:, lev].max():.3f}]",
                    "decimation K_l": run.couplings[("decimation", K)][0, lev],
                    "copy |K_l|": run.abs_couplings(K, "copy")[0, lev],
                }
            )
    return pd.DataFrame(rows)


def limit_optimizer_table(run, P):
    """Per K and trained layer (level): the exact loss per spin (best and worst stack), its largest fall over the
    last quarter of steps (the plateau precondition) and the largest loss gap between the restarts of one layer
    (deeper layers; the first layer has one restart per stack). A DataFrame for display."""
    rows = []
    for K in run.Ks:
        for lev in range(1, P.limit_depth + 1):
            rows.append(
                {
                    "K": K,
                    "layer": f"{P.limit_N // 2 ** (lev - 1)} -> {P.limit_N // 2**lev}",
                    "loss (best stack)": run.losses[K][:, lev - 1].min(),
                    "loss (worst stack)": run.losses[K][:, lev - 1].max(),
                    "largest late fall": run.plateau[K][:, lev - 1].max(),
                    "largest restart gap": run.restart_spread[K][:, lev - 1].max() if lev > 1 else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def plot_limit(ax, run, P, K: float) -> None:
    """Mean |K_l| against level at K: trained and its null (band: the null's min-max), random and its null,
    decimation (= RG), copy."""
    levels = np.arange(P.limit_depth + 1)
    tr0 = run.abs_couplings(0.0, "trained")
    ax.fill_between(levels, tr0.min(axis=0), tr0.max(axis=0), color="C0", alpha=0.15)
    for mode, marker, color, shaded in (("trained", "o", "C0", " (range shaded)"), ("random", "^", "C2", "")):
        null, at_K = run.abs_couplings(0.0, mode), run.abs_couplings(K, mode)
        ax.plot(levels, null.mean(axis=0), marker + "--", color=color, mfc="none", label=f"{mode}, null $K=0${shaded}")
        ax.plot(levels, at_K.mean(axis=0), marker + "-", color=color, label=f"{mode}, $K={K:g}$ (mean of {len(at_K)})")
    ax.plot(
        levels, run.abs_couplings(K, "decimation")[0], "s-", color="k", alpha=0.4, lw=3, label="decimation $= R_2^l(K)$"
    )
    ax.plot(levels, run.abs_couplings(K, "copy")[0], "D:", color="C3", label="copy layer")
    ax.set_xticks(levels, [f"{lev}\n({P.limit_N // 2**lev} spins)" for lev in levels])
    ax.set(xlabel="level $l$", ylabel="$|K_l|$", title=f"input $K={K:g}$", ylim=(-0.02, 1.05 * max(P.limit_Ks)))


def measures_table(run, P):
    """Per K and level, the measures that need no convention: the correlation length (RG: that of
    :math:`R_2^l(K)`) and the halves' mutual information, trained and random as mean [95%
    seed-bootstrap interval], decimation and copy as values (a DataFrame for display)."""

    def cell(values):
        m, lo, hi = seed_bootstrap(values, P.n_boot, P.boot_seed)
        return f"{m:.3f} [{lo:.3f}, {hi:.3f}]"

    rows = []
    for K in P.Ks:
        rgK = rg.flow(K, 0.0, 2, steps=P.depth)[0]
        for lev in range(P.depth + 1):
            rows.append(
                {
                    "K": K,
                    "level": lev,
                    "RG xi": float(-1.0 / np.log(np.tanh(rgK[lev]))),
                    "trained xi": cell(run.measure(K, "trained", "xi")[:, lev]),
                    "random xi": cell(run.measure(K, "random", "xi")[:, lev]),
                    "decimation xi": run.select(K, "decimation")[0].xi[lev],
                    "copy xi": run.select(K, "copy")[0].xi[lev],
                    "trained I(halves)": cell(run.measure(K, "trained", "halves_mi")[:, lev]),
                    "random I(halves)": cell(run.measure(K, "random", "halves_mi")[:, lev]),
                    "decimation I(halves)": run.select(K, "decimation")[0].halves_mi[lev],
                }
            )
    return pd.DataFrame(rows)


def flow_table(run, P):
    """Per K and level: RG iterate, trained mean |K_l| [95% seed-bootstrap], random likewise, decimation, copy,
    and the largest KL residual of the trained outputs (a DataFrame for display)."""

    rows = []
    for K in P.Ks:
        rgK = rg.flow(K, 0.0, 2, steps=P.depth)[0]
        for lev in range(1, P.depth + 1):
            tr = seed_bootstrap(run.abs_couplings(K, "trained")[:, lev], P.n_boot, P.boot_seed)
            ra = seed_bootstrap(run.abs_couplings(K, "random")[:, lev], P.n_boot, P.boot_seed)
            rows.append(
                {
                    "K": K,
                    "level": lev,
                    "R_2^l(K)": rgK[lev],
                    "trained mean |K_l|": tr[0],
                    "trained 95% interval": f"[{tr[1]:.3f}, {tr[2]:.3f}]",
                    "random mean |K_l|": ra[0],
                    "random 95% interval": f"[{ra[1]:.3f}, {ra[2]:.3f}]",
                    "decimation K_l": run.select(K, "decimation")[0].couplings[lev],
                    "copy K_l": run.select(K, "copy")[0].couplings[lev],
                    "trained max KL residual": max(f.kl[lev] for f in run.select(K, "trained")),
                }
            )
    return pd.DataFrame(rows)


def loss_table(run, P):
    """First layer's loss per spin with the best factorized decoder: trained (best and worst stack), decimation,
    copy, random (mean) (a DataFrame for display)."""

    rows = []
    for K in P.Ks:
        tr = np.array([f.losses[0] for f in run.select(K, "trained")])
        rows.append(
            {
                "K": K,
                "trained (best stack)": tr.min(),
                "trained (worst stack)": tr.max(),
                "decimation": run.select(K, "decimation")[0].losses[0],
                "copy layer": run.select(K, "copy")[0].losses[0],
                "random (mean)": float(np.mean([f.losses[0] for f in run.select(K, "random")])),
            }
        )
    return pd.DataFrame(rows)


def plot_flow(ax, run, P, K: float) -> None:
    """|K_l| against level: every trained and random stack (thin), their means, decimation, copy, and R_2^l(K)."""
    levels = np.arange(P.depth + 1)
    ax.plot(levels, rg.flow(K, 0.0, 2, steps=P.depth)[0], "k-", lw=6, alpha=0.2, label="RG iterates $R_2^l(K)$")
    for mode, color, marker in (("trained", "C0", "o"), ("random", "C2", "^")):
        a = run.abs_couplings(K, mode)
        for row in a:
            ax.plot(levels, row, "-", color=color, lw=0.6, alpha=0.35)
        ax.plot(levels, a.mean(axis=0), marker + "-", color=color, label=f"{mode} (mean of {len(a)})")
    ax.plot(levels, np.abs(run.select(K, "decimation")[0].couplings), "s--", color="C1", label="decimation")
    ax.plot(levels, np.abs(run.select(K, "copy")[0].couplings), "D:", color="C3", label="copy layer")
    ax.axhline(0.0, color="k", lw=0.8, ls="--")
    ax.set_xticks(levels, [f"{lev}\n({P.N // 2**lev} spins)" for lev in levels])
    ax.set(xlabel="level $l$", ylabel="$|K_l|$", title=f"input $K={K:g}$", ylim=(-0.05, 1.5 * max(P.Ks)))
    ax.legend(fontsize="x-small", loc="upper center", ncol=2)
