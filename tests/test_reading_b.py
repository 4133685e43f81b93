"""Reading B: the regressor trainer's minibatch, depth and frozen-feature options, and the optimality sweep."""

from __future__ import annotations

import numpy as np
import pytest

from rgbook import networks
from rgbook.chapters import reading_b as ch

SMALL = {"n_train": 256, "steps": 20}


def _same(a: networks.CouplingRegressor, b: networks.CouplingRegressor) -> bool:
    return (
        np.array_equal(a.W, b.W)
        and np.array_equal(a.c, b.c)
        and a.test_rmse == b.test_rmse
        and a.head.keys() == b.head.keys()
        and all(np.array_equal(a.head[k], b.head[k]) for k in a.head)
    )


def test_full_batch_defaults_are_unchanged():
    base = networks.train_coupling_regressors(8, 2, seeds=(1, 3), **SMALL)
    assert all(
        _same(a, b)
        for a, b in zip(base, networks.train_coupling_regressors(8, 2, seeds=(1, 3), batch_size=None, **SMALL))
    )
    assert all(
        _same(a, b)
        for a, b in zip(base, networks.train_coupling_regressors(8, 2, seeds=(1, 3), batch_size=256, **SMALL))
    )
    assert set(base[0].head) == {"A", "a", "B", "e"}


def test_minibatches_batch_like_serial_and_differ_from_full_batch():
    batch = networks.train_coupling_regressors(8, 2, seeds=(1, 3), batch_size=64, **SMALL)
    alone = networks.train_coupling_regressor(8, 2, seed=3, batch_size=64, **SMALL)
    assert np.allclose(batch[1].W, alone.W, rtol=0, atol=1e-12) and abs(batch[1].test_rmse - alone.test_rmse) < 1e-12
    full = networks.train_coupling_regressor(8, 2, seed=3, **SMALL)
    assert not np.array_equal(full.W, alone.W)


def test_frozen_features_and_deeper_head():
    W, c = ch.block_weights(8, 2, 0.5)
    regs = networks.train_coupling_regressors(8, 2, seeds=(0, 1), features=(W, c), depth=2, **SMALL)
    for r in regs:
        assert np.array_equal(r.W, W) and np.array_equal(r.c, c)
        assert set(r.head) == {"A", "a", "B", "e", "A2", "a2"} and r.head["A2"].shape == (16, 16)
        assert np.isfinite(r.test_rmse)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"batch_size": 0}, "batch_size"),
        ({"depth": 0}, "depth"),
        ({"features": (np.zeros((3, 8)), np.zeros(3))}, "features"),
        ({"features": (np.full((2, 8), np.nan), np.zeros(2))}, "features"),
    ],
)
def test_bad_trainer_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        networks.train_coupling_regressors(8, 2, **SMALL, **kwargs)


def test_checkpoints_are_the_shorter_runs():
    long = networks.train_coupling_regressors(
        8, 2, seeds=(0, 2), n_train=256, steps=30, batch_size=64, checkpoints=(10, 20)
    )
    short = networks.train_coupling_regressors(8, 2, seeds=(0, 2), n_train=256, steps=10, batch_size=64)
    assert [cp.step for cp in long[1].checkpoints] == [10, 20] and not short[0].checkpoints
    for a, b in zip(long, short):
        cp = a.checkpoints[0]
        assert np.array_equal(cp.W, b.W) and np.array_equal(cp.c, b.c) and cp.test_rmse == b.test_rmse
    with pytest.raises(ValueError, match="checkpoint"):
        networks.train_coupling_regressors(8, 2, n_train=256, steps=10, checkpoints=(10,))


def test_sweep_smoke_structure():
    P, S = ch.PROTOCOL.smoke(), ch.SWEEP.smoke()
    run = ch.run_sweep(P, S)
    n_steps = len(S.checkpoints) + 1
    assert len(run.points) == (len(S.lrs) + 1 + 2 * (len(S.widths) - 1) + len(S.depths)) * n_steps
    assert run.bayes == ch.bayes_rmse(S.N, P.K_range, P.n_bins)
    table = ch.sweep_table(run)
    assert np.all(table["RMSE 95% low"] <= table["test RMSE"]) and np.all(table["test RMSE"] <= table["RMSE 95% high"])
    assert np.all(np.isfinite(table[["test RMSE", "K'", "|K'|"]].to_numpy()))
    assert sorted(set(table["M"])) == sorted(S.widths)
    for M in S.widths:
        best = run.best_trained(M)
        assert best.network == "trained" and best.M == M
        assert np.mean(best.rmse) == min(np.mean(p.rmse) for p in run.select("trained", M))
        ideal = run.ideal(M)
        assert ideal.step == S.steps and len(set(ideal.coupling)) == 1  # one frozen layer for every seed
    assert {p.lr for p in run.select("trained", 8)} == {S.width_lr}
    numbers = ch.sweep_numbers(run, P)  # glued into the prose: plain Python numbers only (the -W build)
    assert numbers and all(type(v) in (float, int) for v in numbers.values())
    assert numbers["best-lo"] <= numbers["best"] <= numbers["best-hi"] and numbers["wide-M"] == max(S.widths)
    assert numbers["deep-lo"] <= numbers["deep"] <= numbers["deep-hi"] and numbers["deep-depth"] == max(S.depths)
    assert "fig-reading-b-sweep" in ch.FIGURES


def test_sweep_rejects_a_size_the_blocks_do_not_divide():
    with pytest.raises(ValueError, match="Sweep.N"):
        ch.run_sweep(ch.PROTOCOL.smoke(), ch.Sweep(N=20, seeds=(0,), steps=2, checkpoints=(1,)))


def test_full_batch_record_and_tables():
    assert set(ch.FULL_BATCH.mean_abs_coupling) == set(ch.PROTOCOL.Ns)
    table = ch.batch_comparison_table()
    assert list(table["seeds"]) == [10, 10]
    assert np.all(table["RMSE 95% low"] <= table["test RMSE"]) and np.all(table["|K'|"] <= table["|K'| 95% high"])


def test_total_correlation_of_a_chain_is_the_sum_of_bond_informations():
    """For the open zero-field chain (uniform marginals, Markov) the total correlation is (n - 1) I(s_i; s_i+1),
    with I = ln 2 - H_2((1 + tanh K)/2) (closed form); invariant under flipping and permuting sites."""
    from rgbook import couplings, ising

    s, p = ising.enumerate_chain(6, 0.7)
    q = (1 + np.tanh(0.7)) / 2
    bond = np.log(2) + q * np.log(q) + (1 - q) * np.log(1 - q)
    assert couplings.total_correlation(s, p) == pytest.approx(5 * bond, abs=1e-12)
    assert couplings.total_correlation(-s[:, ::-1] * np.array([1, -1, 1, 1, -1, 1]), p) == pytest.approx(
        5 * bond, abs=1e-12
    )
    s0, p0 = ising.enumerate_chain(6, 0.0)
    assert couplings.total_correlation(s0, p0) == pytest.approx(0.0, abs=1e-12)


def test_block_sum_bayes_risk_lies_between_the_bond_count_risk_and_the_prior():
    """The bond count is sufficient: no estimator from block sums beats its Bayes risk, none is worse than the prior."""
    from rgbook.chapters import reading_b as ch

    risk, se = ch.block_sum_bayes_rmse(16, 4, n_per_K=100)
    assert ch.bayes_rmse(16) - 3 * se < risk < ch.prior_rmse()
    assert 0 < se < 0.01
