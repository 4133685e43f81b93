r"""The one training loop of the book: Adam on a batch of independent models.

Every trainer of the book (autoencoders, regressors, linear autoencoders) calls :func:`fit`.
Many small trainings (restarts, seeds, sizes) run as **one tensor program**: each parameter
tensor carries a leading batch axis of length ``R`` (one slice per model), the loss function
returns the ``R`` per-model losses, and the loop descends their sum. Since the models share no
parameter, the gradient of the sum with respect to model ``r``'s slice is the gradient of
model ``r``'s own loss, and Adam acts elementwise, so the batched run performs, up to
floating-point rounding, the same steps as ``R`` separate runs.

The loop stops with :class:`TrainingDivergedError` (naming the model and the step) as soon
as a loss, a gradient or a parameter becomes NaN or infinite, and shows a progress bar when
asked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import torch

from ._validate import as_int, as_real

__all__ = [
    "DTYPE",
    "SCHEDULES",
    "TrainingDivergedError",
    "TrainingLog",
    "Minibatches",
    "fit",
    "init_normal",
    "lr_factor",
    "progress_bar",
]

#: Every network of the book trains in double precision.
DTYPE = torch.float64

#: Learning-rate schedules of :func:`fit` (:func:`lr_factor`).
SCHEDULES = ("constant", "cosine")


class TrainingDivergedError(FloatingPointError):
    """Raised when a loss, a gradient or a parameter becomes NaN or infinite during training."""


@dataclass(frozen=True)
class TrainingLog:
    """Per-model loss history of one :func:`fit` call.

    Attributes
    ----------
    steps : numpy.ndarray, shape (n_records,)
        The step numbers at which losses were recorded (every ``record_every`` steps).
    losses : numpy.ndarray, shape (n_records, R)
        Loss of each model at those steps (before the step's update; on that step's minibatch
        when training on minibatches).
    final : numpy.ndarray, shape (R,)
        Loss of each model after the last update (on all samples).
    """

    steps: np.ndarray
    losses: np.ndarray
    final: np.ndarray


def progress_bar(iterable, progress: bool, desc: str, total: int | None = None):
    """``iterable`` wrapped in a tqdm bar when ``progress`` is true."""
    if not progress:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, total=total, leave=False)


def init_normal(shape: tuple[int, ...], scale: float, generator: torch.Generator) -> torch.Tensor:
    """A tensor of independent :math:`\\mathcal N(0, \\text{scale}^2)` entries drawn from ``generator``."""
    return scale * torch.randn(shape, generator=generator, dtype=DTYPE)


def lr_factor(schedule: str, step: int, steps: int) -> float:
    r"""Factor of the learning rate at step ``step`` (0-based) of ``steps``.

    ``"constant"``: 1. ``"cosine"``: :math:`\tfrac12(1 + \cos(\pi\,\text{step}/\text{steps}))`, from 1 at the
    first step toward 0 after the last (the rate of :class:`torch.optim.lr_scheduler.CosineAnnealingLR` with
    ``T_max = steps``, ``eta_min = 0``).
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}, got {schedule!r}")
    steps = as_int("steps", steps, minimum=1)
    step = as_int("step", step, minimum=0, maximum=steps)
    if schedule == "constant":
        return 1.0
    return 0.5 * (1.0 + float(np.cos(np.pi * step / steps)))


class Minibatches:
    r"""Minibatch schedule: contiguous windows of the samples, visited in a fresh random order each epoch.

    The ``n`` samples are split into :math:`E = \lfloor n / \text{batch\_size}\rfloor` contiguous
    windows (a remainder of fewer than ``batch_size`` samples is never used); every epoch visits
    the windows in a random order drawn from ``numpy.random.default_rng([seed, 1])``. Windows are
    random minibatches when the samples are i.i.d. draws stored in the order they were drawn
    (as every trainer of the book stores them). The schedule is the same for every model of a
    batch and does not depend on the batch, so a model batched with others sees the
    minibatches it would see alone; and a window is a view, so nothing is copied.
    ``batch_size >= n`` means full batch. Call :meth:`advance` with the step number before the
    step's loss; :meth:`take` then cuts the current window out of per-model arrays.
    """

    def __init__(self, n: int, batch_size: int, seed: int = 0) -> None:
        self.n = as_int("n", n, minimum=1)
        self.batch_size = as_int("batch_size", batch_size, minimum=1)
        self.full = self.batch_size >= self.n
        self.per_epoch = max(self.n // self.batch_size, 1)
        self._rng = np.random.default_rng([as_int("seed", seed, minimum=0), 1])
        self._order: np.ndarray | None = None
        self.window: slice | None = None

    def advance(self, step: int | None) -> None:
        """Select step ``step``'s window; ``None`` selects all samples (the final evaluation)."""
        if self.full or step is None:
            self.window = None
            return
        k = step % self.per_epoch
        if k == 0 or self._order is None:
            self._order = self._rng.permutation(self.per_epoch)
        start = int(self._order[k]) * self.batch_size
        self.window = slice(start, start + self.batch_size)

    def take(self, *arrays: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """The current window of each array of shape ``(R, n, ...)`` (model, sample, ...), as views."""
        if self.window is None:
            return arrays
        return tuple(a[:, self.window] for a in arrays)


def _finite_or_raise(what: str, value: torch.Tensor, step: int) -> None:
    """Raise naming the first model (batch index) whose ``value`` is not finite."""
    ok = torch.isfinite(value)
    if bool(ok.all()):
        return
    bad = ok.reshape(ok.shape[0], -1).all(dim=1).logical_not() if ok.ndim else ok.logical_not().reshape(1)
    models = torch.nonzero(bad).flatten().tolist()
    raise TrainingDivergedError(
        f"training diverged: {what} is not finite at step {step} (model(s) {models[:8]} of the batch); "
        "lower lr or check the input data"
    )


def fit(
    params: Mapping[str, torch.Tensor],
    loss_fn: Callable[[Mapping[str, torch.Tensor]], torch.Tensor],
    *,
    steps: int,
    lr: float,
    trainable: tuple[str, ...] | None = None,
    record_every: int = 50,
    progress: bool = False,
    desc: str = "training",
    minibatches: Minibatches | None = None,
    schedule: str = "constant",
) -> TrainingLog:
    r"""Minimize the per-model losses ``loss_fn(params)`` with Adam, in place.

    Parameters
    ----------
    params : mapping of str to torch.Tensor
        Parameter tensors, each with a leading batch axis of length ``R`` (one slice per model).
        The trained ones are updated in place.
    loss_fn : callable
        ``loss_fn(params)`` returns a tensor of shape ``(R,)``: each model's loss.
    steps, lr : int, float
        Number of Adam steps and (initial) learning rate (PyTorch defaults otherwise).
    trainable : tuple of str, optional
        Names of the parameters to train (default: all); the others stay fixed.
    record_every : int
        Record the losses every this many steps.
    progress : bool
        Show a progress bar over the steps.
    minibatches : Minibatches, optional
        If given, advanced to each step before its loss (``loss_fn`` reads its ``indices``),
        and to ``None`` (all samples) before the final loss.
    schedule : str
        Learning-rate schedule (:data:`SCHEDULES`): step ``k`` uses ``lr * lr_factor(schedule, k, steps)``.

    Returns
    -------
    TrainingLog

    Raises
    ------
    TrainingDivergedError
        If a loss, gradient or parameter becomes NaN or infinite.
    """
    steps = as_int("steps", steps, minimum=1)
    lr = as_real("lr", lr, minimum=0.0, strict_minimum=True)
    record_every = as_int("record_every", record_every, minimum=1)
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}, got {schedule!r}")
    names = tuple(params) if trainable is None else tuple(trainable)
    unknown = [n for n in names if n not in params]
    if unknown:
        raise ValueError(f"trainable names {unknown} are not parameters; parameters: {sorted(params)}")
    tensors = [params[n] for n in names]
    for n, t in zip(names, tensors):
        if not isinstance(t, torch.Tensor) or t.dtype != DTYPE:
            raise TypeError(f"parameter {n!r} must be a float64 torch.Tensor, got {getattr(t, 'dtype', type(t))}")
        t.requires_grad_(True)
    opt = torch.optim.Adam(tensors, lr=lr, foreach=True)  # one kernel per op for all tensors; same numbers
    recorded_steps, history = [], []
    for step in progress_bar(range(steps), progress, desc):
        opt.zero_grad()
        if minibatches is not None:
            minibatches.advance(step)
        loss = loss_fn(params)
        if loss.ndim != 1:
            raise ValueError(f"loss_fn must return a 1-d tensor of per-model losses, got shape {tuple(loss.shape)}")
        _finite_or_raise("the loss", loss, step)
        loss.sum().backward()
        # One test for all gradients (their norms); only if it fails, the test per gradient, which names it
        # (a norm can overflow where every entry is finite: then the per-gradient test passes).
        if not bool(torch.stack(torch._foreach_norm([t.grad for t in tensors])).isfinite().all()):
            for n, t in zip(names, tensors):
                _finite_or_raise(f"the gradient of {n}", t.grad, step)
        if schedule != "constant":
            for group in opt.param_groups:
                group["lr"] = lr * lr_factor(schedule, step, steps)
        opt.step()
        if step % record_every == 0:
            recorded_steps.append(step)
            history.append(loss.detach().numpy().copy())
    if minibatches is not None:
        minibatches.advance(None)
    with torch.no_grad():
        final = loss_fn(params)
    for n, t in zip(names, tensors):
        _finite_or_raise(f"parameter {n}", t.detach(), steps)
    _finite_or_raise("the final loss", final, steps)
    for t in tensors:
        t.requires_grad_(False)
    return TrainingLog(steps=np.array(recorded_steps), losses=np.array(history), final=final.numpy().copy())
