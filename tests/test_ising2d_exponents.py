"""Tests of the chapter module ``rgbook.chapters.ising2d_exponents`` at its smoke size: map orientation,
the shapes of the ensembles' moments, and the tables and rows the chapter shows."""

from __future__ import annotations

import numpy as np

from rgbook import ising2d
from rgbook.chapters import ising2d_exponents as ch

P = ch.PROTOCOL.smoke()


def test_maps_are_oriented_and_named():
    ms = ch.map_set(P)
    assert np.all(ms.tables[:, 15] == 1), "every table maps the all-up block to +1"
    up = np.ones((1, ms.window, ms.window), np.int8)
    assert np.all(ising2d.window_blocking(up, ms.net_W, ms.net_block, ms.window) == 1)
    assert ms.names[: len(ms.tables)] == ("trained/0", "mi-trained/0", "majority", "decimation", "anti-aligned")
    assert np.array_equal(ms.tables[ms.names.index("majority")], ising2d.block_table("majority"))


def test_ensembles_are_independent_and_grouped():
    ens = ch.run_ensembles(P)
    assert len(ens.moments) == len(P.ensembles)
    for m in ens.moments:
        assert m.n.shape == (P.groups,) and m.n.sum() == P.chains * P.sweeps
        assert m.s2.shape[-1] == (P.n_levels + 1) * (P.n_even + P.n_odd)
    a, b = ens.moments[:2]
    assert not np.allclose(a.s1, b.s1), "ensembles with different seeds must differ"


def test_exponent_error_is_the_larger_of_jackknife_and_spread():
    e = ch.exponents(P)["h", P.n_odd, 1]
    assert np.allclose(e.err, np.fmax(e.jackknife, e.spread))
    assert e.per_ensemble.shape == (len(P.ensembles), len(ch.run_ensembles(P).names))


def test_tables_cover_every_map_and_count():
    assert len(ch.exponent_table(P)) == len(ch.run_ensembles(P).names)
    trunc = ch.truncation_table(P)
    assert len(trunc) == len(ch.run_ensembles(P).names) * (len(P.even_counts) + len(P.odd_counts))
    assert len(ch.finite_size(P)) == 2 * len(ch.run_ensembles(P, "big").names)
