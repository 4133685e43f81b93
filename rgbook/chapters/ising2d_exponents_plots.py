r"""Tables and the figure of the chapter *Both relevant eigenvalues from trained coarse-grainings*
(``book/ising2d_exponents``). ``P`` is the chapter's ``Protocol``.
"""

from __future__ import annotations

import math

import numpy as np

from .ising2d_exponents_runs import MAP_LABELS, MAPS, YH, YT, claim_steps, exponent_value, run_ensembles


def exponent_table(P):
    """y_t and y_h with errors per map and step (claims' operator counts), as a DataFrame."""
    import pandas as pd

    ens = run_ensembles(P)
    rows = []
    for name in ens.names:
        prefix = name.split("/")[0]
        row = {"map": MAP_LABELS[prefix] + (f", seed {name.split('/')[1]}" if "/" in name else "")}
        for n in range(P.n_levels):
            for sector, sym in (("t", "y_t"), ("h", "y_h")):
                y, e = exponent_value(P, "main", sector, name, n)
                row[f"{sym} {n}→{n + 1}"] = f"{y:.4f} ± {e:.4f}" if math.isfinite(y) else "no λ > 0"
        rows.append(row)
    return pd.DataFrame(rows)


def truncation_table(P, names=None):
    """y_t for each count of even operators and y_h for each count of odd operators (rows), at steps 1->2 and 2->3
    (columns), per map."""
    import pandas as pd

    ens = run_ensembles(P)
    rows = []
    for name in names or ens.names:
        prefix = name.split("/")[0]
        label = MAP_LABELS[prefix] + (f", seed {name.split('/')[1]}" if "/" in name else "")
        for sector, counts, sym in (("t", P.even_counts, "y_t"), ("h", P.odd_counts, "y_h")):
            for k in counts:
                row = {"map": label, "exponent": sym, "operators": k}
                for n in claim_steps(P):
                    y, e = exponent_value(P, "main", sector, name, n, k)
                    row[f"{n}→{n + 1}"] = f"{y:.4f} ± {e:.4f}" if math.isfinite(y) else "no λ > 0"
                rows.append(row)
    return pd.DataFrame(rows)


def truncation_shift(P, sector: str, names) -> float:
    """Largest change of the exponent between the claims' operator count and the next smaller count of the study,
    over ``names`` and steps 1->2, 2->3."""
    counts = sorted(P.even_counts if sector == "t" else P.odd_counts)
    k = P.n_even if sector == "t" else P.n_odd
    smaller = max(c for c in counts if c < k)
    return max(
        abs(exponent_value(P, "main", sector, name, n, k)[0] - exponent_value(P, "main", sector, name, n, smaller)[0])
        for name in names
        for n in claim_steps(P)
    )


def finite_size(P):
    """The L = big_L values beside the L values (claims' operator counts), per map of the check and step."""
    import pandas as pd

    big = run_ensembles(P, "big")
    rows = []
    for name in big.names:
        for sector, sym in (("t", "y_t"), ("h", "y_h")):
            row = {"map": MAP_LABELS[name.split("/")[0]], "exponent": sym}
            for n in range(P.big_levels):
                y, e = exponent_value(P, "big", sector, name, n)
                row[f"L={P.big_L}, {n}→{n + 1}"] = f"{y:.4f} ± {e:.4f}"
                if n < P.n_levels:
                    y, e = exponent_value(P, "main", sector, name, n)
                    row[f"L={P.L}, {n}→{n + 1}"] = f"{y:.4f} ± {e:.4f}"
            row = {
                k: row[k]
                for k in ["map", "exponent"]
                + sorted(set(row) - {"map", "exponent"}, key=lambda c: (c.split(", ")[1], c))
            }
            rows.append(row)
    return pd.DataFrame(rows)


def plot_exponents(ax_t, ax_h, P, tol=None) -> None:
    """y_t (left) and y_h (right) per map and step with errors; the bands are the claims' tolerances."""
    ens = run_ensembles(P)
    steps = np.arange(P.n_levels)
    colors = {m: f"C{k}" for k, m in enumerate(MAPS)}
    for ax, sector, target, sym in ((ax_t, "t", YT, "y_t"), (ax_h, "h", YH, "y_h")):
        for j, name in enumerate(ens.names):
            prefix = name.split("/")[0]
            vals = np.array([exponent_value(P, "main", sector, name, n) for n in steps])
            x = steps + 0.06 * (j - (len(ens.names) - 1) / 2)
            first = ens.names.index(next(n for n in ens.names if n.split("/")[0] == prefix)) == j
            ax.errorbar(
                x,
                vals[:, 0],
                vals[:, 1],
                fmt="o",
                ms=3,
                color=colors[prefix],
                capsize=2,
                label=MAP_LABELS[prefix] if first else None,
            )
        ax.axhline(target, color="k", lw=0.8)
        if tol is not None:
            t = tol["yt_tol"] if sector == "t" else tol["yh_tol"]
            ax.axhspan(target - t, target + t, color="0.85", zorder=0)
        ax.set(
            xticks=steps,
            xticklabels=[f"{n}→{n + 1}" for n in steps],
            xlabel="blocking step",
            ylabel=rf"${sym[0]}_{sym[2]}$",
            ylim=(0.85, 1.25) if sector == "t" else (1.845, 1.965),
            title=(r"thermal exponent $y_t$ (exact 1)" if sector == "t" else r"magnetic exponent $y_h$ (exact 15/8)"),
        )
    ax_h.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
