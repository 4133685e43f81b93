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

from ..claims import Claim, Row

__all__ = ["CHAPTER", "Protocol", "PROTOCOL", "FIGURES", "CLAIMS"]

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
    steps, lr, init_scale : Adam steps, learning rate, scale of the initial weights.
    n_boot : seed-bootstrap resamples.
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

    def smoke(self) -> Protocol:
        """A small variant for the test suite."""
        return replace(self, val_sizes=(8,), val_factors=(1.0,), val_chains=4, val_sweeps=40, L=16,
                       mcrg_chains=4, mcrg_sweeps=30, flow_chains=4, flow_sweeps=20, train_chains=2,
                       train_keep=2, seeds=(0, 1), steps=50, n_boot=50)


PROTOCOL = Protocol()

FIGURES = ("fig-2d-filters", "fig-2d-flow", "fig-2d-yt")


def measure_sampler(P: Protocol, tol) -> list[Row]:
    raise NotImplementedError


def measure_critical_point(P: Protocol, tol) -> list[Row]:
    raise NotImplementedError


def measure_exponent(P: Protocol, tol) -> list[Row]:
    raise NotImplementedError


_PAPER_CLAIM = (
    "Paper I (carried beyond the paper to two dimensions): once trained, the network's coarse-graining reproduces "
    "the real-space RG of its Ising input; in 1D the output coupling equals the RG fixed point K*, in 2D the "
    "analogue is that the critical point is kept and the linearized RG eigenvalue is b^{y_t} (abstract, read in 2D)."
)

CLAIMS = (
    Claim(
        id="2D.rg.sampler",
        paper="I",
        reading="RG",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "The Swendsen-Wang sampler reproduces the exact finite-torus energy per site u and specific heat c "
            "(Kaufman; Ferdinand-Fisher) at K_c and K_c(1 +- 0.05) on the L = 16 and L = 32 tori: every "
            "|sampled - exact| is within {k_sigma} standard errors (u: naive error times sqrt(2 tau_int); "
            "c: spread over independent chains)."
        ),
        tolerances={"k_sigma": 4.0},
        chapter=CHAPTER,
        measure=measure_sampler,
        protocol=PROTOCOL,
        figure="",
        title="the 2D sampler is exact",
    ),
    Claim(
        id="2D.L1",
        paper="I",
        reading="L",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "The trained 2x2 -> 1 coarse-graining (sign of a single tanh unit's pre-activation, trained as a block "
            "autoencoder on critical configurations) keeps the critical point: on every seed the nearest-neighbour "
            "correlation C_n of the blocked spins at K_c changes by at most {drift} per level over the steps "
            "1->2 and 2->3 (step 0->1 is the transient onto the map's fixed-point manifold), while at "
            "K_c(1 + {delta}) and K_c(1 - {delta}) its distance to the critical C_n grows at every step 0->1, "
            "1->2, 2->3 (runaway on both sides; {max_violations} non-growing steps allowed). Controls, same "
            "test: decimation (C_n decays like 2^(-n/4) at K_c, a drift of about 0.1 per level), the "
            "anti-aligned filter w = (1, 1, -1, -1), and the untrained (initial) units."
        ),
        tolerances={"drift": 0.03, "delta": 0.05, "max_violations": 0},
        chapter=CHAPTER,
        measure=measure_critical_point,
        protocol=PROTOCOL,
        figure="fig-2d-flow",
        title="the trained coarse-graining keeps the critical point",
    ),
    Claim(
        id="2D.L2",
        paper="I",
        reading="L",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "Linearized MCRG (Swendsen 1979; 4 even operators, L = 64 at K_c) of the trained coarse-graining gives "
            "the thermal exponent y_t = 1 at steps 1->2 and 2->3: the mean over seeds is within "
            "max({yt_tol}, {k_sigma} sigma) of 1, sigma the jackknife error (the issue's +-0.02 is not reachable: "
            "truncation to 4 operators and the 16 -> 8 lattice of step 2->3 bias 2x2 MCRG by a few hundredths). "
            "Controls, same test: majority rule, decimation, anti-aligned filter, untrained units; a control "
            "that also gives y_t = 1 means y_t alone does not discriminate."
        ),
        tolerances={"yt_tol": 0.05, "k_sigma": 3.0},
        chapter=CHAPTER,
        measure=measure_exponent,
        protocol=PROTOCOL,
        figure="fig-2d-yt",
        title="the trained coarse-graining has y_t = 1",
    ),
)
