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
    "READING_IIA",
    "READING_IIB",
    "gaussian_ring_covariance",
    "iia_gaussian_stack",
    "iia_table",
    "iia_even_poly",
    "iib_network",
    "iib_eval_data",
    "iib_table",
    "iib_rates",
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


# --------------------------------------------------------------------------------------
# Paper II, network side (rgbook.features)

#: Reading A of Paper II: Gaussian rings of N = 27 sites, b = 3 bottlenecks 27 -> 9 -> 3,
#: ratios r = K/d; the even-polynomial (phi^4-type) open chain is sampled on a grid.
READING_IIA = {"N": 27, "b": 3, "depth": 2, "rs": (0.3, 0.45), "restarts": 4, "steps": 3000, "lr": 0.01, "seed": 200,
               "even_poly_theta": (0.5, 0.1), "even_poly_K": 0.3, "even_poly_samples": 20_000, "even_poly_seed": 210}
#: Reading B of Paper II: sizes, feature units, seeds of trained networks, sizes of the head-trained controls.
READING_IIB = {"Ns": (4, 8, 16, 32, 64), "M": 4, "seeds": (0, 1), "control_Ns": (4, 16, 64), "steps": 1500,
               "n_eval": 100_000, "eval_seed": 300}


def gaussian_ring_covariance(N: int, r: float, d: float = 1.0) -> np.ndarray:
    """Covariance :math:`P^{-1}` of the Gaussian ring with precision :math:`d I - K(S + S^T)`, :math:`K = r d`."""
    return np.linalg.inv(rg.gaussian_ring_precision(N, r * d, d))


@lru_cache(maxsize=None)
def iia_gaussian_stack(r: float, progress: bool = False) -> tuple[dict, ...]:
    """Greedy linear-autoencoder stack on the Gaussian ring at ratio ``r`` (protocol READING_IIA).

    Level ``l`` trains on the covariance of level ``l - 1``'s features in the receptive-field
    gauge; the decimation stack applies the selection matrix at every level. One dict per level.
    """
    from . import features

    P = READING_IIA
    b = P["b"]
    C_tr = C_dec = gaussian_ring_covariance(P["N"], r)
    r_rg = r
    out = []
    for level in range(1, P["depth"] + 1):
        n = C_tr.shape[0]
        aes = features.train_linear_autoencoder(C_tr, n // b, restarts=P["restarts"], steps=P["steps"], lr=P["lr"],
                                                seed=P["seed"] + 10 * level, progress=progress)
        F = features.receptive_field_features(aes[0].W, b)
        S = features.selection_matrix(n, b)
        C_tr_next, C_dec = F @ C_tr @ F.T, S @ C_dec @ S.T
        d_t, K_t, kl_t = couplings.project_gaussian_ring(C_tr_next)
        d_d, K_d, kl_d = couplings.project_gaussian_ring(C_dec)
        r_rg = rg.gaussian_chain_ratio_map_b(r_rg, b)
        out.append({"level": level, "sites": f"{n} -> {n // b}", "Eckart-Young loss": features.eckart_young_loss(C_tr, n // b),
                    "best trained loss": aes[0].loss, "restart losses": tuple(a.loss for a in aes),
                    "decimation loss (optimal decoder)": features.optimal_linear_loss(C_tr, S),
                    "r trained (rf gauge)": K_t / d_t, "KL trained": kl_t, "r decimation": K_d / d_d, "KL decimation": kl_d,
                    "r RG": r_rg, "largest angle to decimation (rad)": features.largest_principal_angle(aes[0].W, S),
                    "F": F})
        C_tr = C_tr_next
    return tuple(out)


def iia_table():
    """Reading A of Paper II as a table: one row per ratio and level."""
    import pandas as pd

    rows = []
    for r in READING_IIA["rs"]:
        for lev in iia_gaussian_stack(r):
            rows.append({"r_0": r, **{k: v for k, v in lev.items() if k not in ("F", "restart losses")}})
    return pd.DataFrame(rows)


@lru_cache(maxsize=None)
def iia_even_poly() -> dict:
    """Linear autoencoder (27 -> 9) on the phi^4-type open chain: standardized kappa_4 of each kind of feature.

    Returns, per feature kind, (mean over units of kappa_4/kappa_2^2, its standard error), and the losses.
    """
    from . import expfam, features

    P = READING_IIA
    N, b = P["N"], P["b"]
    theta = np.asarray(P["even_poly_theta"], dtype=float)
    x = expfam.sample_chain(expfam.family("even_poly"), -theta, P["even_poly_K"], N, P["even_poly_samples"],
                            rng=np.random.default_rng(P["even_poly_seed"]))
    x = x - x.mean(axis=0)
    C = np.cov(x.T)
    aes = features.train_linear_autoencoder(C, N // b, restarts=2, steps=P["steps"], lr=P["lr"], seed=P["even_poly_seed"])
    top = np.linalg.eigh(C)[1][:, -(N // b):].T
    maps = {"decimation (every 3rd site)": features.selection_matrix(N, b),
            "block sum of 3 (block-sum RG, b = 3)": np.kron(np.eye(N // b), np.ones(b)) / np.sqrt(b),
            "trained, receptive-field gauge": features.receptive_field_features(aes[0].W, b),
            "trained, PCA gauge (whitened modes)": top}
    out = {}
    for name, M in maps.items():
        v, se = features.standardized_cumulants(x @ M.T)
        out[name] = (float(v[1].mean()), float(np.sqrt((se[1] ** 2).mean() / se.shape[1])))
    out["losses"] = {"Eckart-Young": features.eckart_young_loss(C, N // b), "trained": aes[0].loss,
                     "decimation": features.optimal_linear_loss(C, features.selection_matrix(N, b))}
    return out


@lru_cache(maxsize=None)
def iib_network(task: str, N: int, mode: str, seed: int):
    """A Reading B network of Paper II: trained (``mode='trained'``) or head-trained control."""
    from . import features

    P = READING_IIB
    return features.train_parameter_regressor(task, N, mode=mode, M=P["M"], steps=P["steps"], seed=seed)


@lru_cache(maxsize=None)
def iib_eval_data(task: str, N: int) -> np.ndarray:
    """``n_eval`` samples at the task's evaluation parameter (fixed seed per task and size)."""
    from . import features

    t = features.TASKS[task]
    seed = READING_IIB["eval_seed"] + 1000 * list(features.TASKS).index(task) + N
    return features._draw(t, N, t.natural(t.eta_eval), READING_IIB["n_eval"], np.random.default_rng(seed))


@lru_cache(maxsize=None)
def iib_table(progress: bool = False):
    """Every Reading B network: task, N, mode, seed, test RMSE, mean |kappa_4^std| of the units (samples, s.e.),
    and for linear i.i.d. tasks the exact N x kappa_4-ratio (1 for the block sum, the Cauchy-Schwarz minimum)."""
    import pandas as pd

    from . import features

    P = READING_IIB
    jobs = [(t, N, "trained", s) for t in features.TASKS for N in P["Ns"] for s in P["seeds"]]
    jobs += [(t, N, m, 0) for t in features.TASKS for N in P["control_Ns"] for m in ("random", "selection", "block_sum")
             if not (m == "block_sum" and features.TASKS[t].hidden)]
    rows = []
    for task, N, mode, seed in networks._progress(jobs, progress, "Reading B (Paper II) networks"):
        reg = iib_network(task, N, mode, seed)
        v, se = features.standardized_cumulants(features.feature_values(reg, iib_eval_data(task, N)))
        linear_iid = not features.TASKS[task].hidden and features.TASKS[task].K == 0
        exact = N * features.exact_feature_kurtosis_ratio(reg).mean() if linear_iid else np.nan
        overlap = features.block_sum_overlap(reg) if not features.TASKS[task].hidden else np.nan
        rows.append({"task": task, "N": N, "mode": mode, "seed": seed, "test RMSE": reg.test_rmse,
                     "mean |kappa4/kappa2^2| (samples)": float(np.abs(v[1]).mean()),
                     "s.e.": float(np.sqrt((se[1] ** 2).mean() / se.shape[1])), "N x kappa4 ratio (exact)": exact,
                     "block-sum overlap of the layer": overlap})
    return pd.DataFrame(rows)


def iib_rates():
    """Fitted exponent p of kappa_4^std ~ N^p for the trained networks: the exact weight ratio for linear
    i.i.d. tasks, the sampled |kappa_4^std| for chain and hidden-layer tasks. Also N x ratio and the
    block-sum overlap of the layer at the largest N (mean over seeds)."""
    import pandas as pd

    t = iib_table()
    tr = t[t["mode"] == "trained"]
    out = []
    for task, g in tr.groupby("task", sort=False):
        means = g.groupby("N").mean(numeric_only=True)
        exact = bool(np.isfinite(means["N x kappa4 ratio (exact)"]).all())
        y = means["N x kappa4 ratio (exact)"] / means.index if exact else means["mean |kappa4/kappa2^2| (samples)"]
        p = float(np.polyfit(np.log(means.index), np.log(y), 1)[0])
        out.append({"task": task, "route": "exact (weights)" if exact else "samples", "fitted p": p,
                    "N x ratio at N=64": float(means["N x kappa4 ratio (exact)"].iloc[-1]) if exact else np.nan,
                    "block-sum overlap at N=64": float(means["block-sum overlap of the layer"].iloc[-1])})
    return pd.DataFrame(out)
