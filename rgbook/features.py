r"""Feature layers of FC networks on exponential-family data (Paper II's network side).

Two settings, one per reading of Paper II's claim (see the book's chapter *Reading the papers*):

* **Reading A (reconstruction).** A linear autoencoder :math:`x \mapsto DWx`,
  :math:`W\in\mathbb R^{m\times N}`, trained on the exact expected loss
  :math:`L(W, D) = \E\|x - DWx\|^2 = \operatorname{tr}\big[(I - DW)\,C\,(I - DW)^T\big]`,
  which depends on the data only through its covariance :math:`C`. Its minimum over
  :math:`(W, D)` is the Eckart–Young value (the sum of the :math:`N - m` smallest eigenvalues
  of :math:`C`), reached when the rows of :math:`W` span the top principal subspace (PCA): for
  a translation-invariant chain, the longest-wavelength Fourier modes. The loss is invariant
  under :math:`W \to AW`, :math:`D \to DA^{-1}`, so a feature layer is only defined up to
  this gauge; :func:`receptive_field_features` fixes it (our choice, stated in the book).
* **Reading B (sufficient statistics).** Networks trained to infer a natural parameter
  :math:`\eta` from ``N`` data; the feature layer is the first linear layer :math:`u = Wx + c`
  (or, for even-polynomial data whose sufficient statistics are even, a linear layer on a
  ``tanh`` hidden layer). Its units' standardized cumulants are measured against ``N``.

Every trainer runs :func:`rgbook.training.fit` (float64, explicit :class:`torch.Generator`
seeds; a non-finite loss raises :class:`rgbook.training.TrainingDivergedError`), and trains
many models in one call: the restarts of a linear autoencoder, and any set of regressors that
share an input size and an architecture (seeds, modes, tasks), with one optimizer over
stacked parameter tensors. Each model keeps its own data, the initialization and the
minibatches it would get alone. The linear autoencoders compute each restart's loss with the
2-d products of a separate run, so batched restarts reproduce separate runs exactly (their
loss is flat along the gauge, where thousands of Adam steps amplify rounding). The regressors
run as batched (3-d) products, which round differently from a separate run's 2-d products:
a batched regressor equals its separate run up to rounding, not bit for bit (the tests bound
the difference); the batched program is the protocol and is itself bit-for-bit reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from scipy.linalg import subspace_angles

from . import expfam
from ._numeric import logsumexp
from ._protocol import binned_parameter
from ._validate import as_covariance, as_generator, as_int, as_real
from .training import DTYPE, Minibatches, fit

__all__ = [
    "optimal_linear_loss",
    "eckart_young_loss",
    "LinearAutoencoder",
    "train_linear_autoencoder",
    "selection_matrix",
    "receptive_field_features",
    "largest_principal_angle",
    "TASKS",
    "MODES",
    "Task",
    "task_data",
    "sample_task",
    "regression_data",
    "bin_midpoints",
    "BAYES_FAMILIES",
    "sum_likelihood",
    "bayes_posterior_mean",
    "bayes_risk",
    "ParameterRegressor",
    "train_parameter_regressor",
    "train_parameter_regressors",
    "control_regressor",
    "feature_values",
    "standardized_cumulants",
    "exact_feature_kurtosis_ratio",
    "exact_feature_cumulants",
    "block_sum_overlap",
    "span_unit_weights",
]

#: Feature layers of Reading B: trained, and the frozen controls.
MODES = ("trained", "random", "selection", "block_sum")


def _check_W(W, N: int) -> np.ndarray:
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[1] != N or not 1 <= W.shape[0] < N:
        raise ValueError(f"W must have shape (m, {N}) with 1 <= m < {N}, got {W.shape}")
    if not np.all(np.isfinite(W)) or np.linalg.matrix_rank(W) < W.shape[0]:
        raise ValueError("W must be finite with full row rank")
    return W


# --------------------------------------------------------------------------------------
# Reading A: linear autoencoders


def optimal_linear_loss(C, W) -> float:
    r"""Reconstruction loss of encoder ``W`` with its optimal linear decoder (independent closed form).

    :math:`D^* = CW^T(WCW^T)^{-1}` (the regression of :math:`x` on :math:`Wx`), giving
    :math:`L = \operatorname{tr}C - \operatorname{tr}\big[CW^T(WCW^T)^{-1}WC\big]`.
    """
    C = as_covariance("C", C)
    W = _check_W(W, C.shape[0])
    CW = C @ W.T
    return float(np.trace(C) - np.trace(CW @ np.linalg.solve(W @ CW, CW.T)))


def eckart_young_loss(C, m: int) -> float:
    """Minimum of the linear reconstruction loss with ``m`` features: the ``N - m`` smallest eigenvalues of ``C``."""
    C = as_covariance("C", C)
    m = as_int("m", m, minimum=1, maximum=C.shape[0] - 1)
    return float(np.sort(np.linalg.eigvalsh(C))[: C.shape[0] - m].sum())


@dataclass(frozen=True)
class LinearAutoencoder:
    """A trained linear autoencoder: encoder ``W`` (m, N), decoder ``D`` (N, m), final exact ``loss``, ``seed``."""

    W: np.ndarray
    D: np.ndarray
    loss: float
    seed: int


def train_linear_autoencoder(
    C, m: int, *, restarts: int = 4, steps: int = 3000, lr: float = 0.01, seed: int = 0, progress: bool = False
) -> list[LinearAutoencoder]:
    r"""Train :math:`x\mapsto DWx` on the exact loss :math:`\operatorname{tr}[(I-DW)C(I-DW)^T]` by Adam.

    Restart ``r`` draws :math:`W, D^T \sim \mathcal N(0, 1/N)` from
    ``torch.Generator().manual_seed(seed + r)``; all restarts train together in one
    :func:`rgbook.training.fit` call. Every restart is returned (sorted by loss), so that the
    spread of the optimum is visible.
    """
    C = as_covariance("C", C)
    N = C.shape[0]
    m = as_int("m", m, minimum=1, maximum=N - 1)
    restarts = as_int("restarts", restarts, minimum=1)
    steps = as_int("steps", steps, minimum=1)
    lr = as_real("lr", lr, minimum=0.0, strict_minimum=True)
    seed = as_int("seed", seed, minimum=0)
    Ct = torch.as_tensor(C)
    eye = torch.eye(N, dtype=DTYPE)
    Ws, Ds = [], []
    for r in range(restarts):
        gen = torch.Generator().manual_seed(seed + r)
        Ws.append(torch.randn((m, N), generator=gen, dtype=DTYPE) / np.sqrt(N))
        Ds.append(torch.randn((N, m), generator=gen, dtype=DTYPE) / np.sqrt(N))
    params = {"W": torch.stack(Ws), "D": torch.stack(Ds)}

    def loss(p):
        # model by model with 2-d products: the arithmetic of a single run, so restarts do not
        # drift apart from their separate runs through rounding (the loss is flat along the gauge)
        losses = []
        for r in range(restarts):
            R = eye - p["D"][r] @ p["W"][r]
            losses.append(torch.trace(R @ Ct @ R.T))
        return torch.stack(losses)

    log = fit(
        params, loss, steps=steps, lr=lr, record_every=steps, progress=progress, desc="linear autoencoder restarts"
    )
    out = [
        LinearAutoencoder(
            W=params["W"][r].numpy().copy(), D=params["D"][r].numpy().copy(), loss=float(log.final[r]), seed=seed + r
        )
        for r in range(restarts)
    ]
    return sorted(out, key=lambda a: a.loss)


def selection_matrix(N: int, b: int, offset: int = 0) -> np.ndarray:
    """Decimation encoder: row ``j`` picks site ``offset + b j`` (``N`` divisible by ``b``)."""
    N = as_int("N", N, minimum=2)
    b = as_int("b", b, minimum=2)
    if N % b:
        raise ValueError(f"N must be divisible by b, got N={N}, b={b}")
    offset = as_int("offset", offset, minimum=0, maximum=b - 1)
    S = np.zeros((N // b, N))
    S[np.arange(N // b), offset + b * np.arange(N // b)] = 1.0
    return S


def receptive_field_features(W, b: int, offset: int = 0) -> np.ndarray:
    r"""Gauge-fixed feature map of an encoder: feature ``j`` is :math:`e_{bj}^T\Pi_W`.

    :math:`\Pi_W` is the orthogonal projector onto the row space of ``W`` (what the features
    can express; the loss does not see the gauge). Feature ``j`` is the part of site
    ``offset + b j`` that the learned subspace keeps, so the features are in the receptive-field
    order of decimation and equal decimation exactly when the subspace contains the kept sites.
    **This gauge is ours.** Returns the ``(N/b, N)`` matrix :math:`F = S\,\Pi_W`.
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2:
        raise ValueError(f"W must be 2-d, got shape {W.shape}")
    W = _check_W(W, W.shape[1])
    Q, _ = np.linalg.qr(W.T)
    return selection_matrix(W.shape[1], b, offset) @ (Q @ Q.T)


def largest_principal_angle(W1, W2) -> float:
    """Largest principal angle (radians) between the row spaces of ``W1`` and ``W2`` (0: same subspace)."""

    return float(np.max(subspace_angles(np.asarray(W1, float).T, np.asarray(W2, float).T)))


# --------------------------------------------------------------------------------------
# Reading B: inferring natural parameters


@dataclass(frozen=True)
class Task:
    r"""Inference task: data of family ``family`` with natural parameter ``eta`` where component
    ``infer`` is drawn uniformly from ``eta_range`` and the others are fixed; ``K`` couples
    neighbours (chain data) or is 0 (i.i.d.); ``hidden`` > 0 puts a tanh layer before the feature layer."""

    name: str
    family: str
    eta: tuple
    infer: int
    eta_range: tuple
    K: float = 0.0
    hidden: int = 0
    eta_eval: float = 0.0

    def fam(self) -> expfam.Family:
        return expfam.family(self.family)

    def natural(self, value: float) -> np.ndarray:
        eta = np.array(self.eta, dtype=np.float64)
        eta[self.infer] = value
        return eta


#: The tasks of Reading B (natural parameter inferred; the rest fixed).
TASKS = {
    "gaussian": Task("gaussian", "gaussian", (0.0, -0.5), 0, (-1.0, 1.0), eta_eval=0.0),
    "poisson": Task("poisson", "poisson", (0.0,), 0, (np.log(0.5), np.log(3.0)), eta_eval=0.0),
    "bernoulli": Task("bernoulli", "bernoulli", (0.0,), 0, (-2.0, 2.0), eta_eval=-1.0),
    "gamma": Task("gamma", "gamma", (1.0, -1.0), 1, (-2.0, -0.5), eta_eval=-1.0),
    "even_poly": Task("even_poly", "even_poly", (-0.5, -0.1), 1, (-0.6, -0.05), hidden=16, eta_eval=-0.2),
    "bernoulli_chain": Task("bernoulli_chain", "bernoulli", (0.0,), 0, (-2.0, 1.0), K=0.5, eta_eval=-1.0),
}


def sample_task(task: Task, N: int, eta: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    fam = task.fam()
    if task.K != 0.0:
        return expfam.sample_chain(fam, eta, task.K, N, n, rng=rng)
    return fam.sample(eta, (n, N), rng=rng)


def task_data(task: Task, N: int, n: int, rng, n_bins: int = 32) -> tuple[np.ndarray, np.ndarray]:
    r"""``n`` samples of ``N`` data each, the inferred parameter on ``n_bins`` equal bins of the range.

    Bin indices are drawn uniformly; each bin's samples share its midpoint value (exact
    samplers take one parameter at a time). Returns ``(x, eta_inferred)`` of shapes ``(n, N)``, ``(n,)``.
    """
    if not isinstance(task, Task):
        raise TypeError(f"task must be an rgbook.features.Task, got {type(task).__name__}")
    N = as_int("N", N, minimum=1, maximum=4096)
    n = as_int("n", n, minimum=1)
    rng = as_generator("rng", rng)
    bins, mids = binned_parameter(*task.eta_range, n, rng, n_bins)
    x = np.empty((n, N))
    for i in range(n_bins):
        idx = np.flatnonzero(bins == i)
        if idx.size:
            x[idx] = sample_task(task, N, task.natural(mids[i]), idx.size, rng)
    return x, mids[bins]


def regression_data(task: Task | str, N: int, n_train: int, seed: int) -> tuple[np.ndarray, ...]:
    r"""The training and test sets of the regressor with seed ``seed``: ``(x, eta, x_test, eta_test)``.

    ``n_train`` training and ``n_train // 4`` test samples (:func:`task_data`, in this order) from
    ``numpy.random.default_rng(seed)``: exactly the data :func:`train_parameter_regressors` gives
    run ``(task, mode, seed)``, so a regressor's test set can be rebuilt after training.
    """
    task = _as_task(task)
    N = as_int("N", N, minimum=1, maximum=4096)
    n_train = as_int("n_train", n_train, minimum=16)
    rng = np.random.default_rng(as_int("seed", seed, minimum=0))
    x, eta = task_data(task, N, n_train, rng)
    return (x, eta, *task_data(task, N, n_train // 4, rng))


def bin_midpoints(task: Task | str, n_bins: int = 32) -> np.ndarray:
    """The ``n_bins`` values the inferred parameter takes in :func:`task_data`: midpoints of equal bins of the range."""
    task = _as_task(task)
    n_bins = as_int("n_bins", n_bins, minimum=1)
    edges = np.linspace(*task.eta_range, n_bins + 1)
    return 0.5 * (edges[1:] + edges[:-1])


#: Families whose i.i.d. tasks have a discrete sufficient sum with a closed-form law (exact Bayes risk).
BAYES_FAMILIES = ("poisson", "bernoulli")


def _bayes_task(task) -> Task:
    task = _as_task(task)
    if task.family not in BAYES_FAMILIES or task.K != 0.0 or task.hidden:
        raise ValueError(
            f"the exact Bayes estimator needs an i.i.d. task of family {BAYES_FAMILIES} without a "
            f"hidden layer, got {task.name!r} (family {task.family!r}, K={task.K}, hidden={task.hidden})"
        )
    if task.infer != 0 or len(task.eta) != 1:
        raise ValueError(f"task {task.name!r} must infer its only natural parameter")
    return task


def sum_likelihood(task: Task | str, N: int, n_bins: int = 32) -> tuple[np.ndarray, np.ndarray]:
    r"""Law of the sufficient sum :math:`S = \sum_i x_i` of ``N`` i.i.d. data at each grid value of the parameter.

    Poisson: :math:`S \sim \mathrm{Poisson}(N e^{\eta})`; Bernoulli on {0, 1}:
    :math:`S \sim \mathrm{Binomial}(N, 1/(1 + e^{-\eta}))`. Returns ``(s, P)`` with ``s`` the values
    :math:`0..S_{max}` and ``P[k, s]`` the probability of ``s`` at the ``k``-th bin midpoint
    (:func:`bin_midpoints`); for Poisson, :math:`S_{max} = \lceil\mu + 15\sqrt\mu\rceil + 30` at the
    largest rate :math:`\mu`, and every row is checked to sum to 1 within :math:`10^{-12}`.
    """
    from scipy.stats import binom, poisson

    task = _bayes_task(task)
    N = as_int("N", N, minimum=1, maximum=4096)
    eta = bin_midpoints(task, n_bins)
    if task.family == "poisson":
        rate = N * np.exp(eta)
        s = np.arange(int(np.ceil(rate.max() + 15 * np.sqrt(rate.max()))) + 31)
        P = poisson.pmf(s[None, :], rate[:, None])
        if not np.allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-12):  # pragma: no cover (a bug, not an input)
            raise RuntimeError("the Poisson law of the sum is truncated too early")
    else:
        s = np.arange(N + 1)
        P = binom.pmf(s[None, :], N, 1.0 / (1.0 + np.exp(-eta))[:, None])
    return s, P


def bayes_posterior_mean(task: Task | str, N: int, s, n_bins: int = 32) -> np.ndarray:
    r"""Posterior mean of the inferred parameter given the sum ``s`` of ``N`` data, under the task's prior.

    The prior of :func:`task_data` is uniform over the ``n_bins`` bin midpoints, so the posterior
    weight of midpoint :math:`\eta_k` is proportional to :math:`P(S = s \mid \eta_k)`. The sum is
    sufficient, so this is the Bayes (minimum mean-square error) estimator from the whole data.
    """
    from scipy.stats import binom, poisson

    task = _bayes_task(task)
    N = as_int("N", N, minimum=1, maximum=4096)
    s = np.asarray(s, dtype=np.float64)
    if np.any(s < 0) or np.any(s != np.round(s)):
        raise ValueError("s must hold non-negative integer sums")
    eta = bin_midpoints(task, n_bins)
    if task.family == "poisson":
        logp = poisson.logpmf(s[..., None], N * np.exp(eta))
    else:
        if np.any(s > N):
            raise ValueError(f"Bernoulli sums must lie in 0..{N}")
        logp = binom.logpmf(s[..., None], N, 1.0 / (1.0 + np.exp(-eta)))
    w = np.exp(logp - logsumexp(logp, axis=-1, keepdims=True))
    return w @ eta


def bayes_risk(task: Task | str, N: int, n_bins: int = 32) -> float:
    r"""Exact Bayes risk: mean-square error of :func:`bayes_posterior_mean` under the task's prior and data law.

    :math:`\frac1K\sum_k\sum_s P(s\mid\eta_k)\,(\eta_k - m(s))^2` by exact summation over the law of the
    sufficient sum (:func:`sum_likelihood`); no network can have a smaller expected squared error.
    """
    s, P = sum_likelihood(task, N, n_bins)
    eta = bin_midpoints(task, n_bins)
    m = bayes_posterior_mean(task, N, s, n_bins)
    return float(np.sum(P * (eta[:, None] - m[None, :]) ** 2) / n_bins)


@dataclass(frozen=True)
class ParameterRegressor:
    r"""Feature layer and head of a natural-parameter regressor.

    ``params`` holds float64 arrays: ``V, v`` (hidden tanh layer, if any), ``W, c`` (feature
    layer :math:`u = W h + c`, ``h`` the input or the hidden layer), ``A, a, B, e`` (head
    :math:`\hat\eta = B\cdot\tanh(Au + a) + e`). ``mode`` is ``trained``, ``random`` or
    ``selection`` or ``block_sum`` (the controls train the head only).
    """

    task: str
    N: int
    mode: str
    params: dict = field(repr=False)
    test_rmse: float
    seed: int


def _head_t(p: dict, u: torch.Tensor) -> torch.Tensor:
    r"""Head :math:`B\cdot\tanh(Au + a) + e` on samples ``u`` of shape ``(n, M)``, or ``(R, n, M)`` with
    parameters carrying a leading model axis; returns ``(n,)`` or ``(R, n)``."""
    hidden = torch.tanh(u @ p["A"].mT + p["a"].unsqueeze(-2))
    return (hidden @ p["B"].unsqueeze(-1)).squeeze(-1) + p["e"].unsqueeze(-1)


def _feature_init(task: Task, N: int, M: int, mode: str, gen: torch.Generator) -> dict[str, torch.Tensor]:
    """Feature-layer parameters: random N(0, 1/fan_in) or, for ``selection``, unit ``j`` reads site (or hidden unit)
    ``j``.
    """
    p = {}
    width = N
    if task.hidden:
        p["V"] = torch.randn((task.hidden, N), generator=gen, dtype=DTYPE) / np.sqrt(N)
        p["v"] = 0.1 * torch.randn(task.hidden, generator=gen, dtype=DTYPE)
        width = task.hidden
        if mode == "selection":  # hidden unit j reads site j only
            p["V"] = torch.zeros((task.hidden, N), dtype=DTYPE)
            p["V"][np.arange(task.hidden), np.arange(task.hidden) % N] = 1.0
    p["W"] = torch.randn((M, width), generator=gen, dtype=DTYPE) / np.sqrt(width)
    p["c"] = torch.zeros(M, dtype=DTYPE)
    if mode == "selection":
        p["W"] = torch.zeros((M, width), dtype=DTYPE)
        p["W"][np.arange(M), np.arange(M) % width] = 1.0
    if mode == "block_sum":  # every unit is the block sum of all N data (linear layers only)
        p["W"] = torch.full((M, width), 1.0 / width, dtype=DTYPE)
    return p


def _as_task(task) -> Task:
    task = TASKS[task] if isinstance(task, str) and task in TASKS else task
    if not isinstance(task, Task):
        raise ValueError(f"task must be one of {sorted(TASKS)} or a Task, got {task!r}")
    return task


def _features_t(p: dict, x: torch.Tensor) -> torch.Tensor:
    """Feature units on data ``x`` of shape ``(n, N)``, or ``(R, n, N)`` with a leading model axis."""
    h = torch.tanh(x @ p["V"].mT + p["v"].unsqueeze(-2)) if "V" in p else x
    return h @ p["W"].mT + p["c"].unsqueeze(-2)


def train_parameter_regressors(
    runs,
    N: int,
    *,
    M: int = 4,
    hidden_head: int = 16,
    n_train: int = 8192,
    steps: int = 1500,
    lr: float = 0.01,
    batch_size: int = 1024,
    progress: bool = False,
) -> tuple[ParameterRegressor, ...]:
    r"""Train many natural-parameter regressors on ``N`` data in one batched :func:`rgbook.training.fit` call.

    ``runs`` is a sequence of ``(task, mode, seed)``; the tasks must share the architecture
    (all with the same ``hidden`` width). Run ``(task, mode, seed)`` gets what
    :func:`train_parameter_regressor` gives it alone, up to the rounding of batched products:
    its own data (``n_train`` training and
    ``n_train // 4`` test samples from ``numpy.random.default_rng(seed)``) and its own initial
    weights (from ``torch.Generator().manual_seed(seed)``); minibatches of ``batch_size`` are
    contiguous windows of its data (drawn i.i.d., in random order) visited in an order shared by
    all runs (:class:`rgbook.training.Minibatches`; ``batch_size >= n_train`` trains on the full
    batch). The frozen feature layers of the
    controls receive zero gradients, so Adam leaves them exactly in place. Returns the
    regressors in the order of ``runs``.
    """
    N = as_int("N", N, minimum=2, maximum=4096)
    M = as_int("M", M, minimum=1, maximum=64)
    hidden_head = as_int("hidden_head", hidden_head, minimum=1)
    n_train = as_int("n_train", n_train, minimum=16)
    steps = as_int("steps", steps, minimum=1)
    lr = as_real("lr", lr, minimum=0.0, strict_minimum=True)
    batch_size = as_int("batch_size", batch_size, minimum=1)
    runs = [(_as_task(t), mode, as_int("seed", seed, minimum=0)) for t, mode, seed in runs]
    if not runs:
        raise ValueError("runs must name at least one (task, mode, seed)")
    for task, mode, _ in runs:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        if mode == "block_sum" and task.hidden:
            raise ValueError(
                f"mode 'block_sum' needs a linear feature layer on the data; task {task.name!r} has a hidden layer"
            )
        if mode == "selection" and M > N:
            raise ValueError(f"selection needs M <= N, got M={M}, N={N}")
    if len({task.hidden for task, _, _ in runs}) > 1:
        raise ValueError("runs of one batch must share the architecture (the same task.hidden)")
    data = {}
    for task, _, seed in runs:  # one draw per (task, seed), as a separate run would make
        if (task.name, seed) not in data:
            data[task.name, seed] = regression_data(task, N, n_train, seed)
    models, xs, etas, scales = [], [], [], []
    for task, mode, seed in runs:
        x, eta, _, _ = data[task.name, seed]
        mu, sd = x.mean(), x.std()
        gen = torch.Generator().manual_seed(seed)
        feat = _feature_init(task, N, M, mode, gen)
        head = {
            "A": torch.randn((hidden_head, M), generator=gen, dtype=DTYPE) / np.sqrt(M),
            "a": 0.1 * torch.randn(hidden_head, generator=gen, dtype=DTYPE),
            "B": torch.randn(hidden_head, generator=gen, dtype=DTYPE) / np.sqrt(hidden_head),
            "e": torch.tensor(float(eta.mean()), dtype=DTYPE),
        }
        models.append({**feat, **head})
        xs.append(torch.as_tensor((x - mu) / sd))
        etas.append(torch.as_tensor(eta))
        scales.append((mu, sd))
    params = {k: torch.stack([p[k] for p in models]) for k in models[0]}
    feature_names = [k for k in ("V", "v", "W", "c") if k in params]
    trained = torch.tensor([mode == "trained" for _, mode, _ in runs])
    x_all, eta_all = torch.stack(xs), torch.stack(etas)  # (R, n_train, N), (R, n_train)
    batches = Minibatches(n_train, batch_size)

    def features_of(p):
        """Feature-layer parameters; a control's are cut from the graph (zero gradient, so Adam leaves them)."""
        mask = {k: trained.reshape(-1, *[1] * (p[k].ndim - 1)) for k in feature_names}
        return {k: (torch.where(mask[k], v, v.detach()) if k in mask else v) for k, v in p.items()}

    # All models step together through batched products (one program for the whole batch).
    if not bool(trained.any()):
        # controls only: the frozen features are computed once (the numbers every step would give)
        with torch.no_grad():
            u_frozen = _features_t(params, x_all)
        trainable = ("A", "a", "B", "e")

        def loss(p):
            u, eta = batches.take(u_frozen, eta_all)
            return ((_head_t(p, u) - eta) ** 2).mean(dim=-1)
    else:
        trainable = None

        def loss(p):
            x, eta = batches.take(x_all, eta_all)
            q = features_of(p)
            return ((_head_t(q, _features_t(q, x)) - eta) ** 2).mean(dim=-1)

    fit(
        params,
        loss,
        steps=steps,
        lr=lr,
        trainable=trainable,
        record_every=steps,
        progress=progress,
        desc=f"{len(runs)} parameter regressors, N={N}",
        minibatches=batches,
    )
    out = []
    for r, ((task, mode, seed), (mu, sd)) in enumerate(zip(runs, scales)):
        arrays = {k: v[r].numpy().copy() for k, v in params.items()}
        first = "V" if "V" in arrays else "W"  # fold the standardization into the first layer
        bias = "v" if first == "V" else "c"
        arrays[bias] = arrays[bias] - arrays[first].sum(axis=1) * mu / sd
        arrays[first] = arrays[first] / sd
        reg = ParameterRegressor(task=task.name, N=N, mode=mode, params=arrays, test_rmse=0.0, seed=seed)
        _, _, x_test, eta_test = data[task.name, seed]
        pred = _head_t({k: torch.as_tensor(v) for k, v in arrays.items()}, torch.as_tensor(feature_values(reg, x_test)))
        rmse = float(np.sqrt(np.mean((pred.numpy() - eta_test) ** 2)))
        out.append(ParameterRegressor(task=task.name, N=N, mode=mode, params=arrays, test_rmse=rmse, seed=seed))
    return tuple(out)


def train_parameter_regressor(
    task: Task | str,
    N: int,
    *,
    mode: str = "trained",
    M: int = 4,
    hidden_head: int = 16,
    n_train: int = 8192,
    steps: int = 1500,
    lr: float = 0.01,
    batch_size: int = 1024,
    seed: int = 0,
) -> ParameterRegressor:
    r"""Train an FC network to infer the natural parameter of ``task`` from ``N`` data.

    Loss :math:`\E(\hat\eta - \eta)^2` on ``n_train`` exact samples, Adam on minibatches of
    ``batch_size`` (full batch if ``batch_size >= n_train``). Inputs
    are standardized by the training set's mean and standard deviation folded into the first
    layer, so the returned weights act on raw data. ``mode='trained'`` trains everything;
    ``'random'``, ``'selection'`` and ``'block_sum'`` freeze the feature layer (random Gaussian
    weights; unit ``j`` reading site ``j``, i.e. decimation; every unit the sum of all ``N``
    data, i.e. the block-sum RG iterate) and train the head only: the controls. One run of
    :func:`train_parameter_regressors`.
    """
    return train_parameter_regressors(
        [(task, mode, seed)],
        N,
        M=M,
        hidden_head=hidden_head,
        n_train=n_train,
        steps=steps,
        lr=lr,
        batch_size=batch_size,
    )[0]


def control_regressor(task: Task | str, N: int, mode: str, *, M: int = 4, seed: int = 0) -> ParameterRegressor:
    """Feature layer of a control (``random`` or ``selection``) without training its head (``test_rmse`` NaN)."""
    task = _as_task(task)
    if mode not in MODES[1:]:
        raise ValueError(f"mode must be one of {MODES[1:]}, got {mode!r}")
    feat = _feature_init(
        task,
        as_int("N", N, minimum=2),
        as_int("M", M, minimum=1),
        mode,
        torch.Generator().manual_seed(as_int("seed", seed, minimum=0)),
    )
    return ParameterRegressor(
        task=task.name,
        N=N,
        mode=mode,
        params={k: v.numpy().copy() for k, v in feat.items()},
        test_rmse=float("nan"),
        seed=seed,
    )


def feature_values(reg: ParameterRegressor, x) -> np.ndarray:
    """Feature-unit values :math:`u` (pre-activations of the feature layer) for data ``x`` of shape ``(n, N)``."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != reg.N:
        raise ValueError(f"x must have shape (n, {reg.N}), got {x.shape}")
    p = reg.params
    h = np.tanh(x @ p["V"].T + p["v"]) if "V" in p else x
    return h @ p["W"].T + p["c"]


def standardized_cumulants(u, n_batches: int = 20) -> tuple[np.ndarray, np.ndarray]:
    r"""Standardized :math:`\kappa_3/\kappa_2^{3/2}` and :math:`\kappa_4/\kappa_2^2` of each column of ``u``
    (k-statistics of the whole sample) and their standard errors from ``n_batches`` batches.
    Returns arrays of shape ``(2, units)``: values, standard errors."""
    u = np.asarray(u, dtype=np.float64)
    if u.ndim != 2 or u.shape[0] < 8 * n_batches:
        raise ValueError(f"u must be (n, units) with n >= {8 * n_batches}, got {u.shape}")

    def std_cum(v):
        k = expfam.sample_cumulants(v.T)  # (units, 4)
        return np.stack([k[:, 2] / k[:, 1] ** 1.5, k[:, 3] / k[:, 1] ** 2])

    whole = std_cum(u)
    batches = np.array([std_cum(b) for b in np.array_split(u, n_batches)])
    return whole, batches.std(axis=0, ddof=1) / np.sqrt(n_batches)


def block_sum_overlap(reg: ParameterRegressor) -> float:
    r"""Gauge-invariant share of the block sum in a linear feature layer: :math:`\|\Pi_W\mathbf 1\|^2/N`.

    :math:`\Pi_W` projects onto the row space of :math:`W`; the value is 1 when some linear
    combination of the units is the sum of all ``N`` data (the sufficient statistic of the
    i.i.d. tasks and the block-sum RG iterate), and :math:`M/N` on average for random weights.
    """
    if "V" in reg.params:
        raise ValueError(
            "the block-sum overlap needs a linear feature layer on the data (this network has a hidden layer)"
        )
    Q, _ = np.linalg.qr(reg.params["W"].T)
    return float(np.sum((Q.T @ np.ones(reg.N)) ** 2) / reg.N)


def exact_feature_kurtosis_ratio(reg: ParameterRegressor) -> np.ndarray:
    r"""For a linear feature layer on i.i.d. data: :math:`\kappa_4^{std}(u_j)/\kappa_4^{std}(x) =
    \sum_i W_{ji}^4/(\sum_i W_{ji}^2)^2` exactly (cumulants add over independent terms).
    By Cauchy–Schwarz it is at least :math:`1/N`, with equality iff the :math:`|W_{ji}|` are all equal: the
    block sum of all ``N`` data, or any sign pattern :math:`\pm w` of it (:math:`N\rho = 1` does not single
    out the block sum). Raises for hidden-layer networks."""
    if "V" in reg.params:
        raise ValueError("exact cumulants need a linear feature layer on the data (this network has a hidden layer)")
    W = reg.params["W"]
    return (W**4).sum(axis=1) / (W**2).sum(axis=1) ** 2


def exact_feature_cumulants(reg: ParameterRegressor, eta=None) -> np.ndarray:
    r"""Exact :math:`\kappa_1..\kappa_4` of each unit of a linear feature layer on its task's data at natural
    parameter ``eta`` (default: the task's evaluation parameter ``eta_eval``), shape ``(units, 4)``.

    Discrete families (Bernoulli, Poisson), i.i.d. or on the open chain of coupling ``task.K``:
    :func:`rgbook.expfam.chain_linear_cumulants` (the transfer matrix; for i.i.d. data the cumulants add
    over sites). The bias ``c`` enters :math:`\kappa_1` only. Raises for hidden-layer networks and for
    continuous families.
    """
    if "V" in reg.params:
        raise ValueError("exact cumulants need a linear feature layer on the data (this network has a hidden layer)")
    task = _as_task(reg.task)
    if task.family not in BAYES_FAMILIES:
        raise ValueError(f"exact chain cumulants need a discrete family {BAYES_FAMILIES}, got {task.family!r}")
    eta = task.natural(task.eta_eval) if eta is None else eta
    kappa = expfam.chain_linear_cumulants(task.fam(), eta, task.K, reg.params["W"])
    kappa[:, 0] += reg.params["c"]
    return kappa


def span_unit_weights(reg: ParameterRegressor) -> np.ndarray:
    r"""Weights of the unit along the block sum *inside* the span of a linear feature layer: :math:`\Pi_W\mathbf 1`.

    The head :math:`\tanh(Au + a)` absorbs any invertible map of the units, so a network whose
    layer has this unit among its rows computes the same function; its
    :math:`N\sum w^4/(\sum w^2)^2` shows what the per-unit quantity is in that basis.
    """
    if "V" in reg.params:
        raise ValueError(
            "the block-sum direction needs a linear feature layer on the data (this network has a hidden layer)"
        )
    Q, _ = np.linalg.qr(reg.params["W"].T)
    return Q @ (Q.T @ np.ones(reg.N))
