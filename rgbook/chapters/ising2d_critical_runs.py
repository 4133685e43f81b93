r"""Runs of the chapter *A trained coarse-graining at the 2D critical point* (``book/ising2d_critical``):
the maps, their training, the critical samples and the MCRG exponents. ``P`` is the chapter's ``Protocol``
(:mod:`rgbook.chapters.ising2d_critical`, which re-exports every name; it is not imported here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import torch

from .. import ising2d
from ..ising2d import BLOCK_STATES, apply_tables, block_table, window_blocking
from ..ising2d import block_state_index as _state_index
from ..ising2d_learning import (
    ReceptiveFields,
    block_environments,
    block_readout,
    lattice_windows,
    oriented_networks,
    receptive_fields,
)
from ..ising2d_learning import mi_cross_entropy as _mi_cross_entropy
from ..ising2d_learning import normalised_filters as _normalised_filters
from ..ising2d_learning import reconstruction_loss as _reconstruction_loss
from ..ising2d_learning import window_reconstruction_loss as _fc_loss
from ..stats import seed_bootstrap
from ..training import Minibatches, fit

#: The maps of the chapter, in the order of the figures and tables (name prefixes of :class:`MapSet`).
METHODS = (
    "trained",
    "mi-trained",
    "fc-trained",
    "fc-readout",
    "majority",
    "decimation",
    "anti-aligned",
    "untrained",
    "fc-untrained",
    "fc-untrained-readout",
    "pca-readout",
)

#: How figures and tables name the maps of :data:`METHODS`.
METHOD_LABELS = {
    "trained": "block autoencoder",
    "mi-trained": "mutual information",
    "fc-trained": "FC window network",
    "majority": "majority rule",
    "decimation": "decimation",
    "anti-aligned": "anti-aligned filter",
    "untrained": "untrained units",
    "fc-untrained": "untrained FC network",
    "fc-readout": "FC span, block readout",
    "fc-untrained-readout": "untrained FC span, block readout",
    "pca-readout": "principal subspace, block readout",
}


# ---------------------------------------------------------------------------------------------
# Block maps as truth tables over the 16 states of a 2x2 block
# ---------------------------------------------------------------------------------------------

#: The anti-aligned filter: top row minus bottom row (uniform blocks tie and fall back on the top-left spin).
ANTI_ALIGNED = np.array([[1.0, 1.0], [-1.0, -1.0]])


def tabled_operators(spins, tables, n_levels: int) -> np.ndarray:
    """Even operators (:func:`rgbook.ising2d.even_operators`, extended) of ``spins`` blocked 0..n_levels times by
    each table.

    Returns shape (B, M, n_levels + 1, 7).
    """
    t = np.asarray(tables, dtype=np.int8)
    return _operators_by_level(spins, t.shape[0], n_levels, lambda cur: apply_tables(cur, t))


def _operators_by_level(spins, n_maps: int, n_levels: int, block_once) -> np.ndarray:
    """Extended even operators at levels 0..n_levels (:func:`rgbook.ising2d.operators_by_level`):
    (B, M, n_levels + 1, 7)."""
    return ising2d.operators_by_level(spins, n_maps, n_levels, block_once, n_even=7, n_odd=0)


# ---------------------------------------------------------------------------------------------
# Sampler validation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SamplerCheck:
    """Sampled against exact moments at each (L, K) of the protocol, with throughput."""

    estimates: tuple
    seconds: tuple[float, ...]
    site_updates_per_second: tuple[float, ...]
    lnZ_L4_kaufman: float
    lnZ_L4_enumerated: float


def _enumerate_lnZ_L4(K: float) -> float:
    """ln Z of the 4x4 torus by summing all 2^16 configurations (independent of Kaufman's formula)."""
    k = np.arange(2**16)
    s = (2 * ((k[:, None] >> np.arange(16)) & 1) - 1).reshape(-1, 4, 4)
    E = ising2d.lattice_energy(s).astype(float)
    a = -K * E
    return float(a.max() + np.log(np.exp(a - a.max()).sum()))


@cache
def run_sampler_check(P) -> SamplerCheck:
    """Swendsen-Wang at K = f K_c for each size and factor; seed spawned per (L, f)."""
    est, secs, rate = [], [], []
    children = iter(np.random.SeedSequence(2024).spawn(len(P.val_sizes) * len(P.val_factors)))
    for L in P.val_sizes:
        for f in P.val_factors:
            run = ising2d.swendsen_wang(
                f * ising2d.K_C, L, P.val_chains, P.val_sweeps, np.random.default_rng(next(children))
            )
            est.append(ising2d.sampled_moments(run))
            secs.append(run.seconds)
            rate.append(run.site_updates_per_second)
    return SamplerCheck(
        tuple(est), tuple(secs), tuple(rate), ising2d.log_partition(ising2d.K_C, 4), _enumerate_lnZ_L4(ising2d.K_C)
    )


# ---------------------------------------------------------------------------------------------
# Training the block unit
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Training:
    """Trained and initial units, one per seed.

    ``w0``/``w`` (R, 4) initial/trained filters (flat order of :data:`BLOCK_STATES`), ``c`` (R,)
    biases, ``loss0``/``loss`` (R,) cross-entropy per block in nats, ``entropy`` the block entropy
    (the loss of a perfect reconstruction), ``p`` (16,) the empirical block distribution.
    """

    w0: np.ndarray
    w: np.ndarray
    c: np.ndarray
    loss0: np.ndarray
    loss: np.ndarray
    entropy: float
    p: np.ndarray
    n_blocks: int

    @property
    def filters(self) -> np.ndarray:
        """Trained filters normalised to unit max-abs entry, sign fixed so that the sum is positive."""
        return _normalised_filters(self.w)


@cache
def training_configurations(P) -> np.ndarray:
    """The critical configurations every network of the chapter is trained on, int8 (train_chains * train_keep, L, L).

    Swendsen-Wang on the ``L`` torus at :math:`K_c`, ``train_chains`` chains kept every 5 sweeps (seed 7).
    """
    run = ising2d.swendsen_wang(ising2d.K_C, P.L, P.train_chains, 5 * P.train_keep, 7, keep_every=5)
    return run.samples.reshape(-1, P.L, P.L)


def _initial_block_weights(P) -> np.ndarray:
    """Initial encoder (first 4) and decoder (last 4) weights of the block units, one row per seed."""
    return np.stack([np.random.default_rng(s).normal(0.0, P.init_scale, 8) for s in P.seeds])


@cache
def run_training(P) -> Training:
    """Train one unit per seed on the block distribution of critical configurations (one batched program).

    The data are all 2x2 blocks of ``train_chains x train_keep`` configurations of the ``L`` torus at
    :math:`K_c` (Swendsen-Wang, kept every 5 sweeps); since a block has 16 states, the loss is the
    exact expectation over their empirical frequencies. Seeds differ in the initial weights
    (normal, scale ``init_scale``) of encoder and decoder.
    """
    idx = _state_index(training_configurations(P)).ravel()
    p = np.bincount(idx, minlength=16) / idx.size
    R = len(P.seeds)
    init = _initial_block_weights(P)
    prm = {
        "w": torch.tensor(init[:, :4]),
        "c": torch.zeros(R, 1, dtype=torch.float64),
        "a": torch.tensor(init[:, 4:]),
        "d": torch.zeros(R, 4, dtype=torch.float64),
    }
    V = torch.tensor(BLOCK_STATES.reshape(16, 4), dtype=torch.float64)
    pt = torch.tensor(p)
    with torch.no_grad():
        loss0 = _reconstruction_loss(prm, V, pt).numpy().copy()
    fit(prm, lambda q: _reconstruction_loss(q, V, pt), steps=P.steps, lr=P.lr)
    with torch.no_grad():
        loss = _reconstruction_loss(prm, V, pt).numpy().copy()
    nz = p[p > 0]
    return Training(
        init[:, :4],
        prm["w"].detach().numpy().copy(),
        prm["c"].detach().numpy()[:, 0].copy(),
        loss0,
        loss,
        float(-(nz * np.log(nz)).sum()),
        p,
        int(idx.size),
    )


# ---------------------------------------------------------------------------------------------
# Training by mutual information with the environment
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MITraining:
    r"""Mutual-information units, one per seed.

    ``w0``/``w`` (R, 4) initial/trained block filters, ``u`` (R, n_env) critics; ``bound0``/``bound`` (R,)
    the lower bound :math:`\ln2 - \langle-\ln q(h\mid E)\rangle` of :math:`I(h;E)` in nats, before and
    after training; ``steps``/``history`` the bound during training (n_records,) and (n_records, R).
    """

    w0: np.ndarray
    w: np.ndarray
    u: np.ndarray
    bound0: np.ndarray
    bound: np.ndarray
    steps: np.ndarray
    history: np.ndarray
    n_samples: int

    @property
    def filters(self) -> np.ndarray:
        """Trained filters normalised to unit max-abs entry, sign fixed so that the sum is positive."""
        return _normalised_filters(self.w)


@cache
def run_mi_training(P) -> MITraining:
    """Maximize the mutual-information bound of claim 2D.MI1 for every seed (one batched program, minibatches).

    Data: every block of :func:`training_configurations` with its environment (:func:`block_environments`),
    shuffled once, in minibatches of ``mi_batch`` (the final bound is over all samples); initial filters: those
    of :func:`run_training` (the same untrained control); initial critic zero.
    """
    V, E = block_environments(training_configurations(P))
    order = np.random.default_rng(5).permutation(len(V))  # minibatch windows of the shuffled samples
    Vt, Et = torch.tensor(V[order], dtype=torch.float64), torch.tensor(E[order], dtype=torch.float64)
    mb = Minibatches(len(V), P.mi_batch, seed=5)

    def loss(q):
        w = slice(None) if mb.window is None else mb.window
        return _mi_cross_entropy(q, Vt[w], Et[w])

    R = len(P.seeds)
    init = _initial_block_weights(P)[:, :4]
    prm = {
        "w": torch.tensor(init),
        "u": torch.zeros(R, E.shape[1], dtype=torch.float64),
        "b": torch.zeros(R, 1, dtype=torch.float64),
    }
    # the bound of the initial filter needs its best critic: train the critic alone first
    log0 = fit(prm, loss, steps=P.mi_steps, lr=P.mi_lr, trainable=("u", "b"), minibatches=mb)
    log = fit(prm, loss, steps=P.mi_steps, lr=P.mi_lr, minibatches=mb)
    ln2 = math.log(2.0)
    return MITraining(
        init,
        prm["w"].numpy().copy(),
        prm["u"].numpy().copy(),
        ln2 - log0.final,
        ln2 - log.final,
        log.steps,
        ln2 - log.losses,
        int(V.shape[0]),
    )


# ---------------------------------------------------------------------------------------------
# A fully connected network on windows, units assigned to blocks by receptive field
# ---------------------------------------------------------------------------------------------


def windowed_operators(spins, W, block, window: int, n_levels: int) -> np.ndarray:
    """Even operators (extended) of ``spins`` blocked 0..n_levels times by each tiled window network:
    (B, F, n_levels + 1, 7)."""
    return _operators_by_level(spins, np.shape(W)[0], n_levels, lambda cur: window_blocking(cur, W, block, window))


@dataclass(frozen=True)
class FCTraining:
    """Fully connected window autoencoders, one per seed.

    ``W0``/``W`` (R, K, window**2) initial/trained encoder weights, ``c`` (R, K) trained biases, ``loss0``/``loss``
    (R,) cross-entropy per window in nats, ``steps``/``history`` the loss during training, ``fields0``/``fields``
    the receptive fields of the initial/trained units, ``n_windows`` the number of training windows.
    """

    W0: np.ndarray
    W: np.ndarray
    c: np.ndarray
    loss0: np.ndarray
    loss: np.ndarray
    steps: np.ndarray
    history: np.ndarray
    fields0: ReceptiveFields
    fields: ReceptiveFields
    n_windows: int


@cache
def run_fc_training(P) -> FCTraining:
    """Train the window autoencoders of claim 2D.FC0 (one batched program, minibatches, Adam).

    Initial weights: normal with standard deviation ``init_scale * 2 / window`` for encoder and decoder, so
    that a pre-activation has the variance of a block unit's (4 inputs, ``init_scale``); biases zero. The windows
    are shuffled once and visited in minibatches of ``fc_batch``; the final loss is over all windows.
    """
    X = lattice_windows(training_configurations(P), P.fc_window, P.fc_stride)
    X = torch.tensor(X[np.random.default_rng(6).permutation(len(X))], dtype=torch.float64)
    mb = Minibatches(len(X), P.fc_batch, seed=6)
    n_in = P.fc_window**2
    K = n_in // 4
    scale = P.init_scale * 2.0 / P.fc_window
    init = np.stack([np.random.default_rng([1000, s]).normal(0.0, scale, (2, K, n_in)) for s in P.seeds])
    R = len(P.seeds)
    prm = {
        "W": torch.tensor(init[:, 0]),
        "c": torch.zeros(R, K, dtype=torch.float64),
        "A": torch.tensor(init[:, 1].transpose(0, 2, 1).copy()),
        "d": torch.zeros(R, n_in, dtype=torch.float64),
    }
    with torch.no_grad():
        loss0 = _fc_loss(prm, X).numpy().copy()
    log = fit(
        prm,
        lambda q: _fc_loss(q, X if mb.window is None else X[mb.window]),
        steps=P.fc_steps,
        lr=P.fc_lr,
        minibatches=mb,
    )
    W = prm["W"].numpy().copy()
    return FCTraining(
        init[:, 0],
        W,
        prm["c"].numpy().copy(),
        loss0,
        log.final,
        log.steps,
        log.losses,
        receptive_fields(init[:, 0], P.fc_window),
        receptive_fields(W, P.fc_window),
        int(X.shape[0]),
    )


@dataclass(frozen=True)
class FCLonger:
    """Window networks trained ``steps`` minibatch steps from the book's initial weights: loss (R,) and
    locality (R,)."""

    seeds: tuple[int, ...]
    steps: int
    loss: np.ndarray
    locality: np.ndarray


def run_fc_longer(P, seeds: tuple[int, ...] = (0, 1, 2), steps: int = 20000) -> FCLonger:
    """The training of :func:`run_fc_training` for ``seeds`` only, run ``steps`` steps (about 1 min per 10 000 steps
    and seed on one core): whether the locality of 2D.FC0 moves with longer training. Not run by the book."""
    sub = replace(P, seeds=tuple(seeds), fc_steps=steps)
    fc = run_fc_training(sub)
    return FCLonger(tuple(seeds), steps, fc.loss, fc.fields.locality.mean(axis=1))


# ---------------------------------------------------------------------------------------------
# The maps, one sampling at K_c and K_c(1 +- delta), the correlation flow
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapSet:
    """All block maps of the chapter: names, truth tables, the window networks, and what is actually sampled.

    ``names`` are ``"majority"``, ``"decimation"``, ``"anti-aligned"``, ``"trained/<seed>"``,
    ``"untrained/<seed>"``, ``"mi-trained/<seed>"`` (maps given by truth tables, ``tables`` (M_t, 16), in this
    order) followed by ``"fc-trained/<seed>"``, ``"fc-untrained/<seed>"``, ``"fc-readout/<seed>"``,
    ``"fc-untrained-readout/<seed>"``, ``"pca-readout"`` (tiled window networks: oriented weights ``net_W``
    (F, K, window**2) and blocks ``net_block`` (F, K), see :func:`window_blocking` and :func:`block_readout`). The
    sampling measures the distinct tables ``unique`` (U, 16) and then the F networks; ``which`` (M,) is each
    name's position on that axis of U + F maps.
    """

    names: tuple[str, ...]
    tables: np.ndarray
    unique: np.ndarray
    net_W: np.ndarray
    net_block: np.ndarray
    window: int
    which: np.ndarray

    def index(self, prefix: str) -> list[int]:
        return [i for i, n in enumerate(self.names) if n == prefix or n.startswith(prefix + "/")]

    def operators(self, spins, n_levels: int) -> np.ndarray:
        """Even operators of ``spins`` blocked 0..n_levels times by every sampled map: (B, U + F, n_levels + 1, 7)."""
        return np.concatenate(
            [
                tabled_operators(spins, self.unique, n_levels),
                windowed_operators(spins, self.net_W, self.net_block, self.window, n_levels),
            ],
            axis=1,
        )


def principal_subspace(P) -> np.ndarray:
    """Top ``K`` eigenvectors of the second-moment matrix of the training windows, as rows: (1, K, window**2)."""
    X = lattice_windows(training_configurations(P), P.fc_window, P.fc_stride).astype(float)
    vals, vecs = np.linalg.eigh(X.T @ X / len(X))
    K = (P.fc_window // 2) ** 2
    return vecs[:, ::-1][:, :K].T[None]


@cache
def map_set(P) -> MapSet:
    tr, mi, fc = run_training(P), run_mi_training(P), run_fc_training(P)
    names = ["majority", "decimation", "anti-aligned"]
    tables = [block_table("majority"), block_table("decimation"), block_table(ANTI_ALIGNED)]
    for prefix, weights in (("trained", tr.w), ("untrained", tr.w0), ("mi-trained", mi.w)):
        for s, w in zip(P.seeds, weights):
            names.append(f"{prefix}/{s}")
            tables.append(block_table(w.reshape(2, 2)))
    tables = np.array(tables, dtype=np.int8)
    unique, which = np.unique(tables, axis=0, return_inverse=True)
    names += [f"fc-trained/{s}" for s in P.seeds] + [f"fc-untrained/{s}" for s in P.seeds]
    names += [f"fc-readout/{s}" for s in P.seeds] + [f"fc-untrained-readout/{s}" for s in P.seeds] + ["pca-readout"]
    readouts = np.concatenate(
        [
            block_readout(fc.W, P.fc_window),
            block_readout(fc.W0, P.fc_window),
            block_readout(principal_subspace(P), P.fc_window),
        ]
    )
    net_W = np.concatenate([oriented_networks(fc.W, fc.fields), oriented_networks(fc.W0, fc.fields0), readouts])
    K = readouts.shape[1]
    net_block = np.concatenate([fc.fields.block, fc.fields0.block, np.tile(np.arange(K), (len(readouts), 1))])
    which = np.concatenate([which.ravel(), len(unique) + np.arange(len(net_W))])
    return MapSet(tuple(names), tables, unique, net_W, net_block, P.fc_window, which)


@dataclass(frozen=True)
class Sampling:
    """Blocked even operators of every distinct map at one coupling: ``ops`` (T, B, U, levels+1, 7)."""

    K: float
    L: int
    ops: np.ndarray
    seconds: float


@cache
def run_sampling(P, which: str) -> Sampling:
    """Swendsen-Wang on the ``L`` torus at K_c (``which="critical"``, MCRG statistics) or K_c(1 -+ delta)
    (``"below"``/``"above"``), with the blocked operators of every distinct map measured each sweep."""
    ms = map_set(P)
    factor = {"critical": 1.0, "below": 1.0 - P.delta, "above": 1.0 + P.delta}[which]
    chains, sweeps = (P.mcrg_chains, P.mcrg_sweeps) if which == "critical" else (P.flow_chains, P.flow_sweeps)
    seed = {"critical": 11, "below": 12, "above": 13}[which]
    run = ising2d.swendsen_wang(
        factor * ising2d.K_C, P.L, chains, sweeps, seed, measure=lambda s: ms.operators(s, P.n_levels)
    )
    return Sampling(factor * ising2d.K_C, P.L, run.measurements, run.seconds)


def nn_correlation(ops: np.ndarray, L: int) -> tuple[np.ndarray, np.ndarray]:
    """Nearest-neighbour correlation C_n = S_1^(n) / (2 N_n) per map and level, and its error over chains.

    ``ops`` (T, B, U, levels+1, operators); returns mean and standard error, each (U, levels+1).
    """
    levels = ops.shape[-2]
    N = (L / 2.0 ** np.arange(levels)) ** 2
    C = ops[..., 0] / (2 * N)  # (T, B, U, levels)
    per_chain = C.mean(axis=0)  # (B, U, levels)
    return per_chain.mean(axis=0), per_chain.std(axis=0, ddof=1) / np.sqrt(per_chain.shape[0])


# ---------------------------------------------------------------------------------------------
# MCRG exponents
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exponents:
    """y_t per distinct map (U), step n = 0..levels-2 and number of operators ``n_ops``: ``yt``, ``err``
    of shape (U, steps, len(n_ops)); NaN where the leading eigenvalue is not positive."""

    yt: np.ndarray
    err: np.ndarray
    n_ops: tuple[int, ...] = (4, 7)


@cache
def run_exponents(P) -> Exponents:
    """y_t and its jackknife error per map, step and operator count, by linearized MCRG
    (:func:`rgbook.ising2d.mcrg_eigenvalue`) from per-group moment sums accumulated once over the sweeps of
    the critical sample (groups of chains: every leave-one-group-out estimate is a difference of sums)."""
    ops = run_sampling(P, "critical").ops  # (T, B, U, levels, operators)
    B, U, levels, k = ops.shape[1:]
    acc = ising2d.MomentAccumulator(B, min(16, B), [True] * k)
    for x in ops:
        acc.add(x)
    moments = [acc.moments()]
    n_ops = Exponents.n_ops
    yt = np.full((U, levels - 1, len(n_ops)), np.nan)
    err = np.full((U, levels - 1, len(n_ops)), np.nan)
    for n in range(levels - 1):
        for j, m in enumerate(n_ops):
            e = ising2d.mcrg_eigenvalue(moments, n, np.arange(m), centred=True)
            yt[:, n, j], err[:, n, j] = e.y, e.jackknife
    return Exponents(yt, err)


# ---------------------------------------------------------------------------------------------
# Summaries per method
# ---------------------------------------------------------------------------------------------


@cache
def flow(P) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """C_n (mean, error) of every distinct map at K_c(1 - delta), K_c, K_c(1 + delta): key -> (U, levels+1)."""
    return {w: nn_correlation(run_sampling(P, w).ops, P.L) for w in ("below", "critical", "above")}


def critical_test(P, drift_tol: float, max_violations: float) -> dict[str, np.ndarray]:
    """Per map of :func:`map_set` (M,): drift at K_c over steps 1->2, 2->3 (``drift``), number of steps where the
    distance to the critical C_n does not grow on either side (``violations``), and the joint pass (``ok``)."""
    ms = map_set(P)
    f = flow(P)
    Cc, Cb, Ca = f["critical"][0], f["below"][0], f["above"][0]
    drift = np.abs(np.diff(Cc[:, 1:], axis=1)).max(axis=1)
    up, down = Ca - Cc, Cc - Cb
    violations = (np.diff(up, axis=1) <= 0).sum(axis=1) + (np.diff(down, axis=1) <= 0).sum(axis=1)
    drift, violations = drift[ms.which], violations[ms.which].astype(float)
    return {"drift": drift, "violations": violations, "ok": (drift <= drift_tol) & (violations <= max_violations)}


def yt_summary(P, n_ops: int = 4) -> dict[str, np.ndarray]:
    """y_t and jackknife error per map of :func:`map_set` and step: key -> (M, steps)."""
    ex = run_exponents(P)
    ms = map_set(P)
    j = ex.n_ops.index(n_ops)
    return {"yt": ex.yt[ms.which, :, j], "err": ex.err[ms.which, :, j]}


def precise_exponent(P, name: str) -> dict[str, np.ndarray]:
    """y_t with 7 operators at steps 1->2 and 2->3 for the maps ``name``: per-member values ``yt`` (members, 2),
    mean jackknife error ``err`` (2,), seed mean ``mean`` and 95 % seed-bootstrap interval ``lo``, ``hi`` (2,)
    (for a single map, the interval is the value itself). A member without a positive leading eigenvalue makes
    the mean, the interval and the error NaN."""
    ms = map_set(P)
    s = yt_summary(P, n_ops=7)
    idx = ms.index(name)
    y, e = s["yt"][idx][:, 1:3], s["err"][idx][:, 1:3]
    if not np.all(np.isfinite(y)):
        nan = np.full(2, np.nan)
        return {"yt": y, "err": nan, "mean": nan, "lo": nan, "hi": nan}
    mean, lo, hi = y.mean(axis=0), y.mean(axis=0), y.mean(axis=0)
    if len(idx) > 1 and np.all(np.isfinite(y)):
        bounds = np.array([seed_bootstrap(y[:, n], P.n_boot, seed=0) for n in range(2)])
        mean, lo, hi = bounds[:, 0], bounds[:, 1], bounds[:, 2]
    return {"yt": y, "err": e.mean(axis=0), "mean": mean, "lo": lo, "hi": hi}
