r"""Runs of the chapter *Reading A* (``book/reading_a``): trained layers and stacks, and what they are judged by.

The single layer at every coupling (all restarts), greedy stacks (trained, decimation, random),
the convention-free output measures, loss curves and their plateau, near-optimal restarts
trained further, and the threshold-encoder search. ``P`` is the chapter's ``Protocol``
(:mod:`rgbook.chapters.reading_a`, which re-exports every name; it is not imported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from .. import couplings, ising, networks, rg, thresholds
from ..chain_measures import PAIRS_L2, ChainMeasures, chain_measures


@dataclass(frozen=True)
class RestartsAtK:
    r"""Every restart of the autoencoder at one coupling, with the references it is judged by.

    Attributes
    ----------
    K : float
        Input coupling (open zero-field chain).
    models : tuple of Autoencoder
        All restarts, in restart order.
    reference_loss : float
        Loss per spin of b = 2 decimation with the optimal decoder (closed form).
    rg_coupling : float
        :math:`R_2(K)`.
    best_coupling : (float, float, float)
        :math:`(K', h', \mathrm{KL})` of the best restart's output (units oriented, in
        receptive-field order).
    """

    K: float
    models: tuple[networks.Autoencoder, ...]
    reference_loss: float
    rg_coupling: float
    best_coupling: tuple[float, float, float]

    @property
    def losses(self) -> np.ndarray:
        return np.array([m.loss for m in self.models])

    @property
    def best(self) -> networks.Autoencoder:
        return self.models[int(np.argmin(self.losses))]


@dataclass(frozen=True)
class SingleLayer:
    """The single-layer experiment: restarts per coupling, and the periodic-ring repeat.

    ``ring_reference`` is the loss of decimation with the optimal decoder on the ring (by
    enumeration), ``ring_models`` the restarts trained on it.
    """

    by_K: tuple[RestartsAtK, ...]
    ring_K: float
    ring_reference: float
    ring_models: tuple[networks.Autoencoder, ...]

    def at(self, K: float) -> RestartsAtK:
        for r in self.by_K:
            if r.K == K:
                return r
        raise KeyError(f"K={K} is not a coupling of the protocol; couplings: {[r.K for r in self.by_K]}")

    @property
    def ring_best(self) -> networks.Autoencoder:
        return min(self.ring_models, key=lambda m: m.loss)


@cache
def run_single_layer(P, progress: bool = False) -> SingleLayer:
    """Train all restarts at every ``K`` and on the ring: one batched training of (len(Ks) + 1) x restarts models."""
    dists = [ising.enumerate_chain(P.N, K) for K in P.Ks]
    ring = ising.enumerate_chain(P.N, P.ring_K, 0.0, "periodic")
    s = dists[0][0]
    for configs, _ in (*dists, ring):  # all enumerations list the same configurations
        assert np.array_equal(configs, s)
    runs = networks.train_autoencoders(
        s,
        np.stack([p for _, p in dists] + [ring[1]]),
        P.N // 2,
        restarts=P.restarts,
        steps=P.steps,
        lr=P.lr,
        seed=P.seed,
        progress=progress,
        desc=f"Reading A: {len(P.Ks) + 1} distributions x {P.restarts} restarts",
    )
    by_K = []
    for K, (_, p), models in zip(P.Ks, dists, runs):
        best = min(models, key=lambda m: m.loss)
        by_K.append(
            RestartsAtK(
                K,
                models,
                networks.decimation_reference_loss(P.N, K),
                float(rg.zero_field_map(K, 2)),
                networks.layer_coupling(best.W, best.c, s, p),
            )
        )
    ring_ref = networks.conditional_entropy_loss(*networks.decimation_weights(P.N, 2, 40.0), *ring)
    return SingleLayer(tuple(by_K), P.ring_K, ring_ref, runs[-1])


@dataclass(frozen=True)
class StackFlow:
    """Projected couplings along one greedy stack: level 0 is the input chain.

    ``couplings[l], fields[l], kl[l]`` is the KL projection of level ``l``; ``losses[l]`` the
    trained layer's loss (None for the input and for untrained layers); ``measures[l]`` the
    level's :class:`OutputMeasures` (empty when not computed).
    """

    K: float
    mode: str
    couplings: tuple[float, ...]
    fields: tuple[float, ...]
    kl: tuple[float, ...]
    losses: tuple[float | None, ...]
    measures: tuple = ()


@cache
def run_stacks(P, progress: bool = False) -> tuple[StackFlow, ...]:
    """Greedy stacks at every ``stack_Ks``: trained (layers batched over K), decimation and random modes."""
    dists = [ising.enumerate_chain(P.stack_N, K) for K in P.stack_Ks]
    s, probs = dists[0][0], np.stack([p for _, p in dists])
    out = []
    for mode in ("trained", "decimation", "random"):
        kwargs = {"restarts": P.stack_restarts, "steps": P.stack_steps, "lr": P.stack_lr} if mode == "trained" else {}
        stacks = networks.stack_layers_batch(
            s, probs, P.stack_depth, mode=mode, beta=P.stack_beta, seed=P.stack_seed, progress=progress, **kwargs
        )
        out.extend(_flows(P.stack_Ks, mode, stacks))
    return tuple(out)


@cache
def _input_measures(N: int, K: float) -> OutputMeasures:
    """:class:`OutputMeasures` of the open zero-field chain of ``N`` spins at ``K`` (a stack's level 0)."""
    return output_measures(*ising.enumerate_chain(N, K))


def _flows(Ks, mode: str, stacks) -> list[StackFlow]:
    """One :class:`StackFlow` (with every level's :class:`OutputMeasures`) per stack of ``stacks``."""
    out = []
    for K, levels in zip(Ks, stacks):
        meas = [_input_measures(levels[0].configs.shape[1], K)]
        meas += [output_measures(lev.configs, lev.probs) for lev in levels[1:]]
        out.append(
            StackFlow(
                K,
                mode,
                (K, *(x.coupling for x in meas[1:])),
                (0.0, *(x.field for x in meas[1:])),
                (0.0, *(x.kl for x in meas[1:])),
                (None, *(lev.loss for lev in levels[1:])),
                tuple(meas),
            )
        )
    return out


@cache
def random_stacks(P) -> tuple[tuple[StackFlow, ...], ...]:
    """``P.stack_control_stacks`` random stacks per ``K`` of ``P.stack_Ks``: ``result[k]`` has seeds
    ``P.stack_seed + P.stack_depth * k + l`` (``k = 0`` is :func:`run_stacks`'s random stack)."""
    dists = [ising.enumerate_chain(P.stack_N, K) for K in P.stack_Ks]
    s, probs = dists[0][0], np.stack([p for _, p in dists])
    return tuple(
        tuple(
            _flows(
                P.stack_Ks,
                "random",
                networks.stack_layers_batch(
                    s, probs, P.stack_depth, mode="random", seed=P.stack_seed + P.stack_depth * k, progress=False
                ),
            )
        )
        for k in range(P.stack_control_stacks)
    )


# --------------------------------------------------------------------------------------
# optimality made visible, and measures that need no convention

#: Measures of an output distribution (:class:`rgbook.chain_measures.ChainMeasures`): the KL projection onto the
#: open chain and three readings that need no sign or order convention.
OutputMeasures = ChainMeasures


def output_measures(configs, probs) -> OutputMeasures:
    """:class:`OutputMeasures` of an enumerated distribution (sites in spatial order), all-pairs ridge ``PAIRS_L2``."""
    return chain_measures(configs, probs, pairs_l2=PAIRS_L2)


def layer_measures(W, c, configs, probs) -> OutputMeasures:
    """:class:`OutputMeasures` of a layer's output, units oriented and in receptive-field order."""
    W, c = couplings.canonical_layer(W, c)
    return output_measures(*networks.output_distribution(W, c, configs, probs))


@dataclass(frozen=True)
class Convergence:
    """Loss curves of every restart at one coupling, and the plateau criterion.

    ``relative_change[r]`` is restart ``r``'s relative loss decrease over the last quarter of
    training, :math:`(L(t_{3/4}) - L_{\\rm final})/L_{\\rm final}` (``t_3/4`` the last recorded
    step at or before three quarters of the steps); the restart is *at a plateau* when its
    absolute value is below ``rtol``. ``gradient_norm[r]`` is the norm of the exact loss gradient at the end.
    """

    K: float
    steps: np.ndarray
    histories: np.ndarray
    final: np.ndarray
    relative_change: np.ndarray
    gradient_norm: np.ndarray
    rtol: float

    @property
    def plateau(self) -> np.ndarray:
        return np.abs(self.relative_change) < self.rtol


@cache
def convergence(P) -> tuple[Convergence, ...]:
    """Per coupling of ``P.Ks``: every restart's loss curve, relative change and final gradient norm."""
    out = []
    steps = np.arange(0, P.steps, 50)  # train_autoencoders records every 50 steps
    i34 = int(np.flatnonzero(steps <= 0.75 * P.steps)[-1])
    for r in run_single_layer(P).by_K:
        hist = np.array([m.history for m in r.models])
        final = r.losses
        grad = networks.reconstruction_gradient_norms(r.models, *ising.enumerate_chain(P.N, r.K))
        out.append(Convergence(r.K, steps, hist, final, (hist[:, i34] - final) / final, grad, P.plateau_rtol))
    return tuple(out)


@dataclass(frozen=True)
class RestartMeasures:
    """Convention-free measures of every restart at one coupling, of decimation and of the random controls.

    ``restarts[r]`` belongs to restart ``r`` (loss ``losses[r]``); ``random`` to the control
    layers of seeds ``control_seed + k``; ``gap_best`` and ``gap_decimation`` are the exact
    loss decompositions (:class:`rgbook.networks.ReconstructionGap`) of the best restart's
    encoder and of decimation; ``best_loss`` the best restart's loss with its trained decoder.
    """

    K: float
    losses: np.ndarray
    restarts: tuple[OutputMeasures, ...]
    decimation: OutputMeasures
    random: tuple[OutputMeasures, ...]
    gap_best: networks.ReconstructionGap
    gap_decimation: networks.ReconstructionGap
    best_loss: float

    def near_optimal(self, eps: float) -> np.ndarray:
        """Indices of the restarts within ``eps`` nats per spin of the best loss."""
        return np.flatnonzero(self.losses <= self.losses.min() + eps)


@cache
def restart_measures(P) -> tuple[RestartMeasures, ...]:
    """:class:`RestartMeasures` at every coupling of ``P.Ks``."""
    out = []
    W_dec, c_dec = networks.decimation_weights(P.N, 2, 40.0)
    for r in run_single_layer(P).by_K:
        s, p = ising.enumerate_chain(P.N, r.K)
        rand = [networks.random_weights(P.N // 2, P.N, seed=P.control_seed + k) for k in range(P.control_seeds)]
        out.append(
            RestartMeasures(
                r.K,
                r.losses,
                tuple(layer_measures(m.W, m.c, s, p) for m in r.models),
                layer_measures(W_dec, c_dec, s, p),
                tuple(layer_measures(W, c, s, p) for W, c in rand),
                networks.reconstruction_gap(r.best.W, r.best.c, s, p),
                networks.reconstruction_gap(W_dec, c_dec, s, p),
                float(r.best.loss),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Continued:
    """A near-optimal restart trained ``steps`` further.

    ``before``/``after`` are the models, ``measures_before``/``measures_after`` their output
    measures, ``relative_change`` the relative loss decrease over the last quarter of the
    continuation and ``gradient_norm`` the final gradient norm.
    """

    K: float
    restart: int
    before: networks.Autoencoder
    after: networks.Autoencoder
    measures_before: OutputMeasures
    measures_after: OutputMeasures
    relative_change: float
    gradient_norm: float


@cache
def continue_near_optimal(P) -> tuple[Continued, ...]:
    """Train every near-optimal restart (within ``P.near_optimal`` of the best, at every K) ``P.continue_steps``
    further, all in one batch."""
    single = run_single_layer(P)
    picks = [(r, int(i)) for r in single.by_K for i in np.flatnonzero(r.losses <= r.losses.min() + P.near_optimal)]
    s = ising.all_configurations(P.N)
    probs = np.stack([ising.enumerate_chain(P.N, r.K)[1] for r, _ in picks])
    after = networks.continue_autoencoders([r.models[i] for r, i in picks], s, probs, steps=P.continue_steps, lr=P.lr)
    i34 = int(np.flatnonzero(np.arange(0, P.continue_steps, 50) <= 0.75 * P.continue_steps)[-1])
    out = []
    for (r, i), a, p in zip(picks, after, probs):
        out.append(
            Continued(
                r.K,
                i,
                r.models[i],
                a,
                layer_measures(r.models[i].W, r.models[i].c, s, p),
                layer_measures(a.W, a.c, s, p),
                float((a.history[i34] - a.loss) / a.loss),
                float(networks.reconstruction_gradient_norms([a], s, p)[0]),
            )
        )
    return tuple(out)


# threshold encoders


@dataclass(frozen=True)
class ThresholdEncoder:
    """A deterministic threshold encoder found by the search, as a layer of weight scale
    :data:`rgbook.thresholds.THRESHOLD_BETA`."""

    W: np.ndarray
    c: np.ndarray
    loss: float
    measures: OutputMeasures


@dataclass(frozen=True)
class ThresholdSearch:
    """Local optima of the threshold-encoder search at one coupling, best first.

    ``pool`` is the number of candidate units, ``starts`` the number of starts.
    """

    K: float
    pool: int
    starts: int
    optima: tuple[ThresholdEncoder, ...]

    @property
    def best(self) -> ThresholdEncoder:
        return self.optima[0]

    def near(self, eps: float) -> tuple[ThresholdEncoder, ...]:
        """The local optima within ``eps`` nats per spin of the best."""
        return tuple(e for e in self.optima if e.loss <= self.optima[0].loss + eps)

    def equal_loss_pairs(self, tol: float = 1e-12) -> tuple[tuple[ThresholdEncoder, ThresholdEncoder], ...]:
        """Pairs of distinct local optima whose losses agree within ``tol`` but whose ``K'`` differ, by loss."""
        return tuple(
            (a, b)
            for i, a in enumerate(self.optima)
            for b in self.optima[i + 1 :]
            if abs(a.loss - b.loss) <= tol and abs(a.measures.coupling - b.measures.coupling) > 1e-6
        )


@cache
def threshold_search(P, K: float) -> ThresholdSearch:
    """Local search over deterministic threshold encoders ``N -> N/2`` at coupling ``K``, optimal decoder.

    :func:`rgbook.thresholds.search_encoders` with the starts: decimation, the sign limit of every
    trained restart, and ``P.search_starts`` random draws of ``N/2`` pool units (seed
    ``P.search_seed``, window ``P.search_width``). Every local optimum is kept once.
    """
    s, p = ising.enumerate_chain(P.N, K)
    starts = [networks.decimation_weights(P.N, 2, 1.0)]
    starts += [(mdl.W, mdl.c) for mdl in run_single_layer(P).at(K).models]
    n_pool, n_starts, found = thresholds.search_encoders(
        s, p, P.N // 2, starts, width=P.search_width, n_random=P.search_starts, seed=P.search_seed
    )
    optima = tuple(ThresholdEncoder(W, c, float(loss), layer_measures(W, c, s, p)) for W, c, loss in found)
    return ThresholdSearch(K, n_pool, n_starts, optima)
