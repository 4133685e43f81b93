r"""Figures of the chapter *A trained coarse-graining at the 2D critical point* (``book/ising2d_critical``)."""

from __future__ import annotations

import math

import numpy as np

from ..ising2d_learning import (
    oriented_networks,
)
from ..stats import seed_bootstrap
from .ising2d_critical_runs import (
    METHOD_LABELS,
    METHODS,
    flow,
    map_set,
    run_fc_training,
    run_mi_training,
    run_training,
    yt_summary,
)

# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def plot_filters(axes, P) -> None:
    """Block filters, one 2x2 tile per seed, each scaled to max |w| = 1: autoencoder units, mutual-information
    units, and their common initial weights (three axes)."""
    tr, mi = run_training(P), run_mi_training(P)
    panels = (
        (tr.filters, "block autoencoder, trained"),
        (mi.filters, "mutual information, trained"),
        (tr.w0 / np.abs(tr.w0).max(axis=1, keepdims=True), "untrained (initial weights of both)"),
    )
    for ax, (W, title) in zip(axes, panels):
        R = W.shape[0]
        img = np.full((2, 3 * R - 1), np.nan)
        for r in range(R):
            img[:, 3 * r : 3 * r + 2] = W[r].reshape(2, 2)
        im = ax.imshow(img, cmap="RdBu_r", vmin=-1, vmax=1)
        ax.set_xticks([3 * r + 0.5 for r in range(R)], [str(s) for s in P.seeds])
        ax.set_yticks([])
        ax.set(xlabel="seed", title=title)
    axes[-1].figure.colorbar(im, ax=list(axes), shrink=0.6, label="w / max|w|")


def plot_receptive_fields(
    ax_trained, ax_untrained, ax_locality, P, seed_index: int = 0, tol: float | None = None
) -> None:
    """Window network of one seed, trained and untrained: unit u's weights (8x8, oriented, scaled to max |W_u| = 1)
    drawn at the position of its assigned block, which is outlined; and every seed's mean locality."""
    from matplotlib.patches import Rectangle

    fc = run_fc_training(P)
    w, nb = P.fc_window, P.fc_window // 2
    for ax, W, fields, title in (
        (ax_trained, fc.W, fc.fields, "trained"),
        (ax_untrained, fc.W0, fc.fields0, "untrained"),
    ):
        Wo = oriented_networks(W, fields)[seed_index]
        img = np.full((nb * (w + 1) - 1, nb * (w + 1) - 1), np.nan)
        for u in range(Wo.shape[0]):
            by, bx = divmod(int(fields.block[seed_index, u]), nb)
            y0, x0 = by * (w + 1), bx * (w + 1)
            img[y0 : y0 + w, x0 : x0 + w] = Wo[u].reshape(w, w) / np.abs(Wo[u]).max()
            ax.add_patch(Rectangle((x0 + 2 * bx - 0.5, y0 + 2 * by - 0.5), 2, 2, fill=False, lw=1.0, ec="k"))
        im = ax.imshow(img, cmap="RdBu_r", vmin=-1, vmax=1)
        ax.set(xticks=[], yticks=[], title=f"{title} network, seed {P.seeds[seed_index]}: one 8x8 field per unit")
    ax_trained.figure.colorbar(im, ax=[ax_trained, ax_untrained], shrink=0.6, label="$W_u$ / max$|W_u|$")
    for k, (fields, _name) in enumerate(((fc.fields, "trained"), (fc.fields0, "untrained"))):
        m = fields.locality.mean(axis=1)
        ax_locality.plot(np.full(m.size, k), m, "o", color=f"C{k}", alpha=0.7)
    if tol is not None:
        ax_locality.axhline(1 - tol, color="k", ls="--", lw=0.8, label=rf"claim: $\geq {1 - tol:g}$")
        ax_locality.legend(fontsize="x-small")
    ax_locality.axhline(4 / w**2, color="0.5", lw=0.8)
    ax_locality.set(
        xticks=[0, 1],
        xticklabels=["trained", "untrained"],
        xlim=(-0.6, 1.6),
        ylim=(0, 1),
        ylabel="mean fraction of $|W_u|^2$ in the assigned block",
        title="locality per seed",
    )


def plot_training(ax_mi, ax_fc, P) -> None:
    """Training curves: the mutual-information bound (nats) and the window reconstruction loss (nats per window)."""
    mi, fc = run_mi_training(P), run_fc_training(P)
    ax_mi.plot(mi.steps, mi.history, lw=0.8)
    ax_mi.axhline(math.log(2.0), color="k", ls=":", lw=0.8, label=r"$H(h)=\ln 2$")
    ax_mi.set(
        xlabel="Adam step (joint phase)",
        ylabel=r"$\ln 2-\langle-\ln q(h|E)\rangle$ (nats)",
        title="mutual-information units (minibatch values)",
        ylim=(0, 0.75),
    )
    ax_mi.legend(fontsize="x-small")
    ax_fc.plot(fc.steps, fc.history, lw=0.8)
    ax_fc.set(
        xlabel="Adam step",
        ylabel="cross-entropy (nats per 8x8 window)",
        yscale="log",
        title="window autoencoders (minibatch values)",
    )


def plot_flow(axes, P) -> None:
    """C_n against level at K_c(1 - delta), K_c, K_c(1 + delta), one panel per method (all seeds overlaid)."""
    ms = map_set(P)
    f = flow(P)
    levels = np.arange(P.n_levels + 1)
    styles = {
        "below": ("C0", f"$K_c(1-{P.delta:g})$"),
        "critical": ("k", "$K_c$"),
        "above": ("C3", f"$K_c(1+{P.delta:g})$"),
    }
    for ax, name in zip(axes, METHODS):
        for i, m in enumerate(ms.index(name)):
            u = ms.which[m]
            for key, (color, label) in styles.items():
                mean, err = f[key][0][u], f[key][1][u]
                ax.errorbar(
                    levels,
                    mean,
                    err,
                    color=color,
                    marker="o",
                    ms=3,
                    lw=1,
                    alpha=0.8 if len(ms.index(name)) > 1 else 1,
                    label=label if i == 0 else None,
                )
        ax.set(
            xlabel="blocking level n",
            ylabel=r"$C_n=\langle s_x s_{x+\hat e}\rangle$ (dimensionless)",
            title=METHOD_LABELS[name],
            xticks=levels,
        )
    axes[0].legend(fontsize="x-small")


def plot_yt(ax, P, tol=None) -> None:
    """y_t per step per method (4 operators): single maps with jackknife errors, seed groups as points with the
    seed-bootstrap interval of the mean."""
    ms = map_set(P)
    s = yt_summary(P)
    steps = np.arange(s["yt"].shape[1])
    colors = [f"C{k}" for k in range(10)] + ["k"]  # one colour per method (11)
    for k, name in enumerate(METHODS):
        idx = ms.index(name)
        x = steps + 0.07 * (k - (len(METHODS) - 1) / 2)
        y, e = s["yt"][idx], s["err"][idx]
        if len(idx) == 1:
            ax.errorbar(x, y[0], e[0], fmt="o", color=colors[k], label=METHOD_LABELS[name], capsize=3)
        else:
            for n in steps:
                v = y[:, n][np.isfinite(y[:, n])]
                ax.plot(np.full(v.size, x[n]), v, ".", color=colors[k], alpha=0.4)
                if v.size:
                    m, lo, hi = seed_bootstrap(v, P.n_boot, seed=0)
                    ax.errorbar(
                        x[n],
                        m,
                        [[m - lo], [hi - m]],
                        fmt="s",
                        color=colors[k],
                        capsize=3,
                        label=f"{METHOD_LABELS[name]} (seed mean, 95% interval)" if n == steps[0] else None,
                    )
    ax.axhline(1.0, color="k", lw=0.8)
    ax.set_ylim(0.3, 1.5)  # an untrained unit far below 1 at the last step is left outside (see the table)
    if tol is not None:
        ax.axhspan(1 - tol, 1 + tol, color="0.85", zorder=0, label=f"$1\\pm{tol:g}$")
    ax.set(
        xticks=steps,
        xticklabels=[f"{n}→{n + 1}" for n in steps],
        xlabel="blocking step",
        ylabel=r"thermal exponent $y_t=\ln\lambda_t/\ln 2$",
        title=f"linearized MCRG, 4 operators, $L={P.L}$",
    )
    ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
