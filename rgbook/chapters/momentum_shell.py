r"""Chapter *What the trained coarse-graining computes: momentum-shell RG* (``book/momentum_shell``).

Paper II's literal claim on Gaussian rings, where the optimum is known in closed form:

* ``II.rg.momentum-shell``: sharp-cutoff momentum-shell RG of the Gaussian ring in Fourier
  space (no training): its fixed points, the approach rate :math:`b^{-2}` to :math:`r^* = 0`
  and the eigenvalue :math:`b^2` at :math:`r^* = 1/2`.
* ``II.MS`` (ours, structure): trained linear autoencoder stacks compute exactly that RG
  (subspace angle and covariance bounds derived from the loss tolerance).
* ``II.L1`` / ``II.L2`` (literal): the trained features flow to the stable fixed point, and the
  trained coarse-graining keeps the critical point; with random encoders and random shared
  block filters as controls, read through the same pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..claims import Claim, Row

__all__ = ["CHAPTER", "Protocol", "PROTOCOL", "FIGURES", "CLAIMS"]

CHAPTER = "book/momentum_shell"


@dataclass(frozen=True)
class Protocol:
    """The chapter's protocol.

    Trained stacks: rings of ``N`` sites, ``depth`` levels of ratio ``b``; stable-side data at
    ratios ``rs``; near-critical training data at ``r = 1/2 - eps_train``, applied to data at
    ``1/2 - eps_critical``; each level the best of ``restarts`` autoencoders of ``steps`` Adam steps
    at ``lr`` (level ``l`` seeded ``seed + 10 l``). Controls: ``control_seeds`` random encoders and
    random shared block filters per level. Closed form: rings of ``b ** fourier_levels`` sites.
    """

    N: int = 81
    b: int = 3
    depth: int = 3
    rs: tuple[float, ...] = (0.3, 0.45)
    eps_train: float = 1e-3
    eps_critical: float = 1e-8
    restarts: int = 2
    steps: int = 4000
    lr: float = 0.01
    seed: int = 500
    control_seeds: tuple[int, ...] = tuple(range(10))
    fourier_levels: int = 12
    rate_level: int = 6
    eigen_steps: tuple[int, ...] = (2, 3)

    def smoke(self) -> Protocol:
        """A variant that runs each claim in seconds (same code paths, tiny sizes)."""
        return replace(self, N=27, depth=2, rs=(0.3,), restarts=1, steps=200, control_seeds=(0, 1),
                       fourier_levels=6, rate_level=3, eigen_steps=(1,))


PROTOCOL = Protocol()

FIGURES = ("fig-ms-structure", "fig-ms-flow", "fig-ms-critical")


def measure_rg(P: Protocol, tol) -> list[Row]:
    """II.rg.momentum-shell (measuring code follows the claim's statement)."""
    raise NotImplementedError


def measure_structure(P: Protocol, tol) -> list[Row]:
    """II.MS (measuring code follows the claim's statement)."""
    raise NotImplementedError


def measure_stable(P: Protocol, tol) -> list[Row]:
    """II.L1 (measuring code follows the claim's statement)."""
    raise NotImplementedError


def measure_critical(P: Protocol, tol) -> list[Row]:
    """II.L2 (measuring code follows the claim's statement)."""
    raise NotImplementedError


# --------------------------------------------------------------------------------------
# Claims

_PAPER_II_MAIN = (
    "Paper II: once FC DNNs reach their optimal parameter states post-training, the characteristic parameters of "
    "the network's feature-layer outputs coincide with the fixed points of the input data's characteristic "
    "parameters under the RG method for continuous fields (abstract)."
)


CLAIMS = (
    Claim(
        id="II.rg.momentum-shell",
        paper="II",
        reading="RG",
        paper_claim=_PAPER_II_MAIN,
        statement=(
            "Sharp-cutoff momentum-shell RG of the Gaussian ring (b = 3, spectrum S'(q') = S(q'/b)/b, computed in "
            "Fourier space on N = 3^12 sites and projected on rings r = K/d by moment matching) has the fixed points "
            "of decimation: on the stable side r_(l+1)/r_l tends to b^-2 = 1/9 (relative {rate} at levels 6 -> 7 "
            "from r_0 = 0.3 and 0.45), and from r_0 = 1/2 - 1e-8 the distance t = 1 - 2r from the critical point "
            "grows per step by b^2 = 9 (relative {eigen} at steps 2 -> 3 and 3 -> 4), i.e. nu = 1/2; the "
            "no-aliasing identity (the features' spectrum is exactly S(q'/b)/b) holds to {identity} (consistency)."
        ),
        tolerances={"rate": 0.01, "eigen": 0.01, "identity": 1e-12},
        chapter=CHAPTER,
        measure=measure_rg,
        protocol=PROTOCOL,
        figure="fig-ms-flow",
    ),
    Claim(
        id="II.MS",
        paper="II",
        reading="A",
        paper_claim=_PAPER_II_MAIN,
        statement=(
            "Ours (structure): greedy linear autoencoders 81 -> 27 -> 9 -> 3 (b = 3) trained on Gaussian rings "
            "(r_0 = 0.3, 0.45 and 1/2 - 1e-3) compute momentum-shell RG: at every level (i) the loss is within "
            "relative {loss} of the Eckart-Young minimum; (ii) the largest principal angle between the encoder's "
            "row space and the N/b longest Fourier modes is at most arcsin sqrt({loss} L_EY / gap), the angle "
            "that loss tolerance allows (gap: the eigengap at the cut); (iii) in the receptive-field basis the "
            "features' covariance equals the momentum-shell iterate (spectrum S(q/b^l)/b^l) within the "
            "propagated bound sum_k (2 sqrt(b) sin(theta_k) + b sin(theta_k)^2) in relative spectral norm. "
            "Controls: random encoders of the same shapes "
            "(10 seeds) against the same angle tolerance. Consistency: S Pi S^T = I/b exactly, hence "
            "the angle arccos(1/sqrt(b)) to decimation, to {identity}."
        ),
        tolerances={"loss": 1e-6, "identity": 1e-10},
        chapter=CHAPTER,
        measure=measure_structure,
        protocol=PROTOCOL,
        figure="fig-ms-structure",
    ),
    Claim(
        id="II.L1",
        paper="II",
        reading="L",
        paper_claim=_PAPER_II_MAIN,
        statement=(
            "Literal, stable fixed point: for Gaussian rings with r_0 = 0.3 and 0.45 < 1/2, the features of the "
            "trained stack (81 -> 27 -> 9 -> 3, receptive-field basis) flow to r* = 0 (Gaussian marginals hold "
            "by linearity): after 3 levels the projected ratio r_3/r_0 and the total correlation per feature "
            "TC_3/TC_0 (independent of the units' order, signs and scales) are at most {flow}. Controls, read the same way: random encoders and random "
            "shared (stride-b) block filters, 10 seeds each (seed means, bootstrap intervals shown). "
            "Consistency: the decimation stack equals the RG iterates r_3^l(r_0) to {identity}."
        ),
        tolerances={"flow": 0.1, "identity": 1e-10},
        chapter=CHAPTER,
        measure=measure_stable,
        protocol=PROTOCOL,
        figure="fig-ms-flow",
    ),
    Claim(
        id="II.L2",
        paper="II",
        reading="L",
        paper_claim=_PAPER_II_MAIN,
        statement=(
            "Literal, critical fixed point: the coarse-graining learned on near-critical data (r_0 = 1/2 - 1e-3, "
            "stack 81 -> 27 -> 9 -> 3), applied to data at r_0 = 1/2 - 1e-8 (t_0 = 1 - 2 r_0 = 2e-8), keeps the "
            "critical point: t_3 <= {critical} b^(2*3) t_0 (what an RG eigenvalue b^2 allows, with slack "
            "{critical}); and its per-step growth t_(l+1)/t_l equals that of momentum-shell RG on the same "
            "ring within relative {ratio} (whose large-N limit is b^2, claim II.rg.momentum-shell). Controls: "
            "random encoders and random shared block filters (10 seeds each) against the same "
            "criticality bound. Consistency: decimation keeps it (r = 1/2 is its fixed point) within the bound."
        ),
        tolerances={"critical": 10.0, "ratio": 0.05},
        chapter=CHAPTER,
        measure=measure_critical,
        protocol=PROTOCOL,
        figure="fig-ms-critical",
    ),
)
