"""rgbook.momentum: momentum-shell RG on spectra against matrix routes (numpy FFT, eigh) and large rings."""

from __future__ import annotations

import numpy as np
import pytest

from rgbook import couplings, features, momentum


def test_circulant_and_ring_ratio_routes_agree():
    N, r = 27, 0.35
    S = momentum.ring_spectrum(N, r)
    C = momentum.circulant(S)
    P = np.eye(N) - r * (np.roll(np.eye(N), 1, 0) + np.roll(np.eye(N), -1, 0))
    np.testing.assert_allclose(C, np.linalg.inv(P), atol=1e-12)
    assert momentum.ring_ratio_of_spectrum(S) == pytest.approx(r, abs=1e-10)  # a ring projects onto itself
    S2 = momentum.momentum_shell_spectrum(S, 3)
    d, K, _ = couplings.project_gaussian_ring(momentum.circulant(S2))
    assert momentum.ring_ratio_of_spectrum(S2) == pytest.approx(K / d, abs=1e-10)


def test_fourier_flow_rates_from_the_expansion():
    """Stable side: r_{l+1}/r_l -> b^-2; critical side: t grows by b^2 (closed form, large ring)."""
    r = momentum.fourier_flow(3**9, 3, 0.3, 6)
    assert r[6] / r[5] == pytest.approx(1 / 9, rel=0.02)
    t = 1 - 2 * momentum.fourier_flow(3**9, 3, 0.5 - 1e-8, 4)
    assert t[3] / t[2] == pytest.approx(9, rel=0.03)


def test_angle_bound_theorem_on_random_subspaces():
    """thm-angle-bound: excess >= gap sin^2(theta_V) for V = span(C^1/2 W^T), and
    tan(theta_W) <= sqrt(lambda_1/lambda_N) tan(theta_V)."""
    rng = np.random.default_rng(0)
    C = momentum.circulant(momentum.ring_spectrum(27, 0.4))
    lam, vec = np.linalg.eigh(C)
    gap, top = lam[-9] - lam[-10], vec[:, -9:].T
    root = vec @ np.diag(np.sqrt(lam)) @ vec.T
    for scale in (0.01, 0.1, 0.5):
        for _ in range(10):
            W = top + scale * rng.standard_normal(top.shape)
            excess = features.optimal_linear_loss(C, W) - features.eckart_young_loss(C, 9)
            theta_v = features.largest_principal_angle((root @ W.T).T, top)
            assert excess >= gap * np.sin(theta_v) ** 2 - 1e-12
            theta_w = features.largest_principal_angle(W, top)
            assert np.tan(theta_w) <= np.sqrt(lam[-1] / lam[0]) * np.tan(theta_v) + 1e-12


@pytest.mark.slow
def test_infinite_line_growth_matches_a_large_ring():
    growth = momentum.infinite_line_growth(3, 3)
    t = 1 - 2 * momentum.fourier_flow(3**12, 3, 0.5 - 1e-8, 3)  # 1 << correlation length << N
    np.testing.assert_allclose(t[1:] / t[:-1], growth, rtol=2e-3)
    assert growth[0] == pytest.approx((1 + 5 * np.sqrt(3) / (2 * np.pi)) ** 2, rel=1e-10)


def test_staggered_shell_is_the_antiferromagnetic_optimum_and_gives_the_staggered_momentum_shell():
    from rgbook import features
    from rgbook.momentum import circulant, momentum_shell_spectrum, ring_spectrum, staggered_shell_modes

    n, m, r0 = 54, 27, -0.3
    C = circulant(ring_spectrum(n, r0))
    lam, vec = np.linalg.eigh(C)
    top = vec[:, np.argsort(lam)[::-1][:m]].T  # PCA: the m largest variances (gap > 0 for b = 2)
    Q = staggered_shell_modes(n, m)
    assert features.largest_principal_angle(top, Q) < 1e-8
    F = features.receptive_field_features(Q, 2)  # S Pi: kept sites 2j, (-1)^(2j) = 1
    expected = circulant(momentum_shell_spectrum(ring_spectrum(n, abs(r0)), 2))
    np.testing.assert_allclose(F @ C @ F.T, expected, atol=1e-12)
    lam3 = np.sort(np.linalg.eigvalsh(circulant(ring_spectrum(81, r0))))[::-1]
    assert lam3[26] - lam3[27] < 1e-12  # b = 3: the cut splits a degenerate pair
    with pytest.raises(ValueError, match="n must be even"):
        staggered_shell_modes(27, 9)


def test_soft_mode_readout_against_sampled_regression_and_its_gauge():
    from rgbook.momentum import circulant, ring_spectrum, soft_mode_readout

    n, r0 = 12, 0.4
    C = circulant(ring_spectrum(n, r0))
    rng = np.random.default_rng(3)
    A = rng.standard_normal((3, n))
    share, var = soft_mode_readout(C, A)
    B = rng.standard_normal((3, 3))
    assert soft_mode_readout(C, B @ A) == pytest.approx((share, var), rel=1e-10)  # gauge-free
    assert soft_mode_readout(C, np.ones((1, n)))[0] == pytest.approx(1.0, abs=1e-12)  # M itself is a feature
    x = rng.multivariate_normal(np.zeros(n), C, size=200_000)
    u, M = x @ A.T, x.mean(axis=1)
    coef, *_ = np.linalg.lstsq(u, M, rcond=None)
    assert share == pytest.approx(1 - np.var(M - u @ coef) / np.var(M), abs=0.01)


def test_near_critical_spectrum_is_the_ring_spectrum_without_cancellation():
    """Away from criticality both forms agree to rounding; at t = 2e-9 the q = 0 term of the direct form,
    1/(1 - 2r), carries the rounding of 1 - 2r (relative ~1e-8), the other form none."""
    for N, t in [(27, 0.3), (81, 0.01), (243, 1e-4)]:
        np.testing.assert_allclose(
            momentum.near_critical_ring_spectrum(N, t), momentum.ring_spectrum(N, (1 - t) / 2), rtol=1e-9
        )
    S = momentum.near_critical_ring_spectrum(9, 2e-9)
    assert S[0] == 1 / 2e-9  # exactly 1/t at q = 0
    assert np.array_equal(
        momentum.spectrum_flow(momentum.ring_spectrum(3**6, 0.3), 3, 6), momentum.fourier_flow(3**6, 3, 0.3, 6)
    )
    with pytest.raises(ValueError, match="t must be"):
        momentum.near_critical_ring_spectrum(9, 0.0)


def test_near_critical_ring_t_recovers_a_ring_and_agrees_with_the_newton_projection():
    """A ring's own spectrum projects on itself: t is returned to rounding down to t = 2e-9 (where 1 - 2r from the
    Newton projection's r keeps only ~1e-7 of it); away from criticality both projections agree."""
    for n, t in [(27, 0.5), (243, 1e-3), (3**9, 2e-9)]:
        assert momentum.near_critical_ring_t(momentum.near_critical_ring_spectrum(n, t)) == pytest.approx(t, rel=1e-13)
    S = momentum.momentum_shell_spectrum(momentum.ring_spectrum(243, 0.4), 3)  # not a ring: a projection proper
    assert momentum.near_critical_ring_t(S) == pytest.approx(1 - 2 * momentum.ring_ratio_of_spectrum(S), rel=1e-10)
    with pytest.raises(ValueError, match="ferromagnetic"):
        momentum.near_critical_ring_t(momentum.ring_spectrum(27, -0.3))
    with pytest.raises(ValueError, match="S must be"):
        momentum.near_critical_ring_t(np.array([1.0, -1.0, 2.0]))


def test_second_moment_correlation_length_on_rings_shell_steps_and_gauges():
    # exact on a ring, at any size: xi^2 = r/(1 - 2r)
    for n, r in ((9, 0.3), (81, 0.499), (243, 0.4995)):
        xi = momentum.second_moment_correlation_length(momentum.circulant(momentum.ring_spectrum(n, r)))
        assert xi == pytest.approx(np.sqrt(r / (1 - 2 * r)), rel=1e-10)
    # one momentum-shell step keeps S(0)/S(q_1), so xi shrinks by sin(b pi/n)/sin(pi/n) exactly
    S = momentum.ring_spectrum(81, 0.49)
    xi0 = momentum.second_moment_correlation_length(momentum.circulant(S))
    xi1 = momentum.second_moment_correlation_length(momentum.circulant(momentum.momentum_shell_spectrum(S, 3)))
    assert xi0 / xi1 == pytest.approx(np.sin(3 * np.pi / 81) / np.sin(np.pi / 81), rel=1e-10)
    # free of the scale and of a cyclic relabelling of the units; white noise has xi = 0, no peak gives NaN
    C = momentum.circulant(S) @ np.diag(np.linspace(1, 2, 81))
    C = C + C.T
    P = np.roll(np.eye(81), 5, axis=0)
    assert momentum.second_moment_correlation_length(7 * C) == pytest.approx(
        momentum.second_moment_correlation_length(P @ C @ P.T), rel=1e-12
    )
    assert momentum.second_moment_correlation_length(np.eye(5)) == 0.0
    assert np.isnan(momentum.second_moment_correlation_length(momentum.circulant(momentum.ring_spectrum(9, -0.3))))
    with pytest.raises(ValueError):
        momentum.second_moment_correlation_length(np.eye(2))


def test_ring_t_of_covariance_reads_a_ring_to_rounding_and_equals_the_newton_projection_elsewhere():
    """On a circulant the covariance route equals the spectrum route; on a non-circulant covariance it is the
    moment-matching projection of rgbook.couplings (a, c from C), to the Newton projection's tolerance."""
    from rgbook import couplings

    for n, t in ((81, 2e-3), (27, 1e-7), (9, 0.5)):
        S = momentum.near_critical_ring_spectrum(n, t)
        C = momentum.circulant(S)
        assert momentum.ring_t_of_covariance(C) == pytest.approx(t, rel=1e-12)
    rng = np.random.default_rng(4)
    A = rng.normal(size=(12, 12))
    C = momentum.circulant(momentum.ring_spectrum(12, 0.3)) + 0.05 * (A @ A.T) / 12  # not circulant
    d, K, _ = couplings.project_gaussian_ring(C)
    assert momentum.ring_t_of_covariance(C) == pytest.approx(1 - 2 * K / d, rel=1e-9)
    with pytest.raises(ValueError, match="ferromagnetic"):
        momentum.ring_t_of_covariance(momentum.circulant(momentum.ring_spectrum(12, -0.3)))
    with pytest.raises(ValueError, match="C must"):
        momentum.ring_t_of_covariance(np.eye(2))
