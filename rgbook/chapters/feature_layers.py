r"""Chapter *Paper II's theorem: the feature layer and the RG fixed point* (``book/feature_layers``).

Paper II's network side under two of our stronger readings (the paper's literal claim, comparison
with the fixed point of whichever RG the optimum realizes, has its own chapter):

* **Reading A** (claim ``II.A``, ours: training follows the decimation RG steps): greedy linear
  autoencoders :math:`N \to N/b \to N/b^2` on Gaussian rings, compared level by level with the
  decimation RG iterates :math:`r_b^l(r_0)`, and a linear autoencoder on a :math:`\phi^4`-type
  chain, compared with the block-sum RG iterate through the standardized fourth cumulant;
  random linear maps of the same shapes are the controls.
* **Reading B** (claims ``II.B1``, ``II.B2``, ``II.B3``, ours): regressors inferring a natural
  parameter from ``N`` data. ``II.B1``: the standardized :math:`\kappa_4` of their feature
  units against ``N`` (the block-sum rate :math:`N^{-1}`); ``II.B2``: the basis-free share of
  the block sum in the span of the feature layer, and the test error against the exact Bayes
  estimator; ``II.B3``: per-unit :math:`N\rho` (basis-dependent). Frozen controls: random,
  selection = decimation, block sum = the block-sum RG iterate.

All regressors of one input size and architecture train in one batched
:func:`rgbook.training.fit` call (:func:`rgbook.features.train_parameter_regressors`).
Intervals over seeds are 95 % seed-bootstrap intervals (:func:`rgbook.stats.seed_bootstrap`);
an evidence row uses the end of the interval farthest from the prediction, a control row the
end nearest to it (a control satisfies a prediction when its interval reaches the tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np
import pandas as pd
from matplotlib.ticker import NullFormatter, ScalarFormatter

from .. import couplings, expfam, features, rg
from .._protocol import arrow_chain
from ..claims import Claim, Row
from ..stats import Interval, seed_interval

__all__ = [
    "CHAPTER",
    "ReadingA",
    "ReadingB",
    "Protocol",
    "PROTOCOL",
    "StackLevel",
    "RandomLevel",
    "FeatureKurtosis",
    "EvenPolyFeatures",
    "NetworkResult",
    "Rate",
    "TwoPointRate",
    "Interval",
    "gaussian_ring_covariance",
    "gaussian_stack",
    "random_stack",
    "even_poly_features",
    "trained_networks",
    "eval_data",
    "network_results",
    "untrained_layers",
    "rates",
    "two_point_rates",
    "overlap_intervals",
    "n_rho_intervals",
    "bayes_intervals",
    "stack_table",
    "random_stack_table",
    "even_poly_table",
    "network_table",
    "rates_table",
    "two_point_table",
    "span_table",
    "bayes_table",
    "units_table",
    "tasks_table",
    "plot_stack_flow",
    "plot_size",
    "FIGURES",
    "CLAIMS",
]

CHAPTER = "book/feature_layers"


@dataclass(frozen=True)
class ReadingA:
    """Reading A: Gaussian rings of ``N`` sites, bottlenecks of ratio ``b`` (``depth`` levels), ratios
    ``rs`` = K/d, ``restarts`` per layer of ``steps`` Adam steps at ``lr``; layer ``l``'s restarts are
    seeded ``seed + 10 l + r``. The even-polynomial open chain (``even_poly_theta``, coupling
    ``even_poly_K``) is sampled ``even_poly_samples`` times (seed ``even_poly_seed``); its kurtosis
    difference gets ``sample_boot`` bootstrap resamples of the samples. Controls: random linear maps
    (entries i.i.d. normal) of seed ``s`` in ``control_seeds`` from ``default_rng(control_seed + s)``;
    their seed intervals use ``n_boot`` resamples (``boot_seed``)."""

    N: int = 27
    b: int = 3
    depth: int = 2
    rs: tuple[float, ...] = (0.3, 0.45)
    restarts: int = 4
    steps: int = 3000
    lr: float = 0.01
    seed: int = 200
    even_poly_theta: tuple[float, ...] = (0.5, 0.1)
    even_poly_K: float = 0.3
    even_poly_samples: int = 20_000
    even_poly_seed: int = 210
    even_poly_restarts: int = 2
    sample_boot: int = 200
    control_seeds: tuple[int, ...] = tuple(range(10))
    control_seed: int = 500
    n_boot: int = 1000
    boot_seed: int = 0

    @property
    def chain(self) -> str:
        """The stack's sizes, ``"27 -> 9 -> 3"``."""
        return arrow_chain(self.N // self.b**level for level in range(self.depth + 1))

    @property
    def rs_text(self) -> str:
        """The ratios, ``"0.3 and 0.45"``."""
        return " and ".join(f"{r:g}" for r in self.rs)

    @property
    def n_control_seeds(self) -> int:
        """The number of random linear maps (controls)."""
        return len(self.control_seeds)


@dataclass(frozen=True)
class ReadingB:
    """Reading B: input sizes ``Ns``, ``M`` feature units, seeds of the trained networks, sizes
    ``control_Ns`` of the head-trained controls (seed 0), Adam ``steps`` on minibatches of ``batch_size`` of
    ``n_train`` samples; feature cumulants from ``n_eval`` samples at each task's evaluation parameter
    (seed from ``eval_seed``). At the sizes ``many_Ns`` the linear tasks train ``many_seeds`` (the
    claims' seeds, with ``n_boot`` bootstrap resamples, seed ``boot_seed``), and the ``bayes_tasks``
    also train the heads of random frozen layers of those seeds."""

    Ns: tuple[int, ...] = (4, 8, 16, 32, 64)
    M: int = 4
    seeds: tuple[int, ...] = (0, 1)
    control_Ns: tuple[int, ...] = (4, 16, 64)
    steps: int = 1500
    n_train: int = 8192
    batch_size: int = 512
    n_eval: int = 100_000
    eval_seed: int = 300
    tasks: tuple[str, ...] = tuple(features.TASKS)
    many_Ns: tuple[int, ...] = (16, 64)
    many_seeds: tuple[int, ...] = tuple(range(10))
    bayes_tasks: tuple[str, ...] = ("poisson", "bernoulli")
    n_boot: int = 1000
    boot_seed: int = 0

    @property
    def n_many_seeds(self) -> int:
        """The number of seeds of the claims (trained networks and random frozen layers)."""
        return len(self.many_seeds)

    @property
    def N_last(self) -> int:
        """The last (largest) size of ``many_Ns``: the upper end of II.B1's rate, II.B3's size."""
        return self.many_Ns[-1]

    @property
    def many_Ns_text(self) -> str:
        """The claims' sizes, ``"N = 16 and N = 64"``."""
        return " and ".join(f"N = {N}" for N in self.many_Ns)


@dataclass(frozen=True)
class Protocol:
    """The chapter's protocol: Reading A and Reading B."""

    a: ReadingA = ReadingA()
    b: ReadingB = ReadingB()

    def smoke(self) -> Protocol:
        """A variant that runs each claim in a few seconds (same code paths, tiny sizes)."""
        return Protocol(
            a=replace(
                self.a, N=9, depth=1, rs=(0.3,), restarts=2, steps=150, even_poly_samples=1000, even_poly_restarts=1,
                sample_boot=20, control_seeds=(0, 1, 2), n_boot=200,
            ),
            b=replace(
                self.b, Ns=(4, 8), seeds=(0,), control_Ns=(4,), steps=30, n_train=256, batch_size=64, n_eval=2000,
                many_Ns=(4, 8), many_seeds=(0, 1, 2), n_boot=200,
            ),
        )


PROTOCOL = Protocol()

#: Feature modes of Reading B, and their display names.
MODE_NAMES = {
    "trained": "trained",
    "random": "random (frozen)",
    "selection": "selection = decimation",
    "block_sum": "block sum = RG",
}


# --------------------------------------------------------------------------------------
# Reading A


@dataclass(frozen=True)
class StackLevel:
    """One level of a greedy linear-autoencoder stack on a Gaussian ring.

    Ratios ``r = K/d`` are the KL projections of the features' covariance onto Gaussian rings
    (trained features in the receptive-field gauge, the exact PCA stack in the same gauge, and the
    decimation control); ``r_rg`` is the RG iterate :math:`r_b^l(r_0)`; ``F`` the gauge-fixed
    feature map of the best restart.
    """

    level: int
    n_in: int
    n_out: int
    eckart_young_loss: float
    best_loss: float
    restart_losses: tuple[float, ...]
    decimation_loss: float
    r_trained: float
    kl_trained: float
    r_pca: float
    r_decimation: float
    kl_decimation: float
    r_rg: float
    angle_to_decimation: float
    F: np.ndarray = field(repr=False, compare=False)


def gaussian_ring_covariance(N: int, r: float, d: float = 1.0) -> np.ndarray:
    """Covariance :math:`P^{-1}` of the Gaussian ring with precision :math:`d I - K(S + S^T)`, :math:`K = r d`."""
    return np.linalg.inv(rg.gaussian_ring_precision(N, r * d, d))


def _top_subspace(C: np.ndarray, m: int) -> np.ndarray:
    """Rows spanning the top-``m`` eigenvectors of ``C`` (the exact PCA encoder)."""
    return np.linalg.eigh(C)[1][:, -m:].T


def _ring_ratio(C: np.ndarray) -> float:
    d, K, _ = couplings.project_gaussian_ring(C)
    return K / d


@cache
def gaussian_stack(P: ReadingA, r: float, progress: bool = False) -> tuple[StackLevel, ...]:
    """Greedy linear-autoencoder stack on the Gaussian ring at ratio ``r``.

    Level ``l`` trains on the covariance of level ``l - 1``'s features in the receptive-field
    gauge; the exact PCA stack (top eigenvectors, same gauge) and the decimation stack (selection
    matrix) run alongside, each on its own previous level.
    """
    b = P.b
    C_tr = C_pca = C_dec = gaussian_ring_covariance(P.N, r)
    r_rg = r
    out = []
    for level in range(1, P.depth + 1):
        n = C_tr.shape[0]
        aes = features.train_linear_autoencoder(
            C_tr, n // b, restarts=P.restarts, steps=P.steps, lr=P.lr, seed=P.seed + 10 * level, progress=progress
        )
        F = features.receptive_field_features(aes[0].W, b)
        F_pca = features.receptive_field_features(_top_subspace(C_pca, n // b), b)
        S = features.selection_matrix(n, b)
        C_tr_next, C_pca, C_dec = F @ C_tr @ F.T, F_pca @ C_pca @ F_pca.T, S @ C_dec @ S.T
        d_t, K_t, kl_t = couplings.project_gaussian_ring(C_tr_next)
        d_d, K_d, kl_d = couplings.project_gaussian_ring(C_dec)
        r_rg = rg.gaussian_chain_ratio_map_b(r_rg, b)
        out.append(
            StackLevel(
                level=level,
                n_in=n,
                n_out=n // b,
                eckart_young_loss=features.eckart_young_loss(C_tr, n // b),
                best_loss=aes[0].loss,
                restart_losses=tuple(a.loss for a in aes),
                decimation_loss=features.optimal_linear_loss(C_tr, S),
                r_trained=K_t / d_t,
                kl_trained=kl_t,
                r_pca=_ring_ratio(C_pca),
                r_decimation=K_d / d_d,
                kl_decimation=kl_d,
                r_rg=r_rg,
                angle_to_decimation=features.largest_principal_angle(aes[0].W, S),
                F=F,
            )
        )
        C_tr = C_tr_next
    return tuple(out)


@dataclass(frozen=True)
class RandomLevel:
    """One level of the random-map control stacks at one ring ratio: per seed, the projected ring ratio
    of the random features in the receptive-field gauge and the reconstruction loss of the random
    encoder (with its optimal linear decoder) over the Eckart-Young minimum."""

    level: int
    r: np.ndarray = field(compare=False)
    loss_ratio: np.ndarray = field(compare=False)


@cache
def random_stack(P: ReadingA, r: float) -> tuple[RandomLevel, ...]:
    """Random linear maps :math:`N \\to N/b \\to \\dots` (entries i.i.d. normal), gauge-fixed like the trained
    layers: seed ``s`` draws its maps from ``default_rng(control_seed + s)``, level by level."""
    per_seed = []
    for s in P.control_seeds:
        rng = np.random.default_rng(P.control_seed + s)
        C = gaussian_ring_covariance(P.N, r)
        levels = []
        for _ in range(P.depth):
            n = C.shape[0]
            W = rng.normal(size=(n // P.b, n))
            F = features.receptive_field_features(W, P.b)
            loss_ratio = features.optimal_linear_loss(C, W) / features.eckart_young_loss(C, n // P.b)
            C = F @ C @ F.T
            levels.append((_ring_ratio(C), loss_ratio))
        per_seed.append(levels)
    arr = np.array(per_seed)  # (seeds, depth, 2)
    return tuple(RandomLevel(level + 1, arr[:, level, 0].copy(), arr[:, level, 1].copy()) for level in range(P.depth))


@dataclass(frozen=True)
class FeatureKurtosis:
    """Mean over units of :math:`\\kappa_4/\\kappa_2^2` of one kind of feature, and its standard error from a
    bootstrap over the samples of that mean (the units share samples and overlap, so their errors are not
    independent)."""

    kind: str
    mean: float
    se: float


@dataclass(frozen=True)
class EvenPolyFeatures:
    """Linear autoencoder on the :math:`\\phi^4`-type chain: feature kurtosis per kind, the losses, the
    difference trained - block sum with its bootstrap standard error, the random-map controls' mean
    kurtosis per seed (receptive-field gauge), and the largest entry of the difference between the trained
    and the exact-PCA feature maps (receptive-field gauge)."""

    kurtosis: tuple[FeatureKurtosis, ...]
    eckart_young_loss: float
    trained_loss: float
    decimation_loss: float
    diff: float
    diff_se: float
    random_kurtosis: np.ndarray = field(compare=False)
    trained_vs_pca: float = 0.0

    def of(self, kind: str) -> FeatureKurtosis:
        """The entry of feature kind ``kind`` (one of :data:`EVEN_POLY_KINDS`)."""
        return next(k for k in self.kurtosis if k.kind == kind)


#: Kinds of feature compared on the phi^4-type chain (display names).
EVEN_POLY_KINDS = (
    "decimation (every 3rd site)",
    "block sum of 3 (block-sum RG, b = 3)",
    "trained, receptive-field gauge",
    "trained, PCA gauge (whitened modes)",
)
DECIMATION, BLOCK_SUM, TRAINED_RF, TRAINED_PCA = EVEN_POLY_KINDS


def _standardized_k4(counts: np.ndarray | None, powers: np.ndarray, n: int) -> np.ndarray:
    """k-statistic :math:`k_4/k_2^2` of each column from raw power sums, for resampling ``counts`` (or none)."""
    w = np.ones(n) if counts is None else counts
    r1, r2, r3, r4 = np.split((w @ powers) / n, 4, axis=-1)
    m2 = r2 - r1**2
    m4 = r4 - 4 * r3 * r1 + 6 * r2 * r1**2 - 3 * r1**4
    k2 = n / (n - 1) * m2
    k4 = n**2 * ((n + 1) * m4 - 3 * (n - 1) * m2**2) / ((n - 1) * (n - 2) * (n - 3))
    return k4 / k2**2


@cache
def even_poly_features(P: ReadingA) -> EvenPolyFeatures:
    """Linear autoencoder (N -> N/b) on the phi^4-type open chain: standardized kappa_4 of each kind of feature,
    with a bootstrap over the samples of each kind's mean over units and of the difference trained - block sum."""
    N, b = P.N, P.b
    theta = np.asarray(P.even_poly_theta, dtype=float)
    x = expfam.sample_chain(
        expfam.family("even_poly"),
        -theta,
        P.even_poly_K,
        N,
        P.even_poly_samples,
        rng=np.random.default_rng(P.even_poly_seed),
    )
    x = x - x.mean(axis=0)
    C = np.cov(x.T)
    aes = features.train_linear_autoencoder(
        C, N // b, restarts=P.even_poly_restarts, steps=P.steps, lr=P.lr, seed=P.even_poly_seed
    )
    m = N // b
    F_trained = features.receptive_field_features(aes[0].W, b)
    maps = dict(
        zip(
            EVEN_POLY_KINDS,
            (
                features.selection_matrix(N, b),
                np.kron(np.eye(m), np.ones(b)) / np.sqrt(b),
                F_trained,
                _top_subspace(C, m),
            ),
        )
    )
    n = x.shape[0]
    u = x @ np.concatenate(list(maps.values())).T                   # (n, kinds * m)
    powers = np.concatenate([u, u**2, u**3, u**4], axis=1)
    whole = _standardized_k4(None, powers, n).reshape(len(maps), m).mean(axis=1)
    rng = np.random.default_rng(P.even_poly_seed + 1)
    boot = np.array(
        [_standardized_k4(rng.multinomial(n, np.full(n, 1.0 / n)).astype(float), powers, n)
         for _ in range(P.sample_boot)]
    ).reshape(P.sample_boot, len(maps), m).mean(axis=2)             # (resamples, kinds): means over units
    kinds = list(maps)
    i_tr, i_bs = kinds.index(TRAINED_RF), kinds.index(BLOCK_SUM)
    kurt = tuple(FeatureKurtosis(k, float(whole[i]), float(boot[:, i].std(ddof=1))) for i, k in enumerate(kinds))
    random_k = []
    for s in P.control_seeds:
        W = np.random.default_rng(P.control_seed + s).normal(size=(m, N))
        v, _ = features.standardized_cumulants(x @ features.receptive_field_features(W, b).T)
        random_k.append(float(v[1].mean()))
    F_pca = features.receptive_field_features(_top_subspace(C, m), b)
    return EvenPolyFeatures(
        kurt,
        features.eckart_young_loss(C, m),
        aes[0].loss,
        features.optimal_linear_loss(C, features.selection_matrix(N, b)),
        diff=float(whole[i_tr] - whole[i_bs]),
        diff_se=float((boot[:, i_tr] - boot[:, i_bs]).std(ddof=1)),
        random_kurtosis=np.array(random_k),
        trained_vs_pca=float(np.abs(F_trained - F_pca).max()),
    )


def stack_table(P: ReadingA):
    """Reading A as a display table: one row per ratio and level."""

    rows = []
    for r in P.rs:
        for lev in gaussian_stack(P, r):
            rows.append(
                {
                    "r_0": r,
                    "level": lev.level,
                    "sites": f"{lev.n_in} -> {lev.n_out}",
                    "Eckart-Young loss": lev.eckart_young_loss,
                    "best trained loss": lev.best_loss,
                    "decimation loss (optimal decoder)": lev.decimation_loss,
                    "r trained (rf gauge)": lev.r_trained,
                    "r exact PCA (rf gauge)": lev.r_pca,
                    "KL trained": lev.kl_trained,
                    "r decimation": lev.r_decimation,
                    "KL decimation": lev.kl_decimation,
                    "r RG": lev.r_rg,
                    "largest angle to decimation (rad)": lev.angle_to_decimation,
                }
            )
    return pd.DataFrame(rows)


def random_stack_table(P: ReadingA):
    """Random-map controls of Reading A: per ratio and level, the seed intervals of r / r_RG and loss / Eckart-Young."""
    rows = []
    for r in P.rs:
        for lev, rnd in zip(gaussian_stack(P, r), random_stack(P, r)):
            ratio = seed_interval(rnd.r / lev.r_rg, P.n_boot, P.boot_seed)
            loss = seed_interval(rnd.loss_ratio, P.n_boot, P.boot_seed)
            rows.append(
                {
                    "r_0": r,
                    "level": lev.level,
                    "trained r / r_RG": lev.r_trained / lev.r_rg,
                    f"random r / r_RG ({ratio.n} seeds)": ratio.text(".3g"),
                    "trained loss / Eckart-Young": lev.best_loss / lev.eckart_young_loss,
                    f"random loss / Eckart-Young ({loss.n} seeds)": loss.text(".3f"),
                }
            )
    return pd.DataFrame(rows)


def even_poly_table(P: ReadingA):
    """Display table of :func:`even_poly_features` (bootstrap standard errors over samples; random maps: over seeds)."""
    ep = even_poly_features(P)
    rows = [{"feature": k.kind, "mean kappa4/kappa2^2": k.mean, "s.e.": k.se} for k in ep.kurtosis]
    rk = ep.random_kurtosis
    rows.append(
        {
            "feature": f"random maps, receptive-field gauge (mean of {rk.size} seeds)",
            "mean kappa4/kappa2^2": float(rk.mean()),
            "s.e.": float(rk.std(ddof=1) / np.sqrt(rk.size)) if rk.size > 1 else float("nan"),
        }
    )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Reading B


def _linear(task: str) -> bool:
    return not features.TASKS[task].hidden


def _linear_iid(task: str) -> bool:
    t = features.TASKS[task]
    return not t.hidden and t.K == 0


def _trained_seeds(P: ReadingB, task: str, N: int) -> tuple[int, ...]:
    """Seeds of the trained networks of ``task`` at size ``N``: ``many_seeds`` for linear tasks at ``many_Ns``."""
    if N in P.many_Ns and _linear(task):
        return tuple(dict.fromkeys((*P.seeds, *P.many_seeds))) if N in P.Ns else P.many_seeds
    return P.seeds if N in P.Ns else ()


def _sizes(P: ReadingB) -> tuple[int, ...]:
    return tuple(sorted(set(P.Ns) | set(P.many_Ns)))


@cache
def trained_networks(
    P: ReadingB, progress: bool = False
) -> dict[tuple[str, int, str, int], features.ParameterRegressor]:
    """Every Reading B network, keyed ``(task, N, mode, seed)``: trained networks (``P.seeds``; ``P.many_seeds`` for
    linear tasks at ``P.many_Ns``), head-trained controls (seed 0) at ``P.control_Ns`` and, at ``P.many_Ns``,
    head-trained random layers of ``P.many_seeds`` for ``P.bayes_tasks``.

    One batched training per (input size, architecture, trained or control): the linear tasks of
    one ``N`` train together, the hidden-layer task apart.
    """
    out = {}
    for N in _sizes(P):
        for hidden in sorted({features.TASKS[t].hidden for t in P.tasks}):
            tasks = [t for t in P.tasks if features.TASKS[t].hidden == hidden]
            batches = [[(t, "trained", s) for t in tasks for s in _trained_seeds(P, t, N)]]
            controls = []
            if N in P.control_Ns:
                controls += [
                    (t, m, 0) for t in tasks for m in ("random", "selection", "block_sum")
                    if not (m == "block_sum" and hidden)
                ]
            if N in P.many_Ns:
                controls += [(t, "random", s) for t in tasks if t in P.bayes_tasks for s in P.many_seeds]
            batches.append(list(dict.fromkeys(controls)))
            for runs in batches:
                if not runs:
                    continue
                regs = features.train_parameter_regressors(
                    runs, N, M=P.M, n_train=P.n_train, steps=P.steps, batch_size=P.batch_size, progress=progress
                )
                out.update({(t, N, m, s): reg for (t, m, s), reg in zip(runs, regs)})
    return out


@cache
def eval_data(P: ReadingB, task: str, N: int) -> np.ndarray:
    """``n_eval`` samples at the task's evaluation parameter (fixed seed per task and size)."""
    t = features.TASKS[task]
    seed = P.eval_seed + 1000 * list(features.TASKS).index(task) + N
    return features.sample_task(t, N, t.natural(t.eta_eval), P.n_eval, np.random.default_rng(seed))


@dataclass(frozen=True)
class NetworkResult:
    """One Reading B network or frozen layer: its test RMSE (NaN for a layer without a trained head), the mean
    :math:`|\\kappa_4^{std}|` of its units from samples (and standard error; NaN where not sampled), for linear
    i.i.d. tasks the exact mean :math:`N\\rho = N\\sum w^4/(\\sum w^2)^2` of its units (NaN otherwise), for
    linear layers the block-sum overlap :math:`\\|\\Pi_W\\mathbf 1\\|^2/N` and the :math:`N\\rho` of the unit
    :math:`\\Pi_W\\mathbf 1` (NaN otherwise), and for tasks with an exact Bayes estimator its RMSE on the same
    test samples (NaN otherwise)."""

    task: str
    N: int
    mode: str
    seed: int
    test_rmse: float
    kappa4: float
    kappa4_se: float
    n_rho: float
    overlap: float
    span_n_rho: float = float("nan")
    bayes_test_rmse: float = float("nan")


def _n_rho(w: np.ndarray) -> float:
    return float(w.size * np.sum(w**4) / np.sum(w**2) ** 2)


def _layer_result(P: ReadingB, reg: features.ParameterRegressor, sample: bool) -> NetworkResult:
    task, N = reg.task, reg.N
    kappa4 = kappa4_se = float("nan")
    if sample:
        v, se = features.standardized_cumulants(features.feature_values(reg, eval_data(P, task, N)))
        kappa4, kappa4_se = float(np.abs(v[1]).mean()), float(np.sqrt((se[1] ** 2).mean() / se.shape[1]))
    bayes = float("nan")
    if task in P.bayes_tasks and np.isfinite(reg.test_rmse):
        _, _, x_test, eta_test = features.regression_data(task, N, P.n_train, reg.seed)
        est = features.bayes_posterior_mean(task, N, x_test.sum(axis=1))
        bayes = float(np.sqrt(np.mean((est - eta_test) ** 2)))
    linear = _linear(task)
    return NetworkResult(
        task=task,
        N=N,
        mode=reg.mode,
        seed=reg.seed,
        test_rmse=reg.test_rmse,
        kappa4=kappa4,
        kappa4_se=kappa4_se,
        n_rho=N * float(features.exact_feature_kurtosis_ratio(reg).mean()) if _linear_iid(task) else float("nan"),
        overlap=features.block_sum_overlap(reg) if linear else float("nan"),
        span_n_rho=_n_rho(features.span_unit_weights(reg)) if linear else float("nan"),
        bayes_test_rmse=bayes,
    )


@cache
def network_results(P: ReadingB, progress: bool = False) -> tuple[NetworkResult, ...]:
    """Feature-unit statistics of every network of :func:`trained_networks` (trained first, then controls); the
    units' kurtosis is sampled only where no exact route exists (chain and hidden-layer tasks)."""
    nets = trained_networks(P, progress)
    keys = sorted(nets, key=lambda k: (k[2] != "trained", P.tasks.index(k[0]), k[1], list(features.MODES).index(k[2]),
                                       k[3]))
    # sampled kurtosis where no exact route exists (chain and hidden-layer tasks)
    return tuple(_layer_result(P, nets[k], sample=not _linear_iid(k[0])) for k in keys)


@cache
def untrained_layers(P: ReadingB) -> tuple[NetworkResult, ...]:
    """Frozen layers without a trained head at ``P.many_Ns``: random layers of ``P.many_seeds`` (the initial
    layers of the trained networks of those seeds) and the selection layer, for every linear task. Their
    quantities depend on the weights only (sampled kurtosis only where no exact route exists: chain data)."""
    out = []
    for task in P.tasks:
        if not _linear(task):
            continue
        for N in P.many_Ns:
            for mode, seeds in (("random", P.many_seeds), ("selection", (0,))):
                for s in seeds:
                    reg = features.control_regressor(task, N, mode, M=P.M, seed=s)
                    out.append(_layer_result(P, reg, sample=not _linear_iid(task)))
    return tuple(out)


def _select(results, **kw) -> list[NetworkResult]:
    return [r for r in results if all(getattr(r, k) == v for k, v in kw.items())]


@dataclass(frozen=True)
class Rate:
    """Fitted exponent ``p`` of :math:`\\kappa_4^{std} \\propto N^p` for one task's trained networks over every
    size (means over seeds; ``route``: ``exact (weights)``, a weight statistic for the Gaussian task, or
    ``samples``), and at the largest ``N_max`` the mean :math:`N\\rho` (NaN unless exact) and block-sum overlap
    (NaN for hidden-layer tasks)."""

    task: str
    route: str
    p: float
    N_max: int
    n_rho_at_max: float
    overlap_at_max: float


def rates(P: ReadingB) -> tuple[Rate, ...]:
    """Per task, the rate of the trained networks fitted over every size ``P.Ns`` (means over the seeds at each
    ``N``): the exact weight ratio :math:`\\rho` for linear i.i.d. tasks, the sampled
    :math:`|\\kappa_4^{std}|` otherwise. For Gaussian data :math:`\\kappa_4 \\equiv 0`: its exact "rate" is a
    statistic of the weights, not of a cumulant."""
    results = _select(network_results(P), mode="trained")
    out = []
    for task in P.tasks:
        Ns = np.array([N for N in P.Ns if _select(results, task=task, N=N)], dtype=float)

        def mean_over_seeds(attr, N, task=task):
            return float(np.mean([getattr(r, attr) for r in _select(results, task=task, N=int(N))]))

        n_rho = np.array([mean_over_seeds("n_rho", N) for N in Ns])
        exact = bool(np.isfinite(n_rho).all())
        y = n_rho / Ns if exact else np.array([mean_over_seeds("kappa4", N) for N in Ns])
        p = float(np.polyfit(np.log(Ns), np.log(y), 1)[0])
        gaussian = features.TASKS[task].family == "gaussian"
        out.append(
            Rate(
                task=task,
                route=("exact (weights; kappa_4 = 0: a weight statistic)" if gaussian else "exact (weights)")
                if exact
                else "samples",
                p=p,
                N_max=int(Ns[-1]),
                n_rho_at_max=float(n_rho[-1]) if exact else float("nan"),
                overlap_at_max=mean_over_seeds("overlap", Ns[-1]),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class TwoPointRate:
    """Exponent :math:`p = \\ln(y_{N_2}/y_{N_1})/\\ln(N_2/N_1)` of the units' :math:`\\kappa_4^{std}` between the
    two sizes of ``many_Ns``, one value per seed (the networks of that seed at both sizes), and its seed
    interval. ``y`` is the mean over units of :math:`\\rho` (exact, i.i.d. data) or of the sampled
    :math:`|\\kappa_4^{std}|`."""

    task: str
    mode: str
    route: str
    N1: int
    N2: int
    per_seed: np.ndarray = field(compare=False)
    interval: Interval = field(compare=False)


def _rate_of(P: ReadingB, results, task: str, mode: str) -> TwoPointRate:
    N1, N2 = P.many_Ns[0], P.many_Ns[-1]
    exact = _linear_iid(task)

    def y(r):
        return r.n_rho / r.N if exact else r.kappa4

    seeds = sorted({r.seed for r in _select(results, task=task, mode=mode, N=N1)}
                   & {r.seed for r in _select(results, task=task, mode=mode, N=N2)})
    p = np.array(
        [
            np.log(y(_select(results, task=task, mode=mode, N=N2, seed=s)[0])
                   / y(_select(results, task=task, mode=mode, N=N1, seed=s)[0]))
            / np.log(N2 / N1)
            for s in seeds
        ]
    )
    return TwoPointRate(task, mode, "exact (weights)" if exact else "samples", N1, N2, p,
                        seed_interval(p, P.n_boot, P.boot_seed))


def two_point_rates(P: ReadingB) -> tuple[TwoPointRate, ...]:
    """Two-point rates of the trained units (every linear task; the Gaussian one is a weight statistic) and of the
    frozen random and selection layers (:func:`untrained_layers`)."""
    trained = _select(network_results(P), mode="trained")
    frozen = untrained_layers(P)
    out = []
    for task in P.tasks:
        if not _linear(task):
            continue
        out.append(_rate_of(P, trained, task, "trained"))
        out += [_rate_of(P, frozen, task, m) for m in ("random", "selection")]
    return tuple(out)


def _intervals_of(P: ReadingB, attr: str, results) -> dict[tuple[str, int, str], Interval]:
    groups: dict[tuple[str, int, str], list[float]] = {}
    for r in results:
        value = getattr(r, attr)
        if r.N in P.many_Ns and np.isfinite(value):
            groups.setdefault((r.task, r.N, r.mode), []).append(value)
    return {k: seed_interval(v, P.n_boot, P.boot_seed) for k, v in groups.items()}


def overlap_intervals(P: ReadingB) -> dict[tuple[str, int, str], Interval]:
    """Block-sum overlap :math:`\\|\\Pi_W\\mathbf 1\\|^2/N` per ``(task, N, mode)`` at ``many_Ns``: trained layers
    and frozen random and selection layers (seed intervals)."""
    trained = _select(network_results(P), mode="trained")
    return _intervals_of(P, "overlap", [*trained, *untrained_layers(P)])


def n_rho_intervals(P: ReadingB) -> dict[tuple[str, int, str], Interval]:
    """Mean :math:`N\\rho` of the units per ``(task, N, mode)`` at ``many_Ns`` (linear i.i.d. tasks; seed intervals)."""
    trained = _select(network_results(P), mode="trained")
    return _intervals_of(P, "n_rho", [*trained, *untrained_layers(P)])


def bayes_intervals(P: ReadingB) -> dict[tuple[str, int, str], Interval]:
    """Test RMSE over the exact Bayes estimator's RMSE on the same test samples, per ``(task, N, mode)`` at
    ``many_Ns`` for ``bayes_tasks``: trained networks and random frozen layers with trained heads."""
    groups: dict[tuple[str, int, str], list[float]] = {}
    for r in network_results(P):
        if r.N in P.many_Ns and r.mode in ("trained", "random") and np.isfinite(r.bayes_test_rmse):
            groups.setdefault((r.task, r.N, r.mode), []).append(r.test_rmse / r.bayes_test_rmse)
    return {k: seed_interval(v, P.n_boot, P.boot_seed) for k, v in groups.items()}


def tasks_table(P: ReadingB):
    """The tasks of Reading B, for display."""

    return pd.DataFrame(
        [
            {
                "task": t.name,
                "family": t.family,
                "fixed eta": t.eta,
                "inferred component": t.infer,
                "range": tuple(round(float(v), 3) for v in t.eta_range),
                "chain K": t.K,
                "hidden tanh layer": t.hidden,
                "eta at evaluation": t.eta_eval,
            }
            for t in (features.TASKS[name] for name in P.tasks)
        ]
    )


def network_table(P: ReadingB):
    """Every trained Reading B network and head-trained control as a display table."""

    return pd.DataFrame(
        [
            {
                "task": r.task,
                "N": r.N,
                "mode": r.mode,
                "seed": r.seed,
                "test RMSE": r.test_rmse,
                "Bayes estimator RMSE (same test set)": r.bayes_test_rmse,
                "mean |kappa4/kappa2^2| (samples)": r.kappa4,
                "s.e.": r.kappa4_se,
                "N x kappa4 ratio (exact)": r.n_rho,
                "block-sum overlap of the layer": r.overlap,
                "N rho of the unit Pi_W 1": r.span_n_rho,
            }
            for r in network_results(P)
        ]
    )


def rates_table(P: ReadingB):
    """:func:`rates` (fit over every size) as a display table."""

    return pd.DataFrame(
        [
            {
                "task": r.task,
                "route": r.route,
                "fitted p (all N)": r.p,
                f"N x ratio at N={r.N_max}": r.n_rho_at_max,
                f"block-sum overlap at N={r.N_max}": r.overlap_at_max,
            }
            for r in rates(P)
        ]
    )


def two_point_table(P: ReadingB):
    """:func:`two_point_rates` as a display table (mean and 95 % seed interval of p)."""
    return pd.DataFrame(
        [
            {
                "task": r.task,
                "layer": MODE_NAMES[r.mode],
                "route": r.route + (" (kappa_4 = 0: weight statistic)" if r.task == "gaussian" else ""),
                "sizes": f"{r.N1} -> {r.N2}",
                "seeds": r.interval.n,
                "p (95% interval)": r.interval.text(".3f"),
            }
            for r in two_point_rates(P)
        ]
    )


def span_table(P: ReadingB):
    """Block-sum overlap of trained, random and selection layers at ``many_Ns`` (seed intervals)."""
    iv = overlap_intervals(P)
    rows = []
    for task in P.tasks:
        if not _linear(task):
            continue
        for N in P.many_Ns:
            row = {"task": task, "N": N}
            for mode in ("trained", "random", "selection"):
                row[MODE_NAMES[mode]] = iv[task, N, mode].text(".3f")
            rows.append(row)
    return pd.DataFrame(rows)


def bayes_table(P: ReadingB):
    """Exact Bayes RMSE, test RMSEs and their ratios to the Bayes estimator's on the same test samples."""
    iv = bayes_intervals(P)
    res = network_results(P)
    rows = []
    for task in P.bayes_tasks:
        for N in P.many_Ns:
            block = _select(res, task=task, N=N, mode="block_sum")
            rows.append(
                {
                    "task": task,
                    "N": N,
                    "exact Bayes RMSE": float(np.sqrt(features.bayes_risk(task, N))),
                    "trained test RMSE (mean)": float(np.mean([r.test_rmse
                                                               for r in _select(res, task=task, N=N, mode="trained")])),
                    "trained / Bayes (same test set)": iv[task, N, "trained"].text(".3f"),
                    "random layer / Bayes": iv[task, N, "random"].text(".3f"),
                    "block sum / Bayes (seed 0)": (block[0].test_rmse / block[0].bayes_test_rmse
                                                   if block else float("nan")),
                }
            )
    return pd.DataFrame(rows)


def units_table(P: ReadingB):
    """Per-unit :math:`N\\rho` at the largest of ``many_Ns``: trained units, random and selection layers, and the unit
    along :math:`\\Pi_W\\mathbf 1` of the same trained layers (a change of basis the head absorbs)."""
    N = P.many_Ns[-1]
    iv = n_rho_intervals(P)
    trained = _select(network_results(P), mode="trained", N=N)
    rows = []
    for task in P.tasks:
        if not _linear_iid(task):
            continue
        span = seed_interval([r.span_n_rho for r in _select(trained, task=task)], P.n_boot, P.boot_seed)
        rows.append(
            {
                "task": task + (" (kappa_4 = 0: weight statistic)" if task == "gaussian" else ""),
                "N": N,
                "trained units": iv[task, N, "trained"].text(".2f"),
                "same layers, unit Pi_W 1": span.text(".3f"),
                "random (frozen)": iv[task, N, "random"].text(".2f"),
                "selection": iv[task, N, "selection"].text(".0f"),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Figures


def plot_stack_flow(ax_r, ax_random, ax_row, P: ReadingA) -> None:
    r"""Reading A: ring ratio per level (trained, decimation = RG; log scale), the random-map controls per seed
    (linear scale), and one gauge-fixed first-layer feature."""
    for i, r0 in enumerate(P.rs):
        levels = gaussian_stack(P, r0)
        lv = np.arange(len(levels) + 1)
        trained = [r0] + [lev.r_trained for lev in levels]
        dec = [r0] + [lev.r_decimation for lev in levels]
        for ax in (ax_r, ax_random):
            ax.plot(lv, trained, "o-", color=f"C{i}", label=f"trained, $r_0={r0}$")
            ax.plot(lv, dec, "s--", color=f"C{i}", mfc="none", ms=8, label=f"decimation = RG $r_3^l(r_0)$, $r_0={r0}$")
        rnd = random_stack(P, r0)
        for lev in rnd:
            x = lev.level + 0.1 * (2 * i - 1) + 0.02 * np.linspace(-1, 1, lev.r.size)
            ax_random.plot(x, lev.r, "^", color=f"C{i}", mfc="white", ms=5,
                           label=f"random maps ({lev.r.size} seeds), $r_0={r0}$" if lev.level == 1 else None)
    ax_r.set_yscale("log")
    ax_r.set(
        xlabel=f"level $l$ (sites ${P.N} \\to {P.N // P.b} \\to {P.N // P.b**2}$)",
        ylabel="projected ring ratio $r = K/d$",
        xticks=range(P.depth + 1),
        title="flow toward $r^* = 0$",
    )
    ax_r.legend(fontsize="x-small")
    ax_random.axhline(0, color="k", lw=0.6)
    ax_random.set(
        xlabel="level $l$",
        ylabel="projected ring ratio $r = K/d$",
        xticks=range(P.depth + 1),
        title="controls: random linear maps (same gauge)",
    )
    ax_random.legend(fontsize="xx-small")
    F = gaussian_stack(P, P.rs[-1])[0].F
    j = F.shape[0] // 2
    sites = np.arange(F.shape[1])
    ax_row.axhline(0, color="k", lw=0.8)
    ax_row.plot(sites, F[j], "o-", ms=4, label=f"trained, receptive-field gauge (feature {j})")
    ax_row.stem([P.b * j], [1.0], linefmt="C3-", markerfmt="C3s", basefmt=" ", label=f"decimation (site {P.b * j})")
    ax_row.set(xlabel="input site $i$", ylabel=f"weight $F_{{{j}i}}$", title=f"first-layer feature, $r_0={P.rs[-1]}$")
    ax_row.legend(fontsize="x-small")


def _mean_std_by_N(results, attr):
    Ns = sorted({r.N for r in results})
    vals = [[getattr(r, attr) for r in results if r.N == N] for N in Ns]
    return (
        np.array(Ns),
        np.array([np.mean(v) for v in vals]),
        np.array([np.std(v, ddof=1) if len(v) > 1 else 0.0 for v in vals]),
    )


_STYLES = {"trained": ("o-", "C0"), "random": ("^--", "C1"), "selection": ("s:", "C2"), "block_sum": ("D-.", "C3")}


def plot_size(ax_exact, ax_samples, ax_overlap, ax_bayes, P: ReadingB) -> None:
    r"""Reading B: :math:`N\rho` of linear units (exact), sampled :math:`|\kappa_4^{std}|`, the block-sum
    overlap, and the excess test RMSE over the exact Bayes estimator's on the same test samples.
    """

    results = network_results(P)
    for mode, (fmt, color) in _STYLES.items():
        lin = [r for r in results if r.mode == mode and np.isfinite(r.n_rho)]
        if lin:
            N, m, s = _mean_std_by_N(lin, "n_rho")
            ax_exact.errorbar(N, m, yerr=s, fmt=fmt, color=color, capsize=3, label=MODE_NAMES[mode])
    ax_exact.set(
        xscale="log",
        yscale="log",
        xlabel="input size $N$",
        ylabel=r"$N\,\sum_i w_i^4/(\sum_i w_i^2)^2$",
        title="linear units, i.i.d. data (exact)",
    )
    ax_exact.legend(fontsize="x-small")
    for task, marker in (("bernoulli_chain", "o"), ("even_poly", "s")):
        for mode, (fmt, color) in _STYLES.items():
            sel = [r for r in results if r.task == task and r.mode == mode]
            if not sel:
                continue
            N, m, _ = _mean_std_by_N(sel, "kappa4")
            _, se, _ = _mean_std_by_N(sel, "kappa4_se")
            ax_samples.errorbar(
                N,
                m,
                yerr=2 * se,
                fmt=marker + fmt[1:],
                color=color,
                capsize=2,
                mfc="none" if task == "even_poly" else color,
                label=f"{task}, {MODE_NAMES[mode]}",
            )
    Ns = np.array(_sizes(P), dtype=float)
    ax_samples.plot(Ns, 0.6 * 4 / Ns, "k:", label="$\\propto N^{-1}$")
    ax_samples.set(
        xscale="log",
        yscale="log",
        xlabel="input size $N$",
        ylabel=r"mean $|\kappa_4/\kappa_2^2|$ of the units",
        title="chain and hidden-layer tasks (samples)",
    )
    ax_samples.legend(fontsize="xx-small", ncol=2)
    for mode, (fmt, color) in _STYLES.items():
        lin = [r for r in results if r.mode == mode and np.isfinite(r.overlap)]
        if lin:
            N, m, s = _mean_std_by_N(lin, "overlap")
            ax_overlap.errorbar(N, m, yerr=s, fmt=fmt, color=color, capsize=3, label=MODE_NAMES[mode])
    ax_overlap.set(
        xscale="log",
        xlabel="input size $N$",
        ylabel=r"$\|\Pi_W \mathbf{1}\|^2/N$",
        title="block sum in the layer's span",
        ylim=(-0.03, 1.05),
    )
    ax_overlap.legend(fontsize="x-small")
    lowest = 0.0
    for task, marker in zip(P.bayes_tasks, "os"):
        for mode, (fmt, color) in _STYLES.items():
            sel = [r for r in results if r.task == task and r.mode == mode and np.isfinite(r.bayes_test_rmse)]
            if not sel:
                continue
            excess = [replace(r, test_rmse=100 * (r.test_rmse / r.bayes_test_rmse - 1)) for r in sel]
            N, m, s = _mean_std_by_N(excess, "test_rmse")
            lowest = min(lowest, float(np.min(m - s)))
            ax_bayes.errorbar(
                N, m, yerr=s, fmt=marker + fmt[1:], color=color, capsize=2,
                mfc="none" if marker == "s" else color, label=f"{task}, {MODE_NAMES[mode]}",
            )
    ax_bayes.axhline(0.0, color="k", lw=0.8)
    ax_bayes.set_yscale("symlog", linthresh=1.0, linscale=0.6)
    ax_bayes.set_ylim(bottom=min(-0.3, 1.3 * lowest))
    ax_bayes.set(
        xscale="log",
        xlabel="input size $N$",
        ylabel="excess test RMSE over the Bayes estimator (%)",
        title="distance from the Bayes-optimal estimator",
    )
    ax_bayes.legend(fontsize="xx-small", ncol=2)
    for ax in (ax_exact, ax_samples, ax_overlap, ax_bayes):
        ax.set_xticks(Ns)
        ax.xaxis.set_major_formatter(ScalarFormatter())
        ax.xaxis.set_minor_formatter(NullFormatter())


FIGURES = ("fig-iia-flow", "fig-iib-size")


# --------------------------------------------------------------------------------------
# Claims


def measure_reconstruction_registered(P: Protocol, tol) -> list[Row]:
    """II.A as registered: the trained stacks' loss against Eckart-Young, ring ratio r_l against the RG iterate
    (absolute tolerance), phi^4 chain kappa_4 against the block-sum iterate (absolute tolerance); no controls."""
    rows = []
    for r in P.a.rs:
        for lev in gaussian_stack(P.a, r):
            tag = f"r_0={r}, level {lev.level}"
            ey = lev.eckart_young_loss
            rows += [
                Row(f"best trained loss vs Eckart-Young minimum ({tag}; tol relative {_short(tol['loss'])})", ey,
                    lev.best_loss, tol["loss"] * ey),
                Row(f"trained features' ring ratio r vs RG iterate ({tag})", lev.r_rg, lev.r_trained, tol["ratio"]),
                Row(f"decimation control's ring ratio r vs RG iterate ({tag})", lev.r_rg, lev.r_decimation,
                    tol["decimation"], role="consistency"),
            ]
    ep = even_poly_features(P.a)
    rows.append(Row(f"phi^4 chain: kappa_4/kappa_2^2 of trained features (rf gauge) vs block-sum RG iterate "
                    f"(b = {P.a.b})", ep.of(BLOCK_SUM).mean, ep.of(TRAINED_RF).mean, tol["kurtosis"]))
    return rows


def measure_reconstruction(P: Protocol, tol) -> list[Row]:
    """II.Aa: linear autoencoder stacks on Gaussian rings against Eckart-Young and the decimation RG iterates,
    phi^4 chain kappa_4 against the block-sum iterate; random linear maps of the same shapes as controls."""
    A = P.a
    rows = []
    for r in A.rs:
        for lev, rnd in zip(gaussian_stack(A, r), random_stack(A, r)):
            tag = f"r_0={r}, level {lev.level}"
            ey = lev.eckart_young_loss
            loss = seed_interval(rnd.loss_ratio, A.n_boot, A.boot_seed)
            ratio = seed_interval(rnd.r / lev.r_rg, A.n_boot, A.boot_seed)
            rows += [
                Row(
                    f"(i) best trained loss vs Eckart-Young minimum ({tag}; tol relative {_short(tol['loss'])})",
                    ey,
                    lev.best_loss,
                    tol["loss"] * ey,
                ),
                Row(
                    f"(i) random maps' loss / Eckart-Young, seed mean [95% interval] ({loss.n} seeds; {tag})",
                    1.0,
                    loss.mean,
                    tol["loss"],
                    role="control",
                    lo=loss.lo,
                    hi=loss.hi,
                ),
                Row(f"(ii) trained features' r / RG iterate r_3^l ({tag}; rf gauge)", 1.0, lev.r_trained / lev.r_rg,
                    tol["ratio"]),
                Row(
                    f"(ii) random maps' r / RG iterate, seed mean [95% interval] ({ratio.n} seeds; {tag}; rf gauge)",
                    1.0,
                    ratio.mean,
                    tol["ratio"],
                    role="control",
                    lo=ratio.lo,
                    hi=ratio.hi,
                ),
                Row(
                    f"(ii) decimation layer's r vs RG iterate ({tag})",
                    lev.r_rg,
                    lev.r_decimation,
                    tol["decimation"],
                    role="consistency",
                ),
            ]
    ep = even_poly_features(A)
    band = tol["k_sigma"] * ep.diff_se
    random_diff = seed_interval(ep.random_kurtosis - ep.of(BLOCK_SUM).mean, A.n_boot, A.boot_seed)
    rows += [
        Row(
            f"(iii) phi^4 chain: mean kappa_4/kappa_2^2 of trained features (rf gauge) - block-sum RG iterate's "
            f"(b = {A.b}); tol {_short(tol['k_sigma'])} x bootstrap s.e. {ep.diff_se:.4f}",
            0.0,
            ep.diff,
            band,
        ),
        Row(
            f"(iii) phi^4 chain: random maps' mean kappa_4/kappa_2^2 (rf gauge) - block-sum iterate's, seed mean "
            f"[95% interval] ({random_diff.n} seeds)",
            0.0,
            random_diff.mean,
            band,
            role="control",
            lo=random_diff.lo,
            hi=random_diff.hi,
        ),
    ]
    return rows


def measure_gaussianity(P: Protocol, tol) -> list[Row]:
    """II.B1: rate p of the feature units' standardized kappa_4 between two sizes, trained vs random/selection."""
    rows = []
    for r in two_point_rates(P.b):
        if r.task == "gaussian":    # kappa_4 = 0 identically: not a cumulant rate
            continue
        iv = r.interval
        where = f"{r.task}, N = {r.N1} -> {r.N2}, {r.route}, {iv.n} seeds"
        if r.mode == "trained":
            rows.append(Row(f"trained units: exponent p of kappa_4^std ~ N^p, interval end farthest from -1 ({where})",
                            -1.0, iv.far(-1.0), tol["exponent"]))
        elif r.mode == "random" and (r.task == "poisson" or not _linear_iid(r.task)):
            # random weights do not depend on the i.i.d. task: one row for them (poisson), one for the chain
            label = "i.i.d. tasks" if _linear_iid(r.task) else r.task
            rows.append(Row(f"random frozen layers: exponent p, interval end nearest -1 ({label}, N = {r.N1} -> "
                            f"{r.N2}, {r.route}, {iv.n} seeds)", -1.0, iv.near(-1.0), tol["exponent"], role="control"))
        elif r.mode == "selection" and r.task == "poisson":
            rows.append(Row(f"selection layer (decimation): exponent p (i.i.d. tasks, N = {r.N1} -> {r.N2}, exact)",
                            -1.0, iv.mean, tol["exponent"], role="control"))
    return rows


def measure_span(P: Protocol, tol) -> list[Row]:
    """II.B2: block-sum overlap of the trained layers' span; test RMSE against the exact Bayes estimator."""
    B = P.b
    ov = overlap_intervals(B)
    rows = []
    for task in B.tasks:
        if not _linear(task):
            continue
        for N in B.many_Ns:
            iv = ov[task, N, "trained"]
            rows.append(Row(f"{task}, N={N}: block-sum overlap |P_W 1|^2/N of the trained layer, lower interval end "
                            f"({iv.n} seeds)", 1.0, iv.lo, tol["overlap"]))
    for N in B.many_Ns:
        iv = ov["poisson", N, "random"]
        rows.append(Row(f"random frozen layers, N={N}: block-sum overlap, upper interval end ({iv.n} seeds; the same "
                        "weights for every linear task)", 1.0, iv.hi, tol["overlap"], role="control"))
        rows.append(Row(f"selection layer, N={N}: block-sum overlap (= M/N)", 1.0, ov["poisson", N, "selection"].mean,
                        tol["overlap"], role="control"))
    bi = bayes_intervals(B)
    for task in B.bayes_tasks:
        for N in B.many_Ns:
            iv = bi[task, N, "trained"]
            rows.append(Row(f"{task}, N={N}: trained test RMSE / exact Bayes estimator's on the same test set, upper "
                            f"interval end ({iv.n} seeds)", 1.0, iv.hi, tol["bayes"]))
            iv = bi[task, N, "random"]
            rows.append(Row(f"{task}, N={N}: random frozen layer with trained head, RMSE / Bayes, "
                            f"interval end nearest 1 ({iv.n} seeds)", 1.0, iv.near(1.0), tol["bayes"], role="control"))
    return rows


def measure_units(P: Protocol, tol) -> list[Row]:
    """II.B3: per-unit N rho of the trained units against the block sum's 1 (a basis-dependent quantity)."""
    B = P.b
    N = B.many_Ns[-1]
    iv = n_rho_intervals(B)
    rows = []
    for task in B.tasks:
        if not _linear_iid(task):
            continue
        t = iv[task, N, "trained"]
        rows.append(Row(f"{task}, N={N}: mean N rho of the trained units, upper interval end ({t.n} seeds)", 1.0, t.hi,
                        tol["n_rho"]))
    r = iv["poisson", N, "random"]
    rows.append(Row(f"random frozen layers, N={N}: mean N rho, interval end nearest 1 ({r.n} seeds; "
                    "the same weights for every i.i.d. task)", 1.0, r.near(1.0), tol["n_rho"], role="control"))
    rows.append(Row(f"selection layer, N={N}: N rho (= N)", 1.0, iv["poisson", N, "selection"].mean, tol["n_rho"],
                    role="control"))
    return rows


_PAPER_II_MAIN = (
    "Paper II: once FC DNNs reach their optimal parameters, the characteristic parameters of the feature-layer "
    "outputs coincide with the fixed points of the input's characteristic parameters under the RG method for "
    "continuous fields (abstract)."
)


def _short(x: float) -> str:
    """A tolerance as a reader writes it: 1e-6, 0.02."""
    return f"{x:g}".replace("e-0", "e-").replace("e+0", "e+")


CLAIMS = (
    Claim(
        id="II.A",
        paper="II",
        reading="A",
        paper_claim=_PAPER_II_MAIN,
        title="training follows the decimation RG steps (as registered)",
        statement=(
            "Reading A, depth: greedy linear autoencoders {protocol.a.chain} (b = {protocol.a.b}) on Gaussian rings "
            "with r = K/d = {protocol.a.rs_text}, each layer the best of {protocol.a.restarts} restarts on the exact "
            "loss, (i) reach the Eckart-Young (PCA) minimum (relative {loss}); (ii) their features, in the "
            "receptive-field gauge (ours), have projected ring ratio r_l within {ratio} of the RG iterates r_b^l(r) "
            "(decimation control to {decimation}); (iii) on the phi^4-type chain (V = "
            "{protocol.a.even_poly_theta[0]}x^2 + {protocol.a.even_poly_theta[1]}x^4, K = {protocol.a.even_poly_K}) "
            "their standardized kappa_4 equals that of the block-sum RG iterate (b = {protocol.a.b}) within "
            "{kurtosis}."
        ),
        tolerances={"loss": 1e-6, "ratio": 0.02, "decimation": 1e-10, "kurtosis": 0.05},
        chapter=CHAPTER,
        measure=measure_reconstruction_registered,
        protocol=PROTOCOL,
        figure="fig-iia-flow",
        constants=("phi^4", "x^2", "x^4"),
    ),
    Claim(
        id="II.Aa",
        amends="II.A",
        paper="II",
        reading="A",
        paper_claim=_PAPER_II_MAIN,
        title="training follows the decimation RG steps (amended: relative tolerances, random-map controls)",
        statement=(
            "Reading A (ours, stronger than the paper's claim: training follows the decimation RG steps): greedy "
            "linear autoencoders {protocol.a.chain} (b = {protocol.a.b}) on Gaussian rings with r = K/d = "
            "{protocol.a.rs_text}, each layer the best of {protocol.a.restarts} restarts on the exact loss, (i) reach "
            "the Eckart-Young (PCA) minimum (relative {loss}); (ii) their features, in the receptive-field gauge "
            "(ours), have projected ring ratios r_l equal to the decimation RG iterates r_b^l(r) within relative "
            "{ratio} (|r_l/r_b^l(r) - 1|; the decimation layer reproduces the iterates to {decimation}); (iii) on the "
            "phi^4-type chain (V = {protocol.a.even_poly_theta[0]}x^2 + {protocol.a.even_poly_theta[1]}x^4, K = "
            "{protocol.a.even_poly_K}) the mean over features of their standardized kappa_4 equals that of the "
            "block-sum RG iterate (b = {protocol.a.b}) within {k_sigma} standard errors of the difference (bootstrap "
            "over the samples). Controls: random linear maps of the same shapes ({protocol.a.n_control_seeds} seeds, "
            "same gauge); a control satisfies a prediction when its whole 95% seed-bootstrap interval lies within "
            "the tolerance, fails it when the whole interval lies outside, and is undecided otherwise (then the "
            "verdict is inconclusive)."
        ),
        tolerances={"loss": 1e-6, "ratio": 0.1, "decimation": 1e-10, "k_sigma": 3.0},
        chapter=CHAPTER,
        measure=measure_reconstruction,
        protocol=PROTOCOL,
        figure="fig-iia-flow",
        constants=("- 1|", "phi^4", "x^2", "x^4", "95%"),
    ),
    Claim(
        id="II.B1",
        paper="II",
        reading="B",
        paper_claim=_PAPER_II_MAIN,
        title="feature units flow to the Gaussian fixed point at the block-sum rate",
        statement=(
            "Reading B (ours), Gaussianity of the features: FC regressors with {protocol.b.M} linear feature units "
            "trained to "
            "infer a natural parameter from N data (Poisson, Bernoulli, Gamma rate; Bernoulli chain with K = 0.5) "
            "have units whose standardized kappa_4 decays as N^p with p = -1 +- {exponent} (the block-sum RG "
            "rate), p measured between N = {protocol.b.many_Ns[0]} and N = {protocol.b.N_last} from the means over "
            "{protocol.b.n_many_seeds} seeds (exactly from the weights "
            "for i.i.d. data, from samples for the chain); the whole 95% seed-bootstrap interval of p must lie "
            "within the tolerance. The Gaussian task (kappa_4 = 0 identically) is excluded; the even-polynomial "
            "task, whose units are linear in a tanh hidden layer rather than in the data, is reported apart. "
            "Controls: random frozen layers ({protocol.b.n_many_seeds} seeds) and the selection layer (decimation)."
        ),
        tolerances={"exponent": 0.2},
        chapter=CHAPTER,
        measure=measure_gaussianity,
        protocol=PROTOCOL,
        figure="fig-iib-size",
        constants=("K = 0.5", "p = -1", "95%", "kappa_4 = 0"),
    ),
    Claim(
        id="II.B2",
        paper="II",
        reading="B",
        paper_claim=_PAPER_II_MAIN,
        title="the trained layer's span contains the block sum",
        statement=(
            "Reading B (ours), the span contains the block sum: for the linear tasks (Gaussian mean, Poisson, "
            "Bernoulli, Gamma rate, Bernoulli chain with K = 0.5) at {protocol.b.many_Ns_text}, the basis-free share "
            "of the uniform vector in the span of the {protocol.b.M} trained units, |P_W 1|^2/N, is at least 1 - "
            "{overlap} at the lower end of its 95% seed-bootstrap interval ({protocol.b.n_many_seeds} seeds); and the "
            "regressors are near-optimal: for Poisson and Bernoulli data, whose sum is sufficient, the test RMSE is "
            "within relative {bayes} of the exact Bayes (posterior-mean) estimator's on the same test samples (upper "
            "end of the 95% seed interval). Controls: random frozen layers ({protocol.b.n_many_seeds} seeds; for the "
            "RMSE with a trained head) and the selection layer; a control satisfies a prediction when its interval "
            "reaches the tolerance."
        ),
        tolerances={"overlap": 0.05, "bayes": 0.05},
        chapter=CHAPTER,
        measure=measure_span,
        protocol=PROTOCOL,
        figure="fig-iib-size",
        constants=("K = 0.5", "|P_W 1|^2/N", "at least 1 -", "95%"),
    ),
    Claim(
        id="II.B3",
        paper="II",
        reading="B",
        paper_claim=_PAPER_II_MAIN,
        title="each trained unit is the block sum (basis-dependent)",
        statement=(
            "Reading B (ours), per-unit quantities, basis-dependent: for the i.i.d. linear tasks (Gaussian mean, "
            "Poisson, Bernoulli, Gamma rate) at N = {protocol.b.N_last}, the trained units' N rho = N sum w^4/(sum "
            "w^2)^2 (1 exactly when the |w_i| are equal: the block sum up to signs; for non-Gaussian data the ratio of "
            "the unit's standardized kappa_4 to the block sum's) is within {n_rho} of 1 at the upper end of the 95% "
            "seed-bootstrap interval of its mean over units ({protocol.b.n_many_seeds} seeds). The head tanh(Au + a) "
            "absorbs any invertible linear map of the units, so the per-unit basis is no property of the optimum. "
            "Controls: random frozen layers ({protocol.b.n_many_seeds} seeds) and the selection layer."
        ),
        tolerances={"n_rho": 0.5},
        chapter=CHAPTER,
        measure=measure_units,
        protocol=PROTOCOL,
        figure="fig-iib-size",
        constants=("w^4/(sum w^2)^2 (1 exactly", "of 1 at", "95%"),
    ),
)
