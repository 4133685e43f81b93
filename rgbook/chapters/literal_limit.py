r"""Chapter *Paper I's literal claim: the limit of the output coupling* (``book/literal_limit.md``).

Claim ``I.Llim`` is Paper I's abstract read literally: the coupling of the output of a stack of
optimal layers tends to the stable fixed point :math:`K^*=0` of real-space RG. The chapter
proves it for stacks whose receptive fields separate with depth (the correlation bound and its
corollary, checked by exact enumeration) and measures what dense trained stacks
``16 -> 8 -> 4 -> 2`` do against a null of the same stacks trained on uncorrelated input
(:math:`K = 0`), with random stacks and the copy layer (keeps two adjacent spins) as controls.

Claim ``I.L`` (ours, reading A) is a finite-depth rate: trained stacks ``8 -> 4 -> 2`` flow to
:math:`K^*=0` no slower than RG; ``I.La`` is its post-hoc amendment with a cut protocol.
Everything is exact: input distributions are enumerated, layers are applied to exact
distributions (:func:`rgbook.networks.output_distribution`) and output couplings are KL
projections (:func:`rgbook.couplings.project_chain`); only the gradient steps of the first
16 -> 8 layer sample states (:func:`rgbook.networks.train_autoencoders` with ``batch``).

The statements and tolerances of ``I.L`` and ``I.Llim`` were committed before their measuring code.
The runs live in :mod:`rgbook.chapters.literal_limit_runs`, tables and figures in
:mod:`rgbook.chapters.literal_limit_plots`; this module re-exports both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .. import rg
from .._protocol import arrow_chain
from ..claims import PAPER_I_CLAIM, Claim, Row
from ..stats import seed_bootstrap
from .literal_limit_plots import (
    flow_table,
    limit_optimizer_table,
    limit_table,
    loss_table,
    measures_table,
    plot_flow,
    plot_limit,
)
from .literal_limit_runs import (
    BoundCheck,
    Flow,
    LimitRun,
    LiteralRun,
    control_layer,
    copy_weights,
    run_bound_check,
    run_limit,
    run_stacks,
)

# fmt: off
__all__ = [
    "CHAPTER", "Protocol", "PROTOCOL", "PROTOCOL_LA", "Flow", "LiteralRun", "BoundCheck", "copy_weights",
    "control_layer", "run_stacks", "run_bound_check", "measures_table", "flow_table", "loss_table", "plot_flow",
    "LimitRun", "run_limit", "limit_table", "limit_optimizer_table", "plot_limit", "measure_limit", "FIGURES",
    "CLAIMS"
]
# fmt: on

CHAPTER = "book/literal_limit"

MODES = ("trained", "random", "decimation", "copy")


@dataclass(frozen=True)
class Protocol:
    """The literal reading: greedy stacks ``N -> N/2 -> ... -> N/2^depth`` and their controls.

    Attributes
    ----------
    N, depth, Ks
        Open zero-field chains of ``N`` spins at couplings ``Ks``; stacks of ``depth`` layers.
    stack_seeds, restarts, steps, lr, seed
        ``stack_seeds`` independent trained stacks; in stack ``k`` each layer is the best of
        ``restarts`` restarts, each ``steps`` full-batch Adam steps of rate ``lr`` on the exact
        reconstruction loss. Restart seeds: ``seed + restarts k + r`` at level 0 (all stacks
        share the input distribution), ``seed + 1000 l + r`` at level ``l >= 1`` (each stack
        has its own distribution there).
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
    limit_N, limit_depth, limit_Ks
        The limit test (claim ``I.Llim``): open zero-field chains of ``limit_N`` spins at
        ``limit_Ks`` and at ``K = 0`` (the null: uncorrelated input), stacks of ``limit_depth``
        dense layers ``n -> n/2``.
    limit_stacks, limit_null_stacks
        Independent trained stacks per ``K > 0`` and at ``K = 0``.
    limit_steps, limit_batch, lr
        Every layer trains ``limit_steps`` Adam steps of rate ``lr``. The first layer (``2^16``
        input states) uses :func:`rgbook.networks.train_autoencoders` with ``batch``, one restart per
        stack, ``limit_batch`` importance-weighted states per step, exact losses at checkpoints;
        deeper layers the exact loss, best of ``limit_deep_restarts`` restarts.
    limit_seed
        Stack ``k`` at input ``K`` (index ``i``, the null first) trains its first layer with seed
        ``limit_seed + 100 i + k``, its layer ``l >= 2`` with ``limit_seed + 1000 l + 10 (100 i + k)``.
    limit_random_seeds, limit_random_seed
        Random dense stacks (the trained layers' initial law), seeds ``limit_random_seed + 100 k + l``,
        the same weights at every ``K`` and at the null.
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
    # the limit (claim I.Llim): deeper stacks against a null of uncorrelated input
    limit_N: int = 16
    limit_depth: int = 3
    limit_Ks: tuple[float, ...] = (0.5, 1.0, 1.5)
    limit_stacks: int = 3
    limit_null_stacks: int = 5
    limit_steps: int = 1200
    limit_batch: int = 1024
    limit_deep_restarts: int = 2
    limit_seed: int = 20_000
    limit_random_seeds: int = 20
    limit_random_seed: int = 30_000

    def smoke(self) -> Protocol:
        """A small variant for the test suite."""
        return replace(
            self,
            N=4,
            depth=1,
            Ks=(1.0,),
            stack_seeds=2,
            restarts=1,
            steps=10,
            random_seeds=2,
            n_boot=100,
            check_N=6,
            check_functions=20,
            limit_N=8,
            limit_depth=2,
            limit_Ks=(1.0,),
            limit_stacks=2,
            limit_null_stacks=2,
            limit_steps=20,
            limit_batch=64,
            limit_deep_restarts=1,
            limit_random_seeds=3,
        )

    @property
    def limit_chain(self) -> str:
        """The sizes of a stack of the limit test, ``"16 -> 8 -> 4 -> 2"``."""
        return arrow_chain(self.limit_N // 2**level for level in range(self.limit_depth + 1))

    @property
    def limit_levels(self) -> tuple[int, ...]:
        """The coarse-grained levels ``1..limit_depth`` of the limit test."""
        return tuple(range(1, self.limit_depth + 1))

    @property
    def chain(self) -> str:
        """The sizes of a stack, ``"8 -> 4 -> 2"`` (for the claim's statement)."""
        return arrow_chain(self.N // 2**level for level in range(self.depth + 1))

    @property
    def levels(self) -> tuple[int, ...]:
        """The coarse-grained levels ``1..depth`` of a stack."""
        return tuple(range(1, self.depth + 1))


PROTOCOL = Protocol()
#: The protocol of the amendment I.La: I.L's protocol as it was cut after its measuring code had been committed
#: (best of 3 restarts of 800 steps, to fit the chapter's time budget then).
PROTOCOL_LA = replace(PROTOCOL, restarts=3, steps=800)


FIGURES = ("fig-literal-flow", "fig-literal-limit")


# --------------------------------------------------------------------------------------
# claims


def measure_literal(P: Protocol, tol) -> list[Row]:
    """I.L: trained stacks' bootstrap upper bound of mean |K_l| against R_2^l(K) + rate; controls; consistency."""
    run = run_stacks(P)
    rows = []
    for K in P.Ks:
        rgK = rg.flow(K, 0.0, 2, steps=P.depth)[0]
        for lev in range(1, P.depth + 1):
            bound = float(rgK[lev]) + tol["rate"]
            for mode, role in (("trained", "evidence"), ("random", "control")):
                _, _, hi = seed_bootstrap(run.abs_couplings(K, mode)[:, lev], P.n_boot, P.boot_seed)
                rows.append(
                    Row(
                        f"{mode} stacks: upper 95% bootstrap bound of mean |K_{lev}| vs K* = 0 "
                        f"(bound R_2^{lev}(K) + rate), K={K}",
                        0.0,
                        hi,
                        bound,
                        role,
                    )
                )
            rows.append(
                Row(
                    f"copy layer: |K_{lev}| vs K* = 0 (bound R_2^{lev}(K) + rate), K={K}",
                    0.0,
                    abs(run.select(K, "copy")[0].couplings[lev]),
                    bound,
                    "control",
                )
            )
            rows.append(
                Row(
                    f"decimation stack: K_{lev} vs R_2^{lev}(K), K={K}",
                    float(rgK[lev]),
                    run.select(K, "decimation")[0].couplings[lev],
                    tol["decimation"],
                    "consistency",
                )
            )
    check = run_bound_check(P)
    rows.append(
        Row(
            f"largest |Corr(f(A), g(B))| - tanh^d|K| over {P.check_functions} random function pairs "
            f"(N={P.check_N}, K=±{P.check_K})",
            0.0,
            max(check.excess, 0.0),
            tol["bound"],
            "consistency",
        )
    )
    rows.append(
        Row(
            "largest ||Corr(s_a, s_b)| - tanh^(b-a)|K||: the bound is attained by single spins",
            0.0,
            check.single_spin_error,
            tol["bound"],
            "consistency",
        )
    )
    return rows


def _null_band(null: np.ndarray, values: np.ndarray, k: float) -> tuple[float, float]:
    """``(m0, m0 + k SE)``: the null mean and the band's upper end, SE of the difference of the two means."""
    null, values = np.asarray(null, float), np.asarray(values, float)
    se = np.sqrt(null.var(ddof=1) / null.size + values.var(ddof=1) / values.size)
    return float(null.mean()), float(null.mean() + k * se)


def measure_limit(P: Protocol, tol) -> list[Row]:
    """I.Llim: trained dense stacks at the last level against the K = 0 null; trend; plateau; controls."""
    run = run_limit(P)
    L = P.limit_depth
    rows = []
    null_tr = run.abs_couplings(0.0, "trained")[:, L]
    null_ra = run.abs_couplings(0.0, "random")[:, L]
    for K in P.limit_Ks:
        tr = run.abs_couplings(K, "trained")
        _, band = _null_band(null_tr, tr[:, L], tol["k"])
        rows.append(
            Row(
                f"trained stacks: mean |K_{L}| at K={K} vs the K = 0 null band (m0 + k SE)",
                0.0,
                float(tr[:, L].mean()),
                max(band, 0.0),
            )
        )
        means = tr.mean(axis=0)
        rows.append(
            Row(
                f"trained stacks: largest rise of mean |K_l| from one level to the next, K={K} (0 if it never rises)",
                0.0,
                float(max(np.max(np.diff(means)), 0.0)),
                tol["trend"],
            )
        )
        ra = run.abs_couplings(K, "random")[:, L]
        _, band_r = _null_band(null_ra, ra, tol["k"])
        m, lo, hi = seed_bootstrap(ra, P.n_boot, P.boot_seed)
        rows.append(
            Row(
                f"random stacks: mean |K_{L}| at K={K} vs their own K = 0 null band",
                0.0,
                m,
                max(band_r, 0.0),
                "control",
                lo=lo,
                hi=hi,
            )
        )
        rows.append(
            Row(
                f"copy layer: |K_{L}| at K={K} vs the trained K = 0 null band",
                0.0,
                float(run.abs_couplings(K, "copy")[0, L]),
                max(band, 0.0),
                "control",
            )
        )
        dec = run.couplings[("decimation", K)][0]
        rows.append(
            Row(
                f"decimation stack: largest |K_l - R_2^l(K)| over l = 0..{L}, K={K} (corollary (i))",
                0.0,
                float(np.max(np.abs(dec - rg.flow(K, 0.0, 2, steps=L)[0]))),
                tol["decimation"],
                "consistency",
            )
        )
    for lev in range(1, L + 1):
        drop = max(float(run.plateau[K][:, lev - 1].max()) for K in run.Ks)
        rows.append(
            Row(
                f"precondition: largest fall of a trained layer's exact loss over its last quarter of "
                f"steps, level {lev} (nats per spin; 0 if none)",
                0.0,
                max(drop, 0.0),
                tol["plateau"],
                "precondition",
            )
        )
    return rows


_PAPER_CLAIM = PAPER_I_CLAIM

#: The statement of I.L and of its amendment I.La (the same words; I.La runs on the cut protocol).
_RATE_STATEMENT = (
    "The literal claim, at finite depth: for the open zero-field chain of N = {protocol.N} spins at K in "
    "{{{protocol.Ks}}}, greedy stacks {protocol.chain} of optimal layers (each layer the best of "
    "{protocol.restarts} restarts of the autoencoder trained on the exact reconstruction loss of the previous "
    "level; {protocol.stack_seeds} independent stack seeds) flow to the stable fixed point K* = 0 at least as "
    "fast as real-space RG: at every level l = {protocol.levels} the upper end of the 95% seed-bootstrap "
    "interval of the mean |K_l| (KL projection onto the open NN chain) is at most R_2^l(K) + {rate}. Controls, "
    "against the same bound: random layers ({protocol.random_seeds} seeds) and the copy layer (y_1 = s_1, y_2 "
    "= s_2, the rest decimated), which must fail. Consistency checks: the decimation stack has K_l = R_2^l(K) "
    "within {decimation}; on exact enumeration every function of two regions d bonds apart has |Corr| <= "
    "tanh^d|K| (excess at most {bound}), attained by single spins."
)

_RATE_TOLERANCES = {"rate": 0.02, "decimation": 1e-4, "bound": 1e-12}
#: What I.L and its amendment I.La share besides statement, tolerances and measure (written out in each Claim,
#: where the registration audit reads them).
_RATE_CLAIM = {
    "paper": "I",
    "reading": "A",
    "paper_claim": _PAPER_CLAIM,
    "chapter": CHAPTER,
    "figure": "fig-literal-flow",
    "constants": ("0", "95%"),
}

CLAIMS = (
    Claim(
        id="I.L",
        title="finite-depth rate: trained stacks no slower than RG (ours)",
        statement=_RATE_STATEMENT,
        tolerances=_RATE_TOLERANCES,
        measure=measure_literal,
        protocol=PROTOCOL,
        **_RATE_CLAIM,
    ),
    Claim(
        id="I.La",
        amends="I.L",
        title="finite-depth rate: trained stacks no slower than RG (ours; I.L with its cut protocol, amended)",
        statement=_RATE_STATEMENT,
        tolerances=_RATE_TOLERANCES,
        measure=measure_literal,
        protocol=PROTOCOL_LA,
        **_RATE_CLAIM,
    ),
    Claim(
        id="I.Llim",
        title="the output coupling of trained dense stacks reaches the null of uncorrelated input (the literal limit)",
        paper="I",
        reading="L",
        paper_claim=_PAPER_CLAIM,
        statement=(
            "The literal claim as a limit. Proved (corollary of the correlation bound): a stack whose units' receptive "
            "fields separate with depth has |K_l| <= artanh(tanh^(d_l)|K|) -> K* = 0, trained or not; checked on the "
            "decimation stack, K_l = R_2^l(K) within {decimation} (consistency). Measured for dense trained stacks, "
            "where nothing is proved: open zero-field chains of N = {protocol.limit_N} spins at K in "
            "{{{protocol.limit_Ks}}}, greedy stacks {protocol.limit_chain} of fully connected stochastic layers, each "
            "trained on the exact reconstruction loss of the level below ({protocol.limit_stacks} stacks per K; "
            "{protocol.limit_steps} Adam steps per layer, the first layer on importance-weighted batches of "
            "{protocol.limit_batch} states, deeper layers exact, best of {protocol.limit_deep_restarts} restarts). "
            "Null: the same stacks trained on uncorrelated input (K = 0; {protocol.limit_null_stacks} stacks), with "
            "mean m0 and standard deviation sd0 of |K_L| at the last level L = {protocol.limit_depth}. The claim "
            "holds if at every K the mean |K_L| of the trained stacks is at most m0 + {k} SE, SE = sqrt(sd0^2/n0 + "
            "sdK^2/nK) the standard error of the difference of the two means, and if the trained mean |K_l| rises by "
            "at most {trend} from any level to the next (l = 0..L). Precondition (optimal layers): every trained "
            "layer's exact loss falls by at most {plateau} nats per spin over its last quarter of steps. Controls, "
            "same test: random dense stacks ({protocol.limit_random_seeds} seeds, the trained layers' initial law) "
            "against their own K = 0 null, deciding only when the 95% seed-bootstrap interval of their mean lies "
            "wholly inside or outside the band; the copy layer (keeps two adjacent input spins), which must fail."
        ),
        tolerances={"k": 2.0, "trend": 0.02, "plateau": 2e-3, "decimation": 1e-4},
        chapter=CHAPTER,
        measure=measure_limit,
        protocol=PROTOCOL,
        figure="fig-literal-limit",
        constants=("0", "95%", "sd0^2", "sdK^2", "m0", "sd0", "n0"),
    ),
)
