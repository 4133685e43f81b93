"""rgbook.rsmi: exact real-space mutual information of block units on the chain, against enumeration and sums."""

from __future__ import annotations

import numpy as np
import oracles
import pytest

from rgbook import couplings, information, ising, rg, rsmi


@pytest.mark.parametrize("K,buffer", [(0.7, 0), (1.2, 1), (0.4, 2)])
def test_markov_reduction_matches_enumerated_environment(K, buffer):
    """I(H;E) from (e_L, e_R) alone equals I(H;E) with three environment sites each side (open chain, N=14)."""
    joint = rsmi.block_environment_joint(K, 2, buffer)
    configs, probs = ising.enumerate_chain(14, K)
    wide = rsmi.block_environment_from_distribution(configs, probs, 6, 2, buffer, window=3)
    assert np.allclose(joint.sum(axis=1), wide.sum(axis=1))  # same block marginal
    for q in (np.array([0.0, 0.0, 1.0, 1.0]), rsmi.unit_table([0.3, -1.1], 0.2), np.array([1.0, 0.0, 0.0, 1.0])):
        assert abs(information.channel_information(q, joint) - information.channel_information(q, wide)) < 1e-12


def test_rsmi_of_constant_is_zero_and_bounded_by_entropy():
    joint = rsmi.block_environment_joint(1.0, 2, 0)
    assert abs(information.channel_information(np.full(4, 0.5), joint)) < 1e-15
    assert abs(information.channel_information(np.ones(4), joint)) < 1e-15
    assert 0 < information.channel_information(np.array([0.0, 0.0, 1.0, 1.0]), joint) < np.log(2)


def test_decimation_coarse_chain_is_rg_chain():
    configs, probs = ising.enumerate_chain(12, 0.9)
    y, q = rsmi.coarse_distribution(configs, probs, np.array([0.0, 0.0, 1.0, 1.0]), 2)
    _, marg = ising.marginalize(configs, probs, list(range(0, 12, 2)))
    assert np.allclose(q, marg, atol=1e-14)
    K, h, kl = couplings.project_chain(y, q)
    assert abs(K - rg.zero_field_map(0.9, 2)) < 1e-10 and kl < 1e-12


def test_bad_input_names_argument():
    with pytest.raises(ValueError, match="buffer"):
        rsmi.block_environment_joint(1.0, 2, -1)
    with pytest.raises(ValueError, match="beta"):
        rsmi.unit_table([1.0, 0.0], 0.0, beta=0.0)
    with pytest.raises(ValueError, match="q must"):
        rsmi.coarse_distribution(*ising.enumerate_chain(4, 1.0), np.ones(3), 2)
    with pytest.raises(ValueError, match="multiple of b"):
        rsmi.coarse_distribution(*ising.enumerate_chain(5, 1.0), np.ones(4), 2)


@pytest.mark.parametrize("K, buffer", [(0.5, 0), (1.5, 0), (1.0, 2)])
def test_decimation_margin_against_explicit_runner_up(K, buffer):
    joint = rsmi.block_environment_joint(K, 2, buffer)
    v = ising.all_configurations(2)
    others = []
    for bits in range(1, 15):  # the 14 non-constant Boolean functions of 2 spins
        h = np.array([1 if bits >> k & 1 else -1 for k in range(4)])
        if any(np.array_equal(h, sgn * v[:, k]) for k in range(2) for sgn in (1, -1)):
            continue
        others.append(oracles.mutual_information_by_sums(h, joint))
    assert len(others) == 10
    expected = oracles.mutual_information_by_sums(v[:, 0], joint) - max(others)
    assert rsmi.decimation_margin(joint, 2) == pytest.approx(expected, abs=1e-12)
    assert expected > 0  # decimation wins in the infinite chain


@pytest.mark.parametrize("N, K, buffer", [(6, 1.5, 0), (8, 1.0, 1), (12, 1.5, 0), (10, 0.5, 2)])
def test_ring_reduction_matches_enumerated_ring(N, K, buffer):
    """The 2-environment-site reduction of the ring gives the enumerated ring's I(H;E) for every Boolean unit."""
    configs, probs = ising.enumerate_chain(N, K, 0.0, "periodic")
    full = rsmi.block_environment_from_distribution(configs, probs, buffer, 2, buffer)  # block at buffer, buffer+1
    reduced = rsmi.ring_block_environment_joint(N, K, 2, buffer)
    for bits in range(1, 15):
        h = np.array([1 if bits >> k & 1 else -1 for k in range(4)])
        by_sums = oracles.mutual_information_by_sums
        assert by_sums(h, reduced) == pytest.approx(by_sums(h, full), abs=1e-12)


def test_pair_information_against_the_coarse_joint():
    """I(H_i, H_j; E) of two units from the 4x4 joint law of the 2-bit code, summed directly."""
    from rgbook.information import channel_information
    from rgbook.rsmi import block_environment_joint, pair_information
    from rgbook.thresholds import threshold_functions

    joint = block_environment_joint(1.0, 4, 1)
    T = threshold_functions(4)[::97]
    got = pair_information(T, joint)
    for i, j in ((0, 1), (3, 7), (5, 5)):
        code = (2 * T[i] + T[j]).astype(int)
        pce = np.zeros((4, joint.shape[1]))
        np.add.at(pce, code, joint)
        pc, pe = pce.sum(axis=1, keepdims=True), pce.sum(axis=0, keepdims=True)
        nz = pce > 0
        want = float(np.sum(pce[nz] * np.log(pce[nz] / (pc @ pe)[nz])))
        assert abs(got[i, j] - want) < 1e-12
    assert np.allclose(np.diag(got), channel_information(T, joint), atol=1e-12)


def test_threshold_function_counts_and_locality():
    from rgbook import ising
    from rgbook.rsmi import depends_on
    from rgbook.thresholds import threshold_functions, threshold_tables

    assert [len(threshold_functions(n)) for n in (2, 3, 4)] == [12, 102, 1880]
    assert {t.tobytes() for t in threshold_functions(3)} == {t.tobytes() for t in threshold_tables(3)}
    v = ising.all_configurations(4)
    assert depends_on((v[:, 0] > 0) * 1.0, [0, 1]) and not depends_on((v[:, 0] > 0) * 1.0, [2, 3])
    assert not depends_on(((v[:, 0] + v[:, 3]) > 0) * 1.0, [0, 1])
