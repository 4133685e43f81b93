"""Shared pieces of the training protocols."""

from __future__ import annotations

import numpy as np


def binned_parameter(
    lo: float, hi: float, n: int, rng: np.random.Generator, n_bins: int = 32
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` parameter values uniform over the midpoints of ``n_bins`` equal bins of ``[lo, hi]``.

    Returns the bin index of each draw and the midpoints. Exact samplers take one parameter at
    a time, so samples are generated bin by bin at the midpoint.
    """
    edges = np.linspace(lo, hi, n_bins + 1)
    return rng.integers(0, n_bins, n), 0.5 * (edges[1:] + edges[:-1])


# Protocol numbers as a claim statement writes them (for the chapters' Protocol properties that
# a statement template reads as ``{protocol.NAME}``, see :meth:`rgbook.claims.Claim.render`).

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def number_word(n: int) -> str:
    """``n`` in words up to twelve ("ten"), in digits beyond."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def ordinal_word(n: int) -> str:
    """``n`` as an ordinal in words up to "tenth", ``"11th"`` beyond."""
    return _ORDINALS[n] if 0 <= n < len(_ORDINALS) else f"{n}th"


def sci(x: float) -> str:
    """A number in short scientific notation: ``1e-3``, ``2e-8`` (``:g`` would write 0.001, 2e-08)."""
    mantissa, _, exponent = f"{x:e}".partition("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def times_ten(x: float) -> str:
    """A number as ``2x10^4`` (mantissa ``:g``, integer power of ten)."""
    mantissa, _, exponent = f"{x:e}".partition("e")
    return f"{float(mantissa):g}x10^{int(exponent)}"


def arrow_chain(sizes) -> str:
    """Layer sizes as a chain, ``"8 -> 4 -> 2"``."""
    return " -> ".join(str(n) if isinstance(n, int) else f"{n:g}" for n in sizes)


def and_list(items) -> str:
    """Words joined as prose, ``"a, b and c"`` (``"a"`` alone, ``"a and b"`` for two)."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
