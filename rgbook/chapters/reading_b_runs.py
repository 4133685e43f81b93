r"""Runs of the chapter *Reading B* (``book/reading_b``): trained regressors, feature couplings against size,
the optimality sweep and the Bayes risks. ``P`` is the chapter's ``Protocol`` and ``S`` its ``Sweep``
(:mod:`rgbook.chapters.reading_b`, which re-exports every name; neither is imported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.stats import binom

from .. import couplings, ising, networks
from ..information import block_sum_posterior_variance
from ..stats import seed_bootstrap

KINDS = ("trained", "random", "local")


def block_weights(N: int, M: int, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """Local control: unit j sums the j-th contiguous block of N/M spins with weight beta."""
    return np.kron(np.eye(M), np.ones(N // M)) * beta, np.zeros(M)


def controls(P, N: int, seed: int = 0) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The untrained controls at size N: random weights (this seed) and local block sums."""
    return {
        "random": networks.random_weights(P.M, N, seed=seed, scale=P.random_scale),
        "local": block_weights(N, P.M, P.local_beta),
    }


@dataclass(frozen=True)
class FullBatchRecord:
    """Numbers of the full-batch protocol (``replace(PROTOCOL, batch_size=None)``), recorded when it was replaced.

    ``mean_abs_coupling`` and ``mean_test_rmse`` map each size to the mean over seeds (0, 1, 2)
    of the trained networks' :math:`|K'|` and test RMSE; ``rmse_128`` and ``abs_coupling_128``
    the per-seed values at N = 128 for seeds 0..9, full batch and minibatches of 1024 (both
    1500 steps at lr 0.02), from which the chapter's comparison is computed.
    """

    mean_abs_coupling: dict
    mean_test_rmse: dict
    rmse_128: dict
    abs_coupling_128: dict


FULL_BATCH = FullBatchRecord(
    mean_abs_coupling={8: 0.0725, 16: 0.0497, 32: 0.0300, 64: 0.0665, 128: 0.0994},
    mean_test_rmse={8: 0.3169, 16: 0.2889, 32: 0.2852, 64: 0.2874, 128: 0.3111},
    rmse_128={
        "full batch": (0.3014, 0.3254, 0.3065, 0.3191, 0.3162, 0.2958, 0.3115, 0.3307, 0.3447, 0.3635),
        "minibatches of 1024": (0.3102, 0.3244, 0.3248, 0.3228, 0.3113, 0.3154, 0.3069, 0.3288, 0.3260, 0.3320),
    },
    abs_coupling_128={
        "full batch": (0.135, 0.087, 0.077, 0.023, 0.040, 0.112, 0.059, 0.055, 0.313, 0.193),
        "minibatches of 1024": (0.016, 0.195, 0.162, 0.104, 0.118, 0.242, 0.012, 0.135, 0.049, 0.303),
    },
)


@cache
def run_regressors(P, N: int) -> tuple[networks.CouplingRegressor, ...]:
    """The trained networks at size N, one per seed of the protocol (one batched training)."""
    return networks.train_coupling_regressors(
        N,
        P.M,
        seeds=P.seeds,
        K_range=P.K_range,
        n_train=P.n_train,
        hidden=P.hidden,
        steps=P.steps,
        lr=P.lr,
        n_bins=P.n_bins,
        batch_size=P.batch_size,
    )


@dataclass(frozen=True)
class FeatureCoupling:
    """Projected coupling between the feature spins of one network under input chains at ``K_eval``.

    ``interval`` is the 95 % t-interval of ``K'`` over independent sample batches;
    ``test_rmse`` the trained network's error on fresh data (NaN for controls). Beside ``K'``,
    measures of the sampled feature distribution: ``xi``, the feature spins' correlation length
    (:func:`rgbook.couplings.correlation_length`) and ``total_corr``, their total correlation
    (:func:`rgbook.couplings.total_correlation`), which need no sign or order convention;
    ``halves_mi``, the mutual information (nats) between units 0, 1 and units 2, 3, which
    depends on the pairing (the receptive-field order). ``xi_iid`` and ``total_corr_iid`` are
    the same measures with i.i.d. input spins (:math:`K = 0`): the correlation the features
    get from sharing input spins rather than from the chain's coupling.
    """

    N: int
    network: str
    seed: int
    coupling: float
    field: float
    kl: float
    interval: tuple[float, float]
    test_rmse: float
    xi: float = float("nan")
    halves_mi: float = float("nan")
    total_corr: float = float("nan")
    xi_iid: float = float("nan")
    total_corr_iid: float = float("nan")


@dataclass(frozen=True)
class SizeRun:
    """Feature couplings of every network (trained and random per seed, local once) at every size."""

    rows: tuple[FeatureCoupling, ...]

    def select(self, network: str) -> tuple[FeatureCoupling, ...]:
        return tuple(r for r in self.rows if r.network == network)

    def mean_abs_coupling(self, network: str) -> tuple[np.ndarray, np.ndarray]:
        """Sizes and the mean of |K'| over the seeds of ``network`` at each size."""
        rows = self.select(network)
        Ns = np.array(sorted({r.N for r in rows}))
        return Ns, np.array([np.mean([abs(r.coupling) for r in rows if r.N == N]) for N in Ns])

    def mean_test_rmse(self) -> tuple[np.ndarray, np.ndarray]:
        """Sizes and the mean test RMSE of the trained networks at each size."""
        rows = self.select("trained")
        Ns = np.array(sorted({r.N for r in rows}))
        return Ns, np.array([np.mean([r.test_rmse for r in rows if r.N == N]) for N in Ns])


@cache
def run_size(P) -> SizeRun:
    """Feature-layer coupling against N for trained, random and local networks."""
    rows = []
    for N in P.Ns:
        x = ising.sample_chain(P.n_eval, N, P.K_eval, rng=np.random.default_rng(10_000 + N))
        x_iid = ising.sample_chain(P.n_eval, N, 0.0, rng=np.random.default_rng(20_000 + N))
        nets = {}
        for reg in run_regressors(P, N):
            nets[("trained", reg.seed)] = (reg.W, reg.c, reg.test_rmse)
            nets[("random", reg.seed)] = (*networks.random_weights(P.M, N, seed=reg.seed, scale=P.random_scale), np.nan)
        nets[("local", 0)] = (*block_weights(N, P.M, P.local_beta), np.nan)
        for (kind, seed), (W, c, rmse) in nets.items():
            W, c = couplings.canonical_layer(W, c)
            y, q, qb = networks.feature_distribution_from_samples(W, c, x, n_batches=P.n_batches)
            Kp, hp, kl, (lo, hi) = couplings.project_chain_batches(y, q, qb)
            m = y.shape[1]
            y0, q0, _ = networks.feature_distribution_from_samples(W, c, x_iid, n_batches=P.n_batches)
            rows.append(
                FeatureCoupling(
                    N,
                    kind,
                    seed,
                    float(Kp),
                    float(hp),
                    float(kl),
                    (float(lo), float(hi)),
                    float(rmse),
                    couplings.correlation_length(y, q),
                    couplings.mutual_information(y, q, range(m // 2), range(m // 2, m)),
                    couplings.total_correlation(y, q),
                    couplings.correlation_length(y0, q0),
                    couplings.total_correlation(y0, q0),
                )
            )
    return SizeRun(tuple(rows))


@dataclass(frozen=True)
class Rates:
    r"""Fitted decay of the mean :math:`|K'|` with :math:`N` for one kind of network.

    ``power`` is :math:`p` of :math:`|K'|\propto N^{-p}` (log-log slope), ``exponential``
    :math:`1/N_0` of :math:`|K'|\propto e^{-N/N_0}` (semi-log slope); ``Ns`` and ``mean`` the
    data they are fitted to.
    """

    network: str
    Ns: np.ndarray
    mean: np.ndarray
    power: float
    exponential: float


def rates(run: SizeRun) -> dict[str, Rates]:
    """Power-law and exponential fits of the mean |K'| against N, per network kind."""
    out = {}
    for kind in KINDS:
        Ns, k = run.mean_abs_coupling(kind)
        N = Ns.astype(float)
        out[kind] = Rates(
            kind, Ns, k, float(-np.polyfit(np.log(N), np.log(k), 1)[0]), float(-np.polyfit(N, np.log(k), 1)[0])
        )
    return out


def bayes_rmse(N: int, K_range: tuple[float, float] = (0.1, 1.5), n_bins: int = 32) -> float:
    r"""Smallest root-mean-square error of *any* estimator of :math:`K` from an open zero-field chain.

    The training data of :func:`rgbook.networks.train_coupling_regressors` draw :math:`K`
    uniformly from the ``n_bins`` bin midpoints of ``K_range``. The bonds
    :math:`\tau_i = s_is_{i+1}` of an open zero-field chain are i.i.d. with
    :math:`P(\tau=1) = (1+\tanh K)/2`, so the number of aligned bonds :math:`a` is
    binomial and sufficient; the Bayes risk is
    :math:`\sqrt{\mathbb E[\operatorname{Var}(K\mid a)]}`, summed exactly over :math:`a` and :math:`K`.
    """

    grid = np.linspace(*K_range, n_bins + 1)
    Ks = 0.5 * (grid[:-1] + grid[1:])
    a = np.arange(N)
    like = binom.pmf(a[:, None], N - 1, (1 + np.tanh(Ks[None, :])) / 2)  # P(a | K)
    joint = like / len(Ks)
    pa = joint.sum(axis=1)
    mean = (joint @ Ks) / pa
    second = (joint @ Ks**2) / pa
    return float(np.sqrt(np.sum(pa * (second - mean**2))))


def prior_rmse(K_range: tuple[float, float] = (0.1, 1.5), n_bins: int = 32) -> float:
    """Root-mean-square error of guessing the prior mean of K (the spread of the bin midpoints)."""
    grid = np.linspace(*K_range, n_bins + 1)
    return float(np.std(0.5 * (grid[:-1] + grid[1:])))


def block_sum_bayes_rmse(
    N: int, M: int, K_range: tuple[float, float] = (0.1, 1.5), n_bins: int = 32, n_per_K: int = 1000, seed: int = 70_000
) -> tuple[float, float]:
    r"""Smallest root-mean-square error of any estimator of :math:`K` that sees only the ``M`` block sums.

    The prior is the training prior of :func:`bayes_rmse` (``n_bins`` midpoints of ``K_range``, uniform). The
    posterior variance given the block sums is exact (:func:`rgbook.information.block_sum_posterior_variance`);
    its mean over the data is a Monte Carlo average over ``n_per_K`` exact chains per midpoint
    (``default_rng(seed + i)`` at the ``i``-th). Returns the risk and its Monte Carlo standard error.
    """
    grid = np.linspace(*K_range, n_bins + 1)
    Ks = 0.5 * (grid[:-1] + grid[1:])
    L = N // M
    var = []
    for i, K in enumerate(Ks):
        x = ising.sample_chain(n_per_K, N, K, rng=np.random.default_rng(seed + i))
        var.append(block_sum_posterior_variance((x.reshape(n_per_K, M, L) > 0).sum(axis=2), Ks, L))
    v = np.concatenate(var)
    risk = float(np.sqrt(v.mean()))
    return risk, float(v.std(ddof=1) / np.sqrt(v.size) / (2 * risk))


@dataclass(frozen=True)
class SweepPoint:
    """One setting of the sweep after ``step`` steps: per-seed test RMSE and feature coupling K' at ``K_eval``."""

    network: str
    M: int
    lr: float
    step: int
    seeds: tuple[int, ...]
    rmse: tuple[float, ...]
    coupling: tuple[float, ...]

    def interval(self, values: str, n_boot: int, seed: int = 0) -> tuple[float, float, float]:
        """Mean over seeds of ``"rmse"``, ``"coupling"`` or ``"abs_coupling"``, and its 95 % seed-bootstrap interval."""
        v = {"rmse": np.array(self.rmse), "coupling": np.array(self.coupling), "abs_coupling": np.abs(self.coupling)}[
            values
        ]
        return seed_bootstrap(v, n_boot, seed)


@dataclass(frozen=True)
class SweepRun:
    """Every point of a :class:`Sweep`, and the Bayes risk at its size."""

    sweep: object  # the chapter's Sweep
    points: tuple[SweepPoint, ...]
    bayes: float

    def select(self, network: str, M: int, lr: float | None = None) -> tuple[SweepPoint, ...]:
        return tuple(p for p in self.points if p.network == network and p.M == M and (lr is None or p.lr == lr))

    def final(self, network: str, M: int, lr: float) -> SweepPoint:
        """The point after all ``steps`` steps."""
        return max(self.select(network, M, lr), key=lambda p: p.step)

    def best_trained(self, M: int) -> SweepPoint:
        """The trained setting of width ``M`` (learning rate and length) with the smallest mean test RMSE."""
        return min(self.select("trained", M), key=lambda p: np.mean(p.rmse))

    def ideal(self, M: int) -> SweepPoint:
        """The ideal block-sum network of width ``M`` after all steps."""
        return self.final("ideal block sums", M, self.sweep.lrs[0])


def _feature_coupling(W: np.ndarray, c: np.ndarray, x: np.ndarray) -> float:
    """Projected NN coupling between the feature spins of layer (W, c) under input samples ``x`` (point estimate)."""
    W, c = couplings.canonical_layer(W, c)
    y, q, _ = networks.feature_distribution_from_samples(W, c, x)
    return float(couplings.project_chain(y, q)[0])


@cache
def run_sweep(P, S) -> SweepRun:
    """Train the sweep (one batched training per learning rate, one for the ideal heads) and evaluate it."""
    widths = (P.M, *(M for M in S.widths if M != P.M))
    bad = [M for M in widths if S.N % M]
    if bad:
        raise ValueError(
            f"Sweep.N must be a multiple of every width (Protocol.M and Sweep.widths), got N={S.N}, widths {bad}"
        )
    x = ising.sample_chain(S.n_eval, S.N, P.K_eval, rng=np.random.default_rng(10_000 + S.N))
    common = dict(
        seeds=S.seeds,
        K_range=P.K_range,
        n_train=P.n_train,
        hidden=P.hidden,
        steps=S.steps,
        n_bins=P.n_bins,
        batch_size=S.batch_size,
        checkpoints=S.checkpoints,
    )
    runs = []
    for M in widths:
        for lr in S.lrs if M == P.M else (S.width_lr,):
            runs.append(("trained", M, lr, networks.train_coupling_regressors(S.N, M, lr=lr, **common)))
        runs.append(
            (
                "ideal block sums",
                M,
                S.lrs[0],
                networks.train_coupling_regressors(
                    S.N, M, lr=S.lrs[0], features=block_weights(S.N, M, S.ideal_beta), **common
                ),
            )
        )
    for depth in S.depths:
        runs.append(
            (
                f"trained, head depth {depth}",
                P.M,
                S.width_lr,
                networks.train_coupling_regressors(S.N, P.M, lr=S.width_lr, depth=depth, **common),
            )
        )
    points = []
    for network, M, lr, regs in runs:
        for i, step in enumerate((*S.checkpoints, S.steps)):
            states = [r.checkpoints[i] if i < len(S.checkpoints) else r for r in regs]
            ks = (
                [_feature_coupling(s.W, s.c, x) for s in states]
                if network.startswith("trained")
                else [_feature_coupling(states[0].W, states[0].c, x)] * len(states)
            )
            points.append(
                SweepPoint(
                    network, M, float(lr), int(step), S.seeds, tuple(float(s.test_rmse) for s in states), tuple(ks)
                )
            )
    return SweepRun(S, tuple(points), bayes_rmse(S.N, P.K_range, P.n_bins))
