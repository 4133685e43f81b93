"""Chapter chain_rg: the single-site variance of the small-coupling law, the ring's correlation length and the
small-coupling claim, each against a route that does not use the code under test."""

import mpmath
import numpy as np
import pytest

from rgbook import expfam
from rgbook.chapters import chain_rg as ch


def _variance_bessel(a: float, c: float) -> float:
    """<x^2> = -d/da ln Z for Z = int exp(-a x^2 - c x^4) dx = (1/2) sqrt(a/c) e^(a^2/8c) K_(1/4)(a^2/8c), a > 0."""
    mpmath.mp.dps = 30

    def lnZ(s):
        z = s**2 / (8 * c)
        return mpmath.log(mpmath.sqrt(s / c) / 2) + z + mpmath.log(mpmath.besselk(mpmath.mpf(1) / 4, z))

    return float(-mpmath.diff(lnZ, mpmath.mpf(a)))


@pytest.mark.parametrize("theta", [(0.5, 0.1), (0.1, 0.5), (1.0, 1.0), (2.0, 0.05)])
def test_single_site_variance_against_bessel_closed_form(theta):
    expected = _variance_bessel(*theta)
    assert ch.single_site_variance(theta) == pytest.approx(expected, rel=1e-10)
    assert ch.single_site_variance_closed_form(*theta) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("theta", [(0.5, 0.1), (-0.5, 0.25)])
def test_single_site_variance_against_monte_carlo(theta):
    """Exact rejection samples of e^(-V) (no grid, no quadrature): <x^2> within 5 standard errors."""
    x = expfam.family("even_poly").sample(-np.array(theta), 200_000, rng=np.random.default_rng(7))
    se = np.std(x**2, ddof=1) / np.sqrt(x.size)
    assert abs(np.mean(x**2) - ch.single_site_variance(theta)) <= 5 * se


def test_variance_below_gaussian_value():
    """theta_2, theta_4 > 0: <x^2>_V < 1/(2 theta_2), so K^2/(2 theta_2) overstates K'."""
    for theta in [(0.5, 0.1), (0.1, 0.5), (2.0, 0.01)]:
        assert ch.single_site_variance(theta) < 0.5 / theta[0]


@pytest.mark.parametrize("r", [0.2, 0.4, 0.49])
def test_ring_correlation_length_against_closed_form(r):
    """Infinite chain: correlations decay as lambda^|i-j| with 1/(2r) = cosh(ln lambda), so xi = 1/arccosh(1/2r)."""
    assert ch.ring_correlation_length(r, 1024) == pytest.approx(1 / np.arccosh(1 / (2 * r)), rel=1e-10)


def test_small_K_claim_holds_on_the_smoke_protocol():
    result = ch.CLAIMS[1].run(ch.PROTOCOL.smoke())
    assert result.claim.id == "II.rg.phi4-small-K" and result.status == "holds"
    assert {r.role for r in result.rows} == {"evidence", "consistency"}


def test_gaussian_chain_rows_have_roles():
    rows = ch.CLAIMS[0].run(ch.PROTOCOL.smoke()).rows
    consistency = [r.quantity for r in rows if r.role == "consistency"]
    assert len(consistency) == 3 and all("r* = 1/2" in q for q in consistency)
    assert any(r.role == "evidence" and "ln r_10" in r.quantity for r in rows)
