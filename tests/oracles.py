r"""Brute-force test oracles: slow, obvious routes that share no code with :mod:`rgbook`.

Each oracle enumerates every configuration of a short chain with :mod:`itertools` and sums
Boltzmann weights in plain NumPy; nothing here calls the library, so agreement with the
library is evidence, not a tautology.

* :func:`ring_decimation`: decimation of a ring by enumeration plus a log-linear least-squares
  fit of the kept spins' marginal, :math:`(K', h', g')`;
* :func:`open_chain_moments`: :math:`\ln Z_n` of the open chain and the mean sufficient
  statistics :math:`(\langle\sum s_is_{i+1}\rangle, \langle\sum s_i\rangle)`;
* :func:`open_chain_log_partition_grad_autograd`: the PyTorch-autograd route the library used
  before its NumPy forward-backward (torch imported only when called);
* :func:`mutual_information_by_sums`: :math:`I(H;E)` of a deterministic block unit by explicit sums.
"""

from __future__ import annotations

import itertools

import numpy as np


def spin_configurations(n: int) -> np.ndarray:
    """All ``2**n`` configurations of ``n`` spins ±1 as an ``(2**n, n)`` float array (any order)."""
    return np.array(list(itertools.product((1.0, -1.0), repeat=n)))


def _logsumexp(x: np.ndarray) -> float:
    top = np.max(x)
    return float(top + np.log(np.sum(np.exp(x - top))))


def chain_weights(configs: np.ndarray, K: float, h: float, periodic: bool) -> np.ndarray:
    r""":math:`\ln w(s) = K\sum_i s_is_{i+1} + h\sum_i s_i` (ring: including the bond :math:`s_ns_1`)."""
    bonds = np.sum(configs[:, :-1] * configs[:, 1:], axis=1)
    if periodic:
        bonds = bonds + configs[:, -1] * configs[:, 0]
    return K * bonds + h * configs.sum(axis=1)


def ring_decimation(K: float, h: float, b: int, m: int) -> tuple[float, float, float, float]:
    r"""Decimate a ring of ``b m`` sites by enumeration; return ``K', h', g'`` and the fit residual.

    The marginal of the kept sites ``0, b, 2b, ...`` is computed by summing the weights of all
    configurations that agree on them; :math:`\ln` of it is fitted by least squares onto
    :math:`(1, \sum_i\sigma_i\sigma_{i+1}, \sum_i\sigma_i)` of the ``m``-site ring, and
    :math:`g' = (\ln Z_{bm} - \ln Z_m(K', h'))/m`.
    """
    N = b * m
    full = spin_configurations(N)
    logw = chain_weights(full, K, h, periodic=True)
    logZ = _logsumexp(logw)
    kept = spin_configurations(m)
    log_marg = np.empty(len(kept))
    for k, sigma in enumerate(kept):
        match = np.all(full[:, ::b] == sigma, axis=1)
        log_marg[k] = _logsumexp(logw[match]) - logZ
    bonds = np.sum(kept * np.roll(kept, -1, axis=1), axis=1)
    X = np.column_stack([np.ones(len(kept)), bonds, kept.sum(axis=1)])
    coef, *_ = np.linalg.lstsq(X, log_marg, rcond=None)
    residual = float(np.max(np.abs(X @ coef - log_marg)))
    Kp, hp = float(coef[1]), float(coef[2])
    logZm = _logsumexp(chain_weights(kept, Kp, hp, periodic=True))
    return Kp, hp, (logZ - logZm) / m, residual


def open_chain_moments(n: int, K: float, h: float) -> tuple[float, np.ndarray]:
    r""":math:`\ln Z_n` of the open chain and :math:`(\langle\sum_i s_is_{i+1}\rangle, \langle\sum_i s_i\rangle)`."""
    s = spin_configurations(n)
    logw = chain_weights(s, K, h, periodic=False)
    logZ = _logsumexp(logw)
    p = np.exp(logw - logZ)
    stats = np.column_stack([np.sum(s[:, :-1] * s[:, 1:], axis=1), s.sum(axis=1)])
    return logZ, p @ stats


def open_chain_log_partition_grad_autograd(n: int, K: float, h: float) -> tuple[float, np.ndarray]:
    r""":math:`\ln Z_n` and its gradient by a log-space transfer-matrix recursion and PyTorch autograd.

    The route :mod:`rgbook.couplings` used before its NumPy forward-backward, kept to show the
    two agree.
    """
    import torch

    x = torch.tensor([K, h], dtype=torch.float64, requires_grad=True)
    Kt, ht = x[0], x[1]
    logT = torch.stack([torch.stack([Kt + ht, -Kt]), torch.stack([-Kt, Kt - ht])])
    end = torch.stack([ht / 2, -ht / 2])
    v = end
    for _ in range(n - 1):
        v = torch.logsumexp(v[:, None] + logT, dim=0)
    logz = torch.logsumexp(v + end, dim=0)
    logz.backward()
    return float(logz.detach()), x.grad.numpy().copy()


def mutual_information_by_sums(h, joint) -> float:
    """I(H;E) of a deterministic unit h (+-1 per block state) by explicit sums over (h, e) (independent route)."""
    pe = joint.sum(axis=0)
    total = 0.0
    for value in (1, -1):
        phe = joint[h == value].sum(axis=0)
        ph = phe.sum()
        for e in range(joint.shape[1]):
            if phe[e] > 0:
                total += phe[e] * np.log(phe[e] / (ph * pe[e]))
    return total
