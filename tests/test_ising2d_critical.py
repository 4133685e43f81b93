"""Tests of the 2D block maps (:mod:`rgbook.ising2d`, :mod:`rgbook.ising2d_learning`) and of
:mod:`rgbook.chapters.ising2d_critical`: block tables, tabled blocking and the training loss,
each against an independent route (the package's own block maps, explicit loops, a NumPy loss)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rgbook import ising2d, ising2d_learning
from rgbook.chapters import ising2d_critical as ch


def test_block_states_are_the_16_distinct_blocks():
    flat = ising2d.BLOCK_STATES.reshape(16, 4)
    assert len({tuple(r) for r in flat}) == 16
    assert set(np.unique(flat)) == {-1, 1}


def test_majority_table_by_explicit_rule():
    table = ising2d.block_table("majority")
    for k, v in enumerate(ising2d.BLOCK_STATES):
        total = int(v.sum())
        expected = np.sign(total) if total else v[0, 0]
        assert table[k] == expected


def test_decimation_and_anti_aligned_tables():
    assert np.array_equal(ising2d.block_table("decimation"), ising2d.BLOCK_STATES[:, 0, 0])
    anti = ising2d.block_table(ch.ANTI_ALIGNED)
    for k, v in enumerate(ising2d.BLOCK_STATES):
        d = int(v[0].sum() - v[1].sum())
        assert anti[k] == (np.sign(d) if d else v[0, 0])


@pytest.mark.parametrize("block_map", ["majority", "decimation", np.array([[0.3, -1.0], [0.7, 0.2]])])
def test_apply_tables_matches_the_package_block_maps(block_map):
    rng = np.random.default_rng(0)
    s = np.where(rng.random((3, 8, 8)) < 0.5, -1, 1).astype(np.int8)
    direct = {"majority": ising2d.block_majority, "decimation": ising2d.block_decimate}.get(
        block_map if isinstance(block_map, str) else "", lambda x: ising2d.block_linear_threshold(x, block_map)
    )(s)
    got = ising2d.apply_tables(s, ising2d.block_table(block_map)[None])[0]
    assert np.array_equal(got, direct)


def test_tabled_operators_match_blocked_operators():
    rng = np.random.default_rng(1)
    s = np.where(rng.random((2, 16, 16)) < 0.5, -1, 1).astype(np.int8)
    tables = np.stack([ising2d.block_table("majority"), ising2d.block_table("decimation")])
    got = ch.tabled_operators(s, tables, 2)
    assert got.shape == (2, 2, 3, 7)
    for j, name in enumerate(("majority", "decimation")):
        assert np.array_equal(got[:, j, :, :4], ising2d.blocked_operators(s, name, 2))
        once = {"majority": ising2d.block_majority, "decimation": ising2d.block_decimate}[name](s)
        assert np.array_equal(got[:, j, 1], ising2d.even_operators(once, extended=True))


def test_nn_correlation_of_ordered_and_checkerboard_states():
    up = np.ones((1, 2, 1, 3, 4))
    L = 8
    ops = np.zeros((1, 2, 1, 3, 4))
    for n in range(3):
        ops[..., n, 0] = 2 * (L / 2**n) ** 2  # S_1 of the all-up lattice at level n
    mean, err = ch.nn_correlation(ops, L)
    assert np.allclose(mean, 1.0) and np.allclose(err, 0.0)
    assert up.shape == ops.shape


def test_reconstruction_loss_matches_numpy():
    rng = np.random.default_rng(2)
    p = rng.random(16)
    p /= p.sum()
    w, c, a, d = rng.normal(size=4), rng.normal(), rng.normal(size=4), rng.normal(size=4)
    V = ising2d.BLOCK_STATES.reshape(16, 4).astype(float)
    expected = 0.0
    for k in range(16):
        h = np.tanh(w @ V[k] + c)
        for i in range(4):
            prob = 1 / (1 + np.exp(-2 * V[k, i] * (a[i] * h + d[i])))
            expected -= p[k] * np.log(prob)
    prm = {
        "w": torch.tensor(w[None]),
        "c": torch.tensor([[c]], dtype=torch.float64),
        "a": torch.tensor(a[None]),
        "d": torch.tensor(d[None]),
    }
    got = ising2d_learning.reconstruction_loss(prm, torch.tensor(V), torch.tensor(p))
    assert got.shape == (1,)
    assert abs(float(got[0]) - expected) < 1e-12


def test_enumerated_lnZ_matches_kaufman():
    for K in (0.2, 0.6):
        assert abs(ch._enumerate_lnZ_L4(K) - ising2d.log_partition(K, 4)) < 1e-9


def test_bad_input():
    with pytest.raises(ValueError, match="tables"):
        ising2d.apply_tables(np.ones((2, 4, 4), np.int8), np.ones((1, 15), np.int8))
    with pytest.raises(ValueError, match="spins"):
        ising2d.apply_tables(np.ones((2, 5, 5), np.int8), np.ones((1, 16), np.int8))
    with pytest.raises(ValueError, match="block_map"):
        ising2d.block_table("median")


# --- mutual-information unit and window networks --------------------------------------------


def _random_spins(shape, seed=0):
    return np.where(np.random.default_rng(seed).random(shape) < 0.5, -1, 1).astype(np.int8)


def test_block_environments_by_explicit_loops():
    s = _random_spins((2, 8, 8))
    V, E = ising2d_learning.block_environments(s, env=6, core=4)
    assert V.shape == (2 * 16, 4) and E.shape == (2 * 16, 36 - 16)
    k = 0
    for b in range(2):
        for i in range(0, 8, 2):
            for j in range(0, 8, 2):
                assert list(V[k]) == [s[b, i, j], s[b, i, j + 1], s[b, i + 1, j], s[b, i + 1, j + 1]]
                ring = [
                    s[b, (i + dy) % 8, (j + dx) % 8]
                    for dy in range(-2, 4)
                    for dx in range(-2, 4)
                    if not (-1 <= dy <= 2 and -1 <= dx <= 2)
                ]
                assert list(E[k]) == ring
                k += 1


def test_mi_cross_entropy_against_an_explicit_sum_over_h():
    rng = np.random.default_rng(1)
    V = rng.choice([-1.0, 1.0], (50, 4))
    E = rng.choice([-1.0, 1.0], (50, 6))
    w, u, b = rng.normal(size=(2, 4)), rng.normal(size=(2, 6)), rng.normal(size=(2, 1))
    prm = {"w": torch.tensor(w), "u": torch.tensor(u), "b": torch.tensor(b)}
    got = ising2d_learning.mi_cross_entropy(prm, torch.tensor(V), torch.tensor(E)).numpy()
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    for r in range(2):
        total = 0.0
        for sign in (1, -1):  # the sample and its global flip
            for v, e in zip(sign * V, sign * E):
                for h in (1, -1):
                    p = (1 + h * np.tanh(w[r] @ v)) / 2
                    total -= p * np.log(sig(2 * h * (u[r] @ e + b[r, 0])))
        assert got[r] == pytest.approx(total / (2 * len(V)), rel=1e-12)


def test_mi_bound_is_zero_for_a_blind_unit_or_critic():
    V = torch.tensor(np.random.default_rng(2).choice([-1.0, 1.0], (40, 4)))
    E = torch.tensor(np.random.default_rng(3).choice([-1.0, 1.0], (40, 8)))
    prm = {
        "w": torch.zeros(1, 4, dtype=torch.float64),
        "u": torch.randn(1, 8, dtype=torch.float64),
        "b": torch.zeros(1, 1, dtype=torch.float64),
    }
    # h independent of v: <-ln q> >= H(h) = ln 2 for any critic, with equality at u = 0
    assert float(ising2d_learning.mi_cross_entropy(prm, V, E)[0]) >= np.log(2) - 1e-12
    prm["u"] = torch.zeros(1, 8, dtype=torch.float64)
    prm["w"] = torch.randn(1, 4, dtype=torch.float64)
    assert float(ising2d_learning.mi_cross_entropy(prm, V, E)[0]) == pytest.approx(np.log(2), rel=1e-14)


def test_lattice_windows_by_explicit_loops():
    s = _random_spins((2, 8, 8), seed=4)
    X = ising2d_learning.lattice_windows(s, window=4, stride=4)
    assert X.shape == (2 * 4, 16)
    k = 0
    for b in range(2):
        for i in (0, 4):
            for j in (0, 4):
                assert np.array_equal(X[k], s[b, i : i + 4, j : j + 4].ravel())
                k += 1
    Xw = ising2d_learning.lattice_windows(s, window=4, stride=2)  # windows wrapping around the torus
    assert np.array_equal(Xw[3], np.roll(s[0], (0, -6), axis=(0, 1))[:4, :4].ravel())


def _local_networks(rng, window, filt):
    """Networks whose unit u has the block filter ``filt`` on a random block (permutation) and zero elsewhere."""
    nb = window // 2
    K = nb * nb
    perm = rng.permutation(K)
    W = np.zeros((K, window, window))
    for u, B in enumerate(perm):
        by, bx = divmod(int(B), nb)
        W[u, 2 * by : 2 * by + 2, 2 * bx : 2 * bx + 2] = filt
    return W.reshape(1, K, window * window), perm


def test_receptive_fields_recover_a_local_assignment():
    rng = np.random.default_rng(5)
    W, perm = _local_networks(rng, 8, np.array([[1.0, 0.5], [0.8, 1.2]]))
    W = W * rng.choice([-1, 1], (1, 16, 1)) + 1e-3 * rng.normal(size=W.shape)
    f = ising2d_learning.receptive_fields(W, 8)
    assert np.array_equal(f.block[0], perm)
    assert np.all(f.locality > 0.99)
    assert np.array_equal(f.sign[0], np.sign(W[0].sum(axis=1)).astype(int))


def test_window_blocking_of_local_units_equals_the_table_map():
    rng = np.random.default_rng(6)
    filt = np.array([[1.0, 1.1], [0.9, 1.05]])  # no ties on any block state
    W, perm = _local_networks(rng, 8, filt)
    s = _random_spins((3, 16, 16), seed=7)
    got = ising2d.window_blocking(s, W, perm[None], 8)
    expected = ising2d.apply_tables(s, ising2d.block_table(filt)[None])
    assert np.array_equal(got, expected)
    ops = ch.windowed_operators(s, W, perm[None], 8, 1)
    assert np.array_equal(ops, ch.tabled_operators(s, ising2d.block_table(filt)[None], 1))


def test_window_maps_bad_input():
    with pytest.raises(ValueError, match="stride"):
        ising2d_learning.lattice_windows(_random_spins((1, 8, 8)), window=4, stride=3)
    with pytest.raises(ValueError, match="window"):
        ising2d_learning.receptive_fields(np.zeros((1, 16, 60)), 8)
    with pytest.raises(ValueError, match="multiple of 8"):
        ising2d.window_blocking(_random_spins((1, 12, 12)), np.zeros((1, 16, 64)), np.arange(16)[None], 8)
    with pytest.raises(ValueError, match="permutation"):
        ising2d.window_blocking(_random_spins((1, 8, 8)), np.zeros((1, 16, 64)), np.zeros((1, 16), dtype=int), 8)
    with pytest.raises(ValueError, match="env"):
        ising2d_learning.block_environments(_random_spins((1, 8, 8)), env=5, core=4)


def test_block_readout_recovers_block_sums_inside_the_span():
    B = ising2d_learning.block_sum_functionals(8)
    assert B.shape == (16, 64) and np.array_equal(B.sum(axis=1), np.full(16, 4.0))
    assert np.array_equal(B.sum(axis=0), np.ones(64))  # the blocks tile the window
    rng = np.random.default_rng(8)
    mixed = rng.normal(size=(16, 16)) @ B  # any basis of span(B)
    assert np.allclose(ising2d_learning.block_readout(mixed[None], 8)[0], B, atol=1e-10)
    assert ising2d_learning.block_sum_overlap(mixed[None], 8)[0] == pytest.approx(1.0, abs=1e-12)
    # a span orthogonal to every block sum (differences inside blocks) holds none of them
    inside = np.zeros((16, 8, 8))
    for b in range(16):
        by, bx = divmod(b, 4)
        inside[b, 2 * by, 2 * bx], inside[b, 2 * by + 1, 2 * bx + 1] = 1.0, -1.0
    assert ising2d_learning.block_sum_overlap(inside.reshape(1, 16, 64), 8)[0] == pytest.approx(0.0, abs=1e-12)


def test_subspace_overlap_of_equal_orthogonal_and_random_spans():
    rng = np.random.default_rng(9)
    Q = np.linalg.qr(rng.normal(size=(12, 12)))[0].T  # orthonormal rows
    V = Q[:4]
    assert ising2d_learning.subspace_overlap((rng.normal(size=(4, 4)) @ V)[None], V)[0] == pytest.approx(1.0, abs=1e-12)
    assert ising2d_learning.subspace_overlap(Q[4:8][None], V)[0] == pytest.approx(0.0, abs=1e-12)
    half = np.concatenate([Q[:2], Q[4:6]])[None]  # shares 2 of the 4 directions
    assert ising2d_learning.subspace_overlap(half, V)[0] == pytest.approx(0.5, abs=1e-12)
