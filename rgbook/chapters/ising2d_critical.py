r"""Chapter *A trained coarse-graining at the 2D critical point* (``book/ising2d_critical.md``).

Claims ``2D.rg.sampler``, ``2D.L1``, ``2D.L2``. The square-lattice Ising model at
:math:`K_c = \tfrac12\ln(1+\sqrt2)` is sampled with Swendsen–Wang (:mod:`rgbook.ising2d`); a single
tanh unit :math:`h = \tanh(w\cdot v + c)` on each 2×2 block :math:`v` (weights shared over blocks),
with a logistic decoder of the four spins, is trained by cross-entropy on blocks of critical
configurations; its coarse spin :math:`\operatorname{sign}(w\cdot v)` is then put through the same
MCRG pipeline as the majority rule, decimation, an anti-aligned filter and the untrained units.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from ..claims import Claim
from ..ising2d_learning import MI_BUFFER, MI_ENVIRONMENT
from . import ising2d_critical_measures as _measures
from . import ising2d_critical_plots as _plots
from . import ising2d_critical_runs as _runs
from .ising2d_critical_measures import (
    measure_critical_point,
    measure_exponent,
    measure_fc_critical_point,
    measure_fc_exponent,
    measure_fc_locality,
    measure_fc_readout,
    measure_mi_critical_point,
    measure_mi_exponent,
    measure_precise_exponent,
    measure_sampler,
)
from .ising2d_critical_runs import Exponents


def __getattr__(name: str):
    """The chapter's runs, figures and measures live in its sibling modules; ``ch.NAME`` reaches them."""
    for module in (_runs, _plots, _measures):
        if not name.startswith("__") and hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


CHAPTER = "book/ising2d_critical"


@dataclass(frozen=True)
class Protocol:
    """Sizes, couplings, seeds and training of the chapter.

    Attributes
    ----------
    val_sizes, val_factors, val_chains, val_sweeps : sampler validation (tori, multiples of K_c).
    L, n_levels : MCRG lattice and number of 2x2 blockings (``L`` divisible by ``2**n_levels``).
    mcrg_chains, mcrg_sweeps : chains and recorded sweeps at K_c.
    flow_chains, flow_sweeps : chains and sweeps at K_c(1 +- delta) for the correlation flow.
    delta : relative distance of the off-critical couplings.
    train_chains, train_keep : configurations (chains x kept) whose blocks train the units.
    seeds : training seeds (one unit per seed, trained together).
    steps, lr, init_scale : Adam steps, learning rate, scale of the initial weights (block autoencoder).
    n_boot : seed-bootstrap resamples.
    mi_steps, mi_lr, mi_batch : Adam steps (critic alone, then joint), learning rate and minibatch size of the
        mutual-information unit (same initial weights as the block autoencoder).
    fc_window, fc_stride : side of the fully connected network's square input window and the offset between
        training windows (both multiples of 2; ``fc_window**2 / 4`` hidden units).
    fc_steps, fc_lr, fc_batch : Adam steps, learning rate and minibatch size of the fully connected network.
    """

    val_sizes: tuple[int, ...] = (16, 32)
    val_factors: tuple[float, ...] = (0.95, 1.0, 1.05)
    val_chains: int = 32
    val_sweeps: int = 400
    L: int = 64
    n_levels: int = 3
    mcrg_chains: int = 32
    mcrg_sweeps: int = 600
    flow_chains: int = 16
    flow_sweeps: int = 150
    delta: float = 0.05
    train_chains: int = 16
    train_keep: int = 10
    seeds: tuple[int, ...] = tuple(range(10))
    steps: int = 1500
    lr: float = 0.05
    init_scale: float = 0.5
    n_boot: int = 2000
    mi_steps: int = 1500
    mi_lr: float = 0.05
    mi_batch: int = 8192
    fc_window: int = 8
    fc_stride: int = 8
    fc_steps: int = 3000
    fc_lr: float = 0.02
    fc_batch: int = 1024

    #: Statement numbers that read the method's module constants (operator sets, the MI window), not fields:
    #: code and statement share them, so they cannot drift (tests/test_statements.py).
    MODULE_CONSTANTS: ClassVar[tuple[str, ...]] = (
        "yt_ops",
        "precise_ops",
        "mi_env",
        "mi_core",
        "mi_env_spins",
        "mi_buffer_width",
    )

    # numbers the claims' statements read (derived from the fields above or from the module's constants)
    @property
    def val_delta(self) -> float:
        """Largest relative distance of the validation couplings from K_c."""
        return round(max(abs(f - 1.0) for f in self.val_factors), 12)

    @property
    def val_tori(self) -> str:
        """The validation tori, e.g. ``L = 16 and L = 32``."""
        return " and ".join(f"L = {n}" for n in self.val_sizes)

    @property
    def yt_ops(self) -> int:
        """Even operators of 2D.L2 and the claims that follow it."""
        return Exponents.n_ops[0]

    @property
    def precise_ops(self) -> int:
        """Even operators of 2D.L2.precise."""
        return Exponents.n_ops[1]

    @property
    def last_step_sizes(self) -> str:
        """The lattices of the last blocking step, e.g. ``16 -> 8``."""
        return f"{self.L >> (self.n_levels - 1)} -> {self.L >> self.n_levels}"

    @property
    def mi_env(self) -> int:
        return MI_ENVIRONMENT

    @property
    def mi_core(self) -> int:
        return MI_BUFFER

    @property
    def mi_env_spins(self) -> int:
        return MI_ENVIRONMENT**2 - MI_BUFFER**2

    @property
    def mi_buffer_width(self) -> int:
        return (MI_BUFFER - 2) // 2

    @property
    def fc_inputs(self) -> int:
        return self.fc_window**2

    @property
    def fc_units(self) -> int:
        return self.fc_window**2 // 4

    def smoke(self) -> Protocol:
        """A small variant for the test suite."""
        return replace(
            self,
            val_sizes=(8,),
            val_factors=(1.0,),
            val_chains=4,
            val_sweeps=40,
            L=16,
            mcrg_chains=4,
            mcrg_sweeps=30,
            flow_chains=4,
            flow_sweeps=20,
            train_chains=2,
            train_keep=2,
            seeds=(0, 1),
            steps=50,
            n_boot=50,
            mi_steps=50,
            mi_batch=256,
            fc_window=4,
            fc_stride=4,
            fc_steps=50,
            fc_batch=64,
        )


PROTOCOL = Protocol()

FIGURES = ("fig-2d-filters", "fig-2d-training", "fig-2d-fc-fields", "fig-2d-flow", "fig-2d-yt")


_PAPER_CLAIM = (
    "Paper I (carried beyond the paper to two dimensions): once trained, the network's coarse-graining reproduces "
    "the real-space RG of its Ising input; in 1D the output coupling equals the RG fixed point K*, in 2D the "
    "analogue is that the critical point is kept and the linearized RG eigenvalue is b^{y_t} (abstract, read in 2D)."
)

_GROUP_RULE = (
    "a control made of several seeds satisfies the test only if every member does, the rule the trained seeds must meet"
)


CLAIMS = (
    Claim(
        id="2D.rg.sampler",
        paper="2D",
        reading="RG",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "The Swendsen-Wang sampler reproduces the exact finite-torus energy per site u and specific heat c "
            "(Kaufman; Ferdinand-Fisher) at K_c and K_c(1 +- {protocol.val_delta}) on the {protocol.val_tori} tori: "
            "every "
            "|sampled - exact| is within {k_sigma} standard errors (u: naive error times sqrt(2 tau_int); "
            "c: spread over independent chains)."
        ),
        tolerances={"k_sigma": 4.0},
        chapter=CHAPTER,
        measure=measure_sampler,
        protocol=PROTOCOL,
        figure="",
        title="the 2D sampler is exact",
        constants=("1", "2"),
    ),
    Claim(
        id="2D.L1",
        paper="2D",
        reading="X",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "The trained 2x2 -> 1 coarse-graining (sign of a single tanh unit's pre-activation, trained as a block "
            "autoencoder on critical configurations) keeps the critical point: on every seed the nearest-neighbour "
            "correlation C_n of the blocked spins at K_c changes by at most {drift} per level over the steps "
            "1->2 and 2->3 (step 0->1 is the transient onto the map's fixed-point manifold), while at "
            "K_c(1 + {delta}) and K_c(1 - {delta}) its distance to the critical C_n grows at every step 0->1, "
            "1->2, 2->3 (runaway on both sides; {max_violations} non-growing steps allowed; the distance is the "
            "signed gap C_n(K_c(1 + delta)) - C_n(K_c), resp. C_n(K_c) - C_n(K_c(1 - delta)), so each flow must "
            "also stay on its own side). Controls, same test: decimation (C_n decays like 2^(-n/4) at K_c, a drift "
            "of about 0.1 per level), the anti-aligned filter w = (1, 1, -1, -1), the untrained (initial) units, "
            "and the majority rule (added after the first measurement: the hand-made RG map the trained units "
            "reproduce; it can only weaken the verdict)."
        ),
        tolerances={"drift": 0.03, "delta": 0.05, "max_violations": 0},
        chapter=CHAPTER,
        measure=measure_critical_point,
        protocol=PROTOCOL,
        figure="fig-2d-flow",
        title="the trained coarse-graining keeps the critical point",
        constants=("0", "0.1", "1", "2", "3", "4"),
    ),
    Claim(
        id="2D.L2",
        paper="2D",
        reading="X",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Linearized MCRG (Swendsen 1979; {protocol.yt_ops} even operators, L = {protocol.L} at K_c) of the trained "
            "coarse-graining gives "
            "the thermal exponent y_t = 1 at steps 1->2 and 2->3: the mean over seeds is within "
            "max({yt_tol}, {k_sigma} sigma) of 1, sigma the jackknife error (+-0.02 is out of reach here: "
            "truncation to {protocol.yt_ops} operators and the {protocol.last_step_sizes} lattice of step 2->3 bias "
            "2x2 MCRG "
            "by a few hundredths). "
            "Controls, same test: majority rule, decimation, anti-aligned filter, untrained units; a control "
            "that also gives y_t = 1 means y_t alone does not discriminate."
        ),
        tolerances={"yt_tol": 0.05, "k_sigma": 3.0},
        chapter=CHAPTER,
        measure=measure_exponent,
        protocol=PROTOCOL,
        figure="fig-2d-yt",
        title="the trained coarse-graining has y_t = 1",
        constants=("0.02", "1", "1979", "2", "3"),
    ),
    Claim(
        id="2D.MI1",
        paper="2D",
        reading="X",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Ours (information-theoretic training, after Koch-Janusz and Ringel 2018): the 2x2 -> 1 coarse-graining "
            "learned by maximizing the mutual information between a block's coarse spin and its environment keeps "
            "the critical point. Training: one stochastic binary unit per 2x2 block v (weights shared over "
            "blocks), h = +-1 with P(h | v) = (1 + h tanh(w.v)) / 2, maximizing the variational lower bound "
            "ln 2 - <-ln q(h | E)> of I(h; E) (Barber-Agakov) with a logistic critic q(h | E) = sigma(2 h u.E + "
            "2 h b), linear in the environment E = the {protocol.mi_env_spins} spins of the "
            "{protocol.mi_env}x{protocol.mi_env} "
            "square centred on the block outside its central {protocol.mi_core}x{protocol.mi_core} square (a buffer "
            "of width "
            "{protocol.mi_buffer_width} between block and environment), over all blocks of "
            "critical configurations and their global flips; the initial weights are those of 2D.L1's units. "
            "Coarse spin sign(w.v) with 2D.L1's tie-break. Test and tolerances as in 2D.L1: on every seed the "
            "drift of C_n at K_c over steps 1->2 and 2->3 is at most {drift} per level, and at K_c(1 +- {delta}) "
            "the distance to the critical C_n (the signed gap of 2D.L1) grows at every step ({max_violations} "
            "non-growing steps allowed). Controls, same test: decimation, the anti-aligned filter, the untrained "
            "units, and the majority rule (added after the first measurement, as in 2D.L1); " + _GROUP_RULE + "."
        ),
        tolerances={"drift": 0.03, "delta": 0.05, "max_violations": 0},
        chapter=CHAPTER,
        measure=measure_mi_critical_point,
        protocol=PROTOCOL,
        figure="fig-2d-flow",
        title="the mutual-information coarse-graining keeps the critical point",
        constants=("1", "2", "2018", "3"),
    ),
    Claim(
        id="2D.MI2",
        paper="2D",
        reading="X",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Ours: linearized MCRG of the mutual-information coarse-graining of 2D.MI1 ({protocol.yt_ops} even "
            "operators, "
            "L = {protocol.L} "
            "at K_c, as in 2D.L2) gives y_t = 1 at steps 1->2 and 2->3: the mean over seeds is within "
            "max({yt_tol}, {k_sigma} sigma) of 1, sigma the mean jackknife error. Controls, same test: majority "
            "rule, decimation, anti-aligned filter, untrained units (seed mean)."
        ),
        tolerances={"yt_tol": 0.05, "k_sigma": 3.0},
        chapter=CHAPTER,
        measure=measure_mi_exponent,
        protocol=PROTOCOL,
        figure="fig-2d-yt",
        title="the mutual-information coarse-graining has y_t = 1",
        constants=("1", "2", "3"),
    ),
    Claim(
        id="2D.FC0",
        paper="2D",
        reading="X",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Ours (structure of the reconstruction optimum): a fully connected autoencoder on "
            "{protocol.fc_window}x{protocol.fc_window} windows of critical configurations ({protocol.fc_inputs} "
            "spins -> "
            "{protocol.fc_units} units h = tanh(W v + c) -> logistic reconstruction of the {protocol.fc_inputs} "
            "spins, cross-entropy; windows of the L = {protocol.L} torus at offsets that are multiples of "
            "{protocol.fc_stride}) learns units with 2x2-block receptive fields: after the one-to-one assignment of "
            "units to the {protocol.fc_units} blocks of the "
            "window that maximizes the total squared weight inside the assigned blocks (Hungarian algorithm), "
            "the mean over units of the fraction of a unit's squared weight inside its block is at least "
            "1 - {locality_tol} on every seed. Control: the untrained network (initial weights, scale chosen so "
            "that the pre-activations have the variance of 2D.L1's), same assignment; " + _GROUP_RULE + "."
        ),
        tolerances={"locality_tol": 0.5},
        chapter=CHAPTER,
        measure=measure_fc_locality,
        protocol=PROTOCOL,
        figure="fig-2d-fc-fields",
        title="the fully connected network learns block receptive fields",
        constants=("1", "2"),
    ),
    Claim(
        id="2D.FC1",
        paper="2D",
        reading="X",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "The coarse-graining of the fully connected network of 2D.FC0 keeps the critical point. The network "
            "acts as trained on every {protocol.fc_window}x{protocol.fc_window} tile of a lattice (tiles aligned "
            "with the "
            "blocks); unit u's coarse spin "
            "sign(W_u.v) (bias dropped, as in 2D.L1; the data are symmetric under a global flip) is placed at the "
            "block assigned to u in 2D.FC0, with its sign fixed so that the unit's summed weight over that block "
            "is positive. Test and tolerances as in 2D.L1: on every seed the drift of C_n at K_c over steps "
            "1->2 and 2->3 is at most {drift} per level, and at K_c(1 +- {delta}) the distance to the critical "
            "C_n (the signed gap of 2D.L1) grows at every step ({max_violations} non-growing steps allowed). "
            "Controls, same test: "
            "decimation and the untrained network (same assignment and sign rule); " + _GROUP_RULE + "."
        ),
        tolerances={"drift": 0.03, "delta": 0.05, "max_violations": 0},
        chapter=CHAPTER,
        measure=measure_fc_critical_point,
        protocol=PROTOCOL,
        figure="fig-2d-flow",
        title="the fully connected network's coarse-graining keeps the critical point",
        constants=("1", "2", "3"),
    ),
    Claim(
        id="2D.FC2",
        paper="2D",
        reading="X",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Linearized MCRG of the fully connected network's coarse-graining of 2D.FC1 ({protocol.yt_ops} even "
            "operators, L = {protocol.L} at K_c, as in 2D.L2) gives y_t = 1 at steps 1->2 and 2->3: the mean over "
            "seeds is within "
            "max({yt_tol}, {k_sigma} sigma) of 1, sigma the mean jackknife error. Controls, same test: majority "
            "rule, decimation, the untrained network (seed mean)."
        ),
        tolerances={"yt_tol": 0.05, "k_sigma": 3.0},
        chapter=CHAPTER,
        measure=measure_fc_exponent,
        protocol=PROTOCOL,
        figure="fig-2d-yt",
        title="the fully connected network's coarse-graining has y_t = 1",
        constants=("1", "2", "3"),
    ),
    Claim(
        id="2D.L2.precise",
        paper="2D",
        reading="X",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "The precision one would want of 2D.L2 ({yt_tol}, against the 0.15 of Koch-Janusz and Ringel's network): "
            "linearized MCRG with {protocol.precise_ops} even "
            "operators (the {protocol.yt_ops} of 2D.L2 and the pair sums at distances (2,1) in all four "
            "orientations, (2,2) along "
            "both diagonals and (3,0) along both axes), on the same L = {protocol.L} samples at K_c, gives for the "
            "block "
            "autoencoder's coarse-graining y_t = 1 within {yt_tol} at steps 1->2 and 2->3: the mean over seeds and "
            "both ends of its 95 % seed-bootstrap interval lie within {yt_tol} of 1, and the statistical error "
            "resolves that tolerance (mean jackknife error at most {yt_tol} / {k_sigma}). Controls, same test "
            "(a single map: its y_t within {yt_tol} and its jackknife error at most {yt_tol} / {k_sigma}): majority "
            "rule, decimation, anti-aligned filter, untrained units (seed mean and interval)."
        ),
        tolerances={"yt_tol": 0.02, "k_sigma": 3.0},
        chapter=CHAPTER,
        measure=measure_precise_exponent,
        protocol=PROTOCOL,
        figure="fig-2d-yt",
        title="y_t = 1 within 0.02 with 7 operators",
        constants=("0", "0.15", "1", "2", "3", "95"),
    ),
    Claim(
        id="2D.FC3",
        paper="2D",
        reading="X",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Ours (added after the first measurement, from a referee's exploratory run on two seeds): the span of "
            "the fully connected network's {protocol.fc_units} units holds a block-spin coarse-graining, although "
            "the units "
            "themselves are not block spins (2D.FC0). Readout: W_ro = B pinv(W) W, where B ({protocol.fc_units} x "
            "{protocol.fc_inputs}) holds the "
            "block-sum functionals of the window's {protocol.fc_units} blocks, i.e. each block sum projected onto "
            "the row "
            "space "
            "of the trained W; block b's coarse spin is sign(W_ro,b . v) on every "
            "{protocol.fc_window}x{protocol.fc_window} "
            "tile (the partition into "
            "blocks is given to the readout, not learned). Tests and tolerances of 2D.FC1 and 2D.FC2: on every "
            "seed drift at K_c at most {drift} per level over steps 1->2 and 2->3 and the signed gaps at "
            "K_c(1 +- {delta}) growing at every step ({max_violations} non-growing steps allowed); the mean over "
            "seeds of y_t ({protocol.yt_ops} operators) within max({yt_tol}, {k_sigma} sigma) of 1 at steps 1->2 and "
            "2->3, "
            "counting a seed without a positive leading eigenvalue as failing. Controls, same tests: the same "
            "readout of the untrained network, the readout of the data's top-{protocol.fc_units} principal subspace "
            "of the "
            "training windows, and the majority rule; " + _GROUP_RULE + " (for y_t: the seed mean)."
        ),
        tolerances={"drift": 0.03, "delta": 0.05, "max_violations": 0, "yt_tol": 0.05, "k_sigma": 3.0},
        chapter=CHAPTER,
        measure=measure_fc_readout,
        protocol=PROTOCOL,
        figure="fig-2d-flow",
        title="the fully connected network's span holds a block-spin map",
        constants=("1", "2", "3"),
    ),
)
