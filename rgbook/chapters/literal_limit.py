r"""Chapter *Paper I's literal claim: the limit of the output coupling* (``book/literal_limit.md``).

Claim ``I.Llim`` is Paper I's abstract read literally: the coupling of the output of a stack of
optimal layers tends to the stable fixed point :math:`K^*=0` of real-space RG. The chapter
proves it for stacks whose receptive fields separate with depth (the correlation bound and its
corollary, checked by exact enumeration) and measures what dense trained stacks
``16 -> 8 -> 4 -> 2`` do against a null of the same stacks trained on uncorrelated input
(:math:`K = 0`), with random stacks and the copy layer (keeps two adjacent spins) as controls.

Claim ``I.L`` (ours, reading A) is a finite-depth rate: trained stacks ``8 -> 4 -> 2`` flow to
:math:`K^*=0` no slower than RG; ``I.La`` is its post-hoc amendment with a cut protocol.
Everything is exact: input distributions are enumerated, layers are applied to exact
distributions (:func:`rgbook.networks.output_distribution`) and output couplings are KL
projections (:func:`rgbook.couplings.project_chain`); only the gradient steps of the first
16 -> 8 layer sample states (:func:`rgbook.networks.train_autoencoders` with ``batch``).

The statements and tolerances of ``I.L`` and ``I.Llim`` were committed before their measuring code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pandas as pd

from .. import couplings, ising, networks, rg
from .._protocol import arrow_chain
from ..claims import PAPER_I_CLAIM, Claim, Row
from ..stats import seed_bootstrap

__all__ = [
    "CHAPTER",
    "Protocol",
    "PROTOCOL",
    "PROTOCOL_LA",
    "Flow",
    "LiteralRun",
    "BoundCheck",
    "copy_weights",
    "run_stacks",
    "run_bound_check",
    "measures_table",
    "flow_table",
    "loss_table",
    "plot_flow",
    "LimitRun",
    "run_limit",
    "limit_table",
    "limit_optimizer_table",
    "plot_limit",
    "measure_limit",
    "FIGURES",
    "CLAIMS",
]

CHAPTER = "book/literal_limit"

MODES = ("trained", "random", "decimation", "copy")


@dataclass(frozen=True)
class Protocol:
    """The literal reading: greedy stacks ``N -> N/2 -> ... -> N/2^depth`` and their controls.

    Attributes
    ----------
    N, depth, Ks
        Open zero-field chains of ``N`` spins at couplings ``Ks``; stacks of ``depth`` layers.
    stack_seeds, restarts, steps, lr, seed
        ``stack_seeds`` independent trained stacks; in stack ``k`` each layer is the best of
        ``restarts`` restarts, each ``steps`` full-batch Adam steps of rate ``lr`` on the exact
        reconstruction loss. Restart seeds: ``seed + restarts k + r`` at level 0 (all stacks
        share the input distribution), ``seed + 1000 l + r`` at level ``l >= 1`` (each stack
        has its own distribution there).
    random_seeds, random_seed
        Random-layer control stacks, seeds ``random_seed + 100 k + l``.
    beta
        Weight scale of the decimation (consistency) and copy (control) layers.
    n_boot, boot_seed
        Seed-bootstrap resamples of the mean :math:`|K_l|` and their generator seed.
    check_N, check_K, check_functions, check_seed
        The exact-enumeration check of the correlation bound: ``check_functions`` random
        (deterministic and stochastic) functions of random separated regions of an open chain
        of ``check_N`` spins at ``check_K``.
    limit_N, limit_depth, limit_Ks
        The limit test (claim ``I.Llim``): open zero-field chains of ``limit_N`` spins at
        ``limit_Ks`` and at ``K = 0`` (the null: uncorrelated input), stacks of ``limit_depth``
        dense layers ``n -> n/2``.
    limit_stacks, limit_null_stacks
        Independent trained stacks per ``K > 0`` and at ``K = 0``.
    limit_steps, limit_batch, lr
        Every layer trains ``limit_steps`` Adam steps of rate ``lr``. The first layer (``2^16``
        input states) uses :func:`rgbook.networks.train_autoencoders` with ``batch``, one restart per
        stack, ``limit_batch`` importance-weighted states per step, exact losses at checkpoints;
        deeper layers the exact loss, best of ``limit_deep_restarts`` restarts.
    limit_seed
        Stack ``k`` at input ``K`` (index ``i``, the null first) trains its first layer with seed
        ``limit_seed + 100 i + k``, its layer ``l >= 2`` with ``limit_seed + 1000 l + 10 (100 i + k)``.
    limit_random_seeds, limit_random_seed
        Random dense stacks (the trained layers' initial law), seeds ``limit_random_seed + 100 k + l``,
        the same weights at every ``K`` and at the null.
    """

    N: int = 8
    depth: int = 2
    Ks: tuple[float, ...] = (0.5, 1.0, 1.5)
    stack_seeds: int = 10
    restarts: int = 4
    steps: int = 1500
    lr: float = 0.05
    seed: int = 0
    random_seeds: int = 10
    random_seed: int = 500
    beta: float = 8.0
    n_boot: int = 2000
    boot_seed: int = 0
    check_N: int = 10
    check_K: float = 0.8
    check_functions: int = 200
    check_seed: int = 0
    # the limit (claim I.Llim): deeper stacks against a null of uncorrelated input
    limit_N: int = 16
    limit_depth: int = 3
    limit_Ks: tuple[float, ...] = (0.5, 1.0, 1.5)
    limit_stacks: int = 3
    limit_null_stacks: int = 5
    limit_steps: int = 1200
    limit_batch: int = 1024
    limit_deep_restarts: int = 2
    limit_seed: int = 20_000
    limit_random_seeds: int = 20
    limit_random_seed: int = 30_000

    def smoke(self) -> Protocol:
        """A small variant for the test suite."""
        return replace(
            self,
            N=4,
            depth=1,
            Ks=(1.0,),
            stack_seeds=2,
            restarts=1,
            steps=10,
            random_seeds=2,
            n_boot=100,
            check_N=6,
            check_functions=20,
            limit_N=8,
            limit_depth=2,
            limit_Ks=(1.0,),
            limit_stacks=2,
            limit_null_stacks=2,
            limit_steps=20,
            limit_batch=64,
            limit_deep_restarts=1,
            limit_random_seeds=3,
        )

    @property
    def limit_chain(self) -> str:
        """The sizes of a stack of the limit test, ``"16 -> 8 -> 4 -> 2"``."""
        return arrow_chain(self.limit_N // 2**level for level in range(self.limit_depth + 1))

    @property
    def limit_levels(self) -> tuple[int, ...]:
        """The coarse-grained levels ``1..limit_depth`` of the limit test."""
        return tuple(range(1, self.limit_depth + 1))

    @property
    def chain(self) -> str:
        """The sizes of a stack, ``"8 -> 4 -> 2"`` (for the claim's statement)."""
        return arrow_chain(self.N // 2**level for level in range(self.depth + 1))

    @property
    def levels(self) -> tuple[int, ...]:
        """The coarse-grained levels ``1..depth`` of a stack."""
        return tuple(range(1, self.depth + 1))


PROTOCOL = Protocol()
#: The protocol of the amendment I.La: I.L's protocol as it was cut after its measuring code had been committed
#: (best of 3 restarts of 800 steps, to fit the chapter's time budget then).
PROTOCOL_LA = replace(PROTOCOL, restarts=3, steps=800)


def copy_weights(n: int, beta: float) -> tuple[np.ndarray, np.ndarray]:
    r"""The copy layer ``n -> n/2``: units 0, 1 copy the adjacent spins 0, 1; unit :math:`j\ge2` copies spin :math:`2j`.

    :math:`W_{00} = W_{11} = \beta`, :math:`W_{j,2j} = \beta` (:math:`j \ge 2`), :math:`c = 0`:
    each unit copies its spin with probability :math:`\sigma(2\beta)`. Iterated, the first two
    output units are always the first two input spins, so the last level of a stack to two
    units is the pair :math:`(s_0, s_1)` (up to the copy noise), of coupling :math:`K`.
    """
    if not isinstance(n, (int, np.integer)) or n < 2 or n % 2:
        raise ValueError(f"n must be an even integer >= 2, got {n!r}")
    if not (isinstance(beta, (int, float)) and np.isfinite(beta) and beta >= 0):
        raise ValueError(f"beta must be a finite number >= 0, got {beta!r}")
    m = n // 2
    W = np.zeros((m, n))
    sites = [0, 1] + [2 * j for j in range(2, m)]
    W[np.arange(m), sites[:m]] = beta
    return W, np.zeros(m)


@dataclass(frozen=True)
class Flow:
    """One stack: levels ``0..depth`` (level 0 the input chain).

    ``couplings[l], fields[l], kl[l]``: KL projection of level ``l`` onto the open NN chain;
    ``losses[l]`` (``l >= 1``): loss per spin of layer ``l`` with the best factorized decoder
    (:func:`rgbook.networks.conditional_entropy_loss`) on its exact input. Measures that need
    no sign or order convention: ``xi[l]``, the correlation length of level ``l`` in its own
    site spacing (:func:`rgbook.couplings.correlation_length`), and ``halves_mi[l]``, the exact
    mutual information (nats) between its left and right halves.
    """

    K: float
    mode: str
    seed: int
    couplings: tuple[float, ...]
    fields: tuple[float, ...]
    kl: tuple[float, ...]
    losses: tuple[float, ...]
    xi: tuple[float, ...] = ()
    halves_mi: tuple[float, ...] = ()


@dataclass(frozen=True)
class LiteralRun:
    """Every stack of the protocol: ``stack_seeds`` trained and ``random_seeds`` random stacks per K,
    one decimation and one copy stack per K."""

    flows: tuple[Flow, ...]

    def select(self, K: float, mode: str) -> tuple[Flow, ...]:
        out = tuple(f for f in self.flows if f.K == K and f.mode == mode)
        if not out:
            raise KeyError(f"no {mode!r} stack at K={K}")
        return out

    def abs_couplings(self, K: float, mode: str) -> np.ndarray:
        """:math:`|K_l|`, shape (stacks, depth + 1)."""
        return np.abs(np.array([f.couplings for f in self.select(K, mode)]))

    def measure(self, K: float, mode: str, name: str) -> np.ndarray:
        """Per-level values of a :class:`Flow` field (``'xi'``, ``'halves_mi'``, ...), shape (stacks, depth + 1)."""
        return np.array([getattr(f, name) for f in self.select(K, mode)], dtype=float)


def _project(configs: np.ndarray, probs: np.ndarray) -> tuple[float, float, float, float, float]:
    """KL projection ``(K', h', KL)``, then the correlation length and the halves' mutual information."""
    n = configs.shape[1]
    return (
        *couplings.project_chain(configs, probs),
        couplings.correlation_length(configs, probs),
        couplings.mutual_information(configs, probs, range(n // 2), range(n // 2, n)),
    )


def _apply(W, c, configs, probs) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """Canonical layer, its exact output and its loss with the best factorized decoder."""
    W, c = couplings.canonical_layer(W, c)
    y, q = networks.output_distribution(W, c, configs, probs)
    return W, c, y, q, networks.conditional_entropy_loss(W, c, configs, probs)


def _flow(K: float, mode: str, seed: int, projections, losses) -> Flow:
    """A :class:`Flow` from the per-level outputs of :func:`_project` and the layers' losses."""
    K_, h_, kl, xi, mi = (tuple(float(x[j]) for x in projections) for j in range(5))
    return Flow(K, mode, seed, K_, h_, kl, tuple(losses), xi, mi)


@cache
def run_stacks(P: Protocol, progress: bool = False) -> LiteralRun:
    r"""Trained, random, decimation and copy stacks at every K (exact distributions throughout).

    Trained: one batched training per level; stack ``k`` keeps the best (lowest trained loss)
    of its ``restarts`` restarts (seeds in :class:`Protocol`).
    """
    s, _ = ising.enumerate_chain(P.N, P.Ks[0])
    inputs = [ising.enumerate_chain(P.N, K)[1] for K in P.Ks]
    flows: list[Flow] = []

    # trained: current[(iK, k)] = (configs, probs); all stacks of one level in one training
    current = {(i, k): (s, inputs[i]) for i in range(len(P.Ks)) for k in range(P.stack_seeds)}
    proj = {key: [_project(*val)] for key, val in current.items()}
    losses = {key: [] for key in current}
    for level in range(P.depth):
        keys = list(current)
        configs_l = current[keys[0]][0]
        n = configs_l.shape[1]
        if level == 0:  # every stack of one K has the same input: one training of all their restarts
            firsts = [key for key in keys if key[1] == 0]
            runs0 = networks.train_autoencoders(
                configs_l,
                np.stack([current[key][1] for key in firsts]),
                n // 2,
                restarts=P.stack_seeds * P.restarts,
                steps=P.steps,
                lr=P.lr,
                seed=P.seed,
                progress=progress,
                desc="literal limit: level 1",
            )
            by_K = dict(zip((key[0] for key in firsts), runs0))
            runs = [by_K[key[0]][key[1] * P.restarts : (key[1] + 1) * P.restarts] for key in keys]
        else:
            runs = networks.train_autoencoders(
                configs_l,
                np.stack([current[key][1] for key in keys]),
                n // 2,
                restarts=P.restarts,
                steps=P.steps,
                lr=P.lr,
                seed=P.seed + 1000 * level,
                progress=progress,
                desc=f"literal limit: level {level + 1}",
            )
        for key, mine in zip(keys, runs):
            best = min(mine, key=lambda mdl: mdl.loss)
            _, _, y, q, loss = _apply(best.W, best.c, *current[key])
            current[key] = (y, q)
            proj[key].append(_project(y, q))
            losses[key].append(loss)
    for (i, k), pr in proj.items():
        flows.append(_flow(P.Ks[i], "trained", k, pr, losses[(i, k)]))

    # untrained stacks: random (seeds), decimation, copy
    def layer(mode: str, n: int, level: int, k: int):
        if mode == "random":
            return networks.random_weights(n // 2, n, seed=P.random_seed + 100 * k + level)
        if mode == "decimation":
            return networks.decimation_weights(n, 2, P.beta)
        return copy_weights(n, P.beta)

    for mode, count in (("random", P.random_seeds), ("decimation", 1), ("copy", 1)):
        for i, K in enumerate(P.Ks):
            for k in range(count):
                configs, probs = s, inputs[i]
                pr, ls = [_project(configs, probs)], []
                for level in range(P.depth):
                    W, c = layer(mode, configs.shape[1], level, k)
                    _, _, configs, probs, loss = _apply(W, c, configs, probs)
                    pr.append(_project(configs, probs))
                    ls.append(loss)
                flows.append(_flow(K, mode, k, pr, ls))
    return LiteralRun(tuple(flows))


@dataclass(frozen=True)
class BoundCheck:
    r"""Exact check of :math:`|\mathrm{Corr}(f(A), g(B))| \le \tanh^d|K|` on an enumerated chain.

    ``ratios``: :math:`|\mathrm{Corr}|/\tanh^d|K|` of every random function pair; ``excess``
    the largest :math:`|\mathrm{Corr}| - \tanh^d|K|`; ``single_spin_error`` the largest
    :math:`\big||\mathrm{Corr}(s_a, s_b)| - \tanh^{b-a}|K|\big|` over all pairs ``a < b``.
    """

    N: int
    K: float
    distances: np.ndarray
    ratios: np.ndarray
    stochastic: np.ndarray
    excess: float
    single_spin_error: float


def _region_moments(s: np.ndarray, sites: np.ndarray, rng: np.random.Generator, stochastic: bool):
    r"""Conditional mean and conditional second moment of a random (deterministic or stochastic) function of ``sites``.

    Deterministic: :math:`f(s_A)` with values drawn :math:`\mathcal N(0,1)`, mean = f, second
    moment = f^2. Stochastic binary unit: :math:`y=\pm1`, :math:`P(y=+1|s_A)=u(s_A)` uniform,
    conditional mean :math:`2u-1`, second moment 1.
    """
    code = ((s[:, sites] > 0).astype(np.int64) << np.arange(len(sites))).sum(axis=1)
    table = rng.uniform(0, 1, 2 ** len(sites)) if stochastic else rng.normal(size=2 ** len(sites))
    if stochastic:
        mean = 2 * table[code] - 1
        return mean, np.ones_like(mean)
    return table[code], table[code] ** 2


@cache
def run_bound_check(P: Protocol) -> BoundCheck:
    r"""Random regions A (left) and B (right) of the open chain, random functions of each; exact correlations.

    Half of the trials use stochastic binary units on both sides; the coupling's sign
    alternates between trials (:math:`\pm` ``check_K``).
    """
    rng = np.random.default_rng(P.check_seed)
    N = P.check_N
    dists = {sign: ising.enumerate_chain(N, sign * P.check_K) for sign in (1.0, -1.0)}
    ds, ratios, stoch = [], [], []
    excess = -np.inf
    for t in range(P.check_functions):
        sign = 1.0 if t % 2 == 0 else -1.0
        s, p = dists[sign]
        a_max = int(rng.integers(0, N - 1))
        b_min = int(rng.integers(a_max + 1, N))
        A = np.array(sorted({a_max, *rng.choice(a_max + 1, int(rng.integers(0, a_max + 1)), replace=False)}))
        rest = np.arange(b_min, N)
        B = np.array(sorted({b_min, *rng.choice(rest, int(rng.integers(0, rest.size)), replace=False)}))
        stochastic = bool(t % 4 >= 2)
        fa, fa2 = _region_moments(s, A, rng, stochastic)
        gb, gb2 = _region_moments(s, B, rng, stochastic)
        # the units of A and B draw independent noise given s: E[f g] = E[E[f|s_A] E[g|s_B]]
        cov = p @ (fa * gb) - (p @ fa) * (p @ gb)
        corr = cov / np.sqrt((p @ fa2 - (p @ fa) ** 2) * (p @ gb2 - (p @ gb) ** 2))
        bound = np.tanh(abs(P.check_K)) ** (b_min - a_max)
        ds.append(b_min - a_max)
        ratios.append(abs(corr) / bound)
        stoch.append(stochastic)
        excess = max(excess, abs(corr) - bound)
    s, p = dists[1.0]
    single = max(
        abs(abs(p @ (s[:, a] * s[:, b])) - np.tanh(P.check_K) ** (b - a)) for a in range(N) for b in range(a + 1, N)
    )
    return BoundCheck(N, P.check_K, np.array(ds), np.array(ratios), np.array(stoch), float(excess), float(single))


@dataclass(frozen=True)
class LimitRun:
    r"""The limit test (claim ``I.Llim``): stacks ``limit_N -> ... -> limit_N / 2^limit_depth``.

    ``Ks`` = ``(0, *limit_Ks)`` (the null first). ``couplings[(mode, K)]``: signed :math:`K_l`,
    shape (stacks, depth + 1), level 0 the input; ``kl`` the KL residuals of the projections;
    ``losses[K]`` (trained): each layer's exact loss per spin, shape (stacks, depth);
    ``plateau[K]``: how much each trained layer's exact loss fell over its last quarter of steps;
    ``restart_spread[K]``: per deeper layer, the loss of the worse restart minus the best one.
    """

    Ks: tuple[float, ...]
    couplings: dict
    kl: dict
    losses: dict
    plateau: dict
    restart_spread: dict

    def abs_couplings(self, K: float, mode: str) -> np.ndarray:
        """:math:`|K_l|`, shape (stacks, depth + 1)."""
        return np.abs(self.couplings[(mode, K)])


def _apply_many(W, c, configs, probs_list) -> tuple[np.ndarray, list[np.ndarray]]:
    """One canonical layer applied to several distributions on the same configurations (one kernel)."""
    W, c = couplings.canonical_layer(W, c)
    y = ising.all_configurations(W.shape[0])
    T = np.exp(networks.log_kernel(W, c, configs, y))
    out = []
    for p in probs_list:
        q = p @ T
        out.append(q / q.sum())
    return y, out


@cache
def run_limit(P: Protocol, progress: bool = False) -> LimitRun:
    r"""Trained (null and ``limit_Ks``), random, decimation and copy stacks of the limit test, exactly.

    Trained: the first layer of every stack by :func:`rgbook.networks.train_autoencoders` with ``batch``
    (one call for the null stacks, one for the stacks at ``limit_Ks``; stack ``k`` has seed
    ``limit_seed + k``, so stack ``k`` starts from the same layer at every K), deeper layers by
    :func:`rgbook.networks.train_autoencoders` on each stack's exact distribution (restart ``r``
    of layer ``l`` seed ``limit_seed + 1000 l + r``), best restart kept.
    """
    Ks = (0.0, *P.limit_Ks)
    s, _ = ising.enumerate_chain(P.limit_N, 0.0)
    inputs = {K: ising.enumerate_chain(P.limit_N, K)[1] for K in Ks}
    count = {K: (P.limit_null_stacks if K == 0.0 else P.limit_stacks) for K in Ks}
    keys = [(K, k) for K in Ks for k in range(count[K])]
    cur = {key: (s, inputs[key[0]]) for key in keys}
    proj = {key: [couplings.project_chain(s, inputs[key[0]])] for key in keys}
    losses = {key: [] for key in keys}
    plateau = {key: [] for key in keys}
    spread = {key: [] for key in keys}
    quarter = P.limit_steps - (3 * P.limit_steps) // 4
    for level in range(P.limit_depth):
        n = cur[keys[0]][0].shape[1]
        if level == 0:
            models = {}
            for group in ((0.0,), P.limit_Ks):
                runs = networks.train_autoencoders(
                    s,
                    np.stack([inputs[K] for K in group]),
                    n // 2,
                    restarts=max(count[K] for K in group),
                    steps=P.limit_steps,
                    lr=P.lr,
                    batch=P.limit_batch,
                    seed=P.limit_seed,
                    progress=progress,
                    desc=f"literal limit: level 1, K in {group}",
                )
                for K, mine in zip(group, runs):
                    for k in range(count[K]):
                        models[(K, k)] = [mine[k]]
            for key in keys:
                m = models[key][0]
                plateau[key].append(float(m.history[-1] - m.loss))
                spread[key].append(0.0)
        else:
            configs_l = cur[keys[0]][0]
            runs = networks.train_autoencoders(
                configs_l,
                np.stack([cur[key][1] for key in keys]),
                n // 2,
                restarts=P.limit_deep_restarts,
                steps=P.limit_steps,
                lr=P.lr,
                seed=P.limit_seed + 1000 * level,
                progress=progress,
                desc=f"literal limit: level {level + 1}",
            )
            models = dict(zip(keys, runs))
            for key in keys:
                best = min(models[key], key=lambda mdl: mdl.loss)
                hist = best.history
                at = min(int(round((P.limit_steps - quarter) / 50)), len(hist) - 1)
                plateau[key].append(float(hist[at] - best.loss))
                ls = sorted(mdl.loss for mdl in models[key])
                spread[key].append(float(ls[-1] - ls[0]))
        for key in keys:
            best = min(models[key], key=lambda mdl: mdl.loss)
            y, (q,) = _apply_many(best.W, best.c, cur[key][0], [cur[key][1]])
            cur[key] = (y, q)
            proj[key].append(couplings.project_chain(y, q))
            losses[key].append(float(best.loss))

    coup, kl = {}, {}
    for K in Ks:
        mine = [key for key in keys if key[0] == K]
        coup[("trained", K)] = np.array([[pr[0] for pr in proj[key]] for key in mine])
        kl[("trained", K)] = np.array([[pr[2] for pr in proj[key]] for key in mine])

    def untrained(mode: str, k: int) -> None:
        dists = [inputs[K] for K in Ks]
        configs = s
        levels = [[couplings.project_chain(configs, p) for p in dists]]
        for level in range(P.limit_depth):
            n = configs.shape[1]
            if mode == "random":
                W, c = networks.random_weights(n // 2, n, seed=P.limit_random_seed + 100 * k + level)
            elif mode == "decimation":
                W, c = networks.decimation_weights(n, 2, P.beta)
            else:
                W, c = copy_weights(n, P.beta)
            configs, dists = _apply_many(W, c, configs, dists)
            levels.append([couplings.project_chain(configs, p) for p in dists])
        for i, K in enumerate(Ks):
            coup.setdefault((mode, K), []).append([lev[i][0] for lev in levels])
            kl.setdefault((mode, K), []).append([lev[i][2] for lev in levels])

    for mode, n_stacks in (("random", P.limit_random_seeds), ("decimation", 1), ("copy", 1)):
        for k in range(n_stacks):
            untrained(mode, k)
    coup = {key: np.asarray(v, dtype=float) for key, v in coup.items()}
    kl = {key: np.asarray(v, dtype=float) for key, v in kl.items()}
    by_K = lambda d: {K: np.array([d[key] for key in keys if key[0] == K]) for K in Ks}  # noqa: E731
    return LimitRun(Ks, coup, kl, by_K(losses), by_K(plateau), by_K(spread))


def limit_table(run: LimitRun, P: Protocol):
    """Per K (the null first) and level: mean |K_l| of trained and random stacks (min-max), decimation (= RG),
    copy, and the trained layers' largest late loss fall (a DataFrame for display)."""
    rows = []
    for K in run.Ks:
        tr, ra = run.abs_couplings(K, "trained"), run.abs_couplings(K, "random")
        for lev in range(P.limit_depth + 1):
            rows.append(
                {
                    "K": K,
                    "level": lev,
                    "spins": P.limit_N // 2**lev,
                    "trained mean |K_l|": tr[:, lev].mean(),
                    "trained range": f"[{tr[:, lev].min():.3f}, {tr[:, lev].max():.3f}]",
                    "random mean |K_l|": ra[:, lev].mean(),
                    "random range": f"[{ra[:, lev].min():.3f}, {ra[:, lev].max():.3f}]",
                    "decimation K_l": run.couplings[("decimation", K)][0, lev],
                    "copy |K_l|": run.abs_couplings(K, "copy")[0, lev],
                }
            )
    return pd.DataFrame(rows)


def limit_optimizer_table(run: LimitRun, P: Protocol):
    """Per K and trained layer (level): the exact loss per spin (best and worst stack), its largest fall over the
    last quarter of steps (the plateau precondition) and the largest loss gap between the restarts of one layer
    (deeper layers; the first layer has one restart per stack). A DataFrame for display."""
    rows = []
    for K in run.Ks:
        for lev in range(1, P.limit_depth + 1):
            rows.append(
                {
                    "K": K,
                    "layer": f"{P.limit_N // 2 ** (lev - 1)} -> {P.limit_N // 2**lev}",
                    "loss (best stack)": run.losses[K][:, lev - 1].min(),
                    "loss (worst stack)": run.losses[K][:, lev - 1].max(),
                    "largest late fall": run.plateau[K][:, lev - 1].max(),
                    "largest restart gap": run.restart_spread[K][:, lev - 1].max() if lev > 1 else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def plot_limit(ax, run: LimitRun, P: Protocol, K: float) -> None:
    """Mean |K_l| against level at K: trained and its null (band: the null's min-max), random and its null,
    decimation (= RG), copy."""
    levels = np.arange(P.limit_depth + 1)
    tr0, ra0 = run.abs_couplings(0.0, "trained"), run.abs_couplings(0.0, "random")
    ax.fill_between(levels, tr0.min(axis=0), tr0.max(axis=0), color="C0", alpha=0.15)
    ax.plot(levels, tr0.mean(axis=0), "o--", color="C0", mfc="none", label="trained, null $K=0$ (range shaded)")
    ax.plot(
        levels,
        run.abs_couplings(K, "trained").mean(axis=0),
        "o-",
        color="C0",
        label=f"trained, $K={K:g}$ (mean of {len(run.abs_couplings(K, 'trained'))})",
    )
    ax.plot(levels, ra0.mean(axis=0), "^--", color="C2", mfc="none", label="random, null $K=0$")
    ax.plot(
        levels,
        run.abs_couplings(K, "random").mean(axis=0),
        "^-",
        color="C2",
        label=f"random, $K={K:g}$ (mean of {len(ra0)})",
    )
    ax.plot(
        levels, run.abs_couplings(K, "decimation")[0], "s-", color="k", alpha=0.4, lw=3, label="decimation $= R_2^l(K)$"
    )
    ax.plot(levels, run.abs_couplings(K, "copy")[0], "D:", color="C3", label="copy layer")
    ax.set_xticks(levels, [f"{lev}\n({P.limit_N // 2**lev} spins)" for lev in levels])
    ax.set(xlabel="level $l$", ylabel="$|K_l|$", title=f"input $K={K:g}$", ylim=(-0.02, 1.05 * max(P.limit_Ks)))


# --------------------------------------------------------------------------------------
# display


def measures_table(run: LiteralRun, P: Protocol):
    """Per K and level, the measures that need no convention: the correlation length (RG: that of
    :math:`R_2^l(K)`) and the halves' mutual information, trained and random as mean [95%
    seed-bootstrap interval], decimation and copy as values (a DataFrame for display)."""

    def cell(values):
        m, lo, hi = seed_bootstrap(values, P.n_boot, P.boot_seed)
        return f"{m:.3f} [{lo:.3f}, {hi:.3f}]"

    rows = []
    for K in P.Ks:
        rgK = rg.flow(K, 0.0, 2, steps=P.depth)[0]
        for lev in range(P.depth + 1):
            rows.append(
                {
                    "K": K,
                    "level": lev,
                    "RG xi": float(-1.0 / np.log(np.tanh(rgK[lev]))),
                    "trained xi": cell(run.measure(K, "trained", "xi")[:, lev]),
                    "random xi": cell(run.measure(K, "random", "xi")[:, lev]),
                    "decimation xi": run.select(K, "decimation")[0].xi[lev],
                    "copy xi": run.select(K, "copy")[0].xi[lev],
                    "trained I(halves)": cell(run.measure(K, "trained", "halves_mi")[:, lev]),
                    "random I(halves)": cell(run.measure(K, "random", "halves_mi")[:, lev]),
                    "decimation I(halves)": run.select(K, "decimation")[0].halves_mi[lev],
                }
            )
    return pd.DataFrame(rows)


def flow_table(run: LiteralRun, P: Protocol):
    """Per K and level: RG iterate, trained mean |K_l| [95% seed-bootstrap], random likewise, decimation, copy,
    and the largest KL residual of the trained outputs (a DataFrame for display)."""

    rows = []
    for K in P.Ks:
        rgK = rg.flow(K, 0.0, 2, steps=P.depth)[0]
        for lev in range(1, P.depth + 1):
            tr = seed_bootstrap(run.abs_couplings(K, "trained")[:, lev], P.n_boot, P.boot_seed)
            ra = seed_bootstrap(run.abs_couplings(K, "random")[:, lev], P.n_boot, P.boot_seed)
            rows.append(
                {
                    "K": K,
                    "level": lev,
                    "R_2^l(K)": rgK[lev],
                    "trained mean |K_l|": tr[0],
                    "trained 95% interval": f"[{tr[1]:.3f}, {tr[2]:.3f}]",
                    "random mean |K_l|": ra[0],
                    "random 95% interval": f"[{ra[1]:.3f}, {ra[2]:.3f}]",
                    "decimation K_l": run.select(K, "decimation")[0].couplings[lev],
                    "copy K_l": run.select(K, "copy")[0].couplings[lev],
                    "trained max KL residual": max(f.kl[lev] for f in run.select(K, "trained")),
                }
            )
    return pd.DataFrame(rows)


def loss_table(run: LiteralRun, P: Protocol):
    """First layer's loss per spin with the best factorized decoder: trained (best and worst stack), decimation,
    copy, random (mean) (a DataFrame for display)."""

    rows = []
    for K in P.Ks:
        tr = np.array([f.losses[0] for f in run.select(K, "trained")])
        rows.append(
            {
                "K": K,
                "trained (best stack)": tr.min(),
                "trained (worst stack)": tr.max(),
                "decimation": run.select(K, "decimation")[0].losses[0],
                "copy layer": run.select(K, "copy")[0].losses[0],
                "random (mean)": float(np.mean([f.losses[0] for f in run.select(K, "random")])),
            }
        )
    return pd.DataFrame(rows)


def plot_flow(ax, run: LiteralRun, P: Protocol, K: float) -> None:
    """|K_l| against level: every trained and random stack (thin), their means, decimation, copy, and R_2^l(K)."""
    levels = np.arange(P.depth + 1)
    ax.plot(levels, rg.flow(K, 0.0, 2, steps=P.depth)[0], "k-", lw=6, alpha=0.2, label="RG iterates $R_2^l(K)$")
    for mode, color, marker in (("trained", "C0", "o"), ("random", "C2", "^")):
        a = run.abs_couplings(K, mode)
        for row in a:
            ax.plot(levels, row, "-", color=color, lw=0.6, alpha=0.35)
        ax.plot(levels, a.mean(axis=0), marker + "-", color=color, label=f"{mode} (mean of {len(a)})")
    ax.plot(levels, np.abs(run.select(K, "decimation")[0].couplings), "s--", color="C1", label="decimation")
    ax.plot(levels, np.abs(run.select(K, "copy")[0].couplings), "D:", color="C3", label="copy layer")
    ax.axhline(0.0, color="k", lw=0.8, ls="--")
    ax.set_xticks(levels, [f"{lev}\n({P.N // 2**lev} spins)" for lev in levels])
    ax.set(xlabel="level $l$", ylabel="$|K_l|$", title=f"input $K={K:g}$", ylim=(-0.05, 1.5 * max(P.Ks)))
    ax.legend(fontsize="x-small", loc="upper center", ncol=2)


FIGURES = ("fig-literal-flow", "fig-literal-limit")


# --------------------------------------------------------------------------------------
# claims


def measure_literal(P: Protocol, tol) -> list[Row]:
    """I.L: trained stacks' bootstrap upper bound of mean |K_l| against R_2^l(K) + rate; controls; consistency."""
    run = run_stacks(P)
    rows = []
    for K in P.Ks:
        rgK = rg.flow(K, 0.0, 2, steps=P.depth)[0]
        for lev in range(1, P.depth + 1):
            bound = float(rgK[lev]) + tol["rate"]
            for mode, role in (("trained", "evidence"), ("random", "control")):
                _, _, hi = seed_bootstrap(run.abs_couplings(K, mode)[:, lev], P.n_boot, P.boot_seed)
                rows.append(
                    Row(
                        f"{mode} stacks: upper 95% bootstrap bound of mean |K_{lev}| vs K* = 0 "
                        f"(bound R_2^{lev}(K) + rate), K={K}",
                        0.0,
                        hi,
                        bound,
                        role,
                    )
                )
            rows.append(
                Row(
                    f"copy layer: |K_{lev}| vs K* = 0 (bound R_2^{lev}(K) + rate), K={K}",
                    0.0,
                    abs(run.select(K, "copy")[0].couplings[lev]),
                    bound,
                    "control",
                )
            )
            rows.append(
                Row(
                    f"decimation stack: K_{lev} vs R_2^{lev}(K), K={K}",
                    float(rgK[lev]),
                    run.select(K, "decimation")[0].couplings[lev],
                    tol["decimation"],
                    "consistency",
                )
            )
    check = run_bound_check(P)
    rows.append(
        Row(
            f"largest |Corr(f(A), g(B))| - tanh^d|K| over {P.check_functions} random function pairs "
            f"(N={P.check_N}, K=±{P.check_K})",
            0.0,
            max(check.excess, 0.0),
            tol["bound"],
            "consistency",
        )
    )
    rows.append(
        Row(
            "largest ||Corr(s_a, s_b)| - tanh^(b-a)|K||: the bound is attained by single spins",
            0.0,
            check.single_spin_error,
            tol["bound"],
            "consistency",
        )
    )
    return rows


def _null_band(null: np.ndarray, values: np.ndarray, k: float) -> tuple[float, float]:
    """``(m0, m0 + k SE)``: the null mean and the band's upper end, SE of the difference of the two means."""
    null, values = np.asarray(null, float), np.asarray(values, float)
    se = np.sqrt(null.var(ddof=1) / null.size + values.var(ddof=1) / values.size)
    return float(null.mean()), float(null.mean() + k * se)


def measure_limit(P: Protocol, tol) -> list[Row]:
    """I.Llim: trained dense stacks at the last level against the K = 0 null; trend; plateau; controls."""
    run = run_limit(P)
    L = P.limit_depth
    rows = []
    null_tr = run.abs_couplings(0.0, "trained")[:, L]
    null_ra = run.abs_couplings(0.0, "random")[:, L]
    for K in P.limit_Ks:
        tr = run.abs_couplings(K, "trained")
        _, band = _null_band(null_tr, tr[:, L], tol["k"])
        rows.append(
            Row(
                f"trained stacks: mean |K_{L}| at K={K} vs the K = 0 null band (m0 + k SE)",
                0.0,
                float(tr[:, L].mean()),
                max(band, 0.0),
            )
        )
        means = tr.mean(axis=0)
        rows.append(
            Row(
                f"trained stacks: largest rise of mean |K_l| from one level to the next, K={K} (0 if it never rises)",
                0.0,
                float(max(np.max(np.diff(means)), 0.0)),
                tol["trend"],
            )
        )
        ra = run.abs_couplings(K, "random")[:, L]
        _, band_r = _null_band(null_ra, ra, tol["k"])
        m, lo, hi = seed_bootstrap(ra, P.n_boot, P.boot_seed)
        rows.append(
            Row(
                f"random stacks: mean |K_{L}| at K={K} vs their own K = 0 null band",
                0.0,
                m,
                max(band_r, 0.0),
                "control",
                lo=lo,
                hi=hi,
            )
        )
        rows.append(
            Row(
                f"copy layer: |K_{L}| at K={K} vs the trained K = 0 null band",
                0.0,
                float(run.abs_couplings(K, "copy")[0, L]),
                max(band, 0.0),
                "control",
            )
        )
        dec = run.couplings[("decimation", K)][0]
        rows.append(
            Row(
                f"decimation stack: largest |K_l - R_2^l(K)| over l = 0..{L}, K={K} (corollary (i))",
                0.0,
                float(np.max(np.abs(dec - rg.flow(K, 0.0, 2, steps=L)[0]))),
                tol["decimation"],
                "consistency",
            )
        )
    for lev in range(1, L + 1):
        drop = max(float(run.plateau[K][:, lev - 1].max()) for K in run.Ks)
        rows.append(
            Row(
                f"precondition: largest fall of a trained layer's exact loss over its last quarter of "
                f"steps, level {lev} (nats per spin; 0 if none)",
                0.0,
                max(drop, 0.0),
                tol["plateau"],
                "precondition",
            )
        )
    return rows


_PAPER_CLAIM = PAPER_I_CLAIM

#: The statement of I.L and of its amendment I.La (the same words; I.La runs on the cut protocol).
_RATE_STATEMENT = (
    "The literal claim, at finite depth: for the open zero-field chain of N = {protocol.N} spins at K in "
    "{{{protocol.Ks}}}, greedy stacks {protocol.chain} of optimal layers (each layer the best of "
    "{protocol.restarts} restarts of the autoencoder trained on the exact reconstruction loss of the previous "
    "level; {protocol.stack_seeds} independent stack seeds) flow to the stable fixed point K* = 0 at least as "
    "fast as real-space RG: at every level l = {protocol.levels} the upper end of the 95% seed-bootstrap "
    "interval of the mean |K_l| (KL projection onto the open NN chain) is at most R_2^l(K) + {rate}. Controls, "
    "against the same bound: random layers ({protocol.random_seeds} seeds) and the copy layer (y_1 = s_1, y_2 "
    "= s_2, the rest decimated), which must fail. Consistency checks: the decimation stack has K_l = R_2^l(K) "
    "within {decimation}; on exact enumeration every function of two regions d bonds apart has |Corr| <= "
    "tanh^d|K| (excess at most {bound}), attained by single spins."
)

CLAIMS = (
    Claim(
        id="I.L",
        title="finite-depth rate: trained stacks no slower than RG (ours)",
        paper="I",
        reading="A",
        paper_claim=_PAPER_CLAIM,
        statement=_RATE_STATEMENT,
        tolerances={"rate": 0.02, "decimation": 1e-4, "bound": 1e-12},
        chapter=CHAPTER,
        measure=measure_literal,
        protocol=PROTOCOL,
        figure="fig-literal-flow",
        constants=("0", "95%"),
    ),
    Claim(
        id="I.La",
        amends="I.L",
        title="finite-depth rate: trained stacks no slower than RG (ours; I.L with its cut protocol, amended)",
        paper="I",
        reading="A",
        paper_claim=_PAPER_CLAIM,
        statement=_RATE_STATEMENT,
        tolerances={"rate": 0.02, "decimation": 1e-4, "bound": 1e-12},
        chapter=CHAPTER,
        measure=measure_literal,
        protocol=PROTOCOL_LA,
        figure="fig-literal-flow",
        constants=("0", "95%"),
    ),
    Claim(
        id="I.Llim",
        title="the output coupling of trained dense stacks reaches the null of uncorrelated input (the literal limit)",
        paper="I",
        reading="L",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "The literal claim as a limit. Proved (corollary of the correlation bound): a stack whose units' receptive "
            "fields separate with depth has |K_l| <= artanh(tanh^(d_l)|K|) -> K* = 0, trained or not; checked on the "
            "decimation stack, K_l = R_2^l(K) within {decimation} (consistency). Measured for dense trained stacks, "
            "where nothing is proved: open zero-field chains of N = {protocol.limit_N} spins at K in "
            "{{{protocol.limit_Ks}}}, greedy stacks {protocol.limit_chain} of fully connected stochastic layers, each "
            "trained on the exact reconstruction loss of the level below ({protocol.limit_stacks} stacks per K; "
            "{protocol.limit_steps} Adam steps per layer, the first layer on importance-weighted batches of "
            "{protocol.limit_batch} states, deeper layers exact, best of {protocol.limit_deep_restarts} restarts). "
            "Null: the same stacks trained on uncorrelated input (K = 0; {protocol.limit_null_stacks} stacks), with "
            "mean m0 and standard deviation sd0 of |K_L| at the last level L = {protocol.limit_depth}. The claim "
            "holds if at every K the mean |K_L| of the trained stacks is at most m0 + {k} SE, SE = sqrt(sd0^2/n0 + "
            "sdK^2/nK) the standard error of the difference of the two means, and if the trained mean |K_l| rises by "
            "at most {trend} from any level to the next (l = 0..L). Precondition (optimal layers): every trained "
            "layer's exact loss falls by at most {plateau} nats per spin over its last quarter of steps. Controls, "
            "same test: random dense stacks ({protocol.limit_random_seeds} seeds, the trained layers' initial law) "
            "against their own K = 0 null, deciding only when the 95% seed-bootstrap interval of their mean lies "
            "wholly inside or outside the band; the copy layer (keeps two adjacent input spins), which must fail."
        ),
        tolerances={"k": 2.0, "trend": 0.02, "plateau": 2e-3, "decimation": 1e-4},
        chapter=CHAPTER,
        measure=measure_limit,
        protocol=PROTOCOL,
        figure="fig-literal-limit",
        constants=("0", "95%", "sd0^2", "sdK^2", "m0", "sd0", "n0"),
    ),
)
