r"""Reading B of the chapter *Paper II's theorem: the feature layer and the RG fixed point* (``book/feature_layers``).

Regressors inferring a natural parameter from ``N`` data, their feature units against the
block-sum rate, the block sum's share of the layer's span and the Bayes estimator: the protocol
part :class:`ReadingB`, the runs, tables and the figure. The claims live in
:mod:`rgbook.chapters.feature_layers`, which re-exports every name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from .. import features
from ..stats import Interval, seed_interval


@dataclass(frozen=True)
class ReadingB:
    """Reading B: input sizes ``Ns``, ``M`` feature units, seeds of the trained networks, sizes
    ``control_Ns`` of the head-trained controls (seed 0), Adam ``steps`` on minibatches of ``batch_size`` of
    ``n_train`` samples; feature cumulants from ``n_eval`` samples at each task's evaluation parameter
    (seed from ``eval_seed``). At the sizes ``many_Ns`` the linear tasks train ``many_seeds`` (the
    claims' seeds, with ``n_boot`` bootstrap resamples, seed ``boot_seed``), and the ``bayes_tasks``
    also train the heads of random frozen layers of those seeds. The amendments II.B2a and II.B2b retrain the
    linear tasks at ``many_Ns`` on ``n_train_per_site`` times ``N`` samples (the rest as above)."""

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
    n_train_per_site: int = 512

    @property
    def scaled_n_train_text(self) -> str:
        """The training-set sizes of the amendments II.B2a and II.B2b, ``"8192 at N = 16 and 32768 at N = 64"``."""
        return " and ".join(f"{self.n_train_per_site * N} at N = {N}" for N in self.many_Ns)

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


#: Feature modes of Reading B, and their display names.
MODE_NAMES = {
    "trained": "trained",
    "random": "random (frozen)",
    "selection": "selection = decimation",
    "block_sum": "block sum = RG",
}


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
                    (t, m, 0)
                    for t in tasks
                    for m in ("random", "selection", "block_sum")
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
    keys = sorted(
        nets, key=lambda k: (k[2] != "trained", P.tasks.index(k[0]), k[1], list(features.MODES).index(k[2]), k[3])
    )
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

    seeds = sorted(
        {r.seed for r in _select(results, task=task, mode=mode, N=N1)}
        & {r.seed for r in _select(results, task=task, mode=mode, N=N2)}
    )
    p = np.array(
        [
            np.log(
                y(_select(results, task=task, mode=mode, N=N2, seed=s)[0])
                / y(_select(results, task=task, mode=mode, N=N1, seed=s)[0])
            )
            / np.log(N2 / N1)
            for s in seeds
        ]
    )
    return TwoPointRate(
        task, mode, "exact (weights)" if exact else "samples", N1, N2, p, seed_interval(p, P.n_boot, P.boot_seed)
    )


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
                    "trained test RMSE (mean)": float(
                        np.mean([r.test_rmse for r in _select(res, task=task, N=N, mode="trained")])
                    ),
                    "trained / Bayes (same test set)": iv[task, N, "trained"].text(".3f"),
                    "random layer / Bayes": iv[task, N, "random"].text(".3f"),
                    "block sum / Bayes (seed 0)": (
                        block[0].test_rmse / block[0].bayes_test_rmse if block else float("nan")
                    ),
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
