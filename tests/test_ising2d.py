"""Tests of :mod:`rgbook.ising2d`: exact torus results against independent enumerations, the
Swendsen–Wang sampler against the exact values, the autocorrelation estimator against an AR(1)
process, block maps and the linearised MCRG exponent."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest

from rgbook import ising2d as I2


# ---------------------------------------------------------------- independent ground truths

@functools.cache
def bond_count_histogram_enumeration(L: int) -> np.ndarray:
    """g[n] = number of configurations of the L x L torus with n unsatisfied bonds, by brute force."""
    N = L * L
    idx = np.arange(2**N, dtype=np.int64)
    s = (1 - 2 * ((idx[:, None] >> np.arange(N)) & 1)).reshape(-1, L, L).astype(np.int8)
    unsat = ((s != np.roll(s, 1, axis=1)).sum(axis=(1, 2)) + (s != np.roll(s, 1, axis=2)).sum(axis=(1, 2)))
    return np.bincount(unsat, minlength=2 * N + 1)


@functools.cache
def bond_count_histogram_transfer(L: int) -> np.ndarray:
    """The same histogram by a row-to-row transfer matrix with polynomial (integer) entries."""
    rows = np.array(list(itertools.product([1, -1], repeat=L)), dtype=np.int64)
    horiz = (rows != np.roll(rows, 1, axis=1)).sum(1)            # unsatisfied bonds within a row
    vert = (rows[:, None, :] != rows[None, :, :]).sum(-1)       # between consecutive rows
    deg = horiz[None, :] + vert                                 # monomial degree of T[s, s']
    D = 2 * L * L + 1
    M = np.zeros((len(rows), len(rows), D), dtype=np.int64)
    M[:, :, 0] = np.eye(len(rows), dtype=np.int64)
    for _ in range(L):
        new = np.zeros_like(M)
        for d in np.unique(deg):
            P = (deg == d).astype(np.int64)
            new[:, :, d:] += np.einsum("ije,jk->ike", M[:, :, : D - d], P)
        M = new
    return np.einsum("iie->e", M)


def exact_from_histogram(g: np.ndarray, K: float, L: int) -> tuple[float, float, float]:
    """ln Z, u and c from the histogram of unsatisfied bonds: E = 2n - 2N."""
    N = L * L
    E = 2.0 * np.arange(len(g)) - 2 * N
    mask = g > 0
    w = np.log(g[mask].astype(float)) - K * E[mask]
    top = w.max()
    p = np.exp(w - top)
    Z = p.sum()
    p /= Z
    mean = (p * E[mask]).sum()
    var = (p * (E[mask] - mean) ** 2).sum()
    return top + np.log(Z), mean / N, K**2 * var / N


@pytest.mark.parametrize("L", [2, 3, 4])
def test_transfer_histogram_matches_enumeration(L):
    assert np.array_equal(bond_count_histogram_enumeration(L), bond_count_histogram_transfer(L))


@pytest.mark.parametrize("L", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("K", [0.05, 0.3, I2.K_C, 0.5, 1.2])
def test_kaufman_matches_transfer_matrix(L, K):
    g = bond_count_histogram_enumeration(L) if L <= 4 else bond_count_histogram_transfer(L)
    lnZ, u, c = exact_from_histogram(g, K, L)
    assert I2.log_partition(K, L) == pytest.approx(lnZ, rel=1e-12, abs=1e-12)
    assert I2.energy_per_site(K, L) == pytest.approx(u, rel=1e-8, abs=1e-9)
    assert I2.specific_heat(K, L) == pytest.approx(c, rel=1e-6, abs=1e-8)


def test_exact_limits_and_vectorisation():
    K = np.array([1e-3, I2.K_C, 10.0])
    lnZ = I2.log_partition(K, 64)
    assert lnZ.shape == (3,)
    N = 64 * 64
    assert lnZ[0] == pytest.approx(N * np.log(2) + 2 * N * np.log(np.cosh(1e-3)), rel=1e-9)  # high T
    assert lnZ[2] == pytest.approx(np.log(2) + 2 * N * 10.0, rel=1e-12)                        # ground states
    u = I2.energy_per_site(K, 64)
    assert u[2] == pytest.approx(-2.0, abs=1e-9)  # rounding of ln Z ~ 8e4 over the step
    # Large L at K_c: u -> -sqrt 2, c ~ (8 K_c^2 / pi) ln L + const (Ferdinand & Fisher)
    assert I2.energy_per_site(I2.K_C, 512) == pytest.approx(-np.sqrt(2), abs=2e-3)
    c256, c512 = I2.specific_heat(I2.K_C, 256), I2.specific_heat(I2.K_C, 512)
    assert c512 - c256 == pytest.approx(8 * I2.K_C**2 / np.pi * np.log(2), rel=1e-2)


@pytest.mark.parametrize("bad", [0.0, -0.1, 51.0, np.nan])
def test_exact_bad_coupling(bad):
    with pytest.raises(ValueError, match="K"):
        I2.log_partition(bad, 4)


def test_exact_bad_size():
    with pytest.raises(ValueError, match="L"):
        I2.energy_per_site(0.4, 1)
    with pytest.raises(TypeError, match="L"):
        I2.specific_heat(0.4, 4.0)
