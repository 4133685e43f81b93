"""rgbook.thresholds: threshold units and tables, the fast deterministic losses, the encoder search."""

from __future__ import annotations

import numpy as np

from rgbook import ising, networks, thresholds


def test_threshold_tables_count():
    """Threshold functions: 14 of 2 inputs (all but XOR, XNOR), 104 of 3; the constants are left out."""
    assert len(thresholds.threshold_tables(2)) == 12
    assert len(thresholds.threshold_tables(3)) == 102


def test_threshold_units_are_distinct_and_reproduced_by_their_weights():
    outs, w, theta = thresholds.threshold_units(6, 3)
    s = ising.all_configurations(6)
    assert np.array_equal(outs, np.where(s @ w.T - theta > 0, 1, -1).T)
    keys = {(o if o[0] > 0 else -o).tobytes() for o in outs}
    assert len(keys) == len(outs)
    assert np.all(np.abs(outs.sum(axis=1)) < outs.shape[1])  # no constant unit
    assert np.all(np.abs(s @ w.T - theta) >= 1)  # never on the threshold


def test_deterministic_loss_matches_the_stochastic_route():
    s, p = ising.enumerate_chain(8, 1.0)
    outs, w, theta = thresholds.threshold_units(8, 3)
    rng = np.random.default_rng(2)
    up = (s > 0).astype(float).T
    beta = thresholds.THRESHOLD_BETA
    for _ in range(3):
        idx = rng.choice(len(outs), 4, replace=False)
        codes = np.array([1 << 3, 1 << 2, 1 << 1, 1]) @ (outs[idx] > 0)
        fast = thresholds.deterministic_losses(codes[None], up, p, 16)[0]
        slow = networks.conditional_entropy_loss(beta * w[idx], -beta * theta[idx], s, p)
        assert abs(fast - slow) < 1e-12


def test_swap_losses_equal_the_losses_of_the_swapped_encoders():
    s, p = ising.enumerate_chain(6, 0.8)
    outs, _, _ = thresholds.threshold_units(6, 2)
    bits = (outs > 0).astype(np.int64)
    up = (s > 0).astype(np.float64).T
    M = np.column_stack([p, (p * up).T])
    keep = bits[[0, 5]]  # two units stay, the third is swapped
    rest = np.array([2, 1]) @ keep
    fast = thresholds.swap_losses(rest, 4, bits.astype(np.float64), M)
    codes = np.array([np.array([4, 2, 1]) @ np.vstack([keep, b[None]]) for b in bits])
    np.testing.assert_allclose(fast, thresholds.deterministic_losses(codes, up, p, 8), atol=1e-13)


def test_search_encoders_beats_decimation_and_scores_what_it_returns():
    s, p = ising.enumerate_chain(6, 0.5)
    n_pool, n_starts, found = thresholds.search_encoders(
        s, p, 3, [networks.decimation_weights(6, 2, 1.0)], width=3, n_random=4, seed=0
    )
    assert n_pool == len(thresholds.threshold_units(6, 3)[0]) and n_starts == 5
    losses = [loss for _, _, loss in found]
    assert losses == sorted(losses)
    assert losses[0] <= networks.decimation_reference_loss(6, 0.5) + 1e-12
    for W, c, loss in found:  # the returned layer is the scored encoder
        assert abs(networks.conditional_entropy_loss(W, c, s, p) - loss) < 1e-9


def test_mirror_images_of_decimation():
    class Enc:
        def __init__(self, W, c):
            self.W, self.c = W, c

    even = Enc(*networks.decimation_weights(8, 2, 40.0))
    odd = Enc(*networks.decimation_weights(8, 2, 40.0, offset=1))
    assert thresholds.mirror_images(even, odd) and thresholds.mirror_images(odd, even)
    assert not thresholds.mirror_images(even, even)
