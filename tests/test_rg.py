"""RG maps of the Ising chain: matrix power vs closed forms vs brute-force enumeration."""

import numpy as np
import pytest

from rgbook import ising, rg

CASES = [(0.5, 0.0), (1.0, 0.3), (2.0, -0.5), (-0.9, 0.2), (0.05, 1.5)]


@pytest.mark.parametrize("K,h", CASES)
def test_b2_matrix_power_equals_closed_form(K, h):
    np.testing.assert_allclose(rg.decimate(K, h, 2), rg.decimate_closed_form_b2(K, h), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("b", [2, 3, 4])
@pytest.mark.parametrize("K,h", CASES[:4])
def test_matrix_power_equals_enumeration(K, h, b):
    Km, hm, gm = rg.decimate(K, h, b)
    Ke, he, ge, resid = rg.decimate_by_enumeration(K, h, b, m=3 if b == 4 else 4)
    assert resid < 1e-10
    np.testing.assert_allclose((Ke, he, ge), (Km, hm, gm), atol=1e-10)


@pytest.mark.parametrize("b", [2, 3, 5])
def test_zero_field_tanh_recursion(b):
    K = np.linspace(-3, 3, 41)
    Kp, hp, _ = rg.decimate(K, 0.0, b)
    np.testing.assert_allclose(np.tanh(Kp), np.tanh(K) ** b, atol=1e-13)
    np.testing.assert_allclose(Kp, rg.zero_field_map(K, b), atol=1e-12)
    np.testing.assert_allclose(hp, 0.0, atol=1e-13)


def test_reference_values_of_the_science_brief():
    # science brief §2, computed there independently
    assert rg.zero_field_map(1.0, 2) == pytest.approx(0.6625013737, abs=1e-10)
    assert rg.zero_field_map(0.5, 2) == pytest.approx(0.2168904152, abs=1e-10)
    assert rg.zero_field_map(1.0, 3) == pytest.approx(0.4743957547, abs=1e-10)
    Kp, hp, _ = rg.decimate(1.0, 0.3, 2)
    assert (Kp, hp) == pytest.approx((0.6419635554, 0.5885865908), abs=1e-10)


def test_decimation_semigroup():
    """Decimating by 2 twice equals decimating by 4 once (including the constants)."""
    K, h = 1.3, 0.2
    K1, h1, g1 = rg.decimate(K, h, 2)
    K2, h2, g2 = rg.decimate(K1, h1, 2)
    K4, h4, g4 = rg.decimate(K, h, 4)
    assert (K2, h2) == pytest.approx((K4, h4), abs=1e-12)
    assert 2 * g1 + g2 == pytest.approx(g4, abs=1e-12)


def test_large_coupling_is_finite():
    Kp, hp, gp = rg.decimate(300.0, 0.0, 2)
    assert Kp == pytest.approx(300.0 - 0.5 * np.log(2), abs=1e-9)
    assert rg.zero_field_map(300.0, 3) == pytest.approx(300.0 - 0.5 * np.log(3), abs=1e-9)


def test_flow_shapes_and_fixed_point():
    Ks, hs, gs = rg.flow(2.0, 0.0, 2, steps=25)
    assert Ks.shape == (26,) and hs.shape == (26,) and gs.shape == (25,)
    assert Ks[-1] < 1e-10 and np.all(np.diff(Ks) <= 0) and Ks[8] > 0


def test_free_energy_from_constants():
    for K, h, b in [(1.0, 0.0, 2), (0.7, 0.4, 3)]:
        f = rg.free_energy_from_flow(K, h, b, steps=40)
        assert f[-1] == pytest.approx(ising.free_energy_per_spin(K, h), abs=1e-10)


def test_linearization_on_fixed_line():
    # from the b = 2 closed form: dK'/dK = 0, dh'/dK = 2 tanh h, dh'/dh = 1 at K = 0
    h = 0.7
    J = rg.linearize(0.0, h, 2)
    np.testing.assert_allclose(J, [[0.0, 0.0], [2 * np.tanh(h), 1.0]], atol=1e-7)
    assert sorted(np.linalg.eigvals(J).real) == pytest.approx([0.0, 1.0], abs=1e-7)


def test_log_matrix_power_vs_numpy():
    T = ising.transfer_matrix(0.6, 0.1)
    for b in (0, 1, 2, 7):
        np.testing.assert_allclose(np.exp(rg.log_matrix_power(np.log(T), b)), np.linalg.matrix_power(T, b), rtol=1e-12)


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: rg.decimate(1.0, 0.0, 1), "b must be >= 2"),
        (lambda: rg.decimate(1.0, 0.0, 2.0), "b must be an integer"),
        (lambda: rg.decimate(np.nan), "K must be finite"),
        (lambda: rg.decimate(1.0, np.inf), "h must be finite"),
        (lambda: rg.decimate("a"), "K must be"),
        (lambda: rg.flow(1.0, steps=-1), "steps must be >= 0"),
        (lambda: rg.zero_field_map(1.0, 0), "b must be >= 2"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
