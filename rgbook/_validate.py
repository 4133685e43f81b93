"""Argument checks shared by the public functions of :mod:`rgbook`.

Every public function validates its inputs with these helpers so that bad input
fails early with a :class:`TypeError` or :class:`ValueError` that names the
argument and the allowed range, instead of producing NaN deep inside a
computation.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = [
    "as_int",
    "as_real",
    "as_real_array",
    "as_coupling",
    "as_covariance",
    "as_generator",
    "as_spin_distribution",
    "as_spins",
    "as_int_array",
    "as_bool",
    "as_shape",
    "as_samples",
    "MAX_COUPLING",
]

#: Largest ``|K|`` or ``|h|`` accepted for a spin chain: Boltzmann weights :math:`e^{K s s'}` stay
#: representable in log space (``N |K|`` finite) for every chain length used.
MAX_COUPLING = 1e100


def as_int(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as a Python ``int`` after checking type and range.

    Booleans are rejected: ``True`` is not a chain length.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def as_real(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
) -> float:
    """Return ``value`` as a finite Python ``float`` after checking type and range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None:
        if strict_minimum and value <= minimum:
            raise ValueError(f"{name} must be > {minimum}, got {value}")
        if not strict_minimum and value < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def as_coupling(name: str, value: Any) -> float:
    """Return a coupling or field as a finite ``float`` with ``|value| <= MAX_COUPLING``."""
    return as_real(name, value, minimum=-MAX_COUPLING, maximum=MAX_COUPLING)


def as_real_array(name: str, value: Any, *, minimum: float | None = None) -> np.ndarray:
    """Return ``value`` as a finite float64 array (scalars become 0-d arrays)."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a real number or array, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nesting and the like
        raise TypeError(f"{name} must be a real number or a rectangular array of them: {exc}") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(f"{name} must be real-valued, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if minimum is not None and np.any(arr < minimum):
        raise ValueError(f"{name} must be >= {minimum}, got min {arr.min()}")
    return arr


def as_covariance(name: str, value: Any, *, min_size: int = 2) -> np.ndarray:
    """Return ``value`` as a finite, symmetric, positive-definite float64 matrix of size >= ``min_size``."""
    C = as_real_array(name, value)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] < min_size:
        raise ValueError(f"{name} must be a square matrix of size >= {min_size}, got shape {C.shape}")
    if not np.all(np.isfinite(C)) or not np.allclose(C, C.T, atol=1e-10 * max(1.0, np.abs(C).max())):
        raise ValueError(f"{name} must be finite and symmetric")
    try:
        np.linalg.cholesky(C)
    except np.linalg.LinAlgError:
        raise ValueError(f"{name} must be positive definite") from None
    return C


def as_generator(name: str, rng: Any) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator`; an ``int`` is taken as a seed.

    ``None`` is rejected on purpose: every random computation in the book is
    seeded explicitly so that it is reproducible bit for bit.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        if int(rng) < 0:
            raise ValueError(f"{name} seed must be >= 0, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(f"{name} must be a numpy.random.Generator or a non-negative integer seed, got {type(rng).__name__}")


def as_spin_distribution(
    configs: Any, probs: Any, *, min_sites: int = 1, max_sites: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Check an enumerated distribution over spin configurations; return float64 copies.

    ``configs`` must be an ``(n, N)`` array of ±1 with ``min_sites <= N <= max_sites`` and
    ``probs`` a finite, non-negative vector of length ``n`` summing to 1 (to 1e-9).
    """
    s = as_real_array("configs", configs)
    p = as_real_array("probs", probs)
    if s.ndim != 2 or s.shape[1] < min_sites:
        raise ValueError(f"configs must have shape (n, N) with N >= {min_sites}, got {s.shape}")
    if max_sites is not None and s.shape[1] > max_sites:
        raise ValueError(f"configs must have N <= {max_sites} sites for exact evaluation, got N={s.shape[1]}")
    if not np.all(np.abs(s) == 1):
        raise ValueError("configs must contain only spins +1 and -1")
    if p.shape != (s.shape[0],):
        raise ValueError(f"probs must have shape ({s.shape[0]},), got {p.shape}")
    if not np.all(np.isfinite(p)) or np.any(p < 0) or abs(p.sum() - 1.0) > 1e-9:
        raise ValueError("probs must be finite, non-negative and sum to 1")
    return s.astype(np.float64), p


def _as_numeric_array(name: str, value: Any, what: str) -> np.ndarray:
    """``np.asarray(value)`` of a real (integer or float, not bool) dtype, else TypeError naming ``name``."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be {what}, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nesting and the like
        raise TypeError(f"{name} must be {what} (a rectangular array): {exc}") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(f"{name} must be {what}, got dtype {arr.dtype}")
    return arr


def as_spins(name: str, value: Any, *, min_sites: int = 1) -> np.ndarray:
    """Check an ``(n, N)`` array of spins ±1 (any integer or float dtype) with ``N >= min_sites``.

    Returns ``np.asarray(value)`` itself (no copy, dtype kept), so that a valid input gives the
    same numbers as before it was checked.
    """
    arr = _as_numeric_array(name, value, "an (n, N) array of spins +1 and -1")
    if arr.ndim != 2 or arr.shape[1] < min_sites:
        raise ValueError(f"{name} must have shape (n, N) with N >= {min_sites}, got shape {arr.shape}")
    if not np.all(np.abs(arr) == 1):
        raise ValueError(f"{name} must contain only spins +1 and -1")
    return arr


def as_int_array(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None) -> np.ndarray:
    """Return ``value`` as an int64 array of integer values (floats like ``2.0`` are accepted, ``1.5`` is not)."""
    arr = _as_numeric_array(name, value, "an integer or an array of integers")
    if np.issubdtype(arr.dtype, np.floating):
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise ValueError(f"{name} must hold integers, got {value!r}")
        if arr.size and np.max(np.abs(arr)) > 2**53:
            raise ValueError(f"{name} must hold integers of magnitude <= 2**53, got {value!r}")
    arr = arr.astype(np.int64)
    if minimum is not None and arr.size and arr.min() < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got min {arr.min()}")
    if maximum is not None and arr.size and arr.max() > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got max {arr.max()}")
    return arr


def as_bool(name: str, value: Any) -> bool:
    """A flag: ``True``/``False`` (Python or numpy booleans) only; ``"no"`` or ``None`` is refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def as_shape(name: str, value: Any, *, max_size: int) -> tuple[int, ...]:
    """An output shape: a non-negative integer or a sequence of them, with at most ``max_size`` elements in all."""
    if isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_)):
        dims = (value,)
    elif isinstance(value, (tuple, list)):
        dims = tuple(value)
    else:
        raise TypeError(f"{name} must be an integer or a tuple of integers, got {type(value).__name__} {value!r}")
    shape = tuple(as_int(name, d, minimum=0) for d in dims)
    total = 1
    for d in shape:
        total *= d
    if total > max_size:
        raise ValueError(f"{name} must have at most {max_size:g} elements in all, got {total:g}")
    return shape


def as_samples(name: str, value: Any, *, min_rows: int = 1) -> np.ndarray:
    """Check an ``(n, units)`` array of real samples with ``n >= min_rows`` and ``units >= 1``; return it as float64."""
    u = as_real_array(name, value)
    if u.ndim != 2 or u.shape[0] < min_rows or u.shape[1] < 1:
        raise ValueError(f"{name} must be an (n >= {min_rows}, units >= 1) array of samples, got shape {u.shape}")
    return u
