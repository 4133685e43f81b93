r"""Measures of an enumerated distribution over a spin chain, most of them free of sign and order conventions.

A layer's output units carry no natural sign or order; :func:`rgbook.couplings.canonical_layer`
fixes both, but a reading that needs no convention is safer. :func:`chain_measures` returns the
KL projection onto the open nearest-neighbour chain (convention-dependent :math:`K'`, :math:`h'`
and its residual) beside three measures that need none: the norm of the all-pairs couplings,
the mutual information between the two halves of the chain and the correlation length. The
chapters *Paper I's literal claim* and *Reading A* read their stacks' levels with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import couplings

__all__ = ["PAIRS_L2", "ChainMeasures", "chain_measures"]

#: Default ridge of the all-pairs fit (keeps couplings finite when a distribution has zeros).
PAIRS_L2 = 1e-6


@dataclass(frozen=True)
class ChainMeasures:
    r"""Measures of an enumerated distribution whose sites are in spatial (e.g. receptive-field) order.

    Attributes
    ----------
    coupling, field, kl : float
        Signed :math:`K'`, :math:`h'` and the KL residual (nats) of the projection onto the open
        nearest-neighbour chain (:func:`rgbook.couplings.project_chain`). :math:`K'` and
        :math:`h'` depend on the units' sign and order conventions.
    pairs_norm : float
        :math:`(\sum_{j<k} J_{jk}^2)^{1/2}` of the all-pairs maximum-entropy couplings
        (:func:`rgbook.couplings.fit_all_pairs`): invariant under sign flips and permutations of
        the units; NaN when the fit was not asked for.
    halves_information : float
        :math:`I(y_{\rm left}; y_{\rm right})` (nats) between the two halves of the sites:
        invariant under sign flips and under permutations within each half.
    correlation_length : float
        :func:`rgbook.couplings.correlation_length` (site spacings): invariant under sign flips
        and every permutation.
    """

    coupling: float
    field: float
    kl: float
    pairs_norm: float
    halves_information: float
    correlation_length: float


def chain_measures(configs, probs, *, pairs_l2: float | None = PAIRS_L2) -> ChainMeasures:
    """:class:`ChainMeasures` of an enumerated distribution (sites already in spatial order).

    ``pairs_l2`` is the ridge of the all-pairs fit; ``None`` skips the fit (``pairs_norm`` NaN).
    """
    y = np.asarray(configs)
    n = y.shape[1] if y.ndim == 2 else 0
    if n < 2:
        raise ValueError(f"configs must have shape (n_configs, n >= 2 sites), got {y.shape}")
    K, h, kl = couplings.project_chain(y, probs)
    if pairs_l2 is None:
        norm = float("nan")
    else:
        J, _ = couplings.fit_all_pairs(y, probs, l2=pairs_l2)
        norm = float(np.sqrt(np.sum(np.triu(J, 1) ** 2)))
    return ChainMeasures(
        float(K),
        float(h),
        float(kl),
        norm,
        couplings.mutual_information(y, probs, range(n // 2), range(n // 2, n)),
        couplings.correlation_length(y, probs),
    )
