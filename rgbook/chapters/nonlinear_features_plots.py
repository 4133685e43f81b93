r"""Tables and figures of the chapter *Beyond linear and Gaussian* (``book/nonlinear_features``).

Drawn from :mod:`rgbook.chapters.nonlinear_features_runs`; ``P`` is the chapter's ``Protocol``
(:mod:`rgbook.chapters.nonlinear_features` re-exports every name; it is not imported here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..networks import pca_loss
from .nonlinear_features_runs import (
    DATA_NAMES,
    DATASETS,
    KINDS,
    autoencoders,
    chain_samples,
    interval,
    plateau,
    rg_iterates,
    rg_side,
    stats_of,
)
from .nonlinear_features_scan import scan_exact_values, scan_interval

# --------------------------------------------------------------------------------------
# tables


def _fmt(m: float, lo: float, hi: float) -> str:
    return f"{m:.4f} [{lo:.4f}, {hi:.4f}]" if hi > lo else f"{m:.4f}"


def loss_table(P):
    """Per chain: evaluation losses of trained (seed spread) and untrained autoencoders, PCA's, and the plateau."""
    rows = []
    for data in DATASETS:
        tr = [s.loss for s in stats_of(P, data, "trained")]
        rows.append(
            {
                "chain": data,
                "trained loss per site, mean [95% seed interval]": _fmt(*interval(P, data, "trained", "loss")),
                "min / max over seeds": f"{min(tr):.4f} / {max(tr):.4f}",
                "untrained loss": _fmt(*interval(P, data, "untrained", "loss")),
                "PCA loss (9 linear features)": f"{pca_loss(chain_samples(P, data, 'eval'), P.N // P.b):.4f}",
                "largest relative change, last two tenths": f"{plateau(P, data).max():.2e}",
            }
        )
    return pd.DataFrame(rows)


#: Columns of :func:`feature_table`: attribute, display name, absolute value.
_COLUMNS = {
    "phi4": (
        ("theta_4", "theta_4 (marginals)", False),
        ("kappa_4", "kappa_4/kappa_2^2", False),
        ("outside", "features with kappa_4 >= 0", False),
        ("chain_K", "K (phi^4 chain)", False),
        ("mardia", "Mardia excess / dim", False),
        ("info_blocks", "R^2 block sums", False),
        ("info_sites", "R^2 centre sites", False),
        ("neighbour_mi", "MI neighbours (nats)", False),
    ),
    "ising": (
        ("sign_K", "K (sign features)", False),
        ("kappa_4", "kappa_4/kappa_2^2", False),
        ("mardia", "Mardia excess / dim", False),
        ("info_blocks", "R^2 block sums", False),
        ("info_sites", "R^2 centre sites", False),
        ("neighbour_mi", "MI of neighbouring signs (nats)", False),
    ),
}


def feature_table(P, data: str):
    """Every kind of feature of one chain: mean [95% seed-bootstrap interval] of each characteristic parameter."""
    rows = []
    for kind in KINDS:
        row = {"features": kind}
        for attr, name, absolute in _COLUMNS[data]:
            m, lo, hi = interval(P, data, kind, attr, absolute)
            row[name] = "–" if not np.isfinite(m) else _fmt(m, lo, hi)
        rows.append(row)
    return pd.DataFrame(rows)


def rg_table(P):
    """The RG maps' own numbers for the phi^4 chain: decimation by kernel power and the i.i.d. block-sum flow."""
    it = rg_iterates(P)
    rows = [
        {
            "map": f"decimation b={P.b} (kernel power, raw units)",
            "theta_2": it.decimated[0],
            "theta_4": it.decimated[1],
            "K": it.decimated[2],
        },
        {
            "map": f"decimation b={P.b}, standardized (bulk variance {it.s2:.4f})",
            "theta_2": it.decimated_standardized[0],
            "theta_4": it.decimated_standardized[1],
            "K": it.decimated_standardized[2],
        },
    ]
    rows += [
        {
            "map": f"i.i.d. block-sum RG, step {n} (standardized site marginal)",
            "theta_2": t[0],
            "theta_4": t[1],
            "K": 0.0,
        }
        for n, t in enumerate(it.block_sum_flow)
    ]
    return pd.DataFrame(rows)


def poisson_table(P):
    """Exact standardized cumulants of Poisson block sums against (b^n lambda)^(-1/2), (b^n lambda)^(-1)."""
    flow, _ = rg_side(P)
    return pd.DataFrame(
        [
            {
                "step n": n,
                "rate b^n lambda": P.b**n * P.poisson_lam,
                "kappa_3 (exact pmf)": k[0],
                "(b^n lambda)^(-1/2)": p[0],
                "kappa_4 (exact pmf)": k[1],
                "(b^n lambda)^(-1)": p[1],
            }
            for n, (k, p) in enumerate(zip(flow.kappa, flow.predicted))
        ]
    )


def projection_table(P):
    """Standardized laws projected onto the even-polynomial family: parameters and the unmatched kurtosis."""
    _, laws = rg_side(P)
    return pd.DataFrame(
        [
            {
                "law": m.law,
                "excess kurtosis": m.excess,
                "inside (-2, 0]": -2 < m.excess <= 0,
                "theta_2": m.theta_2,
                "theta_4": m.theta_4,
                "model's excess": m.model_excess,
                "unmatched": m.unmatched,
            }
            for m in laws
        ]
    )


# --------------------------------------------------------------------------------------
# figures

_STYLE = {
    "trained": ("o", "C0"),
    "untrained": ("^", "C1"),
    "block sum": ("D", "C3"),
    "decimation": ("s", "C2"),
    "sites": ("x", "k"),
}


def plot_losses(axes, P) -> None:
    """Recorded minibatch losses of every seed (running mean over 10 records), the PCA loss, and the plateau
    windows."""
    run = autoencoders(P)
    for ax, data in zip(axes, DATASETS):
        L = run.loss_curves(DATASETS.index(data))
        k = min(10, L.shape[0])
        smooth = np.array([np.convolve(c, np.ones(k) / k, mode="valid") for c in L.T])
        steps = run.steps[k - 1 :]
        for i, c in enumerate(smooth):
            ax.plot(steps, c, color="C0", lw=0.8, alpha=0.7, label="trained (10 seeds)" if i == 0 else None)
        ax.axhline(
            pca_loss(chain_samples(P, data, "train"), P.N // P.b),
            color="k",
            ls="--",
            lw=1,
            label=f"PCA, {P.N // P.b} linear features",
        )
        un = interval(P, data, "untrained", "loss")[0]
        ax.axhline(un, color="C1", ls=":", lw=1.2, label=f"untrained (mean {un:.2f})")
        w = max(int(round(P.plateau_window * L.shape[0])), 1)
        ax.axvspan(run.steps[-2 * w], run.steps[-1], color="0.85", zorder=0, label="plateau windows")
        ax.set(
            yscale="log",
            xlabel=f"Adam step (minibatches of {P.batch_size})",
            ylabel="reconstruction loss per site",
            title=DATA_NAMES[data],
        )
        ax.legend(fontsize="x-small", loc="upper right")


def _band(ax, tol: float, label: str = "literal claim's tolerance") -> None:
    ax.axhspan(-tol, tol, color="0.88", zorder=0, label=label)


def _points(ax, P, data: str, attr: str, kinds, absolute: bool = False) -> None:
    for i, kind in enumerate(kinds):
        m, lo, hi = interval(P, data, kind, attr, absolute)
        marker, color = _STYLE[kind]
        ax.errorbar([i], [m], yerr=[[m - lo], [hi - m]], fmt=marker, color=color, capsize=4, ms=7)
    ax.set_xticks(range(len(kinds)), kinds, rotation=20)
    ax.axhline(0.0, color="k", lw=0.8)


def draw_params(axes, P, tol_phi4, tol_ising) -> None:
    r"""Projected parameters per kind of feature: :math:`\theta_4` and :math:`K` of the :math:`\phi^4` chain,
    Mardia excess kurtosis of both chains, and the sign-feature :math:`K` of the Ising chain; the bands are
    the tolerances ``tol_phi4`` (claim II.N2) and ``tol_ising`` (II.N3)."""
    ax_t4, ax_K, ax_m, ax_s = axes
    kinds = KINDS
    _band(ax_t4, tol_phi4["theta4"])
    _band(ax_K, tol_phi4["coupling"])
    _band(ax_m, tol_phi4["kappa"])
    _band(ax_s, tol_ising["coupling"])
    _points(ax_t4, P, "phi4", "theta_4", kinds)
    flow = rg_iterates(P).block_sum_flow
    ax_t4.axhline(flow[1, 1], color="C3", ls=":", lw=1, label=f"i.i.d. block-sum RG, one step (b={P.b})")
    ax_t4.set(ylabel=r"standardized $\theta_4$ of the marginals", title=r"$\phi^4$ chain: $\theta_4$ (fixed point 0)")
    ax_t4.legend(fontsize="x-small", loc="upper center")
    _points(ax_K, P, "phi4", "chain_K", kinds)
    ax_K.axhline(
        rg_iterates(P).decimated_standardized[2],
        color="C2",
        ls=":",
        lw=1,
        label=f"decimation RG map (kernel power, b={P.b})",
    )
    ax_K.set(ylabel="$K$ of the standardized chain", title=r"$\phi^4$ chain: neighbour coupling ($K^*=0$)")
    ax_K.legend(fontsize="x-small", loc="center right")
    for j, data in enumerate(DATASETS):
        for i, kind in enumerate(kinds):
            m, lo, hi = interval(P, data, kind, "mardia")
            marker, color = _STYLE[kind]
            ax_m.errorbar(
                [i + 0.15 * (2 * j - 1)],
                [m],
                yerr=[[m - lo], [hi - m]],
                fmt=marker,
                color=color,
                mfc="none" if data == "ising" else color,
                capsize=3,
                ms=7,
            )
    ax_m.set_xticks(range(len(kinds)), kinds, rotation=20)
    ax_m.axhline(0.0, color="k", lw=0.8)
    ax_m.set(
        ylabel="excess Mardia kurtosis per dimension",
        title=r"gauge-free: $\phi^4$ (filled), Ising (open); fixed point 0",
    )
    _points(ax_s, P, "ising", "sign_K", kinds)
    ax_s.axhline(
        np.arctanh(np.tanh(P.ising_K) ** P.b), color="C2", ls=":", lw=1, label=r"decimation RG: $\tanh^{-1}\tanh^3 K$"
    )
    ax_s.set(ylabel="$K$ of the sign features", title="Ising chain: sign features ($K^*=0$)")
    ax_s.legend(fontsize="x-small")


# --------------------------------------------------------------------------------------
# the scan in b (II.N2a, II.N4a)

#: Quantities of the scan: attribute, display name.
_SCAN = (
    ("theta_4", r"standardized $\theta_4$ of the marginals"),
    ("chain_K", r"$K$ of the $\phi^4$-chain projection"),
    ("mardia", "excess Mardia kurtosis per dimension"),
)


def scan_table(P):
    """Per b of the scan: plateau, and trained / untrained seed means [95% intervals] against the exact block sums."""
    rows = []
    for b in P.scan_bs:
        exact = scan_exact_values(P, b)
        for attr, name in _SCAN + (("kappa_4", "excess kurtosis of the marginals"), ("info_blocks", "R^2 block sums")):
            rows.append(
                {
                    "b": b,
                    "features": P.scan_N // b,
                    "quantity": name.replace("$", "").replace("\\", ""),
                    "trained": _fmt(*scan_interval(P, b, "trained", attr)),
                    "untrained": _fmt(*scan_interval(P, b, "untrained", attr)),
                    "block sums, exact": f"{exact[attr]:.4f}" if attr in exact else "",
                    "block sums, sampled": f"{scan_interval(P, b, 'block sum', attr)[0]:.4f}",
                }
            )
    return pd.DataFrame(rows)


def draw_scan(axes, P, tol) -> None:
    r"""Trained and untrained features (seed mean, 95 % interval) and the exact block sums against ``b``:
    :math:`\theta_4`, projected :math:`K` and Mardia excess; grey bands: the tolerances ``tol`` of II.N2a."""
    bs = np.array(P.scan_bs, dtype=float)
    for ax, (attr, name), key in zip(axes, _SCAN, ("theta4", "coupling", "kappa")):
        _band(ax, tol[key])
        for k, (kind, label) in enumerate((("trained", "trained"), ("untrained", "untrained"))):
            iv = np.array([scan_interval(P, b, kind, attr) for b in P.scan_bs])
            marker, color = _STYLE[kind]
            shift = 1.06 ** (2 * k - 1)
            ax.errorbar(
                bs * shift,
                iv[:, 0],
                yerr=[iv[:, 0] - iv[:, 1], iv[:, 2] - iv[:, 0]],
                fmt=marker,
                color=color,
                capsize=3,
                ms=6,
                label=f"{label} autoencoders",
            )
        marker, color = _STYLE["block sum"]
        if attr == "mardia":
            ys = [scan_interval(P, b, "block sum", attr)[0] for b in P.scan_bs]
            ax.plot(bs, ys, marker=marker, color=color, ls="--", label="block sums (sampled)")
        else:
            ax.plot(
                bs,
                [scan_exact_values(P, b)[attr] for b in P.scan_bs],
                marker=marker,
                color=color,
                ls="--",
                label="block sums (exact)",
            )
        ax.axhline(0.0, color="k", lw=0.8)
        ax.set_xscale("log")
        ax.minorticks_off()
        ax.set_xticks(bs, [str(b) for b in P.scan_bs])
        ax.set(xlabel=f"block size b (N = {P.scan_N}: N/b features)", ylabel=name)
    axes[0].legend(fontsize="x-small")
