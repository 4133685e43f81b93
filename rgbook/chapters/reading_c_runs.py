r"""Runs of the chapter *Reading C* (``book/reading_c``): RSMI units, coarse chains, infomax layers, controls.

``P`` is the chapter's ``Protocol`` (:mod:`rgbook.chapters.reading_c`, which re-exports every name;
it is not imported here). Seeds: the single random units of ``I.C1`` come from
``default_rng(random_seed + i)``; the random stacks of the flow draw a fresh unit at each level from
``default_rng(random_seed + 1000 * level + i)``; the infomax control layers from
``default_rng(random_seed + 5000 + j)``; the deterministic controls from ``random_seed + 20000 + i``
(single units) and ``random_seed + 30000 + 1000 * level + i`` (stacks).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import torch
from scipy.special import expit

from .. import couplings, ising, networks, rg, training
from ..information import channel_information as rsmi
from ..networks import layer_information
from ..rsmi import (
    beyond_nn_norm,
    block_environment_from_distribution,
    block_environment_joint,
    boolean_optimum,
    coarse_distribution,
    decimation_margin,
    describe_unit,
    ring_block_environment_joint,
    threshold_optimum,
    unit_table,
)

# --------------------------------------------------------------------------------------
# run: optimum, gradient ascent, direct search, controls


@dataclass(frozen=True)
class RsmiAtK:
    r"""The RSMI experiment at one ``(K, L_B)``.

    Attributes
    ----------
    joint : numpy.ndarray
        :math:`P(v; e_L, e_R)` (Markov reduction).
    optimum, info_optimum
        Best threshold function (truth table) and its :math:`I(H;E)`.
    boolean_info
        Largest :math:`I(H;E)` of any Boolean function of the block (bound for any coarse variable).
    decimation, majority
        :math:`I(H;E)` of :math:`h=v_1` and of the block sign (ties at random).
    trained_info, trained_w, trained_c
        Every gradient restart's final :math:`I(H;E)` and parameters.
    search_info, search_best
        Direct search: best :math:`I` per scale (in protocol order) and the overall best
        ``(direction of w, direction of c, scale, I)``; the unit is ``scale * direction``.
    random_info
        :math:`I(H;E)` of the random control units.
    window_check
        ``(I_markov, I_window)`` for the optimum and for a random unit: the Markov reduction
        against the enumerated window of the open chain.
    """

    K: float
    buffer: int
    joint: np.ndarray
    optimum: np.ndarray
    info_optimum: float
    boolean_info: float
    boolean_optimum: np.ndarray
    decimation: float
    majority: float
    trained_info: np.ndarray
    trained_w: np.ndarray
    trained_c: np.ndarray
    search_info: np.ndarray
    search_best: tuple
    random_info: np.ndarray
    window_check: tuple


def random_units(P) -> tuple[np.ndarray, np.ndarray]:
    """The control units: ``w, c ~ N(0, random_scale^2)`` from ``default_rng(random_seed + i)``."""
    ws, cs = [], []
    for i in range(P.random_units):
        rng = np.random.default_rng(P.random_seed + i)
        x = rng.normal(0.0, P.random_scale, P.b + 1)
        ws.append(x[: P.b])
        cs.append(x[P.b])
    return np.array(ws), np.array(cs)


def _search_directions(P) -> np.ndarray:
    """``n_directions`` unit vectors in ``(w, c)`` space (seeded Gaussian directions plus the axes)."""
    rng = np.random.default_rng(12345)
    d = rng.normal(size=(P.n_directions, P.b + 1))
    d = np.vstack([np.eye(P.b + 1), -np.eye(P.b + 1), np.r_[np.ones(P.b), 0.0][None], d])
    return d / np.linalg.norm(d, axis=1, keepdims=True)


def _train_units(P, joints: list[np.ndarray]):
    """Gradient ascent on the exact I(H;E): len(joints) x restarts units in one fit call."""
    seeds = [P.seed + r for _ in joints for r in range(P.restarts)]
    params = networks._init_batch({"w": (P.b,), "c": ()}, {"w": 1.0, "c": 0.5}, seeds)
    J = torch.as_tensor(np.repeat(np.stack(joints), P.restarts, axis=0))
    V = torch.as_tensor(ising.all_configurations(P.b).astype(np.float64))

    def loss(p):
        q = torch.sigmoid(2 * (p["w"] @ V.T + p["c"][:, None]))
        return -networks.channel_information_t(q, J)

    log = training.fit(params, loss, steps=P.steps, lr=P.lr, desc="Reading C: RSMI units")
    n = len(joints)
    return (
        (-log.final).reshape(n, P.restarts),
        params["w"].numpy().reshape(n, P.restarts, P.b),
        params["c"].numpy().reshape(n, P.restarts),
    )


@cache
def run_rsmi(P) -> tuple[RsmiAtK, ...]:
    """Exact optimum, gradient restarts (one batched fit), direct search and controls at every (K, L_B)."""
    cases = [(K, L) for K in P.Ks for L in P.buffers]
    joints = [block_environment_joint(K, P.b, L) for K, L in cases]
    info_tr, w_tr, c_tr = _train_units(P, joints)
    dirs = _search_directions(P)
    rw, rc = random_units(P)
    random_tables = np.array([unit_table(w, c) for w, c in zip(rw, rc)])
    v = ising.all_configurations(P.b).astype(np.float64)
    majority = unit_table(np.ones(P.b), 0.0, np.inf)
    out = []
    for i, ((K, L), joint) in enumerate(zip(cases, joints)):
        opt, i_opt = threshold_optimum(joint, P.b)
        b_tab, i_bool = boolean_optimum(joint)
        per_scale, best = [], (None, None, None, -1.0)
        for scale in P.scales:
            if np.isinf(scale):
                a = dirs[:, : P.b] @ v.T + dirs[:, P.b :]
                q = np.where(a > 1e-12, 1.0, np.where(a < -1e-12, 0.0, 0.5))
            else:
                q = expit(2 * scale * (dirs[:, : P.b] @ v.T + dirs[:, P.b :]))
            info = rsmi(q, joint)
            k = int(np.argmax(info))
            per_scale.append(float(info[k]))
            if info[k] > best[3]:
                best = (dirs[k, : P.b], dirs[k, P.b], scale, float(info[k]))
        # Markov reduction against the enumerated open chain (block in the middle, `window` sites each side)
        configs, probs = ising.enumerate_chain(P.check_N, K)
        wide = block_environment_from_distribution(configs, probs, P.check_N // 2 - P.b // 2, P.b, L, P.window)
        check = (
            float(rsmi(opt, joint)),
            float(rsmi(opt, wide)),
            float(rsmi(random_tables[0], joint)),
            float(rsmi(random_tables[0], wide)),
        )
        out.append(
            RsmiAtK(
                K,
                L,
                joint,
                opt,
                i_opt,
                i_bool,
                b_tab,
                float(rsmi((v[:, 0] > 0) * 1.0, joint)),
                float(rsmi(majority, joint)),
                info_tr[i],
                w_tr[i],
                c_tr[i],
                np.array(per_scale),
                best,
                rsmi(random_tables, joint),
                check,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class RingCheck:
    """The RSMI optimum of a block on a periodic ring of ``N`` spins (environment: the rest of the ring beyond
    the buffer): the best Boolean unit, decimation's :math:`I(H;E)`, and decimation's margin over the best
    other unit (:func:`decimation_margin`; negative when another unit beats decimation)."""

    N: int
    K: float
    buffer: int
    best_unit: str
    decimation: float
    margin: float


@cache
def run_ring_checks(P) -> tuple[RingCheck, ...]:
    """Exact RSMI optimum of the ``b``-block on periodic rings of ``P.ring_Ns`` spins (ring reduction,
    :func:`ring_block_environment_joint`; the tests check it against enumeration of the whole ring)."""
    out = []
    v1 = (ising.all_configurations(P.b)[:, 0] > 0) * 1.0
    for N in P.ring_Ns:
        joint = ring_block_environment_joint(N, P.ring_K, P.b, P.ring_buffer)
        table, _ = boolean_optimum(joint)
        margin = decimation_margin(joint, P.b)
        best = describe_unit(v1) if margin >= 0 else describe_unit(table)
        out.append(RingCheck(N, P.ring_K, P.ring_buffer, best, float(rsmi(v1, joint)), margin))
    return tuple(out)


def rsmi_at(results: tuple[RsmiAtK, ...], K: float, buffer: int) -> RsmiAtK:
    """The result at ``(K, L_B)``."""
    for r in results:
        if r.K == K and r.buffer == buffer:
            return r
    raise KeyError(f"no RSMI result at K={K}, buffer={buffer}")


# --------------------------------------------------------------------------------------
# coarse chains


@dataclass(frozen=True)
class CoarseChain:
    r"""One coarse-graining flow of the open chain: level 0 is the input.

    ``units[l]`` is the truth table applied at level ``l``; ``couplings[l], fields[l], kl[l]`` the
    NN-chain projection of level ``l``; ``beyond[l]`` the beyond-NN coupling norm.
    """

    K: float
    mode: str
    units: tuple
    couplings: tuple[float, ...]
    fields: tuple[float, ...]
    kl: tuple[float, ...]
    beyond: tuple[float, ...]
    pair_couplings: tuple


def _flow(K: float, P, mode: str, unit_for_level) -> CoarseChain:
    configs, probs = ising.enumerate_chain(P.coarse_N, K)
    units, Ks, hs, kls, beyond, Js = [], [K], [0.0], [0.0], [0.0], []
    level = 0
    while configs.shape[1] > 2 * P.b:  # 16 -> 8 -> 4: stop before the block would need the whole chain
        q = unit_for_level(level, configs, probs)
        configs, probs = coarse_distribution(configs, probs, q, P.b)
        Kp, hp, kl = couplings.project_chain(configs, probs)
        J, nb = beyond_nn_norm(configs, probs) if configs.shape[1] > 2 else (np.zeros((2, 2)), 0.0)
        units.append(q)
        Ks.append(Kp)
        hs.append(hp)
        kls.append(kl)
        beyond.append(nb)
        Js.append(J)
        level += 1
    return CoarseChain(K, mode, tuple(units), tuple(Ks), tuple(hs), tuple(kls), tuple(beyond), tuple(Js))


@cache
def run_coarse(P) -> tuple[CoarseChain, ...]:
    """Flows at every K: RSMI-optimal (re-optimized on the exact coarse law), best trained unit reused,
    decimation, majority, and the random controls (a fresh random unit per level)."""
    res = run_rsmi(P)
    out = []
    for K in P.Ks:
        r = rsmi_at(res, K, P.flow_buffer)

        def optimal(level, configs, probs, r=r):
            if level == 0:
                return r.optimum
            n = configs.shape[1]
            joint = block_environment_from_distribution(configs, probs, n // 2 - P.b // 2, P.b, P.flow_buffer)
            return threshold_optimum(joint, P.b)[0]

        k = int(np.argmax(r.trained_info))
        trained_q = unit_table(r.trained_w[k], float(r.trained_c[k]))
        out.append(_flow(K, P, "RSMI-optimal", optimal))
        out.append(_flow(K, P, "trained", lambda lev, s, p, q=trained_q: q))
        out.append(_flow(K, P, "decimation", lambda lev, s, p: unit_table(np.eye(P.b)[0], 0.0, np.inf)))
        out.append(_flow(K, P, "majority", lambda lev, s, p: unit_table(np.ones(P.b), 0.0, np.inf)))
        for i in range(P.random_units):

            def rand(level, s, p, i=i):
                rng = np.random.default_rng(P.random_seed + 1000 * level + i)
                x = rng.normal(0.0, P.random_scale, P.b + 1)
                return unit_table(x[: P.b], float(x[P.b]))

            out.append(_flow(K, P, f"random {i}", rand))
    return tuple(out)


def coarse_flow(flows: tuple[CoarseChain, ...], K: float, mode: str) -> CoarseChain:
    """The flow of ``mode`` at ``K``."""
    for f in flows:
        if f.K == K and f.mode == mode:
            return f
    raise KeyError(f"no {mode!r} flow at K={K}")


# --------------------------------------------------------------------------------------
# infomax layer


@dataclass(frozen=True)
class InfomaxAtK:
    """Infomax restarts at one K: information, output coupling (K', h', KL) and beyond-NN norm per restart."""

    K: float
    info: np.ndarray
    coupling: np.ndarray
    beyond: np.ndarray
    W: np.ndarray
    c: np.ndarray
    decimation_info: float
    rg_coupling: float
    random_info: np.ndarray
    random_coupling: np.ndarray


@cache
def run_infomax(P) -> tuple[InfomaxAtK, ...]:
    """Train ``infomax_restarts`` layers per K (one batched fit), maximizing the exact I(s; y)."""
    N, m = P.infomax_N, P.infomax_m
    dists = [ising.enumerate_chain(N, K) for K in P.Ks]
    s = dists[0][0]
    seeds = [P.infomax_seed + r for _ in P.Ks for r in range(P.infomax_restarts)]
    params = networks._init_batch({"W": (m, N), "c": (m,)}, {"W": 0.5, "c": 0.1}, seeds)
    S = torch.as_tensor(s.astype(np.float64))
    Y = torch.as_tensor(ising.all_configurations(m).astype(np.float64))
    p = torch.as_tensor(np.repeat(np.stack([d[1] for d in dists]), P.infomax_restarts, axis=0))

    def loss(prm):
        logT = networks._log_kernel_t(prm["W"], prm["c"], S, Y)  # (R, n_s, n_y)
        q = torch.einsum("rs,rsy->ry", p, torch.exp(logT))
        a = S @ prm["W"].transpose(-1, -2) + prm["c"][:, None, :]
        sp, sm = torch.nn.functional.logsigmoid(2 * a), torch.nn.functional.logsigmoid(-2 * a)
        h_cond = -(torch.exp(sp) * sp + torch.exp(sm) * sm).sum(dim=2)  # (R, n_s)
        h_y = -(q * torch.log(q.clamp_min(1e-300))).sum(dim=1)
        return -(h_y - (p * h_cond).sum(dim=1))

    training.fit(params, loss, steps=P.infomax_steps, lr=P.infomax_lr, desc="Reading C: infomax layers")
    Ws = params["W"].numpy().reshape(len(P.Ks), P.infomax_restarts, m, N)
    cs = params["c"].numpy().reshape(len(P.Ks), P.infomax_restarts, m)
    keep = np.arange(0, N, N // m)
    out = []
    for i, (K, (_, pk)) in enumerate(zip(P.Ks, dists)):
        info, coup, bey = [], [], []
        for W, c in zip(Ws[i], cs[i]):
            info.append(layer_information(W, c, s, pk))
            coup.append(networks.layer_coupling(W, c, s, pk))
            Wc, cc = couplings.canonical_layer(W, c)
            bey.append(beyond_nn_norm(*networks.output_distribution(Wc, cc, s, pk))[1] if m > 2 else 0.0)
        _, pd_ = ising.marginalize(s, pk, keep)
        dec_info = float(-np.sum(pd_ * np.log(pd_)))
        r_info, r_coup = [], []
        for j in range(P.random_units):
            rng = np.random.default_rng(P.random_seed + 5000 + j)
            W, c = rng.normal(0.0, 1.0, (m, N)), rng.normal(0.0, 1.0, m)
            r_info.append(layer_information(W, c, s, pk))
            r_coup.append(networks.layer_coupling(W, c, s, pk)[0])
        out.append(
            InfomaxAtK(
                K,
                np.array(info),
                np.array(coup),
                np.array(bey),
                Ws[i],
                cs[i],
                dec_info,
                float(rg.zero_field_map(K, 2)),
                np.array(r_info),
                np.array(r_coup),
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------------------
# deterministic controls (I.C1a, I.C2b)


def det_unit(seed: int, b: int, scale: float) -> np.ndarray:
    """A random deterministic threshold unit sign(w.v + c) on a block, ``w, c ~ N(0, scale^2)`` from
    ``default_rng(seed)`` (the same draw as the stochastic control, in the deterministic limit)."""
    x = np.random.default_rng(seed).normal(0.0, scale, b + 1)
    return unit_table(x[:b], float(x[b]), np.inf)


@cache
def _chain(N: int, K: float):
    return ising.enumerate_chain(N, K)


def _stack_couplings(K: float, P, tables: tuple) -> tuple[float, ...]:
    """K_l of the open ``coarse_N`` chain coarse-grained with the truth tables ``tables`` (one per level).

    A constant unit makes the coarse chain a point mass, a product law: its coupling is 0 there and
    at every later level."""
    configs, probs = _chain(P.coarse_N, K)
    out = []
    for q in tables:
        if np.all(np.asarray(q) == q[0]):
            out += [0.0] * (len(tables) - len(out))
            break
        configs, probs = coarse_distribution(configs, probs, np.asarray(q), P.b)
        out.append(float(couplings.project_chain(configs, probs)[0]))
    return tuple(out)


@dataclass(frozen=True)
class DetControls:
    """Random deterministic block units at one K: truth tables, :math:`I(H;E)` per buffer (dict), the K' of
    each unit's coarse chain, and the last-level coupling of the random deterministic stacks."""

    K: float
    tables: np.ndarray
    info: dict
    coupling: np.ndarray
    stack_coupling: np.ndarray
    n_decimation: int


def _orbit(tabs: tuple) -> set:
    """The images of a stack of b = 2 truth tables under the maps that leave every K_l unchanged: reflection
    of the chain (v_1 <-> v_2 in every table), negating the last unit's output, flipping the first unit's
    input (the input law is flip-symmetric), and negating unit l's output together with unit l+1's input."""
    swap, flip = [0, 2, 1, 3], [3, 2, 1, 0]
    seen, todo = set(), [tuple(tuple(float(x) for x in q) for q in tabs)]
    while todo:
        t = todo.pop()
        if t in seen:
            continue
        seen.add(t)
        a = [np.array(q) for q in t]
        moves = [[q[swap] for q in a], a[:-1] + [1 - a[-1]], [a[0][flip]] + a[1:]]
        moves += [a[:j] + [1 - a[j], a[j + 1][flip]] + a[j + 2 :] for j in range(len(a) - 1)]
        todo += [tuple(tuple(float(x) for x in q) for q in m) for m in moves]
    return seen


@cache
def run_det_controls(P) -> tuple[DetControls, ...]:
    """The deterministic controls of I.C1a and I.C2b at every K (couplings computed once per class of stacks
    equivalent under :func:`_orbit`)."""
    tables = np.array([det_unit(P.random_seed + 20000 + i, P.b, P.random_scale) for i in range(P.det_units)])
    depth = len(P.coarse_sizes) - 1
    stacks = [
        tuple(tuple(det_unit(P.random_seed + 30000 + 1000 * lev + i, P.b, P.random_scale)) for lev in range(depth))
        for i in range(P.det_stacks)
    ]
    n_dec = sum(describe_unit(q).startswith("decimation") for q in tables)
    out = []
    for K in P.Ks:
        memo: dict = {}

        def coupling(tabs, K=K, memo=memo):
            key = min(_orbit(tabs)) if P.b == 2 else tabs
            if key not in memo:
                memo[key] = _stack_couplings(K, P, key)
            return memo[key]

        info = {L: rsmi(tables, block_environment_joint(K, P.b, L)) for L in P.buffers}
        k1 = np.array([coupling((tuple(q),))[0] for q in tables])
        k_last = np.array([coupling(st)[-1] for st in stacks])
        out.append(DetControls(K, tables, info, k1, k_last, int(n_dec)))
    return tuple(out)


# --------------------------------------------------------------------------------------
# infomax optimum by direct search (I.C3a)


@dataclass(frozen=True)
class InfomaxSearchAtK:
    """Direct infomax search at one K: the distinct local optima (``info``, their output coupling
    ``coupling`` = (K', h', KL), their units ``W, c``), what every start reached, decimation's and the
    block-sign layer's ``(I, K')``, and the random pool layers' ``I`` and ``K'``."""

    K: float
    info: np.ndarray
    coupling: np.ndarray
    W: tuple
    c: tuple
    reached: np.ndarray
    decimation: tuple[float, float]
    block_sign: tuple[float, float]
    random_info: np.ndarray
    random_coupling: np.ndarray
    rg_coupling: float
    pool_size: int


def _hard_layer_coupling(W, c, s, p) -> float:
    return float(networks.layer_coupling(W, c, s, p)[0])


@cache
def run_infomax_search(P) -> tuple[InfomaxSearchAtK, ...]:
    """Coordinate ascent on I(s;y) over threshold layers (:func:`rgbook.thresholds.infomax_search`) at every K,
    with the decimation, block-sign and random pool layers scored the same way."""
    from ..thresholds import THRESHOLD_BETA, code_entropy, infomax_search

    N, m = P.infomax_N, P.infomax_m
    beta = THRESHOLD_BETA
    Wd, cd = networks.decimation_weights(N, N // m, beta)
    Wb = np.zeros((m, N))
    for j in range(m):
        Wb[j, (N // m) * j : (N // m) * (j + 1)] = beta
    cb = np.full(m, beta)  # sign(s + s' + 1): ties (s + s' = 0) to +1
    out = []
    for K in P.Ks:
        s, p = _chain(N, K)
        pool, w, theta, optima, reached = infomax_search(
            s, p, m, width=P.infomax_width, n_starts=P.infomax_search_starts, seed=P.infomax_search_seed
        )
        bits = (pool > 0).astype(np.int64)
        Ws = tuple(beta * w[list(k)] for k, _ in optima)
        cs = tuple(-beta * theta[list(k)] for k, _ in optima)
        coup = np.array([networks.layer_coupling(W, c, s, p) for W, c in zip(Ws, cs)])
        rng = np.random.default_rng(P.infomax_search_seed + 1)
        r_info, r_coup = [], []
        for _ in range(P.infomax_controls):
            idx = rng.choice(len(pool), m, replace=False)
            r_info.append(code_entropy(bits[idx], p))
            r_coup.append(_hard_layer_coupling(beta * w[idx], -beta * theta[idx], s, p))
        out.append(
            InfomaxSearchAtK(
                K,
                np.array([v for _, v in optima]),
                coup,
                Ws,
                cs,
                reached,
                (layer_information(Wd, cd, s, p), _hard_layer_coupling(Wd, cd, s, p)),
                (layer_information(Wb, cb, s, p), _hard_layer_coupling(Wb, cb, s, p)),
                np.array(r_info),
                np.array(r_coup),
                float(rg.zero_field_map(K, 2)),
                len(pool),
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------------------
# fully connected RSMI layer (I.C4)


@dataclass(frozen=True)
class FcRsmiAtK:
    """The fully connected RSMI layer at one ``(K, L_B)``: the window's own :math:`I(V;E)`, the largest
    :math:`I(H;E)` over all pairs of threshold functions of the window, the optimal layers (pairs of
    truth-table indices into ``tables``) with whether each is block-local, and the random layers' :math:`I`."""

    K: float
    buffer: int
    window_info: float
    best: float
    optimal: tuple
    local: tuple
    names: tuple
    random_info: np.ndarray


@cache
def run_fc_rsmi(P) -> tuple[FcRsmiAtK, ...]:
    """Exhaustive search over layers of ``fc_blocks`` threshold units on a window of ``fc_blocks`` blocks
    (two units: every pair of the window's threshold functions up to their signs,
    :func:`rgbook.rsmi.pair_information`); optimal layers are listed up to the units' signs."""
    from ..rsmi import depends_on, pair_information
    from ..thresholds import threshold_functions

    if P.fc_blocks != 2:
        raise ValueError(f"the exhaustive search covers layers of two units, got fc_blocks={P.fc_blocks}")
    n = P.fc_blocks * P.b
    T = threshold_functions(n)
    T = T[T[:, 0] == 0]  # one of each pair t, 1 - t (negating a unit's output changes no information)
    blocks = [list(range(k * P.b, (k + 1) * P.b)) for k in range(P.fc_blocks)]
    v = ising.all_configurations(n).astype(np.float64)
    rand = []
    for i in range(P.fc_random):
        x = np.random.default_rng(P.random_seed + 40000 + i).normal(0.0, P.random_scale, (2, n + 1))
        rand.append((v @ x[:, :n].T + x[:, n] > 0).T * 1.0)
    out = []
    for K in P.Ks:
        for L in P.buffers:
            joint = block_environment_joint(K, n, L)
            info = pair_information(T, joint)
            iu = np.triu_indices(len(T), 1)
            best = float(info[iu].max())
            pe, pv = joint.sum(axis=0), joint.sum(axis=1)
            nz = joint > 0
            window = float(np.sum(joint[nz] * np.log(joint[nz] / np.outer(pv, pe)[nz])))
            opt = [(int(i), int(j)) for i, j in zip(*iu) if info[i, j] >= best - 1e-9]
            local = tuple(all(any(depends_on(T[k], blk) for blk in blocks) for k in pair) for pair in opt)
            names = tuple(" & ".join(describe_unit(T[k]) for k in pair) for pair in opt)
            r_info = np.array([pair_information(t, joint)[0, 1] for t in rand])
            out.append(FcRsmiAtK(K, L, window, best, tuple(opt), local, names, r_info))
    return tuple(out)
