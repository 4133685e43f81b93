"""The literal-limit chapter's pieces: the correlation bound, the copy layer, the seed bootstrap."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rgbook import rg
from rgbook.chapters import literal_limit as ch


def test_correlation_bound_holds_and_is_attained():
    P = dataclasses.replace(ch.PROTOCOL, check_N=7, check_functions=60, check_seed=3)
    check = ch.run_bound_check(P)
    assert check.excess <= 1e-12
    assert np.all(check.ratios <= 1 + 1e-12)
    assert check.single_spin_error <= 1e-12
    assert check.stochastic.any() and (~check.stochastic).any()


def test_copy_layer_keeps_two_adjacent_spins():
    W, c = ch.copy_weights(8, 8.0)
    assert W.shape == (4, 8) and np.all(c == 0)
    assert [int(np.argmax(row)) for row in W] == [0, 1, 4, 6]
    P = dataclasses.replace(ch.PROTOCOL.smoke(), N=8, depth=2, Ks=(1.0,))
    run = ch.run_stacks(P)
    copy = run.select(1.0, "copy")[0]
    assert copy.couplings[-1] == pytest.approx(1.0, abs=1e-4)  # the pair (s_1, s_2), up to copy noise
    dec = run.select(1.0, "decimation")[0]
    assert np.allclose(dec.couplings, rg.flow(1.0, 0.0, 2, steps=2)[0], atol=1e-4)


@pytest.mark.parametrize(
    "n,beta,match", [(7, 1.0, "n must be"), (0, 1.0, "n must be"), (4, -1.0, "beta"), (4, float("inf"), "beta")]
)
def test_copy_weights_bad_input(n, beta, match):
    with pytest.raises(ValueError, match=match):
        ch.copy_weights(n, beta)


def test_convention_free_measures_of_decimation_stack_follow_rg():
    """The decimation stack's correlation length is -1/ln tanh R_2^l(K) (closed form) and its halves'
    information that of an NN chain cut once: I = ln 2 - H_2((1 + tanh K_l)/2) for two sites."""
    P = dataclasses.replace(ch.PROTOCOL.smoke(), N=8, depth=2, Ks=(1.0,))
    run = ch.run_stacks(P)
    dec = run.select(1.0, "decimation")[0]
    Kl = [1.0, float(np.arctanh(np.tanh(1.0) ** 2)), float(np.arctanh(np.tanh(1.0) ** 4))]
    for lev in range(3):
        assert dec.xi[lev] == pytest.approx(-1.0 / np.log(np.tanh(Kl[lev])), rel=1e-4)
    p = (1 + np.tanh(Kl[2])) / 2
    assert dec.halves_mi[2] == pytest.approx(np.log(2) + p * np.log(p) + (1 - p) * np.log(1 - p), abs=1e-5)
    copy = run.select(1.0, "copy")[0]
    assert copy.xi[2] == pytest.approx(copy.xi[0], rel=1e-4)


# --------------------------------------------------------------------------------------
# the limit test (I.Llim); its trainer is tested in tests/test_networks.py


def test_null_band_by_hand():
    null, values = np.array([0.1, 0.2, 0.3]), np.array([0.5, 0.7])
    m0, band = ch._null_band(null, values, 2.0)
    se = np.sqrt(0.01 / 3 + 0.02 / 2)  # sample variances 0.01 and 0.02
    assert m0 == pytest.approx(0.2) and band == pytest.approx(0.2 + 2 * se)


def test_limit_run_controls_follow_their_closed_forms():
    """Smoke size: the decimation stack is R_2^l(K) (corollary (i), attained); the copy stack keeps the coupling
    of the pair (s_1, s_2); every stack's level 0 is the input coupling; the null's inputs are uncorrelated."""
    P = ch.PROTOCOL.smoke()
    run = ch.run_limit(P)
    for K in P.limit_Ks:
        assert np.allclose(run.couplings[("decimation", K)][0], rg.flow(K, 0.0, 2, steps=P.limit_depth)[0], atol=1e-4)
        assert run.abs_couplings(K, "copy")[0, -1] == pytest.approx(K, abs=1e-4)
    for (mode, K), c in run.couplings.items():
        assert np.allclose(c[:, 0], K, atol=1e-8), (mode, K)
    assert run.abs_couplings(0.0, "trained").shape == (P.limit_null_stacks, P.limit_depth + 1)
    assert run.abs_couplings(0.0, "random").shape == (P.limit_random_seeds, P.limit_depth + 1)
    assert run.plateau[0.0].shape == (P.limit_null_stacks, P.limit_depth)
    opt = ch.limit_optimizer_table(run, P)
    assert len(opt) == len(run.Ks) * P.limit_depth and np.allclose(
        opt["largest late fall"], [run.plateau[K][:, j].max() for K in run.Ks for j in range(P.limit_depth)]
    )
    rows = ch.measure_limit(P, dict(ch.CLAIMS[2].tolerances))
    assert {r.role for r in rows} == {"evidence", "control", "consistency", "precondition"}
    assert sum(r.role == "precondition" for r in rows) == P.limit_depth
