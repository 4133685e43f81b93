r"""Tables and figures of the chapter *Reading B* (``book/reading_b``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import NullFormatter

from ..stats import seed_bootstrap
from .reading_b_runs import FULL_BATCH, KINDS, Rates, SizeRun, SweepRun, bayes_rmse, prior_rmse, rates


def couplings_table(run: SizeRun):
    """One row per network (DataFrame for display)."""

    return pd.DataFrame(
        [
            {
                "N": r.N,
                "network": r.network,
                "seed": r.seed,
                "K'": r.coupling,
                "CI low": r.interval[0],
                "CI high": r.interval[1],
                "|K'|": abs(r.coupling),
                "KL residual": r.kl,
                "correlation length": r.xi,
                "total correlation (nats)": r.total_corr,
                "I(halves) (nats)": r.halves_mi,
                "correlation length, K=0 input": r.xi_iid,
                "total correlation, K=0 input": r.total_corr_iid,
                "test RMSE of K": r.test_rmse,
            }
            for r in run.rows
        ]
    )


def quality_table(run: SizeRun, P):
    """Per N: mean test RMSE of the trained regressors against the prior spread and the Bayes risk."""

    Ns, rmse = run.mean_test_rmse()
    return pd.DataFrame(
        {
            "N": Ns,
            "trained test RMSE (mean of seeds)": rmse,
            "Bayes RMSE (bond count, exact)": [bayes_rmse(int(N), P.K_range, P.n_bins) for N in Ns],
            "RMSE of guessing the prior mean": prior_rmse(P.K_range, P.n_bins),
        }
    )


def protocol_change_table(run: SizeRun):
    """Per N: the trained networks' mean |K'| and test RMSE (seeds of the run), full batch (recorded) and now."""
    Ns, k = run.mean_abs_coupling("trained")
    _, rmse = run.mean_test_rmse()
    before_k = [FULL_BATCH.mean_abs_coupling.get(int(N), np.nan) for N in Ns]
    before_rmse = [FULL_BATCH.mean_test_rmse.get(int(N), np.nan) for N in Ns]
    return pd.DataFrame(
        {
            "N": Ns,
            "mean |K'|, full batch (recorded)": before_k,
            "mean |K'|, this protocol": k,
            "test RMSE, full batch (recorded)": before_rmse,
            "test RMSE, this protocol": rmse,
        }
    )


def batch_comparison_table():
    """N = 128, seeds 0..9, 1500 steps at lr 0.02: full batch against minibatches of 1024 (recorded values)."""
    rows = []
    for name in FULL_BATCH.rmse_128:
        r, rlo, rhi = seed_bootstrap(FULL_BATCH.rmse_128[name], 2000)
        k, klo, khi = seed_bootstrap(FULL_BATCH.abs_coupling_128[name], 2000)
        rows.append(
            {
                "training": name,
                "seeds": len(FULL_BATCH.rmse_128[name]),
                "test RMSE": r,
                "RMSE 95% low": rlo,
                "RMSE 95% high": rhi,
                "|K'|": k,
                "|K'| 95% low": klo,
                "|K'| 95% high": khi,
            }
        )
    return pd.DataFrame(rows)


def rates_table(fits: dict[str, Rates]):
    """The fitted rates per network kind (DataFrame for display)."""

    return pd.DataFrame(
        [
            {
                "network": f.network,
                "power-law exponent p": f.power,
                "exponential rate 1/N0": f.exponential,
                f"mean |K'| at N={int(f.Ns[0])}": f.mean[0],
                f"mean |K'| at N={int(f.Ns[-1])}": f.mean[-1],
            }
            for f in fits.values()
        ]
    )


def plot_feature_coupling_vs_size(ax, run: SizeRun, P) -> None:
    """Mean |K'| of the feature spins against N (log-log), per network kind, with individual networks."""
    fits = rates(run)
    markers = {"trained": "o", "random": "^", "local": "s"}
    for i, kind in enumerate(KINDS):
        rows = run.select(kind)
        ax.plot(
            [r.N * (1 + 0.03 * (i - 1)) for r in rows],
            [abs(r.coupling) for r in rows],
            markers[kind],
            color=f"C{i}",
            alpha=0.35,
            ms=4,
        )
        f = fits[kind]
        ax.plot(f.Ns, f.mean, markers[kind] + "-", color=f"C{i}", label=f"{kind} (mean; $p={f.power:.2f}$)")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="input size $N$ (spins)",
        ylabel="|coupling $K'$| between feature spins",
        title=f"{P.M} feature units, input $K={P.K_eval:g}$",
    )
    ax.legend(fontsize="x-small")


def sweep_table(run: SweepRun):
    """One row per setting of the sweep: test RMSE and feature coupling, seed means with bootstrap intervals."""
    S, rows = run.sweep, []
    for p in run.points:
        r, rlo, rhi = p.interval("rmse", S.n_boot)
        k, klo, khi = p.interval("coupling", S.n_boot)
        a, alo, ahi = p.interval("abs_coupling", S.n_boot)
        rows.append(
            {
                "network": p.network,
                "M": p.M,
                "lr": p.lr,
                "steps": p.step,
                "seeds": len(p.seeds),
                "test RMSE": r,
                "RMSE 95% low": rlo,
                "RMSE 95% high": rhi,
                "Bayes RMSE": run.bayes,
                "K'": k,
                "K' 95% low": klo,
                "K' 95% high": khi,
                "|K'|": a,
                "|K'| 95% low": alo,
                "|K'| 95% high": ahi,
            }
        )
    return pd.DataFrame(rows)


def sweep_numbers(run: SweepRun, P) -> dict[str, float | int]:
    """The sweep's numbers quoted in the chapter's prose, as plain Python numbers keyed by glue name.

    ``best`` is the best trained setting of width ``P.M``, ``ideal`` its ideal block-sum
    network, ``wide`` and ``wide-ideal`` the same at the largest width, ``deep`` the deepest
    head of ``Sweep.depths`` after all its steps, ``proto`` the networks
    at the protocol's learning rate after as many steps as ``best``; suffixes ``-lo`` and
    ``-hi`` are 95 % seed-bootstrap bounds, ``k`` the signed and ``absk`` the absolute K'.
    """
    S = run.sweep
    best, wide = run.best_trained(P.M), run.best_trained(max(S.widths))
    proto = next(p for p in run.select("trained", P.M, P.lr) if p.step == best.step)
    points = {"best": best, "ideal": run.ideal(P.M), "wide": wide, "wide-ideal": run.ideal(max(S.widths))}
    if S.depths:  # the deepest head, after all its steps
        points["deep"] = max(run.select(f"trained, head depth {max(S.depths)}", P.M), key=lambda p: p.step)
    out: dict[str, float | int] = {}
    for name, point, values in [
        *((n, p, "rmse") for n, p in points.items()),
        ("best-k", best, "coupling"),
        ("best-absk", best, "abs_coupling"),
        ("wide-absk", wide, "abs_coupling"),
        ("proto-absk", proto, "abs_coupling"),
    ]:
        out.update(zip((name, f"{name}-lo", f"{name}-hi"), point.interval(values, S.n_boot)))
    out.update(
        {
            "best-lr": float(best.lr),
            "best-steps": int(best.step),
            "bayes": float(run.bayes),
            "ideal-k": float(np.mean(points["ideal"].coupling)),
            "wide-M": int(wide.M),
            "beta": float(S.ideal_beta),
        }
    )
    if S.depths:
        out["deep-depth"] = int(max(S.depths))
    return out


def plot_sweep(axes, run: SweepRun) -> None:
    """Test RMSE against training steps, one panel per width: trained networks per learning rate, the ideal
    block-sum network, the Bayes risk."""
    S = run.sweep
    for ax, M in zip(np.atleast_1d(axes), sorted({p.M for p in run.points})):
        lrs = sorted({p.lr for p in run.select("trained", M)}, reverse=True)
        styles = [
            ("trained", lr, f"trained, lr {lr:g}", f"C{S.lrs.index(lr) if lr in S.lrs else 2}", "o") for lr in lrs
        ]
        styles.append(
            ("ideal block sums", S.lrs[0], f"ideal block sums ($\\beta={S.ideal_beta:g}$), head trained", "C3", "s")
        )
        for network, lr, label, color, marker in styles:
            pts = sorted(run.select(network, M, lr), key=lambda p: p.step)
            steps = [p.step for p in pts]
            m, lo, hi = np.array([p.interval("rmse", S.n_boot) for p in pts]).T
            ax.fill_between(steps, lo, hi, color=color, alpha=0.25, lw=0)
            ax.plot(steps, m, marker + "-", color=color, label=label)
        ax.axhline(run.bayes, color="k", ls="--", lw=1, label="Bayes risk (any estimator)")
        ax.set(
            xscale="log",
            xlabel=f"training steps (minibatches of {S.batch_size})",
            ylabel="test RMSE of $\\hat K$",
            title=f"$N={S.N}$, $M={M}$ feature units, {len(S.seeds)} seeds",
        )
        ax.set_xticks([*S.checkpoints, S.steps], minor=False)
        ax.get_xaxis().set_major_formatter("{x:g}")
        ax.get_xaxis().set_minor_formatter(NullFormatter())
        ax.legend(fontsize="x-small")
