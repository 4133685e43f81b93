r"""Reading A of the chapter *Paper II's theorem: the feature layer and the RG fixed point* (``book/feature_layers``).

Greedy linear autoencoders on Gaussian rings against the decimation RG iterates, a linear
autoencoder on a :math:`\phi^4`-type chain against the block-sum RG iterate, random linear maps
as controls: the protocol part :class:`ReadingA`, the runs, tables and the figure. The claims
live in :mod:`rgbook.chapters.feature_layers`, which re-exports every name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from .. import couplings, expfam, features, rg
from .._protocol import arrow_chain
from ..stats import seed_interval


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
    u = x @ np.concatenate(list(maps.values())).T  # (n, kinds * m)
    powers = np.concatenate([u, u**2, u**3, u**4], axis=1)
    whole = _standardized_k4(None, powers, n).reshape(len(maps), m).mean(axis=1)
    rng = np.random.default_rng(P.even_poly_seed + 1)
    boot = (
        np.array(
            [
                _standardized_k4(rng.multinomial(n, np.full(n, 1.0 / n)).astype(float), powers, n)
                for _ in range(P.sample_boot)
            ]
        )
        .reshape(P.sample_boot, len(maps), m)
        .mean(axis=2)
    )  # (resamples, kinds): means over units
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
# Figure


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
            ax_random.plot(
                x,
                lev.r,
                "^",
                color=f"C{i}",
                mfc="white",
                ms=5,
                label=f"random maps ({lev.r.size} seeds), $r_0={r0}$" if lev.level == 1 else None,
            )
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
