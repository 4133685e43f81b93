r"""Runs of the chapter *Momentum-shell RG* (``book/momentum_shell``): trained stacks and their readings.

Greedy linear-autoencoder stacks on Gaussian rings, the decimation, block-average, momentum-shell
and random control stacks, all read the same way (projected ring ratio, total correlation), and
the structure checks of the first level. ``P`` is the chapter's ``Protocol``
(:mod:`rgbook.chapters.momentum_shell`, which re-exports every name; it is not imported here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np

from .. import couplings, features, rg
from ..claims import Row
from ..information import gaussian_total_correlation_per_unit as total_correlation_per_unit
from ..momentum import (
    circulant,
    fourier_flow,
    momentum_shell_spectrum,
    ring_spectrum,
    shell_modes,
)
from ..stats import Interval, seed_interval


def _ring_ratio(C) -> float:
    d, K, _ = couplings.project_gaussian_ring(C)
    return K / d


# --------------------------------------------------------------------------------------
# Trained stacks


@dataclass(frozen=True)
class Level:
    """One trained level: loss against Eckart-Young, the eigengap at the cut and the angle that the loss
    tolerance allows (``angle_bound``, for ``loss_tol``), the measured angle to the shell modes, the
    encoder in the receptive-field gauge ``F`` and the covariance ``C_in`` it was trained on."""

    level: int
    n_in: int
    n_out: int
    eckart_young_loss: float
    best_loss: float
    restart_losses: tuple[float, ...]
    gap: float
    condition: float
    angle_to_shell: float
    F: np.ndarray = field(repr=False, compare=False)
    C_in: np.ndarray = field(repr=False, compare=False)

    def angle_bound(self, loss_tol: float) -> float:
        r"""The largest angle whose loss excess stays within relative :math:`\epsilon` (:prf:ref:`thm-angle-bound`):
        :math:`\arctan(\sqrt{\lambda_1/\lambda_N}\tan\theta_V)`, :math:`\sin^2\theta_V = \epsilon L_{EY}/g`."""
        sin2 = min(1.0, loss_tol * self.eckart_young_loss / self.gap)
        if sin2 >= 1.0:
            return float(np.pi / 2)
        return float(np.arctan(np.sqrt(self.condition) * np.sqrt(sin2 / (1.0 - sin2))))


@dataclass(frozen=True)
class TrainedStack:
    """A greedy linear-autoencoder stack trained on the ring ``(N, r0)``: its levels."""

    r0: float
    levels: tuple[Level, ...]

    @property
    def maps(self) -> tuple[np.ndarray, ...]:
        """The encoders in the receptive-field gauge, level by level."""
        return tuple(lev.F for lev in self.levels)


def train_level(Cs, m: int, P, level: int, progress: bool = False):
    r"""Train ``P.restarts`` linear autoencoders :math:`x \mapsto DWx` on each covariance of ``Cs`` (all of
    one size ``n``), all in one batched :func:`rgbook.training.fit` program, on the exact loss
    :math:`\operatorname{tr}[(I-DW)C(I-DW)^T]`, by Adam on the phases of ``P.schedule`` (each a
    number of steps and a learning rate; Adam restarts its moments at each phase).

    Restart ``k`` of every covariance starts from :math:`W, D^T \sim \mathcal N(0, 1/n)` drawn from
    ``torch.Generator().manual_seed(P.seed + 10 level + k)``. Returns ``(W, losses, logs)``: encoders
    of shape ``(len(Cs), restarts, m, n)``, final losses ``(len(Cs), restarts)`` and one
    :class:`rgbook.training.TrainingLog` per phase.
    """
    import torch

    from ..training import DTYPE, fit

    Cs = np.asarray(Cs, dtype=float)
    n_data, n = Cs.shape[0], Cs.shape[1]
    Ws, Ds = [], []
    for _ in range(n_data):
        for k in range(P.restarts):
            gen = torch.Generator().manual_seed(P.seed + 10 * level + k)
            Ws.append(torch.randn((m, n), generator=gen, dtype=DTYPE) / np.sqrt(n))
            Ds.append(torch.randn((n, m), generator=gen, dtype=DTYPE) / np.sqrt(n))
    params = {"W": torch.stack(Ws), "D": torch.stack(Ds)}
    C = torch.as_tensor(np.repeat(Cs, P.restarts, axis=0))
    eye = torch.eye(n, dtype=DTYPE)

    def loss(p):
        R = eye - p["D"] @ p["W"]
        return ((R @ C) * R).sum(dim=(1, 2))

    logs = [
        fit(
            params,
            loss,
            steps=steps,
            lr=lr,
            record_every=max(1, steps // 100),
            progress=progress,
            desc=f"momentum-shell stacks, level {level}",
        )
        for steps, lr in P.schedule
    ]
    W = params["W"].numpy().reshape(n_data, P.restarts, m, n)
    return W, logs[-1].final.reshape(n_data, P.restarts), logs


@dataclass(frozen=True)
class StackCurves:
    """Loss curves of one level of every trained stack: steps and losses relative to Eckart-Young,
    shape ``(records, stacks, restarts)``."""

    level: int
    steps: np.ndarray
    excess: np.ndarray


def _training_ratios(P) -> tuple[float, ...]:
    return tuple(P.rs) + (0.5 - P.eps_train,)


@cache
def trained_stacks(P, progress: bool = False) -> tuple[tuple[TrainedStack, ...], tuple[StackCurves, ...]]:
    """Every trained stack (ratios ``P.rs`` and ``1/2 - eps_train``), level by level on the exact
    covariance of the previous level's features (receptive-field gauge), all stacks of a level
    trained together; and the loss curves per level."""
    ratios = _training_ratios(P)
    Cs = [circulant(ring_spectrum(P.N, r0)) for r0 in ratios]
    levels: list[list[Level]] = [[] for _ in ratios]
    curves = []
    for level in range(1, P.depth + 1):
        n = Cs[0].shape[0]
        m = n // P.b
        W, losses, logs = train_level(Cs, m, P, level, progress)
        ey = np.array([features.eckart_young_loss(C, m) for C in Cs])
        offsets = np.cumsum([0] + [n_steps for n_steps, _ in P.schedule[:-1]])
        steps = np.concatenate([o + log.steps for o, log in zip(offsets, logs)])
        raw = np.concatenate([log.losses for log in logs]).reshape(len(steps), len(ratios), P.restarts)
        curves.append(StackCurves(level, steps, raw / ey[None, :, None] - 1.0))
        for i, C in enumerate(Cs):
            best = int(np.argmin(losses[i]))
            lam = np.sort(np.linalg.eigvalsh(C))[::-1]
            F = features.receptive_field_features(W[i, best], P.b)
            levels[i].append(
                Level(
                    level=level,
                    n_in=n,
                    n_out=m,
                    eckart_young_loss=float(ey[i]),
                    best_loss=float(losses[i, best]),
                    restart_losses=tuple(float(x) for x in np.sort(losses[i])),
                    gap=float(lam[m - 1] - lam[m]),
                    condition=float(lam[0] / lam[-1]),
                    angle_to_shell=features.largest_principal_angle(W[i, best], shell_modes(n, m)),
                    F=F,
                    C_in=C,
                )
            )
            Cs[i] = F @ C @ F.T
    return tuple(TrainedStack(r0, tuple(lv)) for r0, lv in zip(ratios, levels)), tuple(curves)


def trained_stack(P, r0: float) -> TrainedStack:
    """The trained stack of training ratio ``r0`` (one of ``P.rs`` or ``1/2 - P.eps_train``)."""
    stacks, _ = trained_stacks(P)
    for st in stacks:
        if st.r0 == r0:
            return st
    raise ValueError(f"r0 must be one of the training ratios {_training_ratios(P)}, got {r0}")


# --------------------------------------------------------------------------------------
# Reading any stack of maps the same way


@dataclass(frozen=True)
class Reading:
    """What a stack of maps does to the ring ``(N, r0)``: per level ``l = 0..depth`` the projected ratio
    ``r``, the distance ``t = 1 - 2r`` from the critical point and the total correlation per unit."""

    r: tuple[float, ...]
    tc: tuple[float, ...]

    @property
    def t(self) -> tuple[float, ...]:
        return tuple(1.0 - 2.0 * x for x in self.r)


def ring_levels(N: int, r0: float, maps) -> list[np.ndarray]:
    """The covariance of the ring ``(N, r0)`` and its images under ``maps`` (each ``(m, n)``) applied in turn."""
    levels = [circulant(ring_spectrum(N, r0))]
    for F in maps:
        levels.append(F @ levels[-1] @ F.T)
    return levels


def read_maps(N: int, r0: float, maps) -> Reading:
    """Apply ``maps`` (each ``(m, n)``) in turn to the ring covariance and read every level."""
    levels = ring_levels(N, r0, maps)
    return Reading(tuple(_ring_ratio(C) for C in levels), tuple(total_correlation_per_unit(C) for C in levels))


#: Kinds of untrained control stacks.
CONTROLS = ("random encoder", "random shared filter")


def control_maps(P, kind: str, seed: int) -> tuple[np.ndarray, ...]:
    r"""An untrained stack of the trained one's shapes, read in the same receptive-field gauge
    :math:`F = S\Pi_W`: ``"random encoder"`` (Gaussian :math:`W`, the untrained network) or
    ``"random shared filter"`` (one Gaussian filter of ``b`` weights on every block, a random local
    block-spin map). Seeded ``numpy.random.default_rng([seed, level])``."""
    if kind not in CONTROLS:
        raise ValueError(f"kind must be one of {CONTROLS}, got {kind!r}")
    maps, n = [], P.N
    for level in range(1, P.depth + 1):
        rng = np.random.default_rng([seed, level])
        m = n // P.b
        if kind == "random encoder":
            W = rng.standard_normal((m, n))
        else:
            W = np.kron(np.eye(m), rng.standard_normal(P.b))
        maps.append(features.receptive_field_features(W, P.b))
        n = m
    return tuple(maps)


def decimation_maps(P) -> tuple[np.ndarray, ...]:
    """The decimation stack (every b-th site), the exact real-space RG of the Gaussian ring."""
    return tuple(features.selection_matrix(P.N // P.b ** (level - 1), P.b) for level in range(1, P.depth + 1))


def block_average_maps(P) -> tuple[np.ndarray, ...]:
    """The block-average stack (Kadanoff's block spin: every unit the mean of its block), in the receptive-field
    gauge (a multiple of the block sum)."""
    return tuple(
        features.receptive_field_features(np.kron(np.eye(n // P.b), np.ones(P.b)), P.b)
        for n in (P.N // P.b ** (level - 1) for level in range(1, P.depth + 1))
    )


def momentum_shell_maps(P) -> tuple[np.ndarray, ...]:
    """The momentum-shell stack in the receptive-field gauge (the trained stack's exact optimum)."""
    return tuple(
        features.receptive_field_features(shell_modes(n, n // P.b), P.b)
        for n in (P.N // P.b ** (level - 1) for level in range(1, P.depth + 1))
    )


@cache
def stack_readings(P, r0: float, train_r0: float | None = None) -> dict[str, object]:
    """Every stack read on the ring ``(N, r0)``: ``"trained"`` (trained on ``train_r0``, default ``r0``),
    ``"momentum shell"``, ``"decimation"``, ``"block average"`` (each a :class:`Reading`) and the controls (a tuple of
    :class:`Reading`, one per seed)."""
    stack = trained_stack(P, r0 if train_r0 is None else train_r0)
    out: dict[str, object] = {
        "trained": read_maps(P.N, r0, stack.maps),
        "momentum shell": read_maps(P.N, r0, momentum_shell_maps(P)),
        "decimation": read_maps(P.N, r0, decimation_maps(P)),
        "block average": read_maps(P.N, r0, block_average_maps(P)),
    }
    for kind in CONTROLS:
        out[kind] = tuple(read_maps(P.N, r0, control_maps(P, kind, s)) for s in P.control_seeds)
    return out


def _near_critical(P) -> tuple[float, float]:
    return 0.5 - P.eps_critical, 0.5 - P.eps_train


def _rel_spectral_error(A, B) -> float:
    return float(np.linalg.norm(A - B, 2) / np.linalg.norm(B, 2))


def _shell_covariances(P, r0: float) -> list[np.ndarray]:
    """Covariances of the momentum-shell iterates at levels 1..depth, built from spectra (Fourier route)."""
    S, out = ring_spectrum(P.N, r0), []
    for _ in range(P.depth):
        S = momentum_shell_spectrum(S, P.b)
        out.append(circulant(S))
    return out


@dataclass(frozen=True)
class StructureRow:
    """II.MS at one level of one trained stack: loss excess (relative), angle to the shell modes and the
    bound the loss tolerance allows, the covariance deviation from the momentum-shell iterate and its
    propagated bound, and the random encoders' angles (one per control seed)."""

    r0: float
    level: int
    loss_excess: float
    angle: float
    angle_bound: float
    covariance_error: float
    covariance_bound: float
    random_angles: tuple[float, ...]
    decimation_angle: float
    block_average_angle: float


@cache
def structure(P, loss_tol: float) -> tuple[StructureRow, ...]:
    """:class:`StructureRow` for every trained stack and level (bounds for the relative loss tolerance ``loss_tol``)."""
    stacks, _ = trained_stacks(P)
    out = []
    for st in stacks:
        C = circulant(ring_spectrum(P.N, st.r0))
        bound = 0.0
        randoms = [control_maps(P, "random encoder", s) for s in P.control_seeds]
        for lev, C_ms in zip(st.levels, _shell_covariances(P, st.r0)):
            C = lev.F @ C @ lev.F.T
            sin = np.sin(lev.angle_bound(loss_tol))
            bound = (1 + np.sqrt(P.b) * sin) ** 2 * bound + 2 * np.sqrt(P.b) * sin + P.b * sin**2
            shell = shell_modes(lev.n_in, lev.n_out)
            out.append(
                StructureRow(
                    r0=st.r0,
                    level=lev.level,
                    loss_excess=lev.best_loss / lev.eckart_young_loss - 1.0,
                    angle=lev.angle_to_shell,
                    angle_bound=lev.angle_bound(loss_tol),
                    covariance_error=_rel_spectral_error(C, C_ms),
                    covariance_bound=float(bound),
                    random_angles=tuple(
                        features.largest_principal_angle(maps[lev.level - 1], shell) for maps in randoms
                    ),
                    decimation_angle=features.largest_principal_angle(features.selection_matrix(lev.n_in, P.b), shell),
                    block_average_angle=features.largest_principal_angle(
                        np.kron(np.eye(lev.n_out), np.ones(P.b)), shell
                    ),
                )
            )
    return tuple(out)


def no_aliasing_error(N: int, b: int, r0: float) -> float:
    r"""Largest relative difference between the eigenvalues of :math:`S\Pi C \Pi S^T` (matrices, shell
    projector :math:`\Pi`) and the momentum-shell spectrum :math:`S(q'/b)/b` (Fourier route)."""
    C = circulant(ring_spectrum(N, r0))
    F = features.receptive_field_features(shell_modes(N, N // b), b)
    lam = np.sort(np.linalg.eigvalsh(F @ C @ F.T))
    pred = np.sort(momentum_shell_spectrum(ring_spectrum(N, r0), b))
    return float(np.max(np.abs(lam - pred) / pred))


def decimation_identity_error(N: int, b: int) -> float:
    r""":math:`\max|S\Pi S^T - I/b|` for the shell projector :math:`\Pi` (the identity behind the angle
    :math:`\arccos(1/\sqrt b)` between the shell subspace and decimation)."""
    Q = shell_modes(N, N // b)
    S = features.selection_matrix(N, b)
    return float(np.abs(S @ Q.T @ Q @ S.T - np.eye(N // b) / b).max())


def _control_summary(values) -> Interval:
    """Seed mean and 95 % seed-bootstrap interval of one control quantity (2000 resamples, seed 0)."""
    return seed_interval(values, 2000, 0)


# --------------------------------------------------------------------------------------
# The rows of II.rg.momentum-shell and II.MS (the chapter's measure functions return them)


def rg_rows(P, tol) -> list:
    """II.rg.momentum-shell: approach rate b^-2 and critical eigenvalue b^2 in Fourier space; no-aliasing identity."""
    N, b = P.b**P.fourier_levels, P.b
    rows = []
    for r0 in P.rs:
        r = fourier_flow(N, b, r0, P.fourier_levels)
        L = P.rate_level
        rows.append(
            Row(
                f"r_{L + 1}/r_{L} from r_0 = {r0} (N = {b}^{P.fourier_levels}) vs b^-2 (relative {tol['rate']:g})",
                b**-2.0,
                float(r[L + 1] / r[L]),
                tol["rate"] * b**-2.0,
            )
        )
    t = 1.0 - 2.0 * fourier_flow(N, b, 0.5 - P.eps_critical, P.fourier_levels)
    for step in P.eigen_steps:
        rows.append(
            Row(
                f"t_{step + 1}/t_{step} from r_0 = 1/2 - {P.eps_critical:g} vs b^2 (relative {tol['eigen']:g})",
                float(b**2),
                float(t[step + 1] / t[step]),
                tol["eigen"] * b**2,
            )
        )
    rows.append(
        Row(
            f"no aliasing: eigenvalues of S Pi C Pi S^T vs S(q/b)/b, N = {P.N}, r = {P.rs[-1]} (max relative)",
            0.0,
            no_aliasing_error(P.N, b, P.rs[-1]),
            tol["identity"],
            role="consistency",
        )
    )
    return rows


def structure_rows(P, tol) -> list:
    """II.MS: trained stacks against the Eckart-Young loss, the shell subspace and the momentum-shell iterate."""
    rows = []
    for sr in structure(P, tol["loss"]):
        tag = f"r_0 = {sr.r0:g}, level {sr.level}"
        rows += [
            Row(f"relative loss excess over Eckart-Young ({tag})", 0.0, sr.loss_excess, tol["loss"]),
            Row(
                f"largest angle to the shell modes, rad ({tag}; bound from the loss tolerance)",
                0.0,
                sr.angle,
                sr.angle_bound,
            ),
            Row(
                f"features' covariance vs momentum-shell iterate, relative spectral norm ({tag}; propagated bound)",
                0.0,
                sr.covariance_error,
                sr.covariance_bound,
            ),
        ]
        if sr.level == 1:
            summary = _control_summary(sr.random_angles)
            rows += [
                Row(
                    f"random encoders: largest angle to the shell modes, rad ({tag}; seed mean {summary.text('.3g')})",
                    0.0,
                    summary.mean,
                    sr.angle_bound,
                    role="control",
                ),
                Row(
                    f"decimation: largest angle to the shell modes, rad ({tag})",
                    0.0,
                    sr.decimation_angle,
                    sr.angle_bound,
                    role="control",
                ),
                Row(
                    f"block average: largest angle to the shell modes, rad ({tag})",
                    0.0,
                    sr.block_average_angle,
                    sr.angle_bound,
                    role="control",
                ),
            ]
    rows.append(
        Row(
            f"S Pi S^T = I/b for the shell projector (N = {P.N}, max deviation)",
            0.0,
            decimation_identity_error(P.N, P.b),
            tol["identity"],
            role="consistency",
        )
    )
    return rows


def stable_rows(P, tol) -> list[Row]:
    """II.L1: trained stacks flow to r* = 0 (ring ratio and total correlation), against untrained controls."""
    rows = []
    L = P.depth
    for r0 in P.rs:
        reads = stack_readings(P, r0)
        tr = reads["trained"]
        rows += [
            Row(f"trained: |r_{L}|/r_0 (r_0 = {r0})", 0.0, abs(tr.r[L]) / r0, tol["flow"]),
            Row(f"trained: TC_{L}/TC_0 (r_0 = {r0})", 0.0, tr.tc[L] / tr.tc[0], tol["flow"]),
        ]
        for kind in CONTROLS:
            for name, values in (
                (f"|r_{L}|/r_0", [abs(x.r[L]) / r0 for x in reads[kind]]),
                (f"TC_{L}/TC_0", [x.tc[L] / x.tc[0] for x in reads[kind]]),
            ):
                summary = _control_summary(values)
                rows.append(
                    Row(
                        f"{kind}s: {name} (r_0 = {r0}; seed mean {summary.text('.3g')})",
                        0.0,
                        summary.mean,
                        tol["flow"],
                        role="control",
                    )
                )
        ba = reads["block average"]
        rows += [
            Row(f"block average: |r_{L}|/r_0 (r_0 = {r0})", 0.0, abs(ba.r[L]) / r0, tol["flow"], role="control"),
            Row(f"block average: TC_{L}/TC_0 (r_0 = {r0})", 0.0, ba.tc[L] / ba.tc[0], tol["flow"], role="control"),
        ]
        dec = reads["decimation"]
        r_rg = r0
        for _ in range(L):
            r_rg = rg.gaussian_chain_ratio_map_b(r_rg, P.b)
        rows.append(
            Row(
                f"decimation stack: r_{L} vs RG iterate r_b^{L}(r_0) (r_0 = {r0})",
                float(r_rg),
                float(dec.r[L]),
                tol["identity"],
                role="consistency",
            )
        )
    return rows
