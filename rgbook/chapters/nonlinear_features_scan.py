r"""Runs of the chapter *Nonlinear feature layers* (``book/nonlinear_features``): the scan in b of claims
``II.N2a`` and ``II.N4a`` (autoencoders per b, exact block-sum values, rows). ``P`` is the chapter's ``Protocol``."""

from __future__ import annotations

from functools import cache

import numpy as np

from ..claims import Row
from ..continuous import (
    chain_block_sums,
)
from ..networks import TanhAutoencoderRun as AutoencoderRun
from ..networks import plateau_change
from ..networks import tanh_encode as encode
from ..networks import tanh_reconstruction_loss as reconstruction_loss
from ..networks import train_tanh_autoencoders as train_autoencoders
from ..stats import seed_bootstrap
from .nonlinear_features_runs import (
    FeatureStats,
    block_sums,
    feature_stats,
    sample_phi4_chain,
)

# --------------------------------------------------------------------------------------
# the scan in b at N = scan_N (II.N2a, II.N4a)


@cache
def scan_samples(P, split: str) -> np.ndarray:
    """``n_train`` (``"train"``) or ``n_eval`` (``"eval"``) samples of the :math:`\\phi^4` chain of ``scan_N`` sites."""
    if split not in ("train", "eval"):
        raise ValueError(f"split must be 'train' or 'eval', got {split!r}")
    n, seed = (P.n_train, P.scan_data_seed) if split == "train" else (P.n_eval, P.scan_eval_seed)
    return sample_phi4_chain(P.phi4_theta, P.phi4_K, P.scan_N, n, rng=np.random.default_rng(seed), n_grid=P.n_grid)


@cache
def scan_autoencoders(P, b: int) -> AutoencoderRun:
    """The scan's autoencoders ``scan_N -> hidden -> scan_N/b -> hidden -> scan_N`` (one per seed)."""
    return train_autoencoders(
        scan_samples(P, "train")[None],
        P.scan_seeds,
        hidden=P.hidden,
        m=P.scan_N // b,
        steps=P.scan_steps,
        lr=P.lr,
        batch_size=P.scan_batch_size,
    )


@cache
def scan_exact(P, b: int):
    """Exact block sums of ``b`` sites of the scan's chain (:func:`rgbook.continuous.chain_block_sums`), with the
    chain projection of the standardized block sums: ``(ChainBlockSums, ChainProjection)``."""
    law = chain_block_sums(P.phi4_theta, P.phi4_K, P.scan_N, b, half_width=P.tm_half_width, n_grid=P.tm_grid)
    return law, law.chain_projection()


@cache
def scan_stats(P, b: int) -> tuple[FeatureStats, ...]:
    """:class:`FeatureStats` of the trained and untrained autoencoders (per seed) and of the sampled block sums."""
    x = scan_samples(P, "eval")
    run = scan_autoencoders(P, b)
    out = []
    for kind, which in (("trained", "trained"), ("untrained", "initial")):
        params = run.params(which, 0)
        U = encode(params, x)
        losses = reconstruction_loss(params, x)
        out += [feature_stats("phi4", kind, seed, U[s], x, b, losses[s]) for s, seed in enumerate(P.scan_seeds)]
    out.append(feature_stats("phi4", "block sum", -1, block_sums(x, b), x, b))
    return tuple(out)


def scan_interval(P, b: int, kind: str, attr: str, absolute: bool = False) -> tuple[float, float, float]:
    """Mean of ``attr`` (or of its absolute value) over one kind of the scan at ``b``, with its 95% seed-bootstrap
    interval (the point itself for the sampled block sums)."""
    v = np.array([getattr(s, attr) for s in scan_stats(P, b) if s.kind == kind], dtype=float)
    return seed_bootstrap(np.abs(v) if absolute else v, P.n_boot, P.boot_seed)


def scan_plateau(P, b: int) -> np.ndarray:
    """:func:`plateau_change` of each seed's recorded losses at ``b``."""
    return plateau_change(scan_autoencoders(P, b).loss_curves(0), P.plateau_window)


def scan_exact_values(P, b: int) -> dict[str, float]:
    """The exact block-sum map's numbers at ``b`` under the names of :class:`FeatureStats`."""
    law, proj = scan_exact(P, b)
    return {"theta_4": law.theta_4, "chain_K": proj.K, "kappa_4": law.excess}


def _scan_plateau_rows(P, tol) -> list[Row]:
    return [
        Row(
            f"b = {b}: largest relative loss change over the last two tenths of training ({P.scan_n_seeds} seeds)",
            0.0,
            float(scan_plateau(P, b).max()),
            tol["plateau"],
            "precondition",
        )
        for b in P.scan_bs
    ]


def scan_literal_rows(P, tol) -> list[Row]:
    """II.N2a: the literal claim at every b of the scan, against exact block-sum controls."""
    rows = _scan_plateau_rows(P, tol)
    quantities = (
        ("theta_4", "theta_4 of the standardized marginals", "theta4"),
        ("chain_K", "K of the phi^4-chain projection", "coupling"),
        ("mardia", "excess Mardia kurtosis per dimension", "kappa"),
    )
    for b in P.scan_bs:
        exact = scan_exact_values(P, b)
        for attr, label, key in quantities:
            for kind, role in (("trained", "evidence"), ("untrained", "control")):
                hi = scan_interval(P, b, kind, attr, absolute=True)[2]
                rows.append(Row(f"b = {b}, {kind}: upper 95% seed bound of mean |{label}|", 0.0, hi, tol[key], role))
            if attr in exact:
                rows.append(Row(f"b = {b}, exact block sums: |{label}|", 0.0, abs(exact[attr]), tol[key], "control"))
            else:
                value = abs(scan_interval(P, b, "block sum", attr)[0])
                rows.append(Row(f"b = {b}, sampled block sums: |{label}|", 0.0, value, tol[key], "control"))
        for attr, label, key in (("kappa_4", "mean excess kurtosis", "sample_kappa"), ("chain_K", "K", "sample_K")):
            rows.append(
                Row(
                    f"b = {b}: exact block sums' {label} vs the sampled block sums'",
                    exact[attr],
                    scan_interval(P, b, "block sum", attr)[0],
                    tol[key],
                    "consistency",
                )
            )
    return rows


def scan_block_sum_rows(P, tol) -> list[Row]:
    """II.N4a: trained features at every b of the scan against the exact block-sum values."""
    rows = _scan_plateau_rows(P, tol)
    quantities = (
        ("theta_4", "theta_4 of the standardized marginals", "theta4"),
        ("chain_K", "K of the phi^4-chain projection", "coupling"),
        ("kappa_4", "excess kurtosis of the standardized marginals", "kappa"),
    )
    for b in P.scan_bs:
        exact = scan_exact_values(P, b)
        for attr, label, key in quantities:
            for kind, role in (("trained", "evidence"), ("untrained", "control")):
                rows.append(
                    Row(
                        f"b = {b}, {kind}: seed mean of {label} vs the exact block sums'",
                        exact[attr],
                        scan_interval(P, b, kind, attr)[0],
                        tol[key],
                        role,
                    )
                )
        for kind, role in (("trained", "evidence"), ("untrained", "control")):
            rows.append(
                Row(
                    f"b = {b}, {kind}: mean share of block-sum variance decodable from the features (R^2)",
                    1.0,
                    scan_interval(P, b, kind, "info_blocks")[0],
                    tol["info"],
                    role,
                )
            )
    return rows


def scan_glue_values(P) -> dict[str, float]:
    """The numbers the scan's prose quotes, by glue name (``scan-b{b}-{attr}-{kind}``, exact values as
    ``-exact``, the largest plateau change as ``scan-b{b}-plateau``)."""
    out = {}
    for b in P.scan_bs:
        for attr, value in scan_exact_values(P, b).items():
            out[f"scan-b{b}-{attr.replace('_', '')}-exact"] = float(value)
        for kind in ("trained", "untrained", "block sum"):
            for attr in ("theta_4", "chain_K", "kappa_4", "mardia", "info_blocks"):
                key = f"scan-b{b}-{attr.replace('_', '')}-{kind.replace(' ', '-')}"
                out[key], out[key + "-lo"], out[key + "-hi"] = scan_interval(P, b, kind, attr)
        out[f"scan-b{b}-plateau"] = float(scan_plateau(P, b).max())
    return out
