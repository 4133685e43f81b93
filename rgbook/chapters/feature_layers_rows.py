r"""Rows of the claims of the chapter *Paper II's theorem: the feature layer and the RG fixed point*
(``book/feature_layers``).

The claims (statements, tolerances, protocol) and their measure functions live in
:mod:`rgbook.chapters.feature_layers`; each measure function returns the rows built here from the
runs of :mod:`~rgbook.chapters.feature_layers_a` (Reading A) and
:mod:`~rgbook.chapters.feature_layers_b` (Reading B). ``P`` is the chapter's ``Protocol``.
"""

from __future__ import annotations

from ..claims import Row
from ..stats import seed_interval
from .feature_layers_a import BLOCK_SUM, TRAINED_RF, even_poly_features, gaussian_stack, random_stack
from .feature_layers_amended import exact_two_point_rates, layer_steps, scaled_intervals
from .feature_layers_b import (
    _linear,
    _linear_iid,
    bayes_intervals,
    n_rho_intervals,
    overlap_intervals,
    two_point_rates,
)


def reconstruction_registered_rows(P, tol) -> list[Row]:
    """II.A as registered: the trained stacks' loss against Eckart-Young, ring ratio r_l against the RG iterate
    (absolute tolerance), phi^4 chain kappa_4 against the block-sum iterate (absolute tolerance); no controls."""
    rows = []
    for r in P.a.rs:
        for lev in gaussian_stack(P.a, r):
            tag = f"r_0={r}, level {lev.level}"
            ey = lev.eckart_young_loss
            rows += [
                Row(
                    f"best trained loss vs Eckart-Young minimum ({tag}; tol relative {_short(tol['loss'])})",
                    ey,
                    lev.best_loss,
                    tol["loss"] * ey,
                ),
                Row(f"trained features' ring ratio r vs RG iterate ({tag})", lev.r_rg, lev.r_trained, tol["ratio"]),
                Row(
                    f"decimation control's ring ratio r vs RG iterate ({tag})",
                    lev.r_rg,
                    lev.r_decimation,
                    tol["decimation"],
                    role="consistency",
                ),
            ]
    ep = even_poly_features(P.a)
    rows.append(
        Row(
            f"phi^4 chain: kappa_4/kappa_2^2 of trained features (rf gauge) vs block-sum RG iterate (b = {P.a.b})",
            ep.of(BLOCK_SUM).mean,
            ep.of(TRAINED_RF).mean,
            tol["kurtosis"],
        )
    )
    return rows


def reconstruction_rows(P, tol) -> list[Row]:
    """II.Aa: linear autoencoder stacks on Gaussian rings against Eckart-Young and the decimation RG iterates,
    phi^4 chain kappa_4 against the block-sum iterate; random linear maps of the same shapes as controls."""
    A = P.a
    rows = []
    for r in A.rs:
        for lev, rnd in zip(gaussian_stack(A, r), random_stack(A, r)):
            tag = f"r_0={r}, level {lev.level}"
            ey = lev.eckart_young_loss
            loss = seed_interval(rnd.loss_ratio, A.n_boot, A.boot_seed)
            ratio = seed_interval(rnd.r / lev.r_rg, A.n_boot, A.boot_seed)
            rows += [
                Row(
                    f"(i) best trained loss vs Eckart-Young minimum ({tag}; tol relative {_short(tol['loss'])})",
                    ey,
                    lev.best_loss,
                    tol["loss"] * ey,
                ),
                Row(
                    f"(i) random maps' loss / Eckart-Young, seed mean [95% interval] ({loss.n} seeds; {tag})",
                    1.0,
                    loss.mean,
                    tol["loss"],
                    role="control",
                    lo=loss.lo,
                    hi=loss.hi,
                ),
                Row(
                    f"(ii) trained features' r / RG iterate r_3^l ({tag}; rf gauge)",
                    1.0,
                    lev.r_trained / lev.r_rg,
                    tol["ratio"],
                ),
                Row(
                    f"(ii) random maps' r / RG iterate, seed mean [95% interval] ({ratio.n} seeds; {tag}; rf gauge)",
                    1.0,
                    ratio.mean,
                    tol["ratio"],
                    role="control",
                    lo=ratio.lo,
                    hi=ratio.hi,
                ),
                Row(
                    f"(ii) decimation layer's r vs RG iterate ({tag})",
                    lev.r_rg,
                    lev.r_decimation,
                    tol["decimation"],
                    role="consistency",
                ),
            ]
    ep = even_poly_features(A)
    band = tol["k_sigma"] * ep.diff_se
    random_diff = seed_interval(ep.random_kurtosis - ep.of(BLOCK_SUM).mean, A.n_boot, A.boot_seed)
    rows += [
        Row(
            f"(iii) phi^4 chain: mean kappa_4/kappa_2^2 of trained features (rf gauge) - block-sum RG iterate's "
            f"(b = {A.b}); tol {_short(tol['k_sigma'])} x bootstrap s.e. {ep.diff_se:.4f}",
            0.0,
            ep.diff,
            band,
        ),
        Row(
            f"(iii) phi^4 chain: random maps' mean kappa_4/kappa_2^2 (rf gauge) - block-sum iterate's, seed mean "
            f"[95% interval] ({random_diff.n} seeds)",
            0.0,
            random_diff.mean,
            band,
            role="control",
            lo=random_diff.lo,
            hi=random_diff.hi,
        ),
    ]
    return rows


def gaussianity_rows(P, tol) -> list[Row]:
    """II.B1: rate p of the feature units' standardized kappa_4 between two sizes, trained vs random/selection."""
    rows = []
    for r in two_point_rates(P.b):
        if r.task == "gaussian":  # kappa_4 = 0 identically: not a cumulant rate
            continue
        iv = r.interval
        where = f"{r.task}, N = {r.N1} -> {r.N2}, {r.route}, {iv.n} seeds"
        if r.mode == "trained":
            rows.append(
                Row(
                    f"trained units: exponent p of kappa_4^std ~ N^p, interval end farthest from -1 ({where})",
                    -1.0,
                    iv.far(-1.0),
                    tol["exponent"],
                )
            )
        elif r.mode == "random" and (r.task == "poisson" or not _linear_iid(r.task)):
            # random weights do not depend on the i.i.d. task: one row for them (poisson), one for the chain
            label = "i.i.d. tasks" if _linear_iid(r.task) else r.task
            rows.append(
                Row(
                    f"random frozen layers: exponent p, interval end nearest -1 ({label}, N = {r.N1} -> "
                    f"{r.N2}, {r.route}, {iv.n} seeds)",
                    -1.0,
                    iv.near(-1.0),
                    tol["exponent"],
                    role="control",
                )
            )
        elif r.mode == "selection" and r.task == "poisson":
            rows.append(
                Row(
                    f"selection layer (decimation): exponent p (i.i.d. tasks, N = {r.N1} -> {r.N2}, exact)",
                    -1.0,
                    iv.mean,
                    tol["exponent"],
                    role="control",
                )
            )
    return rows


#: What the trained layers' rows of II.B2 (and of its amendments II.B2a, II.B2b) measure.
_OVERLAP = "block-sum overlap |P_W 1|^2/N of the trained layer, lower interval end"
_BAYES = "trained test RMSE / exact Bayes estimator's on the same test set, upper interval end"


def _trained_row(B, task: str, N: int, iv, what: str, measured: float, tol: float, scaled: bool = False) -> Row:
    """The row of the trained layers of ``task`` at size ``N`` (interval ``iv`` over seeds) against 1; ``scaled``:
    trained on ``n_train_per_site x N`` samples, which the quantity then says."""
    training = f" ({B.n_train_per_site * N} training samples)" if scaled else ""
    return Row(f"{task}, N={N}{training}: {what} ({iv.n} seeds)", 1.0, measured, tol)


def _selection_overlap_row(overlaps, N: int, tol) -> Row:
    """The selection layer's (decimation's) block-sum overlap M/N at size ``N``, a control of II.B2 and II.B2a."""
    return Row(
        f"selection layer, N={N}: block-sum overlap (= M/N)",
        1.0,
        overlaps["poisson", N, "selection"].mean,
        tol["overlap"],
        role="control",
    )


def span_rows(P, tol) -> list[Row]:
    """II.B2: block-sum overlap of the trained layers' span; test RMSE against the exact Bayes estimator."""
    B = P.b
    ov = overlap_intervals(B)
    rows = []
    for task in B.tasks:
        if not _linear(task):
            continue
        for N in B.many_Ns:
            iv = ov[task, N, "trained"]
            rows.append(_trained_row(B, task, N, iv, _OVERLAP, iv.lo, tol["overlap"]))
    for N in B.many_Ns:
        iv = ov["poisson", N, "random"]
        rows.append(
            Row(
                f"random frozen layers, N={N}: block-sum overlap, upper interval end ({iv.n} seeds; the same "
                "weights for every linear task)",
                1.0,
                iv.hi,
                tol["overlap"],
                role="control",
            )
        )
        rows.append(_selection_overlap_row(ov, N, tol))
    bi = bayes_intervals(B)
    for task in B.bayes_tasks:
        for N in B.many_Ns:
            iv = bi[task, N, "trained"]
            rows.append(_trained_row(B, task, N, iv, _BAYES, iv.hi, tol["bayes"]))
            iv = bi[task, N, "random"]
            rows.append(
                Row(
                    f"{task}, N={N}: random frozen layer with trained head, RMSE / Bayes, "
                    f"interval end nearest 1 ({iv.n} seeds)",
                    1.0,
                    iv.near(1.0),
                    tol["bayes"],
                    role="control",
                )
            )
    return rows


def units_rows(P, tol) -> list[Row]:
    """II.B3: per-unit N rho of the trained units against the block sum's 1 (a basis-dependent quantity)."""
    B = P.b
    N = B.many_Ns[-1]
    iv = n_rho_intervals(B)
    rows = []
    for task in B.tasks:
        if not _linear_iid(task):
            continue
        t = iv[task, N, "trained"]
        rows.append(
            Row(
                f"{task}, N={N}: mean N rho of the trained units, upper interval end ({t.n} seeds)",
                1.0,
                t.hi,
                tol["n_rho"],
            )
        )
    r = iv["poisson", N, "random"]
    rows.append(
        Row(
            f"random frozen layers, N={N}: mean N rho, interval end nearest 1 ({r.n} seeds; "
            "the same weights for every i.i.d. task)",
            1.0,
            r.near(1.0),
            tol["n_rho"],
            role="control",
        )
    )
    rows.append(
        Row(
            f"selection layer, N={N}: N rho (= N)",
            1.0,
            iv["poisson", N, "selection"].mean,
            tol["n_rho"],
            role="control",
        )
    )
    return rows


def _short(x: float) -> str:
    """A tolerance as a reader writes it: 1e-6, 0.02."""
    return f"{x:g}".replace("e-0", "e-").replace("e+0", "e+")


def _control(quantity: str, iv, predicted: float, tol: float) -> Row:
    """A control row with its seed interval (it decides only when the whole interval is inside or outside)."""
    return Row(quantity, predicted, iv.mean, tol, role="control", lo=iv.lo, hi=iv.hi)


def steps_rows(P, tol) -> list[Row]:
    """II.Ab: II.Aa's rows (i) and (iii), with (ii) as each layer's step q_l = r_l / r_b(r_(l-1))."""
    A = P.a
    rows = []
    steps = {(s.r0, s.level): s for s in layer_steps(A)}
    for r in A.rs:
        for lev, rnd in zip(gaussian_stack(A, r), random_stack(A, r)):
            tag = f"r_0={r}, level {lev.level}"
            ey = lev.eckart_young_loss
            loss = seed_interval(rnd.loss_ratio, A.n_boot, A.boot_seed)
            step = steps[r, lev.level]
            q = step.random_interval(A)
            rows += [
                Row(
                    f"(i) best trained loss vs Eckart-Young minimum ({tag}; tol relative {_short(tol['loss'])})",
                    ey,
                    lev.best_loss,
                    tol["loss"] * ey,
                ),
                _control(
                    f"(i) random maps' loss / Eckart-Young, seed mean [95% interval] ({loss.n} seeds; {tag})",
                    loss,
                    1.0,
                    tol["loss"],
                ),
                Row(
                    f"(ii) trained layer's step q_l = r_l / r_3(r_(l-1)) ({tag}; rf gauge)",
                    1.0,
                    step.trained,
                    tol["step"],
                ),
                _control(
                    f"(ii) random maps' step q_l, seed mean [95% interval] ({q.n} of {step.random.size} seeds with "
                    f"|r_(l-1)| < 1/2; {tag}; rf gauge)",
                    q,
                    1.0,
                    tol["step"],
                ),
                Row(
                    f"(ii) decimation layer's step q_l ({tag})",
                    1.0,
                    step.decimation,
                    tol["decimation"],
                    role="consistency",
                ),
            ]
    return rows + [r for r in reconstruction_rows(P, {**tol, "ratio": tol["step"]}) if r.quantity.startswith("(iii)")]


def gaussianity_exact_rows(P, tol) -> list[Row]:
    """II.B1a: II.B1's rows with every unit's kappa_4 exact (the chain's by its transfer matrix)."""
    rows = []
    for r in exact_two_point_rates(P.b):
        iv = r.interval
        where = f"{r.task}, N = {r.N1} -> {r.N2}, {r.route}, {iv.n} seeds"
        if r.mode == "trained":
            rows.append(
                Row(
                    f"trained units: exponent p of kappa_4^std ~ N^p, interval end farthest from -1 ({where})",
                    -1.0,
                    iv.far(-1.0),
                    tol["exponent"],
                )
            )
        elif r.mode == "random" and (r.task == "poisson" or not _linear_iid(r.task)):
            label = "i.i.d. tasks" if _linear_iid(r.task) else r.task
            rows.append(
                _control(
                    f"random frozen layers: exponent p, seed mean [95% interval] ({label}, N = {r.N1} -> {r.N2}, "
                    f"{r.route}, {iv.n} seeds)",
                    iv,
                    -1.0,
                    tol["exponent"],
                )
            )
        elif r.mode == "selection" and r.task in ("poisson", "bernoulli_chain"):
            label = "i.i.d. tasks" if _linear_iid(r.task) else r.task
            rows.append(
                Row(
                    f"selection layer (decimation): exponent p ({label}, N = {r.N1} -> {r.N2}, {r.route})",
                    -1.0,
                    iv.mean,
                    tol["exponent"],
                    role="control",
                )
            )
    return rows


def span_scaled_rows(P, tol) -> list[Row]:
    """II.B2a: block-sum overlap of layers trained on n_train_per_site x N samples; frozen layers as controls."""
    B = P.b
    ov = scaled_intervals(B, "overlap")
    frozen = overlap_intervals(B)
    rows = []
    for task in B.tasks:
        if not _linear(task):
            continue
        for N in B.many_Ns:
            iv = ov[task, N, "trained"]
            rows.append(_trained_row(B, task, N, iv, _OVERLAP, iv.lo, tol["overlap"], scaled=True))
    for N in B.many_Ns:
        iv = frozen["poisson", N, "random"]
        rows.append(
            _control(
                f"random frozen layers, N={N}: block-sum overlap, seed mean [95% interval] ({iv.n} seeds; the same "
                "weights for every linear task)",
                iv,
                1.0,
                tol["overlap"],
            )
        )
        rows.append(_selection_overlap_row(frozen, N, tol))
    return rows


def bayes_scaled_rows(P, tol) -> list[Row]:
    """II.B2b: test RMSE over the exact Bayes estimator's, regressors trained on n_train_per_site x N samples."""
    B = P.b
    bi = scaled_intervals(B, "bayes")
    rows = []
    for task in B.bayes_tasks:
        for N in B.many_Ns:
            iv = bi[task, N, "trained"]
            rows.append(_trained_row(B, task, N, iv, _BAYES, iv.hi, tol["bayes"], scaled=True))
            iv = bi[task, N, "random"]
            rows.append(
                _control(
                    f"{task}, N={N}: random frozen layer with trained head, RMSE / Bayes, seed mean [95% interval] "
                    f"({iv.n} seeds)",
                    iv,
                    1.0,
                    tol["bayes"],
                )
            )
    return rows
