"""Shared pieces of the training protocols."""

from __future__ import annotations

import numpy as np


def binned_parameter(lo: float, hi: float, n: int, rng: np.random.Generator,
                     n_bins: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """``n`` parameter values uniform over the midpoints of ``n_bins`` equal bins of ``[lo, hi]``.

    Returns the bin index of each draw and the midpoints. Exact samplers take one parameter at
    a time, so samples are generated bin by bin at the midpoint.
    """
    edges = np.linspace(lo, hi, n_bins + 1)
    return rng.integers(0, n_bins, n), 0.5 * (edges[1:] + edges[:-1])
