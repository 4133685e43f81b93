r"""Small numerical kernels shared by the core, below every physics module.

:func:`logsumexp` is :func:`scipy.special.logsumexp` for real arrays, the same operations in the same order
(equal to the last bit; ``tests/test_numeric.py`` compares them), without SciPy's array-API dispatch: that
dispatch costs about 0.15 ms a call, and the forward–backward pass of
:func:`rgbook.couplings.open_chain_log_partition_grad` calls it tens of thousands of times per chapter.
"""

from __future__ import annotations

import numpy as np

__all__ = ["logsumexp"]


def logsumexp(a, axis=None, keepdims: bool = False):
    r""":math:`\ln \sum e^{a}` over ``axis`` (an int, a tuple of ints or ``None`` for all) of a real array.

    As SciPy computes it: the largest entries ``a_max`` (all of them, ``m`` in number) are taken out of the sum,
    :math:`\ln(1 + \sum_{a < a_{max}} e^{a - a_{max}} / m) + \ln m + a_{max}`; where that is not finite (every
    entry ``-inf``, or an ``inf`` or ``nan``), :math:`\ln\sum e^a` computed directly; ``-inf`` for an empty sum.
    Returns a float for a full reduction without ``keepdims``, else an array.
    """
    a = np.asarray(a)
    if not np.issubdtype(a.dtype, np.floating):
        if np.iscomplexobj(a):
            raise TypeError(f"a must be a real array, got dtype {a.dtype}")
        a = a.astype(np.float64)
    if a.ndim == 0:
        a = a.reshape(1)
    axis = tuple(range(a.ndim)) if axis is None else axis
    if a.size == 0:  # an empty sum: ln 0
        out = np.full(np.sum(a, axis=axis, keepdims=True).shape, -np.inf)
        out = out if keepdims else np.squeeze(out, axis=axis)
        return out[()] if out.ndim == 0 else out
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a_max = a.max(axis=axis, keepdims=True)
        mask = a == a_max
        m = mask.sum(axis=axis, keepdims=True, dtype=a.dtype)
        s = np.exp(np.where(mask, -np.inf, a) - a_max).sum(axis=axis, keepdims=True, dtype=a.dtype)
        s = np.where(s == 0, s, s / m)
        out = np.log1p(s) + np.log(m) + a_max
        finite = np.isfinite(out)
        if not finite.all():
            out = np.where(finite, out, np.log(np.exp(a).sum(axis=axis, keepdims=True)))
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return out[()] if out.ndim == 0 else out
