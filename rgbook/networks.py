r"""Fully connected layers of stochastic binary units as RG kernels, and their training.

A layer maps input spins :math:`s\in\{\pm1\}^N` to output spins :math:`y\in\{\pm1\}^m` with

.. math::

    T_\theta(y\mid s) = \prod_{j=1}^m \frac{e^{y_j a_j}}{2\cosh a_j}
                      = \prod_{j=1}^m \sigma(2 y_j a_j), \qquad a = W s + c,

(:math:`\sigma` the logistic function), a normalized kernel, :math:`\sum_y T_\theta(y|s)=1`.
The output distribution :math:`P'(y) = \sum_s P(s)\,T_\theta(y\mid s)` is Kadanoff's RG
transformation with a parameter-defined kernel (science brief §3): with
:math:`e^{-H'(y)} = \sum_s e^{-H(s)} T_\theta(y|s)` the output partition function equals the
input one. Decimation is the limit :math:`W = \beta\,\times` (selection matrix),
:math:`\beta\to\infty`; deterministic sign units :math:`y = \operatorname{sign}(a)` are the
limit :math:`\|W\|\to\infty`.

Everything here is *exact*: distributions are enumerated (input size :math:`N\le 16`,
output size :math:`m\le 12`), expectations are sums, not samples. Training uses PyTorch in
float64 with explicit :class:`torch.Generator` seeds, so a fixed seed gives the same
network bit for bit on the same machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from ._validate import as_int, as_real, as_spin_distribution
from .couplings import canonical_layer
from .ising import all_configurations

__all__ = [
    "MAX_INPUT_SITES",
    "MAX_OUTPUT_UNITS",
    "Autoencoder",
    "TrainingDivergedError",
    "log_kernel",
    "output_distribution",
    "sign_layer",
    "decimation_weights",
    "random_weights",
    "conditional_entropy_loss",
    "decimation_reference_loss",
    "reconstruction_loss",
    "train_autoencoder",
    "StackLevel",
    "stack_layers",
    "CouplingRegressor",
    "train_coupling_regressor",
    "feature_distribution_from_samples",
]

#: Largest input chain that exact evaluation accepts (2^16 configurations).
MAX_INPUT_SITES = 16
#: Largest number of output units that exact evaluation accepts (2^12 output configurations).
MAX_OUTPUT_UNITS = 12
_DTYPE = torch.float64


class TrainingDivergedError(FloatingPointError):
    """Raised when a loss or a parameter becomes NaN or infinite during training."""


# --------------------------------------------------------------------------------------
# checks


def _check_distribution(configs, probs, max_sites: int = MAX_INPUT_SITES) -> tuple[np.ndarray, np.ndarray]:
    return as_spin_distribution(configs, probs, min_sites=1, max_sites=max_sites)


def _check_layer(W, c, N: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    W = np.asarray(W, dtype=np.float64)
    c = np.asarray(c, dtype=np.float64)
    if W.ndim != 2:
        raise ValueError(f"W must be a 2-d array (m, N), got shape {W.shape}")
    if c.shape != (W.shape[0],):
        raise ValueError(f"c must have shape ({W.shape[0]},) to match W, got {c.shape}")
    if N is not None and W.shape[1] != N:
        raise ValueError(f"W must have {N} columns (one per input site), got {W.shape[1]}")
    if W.shape[0] > MAX_OUTPUT_UNITS:
        raise ValueError(f"W must have at most {MAX_OUTPUT_UNITS} rows (output units), got {W.shape[0]}")
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(c))):
        raise ValueError("W and c must be finite")
    return W, c


# --------------------------------------------------------------------------------------
# the kernel


def _log_kernel_t(W: torch.Tensor, c: torch.Tensor, s: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r""":math:`\ln T(y|s) = \sum_j \ln\sigma(2 y_j a_j)` as an (n_s, n_y) tensor (differentiable)."""
    a = s @ W.T + c
    lp, lm = torch.nn.functional.logsigmoid(2 * a), torch.nn.functional.logsigmoid(-2 * a)
    return lp @ ((1 + y) / 2).T + lm @ ((1 - y) / 2).T


def log_kernel(W, c, inputs, outputs=None) -> np.ndarray:
    r"""Exact log kernel :math:`\ln T_\theta(y\mid s)` of a stochastic binary layer.

    Parameters
    ----------
    W : array_like, shape (m, N)
        Weights; ``c`` : array_like, shape (m,), biases.
    inputs : array_like, shape (n_s, N)
        Input configurations (±1).
    outputs : array_like, shape (n_y, m), optional
        Output configurations; default all :math:`2^m` of them
        (:func:`rgbook.ising.all_configurations` order).

    Returns
    -------
    numpy.ndarray, shape (n_s, n_y)
        :math:`\ln T(y|s)`; each row satisfies :math:`\sum_y T = 1` when ``outputs`` lists all
        configurations.
    """
    W, c = _check_layer(W, c)
    s = np.asarray(inputs, dtype=np.float64)
    if s.ndim != 2 or s.shape[1] != W.shape[1]:
        raise ValueError(f"inputs must have shape (n, {W.shape[1]}), got {s.shape}")
    y = all_configurations(W.shape[0]) if outputs is None else np.asarray(outputs)
    if y.ndim != 2 or y.shape[1] != W.shape[0]:
        raise ValueError(f"outputs must have shape (n, {W.shape[0]}), got {y.shape}")
    t = lambda x: torch.as_tensor(np.asarray(x, dtype=np.float64))  # noqa: E731
    with torch.no_grad():
        return _log_kernel_t(t(W), t(c), t(s), t(y)).numpy()


def output_distribution(W, c, configs, probs) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact output distribution :math:`P'(y) = \sum_s P(s)\,T_\theta(y\mid s)`.

    Returns all :math:`2^m` output configurations (int8, MSB first) and their probabilities.
    """
    s, p = _check_distribution(configs, probs)
    W, c = _check_layer(W, c, s.shape[1])
    y = all_configurations(W.shape[0])
    T = np.exp(log_kernel(W, c, s, y))
    q = p @ T
    return y, q / q.sum()


def sign_layer(W, c, inputs) -> np.ndarray:
    r"""Deterministic limit of the layer, :math:`y = \operatorname{sign}(W s + c)`.

    Ties (:math:`a_j = 0`) map to :math:`+1`.
    """
    W, c = _check_layer(W, c)
    s = np.asarray(inputs, dtype=np.float64)
    if s.ndim != 2 or s.shape[1] != W.shape[1]:
        raise ValueError(f"inputs must have shape (n, {W.shape[1]}), got {s.shape}")
    return np.where(s @ W.T + c >= 0, 1, -1).astype(np.int8)


def decimation_weights(N: int, b: int, beta: float, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""The canonical decimation kernel as a layer: :math:`W_{jk} = \beta\,\delta_{k,\,bj+\text{offset}}`, :math:`c=0`.

    Output unit :math:`j` copies input spin :math:`bj+\text{offset}` with probability
    :math:`\sigma(2\beta)`; :math:`\beta\to\infty` is exact decimation.
    """
    N = as_int("N", N, minimum=2)
    b = as_int("b", b, minimum=2, maximum=N)
    offset = as_int("offset", offset, minimum=0, maximum=b - 1)
    beta = as_real("beta", beta, minimum=0.0)
    if N % b:
        raise ValueError(f"N must be a multiple of b, got N={N}, b={b}")
    m = N // b
    W = np.zeros((m, N))
    W[np.arange(m), b * np.arange(m) + offset] = beta
    return W, np.zeros(m)


def _init_params(shapes: dict[str, tuple[int, ...]], scales: dict[str, float], gen: torch.Generator) -> dict[str, torch.Tensor]:
    return {k: (torch.randn(shape, generator=gen, dtype=_DTYPE) * scales[k]).requires_grad_(True) for k, shape in shapes.items()}


def random_weights(m: int, N: int, *, seed: int, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Random layer :math:`W_{jk}\sim\mathcal N(0, \text{scale}^2/N)`, :math:`c=0` (the untrained control)."""
    m = as_int("m", m, minimum=1, maximum=MAX_OUTPUT_UNITS)
    N = as_int("N", N, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    scale = as_real("scale", scale, minimum=0.0)
    gen = torch.Generator().manual_seed(seed)
    W = torch.randn((m, N), generator=gen, dtype=_DTYPE) * scale / np.sqrt(N)
    return W.numpy(), np.zeros(m)


# --------------------------------------------------------------------------------------
# reconstruction (reading A)


def _h(p: np.ndarray) -> np.ndarray:
    """Binary entropy in nats, with 0 ln 0 = 0."""
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -(np.where(p > 0, p * np.log(p), 0.0) + np.where(p < 1, (1 - p) * np.log1p(-p), 0.0))
    return out


def conditional_entropy_loss(W, c, configs, probs) -> float:
    r"""Loss per spin of the encoder ``(W, c)`` with the *best possible* factorized decoder.

    Any factorized decoder :math:`\prod_i P(s_i|y)` has expected loss
    :math:`\mathbb E[-\ln P(s|y)] \ge \sum_i H(s_i\mid y)`, with equality for the true
    conditionals. Returns :math:`\frac1N\sum_i H(s_i\mid y)` in nats, computed by enumeration.
    """
    s, p = _check_distribution(configs, probs)
    W, c = _check_layer(W, c, s.shape[1])
    joint = p[:, None] * np.exp(log_kernel(W, c, s))  # P(s, y)
    py = joint.sum(axis=0)
    p_up = (joint.T @ (s > 0)) / np.where(py > 0, py, 1.0)[:, None]  # P(s_i = +1 | y)
    return float((py @ _h(p_up)).sum() / s.shape[1])


def decimation_reference_loss(N: int, K: float) -> float:
    r"""Closed-form loss per spin of b = 2 decimation of an open zero-field chain, optimal decoder.

    Keeping spins :math:`0, 2, \dots, N-2` reconstructs them exactly; the :math:`N/2-1` dropped
    spins between two kept ones have conditional entropy
    :math:`H_{\rm mid} = (p^2+q^2)\,h_b\!\big(\tfrac{p^2}{p^2+q^2}\big) + 2pq\ln 2` and the last
    spin, with one kept neighbour, :math:`h_b(p)`, where :math:`p = e^K/(2\cosh K)`,
    :math:`q = 1-p` (science brief §3). Returns
    :math:`\big(h_b(p) + (N/2-1) H_{\rm mid}\big)/N` in nats.
    """
    N = as_int("N", N, minimum=2)
    K = as_real("K", K)
    if N % 2:
        raise ValueError(f"N must be even for b = 2 decimation, got {N}")
    p = float(np.exp(K) / (2 * np.cosh(K)))
    q = 1 - p
    H_mid = (p**2 + q**2) * _h(p**2 / (p**2 + q**2)) + 2 * p * q * np.log(2)
    return float((_h(p) + (N // 2 - 1) * H_mid) / N)


def _reconstruction_loss_t(params: dict[str, torch.Tensor], s: torch.Tensor, logp: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r"""Exact :math:`\frac1N\mathbb E_{s,y}[-\ln P(s|y)]` for a linear-logit factorized decoder."""
    logT = _log_kernel_t(params["W"], params["c"], s, y)
    joint = torch.exp(logT + logp[:, None])  # P(s, y), (n_s, n_y)
    up = joint.T @ ((1 + s) / 2)  # P(s_i = +1, y), (n_y, N)
    down = joint.sum(0)[:, None] - up
    z = y @ params["V"].T + params["d"]  # decoder logits, P(s_i|y) = sigma(2 s_i z_i)
    loss = -(up * torch.nn.functional.logsigmoid(2 * z) + down * torch.nn.functional.logsigmoid(-2 * z)).sum()
    return loss / s.shape[1]


@dataclass(frozen=True)
class Autoencoder:
    r"""A trained encoder :math:`(W, c)` (stochastic binary, :math:`N\to m`) and factorized
    decoder :math:`P(s_i=\pm1|y) = \sigma(\pm 2 z_i)`, :math:`z = V y + d`.

    ``loss`` is the exact loss per spin (nats) at the end of training; ``history`` the loss
    every 50 steps; ``seed`` the restart's :class:`torch.Generator` seed.
    """

    W: np.ndarray
    c: np.ndarray
    V: np.ndarray
    d: np.ndarray
    loss: float
    seed: int
    history: np.ndarray = field(repr=False)


def reconstruction_loss(model: Autoencoder, configs, probs) -> float:
    """Exact reconstruction loss per spin (nats) of a model on an enumerated distribution."""
    s, p = _check_distribution(configs, probs)
    W, c = _check_layer(model.W, model.c, s.shape[1])
    params = {k: torch.as_tensor(np.asarray(getattr(model, k), dtype=np.float64)) for k in "WcVd"}
    y = torch.as_tensor(all_configurations(W.shape[0]).astype(np.float64))
    with torch.no_grad(), np.errstate(divide="ignore"):
        logp = torch.as_tensor(np.log(p))
        return float(_reconstruction_loss_t(params, torch.as_tensor(s), logp, y))


def _progress(iterable, progress: bool, desc: str):
    if not progress:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, leave=False)


def _check_finite(name: str, value: torch.Tensor, restart: int, step: int) -> None:
    if not bool(torch.isfinite(value).all()):
        raise TrainingDivergedError(
            f"training diverged: {name} is not finite at step {step} of restart {restart}; "
            "lower lr or check the input distribution"
        )


def train_autoencoder(configs, probs, m: int, *, restarts: int = 8, steps: int = 1500, lr: float = 0.05,
                      seed: int = 0, init_scale: float = 1.0, progress: bool = True) -> list[Autoencoder]:
    r"""Train the autoencoder ``N -> m -> N`` on the exact loss from ``restarts`` random inits.

    Restart ``r`` draws its initial parameters from ``torch.Generator().manual_seed(seed + r)``
    (:math:`W\sim\mathcal N(0,\text{init\_scale}^2/N)`, :math:`V\sim\mathcal N(0, 1/m)`,
    biases :math:`\mathcal N(0, 0.01)`) and runs ``steps`` Adam steps of rate ``lr`` on
    :math:`\frac1N\mathbb E_{s\sim P}\,\mathbb E_{y\sim T(\cdot|s)}[-\ln P(s|y)]`, computed
    exactly by enumeration (no sampling noise).

    Returns
    -------
    list of Autoencoder
        One per restart, in restart order (not sorted), so that every restart's loss is kept.

    Raises
    ------
    TrainingDivergedError
        If the loss or a gradient becomes NaN or infinite.
    """
    s_np, p_np = _check_distribution(configs, probs)
    N = s_np.shape[1]
    m = as_int("m", m, minimum=1, maximum=min(N, MAX_OUTPUT_UNITS))
    restarts = as_int("restarts", restarts, minimum=1)
    steps = as_int("steps", steps, minimum=1)
    lr = as_real("lr", lr, minimum=0.0, strict_minimum=True)
    seed = as_int("seed", seed, minimum=0)
    init_scale = as_real("init_scale", init_scale, minimum=0.0)
    s = torch.as_tensor(s_np)
    with np.errstate(divide="ignore"):
        logp = torch.as_tensor(np.log(p_np))
    y = torch.as_tensor(all_configurations(m).astype(np.float64))
    shapes = {"W": (m, N), "c": (m,), "V": (N, m), "d": (N,)}
    scales = {"W": init_scale / np.sqrt(N), "c": 0.1, "V": 1 / np.sqrt(m), "d": 0.1}
    models = []
    for r in _progress(range(restarts), progress, f"restarts N={N}->m={m}"):
        params = _init_params(shapes, scales, torch.Generator().manual_seed(seed + r))
        opt = torch.optim.Adam(params.values(), lr=lr)
        history = []
        for step in range(steps):
            opt.zero_grad()
            loss = _reconstruction_loss_t(params, s, logp, y)
            _check_finite("loss", loss, r, step)
            loss.backward()
            for k, v in params.items():
                _check_finite(f"gradient of {k}", v.grad, r, step)
            opt.step()
            if step % 50 == 0:
                history.append(float(loss.detach()))
        with torch.no_grad():
            final = float(_reconstruction_loss_t(params, s, logp, y))
        arrays = {k: v.detach().numpy().copy() for k, v in params.items()}
        models.append(Autoencoder(**arrays, loss=final, seed=seed + r, history=np.array(history)))
    return models


@dataclass(frozen=True)
class StackLevel:
    """One level of a stack: the distribution of the level's spins, and the layer that produced it."""

    configs: np.ndarray
    probs: np.ndarray
    W: np.ndarray | None
    c: np.ndarray | None
    loss: float | None


def stack_layers(configs, probs, depth: int, *, b: int = 2, mode: str = "trained", beta: float = 8.0,
                 seed: int = 0, progress: bool = True, **train_kwargs) -> list[StackLevel]:
    r"""Greedy stack of ``depth`` layers, each ``n -> n/b``, on exact distributions.

    ``mode="trained"``: each layer is the best restart of :func:`train_autoencoder` on the
    previous level's exact output distribution (``train_kwargs`` are passed on, seed
    ``seed + 1000 * level``). ``mode="decimation"``: :func:`decimation_weights` with ``beta``.
    ``mode="random"``: :func:`random_weights` (seed ``seed + level``), the untrained control.
    Each layer's units are oriented and put in receptive-field order
    (:func:`rgbook.couplings.canonical_layer`) so that every level is again a spatial chain.

    Returns ``depth + 1`` levels; level 0 is the input.
    """
    s, p = _check_distribution(configs, probs)
    depth = as_int("depth", depth, minimum=1)
    b = as_int("b", b, minimum=2)
    if mode not in ("trained", "decimation", "random"):
        raise ValueError(f"mode must be 'trained', 'decimation' or 'random', got {mode!r}")
    if s.shape[1] % b**depth:
        raise ValueError(f"N={s.shape[1]} must be divisible by b**depth={b**depth}")
    levels = [StackLevel(s.astype(np.int8), p, None, None, None)]
    for level in range(depth):
        cur = levels[-1]
        n = cur.configs.shape[1]
        loss = None
        if mode == "trained":
            models = train_autoencoder(cur.configs, cur.probs, n // b, seed=seed + 1000 * level, progress=progress, **train_kwargs)
            best = min(models, key=lambda mdl: mdl.loss)
            W, c, loss = best.W, best.c, best.loss
        elif mode == "decimation":
            W, c = decimation_weights(n, b, beta)
        else:
            W, c = random_weights(n // b, n, seed=seed + level)
        W, c = canonical_layer(W, c)  # outputs in receptive-field order, so the next level is a chain again
        y, q = output_distribution(W, c, cur.configs, cur.probs)
        levels.append(StackLevel(y, q, W, c, loss))
    return levels


# --------------------------------------------------------------------------------------
# inference of the coupling (reading B)


@dataclass(frozen=True)
class CouplingRegressor:
    r"""Feature layer :math:`(W, c)` of ``M`` stochastic binary units on ``N`` input spins, and a
    head mapping the mean features :math:`\tanh(Ws+c)` to an estimate of :math:`K`.

    ``test_rmse`` is the root-mean-square error of :math:`\hat K` on fresh samples.
    """

    W: np.ndarray
    c: np.ndarray
    head: dict = field(repr=False)
    test_rmse: float
    seed: int


def _regressor_forward(params: dict[str, torch.Tensor], s: torch.Tensor) -> torch.Tensor:
    f = torch.tanh(s @ params["W"].T + params["c"])  # E[y | s]
    hidden = torch.tanh(f @ params["A"].T + params["a"])
    return hidden @ params["B"] + params["e"]


def _regression_data(N: int, K_range: tuple[float, float], n: int, rng: np.random.Generator):
    from ._protocol import binned_parameter
    from .ising import sample_chain

    bins, mids = binned_parameter(*K_range, n, rng)
    s = np.empty((n, N), dtype=np.float64)
    for i, K in enumerate(mids):  # exact samples at the bin's K (the sampler takes one K at a time)
        idx = np.flatnonzero(bins == i)
        if idx.size:
            s[idx] = sample_chain(idx.size, N, K, rng=rng)
    return torch.as_tensor(s), torch.as_tensor(mids[bins])


def train_coupling_regressor(N: int, M: int = 4, *, K_range: tuple[float, float] = (0.1, 1.5), n_train: int = 8192,
                             hidden: int = 16, steps: int = 2000, lr: float = 0.02, seed: int = 0,
                             init_scale: float = 1.0) -> CouplingRegressor:
    r"""Train an FC network to infer :math:`K` from zero-field open-chain configurations.

    Architecture: feature layer :math:`f = \tanh(Ws + c)` (the mean of ``M`` stochastic binary
    units), then a ``hidden``-unit tanh layer and a linear output :math:`\hat K`; loss
    :math:`\mathbb E(\hat K - K)^2` over exact samples with :math:`K` uniform on 32 bins of
    ``K_range``, full batch, Adam. Data and initialization are seeded from ``seed``.
    """
    N = as_int("N", N, minimum=2)
    M = as_int("M", M, minimum=1, maximum=MAX_OUTPUT_UNITS)
    n_train = as_int("n_train", n_train, minimum=16)
    hidden = as_int("hidden", hidden, minimum=1)
    steps = as_int("steps", steps, minimum=1)
    lr = as_real("lr", lr, minimum=0.0, strict_minimum=True)
    seed = as_int("seed", seed, minimum=0)
    lo = as_real("K_range[0]", K_range[0], minimum=0.0)
    hi = as_real("K_range[1]", K_range[1], minimum=lo, strict_minimum=True)
    rng = np.random.default_rng(seed)
    s, K = _regression_data(N, (lo, hi), n_train, rng)
    s_test, K_test = _regression_data(N, (lo, hi), n_train // 4, rng)
    shapes = {"W": (M, N), "c": (M,), "A": (hidden, M), "a": (hidden,), "B": (hidden,), "e": ()}
    scales = {"W": init_scale / np.sqrt(N), "c": 0.1, "A": 1.0, "a": 0.1, "B": 1 / np.sqrt(hidden), "e": 0.1}
    params = _init_params(shapes, scales, torch.Generator().manual_seed(seed))
    opt = torch.optim.Adam(params.values(), lr=lr)
    for step in range(steps):
        opt.zero_grad()
        loss = ((_regressor_forward(params, s) - K) ** 2).mean()
        _check_finite("loss", loss, 0, step)
        loss.backward()
        opt.step()
    with torch.no_grad():
        rmse = float(((_regressor_forward(params, s_test) - K_test) ** 2).mean().sqrt())
    arrays = {k: v.detach().numpy().copy() for k, v in params.items()}
    head = {k: arrays[k] for k in ("A", "a", "B", "e")}
    return CouplingRegressor(W=arrays["W"], c=arrays["c"], head=head, test_rmse=rmse, seed=seed)


def feature_distribution_from_samples(W, c, samples, n_batches: int = 20) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Rao-Blackwellized estimate of the feature distribution :math:`P'(y)` from input samples.

    :math:`\hat P'(y) = \frac1n\sum_{t} T_\theta(y\mid s^{(t)})` (the kernel is summed exactly
    over :math:`y`, only :math:`s` is sampled). Also returns the estimate of each of
    ``n_batches`` contiguous batches, for confidence intervals.

    Returns
    -------
    outputs, probs, batch_probs : numpy.ndarray
        :math:`2^m` configurations, the pooled estimate, and a ``(n_batches, 2^m)`` array.
    """
    W, c = _check_layer(W, c)
    s = np.asarray(samples, dtype=np.float64)
    n_batches = as_int("n_batches", n_batches, minimum=2)
    if s.ndim != 2 or s.shape[1] != W.shape[1] or s.shape[0] < n_batches:
        raise ValueError(f"samples must have shape (n >= {n_batches}, {W.shape[1]}), got {s.shape}")
    y = all_configurations(W.shape[0])
    T = np.exp(log_kernel(W, c, s, y))
    batches = np.array([chunk.mean(axis=0) for chunk in np.array_split(T, n_batches)])
    return y, T.mean(axis=0), batches
