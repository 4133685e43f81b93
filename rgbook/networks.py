r"""Fully connected layers of stochastic binary units as RG kernels, and their training.

A layer maps input spins :math:`s\in\{\pm1\}^N` to output spins :math:`y\in\{\pm1\}^m` with

.. math::

    T_\theta(y\mid s) = \prod_{j=1}^m \frac{e^{y_j a_j}}{2\cosh a_j}
                      = \prod_{j=1}^m \sigma(2 y_j a_j), \qquad a = W s + c,

(:math:`\sigma` the logistic function), a normalized kernel, :math:`\sum_y T_\theta(y|s)=1`.
The output distribution :math:`P'(y) = \sum_s P(s)\,T_\theta(y\mid s)` is Kadanoff's RG
transformation (Kadanoff 1966) with a parameter-defined kernel: with
:math:`e^{-H'(y)} = \sum_s e^{-H(s)} T_\theta(y|s)` the output partition function equals the
input one. Decimation is the limit :math:`W = \beta\,\times` (selection matrix),
:math:`\beta\to\infty`; deterministic sign units :math:`y = \operatorname{sign}(a)` are the
limit :math:`\|W\|\to\infty`.

Everything here is *exact*: distributions are enumerated (input size :math:`N\le 16`,
output size :math:`m\le 12`), expectations are sums, not samples. Training uses PyTorch in
float64 with explicit :class:`torch.Generator` seeds, so a fixed seed gives the same
network bit for bit on the same machine. Every trainer runs on :func:`rgbook.training.fit`:
the restarts of a training (and trainings on several input distributions of one shape) are
one batched tensor program, each model's initial parameters drawn from its own generator
exactly as a serial run would draw them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from scipy.special import expit

from ._protocol import binned_parameter
from ._validate import as_int, as_real, as_real_array, as_samples, as_spin_distribution
from .couplings import canonical_layer, project_chain
from .ising import all_configurations, sample_chain
from .training import DTYPE, Minibatches, fit, init_normal

__all__ = [
    "MAX_INPUT_SITES",
    "MAX_OUTPUT_UNITS",
    "Autoencoder",
    "log_kernel",
    "output_distribution",
    "layer_coupling",
    "sign_layer",
    "decimation_weights",
    "random_weights",
    "binary_entropy",
    "conditional_entropy_loss",
    "layer_information",
    "channel_information_t",
    "decimation_reference_loss",
    "reconstruction_loss",
    "train_autoencoder",
    "train_autoencoders",
    "StackLevel",
    "stack_layers",
    "stack_layers_batch",
    "CouplingRegressor",
    "RegressorCheckpoint",
    "train_coupling_regressor",
    "train_coupling_regressors",
    "feature_distribution_from_samples",
    "ReconstructionGap",
    "reconstruction_gap",
    "reconstruction_gradient_norms",
    "continue_autoencoders",
    "TANH_AE_PARAMS",
    "init_tanh_autoencoders",
    "tanh_encode",
    "tanh_reconstruction_loss",
    "TanhAutoencoderRun",
    "train_tanh_autoencoders",
    "plateau_change",
    "pca_loss",
]

#: Largest input chain that exact evaluation accepts (2^16 configurations).
MAX_INPUT_SITES = 16
#: Largest number of output units that exact evaluation accepts (2^12 output configurations).
MAX_OUTPUT_UNITS = 12


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
    r""":math:`\ln T(y|s) = \sum_j \ln\sigma(2 y_j a_j)` as an (..., n_s, n_y) tensor (differentiable).

    ``W`` (..., m, N) and ``c`` (..., m) may carry leading batch axes (one per model); ``s``
    is (n_s, N) and ``y`` (n_y, m).
    """
    a = s @ W.transpose(-1, -2) + c[..., None, :]
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


def layer_coupling(W, c, configs, probs) -> tuple[float, float, float]:
    r"""Output coupling ``(K', h', KL residual)`` of a layer on an enumerated input distribution.

    The units are first oriented and put in receptive-field order
    (:func:`rgbook.couplings.canonical_layer`), then the exact output distribution
    (:func:`output_distribution`) is projected onto the open nearest-neighbour chain
    (:func:`rgbook.couplings.project_chain`).
    """
    W, c = canonical_layer(W, c)
    y, q = output_distribution(W, c, configs, probs)
    return project_chain(y, q)


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


def _init_batch(shapes: dict[str, tuple[int, ...]], scales: dict[str, float], seeds) -> dict[str, torch.Tensor]:
    """Initial parameters of len(seeds) models, stacked on a leading batch axis.

    Model ``r`` draws its tensors, in the order of ``shapes``, from
    ``torch.Generator().manual_seed(seeds[r])``: the same draws as a serial run of that model.
    """
    per_model = []
    for seed in seeds:
        gen = torch.Generator().manual_seed(int(seed))
        per_model.append({k: torch.randn(shape, generator=gen, dtype=DTYPE) * scales[k] for k, shape in shapes.items()})
    return {k: torch.stack([p[k] for p in per_model]) for k in shapes}


def random_weights(m: int, N: int, *, seed: int, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Random layer :math:`W_{jk}\sim\mathcal N(0, \text{scale}^2/N)`, :math:`c=0` (the untrained control)."""
    m = as_int("m", m, minimum=1, maximum=MAX_OUTPUT_UNITS)
    N = as_int("N", N, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    scale = as_real("scale", scale, minimum=0.0)
    gen = torch.Generator().manual_seed(seed)
    W = torch.randn((m, N), generator=gen, dtype=DTYPE) * scale / np.sqrt(N)
    return W.numpy(), np.zeros(m)


# --------------------------------------------------------------------------------------
# reconstruction (reading A)


def binary_entropy(p: np.ndarray) -> np.ndarray:
    """Binary entropy in nats, with 0 ln 0 = 0."""
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -(np.where(p > 0, p * np.log(p), 0.0) + np.where(p < 1, (1 - p) * np.log1p(-p), 0.0))
    return out


_h = binary_entropy


def layer_information(W, c, configs, probs) -> float:
    r"""Exact :math:`I(s; y) = H(y) - H(y\mid s)` in nats of a stochastic binary layer on an enumerated law."""
    y, q = output_distribution(W, c, configs, probs)
    a = np.asarray(configs, dtype=np.float64) @ np.asarray(W).T + np.asarray(c)
    h_cond = float(np.asarray(probs) @ _h(expit(2 * a)).sum(axis=1))
    nz = q > 0
    return float(-np.sum(q[nz] * np.log(q[nz])) - h_cond)


def channel_information_t(q: torch.Tensor, joint: torch.Tensor) -> torch.Tensor:
    """Differentiable :func:`rgbook.information.channel_information` for a batch (a training loss):
    ``q`` (R, n_v), ``joint`` (R, n_v, n_e) -> (R,)."""
    ph = torch.stack([torch.einsum("rv,rve->re", q, joint), torch.einsum("rv,rve->re", 1 - q, joint)], dim=1)
    pe = joint.sum(dim=1, keepdim=True)
    hm = ph.sum(dim=2, keepdim=True)
    return (ph * (torch.log(ph.clamp_min(1e-300)) - torch.log(hm) - torch.log(pe))).sum(dim=(1, 2))


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
    :math:`q = 1-p`. Returns
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


def _unit_products(S: torch.Tensor) -> torch.Tensor:
    r""":math:`\prod_j \sigma(2 y_j a_j)` for every configuration ``y`` of ``k`` units.

    ``S`` has shape (R, k, 2, n_s) with ``S[:, j, 0] = sigma(-2 a_j)`` and
    ``S[:, j, 1] = sigma(2 a_j)``; returns (R, 2^k, n_s), ``y`` in
    :func:`rgbook.ising.all_configurations` order (first unit most significant).
    """
    R, k, _, n = S.shape
    T = torch.ones((R, 1, n), dtype=S.dtype)
    for j in range(k):
        T = (T[:, :, None, :] * S[:, j, None, :, :]).reshape(R, -1, n)
    return T


class _OutputMarginal(torch.autograd.Function):
    r"""Exact output marginal :math:`P'(y) = \sum_s P(s) T(y|s)` of R layers, and the unit means
    :math:`\mathbb E[y_j|s] = \tanh a_j(s)`, differentiable in the pre-activations.

    The units are split in two halves, :math:`T = T_1(y_1|s)\,T_2(y_2|s)`, so that
    :math:`P'(y_1, y_2) = \sum_s P(s) T_1 T_2` is one matrix product and no
    :math:`2^N\times 2^m` array is formed. With :math:`\partial_{a_j}\ln T = y_j - \tanh a_j`,
    the gradient :math:`\sum_y g(y)\,\partial P'(y)/\partial a_j(s) = P(s)\sum_y g(y) T(y|s)
    (y_j - \tanh a_j(s))` factorizes over the halves as well (two matrix products).
    """

    @staticmethod
    def forward(ctx, a: torch.Tensor, p: torch.Tensor, y1: torch.Tensor, y2: torch.Tensor):
        # a (R, m, n_s) pre-activations; p (R, n_s); y1 (n1, m1), y2 (n2, m2) configurations of the halves
        m1 = y1.shape[1]
        S = torch.stack((torch.sigmoid(-2 * a), torch.sigmoid(2 * a)), 2)  # (R, m, 2, n_s)
        t = S[:, :, 1] - S[:, :, 0]  # tanh a = sigma(2a) - sigma(-2a)
        T1, T2 = _unit_products(S[:, :m1]), _unit_products(S[:, m1:])
        ctx.save_for_backward(p, y1, y2, T1, T2, t)
        return ((T1 * p[:, None, :]) @ T2.transpose(-1, -2)).flatten(-2), t

    @staticmethod
    def backward(ctx, grad: torch.Tensor, grad_t: torch.Tensor):
        p, y1, y2, T1, T2, t = ctx.saved_tensors
        G = grad.reshape(grad.shape[0], y1.shape[0], y2.shape[0])  # (R, n1, n2)
        A1 = T1 * (G @ T2)  # sum_{y2} g T1 T2, per y1: (R, n1, n_s)
        A2 = T2 * (G.transpose(-1, -2) @ T1)  # per y2: (R, n2, n_s)
        total = A1.sum(-2, keepdim=True)  # sum_y g T, (R, 1, n_s)
        gy = torch.cat((y1.T @ A1, y2.T @ A2), -2)  # sum_y g T y_j, (R, m, n_s)
        return p[:, None, :] * (gy - t * total) + grad_t * (1 - t * t), None, None, None


@dataclass(frozen=True)
class _LossData:
    """Constant tensors of the exact reconstruction loss on D*R models' input distributions."""

    sT: torch.Tensor  # (N, n_s) input configurations, transposed
    p: torch.Tensor  # (R, n_s) each model's input distribution
    wp: torch.Tensor  # (R, N, n_s): p(s) (1 + s_i)
    pw: torch.Tensor  # (R, N): sum_s p(s) (1 + s_i)
    y: torch.Tensor  # (2^m, m) output configurations
    y1: torch.Tensor  # (2^(m//2), m//2) configurations of the first half of the units
    y2: torch.Tensor  # configurations of the second half

    @classmethod
    def of(cls, s: np.ndarray, p: np.ndarray, m: int) -> _LossData:
        s_t = torch.as_tensor(np.asarray(s, dtype=np.float64))
        p_t = torch.as_tensor(np.asarray(p, dtype=np.float64))
        w = 1 + s_t
        conf = lambda k: torch.as_tensor(all_configurations(k).astype(np.float64) if k else np.zeros((1, 0)))  # noqa: E731
        return cls(
            sT=s_t.T.contiguous(),
            p=p_t,
            wp=(w.T[None] * p_t[:, None, :]).contiguous(),
            pw=p_t @ w,
            y=conf(m),
            y1=conf(m // 2),
            y2=conf(m - m // 2),
        )


def _reconstruction_loss_t(params: dict[str, torch.Tensor], data: _LossData) -> torch.Tensor:
    r"""Exact :math:`\frac1N\mathbb E_{s\sim P}\mathbb E_{y\sim T(\cdot|s)}[-\ln P(s|y)]` of ``R`` models, shape (R,).

    With the decoder :math:`P(s_i|y) = \sigma(2 s_i z_i)`, :math:`z = Vy + d`, and
    :math:`\ln\sigma(x) - \ln\sigma(-x) = x`,

    .. math::

        -N L = \sum_y P'(y) \sum_i \ln\sigma(-2 z_i(y))
               + \sum_s P(s) \sum_i (1 + s_i)\,\big(V \tanh a(s) + d\big)_i,

    since :math:`\mathbb E[y\mid s] = \tanh a(s)`. Only the output marginal
    :math:`P'(y) = \sum_s P(s) T(y|s)` needs the sum over :math:`y`; it is computed as
    :math:`\sum_s P(s)\,T_1(y_1|s)\,T_2(y_2|s)` over the two halves of the units
    (:class:`_OutputMarginal`).
    """
    W, c, V, d = params["W"], params["c"], params["V"], params["d"]
    R, m, N = W.shape
    a = (W.reshape(R * m, N) @ data.sT).reshape(R, m, -1) + c[..., None]  # (R, m, n_s)
    q, t = _OutputMarginal.apply(a, data.p, data.y1, data.y2)  # P'(y) (R, 2^m) and tanh a (R, m, n_s)
    z = data.y @ V.transpose(-1, -2) + d[..., None, :]  # decoder logits, (R, 2^m, N)
    entropy_term = (q * torch.nn.functional.logsigmoid(-2 * z).sum(-1)).sum(-1)
    linear_term = (V * (data.wp @ t.transpose(-1, -2))).sum((-1, -2)) + (data.pw * d).sum(-1)
    return -(entropy_term + linear_term) / N


@dataclass(frozen=True)
class Autoencoder:
    r"""A trained encoder :math:`(W, c)` (stochastic binary, :math:`N\to m`) and factorized
    decoder :math:`P(s_i=\pm1|y) = \sigma(\pm 2 z_i)`, :math:`z = V y + d`.

    ``loss`` is the exact loss per spin (nats) at the end of training; ``history`` the loss
    every 50 steps (from the :class:`rgbook.training.TrainingLog` of the training); ``seed``
    the restart's :class:`torch.Generator` seed.
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
    params = {k: torch.as_tensor(np.asarray(getattr(model, k), dtype=np.float64))[None] for k in "WcVd"}
    with torch.no_grad():
        return float(_reconstruction_loss_t(params, _LossData.of(s, p[None], W.shape[0]))[0])


class _SampledStates:
    r"""The data of :func:`train_autoencoders` with ``batch``: per step, ``batch`` states drawn from the mixture
    :math:`\bar P = \frac1R\sum_k P_k` of the models' distributions, weighted per model by
    :math:`P_k(s)/\bar P(s)\times\text{count}(s)/\text{batch}` (an unbiased estimate of every model's
    exact loss and gradient, since the loss is linear in :math:`P_k`); ``advance(None)`` selects the
    exact distributions, evaluated in chunks of ``chunk`` models."""

    def __init__(self, s: np.ndarray, p: np.ndarray, m: int, batch: int, seed: int, chunk: int = 4) -> None:
        self.s, self.p, self.m, self.batch, self.chunk = s, p, m, batch, chunk
        self.mix = p.mean(axis=0)
        self.cdf = np.cumsum(self.mix)
        self.rng = np.random.default_rng([seed, 2])
        self.data: _LossData | None = None
        self.params: dict[str, torch.Tensor] = {}
        self.every, self.checkpoints = 0, 0
        self.history: list[np.ndarray] = []

    def advance(self, step: int | None) -> None:
        if step is None:
            self.data = None
            return
        if self.every and step % self.every == 0 and len(self.history) < self.checkpoints:
            self.data = None
            with torch.no_grad():
                self.history.append(self.loss(self.params).numpy().copy())
        idx = np.minimum(
            np.searchsorted(self.cdf, self.rng.random(self.batch) * self.cdf[-1], side="right"), self.mix.size - 1
        )
        u, counts = np.unique(idx, return_counts=True)
        self.data = _LossData.of(self.s[u], self.p[:, u] / self.mix[u] * (counts / self.batch), self.m)

    def loss(self, params: dict[str, torch.Tensor]) -> torch.Tensor:
        if self.data is not None:
            return _reconstruction_loss_t(params, self.data)
        R = self.p.shape[0]
        return torch.cat(
            [
                _reconstruction_loss_t(
                    {k: v[i : i + self.chunk] for k, v in params.items()},
                    _LossData.of(self.s, self.p[i : i + self.chunk], self.m),
                )
                for i in range(0, R, self.chunk)
            ]
        )


def _check_distributions(configs, probs) -> tuple[np.ndarray, np.ndarray]:
    """``(configs, probs)`` of ``D`` distributions on shared configurations, ``probs`` of shape (D, n_s)."""
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2 or probs.shape[0] < 1:
        raise ValueError(f"probs must have shape (D >= 1, n_configs): one distribution per row, got {probs.shape}")
    checked = [_check_distribution(configs, row) for row in probs]
    return checked[0][0], np.stack([p for _, p in checked])


def _autoencoders(params: dict[str, torch.Tensor], final: np.ndarray, seeds, history: np.ndarray) -> list[Autoencoder]:
    """One :class:`Autoencoder` per model of a batch: its parameters, final loss, seed and history column."""
    arrays = {k: v.detach().numpy() for k, v in params.items()}
    return [
        Autoencoder(
            **{k: arrays[k][i].copy() for k in "WcVd"},
            loss=float(final[i]),
            seed=seeds[i],
            history=history[:, i].copy(),
        )
        for i in range(len(seeds))
    ]


def train_autoencoders(
    configs,
    probs,
    m: int,
    *,
    restarts: int = 8,
    steps: int = 1500,
    lr: float = 0.05,
    seed: int = 0,
    init_scale: float = 1.0,
    batch: int | None = None,
    checkpoints: int = 4,
    progress: bool = True,
    desc: str | None = None,
) -> tuple[tuple[Autoencoder, ...], ...]:
    r"""Train the autoencoder ``N -> m -> N`` on ``D`` input distributions, ``restarts`` each, in one batch.

    Restart ``r`` (on every distribution) draws its initial parameters from
    ``torch.Generator().manual_seed(seed + r)`` (:math:`W\sim\mathcal N(0,\text{init\_scale}^2/N)`,
    :math:`V\sim\mathcal N(0, 1/m)`, biases :math:`\mathcal N(0, 0.01)`) and runs ``steps``
    Adam steps of rate ``lr`` on

    .. math:: L = \frac1N\,\mathbb E_{s\sim P_d}\,\mathbb E_{y\sim T(\cdot|s)}[-\ln P(s|y)].

    All ``D x restarts`` models are one :func:`rgbook.training.fit` call; since they share no
    parameter, each performs the steps of its own serial training.

    **Exact gradient** (``batch=None``): the loss is computed exactly by enumeration (no sampling
    noise); ``Autoencoder.history`` holds the loss every 50 steps.

    **Sampled gradient** (``batch`` an integer): each Adam step estimates every model's exact loss
    from ``batch`` states drawn (with replacement, shared by all models, from
    ``numpy.random.default_rng([seed, 2])``) from the mixture of the ``D`` distributions and
    reweighted to each model's own distribution (importance weights; the estimate is unbiased
    because the loss is linear in the input distribution). A step thus costs ``batch`` states
    instead of all :math:`2^N`, which makes ``N = 16`` trainable within seconds. Every
    ``steps / checkpoints`` steps the *exact* loss of every model is computed on its full
    distribution: ``Autoencoder.history`` holds these ``checkpoints`` values (steps
    ``0, steps/checkpoints, ...``) and ``Autoencoder.loss`` the exact loss after the last step, so
    a plateau can be read from exact numbers.

    Parameters
    ----------
    configs : array_like, shape (n_s, N)
        The input configurations (±1), shared by all distributions.
    probs : array_like, shape (D, n_s)
        ``D`` input distributions on ``configs`` (each sums to 1).
    batch, checkpoints : int, optional
        States per sampled step (``None``: the exact gradient) and the number of exact-loss
        checkpoints of a sampled training.

    Returns
    -------
    tuple of tuple of Autoencoder
        ``result[d][r]``: restart ``r`` on distribution ``d``, in restart order (not sorted),
        so that every restart's loss is kept.

    Raises
    ------
    rgbook.training.TrainingDivergedError
        If a loss, gradient or parameter becomes NaN or infinite (the message names the model).
    """
    s_np, p_np = _check_distributions(configs, probs)
    D, N = p_np.shape[0], s_np.shape[1]
    m = as_int("m", m, minimum=1, maximum=min(N, MAX_OUTPUT_UNITS))
    restarts = as_int("restarts", restarts, minimum=1)
    steps = as_int("steps", steps, minimum=1)
    lr = as_real("lr", lr, minimum=0.0, strict_minimum=True)
    seed = as_int("seed", seed, minimum=0)
    init_scale = as_real("init_scale", init_scale, minimum=0.0)
    p_models = np.repeat(p_np, restarts, axis=0)  # model k = d * restarts + r
    shapes = {"W": (m, N), "c": (m,), "V": (N, m), "d": (N,)}
    scales = {"W": init_scale / np.sqrt(N), "c": 0.1, "V": 1 / np.sqrt(m), "d": 0.1}
    seeds = [seed + r for _ in range(D) for r in range(restarts)]
    params = _init_batch(shapes, scales, seeds)
    label = desc or f"autoencoders N={N}->m={m} ({D * restarts} models{'' if batch is None else ', sampled'})"
    if batch is None:
        data = _LossData.of(s_np, p_models, m)
        log = fit(
            params,
            lambda prm: _reconstruction_loss_t(prm, data),
            steps=steps,
            lr=lr,
            record_every=50,
            progress=progress,
            desc=label,
        )
        history = log.losses
    else:
        batch = as_int("batch", batch, minimum=1)
        checkpoints = as_int("checkpoints", checkpoints, minimum=1, maximum=steps)
        states = _SampledStates(s_np.astype(np.float64), p_models, m, batch, seed)
        states.params, states.every, states.checkpoints = params, steps // checkpoints, checkpoints
        log = fit(
            params,
            states.loss,
            steps=steps,
            lr=lr,
            record_every=steps,
            minibatches=states,
            progress=progress,
            desc=label,
        )
        history = np.array(states.history)
    models = _autoencoders(params, log.final, seeds, history)
    return tuple(tuple(models[d * restarts : (d + 1) * restarts]) for d in range(D))


def _one_distribution(probs) -> np.ndarray:
    """One distribution as a batch of one, shape (1, n_s)."""
    return np.asarray(probs, dtype=np.float64)[None, :]


def train_autoencoder(configs, probs, m: int, **options) -> list[Autoencoder]:
    r"""Train the autoencoder ``N -> m -> N`` on one input distribution from ``restarts`` random inits.

    :func:`train_autoencoders` with ``D = 1``; ``options`` (``restarts``, ``steps``, ``lr``, ``seed``,
    ``init_scale``, ``batch``, ``checkpoints``, ``progress``) are passed on (see there for the
    initialization, the loss and the defaults).

    Returns
    -------
    list of Autoencoder
        One per restart, in restart order (not sorted), so that every restart's loss is kept.
    """
    return list(train_autoencoders(configs, _one_distribution(probs), m, **options)[0])


@dataclass(frozen=True)
class StackLevel:
    """One level of a stack: the distribution of the level's spins, and the layer that produced it."""

    configs: np.ndarray
    probs: np.ndarray
    W: np.ndarray | None
    c: np.ndarray | None
    loss: float | None


def stack_layers_batch(
    configs,
    probs,
    depth: int,
    *,
    b: int = 2,
    mode: str = "trained",
    beta: float = 8.0,
    seed: int = 0,
    progress: bool = True,
    **train_kwargs,
) -> tuple[tuple[StackLevel, ...], ...]:
    r"""Greedy stacks of ``depth`` layers, each ``n -> n/b``, on ``D`` exact input distributions.

    ``probs`` has shape ``(D, n_s)``: ``D`` distributions on the same ``configs``. Every level
    of every stack lists all :math:`2^n` configurations in the same order, so the layers of one
    level are trained in one batch (:func:`train_autoencoders`).

    ``mode="trained"``: each layer is the best restart of the autoencoder trained on the
    previous level's exact output distribution (``train_kwargs`` are passed on, seed
    ``seed + 1000 * level``). ``mode="decimation"``: :func:`decimation_weights` with ``beta``.
    ``mode="random"``: :func:`random_weights` (seed ``seed + level``), the untrained control.
    Each layer's units are oriented and put in receptive-field order
    (:func:`rgbook.couplings.canonical_layer`) so that every level is again a spatial chain.

    Returns
    -------
    tuple of tuple of StackLevel
        ``result[d]`` is the stack on distribution ``d``: ``depth + 1`` levels, level 0 the input.
    """
    s, p_all = _check_distributions(configs, probs)
    depth = as_int("depth", depth, minimum=1)
    b = as_int("b", b, minimum=2)
    if mode not in ("trained", "decimation", "random"):
        raise ValueError(f"mode must be 'trained', 'decimation' or 'random', got {mode!r}")
    if s.shape[1] % b**depth:
        raise ValueError(f"N={s.shape[1]} must be divisible by b**depth={b**depth}")
    stacks = [[StackLevel(s.astype(np.int8), p, None, None, None)] for p in p_all]
    for level in range(depth):
        configs_l = stacks[0][-1].configs
        n = configs_l.shape[1]
        if mode == "trained":
            runs = train_autoencoders(
                configs_l,
                np.stack([st[-1].probs for st in stacks]),
                n // b,
                seed=seed + 1000 * level,
                progress=progress,
                **train_kwargs,
            )
            layers = []
            for models in runs:
                best = min(models, key=lambda mdl: mdl.loss)
                layers.append((best.W, best.c, best.loss))
        elif mode == "decimation":
            layers = [(*decimation_weights(n, b, beta), None)] * len(stacks)
        else:
            layers = [(*random_weights(n // b, n, seed=seed + level), None)] * len(stacks)
        for stack, (W, c, loss) in zip(stacks, layers):
            W, c = canonical_layer(W, c)  # outputs in receptive-field order, so the next level is a chain again
            y, q = output_distribution(W, c, configs_l, stack[-1].probs)
            stack.append(StackLevel(y, q, W, c, loss))
    return tuple(tuple(stack) for stack in stacks)


def stack_layers(configs, probs, depth: int, **options) -> list[StackLevel]:
    r"""Greedy stack of ``depth`` layers, each ``n -> n/b``, on one exact distribution.

    :func:`stack_layers_batch` with one distribution; ``options`` (``b``, ``mode``, ``beta``, ``seed``,
    ``progress`` and the training options) are passed on (see there for the modes and seeds).
    Returns ``depth + 1`` levels; level 0 is the input.
    """
    return list(stack_layers_batch(configs, _one_distribution(probs), depth, **options)[0])


# --------------------------------------------------------------------------------------
# inference of the coupling (reading B)


@dataclass(frozen=True)
class CouplingRegressor:
    r"""Feature layer :math:`(W, c)` of ``M`` stochastic binary units on ``N`` input spins, and a
    head mapping the mean features :math:`\tanh(Ws+c)` to an estimate of :math:`K`.

    ``test_rmse`` is the root-mean-square error of :math:`\hat K` on fresh samples;
    ``checkpoints`` the same network after fewer steps, when asked for.
    """

    W: np.ndarray
    c: np.ndarray
    head: dict = field(repr=False)
    test_rmse: float
    seed: int
    checkpoints: tuple[RegressorCheckpoint, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class RegressorCheckpoint:
    """A coupling regressor's feature layer and test RMSE after ``step`` training steps."""

    step: int
    W: np.ndarray
    c: np.ndarray
    test_rmse: float


def _regressor_forward(params: dict[str, torch.Tensor], r: int, s: torch.Tensor) -> torch.Tensor:
    r""":math:`\hat K` of network ``r`` of the batch for samples ``s`` (n, N).

    Feature means :math:`f = \tanh(Ws + c)`, hidden layer :math:`\tanh(Af + a)` (then
    :math:`\tanh(A_l h + a_l)` for each further layer ``A2, a2, ...`` present), linear output.
    """
    return _head_forward(params, r, torch.tanh(s @ params["W"][r].T + params["c"][r]))  # f = E[y | s]


def _head_forward(params: dict[str, torch.Tensor], r: int, f: torch.Tensor) -> torch.Tensor:
    r""":math:`\hat K` of network ``r``'s head for feature means ``f`` (n, M)."""
    hidden = torch.tanh(f @ params["A"][r].T + params["a"][r])
    layer = 2
    while f"A{layer}" in params:
        hidden = torch.tanh(hidden @ params[f"A{layer}"][r].T + params[f"a{layer}"][r])
        layer += 1
    return hidden @ params["B"][r] + params["e"][r]


def _regressor_losses(
    params: dict[str, torch.Tensor],
    s: torch.Tensor,
    K: torch.Tensor,
    batches: Minibatches | None = None,
    forward=_regressor_forward,
) -> torch.Tensor:
    r"""Mean squared error :math:`\mathbb E(\hat K - K)^2` of each network on its own data, shape (R,).

    The networks are evaluated one by one (each on its own (n, N) data, by the same
    matrix products as a single network), so batched training repeats the serial runs
    bit for bit: training a regressor amplifies rounding differences over its steps.
    With ``batches``, every network sees the current window of its own data
    (:meth:`rgbook.training.Minibatches.take`); ``forward=_head_forward`` takes precomputed
    feature means for ``s``.
    """
    if batches is not None:
        s, K = batches.take(s, K)
    return torch.stack([((forward(params, r, s[r]) - K[r]) ** 2).mean() for r in range(s.shape[0])])


def _regression_data(
    N: int, K_range: tuple[float, float], n: int, rng: np.random.Generator, n_bins: int = 32
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` exact open-chain samples with ``K`` uniform over the ``n_bins`` bin midpoints of ``K_range``."""
    bins, mids = binned_parameter(*K_range, n, rng, n_bins)
    s = np.empty((n, N), dtype=np.float64)
    for i, K in enumerate(mids):  # exact samples at the bin's K (the sampler takes one K at a time)
        idx = np.flatnonzero(bins == i)
        if idx.size:
            s[idx] = sample_chain(idx.size, N, K, rng=rng)
    return s, mids[bins]


def train_coupling_regressors(
    N: int,
    M: int = 4,
    *,
    seeds=(0,),
    K_range: tuple[float, float] = (0.1, 1.5),
    n_train: int = 8192,
    hidden: int = 16,
    steps: int = 2000,
    lr: float = 0.02,
    init_scale: float = 1.0,
    n_bins: int = 32,
    batch_size: int | None = None,
    depth: int = 1,
    features: tuple[np.ndarray, np.ndarray] | None = None,
    checkpoints: tuple[int, ...] = (),
    progress: bool = False,
) -> tuple[CouplingRegressor, ...]:
    r"""Train one FC network per seed to infer :math:`K` from zero-field open-chain configurations.

    Architecture: feature layer :math:`f = \tanh(Ws + c)` (the mean of ``M`` stochastic binary
    units), then a ``hidden``-unit tanh layer and a linear output :math:`\hat K`; loss
    :math:`\mathbb E(\hat K - K)^2` over exact samples with :math:`K` uniform on the
    ``n_bins`` bin midpoints of ``K_range``, Adam on the full batch or on minibatches
    (``batch_size``). Seed ``k`` draws its training and test data from
    ``numpy.random.default_rng(k)`` and its initial parameters from
    ``torch.Generator().manual_seed(k)``; all seeds train as one batch
    (:func:`rgbook.training.fit`), each on its own data.

    Parameters
    ----------
    batch_size : int, optional
        Train on minibatches of this many samples: contiguous windows of each seed's own
        (i.i.d., in drawing order) samples, visited in a random order each epoch, the book's
        one schedule (:class:`rgbook.training.Minibatches`), the same for every seed, so a
        seed batched with others trains as it would alone; ``None`` (default) or
        ``batch_size >= n_train`` trains on the full batch.
    depth : int
        Number of ``hidden``-unit tanh layers of the head (default 1: ``A, a``; layer
        ``l >= 2`` is ``A{l}, a{l}``, drawn after the other parameters, so ``depth = 1``
        draws exactly what it always did).
    features : (W, c), optional
        A fixed feature layer (``W`` of shape (M, N), ``c`` of shape (M,)) shared by every
        seed and kept frozen: only the head trains (the controls' "trained head"). The
        initial head is the one the seed would draw for a trained feature layer.
    checkpoints : tuple of int
        Step counts ``0 < t < steps`` after which to record each network's feature layer and
        test RMSE (:attr:`CouplingRegressor.checkpoints`): one run gives every shorter
        training of the same schedule.

    Returns
    -------
    tuple of CouplingRegressor
        One per seed, in the order of ``seeds``.
    """
    N = as_int("N", N, minimum=2)
    M = as_int("M", M, minimum=1, maximum=MAX_OUTPUT_UNITS)
    n_train = as_int("n_train", n_train, minimum=16)
    hidden = as_int("hidden", hidden, minimum=1)
    steps = as_int("steps", steps, minimum=1)
    lr = as_real("lr", lr, minimum=0.0, strict_minimum=True)
    seeds = tuple(as_int("seed", k, minimum=0) for k in seeds)
    if not seeds:
        raise ValueError("seeds must name at least one seed")
    lo = as_real("K_range[0]", K_range[0], minimum=0.0)
    hi = as_real("K_range[1]", K_range[1], minimum=lo, strict_minimum=True)
    n_bins = as_int("n_bins", n_bins, minimum=1)
    depth = as_int("depth", depth, minimum=1, maximum=8)
    if batch_size is not None:
        batch_size = as_int("batch_size", batch_size, minimum=1)
    if features is not None:
        Wf, cf = (np.asarray(a, dtype=np.float64) for a in features)
        if Wf.shape != (M, N) or cf.shape != (M,):
            raise ValueError(
                f"features must be (W, c) with W of shape ({M}, {N}) and c of shape ({M},), "
                f"got {Wf.shape} and {cf.shape}"
            )
        if not (np.all(np.isfinite(Wf)) and np.all(np.isfinite(cf))):
            raise ValueError("features must be finite")
    checkpoints = tuple(sorted({as_int("checkpoint", t, minimum=1, maximum=steps - 1) for t in checkpoints}))
    train, test = [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        train.append(_regression_data(N, (lo, hi), n_train, rng, n_bins))
        test.append(_regression_data(N, (lo, hi), n_train // 4, rng, n_bins))
    s, K = (torch.as_tensor(np.stack(x)) for x in zip(*train))  # (R, n, N), (R, n)
    s_test, K_test = (torch.as_tensor(np.stack(x)) for x in zip(*test))
    shapes = {"W": (M, N), "c": (M,), "A": (hidden, M), "a": (hidden,), "B": (hidden,), "e": ()}
    scales = {"W": init_scale / np.sqrt(N), "c": 0.1, "A": 1.0, "a": 0.1, "B": 1 / np.sqrt(hidden), "e": 0.1}
    for layer in range(2, depth + 1):
        shapes |= {f"A{layer}": (hidden, hidden), f"a{layer}": (hidden,)}
        scales |= {f"A{layer}": 1 / np.sqrt(hidden), f"a{layer}": 0.1}
    params = _init_batch(shapes, scales, seeds)
    trainable, forward = None, _regressor_forward
    if features is not None:  # frozen: the heads train on the feature means, computed once
        params["W"] = torch.as_tensor(np.broadcast_to(Wf, (len(seeds), M, N)).copy())
        params["c"] = torch.as_tensor(np.broadcast_to(cf, (len(seeds), M)).copy())
        trainable, forward = tuple(k for k in params if k not in ("W", "c")), _head_forward
        Wt, ct = torch.as_tensor(Wf), torch.as_tensor(cf)
        s, s_test = torch.tanh(s @ Wt.T + ct), torch.tanh(s_test @ Wt.T + ct)
    batches = None
    if batch_size is not None and batch_size < n_train:
        batches = Minibatches(n_train, batch_size)
    recorded: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
    calls = [0]

    def loss_fn(prm):
        """The training losses; at a checkpoint (fit calls this once per step), first record the state."""
        if calls[0] in checkpoints:
            with torch.no_grad():
                recorded.append(
                    (
                        calls[0],
                        prm["W"].detach().numpy().copy(),
                        prm["c"].detach().numpy().copy(),
                        _regressor_losses(prm, s_test, K_test, forward=forward).sqrt().numpy(),
                    )
                )
        calls[0] += 1
        return _regressor_losses(prm, s, K, batches, forward)

    fit(
        params,
        loss_fn,
        steps=steps,
        lr=lr,
        trainable=trainable,
        progress=progress,
        desc=f"regressors N={N} ({len(seeds)} seeds)",
        minibatches=batches,
    )
    with torch.no_grad():
        rmse = _regressor_losses(params, s_test, K_test, forward=forward).sqrt().numpy()
    arrays = {k: v.detach().numpy() for k, v in params.items()}
    return tuple(
        CouplingRegressor(
            W=arrays["W"][i].copy(),
            c=arrays["c"][i].copy(),
            head={k: arrays[k][i].copy() for k in arrays if k not in ("W", "c")},
            test_rmse=float(rmse[i]),
            seed=seed,
            checkpoints=tuple(
                RegressorCheckpoint(step, Wt[i].copy(), ct[i].copy(), float(e[i])) for step, Wt, ct, e in recorded
            ),
        )
        for i, seed in enumerate(seeds)
    )


def train_coupling_regressor(N: int, M: int = 4, *, seed: int = 0, **options) -> CouplingRegressor:
    r"""One network of :func:`train_coupling_regressors` (data and initialization seeded from ``seed``);
    ``options`` are passed on (see there for them and their defaults)."""
    return train_coupling_regressors(N, M, seeds=(seed,), **options)[0]


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


# --------------------------------------------------------------------------------------
# where the reconstruction loss goes (reading A)


@dataclass(frozen=True)
class ReconstructionGap:
    r"""Exact information terms of an encoder on an enumerated input distribution (totals in nats).

    For an encoder :math:`T(y|s)` with :math:`m` units on :math:`N` input spins, the loss with
    the best factorized decoder, :math:`\frac1N\sum_i H(s_i\mid y)`, splits exactly as

    .. math::

        \frac1N\sum_i H(s_i|y)
        = \underbrace{\frac{H(s) - m\ln 2}{N}}_{\text{lower bound}}
        + \underbrace{\frac{m\ln 2 - H(y)}{N}}_{\text{output entropy deficit}}
        + \underbrace{\frac{H(y|s)}{N}}_{\text{encoder noise}}
        + \underbrace{\frac{\sum_i H(s_i|y) - H(s|y)}{N}}_{\text{factorized-decoder cost}},

    using :math:`H(s|y) = H(s) + H(y|s) - H(y)`. Each bracket is :math:`\ge 0`: the lower
    bound is the loss of an encoder whose outputs are uniform, noiseless, and leave the input
    spins independent given the code; the other three say which of these it misses.

    Attributes
    ----------
    N, m : int
        Input sites and output units.
    H_s, H_y, H_y_given_s, sum_H_si_given_y : float
        :math:`H(s)`, :math:`H(y)`, :math:`H(y|s)` and :math:`\sum_i H(s_i|y)`.
    """

    N: int
    m: int
    H_s: float
    H_y: float
    H_y_given_s: float
    sum_H_si_given_y: float

    @property
    def H_s_given_y(self) -> float:
        """:math:`H(s|y) = H(s) + H(y|s) - H(y)` (total, nats)."""
        return float(self.H_s + self.H_y_given_s - self.H_y)

    @property
    def lower_bound(self) -> float:
        r""":math:`(H(s) - m\ln 2)/N`, per spin."""
        return float((self.H_s - self.m * np.log(2)) / self.N)

    @property
    def output_entropy_deficit(self) -> float:
        r""":math:`(m\ln 2 - H(y))/N`, per spin."""
        return float((self.m * np.log(2) - self.H_y) / self.N)

    @property
    def encoder_noise(self) -> float:
        """:math:`H(y|s)/N`, per spin (zero for a deterministic encoder)."""
        return float(self.H_y_given_s / self.N)

    @property
    def factorization_cost(self) -> float:
        r""":math:`(\sum_i H(s_i|y) - H(s|y))/N`, per spin: what a factorized decoder loses."""
        return float((self.sum_H_si_given_y - self.H_s_given_y) / self.N)

    @property
    def optimal_decoder_loss(self) -> float:
        r""":math:`\frac1N\sum_i H(s_i|y)` (= :func:`conditional_entropy_loss`), per spin."""
        return float(self.sum_H_si_given_y / self.N)


def _entropy(p: np.ndarray) -> float:
    """Shannon entropy (nats) of the probabilities ``p`` (any shape), with 0 ln 0 = 0."""
    p = np.asarray(p, dtype=np.float64).ravel()
    nz = p > 0
    return float(-np.sum(p[nz] * np.log(p[nz])))


def reconstruction_gap(W, c, configs, probs) -> ReconstructionGap:
    r"""The exact terms of :class:`ReconstructionGap` for the encoder ``(W, c)``, by enumeration.

    Parameters
    ----------
    W : array_like, shape (m, N)
        Encoder weights; ``c`` : array_like, shape (m,), biases.
    configs, probs : array_like
        Enumerated input distribution (all :math:`2^N` configurations and their probabilities).

    Returns
    -------
    ReconstructionGap
    """
    s, p = _check_distribution(configs, probs)
    W, c = _check_layer(W, c, s.shape[1])
    logT = log_kernel(W, c, s)
    T = np.exp(logT)
    joint = p[:, None] * T
    py = joint.sum(axis=0)
    p_up = (joint.T @ (s > 0)) / np.where(py > 0, py, 1.0)[:, None]
    return ReconstructionGap(
        N=int(s.shape[1]),
        m=int(W.shape[0]),
        H_s=_entropy(p),
        H_y=_entropy(py),
        H_y_given_s=float(-np.sum(joint * logT)),
        sum_H_si_given_y=float((py @ _h(p_up)).sum()),
    )


def reconstruction_gradient_norms(models, configs, probs) -> np.ndarray:
    r"""Euclidean norm of the gradient of the exact loss per spin of each model, over all its parameters.

    Parameters
    ----------
    models : sequence of Autoencoder
        Models of one shape ``N -> m``.
    configs, probs : array_like
        The enumerated input distribution they were trained on.

    Returns
    -------
    numpy.ndarray, shape (len(models),)
        :math:`\|\nabla_{W,c,V,d} L\|_2` at each model's parameters.
    """
    models = list(models)
    if not models:
        raise ValueError("models must hold at least one Autoencoder")
    s, p = _check_distribution(configs, probs)
    m = _check_layer(models[0].W, models[0].c, s.shape[1])[0].shape[0]
    params = {
        k: torch.as_tensor(np.stack([np.asarray(getattr(mdl, k), dtype=np.float64) for mdl in models])).requires_grad_(
            True
        )
        for k in "WcVd"
    }
    loss = _reconstruction_loss_t(params, _LossData.of(s, np.repeat(p[None], len(models), axis=0), m))
    loss.sum().backward()
    sq = sum((params[k].grad.reshape(len(models), -1) ** 2).sum(-1) for k in "WcVd")
    return sq.sqrt().numpy().copy()


def continue_autoencoders(models, configs, probs, *, steps: int, lr: float = 0.05) -> tuple[Autoencoder, ...]:
    r"""Train already trained autoencoders further, each on its own input distribution, in one batch.

    Every model restarts Adam (fresh moment estimates) from its current parameters and runs
    ``steps`` more steps of rate ``lr`` on the exact loss of :func:`train_autoencoders`.

    Parameters
    ----------
    models : sequence of Autoencoder
        Models of one shape ``N -> m``.
    configs : array_like, shape (n_s, N)
        Input configurations shared by all distributions.
    probs : array_like, shape (len(models), n_s)
        Model ``k``'s input distribution in row ``k``.

    Returns
    -------
    tuple of Autoencoder
        The continued models, in the order given (same seeds; ``history`` of the continuation only).
    """
    models = list(models)
    if not models:
        raise ValueError("models must hold at least one Autoencoder")
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2 or probs.shape[0] != len(models):
        raise ValueError(f"probs must have shape ({len(models)}, n_configs): one row per model, got {probs.shape}")
    s, p = _check_distributions(configs, probs)
    m = _check_layer(models[0].W, models[0].c, s.shape[1])[0].shape[0]
    steps = as_int("steps", steps, minimum=1)
    lr = as_real("lr", lr, minimum=0.0, strict_minimum=True)
    data = _LossData.of(s, p, m)
    params = {
        k: torch.as_tensor(np.stack([np.asarray(getattr(mdl, k), dtype=np.float64) for mdl in models])).clone()
        for k in "WcVd"
    }
    log = fit(params, lambda prm: _reconstruction_loss_t(prm, data), steps=steps, lr=lr, record_every=50)
    return tuple(_autoencoders(params, log.final, [mdl.seed for mdl in models], log.losses))


# --------------------------------------------------------------------------------------
# nonlinear (tanh) autoencoders on samples of continuous chains, batched over seeds and data sets

#: Parameter names of an autoencoder: encoder (W1, b1) tanh, features (W2, b2), decoder (V1, c1) tanh, (V2, c2).
TANH_AE_PARAMS = ("W1", "b1", "W2", "b2", "V1", "c1", "V2", "c2")


def init_tanh_autoencoders(n_in: int, hidden: int, m: int, seeds) -> dict[str, torch.Tensor]:
    r"""Initial parameters of ``len(seeds)`` autoencoders ``n_in -> hidden -> m -> hidden -> n_in``.

    Weights :math:`\mathcal N(0, 1/\text{fan-in})` from ``torch.Generator().manual_seed(seed)``
    (in the order of :data:`TANH_AE_PARAMS`), biases zero. Weights are stored (in, out).
    """
    n_in = as_int("n_in", n_in, minimum=2)
    hidden = as_int("hidden", hidden, minimum=1)
    m = as_int("m", m, minimum=1, maximum=n_in - 1)
    seeds = [as_int("seed", s, minimum=0) for s in seeds]
    if not seeds:
        raise ValueError("seeds must be non-empty")
    shapes = {
        "W1": (n_in, hidden),
        "b1": (1, hidden),
        "W2": (hidden, m),
        "b2": (1, m),
        "V1": (m, hidden),
        "c1": (1, hidden),
        "V2": (hidden, n_in),
        "c2": (1, n_in),
    }
    out = {k: [] for k in TANH_AE_PARAMS}
    for s in seeds:
        gen = torch.Generator().manual_seed(s)
        for k in TANH_AE_PARAMS:
            shape = shapes[k]
            out[k].append(
                init_normal(shape, 1 / np.sqrt(shape[0]), gen) if k[0] in "WV" else torch.zeros(shape, dtype=DTYPE)
            )
    return {k: torch.stack(v) for k, v in out.items()}


def _tanh_encode(p, x: torch.Tensor) -> torch.Tensor:
    return torch.matmul(torch.tanh(torch.matmul(x, p["W1"]) + p["b1"]), p["W2"]) + p["b2"]


def _tanh_decode(p, u: torch.Tensor) -> torch.Tensor:
    return torch.matmul(torch.tanh(torch.matmul(u, p["V1"]) + p["c1"]), p["V2"]) + p["c2"]


def tanh_encode(params: dict[str, np.ndarray], x) -> np.ndarray:
    """Feature-layer outputs of every autoencoder in ``params`` (leading axis ``R``) on samples ``x`` (n, N):
    shape ``(R, n, m)``."""
    x = as_samples("x", x)
    p = {k: torch.as_tensor(v) for k, v in params.items()}
    with torch.no_grad():
        return _tanh_encode(p, torch.as_tensor(x)).numpy()


def tanh_reconstruction_loss(params: dict[str, np.ndarray], x) -> np.ndarray:
    """Mean squared reconstruction error per site of every autoencoder on samples ``x``: shape ``(R,)``."""
    x = as_samples("x", x)
    p = {k: torch.as_tensor(v) for k, v in params.items()}
    with torch.no_grad():
        X = torch.as_tensor(x)
        return ((_tanh_decode(p, _tanh_encode(p, X)) - X) ** 2).mean(dim=(1, 2)).numpy()


@dataclass(frozen=True)
class TanhAutoencoderRun:
    """Autoencoders trained on ``D`` data sets with ``S`` seeds each; model ``r = d S + s``.

    ``initial`` and ``trained`` hold numpy parameter arrays with leading axis ``D S``;
    ``steps`` and ``losses`` (shape ``(records, D S)``) are the recorded minibatch losses.
    """

    initial: dict = field(repr=False)
    trained: dict = field(repr=False)
    steps: np.ndarray = field(repr=False)
    losses: np.ndarray = field(repr=False)
    n_sets: int = 1
    seeds: tuple[int, ...] = ()

    def params(self, which: str, d: int) -> dict[str, np.ndarray]:
        """``"trained"`` or ``"initial"`` parameters of the ``S`` models of data set ``d``."""
        src = {"trained": self.trained, "initial": self.initial}[which]
        S = len(self.seeds)
        return {k: v[d * S : (d + 1) * S] for k, v in src.items()}

    def loss_curves(self, d: int) -> np.ndarray:
        """Recorded losses of data set ``d``'s models, shape ``(records, S)``."""
        S = len(self.seeds)
        return self.losses[:, d * S : (d + 1) * S]


def train_tanh_autoencoders(
    data,
    seeds,
    *,
    hidden: int,
    m: int,
    steps: int,
    lr: float,
    batch_size: int,
    record_every: int = 10,
    progress: bool = False,
    schedule: str = "constant",
) -> TanhAutoencoderRun:
    r"""Train one autoencoder per (data set, seed) on the mean squared reconstruction error per site.

    ``data`` has shape ``(D, n, N)`` (``D`` data sets of ``n`` samples, stored in the order they were
    drawn). All ``D S`` models train in one :func:`rgbook.training.fit` call on the same
    schedule of minibatch windows (:class:`rgbook.training.Minibatches`, seed 0) and of learning
    rates (``schedule``, :func:`rgbook.training.lr_factor`), each on its own data set; model
    ``d S + s`` starts from :func:`init_tanh_autoencoders` with ``seeds[s]``.
    """
    X = as_real_array("data", data)
    if X.ndim != 3 or X.shape[1] < 2 or X.shape[2] < 2:
        raise ValueError(f"data must have shape (data sets, samples >= 2, sites >= 2), got {X.shape}")
    seeds = tuple(as_int("seed", s, minimum=0) for s in seeds)
    D, n, N = X.shape
    S = len(seeds)
    initial = init_tanh_autoencoders(N, hidden, m, seeds * D)
    start = {k: v.numpy().copy() for k, v in initial.items()}
    Xt = torch.as_tensor(X)[:, None]  # (D, 1, n, N): broadcast over the seeds, no copies
    batches = Minibatches(n, as_int("batch_size", batch_size, minimum=1), seed=0)

    def loss(p):
        x = Xt if batches.window is None else Xt[:, :, batches.window]
        q = {k: v.view(D, S, *v.shape[1:]) for k, v in p.items()}
        return ((_tanh_decode(q, _tanh_encode(q, x)) - x) ** 2).mean(dim=(2, 3)).reshape(D * S)

    log = fit(
        initial,
        loss,
        steps=steps,
        lr=lr,
        record_every=record_every,
        progress=progress,
        desc="nonlinear autoencoders",
        minibatches=batches,
        schedule=schedule,
    )
    return TanhAutoencoderRun(
        initial=start,
        trained={k: v.numpy().copy() for k, v in initial.items()},
        steps=log.steps,
        losses=log.losses,
        n_sets=D,
        seeds=seeds,
    )


def plateau_change(losses, window: float) -> np.ndarray:
    r"""Relative change :math:`|\bar L_{\text{last}} - \bar L_{\text{previous}}|/\bar L_{\text{last}}` per model.

    ``losses`` has shape ``(records, R)``; the two windows are the last ``window`` share of the
    records and the same share before it.
    """
    L = as_real_array("losses", losses)
    window = as_real("window", window, minimum=0.0, strict_minimum=True, maximum=0.5)
    if L.ndim != 2:
        raise ValueError(f"losses must have shape (records, models), got {L.shape}")
    w = max(int(round(window * L.shape[0])), 1)
    if 2 * w > L.shape[0]:
        raise ValueError(f"need at least {2 * w} records for two windows of {w}, got {L.shape[0]}")
    last, prev = L[-w:].mean(axis=0), L[-2 * w : -w].mean(axis=0)
    return np.abs(last - prev) / last


def pca_loss(x, m: int) -> float:
    """Eckart–Young loss per site of the best affine rank-``m`` reconstruction of samples ``x`` (PCA)."""
    x = as_samples("x", x, min_rows=8)
    m = as_int("m", m, minimum=1, maximum=x.shape[1] - 1)
    ev = np.linalg.eigvalsh(np.cov(x.T, bias=True))
    return float(ev[: x.shape[1] - m].sum() / x.shape[1])
