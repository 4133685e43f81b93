"""Momentum-shell RG of the Gaussian ring: closed forms against matrix routes (numpy FFT, eigh)."""

from __future__ import annotations

import numpy as np
import pytest

from rgbook import couplings, features
from rgbook.chapters import momentum_shell as ms


def _fft_projector(N: int, m: int) -> np.ndarray:
    """Projector onto modes |k| <= (m-1)/2 built from complex exponentials (independent of shell_modes)."""
    k = np.fft.fftfreq(N, 1 / N).astype(int)
    E = np.exp(2j * np.pi * np.outer(np.arange(N), k[np.abs(k) <= (m - 1) // 2]) / N) / np.sqrt(N)
    return np.real(E @ E.conj().T)


@pytest.mark.parametrize("N,b,r", [(27, 3, 0.3), (45, 3, -0.2), (25, 5, 0.45)])
def test_no_aliasing_spectrum_matches_matrix_route(N, b, r):
    C = np.linalg.inv(np.eye(N) - r * (np.roll(np.eye(N), 1, 0) + np.roll(np.eye(N), -1, 0)))
    F = features.selection_matrix(N, b) @ _fft_projector(N, N // b)
    lam = np.sort(np.linalg.eigvalsh(F @ C @ F.T))
    pred = np.sort(ms.momentum_shell_spectrum(ms.ring_spectrum(N, r), b))
    np.testing.assert_allclose(lam, pred, rtol=1e-12)


def test_shell_modes_span_the_top_eigenspace_of_a_ferromagnetic_ring():
    N, m = 27, 9
    C = ms.circulant(ms.ring_spectrum(N, 0.4))
    Q = ms.shell_modes(N, m)
    np.testing.assert_allclose(Q @ Q.T, np.eye(m), atol=1e-12)
    top = np.linalg.eigh(C)[1][:, -m:].T
    assert features.largest_principal_angle(Q, top) < 1e-8
    np.testing.assert_allclose(Q.T @ Q, _fft_projector(N, m), atol=1e-12)


def test_angle_to_decimation_is_arccos_one_over_root_b():
    for N, b in ((27, 3), (81, 3), (25, 5)):
        angle = features.largest_principal_angle(ms.shell_modes(N, N // b), features.selection_matrix(N, b))
        assert angle == pytest.approx(np.arccos(1 / np.sqrt(b)), abs=1e-10)
        assert ms.decimation_identity_error(N, b) < 1e-12


def test_fourier_flow_equals_matrix_stack():
    P = ms.Protocol(N=81, depth=3)
    reading = ms.read_maps(81, 0.45, ms.momentum_shell_maps(P))
    np.testing.assert_allclose(ms.fourier_flow(81, 3, 0.45, 3), reading.r, atol=1e-10)


def test_first_edition_angle_bound_was_false():
    """The referee's counterexample: C = diag(10, 1), W at angle 0.1 from the top axis."""
    C = np.diag([10.0, 1.0])
    W = np.array([[np.cos(0.1), np.sin(0.1)]])
    excess = features.optimal_linear_loss(C, W) - features.eckart_young_loss(C, 1)
    assert excess < 9.0 * np.sin(0.1) ** 2  # the old bound fails
    theta_v = np.arcsin(np.sqrt(excess / 9.0))
    assert np.tan(0.1) <= np.sqrt(10.0) * np.tan(theta_v) + 1e-12  # the corrected one holds


def test_random_shared_filter_keeps_criticality_in_linear_response():
    P = ms.Protocol(N=81, depth=2)
    maps = ms.control_maps(P, "random shared filter", 0)
    near, far = (ms.read_maps(81, 0.5 - e, maps).t[-1] for e in (1e-8, 1e-6))
    assert far / near == pytest.approx(100, rel=0.05)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ms.ring_spectrum(27, 0.5), "r must"),
        (lambda: ms.momentum_shell_spectrum(np.ones(18), 3), "n/b odd"),
        (lambda: ms.shell_modes(27, 8), "m must be odd"),
        (lambda: ms.control_maps(ms.PROTOCOL, "dense", 0), "kind must be one of"),
        (lambda: couplings.project_gaussian_ring_moments(1.0, 1.0, 9), r"\|c\| < a"),
        (lambda: couplings.project_gaussian_ring_moments(-1.0, 0.0, 9), "a must"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(("n", "how"), [(9, "meets a singular Hessian"), (27, "does not converge in 200 steps")])
def test_projection_too_close_to_criticality_is_a_named_error(n, how):
    """c/a = 1 - 1e-9: the Newton solve of the ring projection fails (as it does for the spectrum of t_0 = 2e-10 on
    3^14 sites); the error names c and its edge instead of numpy's LinAlgError or a silent unconverged return."""
    with pytest.raises(ValueError, match=rf"^c must keep c/a = .* farther from its edge 1 .*{how}"):
        couplings.project_gaussian_ring_moments(1.0, 1.0 - 1e-9, n)
