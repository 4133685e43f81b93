r"""Estimating the couplings of a distribution over spin chains.

This module grows with the network chapters (output-coupling estimation); its first tool
is an exact log-linear fit used as an independent route in the RG chapter.
"""

from __future__ import annotations

import numpy as np

__all__ = ["fit_chain_loglinear"]


def fit_chain_loglinear(configs, log_probs, periodic: bool = False) -> tuple[float, float, float]:
    r"""Least-squares fit of :math:`\ln P(s) = c + K\sum_i s_i s_{i+1} + h\sum_i s_i`.

    Parameters
    ----------
    configs : array_like, shape (n, N)
        Spin configurations (entries ±1), e.g. all :math:`2^N` of them.
    log_probs : array_like, shape (n,)
        :math:`\ln P` of each configuration (finite).
    periodic : bool
        Include the bond :math:`s_N s_1`.

    Returns
    -------
    K, h, residual : float
        Fitted coupling and field, and the largest absolute misfit (zero when ``P`` is
        exactly a nearest-neighbour chain).
    """
    s = np.asarray(configs, dtype=np.float64)
    y = np.asarray(log_probs, dtype=np.float64)
    if s.ndim != 2 or s.shape[1] < 2:
        raise ValueError(f"configs must have shape (n, N) with N >= 2, got {s.shape}")
    if y.shape != (s.shape[0],):
        raise ValueError(f"log_probs must have shape ({s.shape[0]},), got {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError("log_probs must be finite (every configuration needs P > 0)")
    bonds = (s[:, :-1] * s[:, 1:]).sum(axis=1)
    if periodic:
        bonds = bonds + s[:, -1] * s[:, 0]
    X = np.column_stack([np.ones(len(y)), bonds, s.sum(axis=1)])
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    residual = float(np.max(np.abs(X @ coef - y)))
    return float(coef[1]), float(coef[2]), residual
