r"""The network experiments of Paper I's chapters, as cached functions with fixed seeds.

Each function runs one experiment from scratch (exact enumeration, seeded training) and is
memoized, so the claim check and the figures of a chapter share one run per kernel. The
protocols (sizes, restarts, steps, seeds) are module constants, stated in the chapters.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import couplings, ising, networks, rg

__all__ = [
    "READING_A",
    "STACK",
    "READING_B",
    "layer_coupling",
    "soft_decimation_couplings",
    "reading_a_restarts",
    "reading_a_table",
    "stack_couplings",
    "reading_b_regressor",
    "reading_b_controls",
    "reading_b_couplings",
    "reading_b_rates",
    "bayes_rmse",
    "ring_check",
    "reading_b_regression_quality",
]

#: Reading A protocol: chain size, couplings, restarts, Adam steps, learning rate, seed.
READING_A = {"N": 8, "Ks": (0.5, 1.0, 1.5), "restarts": 12, "steps": 2000, "lr": 0.05, "seed": 0}
#: Greedy stacks: N = 12 -> 6 -> 3 (b = 2), trained layers use fewer restarts (cost ~ 2^N 2^(N/2)).
STACK = {"N": 12, "depth": 2, "Ks": (1.0, 1.5), "restarts": 6, "steps": 1500, "lr": 0.05, "seed": 100}
#: Reading B protocol: sizes, feature units, training seeds, evaluation coupling and samples.
READING_B = {"Ns": (8, 16, 32, 64, 128), "M": 4, "seeds": (0, 1, 2), "steps": 1500, "K_eval": 1.0,
             "n_eval": 100_000, "local_beta": 1.0, "random_scale": 1.0}


def layer_coupling(W, c, configs, probs) -> tuple[float, float, float]:
    """Output coupling ``(K', h', KL residual)`` of a layer on an enumerated input distribution,
    after orienting and ordering its units (:func:`rgbook.couplings.canonical_layer`)."""
    W, c = couplings.canonical_layer(W, c)
    y, q = networks.output_distribution(W, c, configs, probs)
    return couplings.project_chain(y, q)


def soft_decimation_couplings(K: float, betas, N: int = 8, b: int = 2) -> np.ndarray:
    r"""Projected output coupling :math:`K'(\beta)` of the soft decimation layer :math:`W=\beta\,\times` selection."""
    s, p = ising.enumerate_chain(N, K)
    return np.array([layer_coupling(*networks.decimation_weights(N, b, beta), s, p)[0] for beta in betas])


@lru_cache(maxsize=None)
def reading_a_restarts(K: float, progress: bool = False) -> tuple[networks.Autoencoder, ...]:
    """All restarts of the Reading A autoencoder on the N-site chain at coupling K (protocol READING_A)."""
    P = READING_A
    s, p = ising.enumerate_chain(P["N"], K)
    return tuple(networks.train_autoencoder(s, p, P["N"] // 2, restarts=P["restarts"], steps=P["steps"],
                                            lr=P["lr"], seed=P["seed"], progress=progress))


@lru_cache(maxsize=None)
def ring_check(K: float) -> tuple[float, networks.Autoencoder]:
    """Reading A on the periodic ring (no chain ends): decimation loss with the optimal decoder,
    and the best of the READING_A restarts (same protocol)."""
    P = READING_A
    s, p = ising.enumerate_chain(P["N"], K, 0.0, "periodic")
    ref = networks.conditional_entropy_loss(*networks.decimation_weights(P["N"], 2, 40.0), s, p)
    models = networks.train_autoencoder(s, p, P["N"] // 2, restarts=P["restarts"], steps=P["steps"],
                                        lr=P["lr"], seed=P["seed"], progress=False)
    return ref, min(models, key=lambda m: m.loss)


def reading_a_table(progress: bool = False):
    """Per K: reference loss, best and worst restart, restarts at the reference, and the best
    network's output coupling against R_2(K) and against the decimation layer's."""
    import pandas as pd

    N = READING_A["N"]
    rows = []
    for K in READING_A["Ks"]:
        s, p = ising.enumerate_chain(N, K)
        models = reading_a_restarts(K, progress)
        losses = np.array([m.loss for m in models])
        best = models[int(np.argmin(losses))]
        ref = networks.decimation_reference_loss(N, K)
        Kp, hp, kl = layer_coupling(best.W, best.c, s, p)
        rows.append({
            "K": K, "decimation loss (closed form)": ref, "best loss": losses.min(), "worst loss": losses.max(),
            "restarts below decimation": int(np.sum(losses < ref - 1e-4)),
            "restarts within 1e-3 of decimation": int(np.sum(np.abs(losses - ref) <= 1e-3)),
            "best K'": Kp, "R_2(K)": float(rg.zero_field_map(K, 2)), "best h'": hp, "KL residual": kl,
        })
    return pd.DataFrame(rows)


@lru_cache(maxsize=None)
def stack_couplings(K: float, mode: str, progress: bool = False) -> tuple[tuple[float, float, float, float | None], ...]:
    """``(K_l, h_l, KL_l, loss_l)`` for levels l = 0..depth of a greedy stack (protocol STACK)."""
    P = STACK
    s, p = ising.enumerate_chain(P["N"], K)
    kwargs = {"restarts": P["restarts"], "steps": P["steps"], "lr": P["lr"]} if mode == "trained" else {}
    levels = networks.stack_layers(s, p, P["depth"], mode=mode, seed=P["seed"], progress=progress, **kwargs)
    return ((K, 0.0, 0.0, None),) + tuple((*couplings.project_chain(lev.configs, lev.probs), lev.loss) for lev in levels[1:])


def _block_weights(N: int, M: int, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """Local control: unit j sums the j-th contiguous block of N/M spins with weight beta."""
    return np.kron(np.eye(M), np.ones(N // M)) * beta, np.zeros(M)


@lru_cache(maxsize=None)
def reading_b_regressor(N: int, seed: int) -> networks.CouplingRegressor:
    """The Reading B network trained at size N with this seed (protocol READING_B)."""
    return networks.train_coupling_regressor(N, READING_B["M"], steps=READING_B["steps"], seed=seed)


def reading_b_controls(N: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The untrained controls of Reading B at size N: random (seed 0) and local block-sum weights."""
    P = READING_B
    return {"random": networks.random_weights(P["M"], N, seed=0, scale=P["random_scale"]),
            "local": _block_weights(N, P["M"], P["local_beta"])}


@lru_cache(maxsize=None)
def reading_b_couplings():
    """Feature-layer coupling vs N for trained, random and local networks (protocol READING_B).

    Returns a DataFrame with one row per (N, network, seed): test RMSE of K (trained only),
    projected K' with a 95 % batch interval, and the KL residual.
    """
    import pandas as pd

    P = READING_B
    rows = []
    for N in P["Ns"]:
        x = ising.sample_chain(P["n_eval"], N, P["K_eval"], rng=np.random.default_rng(10_000 + N))
        nets = {}
        for seed in P["seeds"]:
            reg = reading_b_regressor(N, seed)
            nets[("trained", seed)] = (reg.W, reg.c, reg.test_rmse)
            nets[("random", seed)] = (*networks.random_weights(P["M"], N, seed=seed, scale=P["random_scale"]), np.nan)
        nets[("local", 0)] = (*_block_weights(N, P["M"], P["local_beta"]), np.nan)
        for (kind, seed), (W, c, rmse) in nets.items():
            W, c = couplings.canonical_layer(W, c)
            y, q, qb = networks.feature_distribution_from_samples(W, c, x)
            Kp, hp, kl, (lo, hi) = couplings.project_chain_batches(y, q, qb)
            rows.append({"N": N, "network": kind, "seed": seed, "K'": Kp, "CI low": lo, "CI high": hi,
                         "|K'|": abs(Kp), "KL residual": kl, "test RMSE of K": rmse})
    return pd.DataFrame(rows)


def reading_b_rates():
    r"""Fitted rates of the mean :math:`|K'|` over seeds vs :math:`N`, per network kind:
    power law :math:`|K'|\propto N^{-p}` (log-log slope) and exponential
    :math:`|K'|\propto e^{-N/N_0}` (semi-log slope)."""
    import pandas as pd

    df = reading_b_couplings()
    mean = df.groupby(["network", "N"])["|K'|"].mean().unstack(0)
    rows = []
    for kind in mean.columns:
        N, k = mean.index.to_numpy(float), mean[kind].to_numpy()
        p = -np.polyfit(np.log(N), np.log(k), 1)[0]
        inv_N0 = -np.polyfit(N, np.log(k), 1)[0]
        rows.append({"network": kind, "power-law exponent p": p, "exponential rate 1/N0": inv_N0,
                     f"mean |K'| at N={int(N[0])}": k[0], f"mean |K'| at N={int(N[-1])}": k[-1]})
    return mean, pd.DataFrame(rows)


def bayes_rmse(N: int, K_range: tuple[float, float] = (0.1, 1.5), n_bins: int = 32) -> float:
    r"""Smallest root-mean-square error of *any* estimator of :math:`K` from an open zero-field chain.

    The training data of :func:`rgbook.networks.train_coupling_regressor` draw :math:`K`
    uniformly from the ``n_bins`` bin midpoints of ``K_range``. The bonds
    :math:`\tau_i = s_is_{i+1}` of an open zero-field chain are i.i.d. with
    :math:`P(\tau=1) = (1+\tanh K)/2`, so the number of aligned bonds :math:`a` is
    binomial and sufficient; the Bayes risk is
    :math:`\sqrt{\mathbb E[\operatorname{Var}(K\mid a)]}`, summed exactly over :math:`a` and :math:`K`.
    """
    from scipy.stats import binom

    grid = np.linspace(*K_range, n_bins + 1)
    Ks = 0.5 * (grid[:-1] + grid[1:])
    a = np.arange(N)
    like = binom.pmf(a[:, None], N - 1, (1 + np.tanh(Ks[None, :])) / 2)  # P(a | K)
    joint = like / len(Ks)
    pa = joint.sum(axis=1)
    mean = (joint @ Ks) / pa
    second = (joint @ Ks**2) / pa
    return float(np.sqrt(np.sum(pa * (second - mean**2))))


def reading_b_regression_quality():
    """Per N: mean test RMSE of the trained regressors against the prior spread and the Bayes risk."""
    import pandas as pd

    df = reading_b_couplings()
    trained = df[df.network == "trained"].groupby("N")["test RMSE of K"].mean()
    lo, hi = 0.1, 1.5
    prior = float(np.std(0.5 * (np.linspace(lo, hi, 33)[:-1] + np.linspace(lo, hi, 33)[1:])))
    return pd.DataFrame({"N": trained.index, "trained test RMSE (mean of seeds)": trained.to_numpy(),
                         "Bayes RMSE (bond count, exact)": [bayes_rmse(int(N)) for N in trained.index],
                         "RMSE of guessing the prior mean": prior})
