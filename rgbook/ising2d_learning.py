r"""Learned 2x2 coarse-grainings of the 2D Ising model: the algorithms behind the networks.

The losses of the three trainings of the chapter *A trained coarse-graining at the 2D critical point* (block
autoencoder, mutual-information unit with its environments, fully connected window autoencoder), the
receptive-field assignment of window units to blocks, the block readout of a network's span and the overlaps of
spans. The lattice physics (exact torus, sampler, block maps, operators, MCRG) is in :mod:`rgbook.ising2d`; the
chapter modules hold protocols, orchestration, figures and claims.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .ising2d import BLOCK_STATES

__all__ = [
    "is_majority_rule",
    "reconstruction_loss",
    "MI_ENVIRONMENT",
    "MI_BUFFER",
    "block_environments",
    "mi_cross_entropy",
    "normalised_filters",
    "lattice_windows",
    "window_reconstruction_loss",
    "ReceptiveFields",
    "receptive_fields",
    "block_sum_functionals",
    "block_readout",
    "block_sum_overlap",
    "subspace_overlap",
    "oriented_networks",
]


def is_majority_rule(table) -> bool:
    """Whether a truth table (16,) gives the block's majority spin on every block that has one (10 of 16
    states), up to an overall sign; the six blocks with two up and two down spins are free."""
    t = np.asarray(table)
    total = BLOCK_STATES.reshape(16, 4).sum(axis=1)
    has = total != 0
    return bool(np.all(t[has] == np.sign(total[has])) or np.all(t[has] == -np.sign(total[has])))


def reconstruction_loss(prm, V: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
    """Per-model cross-entropy per block (nats) of the block autoencoder h = tanh(w.v + c), P(v_i | h) =
    sigma(2 v_i (a_i h + d_i)), exactly over the 16 block states ``V`` (16, 4) with frequencies ``p`` (16,)."""
    h = torch.tanh(prm["w"] @ V.T + prm["c"])  # (R, 16)
    logits = 2.0 * (prm["a"][:, :, None] * h[:, None, :] + prm["d"][:, :, None])  # (R, 4, 16)
    nll = torch.nn.functional.softplus(-V.T[None] * logits).sum(axis=1)  # -ln P(v | h), (R, 16)
    return nll @ p


#: Side of the square centred on a block whose outside ring is the environment, and of the buffer square.
MI_ENVIRONMENT, MI_BUFFER = 8, 4


def block_environments(spins, env: int = MI_ENVIRONMENT, core: int = MI_BUFFER) -> tuple[np.ndarray, np.ndarray]:
    """Every 2x2 block of ``spins`` (B, L, L) with its environment, on the torus.

    The environment of the block with top-left corner :math:`(2i, 2j)` is the set of sites of the
    ``env`` x ``env`` square centred on the block that lie outside the ``core`` x ``core`` square
    centred on it: a buffer ring of width ``(core - 2) / 2`` separates block and environment.

    Returns
    -------
    blocks : numpy.ndarray, int8, shape (B * (L/2)**2, 4)
        Block spins in the flat order of :data:`BLOCK_STATES`.
    environments : numpy.ndarray, int8, shape (B * (L/2)**2, env**2 - core**2)
    """
    s = np.asarray(spins)
    if s.ndim != 3 or s.shape[1] != s.shape[2] or s.shape[1] % 2:
        raise ValueError(f"spins must have shape (B, L, L) with even L, got {s.shape}")
    if not (isinstance(env, int) and isinstance(core, int) and 2 <= core < env and env % 2 == 0 == core % 2):
        raise ValueError(f"env and core must be even integers with 2 <= core < env, got env={env}, core={core}")
    L = s.shape[1]
    if env > L:
        raise ValueError(f"env must be at most the lattice size {L}, got {env}")
    h, g = (env - 2) // 2, (core - 2) // 2
    dy, dx = np.meshgrid(np.arange(-h, 2 + h), np.arange(-h, 2 + h), indexing="ij")
    ring = ~((dy >= -g) & (dy < 2 + g) & (dx >= -g) & (dx < 2 + g))
    block = (dy >= 0) & (dy < 2) & (dx >= 0) & (dx < 2)
    iy, ix = np.meshgrid(np.arange(0, L, 2), np.arange(0, L, 2), indexing="ij")

    def gather(mask):
        return s[:, (iy[..., None] + dy[mask]) % L, (ix[..., None] + dx[mask]) % L].reshape(-1, int(mask.sum()))

    return gather(block), gather(ring)


def mi_cross_entropy(prm, V: torch.Tensor, E: torch.Tensor) -> torch.Tensor:
    r"""Per-model :math:`\langle -\ln q(h\mid E)\rangle` over the samples and their global flips, in nats.

    :math:`P(h\mid v) = (1 + h\tanh(w\cdot v))/2` and :math:`q(h\mid E) = \sigma(2h(u\cdot E + b))`; the flip
    :math:`(v, E)\to(-v, -E)` sends :math:`\tanh(w\cdot v)\to-\tanh(w\cdot v)` and :math:`u\cdot E\to-u\cdot E`.
    """
    t = torch.tanh(prm["w"] @ V.T)  # (R, n)
    f = prm["u"] @ E.T  # (R, n)
    b = prm["b"]  # (R, 1)
    ls = torch.nn.functional.logsigmoid

    def ce(t, f):
        return -(0.5 * (1 + t) * ls(2 * f) + 0.5 * (1 - t) * ls(-2 * f))

    return 0.5 * (ce(t, f + b) + ce(-t, -f + b)).mean(axis=1)


def normalised_filters(w: np.ndarray) -> np.ndarray:
    """Filters (R, 4) scaled to unit max-abs entry, sign fixed so that the sum is positive."""
    w = w * np.sign(w.sum(axis=1, keepdims=True) + 1e-300)
    return w / np.abs(w).max(axis=1, keepdims=True)


def lattice_windows(spins, window: int, stride: int) -> np.ndarray:
    """All ``window`` x ``window`` windows of ``spins`` (B, L, L) whose corners are multiples of ``stride``
    (periodic), flattened row by row: shape (B * (L/stride)**2, window**2)."""
    s = np.asarray(spins)
    if s.ndim != 3 or s.shape[1] != s.shape[2]:
        raise ValueError(f"spins must have shape (B, L, L), got {s.shape}")
    L = s.shape[1]
    if not (isinstance(stride, int) and stride >= 1 and L % stride == 0):
        raise ValueError(f"stride must be a positive divisor of L = {L}, got {stride!r}")
    if not (isinstance(window, int) and 2 <= window <= L):
        raise ValueError(f"window must be an integer in [2, {L}], got {window!r}")
    c = np.arange(0, L, stride)
    d = np.arange(window)
    rows = (c[:, None, None, None] + d[None, None, :, None]) % L  # (Tc, 1, w, 1)
    cols = (c[None, :, None, None] + d[None, None, None, :]) % L  # (1, Tc, 1, w)
    return s[:, rows, cols].reshape(-1, window * window)


def window_reconstruction_loss(prm, X: torch.Tensor) -> torch.Tensor:
    """Per-model reconstruction cross-entropy per window, in nats: h = tanh(W v + c),
    P(v_i | h) = sigma(2 v_i (A h + d)_i)."""
    H = torch.tanh(torch.einsum("rkx,nx->rnk", prm["W"], X) + prm["c"][:, None, :])
    logits = 2.0 * (H @ prm["A"].transpose(1, 2) + prm["d"][:, None, :])
    return torch.nn.functional.softplus(-X[None] * logits).sum(axis=2).mean(axis=1)


@dataclass(frozen=True)
class ReceptiveFields:
    """One-to-one assignment of units to the 2x2 blocks of their window.

    ``block`` (R, K) the block index (row-major over the window's blocks) of every unit; ``locality`` (R, K) the
    fraction of the unit's squared weight inside its block; ``sign`` (R, K) +-1, the sign of the unit's summed
    weight over its block (0 counts as +1).
    """

    block: np.ndarray
    locality: np.ndarray
    sign: np.ndarray


def receptive_fields(W, window: int) -> ReceptiveFields:
    r"""Assign the units of each network in ``W`` (R, K, window**2) to the K = (window/2)**2 blocks of the window.

    The assignment :math:`\pi` maximizes :math:`\sum_u m_{u,\pi(u)}`, :math:`m_{uB} = \sum_{x\in B}W_{ux}^2`, over
    bijections (:func:`scipy.optimize.linear_sum_assignment`); it depends on no ordering of units or sites.
    """
    from scipy.optimize import linear_sum_assignment

    W = np.asarray(W, dtype=float)
    if W.ndim != 3 or W.shape[2] != window * window or window % 2 or W.shape[1] != (window // 2) ** 2:
        raise ValueError(f"W must have shape (R, (window/2)**2, window**2) for window = {window}, got {W.shape}")
    nb = window // 2
    per_block = W.reshape(*W.shape[:2], nb, 2, nb, 2).transpose(0, 1, 2, 4, 3, 5).reshape(*W.shape[:2], nb * nb, 4)
    mass = (per_block**2).sum(axis=-1)  # (R, K, blocks)
    block = np.stack([linear_sum_assignment(m, maximize=True)[1] for m in mass])
    units = np.arange(W.shape[1])
    locality = np.stack([mass[r, units, block[r]] for r in range(len(W))]) / (W**2).sum(axis=2)
    sums = np.stack([per_block[r, units, block[r]].sum(axis=-1) for r in range(len(W))])
    return ReceptiveFields(block, locality, np.where(sums >= 0, 1, -1))


def block_sum_functionals(window: int) -> np.ndarray:
    """B (K, window**2): row b is 1 on the four sites of block b of the window (row-major blocks), 0 elsewhere."""
    nb = window // 2
    B = np.zeros((nb, nb, window, window))
    for by in range(nb):
        for bx in range(nb):
            B[by, bx, 2 * by : 2 * by + 2, 2 * bx : 2 * bx + 2] = 1.0
    return B.reshape(nb * nb, window * window)


def block_readout(W, window: int) -> np.ndarray:
    r"""The block sums projected onto the row space of each network: :math:`W_{\rm ro} = B\,W^+W`, shape (R, K, x).

    :math:`W^+W` is the orthogonal projector onto the span of the units' weight vectors, so row b of the
    readout is the linear function of the units' pre-activations closest to block b's sum."""
    W = np.asarray(W, dtype=float)
    B = block_sum_functionals(window)
    return np.stack([B @ np.linalg.pinv(w) @ w for w in W])


def block_sum_overlap(W, window: int) -> np.ndarray:
    """Mean over the window's blocks of the fraction of the block sum inside each network's row space: (R,)."""
    B = block_sum_functionals(window)
    ro = block_readout(W, window)
    return ((ro * B).sum(axis=2) / (B * B).sum(axis=1)).mean(axis=1)


def subspace_overlap(W, V) -> np.ndarray:
    r"""Mean squared cosine of the principal angles between each network's row space and the row space of ``V``.

    :math:`\lVert P_W P_V\rVert_F^2 / k`, :math:`k` the dimension of span(V): 1 when span(V) lies in span(W),
    :math:`\dim W / n` on average for a random span(W) in :math:`\mathbb R^n`. ``W`` (R, K, n), ``V`` (k, n);
    returns (R,).
    """
    V = np.asarray(V, dtype=float)
    PV = np.linalg.pinv(V) @ V
    return np.array(
        [np.sum((np.linalg.pinv(w) @ w @ PV) ** 2) for w in np.asarray(W, dtype=float)]
    ) / np.linalg.matrix_rank(V)


def oriented_networks(W: np.ndarray, fields: ReceptiveFields) -> np.ndarray:
    """Encoder weights (R, K, x) with each unit's sign flipped so that its summed weight over its block is positive."""
    return W * fields.sign[:, :, None]
