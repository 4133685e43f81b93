"""Reading C: exact real-space mutual information of block units on the 1D chain."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rgbook import couplings, ising, rg
from rgbook.chapters import reading_c as ch


@pytest.mark.parametrize("K,buffer", [(0.7, 0), (1.2, 1), (0.4, 2)])
def test_markov_reduction_matches_enumerated_environment(K, buffer):
    """I(H;E) from (e_L, e_R) alone equals I(H;E) with three environment sites each side (open chain, N=14)."""
    joint = ch.block_environment_joint(K, 2, buffer)
    configs, probs = ising.enumerate_chain(14, K)
    wide = ch.block_environment_from_distribution(configs, probs, 6, 2, buffer, window=3)
    assert np.allclose(joint.sum(axis=1), wide.sum(axis=1))  # same block marginal
    for q in (np.array([0.0, 0.0, 1.0, 1.0]), ch.unit_table([0.3, -1.1], 0.2), np.array([1.0, 0.0, 0.0, 1.0])):
        assert abs(ch.rsmi(q, joint) - ch.rsmi(q, wide)) < 1e-12


def test_rsmi_of_constant_is_zero_and_bounded_by_entropy():
    joint = ch.block_environment_joint(1.0, 2, 0)
    assert abs(ch.rsmi(np.full(4, 0.5), joint)) < 1e-15
    assert abs(ch.rsmi(np.ones(4), joint)) < 1e-15
    assert 0 < ch.rsmi(np.array([0.0, 0.0, 1.0, 1.0]), joint) < np.log(2)


def test_decimation_coarse_chain_is_rg_chain():
    configs, probs = ising.enumerate_chain(12, 0.9)
    y, q = ch.coarse_distribution(configs, probs, np.array([0.0, 0.0, 1.0, 1.0]), 2)
    _, marg = ising.marginalize(configs, probs, list(range(0, 12, 2)))
    assert np.allclose(q, marg, atol=1e-14)
    K, h, kl = couplings.project_chain(y, q)
    assert abs(K - rg.zero_field_map(0.9, 2)) < 1e-10 and kl < 1e-12


def test_layer_information_of_deterministic_decimation_is_output_entropy():
    configs, probs = ising.enumerate_chain(6, 1.0)
    W = np.zeros((3, 6))
    W[np.arange(3), np.arange(0, 6, 2)] = 60.0
    _, marg = ising.marginalize(configs, probs, [0, 2, 4])
    assert abs(ch.layer_information(W, np.zeros(3), configs, probs) + np.sum(marg * np.log(marg))) < 1e-9


def test_bad_input_names_argument():
    with pytest.raises(ValueError, match="buffer"):
        ch.block_environment_joint(1.0, 2, -1)
    with pytest.raises(ValueError, match="beta"):
        ch.unit_table([1.0, 0.0], 0.0, beta=0.0)
    with pytest.raises(ValueError, match="q must"):
        ch.coarse_distribution(*ising.enumerate_chain(4, 1.0), np.ones(3), 2)
    with pytest.raises(ValueError, match="multiple of b"):
        ch.coarse_distribution(*ising.enumerate_chain(5, 1.0), np.ones(4), 2)


def _mutual_information_by_sums(h, joint) -> float:
    """I(H;E) of a deterministic unit h (+-1 per block state) by explicit sums over (h, e) (independent route)."""
    pe = joint.sum(axis=0)
    total = 0.0
    for value in (1, -1):
        phe = joint[h == value].sum(axis=0)
        ph = phe.sum()
        for e in range(joint.shape[1]):
            if phe[e] > 0:
                total += phe[e] * np.log(phe[e] / (ph * pe[e]))
    return total


@pytest.mark.parametrize("K, buffer", [(0.5, 0), (1.5, 0), (1.0, 2)])
def test_decimation_margin_against_explicit_runner_up(K, buffer):
    joint = ch.block_environment_joint(K, 2, buffer)
    v = ising.all_configurations(2)
    others = []
    for bits in range(1, 15):                       # the 14 non-constant Boolean functions of 2 spins
        h = np.array([1 if bits >> k & 1 else -1 for k in range(4)])
        if any(np.array_equal(h, sgn * v[:, k]) for k in range(2) for sgn in (1, -1)):
            continue
        others.append(_mutual_information_by_sums(h, joint))
    assert len(others) == 10
    expected = _mutual_information_by_sums(v[:, 0], joint) - max(others)
    assert ch.decimation_margin(joint, 2) == pytest.approx(expected, abs=1e-12)
    assert expected > 0                             # decimation wins in the infinite chain


@pytest.mark.parametrize("N, K, buffer", [(6, 1.5, 0), (8, 1.0, 1), (12, 1.5, 0), (10, 0.5, 2)])
def test_ring_reduction_matches_enumerated_ring(N, K, buffer):
    """The 2-environment-site reduction of the ring gives the enumerated ring's I(H;E) for every Boolean unit."""
    configs, probs = ising.enumerate_chain(N, K, 0.0, "periodic")
    full = ch.block_environment_from_distribution(configs, probs, buffer, 2, buffer)   # block at buffer, buffer+1
    reduced = ch.ring_block_environment_joint(N, K, 2, buffer)
    for bits in range(1, 15):
        h = np.array([1 if bits >> k & 1 else -1 for k in range(4)])
        assert _mutual_information_by_sums(h, reduced) == pytest.approx(_mutual_information_by_sums(h, full),
                                                                         abs=1e-12)


def test_ring_checks_margin_sign_and_limit():
    """On rings at K = 1.5 (buffer 0) another unit beats decimation at N = 12 (enumerated ring, explicit sums)
    and decimation wins on long rings, by the infinite chain's margin in the limit."""
    P = dataclasses.replace(ch.PROTOCOL, ring_Ns=(12, 200))
    short, long = ch.run_ring_checks(P)
    configs, probs = ising.enumerate_chain(12, 1.5, 0.0, "periodic")
    joint = ch.block_environment_from_distribution(configs, probs, 0, 2, 0)
    v = ising.all_configurations(2)
    best = max(_mutual_information_by_sums(np.array([1 if bits >> k & 1 else -1 for k in range(4)]), joint)
               for bits in range(1, 15))
    assert short.margin == pytest.approx(_mutual_information_by_sums(v[:, 0], joint) - best, abs=1e-12)
    assert short.margin < 0 and short.best_unit != ch.describe_unit(v[:, 0] > 0)
    infinite = ch.decimation_margin(ch.block_environment_joint(1.5, 2, 0), 2)
    assert long.margin == pytest.approx(infinite, abs=1e-9)
