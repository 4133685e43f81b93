r"""The two-dimensional Ising model on an :math:`L \times L` torus: exact results, sampling, MCRG.

Conventions: spins :math:`s_i \in \{\pm 1\}` on the periodic square lattice of :math:`N = L^2`
sites, zero field, dimensionless coupling :math:`K = \beta J > 0`,

.. math::

    -H(s) = K \sum_{\langle ij \rangle} s_i s_j = -K E(s), \qquad
    E(s) = -\sum_{\langle ij \rangle} s_i s_j ,

the sum running over the :math:`2N` nearest-neighbour bonds of the torus (for :math:`L = 2` each
pair of neighbours is joined by two bonds, one each way round). The energy per site is
:math:`u = \langle E \rangle / N = -N^{-1}\, \partial_K \ln Z` and the specific heat per site
:math:`c = K^2 \operatorname{Var}(E) / N = K^2 N^{-1}\, \partial_K^2 \ln Z`. The infinite lattice
is critical at :math:`K_c = \tfrac12 \ln(1 + \sqrt 2)` (Kramers & Wannier 1941; Onsager 1944).

Contents:

* :func:`log_partition`, :func:`energy_per_site`, :func:`specific_heat`: exact finite-torus
  results from Kaufman's four-term formula (Kaufman 1949; Ferdinand & Fisher 1969).
* :func:`swendsen_wang`: a vectorised Swendsen–Wang cluster sampler for many independent chains.
* :func:`tau_int`: integrated autocorrelation time with Sokal's automatic window.
* :func:`validate_sampler`: sampled :math:`u` and :math:`c` against the exact values.
* :func:`block_majority`, :func:`block_decimate`, :func:`block_linear_threshold`: 2×2 block maps.
* :func:`even_operators` and :func:`mcrg_linearized`: Swendsen's linearised Monte Carlo
  renormalisation group (Swendsen 1979) and the thermal exponent :math:`y_t`.
* :data:`BLOCK_STATES`, :func:`block_table`, :func:`apply_tables`, :func:`window_blocking`: 2×2 block
  maps as truth tables and tiled window maps, applied to many maps at once.
* :func:`odd_operators`, :func:`lattice_operators`, :class:`MomentAccumulator`, :func:`mcrg_eigenvalue`:
  odd operators, moments accumulated per group of chains in one pass, and the thermal and magnetic
  exponents from independent ensembles with jackknife and between-ensemble errors.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm  # the plain terminal bar: tqdm.auto writes a TqdmWarning to a notebook's stderr

from ._lattice_kernels import all_unit_spins, block_indices, block_lookup, cluster_labels, operator_sums
from ._validate import as_bool, as_generator, as_int, as_real, as_real_array

__all__ = [
    "K_C",
    "log_partition",
    "energy_per_site",
    "specific_heat",
    "lattice_energy",
    "SWRun",
    "swendsen_wang",
    "benchmark_swendsen_wang",
    "tau_int",
    "MomentEstimate",
    "sampled_moments",
    "validate_sampler",
    "block_majority",
    "block_decimate",
    "block_linear_threshold",
    "BLOCK_STATES",
    "block_table",
    "block_state_index",
    "apply_tables",
    "window_blocking",
    "OPERATOR_NAMES",
    "EXTENDED_OPERATOR_NAMES",
    "even_operators",
    "blocked_operators",
    "sample_blocked_operators",
    "MCRGResult",
    "mcrg_linearized",
    "ODD_OPERATOR_NAMES",
    "odd_operators",
    "lattice_operators",
    "operators_by_level",
    "MomentAccumulator",
    "Moments",
    "Eigenvalue",
    "mcrg_eigenvalue",
]

#: Critical coupling of the infinite square lattice, :math:`K_c = \tfrac12\ln(1+\sqrt2) \approx 0.4406868`.
K_C = 0.5 * np.log1p(np.sqrt(2.0))

#: Largest coupling accepted by the exact formulas (``sinh 2K`` stays finite, ``ln Z`` exact to rounding).
MAX_K = 50.0
#: Smallest coupling of :func:`energy_per_site` and :func:`specific_heat`: their finite-difference step is
#: ``K/8`` there, and below ~1e-4 the differences of ``ln Z`` drown in rounding (u(1e-8) came out positive).
MIN_K_DERIVATIVE = 1e-4
#: Most spins one Swendsen-Wang batch may hold (``n_chains * L**2``; 1e8 int8 spins, a few GB of bond graph).
MAX_SITES = 10**8
#: Most sweeps (recorded or burn-in) of one Swendsen-Wang run.
MAX_SWEEPS = 10**7


# ---------------------------------------------------------------------------------------------
# Exact finite-torus results
# ---------------------------------------------------------------------------------------------


def _check_L(L, *, minimum: int = 2, even: bool = False, name: str = "L") -> int:
    L = as_int(name, L, minimum=minimum, maximum=4096)
    if even and L % 2:
        raise ValueError(f"{name} must be even, got {L}")
    return L


def _check_K(K) -> np.ndarray:
    arr = as_real_array("K", K)
    if np.any(arr <= 0) or np.any(arr > MAX_K):
        raise ValueError(f"K must be in (0, {MAX_K}], got {K!r}")
    return arr


def _log_2cosh(x: np.ndarray) -> np.ndarray:
    a = np.abs(x)
    return a + np.log1p(np.exp(-2.0 * a))


def _log_abs_2sinh(x: np.ndarray) -> np.ndarray:
    a = np.abs(x)
    with np.errstate(divide="ignore"):
        return a + np.log(-np.expm1(-2.0 * a))


def _log_partition(K: np.ndarray, L: int) -> np.ndarray:
    """Kaufman's formula for validated ``K`` (any shape) and ``L``; see :func:`log_partition`."""
    K = K[..., None]
    two_K = 2.0 * K
    c = np.cosh(two_K) / np.tanh(two_K)
    j = np.arange(2 * L)
    gamma = np.arccosh(np.maximum(c - np.cos(np.pi * j / L), 1.0))
    gamma[..., 0] = (two_K + np.log(np.tanh(K)))[..., 0]
    half = 0.5 * L * gamma
    odd, even = half[..., 1::2], half[..., 0::2]
    logs = np.stack(
        [_log_2cosh(odd).sum(-1), _log_abs_2sinh(odd).sum(-1), _log_2cosh(even).sum(-1), _log_abs_2sinh(even).sum(-1)]
    )
    signs = np.stack([np.ones_like(K[..., 0]), np.ones_like(K[..., 0]), np.ones_like(K[..., 0]), np.sign(even[..., 0])])
    top = logs.max(axis=0)
    with np.errstate(invalid="ignore"):
        total = (signs * np.exp(logs - top)).sum(axis=0)
    N = L * L
    return np.log(0.5) + 0.5 * N * np.log(2.0 * np.sinh(2.0 * K[..., 0])) + top + np.log(total)


def log_partition(K, L: int):
    r"""Exact :math:`\ln Z` of the :math:`L\times L` periodic Ising model (Kaufman 1949).

    With :math:`N = L^2` and (Ferdinand & Fisher 1969, eqs. 2.1–2.5)

    .. math::

        Z = \tfrac12 (2\sinh 2K)^{N/2} \sum_{i=1}^4 Z_i, \qquad
        Z_{1,2} = \prod_{r=0}^{L-1} 2\,{\cosh \atop \sinh}\!\left(\tfrac{L}{2}\gamma_{2r+1}\right), \quad
        Z_{3,4} = \prod_{r=0}^{L-1} 2\,{\cosh \atop \sinh}\!\left(\tfrac{L}{2}\gamma_{2r}\right),

    where :math:`\cosh\gamma_l = \cosh 2K \coth 2K - \cos(\pi l/L)` (:math:`\gamma_l > 0`) for
    :math:`l \ge 1` and :math:`\gamma_0 = 2K + \ln\tanh K`, which changes sign at :math:`K_c`
    (so :math:`Z_4 < 0` for :math:`K < K_c`). The sum is evaluated as a signed log-sum-exp.

    Parameters
    ----------
    K : float or array_like
        Couplings, each in :math:`(0, 50]`.
    L : int
        Linear size, :math:`2 \le L \le 4096`.

    Returns
    -------
    float or numpy.ndarray
        :math:`\ln Z`, with the shape of ``K``.
    """
    L = _check_L(L)
    K = _check_K(K)
    out = _log_partition(K, L)
    return float(out) if out.ndim == 0 else out


#: Central-difference stencils of order :math:`h^8` for the first and second derivative.
_D1 = np.array([1 / 280, -4 / 105, 1 / 5, -4 / 5, 0.0, 4 / 5, -1 / 5, 4 / 105, -1 / 280])
_D2 = np.array([-1 / 560, 8 / 315, -1 / 5, 8 / 5, -205 / 72, 8 / 5, -1 / 5, 8 / 315, -1 / 560])


def _derivatives(K: np.ndarray, L: int) -> tuple[np.ndarray, np.ndarray]:
    """First and second K-derivatives of the exact ln Z by 9-point central differences.

    The step :math:`h = \\min(0.02/L, K/8)` keeps :math:`hL` small (the :math:`k`-th derivative
    near :math:`K_c` grows like :math:`N L^{k-2}`, so the :math:`O(h^8)` truncation error is
    :math:`\\sim N (hL)^8 \\approx 3\\times10^{-14} N`) and the stencil inside :math:`K > 0`.
    """
    h = np.minimum(0.02 / L, K / 8.0)
    offsets = np.arange(-4, 5)
    Ks = K[..., None] + h[..., None] * offsets
    f = _log_partition(Ks, L)
    f = f - f[..., 4:5]  # subtract the centre value: fewer cancelled digits
    return (f @ _D1) / h, (f @ _D2) / h**2


def energy_per_site(K, L: int):
    r"""Exact energy per site :math:`u = -N^{-1}\,\partial_K \ln Z` of the :math:`L\times L` torus.

    The derivative is taken numerically from the exact :func:`log_partition` by a 9-point
    central difference (truncation error :math:`O(h^8)`, step :math:`h = \min(0.02/L, K/8)`);
    checked against exact enumeration in the tests to about :math:`10^{-9}`.

    Parameters
    ----------
    K : float or array_like
        Couplings in :math:`(0, 50]`.
    L : int
        Linear size, :math:`2 \le L \le 4096`.

    Returns
    -------
    float or numpy.ndarray
        :math:`u(K)`; it tends to :math:`-2` as :math:`K\to\infty` and is
        :math:`\approx -\sqrt2` at :math:`K_c` for large :math:`L`.
    """
    L = _check_L(L)
    K = _check_K(K)
    if np.any(K < MIN_K_DERIVATIVE):
        raise ValueError(f"K must be >= {MIN_K_DERIVATIVE} for the numerical derivative, got min {K.min()}")
    d1, _ = _derivatives(K, L)
    out = -d1 / (L * L)
    return float(out) if out.ndim == 0 else out


def specific_heat(K, L: int):
    r"""Exact specific heat per site :math:`c = K^2 N^{-1}\,\partial_K^2 \ln Z = K^2\operatorname{Var}(E)/N`.

    Numerical second derivative of the exact :func:`log_partition` (9-point stencil, see
    :func:`energy_per_site`). At :math:`K_c` it grows like :math:`\tfrac{8K_c^2}{\pi}\ln L`
    (Ferdinand & Fisher 1969).

    Parameters
    ----------
    K : float or array_like
        Couplings in :math:`(0, 50]`.
    L : int
        Linear size, :math:`2 \le L \le 4096`.

    Returns
    -------
    float or numpy.ndarray
        :math:`c(K)`.
    """
    L = _check_L(L)
    K = _check_K(K)
    if np.any(K < MIN_K_DERIVATIVE):
        raise ValueError(f"K must be >= {MIN_K_DERIVATIVE} for the numerical derivative, got min {K.min()}")
    _, d2 = _derivatives(K, L)
    out = K**2 * d2 / (L * L)
    return float(out) if out.ndim == 0 else out


# ---------------------------------------------------------------------------------------------
# Swendsen–Wang sampling
# ---------------------------------------------------------------------------------------------


def lattice_energy(spins) -> np.ndarray:
    r"""Energy :math:`E(s) = -\sum_{\langle ij\rangle} s_i s_j` of each configuration of a batch.

    Parameters
    ----------
    spins : array_like, shape (..., L, L)
        Configurations of :math:`\pm1` on the torus.

    Returns
    -------
    numpy.ndarray
        Integer energies, shape ``spins.shape[:-2]``.
    """
    s = _check_spins(spins, "spins").astype(np.int64)
    return -(s * np.roll(s, 1, axis=-1) + s * np.roll(s, 1, axis=-2)).sum(axis=(-1, -2))


def _check_spins(spins, name: str, *, min_size: int = 2) -> np.ndarray:
    if isinstance(spins, (str, bytes)) or spins is None:
        raise TypeError(f"{name} must be an array of spins +1 and -1, got {type(spins).__name__}")
    try:
        s = np.asarray(spins)
    except (TypeError, ValueError) as exc:  # ragged nesting
        raise TypeError(f"{name} must be a rectangular array of spins +1 and -1: {exc}") from exc
    if s.ndim < 2 or s.shape[-1] != s.shape[-2] or s.shape[-1] < min_size:
        raise ValueError(f"{name} must have shape (..., L, L) with L >= {min_size}, got {s.shape}")
    if s.dtype == np.int8 and s.size:  # the common case (every array the module makes), checked compiled
        if not all_unit_spins(s.reshape(-1)):
            raise ValueError(f"{name} must contain only spins +1 and -1")
        return s
    if not (np.issubdtype(s.dtype, np.integer) or np.issubdtype(s.dtype, np.floating)) or not np.all(np.abs(s) == 1):
        raise ValueError(f"{name} must contain only spins +1 and -1")
    return s


@dataclass(frozen=True)
class SWRun:
    """Result of :func:`swendsen_wang`.

    Attributes
    ----------
    spins : numpy.ndarray, int8, shape (n_chains, L, L)
        Final configurations.
    energy : numpy.ndarray, shape (n_sweeps, n_chains)
        Energy per site :math:`E/N` after each recorded sweep.
    magnetization : numpy.ndarray, shape (n_sweeps, n_chains)
        Magnetisation per site :math:`M/N` after each recorded sweep.
    samples : numpy.ndarray or None, int8, shape (n_samples, n_chains, L, L)
        Configurations kept every ``keep_every`` recorded sweeps (None if not asked for).
    K, L, seconds : float, int, float
        Coupling, size and wall time of the run.
    measurements : numpy.ndarray or None, shape (n_sweeps, ...)
        The values of ``measure(spins)`` after each recorded sweep (None without ``measure``).
    """

    spins: np.ndarray
    energy: np.ndarray
    magnetization: np.ndarray
    samples: np.ndarray | None
    K: float
    L: int
    seconds: float
    measurements: np.ndarray | None = None

    @property
    def site_updates_per_second(self) -> float:
        n_sweeps = self.energy.shape[0]
        return self.spins.size * n_sweeps / max(self.seconds, 1e-12)


def _sw_sweep(s: np.ndarray, p: float, rng: np.random.Generator) -> None:
    """One Swendsen–Wang update of the batch ``s`` (int8, shape (B, L, L)) in place.

    The bonds of all chains form one block-diagonal graph on ``B L^2`` nodes: a bond to the right
    or downward neighbour is active with probability ``p`` if the two spins agree; each connected
    component (Fortuin–Kasteleyn cluster) is then flipped with probability 1/2. Components are found by
    union–find (:func:`rgbook._lattice_kernels.cluster_labels`), numbered as
    :func:`scipy.sparse.csgraph.connected_components` numbers them (the test suite compares the two).
    """
    act_r = (s == np.roll(s, -1, axis=2)) & (rng.random(s.shape) < p)
    act_d = (s == np.roll(s, -1, axis=1)) & (rng.random(s.shape) < p)
    n_comp, labels = cluster_labels(act_r, act_d)
    flip = np.where(rng.random(n_comp) < 0.5, -1, 1).astype(np.int8)
    s *= flip[labels].reshape(s.shape)


def swendsen_wang(
    K: float,
    L: int,
    n_chains: int,
    n_sweeps: int,
    rng,
    *,
    n_burn: int = 100,
    keep_every: int = 0,
    init: str = "random",
    progress: bool = False,
    measure=None,
) -> SWRun:
    r"""Sample the :math:`L\times L` torus at coupling ``K`` with the Swendsen–Wang algorithm.

    ``n_chains`` independent chains are updated together (batch axis first). One sweep: activate
    each bond joining two equal spins with probability :math:`p = 1 - e^{-2K}`; find the clusters
    of the active-bond graph (all chains as one block-diagonal graph, by union–find); flip each cluster
    with probability 1/2.
    This leaves the Boltzmann distribution invariant (Swendsen & Wang 1987) and has a small
    dynamic exponent at :math:`K_c` (:math:`\tau_{\rm int}` of the energy of a few sweeps for
    :math:`L \le 64`).

    Parameters
    ----------
    K : float
        Coupling, :math:`0 \le K \le 50`.
    L : int
        Linear size, :math:`2 \le L \le 4096`.
    n_chains : int
        Number of independent chains, >= 1.
    n_sweeps : int
        Recorded sweeps after burn-in, >= 1.
    rng : numpy.random.Generator or int
        Random generator or seed (explicit; ``None`` is refused).
    n_burn : int
        Sweeps discarded before recording, >= 0.
    keep_every : int
        If > 0, keep the configurations every ``keep_every`` recorded sweeps (int8).
    init : {"random", "up"}
        Initial configurations: independent random spins or all up.
    progress : bool
        Show a :mod:`tqdm` progress bar over the sweeps.
    measure : callable or None
        ``measure(spins) -> array`` called on the ``(n_chains, L, L)`` int8 configurations after
        each recorded sweep (e.g. block-spin operators), so long runs need not store samples.

    Returns
    -------
    SWRun
        Final spins, per-sweep energy and magnetisation per site, kept samples, wall time.
    """
    K = as_real("K", K, minimum=0.0, maximum=MAX_K)
    L = _check_L(L)
    n_chains = as_int("n_chains", n_chains, minimum=1, maximum=MAX_SITES // (L * L))
    n_sweeps = as_int("n_sweeps", n_sweeps, minimum=1, maximum=MAX_SWEEPS)
    n_burn = as_int("n_burn", n_burn, minimum=0, maximum=MAX_SWEEPS)
    keep_every = as_int("keep_every", keep_every, minimum=0)
    rng = as_generator("rng", rng)
    if measure is not None and not callable(measure):
        raise TypeError(f"measure must be callable or None, got {type(measure).__name__}")
    if not isinstance(init, str) or init not in ("random", "up"):
        raise ValueError(f"init must be 'random' or 'up', got {init!r}")
    p = -np.expm1(-2.0 * K)
    if init == "random":
        s = np.where(rng.random((n_chains, L, L)) < 0.5, -1, 1).astype(np.int8)
    else:
        s = np.ones((n_chains, L, L), dtype=np.int8)
    N = L * L
    energy = np.empty((n_sweeps, n_chains))
    magnet = np.empty((n_sweeps, n_chains))
    samples = [] if keep_every else None
    measured = [] if measure is not None else None
    sweeps = range(n_burn + n_sweeps)
    if progress:
        sweeps = tqdm(sweeps, desc=f"SW L={L} K={K:.4f}", leave=False)
    start = time.perf_counter()
    for t in sweeps:
        _sw_sweep(s, p, rng)
        if t >= n_burn:
            r = t - n_burn
            energy[r] = lattice_energy(s) / N
            magnet[r] = s.sum(axis=(1, 2), dtype=np.int64) / N
            if keep_every and (r + 1) % keep_every == 0:
                samples.append(s.copy())
            if measure is not None:
                measured.append(np.asarray(measure(s)))
    seconds = time.perf_counter() - start
    kept = np.stack(samples) if samples else (np.empty((0, n_chains, L, L), np.int8) if keep_every else None)
    return SWRun(s, energy, magnet, kept, K, L, seconds, np.stack(measured) if measure is not None else None)


def benchmark_swendsen_wang(L: int = 64, n_chains: int = 16, n_sweeps: int = 50, seed: int = 0) -> float:
    """Throughput of :func:`swendsen_wang` at :math:`K_c` in site-updates per second (not a test).

    Parameters
    ----------
    L, n_chains, n_sweeps : int
        Size, batch and number of timed sweeps (after 10 untimed burn-in sweeps).
    seed : int
        Seed of the run.

    Returns
    -------
    float
        :math:`n_{\\rm chains} L^2 n_{\\rm sweeps}` divided by the wall time of the sweeps.
    """
    run = swendsen_wang(K_C, L, n_chains, n_sweeps, seed, n_burn=10)
    return run.site_updates_per_second


# ---------------------------------------------------------------------------------------------
# Autocorrelation and error bars
# ---------------------------------------------------------------------------------------------


def tau_int(series, *, c: float = 6.0) -> float:
    r"""Integrated autocorrelation time with Sokal's automatic windowing.

    With the normalised autocorrelation :math:`\rho(t)` (autocovariance averaged over chains,
    each chain's own mean removed, computed by FFT),

    .. math::

        \tau_{\rm int}(W) = \tfrac12 + \sum_{t=1}^{W} \rho(t),

    and the window is the smallest :math:`W` with :math:`W \ge c\,\tau_{\rm int}(W)` (Sokal 1997,
    Madras & Sokal 1988). The variance of a mean of :math:`n` correlated samples is then
    :math:`2\tau_{\rm int}\sigma^2/n`. An AR(1) process :math:`x_t = \phi x_{t-1} + \epsilon_t`
    has :math:`\tau_{\rm int} = (1+\phi)/(2(1-\phi))`.

    Parameters
    ----------
    series : array_like, shape (T,) or (T, n_chains)
        Time series (time first), :math:`T \ge 4`.
    c : float
        Window constant, > 0 (Sokal suggests 4–10).

    Returns
    -------
    float
        :math:`\tau_{\rm int}` (``0.5`` for a constant series).
    """
    x = as_real_array("series", series)
    if x.size and np.max(np.abs(x)) > 1e100:
        raise ValueError(f"|series| must be <= 1e100 (its autocovariance overflows float64), got {np.max(np.abs(x))}")
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 4:
        raise ValueError(f"series must have shape (T,) or (T, n_chains) with T >= 4, got {np.shape(series)}")
    c = as_real("c", c, minimum=0.0, strict_minimum=True)
    T = x.shape[0]
    x = x - x.mean(axis=0)
    f = np.fft.rfft(x, n=2 * T, axis=0)
    acov = np.fft.irfft(f * np.conj(f), axis=0)[:T].mean(axis=1) / T
    if acov[0] <= 0:
        return 0.5
    rho = acov / acov[0]
    taus = 0.5 + np.cumsum(rho[1:])
    W = np.arange(1, T)
    ok = W >= c * taus
    return float(taus[np.argmax(ok)] if ok.any() else taus[-1])


@dataclass(frozen=True)
class MomentEstimate:
    r"""Sampled :math:`u`, :math:`c` with error bars, and the exact values they estimate.

    ``u_err`` is the naive standard error of the mean times :math:`\sqrt{2\tau_{\rm int}}`;
    ``u_err_chains`` the spread of the per-chain means over :math:`\sqrt{n_{\rm chains}}` (a
    check); ``c`` is :math:`K^2 N` times the variance of :math:`E/N` about the grand mean and
    ``c_err`` the standard error over independent chains of the per-chain values (batch means
    with one batch per chain). ``z_u``, ``z_c`` are the deviations in units of the error bar.
    """

    K: float
    L: int
    u: float
    u_err: float
    u_err_chains: float
    u_exact: float
    c: float
    c_err: float
    c_exact: float
    tau_int: float
    n_chains: int
    n_sweeps: int

    @property
    def z_u(self) -> float:
        return (self.u - self.u_exact) / self.u_err

    @property
    def z_c(self) -> float:
        return (self.c - self.c_exact) / self.c_err


def sampled_moments(run: SWRun) -> MomentEstimate:
    """Energy per site and specific heat of a :class:`SWRun` with error bars; see :class:`MomentEstimate`."""
    if not isinstance(run, SWRun):
        raise TypeError(f"run must be an SWRun (the result of swendsen_wang), got {type(run).__name__}")
    e = run.energy
    T, B = e.shape
    N = run.L**2
    tau = tau_int(e)
    u = float(e.mean())
    u_err = float(e.std(ddof=1) / np.sqrt(e.size) * np.sqrt(2 * tau))
    u_err_chains = float(e.mean(axis=0).std(ddof=1) / np.sqrt(B)) if B > 1 else float("nan")
    c_chain = run.K**2 * N * ((e - u) ** 2).mean(axis=0)
    c = float(c_chain.mean())
    c_err = float(c_chain.std(ddof=1) / np.sqrt(B)) if B > 1 else float("nan")
    return MomentEstimate(
        run.K,
        run.L,
        u,
        u_err,
        u_err_chains,
        energy_per_site(run.K, run.L),
        c,
        c_err,
        specific_heat(run.K, run.L),
        tau,
        B,
        T,
    )


def validate_sampler(
    L: int = 16,
    factors=(0.95, 1.0, 1.05),
    n_chains: int = 32,
    n_sweeps: int = 500,
    seed: int = 0,
    progress: bool = False,
) -> list[MomentEstimate]:
    r"""Sample at :math:`K = f K_c` for each factor and compare :math:`u`, :math:`c` with the exact torus.

    Parameters
    ----------
    L : int
        Linear size, >= 2.
    factors : sequence of float
        Multiples of :math:`K_c`, each in :math:`(0, 10]`.
    n_chains, n_sweeps : int
        Chains and recorded sweeps per coupling (100 burn-in sweeps).
    seed : int
        Seed; coupling ``i`` uses the generator spawned as ``i``-th child of ``seed``.
    progress : bool
        Progress bars.

    Returns
    -------
    list of MomentEstimate
        One per factor, with the sampled and exact values and the z-scores.
    """
    L = _check_L(L)
    fs = as_real_array("factors", factors)
    if fs.ndim != 1 or fs.size == 0 or np.any(fs <= 0) or np.any(fs > 10):
        raise ValueError(f"factors must be a non-empty sequence of values in (0, 10], got {factors!r}")
    if np.any(fs * K_C < MIN_K_DERIVATIVE):
        raise ValueError(
            f"factors must be >= {MIN_K_DERIVATIVE / K_C:.3g} (K = f K_c >= {MIN_K_DERIVATIVE} for the "
            f"exact u and c), got {factors!r}"
        )
    # tau_int needs 4 recorded sweeps, the error of c the spread over 2 chains at least
    n_chains = as_int("n_chains", n_chains, minimum=2, maximum=MAX_SITES // (L * L))
    n_sweeps = as_int("n_sweeps", n_sweeps, minimum=4, maximum=MAX_SWEEPS)
    seed = as_int("seed", seed, minimum=0)
    children = np.random.SeedSequence(seed).spawn(fs.size)
    out = []
    for f, child in zip(fs, children):
        run = swendsen_wang(float(f) * K_C, L, n_chains, n_sweeps, np.random.default_rng(child), progress=progress)
        out.append(sampled_moments(run))
    return out


# ---------------------------------------------------------------------------------------------
# Block maps
# ---------------------------------------------------------------------------------------------


def _blocks(spins, b: int = 2) -> np.ndarray:
    """View ``(..., L, L)`` spins as ``(..., L/b, L/b, b, b)`` blocks (``L`` divisible by ``b``)."""
    s = _check_spins(spins, "spins", min_size=b)
    L = s.shape[-1]
    if L % b:
        raise ValueError(f"spins must have a linear size divisible by {b}, got L = {L}")
    m = L // b
    return s.reshape(*s.shape[:-2], m, b, m, b).swapaxes(-3, -2)


def block_decimate(spins) -> np.ndarray:
    r"""2×2 decimation: the block spin is the top-left spin of its block, :math:`s'_{I} = s_{2i,2j}`.

    Parameters
    ----------
    spins : array_like, shape (..., L, L)
        Configurations of :math:`\pm1`, :math:`L` even.

    Returns
    -------
    numpy.ndarray, int8, shape (..., L/2, L/2)
    """
    return np.ascontiguousarray(_blocks(spins)[..., 0, 0], dtype=np.int8)


def block_majority(spins, *, tie: str = "top_left", rng=None) -> np.ndarray:
    r"""2×2 majority rule: :math:`s'_I = \operatorname{sign}\sum_{i \in I} s_i`.

    A 2×2 block sums to 0 in 6 of its 16 states; the tie is broken by the block's top-left spin
    (``tie="top_left"``, deterministic, the same as :func:`block_linear_threshold` with all
    weights 1) or by an independent fair coin per tied block (``tie="random"``, needs ``rng``;
    the block map is then stochastic, as in Swendsen 1979).

    Parameters
    ----------
    spins : array_like, shape (..., L, L)
        Configurations of :math:`\pm1`, :math:`L` even.
    tie : {"top_left", "random"}
        Tie-break rule.
    rng : numpy.random.Generator or int, optional
        Generator or seed, required for ``tie="random"``.

    Returns
    -------
    numpy.ndarray, int8, shape (..., L/2, L/2)
    """
    if not isinstance(tie, str) or tie not in ("top_left", "random"):
        raise ValueError(f"tie must be 'top_left' or 'random', got {tie!r}")
    bl = _blocks(spins)
    total = bl.sum(axis=(-1, -2), dtype=np.int64)
    if tie == "top_left":
        breaker = bl[..., 0, 0]
    else:
        rng = as_generator("rng", rng)
        breaker = np.where(rng.random(total.shape) < 0.5, -1, 1)
    return np.where(total > 0, 1, np.where(total < 0, -1, breaker)).astype(np.int8)


def block_linear_threshold(spins, weights) -> np.ndarray:
    r"""Linear-threshold block map :math:`s'_I = \operatorname{sign}(w\cdot s_I + \epsilon\, s_{I,00})`.

    :math:`s_I` is the :math:`b\times b` block (``weights`` of shape ``(b, b)``), and the tie-break
    :math:`\epsilon = 10^{-9}\sum|w|` times the block's top-left spin decides only when
    :math:`|w \cdot s_I|` is below rounding. All-ones weights give :func:`block_majority`
    (``tie="top_left"``); weights :math:`e_{00}` give :func:`block_decimate`. Learned filters of a
    network's first layer can be plugged in here.

    Parameters
    ----------
    spins : array_like, shape (..., L, L)
        Configurations of :math:`\pm1`, :math:`L` divisible by ``b``.
    weights : array_like, shape (b, b)
        Finite filter, not all zero, :math:`b \ge 1`.

    Returns
    -------
    numpy.ndarray, int8, shape (..., L/b, L/b)
    """
    w = as_real_array("weights", weights)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] < 1:
        raise ValueError(f"weights must be a square (b, b) filter, got shape {w.shape}")
    scale = np.abs(w).sum()
    if scale == 0:
        raise ValueError("weights must not be all zero")
    bl = _blocks(spins, w.shape[0])
    field = np.einsum("...ab,ab->...", bl.astype(np.float64), w) + 1e-9 * scale * bl[..., 0, 0]
    return np.where(field > 0, 1, -1).astype(np.int8)


# ---------------------------------------------------------------------------------------------
# Block maps as truth tables over the 16 states of a 2x2 block, and tiled window maps
# ---------------------------------------------------------------------------------------------

#: The 16 states of a 2x2 block, shape (16, 2, 2); state ``k`` has spin ``v_j = 2 bit_j(k) - 1`` at
#: flat position ``j = 2 a + b`` (row ``a``, column ``b``).
BLOCK_STATES = (2 * ((np.arange(16)[:, None] >> np.arange(4)) & 1) - 1).reshape(16, 2, 2).astype(np.int8)


def block_table(block_map) -> np.ndarray:
    """Truth table (16,) int8 of a 2x2 block map over :data:`BLOCK_STATES`.

    ``block_map`` is ``"majority"`` (top-left tie-break), ``"decimation"`` or a (2, 2) weight array
    (:func:`rgbook.block_linear_threshold`, its tie-break included).
    """
    if isinstance(block_map, str):
        if block_map == "majority":
            return block_majority(BLOCK_STATES)[:, 0, 0]
        if block_map == "decimation":
            return block_decimate(BLOCK_STATES)[:, 0, 0]
        raise ValueError(f"block_map must be 'majority', 'decimation' or a (2, 2) weight array, got {block_map!r}")
    return block_linear_threshold(BLOCK_STATES, block_map)[:, 0, 0]


def odd_block_tables() -> np.ndarray:
    """Every 2x2 block map that is odd under a global spin flip and maps the all-up block to +1: (128, 16) int8.

    Flipping all four spins takes state i of :data:`BLOCK_STATES` to 15 - i, so an odd table has
    t[15 - i] = -t[i]; with t[15] = +1 the seven pairs (i, 15 - i), i = 1..7, are free. Row j sets t[i] = +1
    exactly when bit i - 1 of j is set. Among them are the majority rule (any tie-break), decimation and
    every oriented linear threshold map of a block."""
    j = np.arange(128)[:, None]
    free = np.where((j >> np.arange(7)) & 1, 1, -1)  # (128, 7): t[1..7]
    t = np.empty((128, 16), dtype=np.int8)
    t[:, 15], t[:, 0] = 1, -1
    t[:, 1:8] = free
    t[:, 8:15] = -free[:, ::-1]  # t[15 - i] = -t[i] for i = 1..7
    return t


def block_state_index(spins) -> np.ndarray:
    """Index (0..15) in :data:`BLOCK_STATES` of every 2x2 block of ``spins`` (..., L, L), int64 (..., L/2, L/2)
    (compiled: :func:`rgbook._lattice_kernels.block_indices`, which :func:`apply_tables` reads too)."""
    s = np.asarray(spins)
    if s.ndim < 2 or s.shape[-1] != s.shape[-2] or s.shape[-1] % 2:
        raise ValueError(f"spins must have shape (..., L, L) with even L, got {s.shape}")
    L = s.shape[-1]
    return block_indices(np.ascontiguousarray(s.reshape(-1, L, L))).reshape(*s.shape[:-2], L // 2, L // 2)


def apply_tables(spins, tables) -> np.ndarray:
    """Block ``spins`` once with each of ``M`` truth tables.

    Parameters
    ----------
    spins : array_like, shape (B, L, L) or (M, B, L, L)
        Configurations; with a leading ``M`` axis, map ``j`` is applied to ``spins[j]``.
    tables : array_like, shape (M, 16)
        Truth tables (:func:`block_table`).

    Returns
    -------
    numpy.ndarray, int8, shape (M, B, L/2, L/2)
    """
    t = np.asarray(tables, dtype=np.int8)
    if t.ndim != 2 or t.shape[1] != 16 or not np.all(np.abs(t) == 1):
        raise ValueError(f"tables must have shape (M, 16) with entries +-1, got shape {t.shape}")
    s = np.asarray(spins)
    shared = s.ndim == 3
    if shared:
        s = s[None]
    if (
        s.ndim != 4
        or s.shape[0] not in (t.shape[0], 1)
        or s.shape[-1] != s.shape[-2]
        or s.shape[-1] % 2
        or (s.shape[0] == 1 and not shared and t.shape[0] != 1)
    ):
        raise ValueError(f"spins must have shape (B, L, L) or (M, B, L, L) with even L, got {np.shape(spins)}")
    # the state index of every block (block_state_index) read through each table, compiled
    return block_lookup(np.ascontiguousarray(s), np.ascontiguousarray(t))


def window_blocking(spins, W, block, window: int) -> np.ndarray:
    """Block ``spins`` once with each of F tiled window maps (e.g. the units of a fully connected network).

    Every ``window`` x ``window`` tile of the lattice (corners at multiples of ``window``) is fed to network f:
    unit u's coarse spin, :math:`\\operatorname{sign}(W_{fu}\\cdot v)` (+1 at 0), is placed at block
    ``block[f, u]`` of the tile.

    Parameters
    ----------
    spins : array_like, shape (B, L, L) or (F, B, L, L)
    W : array_like, shape (F, K, window**2), K = (window/2)**2 (orientation included)
    block : array_like of int, shape (F, K), each row a permutation of range(K)

    Returns
    -------
    numpy.ndarray, int8, shape (F, B, L/2, L/2)
    """
    W = np.asarray(W, dtype=float)
    F, K = W.shape[:2]
    nb = window // 2
    blk = np.asarray(block)
    if W.shape[2] != window * window or K != nb * nb or blk.shape != (F, K):
        raise ValueError(
            f"W must be (F, (window/2)**2, window**2) and block (F, K) for window = {window}, "
            f"got {W.shape} and {blk.shape}"
        )
    s = np.asarray(spins)
    shared = s.ndim == 3  # one input for all F maps: its tiles are cut once
    if shared:
        s = s[None]
    if (
        s.ndim != 4
        or s.shape[0] not in ((1,) if shared else (F,))
        or s.shape[-1] != s.shape[-2]
        or s.shape[-1] % window
    ):
        raise ValueError(
            f"spins must have shape (B, L, L) or (F, B, L, L) with L a multiple of {window}, got {np.shape(spins)}"
        )
    B, L = s.shape[1], s.shape[-1]
    T = L // window
    G = s.shape[0]
    tiles = s.reshape(G, B, T, window, T, window).transpose(0, 1, 2, 4, 3, 5).reshape(G, B * T * T, window * window)
    # float32 products of +-1 spins and float64-rounded weights: the sign of a pre-activation within ~1e-6 of 0
    # may differ from float64's; the map is deterministic either way
    if not np.array_equal(np.sort(blk, axis=1), np.broadcast_to(np.arange(K), blk.shape)):
        raise ValueError("every row of block must be a permutation of range(K)")
    by_block = np.take_along_axis(W, np.argsort(blk, axis=1)[:, :, None], axis=1)  # row b: the unit at block b
    pre = np.matmul(tiles.astype(np.float32), by_block.transpose(0, 2, 1).astype(np.float32))  # (F, B T T, K)
    coarse = np.where(pre >= 0, 1, -1).astype(np.int8).reshape(F, B, T, T, nb, nb)
    return coarse.transpose(0, 1, 2, 4, 3, 5).reshape(F, B, L // 2, L // 2)


# ---------------------------------------------------------------------------------------------
# Even operators and linearised MCRG
# ---------------------------------------------------------------------------------------------

#: Names of the columns of :func:`even_operators`; ``extended=True`` appends :data:`EXTENDED_OPERATOR_NAMES`.
OPERATOR_NAMES = ("nearest", "diagonal", "axis-distance-2", "plaquette")
EXTENDED_OPERATOR_NAMES = ("distance-(2,1)", "diagonal-distance-2", "axis-distance-3")


def even_operators(spins, *, extended: bool = False) -> np.ndarray:
    r"""Spin-flip-even lattice sums of each configuration.

    .. math::

        S_1 = \sum_{x} s_x (s_{x+\hat e_1} + s_{x+\hat e_2}), \quad
        S_2 = \sum_{x} s_x (s_{x+\hat e_1+\hat e_2} + s_{x+\hat e_1-\hat e_2}),

        S_3 = \sum_{x} s_x (s_{x+2\hat e_1} + s_{x+2\hat e_2}), \quad
        S_4 = \sum_{x} s_x s_{x+\hat e_1} s_{x+\hat e_2} s_{x+\hat e_1+\hat e_2}

    (nearest neighbours, diagonal next-nearest, distance 2 along the axes, plaquettes) on the
    torus; :math:`S_1 = -E`. Meaningful for :math:`L \ge 4` (smaller tori wrap a bond on itself).
    With ``extended``, three more pair sums follow:

    .. math::

        S_5 = \sum_x s_x (s_{x+2\hat e_1+\hat e_2} + s_{x+2\hat e_1-\hat e_2} + s_{x+\hat e_1+2\hat e_2}
        + s_{x-\hat e_1+2\hat e_2}),\quad
        S_6 = \sum_x s_x (s_{x+2\hat e_1+2\hat e_2} + s_{x+2\hat e_1-2\hat e_2}),\quad
        S_7 = \sum_x s_x (s_{x+3\hat e_1} + s_{x+3\hat e_2})

    (meaningful for :math:`L \ge 8`).

    Parameters
    ----------
    spins : array_like, shape (..., L, L)
        Configurations of :math:`\pm1`.
    extended : bool
        Append :math:`S_5, S_6, S_7`.

    Returns
    -------
    numpy.ndarray, float64, shape (..., 4) or (..., 7)
        Columns in the order of :data:`OPERATOR_NAMES` (then :data:`EXTENDED_OPERATOR_NAMES`).
    """
    extended = as_bool("extended", extended)
    return lattice_operators(spins, 7 if extended else 4, 0)


def _block_map(name_or_weights, rng=None):
    if isinstance(name_or_weights, str):
        if name_or_weights == "majority":
            return block_majority
        if name_or_weights == "majority-random":
            gen = as_generator("rng", rng)
            return lambda x: block_majority(x, tie="random", rng=gen)
        if name_or_weights == "decimation":
            return block_decimate
        raise ValueError(
            "block_map must be 'majority', 'majority-random', 'decimation', a (2, 2) weight "
            f"array or a callable, got {name_or_weights!r}"
        )
    if callable(name_or_weights):
        return name_or_weights
    w = as_real_array("block_map", name_or_weights)
    if w.shape != (2, 2) or not np.any(w):
        raise ValueError(f"block_map weights must have shape (2, 2) and not be all zero, got {w.tolist()}")
    return lambda x: block_linear_threshold(x, w)


def blocked_operators(spins, block_map="majority", n_levels: int = 2, *, rng=None) -> np.ndarray:
    """Even operators of ``spins`` blocked 0, 1, ..., ``n_levels`` times by a 2×2 block map.

    Parameters
    ----------
    spins : array_like, shape (..., L, L)
        Configurations; :math:`L` divisible by :math:`2^{n_{\\rm levels}}`.
    block_map : {"majority", "majority-random", "decimation"}, (2, 2) array_like or callable
        The map: majority rule (top-left tie-break), majority with coin tie-break (needs ``rng``),
        decimation, a linear-threshold filter, or any function ``(..., L, L) -> (..., L/2, L/2)``.
    n_levels : int
        Number of blockings, >= 1.
    rng : numpy.random.Generator or int, optional
        For ``"majority-random"``.

    Returns
    -------
    numpy.ndarray, shape (..., n_levels + 1, 4)
        :func:`even_operators` at each level.
    """
    n_levels = as_int("n_levels", n_levels, minimum=1, maximum=12)
    fmap = _block_map(block_map, rng)
    s = _check_spins(spins, "spins")
    if s.shape[-1] % 2**n_levels or s.shape[-1] < 2 ** (n_levels + 1):
        raise ValueError(
            f"n_levels must leave blocks of at least 2 x 2 spins: L = {s.shape[-1]} must be a multiple "
            f"of 2**n_levels = {2**n_levels} and >= 2**(n_levels + 1) = {2 ** (n_levels + 1)}, "
            f"got n_levels = {n_levels}"
        )
    out = [even_operators(s)]
    for _ in range(n_levels):
        s = fmap(s)
        out.append(even_operators(s))
    return np.stack(out, axis=-2)


@dataclass(frozen=True)
class MCRGResult:
    r"""Linearised MCRG at one blocking step :math:`n \to n+1`.

    Attributes
    ----------
    n : int
        The step goes from ``n`` to ``n + 1`` blockings.
    n_ops : int
        Number of even operators used (the first ``n_ops`` of :data:`OPERATOR_NAMES`).
    T : numpy.ndarray, shape (n_ops, n_ops)
        :math:`T_{cb} = \partial K^{(n+1)}_c / \partial K^{(n)}_b`.
    eigenvalues : numpy.ndarray
        Eigenvalues of ``T``, sorted by decreasing real part.
    lambda_t, y_t, y_t_err : float
        Leading eigenvalue, :math:`y_t = \ln\lambda_t/\ln 2` and its jackknife error over groups
        of chains.
    """

    n: int
    n_ops: int
    T: np.ndarray
    eigenvalues: np.ndarray
    lambda_t: float
    y_t: float
    y_t_err: float


def _mcrg_T(ops: np.ndarray, n: int, k: int) -> np.ndarray:
    """T = B^{-1} A from pooled samples ``ops`` of shape (n_samples, levels, n_operators), first ``k`` operators."""
    hi = ops[:, n + 1, :k]
    lo = ops[:, n, :k]
    hi = hi - hi.mean(axis=0)
    lo = lo - lo.mean(axis=0)
    A = hi.T @ lo / len(ops)  # A_ab = <S^(n+1)_a S^(n)_b>_c = d<S^(n+1)_a>/dK^(n)_b
    B = hi.T @ hi / len(ops)  # B_ac = <S^(n+1)_a S^(n+1)_c>_c = d<S^(n+1)_a>/dK^(n+1)_c
    return np.linalg.solve(B, A)


def _leading(T: np.ndarray) -> tuple[np.ndarray, float]:
    ev = np.linalg.eigvals(T)
    ev = ev[np.argsort(-ev.real)]
    return ev, float(ev[0].real)


def mcrg_linearized(ops, n: int = 1, n_ops: int = 2, *, n_groups: int = 16) -> MCRGResult:
    r"""Thermal eigenvalue of the linearised RG map by Swendsen's MCRG (Swendsen 1979).

    With block-spin operators :math:`S^{(n)}_a` measured on the same configurations blocked
    :math:`n` and :math:`n+1` times, the chain rule for the renormalised couplings gives

    .. math::

        \underbrace{\langle S^{(n+1)}_a S^{(n)}_b\rangle - \langle S^{(n+1)}_a\rangle\langle S^{(n)}_b\rangle}_{A_{ab}
        = \partial\langle S^{(n+1)}_a\rangle/\partial K^{(n)}_b}
        = \sum_c \underbrace{\left(\langle S^{(n+1)}_a S^{(n+1)}_c\rangle
        - \langle S^{(n+1)}_a\rangle\langle S^{(n+1)}_c\rangle\right)}_{B_{ac}}
        T_{cb},

    so :math:`T = B^{-1}A`, :math:`T_{cb} = \partial K^{(n+1)}_c/\partial K^{(n)}_b`. At the fixed
    point its leading eigenvalue is :math:`\lambda_t = 2^{y_t}` (block factor 2); the exact 2D
    Ising value is :math:`y_t = 1/\nu = 1`. Truncation to a few operators and a finite lattice
    bias the estimate; both shrink with :math:`n` and the number of operators.

    Parameters
    ----------
    ops : array_like, shape (n_samples, n_chains, levels, n_operators)
        :func:`blocked_operators` (or :func:`even_operators` with ``extended``) of samples at the
        critical point (time, chain, level, operator); ``levels >= n + 2``.
    n : int
        Blocking step :math:`n \to n+1`, >= 0.
    n_ops : int
        Number of operators (the first ``n_ops`` columns), 1 to ``n_operators``.
    n_groups : int
        Jackknife groups of chains (chains are independent), 2 to ``n_chains``.

    Returns
    -------
    MCRGResult
    """
    x = as_real_array("ops", ops)
    if x.ndim != 4:
        raise ValueError(f"ops must have shape (n_samples, n_chains, levels, n_operators), got {x.shape}")
    n = as_int("n", n, minimum=0, maximum=x.shape[2] - 2)
    k = as_int("n_ops", n_ops, minimum=1, maximum=x.shape[3])
    G = as_int("n_groups", n_groups, minimum=2, maximum=x.shape[1])
    T = _mcrg_T(x.reshape(-1, *x.shape[2:]), n, k)
    ev, lam = _leading(T)
    groups = np.array_split(np.arange(x.shape[1]), G)
    ys = []
    for g in groups:
        keep = np.setdiff1d(np.arange(x.shape[1]), g)
        _, lam_g = _leading(_mcrg_T(x[:, keep].reshape(-1, *x.shape[2:]), n, k))
        ys.append(np.log(lam_g) / np.log(2.0))
    ys = np.array(ys)
    err = float(np.sqrt((G - 1) / G * ((ys - ys.mean()) ** 2).sum()))
    return MCRGResult(n, k, T, ev, lam, float(np.log(lam) / np.log(2.0)), err)


def sample_blocked_operators(
    L: int = 32,
    block_map="majority",
    *,
    n_levels: int = 3,
    n_chains: int = 32,
    n_sweeps: int = 500,
    seed: int = 0,
    K: float = K_C,
    progress: bool = False,
) -> np.ndarray:
    """Sample at ``K`` (default :math:`K_c`) and return the blocked operators for :func:`mcrg_linearized`.

    Parameters
    ----------
    L : int
        Linear size, divisible by :math:`2^{n_{\\rm levels}}`.
    block_map : see :func:`blocked_operators`
    n_levels, n_chains, n_sweeps, seed : int
        Blockings (>= 1), chains, recorded sweeps (100 burn-in), seed (a coin tie-break uses a
        generator spawned from the same seed).
    K : float
        Coupling.
    progress : bool
        Progress bar.

    Returns
    -------
    numpy.ndarray, shape (n_sweeps, n_chains, n_levels + 1, 4)
    """
    L = _check_L(L)
    n_levels = as_int("n_levels", n_levels, minimum=1, maximum=12)
    if L % 2**n_levels or L < 2 ** (n_levels + 1):
        raise ValueError(
            f"L must be a multiple of 2**n_levels = {2**n_levels} and >= 2**(n_levels + 1) = "
            f"{2 ** (n_levels + 1)} (n_levels blockings leave 2 x 2 spins at least), got L = {L}, "
            f"n_levels = {n_levels}"
        )
    seed = as_int("seed", seed, minimum=0)
    sample_seq, map_seq = np.random.SeedSequence(seed).spawn(2)
    fmap = _block_map(block_map, np.random.default_rng(map_seq))
    run = swendsen_wang(
        K,
        L,
        n_chains,
        n_sweeps,
        np.random.default_rng(sample_seq),
        progress=progress,
        measure=lambda s: blocked_operators(s, fmap, n_levels),
    )
    return run.measurements


# ---------------------------------------------------------------------------------------------
# Odd operators, moments accumulated in one pass, both relevant eigenvalues
# ---------------------------------------------------------------------------------------------

#: Names of the columns of :func:`odd_operators`.
ODD_OPERATOR_NAMES = ("magnetization", "plaquette-three-spin", "axis-three-spin", "diagonal-three-spin")


def odd_operators(spins) -> np.ndarray:
    r"""Spin-flip-odd lattice sums of each configuration.

    .. math::

        O_1 = \sum_x s_x, \qquad
        O_2 = \sum_{\square} \sum_{\{i,j,k\}\subset\square} s_i s_j s_k
            = \sum_{\square} s_a s_b s_c s_d\,(s_a + s_b + s_c + s_d),

        O_3 = \sum_x s_x (s_{x+\hat e_1} s_{x+2\hat e_1} + s_{x+\hat e_2} s_{x+2\hat e_2}), \quad
        O_4 = \sum_x s_x (s_{x+\hat e_1+\hat e_2} s_{x+2\hat e_1+2\hat e_2}
            + s_{x+\hat e_1-\hat e_2} s_{x+2\hat e_1-2\hat e_2})

    (magnetization; the four three-spin products of every plaquette :math:`\square` with corners
    :math:`a, b, c, d`; straight three-spin products along the axes; along the diagonals), on the torus.
    Each changes sign under a global flip. Meaningful for :math:`L \ge 6`.

    Parameters
    ----------
    spins : array_like, shape (..., L, L)
        Configurations of :math:`\pm1`.

    Returns
    -------
    numpy.ndarray, float64, shape (..., 4)
        Columns in the order of :data:`ODD_OPERATOR_NAMES`.
    """
    return lattice_operators(spins, 0, 4)


def lattice_operators(spins, n_even: int = 7, n_odd: int = 4) -> np.ndarray:
    """The first ``n_even`` even operators (:func:`even_operators`, extended) and the first ``n_odd`` odd
    operators (:func:`odd_operators`) of each configuration: shape (..., n_even + n_odd), float64.

    All eleven are summed exactly in one compiled pass per configuration
    (:func:`rgbook._lattice_kernels.operator_sums`); the two named functions are views of this one."""
    n_even = as_int("n_even", n_even, minimum=0, maximum=7)
    n_odd = as_int("n_odd", n_odd, minimum=0, maximum=4)
    if n_even + n_odd == 0:
        raise ValueError("at least one operator is needed")
    s = _check_spins(spins, "spins").astype(np.int8, copy=False)
    lead, L = s.shape[:-2], s.shape[-1]
    sums = operator_sums(np.ascontiguousarray(s.reshape(-1, L, L)))  # (N, 7 even + 4 odd), exact integers
    cols = np.r_[np.arange(n_even), 7 + np.arange(n_odd)]
    return sums[:, cols].astype(np.float64).reshape(*lead, cols.size)


def operators_by_level(spins, n_maps: int, n_levels: int, block_once, *, n_even: int = 7, n_odd: int = 4) -> np.ndarray:
    """:func:`lattice_operators` of ``spins`` (B, L, L) and of its images under ``block_once`` applied 1..n_levels
    times, for ``n_maps`` maps at once (``block_once`` maps (B, L, L) or (M, B, L, L) to (M, B, L/2, L/2), e.g.
    :func:`apply_tables` or :func:`window_blocking`): shape (B, M, n_levels + 1, n_even + n_odd), float64."""
    s = np.asarray(spins)
    level0 = lattice_operators(s, n_even, n_odd)  # (B, k), shared by all maps
    out = [np.broadcast_to(level0, (n_maps, *level0.shape))]
    cur = s
    for _ in range(n_levels):
        cur = block_once(cur)
        out.append(lattice_operators(cur, n_even, n_odd))  # (M, B, k)
    return np.stack(out, axis=-2).transpose(1, 0, 2, 3)


class MomentAccumulator:
    r"""First and second moments of blocked operators, summed per group of chains in one pass.

    Each call of :meth:`add` takes the operators ``x`` (B, M, levels, ops) of one sweep: B chains, M
    maps, the levels 0..n of blocking, the columns of :func:`lattice_operators`. Chain ``c`` belongs to
    group ``c * G // B`` (contiguous groups, as :func:`numpy.array_split`). Per group it keeps the count,
    :math:`\sum x` and :math:`\sum x x^\top` over the flattened (level, operator) index, so that the
    moments of any union of groups, in particular every leave-one-group-out jackknife sample, are sums
    and differences of these arrays: nothing is stored per sweep and nothing is re-copied.

    Columns listed in ``centred`` are shifted by their mean over the chains of the first sweep before
    summing (the covariance does not depend on a shift; it keeps the sums small); the others (odd
    operators, whose mean is zero by symmetry) are summed as they are.
    """

    def __init__(self, n_chains: int, n_groups: int, centred) -> None:
        self.B = as_int("n_chains", n_chains, minimum=1)
        self.G = as_int("n_groups", n_groups, minimum=1, maximum=self.B)
        self.group = np.arange(self.B) * self.G // self.B
        self.centred = np.asarray(centred, dtype=bool)
        self.shift = None
        self.n = np.zeros(self.G)
        self.s1 = None
        self.s2 = None

    def add(self, x) -> None:
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 4 or x.shape[0] != self.B or x.shape[3] != self.centred.size:
            raise ValueError(f"x must have shape ({self.B}, M, levels, {self.centred.size}), got {x.shape}")
        B, M, levels, k = x.shape
        if self.shift is None:
            self.shift = np.where(self.centred, x.mean(axis=0), 0.0).reshape(M, levels * k)
            self.s1 = np.zeros((self.G, M, levels * k))
            self.s2 = np.zeros((self.G, M, levels * k, levels * k))
        y = x.reshape(B, M, levels * k) - self.shift
        for g in range(self.G):
            yg = y[self.group == g]
            self.n[g] += yg.shape[0]
            self.s1[g] += yg.sum(axis=0)
            t = yg.transpose(1, 0, 2)  # (M, b, D)
            self.s2[g] += t.transpose(0, 2, 1) @ t

    def moments(self) -> Moments:
        """The per-group sums (with the level and operator shape)."""
        if self.s1 is None:
            raise ValueError("no sweep was added")
        return Moments(self.n.copy(), self.s1, self.s2, self.centred.size, self.shift)


@dataclass(frozen=True)
class Moments:
    """Per-group sums of :class:`MomentAccumulator`: ``n`` (G,), ``s1`` (G, M, D), ``s2`` (G, M, D, D) of the
    operators minus ``shift`` (M, D), with D = levels x ``n_ops`` (level-major)."""

    n: np.ndarray
    s1: np.ndarray
    s2: np.ndarray
    n_ops: int
    shift: np.ndarray

    def shifted_to(self, shift) -> Moments:
        """The same sums for the operators minus ``shift`` instead of :attr:`shift`."""
        d = (self.shift - np.asarray(shift))[None]  # (1, M, D)
        n = self.n[:, None, None]
        s1 = self.s1 + n * d
        s2 = (
            self.s2
            + self.s1[..., :, None] * d[..., None, :]
            + d[..., :, None] * self.s1[..., None, :]
            + n[..., None] * d[..., :, None] * d[..., None, :]
        )
        return Moments(self.n, s1, s2, self.n_ops, np.asarray(shift))

    @staticmethod
    def concatenate(parts) -> Moments:
        """The groups of independent ensembles side by side, brought to the first one's shift."""
        parts = list(parts)
        shift = parts[0].shift
        parts = [p.shifted_to(shift) for p in parts]
        return Moments(
            np.concatenate([p.n for p in parts]),
            np.concatenate([p.s1 for p in parts]),
            np.concatenate([p.s2 for p in parts]),
            parts[0].n_ops,
            shift,
        )


def _eigen_from_sums(n, s1, s2, n_ops, step, cols, centred) -> np.ndarray:
    """y = log2 of the leading eigenvalue of T = B^-1 A from summed moments: ``n`` (...), ``s1`` (..., M, D),
    ``s2`` (..., M, D, D); returns (..., M), NaN where the leading eigenvalue is not positive."""
    cols = np.asarray(cols)
    lo = step * n_ops + cols
    hi = (step + 1) * n_ops + cols
    n = np.asarray(n, dtype=float)[..., None, None, None]
    m2 = s2 / n
    if centred:
        m1 = s1 / n[..., 0]
        cov = m2 - m1[..., :, None] * m1[..., None, :]
    else:
        cov = m2
    A = cov[..., hi[:, None], lo[None, :]]
    Bm = cov[..., hi[:, None], hi[None, :]]
    with np.errstate(invalid="ignore", divide="ignore"):
        try:
            T = np.linalg.solve(Bm, A)
        except np.linalg.LinAlgError:
            T = np.stack(
                [
                    np.linalg.lstsq(b, a, rcond=None)[0]
                    for b, a in zip(Bm.reshape(-1, *Bm.shape[-2:]), A.reshape(-1, *A.shape[-2:]))
                ]
            ).reshape(A.shape)
        lam = np.linalg.eigvals(T).real.max(axis=-1)
        return np.where(lam > 0, np.log2(np.where(lam > 0, lam, 1.0)), np.nan)


@dataclass(frozen=True)
class Eigenvalue:
    r"""One RG exponent per map from independent ensembles.

    ``y`` (M,) from the moments pooled over all ensembles; ``jackknife`` (M,) the leave-one-group-out
    jackknife error over all groups of all ensembles; ``per_ensemble`` (E, M) the estimate of each ensemble
    alone and ``spread`` (M,) the standard error of their mean, :math:`\operatorname{sd}/\sqrt E`;
    ``err`` (M,) the larger of ``jackknife`` and ``spread``.
    """

    y: np.ndarray
    jackknife: np.ndarray
    per_ensemble: np.ndarray
    spread: np.ndarray
    err: np.ndarray


def mcrg_eigenvalue(ensembles, step: int, cols, *, centred: bool = True) -> Eigenvalue:
    r"""Exponent :math:`y = \log_2\lambda` of the linearized RG map at ``step`` (:math:`n \to n+1`) by
    Swendsen's MCRG (see :func:`mcrg_linearized`), from the :class:`Moments` of independent ensembles.

    ``cols`` selects the operators (columns of :func:`lattice_operators`): even ones with ``centred``
    (connected correlations, the thermal eigenvalue), odd ones without (their means vanish by the spin-flip
    symmetry; the magnetic eigenvalue).
    """
    ens = list(ensembles)
    if not ens:
        raise ValueError("at least one ensemble is needed")
    allm = Moments.concatenate(ens)
    k = allm.n_ops
    tot_n, tot_1, tot_2 = allm.n.sum(), allm.s1.sum(axis=0), allm.s2.sum(axis=0)
    y = _eigen_from_sums(tot_n, tot_1, tot_2, k, step, cols, centred)
    G = len(allm.n)
    loo = _eigen_from_sums(tot_n - allm.n, tot_1[None] - allm.s1, tot_2[None] - allm.s2, k, step, cols, centred)
    jack = np.sqrt((G - 1) / G * ((loo - loo.mean(axis=0)) ** 2).sum(axis=0))
    per = np.stack(
        [_eigen_from_sums(e.n.sum(), e.s1.sum(axis=0), e.s2.sum(axis=0), k, step, cols, centred) for e in ens]
    )
    E = len(ens)
    spread = per.std(axis=0, ddof=1) / np.sqrt(E) if E > 1 else np.zeros_like(y)
    return Eigenvalue(y, jack, per, spread, np.fmax(jack, spread))
