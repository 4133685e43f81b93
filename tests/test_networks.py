"""Paper I network side: kernels, exact losses, training, coupling estimation.

Ground truths come from independent routes: the transfer matrix (rgbook.ising), RG
decimation (rgbook.rg), closed forms, and brute-force Python loops over configurations.
"""

import math

import numpy as np
import pytest
import torch

from rgbook import couplings, ising, networks, rg, training
from rgbook.chapters import fc_kernel, reading_a, reading_b


def test_kernel_is_normalized_and_preserves_partition_function():
    s, p = ising.enumerate_chain(6, 0.8, 0.2)
    W, c = networks.random_weights(3, 6, seed=4, scale=2.0)
    T = np.exp(networks.log_kernel(W, c + 0.3, s))
    assert np.allclose(T.sum(axis=1), 1.0, atol=1e-13)
    y, q = networks.output_distribution(W, c + 0.3, s, p)
    assert q.shape == (8,) and abs(q.sum() - 1) < 1e-13


def test_log_kernel_matches_product_of_unit_probabilities():
    """Brute force: T(y|s) = prod_j e^{y_j a_j} / (2 cosh a_j) by explicit loops."""
    W = np.array([[0.3, -1.2, 0.5], [2.0, 0.1, -0.4]])
    c = np.array([0.2, -0.1])
    s = ising.all_configurations(3)
    y = ising.all_configurations(2)
    logT = networks.log_kernel(W, c, s, y)
    for i, si in enumerate(s):
        a = W @ si + c
        for k, yk in enumerate(y):
            expected = math.prod(math.exp(yj * aj) / (2 * math.cosh(aj)) for yj, aj in zip(yk, a))
            assert math.isclose(math.exp(logT[i, k]), expected, rel_tol=1e-12)


@pytest.mark.parametrize("K", [0.5, 1.0, 1.7])
def test_decimation_network_output_is_the_chain_at_R_b(K):
    """Independent route: rgbook.rg.decimate for the coupling, exact enumeration for P(y)."""
    s, p = ising.enumerate_chain(8, K)
    W, c = networks.decimation_weights(8, 2, beta=40.0)
    y, q = networks.output_distribution(W, c, s, p)
    _, expected = ising.enumerate_chain(4, rg.decimate(K, 0.0, 2)[0])
    assert np.allclose(q, expected, atol=1e-12)


def test_sign_layer_is_the_large_weight_limit():
    s = ising.all_configurations(6)
    W, c = networks.random_weights(3, 6, seed=1)
    c = c + 0.05
    hard = networks.sign_layer(W, c, s)
    T = np.exp(networks.log_kernel(5000 * W, 5000 * c, s, hard))
    assert np.all(np.diag(T) > 1 - 1e-6)


def _brute_conditional_entropy(encode, N, K):
    """sum_i H(s_i | y) / N for a deterministic encoder, by dictionaries over configurations."""
    s, p = ising.enumerate_chain(N, K)
    table = {}
    for si, pi in zip(s, p):
        table.setdefault(tuple(encode(si)), []).append((si, pi))
    total = 0.0
    for members in table.values():
        py = sum(pi for _, pi in members)
        for i in range(N):
            up = sum(pi for si, pi in members if si[i] > 0) / py
            for q in (up, 1 - up):
                if q > 0:
                    total -= py * q * math.log(q)
    return total / N


def test_decimation_loss_closed_form_and_two_routes():
    for N, K in ((8, 1.0), (6, 0.4), (10, 1.5)):
        closed = networks.decimation_reference_loss(N, K)
        W, c = networks.decimation_weights(N, 2, beta=40.0)
        exact = networks.conditional_entropy_loss(W, c, *ising.enumerate_chain(N, K))
        brute = _brute_conditional_entropy(lambda si: si[::2], N, K)
        assert abs(closed - brute) < 1e-12 and abs(exact - brute) < 1e-12
    assert abs(networks.decimation_reference_loss(8, 1.0) - 0.1269397461) < 1e-10  # value quoted in book/reading_a


def test_conditional_entropy_of_a_non_local_encoder_matches_brute_force():
    W = np.zeros((4, 8))
    W[0, [0, 1, 3]] = [-1, -1, 1]
    W[1, 3], W[2, 5], W[3, [5, 6, 7]] = 1, -1, [-1, 1, 1]
    c = np.zeros(4)
    exact = networks.conditional_entropy_loss(60 * W, c, *ising.enumerate_chain(8, 1.0))
    brute = _brute_conditional_entropy(lambda si: np.where(W @ si >= 0, 1, -1), 8, 1.0)
    assert abs(exact - brute) < 1e-9


def test_training_is_deterministic_and_keeps_every_restart():
    s, p = ising.enumerate_chain(6, 1.0)
    a = networks.train_autoencoder(s, p, 3, restarts=2, steps=30, seed=7, progress=False)
    b = networks.train_autoencoder(s, p, 3, restarts=2, steps=30, seed=7, progress=False)
    assert len(a) == 2 and [m.seed for m in a] == [7, 8]
    for ma, mb in zip(a, b):
        assert ma.loss == mb.loss and np.array_equal(ma.W, mb.W)
    assert a[0].loss != a[1].loss
    # the reported loss is the exact loss of the returned parameters
    assert abs(networks.reconstruction_loss(a[0], s, p) - a[0].loss) < 1e-12


def test_training_reaches_decimation_and_an_optimal_decoder_at_small_size():
    """At N = 4, K = 1: the best restart is at least as good as b = 2 decimation with the optimal
    decoder (closed form), and every trained decoder is optimal for its encoder to 1e-4 nats
    (the trained loss lies within 1e-4 above the conditional-entropy bound of the encoder)."""
    s, p = ising.enumerate_chain(4, 1.0)
    models = networks.train_autoencoder(s, p, 2, restarts=4, steps=1500, lr=0.05, seed=0, progress=False)
    best = min(models, key=lambda m: m.loss)
    assert best.loss <= networks.decimation_reference_loss(4, 1.0) + 1e-4  # 0.14370 vs 0.14552
    for m in models:
        gap = m.loss - networks.conditional_entropy_loss(m.W, m.c, s, p)
        assert -1e-12 <= gap < 1e-4
        assert len(m.history) == 30 and m.history[0] > m.loss


def test_batched_training_equals_serial_training():
    """One batch over 2 distributions x 2 restarts equals four single-model trainings."""
    s, p1 = ising.enumerate_chain(6, 0.7)
    _, p2 = ising.enumerate_chain(6, 1.3, 0.0, "periodic")
    batch = networks.train_autoencoders(s, np.stack([p1, p2]), 3, restarts=2, steps=60, seed=5, progress=False)
    for p, models in zip((p1, p2), batch):
        for r, m in enumerate(models):
            (one,) = networks.train_autoencoder(s, p, 3, restarts=1, steps=60, seed=5 + r, progress=False)
            assert m.seed == one.seed == 5 + r
            assert abs(m.loss - one.loss) < 1e-10
            for k in "WcVd":
                assert np.allclose(getattr(m, k), getattr(one, k), rtol=0, atol=1e-10)


def test_exact_loss_matches_brute_force_expectation():
    """L = (1/N) sum_s P(s) sum_y T(y|s) sum_i -ln sigma(2 s_i z_i(y)), by explicit loops."""
    s, p = ising.enumerate_chain(4, 0.9, 0.2)
    rng = np.random.default_rng(1)
    model = networks.Autoencoder(
        W=rng.normal(size=(3, 4)),
        c=rng.normal(size=3),
        V=rng.normal(size=(4, 3)),
        d=rng.normal(size=4),
        loss=0.0,
        seed=0,
        history=np.zeros(0),
    )
    y = ising.all_configurations(3)
    T = np.exp(networks.log_kernel(model.W, model.c, s, y))
    total = 0.0
    for si, pi, Ti in zip(s, p, T):
        for yk, tk in zip(y, Ti):
            z = model.V @ yk + model.d
            total -= pi * tk * sum(math.log(1 / (1 + math.exp(-2 * sv * zv))) for sv, zv in zip(si, z))
    assert abs(networks.reconstruction_loss(model, s, p) - total / 4) < 1e-12


def test_training_divergence_raises():
    s, p = ising.enumerate_chain(4, 1.0)
    with pytest.raises(training.TrainingDivergedError, match=r"not finite at step \d+ \(model\(s\) \["):
        networks.train_autoencoder(s, p, 2, restarts=2, steps=5, lr=1e308, progress=False)


def _quadratic_models(R: int):
    """R independent least-squares problems of different conditioning, parameters (R, 3)."""
    gen = torch.Generator().manual_seed(0)
    A = torch.randn((R, 5, 3), generator=gen, dtype=training.DTYPE)
    b = torch.randn((R, 5), generator=gen, dtype=training.DTYPE)
    x0 = torch.randn((R, 3), generator=gen, dtype=training.DTYPE)
    loss = lambda prm: ((A @ prm["x"][..., None])[..., 0] - b).pow(2).sum(-1)  # noqa: E731
    return A, b, x0, loss


def test_batched_fit_equals_separate_fits():
    R = 4
    A, b, x0, loss = _quadratic_models(R)
    batched = {"x": x0.clone()}
    log = training.fit(batched, loss, steps=200, lr=0.05, record_every=10)
    assert log.losses.shape == (20, R) and log.final.shape == (R,)
    for r in range(R):
        one = {"x": x0[r : r + 1].clone()}
        Ar, br = A[r : r + 1], b[r : r + 1]
        single = training.fit(
            one,
            lambda prm, Ar=Ar, br=br: ((Ar @ prm["x"][..., None])[..., 0] - br).pow(2).sum(-1),
            steps=200,
            lr=0.05,
            record_every=10,
        )
        assert torch.allclose(batched["x"][r], one["x"][0], rtol=0, atol=1e-12)
        assert np.allclose(log.losses[:, r], single.losses[:, 0], rtol=0, atol=1e-12)


def test_cosine_schedule_is_torchs_cosine_annealing():
    """fit(schedule="cosine") takes the steps of Adam driven by torch's CosineAnnealingLR (an independent route)."""
    steps = 60
    assert training.lr_factor("cosine", 0, steps) == 1.0 and training.lr_factor("constant", 17, steps) == 1.0
    assert abs(training.lr_factor("cosine", steps // 2, steps) - 0.5) < 1e-15
    assert abs(training.lr_factor("cosine", steps, steps)) < 1e-15
    A, b, x0, loss = _quadratic_models(3)
    ours = {"x": x0.clone()}
    log = training.fit(ours, loss, steps=steps, lr=0.2, record_every=1, schedule="cosine")
    x = x0.clone().requires_grad_(True)
    opt = torch.optim.Adam([x], lr=0.2)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps, eta_min=0.0)
    history = []
    for _ in range(steps):
        opt.zero_grad()
        value = loss({"x": x})
        history.append(value.detach().numpy().copy())
        value.sum().backward()
        opt.step()
        sched.step()
    assert torch.allclose(ours["x"], x.detach(), rtol=0, atol=1e-12)
    assert np.allclose(log.losses, np.array(history), rtol=0, atol=1e-12)
    constant = {"x": x0.clone()}
    training.fit(constant, loss, steps=steps, lr=0.2, schedule="constant")
    assert not torch.allclose(constant["x"], ours["x"])
    with pytest.raises(ValueError, match="schedule"):
        training.fit({"x": x0.clone()}, loss, steps=2, lr=0.1, schedule="linear")


def test_diverging_model_is_named():
    A, b, x0, loss = _quadratic_models(3)
    x0[2, 0] = float("inf")
    with pytest.raises(training.TrainingDivergedError, match=r"model\(s\) \[2\]"):
        training.fit({"x": x0}, loss, steps=5, lr=0.1)


def test_stacks_of_decimation_layers_follow_the_rg_flow():
    s, p = ising.enumerate_chain(8, 1.2)
    levels = networks.stack_layers(s, p, 2, mode="decimation", beta=40.0, progress=False)
    Ks = rg.flow(1.2, 0.0, 2, steps=2)[0]
    for lev, K in zip(levels[1:], Ks[1:]):
        assert abs(couplings.project_chain(lev.configs, lev.probs)[0] - K) < 1e-9


@pytest.mark.parametrize("K,h", [(0.7, 0.2), (-0.4, 0.0), (1.3, -0.5)])
def test_projection_recovers_a_known_chain(K, h):
    s, p = ising.enumerate_chain(5, K, h)
    Kp, hp, kl = couplings.project_chain(s, p)
    assert abs(Kp - K) < 1e-8 and abs(hp - h) < 1e-8 and kl < 1e-12


def test_projection_of_a_non_chain_has_positive_residual_and_matches_moments():
    s = ising.all_configurations(4).astype(float)
    logw = 0.5 * s[:, 0] * s[:, 2] + 0.3 * s[:, 1] * s[:, 2]
    p = np.exp(logw) / np.exp(logw).sum()
    K, h, kl = couplings.project_chain(s, p)
    assert kl > 1e-3
    _, q = ising.enumerate_chain(4, K, h)
    bonds = (s[:, :-1] * s[:, 1:]).sum(1)
    assert abs(q @ bonds - p @ bonds) < 1e-8


def test_all_pairs_fit_recovers_couplings():
    s = ising.all_configurations(5).astype(float)
    J = np.zeros((5, 5))
    J[0, 3] = J[3, 0] = 0.6
    J[1, 2] = J[2, 1] = -0.4
    h = np.array([0.1, 0.0, -0.2, 0.0, 0.3])
    logw = 0.5 * np.einsum("ni,ij,nj->n", s, J, s) + s @ h
    p = np.exp(logw - logw.max())
    Jf, hf = couplings.fit_all_pairs(s, p / p.sum())
    assert np.allclose(Jf, J, atol=1e-6) and np.allclose(hf, h, atol=1e-6)


def test_sample_projection_interval_covers_the_truth():
    x = ising.sample_chain(20_000, 6, 0.7, rng=np.random.default_rng(3))
    K, h, (lo, hi) = couplings.project_chain_from_samples(x, rng=4, n_boot=100)
    assert lo <= 0.7 <= hi and hi - lo < 0.05


def test_feature_distribution_from_samples_converges_to_exact():
    s, p = ising.enumerate_chain(8, 1.0)
    W, c = networks.random_weights(2, 8, seed=2, scale=2.0)
    _, exact = networks.output_distribution(W, c, s, p)
    x = ising.sample_chain(40_000, 8, 1.0, rng=np.random.default_rng(0))
    _, est, batches = networks.feature_distribution_from_samples(W, c, x)
    se = batches.std(axis=0, ddof=1) / np.sqrt(len(batches))
    assert np.all(np.abs(est - exact) < 5 * se + 1e-12)


def test_receptive_field_order_and_orientation():
    W = np.array([[0.0, 0.1, 0.0, -3.0], [2.0, 0.0, 0.0, 0.0], [0.0, 0.0, -1.0, 0.2]])
    assert list(couplings.receptive_field_order(W)) == [1, 2, 0]
    Wc, cc = couplings.canonical_layer(W, np.array([1.0, 2.0, 3.0]))
    assert np.array_equal(Wc[:, 0], [2.0, 0.0, 0.0]) and list(cc) == [2.0, -3.0, -1.0]


def test_regressor_training_is_deterministic_and_batches_like_serial():
    a = networks.train_coupling_regressor(8, 2, n_train=256, steps=20, seed=3)
    b = networks.train_coupling_regressor(8, 2, n_train=256, steps=20, seed=3)
    assert np.array_equal(a.W, b.W) and a.test_rmse == b.test_rmse
    batch = networks.train_coupling_regressors(8, 2, seeds=(1, 3), n_train=256, steps=20)
    assert [r.seed for r in batch] == [1, 3]
    assert np.allclose(batch[1].W, a.W, rtol=0, atol=1e-12) and abs(batch[1].test_rmse - a.test_rmse) < 1e-12


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: networks.decimation_weights(7, 2, 1.0), ValueError, "multiple of b"),
        (lambda: networks.decimation_weights(8, 2, -1.0), ValueError, "beta"),
        (lambda: networks.decimation_weights(8, 2.5, 1.0), TypeError, "b must be an integer"),
        (lambda: networks.log_kernel(np.ones((2, 3)), np.ones(3), np.ones((1, 3))), ValueError, "c must have shape"),
        (
            lambda: networks.output_distribution(np.ones((2, 3)), np.zeros(2), np.ones((2, 3)), [0.7, 0.7]),
            ValueError,
            "probs",
        ),
        (
            lambda: networks.output_distribution(np.ones((2, 3)), np.zeros(2), 2 * np.ones((1, 3)), [1.0]),
            ValueError,
            "spins",
        ),
        (lambda: networks.train_autoencoder(*ising.enumerate_chain(4, 1.0), 5), ValueError, "m must be <="),
        (lambda: networks.train_autoencoder(*ising.enumerate_chain(4, 1.0), 2, lr=0.0), ValueError, "lr"),
        (
            lambda: networks.output_distribution(np.ones((1, 17)), np.zeros(1), np.ones((1, 17)), [1.0]),
            ValueError,
            "N <= 16",
        ),
        (lambda: networks.decimation_reference_loss(7, 1.0), ValueError, "even"),
        (lambda: networks.random_weights(2, 4, seed=-1), ValueError, "seed"),
        (lambda: networks.stack_layers(*ising.enumerate_chain(6, 1.0), 2, mode="decimation"), ValueError, "divisible"),
        (lambda: networks.stack_layers(*ising.enumerate_chain(4, 1.0), 1, mode="magic"), ValueError, "mode"),
        (lambda: couplings.project_chain_moments(3.0, 0.0, 4), ValueError, "marginal polytope"),
        (lambda: couplings.receptive_field_order(np.ones(3)), ValueError, "2-d"),
        (lambda: couplings.project_chain_from_samples(np.ones((5, 3)), rng=None), TypeError, "rng"),
    ],
)
def test_bad_input_raises_clear_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("claim_id", ["I.net.kernel", "I.A1", "I.A2", "I.B"])
def test_network_claims_run_at_smoke_size(claim_id):
    """Each network claim's measure runs on its protocol's smoke() variant and gives finite rows."""
    claim = {c.id: c for mod in (fc_kernel, reading_a, reading_b) for c in mod.CLAIMS}[claim_id]
    result = claim.run(claim.protocol.smoke())
    assert result.rows and result.status in ("holds", "fails")
    for row in result.rows:
        assert math.isfinite(row.measured) and math.isfinite(row.predicted)
        assert row.tolerance in claim.tolerances.values()


def test_tanh_autoencoders_batched_training_equals_separate_runs():
    rng = np.random.default_rng(6)
    data = rng.normal(size=(2, 256, 6))
    kw = dict(hidden=4, m=2, steps=10, lr=0.01, batch_size=64)
    run = networks.train_tanh_autoencoders(data, (3, 4), **kw)
    for d, s, seed in ((0, 0, 3), (1, 1, 4)):  # one model of each data set, alone
        alone = networks.train_tanh_autoencoders(data[d : d + 1], (seed,), **kw)
        for k in networks.TANH_AE_PARAMS:
            np.testing.assert_allclose(run.params("trained", d)[k][s], alone.trained[k][0], atol=1e-10)
        np.testing.assert_allclose(run.loss_curves(d)[:, s], alone.losses[:, 0], atol=1e-10)
    init = networks.init_tanh_autoencoders(6, 4, 2, (3,))
    np.testing.assert_array_equal(run.params("initial", 1)["W1"][0], init["W1"][0].numpy())
    losses = networks.tanh_reconstruction_loss(run.params("trained", 0), data[0])
    before = networks.tanh_reconstruction_loss(run.params("initial", 0), data[0])
    assert losses.shape == (2,) and np.all(losses < before)


def test_plateau_change_and_pca_loss():
    L = np.concatenate([np.full((10, 1), 2.0), np.full((10, 1), 1.0)])
    assert networks.plateau_change(L, 0.5)[0] == pytest.approx(1.0)
    rng = np.random.default_rng(8)
    x = rng.normal(size=(4000, 5)) @ rng.normal(size=(5, 5))
    c = x - x.mean(0)
    _, _, Vt = np.linalg.svd(c, full_matrices=False)
    P = Vt[:2].T @ Vt[:2]
    assert networks.pca_loss(x, 2) == pytest.approx(((c - c @ P) ** 2).mean(), rel=1e-10)


def test_tanh_autoencoders_bad_input():
    with pytest.raises(ValueError, match="data must have shape"):
        networks.train_tanh_autoencoders(np.zeros((10, 3)), (0,), hidden=2, m=1, steps=1, lr=0.1, batch_size=4)
    with pytest.raises(ValueError, match="x must be"):
        networks.pca_loss(np.zeros((4, 3)), 1)


# the sampled-gradient option of train_autoencoders (the first 16 -> 8 layer of the literal limit)


def test_sampled_trainer_starts_where_the_exact_trainer_starts_and_ends_on_the_exact_loss():
    """Same seeds, same initial models: the sampled trainer's first exact checkpoint equals the exact trainer's
    first recorded loss; its final loss is the exact loss of its final model (an independent evaluation)."""
    s, p = ising.enumerate_chain(6, 0.9)
    sampled = networks.train_autoencoders(
        s, p[None], 3, restarts=2, steps=40, batch=16, checkpoints=4, seed=5, progress=False
    )
    exact = networks.train_autoencoders(s, p[None], 3, restarts=2, steps=40, seed=5, progress=False)
    for a, b in zip(sampled[0], exact[0]):
        assert a.history.shape == (4,)
        assert a.history[0] == pytest.approx(b.history[0], abs=1e-12)
        assert a.loss == pytest.approx(networks.reconstruction_loss(a, s, p), abs=1e-12)


def test_importance_weighted_batches_are_unbiased():
    """The mean of the sampled loss over many batches converges to the exact loss (two distributions, one
    mixture): within 4 standard errors."""
    s, _ = ising.enumerate_chain(6, 0.0)
    P = np.stack([ising.enumerate_chain(6, K)[1] for K in (0.2, 1.4)])
    states = networks._SampledStates(s.astype(float), P, 3, batch=8, seed=1)
    gen = torch.Generator().manual_seed(0)
    params = {
        "W": torch.randn((2, 3, 6), generator=gen, dtype=torch.float64),
        "c": torch.randn((2, 3), generator=gen, dtype=torch.float64),
        "V": torch.randn((2, 6, 3), generator=gen, dtype=torch.float64),
        "d": torch.randn((2, 6), generator=gen, dtype=torch.float64),
    }
    with torch.no_grad():
        states.advance(None)
        exact = states.loss(params).numpy()
        draws = []
        for step in range(1000):
            states.advance(step)
            draws.append(states.loss(params).numpy())
    draws = np.array(draws)
    se = draws.std(axis=0) / np.sqrt(len(draws))
    assert np.all(np.abs(draws.mean(axis=0) - exact) < 4 * se)


def test_infinite_gradient_with_finite_loss_is_named():
    """sqrt(w) at w = 0: the loss is 0, its gradient infinite; the error names the gradient and the model."""
    w = torch.tensor([[1.0], [0.0]], dtype=training.DTYPE)
    with pytest.raises(training.TrainingDivergedError, match=r"the gradient of w is not finite at step 0 .*\[1\]"):
        training.fit({"w": w}, lambda p: p["w"].sqrt().sum(dim=1), steps=3, lr=0.1)


def test_huge_finite_gradients_are_not_an_error():
    """Entries of 1e154 are finite (and so are their squares, which Adam keeps), though the sum of their squares
    overflows: training goes on, each step moving every weight by lr."""
    w = torch.zeros((1, 4), dtype=training.DTYPE)
    assert not torch.isfinite(torch.stack(torch._foreach_norm([torch.full((1, 4), 1e154, dtype=training.DTYPE)])))
    training.fit({"w": w}, lambda p: (1e154 * p["w"]).sum(dim=1), steps=2, lr=0.1)
    assert torch.allclose(w, torch.full((1, 4), -0.2, dtype=training.DTYPE))
