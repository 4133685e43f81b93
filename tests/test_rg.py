"""RG maps of the Ising chain: matrix power vs closed forms vs brute-force enumeration; the chapter's
claims; the open chain's ln Z and its gradient used by coupling estimation."""

import mpmath
import numpy as np
import oracles
import pytest

from rgbook import couplings, ising, rg
from rgbook.chapters import ising_rg

CASES = [(0.5, 0.0), (1.0, 0.3), (2.0, -0.5), (-0.9, 0.2), (0.05, 1.5)]


@pytest.mark.parametrize("K,h", CASES)
def test_b2_matrix_power_equals_closed_form(K, h):
    np.testing.assert_allclose(rg.decimate(K, h, 2), rg.decimate_closed_form_b2(K, h), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("b", [2, 3, 4])
@pytest.mark.parametrize("K,h", CASES[:4])
def test_matrix_power_equals_enumeration(K, h, b):
    Km, hm, gm = rg.decimate(K, h, b)
    Ke, he, ge, resid = oracles.ring_decimation(K, h, b, m=3 if b == 4 else 4)
    assert resid < 1e-10
    np.testing.assert_allclose((Ke, he, ge), (Km, hm, gm), atol=1e-10)


@pytest.mark.parametrize("K,h,b", [(1.0, 0.3, 2), (0.7, -0.4, 3), (-0.9, 0.2, 2)])
def test_chapter_enumeration_route_equals_oracle(K, h, b):
    """The chapter's evidence route (``ising_rg.decimate_by_enumeration``) against the test oracle."""
    chapter = ising_rg.decimate_by_enumeration(K, h, b, m=4)
    oracle = oracles.ring_decimation(K, h, b, m=4)
    np.testing.assert_allclose(chapter[:3], oracle[:3], atol=1e-11)
    assert chapter[3] < 1e-10 and oracle[3] < 1e-10


@pytest.mark.parametrize("b", [2, 3, 5])
def test_zero_field_tanh_recursion(b):
    K = np.linspace(-3, 3, 41)
    Kp, hp, _ = rg.decimate(K, 0.0, b)
    np.testing.assert_allclose(np.tanh(Kp), np.tanh(K) ** b, atol=1e-13)
    np.testing.assert_allclose(Kp, rg.zero_field_map(K, b), atol=1e-12)
    np.testing.assert_allclose(hp, 0.0, atol=1e-13)


def test_reference_values_in_high_precision():
    """The chapter's reference values R_b(K) = artanh(tanh^b K), recomputed at 30 digits (mpmath)."""
    with mpmath.workdps(30):
        for K, b, ref in ising_rg.PROTOCOL.reference_maps:
            exact = mpmath.atanh(mpmath.tanh(mpmath.mpf(K)) ** b)
            assert abs(float(exact) - ref) <= 5e-11, (K, b)
            assert rg.decimate(K, 0.0, b)[0] == pytest.approx(float(exact), abs=1e-14)


def test_reference_values_of_the_field_map():
    # (K, h) = (1, 0.3), b = 2, from the closed forms evaluated at 30 digits
    with mpmath.workdps(30):
        K, h = mpmath.mpf(1), mpmath.mpf("0.3")
        Kx = mpmath.log(mpmath.cosh(2 * K + h) * mpmath.cosh(2 * K - h) / mpmath.cosh(h) ** 2) / 4
        hx = h + mpmath.log(mpmath.cosh(2 * K + h) / mpmath.cosh(2 * K - h)) / 2
    assert (float(Kx), float(hx)) == pytest.approx((0.6419635554, 0.5885865908), abs=5e-11)
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


# --------------------------------------------------------------------------------------
# ln Z_n of the open chain and its gradient (coupling estimation)

GRAD_CASES = [
    (n, K, h) for n in (2, 3, 5, 8, 12) for K, h in [(0.0, 0.0), (0.7, 0.2), (-1.3, 0.5), (3.0, -1.5), (12.0, 0.2)]
]


@pytest.mark.parametrize("n,K,h", GRAD_CASES)
def test_log_partition_grad_vs_enumeration(n, K, h):
    """Forward-backward ln Z_n and (<sum bonds>, <sum spins>) against plain enumeration."""
    logz, grad = couplings.open_chain_log_partition_grad(n, K, h)
    logz_e, grad_e = oracles.open_chain_moments(n, K, h)
    assert logz == pytest.approx(logz_e, rel=1e-14, abs=1e-13)
    np.testing.assert_allclose(grad, grad_e, rtol=0, atol=1e-12)
    assert logz == pytest.approx(ising.log_partition(n, K, h), rel=1e-14, abs=1e-13)


@pytest.mark.parametrize("n,K,h", [(n, K, h) for n in (2, 6, 16) for K, h in [(0.7, 0.2), (-2.0, 0.0), (3.0, 4.0)]])
def test_log_partition_grad_vs_autograd(n, K, h):
    """The NumPy forward-backward agrees with the PyTorch-autograd route it replaced, to 1e-12."""
    pytest.importorskip("torch")
    logz, grad = couplings.open_chain_log_partition_grad(n, K, h)
    logz_t, grad_t = oracles.open_chain_log_partition_grad_autograd(n, K, h)
    assert abs(logz - logz_t) <= 1e-12
    np.testing.assert_allclose(grad, grad_t, rtol=0, atol=1e-12)


def test_log_partition_grad_long_chain_vs_finite_differences():
    """Long strongly coupled chain: gradient vs central differences of ising.log_partition."""
    n, K, h, eps = 500, 3.0, 0.2, 1e-5
    _, grad = couplings.open_chain_log_partition_grad(n, K, h)
    fd = [
        (ising.log_partition(n, K + eps, h) - ising.log_partition(n, K - eps, h)) / (2 * eps),
        (ising.log_partition(n, K, h + eps) - ising.log_partition(n, K, h - eps)) / (2 * eps),
    ]
    np.testing.assert_allclose(grad, fd, rtol=1e-7)


@pytest.mark.parametrize("K,h", [(0.8, 0.0), (-0.5, 0.4), (1.7, -0.3)])
def test_project_chain_moments_recovers_the_chain(K, h):
    n = 9
    _, moments = oracles.open_chain_moments(n, K, h)
    assert couplings.project_chain_moments(*moments, n) == pytest.approx((K, h), abs=1e-9)


def test_log_partition_grad_bad_input():
    with pytest.raises(ValueError, match="n must be >= 2"):
        couplings.open_chain_log_partition_grad(1, 0.5, 0.0)
    with pytest.raises(ValueError, match="K must be finite"):
        couplings.open_chain_log_partition_grad(5, np.inf, 0.0)


# --------------------------------------------------------------------------------------
# the chapter's claims


@pytest.mark.parametrize("ising_claim", ising_rg.CLAIMS, ids=lambda c: c.id)
def test_chapter_claims_hold_on_the_book_protocol(ising_claim):
    """The four claims are exact physics: they hold on the book's protocol (about a second in all)."""
    result = ising_claim.run()
    failing = [r.quantity for r in result.rows if not r.passes]
    assert result.status == "holds", failing


@pytest.mark.parametrize("ising_claim", ising_rg.CLAIMS, ids=lambda c: c.id)
def test_chapter_claim_statements_name_their_tolerances(ising_claim):
    """Every tolerance appears in the rendered statement as the number the measure uses."""
    for value in ising_claim.tolerances.values():
        assert f"{value:g}" in ising_claim.text
    assert ising_claim.protocol is ising_rg.PROTOCOL and ising_claim.figure in ising_rg.FIGURES


def test_chapter_runs_are_typed_and_consistent():
    P = ising_rg.PROTOCOL.smoke()
    routes = ising_rg.decimation_routes(P)
    assert len(routes) == len(P.decimation_cases)
    for r in routes:
        assert r.spread < 1e-9 and r.enumeration_residual < 1e-9
    table = ising_rg.routes_table(routes)
    assert list(table["b"]) == [b for _, _, b in P.decimation_cases]
    flows = ising_rg.correlation_flows(P)
    assert [f.b for f in flows] == list(P.fig_xi_bs)
    for f in flows:
        assert len(f.xi_exact) == P.fig_xi_steps + 1 and len(f.xi_measured) == P.fig_xi_sampled_steps + 1
        np.testing.assert_allclose(f.xi_exact, f.xi_predicted, rtol=1e-9)
    for c in ising_rg.sampled_correlations(P):
        assert abs(c.mean - c.predicted) < 6 * c.se


def test_chapter_decimation_rows_cover_every_case_and_route():
    P = ising_rg.PROTOCOL
    rows = ising_rg.DECIMATION.run().rows
    expected = sum(4 + 3 * (b == 2) + (h == 0.0) for _, h, b in P.decimation_cases) + len(P.reference_maps)
    assert len(rows) == expected
    assert len({r.quantity for r in rows}) == len(rows)
