r"""Chapter *Reading A: optimal reconstruction and the depth limit* (``book/reading_a.md``).

Claims ``I.A1`` (the best of many restarts of an ``N -> N/2`` autoencoder, trained on the
exact reconstruction loss of an open zero-field chain, is decimation and has output coupling
:math:`R_2(K)`) and ``I.A2`` (greedy stacks of such layers track the RG iterates
:math:`R_2^l(K)`). Inputs are enumerated, losses are exact expectations, and output
couplings are KL projections of exact output distributions (:mod:`rgbook.networks`). The runs live
in :mod:`rgbook.chapters.reading_a_runs`, tables and figures in :mod:`rgbook.chapters.reading_a_plots`;
this module re-exports both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import ising, networks, rg
from .._protocol import arrow_chain
from ..claims import PAPER_I_CLAIM, Claim, Row
from ..figures import weight_heatmap as plot_layer_weights
from ..thresholds import mirror_images, threshold_units
from .reading_a_plots import (
    BELOW_MARGIN,
    convergence_table,
    gap_table,
    measures_table,
    near_optimal_table,
    plot_coupling_spread,
    plot_loss_curves,
    plot_pair_couplings,
    plot_restart_losses,
    plot_stack_flow,
    single_layer_table,
    stack_flow,
    stack_measures_table,
)
from .reading_a_runs import (
    PAIRS_L2,
    Continued,
    Convergence,
    OutputMeasures,
    RestartMeasures,
    RestartsAtK,
    SingleLayer,
    StackFlow,
    ThresholdEncoder,
    ThresholdSearch,
    continue_near_optimal,
    convergence,
    layer_measures,
    output_measures,
    random_stacks,
    restart_measures,
    run_single_layer,
    run_stacks,
    threshold_search,
)

# fmt: off
__all__ = [
    "BELOW_MARGIN", "PAIRS_L2", "CHAPTER", "Protocol", "PROTOCOL", "RestartsAtK", "SingleLayer", "StackFlow",
    "run_single_layer", "run_stacks", "single_layer_table", "plot_restart_losses", "plot_layer_weights",
    "plot_pair_couplings", "plot_stack_flow", "FIGURES", "CLAIMS", "OutputMeasures", "output_measures",
    "layer_measures", "Convergence", "convergence", "Continued", "continue_near_optimal", "RestartMeasures",
    "restart_measures", "threshold_units", "ThresholdEncoder", "ThresholdSearch", "threshold_search",
    "mirror_images", "random_stacks", "convergence_table", "near_optimal_table", "gap_table", "measures_table",
    "stack_measures_table", "plot_loss_curves", "plot_coupling_spread"
]
# fmt: on

CHAPTER = "book/reading_a"


@dataclass(frozen=True)
class Protocol:
    """Reading A: one layer ``N -> N/2`` at several couplings, and greedy stacks.

    Attributes
    ----------
    N, Ks, restarts, steps, lr, seed
        The single-layer experiment: open zero-field chains of ``N`` spins at couplings ``Ks``,
        restart ``r`` initialized from ``torch.Generator().manual_seed(seed + r)``, full-batch
        Adam on the exact loss.
    ring_K
        Coupling of the periodic-ring repeat (same restarts and steps).
    stack_N, stack_depth, stack_Ks, stack_restarts, stack_steps, stack_lr, stack_seed, stack_beta
        Greedy stacks ``stack_N -> stack_N/2 -> ...`` (``stack_depth`` layers); trained layers
        at level ``l`` use seeds ``stack_seed + 1000 l + r``; the decimation control has weight
        scale ``stack_beta``, the random control seeds ``stack_seed + l``.
    control_seeds, control_seed
        ``I.A1``'s controls: ``control_seeds`` random layers ``N -> N/2`` of seeds
        ``control_seed + k`` (the first is the stack's level-1 random layer when
        ``control_seed = stack_seed``), each applied to the ``N``-spin chain.
    plateau_rtol, near_optimal
        Diagnostics, not claims: a restart is *at a plateau* when its loss changed by less than
        ``plateau_rtol`` (relative, either way) over the last quarter of its training; restarts within
        ``near_optimal`` nats per spin of the best loss are *near-optimal*.
    search_starts, search_width, search_seed
        Local search over deterministic threshold encoders (units ``sign(w.s - theta)``,
        ``w`` in {-1, 0, 1} on at most ``search_width`` consecutive spins), scored with the
        optimal decoder: ``search_starts`` random starts (``numpy.random.default_rng(search_seed)``)
        besides decimation and the trained restarts' deterministic limits.
    stack_control_stacks
        Random stacks for the intervals of the depth experiment: stack ``k`` has seeds
        ``stack_seed + stack_depth * k + l`` (``k = 0`` is the claim's random stack).
    n_boot
        Bootstrap resamples (over restarts or seeds) of every interval.
    continue_steps
        The near-optimal restarts are trained this many steps further (fresh Adam state), to see
        whether their loss and output coupling have settled.
    """

    N: int = 8
    Ks: tuple[float, ...] = (0.5, 1.0, 1.5)
    restarts: int = 12
    steps: int = 2000
    lr: float = 0.05
    seed: int = 0
    ring_K: float = 1.0
    stack_N: int = 12
    stack_depth: int = 2
    stack_Ks: tuple[float, ...] = (1.0, 1.5)
    stack_restarts: int = 6
    stack_steps: int = 1500
    stack_lr: float = 0.05
    stack_seed: int = 100
    stack_beta: float = 8.0
    control_seeds: int = 10
    control_seed: int = 100
    plateau_rtol: float = 1e-4
    near_optimal: float = 1e-3
    search_starts: int = 16
    search_width: int = 4
    search_seed: int = 0
    stack_control_stacks: int = 10
    n_boot: int = 2000
    continue_steps: int = 1000

    def smoke(self) -> Protocol:
        """A small variant for the test suite (a few restarts, few steps, small chains)."""
        return replace(
            self,
            N=4,
            Ks=(0.5, 1.0),
            restarts=2,
            steps=20,
            stack_N=8,
            stack_Ks=(1.0,),
            stack_restarts=2,
            stack_steps=10,
            search_starts=2,
            stack_control_stacks=2,
            n_boot=50,
            continue_steps=10,
        )

    @property
    def layer(self) -> str:
        """The single layer's shape, ``"8 -> 4"`` (for the claims' statements)."""
        return f"{self.N} -> {self.N // 2}"

    @property
    def stack_chain(self) -> str:
        """The sizes of a greedy stack, ``"12 -> 6 -> 3"``."""
        return arrow_chain(self.stack_N // 2**level for level in range(self.stack_depth + 1))


PROTOCOL = Protocol()


FIGURES = (
    "fig-reading-a-restarts",
    "fig-reading-a-weights",
    "fig-reading-a-pairs",
    "fig-reading-a-stack",
    "fig-reading-a-curves",
    "fig-reading-a-spread",
)


# --------------------------------------------------------------------------------------
# claims


def measure_coupling(P: Protocol, tol) -> list[Row]:
    """I.A1: best restart's loss vs the decimation reference and its output coupling vs R_2(K).

    Controls (same prediction, untrained): the random layers of the stack experiment's first
    level, each applied to the ``N``-spin chain: their output coupling against R_2(K).
    """
    rows = []
    s = ising.all_configurations(P.N)
    for r in run_single_layer(P).by_K:
        rows.append(
            Row(
                f"best loss per spin vs decimation (closed form), K={r.K}",
                r.reference_loss,
                float(r.losses.min()),
                tol["loss"],
            )
        )
        rows.append(
            Row(
                f"best network's output K' vs R_2(K), K={r.K}",
                r.rg_coupling,
                float(r.best_coupling[0]),
                tol["coupling"],
            )
        )
        p = ising.enumerate_chain(P.N, r.K)[1]
        for seed in range(P.control_seeds):
            W, c = networks.random_weights(P.N // 2, P.N, seed=P.control_seed + seed)
            Kp = networks.layer_coupling(W, c, s, p)[0]
            rows.append(
                Row(
                    f"random layer (seed {P.control_seed + seed}): output K' vs R_2(K), K={r.K}",
                    r.rg_coupling,
                    float(Kp),
                    tol["coupling"],
                    "control",
                )
            )
    return rows


def measure_stack(P: Protocol, tol) -> list[Row]:
    """I.A2: K_l of greedy stacks against R_2^l(K); the random stack is the control, the decimation stack
    a consistency check (exact by construction: it can only fail by a bug)."""
    rows = []
    flows = run_stacks(P)
    for K in P.stack_Ks:
        predicted = rg.flow(K, 0.0, 2, steps=P.stack_depth)[0]
        for mode, t, role in (
            ("trained", tol["trained"], "evidence"),
            ("random", tol["trained"], "control"),
            ("decimation", tol["decimation"], "consistency"),
        ):
            Kl = stack_flow(flows, K, mode).couplings
            for lev in range(1, P.stack_depth + 1):
                rows.append(
                    Row(
                        f"K_{lev} of the {mode} stack vs R_2^{lev}(K), K={K}",
                        float(predicted[lev]),
                        float(Kl[lev]),
                        t,
                        role,
                    )
                )
    return rows


_PAPER_CLAIM = PAPER_I_CLAIM + (
    " Our stronger readings ask more than the limit: I.A1 that the optimal layer is decimation (K' = "
    "R_2(K) after one layer), I.A2 that training follows the RG steps (K_l = R_2^l(K) at every depth)."
)

CLAIMS = (
    Claim(
        id="I.A1",
        title="the optimal layer is decimation",
        paper="I",
        reading="A",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Ours (stronger than the paper's claim), the optimal layer is decimation. Reading A, one layer: for the "
            "open zero-field chain of N = {protocol.N} spins at K in {{{protocol.Ks}}}, the best of "
            "{protocol.restarts} restarts of an {protocol.layer} stochastic binary encoder with a factorized decoder, "
            "trained on the exact reconstruction loss, (i) reaches the loss of decimation with the optimal decoder "
            "(closed form, tolerance {loss} nats per spin) and (ii) has output coupling K' (KL projection onto the NN "
            "chain, units oriented and in receptive-field order) equal to R_2(K) within {coupling}. Controls, same "
            "prediction: {protocol.control_seeds} random layers {protocol.layer}."
        ),
        tolerances={"loss": 1e-3, "coupling": 0.02},
        chapter=CHAPTER,
        measure=measure_coupling,
        protocol=PROTOCOL,
        figure="fig-reading-a-weights",
    ),
    Claim(
        id="I.A2",
        title="training follows the RG steps",
        paper="I",
        reading="A",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Ours (stronger than the paper's claim), training follows the RG steps. Reading A, depth: greedy stacks "
            "{protocol.stack_chain}, each layer the best of {protocol.stack_restarts} restarts trained on the previous "
            "level's exact output distribution, have output couplings K_l within {trained} of the RG iterates R_2^l(K) "
            "(K in {{{protocol.stack_Ks}}}), which flow to the stable fixed point K* = 0. Control, same prediction: "
            "the random stack; consistency check: the decimation stack matches R_2^l(K) to {decimation}."
        ),
        tolerances={"trained": 0.05, "decimation": 1e-4},
        chapter=CHAPTER,
        measure=measure_stack,
        protocol=PROTOCOL,
        figure="fig-reading-a-stack",
        constants=("0",),
    ),
)
