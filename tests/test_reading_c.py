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


def test_stack_couplings_are_invariant_on_their_orbit():
    """The maps of reading_c_runs._orbit leave every K_l unchanged (checked by recomputing, on the 8-spin chain)."""
    from rgbook.chapters import reading_c_runs as runs

    P = dataclasses.replace(ch.PROTOCOL, coarse_N=8)
    v = ising.all_configurations(2)
    dec, and_ = tuple((v[:, 0] > 0) * 1.0), tuple(((v[:, 0] > 0) & (v[:, 1] < 0)) * 1.0)
    for stack in ((dec, and_), (and_, dec), (and_, and_)):
        orbit = runs._orbit(stack)
        assert len(orbit) > 2
        want = runs._stack_couplings(1.0, P, stack)
        for image in list(orbit)[:6]:
            assert np.allclose(runs._stack_couplings(1.0, P, image), want, atol=1e-7)


def test_deterministic_controls_about_43_percent_decimation():
    """sign(w.v + c) with w, c ~ N(0, 1) is a decimation when one |w_k| exceeds the other plus |c|: probability
    2 P(|x| > |y| + |z|) = 2 int int erfc((y + z)/sqrt 2) phi(y) phi(z) (half-normal densities) = 0.4327 by
    quadrature, and by a 10^6-draw Monte Carlo; the protocol's units are near it."""
    from scipy import integrate
    from scipy.special import erfc

    quad, _ = integrate.dblquad(
        lambda y, z: erfc((y + z) / np.sqrt(2)) * np.exp(-(y * y + z * z) / 2) * 2 / np.pi, 0, 10, 0, 10
    )
    p = 2 * quad
    x = np.abs(np.random.default_rng(0).normal(size=(10**6, 3)))
    assert abs(float(np.mean((x[:, 0] > x[:, 1] + x[:, 2]) | (x[:, 1] > x[:, 0] + x[:, 2]))) - p) < 0.002
    assert abs(p - 0.4327) < 1e-4
    d = ch.run_det_controls(dataclasses.replace(ch.PROTOCOL, Ks=(1.0,), buffers=(0,)))[0]
    assert abs(d.n_decimation / ch.PROTOCOL.det_units - p) < 0.1
