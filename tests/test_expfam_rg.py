"""Chapter expfam_rg: the quartic family's kurtosis range, the boundary of the moment-matching projection and the
roles of the cumulant rows, each against a route that does not use the code under test."""

import numpy as np
import pytest
from scipy.special import pbdv

from rgbook import expfam
from rgbook.chapters import expfam_rg as ch

X = np.linspace(-8, 8, 4001)


def _kurtosis_closed_form(w: float) -> float:
    """Excess kurtosis of exp(-theta_2 x^2 - theta_4 x^4), w = theta_2/sqrt(2 theta_4), in parabolic cylinder functions:
    E x^(2n) is proportional to Gamma(n + 1/2) (2 theta_4)^(-n/2) D_(-n-1/2)(w), so the standardized E x^4 / (E x^2)^2
    is 3 D_(-5/2) D_(-1/2) / D_(-3/2)^2."""
    d = {v: pbdv(v, w)[0] for v in (-0.5, -1.5, -2.5)}
    return 3 * d[-2.5] * d[-0.5] / d[-1.5] ** 2 - 3


@pytest.mark.parametrize("w", [-4.0, -1.0, 0.0, 0.7, 3.0, 10.0, 30.0])
def test_quartic_family_has_negative_excess_kurtosis(w):
    closed = _kurtosis_closed_form(w)
    assert -2 < closed < 0
    # theta_4 = 1/2 and another theta_4 at the same w: the standardized law depends on w only
    assert ch.quartic_kurtosis(w, 0.5) == pytest.approx(closed, rel=1e-8, abs=1e-12)
    assert ch.quartic_kurtosis(w * np.sqrt(2 * 0.05), 0.05) == pytest.approx(closed, rel=1e-8, abs=1e-12)


def test_pure_quartic_kurtosis():
    """theta_2 = 0: E x^4/(E x^2)^2 = Gamma(5/4) Gamma(1/4) / Gamma(3/4)^2."""
    from math import gamma

    assert ch.quartic_kurtosis(0.0, 1.0) == pytest.approx(gamma(1.25) * gamma(0.25) / gamma(0.75) ** 2 - 3, rel=1e-10)


@pytest.mark.parametrize("excess", [1e-3, 0.36, 2.0, 6.0])
def test_heavy_tailed_moments_project_onto_the_gaussian_boundary(excess):
    """E x^4 > 3 (E x^2)^2: the KL projection is (1/(2 E x^2), 0), the Gaussian with the data's variance."""
    var = 1.7
    theta = expfam.project_even_poly_moments([var, (3 + excess) * var**2], X)
    assert theta[1] == 0.0
    assert theta[0] == pytest.approx(0.5 / var, rel=1e-6)


@pytest.mark.parametrize("excess", [-1.5, -0.5, -0.05])
def test_light_tailed_moments_are_matched_inside_the_family(excess):
    theta = expfam.project_even_poly_moments([1.0, 3 + excess], X)
    assert theta[1] > 0
    m2, m4 = expfam.grid_even_moments(X, expfam.even_poly_density(theta, X), 2)
    assert m2 == pytest.approx(1.0, abs=1e-7) and m4 == pytest.approx(3 + excess, abs=1e-6)


@pytest.mark.parametrize("target", [[1.0, 0.9], [1.0, 1.0], [1.0, 4.0, 15.0], [1.0, -3.0], [np.nan, 3.0]])
def test_projection_refuses_moments_of_no_density(target):
    with pytest.raises(ValueError, match="target must be"):
        expfam.project_even_poly_moments(target, X)


def test_gaussian_moments_project_to_the_gaussian_in_every_family_size():
    for m in (1, 2, 3, 4):
        theta = expfam.project_even_poly_moments([1.0, 3.0, 15.0, 105.0][:m], X)
        assert theta[0] == pytest.approx(0.5, abs=1e-6) and np.all(np.abs(theta[1:]) < 1e-6)


def test_boundary_table_matches_the_theorem():
    """Positive excess kurtosis: boundary; negative: inside and matched (the sign decides, nothing else)."""
    for q in ch.standardized_projections(ch.PROTOCOL):
        assert q.inside == (q.excess_kurtosis < 0), q


def test_cumulant_rows_roles_and_the_relevant_mean():
    rows = ch.CLAIMS[0].run(ch.PROTOCOL.smoke()).rows
    for row in rows:
        if "exact block law" in row.quantity:  # cumulants of independent sums add: cannot fail short of a bug
            assert row.role == "consistency", row.quantity
    means = [r for r in rows if "kappa_1'" in r.quantity and "exact" in r.quantity and r.quantity.startswith("poisson")]
    lam = 0.7
    assert means and all(
        r.predicted == pytest.approx(lam * np.sqrt(int(r.quantity.split("b=")[1][0])), rel=1e-12) for r in means
    )
    assert any("kappa_1' Monte Carlo" in r.quantity and r.role == "evidence" for r in rows)


def test_block_sum_refuses_a_law_the_grid_does_not_resolve():
    from rgbook import rg

    with pytest.raises(ValueError, match="theta must give a law the grid resolves"):
        rg.block_sum_even_poly([1e6], n_grid=801)
