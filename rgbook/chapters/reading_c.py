r"""Chapter *Reading C: information-theoretic optimality* (``book/reading_c.md``).

Reading C takes "optimal" in the sense of real-space mutual information (RSMI;
Koch-Janusz and Ringel 2018, Lenggenhager et al. 2020): a stochastic binary unit per block of
``b`` spins, :math:`P(h=\pm1\mid v) = \sigma(\pm2(w\cdot v + c))`, is optimal when it maximizes
:math:`I(H; E)`, the mutual information between the coarse variable and the environment
beyond a buffer of ``L_B`` sites on each side of the block. Everything is exact (enumeration).

Claims ``I.C1`` (the RSMI-optimal unit is decimation and its coarse chain is the RG chain),
``I.C2`` (re-optimized RSMI units stacked in depth follow :math:`R_2^l(K)` to :math:`K^*=0`)
and ``I.C3`` (the infomax layer, maximizing :math:`I(s; y)`, is not decimation). Control rows
(random units) are ordinary rows whose quantity starts with ``"control:"``; rows that cannot
fail short of a bug start with ``"consistency:"``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..claims import Claim, Row

__all__ = ["CHAPTER", "Protocol", "PROTOCOL", "FIGURES", "CLAIMS"]

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
        Controls: units with :math:`w, c \sim \mathcal N(0, \text{scale}^2)`, seeds
        ``random_seed + i``.
    infomax_N, infomax_m, infomax_restarts, infomax_steps, infomax_lr, infomax_seed
        Infomax layer ``N -> m`` on the open chain, restarts batched over all ``Ks``.
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

    def smoke(self) -> Protocol:
        """A small variant for the test suite."""
        return replace(self, Ks=(1.0,), buffers=(0, 1), window=2, check_N=10, restarts=2, steps=20,
                       n_directions=8, coarse_N=8, random_units=3, infomax_N=4, infomax_m=2, infomax_restarts=2,
                       infomax_steps=20)


PROTOCOL = Protocol()

FIGURES = ("fig-reading-c-information", "fig-reading-c-flow", "fig-reading-c-infomax")


# --------------------------------------------------------------------------------------
# claims (statements and tolerances fixed before the measuring code exists)


def measure_rsmi_optimum(P: Protocol, tol) -> list[Row]:
    """I.C1 (not yet implemented)."""
    raise NotImplementedError


def measure_rsmi_flow(P: Protocol, tol) -> list[Row]:
    """I.C2 (not yet implemented)."""
    raise NotImplementedError


def measure_infomax(P: Protocol, tol) -> list[Row]:
    """I.C3 (not yet implemented)."""
    raise NotImplementedError


_PAPER_CLAIM = (
    "Paper I: for 1D Ising input data, once the FC DNN's parameters are optimal after training, the limit of the "
    "coupling constant in the partition function of the network output equals the stable fixed point of the "
    "coupling constant under real-space RG of the input (abstract)."
)

CLAIMS = (
    Claim(
        id="I.C1",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Reading C, the RSMI-optimal unit: for the zero-field chain at K in {{0.5, 1, 1.5}}, a block of b = 2 "
            "spins and buffers L_B in {{0, 1, 2}}, (i) the unit P(h|v) = sigma(2h(w.v + c)) maximizing the exact "
            "I(H; E) (supremum over (w, c), attained in the deterministic limit) is decimation h = v_1 (or v_2): "
            "its I(H; E) equals I(v_1; E) within {exact} nats, and no Boolean function of the block (threshold or "
            "not) exceeds it by more than {exact}; (ii) the best of the gradient-trained restarts reaches that "
            "supremum within {trained} nats; (iii) applied to every block of an open chain of 16 spins, the optimal "
            "unit's coarse chain has K' = R_2(K) within {exact}, beyond-nearest-neighbour all-pairs couplings of "
            "norm below {exact} and KL residual below {exact}; the best trained unit's K' equals R_2(K) within "
            "{trained_coupling}. Controls (10 random units, w, c ~ N(0, 1)): at most a fraction {control_fraction} "
            "of them have K' within {trained_coupling} of R_2(K), and at most a fraction {control_fraction} reach "
            "{control_information} of the optimal I(H; E)."
        ),
        tolerances={"exact": 1e-6, "trained": 1e-3, "trained_coupling": 0.01, "control_fraction": 0.5,
                    "control_information": 0.9},
        chapter=CHAPTER,
        measure=measure_rsmi_optimum,
        protocol=PROTOCOL,
        figure="fig-reading-c-information",
    ),
    Claim(
        id="I.C2",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Reading C, depth: coarse-graining the open chain 16 -> 8 -> 4 with the RSMI-optimal b = 2 unit, "
            "re-optimized on the exact coarse distribution at each level (buffer L_B = 1), gives couplings K_l "
            "equal to the RG iterates R_2^l(K) within {exact} (K in {{0.5, 1, 1.5}}, l = 1, 2), with "
            "beyond-nearest-neighbour coupling norm below {exact}; hence K_l -> K* = 0 as R_2^l(K) does. "
            "Control: at most a fraction {control_fraction} of 10 random-unit stacks have K_2 within {control} of "
            "R_2^2(K)."
        ),
        tolerances={"exact": 1e-6, "control": 0.05, "control_fraction": 0.5},
        chapter=CHAPTER,
        measure=measure_rsmi_flow,
        protocol=PROTOCOL,
        figure="fig-reading-c-flow",
    ),
    Claim(
        id="I.C3",
        paper="I",
        reading="C",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Reading C, infomax: a layer of 4 stochastic binary units on the open chain of 8 spins trained (12 "
            "restarts, batched) to maximize the exact I(s; y) is not decimation: at K in {{0.5, 1, 1.5}} (i) its best "
            "I(s; y) exceeds that of deterministic decimation (4 kept spins) by at least {information_gain} nats, "
            "and (ii) every restart within {near} nats of the best I(s; y) has output coupling K' (units oriented, "
            "receptive-field order) below R_2(K) by at least {coupling_gap}: infomax decorrelates the outputs "
            "instead of keeping the RG coupling. Controls (10 random layers, W, c ~ N(0, 1)): at most a fraction "
            "{control_fraction} of them come within {near} nats of the infomax I(s; y)."
        ),
        tolerances={"information_gain": 0.05, "near": 1e-3, "coupling_gap": 0.1, "control_fraction": 0.5},
        chapter=CHAPTER,
        measure=measure_infomax,
        protocol=PROTOCOL,
        figure="fig-reading-c-infomax",
    ),
)
