r"""Deterministic threshold units and the search over threshold encoders.

A threshold unit is :math:`\operatorname{sign}(w\cdot s - \theta)`, the :math:`\|W\|\to\infty`
limit of a stochastic binary unit (:mod:`rgbook.networks`). Two uses in the book:

* :func:`threshold_tables` — every threshold function of a block of ``b <= 3`` spins (the
  deterministic limits over which real-space mutual information is maximized, Reading C);
* :func:`search_encoders` — local search over encoders ``N -> m`` built from a pool of threshold
  units (:func:`threshold_units`), scored by the exact reconstruction loss with the optimal
  decoder, :math:`\frac1N\sum_i H(s_i\mid y)` (:func:`deterministic_losses`, :func:`swap_losses`;
  Reading A). :func:`mirror_images` compares two encoders under the reflection of the chain.
"""

from __future__ import annotations

import numpy as np
from scipy.special import entr

from ._validate import as_int, as_spin_distribution
from .ising import all_configurations
from .networks import binary_entropy, sign_layer

__all__ = [
    "THRESHOLD_BETA",
    "threshold_tables",
    "threshold_units",
    "deterministic_losses",
    "swap_losses",
    "search_from",
    "hard_rows",
    "search_encoders",
    "mirror_images",
    "threshold_functions",
    "code_entropy",
    "infomax_ascent",
    "infomax_search",
]


def threshold_tables(b: int) -> np.ndarray:
    """All distinct non-constant threshold functions of ``b`` spins (``b <= 3``) as 0/1 truth tables.

    Enumerated as :math:`\\operatorname{sign}(w\\cdot v + c)` with integer :math:`|w_k| \\le 2` and
    half-integer :math:`c`, which realizes every threshold function of up to three inputs.
    """
    b = as_int("b", b, minimum=1, maximum=3)
    v = all_configurations(b).astype(np.float64)
    grid = np.array(np.meshgrid(*[np.arange(-2, 3)] * b, indexing="ij")).reshape(b, -1).T
    seen = {}
    for w in grid:
        for c in np.arange(-2 * b - 0.5, 2 * b + 1, 1.0):
            t = (v @ w + c > 0).astype(np.float64)
            if 0 < t.sum() < t.size:
                seen.setdefault(tuple(t), None)
    return np.array(list(seen))


#: Weight scale at which a threshold unit sign(w.s - theta) is written as a stochastic unit.
THRESHOLD_BETA = 40.0


def threshold_units(N: int, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Distinct non-constant threshold units :math:`\operatorname{sign}(w\cdot s - \theta)` on ``N`` spins.

    :math:`w\in\{-1,0,1\}^N` is non-zero only on a window of at most ``width`` consecutive
    spins, :math:`\theta` runs between the attainable values of :math:`w\cdot s`; units equal
    up to a global sign (which changes no loss) are kept once.

    Returns
    -------
    outputs : numpy.ndarray, shape (n_units, 2^N)
        Each unit's output (±1) on every configuration (:func:`rgbook.all_configurations` order).
    w : numpy.ndarray, shape (n_units, N)
    theta : numpy.ndarray, shape (n_units,)
    """
    s = all_configurations(N).astype(np.float64)
    seen, outs, ws, thetas = set(), [], [], []
    for start in range(N):
        for k in range(1, width + 1):
            if start + k > N:
                break
            for signs in np.ndindex(*(3,) * k):
                w = np.zeros(N)
                w[start : start + k] = np.array(signs) - 1
                if w[start] == 0 or w[start + k - 1] == 0:  # the window is the support's span
                    continue
                n_nz = int(np.count_nonzero(w))
                for theta in range(-n_nz + 1, n_nz, 2):
                    y = np.where(s @ w - theta > 0, 1, -1).astype(np.int8)
                    key = (y if y[0] > 0 else -y).tobytes()
                    if key in seen:
                        continue
                    seen.add(key)
                    outs.append(y)
                    ws.append(w)
                    thetas.append(float(theta))
    return np.array(outs), np.array(ws), np.array(thetas)


def deterministic_losses(codes: np.ndarray, up: np.ndarray, p: np.ndarray, n_codes: int) -> np.ndarray:
    r""":math:`\frac1N\sum_i H(s_i|y)` for many deterministic encoders at once.

    ``codes`` (n_enc, n_s) is each encoder's output index of every input, ``up`` (N, n_s) the
    indicator :math:`s_i = +1`, ``p`` the input probabilities.
    """
    n_enc, n_s = codes.shape
    flat = (codes + n_codes * np.arange(n_enc)[:, None]).ravel()
    py = np.bincount(flat, weights=np.tile(p, n_enc), minlength=n_enc * n_codes)
    total = 0.0
    for u in up:
        pu = np.bincount(flat, weights=np.tile(p * u, n_enc), minlength=n_enc * n_codes)
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(py > 0, pu / py, 0.0)
        total = total + py * binary_entropy(q)
    return total.reshape(n_enc, n_codes).sum(axis=1) / up.shape[0]


def swap_losses(rest: np.ndarray, n_rest: int, pool_bits: np.ndarray, M: np.ndarray) -> np.ndarray:
    r"""Loss :math:`\frac1N\sum_i H(s_i|y)` when one unit of a deterministic encoder is replaced by each pool unit.

    ``rest`` (n_s,) is the code of the other units (values below ``n_rest``), ``pool_bits``
    (n_pool, n_s) the candidates' outputs as 0/1, ``M`` (n_s, N + 1) the columns
    :math:`P(s)` and :math:`P(s)[s_i = +1]`. The joint weights of (code, candidate bit) are one
    matrix product: :math:`C_1 = \text{pool\_bits}\,(M \otimes \mathbb 1[\text{rest} = r])`.
    """
    R = np.zeros((len(rest), n_rest))
    R[np.arange(len(rest)), rest] = 1.0
    MR = (M[:, None, :] * R[:, :, None]).reshape(len(rest), -1)  # (n_s, n_rest * (N + 1))
    C1 = pool_bits @ MR
    # the complement MR.sum - C1 can round to -1e-17 where it is 0, and entr(< 0) = -inf: clip at 0
    C = np.clip(np.stack((MR.sum(axis=0)[None] - C1, C1), axis=1), 0.0, None).reshape(len(pool_bits), 2 * n_rest, -1)
    py, pup = C[..., :1], C[..., 1:]  # P(y) and P(y, s_i = +1)
    # py h(pup / py) = entr(pup) + entr(py - pup) - entr(py), entr(x) = -x ln x
    H = entr(pup) + entr(np.clip(py - pup, 0.0, None)) - entr(py)
    return H.sum(axis=(1, 2)) / (M.shape[1] - 1)


def search_from(
    bits: np.ndarray, pool_bits: np.ndarray, up: np.ndarray, p: np.ndarray, max_sweeps: int = 20
) -> tuple[np.ndarray, list[int], float]:
    """Coordinate descent over the units: replace one unit at a time by the pool's best, until no change.

    ``bits`` (m, n_s) are the start's unit outputs as 0/1. Returns the final bits, for each unit
    its pool index (-1 if it is still the start's own unit) and the loss.
    """
    bits = bits.astype(np.int64).copy()
    m = bits.shape[0]
    weights = 2 ** np.arange(m)[::-1]
    M = np.column_stack([p, (p * up).T])
    pool_f = pool_bits.astype(np.float64)
    source = [-1] * m
    loss = float(deterministic_losses((weights @ bits)[None], up, p, 2**m)[0])
    for _ in range(max_sweeps):
        improved = False
        for j in range(m):
            others = [k for k in range(m) if k != j]
            rest = 2 ** np.arange(m - 1)[::-1] @ bits[others]
            cand = swap_losses(rest, 2 ** (m - 1), pool_f, M)
            k = int(np.argmin(cand))
            if cand[k] < loss - 1e-13:
                bits[j], source[j], loss, improved = pool_bits[k], k, float(cand[k]), True
        if not improved:
            break
    return bits, source, loss


def hard_rows(W: np.ndarray, c: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rescale each unit so that its smallest |pre-activation| is THRESHOLD_BETA / 2 (deterministic to e^-40)."""
    a = np.abs(s @ W.T + c).min(axis=0)
    k = THRESHOLD_BETA / 2 / np.where(a > 0, a, 1.0)
    return W * k[:, None], c * k


def search_encoders(
    configs, probs, m: int, starts, *, width: int, n_random: int, seed: int, max_sweeps: int = 20
) -> tuple[int, int, list[tuple[np.ndarray, np.ndarray, float]]]:
    """Local search over deterministic threshold encoders ``N -> m`` on an enumerated law, optimal decoder.

    Starts: the layers ``starts`` (pairs ``(W, c)``, each made hard by :func:`hard_rows`) and
    ``n_random`` draws of ``m`` units from the pool (:func:`threshold_units` of window ``width``,
    drawn from ``numpy.random.default_rng(seed)``). Each unit in turn is replaced by the pool
    unit that lowers the loss most, until no replacement helps (:func:`search_from`). Every
    local optimum is kept once (as a set of units, up to their signs).

    Returns the pool size, the number of starts and the optima ``(W, c, loss)``, best first.
    """
    s, p = as_spin_distribution(configs, probs)
    N = s.shape[1]
    m = as_int("m", m, minimum=1, maximum=N)
    pool, w, theta = threshold_units(N, as_int("width", width, minimum=1, maximum=N))
    pool_bits = (pool > 0).astype(np.int64)
    up = (s > 0).astype(np.float64).T
    starts = list(starts)
    rng = np.random.default_rng(as_int("seed", seed, minimum=0))
    for _ in range(as_int("n_random", n_random, minimum=0)):
        idx = rng.choice(len(pool), m, replace=False)
        starts.append((w[idx], -theta[idx]))
    found = {}
    for W0, c0 in starts:
        W0, c0 = hard_rows(np.asarray(W0, dtype=np.float64), np.asarray(c0, dtype=np.float64), s)
        bits, source, loss = search_from((sign_layer(W0, c0, s) > 0).T, pool_bits, up, p, max_sweeps)
        W = np.array([THRESHOLD_BETA * w[k] if k >= 0 else W0[j] for j, k in enumerate(source)])
        c = np.array([-THRESHOLD_BETA * theta[k] if k >= 0 else c0[j] for j, k in enumerate(source)])
        key = tuple(sorted(min(b.tobytes(), (1 - b).tobytes()) for b in bits))
        found.setdefault(key, (W, c, loss))
    return len(pool), len(starts), sorted(found.values(), key=lambda x: x[2])


def mirror_images(a, b) -> bool:
    """Whether encoder ``b`` computes ``a``'s units (up to their signs) on the mirrored chain ``s_i -> s_{N-1-i}``.

    ``a`` and ``b`` are any objects with layer weights ``W`` (m, N) and biases ``c`` (m,)."""
    N = a.W.shape[1]
    s = all_configurations(N)

    def units(W, c, inputs):
        return {min(u.tobytes(), (-u).tobytes()) for u in sign_layer(W, c, inputs).T}

    return units(a.W, a.c, s) == units(b.W, b.c, s[:, ::-1])


def _code_entropies(rest: np.ndarray, n_rest: int, pool_bits: np.ndarray, p: np.ndarray) -> np.ndarray:
    r"""Entropy :math:`H(r, b)` of the code ``rest`` joined with each pool unit's bit ``b``, for every pool unit.

    ``rest`` (n_s,) holds the other units' code of every input (values below ``n_rest``),
    ``pool_bits`` (n_pool, n_s) the candidates' outputs as 0/1 (float), ``p`` the input law.
    """
    R = np.zeros((len(rest), n_rest), dtype=pool_bits.dtype)
    R[np.arange(len(rest)), rest] = p
    p1 = pool_bits @ R  # (n_pool, n_rest): P(rest = r, b = 1)
    p0 = np.clip(R.sum(axis=0)[None] - p1, 0.0, None)
    return entr(np.clip(p1, 0.0, None)).sum(axis=1) + entr(p0).sum(axis=1)


def code_entropy(bits: np.ndarray, p: np.ndarray) -> float:
    r""":math:`H(y)` in nats of the deterministic code ``bits`` (m, n_s; 0/1) on the input law ``p``.

    For a deterministic layer this is its mutual information :math:`I(s; y) = H(y) - H(y\mid s)`."""
    bits = np.asarray(bits, dtype=np.int64)
    code = (2 ** np.arange(bits.shape[0])[::-1]) @ bits
    q = np.bincount(code, weights=np.asarray(p, dtype=np.float64), minlength=2 ** bits.shape[0])
    return float(entr(q).sum())


def infomax_ascent(
    idx, pool_bits: np.ndarray, p: np.ndarray, max_sweeps: int = 50, pool32: np.ndarray | None = None
) -> tuple[list[int], float]:
    r"""Coordinate ascent on :math:`I(s;y) = H(y)` over deterministic layers drawn from a pool of units.

    Starting from the pool units ``idx`` (one per output), each unit in turn is replaced by the pool
    unit that raises :math:`H(y)` most (all candidates scored at once, :func:`_code_entropies`, in
    float32; the move is kept only if the exact float64 entropy rises by more than 1e-12), until a
    sweep changes nothing. ``pool32`` is ``pool_bits`` as float32, if already converted.
    Returns the final units' pool indices and :math:`H(y)` in nats.
    """
    idx = [int(k) for k in idx]
    m = len(idx)
    p = np.asarray(p, dtype=np.float64)
    pool32 = pool_bits.astype(np.float32) if pool32 is None else pool32
    p32 = p.astype(np.float32)
    info = code_entropy(pool_bits[idx], p)
    for _ in range(as_int("max_sweeps", max_sweeps, minimum=1)):
        improved = False
        for j in range(m):
            others = [idx[k] for k in range(m) if k != j]
            rest = (
                (2 ** np.arange(m - 1)[::-1]) @ pool_bits[others].astype(np.int64)
                if others
                else np.zeros(pool_bits.shape[1], dtype=np.int64)
            )
            k = int(np.argmax(_code_entropies(rest, 2 ** (m - 1), pool32, p32)))
            trial = idx[:j] + [k] + idx[j + 1 :]
            new = code_entropy(pool_bits[trial], p)
            if new > info + 1e-12:
                idx, info, improved = trial, new, True
        if not improved:
            break
    return idx, info


def infomax_search(
    configs, probs, m: int, *, width: int, n_starts: int, seed: int, max_sweeps: int = 50
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[tuple[int, ...], float]], np.ndarray]:
    r"""Direct search for the infomax layer: deterministic threshold layers ``N -> m`` maximizing :math:`I(s;y)`.

    The pool is every threshold unit :math:`\operatorname{sign}(w\cdot s - \theta)`, :math:`w\in\{-1,0,1\}^N`
    on a window of at most ``width`` spins (:func:`threshold_units`, each up to its sign once, which
    changes no information). Each of ``n_starts`` starts draws ``m`` distinct pool units from
    ``numpy.random.default_rng(seed)`` and climbs by :func:`infomax_ascent`. Every local optimum is
    kept once (as a set of units).

    Returns the pool's outputs (±1), weights and thresholds, the optima ``(pool indices, I)``,
    best first, and the :math:`I` each start reached (in start order); ``I`` is in nats.
    """
    s, p = as_spin_distribution(configs, probs)
    N = s.shape[1]
    m = as_int("m", m, minimum=1, maximum=N)
    pool, w, theta = threshold_units(N, as_int("width", width, minimum=1, maximum=N))
    pool_bits = (pool > 0).astype(np.int64)
    pool32 = pool_bits.astype(np.float32)
    rng = np.random.default_rng(as_int("seed", seed, minimum=0))
    found: dict[tuple[int, ...], float] = {}
    reached = []
    for _ in range(as_int("n_starts", n_starts, minimum=1)):
        idx, info = infomax_ascent(rng.choice(len(pool), m, replace=False), pool_bits, p, max_sweeps, pool32)
        found.setdefault(tuple(sorted(idx)), info)
        reached.append(info)
    return pool, w, theta, sorted(found.items(), key=lambda x: -x[1]), np.array(reached)


def threshold_functions(n: int) -> np.ndarray:
    r"""Every non-constant threshold function of ``n <= 4`` spins as a 0/1 truth table (no sign identification).

    Enumerated as :math:`[w\cdot v + c > 0]` with integer :math:`|w_k| \le 3` and half-integer :math:`c`;
    integer weights up to 3 realize every threshold function of up to four inputs (the tests check the
    known counts: 12, 102 and 1880 non-constant functions of 2, 3 and 4 inputs).
    """
    n = as_int("n", n, minimum=1, maximum=4)
    v = all_configurations(n).astype(np.int64)
    grid = np.array(np.meshgrid(*[np.arange(-3, 4)] * n, indexing="ij")).reshape(n, -1).T
    a = grid @ v.T  # (n_w, 2^n)
    seen = set()
    for c in np.arange(-3 * n - 0.5, 3 * n + 1, 1.0):
        t = (a + c > 0).astype(np.int8)
        for row in t[(t.sum(axis=1) > 0) & (t.sum(axis=1) < t.shape[1])]:
            seen.add(row.tobytes())
    return np.array([np.frombuffer(b, dtype=np.int8) for b in sorted(seen)]).astype(np.float64)
