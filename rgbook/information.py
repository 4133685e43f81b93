r"""Mutual information, in one place: exact values by enumeration and estimators from samples.

Exact (enumerated laws over :math:`\{\pm1\}^n` or joint tables):

* :func:`mutual_information` — :math:`I(y_A; y_B)` between two groups of sites;
* :func:`total_correlation` — :math:`\sum_j H(y_j) - H(y)`;
* :func:`channel_information` — :math:`I(H; E)` of a binary channel :math:`P(h\mid v)` on a joint
  table :math:`P(v, e)` (real-space mutual information of a block unit);
* :func:`gaussian_total_correlation_per_unit` — the Gaussian total correlation from a covariance;
* :func:`block_sum_likelihood` and :func:`block_sum_posterior_variance` — the exact law of the block
  magnetizations of an open zero-field chain, and the Bayes risk of inferring :math:`K` from them.

From samples:

* :func:`binned_mutual_information` — equal-count bins, Miller–Madow corrected (with
  :func:`quantile_codes` and :func:`binned_information` for precomputed codes);
* :func:`neighbour_sign_information` — plug-in :math:`I` of neighbouring columns of a :math:`\pm1` array.

The variational (Barber–Agakov) lower bound used to train 2D units lives with its trainer
(``rgbook.chapters.ising2d_critical``); the differentiable channel information used as a
training loss is :func:`rgbook.networks.channel_information_t`. This module needs numpy only
(no torch), so the physics core can import it.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_int, as_int_array, as_real_array, as_spin_distribution

__all__ = [
    "mutual_information",
    "total_correlation",
    "channel_information",
    "gaussian_total_correlation_per_unit",
    "MI_BINS",
    "quantile_codes",
    "binned_information",
    "binned_mutual_information",
    "neighbour_sign_information",
    "block_sum_likelihood",
    "block_sum_posterior_variance",
]


# --------------------------------------------------------------------------------------
# exact, by enumeration


def _as_sites(name: str, sites) -> list[int]:
    arr = as_int_array(name, sites)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-d sequence of site indices, got shape {arr.shape}")
    return arr.tolist()


def mutual_information(configs, probs, left, right) -> float:
    r"""Exact mutual information :math:`I(y_A; y_B)` (nats) between two disjoint groups of sites.

    Parameters
    ----------
    configs, probs : array_like
        Enumerated distribution over :math:`\{\pm1\}^n`.
    left, right : sequence of int
        The sites of :math:`A` and :math:`B` (disjoint, non-empty).

    Notes
    -----
    Invariant under flipping the sign of any site and under permutations within each group.
    """
    s, p = as_spin_distribution(configs, probs, min_sites=2)
    left, right = _as_sites("left", left), _as_sites("right", right)
    n = s.shape[1]
    if not left or not right or set(left) & set(right) or not set(left + right) <= set(range(n)):
        raise ValueError(f"left and right must be disjoint non-empty sets of sites in 0..{n - 1}, got {left}, {right}")
    bits = (s > 0).astype(np.int64)

    def code(sites):
        return bits[:, sites] @ (1 << np.arange(len(sites)))

    a, b = code(left), code(right)
    nb = 1 << len(right)
    joint = np.bincount(a * nb + b, weights=p, minlength=(1 << len(left)) * nb).reshape(-1, nb)
    pa, pb = joint.sum(axis=1), joint.sum(axis=0)
    nz = joint > 0
    return float(np.sum(joint[nz] * (np.log(joint[nz]) - np.log(np.outer(pa, pb)[nz]))))


def total_correlation(configs, probs) -> float:
    r"""Total correlation (multi-information) :math:`\sum_j H(y_j) - H(y)` in nats of an enumerated distribution.

    Zero exactly when the sites are independent; invariant under flipping the sign of any
    site and under any permutation of the sites, so it needs no sign or order convention.
    """
    s, p = as_spin_distribution(configs, probs, min_sites=2)
    bits = (s > 0).astype(np.int64)
    codes = bits @ (1 << np.arange(s.shape[1]))
    joint = np.bincount(codes, weights=p)
    up = p @ bits  # P(y_j = +1)
    marg = np.stack([up, 1.0 - up])

    def entropy(q):
        q = q[q > 0]
        return float(-np.sum(q * np.log(q)))

    return float(entropy(marg.ravel()) - entropy(joint))


def channel_information(q, joint) -> np.ndarray:
    r"""Exact :math:`I(H;E)` in nats of binary channels with truth tables ``q`` on the law ``joint``.

    :math:`P(h, e) = \sum_v P(v, e)\,P(h\mid v)` with :math:`q_v = P(h=+1\mid v)`,
    :math:`I = \sum_{h,e} P(h,e)\ln\frac{P(h,e)}{P(h)P(e)}`. ``q`` may carry leading axes
    (one per channel); ``joint`` is ``(n_v, n_e)``. For a block of ``b`` spins and its
    environment this is the real-space mutual information (RSMI) of the unit.
    """
    q = np.asarray(q, dtype=np.float64)
    joint = np.asarray(joint, dtype=np.float64)
    if q.shape[-1] != joint.shape[0]:
        raise ValueError(f"q must end with the {joint.shape[0]} block states, got shape {q.shape}")
    ph = np.stack([q @ joint, (1 - q) @ joint], axis=-2)  # (..., 2, n_e)
    pe = joint.sum(axis=0)
    hmarg = ph.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(ph > 0, ph * (np.log(ph) - np.log(hmarg) - np.log(pe)), 0.0)
    return terms.sum(axis=(-2, -1))


def gaussian_total_correlation_per_unit(C) -> float:
    r"""Gaussian total correlation per unit, :math:`-\frac1{2n}\ln\det R` with :math:`R` the correlation matrix
    of ``C``: the information shared among the units (0 iff independent), invariant under their order,
    signs and scales."""
    C = np.asarray(C, dtype=float)
    sd = np.sqrt(np.diag(C))
    return float(-0.5 * np.linalg.slogdet(C / np.outer(sd, sd))[1] / C.shape[0])


# --------------------------------------------------------------------------------------
# estimators from samples

#: Equal-count bins per variable of the binned mutual information.
MI_BINS = 32


def binned_mutual_information(a, b, bins: int = MI_BINS) -> float:
    r"""Mutual information (nats) of two samples on equal-count (quantile) bins, Miller–Madow corrected.

    Binning by rank makes the estimate invariant under increasing maps of either variable.
    The plug-in value on ``bins`` x ``bins`` cells is lowered by the Miller–Madow bias
    :math:`(B_{ab} - B_a - B_b + 1)/(2n)` (``B`` the occupied cells).
    """
    a = as_real_array("a", a).ravel()
    b = as_real_array("b", b).ravel()
    if a.size != b.size or a.size < 4 * bins:
        raise ValueError(f"a and b must be samples of equal size >= {4 * bins}, got {a.size} and {b.size}")
    bins = as_int("bins", bins, minimum=2, maximum=1000)
    return binned_information(quantile_codes(a, bins), quantile_codes(b, bins), bins)


def quantile_codes(v: np.ndarray, bins: int) -> np.ndarray:
    """Equal-count bin of each entry of a 1-d sample, by rank (ties in the order of the entries)."""
    rank = np.empty(v.size, dtype=np.int64)
    rank[np.argsort(v, kind="stable")] = np.arange(v.size)
    return np.minimum(rank * bins // v.size, bins - 1)


def binned_information(ca: np.ndarray, cb: np.ndarray, bins: int) -> float:
    """Miller–Madow corrected plug-in mutual information (nats) of two code arrays in ``0..bins-1``."""
    n = ca.size
    joint = np.bincount(ca * bins + cb, minlength=bins * bins).reshape(bins, bins) / n
    pa, pb = joint.sum(1), joint.sum(0)
    nz = joint > 0
    mi = float(np.sum(joint[nz] * np.log(joint[nz] / np.outer(pa, pb)[nz])))
    return mi - (nz.sum() - (pa > 0).sum() - (pb > 0).sum() + 1) / (2 * n)


def neighbour_sign_information(s: np.ndarray) -> float:
    """Mean plug-in mutual information (nats) of neighbouring columns of a +-1 array."""
    out = []
    for a, b in zip(s.T[:-1], s.T[1:]):
        joint = np.array([[np.mean((a == i) & (b == j)) for j in (-1, 1)] for i in (-1, 1)])
        pa, pb = joint.sum(1), joint.sum(0)
        nz = joint > 0
        out.append(np.sum(joint[nz] * np.log(joint[nz] / np.outer(pa, pb)[nz])))
    return float(np.mean(out))


# --------------------------------------------------------------------------------------
# block magnetizations of the open chain: exact likelihood and Bayes risk


def _block_tables(K: float, L: int) -> np.ndarray:
    r"""``T[a, b, k]``: summed Boltzmann weight :math:`e^{K\sum s_is_{i+1}}` of the block configurations of ``L``
    spins with first spin ``a``, last spin ``b`` (index 0 for +1) and ``k`` spins up."""
    # f[a, cur, k]: first spin a, current spin cur, k up so far
    f = np.zeros((2, 2, L + 1))
    f[0, 0, 1] = f[1, 1, 0] = 1.0
    bond = np.exp(K * np.array([[1.0, -1.0], [-1.0, 1.0]]))
    for _ in range(L - 1):
        g = np.zeros_like(f)
        g[:, 0, 1:] = f[:, 0, :-1] * bond[0, 0] + f[:, 1, :-1] * bond[1, 0]  # next spin up
        g[:, 1, :] = f[:, 0, :] * bond[0, 1] + f[:, 1, :] * bond[1, 1]  # next spin down
        f = g
    return f


def block_sum_likelihood(ups, Ks, L: int) -> np.ndarray:
    r"""Exact :math:`\ln P(k_1, \dots, k_B \mid K)` of the numbers of up spins in consecutive blocks of ``L`` spins.

    The open zero-field chain of :math:`N = BL` spins, :math:`P(s)\propto e^{K\sum_i s_is_{i+1}}` with
    :math:`Z = 2(2\cosh K)^{N-1}`; the weight of the block counts is a product of :math:`2\times2` matrices
    (each block's summed weight given its first and last spin, then the bond to the next block).
    ``ups`` has shape ``(n, B)`` (values ``0..L``); returns shape ``(n, len(Ks))``.
    """
    ups = as_int_array("ups", ups)
    if ups.ndim != 2 or ups.min() < 0 or ups.max() > L:
        raise ValueError(f"ups must be an (n, blocks) array of counts in 0..{L}, got shape {ups.shape}")
    Ks = as_real_array("Ks", Ks).ravel()
    n, B = ups.shape
    out = np.empty((n, Ks.size))
    for j, K in enumerate(Ks):
        T = _block_tables(float(K), L)
        bond = np.exp(K * np.array([[1.0, -1.0], [-1.0, 1.0]]))
        v = T[:, :, ups[:, 0]].transpose(2, 0, 1).sum(axis=1)  # (n, 2): summed over the first spin
        logscale = np.zeros(n)
        for b in range(1, B):
            v = np.einsum("na,ab,bcn->nc", v, bond, T[:, :, ups[:, b]])
            top = v.max(axis=1)
            v /= top[:, None]
            logscale += np.log(top)
        logz = np.log(2.0) + (B * L - 1) * np.log(2 * np.cosh(K))
        out[:, j] = np.log(v.sum(axis=1)) + logscale - logz
    return out


def block_sum_posterior_variance(ups, Ks, L: int) -> np.ndarray:
    r""":math:`\operatorname{Var}(K\mid k_1,\dots,k_B)` under the uniform prior on the grid ``Ks``, per row of ``ups``.

    The mean over data drawn from the prior is the Bayes risk (squared) of estimating :math:`K` from the
    block sums (:func:`block_sum_likelihood`)."""
    Ks = as_real_array("Ks", Ks).ravel()
    logl = block_sum_likelihood(ups, Ks, L)
    w = np.exp(logl - logl.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    mean = w @ Ks
    return w @ Ks**2 - mean**2
