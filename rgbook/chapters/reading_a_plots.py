r"""Tables and figures of the chapter *Reading A* (``book/reading_a``), drawn from run results.

Every function takes the results of :mod:`rgbook.chapters.reading_a`'s runs (``SingleLayer``,
``StackFlow``, ``Convergence``, ``Continued``, ``RestartMeasures``, ``ThresholdSearch``) as
arguments; the chapter module re-exports them. No chapter module is imported here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rg
from ..stats import seed_bootstrap


def stack_flow(flows, K: float, mode: str):
    """The flow of ``mode`` at input ``K`` among ``flows``."""
    for f in flows:
        if f.K == K and f.mode == mode:
            return f
    raise KeyError(f"no {mode!r} stack at K={K}")


#: Display-only thresholds of the single-layer table.
BELOW_MARGIN = 1e-4
NEAR_MARGIN = 1e-3


def single_layer_table(res):
    """Per K: reference loss, best and worst restart, restarts below/at the reference, and the best
    network's output coupling against R_2(K) (a DataFrame for display)."""

    rows = []
    for r in res.by_K:
        losses = r.losses
        Kp, hp, kl = r.best_coupling
        below = int(np.sum(losses < r.reference_loss - BELOW_MARGIN))
        near = int(np.sum(np.abs(losses - r.reference_loss) <= NEAR_MARGIN))
        rows.append(
            {
                "K": r.K,
                "decimation loss (closed form)": r.reference_loss,
                "best loss": losses.min(),
                "worst loss": losses.max(),
                "restarts below decimation": below,
                f"restarts within {NEAR_MARGIN:g} of decimation": near,
                "best K'": Kp,
                "R_2(K)": r.rg_coupling,
                "best h'": hp,
                "KL residual": kl,
            }
        )
    return pd.DataFrame(rows)


def plot_restart_losses(ax, res, N: int) -> None:
    """Loss per spin of every restart (dots) against the decimation reference (bars)."""
    for i, r in enumerate(res.by_K):
        losses = r.losses
        jitter = np.linspace(-0.15, 0.15, len(losses))
        ax.plot(i + jitter, losses, "o", color="C0", ms=5, alpha=0.8, label="trained restarts" if i == 0 else None)
        ax.plot(
            [i - 0.3, i + 0.3],
            [r.reference_loss] * 2,
            color="C3",
            lw=2,
            label="decimation + optimal decoder" if i == 0 else None,
        )
    ax.set_xticks(range(len(res.by_K)), [f"$K={r.K:g}$" for r in res.by_K])
    ax.set(
        ylabel="reconstruction loss (nats per spin)", title=f"{len(res.by_K[0].models)} restarts, $N={N}\\to{N // 2}$"
    )
    ax.legend(fontsize="small")


def plot_pair_couplings(ax, J, title: str) -> None:
    """Heat map of fitted all-pairs couplings J_jk."""
    vmax = float(np.max(np.abs(J))) or 1.0
    im = ax.imshow(J, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
    ax.set(xlabel="output unit $k$", ylabel="output unit $j$", title=title)
    ax.set_xticks(range(J.shape[0]))
    ax.set_yticks(range(J.shape[0]))
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label="$J_{jk}$", shrink=0.85)


def plot_stack_flow(ax, flows, K: float, N: int) -> None:
    """K_l against depth l for trained, decimation and random stacks, with the RG iterates R_2^l(K)."""
    depth = len(flows[0].couplings) - 1
    levels = np.arange(depth + 1)
    ax.plot(levels, rg.flow(K, 0.0, 2, steps=depth)[0], "k-", lw=6, alpha=0.2, label="RG iterates $R_2^l(K)$")
    for mode, style in (("trained", "o-"), ("decimation", "s--"), ("random", "^:")):
        ax.plot(levels, stack_flow(flows, K, mode).couplings, style, label=f"{mode} stack")
    ax.axhline(0.0, color="k", lw=0.8, ls="--", label="stable fixed point $K^*=0$")
    ax.set_xticks(levels, [f"{lev}\n({N // 2**lev} spins)" for lev in levels])
    ax.set(xlabel="depth $l$ (layer outputs)", ylabel="output coupling $K_l$", title=f"input $K={K:g}$")
    ax.legend(fontsize="x-small")


def _fmt_interval(values, n_boot: int, seed: int) -> str:
    """``mean [lo, hi]`` with the percentile bootstrap interval of the mean."""
    mean, lo, hi = seed_bootstrap(values, n_boot, seed)
    return f"{mean:.3f} [{lo:.3f}, {hi:.3f}]"


def convergence_table(conv, cont):
    """Per K: restarts at a plateau, the largest relative change and gradient norm, and what further
    training of the near-optimal restarts changes (a DataFrame for display)."""
    rows = []
    for c in conv:
        mine = [x for x in cont if x.K == c.K]
        rows.append(
            {
                "K": c.K,
                f"restarts at plateau (rel. change < {c.rtol:g})": f"{int(c.plateau.sum())} / {len(c.final)}",
                "median rel. change": float(np.median(c.relative_change)),
                "largest rel. change": float(c.relative_change.max()),
                "largest gradient norm": float(c.gradient_norm.max()),
                "near-optimal restarts continued": len(mine),
                "their loss change": float(max(x.before.loss - x.after.loss for x in mine)),
                f"of them at plateau after (|rel. change| < {c.rtol:g})": int(
                    sum(abs(x.relative_change) < c.rtol for x in mine)
                ),
                "their |ΔK'|": float(max(abs(x.measures_after.coupling - x.measures_before.coupling) for x in mine)),
            }
        )
    return pd.DataFrame(rows)


def _span(measures, attr: str) -> str:
    """``min to max`` of one attribute over a list of :class:`OutputMeasures`."""
    v = [getattr(m, attr) for m in measures]
    return f"{min(v):.3f} to {max(v):.3f}"


def near_optimal_table(rm, searches, eps: float):
    """Per K: the spread of the signed K' and of the convention-free measures over the trained restarts
    and over the threshold encoders within ``eps`` of their best (a DataFrame for display)."""
    rows = []
    for r, ts in zip(rm, searches):
        for name, losses, meas in (
            ("trained restarts", r.losses[r.near_optimal(eps)], [r.restarts[i] for i in r.near_optimal(eps)]),
            ("threshold encoders", np.array([e.loss for e in ts.near(eps)]), [e.measures for e in ts.near(eps)]),
        ):
            rows.append(
                {
                    "K": r.K,
                    "within ε of the best": name,
                    "n": len(meas),
                    "best loss": float(losses.min()),
                    "signed K'": _span(meas, "coupling"),
                    "KL residual": _span(meas, "kl"),
                    "I(halves)": _span(meas, "halves_information"),
                    "ξ": _span(meas, "correlation_length"),
                    "R_2(K)": float(rg.zero_field_map(r.K, 2)),
                }
            )
    return pd.DataFrame(rows)


def gap_table(rm):
    """Exact decomposition of the loss per spin of decimation and of the best restart (a DataFrame)."""
    rows = []
    for r in rm:
        for name, g, trained in (("decimation", r.gap_decimation, None), ("best restart", r.gap_best, r.best_loss)):
            rows.append(
                {
                    "K": r.K,
                    "encoder": name,
                    "lower bound (H(s) - m ln 2)/N": g.lower_bound,
                    "output entropy deficit": g.output_entropy_deficit,
                    "encoder noise": g.encoder_noise,
                    "factorized-decoder cost": g.factorization_cost,
                    "= loss, optimal decoder": g.optimal_decoder_loss,
                    "trained decoder's excess": 0.0 if trained is None else trained - g.optimal_decoder_loss,
                }
            )
    return pd.DataFrame(rows)


#: Columns of the measures tables: (header, attribute of rgbook.chain_measures.ChainMeasures).
MEASURE_COLUMNS = (
    ("signed K'", "coupling"),
    ("KL residual", "kl"),
    ("‖J‖ all pairs", "pairs_norm"),
    ("I(halves)", "halves_information"),
    ("ξ", "correlation_length"),
)


def measures_table(rm, n_boot: int, seed: int = 0):
    """Per K: signed K' and the convention-free measures of decimation, the best restart, all restarts and
    the random layers; the last two as mean [95 % bootstrap interval over restarts / seeds]."""
    rows = []
    for r in rm:
        best = r.restarts[int(np.argmin(r.losses))]
        for name, m in (("decimation (NN chain at R_2(K))", r.decimation), ("best restart", best)):
            rows.append({"K": r.K, "layer": name, **{k: f"{getattr(m, a):.3f}" for k, a in MEASURE_COLUMNS}})
        for name, ms in ((f"all {len(r.restarts)} restarts", r.restarts), (f"{len(r.random)} random layers", r.random)):
            rows.append(
                {
                    "K": r.K,
                    "layer": name,
                    **{k: _fmt_interval([getattr(x, a) for x in ms], n_boot, seed) for k, a in MEASURE_COLUMNS},
                }
            )
    return pd.DataFrame(rows)


def stack_measures_table(flows, randoms, n_boot: int, seed: int = 0):
    """Per K and level: signed K' and the convention-free measures of the trained and decimation stacks and
    of the random stacks (mean [95 % bootstrap interval over seeds])."""
    rows = []
    Ks = sorted({f.K for f in flows})
    depth = len(flows[0].couplings) - 1
    for K in Ks:
        for lev in range(1, depth + 1):
            for mode in ("trained", "decimation"):
                m = stack_flow(flows, K, mode).measures[lev]
                rows.append(
                    {"K": K, "level": lev, "stack": mode, **{k: f"{getattr(m, a):.3f}" for k, a in MEASURE_COLUMNS}}
                )
            ms = [stack_flow(rs, K, "random").measures[lev] for rs in randoms]
            rows.append(
                {
                    "K": K,
                    "level": lev,
                    "stack": f"{len(randoms)} random",
                    **{k: _fmt_interval([getattr(x, a) for x in ms], n_boot, seed) for k, a in MEASURE_COLUMNS},
                }
            )
    return pd.DataFrame(rows)


def plot_loss_curves(axes, conv, res) -> None:
    """Loss curve of every restart (solid: at a plateau; dotted: still falling), decimation's loss (red)."""
    for ax, c, r in zip(axes, conv, res.by_K):
        for h, ok in zip(c.histories, c.plateau):
            ax.plot(c.steps, h, "-" if ok else ":", color="C0", lw=1, alpha=0.8)
        ax.axhline(r.reference_loss, color="C3", lw=1.5, label="decimation + optimal decoder")
        lo = min(c.final.min(), r.reference_loss)
        ax.set(
            ylim=(lo - 0.02 * abs(lo) - 0.002, r.reference_loss + 0.1),
            xlabel="Adam step",
            title=f"$K={c.K:g}$: {int(c.plateau.sum())}/{len(c.final)} at a plateau",
        )
    axes[0].plot([], [], "-", color="C0", lw=1, label="restart at a plateau")
    axes[0].plot([], [], ":", color="C0", lw=1, label="restart not at a plateau")
    axes[0].set_ylabel("loss per spin (nats)")
    axes[0].legend(fontsize="small")


def plot_coupling_spread(axes, rm, searches, eps: float) -> None:
    """Signed K' against loss for every trained restart and every threshold-encoder local optimum,
    with decimation (star), R_2(K) (grey) and the band within ``eps`` of the best loss."""
    for ax, r, ts in zip(axes, rm, searches):
        best = min(r.losses.min(), ts.best.loss)
        ax.axvspan(best, best + eps, color="C2", alpha=0.15, label=f"within ε = {eps:g} of the best")
        ax.axhline(float(rg.zero_field_map(r.K, 2)), color="k", lw=4, alpha=0.2, label="$R_2(K)$")
        ax.plot(
            [e.loss for e in ts.optima],
            [e.measures.coupling for e in ts.optima],
            "s",
            mfc="none",
            color="C1",
            label="threshold encoders (optimal decoder)",
        )
        ax.plot(r.losses, [m.coupling for m in r.restarts], "o", color="C0", ms=4, label="trained restarts")
        ax.plot(
            [r.gap_decimation.optimal_decoder_loss], [r.decimation.coupling], "*", color="C3", ms=12, label="decimation"
        )
        ax.set(xlabel="loss per spin (nats)", title=f"$K={r.K:g}$", xlim=(best - 0.005, best + 0.06))
    axes[0].set_ylabel("signed output coupling $K'$")
    handles, labels = axes[0].get_legend_handles_labels()
    axes[0].figure.legend(handles, labels, loc="outside lower center", ncols=5, fontsize="small")
