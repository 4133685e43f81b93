"""Reading C: exact real-space mutual information of block units on the 1D chain."""

from __future__ import annotations

import dataclasses

import numpy as np
import oracles
import pytest

from rgbook import ising
from rgbook.chapters import reading_c as ch


def test_ring_checks_margin_sign_and_limit():
    """On rings at K = 1.5 (buffer 0) another unit beats decimation at N = 12 (enumerated ring, explicit sums)
    and decimation wins on long rings, by the infinite chain's margin in the limit."""
    P = dataclasses.replace(ch.PROTOCOL, ring_Ns=(12, 200))
    short, long = ch.run_ring_checks(P)
    configs, probs = ising.enumerate_chain(12, 1.5, 0.0, "periodic")
    joint = ch.block_environment_from_distribution(configs, probs, 0, 2, 0)
    v = ising.all_configurations(2)
    best = max(
        oracles.mutual_information_by_sums(np.array([1 if bits >> k & 1 else -1 for k in range(4)]), joint)
        for bits in range(1, 15)
    )
    assert short.margin == pytest.approx(oracles.mutual_information_by_sums(v[:, 0], joint) - best, abs=1e-12)
    assert short.margin < 0 and short.best_unit != ch.describe_unit(v[:, 0] > 0)
    infinite = ch.decimation_margin(ch.block_environment_joint(1.5, 2, 0), 2)
    assert long.margin == pytest.approx(infinite, abs=1e-9)
