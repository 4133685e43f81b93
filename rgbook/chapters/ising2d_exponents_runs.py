r"""Runs of the chapter *Both relevant eigenvalues from trained coarse-grainings* (``book/ising2d_exponents``):
the maps, the independent critical ensembles and their exponents. ``P`` is the chapter's ``Protocol``
(:mod:`rgbook.chapters.ising2d_exponents`; it is not imported here).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from .. import ising2d
from ..ising2d_learning import is_majority_rule
from . import ising2d_critical as critical

#: The maps of the chapter: trained methods (one map per seed) and hand-made controls.
MAPS = ("trained", "mi-trained", "fc-readout", "majority", "decimation", "anti-aligned")


#: How tables and figures name the maps.
MAP_LABELS = {
    "trained": "block autoencoder",
    "mi-trained": "mutual information",
    "fc-readout": "FC span, block readout",
    "majority": "majority rule",
    "decimation": "decimation",
    "anti-aligned": "anti-aligned filter",
}


#: Exact exponents of the 2D Ising fixed point: y_t = 1/nu = 1, y_h = d - beta/nu = 15/8.
YT, YH = 1.0, 15.0 / 8.0


def _progress() -> bool:
    """Progress bars only on a terminal: a notebook's stderr is no TTY, so the rendered page shows none."""
    return sys.stderr.isatty()


@dataclass(frozen=True)
class MapSet:
    """The maps of the chapter: ``names`` (M,) such as ``"trained/0"`` or ``"majority"``; the first
    ``len(tables)`` are truth tables (16,), the rest tiled window maps ``net_W`` (F, K, window**2), ``net_block``
    (F, K) (:func:`rgbook.ising2d.window_blocking`); ``seconds`` the time spent training."""

    names: tuple[str, ...]
    tables: np.ndarray
    net_W: np.ndarray
    net_block: np.ndarray
    window: int
    seconds: float
    cpu_seconds: float = 0.0

    def index(self, prefix: str) -> list[int]:
        return [i for i, n in enumerate(self.names) if n == prefix or n.startswith(prefix + "/")]

    def operators(self, spins, n_levels: int, n_even: int, n_odd: int) -> np.ndarray:
        """Operators of ``spins`` blocked 0..n_levels times by every map: (B, M, n_levels + 1, n_even + n_odd)."""
        t = ising2d.operators_by_level(
            spins,
            len(self.tables),
            n_levels,
            lambda cur: ising2d.apply_tables(cur, self.tables),
            n_even=n_even,
            n_odd=n_odd,
        )
        if not len(self.net_W):
            return t
        w = ising2d.operators_by_level(
            spins,
            len(self.net_W),
            n_levels,
            lambda cur: ising2d.window_blocking(cur, self.net_W, self.net_block, self.window),
            n_even=n_even,
            n_odd=n_odd,
        )
        return np.concatenate([t, w], axis=1)

    def subset(self, names) -> MapSet:
        """The maps ``names`` (truth tables only)."""
        idx = [self.names.index(n) for n in names]
        if any(i >= len(self.tables) for i in idx):
            raise ValueError("subset takes truth-table maps only")
        return MapSet(tuple(names), self.tables[idx], self.net_W[:0], self.net_block[:0], self.window, 0.0, 0.0)


@cache
def map_set(P) -> MapSet:
    """Train the three methods for ``P.seeds`` by the critical chapter's protocol and collect the maps."""
    start, cpu = time.perf_counter(), time.process_time()
    T = replace(P.train, seeds=P.seeds)
    tr, mi, fc = critical.run_training(T), critical.run_mi_training(T), critical.run_fc_training(T)
    names, tables = [], []
    for prefix, weights in (("trained", tr.w), ("mi-trained", mi.w)):
        for s, w in zip(P.seeds, weights):
            names.append(f"{prefix}/{s}")
            tables.append(ising2d.block_table(w.reshape(2, 2)))
    names += ["majority", "decimation", "anti-aligned"]
    tables += [
        ising2d.block_table("majority"),
        ising2d.block_table("decimation"),
        ising2d.block_table(critical.ANTI_ALIGNED),
    ]
    # orientation: the all-up block (state 15) maps to +1; a map and its negative are the same coarse-graining,
    # but the negative flips the sign of the odd operators at every other level (lambda_h -> -lambda_h)
    tables = [t * t[15] for t in tables]
    names += [f"fc-readout/{s}" for s in P.seeds]
    W = critical.block_readout(fc.W, T.fc_window)
    W = W * np.where(W.sum(axis=2, keepdims=True) >= 0, 1.0, -1.0)  # the same orientation (all-up -> +1)
    block = np.tile(np.arange(W.shape[1]), (len(W), 1))
    return MapSet(
        tuple(names),
        np.array(tables, dtype=np.int8),
        W,
        block,
        T.fc_window,
        time.perf_counter() - start,
        time.process_time() - cpu,
    )


@dataclass(frozen=True)
class Ensembles:
    """Per-ensemble :class:`rgbook.ising2d.Moments` of every map at one lattice size, and the wall time."""

    L: int
    n_levels: int
    names: tuple[str, ...]
    moments: tuple
    seconds: float
    cpu_seconds: float = 0.0


def _run_ensembles(
    maps: MapSet,
    L: int,
    n_levels: int,
    seeds,
    chains: int,
    sweeps: int,
    burn: int,
    groups: int,
    n_even: int,
    n_odd: int,
) -> Ensembles:
    centred = [True] * n_even + [False] * n_odd
    moments = []
    start, cpu = time.perf_counter(), time.process_time()
    empty = np.zeros(0)
    for seed in seeds:
        acc = ising2d.MomentAccumulator(chains, groups, centred)

        def measure(s, acc=acc):
            acc.add(maps.operators(s, n_levels, n_even, n_odd))
            return empty

        ising2d.swendsen_wang(ising2d.K_C, L, chains, sweeps, seed, n_burn=burn, measure=measure, progress=_progress())
        moments.append(acc.moments())
    return Ensembles(L, n_levels, maps.names, tuple(moments), time.perf_counter() - start, time.process_time() - cpu)


@cache
def run_ensembles(P, which: str = "main") -> Ensembles:
    """The independent critical ensembles: ``"main"`` (all maps, ``L``) or ``"big"`` (the block autoencoder of
    seed ``seeds[0]``, majority rule and decimation at ``big_L``)."""
    ms = map_set(P)
    if which == "main":
        return _run_ensembles(ms, P.L, P.n_levels, P.ensembles, P.chains, P.sweeps, P.burn, P.groups, P.n_even, P.n_odd)
    if which == "big":
        sub = ms.subset((f"trained/{P.seed0}", "majority", "decimation"))
        return _run_ensembles(
            sub, P.big_L, P.big_levels, P.big_ensembles, P.big_chains, P.big_sweeps, P.burn, P.groups, P.n_even, P.n_odd
        )
    raise ValueError(f"which must be 'main' or 'big', got {which!r}")


@cache
def exponents(P, which: str = "main") -> dict:
    """``(sector, n_ops, step) -> rgbook.ising2d.Eigenvalue`` over the maps, sector ``"t"`` (first n_ops even
    operators) or ``"h"`` (first n_ops odd operators), for the claims' counts and the truncation study's."""
    ens = run_ensembles(P, which)
    out = {}
    for sector, counts, claim_count in (("t", P.even_counts, P.n_even), ("h", P.odd_counts, P.n_odd)):
        for k in sorted(set(counts) | {claim_count}):
            cols = np.arange(k) if sector == "t" else P.n_even + np.arange(k)
            for n in range(ens.n_levels):
                out[sector, k, n] = ising2d.mcrg_eigenvalue(ens.moments, n, cols, centred=sector == "t")
    return out


def exponent_value(P, which: str, sector: str, name: str, n: int, k: int | None = None) -> tuple[float, float]:
    ens = run_ensembles(P, which)
    e = exponents(P, which)[sector, k or (P.n_even if sector == "t" else P.n_odd), n]
    i = ens.names.index(name)
    return float(e.y[i]), float(e.err[i])


def timings(P) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of training the maps, of the main ensembles, of the L = big_L ensembles and of the
    ensembles of every odd table (the CPU seconds of this single-threaded process are what a machine shared with
    other jobs does not inflate)."""
    ms, main, big, tab = map_set(P), run_ensembles(P), run_ensembles(P, "big"), run_tables(P)
    return {
        "training": (ms.seconds, ms.cpu_seconds),
        "main ensembles": (main.seconds, main.cpu_seconds),
        "big ensembles": (big.seconds, big.cpu_seconds),
        "odd-table ensembles": (tab.seconds, tab.cpu_seconds),
    }


@dataclass(frozen=True)
class TableExponents:
    """y_h of every odd, oriented 2x2 truth table (:func:`rgbook.ising2d.odd_block_tables`): ``tables`` (128, 16),
    ``majority`` (128,) whether each is a majority rule up to ties, ``y`` and ``err`` (128, steps) at steps
    1->2, 2->3 (the claim steps), and ``seconds`` the wall time of the ensembles."""

    tables: np.ndarray
    majority: np.ndarray
    y: np.ndarray
    err: np.ndarray
    seconds: float
    cpu_seconds: float

    @property
    def deviation(self) -> np.ndarray:
        """Per table, the larger |y_h - 15/8| over the steps (NaN counts as infinitely far)."""
        d = np.abs(self.y - YH)
        return np.where(np.isfinite(d), d, np.inf).max(axis=1)


@cache
def run_tables(P) -> TableExponents:
    """Every odd, oriented truth table through the odd-operator MCRG on the ``table_ensembles``."""
    tables = ising2d.odd_block_tables()
    names = tuple(f"table/{j}" for j in range(len(tables)))
    maps = MapSet(names, tables, np.zeros((0, 1, 1)), np.zeros((0, 1), dtype=int), 2, 0.0)
    ens = _run_ensembles(
        maps, P.L, P.n_levels, P.table_ensembles, P.table_chains, P.table_sweeps, P.burn, P.groups, 0, P.n_odd
    )
    steps = claim_steps(P)
    est = [ising2d.mcrg_eigenvalue(ens.moments, n, np.arange(P.n_odd), centred=False) for n in steps]
    majority = np.array([is_majority_rule(t) for t in tables])
    y = np.stack([e.y for e in est], axis=1)
    err = np.stack([e.err for e in est], axis=1)
    return TableExponents(tables, majority, y, err, ens.seconds, ens.cpu_seconds)


def claim_steps(P) -> list[int]:
    return [n for n in (1, 2) if n < P.n_levels]
