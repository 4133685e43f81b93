r"""Seed-bootstrap intervals: the one resampling routine of the book's network diagnostics and claims."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_int

__all__ = ["seed_bootstrap", "Interval", "seed_interval"]


def seed_bootstrap(values, n_boot: int, seed: int = 0) -> tuple[float, float, float]:
    r"""Mean of per-seed ``values`` and its 95 % seed-bootstrap (percentile) interval.

    ``values`` has shape ``(seeds,)`` (one value per seed, restart or stack); each of the
    ``n_boot`` resamples draws that many values with replacement from
    ``numpy.random.default_rng(seed)``, and the interval is the 2.5 and 97.5 percentiles of the
    resampled means. Returns ``(mean, lower, upper)``; with one value the interval is the point.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size < 1:
        raise ValueError(f"values must be a non-empty 1-d array (one value per seed), got shape {v.shape}")
    n_boot = as_int("n_boot", n_boot, minimum=1)
    means = v[np.random.default_rng(seed).integers(0, v.size, (n_boot, v.size))].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(v.mean()), float(lo), float(hi)


@dataclass(frozen=True)
class Interval:
    """Mean over seeds of a quantity and its 95 % seed-bootstrap interval (``n`` seeds)."""

    mean: float
    lo: float
    hi: float
    n: int

    def far(self, predicted: float) -> float:
        """The end of the interval farthest from ``predicted`` (what an evidence row must bring within tolerance)."""
        return self.lo if abs(self.lo - predicted) >= abs(self.hi - predicted) else self.hi

    def near(self, predicted: float) -> float:
        """The point of the interval nearest to ``predicted`` (``predicted`` itself when inside): a control row."""
        return float(min(max(predicted, self.lo), self.hi))

    def text(self, fmt: str = ".3f") -> str:
        """``mean [lo, hi]`` in format ``fmt``."""
        return f"{self.mean:{fmt}} [{self.lo:{fmt}}, {self.hi:{fmt}}]"


def seed_interval(values, n_boot: int, seed: int = 0) -> Interval:
    """:func:`seed_bootstrap` of per-seed ``values`` as an :class:`Interval`."""
    v = np.asarray(values, dtype=float)
    return Interval(*seed_bootstrap(v, n_boot, seed), n=int(v.size))
