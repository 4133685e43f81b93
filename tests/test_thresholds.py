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


def test_code_entropy_of_decimation_is_the_decimated_chain_entropy():
    """Independent route: keeping every second spin of the open 8-spin chain at K = 0.5 leaves an open
    4-spin chain with K_2 = artanh(tanh^2 K); its entropy is ln 2 + 3 h(1/(1 + e^{2 K_2})) = 2.7037 nats."""
    K = 0.5
    s, p = ising.enumerate_chain(8, K)
    bits = (s[:, ::2] > 0).T
    K2 = np.arctanh(np.tanh(K) ** 2)
    flip = 1.0 / (1.0 + np.exp(2 * K2))
    closed = np.log(2) + 3 * float(networks.binary_entropy(flip))
    assert abs(thresholds.code_entropy(bits, p) - closed) < 1e-12
    assert abs(closed - 2.7037) < 5e-5
    # the stochastic route in the deterministic limit (I(s;y) of a hard layer) agrees
    W, c = networks.decimation_weights(8, 2, 40.0)
    assert abs(networks.layer_information(W, c, s, p) - closed) < 1e-10


def test_code_entropies_score_every_swap():
    s, p = ising.enumerate_chain(6, 1.0)
    outs, _, _ = thresholds.threshold_units(6, 6)
    bits = (outs > 0).astype(np.int64)
    rest = 2 * bits[3] + bits[10]
    got = thresholds._code_entropies(rest, 4, bits.astype(float), p)
    want = [thresholds.code_entropy(np.vstack([bits[[3, 10]], b[None]]), p) for b in bits]
    assert np.allclose(got, want, atol=1e-12)


def test_infomax_search_reaches_the_brute_force_optimum():
    """Tiny case: every pair of threshold units on the 4-spin chain, against the search's best."""
    s, p = ising.enumerate_chain(4, 1.0)
    pool, _, _, optima, reached = thresholds.infomax_search(s, p, 2, width=4, n_starts=8, seed=0)
    bits = (pool > 0).astype(np.int64)
    brute = max(thresholds.code_entropy(bits[[i, j]], p) for i in range(len(bits)) for j in range(i + 1, len(bits)))
    assert abs(optima[0][1] - brute) < 1e-12
    assert abs(reached.max() - brute) < 1e-12 and len(reached) == 8
    assert all(abs(thresholds.code_entropy(bits[list(k)], p) - v) < 1e-12 for k, v in optima)
    assert [v for _, v in optima] == sorted((v for _, v in optima), reverse=True)
