r"""Runs of the amendments of the chapter *Paper II's theorem: the feature layer and the RG fixed point*
(``book/feature_layers``): II.Ab (one decimation RG step per layer), II.B1a (exact unit cumulants),
II.B2a and II.B2b (training data growing with ``N``). The claims live in
:mod:`rgbook.chapters.feature_layers`, their rows in :mod:`~rgbook.chapters.feature_layers_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from .. import features, rg
from ..stats import Interval, seed_interval
from .feature_layers_a import ReadingA, gaussian_stack, random_stack
from .feature_layers_b import ReadingB, TwoPointRate, _linear, _linear_iid, trained_networks

# --------------------------------------------------------------------------------------
# II.Ab: each layer's step from its own input


@dataclass(frozen=True)
class LayerStep:
    """One level of a Reading A stack at ratio ``r0``: the step :math:`q_l = r_l / r_b(r_{l-1})` of the trained
    layer and of the decimation layer (from their own projected input ratios, :math:`r_0` at level 1), and of the
    random linear maps per seed (NaN where the input ratio is outside :math:`|r| < 1/2`)."""

    r0: float
    level: int
    trained: float
    decimation: float
    random: np.ndarray = field(compare=False)

    def random_interval(self, P: ReadingA) -> Interval:
        """Seed interval of the random maps' step (seeds with a defined step only)."""
        q = self.random[np.isfinite(self.random)]
        return seed_interval(q, P.n_boot, P.boot_seed)


def _step(r_out, r_in, b: int):
    r_in = np.asarray(r_in, dtype=float)
    ok = np.abs(r_in) < 0.5
    rg_step = rg.gaussian_chain_ratio_map_b(np.where(ok, r_in, 0.0), b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, np.asarray(r_out, dtype=float) / rg_step, np.nan)


@cache
def layer_steps(P: ReadingA) -> tuple[LayerStep, ...]:
    """The steps of every level of the trained, decimation and random stacks of :func:`gaussian_stack` and
    :func:`random_stack` (no new training)."""
    out = []
    for r0 in P.rs:
        tr_in = dec_in = r0
        rnd_in = np.full(len(P.control_seeds), r0)
        for lev, rnd in zip(gaussian_stack(P, r0), random_stack(P, r0)):
            out.append(
                LayerStep(
                    r0,
                    lev.level,
                    float(_step(lev.r_trained, tr_in, P.b)),
                    float(_step(lev.r_decimation, dec_in, P.b)),
                    _step(rnd.r, rnd_in, P.b),
                )
            )
            tr_in, dec_in, rnd_in = lev.r_trained, lev.r_decimation, rnd.r
    return tuple(out)


def steps_table(P: ReadingA):
    """:func:`layer_steps` as a display table."""
    rows = []
    for s in layer_steps(P):
        iv = s.random_interval(P)
        rows.append(
            {
                "r_0": s.r0,
                "level": s.level,
                "trained step q_l": s.trained,
                "decimation step": s.decimation,
                f"random maps' step ({iv.n} seeds)": iv.text(".3g"),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# II.B1a: exact unit cumulants


def _y_exact(reg: features.ParameterRegressor) -> float:
    """Mean over units of the exact rho (i.i.d. data) or |kappa_4/kappa_2^2| (chain data, transfer matrix)."""
    if _linear_iid(reg.task):
        return float(features.exact_feature_kurtosis_ratio(reg).mean())
    k = features.exact_feature_cumulants(reg)
    return float(np.abs(k[:, 3] / k[:, 1] ** 2).mean())


@cache
def exact_two_point_rates(P: ReadingB) -> tuple[TwoPointRate, ...]:
    """Two-point rates between the sizes of ``many_Ns`` from exact unit cumulants, per linear non-Gaussian task:
    trained networks of ``many_seeds`` (:func:`trained_networks`), random frozen layers of the same seeds, and the
    selection layer."""
    nets = trained_networks(P, False)  # the cache key of network_results(P): the same networks, trained once
    N1, N2 = P.many_Ns[0], P.many_Ns[-1]
    out = []
    for task in P.tasks:
        if not _linear(task) or features.TASKS[task].family == "gaussian":
            continue
        route = "exact (weights)" if _linear_iid(task) else "exact (transfer matrix)"
        for mode, seeds in (("trained", P.many_seeds), ("random", P.many_seeds), ("selection", (0,))):

            def reg(N, s, mode=mode, task=task):
                if mode == "trained":
                    return nets[task, N, mode, s]
                return features.control_regressor(task, N, mode, M=P.M, seed=s)

            p = np.array([np.log(_y_exact(reg(N2, s)) / _y_exact(reg(N1, s))) / np.log(N2 / N1) for s in seeds])
            out.append(TwoPointRate(task, mode, route, N1, N2, p, seed_interval(p, P.n_boot, P.boot_seed)))
    return tuple(out)


# --------------------------------------------------------------------------------------
# II.B2a, II.B2b: training data growing with N


@dataclass(frozen=True)
class ScaledResult:
    """One network of the amendments II.B2a/II.B2b: block-sum overlap of its layer, test RMSE and the exact Bayes
    estimator's RMSE on the same test samples (NaN unless a Bayes task)."""

    task: str
    N: int
    mode: str
    seed: int
    n_train: int
    overlap: float
    test_rmse: float
    bayes_test_rmse: float


@cache
def scaled_results(P: ReadingB) -> tuple[ScaledResult, ...]:
    """Linear tasks at ``many_Ns`` trained on ``n_train_per_site * N`` samples (``many_seeds``), and random frozen
    layers with heads trained on the same data for ``bayes_tasks``. A size whose sample count equals ``n_train``
    takes the networks of :func:`trained_networks` (the same runs); the others train in one batched call for the
    trained networks and one for the controls."""
    tasks = [t for t in P.tasks if _linear(t)]
    out = []
    for N in P.many_Ns:
        n = P.n_train_per_site * N
        runs = [(t, "trained", s) for t in tasks for s in P.many_seeds]
        controls = [(t, "random", s) for t in tasks if t in P.bayes_tasks for s in P.many_seeds]
        if n == P.n_train:
            nets = trained_networks(P, False)  # the cache key of network_results(P): the same networks, trained once
            regs = [nets[t, N, m, s] for t, m, s in runs + controls]
        else:
            kw = dict(M=P.M, n_train=n, steps=P.steps, batch_size=P.batch_size)
            regs = list(features.train_parameter_regressors(runs, N, **kw))
            regs += list(features.train_parameter_regressors(controls, N, **kw)) if controls else []
        for reg in regs:
            bayes = float("nan")
            if reg.task in P.bayes_tasks:
                _, _, x_test, eta_test = features.regression_data(reg.task, N, n, reg.seed)
                est = features.bayes_posterior_mean(reg.task, N, x_test.sum(axis=1))
                bayes = float(np.sqrt(np.mean((est - eta_test) ** 2)))
            out.append(
                ScaledResult(reg.task, N, reg.mode, reg.seed, n, features.block_sum_overlap(reg), reg.test_rmse, bayes)
            )
    return tuple(out)


def scaled_intervals(P: ReadingB, quantity: str) -> dict[tuple[str, int, str], Interval]:
    """Seed intervals per ``(task, N, mode)`` of ``"overlap"`` or ``"bayes"`` (test RMSE / Bayes RMSE)."""
    groups: dict[tuple[str, int, str], list[float]] = {}
    if quantity not in ("overlap", "bayes"):
        raise ValueError(f"quantity must be 'overlap' or 'bayes', got {quantity!r}")
    for r in scaled_results(P):
        if quantity == "overlap" and r.mode != "trained":
            continue  # the frozen layers' overlap does not depend on training: untrained_layers
        v = r.overlap if quantity == "overlap" else r.test_rmse / r.bayes_test_rmse
        if np.isfinite(v):
            groups.setdefault((r.task, r.N, r.mode), []).append(v)
    return {k: seed_interval(v, P.n_boot, P.boot_seed) for k, v in groups.items()}


def scaled_table(P: ReadingB):
    """Amendments II.B2a/II.B2b: per task and size, the training-set size, the trained layers' overlap and the
    ratios to the Bayes estimator (seed intervals)."""
    ov, by = scaled_intervals(P, "overlap"), scaled_intervals(P, "bayes")
    rows = []
    for task in P.tasks:
        if not _linear(task):
            continue
        for N in P.many_Ns:
            rows.append(
                {
                    "task": task,
                    "N": N,
                    "training samples": P.n_train_per_site * N,
                    "trained overlap": ov[task, N, "trained"].text(".4f"),
                    "trained / Bayes": by[task, N, "trained"].text(".4f") if (task, N, "trained") in by else "",
                    "random layer / Bayes": by[task, N, "random"].text(".3f") if (task, N, "random") in by else "",
                }
            )
    return pd.DataFrame(rows)


def exact_rates_table(P: ReadingB):
    """:func:`exact_two_point_rates` as a display table (mean and 95 % seed interval of p)."""
    names = {"trained": "trained", "random": "random (frozen)", "selection": "selection = decimation"}
    return pd.DataFrame(
        [
            {
                "task": r.task,
                "layer": names[r.mode],
                "route": r.route,
                "sizes": f"{r.N1} -> {r.N2}",
                "seeds": r.interval.n,
                "p (95% interval)": r.interval.text(".3f"),
            }
            for r in exact_two_point_rates(P)
        ]
    )
