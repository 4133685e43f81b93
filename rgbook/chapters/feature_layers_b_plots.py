r"""Figure of Reading B of the chapter *Paper II's theorem: the feature layer and the RG fixed point*
(``book/feature_layers``): the units' statistics against the input size. Re-exported by
:mod:`rgbook.chapters.feature_layers`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from matplotlib.ticker import NullFormatter, ScalarFormatter

from .feature_layers_b import MODE_NAMES, ReadingB, _sizes, network_results


def _mean_std_by_N(results, attr):
    Ns = sorted({r.N for r in results})
    vals = [[getattr(r, attr) for r in results if r.N == N] for N in Ns]
    return (
        np.array(Ns),
        np.array([np.mean(v) for v in vals]),
        np.array([np.std(v, ddof=1) if len(v) > 1 else 0.0 for v in vals]),
    )


_STYLES = {"trained": ("o-", "C0"), "random": ("^--", "C1"), "selection": ("s:", "C2"), "block_sum": ("D-.", "C3")}


def plot_size(ax_exact, ax_samples, ax_overlap, ax_bayes, P: ReadingB) -> None:
    r"""Reading B: :math:`N\rho` of linear units (exact), sampled :math:`|\kappa_4^{std}|`, the block-sum
    overlap, and the excess test RMSE over the exact Bayes estimator's on the same test samples.
    """

    results = network_results(P)
    for mode, (fmt, color) in _STYLES.items():
        lin = [r for r in results if r.mode == mode and np.isfinite(r.n_rho)]
        if lin:
            N, m, s = _mean_std_by_N(lin, "n_rho")
            ax_exact.errorbar(N, m, yerr=s, fmt=fmt, color=color, capsize=3, label=MODE_NAMES[mode])
    ax_exact.set(
        xscale="log",
        yscale="log",
        xlabel="input size $N$",
        ylabel=r"$N\,\sum_i w_i^4/(\sum_i w_i^2)^2$",
        title="linear units, i.i.d. data (exact)",
    )
    ax_exact.legend(fontsize="x-small")
    for task, marker in (("bernoulli_chain", "o"), ("even_poly", "s")):
        for mode, (fmt, color) in _STYLES.items():
            sel = [r for r in results if r.task == task and r.mode == mode]
            if not sel:
                continue
            N, m, _ = _mean_std_by_N(sel, "kappa4")
            _, se, _ = _mean_std_by_N(sel, "kappa4_se")
            ax_samples.errorbar(
                N,
                m,
                yerr=2 * se,
                fmt=marker + fmt[1:],
                color=color,
                capsize=2,
                mfc="none" if task == "even_poly" else color,
                label=f"{task}, {MODE_NAMES[mode]}",
            )
    Ns = np.array(_sizes(P), dtype=float)
    ax_samples.plot(Ns, 0.6 * 4 / Ns, "k:", label="$\\propto N^{-1}$")
    ax_samples.set(
        xscale="log",
        yscale="log",
        xlabel="input size $N$",
        ylabel=r"mean $|\kappa_4/\kappa_2^2|$ of the units",
        title="chain and hidden-layer tasks (samples)",
    )
    ax_samples.legend(fontsize="xx-small", ncol=2)
    for mode, (fmt, color) in _STYLES.items():
        lin = [r for r in results if r.mode == mode and np.isfinite(r.overlap)]
        if lin:
            N, m, s = _mean_std_by_N(lin, "overlap")
            ax_overlap.errorbar(N, m, yerr=s, fmt=fmt, color=color, capsize=3, label=MODE_NAMES[mode])
    ax_overlap.set(
        xscale="log",
        xlabel="input size $N$",
        ylabel=r"$\|\Pi_W \mathbf{1}\|^2/N$",
        title="block sum in the layer's span",
        ylim=(-0.03, 1.05),
    )
    ax_overlap.legend(fontsize="x-small")
    lowest = 0.0
    for task, marker in zip(P.bayes_tasks, "os"):
        for mode, (fmt, color) in _STYLES.items():
            sel = [r for r in results if r.task == task and r.mode == mode and np.isfinite(r.bayes_test_rmse)]
            if not sel:
                continue
            excess = [replace(r, test_rmse=100 * (r.test_rmse / r.bayes_test_rmse - 1)) for r in sel]
            N, m, s = _mean_std_by_N(excess, "test_rmse")
            lowest = min(lowest, float(np.min(m - s)))
            ax_bayes.errorbar(
                N,
                m,
                yerr=s,
                fmt=marker + fmt[1:],
                color=color,
                capsize=2,
                mfc="none" if marker == "s" else color,
                label=f"{task}, {MODE_NAMES[mode]}",
            )
    ax_bayes.axhline(0.0, color="k", lw=0.8)
    ax_bayes.set_yscale("symlog", linthresh=1.0, linscale=0.6)
    ax_bayes.set_ylim(bottom=min(-0.3, 1.3 * lowest))
    ax_bayes.set(
        xscale="log",
        xlabel="input size $N$",
        ylabel="excess test RMSE over the Bayes estimator (%)",
        title="distance from the Bayes-optimal estimator",
    )
    ax_bayes.legend(fontsize="xx-small", ncol=2)
    for ax in (ax_exact, ax_samples, ax_overlap, ax_bayes):
        ax.set_xticks(Ns)
        ax.xaxis.set_major_formatter(ScalarFormatter())
        ax.xaxis.set_minor_formatter(NullFormatter())
