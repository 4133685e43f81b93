"""rgbook.chain_measures on chains whose answers are known in closed form, and a brute-force route."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rgbook import couplings, ising
from rgbook.chain_measures import PAIRS_L2, chain_measures


def _hb(p: float) -> float:
    return -(p * math.log(p) + (1 - p) * math.log(1 - p))


@pytest.mark.parametrize("K", [0.3, 1.2, -0.8])
def test_open_chain_measures_are_its_closed_forms(K):
    """Open zero-field chain of 6 spins: K' = K with zero residual; xi = -1/ln tanh|K|; the halves share only
    the middle bond, I = ln 2 - h(e^K / 2cosh K); the all-pairs fit of a chain is the chain (norm ~ |K|)."""
    m = chain_measures(*ising.enumerate_chain(6, K))
    assert m.coupling == pytest.approx(K, abs=1e-9) and abs(m.field) < 1e-9 and m.kl < 1e-12
    assert m.correlation_length == pytest.approx(-1 / math.log(math.tanh(abs(K))), rel=1e-9)
    assert m.halves_information == pytest.approx(math.log(2) - _hb(math.exp(K) / (2 * math.cosh(K))), abs=1e-12)
    J, _ = couplings.fit_all_pairs(*ising.enumerate_chain(6, K), l2=PAIRS_L2)
    assert m.pairs_norm == pytest.approx(math.sqrt(np.sum(np.triu(J, 1) ** 2)), abs=1e-12)
    assert m.pairs_norm == pytest.approx(abs(K) * math.sqrt(5), rel=1e-3)  # five bonds of |J| = |K| (ridge 1e-6)


def test_halves_information_by_brute_force_sums():
    """A random distribution on 4 sites: I(left; right) from explicit marginal sums."""
    s = ising.all_configurations(4)
    p = np.random.default_rng(3).dirichlet(np.ones(len(s)))
    left, right = {}, {}
    joint = {}
    for row, q in zip(map(tuple, s), p):
        left[row[:2]] = left.get(row[:2], 0) + q
        right[row[2:]] = right.get(row[2:], 0) + q
        joint[row] = q
    mi = sum(q * math.log(q / (left[r[:2]] * right[r[2:]])) for r, q in joint.items())
    assert chain_measures(s, p).halves_information == pytest.approx(mi, abs=1e-12)


def test_without_the_pairs_fit_the_norm_is_nan_and_the_rest_equal():
    s, p = ising.enumerate_chain(5, 0.7, 0.2)
    full, quick = chain_measures(s, p), chain_measures(s, p, pairs_l2=None)
    assert math.isnan(quick.pairs_norm)
    for name in ("coupling", "field", "kl", "halves_information", "correlation_length"):
        assert getattr(quick, name) == getattr(full, name)


def test_one_site_is_refused_by_name():
    with pytest.raises(ValueError, match="configs"):
        chain_measures(np.array([[1], [-1]]), np.array([0.5, 0.5]))
