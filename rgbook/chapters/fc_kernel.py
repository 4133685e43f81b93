r"""Chapter *The FC layer as an RG kernel* (``book/fc_kernel.md``): claim ``I.net.kernel``.

A layer of stochastic binary units, :math:`T_\theta(y|s) = \prod_j e^{y_j a_j}/(2\cosh a_j)`,
:math:`a = Ws + c`, is a normalized kernel, so its output is Kadanoff's RG transformation of
the input with :math:`Z' = Z`; the selection layer :math:`W = \beta\times` (every second
spin) is soft decimation, whose projected output coupling tends to :math:`R_2(K)`.
Everything here is exact enumeration; nothing is trained.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from .. import ising, networks, rg
from ..claims import Claim, Row

# fmt: off
__all__ = [
    "CHAPTER", "Protocol", "PROTOCOL", "SoftDecimation", "soft_decimation_couplings", "run_soft_decimation",
    "plot_soft_decimation", "FIGURES", "CLAIMS"
]
# fmt: on

CHAPTER = "book/fc_kernel"


@dataclass(frozen=True)
class Protocol:
    """Cases of the kernel check and of the soft-decimation figure.

    Attributes
    ----------
    kernel_cases : tuple of (N, K, h, seed)
        Chains on which random layers (``N -> N/2``, weight scale ``random_scale``, biases
        ``bias``) are checked for normalization and :math:`Z' = Z`.
    Ks : tuple of float
        Couplings of the soft-decimation check and figure (open zero-field chains of ``N`` spins).
    beta_check : float
        Weight scale of the selection layer at which :math:`K'` is compared with :math:`R_2(K)`.
    betas : (float, float, int)
        Range and number of weight scales of the figure.
    """

    kernel_cases: tuple[tuple[int, float, float, int], ...] = ((8, 1.0, 0.0, 1), (10, 0.5, 0.3, 2))
    random_scale: float = 3.0
    bias: float = 0.5
    N: int = 8
    b: int = 2
    Ks: tuple[float, ...] = (0.5, 1.0, 1.5)
    beta_check: float = 20.0
    betas: tuple[float, float, int] = (0.1, 6.0, 40)

    def smoke(self) -> Protocol:
        """A small variant for the test suite."""
        return replace(self, kernel_cases=((6, 1.0, 0.2, 1),), N=6, Ks=(1.0,), betas=(0.1, 6.0, 5))

    @property
    def beta_grid(self) -> np.ndarray:
        lo, hi, n = self.betas
        return np.linspace(lo, hi, n)


PROTOCOL = Protocol()


def soft_decimation_couplings(K: float, betas, N: int = 8, b: int = 2) -> np.ndarray:
    r"""Projected output coupling :math:`K'(\beta)` of the soft decimation layer :math:`W=\beta\,\times` selection."""
    s, p = ising.enumerate_chain(N, K)
    return np.array([networks.layer_coupling(*networks.decimation_weights(N, b, beta), s, p)[0] for beta in betas])


@dataclass(frozen=True)
class SoftDecimation:
    r"""Output coupling of the selection layer against its weight scale, for one input ``K``.

    ``couplings``, ``fields`` and ``kl`` are the KL projection :math:`(K', h', \mathrm{KL})` of
    the exact output at each :math:`\beta` of ``betas``.
    """

    K: float
    betas: np.ndarray
    couplings: np.ndarray
    fields: np.ndarray
    kl: np.ndarray

    @property
    def closed_form(self) -> np.ndarray:
        r""":math:`\operatorname{artanh}(\tanh^2\beta\,\tanh^2 K)` (zero-field open chain, b = 2)."""
        return np.arctanh(np.tanh(self.betas) ** 2 * np.tanh(self.K) ** 2)


@cache
def run_soft_decimation(P: Protocol) -> tuple[SoftDecimation, ...]:
    """Soft decimation at every ``K`` of the protocol over its grid of weight scales."""
    out = []
    for K in P.Ks:
        s, p = ising.enumerate_chain(P.N, K)
        fits = np.array(
            [networks.layer_coupling(*networks.decimation_weights(P.N, P.b, bt), s, p) for bt in P.beta_grid]
        )
        out.append(SoftDecimation(K, P.beta_grid, fits[:, 0], fits[:, 1], fits[:, 2]))
    return tuple(out)


def plot_soft_decimation(ax_K, ax_kl, P: Protocol = PROTOCOL) -> None:
    r"""Projected output coupling :math:`K'(\beta)` and KL residual of the soft decimation layer,
    with :math:`R_2(K)` (dashed) and the exact two-output law
    :math:`\tanh K' = \tanh^2\beta\,\tanh^2 K` (crosses)."""
    for i, sd in enumerate(run_soft_decimation(P)):
        color = f"C{i}"
        ax_K.plot(sd.betas, sd.couplings, color=color, label=f"$K={sd.K:g}$, {P.N}→{P.N // 2} layer (KL projection)")
        ax_K.axhline(rg.zero_field_map(sd.K, 2), color=color, ls="--", lw=0.9)
        ax_K.plot(sd.betas[::4], sd.closed_form[::4], "x", color=color, ms=6)
        ax_kl.semilogy(sd.betas, np.maximum(sd.kl, 1e-18), color=color, label=f"$K={sd.K:g}$")
    ax_K.plot([], [], "kx", label=r"2 outputs: $\tanh K'=\tanh^2\beta\,\tanh^2K$")
    ax_K.plot([], [], "k--", lw=0.9, label=r"$R_2(K)$ (RG)")
    ax_K.set(
        xlabel=r"weight scale $\beta$ (dimensionless)", ylabel="output coupling $K'$", title="soft decimation → RG"
    )
    ax_K.legend(fontsize="x-small")
    ax_kl.set(
        xlabel=r"weight scale $\beta$ (dimensionless)",
        ylabel="KL residual of the projection (nats)",
        title="distance of the output from a NN chain",
    )
    ax_kl.legend(fontsize="x-small")


FIGURES = ("fig-soft-decimation",)


def measure_kernel(P: Protocol, tol) -> list[Row]:
    """Normalization of the layer kernel and Z' = Z (they hold for any conditional distribution) and soft
    decimation's K'(beta = 20) = R_2(K) (decimation up to sigma(-40)): consistency checks, none can fail short of
    a bug; the claim is a theorem checked numerically."""
    rows = []
    for N, K, h, seed in P.kernel_cases:
        s, p = ising.enumerate_chain(N, K, h)
        W, c = networks.random_weights(N // 2, N, seed=seed, scale=P.random_scale)
        c = c + P.bias
        T = np.exp(networks.log_kernel(W, c, s))
        err = float(np.max(np.abs(T.sum(axis=1) - 1)))
        # normalization and Z' = Z hold for ANY conditional distribution (W = 0 included): consistency checks
        rows.append(
            Row(f"max_s |sum_y T(y|s) - 1| (random layer, N={N})", 0.0, err, tol["normalization"], "consistency")
        )
        # Z' = sum_y sum_s e^{-H(s)} T(y|s) against Z by transfer matrix (independent route)
        logw = ising.energy(s, K, h)
        lnZp = float(np.log(np.sum(np.exp(logw - logw.max()) @ T)) + logw.max())
        rows.append(
            Row(
                f"ln Z' of the output vs ln Z by transfer matrix (N={N}, K={K}, h={h})",
                ising.log_partition(N, K, h),
                lnZp,
                tol["partition"],
                "consistency",
            )
        )
    for K in P.Ks:
        Kp = soft_decimation_couplings(K, [P.beta_check], N=P.N, b=P.b)[0]
        # at beta = 20 soft decimation is decimation up to sigma(-2 beta): a consistency check, not evidence
        rows.append(
            Row(
                f"K'(beta={P.beta_check:g}) of soft decimation vs R_2(K), K={K}",
                float(rg.zero_field_map(K, 2)),
                float(Kp),
                tol["decimation"],
                "consistency",
            )
        )
    return rows


_PAPER_CLAIM = "Paper I: an FC DNN layer carries out a non-canonical RG transformation of the data (abstract)."

CLAIMS = (
    Claim(
        id="I.net.kernel",
        paper="I",
        reading="RG",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "A layer of stochastic binary units, T(y|s) = prod_j e^{{y_j a_j}}/(2 cosh a_j) with a = W s + c, "
            "is a normalized kernel (sum_y T = 1 to {normalization}), so the output partition function equals the "
            "input one (to {partition}, against the transfer matrix); the layer W = beta x selection has output "
            "coupling K'(beta) -> R_2(K) (to {decimation} at beta = {protocol.beta_check})."
        ),
        tolerances={"normalization": 1e-12, "partition": 1e-10, "decimation": 1e-9},
        chapter=CHAPTER,
        measure=measure_kernel,
        protocol=PROTOCOL,
        figure="fig-soft-decimation",
        constants=("2 cosh", "1"),
    ),
)
