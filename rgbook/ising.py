r"""The one-dimensional Ising chain: transfer matrix, exact enumeration, exact sampling.

Conventions (those of Paper I and of the standard texts): spins :math:`s_i \in \{\pm 1\}`, dimensionless couplings,

.. math::

    -H(s) = K \sum_i s_i s_{i+1} + h \sum_i s_i ,

with an open chain of :math:`N` sites unless ``boundary="periodic"`` is asked for. The
transfer matrix splits the field symmetrically between the two ends of a bond,

.. math::

    T(K, h) = \begin{pmatrix} e^{K+h} & e^{-K} \\ e^{-K} & e^{K-h} \end{pmatrix},
    \qquad T_{s s'} = e^{K s s' + h (s + s')/2},

so that a ring has :math:`Z_N = \operatorname{Tr} T^N` and an open chain
:math:`Z_N = u^\top T^{N-1} u` with :math:`u = (e^{h/2}, e^{-h/2})`.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from ._numeric import logsumexp
from ._validate import (
    MAX_COUPLING,
    as_coupling,
    as_generator,
    as_int,
    as_int_array,
    as_real,
    as_real_array,
    as_spin_distribution,
    as_spins,
)

__all__ = [
    "transfer_matrix",
    "log_transfer_matrix",
    "energy",
    "enumerate_chain",
    "marginalize",
    "log_partition",
    "free_energy_per_spin",
    "correlation_length",
    "spin_correlation",
    "sample_chain",
    "all_configurations",
    "log_matrix_power",
]

#: Largest chain that :func:`enumerate_chain` accepts (2^24 configurations, ~0.4 GB as int8).
MAX_ENUMERATION_SITES = 24
_BOUNDARIES = ("open", "periodic")


def _check_boundary(boundary: str) -> str:
    if not isinstance(boundary, str):
        raise TypeError(f"boundary must be a string, got {type(boundary).__name__}")
    if boundary not in _BOUNDARIES:
        raise ValueError(f"boundary must be one of {_BOUNDARIES}, got {boundary!r}")
    return boundary


def transfer_matrix(K: float, h: float = 0.0) -> np.ndarray:
    r"""Transfer matrix :math:`T(K,h)` of the chain (see module docstring).

    Parameters
    ----------
    K, h : float
        Nearest-neighbour coupling and field, finite reals.

    Returns
    -------
    numpy.ndarray
        ``[[exp(K+h), exp(-K)], [exp(-K), exp(K-h)]]``, rows and columns ordered ``(+1, -1)``.

    Raises
    ------
    ValueError
        If :math:`|K| + |h| > 700`, where the entries overflow float64; use
        :func:`log_transfer_matrix` there.
    """
    logT = log_transfer_matrix(K, h)
    if np.max(np.abs(logT)) > 700:
        raise ValueError(
            f"|K| + |h| must be <= 700 for transfer_matrix (entries overflow float64), got K={K}, h={h}; "
            "use log_transfer_matrix"
        )
    return np.exp(logT)


def log_transfer_matrix(K: float, h: float = 0.0) -> np.ndarray:
    """Entry-wise logarithm of :func:`transfer_matrix`; finite for every finite ``K, h``."""
    K = as_coupling("K", K)
    h = as_coupling("h", h)
    return np.array([[K + h, -K], [-K, K - h]])


def all_configurations(N: int) -> np.ndarray:
    """All :math:`2^N` spin configurations as an ``(2**N, N)`` int8 array.

    Row ``k`` is the binary expansion of ``k`` (most significant bit first) with
    bit 1 mapped to spin ``+1`` and bit 0 to spin ``-1``.
    """
    N = as_int("N", N, minimum=1, maximum=MAX_ENUMERATION_SITES)
    k = np.arange(2**N, dtype=np.int64)[:, None]
    bits = (k >> np.arange(N - 1, -1, -1, dtype=np.int64)) & 1
    return (2 * bits - 1).astype(np.int8)


def energy(configs: np.ndarray, K: float, h: float = 0.0, boundary: str = "open") -> np.ndarray:
    r"""Return :math:`-H(s) = K\sum s_i s_{i+1} + h \sum s_i` for each row of ``configs``.

    ``configs`` is an ``(n, N)`` array of spins ±1 (``N >= 2``); any other value is refused
    (it used to be truncated to an integer: ``[0.3, 1, 1]`` gave ``0.5`` at ``K = h = 0.5``).
    """
    s = as_spins("configs", configs, min_sites=2)
    K = as_coupling("K", K)
    h = as_coupling("h", h)
    boundary = _check_boundary(boundary)
    return _energy(s, K, h, boundary)


def _energy(s: np.ndarray, K: float, h: float, boundary: str) -> np.ndarray:
    """:func:`energy` of checked arguments."""
    s = s.astype(np.int32)
    bonds = np.einsum("ij,ij->i", s[:, :-1], s[:, 1:])
    if boundary == "periodic":
        bonds = bonds + s[:, -1] * s[:, 0]
    return K * bonds + h * s.sum(axis=1)


def enumerate_chain(N: int, K: float, h: float = 0.0, boundary: str = "open") -> tuple[np.ndarray, np.ndarray]:
    r"""Exact Boltzmann distribution of an ``N``-site chain by enumeration.

    Parameters
    ----------
    N : int
        Number of sites, ``2 <= N <= 24``.
    K, h : float
        Coupling and field.
    boundary : {"open", "periodic"}
        Open chain (``N-1`` bonds) or ring (``N`` bonds).

    Returns
    -------
    configs : numpy.ndarray
        ``(2**N, N)`` int8 array of all configurations (see :func:`all_configurations`).
    probs : numpy.ndarray
        :math:`P(s) = e^{-H(s)}/Z`, normalized in log space (no overflow for large ``K``).
    """
    N = as_int("N", N, minimum=2, maximum=MAX_ENUMERATION_SITES)
    K = as_coupling("K", K)
    h = as_coupling("h", h)
    boundary = _check_boundary(boundary)
    configs = all_configurations(N)
    logw = _energy(configs, K, h, boundary)  # configs are spins by construction: no check of 2^N rows
    probs = np.exp(logw - logsumexp(logw))
    return configs, probs


def marginalize(configs: np.ndarray, probs: np.ndarray, keep) -> tuple[np.ndarray, np.ndarray]:
    """Marginal distribution of the sites ``keep`` of an enumerated distribution.

    Returns the configurations of the kept sites (in :func:`all_configurations` order)
    and their probabilities, obtained by summing ``probs`` over the other sites.
    """
    as_spin_distribution(configs, probs)  # spins ±1, probabilities >= 0 summing to 1
    configs = np.asarray(configs)
    probs = np.asarray(probs, dtype=np.float64)
    keep = as_int_array("keep", keep)
    n_sites = configs.shape[1]
    if keep.ndim != 1 or keep.size == 0 or keep.min() < 0 or keep.max() >= n_sites:
        raise ValueError(f"keep must be a non-empty list of site indices in [0, {n_sites - 1}], got {keep.tolist()}")
    if np.unique(keep).size != keep.size:
        raise ValueError(f"keep must list distinct sites, got {keep.tolist()}")
    if keep.size > MAX_ENUMERATION_SITES:
        raise ValueError(
            f"keep must list at most {MAX_ENUMERATION_SITES} sites (2^len(keep) marginal states), got {keep.size}"
        )
    bits = (configs[:, keep] > 0).astype(np.int64)
    index = bits @ (1 << np.arange(keep.size - 1, -1, -1, dtype=np.int64))
    marg = np.bincount(index, weights=probs, minlength=2**keep.size)
    return all_configurations(keep.size), marg


def _log_matmul(logA: np.ndarray, logB: np.ndarray) -> np.ndarray:
    """``log(exp(logA) @ exp(logB))`` over the last two axes, without overflow."""
    return logsumexp(logA[..., :, :, None] + logB[..., None, :, :], axis=-2)


def log_matrix_power(logT, b: int) -> np.ndarray:
    r"""Entrywise logarithm of :math:`T^b`, given :math:`\ln T` (binary exponentiation in log space).

    Parameters
    ----------
    logT : array_like, shape (..., n, n)
        Entrywise logarithm of a non-negative matrix, or a stack of them (``-inf`` for a zero entry).
    b : int
        Power, ``b >= 0``; ``b = 0`` returns the log of the identity.

    Returns
    -------
    numpy.ndarray
        :math:`\ln (T^b)_{ij}`, same shape as ``logT``; finite wherever :math:`(T^b)_{ij} > 0`,
        however large the entries of :math:`T^b` are.
    """
    if isinstance(logT, (str, bytes)) or logT is None:
        raise TypeError(f"logT must be an array of logarithms, got {type(logT).__name__}")
    try:
        logT = np.asarray(logT, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"logT must be a real (..., n, n) array of logarithms: {exc}") from exc
    if logT.ndim < 2 or logT.shape[-1] != logT.shape[-2] or logT.shape[-1] == 0:
        raise ValueError(f"logT must have shape (..., n, n) with n >= 1, got {logT.shape}")
    if np.any(np.isnan(logT)) or np.any(logT == np.inf):
        raise ValueError("logT must hold finite logarithms or -inf (a zero entry), not NaN or +inf")
    b = as_int("b", b, minimum=0, maximum=2**62)
    n = logT.shape[-1]
    result = np.where(np.eye(n, dtype=bool), 0.0, -np.inf) * np.ones_like(logT)
    base = logT
    while b:
        if b & 1:
            result = _log_matmul(result, base)
        b >>= 1
        if b:
            base = _log_matmul(base, base)
    return result


def log_partition(N: int, K: float, h: float = 0.0, boundary: str = "open") -> float:
    r"""Exact :math:`\ln Z_N` from the transfer matrix (log-space matrix products).

    Open chain: :math:`Z = u^\top T^{N-1} u`, :math:`u=(e^{h/2},e^{-h/2})`;
    ring: :math:`Z = \operatorname{Tr} T^N`.
    """
    N = as_int("N", N, minimum=2, maximum=2**62)
    boundary = _check_boundary(boundary)
    logT = log_transfer_matrix(K, h)
    if boundary == "periodic":
        logM = log_matrix_power(logT, N)
        return float(np.logaddexp(logM[0, 0], logM[1, 1]))
    logM = log_matrix_power(logT, N - 1)
    logu = np.array([h / 2.0, -h / 2.0])
    return float(logsumexp(logu[:, None] + logM + logu[None, :]))


def free_energy_per_spin(K, h=0.0):
    r"""Thermodynamic-limit :math:`\lim_{N\to\infty} \ln Z_N / N = \ln\lambda_{\max}`.

    .. math:: \lambda_{\max} = e^{K}\cosh h + \sqrt{e^{2K}\sinh^2 h + e^{-2K}},

    which reduces to :math:`\ln(2\cosh K)` at :math:`h = 0`. Vectorized over ``K`` and ``h``.
    """
    K = as_real_array("K", K)
    h = as_real_array("h", h)
    if np.any(np.abs(K) > MAX_COUPLING) or np.any(np.abs(h) > MAX_COUPLING):
        raise ValueError(
            f"|K| and |h| must be <= {MAX_COUPLING:g}, got max |K| = {np.max(np.abs(K))}, max |h| = {np.max(np.abs(h))}"
        )
    K, h = np.broadcast_arrays(K, h)
    moderate = (K > -150.0) & (np.abs(h) < 350.0)
    Km, hm = np.where(moderate, K, 0.0), np.where(moderate, h, 0.0)
    # ln(lambda) = K + ln(cosh h + sqrt(sinh^2 h + e^{-4K})), accurate for large K.
    out = Km + np.log(np.cosh(hm) + np.sqrt(np.sinh(hm) ** 2 + np.exp(-4.0 * Km)))
    if not np.all(moderate):
        # strong antiferromagnet or strong field: the same in logs, with y = e^{-2|h|},
        # ln(lambda) = K + |h| - ln 2 + ln(1 + y + sqrt((1 - y)^2 + 4 e^{-4K} y))
        a = np.abs(h)
        y_log = -2.0 * a
        with np.errstate(divide="ignore"):
            log_b2 = 2.0 * np.log1p(-np.exp(y_log))  # ln (1 - y)^2, -inf at h = 0
        log_root = 0.5 * np.logaddexp(log_b2, np.log(4.0) - 4.0 * K + y_log)
        strong = K + a - np.log(2.0) + np.logaddexp(np.log1p(np.exp(y_log)), log_root)
        out = np.where(moderate, out, strong)
    return out[()] if out.ndim == 0 else out


def correlation_length(K):
    r"""Correlation length :math:`\xi = -1/\ln|\tanh K|` of the zero-field chain.

    :math:`\xi = 0` at :math:`K = 0`. Under decimation by ``b``, :math:`\tanh K' = \tanh^b K`
    gives :math:`\xi' = \xi / b` exactly. Vectorized over ``K``. Computed as
    :math:`\ln|\tanh K| = \ln(1-e^{-2|K|}) - \ln(1+e^{-2|K|})`, which stays accurate where
    :math:`\tanh K` rounds to 1 (:math:`\xi \approx e^{2|K|}/2`); :math:`|K| > 350` overflows
    float64 and raises ``ValueError``.
    """
    K = as_real_array("K", K)
    if np.any(np.abs(K) > 350):
        raise ValueError(
            f"|K| must be <= 350 (the correlation length e^(2|K|)/2 overflows float64), got max {np.abs(K).max()}"
        )
    x = np.exp(-2 * np.abs(K))
    with np.errstate(divide="ignore"):
        out = -1.0 / (np.log1p(-x) - np.log1p(x))
    return out[()] if out.ndim == 0 else out


def spin_correlation(r, K):
    r"""Exact zero-field correlation :math:`\langle s_i s_{i+r}\rangle = \tanh^r K` (open chain).

    ``r`` is a distance in sites: a non-negative integer or an array of them (``2.0`` counts as
    an integer, ``1.5`` is refused: there is no spin half-way between sites).
    """
    as_int_array("r", r, minimum=0)
    r = as_real_array("r", r, minimum=0.0)
    K = as_real("K", K)
    return np.tanh(K) ** r


def _bond_sample(n: int, N: int, K: float, rng: np.random.Generator) -> np.ndarray:
    """Zero field: ``s_1`` uniform and independent bonds ``s_i s_{i+1} = +1`` w.p. e^K/(2cosh K)."""
    p_aligned = expit(2.0 * K)
    first_down = rng.random((n, 1)) < 0.5
    broken = rng.random((n, N - 1)) >= p_aligned
    flips = np.concatenate([first_down, broken], axis=1)
    parity = np.cumsum(flips, axis=1, dtype=np.int32) & 1
    return (1 - 2 * parity).astype(np.int8)


def _backward_log_ratios(N: int, K: float, h: float) -> np.ndarray:
    r"""Backward messages of the open chain as log-ratios :math:`\lambda_i = \ln\beta_i(+)/\beta_i(-)`.

    :math:`\beta_N(s) = e^{hs/2}`, :math:`\beta_i(s) = \sum_{s'} T_{ss'}\beta_{i+1}(s')`.
    The recursion converges geometrically (ratio :math:`|\tanh K|` or faster) to a fixed
    point; once it has, the remaining entries are filled with that value.
    """
    lam = np.empty(N)
    lam[N - 1] = h
    i = N - 2
    while i >= 0:
        nxt = lam[i + 1]
        lam[i] = np.logaddexp(K + h + nxt, -K) - np.logaddexp(-K + nxt, K - h)
        if lam[i] == nxt:
            lam[:i] = nxt
            break
        i -= 1
    return lam


def _markov_sample(n: int, N: int, K: float, h: float, rng: np.random.Generator) -> np.ndarray:
    r"""Exact sampling with a field: the chain is a two-state Markov chain in the site index.

    :math:`P(s_1=+) = \sigma(h + \lambda_1)`,
    :math:`P(s_{i+1}=+\mid s_i) = \sigma(2K s_i + h + \lambda_{i+1})`
    (:math:`\sigma` the logistic function). A uniform :math:`U` per step either *sets* the
    next spin (below both or above both thresholds) or *copies* (``K > 0``) / *flips*
    (``K < 0``) the current one, so every spin is the most recent set value times a parity:
    the whole array is built with cumulative operations, no loop over samples.
    """
    lam = _backward_log_ratios(N, K, h)
    p_plus = expit(2.0 * K + h + lam[1:])  # P(next=+ | current=+)
    p_minus = expit(-2.0 * K + h + lam[1:])  # P(next=+ | current=-)
    lo = np.minimum(p_plus, p_minus)
    hi = np.maximum(p_plus, p_minus)
    u = rng.random((n, N))
    setv = np.zeros((n, N), dtype=np.int8)
    setv[:, 0] = np.where(u[:, 0] < expit(h + lam[0]), 1, -1)
    setv[:, 1:] = np.where(u[:, 1:] < lo, 1, np.where(u[:, 1:] >= hi, -1, 0))
    pos = np.arange(N, dtype=np.int32)
    last = np.maximum.accumulate(np.where(setv != 0, pos, 0), axis=1)
    spins = np.take_along_axis(setv, last, axis=1)
    if K < 0:
        flips = np.cumsum(setv == 0, axis=1, dtype=np.int32)
        since = flips - np.take_along_axis(flips, last, axis=1)
        spins = spins * (1 - 2 * (since & 1)).astype(np.int8)
    return spins


def sample_chain(n_samples: int, N: int, K: float, h: float = 0.0, *, rng) -> np.ndarray:
    r"""Exact independent samples of the open ``N``-site chain (no Markov-chain Monte Carlo).

    At :math:`h = 0` the bond variables :math:`s_is_{i+1}` are independent with
    :math:`P(+1) = e^{K}/2\cosh K`. With a field the spins form an inhomogeneous two-state
    Markov chain along the chain, with transition probabilities from the exact backward
    transfer-matrix messages (see :func:`_markov_sample`).

    Parameters
    ----------
    n_samples : int
        Number of independent configurations, ``>= 1``.
    N : int
        Chain length, ``>= 2``.
    K, h : float
        Coupling and field.
    rng : numpy.random.Generator or int
        Source of randomness (an int is used as a seed). Required: sampling is always seeded.

    Returns
    -------
    numpy.ndarray
        ``(n_samples, N)`` int8 array of spins ``±1``.
    """
    n_samples = as_int("n_samples", n_samples, minimum=1)
    N = as_int("N", N, minimum=2)
    K = as_coupling("K", K)
    h = as_coupling("h", h)
    rng = as_generator("rng", rng)
    if n_samples * N > 2 * 10**9:
        raise ValueError(f"n_samples * N must be <= 2e9 spins, got {n_samples * N}")
    if h == 0.0:
        return _bond_sample(n_samples, N, K, rng)
    return _markov_sample(n_samples, N, K, h, rng)
