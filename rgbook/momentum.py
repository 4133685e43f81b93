r"""Momentum-shell RG of the Gaussian ring, on spectra.

The Gaussian ring with precision :math:`I - r(S + S^T)` is diagonal in Fourier space
(:func:`ring_spectrum`). One sharp-cutoff momentum-shell step keeps the longest wavelengths
and rescales (:func:`momentum_shell_spectrum`; the kept subspace is :func:`shell_modes`);
:func:`circulant` goes back to the covariance, :func:`ring_ratio_of_spectrum` projects a
spectrum onto rings, :func:`fourier_flow` iterates, and :func:`infinite_line_growth` gives the
growth per step of the distance from the critical point on the infinite line;
:func:`second_moment_correlation_length` reads a correlation length from any covariance of units on a ring.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy.integrate import quad
from scipy.optimize import brentq

from . import couplings
from ._validate import as_int, as_real

__all__ = [
    "wavenumbers",
    "ring_spectrum",
    "momentum_shell_spectrum",
    "shell_modes",
    "staggered_shell_modes",
    "circulant",
    "ring_ratio_of_spectrum",
    "fourier_flow",
    "spectrum_flow",
    "near_critical_ring_spectrum",
    "near_critical_ring_t",
    "ring_t_of_covariance",
    "infinite_line_growth",
    "soft_mode_readout",
    "second_moment_correlation_length",
]


def wavenumbers(n: int) -> np.ndarray:
    """Signed wavenumbers k of the n-ring, in FFT order: 0, 1, ..., then negatives."""
    k = np.arange(n)
    return np.where(k <= n // 2, k, k - n)


def ring_spectrum(N: int, r: float) -> np.ndarray:
    r"""Covariance spectrum :math:`S(q_k) = 1/(1 - 2r\cos q_k)`, :math:`q_k = 2\pi k/N`, of the Gaussian ring
    with precision :math:`I - r(S + S^T)` (:math:`d = 1`), in FFT order; needs :math:`|r| < 1/2`."""
    N = as_int("N", N, minimum=3)
    r = as_real("r", r, minimum=-0.5, maximum=0.5)
    if abs(r) >= 0.5:
        raise ValueError(f"r must satisfy |r| < 1/2 (a normalizable ring), got {r}")
    return 1.0 / (1.0 - 2.0 * r * np.cos(2 * np.pi * np.arange(N) / N))


def momentum_shell_spectrum(S, b: int) -> np.ndarray:
    r"""One sharp-cutoff momentum-shell step: :math:`S'(q') = S(q'/b)/b` on the ring of :math:`n/b` sites.

    The modes :math:`|k| \le (m-1)/2` of the :math:`n`-ring (``m = n/b`` odd) are kept; they are
    distinct modulo :math:`m`, so mode :math:`k` lands on :math:`k' = k` of the coarse ring with no
    aliasing (:prf:ref:`thm-no-aliasing`). FFT order in and out.
    """
    S = np.asarray(S, dtype=float)
    b = as_int("b", b, minimum=2)
    n = S.shape[0]
    if S.ndim != 1 or n % b or (n // b) % 2 == 0:
        raise ValueError(f"S must be a 1-d spectrum whose length n has n/b odd, got n={n}, b={b}")
    m = n // b
    k = wavenumbers(n)
    keep = np.abs(k) <= (m - 1) // 2
    out = np.empty(m)
    out[k[keep] % m] = S[keep] / b
    return out


def shell_modes(n: int, m: int) -> np.ndarray:
    r"""Orthonormal real Fourier basis (rows) of the :math:`m` longest wavelengths :math:`|k| \le (m-1)/2` of
    the :math:`n`-ring (``m`` odd): the subspace a momentum-shell step keeps."""
    n = as_int("n", n, minimum=3)
    m = as_int("m", m, minimum=1, maximum=n)
    if m % 2 == 0:
        raise ValueError(f"m must be odd (a symmetric shell |k| <= (m-1)/2), got {m}")
    i = np.arange(n)
    rows = [np.full(n, 1 / np.sqrt(n))]
    for k in range(1, (m - 1) // 2 + 1):
        rows += [np.sqrt(2 / n) * np.cos(2 * np.pi * k * i / n), np.sqrt(2 / n) * np.sin(2 * np.pi * k * i / n)]
    return np.array(rows)


def staggered_shell_modes(n: int, m: int) -> np.ndarray:
    r"""The ``m`` shortest wavelengths of the ``n``-ring (``n`` even, ``m`` odd): :func:`shell_modes` times
    :math:`(-1)^i`, the subspace that the largest variances of an antiferromagnetic ring span
    (:math:`(-1)^i` shifts the wavenumber :math:`q` by :math:`\pi`)."""
    n = as_int("n", n, minimum=4)
    if n % 2:
        raise ValueError(f"n must be even (an odd ring has no mode at q = pi), got {n}")
    return shell_modes(n, m) * (-1.0) ** np.arange(n)


def circulant(S) -> np.ndarray:
    r"""The covariance :math:`C_{ij} = \frac1n\sum_k S_k e^{iq_k(i-j)}` of a real symmetric spectrum (FFT order)."""
    S = np.asarray(S, dtype=float)
    col = np.real(np.fft.ifft(S))
    n = S.shape[0]
    return col[(np.arange(n)[:, None] - np.arange(n)[None, :]) % n]


def ring_ratio_of_spectrum(S) -> float:
    r"""Ring ratio :math:`r = K/d` of the KL projection of a circulant Gaussian with spectrum ``S`` onto rings
    (moments :math:`a = \overline{S}`, :math:`c = \overline{S\cos q}`)."""
    S = np.asarray(S, dtype=float)
    n = S.shape[0]
    d, K = couplings.project_gaussian_ring_moments(S.mean(), (S * np.cos(2 * np.pi * np.arange(n) / n)).mean(), n)
    return K / d


@cache
def fourier_flow(N: int, b: int, r0: float, levels: int) -> np.ndarray:
    r"""Projected ring ratios :math:`r_l`, :math:`l = 0..` ``levels``, of momentum-shell RG from the ring
    :math:`(N, r_0)`, computed on spectra (``N`` may be :math:`3^{12}`); stops when 3 sites remain."""
    return spectrum_flow(ring_spectrum(N, r0), b, levels)


def near_critical_ring_spectrum(N: int, t: float) -> np.ndarray:
    r"""The spectrum of :func:`ring_spectrum` at :math:`r = (1 - t)/2`, written without cancellation near the critical
    point: :math:`S(q_k) = 1/(t + (1 - t)\,2\sin^2(q_k/2))`, for :math:`0 < t \le 1`."""
    N = as_int("N", N, minimum=3)
    t = as_real("t", t, minimum=0.0, strict_minimum=True, maximum=1.0)
    return 1.0 / (t + (1.0 - t) * 2.0 * np.sin(np.pi * np.arange(N) / N) ** 2)


def spectrum_flow(S, b: int, levels: int, read=None) -> np.ndarray:
    r"""Projected ring parameters, :math:`l = 0..` ``levels``, of momentum-shell RG from the spectrum ``S`` (FFT
    order); stops when 3 sites remain. ``read`` maps a spectrum to the parameter: the ring ratio
    :func:`ring_ratio_of_spectrum` by default, or e.g. :func:`near_critical_ring_t`."""
    read = ring_ratio_of_spectrum if read is None else read
    S = np.asarray(S, dtype=float)
    out = [read(S)]
    for _ in range(levels):
        if S.shape[0] // b < 3:
            break
        S = momentum_shell_spectrum(S, b)
        out.append(read(S))
    return np.array(out)


def near_critical_ring_t(S) -> float:
    r"""The distance :math:`t = 1 - 2r` from the critical point of the ring that the spectrum ``S`` (FFT order)
    projects on, the projection of :func:`ring_ratio_of_spectrum` solved without cancellation near :math:`t = 0`.

    Moment matching fixes the ring's ratio through :math:`1 - c/a = \langle S u\rangle/\langle S\rangle`,
    :math:`u_q = 2\sin^2(q/2) = 1 - \cos q`, computed from ``S`` directly; the ring with precision
    :math:`\propto t + (1 - t)u_q` has :math:`1 - c/a = \langle u/\lambda\rangle/\langle 1/\lambda\rangle`, which
    rises from 0 to 1 as :math:`t` goes from 0 to 1, so :math:`\ln t` is the root of one monotone equation (Brent's
    method to :math:`10^{-15}` in :math:`\ln t`). Needs a ferromagnetic projection, :math:`0 < c < a`
    (:math:`0 < r < 1/2`); where :func:`rgbook.couplings.project_gaussian_ring_moments` returns :math:`r` and
    :math:`t = 1 - 2r` loses the digits of :math:`r`, this returns :math:`t` to rounding.
    """
    S = np.asarray(S, dtype=float)
    if S.ndim != 1 or S.size < 3 or not np.all(np.isfinite(S)) or not np.all(S > 0):
        raise ValueError(f"S must be a 1-d spectrum of at least 3 positive finite values, got shape {S.shape}")
    u = 2.0 * np.sin(np.pi * np.arange(S.size) / S.size) ** 2
    return _ring_t_of_ratio(float((S * u).mean() / S.mean()), u, "S")  # 1 - c/a of S


def ring_t_of_covariance(C) -> float:
    r""":func:`near_critical_ring_t` for a covariance ``C`` (n x n, variables in ring order, not necessarily
    circulant): the ring that :func:`rgbook.couplings.project_gaussian_ring` projects ``C`` on matches
    :math:`a = \tfrac1n\operatorname{tr}C` and :math:`c = \tfrac1n\sum_i C_{i,i+1}`, and its
    :math:`t = 1 - 2r` solves :math:`1 - c/a = \sum_i (C_{ii} - C_{i,i+1})/\sum_i C_{ii}` (the difference taken
    entry by entry) as a root in :math:`\ln t`. Needs a ferromagnetic projection, :math:`0 < c < a`."""
    C = _ring_covariance(C)
    n = C.shape[0]
    diag = np.diag(C)
    if not np.all(diag > 0):
        raise ValueError("C must have a positive diagonal")
    nn = C[np.arange(n), (np.arange(n) + 1) % n]
    u = 2.0 * np.sin(np.pi * np.arange(n) / n) ** 2
    return _ring_t_of_ratio(float((diag - nn).sum() / diag.sum()), u, "C")


def _ring_covariance(C) -> np.ndarray:
    """``C`` as a float array, checked to be a finite (n, n) matrix with n >= 3 (units on a ring)."""
    C = np.asarray(C, dtype=float)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] < 3 or not np.all(np.isfinite(C)):
        raise ValueError(f"C must be a finite (n, n) covariance with n >= 3, got shape {C.shape}")
    return C


def _ring_t_of_ratio(target: float, u: np.ndarray, name: str) -> float:
    """The ring's t whose 1 - c/a is ``target`` (``u`` = 2 sin^2(q/2) on the ring's momenta): a root in ln t."""
    if not 0.0 < target < 1.0:
        raise ValueError(f"{name} must project on a ferromagnetic ring (0 < c < a), got 1 - c/a = {target}")
    log_target = np.log(target)

    def gap(log_t: float) -> float:
        t = np.exp(log_t)
        inv = 1.0 / (t + (1.0 - t) * u)
        return float(np.log((u * inv).mean() / inv.mean()) - log_target)

    return float(np.exp(brentq(gap, np.log(1e-300), 0.0, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500)))


def infinite_line_growth(b: int, steps: int) -> np.ndarray:
    r"""Growth per step :math:`t_{l+1}/t_l` of the projected distance from the critical point under momentum-shell
    RG on the infinite line, in the limit :math:`t_0 \to 0`: :math:`(A_{l+1}/A_l)^2` with

    .. math:: A_l = \frac{1}{2\pi b^l}\int_{-\pi}^{\pi} \frac{1 - \cos q}{1 - \cos(q/b^l)}\,dq,

    the combination :math:`a - c` (variance minus nearest-neighbour covariance) of the level-:math:`l`
    spectrum at :math:`r = 1/2`, which fixes the projected :math:`t` to leading order. Returns
    ``steps`` growth factors (step 0 to 1, ...); they tend to :math:`b^2`.
    """
    b = as_int("b", b, minimum=2)
    steps = as_int("steps", steps, minimum=1)

    def A(level: int) -> float:
        s = float(b) ** level
        if level == 0:
            return 1.0
        # (1 - cos q)/(1 - cos(q/s)) = sin^2(q/2)/sin^2(q/2s), written so that it does not cancel; even in q
        val, _ = quad(
            lambda q: (np.sin(q / 2) / np.sin(q / (2 * s))) ** 2 if q != 0 else s * s,
            0,
            np.pi,
            limit=200,
            epsabs=0,
            epsrel=1e-13,
        )
        return val / (np.pi * s)

    a = np.array([A(level) for level in range(steps + 1)])
    return (a[1:] / a[:-1]) ** 2


def soft_mode_readout(C, A) -> tuple[float, float]:
    r"""How much of the order parameter :math:`M = \frac1N\sum_i x_i` (the soft mode of a ring near its critical
    point) a linear read-out of the features :math:`u = Ax` recovers, for :math:`x` with covariance ``C``.

    Returns ``(share, variance)``: :math:`R^2 = c^T\Sigma^{-1}c/\operatorname{Var}M` and the read-out's variance
    :math:`c^T\Sigma^{-1}c`, with :math:`\Sigma = ACA^T`, :math:`c = \operatorname{Cov}(u, M) = AC\mathbf 1/N`.
    Both are invariant under every invertible map :math:`A \to BA` of the features (the gauge of a linear layer).
    """
    C = np.asarray(C, dtype=float)
    A = np.atleast_2d(np.asarray(A, dtype=float))
    if C.ndim != 2 or C.shape[0] != C.shape[1] or A.shape[1] != C.shape[0]:
        raise ValueError(f"C must be (N, N) and A (m, N), got {C.shape} and {A.shape}")
    n = C.shape[0]
    one = np.full(n, 1.0 / n)
    c = A @ C @ one
    var = float(c @ np.linalg.solve(A @ C @ A.T, c))
    return var / float(one @ C @ one), var


def second_moment_correlation_length(C) -> float:
    r"""Second-moment correlation length, in units of the spacing, of ``n`` units on a ring with covariance ``C``.

    From the structure factor :math:`S(q) = \frac1n\sum_{ij} C_{ij}\cos q(i - j)` (the spectrum of ``C`` when it is
    circulant, the spectrum of its translation average otherwise) at :math:`q = 0` and :math:`q_1 = 2\pi/n`:

    .. math:: \xi = \frac{\sqrt{S(0)/S(q_1) - 1}}{2\sin(q_1/2)},

    exact on a Gaussian ring of ratio :math:`r` (:math:`\xi^2 = r/(1 - 2r)`, at any ``n``), free of the scale of
    ``C`` and of any projection on rings. NaN where :math:`S(q_1) \le 0` or :math:`S(0) < S(q_1)` (no
    long-wavelength peak, no correlation length).
    """
    C = _ring_covariance(C)
    n = C.shape[0]
    i = np.arange(n)
    q1 = 2 * np.pi / n
    s0 = float(C.sum()) / n
    s1 = float((C * np.cos(q1 * (i[:, None] - i[None, :]))).sum()) / n
    if not s1 > 0 or s0 < s1:
        return float("nan")
    return float(np.sqrt(s0 / s1 - 1.0) / (2.0 * np.sin(q1 / 2)))
