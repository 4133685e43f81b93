"""The Ising chain: transfer matrix, enumeration and exact sampling, each checked by a
route that does not share its code."""

import numpy as np
import pytest

from rgbook import ising


def test_transfer_matrix_entries():
    K, h = 0.7, -0.2
    T = ising.transfer_matrix(K, h)
    expected = np.array([[np.exp(K + h), np.exp(-K)], [np.exp(-K), np.exp(K - h)]])
    np.testing.assert_allclose(T, expected, rtol=1e-15)


@pytest.mark.parametrize("boundary", ["open", "periodic"])
@pytest.mark.parametrize("K,h", [(0.4, 0.0), (1.3, 0.5), (-0.8, 0.3)])
def test_log_partition_transfer_matrix_vs_enumeration(K, h, boundary):
    N = 9
    configs = ising.all_configurations(N)
    brute = np.log(np.exp(ising.energy(configs, K, h, boundary)).sum())
    assert ising.log_partition(N, K, h, boundary) == pytest.approx(brute, rel=1e-13)


def test_open_chain_closed_form_zero_field():
    # Z_N(open, h=0) = 2 (2 cosh K)^(N-1): independent bonds
    N, K = 12, 0.9
    assert ising.log_partition(N, K) == pytest.approx(np.log(2) + (N - 1) * np.log(2 * np.cosh(K)), rel=1e-14)


def test_enumerate_chain_is_normalized_and_boltzmann():
    configs, probs = ising.enumerate_chain(10, 0.8, 0.1)
    assert configs.shape == (1024, 10) and set(np.unique(configs)) == {-1, 1}
    assert probs.sum() == pytest.approx(1.0, abs=1e-12)
    i, j = 17, 900
    dE = ising.energy(configs[[i]], 0.8, 0.1)[0] - ising.energy(configs[[j]], 0.8, 0.1)[0]
    assert np.log(probs[i] / probs[j]) == pytest.approx(dE, abs=1e-12)


def test_enumerated_correlations_match_tanh():
    K = 1.1
    configs, probs = ising.enumerate_chain(12, K)
    for r in (1, 2, 5):
        corr = probs @ (configs[:, 3] * configs[:, 3 + r])
        assert corr == pytest.approx(np.tanh(K) ** r, abs=1e-12)


def test_enumerate_large_values_no_overflow():
    _, probs = ising.enumerate_chain(8, 400.0, 0.0)
    assert np.isfinite(probs).all() and probs.max() == pytest.approx(0.5)


def test_free_energy_per_spin_matches_large_ring():
    for K, h in [(0.3, 0.0), (1.0, 0.4), (2.5, -1.0)]:
        N = 2000
        exact = ising.free_energy_per_spin(K, h)
        assert exact == pytest.approx(ising.log_partition(N, K, h, "periodic") / N, abs=1e-12)
    assert ising.free_energy_per_spin(0.6) == pytest.approx(np.log(2 * np.cosh(0.6)), rel=1e-14)


def test_log_matrix_power_vs_numpy():
    T = ising.transfer_matrix(0.6, 0.1)
    for b in (0, 1, 2, 7):
        np.testing.assert_allclose(
            np.exp(ising.log_matrix_power(np.log(T), b)), np.linalg.matrix_power(T, b), rtol=1e-12
        )


def test_log_matrix_power_large_entries_and_stacks():
    """ln T^b stays finite where T^b overflows, and stacks of matrices are powered one by one."""
    logT = np.stack([ising.log_transfer_matrix(400.0, 0.0), np.log(ising.transfer_matrix(0.3, -0.2))])
    L = ising.log_matrix_power(logT, 5)
    assert np.all(np.isfinite(L))
    # T(K, 0)^b has (++) entry ((2 cosh K)^b + (2 sinh K)^b)/2 ~ (2 cosh K)^b for large K
    assert L[0, 0, 0] == pytest.approx(5 * 400.0, rel=1e-14)
    np.testing.assert_allclose(np.exp(L[1]), np.linalg.matrix_power(ising.transfer_matrix(0.3, -0.2), 5), rtol=1e-12)


@pytest.mark.parametrize("K,h", [(-200.0, 0.0), (-200.0, 5.0), (3.0, 800.0), (-1.0, -1000.0), (0.2, 350.1)])
def test_free_energy_per_spin_strong_coupling_or_field(K, h):
    """Strong antiferromagnet or strong field: finite, and equal to ln Z_N / N of a long open chain."""
    N = 4000
    f = ising.free_energy_per_spin(K, h)
    assert np.isfinite(f)
    # open chain: ln Z_N = N f + O(1); the O(1) boundary term is below 2 |K| + |h| + ln 2
    assert abs(ising.log_partition(N, K, h) - N * f) < 2 * abs(K) + abs(h) + 1.0


def _sampling_band(n, p):
    return 5.0 * np.sqrt(p * (1 - p) / n) + 1e-12


@pytest.mark.parametrize("K", [0.3, 1.0, -0.7])
def test_zero_field_sampler_correlations(K):
    """<s_i s_(i+r)> = tanh^r K within 5 standard errors (sample means of +-1 products)."""
    n = 40_000
    s = ising.sample_chain(n, 30, K, rng=np.random.default_rng(11)).astype(float)
    for r in (1, 2, 4):
        prod = s[:, 10] * s[:, 10 + r]
        se = np.sqrt((1 - np.tanh(K) ** (2 * r)) / n)
        assert abs(prod.mean() - np.tanh(K) ** r) < 5 * se
    assert abs(s.mean()) < 5 / np.sqrt(n)


@pytest.mark.parametrize("K,h", [(0.8, 0.4), (-0.6, 0.5), (1.5, -0.3)])
def test_field_sampler_matches_enumeration(K, h):
    """Empirical distribution of whole configurations vs exact probabilities, every cell in a 5-sigma band."""
    N, n = 6, 200_000
    s = ising.sample_chain(n, N, K, h, rng=np.random.default_rng(5))
    idx = (s > 0).astype(np.int64) @ (1 << np.arange(N - 1, -1, -1))
    freq = np.bincount(idx, minlength=2**N) / n
    _, probs = ising.enumerate_chain(N, K, h)
    assert np.all(np.abs(freq - probs) <= _sampling_band(n, probs))


def test_sampler_is_deterministic_for_a_seed():
    a = ising.sample_chain(100, 20, 0.5, 0.2, rng=3)
    b = ising.sample_chain(100, 20, 0.5, 0.2, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: ising.enumerate_chain(1, 1.0), "N must be >= 2"),
        (lambda: ising.enumerate_chain(30, 1.0), "N must be <= 24"),
        (lambda: ising.enumerate_chain(2.5, 1.0), "N must be an integer"),
        (lambda: ising.transfer_matrix(np.nan), "K must be finite"),
        (lambda: ising.transfer_matrix(1.0, np.inf), "h must be finite"),
        (lambda: ising.transfer_matrix("1"), "K must be a real number"),
        (lambda: ising.sample_chain(10, 5, 1.0, rng=None), "rng must be"),
        (lambda: ising.sample_chain(0, 5, 1.0, rng=0), "n_samples must be >= 1"),
        (lambda: ising.log_partition(5, 1.0, boundary="ring"), "boundary must be one of"),
        (lambda: ising.log_matrix_power(np.zeros((2, 3)), 2), "logT must have shape"),
        (lambda: ising.log_matrix_power(np.zeros((2, 2)), -1), "b must be >= 0"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
