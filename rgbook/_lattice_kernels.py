r"""Compiled inner loops of the square-lattice Ising code (:mod:`rgbook.ising2d`), via Numba.

Three loops dominate every 2D chapter: the cluster labelling of a Swendsen–Wang sweep, the 2x2 block maps and
the local operators of MCRG. All are exact integer computations (or comparisons of the same floats), so the
compiled versions return exactly what the array versions return (``tests/test_ising2d.py`` compares them with
the NumPy and SciPy routes on random input):

* :func:`cluster_labels` labels the connected components of the active-bond graph by union–find and numbers
  them in the order of each component's smallest site index, the order of
  :func:`scipy.sparse.csgraph.connected_components`, so the random flips drawn per cluster fall on the same
  clusters;
* :func:`block_indices` numbers the state of every 2x2 block (:func:`rgbook.ising2d.block_state_index`), and
  :func:`block_lookup` maps every block through truth tables by that number;
* :func:`operator_sums` sums the eleven local operators of :func:`rgbook.ising2d.lattice_operators` over the
  torus, one pass per configuration;
* :func:`all_unit_spins` says whether every entry of an int8 array is +1 or -1 (the validation of every call).

Validation lives in the public functions of :mod:`rgbook.ising2d`; these take well-formed int8/bool arrays.
Compiled code is cached beside this file (``cache=True``), so a process compiles each loop once per machine.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "all_unit_spins",
    "block_indices",
    "block_lookup",
    "cluster_labels",
    "operator_sums",
    "N_OPERATOR_SUMS",
]

#: Columns of :func:`operator_sums`: the 7 even operators, then the 4 odd ones.
N_OPERATOR_SUMS = 11


@njit(cache=True)
def _find(parent: np.ndarray, i: int) -> int:
    while parent[i] != i:  # path halving
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@njit(cache=True)
def _union(parent: np.ndarray, i: int, j: int) -> None:
    a = _find(parent, i)
    b = _find(parent, j)
    if a < b:
        parent[b] = a
    elif b < a:
        parent[a] = b


@njit(cache=True)
def _numbered(parent: np.ndarray) -> tuple[int, np.ndarray]:
    """Number the components of a union–find forest in the order of their smallest site: (count, labels)."""
    # roots are the smallest site of their component (unions keep the smaller root), so numbering roots in
    # site order numbers components by their smallest site
    n = parent.size
    labels = np.empty(n, dtype=np.int64)
    count = 0
    for i in range(n):
        r = _find(parent, i)
        if r == i:
            labels[i] = count
            count += 1
        else:
            labels[i] = labels[r]
    return count, labels


@njit(cache=True)
def cluster_labels(act_r: np.ndarray, act_d: np.ndarray) -> tuple[int, np.ndarray]:
    """Components of the bond graph of B tori: ``act_r``/``act_d`` (B, L, L) bool say whether the bond from
    site (y, x) to (y, x+1) / (y+1, x) (periodic) is active. Returns the number of components and the label of
    every site (B*L*L,), components numbered in the order of their smallest site index."""
    B, L, _ = act_r.shape
    parent = np.arange(B * L * L).astype(np.int32)
    for b in range(B):
        for y in range(L):
            yd = y + 1 if y + 1 < L else 0
            for x in range(L):
                i = (b * L + y) * L + x
                if act_r[b, y, x]:
                    xr = x + 1 if x + 1 < L else 0
                    _union(parent, i, (b * L + y) * L + xr)
                if act_d[b, y, x]:
                    _union(parent, i, (b * L + yd) * L + x)
    return _numbered(parent)


@njit(cache=True)
def block_indices(s: np.ndarray) -> np.ndarray:
    """State index (0..15) of every 2x2 block of ``s`` (B, L, L), int64 (B, L/2, L/2): the block at (2y, 2x) has
    bit 0: s[2y, 2x] > 0, bit 1: s[2y, 2x+1] > 0, bit 2: s[2y+1, 2x] > 0, bit 3: s[2y+1, 2x+1] > 0."""
    B, L, _ = s.shape
    h = L // 2
    idx = np.empty((B, h, h), dtype=np.int64)
    for b in range(B):
        for y in range(h):
            for x in range(h):
                idx[b, y, x] = (
                    (1 if s[b, 2 * y, 2 * x] > 0 else 0)
                    | (2 if s[b, 2 * y, 2 * x + 1] > 0 else 0)
                    | (4 if s[b, 2 * y + 1, 2 * x] > 0 else 0)
                    | (8 if s[b, 2 * y + 1, 2 * x + 1] > 0 else 0)
                )
    return idx


@njit(cache=True)
def block_lookup(s: np.ndarray, tables: np.ndarray) -> np.ndarray:
    """Every 2x2 block of ``s`` (G, B, L, L) through ``tables`` (M, 16) int8: (M, B, L/2, L/2) int8, the block's
    :func:`block_indices` read through each table; map m reads ``s[m]``, or ``s[0]`` for every map when G = 1."""
    G, B, L, _ = s.shape
    M = tables.shape[0]
    h = L // 2
    out = np.empty((M, B, h, h), dtype=np.int8)
    for g in range(G):
        idx = block_indices(s[g])
        for m in range(g, g + 1) if G > 1 else range(M):  # map g reads s[g]; with G = 1 every map reads s[0]
            for b in range(B):
                for y in range(h):
                    for x in range(h):
                        out[m, b, y, x] = tables[m, idx[b, y, x]]
    return out


@njit(cache=True)
def all_unit_spins(flat: np.ndarray) -> bool:
    """Whether every entry of the 1-D int8 array ``flat`` is +1 or -1."""
    for v in flat:
        if v != 1 and v != -1:
            return False
    return True


@njit(cache=True)
def operator_sums(s: np.ndarray) -> np.ndarray:
    """The eleven operator sums of :func:`rgbook.ising2d.lattice_operators` for ``s`` (N, L, L) int8 spins:
    (N, 11) int64, even operators 0..6 then odd operators 0..3, in the order of its definitions."""
    N, L, _ = s.shape
    out = np.zeros((N, N_OPERATOR_SUMS), dtype=np.int64)
    sh = np.empty((5, L), dtype=np.int64)  # periodic neighbours at offsets +1, +2, +3, -1, -2
    for i in range(L):
        sh[0, i], sh[1, i], sh[2, i] = (i + 1) % L, (i + 2) % L, (i + 3) % L
        sh[3, i], sh[4, i] = (i - 1) % L, (i - 2) % L
    for c in range(N):
        a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = a8 = a9 = a10 = 0
        for y in range(L):
            y1, y2, y3, ym = sh[0, y], sh[1, y], sh[2, y], sh[3, y]
            for x in range(L):
                x1, x2, x3, xm, xm2 = sh[0, x], sh[1, x], sh[2, x], sh[3, x], sh[4, x]
                s0 = np.int64(s[c, y, x])
                r = np.int64(s[c, y, x1])
                d = np.int64(s[c, y1, x])
                dr = np.int64(s[c, y1, x1])
                dl = np.int64(s[c, y1, xm])  # at(1, -1)
                r2 = np.int64(s[c, y, x2])  # at(0, 2)
                d2 = np.int64(s[c, y2, x])  # at(2, 0)
                d2r2 = np.int64(s[c, y2, x2])  # at(2, 2)
                d2l2 = np.int64(s[c, y2, xm2])  # at(2, -2)
                plaq = s0 * r * d * dr
                a0 += s0 * (r + d)
                a1 += s0 * (dr + dl)
                a2 += s0 * (r2 + d2)
                a3 += plaq
                a4 += s0 * (
                    np.int64(s[c, y1, x2]) + np.int64(s[c, ym, x2]) + np.int64(s[c, y2, x1]) + np.int64(s[c, y2, xm])
                )
                a5 += s0 * (d2r2 + d2l2)
                a6 += s0 * (np.int64(s[c, y, x3]) + np.int64(s[c, y3, x]))
                a7 += s0
                a8 += plaq * (s0 + r + d + dr)
                a9 += s0 * (r * r2 + d * d2)
                a10 += s0 * (dr * d2r2 + dl * d2l2)
        out[c, 0], out[c, 1], out[c, 2], out[c, 3], out[c, 4], out[c, 5] = a0, a1, a2, a3, a4, a5
        out[c, 6], out[c, 7], out[c, 8], out[c, 9], out[c, 10] = a6, a7, a8, a9, a10
    return out
