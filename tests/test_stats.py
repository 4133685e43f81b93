"""The seed bootstrap shared by the chapters (rgbook.stats)."""

from __future__ import annotations

import numpy as np
import pytest

from rgbook.stats import seed_bootstrap


def test_seed_bootstrap_mean_and_interval():
    mean, lo, hi = seed_bootstrap([1.0, 1.0, 1.0], 50, 0)
    assert (mean, lo, hi) == (1.0, 1.0, 1.0)
    mean, lo, hi = seed_bootstrap(np.arange(10.0), 500, 0)
    assert lo < mean < hi and mean == 4.5
    with pytest.raises(ValueError, match="values"):
        seed_bootstrap([], 10, 0)
    with pytest.raises(ValueError, match="n_boot"):
        seed_bootstrap([1.0], 0, 0)


def test_seed_bootstrap_is_seeded_and_brackets_the_mean():
    v = np.random.default_rng(0).normal(size=12)
    a = seed_bootstrap(v, 500, seed=1)
    assert a == seed_bootstrap(v, 500, seed=1)
    assert a[1] < v.mean() < a[2]
