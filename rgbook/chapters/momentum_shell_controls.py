r"""Runs of the chapter *Momentum-shell RG* (``book/momentum_shell``): the antiferromagnetic control and the
gauge-free soft-mode reading (claims ``II.AF``, ``II.L2g``), the critical flow on rings longer than their correlation
length (``II.L2x``), and the corrections to scaling of the critical growth (``II.rg.corrections``). ``P`` is the
chapter's ``Protocol``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from .. import features
from .._protocol import sci
from ..claims import Row
from ..momentum import (
    circulant,
    fourier_flow,
    infinite_line_growth,
    momentum_shell_spectrum,
    near_critical_ring_spectrum,
    near_critical_ring_t,
    ring_spectrum,
    ring_t_of_covariance,
    second_moment_correlation_length,
    soft_mode_readout,
    spectrum_flow,
    staggered_shell_modes,
)
from .momentum_shell_runs import (
    CONTROLS,
    Level,
    _control_summary,
    _near_critical,
    _rel_spectral_error,
    _ring_ratio,
    block_average_maps,
    control_maps,
    decimation_maps,
    momentum_shell_maps,
    ring_levels,
    stack_readings,
    train_level,
    trained_stack,
)

# --------------------------------------------------------------------------------------
# The antiferromagnetic control (II.AF)


@dataclass(frozen=True)
class AntiferroLevel:
    """One level trained on the antiferromagnetic ring ``(af_N, r0)``: the trained :class:`Level` (angle measured
    to the staggered shell), its features' covariance and that of momentum-shell RG of the staggered field."""

    r0: float
    level: Level
    C_features: np.ndarray = field(repr=False, compare=False)
    C_predicted: np.ndarray = field(repr=False, compare=False)


@cache
def antiferro_levels(P) -> tuple[AntiferroLevel, ...]:
    """One level of ratio ``af_b`` trained (:func:`train_level`, level seed 1) on each ring ``(af_N, r0)``,
    ``r0`` in ``af_rs``."""
    n, m = P.af_N, P.af_N // P.af_b
    Cs = [circulant(ring_spectrum(n, r0)) for r0 in P.af_rs]
    W, losses, _ = train_level(Cs, m, P, 1)
    out = []
    for i, (r0, C) in enumerate(zip(P.af_rs, Cs)):
        best = int(np.argmin(losses[i]))
        lam = np.sort(np.linalg.eigvalsh(C))[::-1]
        F = features.receptive_field_features(W[i, best], P.af_b)
        lev = Level(
            level=1,
            n_in=n,
            n_out=m,
            eckart_young_loss=float(features.eckart_young_loss(C, m)),
            best_loss=float(losses[i, best]),
            restart_losses=tuple(float(x) for x in np.sort(losses[i])),
            gap=float(lam[m - 1] - lam[m]),
            condition=float(lam[0] / lam[-1]),
            angle_to_shell=features.largest_principal_angle(W[i, best], staggered_shell_modes(n, m)),
            F=F,
            C_in=C,
        )
        C_ms = circulant(momentum_shell_spectrum(ring_spectrum(n, abs(r0)), P.af_b))
        out.append(AntiferroLevel(r0, lev, F @ C @ F.T, C_ms))
    return tuple(out)


def antiferro_rows(P, tol) -> list:
    """The rows of II.AF (the chapter's ``measure_antiferromagnet`` returns them)."""
    n, m, b = P.af_N, P.af_N // P.af_b, P.af_b
    shell = staggered_shell_modes(n, m)
    rows = []
    for al in antiferro_levels(P):
        lev, tag = al.level, f"r_0 = {al.r0:g}"
        bound = lev.angle_bound(tol["loss"])
        s = np.sin(bound)
        r_pred = _ring_ratio(al.C_predicted)
        C = lev.C_in
        rows += [
            Row(
                f"relative loss excess over Eckart-Young ({tag})",
                0.0,
                lev.best_loss / lev.eckart_young_loss - 1,
                tol["loss"],
            ),
            Row(
                f"largest angle to the staggered shell, rad ({tag}; bound from the loss tolerance)",
                0.0,
                lev.angle_to_shell,
                bound,
            ),
            Row(
                f"features' covariance vs staggered momentum-shell iterate, relative spectral norm ({tag}; "
                "propagated bound)",
                0.0,
                _rel_spectral_error(al.C_features, al.C_predicted),
                float(2 * np.sqrt(b) * s + b * s**2),
            ),
            Row(
                f"trained: projected ring ratio r_1 vs staggered momentum shell of |r_0| ({tag})",
                r_pred,
                _ring_ratio(al.C_features),
                tol["ratio"] * abs(r_pred),
            ),
        ]
        randoms = [np.random.default_rng([seed, 1]).standard_normal((m, n)) for seed in P.control_seeds]
        angles = _control_summary([features.largest_principal_angle(W, shell) for W in randoms])
        ratios = []
        for W in randoms:
            F = features.receptive_field_features(W, b)
            ratios.append(_ring_ratio(F @ C @ F.T))
        ratio_summary = _control_summary(ratios)
        S = features.selection_matrix(n, b)
        rows += [
            Row(
                f"random encoders: largest angle to the staggered shell, rad ({tag}; seed mean {angles.text('.3g')})",
                0.0,
                angles.mean,
                bound,
                role="control",
            ),
            Row(
                f"random encoders: r_1 vs staggered momentum shell ({tag}; seed mean {ratio_summary.text('.3g')})",
                r_pred,
                ratio_summary.mean,
                tol["ratio"] * abs(r_pred),
                role="control",
            ),
            Row(
                f"decimation: largest angle to the staggered shell, rad ({tag})",
                0.0,
                features.largest_principal_angle(S, shell),
                bound,
                role="control",
            ),
            Row(
                f"decimation: r_1 vs staggered momentum shell ({tag})",
                r_pred,
                _ring_ratio(S @ C @ S.T),
                tol["ratio"] * abs(r_pred),
                role="control",
            ),
        ]
        F_ex = features.receptive_field_features(shell, b)
        rows.append(
            Row(
                f"staggered shell's exact features vs momentum shell of |r_0|, max relative entry ({tag})",
                0.0,
                float(np.abs(F_ex @ C @ F_ex.T - al.C_predicted).max() / np.abs(al.C_predicted).max()),
                tol["identity"],
                "consistency",
            )
        )
    lam = np.sort(np.linalg.eigvalsh(circulant(ring_spectrum(P.N, P.af_rs[0]))))[::-1]
    m3 = P.N // P.b
    rows.append(
        Row(
            f"eigengap at the cut, antiferromagnetic ring N = {P.N}, b = {P.b}, r_0 = {P.af_rs[0]:g} (degenerate pair)",
            0.0,
            float(lam[m3 - 1] - lam[m3]),
            tol["identity"],
            "consistency",
        )
    )
    return rows


# --------------------------------------------------------------------------------------
# The critical point read gauge-free (II.L2g)


def _stack_matrix(maps) -> np.ndarray:
    A = maps[0]
    for F in maps[1:]:
        A = F @ A
    return A


def soft_mode_readings(P, maps) -> tuple[float, float]:
    """``(share at t_0 = 2 eps_critical, variance ratio between eps_critical and eps_response)`` of the soft-mode
    read-out (:func:`rgbook.momentum.soft_mode_readout`) of the last features of the stack ``maps``."""
    A = _stack_matrix(maps)
    share, v_crit = soft_mode_readout(circulant(ring_spectrum(P.N, 0.5 - P.eps_critical)), A)
    _, v_resp = soft_mode_readout(circulant(ring_spectrum(P.N, 0.5 - P.eps_response)), A)
    return share, v_crit / v_resp


def soft_mode_rows(P, tol) -> list:
    """The rows of II.L2g (the chapter's ``measure_soft_mode`` returns them)."""
    expected = P.eps_response / P.eps_critical
    L = P.depth
    trained = trained_stack(P, 0.5 - P.eps_train).maps
    rows = []
    share, ratio = soft_mode_readings(P, trained)
    rows += [
        Row(f"trained: R^2 of M from the level-{L} features (t_0 = {2 * P.eps_critical:g})", 1.0, share, tol["share"]),
        Row(
            f"trained: linear response of the read-out's variance (t_0 = {2 * P.eps_critical:g} vs "
            f"{2 * P.eps_response:g})",
            expected,
            ratio,
            tol["response"] * expected,
        ),
    ]
    for kind in CONTROLS:
        reads = [soft_mode_readings(P, control_maps(P, kind, s)) for s in P.control_seeds]
        sh, ra = _control_summary([x[0] for x in reads]), _control_summary([x[1] for x in reads])
        rows += [
            Row(f"{kind}s: R^2 of M (seed mean {sh.text('.3g')})", 1.0, sh.mean, tol["share"], role="control"),
            Row(
                f"{kind}s: linear response (seed mean {ra.text('.4g')})",
                expected,
                ra.mean,
                tol["response"] * expected,
                role="control",
            ),
        ]
    for name, maps, role in (
        ("block average", block_average_maps(P), "control"),
        ("decimation", decimation_maps(P), "consistency"),
    ):
        share, ratio = soft_mode_readings(P, maps)
        rows += [
            Row(f"{name}: R^2 of M", 1.0, share, tol["share"], role=role),
            Row(f"{name}: linear response", expected, ratio, tol["response"] * expected, role=role),
        ]
    return rows


# --------------------------------------------------------------------------------------
# The critical flow on rings much longer than their correlation length (II.L2x)


@dataclass(frozen=True)
class Flow:
    """A stack of maps applied to the ring ``(N, r0)``: per level ``l = 0..depth`` the projected distance
    ``t = 1 - 2r`` from the critical point and the second-moment correlation length ``xi`` of the features."""

    t: np.ndarray
    xi: np.ndarray

    def growth(self, step: int) -> float:
        return float(self.t[step + 1] / self.t[step])

    def shrink(self, step: int) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(self.xi[step] / self.xi[step + 1])


def _t_newton(C) -> float:
    """The projected t = 1 - 2r of the covariance ``C`` by the chapter's Newton projection (II.L2x)."""
    return 1.0 - 2.0 * _ring_ratio(C)


def _t_to_rounding(C) -> float:
    """The projected t of ``C`` to rounding (II.L2x-a): a root in ln t where the projection is ferromagnetic
    (:func:`rgbook.momentum.ring_t_of_covariance`), the Newton projection elsewhere (t >= 1 loses no digits)."""
    n = C.shape[0]
    a, c = np.trace(C) / n, C[np.arange(n), (np.arange(n) + 1) % n].sum() / n
    return ring_t_of_covariance(C) if 0.0 < c < a else _t_newton(C)


def _flow(N: int, r0: float, maps, read_t) -> Flow:
    levels = ring_levels(N, r0, maps)
    return Flow(np.array([read_t(C) for C in levels]), np.array([second_moment_correlation_length(C) for C in levels]))


@cache
def long_ring_flows(P, t0: float, rounded: bool = False) -> dict[str, object]:
    """Every stack of II.L2x on the ring ``(N, 1/2 - t0/2)``: ``"trained"`` (the stack trained at ``1/2 - eps_train``),
    ``"momentum shell"`` and ``"block average"`` (each a :class:`Flow`), and the controls (a tuple of :class:`Flow`,
    one per seed); t read by the Newton projection, or to rounding (``rounded``, II.L2x-a)."""
    r0 = 0.5 - 0.5 * t0
    read_t = _t_to_rounding if rounded else _t_newton
    out: dict[str, object] = {
        "trained": _flow(P.N, r0, trained_stack(P, 0.5 - P.eps_train).maps, read_t),
        "momentum shell": _flow(P.N, r0, momentum_shell_maps(P), read_t),
        "block average": _flow(P.N, r0, block_average_maps(P), read_t),
    }
    for kind in CONTROLS:
        out[kind] = tuple(_flow(P.N, r0, control_maps(P, kind, s), read_t) for s in P.control_seeds)
    return out


def _seed_row(quantity: str, predicted: float, values, tolerance: float, k: float) -> Row:
    """A control row on a seed mean, decided by the interval mean +- k standard errors over seeds. A seed whose value
    is undefined (NaN or infinite: a level without a correlation length) makes the mean undefined and the row fail, as
    registered: the row then counts the seeds where the value is defined against all of them (tolerance 0)."""
    v = np.asarray(values, dtype=float)
    ok = np.isfinite(v)
    if not ok.all():
        kept = f"{float(v[ok].mean()):.4g}" if ok.any() else "none"
        return Row(
            f"{quantity}: seeds where it is defined (else undefined: the row fails; mean over the defined {kept})",
            float(v.size),
            float(ok.sum()),
            0.0,
            role="control",
        )
    mean = float(v.mean())
    se = float(v.std(ddof=1) / np.sqrt(v.size)) if v.size > 1 else 0.0
    return Row(
        f"{quantity} (seed mean +- {k:g} s.e. = {mean:.4g} +- {k * se:.2g})",
        predicted,
        mean,
        tolerance,
        role="control",
        lo=mean - k * se,
        hi=mean + k * se,
    )


def long_ring_rows(P, tol, rounded: bool = False) -> list[Row]:
    """II.L2x: the near-critical stack on rings much longer than their correlation length, against the finite-ring
    momentum-shell recursion (growth of t) and b (shrinking of xi); random and block-average controls. With
    ``rounded`` (II.L2x-a) every t, the recursion's included, is read to rounding."""
    if not P.lx_steps or max(P.lx_steps) >= P.depth or min(P.lx_steps) < 0:
        raise ValueError(f"lx_steps must lie in 0..depth - 1 = {P.depth - 1}, got {P.lx_steps}")
    k, b = tol["k_sigma"], float(P.b)
    rows = [
        Row(
            f"trained level {lev.level}: relative loss excess over Eckart-Young",
            0.0,
            lev.best_loss / lev.eckart_young_loss - 1.0,
            tol["loss"],
            role="precondition",
        )
        for lev in trained_stack(P, 0.5 - P.eps_train).levels[: max(P.lx_steps) + 1]
    ]
    for t0 in P.lx_t0:
        flows = long_ring_flows(P, t0, rounded)
        if rounded:
            t_ms = spectrum_flow(ring_spectrum(P.N, 0.5 - 0.5 * t0), P.b, P.depth, read=near_critical_ring_t)
        else:
            t_ms = 1.0 - 2.0 * fourier_flow(P.N, P.b, 0.5 - 0.5 * t0, P.depth)
        g_ms = t_ms[1:] / t_ms[:-1]
        tag = f"t_0 = {sci(t0)}"
        shell = flows["momentum shell"]
        rows.append(
            Row(
                f"momentum-shell stack through the pipeline: largest relative difference of t_(l+1)/t_l from the "
                f"recursion ({tag})",
                0.0,
                float(max(abs(shell.growth(s) / g_ms[s] - 1.0) for s in range(P.depth))),
                tol["identity"],
                role="consistency",
            )
        )
        for step in P.lx_steps:
            g, growth = float(g_ms[step]), f"t_{step + 1}/t_{step}"
            shrink = f"xi_{step}/xi_{step + 1}"
            rows += [
                Row(
                    f"trained: {growth} vs momentum-shell recursion ({tag})",
                    g,
                    flows["trained"].growth(step),
                    tol["growth"] * g,
                ),
                Row(f"trained: {shrink} vs b ({tag})", b, flows["trained"].shrink(step), tol["xi"] * b),
                Row(
                    f"block average: {growth} ({tag})",
                    g,
                    flows["block average"].growth(step),
                    tol["growth"] * g,
                    role="control",
                ),
                Row(
                    f"block average: {shrink} ({tag})",
                    b,
                    flows["block average"].shrink(step),
                    tol["xi"] * b,
                    role="control",
                ),
            ]
            for kind in CONTROLS:
                rows += [
                    _seed_row(
                        f"{kind}s: {growth} ({tag})", g, [f.growth(step) for f in flows[kind]], tol["growth"] * g, k
                    ),
                    _seed_row(f"{kind}s: {shrink} ({tag})", b, [f.shrink(step) for f in flows[kind]], tol["xi"] * b, k),
                ]
    return rows


# --------------------------------------------------------------------------------------
# The literal critical-point test (II.L2)


def critical_bound(P, slack: float) -> float:
    r"""What an RG eigenvalue :math:`b^2` allows after ``depth`` steps from :math:`t_0 = 2\epsilon`, times ``slack``."""
    return float(slack * P.b ** (2 * P.depth) * 2 * P.eps_critical)


def critical_rows(P, tol) -> list[Row]:
    """II.L2: the coarse-graining trained near criticality keeps the critical point; controls read the same way."""
    r_crit, r_train = _near_critical(P)
    reads = stack_readings(P, r_crit, r_train)
    L = P.depth
    bound = critical_bound(P, tol["critical"])
    tr, ms = reads["trained"], reads["momentum shell"]
    rows = [
        Row(
            f"trained: t_{L} (t_0 = {2 * P.eps_critical:g}; bound {tol['critical']:g} b^{2 * L} t_0)",
            0.0,
            float(tr.t[L]),
            bound,
        )
    ]
    for step in range(L):
        ms_ratio = ms.t[step + 1] / ms.t[step]
        rows.append(
            Row(
                f"trained: t_{step + 1}/t_{step} vs momentum shell on the same ring (relative {tol['ratio']:g})",
                float(ms_ratio),
                float(tr.t[step + 1] / tr.t[step]),
                tol["ratio"] * abs(ms_ratio),
                role="consistency",
            )
        )
    for kind in CONTROLS:
        summary = _control_summary([x.t[L] for x in reads[kind]])
        rows.append(Row(f"{kind}s: t_{L} (seed mean {summary.text('.3g')})", 0.0, summary.mean, bound, role="control"))
    far = stack_readings(P, 0.5 - P.eps_response, r_train)
    expected = P.eps_response / P.eps_critical
    rows.append(
        Row(
            f"trained: linear response t_{L}(t_0 = {2 * P.eps_response:g})/t_{L}(t_0 = {2 * P.eps_critical:g})",
            expected,
            float(far["trained"].t[L] / tr.t[L]),
            tol["response"] * expected,
        )
    )
    rows += [
        Row(f"block average: t_{L}", 0.0, float(reads["block average"].t[L]), bound, role="control"),
        Row(
            f"block average: linear response of t_{L}",
            expected,
            float(far["block average"].t[L] / reads["block average"].t[L]),
            tol["response"] * expected,
            role="control",
        ),
    ]
    for kind in CONTROLS:
        summary = _control_summary([a.t[L] / c.t[L] for a, c in zip(far[kind], reads[kind])])
        rows.append(
            Row(
                f"{kind}s: linear response of t_{L} (seed mean {summary.text('.3g')})",
                expected,
                summary.mean,
                tol["response"] * expected,
                role="control",
            )
        )
    rows.append(
        Row(
            f"decimation: t_{L} (r = 1/2 is its fixed point)",
            0.0,
            float(reads["decimation"].t[L]),
            bound,
            role="consistency",
        )
    )
    return rows


# --------------------------------------------------------------------------------------
# Corrections to scaling of the critical growth (II.rg.corrections)


@dataclass(frozen=True)
class Corrections:
    """Growth ``g[k, l] = t_(l+1)/t_l`` of momentum-shell RG on ring ``k`` (``b ** cs_levels[k]`` sites from
    ``t_0 = 2 cs_eps[k]``), the infinite-line ``t_0 -> 0`` growth ``g_inf[l]`` and the deviations ``g_inf - g``."""

    t0: np.ndarray
    g: np.ndarray
    g_inf: np.ndarray

    @property
    def deviation(self) -> np.ndarray:
        return self.g_inf[None, : self.g.shape[1]] - self.g

    @property
    def ratios(self) -> np.ndarray:
        """Deviation ratios d(t_0[k]) / d(t_0[k + 1]) of consecutive rings, shape (rings - 1, steps)."""
        d = self.deviation
        return d[:-1] / d[1:]

    @property
    def shrink(self) -> np.ndarray:
        """Per step, the distance of the last ratio from sqrt(10) over that of the one before (< 1: approaching)."""
        root = np.sqrt(10.0)
        return np.abs(self.ratios[-1] - root) / np.abs(self.ratios[-2] - root)


#: How :func:`corrections` computes t_l: the registered route of II.rg.corrections (the ring spectrum and
#: :func:`fourier_flow`), the same projection on spectra written without cancellation (a diagnostic), and the route
#: of the amendment II.rg.corrections-a (no cancellation, t solved as a root in ln t).
CORRECTION_ROUTES = ("registered", "cancellation-free spectrum", "t to rounding")


@cache
def corrections(P, route: str = "registered") -> Corrections:
    """The flows of II.rg.corrections (every ring down to 3 sites; the registered 3^12 flow is
    II.rg.momentum-shell's), by one of :data:`CORRECTION_ROUTES`."""
    if route not in CORRECTION_ROUTES:
        raise ValueError(f"route must be one of {CORRECTION_ROUTES}, got {route!r}")
    eps = np.asarray(P.cs_eps, dtype=float)
    if len(eps) < 3 or not np.allclose(eps[:-1] / eps[1:], 10.0, rtol=1e-12):
        raise ValueError(f"cs_eps must be at least three values a factor 10 apart, got {P.cs_eps}")
    n_steps = max(P.cs_steps) + 1
    g = []
    for n, e in zip(P.cs_levels, P.cs_eps):
        if route == "registered":
            t = 1.0 - 2.0 * fourier_flow(P.b**n, P.b, 0.5 - e, n)
        elif route == "cancellation-free spectrum":
            t = 1.0 - 2.0 * spectrum_flow(near_critical_ring_spectrum(P.b**n, 2 * e), P.b, n)
        else:
            t = spectrum_flow(near_critical_ring_spectrum(P.b**n, 2 * e), P.b, n, read=near_critical_ring_t)
        if t.shape[0] <= n_steps:
            raise ValueError(f"cs_levels: a ring of {P.b}^{n} sites gives fewer than {n_steps} steps")
        g.append(t[1 : n_steps + 1] / t[:n_steps])
    g_inf = infinite_line_growth(P.b, max(n_steps, max(P.cs_inf_steps) + 2))
    return Corrections(2 * eps, np.array(g), g_inf)


def measure_corrections(P, tol, route: str = "registered") -> list[Row]:
    """II.rg.corrections: the sqrt(t_0) approach of the growth to its infinite-line value, per step; the geometric
    approach of the infinite-line growth to b^2."""
    c = corrections(P, route)
    d, ratios, shrink = c.deviation, c.ratios, c.shrink
    root = float(np.sqrt(10.0))
    t0 = [sci(t) for t in c.t0]
    rows = []
    for step in P.cs_steps:
        rows += [
            Row.in_range(
                f"step {step}: smallest deviation g_inf - g(t_0) over t_0 = {', '.join(t0)}",
                d[:, step].min(),
                0.0,
                P.b**2,
            ),
            Row(
                f"step {step}: d(t_0 = {t0[-2]})/d(t_0 = {t0[-1]}) vs sqrt(10) (relative {tol['ratio']:g})",
                root,
                float(ratios[-1, step]),
                tol["ratio"] * root,
            ),
            Row.in_range(
                f"step {step}: distance of that ratio from sqrt(10) over the distance of d({t0[-3]})/d({t0[-2]})",
                shrink[step],
                0.0,
                1.0,
            ),
        ]
    b2 = float(P.b**2)
    for step in P.cs_inf_steps:
        rows.append(
            Row(
                f"infinite line: (b^2 - g_inf[{step + 1}])/(b^2 - g_inf[{step}]) vs b^-2 (relative {tol['omega']:g})",
                1.0 / b2,
                float((b2 - c.g_inf[step + 1]) / (b2 - c.g_inf[step])),
                tol["omega"] / b2,
            )
        )
    return rows


def measure_corrections_amended(P, tol) -> list[Row]:
    """II.rg.corrections-a: the rows of II.rg.corrections with t computed to rounding."""
    return measure_corrections(P, tol, "t to rounding")


def corrections_table(P, route: str = "registered") -> pd.DataFrame:
    """Growth per step on each ring, the infinite-line value and the deviations' ratios (the chapter's table)."""
    c = corrections(P, route)
    steps = list(P.cs_steps)
    out = {"step l": steps, "g_l infinite line": c.g_inf[steps]}
    for k, (n, t) in enumerate(zip(P.cs_levels, c.t0)):
        out[f"g_l, {P.b}^{n} sites, t0 = {sci(t)}"] = c.g[k, steps]
    for k in range(len(c.t0) - 1):
        out[f"d(t0 = {sci(c.t0[k])}) / d(t0 = {sci(c.t0[k + 1])})"] = c.ratios[k, steps]
    return pd.DataFrame(out)
