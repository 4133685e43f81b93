r"""Runs of the chapter *Paper I's literal claim* (``book/literal_limit``): stacks, the bound check, the limit.

Trained, random, decimation and copy stacks on exact distributions (:func:`run_stacks` for the
finite-depth rate ``I.L``, :func:`run_limit` for the limit ``I.Llim``) and the exact-enumeration
check of the correlation bound (:func:`run_bound_check`). ``P`` is the chapter's ``Protocol``
(:mod:`rgbook.chapters.literal_limit`, which re-exports every name; it is not imported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from .. import couplings, ising, networks
from ..chain_measures import chain_measures


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


def control_layer(mode: str, n: int, beta: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """An untrained layer ``n -> n/2``: ``"random"`` (:func:`rgbook.networks.random_weights`, ``seed``),
    ``"decimation"`` or ``"copy"`` (:func:`copy_weights`), both of weight scale ``beta``."""
    if mode == "random":
        return networks.random_weights(n // 2, n, seed=seed)
    if mode == "decimation":
        return networks.decimation_weights(n, 2, beta)
    if mode == "copy":
        return copy_weights(n, beta)
    raise ValueError(f"mode must be 'random', 'decimation' or 'copy', got {mode!r}")


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
    m = chain_measures(configs, probs, pairs_l2=None)
    return m.coupling, m.field, m.kl, m.correlation_length, m.halves_information


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
def run_stacks(P, progress: bool = False) -> LiteralRun:
    r"""Trained, random, decimation and copy stacks at every K (exact distributions throughout).

    Trained: one batched training per level; stack ``k`` keeps the best (lowest trained loss)
    of its ``restarts`` restarts (seeds in the chapter's ``Protocol``).
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
    for mode, count in (("random", P.random_seeds), ("decimation", 1), ("copy", 1)):
        for i, K in enumerate(P.Ks):
            for k in range(count):
                configs, probs = s, inputs[i]
                pr, ls = [_project(configs, probs)], []
                for level in range(P.depth):
                    W, c = control_layer(mode, configs.shape[1], P.beta, P.random_seed + 100 * k + level)
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
def run_bound_check(P) -> BoundCheck:
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
def run_limit(P, progress: bool = False) -> LimitRun:
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
            W, c = control_layer(mode, configs.shape[1], P.beta, P.limit_random_seed + 100 * k + level)
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
