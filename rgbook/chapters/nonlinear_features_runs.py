r"""Data and runs of the chapter *Beyond linear and Gaussian: nonlinear feature layers* (``book/nonlinear_features``).

The :math:`\phi^4` chain's samples, the autoencoders, the statistics of every kind of feature,
the RG side and the glued numbers. ``P`` is the chapter's ``Protocol``
(:mod:`rgbook.chapters.nonlinear_features`, which re-exports every name; it is not imported here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np

from .. import couplings, expfam, ising, rg
from .._validate import as_real_array
from ..claims import Row
from ..continuous import (
    ChainProjection,
    MarginalProjection,
    PoissonFlow,
    chain_decimate_b,
    decodable_share,
    excess_mardia_kurtosis,
    kurtosis_identity_gap,
    poisson_flow,
    project_marginals,
    project_phi4_chain,
    project_standardized_law,
    receptive_field_gauge,
    standardize,
)
from ..information import (
    MI_BINS,
    binned_information,
    neighbour_sign_information,
    quantile_codes,
)
from ..networks import TanhAutoencoderRun as AutoencoderRun
from ..networks import pca_loss, plateau_change
from ..networks import tanh_encode as encode
from ..networks import tanh_reconstruction_loss as reconstruction_loss
from ..networks import train_tanh_autoencoders as train_autoencoders
from ..stats import seed_bootstrap

# --------------------------------------------------------------------------------------
# the data: the phi^4 chain (the tools live in rgbook.continuous)


def sample_phi4_chain(theta, K: float, n_sites: int, size: int, *, rng, n_grid: int = 800) -> np.ndarray:
    r"""Samples of the open chain :math:`-H = -\sum_i(\theta_2x_i^2 + \theta_4x_i^4) + K\sum_i x_ix_{i+1}`.

    :func:`rgbook.expfam.sample_chain` for the even-polynomial family with :math:`\eta = -\theta`
    (``n_grid`` cells, forward messages, backward sampling by bisection in each site's
    conditional cumulative table). Returns an array of shape ``(size, n_sites)``.
    """
    theta = expfam.check_even_poly(as_real_array("theta", theta))
    if theta.shape != (2,) or theta[1] <= 0:
        raise ValueError(f"theta must be (theta_2, theta_4) with theta_4 > 0, got {theta}")
    return expfam.sample_chain(expfam.family("even_poly"), -theta, K, n_sites, size, rng=rng, n_grid=n_grid)


# --------------------------------------------------------------------------------------
# runs of the chapter (memoized on the protocol)

#: The two chains of the chapter.
DATASETS = ("phi4", "ising")
DATA_NAMES = {"phi4": "$\\phi^4$-type chain", "ising": "Ising chain"}
#: Kinds of feature compared: the data's own sites (level 0), trained and untrained autoencoders, and the two RG
#: maps (b = 3) in their own basis. For the Ising chain the sign of a block sum is the majority rule.
KINDS = ("sites", "trained", "untrained", "block sum", "decimation")


@cache
def chain_samples(P, data: str, split: str) -> np.ndarray:
    """``n_train`` (``split = "train"``) or ``n_eval`` (``"eval"``) samples of chain ``data``, shape ``(n, N)``."""
    if data not in DATASETS or split not in ("train", "eval"):
        raise ValueError(f"data must be one of {DATASETS} and split 'train' or 'eval', got {data!r}, {split!r}")
    n = P.n_train if split == "train" else P.n_eval
    rng = np.random.default_rng([P.data_seed if split == "train" else P.eval_seed, DATASETS.index(data)])
    if data == "phi4":
        return sample_phi4_chain(P.phi4_theta, P.phi4_K, P.N, n, rng=rng, n_grid=P.n_grid)
    return ising.sample_chain(n, P.N, P.ising_K, rng=rng).astype(np.float64)


@cache
def autoencoders(P, progress: bool = False) -> AutoencoderRun:
    """The autoencoders of both chains and every seed, trained in one batch (model ``d S + s``)."""
    data = np.stack([chain_samples(P, d, "train") for d in DATASETS])
    return train_autoencoders(
        data, P.seeds, hidden=P.hidden, m=P.N // P.b, steps=P.steps, lr=P.lr, batch_size=P.batch_size, progress=progress
    )


def block_sums(x: np.ndarray, b: int) -> np.ndarray:
    """Sums of ``b`` consecutive sites (the block-sum map without rescaling; standardization removes the scale)."""
    return x.reshape(x.shape[0], -1, b).sum(axis=2)


@dataclass(frozen=True)
class FeatureStats:
    """Characteristic parameters of one set of features on the evaluation samples of one chain.

    ``theta_2, theta_4``: means over features of the standardized marginal projections
    (:math:`\\phi^4` chain; NaN for the Ising chain); ``kappa_4``: mean standardized
    :math:`\\kappa_4`; ``outside``: features with :math:`\\kappa_4 \\ge 0` (outside the
    family's range); ``chain_theta_2, chain_theta_4, chain_K``: KL projection of the standardized
    features onto the :math:`\\phi^4` chain (NaN for Ising); ``sign_K``: KL projection of the
    sign features onto the nearest-neighbour Ising chain (NaN for :math:`\\phi^4`); ``mardia``:
    excess Mardia kurtosis per dimension; ``info_blocks``, ``info_sites``: mean decodable
    share (:math:`R^2`) of the block sums and of the block-centre sites; ``neighbour_mi``: mean
    mutual information of neighbouring features (binned for :math:`\\phi^4`, of the signs for
    Ising); ``loss``: reconstruction loss per site (NaN for the maps).
    """

    data: str
    kind: str
    seed: int
    theta_2: float
    theta_4: float
    kappa_4: float
    outside: int
    chain_theta_2: float
    chain_theta_4: float
    chain_K: float
    sign_K: float
    mardia: float
    info_blocks: float
    info_sites: float
    neighbour_mi: float
    loss: float


def feature_stats(
    data: str, kind: str, seed: int, u: np.ndarray, x: np.ndarray, b: int, loss: float = float("nan")
) -> FeatureStats:
    """:class:`FeatureStats` of features ``u`` (n, m) computed from samples ``x`` (n, N) of chain ``data``.

    Networks are read in the receptive-field gauge (targets: the block sums); the maps and the
    sites in their own basis. Gauge-free quantities (Mardia, decodable shares) use ``u`` as it is.
    """
    B = block_sums(x, b)
    centre = x[:, b // 2 :: b]
    F = receptive_field_gauge(u, B) if kind in ("trained", "untrained") else u
    z = standardize(F)
    k4 = (z**4).mean(axis=0) - 3.0
    nan = float("nan")
    if data == "phi4":
        th = project_marginals(z)
        width = max(8.0, 1.05 * float(np.abs(z).max()))
        ch = project_phi4_chain(z, half_width=width, n_grid=2 * int(np.ceil(width / 0.05)) + 1)
        codes = [quantile_codes(col, MI_BINS) for col in z.T]
        mi = float(np.mean([binned_information(a, c, MI_BINS) for a, c in zip(codes[:-1], codes[1:])]))
        theta_2, theta_4, chain = float(th[:, 0].mean()), float(th[:, 1].mean()), (ch.theta_2, ch.theta_4, ch.K)
        sign_K = nan
    else:
        s = np.where(F >= 0, 1.0, -1.0) if kind != "block sum" else np.sign(F)  # block sums of 3 spins are odd
        bond = (s[:, :-1] * s[:, 1:]).sum(axis=1).mean()
        sign_K = couplings.project_chain_moments(float(bond), float(s.sum(axis=1).mean()), s.shape[1])[0]
        mi = neighbour_sign_information(s)
        theta_2 = theta_4 = nan
        chain = (nan, nan, nan)
    shares = (
        (float(decodable_share(u, B).mean()), float(decodable_share(u, centre).mean()))
        if kind != "sites"
        else (nan, nan)
    )
    return FeatureStats(
        data,
        kind,
        seed,
        theta_2,
        theta_4,
        float(k4.mean()),
        int((k4 >= 0).sum()),
        *chain,
        float(sign_K),
        excess_mardia_kurtosis(u),
        *shares,
        mi,
        float(loss),
    )


def network_feature_stats(P, data: str, run: AutoencoderRun, d: int, kind: str) -> list[FeatureStats]:
    """:class:`FeatureStats` of the ``"trained"`` or ``"untrained"`` networks of data set ``d`` of ``run`` (one per
    seed) on the evaluation samples of chain ``data``."""
    x = chain_samples(P, data, "eval")
    params = run.params({"trained": "trained", "untrained": "initial"}[kind], d)
    U = encode(params, x)
    losses = reconstruction_loss(params, x)
    return [feature_stats(data, kind, seed, U[s], x, P.b, losses[s]) for s, seed in enumerate(P.seeds)]


@cache
def all_feature_stats(P) -> tuple[FeatureStats, ...]:
    """:class:`FeatureStats` of every kind of feature of both chains (networks: one per seed)."""
    run = autoencoders(P)
    out = []
    for d, data in enumerate(DATASETS):
        x = chain_samples(P, data, "eval")
        out.append(feature_stats(data, "sites", -1, x, x, P.b))
        for kind in ("trained", "untrained"):
            out += network_feature_stats(P, data, run, d, kind)
        out.append(feature_stats(data, "block sum", -1, block_sums(x, P.b), x, P.b))
        out.append(feature_stats(data, "decimation", -1, x[:, P.b // 2 :: P.b], x, P.b))
    return tuple(out)


def stats_of(P, data: str, kind: str, stats=None) -> list[FeatureStats]:
    """The entries of one chain and kind among ``stats`` (default: :func:`all_feature_stats`)."""
    return [s for s in (all_feature_stats(P) if stats is None else stats) if s.data == data and s.kind == kind]


def interval(P, data: str, kind: str, attr: str, absolute: bool = False, stats=None) -> tuple[float, float, float]:
    """Mean of ``attr`` (or of its absolute value) over the entries of one kind (among ``stats``, default
    :func:`all_feature_stats`), with the 95% seed-bootstrap interval (the point itself for the maps)."""
    v = np.array([getattr(s, attr) for s in stats_of(P, data, kind, stats)], dtype=float)
    return seed_bootstrap(np.abs(v) if absolute else v, P.n_boot, P.boot_seed)


@cache
def raw_chain_projection(P) -> ChainProjection:
    """KL projection of the ``N`` raw (unstandardized) sites of the :math:`\\phi^4` chain's evaluation samples."""
    return project_phi4_chain(chain_samples(P, "phi4", "eval"))


def plateau(P, data: str) -> np.ndarray:
    """:func:`plateau_change` of each seed's recorded losses on chain ``data``."""
    return plateau_change(autoencoders(P).loss_curves(DATASETS.index(data)), P.plateau_window)


def plateau_noise(P, data: str) -> float:
    """Standard error of the relative difference of two window means if the loss were flat: the spread of the
    recorded minibatch losses in the last window, sqrt(2 / records per window), over their mean (largest seed)."""
    L = autoencoders(P).loss_curves(DATASETS.index(data))
    w = max(int(round(P.plateau_window * L.shape[0])), 1)
    last = L[-w:]
    return float(np.max(last.std(axis=0, ddof=1) * np.sqrt(2 / w) / last.mean(axis=0)))


@dataclass(frozen=True)
class RGIterates:
    """The RG maps' own numbers for the :math:`\\phi^4` chain (``b``): decimation by kernel power (raw and
    standardized by the bulk variance ``s2``) and the i.i.d. block-sum RG flow of the standardized site marginal."""

    decimated: tuple[float, float, float]
    residual: float
    s2: float
    block_sum_flow: np.ndarray = field(repr=False)

    @property
    def decimated_standardized(self) -> tuple[float, float, float]:
        t2, t4, K = self.decimated
        return t2 * self.s2, t4 * self.s2**2, K * self.s2


@cache
def rg_iterates(P) -> RGIterates:
    """Decimation by ``b`` of the :math:`\\phi^4` chain and ``poisson_steps`` i.i.d. block-sum steps of its
    standardized site marginal (projected with :func:`rgbook.rg.block_sum_even_poly`)."""
    th, K, res, s2 = chain_decimate_b(P.phi4_theta, P.phi4_K, P.b)
    sites = stats_of(P, "phi4", "sites")[0]
    flow = rg.block_sum_even_poly([sites.theta_2, sites.theta_4], b=P.b, steps=P.poisson_steps)
    return RGIterates((float(th[0]), float(th[1]), K), res, s2, flow)


@cache
def rg_side(P) -> tuple[PoissonFlow, tuple[MarginalProjection, ...]]:
    """Poisson flow and the projections of standardized laws inside and outside the even-polynomial range."""
    flow = poisson_flow(P.poisson_lam, P.b, P.poisson_steps)
    gam = expfam.cumulants("gamma", {"k": P.gamma_k, "theta": 1.0})
    pois = expfam.cumulants("poisson", {"lam": P.poisson_lam})
    laws = (
        ("uniform", -1.2),
        (f"Poisson({P.poisson_lam:g})", pois[3] / pois[1] ** 2),
        (f"Gamma(k={P.gamma_k:g})", gam[3] / gam[1] ** 2),
    )
    return flow, tuple(project_standardized_law(name, float(ex)) for name, ex in laws)


#: Members of the even-polynomial family on which the kurtosis identity is checked (theta_2, theta_4).
IDENTITY_THETAS = ((0.5, 0.1), (-1.0, 0.5), (2.0, 0.01), (0.0, 1.0), (0.3, 0.04))


def glue_values(P) -> dict[str, float]:
    """The numbers the chapter's prose quotes, by glue name."""
    out = {}
    for data in DATASETS:
        tr = [s.loss for s in stats_of(P, data, "trained")]
        out[f"{data}-loss"] = float(np.mean(tr))
        out[f"{data}-loss-spread"] = float(np.max(tr) - np.min(tr))
        out[f"{data}-pca"] = pca_loss(chain_samples(P, data, "eval"), P.N // P.b)
        out[f"{data}-untrained-loss"] = interval(P, data, "untrained", "loss")[0]
        out[f"{data}-plateau"] = float(plateau(P, data).max())
        out[f"{data}-plateau-noise"] = plateau_noise(P, data)
        attrs = (
            ("theta_4", "kappa_4", "chain_K", "mardia", "info_blocks", "info_sites", "neighbour_mi")
            if data == "phi4"
            else ("sign_K", "kappa_4", "mardia", "info_blocks", "info_sites", "neighbour_mi")
        )
        for attr in attrs:
            for kind in KINDS:
                m, lo, hi = interval(P, data, kind, attr)
                key = f"{data}-{attr}-{kind}".replace(" ", "-").replace("_", "")
                out[key], out[key + "-lo"], out[key + "-hi"] = m, lo, hi
    it = rg_iterates(P)
    out["dec-K-std"] = it.decimated_standardized[2]
    out["dec-K-raw"] = it.decimated[2]
    out["dec-theta4-std"] = it.decimated_standardized[1]
    out["iid-theta4-1"] = float(it.block_sum_flow[1, 1])
    out["iid-theta4-0"] = float(it.block_sum_flow[0, 1])
    out["ising-dec-rg"] = float(np.arctanh(np.tanh(P.ising_K) ** P.b))
    raw = raw_chain_projection(P)
    out["raw-theta2"], out["raw-theta4"], out["raw-K"] = raw.theta_2, raw.theta_4, raw.K
    return out


# --------------------------------------------------------------------------------------
# the rows of II.N1-II.N4 (the chapter's measure functions return them)


def rg_rows(P, tol) -> list[Row]:
    """II.N1: Poisson closure and rescaled flow; the even-polynomial kurtosis identity and projections.

    Every row checks a statement the chapter proves (closure of Poisson sums, the kurtosis identity, the
    projection onto the family's boundary): consistency checks, none can fail short of a bug."""
    flow, laws = rg_side(P)
    rows = [
        Row(
            f"largest |pmf(sum of {P.b} Poisson({P.poisson_lam:g})) - pmf(Poisson({P.b * P.poisson_lam:g}))|",
            0.0,
            flow.closure,
            tol["closure"],
            "consistency",
        )
    ]
    for n in range(1, P.poisson_steps + 1):
        for k, name in ((0, "kappa_3/kappa_2^(3/2)"), (1, "kappa_4/kappa_2^2")):
            rows.append(
                Row(
                    f"Poisson block sum, step {n} (rate {P.b**n * P.poisson_lam:g}): {name} vs "
                    f"(b^n lambda)^({'-1/2' if k == 0 else '-1'})",
                    float(flow.predicted[n, k]),
                    float(flow.kappa[n, k]),
                    tol["flow"],
                    "consistency",
                )
            )
    rows += [
        Row(
            f"even polynomial theta = {th}: |kappa_4 + 4 theta_4 (m_6 m_2 - m_4^2)| / m_2^2",
            0.0,
            kurtosis_identity_gap(th),
            tol["identity"],
            "consistency",
        )
        for th in IDENTITY_THETAS
    ]
    for m in laws:
        inside = -2 < m.excess <= 0
        rows.append(
            Row(
                f"{m.law} (standardized excess {m.excess:g}): unmatched excess kurtosis after projection "
                f"({'inside the range: 0' if inside else 'outside: all of it'})",
                0.0 if inside else m.excess,
                m.unmatched,
                tol["match"],
                "consistency",
            )
        )
        if not inside:
            rows.append(
                Row(f"{m.law}: projected theta_4 (boundary of the family)", 0.0, m.theta_4, tol["match"], "consistency")
            )
    return rows


def _plateau_row(P, data: str, tol) -> Row:
    # the claims presuppose optimal layers: a loss plateau is their precondition (failing it: inconclusive)
    return Row(
        f"{data}: largest relative loss change over the last two tenths of training (10 seeds)",
        0.0,
        float(plateau(P, data).max()),
        tol["plateau"],
        "precondition",
    )


def _bound_rows(P, data: str, quantities, tol, maps, stats=None) -> list[Row]:
    """Upper 95% seed-bootstrap bound of the mean |q| (networks) or |q| (maps) against the fixed point 0."""
    rows = []
    for attr, label, key in quantities:
        for kind, role in (("trained", "evidence"), ("untrained", "control")):
            hi = interval(P, data, kind, attr, absolute=True, stats=stats)[2]
            rows.append(
                Row(f"{data}, {kind}: upper 95% seed bound of mean |{label}| vs fixed point 0", 0.0, hi, tol[key], role)
            )
        for kind, name in maps:
            rows.append(
                Row(
                    f"{data}, {name}: |{label}| vs fixed point 0",
                    0.0,
                    abs(interval(P, data, kind, attr, stats=stats)[0]),
                    tol[key],
                    "control",
                )
            )
    return rows


def literal_phi4_rows(P, tol) -> list[Row]:
    """II.N2: trained features of the phi^4 chain, projected onto its family, against the RG fixed point."""
    quantities = (
        ("theta_4", "theta_4 of the standardized marginals", "theta4"),
        ("chain_K", "K of the phi^4-chain projection", "coupling"),
        ("mardia", "excess Mardia kurtosis per dimension", "kappa"),
    )
    rows = [_plateau_row(P, "phi4", tol)]
    rows += _bound_rows(P, "phi4", quantities, tol, (("block sum", "block-sum map"), ("decimation", "decimation")))
    raw = raw_chain_projection(P)
    for name, value, truth in (
        ("theta_2", raw.theta_2, P.phi4_theta[0]),
        ("theta_4", raw.theta_4, P.phi4_theta[1]),
        ("K", raw.K, P.phi4_K),
    ):
        rows.append(
            Row(
                f"chain projection of the {P.N} raw sites recovers the data's {name}",
                truth,
                value,
                tol["recover"],
                "consistency",
            )
        )
    return rows


def _ising_rows(P, tol, stats=None) -> list[Row]:
    """The bound rows of II.N3 (networks among ``stats``, default :func:`all_feature_stats`) and its decimation
    consistency row."""
    quantities = (
        ("sign_K", "K of the sign features", "coupling"),
        ("mardia", "excess Mardia kurtosis per dimension", "kappa"),
    )
    maps = (("block sum", "majority rule (block sums)"), ("decimation", "decimation"))
    rows = _bound_rows(P, "ising", quantities, tol, maps, stats)
    rows.append(
        Row(
            f"decimation: projected K vs artanh(tanh^{P.b} {P.ising_K:g})",
            float(np.arctanh(np.tanh(P.ising_K) ** P.b)),
            interval(P, "ising", "decimation", "sign_K", stats=stats)[0],
            tol["decimation"],
            "consistency",
        )
    )
    return rows


def literal_ising_rows(P, tol) -> list[Row]:
    """II.N3: sign features of the Ising chain, projected onto the NN chain, against K* = 0."""
    return [_plateau_row(P, "ising", tol), *_ising_rows(P, tol)]


def block_sum_rows(P, tol) -> list[Row]:
    """II.N4: trained features against the block-sum RG iterate (b = 3)."""
    comparisons = (
        ("phi4", "theta_4", "theta_4 of the standardized marginals", "theta4"),
        ("phi4", "chain_K", "K of the phi^4-chain projection", "coupling"),
        ("phi4", "mardia", "excess Mardia kurtosis per dimension", "kappa"),
        ("ising", "sign_K", "K of the sign features (block sum: majority rule)", "coupling"),
        ("ising", "mardia", "excess Mardia kurtosis per dimension", "kappa"),
    )
    rows = []
    for data, attr, label, key in comparisons:
        target = interval(P, data, "block sum", attr)[0]
        for kind, role in (("trained", "evidence"), ("untrained", "control")):
            rows.append(
                Row(
                    f"{data}, {kind}: seed mean of {label} vs the block-sum map's",
                    target,
                    interval(P, data, kind, attr)[0],
                    tol[key],
                    role,
                )
            )
    for data in DATASETS:
        for kind, role in (("trained", "evidence"), ("untrained", "control")):
            rows.append(
                Row(
                    f"{data}, {kind}: mean share of block-sum variance decodable from the features (R^2)",
                    1.0,
                    interval(P, data, kind, "info_blocks")[0],
                    tol["info"],
                    role,
                )
            )
    return rows


# --------------------------------------------------------------------------------------
# II.N3a: the Ising autoencoders trained on a decaying learning rate


@cache
def scheduled_autoencoders(P, steps: int) -> AutoencoderRun:
    """The autoencoders of II.N3 (Ising chain, the same seeds and training samples) trained with ``steps`` Adam
    steps on minibatches of ``sched_batch_size``, the rate falling from ``sched_lr`` along ``sched_schedule``."""
    return train_autoencoders(
        chain_samples(P, "ising", "train")[None],
        P.seeds,
        hidden=P.hidden,
        m=P.N // P.b,
        steps=steps,
        lr=P.sched_lr,
        batch_size=P.sched_batch_size,
        schedule=P.sched_schedule,
    )


@cache
def scheduled_stats(P) -> tuple[FeatureStats, ...]:
    """:class:`FeatureStats` of every kind of feature of the Ising chain: the trained networks of the registered
    schedule (``sched_steps``); every other kind is II.N3's entry of :func:`all_feature_stats`, not computed again
    (the untrained networks are the same initializations, the maps and the samples the same)."""
    trained = network_feature_stats(P, "ising", scheduled_autoencoders(P, P.sched_steps), 0, "trained")
    return tuple(trained) + tuple(s for s in all_feature_stats(P) if s.data == "ising" and s.kind != "trained")


def scheduled_final_loss(P, steps: int) -> float:
    """Mean over the seeds of the training loss per site (all training samples) after ``steps`` scheduled steps."""
    params = scheduled_autoencoders(P, steps).params("trained", 0)
    return float(np.mean(reconstruction_loss(params, chain_samples(P, "ising", "train"))))


def scheduled_restart_change(P) -> float:
    """Relative difference of the final mean training losses of the registered schedule (``sched_steps``) and of
    the same schedule run ``sched_restart`` times as long, relative to the longer run's."""
    short, long = scheduled_final_loss(P, P.sched_steps), scheduled_final_loss(P, P.sched_restart_steps)
    return abs(short - long) / long


def scheduled_plateau(P) -> np.ndarray:
    """:func:`plateau_change` of each seed's recorded losses under the registered schedule."""
    return plateau_change(scheduled_autoencoders(P, P.sched_steps).loss_curves(0), P.plateau_window)


def scheduled_ising_rows(P, tol) -> list[Row]:
    """II.N3a: the rows of II.N3 for the networks of the registered schedule, after two preconditions (the
    last-two-tenths loss change and the agreement with the schedule run ``sched_restart`` times as long)."""
    preconditions = [
        Row(
            f"ising, {P.sched_schedule} schedule: largest relative loss change over the last two tenths of training "
            f"({P.n_seeds} seeds)",
            0.0,
            float(scheduled_plateau(P).max()),
            tol["plateau"],
            "precondition",
        ),
        Row(
            f"ising, {P.sched_schedule} schedule: relative difference of the final mean training loss at "
            f"{P.sched_steps} and at {P.sched_restart_steps} steps",
            0.0,
            scheduled_restart_change(P),
            tol["restart"],
            "precondition",
        ),
    ]
    return preconditions + _ising_rows(P, tol, scheduled_stats(P))


def scheduled_glue_values(P) -> dict[str, float]:
    """The numbers the prose of II.N3a quotes, by glue name (``n3a-…``): preconditions, final training losses
    (also of II.N3's networks, as ``n3a-loss-constant``), and the trained features' seed means with their 95%
    intervals (``n3a-signK``, ``n3a-mardia``) and the upper bounds of the mean absolute values (``…-abs-hi``)."""
    ising = chain_samples(P, "ising", "train")
    constant = reconstruction_loss(autoencoders(P).params("trained", DATASETS.index("ising")), ising)
    out = {
        "n3a-plateau": float(scheduled_plateau(P).max()),
        "n3a-loss": scheduled_final_loss(P, P.sched_steps),
        "n3a-loss-restart": scheduled_final_loss(P, P.sched_restart_steps),
        "n3a-restart": scheduled_restart_change(P),
        "n3a-loss-constant": float(np.mean(constant)),
    }
    for attr in ("sign_K", "mardia"):
        key = f"n3a-{attr.replace('_', '')}"
        out[key], out[key + "-lo"], out[key + "-hi"] = interval(P, "ising", "trained", attr, stats=scheduled_stats(P))
        out[key + "-abs-hi"] = interval(P, "ising", "trained", attr, absolute=True, stats=scheduled_stats(P))[2]
    return {k: float(v) for k, v in out.items()}
