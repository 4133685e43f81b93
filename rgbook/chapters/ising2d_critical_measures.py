r"""Measures of the claims of the chapter *A trained coarse-graining at the 2D critical point*
(``book/ising2d_critical``): rows from the runs of :mod:`rgbook.chapters.ising2d_critical_runs`. ``P`` is the
chapter's ``Protocol`` (:mod:`rgbook.chapters.ising2d_critical`; it is not imported here).
"""

from __future__ import annotations

import math

import numpy as np

from .. import ising2d
from ..claims import Row
from .ising2d_critical_runs import (
    critical_test,
    map_set,
    precise_exponent,
    run_fc_training,
    run_sampler_check,
    yt_summary,
)


def measure_sampler(P, tol) -> list[Row]:
    """Sampled u and c against the exact torus (evidence), Kaufman's ln Z against enumeration at L = 4 (consistency)."""
    chk = run_sampler_check(P)
    k = tol["k_sigma"]
    rows = []
    for e in chk.estimates:
        at = f"L={e.L}, K={e.K / ising2d.K_C:.2f} K_c"
        rows.append(Row(f"u ({at})", float(e.u_exact), float(e.u), float(k * e.u_err)))
        rows.append(Row(f"c ({at})", float(e.c_exact), float(e.c), float(k * e.c_err)))
    rows.append(
        Row(
            "ln Z (L=4, K_c): Kaufman vs sum over 2^16 states",
            chk.lnZ_L4_enumerated,
            chk.lnZ_L4_kaufman,
            1e-9,
            "consistency",
        )
    )
    return rows


def _critical_rows(P, tol, method: str, controls: tuple[str, ...]) -> list[Row]:
    """Maps ``method`` (evidence): worst drift and violations over seeds; controls: members failing the test."""
    if not math.isclose(tol["delta"], P.delta):
        raise ValueError(f"the protocol samples at delta = {P.delta}, the claim states {tol['delta']}")
    ms = map_set(P)
    t = critical_test(P, tol["drift"], tol["max_violations"])
    tr = ms.index(method)
    rows = [
        Row(
            f"max over seeds of |C_(n+1) - C_n| at K_c, steps 1->2, 2->3 ({method})",
            0.0,
            float(t["drift"][tr].max()),
            tol["drift"],
        ),
        Row(
            f"max over seeds of non-growing steps of |C_n(K_c(1+-delta)) - C_n(K_c)| ({method})",
            0.0,
            float(t["violations"][tr].max()),
            tol["max_violations"],
        ),
    ]
    for name in controls:
        idx = ms.index(name)
        rows.append(
            Row(
                f"{name}: members failing the test (drift and runaway), of {len(idx)}",
                0.0,
                float((~t["ok"][idx]).sum()),
                0.0,
                "control",
            )
        )
    return rows


def measure_critical_point(P, tol) -> list[Row]:
    """2D.L1: the block autoencoder units against decimation, the anti-aligned filter, the untrained units and the
    majority rule."""
    return _critical_rows(P, tol, "trained", ("decimation", "anti-aligned", "untrained", "majority"))


def measure_mi_critical_point(P, tol) -> list[Row]:
    """2D.MI1: the mutual-information units against the controls of 2D.L1."""
    return _critical_rows(P, tol, "mi-trained", ("decimation", "anti-aligned", "untrained", "majority"))


def measure_fc_critical_point(P, tol) -> list[Row]:
    """2D.FC1: the window networks against decimation and the untrained networks."""
    return _critical_rows(P, tol, "fc-trained", ("decimation", "fc-untrained"))


def measure_fc_locality(P, tol) -> list[Row]:
    """2D.FC0: the smallest seed's mean block locality, trained (evidence) and untrained (control)."""
    fc = run_fc_training(P)
    return [
        Row(
            "min over seeds of the mean fraction of squared weight in the assigned block (trained)",
            1.0,
            float(fc.fields.locality.mean(axis=1).min()),
            tol["locality_tol"],
        ),
        Row(
            "the same, untrained network",
            1.0,
            float(fc.fields0.locality.mean(axis=1).min()),
            tol["locality_tol"],
            "control",
        ),
    ]


def _exponent_stat(P, idx: list[int], n: int, nan_fails: bool = False) -> tuple[float, float, int]:
    """Seed mean of y_t (4 operators) at step ``n`` over the maps ``idx``, their mean jackknife error, and how many
    of them have a positive leading eigenvalue. Members without one are left out of the mean, or, with
    ``nan_fails``, make the mean 0 (a failing sentinel); if none has one, the mean and error are 0."""
    s = yt_summary(P)
    y, e = s["yt"][idx, n], s["err"][idx, n]
    ok = np.isfinite(y)
    if not ok.any() or (nan_fails and not ok.all()):
        return 0.0, 0.0, int(ok.sum())
    return float(y[ok].mean()), float(np.nanmean(e[ok])), int(ok.sum())


def _exponent_rows(P, tol, method: str, controls: tuple[str, ...], nan_fails: bool = False) -> list[Row]:
    """Maps ``method``: seed-mean y_t at steps 1->2, 2->3 (evidence); controls: max over both steps of
    |y_t - 1| / tolerance. Row names count the members with a positive leading eigenvalue
    (see :func:`_exponent_stat`)."""
    ms = map_set(P)
    steps = [n for n in (1, 2) if n < yt_summary(P)["yt"].shape[1]]
    rows = []
    tr = ms.index(method)
    for n in steps:
        y, e, k = _exponent_stat(P, tr, n, nan_fails)
        rows.append(
            Row(
                f"y_t, step {n}->{n + 1}, mean over {method} seeds ({k} of {len(tr)} with lambda_t > 0)",
                1.0,
                y,
                max(tol["yt_tol"], tol["k_sigma"] * e),
            )
        )
    for name in controls:
        idx = ms.index(name)
        stats = [_exponent_stat(P, idx, n, nan_fails) for n in steps]
        dev = max(abs(y - 1.0) / max(tol["yt_tol"], tol["k_sigma"] * e) for y, e, _ in stats)
        rows.append(
            Row(
                f"{name}: max over steps of |y_t - 1| / tolerance ({min(k for *_, k in stats)} of {len(idx)} "
                "with lambda_t > 0)",
                0.0,
                float(dev),
                1.0,
                "control",
            )
        )
    return rows


def measure_exponent(P, tol) -> list[Row]:
    """2D.L2: the block autoencoder units against majority rule, decimation, anti-aligned filter, untrained units."""
    return _exponent_rows(P, tol, "trained", ("majority", "decimation", "anti-aligned", "untrained"))


def measure_mi_exponent(P, tol) -> list[Row]:
    """2D.MI2: the mutual-information units against the controls of 2D.L2."""
    return _exponent_rows(P, tol, "mi-trained", ("majority", "decimation", "anti-aligned", "untrained"))


def measure_fc_exponent(P, tol) -> list[Row]:
    """2D.FC2: the window networks against majority rule, decimation and the untrained networks."""
    return _exponent_rows(P, tol, "fc-trained", ("majority", "decimation", "fc-untrained"))


def measure_fc_readout(P, tol) -> list[Row]:
    """2D.FC3: the block readout of the trained window networks under both tests (evidence); per control, the
    number of the two tests it fails (a control satisfies the claim only if it passes both)."""
    rows = _critical_rows(P, tol, "fc-readout", ()) + _exponent_rows(P, tol, "fc-readout", (), True)
    for name in ("fc-untrained-readout", "pca-readout", "majority"):
        crit = _critical_rows(P, tol, "fc-readout", (name,))[-1]
        expo = _exponent_rows(P, tol, "fc-readout", (name,), True)[-1]
        failed = int(not crit.passes) + int(not expo.passes)
        rows.append(
            Row(
                f"{name}: tests failed of 2 (critical point: {crit.measured:g} members failing; "
                f"y_t: worst |y_t - 1| / tolerance {expo.measured:.3g})",
                0.0,
                float(failed),
                0.0,
                "control",
            )
        )
    return rows


def measure_precise_exponent(P, tol) -> list[Row]:
    """2D.L2.precise: block autoencoder seed mean, interval ends and jackknife error (evidence); controls: the
    worst of |y_t - 1| / yt_tol and k_sigma err / yt_tol over steps and interval ends. Where a member has no
    positive leading eigenvalue (y_t undefined), the rows report y_t = 0 and error 1, and a control 1e9: they fail."""
    t, k = tol["yt_tol"], tol["k_sigma"]
    r = precise_exponent(P, "trained")
    r = {key: np.nan_to_num(v, nan=1.0 if key == "err" else 0.0) for key, v in r.items()}
    rows = []
    for j, n in enumerate((1, 2)):
        rows += [
            Row(f"y_t (7 operators), step {n}->{n + 1}, mean over trained seeds", 1.0, float(r["mean"][j]), t),
            Row(f"lower end of its 95% seed interval, step {n}->{n + 1}", 1.0, float(r["lo"][j]), t),
            Row(f"upper end of its 95% seed interval, step {n}->{n + 1}", 1.0, float(r["hi"][j]), t),
            Row(f"mean jackknife error, step {n}->{n + 1}", 0.0, float(r["err"][j]), t / k),
        ]
    for name in ("majority", "decimation", "anti-aligned", "untrained"):
        c = precise_exponent(P, name)
        worst = max(
            float(np.max(np.abs(np.stack([c["mean"], c["lo"], c["hi"]]) - 1.0))) / t, float(np.max(c["err"])) * k / t
        )
        rows.append(
            Row(
                f"{name}: worst of |y_t - 1| / {t:g} and {k:g} x error / {t:g}",
                0.0,
                worst if math.isfinite(worst) else 1e9,
                1.0,
                "control",
            )
        )
    return rows
