r"""Chapter *The literal claim: the limit of the output coupling* (``book/literal_limit.md``).

Claim ``I.L``: Paper I's abstract read literally. Its statement and tolerances were
registered before the code that measures them (see the history of this file).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..claims import Claim, Row

__all__ = ["CHAPTER", "Protocol", "PROTOCOL", "FIGURES", "CLAIMS"]

CHAPTER = "book/literal_limit"


@dataclass(frozen=True)
class Protocol:
    """The literal reading: greedy stacks ``N -> N/2 -> ... -> N/2^depth`` and their controls.

    Attributes
    ----------
    N, depth, Ks
        Open zero-field chains of ``N`` spins at couplings ``Ks``; stacks of ``depth`` layers.
    stack_seeds, restarts, steps, lr, seed
        ``stack_seeds`` independent trained stacks; in stack ``k`` each layer is the best of
        ``restarts`` restarts (restart seeds ``seed + 1000 l + restarts k + r`` at level ``l``),
        each ``steps`` full-batch Adam steps of rate ``lr`` on the exact reconstruction loss.
    random_seeds, random_seed
        Random-layer control stacks, seeds ``random_seed + 100 k + l``.
    beta
        Weight scale of the decimation (consistency) and copy (control) layers.
    n_boot, boot_seed
        Seed-bootstrap resamples of the mean :math:`|K_l|` and their generator seed.
    check_N, check_K, check_functions, check_seed
        The exact-enumeration check of the correlation bound: ``check_functions`` random
        (deterministic and stochastic) functions of random separated regions of an open chain
        of ``check_N`` spins at ``check_K``.
    """

    N: int = 8
    depth: int = 2
    Ks: tuple[float, ...] = (0.5, 1.0, 1.5)
    stack_seeds: int = 10
    restarts: int = 4
    steps: int = 1500
    lr: float = 0.05
    seed: int = 0
    random_seeds: int = 10
    random_seed: int = 500
    beta: float = 8.0
    n_boot: int = 2000
    boot_seed: int = 0
    check_N: int = 10
    check_K: float = 0.8
    check_functions: int = 200
    check_seed: int = 0

    def smoke(self) -> Protocol:
        """A small variant for the test suite."""
        return replace(self, Ks=(1.0,), stack_seeds=2, restarts=2, steps=20, random_seeds=2, n_boot=200,
                       check_N=6, check_functions=20)


PROTOCOL = Protocol()

FIGURES = ("fig-literal-flow",)


def measure_literal(P: Protocol, tol) -> list[Row]:
    """I.L: registered before its measuring code."""
    raise NotImplementedError("I.L is registered; its measure is not written yet")


_PAPER_CLAIM = (
    "Paper I: for 1D Ising input data, once the FC DNN's parameters are optimal after training, the limit of the "
    "coupling constant in the partition function of the network output equals the stable fixed point of the "
    "coupling constant under real-space RG of the input (abstract)."
)

CLAIMS = (
    Claim(
        id="I.L",
        paper="I",
        reading="L",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "The literal claim, at finite depth: for the open zero-field chain of N = 8 spins at K in {{0.5, 1, 1.5}}, "
            "greedy stacks 8 -> 4 -> 2 of optimal layers (each layer the best of 4 restarts of the autoencoder "
            "trained on the exact reconstruction loss of the previous level; 10 independent stack seeds) flow to the "
            "stable fixed point K* = 0 at least as fast as real-space RG: at every level l = 1, 2 the upper end of "
            "the 95% seed-bootstrap interval of the mean |K_l| (KL projection onto the open NN chain) is at most "
            "R_2^l(K) + {rate}. Controls, against the same bound: random layers (10 seeds) and the copy layer "
            "(y_1 = s_1, y_2 = s_2, the rest decimated), which must fail. Consistency checks: the decimation stack "
            "has K_l = R_2^l(K) within {decimation}; on exact enumeration every function of two regions d bonds "
            "apart has |Corr| <= tanh^d|K| (excess at most {bound}), attained by single spins."
        ),
        tolerances={"rate": 0.02, "decimation": 1e-4, "bound": 1e-12},
        chapter=CHAPTER,
        measure=measure_literal,
        protocol=PROTOCOL,
        figure="fig-literal-flow",
    ),
)
