"""Figure files with provenance, so that a figure of the book can be cited and re-made.

:func:`save` writes ``_build/figures/<label>.pdf`` and ``.png`` (deterministic metadata: no
timestamps) and a sidecar ``<label>.json`` recording the rgbook version, the git commit, the
chapter, the seed and the parameters that produced the figure.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from . import __version__
from .claims import book_root

__all__ = ["weight_heatmap", "save", "git_commit", "apply_style", "toc_files"]


def toc_files(root: Path | None = None) -> list[str]:
    """Documents of the book in reading order: the ``root`` of ``_toc.yml`` and every chapter of every part."""
    root = book_root() if root is None else Path(root)
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    return [toc["root"]] + [ch["file"] for part in toc.get("parts", []) for ch in part.get("chapters", [])]


def git_commit(root: Path | None = None) -> str:
    """The checked-out commit of the book's repository, or ``"unknown"`` outside git."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root or book_root(), capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "unknown"


def apply_style() -> None:
    """The book's plotting style (seaborn ticks, readable sizes); call once per chapter."""
    # Heavy and needed only by chapters that draw: imported on first use.
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(style="ticks", context="notebook")
    mpl.rcParams.update({"figure.dpi": 110, "savefig.dpi": 150, "axes.grid": True, "grid.alpha": 0.3})


def save(
    fig,
    label: str,
    *,
    chapter: str,
    params: dict[str, Any] | None = None,
    seed: int | None = None,
    root: Path | None = None,
) -> None:
    """Write ``fig`` as PDF and PNG named after its book label, with a provenance sidecar.

    Returns ``None`` so that, as the last line of a notebook cell, it adds no output
    beside the figure itself.
    """
    if not isinstance(label, str) or not label.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"label must be a figure label like 'fig-ising-flow', got {label!r}")
    root = root or book_root()
    out = root / "_build" / "figures"
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / f"{label}.pdf", bbox_inches="tight", metadata={"CreationDate": None, "ModDate": None})
    fig.savefig(out / f"{label}.png", bbox_inches="tight", metadata={"Software": None})
    sidecar = {
        "label": label,
        "chapter": chapter,
        "rgbook_version": __version__,
        "git_commit": git_commit(root),
        "seed": seed,
        "params": params or {},
        "files": [f"{label}.pdf", f"{label}.png"],
    }
    (out / f"{label}.json").write_text(json.dumps(sidecar, indent=2, sort_keys=True, default=str))


def weight_heatmap(ax, W, title: str) -> None:
    """Heat map of a layer's weights (units oriented and in receptive-field order)."""
    W = np.asarray(W)
    vmax = float(np.max(np.abs(W)))
    im = ax.imshow(W, cmap="RdBu_r", vmin=-vmax, vmax=vmax, aspect="auto")
    ax.set(xlabel="input site $k$", ylabel="output unit $j$", title=title)
    ax.set_xticks(range(W.shape[1]))
    ax.set_yticks(range(W.shape[0]))
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label="$W_{jk}$", shrink=0.85)
