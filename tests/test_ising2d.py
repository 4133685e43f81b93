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
    unsat = (s != np.roll(s, 1, axis=1)).sum(axis=(1, 2)) + (s != np.roll(s, 1, axis=2)).sum(axis=(1, 2))
    return np.bincount(unsat, minlength=2 * N + 1)


@functools.cache
def bond_count_histogram_transfer(L: int) -> np.ndarray:
    """The same histogram by a row-to-row transfer matrix with polynomial (integer) entries."""
    rows = np.array(list(itertools.product([1, -1], repeat=L)), dtype=np.int64)
    horiz = (rows != np.roll(rows, 1, axis=1)).sum(1)  # unsatisfied bonds within a row
    vert = (rows[:, None, :] != rows[None, :, :]).sum(-1)  # between consecutive rows
    deg = horiz[None, :] + vert  # monomial degree of T[s, s']
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
    assert lnZ[2] == pytest.approx(np.log(2) + 2 * N * 10.0, rel=1e-12)  # ground states
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


# ---------------------------------------------------------------- autocorrelation


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.8])
def test_tau_int_of_ar1(phi):
    """AR(1): tau_int = (1 + phi) / (2 (1 - phi)); statistical error ~ tau sqrt(2(2W+1)/T) ~ 3 %."""
    rng = np.random.default_rng(1)
    T, B = 20000, 8
    x = np.empty((T, B))
    x[0] = rng.normal(size=B) / np.sqrt(1 - phi**2)
    eps = rng.normal(size=(T, B))
    for t in range(1, T):
        x[t] = phi * x[t - 1] + eps[t]
    assert I2.tau_int(x) == pytest.approx((1 + phi) / (2 * (1 - phi)), rel=0.1)
    assert I2.tau_int(x[:, 0]) == pytest.approx((1 + phi) / (2 * (1 - phi)), rel=0.25)


def test_tau_int_bad_input():
    assert I2.tau_int(np.ones(10)) == 0.5
    with pytest.raises(ValueError, match="series"):
        I2.tau_int([1.0, 2.0])
    with pytest.raises(ValueError, match="c"):
        I2.tau_int(np.arange(10.0), c=0)


# ---------------------------------------------------------------- Swendsen–Wang


def test_sw_shapes_determinism_and_energy():
    a = I2.swendsen_wang(0.4, 8, 3, 5, 7, n_burn=2, keep_every=2)
    b = I2.swendsen_wang(0.4, 8, 3, 5, np.random.default_rng(7), n_burn=2, keep_every=2)
    assert a.spins.dtype == np.int8 and a.spins.shape == (3, 8, 8)
    assert a.energy.shape == a.magnetization.shape == (5, 3)
    assert a.samples.shape == (2, 3, 8, 8) and a.samples.dtype == np.int8
    assert np.array_equal(a.spins, b.spins) and np.array_equal(a.energy, b.energy)
    assert np.allclose(a.energy[-1], I2.lattice_energy(a.spins) / 64)
    assert np.allclose(a.magnetization[-1], a.spins.sum(axis=(1, 2)) / 64)
    # K = 0: no active bond, every spin is its own cluster; K large from all-up: stays ordered
    c = I2.swendsen_wang(30.0, 6, 2, 3, 0, n_burn=0, init="up")
    assert np.all(np.abs(c.magnetization) == 1.0) and np.all(c.energy == -2.0)


def test_lattice_energy_by_hand():
    s = np.ones((4, 4), dtype=np.int8)
    assert I2.lattice_energy(s) == -32
    s[0, 0] = -1
    assert I2.lattice_energy(s) == -32 + 8
    checker = np.where(np.add.outer(np.arange(4), np.arange(4)) % 2, 1, -1)
    assert I2.lattice_energy(checker) == 32


def test_sw_exact_distribution_on_3x3():
    """Detailed balance check on a lattice small enough to know the energy law exactly."""
    K, L = 0.35, 3
    run = I2.swendsen_wang(K, L, 200, 400, 3, n_burn=20)
    g = bond_count_histogram_enumeration(L)
    N = L * L
    n = np.arange(len(g))
    w = g * np.exp(-K * (2.0 * n - 2 * N))
    p_exact = w / w.sum()
    unsat = np.rint((run.energy * N + 2 * N) / 2).astype(int).ravel()
    p_hat = np.bincount(unsat, minlength=len(g)) / unsat.size
    tau = I2.tau_int(run.energy)
    n_eff = unsat.size / (2 * tau)
    sigma = np.sqrt(p_exact * (1 - p_exact) / n_eff)
    mask = p_exact > 1e-3
    assert np.all(np.abs(p_hat - p_exact)[mask] < 4.5 * sigma[mask])


def test_sw_matches_exact_u_and_c_near_kc():
    """L = 16 at K_c (1 - 0.05), K_c, K_c (1 + 0.05): sampled u and c within 4 sigma of Kaufman."""
    for m in I2.validate_sampler(16, n_chains=32, n_sweeps=500, seed=0):
        assert abs(m.z_u) < 4 and abs(m.z_c) < 4, m
        assert 1.0 < m.tau_int < 10.0
        assert m.u_err_chains == pytest.approx(m.u_err, rel=0.5)


@pytest.mark.slow
def test_sw_matches_exact_u_and_c_l32_long():
    """L = 16 at K_c (1 + {0, +-0.05, +-0.1}) and L = 32 at K_c (1 + {0, +-0.05}), 64 chains x 2000 sweeps."""
    for L, factors in ((16, (0.9, 0.95, 1.0, 1.05, 1.1)), (32, (0.95, 1.0, 1.05))):
        for m in I2.validate_sampler(L, factors=factors, n_chains=64, n_sweeps=2000, seed=1):
            assert abs(m.z_u) < 4 and abs(m.z_c) < 4, m


def test_sw_bad_input():
    with pytest.raises(ValueError, match="K"):
        I2.swendsen_wang(-0.1, 8, 1, 1, 0)
    with pytest.raises(ValueError, match="n_chains"):
        I2.swendsen_wang(0.4, 8, 0, 1, 0)
    with pytest.raises(TypeError, match="rng"):
        I2.swendsen_wang(0.4, 8, 1, 1, None)
    with pytest.raises(ValueError, match="init"):
        I2.swendsen_wang(0.4, 8, 1, 1, 0, init="hot")
    with pytest.raises(ValueError, match="factors"):
        I2.validate_sampler(8, factors=(0.0,))
    with pytest.raises(ValueError, match="spins"):
        I2.lattice_energy(np.zeros((4, 4)))


# ---------------------------------------------------------------- block maps and operators


def test_block_maps_by_hand():
    s = np.array([[1, 1, -1, 1], [1, -1, -1, -1], [-1, 1, 1, 1], [1, -1, -1, 1]], dtype=np.int8)
    # block sums: [[2, -2], [0, 2]]; the tie (bottom-left block) goes to its top-left spin -1
    assert np.array_equal(I2.block_majority(s), [[1, -1], [-1, 1]])
    assert np.array_equal(I2.block_decimate(s), [[1, -1], [-1, 1]])
    s2 = s.copy()
    s2[2:, :2] = [[1, 1], [-1, -1]]  # still a tie in the bottom-left block, now with top-left +1
    assert I2.block_majority(s2)[1, 0] == 1
    coin = np.stack([I2.block_majority(s, tie="random", rng=i)[1, 0] for i in range(200)])
    assert set(coin.tolist()) == {-1, 1} and abs(coin.mean()) < 0.3


def test_linear_threshold_special_cases():
    rng = np.random.default_rng(0)
    s = np.where(rng.random((50, 8, 8)) < 0.5, -1, 1).astype(np.int8)
    assert np.array_equal(I2.block_linear_threshold(s, np.ones((2, 2))), I2.block_majority(s))
    assert np.array_equal(I2.block_linear_threshold(s, [[1.0, 0], [0, 0]]), I2.block_decimate(s))
    assert np.array_equal(I2.block_linear_threshold(s, 0.1 * np.ones((2, 2))), I2.block_majority(s))
    assert I2.block_linear_threshold(s, np.ones((4, 4))).shape == (50, 2, 2)
    with pytest.raises(ValueError, match="weights"):
        I2.block_linear_threshold(s, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="spins"):
        I2.block_majority(np.ones((3, 3), dtype=np.int8))
    with pytest.raises(ValueError, match="tie"):
        I2.block_majority(s, tie="coin")


def test_even_operators_by_hand():
    up = np.ones((6, 6), dtype=np.int8)
    assert np.array_equal(I2.even_operators(up), [72, 72, 72, 36])
    checker = np.where(np.add.outer(np.arange(6), np.arange(6)) % 2, 1, -1)
    assert np.array_equal(I2.even_operators(checker), [-72, 72, 72, 36])
    stripes = np.where(np.arange(6) % 2, 1, -1)[None, :] * np.ones((6, 1))  # columns alternate
    assert np.array_equal(I2.even_operators(stripes), [0, -72, 72, 36])
    one = up.copy()
    one[2, 3] = -1  # one flipped spin: 4 nn bonds, 4 diagonal, 4 distance-2, 4 plaquettes change sign
    assert np.array_equal(I2.even_operators(one), [64, 64, 64, 28])
    rng = np.random.default_rng(2)
    s = np.where(rng.random((5, 8, 8)) < 0.5, -1, 1)
    assert np.array_equal(I2.even_operators(s)[:, 0], -I2.lattice_energy(s))


def test_blocked_operators_levels():
    rng = np.random.default_rng(3)
    s = np.where(rng.random((4, 16, 16)) < 0.5, -1, 1).astype(np.int8)
    ops = I2.blocked_operators(s, "majority", 2)
    assert ops.shape == (4, 3, 4)
    assert np.array_equal(ops[:, 1], I2.even_operators(I2.block_majority(s)))
    assert np.array_equal(ops[:, 2], I2.even_operators(I2.block_majority(I2.block_majority(s))))
    assert np.array_equal(I2.blocked_operators(s, np.ones((2, 2)), 2), ops)
    with pytest.raises(ValueError, match="block_map"):
        I2.blocked_operators(s, "median", 1)


def test_mcrg_recovers_a_known_linear_map():
    """Synthetic Gaussian 'operators' with S^(n) = R S^(n+1) + noise, the noise independent of
    S^(n+1): then A = B R^T, so T = B^{-1} A = R^T whatever the covariance B."""
    rng = np.random.default_rng(4)
    R = np.array([[1.5, 0.3], [0.2, 0.7]])
    hi = rng.normal(size=(20000, 8, 2)) @ np.array([[1.0, 0.4], [0.0, 1.0]])
    lo = hi @ R.T + 0.3 * rng.normal(size=hi.shape)
    ops = np.zeros((20000, 8, 3, 4))
    ops[:, :, 1, :2], ops[:, :, 2, :2] = lo, hi
    ops[:, :, :, 2:] = rng.normal(size=(20000, 8, 3, 2))
    res = I2.mcrg_linearized(ops, n=1, n_ops=2, n_groups=8)
    assert np.allclose(res.T, R.T, atol=0.02)
    lam = max(np.linalg.eigvals(R).real)
    assert res.lambda_t == pytest.approx(lam, abs=0.02)
    assert res.y_t_err < 0.02


def test_mcrg_majority_thermal_exponent():
    """Majority rule at K_c, L = 32, step 1 -> 2 (16 -> 8 block lattices), 2 and 4 operators:
    y_t = 1/nu = 1 within 0.1 (literature: 0.95-1.0 at this size; jackknife error ~0.02 here)."""
    ops = I2.sample_blocked_operators(32, "majority", n_levels=3, n_chains=16, n_sweeps=200, seed=0)
    for k in (2, 4):
        res = I2.mcrg_linearized(ops, n=1, n_ops=k, n_groups=8)
        assert abs(res.y_t - 1.0) < 0.1, res
        assert res.y_t_err < 0.05


@pytest.mark.slow
def test_mcrg_majority_thermal_exponent_l64():
    """L = 64, steps 1 -> 2 and 2 -> 3, 2-4 operators: |y_t - 1| < max(0.05, 4 sigma)."""
    ops = I2.sample_blocked_operators(64, "majority", n_levels=4, n_chains=32, n_sweeps=1000, seed=1)
    for n in (1, 2):
        for k in (2, 3, 4):
            res = I2.mcrg_linearized(ops, n=n, n_ops=k, n_groups=16)
            assert abs(res.y_t - 1.0) < max(0.05, 4 * res.y_t_err), res


def test_mcrg_bad_input():
    with pytest.raises(ValueError, match="ops"):
        I2.mcrg_linearized(np.zeros((10, 4, 3)))
    with pytest.raises(ValueError, match="n_ops"):
        I2.mcrg_linearized(np.zeros((10, 4, 3, 4)), n=0, n_ops=5)
    with pytest.raises(ValueError, match="n"):
        I2.mcrg_linearized(np.zeros((10, 4, 3, 4)), n=2)
    with pytest.raises(ValueError, match="L"):
        I2.sample_blocked_operators(24, n_levels=4)


def test_extended_even_operators_by_explicit_loops():
    rng = np.random.default_rng(11)
    s = np.where(rng.random((2, 8, 8)) < 0.5, -1, 1).astype(np.int8)
    got = I2.even_operators(s, extended=True)
    assert np.array_equal(got[:, :4], I2.even_operators(s))
    shifts = {4: [(1, 2), (-1, 2), (2, 1), (2, -1)], 5: [(2, 2), (2, -2)], 6: [(0, 3), (3, 0)]}
    for b in range(2):
        for col, dd in shifts.items():
            total = sum(
                int(s[b, y, x]) * int(s[b, (y + dy) % 8, (x + dx) % 8])
                for y in range(8)
                for x in range(8)
                for dy, dx in dd
            )
            assert got[b, col] == total
    up = np.ones((8, 8), dtype=np.int8)
    assert np.array_equal(I2.even_operators(up, extended=True)[4:], [256, 128, 128])
    checker = np.indices((8, 8)).sum(axis=0) % 2 * 2 - 1
    assert np.array_equal(I2.even_operators(checker.astype(np.int8), extended=True)[4:], [-256, 128, -128])


# ---------------------------------------------------------------------------------------------
# Odd operators, one-pass moments, MCRG eigenvalues from independent ensembles
# ---------------------------------------------------------------------------------------------


def _odd_by_loops(s):
    """The four odd operators of one configuration by explicit loops over sites."""
    L = s.shape[0]
    o = np.zeros(4)
    for y in range(L):
        for x in range(L):

            def at(dy, dx, y=y, x=x):
                return int(s[(y + dy) % L, (x + dx) % L])

            o[0] += at(0, 0)
            corners = [at(0, 0), at(0, 1), at(1, 0), at(1, 1)]
            for leave in range(4):
                o[1] += np.prod([c for i, c in enumerate(corners) if i != leave])
            o[2] += at(0, 0) * at(0, 1) * at(0, 2) + at(0, 0) * at(1, 0) * at(2, 0)
            o[3] += at(0, 0) * at(1, 1) * at(2, 2) + at(0, 0) * at(1, -1) * at(2, -2)
    return o


def test_odd_operators_match_explicit_loops_and_flip_sign():
    rng = np.random.default_rng(3)
    s = np.where(rng.random((3, 8, 8)) < 0.6, 1, -1).astype(np.int8)
    got = I2.odd_operators(s)
    assert got.shape == (3, 4)
    for b in range(3):
        np.testing.assert_array_equal(got[b], _odd_by_loops(s[b]))
    np.testing.assert_array_equal(I2.odd_operators(-s), -got)


def test_odd_operators_of_ordered_states():
    N = 10 * 10
    up = np.ones((10, 10), np.int8)
    np.testing.assert_array_equal(I2.odd_operators(up), [N, 4 * N, 2 * N, 2 * N])
    np.testing.assert_array_equal(I2.odd_operators(-up), [-N, -4 * N, -2 * N, -2 * N])


def test_lattice_operators_concatenate_even_then_odd():
    s = np.where(np.random.default_rng(4).random((2, 8, 8)) < 0.5, 1, -1).astype(np.int8)
    x = I2.lattice_operators(s, 7, 4)
    np.testing.assert_array_equal(x[:, :7], I2.even_operators(s, extended=True))
    np.testing.assert_array_equal(x[:, 7:], I2.odd_operators(s))
    np.testing.assert_array_equal(
        I2.lattice_operators(s, 4, 1), np.concatenate([I2.even_operators(s), I2.odd_operators(s)[:, :1]], axis=1)
    )


def _random_ops(rng, T, B, M, levels, k):
    return rng.normal(size=(T, B, M, levels, k)) + rng.normal(size=(1, B, M, levels, k))


def test_moment_accumulator_sums_per_group_of_chains():
    rng = np.random.default_rng(5)
    x = _random_ops(rng, 7, 6, 2, 3, 3)
    acc = I2.MomentAccumulator(6, 3, centred=[True, True, False])
    for t in range(7):
        acc.add(x[t])
    m = acc.moments()
    np.testing.assert_array_equal(m.n, [14, 14, 14])
    for g, chains in enumerate(np.array_split(np.arange(6), 3)):
        y = x[:, chains].reshape(-1, 2, 9)
        cov = np.einsum("tmi,tmj->mij", y - y.mean(0), y - y.mean(0)) / len(y)
        got = m.s2[g] / m.n[g] - np.einsum("mi,mj->mij", m.s1[g] / m.n[g], m.s1[g] / m.n[g])
        np.testing.assert_allclose(got, cov, atol=1e-10)
    # pooling ensembles with different shifts: the sums of one ensemble moved to another's shift
    other = I2.MomentAccumulator(6, 3, centred=[True, True, False])
    for t in range(7):
        other.add(x[t] + 5.0)
    both = I2.Moments.concatenate([m, other.moments()])
    y = np.concatenate([x.reshape(-1, 2, 9), (x + 5.0).reshape(-1, 2, 9)])
    ref = np.einsum("tmi,tmj->mij", y - y.mean(0), y - y.mean(0)) / len(y)
    n, s1, s2 = both.n.sum(), both.s1.sum(0), both.s2.sum(0)
    np.testing.assert_allclose(s2 / n - np.einsum("mi,mj->mij", s1 / n, s1 / n), ref, atol=1e-9)


def test_mcrg_eigenvalue_agrees_with_mcrg_linearized():
    """Pooled estimate and jackknife of the one-pass moments equal those of the per-sample routine."""
    ops = I2.sample_blocked_operators(16, "majority", n_levels=2, n_chains=8, n_sweeps=40, seed=3)
    acc = I2.MomentAccumulator(8, 4, centred=[True] * 4)
    for t in range(ops.shape[0]):
        acc.add(ops[t][:, None])
    r = I2.mcrg_eigenvalue([acc.moments()], 0, [0, 1])
    ref = I2.mcrg_linearized(ops, n=0, n_ops=2, n_groups=4)
    np.testing.assert_allclose(r.y[0], ref.y_t, rtol=1e-9)
    np.testing.assert_allclose(r.jackknife[0], ref.y_t_err, rtol=1e-6)


def test_mcrg_eigenvalue_magnetic_at_infinite_temperature():
    r"""At K = 0 a field h gives m = tanh h ~ h per spin; a 2x2 map gives m' = h sum_i E[s' s_i], so
    lambda_h = E[s' sum_i s_i] exactly: 3/2 for the majority rule (top-left tie-break), 1 for decimation."""
    rng = np.random.default_rng(8)
    tables = np.stack([I2.block_table("majority"), I2.block_table("decimation")])
    accs = [I2.MomentAccumulator(16, 4, centred=[False]) for _ in range(3)]
    for acc in accs:
        for _ in range(150):
            s = np.where(rng.random((16, 16, 16)) < 0.5, 1, -1).astype(np.int8)
            lev0 = I2.odd_operators(s)[:, :1]
            lev1 = I2.odd_operators(I2.apply_tables(s, tables))[..., :1]  # (M, B, 1)
            acc.add(np.stack([np.broadcast_to(lev0, (2, 16, 1)), lev1], axis=2).transpose(1, 0, 2, 3))
    r = I2.mcrg_eigenvalue([a.moments() for a in accs], 0, [0], centred=False)
    exact = np.log2([1.5, 1.0])
    assert np.all(np.abs(r.y - exact) <= 4 * r.err)
    assert np.all(r.err < 0.04) and r.per_ensemble.shape == (3, 2)
    assert np.all(r.err >= r.jackknife) and np.all(r.err >= r.spread)


def test_mcrg_eigenvalue_of_majority_rule_at_criticality():
    """Both relevant exponents of the critical point, from a small run: near 1 and 15/8 (loose)."""
    tables = I2.block_table("majority")[None]
    acc = I2.MomentAccumulator(16, 4, centred=[True] * 4 + [False] * 2)

    def measure(s):
        levels = [I2.lattice_operators(s, 4, 2)[None]]
        cur = s
        for _ in range(2):
            cur = I2.apply_tables(cur, tables)[0]
            levels.append(I2.lattice_operators(cur, 4, 2)[None])
        acc.add(np.stack(levels, axis=2).transpose(1, 0, 2, 3))
        return np.zeros(0)

    I2.swendsen_wang(I2.K_C, 32, 16, 150, 21, measure=measure)
    yt = I2.mcrg_eigenvalue([acc.moments()], 1, [0, 1, 2, 3])
    yh = I2.mcrg_eigenvalue([acc.moments()], 1, [4, 5], centred=False)
    assert abs(yt.y[0] - 1.0) < 0.1
    assert abs(yh.y[0] - 1.875) < 0.03


def test_apply_tables_shared_input_equals_one_input_per_map():
    rng = np.random.default_rng(9)
    s = np.where(rng.random((3, 8, 8)) < 0.5, 1, -1).astype(np.int8)
    tables = np.stack(
        [I2.block_table("majority"), I2.block_table("decimation"), I2.block_table(np.array([[1.0, 1.0], [-1.0, -1.0]]))]
    )
    shared = I2.apply_tables(s, tables)
    per_map = I2.apply_tables(np.stack([s] * 3), tables)
    np.testing.assert_array_equal(shared, per_map)
    np.testing.assert_array_equal(shared[0], I2.block_majority(s))
    np.testing.assert_array_equal(shared[1], I2.block_decimate(s))


def test_window_blocking_shared_input_equals_one_input_per_map():
    """A shared input is tiled once; the coarse spins equal those of the same input given to every map."""
    rng = np.random.default_rng(10)
    F, window = 5, 4
    W = rng.normal(size=(F, 4, window * window))
    block = np.array([rng.permutation(4) for _ in range(F)])
    s = np.where(rng.random((3, 16, 16)) < 0.5, 1, -1).astype(np.int8)
    shared = I2.window_blocking(s, W, block, window)
    per_map = I2.window_blocking(np.stack([s] * F), W, block, window)
    np.testing.assert_array_equal(shared, per_map)
    with pytest.raises(ValueError, match="spins must have shape"):
        I2.window_blocking(np.stack([s] * (F - 1)), W, block, window)


def _scipy_cluster_labels(act_r, act_d):
    """Components of the active-bond graph by scipy's connected_components (the route the sampler replaced)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    idx = np.arange(act_r.size).reshape(act_r.shape)
    rows = np.concatenate([idx[act_r], idx[act_d]])
    cols = np.concatenate([np.roll(idx, -1, axis=2)[act_r], np.roll(idx, -1, axis=1)[act_d]])
    n = act_r.size
    graph = coo_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n, n)).tocsr()
    return connected_components(graph, directed=False)


@pytest.mark.parametrize("L, p", [(2, 0.5), (3, 0.3), (8, 0.6), (16, 0.59), (16, 0.95)])
def test_cluster_labels_equal_scipy_components_and_numbering(L, p):
    from rgbook._lattice_kernels import cluster_labels

    rng = np.random.default_rng(L)
    act_r, act_d = rng.random((2, 3, L, L)) < p
    n, labels = cluster_labels(act_r, act_d)
    n_ref, ref = _scipy_cluster_labels(act_r, act_d)
    assert n == n_ref
    np.testing.assert_array_equal(labels, ref)


def test_sw_sweep_equals_the_scipy_route_bit_for_bit():
    """Union-find labels number clusters as scipy does, so the same seed gives the same chain."""
    p = -np.expm1(-2.0 * I2.K_C)

    def scipy_sweep(s, rng):
        act_r = (s == np.roll(s, -1, axis=2)) & (rng.random(s.shape) < p)
        act_d = (s == np.roll(s, -1, axis=1)) & (rng.random(s.shape) < p)
        n_comp, labels = _scipy_cluster_labels(act_r, act_d)
        s *= np.where(rng.random(n_comp) < 0.5, -1, 1).astype(np.int8)[labels].reshape(s.shape)

    init = np.where(np.random.default_rng(0).random((4, 12, 12)) < 0.5, -1, 1).astype(np.int8)
    a, b = init.copy(), init.copy()
    ra, rb = np.random.default_rng(7), np.random.default_rng(7)
    for _ in range(20):
        I2._sw_sweep(a, p, ra)
        scipy_sweep(b, rb)
    np.testing.assert_array_equal(a, b)
    assert ra.random() == rb.random()


def test_odd_block_tables_are_all_odd_oriented_maps():
    tables = I2.odd_block_tables()
    assert tables.shape == (128, 16) and len({tuple(t) for t in tables}) == 128
    flipped = I2.block_state_index(-I2.BLOCK_STATES)[:, 0, 0]  # index of the flipped state, by the block maps
    assert np.all(tables[:, flipped] == -tables) and np.all(tables[:, 15] == 1)
    # every odd, oriented table by brute force over all 2^16 tables is in the list
    everything = ((np.arange(2**16)[:, None] >> np.arange(16)) & 1) * 2 - 1
    odd = everything[np.all(everything[:, flipped] == -everything, axis=1) & (everything[:, 15] == 1)]
    assert {tuple(t) for t in odd} == {tuple(t) for t in tables}
    for name in ("majority", "decimation"):
        assert any(np.array_equal(t, I2.block_table(name)) for t in tables)


def _numpy_state_index(s):
    """The state index of every 2x2 block by NumPy bit operations (an independent route to block_indices)."""
    bits = (np.asarray(s) > 0).view(np.uint8)
    idx = bits[..., 0::2, 0::2] | (bits[..., 0::2, 1::2] << 1)
    idx |= bits[..., 1::2, 0::2] << 2
    idx |= bits[..., 1::2, 1::2] << 3
    return idx.astype(np.int64)


@pytest.mark.parametrize("dtype", [np.int8, np.float64])
def test_block_lookup_equals_the_state_index_route(dtype):
    """block_state_index and apply_tables (compiled) against the state index by NumPy bit operations, read
    through each table by NumPy indexing."""
    rng = np.random.default_rng(11)
    tables = I2.odd_block_tables()[rng.choice(128, 5, replace=False)]
    s = np.where(rng.random((5, 3, 8, 8)) < 0.5, -1, 1).astype(dtype)
    idx = _numpy_state_index(s)  # (5, 3, 4, 4)
    np.testing.assert_array_equal(I2.block_state_index(s), idx)
    assert I2.block_state_index(s).dtype == np.int64
    np.testing.assert_array_equal(I2.apply_tables(s, tables), tables[np.arange(5)[:, None, None, None], idx])
    np.testing.assert_array_equal(I2.apply_tables(s[0], tables), tables[:, _numpy_state_index(s[0])])
    assert I2.apply_tables(s, tables).dtype == np.int8
    with pytest.raises(ValueError, match="even L"):
        I2.block_state_index(s[..., :7, :7])


def test_spin_validation_of_int8_arrays():
    from rgbook._lattice_kernels import all_unit_spins

    assert all_unit_spins(np.array([1, -1, 1], dtype=np.int8))
    for bad in (0, 2, -128, 127):
        assert not all_unit_spins(np.array([1, bad, -1], dtype=np.int8))
        with pytest.raises(ValueError, match="only spins"):
            I2.lattice_energy(np.array([[1, bad], [1, 1]], dtype=np.int8))
    with pytest.raises(ValueError, match="only spins"):  # a non-contiguous view is checked as well
        I2.lattice_energy(np.zeros((4, 4), dtype=np.int8)[::2, ::2])
