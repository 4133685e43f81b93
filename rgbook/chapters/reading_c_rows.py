r"""Rows of the claims of the chapter *Reading C* (``book/reading_c``), built from the runs of
:mod:`rgbook.chapters.reading_c_runs`; the measure functions in :mod:`rgbook.chapters.reading_c` call them.
``P`` is the chapter's ``Protocol``."""

from __future__ import annotations

import numpy as np
from scipy.stats import binomtest

from .. import rg
from ..claims import Row
from ..rsmi import describe_unit
from .reading_c_runs import (
    InfomaxSearchAtK,
    coarse_flow,
    run_coarse,
    run_det_controls,
    run_fc_rsmi,
    run_infomax,
    run_infomax_search,
    run_rsmi,
)


def _rsmi_flow_rows(P, tol, K: float) -> tuple[list[Row], float, int]:
    """Consistency rows of the re-optimized RSMI flow at one K (K_l = R_2^l(K) and NN closure follow once the
    unit chosen at each level is decimation), the flow's units, and the random stacks' fraction near R_2^depth."""
    flows = run_coarse(P)
    f = coarse_flow(flows, K, "RSMI-optimal")
    depth = len(f.couplings) - 1
    predicted = rg.flow(K, 0.0, P.b, steps=depth)[0]
    rows = []
    for lev in range(1, depth + 1):
        unit = describe_unit(f.units[lev - 1])
        rows.append(
            Row(
                f"K_{lev} of the RSMI flow vs R_2^{lev}(K), K={K} (unit: {unit})",
                float(predicted[lev]),
                f.couplings[lev],
                tol["exact"],
                "consistency",
            )
        )
        rows.append(
            Row(f"beyond-NN coupling norm at level {lev}, K={K}", 0.0, f.beyond[lev], tol["exact"], "consistency")
        )
    rand = np.array([coarse_flow(flows, K, f"random {i}").couplings[depth] for i in range(P.random_units)])
    frac = float(np.mean(np.abs(rand - predicted[depth]) <= tol["control"]))
    return rows, frac, depth


def _fraction_row(quantity: str, hits, P, tol) -> Row:
    """A control row for the fraction of ``hits`` (booleans), with its Clopper-Pearson interval at
    ``P.control_level``: it passes when the fraction reaches ``tol["control_fraction"]``."""
    hits = np.asarray(hits, dtype=bool)
    ci = binomtest(int(hits.sum()), hits.size).proportion_ci(confidence_level=P.control_level, method="exact")
    return Row(
        f"{quantity} ({int(hits.sum())}/{hits.size})",
        1.0,
        float(hits.mean()),
        1.0 - tol["control_fraction"],
        role="control",
        lo=float(ci.low),
        hi=float(ci.high),
    )


def infomax_criteria(info: float, coupling: float, r: InfomaxSearchAtK, tol) -> tuple[bool, float, float]:
    """Whether a layer meets both I.C3a criteria, its gain over decimation and its R_2(K) - K'."""
    gain, gap = info - r.decimation[0], r.rg_coupling - coupling
    return bool(gain >= tol["information_gain"] and gap >= tol["coupling_gap"]), gain, gap


def infomax_rows(P, tol) -> list[Row]:
    """I.C3: the infomax layer gains information over decimation and its K' falls short of R_2(K)."""
    rows = []
    cap_info = P.infomax_m * float(np.log(2))
    for r in run_infomax(P):
        best = float(r.info.max())
        rows.append(
            Row.in_range(
                f"best infomax I(s;y) minus decimation's I(s;y) (nats), K={r.K}",
                best - r.decimation_info,
                tol["information_gain"],
                cap_info,
            )
        )
        near = np.flatnonzero(r.info >= best - tol["near"])
        for k in near:
            rows.append(
                Row.in_range(
                    f"R_2(K) - K' of restart {k} (I within {tol['near']:g} of the best), K={r.K}",
                    r.rg_coupling - float(r.coupling[k, 0]),
                    tol["coupling_gap"],
                    r.rg_coupling + 5.0,
                )
            )
        frac = float(np.mean(r.random_info >= best - tol["near"]))
        rows.append(
            Row(
                f"fraction of random layers within {tol['near']:g} nats of the best I(s;y), K={r.K}",
                1.0,
                frac,
                1.0 - tol["control_fraction"],
                role="control",
            )
        )
    return rows


def infomax_search_rows(P, tol) -> list[Row]:
    """I.C3a: the infomax optimum by direct search over deterministic threshold layers."""
    rows = []
    cap_info = P.infomax_m * float(np.log(2))
    for r in run_infomax_search(P):
        best = float(r.info[0])
        rows.append(
            Row.in_range(
                f"best I(s;y) found minus decimation's I(s;y) (nats), K={r.K}",
                best - r.decimation[0],
                tol["information_gain"],
                cap_info,
            )
        )
        near = r.info >= best - tol["near"]
        kp = r.coupling[near, 0]
        rows.append(
            Row.in_range(
                f"R_2(K) - largest K' of the {int(near.sum())} distinct optima within {tol['near']:g} "
                f"nats of the best (K' from {kp.min():.3f} to {kp.max():.3f}), K={r.K}",
                r.rg_coupling - float(kp.max()),
                tol["coupling_gap"],
                r.rg_coupling + 5.0,
            )
        )
        for name, (info, kp1) in (("decimation", r.decimation), ("block-sign", r.block_sign)):
            ok, gain, gap = infomax_criteria(info, kp1, r, tol)
            rows.append(
                Row(
                    f"the {name} layer meets both criteria (1 = yes; gain {gain:.4f} nats, "
                    f"R_2 - K' = {gap:.3f}), K={r.K}",
                    1.0,
                    float(ok),
                    0.0,
                    role="control",
                )
            )
        hits = [infomax_criteria(i, k, r, tol)[0] for i, k in zip(r.random_info, r.random_coupling)]
        rows.append(_fraction_row(f"random pool layers meeting both criteria, K={r.K}", hits, P, tol))
    return rows


def det_optimum_rows(P, tol, base: list[Row]) -> list[Row]:
    """I.C1a: I.C1's evidence, with random deterministic units beside the stochastic ones as controls."""
    rows = [r for r in base if r.role != "control"]
    det = {d.K: d for d in run_det_controls(P)}
    ci, cc = tol["control_information"], tol["trained_coupling"]
    for r in run_rsmi(P):
        tag = f"K={r.K}, L_B={r.buffer}"
        for name, info in (("stochastic", r.random_info), ("deterministic", det[r.K].info[r.buffer])):
            rows.append(
                _fraction_row(
                    f"{name} random units with I(H;E) >= {ci:g} of the optimum, {tag}",
                    info >= ci * r.info_optimum,
                    P,
                    tol,
                )
            )
    flows = run_coarse(P)
    for K in P.Ks:
        R = float(rg.zero_field_map(K, P.b))
        rand = np.array([coarse_flow(flows, K, f"random {i}").couplings[1] for i in range(P.random_units)])
        for name, k1 in (("stochastic", rand), ("deterministic", det[K].coupling)):
            rows.append(
                _fraction_row(f"{name} random units with |K' - R_2(K)| <= {cc:g}, K={K}", np.abs(k1 - R) <= cc, P, tol)
            )
    return rows


def det_flow_rows(P, tol, base: list[Row]) -> list[Row]:
    """I.C2b: I.C2a's evidence, controls with intervals and random deterministic stacks."""
    rows = [r for r in base if r.role != "control"]
    flows = run_coarse(P)
    det = {d.K: d for d in run_det_controls(P)}
    depth = P.coarse_depth
    for K in P.Ks:
        target = float(rg.flow(K, 0.0, P.b, steps=depth)[0][depth])
        rand = np.array([coarse_flow(flows, K, f"random {i}").couplings[depth] for i in range(P.random_units)])
        for name, kd in (("stochastic", rand), ("deterministic", det[K].stack_coupling)):
            rows.append(
                _fraction_row(
                    f"{name} random stacks with |K_{depth} - R_2^{depth}(K)| <= {tol['control']:g}, K={K}",
                    np.abs(kd - target) <= tol["control"],
                    P,
                    tol,
                )
            )
    return rows


def fc_rsmi_rows(P, tol) -> list[Row]:
    """Rows of I.C4 (see :func:`rgbook.chapters.reading_c.measure_fc_rsmi`)."""
    rows = []
    for r in run_fc_rsmi(P):
        tag = f"K={r.K}, L_B={r.buffer}"
        rows.append(
            Row(f"largest I(H;E) of a fully connected layer vs I(V;E), {tag}", r.window_info, r.best, tol["exact"])
        )
        within = [k for k, _ in enumerate(r.optimal)]
        rows.append(
            Row(
                f"fraction of the {len(within)} optimal layers (up to signs) that are block-local "
                f"(e.g. {r.names[0]}), {tag}",
                1.0,
                float(np.mean(r.local)),
                0.0,
            )
        )
        rows.append(
            _fraction_row(
                f"random fully connected layers with I(H;E) >= {tol['control_information']:g} of the largest, {tag}",
                r.random_info >= tol["control_information"] * r.best,
                P,
                tol,
            )
        )
    return rows


def measure_rsmi_optimum(P, tol) -> list[Row]:
    """I.C1: the RSMI supremum is decimation; gradient restarts reach it; its coarse chain is the RG chain."""
    rows = []
    for r in run_rsmi(P):
        tag = f"K={r.K}, L_B={r.buffer}"
        rows.append(
            Row(
                f"sup over the unit of I(H;E) (threshold functions) vs I(v_1;E), {tag}",
                r.decimation,
                r.info_optimum,
                tol["exact"],
            )
        )
        rows.append(
            Row(
                f"max over all Boolean functions of I(H;E) vs I(v_1;E), {tag}",
                r.decimation,
                r.boolean_info,
                tol["exact"],
            )
        )
        rows.append(
            Row(
                f"best gradient restart's I(H;E) vs the supremum, {tag}",
                r.info_optimum,
                float(r.trained_info.max()),
                tol["trained"],
            )
        )
        rows.append(
            Row(
                f"I(H;E) of the optimum, Markov reduction vs enumerated window, {tag}",
                r.window_check[1],
                r.window_check[0],
                1e-10,
                role="consistency",
            )
        )
        frac = float(np.mean(r.random_info >= tol["control_information"] * r.info_optimum))
        rows.append(
            Row(
                f"fraction of random units with I(H;E) >= {tol['control_information']:g} of the optimum, {tag}",
                1.0,
                frac,
                1.0 - tol["control_fraction"],
                role="control",
            )
        )
    flows = run_coarse(P)
    for K in P.Ks:
        R = float(rg.zero_field_map(K, P.b))
        opt, tr = coarse_flow(flows, K, "RSMI-optimal"), coarse_flow(flows, K, "trained")
        rows.append(Row(f"K' of the optimal unit's coarse chain vs R_2(K), K={K}", R, opt.couplings[1], tol["exact"]))
        # once the optimal unit is decimation, its coarse chain is the decimated chain: NN exactly (consistency)
        rows.append(
            Row(f"beyond-NN coupling norm of that coarse chain, K={K}", 0.0, opt.beyond[1], tol["exact"], "consistency")
        )
        rows.append(Row(f"KL residual of that coarse chain (nats), K={K}", 0.0, opt.kl[1], tol["exact"], "consistency"))
        rows.append(
            Row(
                f"K' of the best trained unit's coarse chain vs R_2(K), K={K}",
                R,
                tr.couplings[1],
                tol["trained_coupling"],
            )
        )
        rand = np.array([coarse_flow(flows, K, f"random {i}").couplings[1] for i in range(P.random_units)])
        frac = float(np.mean(np.abs(rand - R) <= tol["trained_coupling"]))
        rows.append(
            Row(
                f"fraction of random units with |K' - R_2(K)| <= {tol['trained_coupling']:g}, K={K}",
                1.0,
                frac,
                1.0 - tol["control_fraction"],
                role="control",
            )
        )
    return rows


def measure_rsmi_flow_registered(P, tol) -> list[Row]:
    """I.C2 as registered: its evidence is that at most a fraction of random-unit stacks come as close to
    R_2^2(K) as the RSMI flow; the K_l rows follow once the optimal unit is decimation (consistency)."""
    rows = []
    for K in P.Ks:
        flow_rows, frac, depth = _rsmi_flow_rows(P, tol, K)
        rows += flow_rows
        rows.append(
            Row(
                f"fraction of random stacks with |K_{depth} - R_2^{depth}(K)| <= {tol['control']:g}, K={K} "
                f"(at most {tol['control_fraction']:g})",
                0.0,
                frac,
                tol["control_fraction"],
            )
        )
    return rows


def measure_rsmi_flow(P, tol) -> list[Row]:
    """I.C2a: the unit re-optimized at each level is decimation (evidence), so K_l = R_2^l(K) (consistency);
    random stacks as control."""
    rows = []
    flows = run_coarse(P)
    for K in P.Ks:
        f = coarse_flow(flows, K, "RSMI-optimal")
        flow_rows, frac, depth = _rsmi_flow_rows(P, tol, K)
        for lev in range(1, depth + 1):
            unit = describe_unit(f.units[lev - 1])
            rows.append(
                Row(
                    f"the unit re-optimized at level {lev} is decimation (1 = yes; {unit}), K={K}",
                    1.0,
                    float(unit.startswith("decimation")),
                    0.0,
                )
            )
        rows += flow_rows
        rows.append(
            Row(
                f"fraction of random stacks with |K_{depth} - R_2^{depth}(K)| <= {tol['control']:g}, K={K}",
                1.0,
                frac,
                1.0 - tol["control_fraction"],
                role="control",
            )
        )
    return rows
