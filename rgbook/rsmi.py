r"""Real-space mutual information (RSMI) of block units on the Ising chain, exactly.

A stochastic binary unit per block of ``b`` spins, :math:`P(h=+1\mid v) = \sigma(2\beta(w\cdot v + c))`
(:func:`unit_table`), is scored by :math:`I(H;E)`, the mutual information between the coarse
variable and the environment beyond a buffer (Koch-Janusz and Ringel 2018). Everything is exact:

* the joint law of a block and its environment on the open chain, on the ring, or from any
  enumerated distribution (:func:`block_environment_joint`, :func:`ring_block_environment_joint`,
  :func:`block_environment_from_distribution`);
* the optima over all Boolean and all threshold functions of the block
  (:func:`boolean_optimum`, :func:`threshold_optimum`, :func:`decimation_margin`), with
  :math:`I(H;E)` from :func:`rgbook.information.channel_information`;
* the law of the coarse chain one unit per block produces (:func:`coarse_distribution`) and
  how far it is from a nearest-neighbour chain (:func:`beyond_nn_norm`).
"""

from __future__ import annotations

import numpy as np
from scipy.special import entr, expit

from . import couplings, ising
from ._validate import as_int, as_real
from .information import channel_information as rsmi
from .thresholds import threshold_tables

__all__ = [
    "block_environment_joint",
    "ring_block_environment_joint",
    "block_environment_from_distribution",
    "unit_table",
    "boolean_optimum",
    "threshold_optimum",
    "decimation_margin",
    "pair_information",
    "depends_on",
    "describe_unit",
    "coarse_distribution",
    "beyond_nn_norm",
]


def _chain_with_bonds(bond_couplings) -> np.ndarray:
    r"""Probabilities of all configurations of an open zero-field chain with bond couplings :math:`K_i`.

    :math:`P(x) \propto \exp\sum_i K_i x_i x_{i+1}` over ``len(bond_couplings) + 1`` sites, in
    :func:`rgbook.ising.all_configurations` order.
    """
    Kb = np.asarray(bond_couplings, dtype=np.float64)
    x = ising.all_configurations(Kb.size + 1).astype(np.float64)
    logw = (x[:, :-1] * x[:, 1:]) @ Kb
    w = np.exp(logw - logw.max())
    return w / w.sum()


def block_environment_joint(K: float, b: int, buffer: int) -> np.ndarray:
    r"""Exact joint law :math:`P(v, e_L, e_R)` of a block and the two environment sites nearest it.

    In the infinite (or open) zero-field chain the bonds are independent, so the marginal of
    the sites :math:`e_L, v_1, \dots, v_b, e_R` (with :math:`L_B` buffer sites between
    :math:`e_L` and :math:`v_1` and between :math:`v_b` and :math:`e_R`) is again an open chain,
    with couplings :math:`K` inside the block and :math:`K_B = \operatorname{artanh}(\tanh^{L_B+1}K)`
    on the two outer bonds. By the Markov property the rest of the environment is
    conditionally independent of the block given :math:`(e_L, e_R)`, so
    :math:`I(H;E) = I(H; e_L, e_R)` for any coarse variable :math:`H` of the block.

    Returns
    -------
    numpy.ndarray, shape (2**b, 4)
        ``joint[v, e]`` with ``v`` indexing :func:`rgbook.ising.all_configurations` ``(b)`` and
        ``e`` indexing ``(e_L, e_R)`` the same way.
    """
    K = as_real("K", K)
    b = as_int("b", b, minimum=1, maximum=8)
    buffer = as_int("buffer", buffer, minimum=0, maximum=50)
    KB = float(np.arctanh(np.tanh(K) ** (buffer + 1))) if K != 0 else 0.0
    p = _chain_with_bonds([KB, *([K] * (b - 1)), KB]).reshape(2, 2**b, 2)  # (e_L, v, e_R)
    return p.transpose(1, 0, 2).reshape(2**b, 4)


def block_environment_from_distribution(
    configs, probs, start: int, b: int, buffer: int, window: int | None = None
) -> np.ndarray:
    r"""Joint law :math:`P(v, E)` of the block ``start .. start+b-1`` and its environment, by marginalization.

    The environment :math:`E` is every site farther than ``buffer`` from the block (at most
    ``window`` sites on each side, if given). Returns shape ``(2**b, 2**|E|)``.
    """
    s = np.asarray(configs)
    n = s.shape[1]
    start = as_int("start", start, minimum=0, maximum=n - 1)
    b = as_int("b", b, minimum=1, maximum=n - start)
    buffer = as_int("buffer", buffer, minimum=0)
    left = list(range(0, start - buffer))
    right = list(range(start + b + buffer, n))
    if window is not None:
        window = as_int("window", window, minimum=1)
        left, right = left[-window:], right[:window]
    if not left and not right:
        raise ValueError(f"no environment left: chain of {n} sites, block at {start}, b={b}, buffer={buffer}")
    keep = list(range(start, start + b)) + left + right
    _, marg = ising.marginalize(s, probs, keep)
    return marg.reshape(2**b, -1)


def unit_table(w, c: float, beta: float = 1.0) -> np.ndarray:
    r"""Truth table :math:`q_v = P(h=+1\mid v) = \sigma(2\beta(w\cdot v + c))` of a block unit.

    ``beta = inf`` is the deterministic limit: :math:`q_v = 1, 0, \tfrac12` for
    :math:`w\cdot v + c` positive, negative, zero. Rows ``v`` in
    :func:`rgbook.ising.all_configurations` order.
    """
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 1 or not np.all(np.isfinite(w)):
        raise ValueError(f"w must be a finite 1-d array, got {w!r}")
    c = as_real("c", c)
    beta = float(beta)
    if not beta > 0:
        raise ValueError(f"beta must be > 0 (inf allowed), got {beta}")
    a = ising.all_configurations(w.size) @ w + c
    if np.isinf(beta):
        return np.where(a > 1e-12, 1.0, np.where(a < -1e-12, 0.0, 0.5))
    return expit(2 * beta * a)


def boolean_optimum(joint) -> tuple[np.ndarray, float]:
    """The Boolean function of the block (any of the :math:`2^{2^b}`) with the largest :math:`I(H;E)`."""
    n = np.asarray(joint).shape[0]
    tables = ((np.arange(2**n)[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(np.float64)
    info = rsmi(tables, joint)
    k = int(np.argmax(np.round(info, 12)))
    return tables[k], float(info[k])


def threshold_optimum(joint, b: int) -> tuple[np.ndarray, float]:
    r"""The threshold function (deterministic limit of the unit) with the largest :math:`I(H;E)`.

    Since :math:`I(H;E)` is convex in the channel :math:`P(h\mid v)` and the unit's family is
    closed under :math:`\beta\to\infty`, this is the supremum over all ``(w, c)``.
    Ties (``v_1`` against ``v_b`` by reflection) resolve to the first table.
    """
    tables = threshold_tables(b)
    info = rsmi(tables, joint)
    k = int(np.argmax(np.round(info, 12)))
    best = tables[k] if tables[k][-1] > 0.5 else 1.0 - tables[k]  # orient: h = +1 on the all-up block
    return best, float(info[k])


def decimation_margin(joint, b: int) -> float:
    r""":math:`I(v_1;E)` minus the largest :math:`I(H;E)` of the Boolean functions of the block that are
    neither a decimation (:math:`\pm v_k`) nor constant: how far decimation is ahead of the
    runner-up (negative if some other function beats it)."""
    joint = np.asarray(joint, dtype=np.float64)
    b = as_int("b", b, minimum=1, maximum=3)
    if joint.shape[0] != 2**b:
        raise ValueError(f"joint must have 2**b = {2**b} rows for b = {b}, got shape {joint.shape}")
    n = 2**b
    tables = ((np.arange(2**n)[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(np.float64)
    v = ising.all_configurations(b) > 0
    decimations = {tuple(v[:, k] * 1.0) for k in range(b)} | {tuple(1.0 - v[:, k]) for k in range(b)}
    other = [t for t in tables if 0 < t.sum() < n and tuple(t) not in decimations]
    return float(rsmi(v[:, 0] * 1.0, joint) - rsmi(np.array(other), joint).max())


def describe_unit(q) -> str:
    """Name a truth table: decimation of site k, block sign (majority), or its threshold form."""
    q = np.asarray(q, dtype=np.float64)
    b = int(round(np.log2(q.size)))
    v = ising.all_configurations(b)
    for k in range(b):
        for sign, name in ((1, ""), (-1, "-")):
            if np.allclose(q, (sign * v[:, k] > 0)):
                return f"decimation h = {name}v_{k + 1}"
    total = v.sum(axis=1)
    if np.allclose(q, np.where(total > 0, 1.0, np.where(total < 0, 0.0, 0.5))):
        return "block sign (majority, ties at random)"
    if np.allclose(q, total > 0):
        return "majority"
    plus = [("".join("+" if x > 0 else "-" for x in row)) for row, t in zip(v, q) if t > 0.5]
    return "h = +1 iff v in {" + ", ".join(plus) + "}"


def ring_block_environment_joint(N: int, K: float, b: int, buffer: int) -> np.ndarray:
    r"""Exact joint law :math:`P(v, e_L, e_R)` of a block and its two nearest environment sites on a ring of ``N``.

    On the periodic zero-field ring, :math:`e_L` and :math:`e_R` cut the ring into the block's
    arc and the rest, so (Markov property) :math:`I(H;E) = I(H; e_L, e_R)` as on the open
    chain; but :math:`e_L, e_R` are now also joined through the far side of the ring, a path
    of :math:`N - b - 2L_B - 1` bonds. Summing out the buffer sites and that path leaves a ring
    :math:`e_L, v_1, \dots, v_b, e_R` with couplings :math:`K_B =
    \operatorname{artanh}(\tanh^{L_B+1}K)` on the outer bonds and
    :math:`K_F = \operatorname{artanh}(\tanh^{N-b-2L_B-1}K)` between :math:`e_R` and :math:`e_L`.
    Returns shape ``(2**b, 4)`` in the layout of :func:`block_environment_joint`.
    """
    K = as_real("K", K)
    b = as_int("b", b, minimum=1, maximum=8)
    buffer = as_int("buffer", buffer, minimum=0, maximum=50)
    N = as_int("N", N, minimum=b + 2 * buffer + 2)
    t = np.tanh(K)
    KB, KF = (float(np.arctanh(t**n)) if K != 0 else 0.0 for n in (buffer + 1, N - b - 2 * buffer - 1))
    x = ising.all_configurations(b + 2).astype(np.float64)  # (e_L, v_1..v_b, e_R)
    bonds = np.array([KB, *([K] * (b - 1)), KB])
    logw = (x[:, :-1] * x[:, 1:]) @ bonds + KF * x[:, -1] * x[:, 0]
    w = np.exp(logw - logw.max())
    p = (w / w.sum()).reshape(2, 2**b, 2)
    return p.transpose(1, 0, 2).reshape(2**b, 4)


def coarse_distribution(configs, probs, q, b: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact law of :math:`y_j = h(v_j)` for the same unit on every block of ``b`` consecutive sites.

    :math:`P'(y) = \sum_s P(s)\prod_j P(y_j\mid v_j)`: ``probs`` is reshaped to one axis per
    block (block states in :func:`rgbook.ising.all_configurations` order) and each axis is
    contracted with the unit's :math:`(2^b \times 2)` kernel, so no :math:`2^N\times 2^m` kernel is formed.
    """
    s = np.asarray(configs)
    n = s.shape[1]
    b = as_int("b", b, minimum=1, maximum=n)
    if n % b:
        raise ValueError(f"chain length {n} must be a multiple of b={b}")
    q = np.asarray(q, dtype=np.float64)
    if q.shape != (2**b,):
        raise ValueError(f"q must be a truth table of shape ({2**b},), got {q.shape}")
    m = n // b
    T = np.stack([1 - q, q], axis=1)  # (2^b, 2): column 0 is y = -1
    t = np.asarray(probs, dtype=np.float64).reshape((2**b,) * m)
    for _ in range(m):
        t = np.tensordot(t, T, axes=([0], [0]))  # contracts the leading block axis, appends y axis at the end
    return ising.all_configurations(m), t.reshape(-1)


def beyond_nn_norm(configs, probs) -> tuple[np.ndarray, float]:
    r"""All-pairs couplings :math:`J` (:func:`rgbook.couplings.fit_all_pairs`) and the Frobenius norm of
    :math:`J_{jk}` over :math:`|j-k|\ge2` (upper triangle)."""
    J, _ = couplings.fit_all_pairs(configs, probs)
    n = J.shape[0]
    iu = np.triu_indices(n, 2)
    return J, float(np.sqrt(np.sum(J[iu] ** 2)))


def pair_information(tables, joint) -> np.ndarray:
    r"""Exact :math:`I(H_i, H_j; E)` in nats of every layer of two deterministic units with truth tables ``tables``.

    ``tables`` (n, n_v) are 0/1 truth tables on the rows of ``joint`` (n_v, n_e), the law :math:`P(v, e)`.
    With :math:`a_i(e) = P(h_i = 1, e)` and :math:`b_{ij}(e) = P(h_i = h_j = 1, e)`, the four cells of
    :math:`(h_i, h_j)` are :math:`b`, :math:`a_i - b`, :math:`a_j - b` and :math:`P(e) - a_i - a_j + b`.
    Returns the symmetric (n, n) matrix (its diagonal is :math:`I(H_i; E)`).
    """
    T = np.asarray(tables, dtype=np.float64)
    P = np.asarray(joint, dtype=np.float64)
    if T.ndim != 2 or T.shape[1] != P.shape[0]:
        raise ValueError(f"tables must have shape (n, {P.shape[0]}) for joint of shape {P.shape}, got {T.shape}")
    pe = P.sum(axis=0)

    def xlogx(x):
        return -entr(np.clip(x, 0.0, None))

    h_joint = np.zeros((len(T), len(T)))
    cell = {k: np.zeros((len(T), len(T))) for k in ("11", "10", "01", "00")}
    for e in range(P.shape[1]):
        a = T @ P[:, e]
        b = (T * P[:, e]) @ T.T
        c = {"11": b, "10": a[:, None] - b, "01": a[None, :] - b, "00": pe[e] - a[:, None] - a[None, :] + b}
        for k, x in c.items():
            h_joint -= xlogx(x)
            cell[k] += x
    h_h = -sum(xlogx(x) for x in cell.values())
    h_e = -float(np.sum(xlogx(pe)))
    return h_h + h_e - h_joint


def depends_on(table, sites) -> bool:
    """Whether the truth table (rows in :func:`rgbook.ising.all_configurations` order) depends on no site outside
    ``sites`` (its value never changes when only the other sites flip)."""
    t = np.asarray(table)
    n = int(round(np.log2(t.size)))
    t = t.reshape((2,) * n)
    for k in range(n):
        if k not in sites and not np.array_equal(np.take(t, 0, axis=k), np.take(t, 1, axis=k)):
            return False
    return True
