r"""Chapter *Reading C: information-theoretic optimality* (``book/reading_c.md``).

Reading C takes "optimal" in the sense of real-space mutual information (RSMI;
Koch-Janusz and Ringel 2018, Lenggenhager et al. 2020): a stochastic binary unit per block of
``b`` spins, :math:`P(h=\pm1\mid v) = \sigma(\pm2(w\cdot v + c))`, is optimal when it maximizes
:math:`I(H; E)`, the mutual information between the coarse variable and the environment
beyond a buffer of ``L_B`` sites on each side of the block. Everything is exact (enumeration).
The RSMI units are block-local (each sees the ``b`` spins of its block); ``I.C4`` lets them see
a window of two blocks.

Claims ``I.C1`` (the RSMI-optimal unit is decimation and its coarse chain is the RG chain),
``I.C2`` (re-optimized RSMI units stacked in depth follow :math:`R_2^l(K)` to :math:`K^*=0`),
``I.C3`` (the infomax layer, maximizing :math:`I(s; y)`, is not decimation), their amendments
``I.C1a`` and ``I.C2b`` (random deterministic units and stacks as controls, control fractions on
Clopper-Pearson intervals; ``I.C2b`` amends ``I.C2a``, itself an amendment of ``I.C2``) and
``I.C3a`` (the infomax optimum by direct search), and ``I.C4`` (a fully connected RSMI layer
keeps one decimation per block). Control rows (random units, ``role="control"``) pass when a
fraction ``control_fraction`` or more of the random units satisfy the claim's prediction, which
makes the claim "holds but not specific to training"; the Markov-reduction check is a
consistency row. Runs live in :mod:`rgbook.chapters.reading_c_runs` (with every seed), the
rows of the measures in :mod:`rgbook.chapters.reading_c_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .._protocol import arrow_chain
from ..claims import PAPER_I_CLAIM, Claim, Row
from ..information import channel_information as rsmi
from ..networks import layer_information
from ..rsmi import (
    beyond_nn_norm,
    block_environment_from_distribution,
    block_environment_joint,
    boolean_optimum,
    coarse_distribution,
    decimation_margin,
    describe_unit,
    ring_block_environment_joint,
    threshold_optimum,
    unit_table,
)
from ..thresholds import threshold_tables
from .reading_c_rows import (
    det_flow_rows,
    det_optimum_rows,
    fc_rsmi_rows,
    infomax_rows,
    infomax_search_rows,
    measure_rsmi_flow,
    measure_rsmi_flow_registered,
    measure_rsmi_optimum,
)
from .reading_c_runs import (
    CoarseChain,
    DetControls,
    FcRsmiAtK,
    InfomaxAtK,
    InfomaxSearchAtK,
    RingCheck,
    RsmiAtK,
    coarse_flow,
    random_units,
    rsmi_at,
    run_coarse,
    run_det_controls,
    run_fc_rsmi,
    run_infomax,
    run_infomax_search,
    run_ring_checks,
    run_rsmi,
)

# fmt: off
__all__ = [
    "CHAPTER", "Protocol", "PROTOCOL", "block_environment_joint", "block_environment_from_distribution",
    "unit_table", "rsmi", "threshold_tables", "boolean_optimum", "threshold_optimum", "describe_unit",
    "coarse_distribution", "beyond_nn_norm", "RsmiAtK", "run_rsmi", "CoarseChain", "run_coarse", "InfomaxAtK",
    "run_infomax", "layer_information", "decimation_margin", "RingCheck", "ring_block_environment_joint",
    "run_ring_checks", "DetControls", "run_det_controls", "InfomaxSearchAtK", "run_infomax_search", "random_units",
    "rsmi_at", "coarse_flow", "FcRsmiAtK", "run_fc_rsmi", "FIGURES", "CLAIMS"
]
# fmt: on

CHAPTER = "book/reading_c"


@dataclass(frozen=True)
class Protocol:
    """Reading C: RSMI-optimal block units, their coarse chains, and the infomax layer.

    Attributes
    ----------
    Ks, buffers, b
        Input couplings (zero-field chain), buffer widths :math:`L_B` and block size of the
        RSMI experiment.
    window
        Environment sites kept on each side beyond the buffer in the enumeration check
        (the Markov reduction keeps only the nearest one).
    check_N
        Length of the open chain enumerated for that check (block in the middle).
    restarts, steps, lr, seed
        Gradient ascent on the exact :math:`I(H;E)`: restarts of every ``(K, L_B)`` batched in
        one :func:`rgbook.training.fit` call; restart ``r`` seeded ``seed + r``.
    scales, n_directions
        Direct search: ``n_directions`` directions of ``(w, c)`` times the scales (``inf`` is the
        deterministic threshold limit).
    coarse_N, flow_buffer
        Open chain coarse-grained block by block (``coarse_N -> coarse_N/b -> coarse_N/b^2``);
        the buffer width used to pick the unit for it.
    random_units, random_seed, random_scale
        Controls: units with ``w, c ~ N(0, random_scale^2)``; single units from
        ``default_rng(random_seed + i)``, the random stacks of the flow a fresh unit at each level from
        ``default_rng(random_seed + 1000 * level + i)`` (:mod:`rgbook.chapters.reading_c_runs` lists every seed).
    infomax_N, infomax_m, infomax_restarts, infomax_steps, infomax_lr, infomax_seed
        Infomax layer ``N -> m`` on the open chain, restarts batched over all ``Ks``.
    det_units, det_stacks, control_level
        Deterministic controls (``I.C1a``, ``I.C2b``): threshold units ``sign(w.v + c)``
        with ``w, c ~ N(0, 1)`` on a block, ``det_units`` single units and ``det_stacks``
        stacks (a fresh unit per level); control fractions carry a Clopper-Pearson interval of
        confidence ``control_level``.
    infomax_width, infomax_search_starts, infomax_search_seed, infomax_controls
        Direct infomax search (``I.C3a``): pool of threshold units with ``w`` in ``{-1, 0, 1}^N`` on windows
        of at most ``infomax_width`` spins, coordinate ascent from ``infomax_search_starts`` random starts
        (``default_rng(infomax_search_seed)``); ``infomax_controls`` random layers of pool units as control.
    fc_blocks, fc_random
        Fully connected RSMI layer (``I.C4``): a window of ``fc_blocks`` blocks, as many units, each seeing
        every spin of the window; ``fc_random`` random fully connected threshold layers as control
        (``default_rng(random_seed + 40000 + i)``).
    ring_Ns, ring_K, ring_buffer
        Scope check: periodic rings of ``ring_Ns`` spins at coupling ``ring_K``, block at sites
        0, 1 and buffer ``ring_buffer``, environment the rest of the ring (by enumeration).
    """

    Ks: tuple[float, ...] = (0.5, 1.0, 1.5)
    buffers: tuple[int, ...] = (0, 1, 2)
    b: int = 2
    window: int = 3
    check_N: int = 16
    restarts: int = 12
    steps: int = 1500
    lr: float = 0.1
    seed: int = 0
    scales: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, float("inf"))
    n_directions: int = 72
    coarse_N: int = 16
    flow_buffer: int = 1
    random_units: int = 10
    random_seed: int = 500
    random_scale: float = 1.0
    infomax_N: int = 8
    infomax_m: int = 4
    infomax_restarts: int = 12
    infomax_steps: int = 2000
    infomax_lr: float = 0.05
    infomax_seed: int = 900
    ring_Ns: tuple[int, ...] = (10, 14, 18, 20, 22, 26, 30, 40, 60)
    ring_K: float = 1.5
    ring_buffer: int = 0
    det_units: int = 200
    det_stacks: int = 40
    control_level: float = 0.95
    infomax_width: int = 8
    infomax_search_starts: int = 60
    infomax_search_seed: int = 1900
    infomax_controls: int = 200
    fc_blocks: int = 2
    fc_random: int = 200

    def smoke(self) -> Protocol:
        """A small variant for the test suite."""
        return replace(
            self,
            Ks=(1.0,),
            buffers=(0, 1),
            window=2,
            check_N=10,
            restarts=2,
            steps=20,
            n_directions=4,
            coarse_N=8,
            random_units=3,
            infomax_N=4,
            infomax_m=2,
            infomax_restarts=2,
            infomax_steps=20,
            ring_Ns=(6, 8),
            det_units=20,
            det_stacks=4,
            infomax_width=4,
            infomax_search_starts=3,
            infomax_controls=5,
            fc_random=10,
        )

    @property
    def random_variance(self) -> float:
        """Variance of the control units' ``w, c``."""
        return self.random_scale**2

    @property
    def coarse_sizes(self) -> tuple[int, ...]:
        """Chain lengths of the coarse-graining, ``(16, 8, 4)``: divided by ``b`` while longer than ``2 b``
        (as :func:`_flow` stops)."""
        sizes = [self.coarse_N]
        while sizes[-1] > 2 * self.b:
            sizes.append(sizes[-1] // self.b)
        return tuple(sizes)

    @property
    def coarse_chain(self) -> str:
        """The coarse-graining as a chain of sizes, ``"16 -> 8 -> 4"``."""
        return arrow_chain(self.coarse_sizes)

    @property
    def coarse_levels(self) -> tuple[int, ...]:
        """The coarse levels ``1..depth`` of the flow."""
        return tuple(range(1, len(self.coarse_sizes)))

    @property
    def coarse_depth(self) -> int:
        """The last level of the flow."""
        return len(self.coarse_sizes) - 1


PROTOCOL = Protocol()

FIGURES = ("fig-reading-c-information", "fig-reading-c-flow", "fig-reading-c-infomax")


# --------------------------------------------------------------------------------------
# claims (statements and tolerances fixed before the measuring code exists)


def measure_infomax(P: Protocol, tol) -> list[Row]:
    """I.C3: the infomax layer gains information over decimation and its K' falls short of R_2(K)."""
    return infomax_rows(P, tol)


def measure_rsmi_optimum_det(P: Protocol, tol) -> list[Row]:
    """I.C1a: I.C1's evidence, with random deterministic units beside the stochastic ones as controls."""
    return det_optimum_rows(P, tol, measure_rsmi_optimum(P, tol))


def measure_rsmi_flow_det(P: Protocol, tol) -> list[Row]:
    """I.C2b: I.C2a's evidence, controls with intervals and random deterministic stacks."""
    return det_flow_rows(P, tol, measure_rsmi_flow(P, tol))


def measure_infomax_search(P: Protocol, tol) -> list[Row]:
    """I.C3a: the infomax optimum by direct search over deterministic threshold layers."""
    return infomax_search_rows(P, tol)


def measure_fc_rsmi(P: Protocol, tol) -> list[Row]:
    """I.C4: the fully connected RSMI layer's optimum, exhaustively, and whether it is block-local."""
    return fc_rsmi_rows(P, tol)


_PAPER_CLAIM = PAPER_I_CLAIM

CLAIMS = (
    Claim(
        id="I.C1",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Reading C, the RSMI-optimal unit: for the zero-field chain at K in {{{protocol.Ks}}}, a block of b = "
            "{protocol.b} spins and buffers L_B in {{{protocol.buffers}}}, (i) the unit P(h|v) = sigma(2h(w.v + c)) "
            "maximizing the exact I(H; E) (supremum over (w, c), attained in the deterministic limit) is decimation h "
            "= v_1 (or v_2): its I(H; E) equals I(v_1; E) within {exact} nats, and no Boolean function of the block "
            "(threshold or not) exceeds it by more than {exact}; (ii) the best of the gradient-trained restarts "
            "reaches that supremum within {trained} nats; (iii) applied to every block of an open chain of "
            "{protocol.coarse_N} spins, the optimal unit's coarse chain has K' = R_{protocol.b}(K) within {exact}, "
            "beyond-nearest-neighbour all-pairs couplings of norm below {exact} and KL residual below {exact}; the "
            "best trained unit's K' equals R_{protocol.b}(K) within {trained_coupling}. Controls "
            "({protocol.random_units} random units, w, c ~ N(0, {protocol.random_variance})) satisfy the claim, which "
            "is then not specific to training, if a fraction {control_fraction} or more of them have K' within "
            "{trained_coupling} of R_{protocol.b}(K), or reach {control_information} of the optimal I(H; E)."
        ),
        tolerances={
            "exact": 1e-6,
            "trained": 1e-3,
            "trained_coupling": 0.01,
            "control_fraction": 0.5,
            "control_information": 0.9,
        },
        chapter=CHAPTER,
        measure=measure_rsmi_optimum,
        protocol=PROTOCOL,
        figure="fig-reading-c-information",
        constants=("sigma(2h", "N(0,"),
    ),
    Claim(
        id="I.C2",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        title="RSMI coarse-graining in depth follows R_2^l (as registered)",
        statement=(
            "Reading C, depth: coarse-graining the open chain {protocol.coarse_chain} with the RSMI-optimal "
            "b = {protocol.b} unit, re-optimized on the exact coarse distribution at each level (buffer "
            "L_B = {protocol.flow_buffer}), gives couplings K_l equal to the RG iterates R_{protocol.b}^l(K) within "
            "{exact} (K in {{{protocol.Ks}}}, l = {protocol.coarse_levels}), with beyond-nearest-neighbour coupling "
            "norm below {exact}; hence K_l -> K* = 0 as R_{protocol.b}^l(K) does. Control: at most a fraction "
            "{control_fraction} of {protocol.random_units} random-unit stacks have K_{protocol.coarse_depth} within "
            "{control} of R_{protocol.b}^{protocol.coarse_depth}(K)."
        ),
        tolerances={"exact": 1e-6, "control": 0.05, "control_fraction": 0.5},
        chapter=CHAPTER,
        measure=measure_rsmi_flow_registered,
        protocol=PROTOCOL,
        figure="fig-reading-c-flow",
        constants=("0",),
    ),
    Claim(
        id="I.C2a",
        amends="I.C2",
        title="RSMI coarse-graining in depth: the re-optimized unit stays decimation (amended)",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Reading C, depth: coarse-graining the open chain {protocol.coarse_chain} with the RSMI-optimal "
            "b = {protocol.b} unit, re-optimized on the exact coarse distribution at each level (buffer "
            "L_B = {protocol.flow_buffer}), the unit chosen at each level l = {protocol.coarse_levels} is decimation "
            "(K in {{{protocol.Ks}}}); consistency: the couplings K_l then equal the RG iterates R_{protocol.b}^l(K) "
            "within {exact}, with beyond-nearest-neighbour coupling norm below {exact}, hence K_l -> K* = 0 as "
            "R_{protocol.b}^l(K) does. Control: the claim is not specific to training if a fraction "
            "{control_fraction} or more of {protocol.random_units} random-unit stacks have K_{protocol.coarse_depth} "
            "within {control} of R_{protocol.b}^{protocol.coarse_depth}(K)."
        ),
        tolerances={"exact": 1e-6, "control": 0.05, "control_fraction": 0.5},
        chapter=CHAPTER,
        measure=measure_rsmi_flow,
        protocol=PROTOCOL,
        figure="fig-reading-c-flow",
        constants=("0",),
    ),
    Claim(
        id="I.C3",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Reading C, infomax: a layer of {protocol.infomax_m} stochastic binary units on the open chain of "
            "{protocol.infomax_N} spins trained ({protocol.infomax_restarts} restarts, batched) to maximize the exact "
            "I(s; y) is not decimation: at K in {{{protocol.Ks}}} (i) its best I(s; y) exceeds that of deterministic "
            "decimation ({protocol.infomax_m} kept spins) by at least {information_gain} nats, and (ii) every restart "
            "within {near} nats of the best I(s; y) has output coupling K' (units oriented, receptive-field order) "
            "below R_2(K) by at least {coupling_gap}: infomax decorrelates the outputs instead of keeping the RG "
            "coupling. Controls ({protocol.random_units} random layers, W, c ~ N(0, 1)): the claim is not specific to "
            "training if a fraction {control_fraction} or more of them come within {near} nats of the infomax I(s; y)."
        ),
        tolerances={"information_gain": 0.05, "near": 1e-3, "coupling_gap": 0.1, "control_fraction": 0.5},
        chapter=CHAPTER,
        measure=measure_infomax,
        protocol=PROTOCOL,
        figure="fig-reading-c-infomax",
        constants=("N(0, 1)",),
    ),
    Claim(
        id="I.C1a",
        amends="I.C1",
        title="The RSMI-optimal unit, against random deterministic units (amended controls)",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Reading C, the RSMI-optimal unit, evidence as in I.C1: for the zero-field chain at K in "
            "{{{protocol.Ks}}}, a block of b = {protocol.b} spins and buffers L_B in {{{protocol.buffers}}}, the unit "
            "maximizing the exact I(H; E) is decimation (its I(H; E) equals I(v_1; E) within {exact} nats and no "
            "Boolean function of the block exceeds it by more than {exact}); the best gradient-trained restart reaches "
            "it within {trained} nats; the optimal unit's coarse chain of the open chain of {protocol.coarse_N} spins "
            "has K' = R_{protocol.b}(K) within {exact} and the best trained unit's within {trained_coupling}. "
            "Controls, two sets of block-local units: {protocol.random_units} random stochastic units (w, c ~ N(0, "
            "{protocol.random_variance})) and {protocol.det_units} random deterministic threshold units sign(w.v + c) "
            "(w, c ~ N(0, {protocol.random_variance})); the claim is not specific to training if, for either set, a "
            "fraction {control_fraction} or more reach {control_information} of the optimal I(H; E) or have K' within "
            "{trained_coupling} of R_{protocol.b}(K), judged on the fraction's {protocol.control_level} "
            "Clopper-Pearson interval (undecided when the interval straddles {control_fraction})."
        ),
        tolerances={
            "exact": 1e-6,
            "trained": 1e-3,
            "trained_coupling": 0.01,
            "control_fraction": 0.5,
            "control_information": 0.9,
        },
        chapter=CHAPTER,
        measure=measure_rsmi_optimum_det,
        protocol=PROTOCOL,
        figure="fig-reading-c-information",
        constants=("N(0,",),
    ),
    Claim(
        id="I.C2b",
        amends="I.C2a",
        title="RSMI coarse-graining in depth, against random deterministic stacks (amended controls)",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Reading C, depth, evidence as in I.C2a: coarse-graining the open chain {protocol.coarse_chain} with the "
            "RSMI-optimal b = {protocol.b} unit, re-optimized on the exact coarse distribution at each level (buffer "
            "L_B = {protocol.flow_buffer}), the unit chosen at each level l = {protocol.coarse_levels} is decimation "
            "(K in {{{protocol.Ks}}}); consistency: K_l = R_{protocol.b}^l(K) within {exact} with beyond-nearest-"
            "neighbour coupling norm below {exact}. Controls, two sets of block-local stacks (a fresh unit at each "
            "level): {protocol.random_units} random stochastic stacks (w, c ~ N(0, {protocol.random_variance})) and "
            "{protocol.det_stacks} random deterministic threshold stacks (sign(w.v + c), w, c ~ N(0, "
            "{protocol.random_variance})); the claim is not specific to training if, for either set, a fraction "
            "{control_fraction} or more have K_{protocol.coarse_depth} within {control} of "
            "R_{protocol.b}^{protocol.coarse_depth}(K), judged on the fraction's {protocol.control_level} "
            "Clopper-Pearson interval (undecided when the interval straddles {control_fraction})."
        ),
        tolerances={"exact": 1e-6, "control": 0.05, "control_fraction": 0.5},
        chapter=CHAPTER,
        measure=measure_rsmi_flow_det,
        protocol=PROTOCOL,
        figure="fig-reading-c-flow",
        constants=("N(0,",),
    ),
    Claim(
        id="I.C3a",
        amends="I.C3",
        title="The infomax layer at its optimum, by direct search (amended)",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Reading C, infomax at the optimum: over deterministic threshold layers of {protocol.infomax_m} units "
            "sign(w.s - theta) on the open chain of {protocol.infomax_N} spins (the pool: every such unit with w in "
            "{{-1, 0, 1}}^N non-zero on a window of at most {protocol.infomax_width} spins, once up to its sign), "
            "coordinate ascent on the exact I(s; y) = H(y), one unit at a time replaced by the pool's best, from "
            "{protocol.infomax_search_starts} random starts finds at K in {{{protocol.Ks}}} (i) a best layer whose "
            "I(s; y) exceeds that of deterministic decimation by at least {information_gain} nats, and (ii) every "
            "distinct local optimum within {near} nats of the best has output coupling K' (units oriented, "
            "receptive-field order) below R_2(K) by at least {coupling_gap}. Controls, judged by the same two "
            "criteria: the decimation layer, the block-sign layer (each unit the sign of a block of two, ties to "
            "+1) and {protocol.infomax_controls} random layers of pool units; the claim is not specific to the "
            "optimization if the decimation or the block-sign layer meets both criteria, or a fraction "
            "{control_fraction} or more of the random layers do (on the fraction's {protocol.control_level} "
            "Clopper-Pearson interval)."
        ),
        tolerances={"information_gain": 0.05, "near": 1e-3, "coupling_gap": 0.1, "control_fraction": 0.5},
        chapter=CHAPTER,
        measure=measure_infomax_search,
        protocol=PROTOCOL,
        figure="fig-reading-c-infomax",
        constants=("-1, 0, 1", "+1"),
    ),
    Claim(
        id="I.C4",
        title="A fully connected RSMI layer: the optimum stays block-local",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Reading C, fully connected RSMI layer: for the zero-field chain at K in {{{protocol.Ks}}}, a window V "
            "of {protocol.fc_blocks} blocks of b = {protocol.b} spins and buffers L_B in {{{protocol.buffers}}}, "
            "among all layers of {protocol.fc_blocks} deterministic threshold units that each see every spin of "
            "the window (every threshold function of the window's spins, searched exhaustively), (i) the largest "
            "exact I(H; E) equals I(V; E) within {exact} nats, and (ii) every layer within {exact} nats of it is "
            "block-local: each unit is a function of the spins of one block only. Controls: {protocol.fc_random} "
            "random fully connected threshold layers (w, c ~ N(0, {protocol.random_variance}) per unit); the claim "
            "is not specific to the optimization if a fraction {control_fraction} or more of them reach "
            "{control_information} of the largest I(H; E) (on the fraction's {protocol.control_level} "
            "Clopper-Pearson interval)."
        ),
        tolerances={"exact": 1e-9, "control_fraction": 0.5, "control_information": 0.9},
        chapter=CHAPTER,
        measure=measure_fc_rsmi,
        protocol=PROTOCOL,
        figure="fig-reading-c-information",
        constants=("N(0,",),
    ),
)
