"""Reading A diagnostics: the exact loss split, the convention-free measures, the threshold search.

Ground truths come from independent routes: brute-force loops over configurations, closed
forms for the nearest-neighbour chain, finite differences, and the library's own
``conditional_entropy_loss`` (computed without the split).
"""

import math

import numpy as np
import pytest

from rgbook import couplings, ising, networks, rg
from rgbook.chapters import reading_a as ch


def _hb(p: float) -> float:
    return -(p * math.log(p) + (1 - p) * math.log(1 - p))


# --------------------------------------------------------------------------------------
# the loss split (networks.reconstruction_gap)


@pytest.mark.parametrize("K", [0.5, 1.0, 1.5])
def test_loss_split_adds_up_and_decimation_pays_no_factorization_cost(K):
    s, p = ising.enumerate_chain(8, K)
    W, c = networks.decimation_weights(8, 2, 40.0)
    g = networks.reconstruction_gap(W, c, s, p)
    total = g.lower_bound + g.output_entropy_deficit + g.encoder_noise + g.factorization_cost
    assert abs(total - g.optimal_decoder_loss) < 1e-14
    assert abs(g.optimal_decoder_loss - networks.decimation_reference_loss(8, K)) < 1e-12
    assert abs(g.factorization_cost) < 1e-12 and g.encoder_noise < 1e-20
    for name in (
        "lower_bound",
        "output_entropy_deficit",
        "encoder_noise",
        "factorization_cost",
        "optimal_decoder_loss",
    ):
        assert type(getattr(g, name)) is float  # the chapter glues them (a numpy scalar's repr breaks glue)
    # the kept spins form the 4-spin chain at R_2(K): H(y) = ln 2 + 3 h_b(p'), p' = e^K'/(2 cosh K')
    Kp = rg.decimate(K, 0.0, 2)[0]
    H_y = math.log(2) + 3 * _hb(math.exp(Kp) / (2 * math.cosh(Kp)))
    assert abs(g.H_y - H_y) < 1e-12


def test_loss_split_terms_are_nonnegative_and_match_the_optimal_decoder_loss():
    s, p = ising.enumerate_chain(6, 0.9)
    for seed in range(4):
        W, c = networks.random_weights(3, 6, seed=seed, scale=3.0)
        g = networks.reconstruction_gap(W, c + 0.2, s, p)
        assert g.output_entropy_deficit >= -1e-14 and g.encoder_noise >= 0 and g.factorization_cost >= -1e-14
        assert abs(g.optimal_decoder_loss - networks.conditional_entropy_loss(W, c + 0.2, s, p)) < 1e-13


def test_gradient_norm_matches_a_finite_difference_along_the_gradient():
    s, p = ising.enumerate_chain(6, 1.0)
    models = networks.train_autoencoder(s, p, 3, restarts=2, steps=30, progress=False)
    norms = networks.reconstruction_gradient_norms(models, s, p)
    for k, mdl in enumerate(models):
        alone = networks.reconstruction_gradient_norms([mdl], s, p)[0]
        assert abs(alone - norms[k]) < 1e-12  # the batch does not mix models
        # directional derivative along a random direction, bounded by the norm (Cauchy-Schwarz)
        rng = np.random.default_rng(k)
        d = {n: rng.standard_normal(np.shape(getattr(mdl, n))) for n in "WcVd"}
        scale = math.sqrt(sum(float(np.sum(v**2)) for v in d.values()))
        h = 1e-6

        def loss_at(t, mdl=mdl, d=d, scale=scale):
            moved = networks.Autoencoder(
                **{n: getattr(mdl, n) + t * d[n] / scale for n in "WcVd"}, loss=0.0, seed=0, history=np.zeros(0)
            )
            return networks.reconstruction_loss(moved, s, p)

        slope = (loss_at(h) - loss_at(-h)) / (2 * h)
        assert abs(slope) <= norms[k] * (1 + 1e-6) + 1e-9


def test_continue_autoencoders_keeps_order_and_does_not_raise_the_loss_much():
    s, p = ising.enumerate_chain(6, 1.0)
    models = networks.train_autoencoder(s, p, 3, restarts=2, steps=200, progress=False)
    more = networks.continue_autoencoders(models, s, np.stack([p, p]), steps=200)
    assert [m.seed for m in more] == [m.seed for m in models]
    for a, b in zip(models, more):
        assert abs(b.loss - networks.reconstruction_loss(b, s, p)) < 1e-12
        assert b.loss <= a.loss + 1e-3


# --------------------------------------------------------------------------------------
# convention-free measures (couplings.mutual_information, correlation_length)


def _brute_mi(configs, probs, left, right) -> float:
    pa, pb, pab = {}, {}, {}
    for y, q in zip(configs, probs):
        a, b = tuple(y[left]), tuple(y[right])
        pa[a] = pa.get(a, 0) + q
        pb[b] = pb.get(b, 0) + q
        pab[a, b] = pab.get((a, b), 0) + q
    return sum(q * math.log(q / (pa[a] * pb[b])) for (a, b), q in pab.items() if q > 0)


@pytest.mark.parametrize("K", [0.3, 1.0, 1.7])
def test_halves_information_of_a_chain_is_the_middle_bond(K):
    y, q = ising.enumerate_chain(6, K)
    mi = couplings.mutual_information(y, q, [0, 1, 2], [3, 4, 5])
    assert abs(mi - (math.log(2) - _hb(math.exp(K) / (2 * math.cosh(K))))) < 1e-12  # Markov: one bond
    assert abs(mi - _brute_mi(y, q, [0, 1, 2], [3, 4, 5])) < 1e-12


def test_mutual_information_brute_force_and_sign_invariance():
    s, p = ising.enumerate_chain(8, 1.0)
    W, c = networks.random_weights(4, 8, seed=3, scale=2.0)
    y, q = networks.output_distribution(W, c, s, p)
    mi = couplings.mutual_information(y, q, [0, 2], [1, 3])
    assert abs(mi - _brute_mi(y, q, [0, 2], [1, 3])) < 1e-12
    flipped = y * np.array([1, -1, -1, 1])
    assert abs(couplings.mutual_information(flipped, q, [0, 2], [1, 3]) - mi) < 1e-12
    with pytest.raises(ValueError, match="disjoint"):
        couplings.mutual_information(y, q, [0, 1], [1, 2])


@pytest.mark.parametrize("K", [0.2, 0.663, 1.2])
def test_correlation_length_of_a_chain_and_its_invariance(K):
    y, q = ising.enumerate_chain(5, K)
    xi = couplings.correlation_length(y, q)
    assert abs(xi + 1 / math.log(math.tanh(K))) < 1e-10
    perm = y[:, [3, 0, 4, 1, 2]] * np.array([1, -1, 1, -1, -1])
    assert abs(couplings.correlation_length(perm, q) - xi) < 1e-12


def test_connected_correlations_brute_force():
    s, p = ising.enumerate_chain(4, 0.7, 0.3)
    C = couplings.connected_correlations(s, p)
    m = p @ s
    for j in range(4):
        for k in range(4):
            assert abs(C[j, k] - (np.sum(p * s[:, j] * s[:, k]) - m[j] * m[k])) < 1e-14


def test_output_measures_of_decimation_are_the_chain_at_R2():
    s, p = ising.enumerate_chain(8, 1.0)
    m = ch.layer_measures(*networks.decimation_weights(8, 2, 40.0), s, p)
    Kp = rg.decimate(1.0, 0.0, 2)[0]
    assert abs(m.coupling - Kp) < 1e-9 and m.kl < 1e-12
    assert abs(m.correlation_length + 1 / math.log(math.tanh(Kp))) < 1e-9
    assert abs(m.halves_information - (math.log(2) - _hb(math.exp(Kp) / (2 * math.cosh(Kp))))) < 1e-12
    J, _ = couplings.fit_all_pairs(*ising.enumerate_chain(4, Kp), l2=ch.PAIRS_L2)
    assert abs(m.pairs_norm - math.sqrt(np.sum(np.triu(J, 1) ** 2))) < 1e-9


# --------------------------------------------------------------------------------------
# threshold encoders


def test_threshold_search_smoke_finds_decimation_at_weak_coupling():
    P = ch.PROTOCOL.smoke()
    res = ch.threshold_search(P, 0.5)
    losses = [e.loss for e in res.optima]
    assert losses == sorted(losses) and res.starts == 1 + P.restarts + P.search_starts
    assert res.best.loss <= networks.decimation_reference_loss(P.N, 0.5) + 1e-12
    for e in res.optima:  # the stored layer is the encoder that was scored
        s, p = ising.enumerate_chain(P.N, 0.5)
        assert abs(networks.conditional_entropy_loss(e.W, e.c, s, p) - e.loss) < 1e-9


def test_diagnostics_run_at_smoke_size():
    P = ch.PROTOCOL.smoke()
    conv = ch.convergence(P)
    assert len(conv) == len(P.Ks) and all(c.histories.shape[0] == P.restarts for c in conv)
    cont = ch.continue_near_optimal(P)
    assert cont and all(np.isfinite(x.after.loss) for x in cont)
    rm = ch.restart_measures(P)
    assert all(len(r.random) == P.control_seeds for r in rm)
    assert len(ch.measures_table(rm, P.n_boot)) == 4 * len(P.Ks)
    assert len(ch.gap_table(rm)) == 2 * len(P.Ks)
    rs = ch.random_stacks(P)
    assert len(rs) == P.stack_control_stacks
    assert rs[0] == tuple(f for f in ch.run_stacks(P) if f.mode == "random")
