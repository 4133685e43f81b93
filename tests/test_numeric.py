"""rgbook._numeric.logsumexp against SciPy's, bit for bit, on the shapes and edge cases the core uses."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import logsumexp as scipy_logsumexp

from rgbook._numeric import logsumexp

RNG = np.random.default_rng(7)


def _cases():
    yield RNG.normal(size=17) * 30, None, False
    yield RNG.normal(size=(5, 2)) * 4, 1, True
    yield RNG.normal(size=(9, 2, 2)) * 4, (1, 2), True
    yield RNG.normal(size=(6, 3, 3)) * 4, -2, False
    yield RNG.normal(size=(4, 7)), 0, False
    tied = np.array([[1.5, 1.5, -2.0], [0.0, 3.0, 3.0]])  # several largest entries
    yield tied, 1, False
    yield np.array([-np.inf, 0.3, -np.inf]), None, False  # zero weights
    yield np.array([[-np.inf, -np.inf], [1.0, 2.0]]), 1, False  # a row of zeros: -inf
    yield np.array([1e308, 1e308]), None, False  # overflow of the direct sum, not of the shifted one
    yield np.arange(6.0).reshape(2, 3), None, True
    yield np.float64(2.5), None, False
    yield np.zeros((0, 3)), 0, False  # empty sums: -inf


@pytest.mark.parametrize(("a", "axis", "keepdims"), list(_cases()))
def test_logsumexp_equals_scipy_bit_for_bit(a, axis, keepdims):
    ours = logsumexp(a, axis=axis, keepdims=keepdims)
    theirs = scipy_logsumexp(a, axis=axis, keepdims=keepdims)
    assert np.shape(ours) == np.shape(theirs)
    np.testing.assert_array_equal(ours, theirs)  # equal to the last bit (nan/inf in the same places)


def test_logsumexp_known_value():
    # independent route: ln(1 + 2 + 3) written out
    assert logsumexp(np.log([1.0, 2.0, 3.0])) == pytest.approx(np.log(6.0), rel=1e-15)


def test_logsumexp_refuses_complex():
    with pytest.raises(TypeError, match="a must be a real array"):
        logsumexp(np.array([1j]))


def test_logsumexp_axis0_of_large_arrays_equals_scipy():
    """The chain sampler's forward messages (axis 0 of square arrays up to 800 x 800, ties included)."""
    rng = np.random.default_rng(0)
    for shape in [(2, 2), (3, 5), (40, 40), (800, 800)]:
        a = rng.normal(size=shape) * 30
        a[0, 0] = a[1, 0]  # a tie at the maximum of some column
        np.testing.assert_array_equal(logsumexp(a, axis=0), scipy_logsumexp(a, axis=0))


def test_logsumexp_of_an_empty_sum_is_minus_inf():
    out = logsumexp(np.zeros((2, 0)), axis=None, keepdims=True)  # (SciPy raises IndexError here)
    assert out.shape == (1, 1) and out[0, 0] == -np.inf
