"""Tests of :mod:`rgbook.chapters.ising2d_critical`: block tables, tabled blocking and the training loss,
each against an independent route (the package's own block maps, explicit loops, a NumPy loss)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rgbook import ising2d
from rgbook.chapters import ising2d_critical as ch


def test_block_states_are_the_16_distinct_blocks():
    flat = ch.BLOCK_STATES.reshape(16, 4)
    assert len({tuple(r) for r in flat}) == 16
    assert set(np.unique(flat)) == {-1, 1}


def test_majority_table_by_explicit_rule():
    table = ch.block_table("majority")
    for k, v in enumerate(ch.BLOCK_STATES):
        total = int(v.sum())
        expected = np.sign(total) if total else v[0, 0]
        assert table[k] == expected


def test_decimation_and_anti_aligned_tables():
    assert np.array_equal(ch.block_table("decimation"), ch.BLOCK_STATES[:, 0, 0])
    anti = ch.block_table(ch.ANTI_ALIGNED)
    for k, v in enumerate(ch.BLOCK_STATES):
        d = int(v[0].sum() - v[1].sum())
        assert anti[k] == (np.sign(d) if d else v[0, 0])


@pytest.mark.parametrize("block_map", ["majority", "decimation", np.array([[0.3, -1.0], [0.7, 0.2]])])
def test_apply_tables_matches_the_package_block_maps(block_map):
    rng = np.random.default_rng(0)
    s = np.where(rng.random((3, 8, 8)) < 0.5, -1, 1).astype(np.int8)
    direct = {"majority": ising2d.block_majority, "decimation": ising2d.block_decimate}.get(
        block_map if isinstance(block_map, str) else "", lambda x: ising2d.block_linear_threshold(x, block_map))(s)
    got = ch.apply_tables(s, ch.block_table(block_map)[None])[0]
    assert np.array_equal(got, direct)


def test_tabled_operators_match_blocked_operators():
    rng = np.random.default_rng(1)
    s = np.where(rng.random((2, 16, 16)) < 0.5, -1, 1).astype(np.int8)
    tables = np.stack([ch.block_table("majority"), ch.block_table("decimation")])
    got = ch.tabled_operators(s, tables, 2)
    assert got.shape == (2, 2, 3, 4)
    for j, name in enumerate(("majority", "decimation")):
        assert np.array_equal(got[:, j], ising2d.blocked_operators(s, name, 2))


def test_nn_correlation_of_ordered_and_checkerboard_states():
    up = np.ones((1, 2, 1, 3, 4))
    L = 8
    ops = np.zeros((1, 2, 1, 3, 4))
    for n in range(3):
        ops[..., n, 0] = 2 * (L / 2**n) ** 2          # S_1 of the all-up lattice at level n
    mean, err = ch.nn_correlation(ops, L)
    assert np.allclose(mean, 1.0) and np.allclose(err, 0.0)
    assert up.shape == ops.shape


def test_reconstruction_loss_matches_numpy():
    rng = np.random.default_rng(2)
    p = rng.random(16)
    p /= p.sum()
    w, c, a, d = rng.normal(size=4), rng.normal(), rng.normal(size=4), rng.normal(size=4)
    V = ch.BLOCK_STATES.reshape(16, 4).astype(float)
    expected = 0.0
    for k in range(16):
        h = np.tanh(w @ V[k] + c)
        for i in range(4):
            prob = 1 / (1 + np.exp(-2 * V[k, i] * (a[i] * h + d[i])))
            expected -= p[k] * np.log(prob)
    prm = {"w": torch.tensor(w[None]), "c": torch.tensor([[c]], dtype=torch.float64), "a": torch.tensor(a[None]), "d": torch.tensor(d[None])}
    got = ch._reconstruction_loss(prm, torch.tensor(V), torch.tensor(p))
    assert got.shape == (1,)
    assert abs(float(got[0]) - expected) < 1e-12


def test_enumerated_lnZ_matches_kaufman():
    for K in (0.2, 0.6):
        assert abs(ch._enumerate_lnZ_L4(K) - ising2d.log_partition(K, 4)) < 1e-9


def test_bad_input():
    with pytest.raises(ValueError, match="tables"):
        ch.apply_tables(np.ones((2, 4, 4), np.int8), np.ones((1, 15), np.int8))
    with pytest.raises(ValueError, match="spins"):
        ch.apply_tables(np.ones((2, 5, 5), np.int8), np.ones((1, 16), np.int8))
    with pytest.raises(ValueError, match="block_map"):
        ch.block_table("median")
