r"""Chapter *Paper II's theorem: the feature layer and the RG fixed point* (``book/feature_layers``).

Paper II's network side under two of our stronger readings (the paper's literal claim, comparison
with the fixed point of whichever RG the optimum realizes, has its own chapter):

* **Reading A** (claim ``II.A``, ours: training follows the decimation RG steps): greedy linear
  autoencoders :math:`N \to N/b \to N/b^2` on Gaussian rings, compared level by level with the
  decimation RG iterates :math:`r_b^l(r_0)`, and a linear autoencoder on a :math:`\phi^4`-type
  chain, compared with the block-sum RG iterate through the standardized fourth cumulant;
  random linear maps of the same shapes are the controls.
* **Reading B** (claims ``II.B1``, ``II.B2``, ``II.B3``, ours): regressors inferring a natural
  parameter from ``N`` data. ``II.B1``: the standardized :math:`\kappa_4` of their feature
  units against ``N`` (the block-sum rate :math:`N^{-1}`); ``II.B2``: the basis-free share of
  the block sum in the span of the feature layer, and the test error against the exact Bayes
  estimator; ``II.B3``: per-unit :math:`N\rho` (basis-dependent). Frozen controls: random,
  selection = decimation, block sum = the block-sum RG iterate.

All regressors of one input size and architecture train in one batched
:func:`rgbook.training.fit` call (:func:`rgbook.features.train_parameter_regressors`).
Intervals over seeds are 95 % seed-bootstrap intervals (:func:`rgbook.stats.seed_bootstrap`);
an evidence row uses the end of the interval farthest from the prediction, a control row the
end nearest to it (a control satisfies a prediction when its interval reaches the tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..claims import Claim, Row
from ..stats import Interval
from . import feature_layers_rows as _rows
from .feature_layers_a import (
    BLOCK_SUM,
    TRAINED_RF,
    EvenPolyFeatures,
    FeatureKurtosis,
    RandomLevel,
    ReadingA,
    StackLevel,
    even_poly_features,
    even_poly_table,
    gaussian_ring_covariance,
    gaussian_stack,
    plot_stack_flow,
    random_stack,
    random_stack_table,
    stack_table,
)
from .feature_layers_amended import (
    LayerStep,
    ScaledResult,
    exact_rates_table,
    exact_two_point_rates,
    layer_steps,
    scaled_intervals,
    scaled_results,
    scaled_table,
    steps_table,
)
from .feature_layers_b import (
    NetworkResult,
    Rate,
    ReadingB,
    TwoPointRate,
    bayes_intervals,
    bayes_table,
    eval_data,
    n_rho_intervals,
    network_results,
    network_table,
    overlap_intervals,
    rates,
    rates_table,
    span_table,
    tasks_table,
    trained_networks,
    two_point_rates,
    two_point_table,
    units_table,
    untrained_layers,
)
from .feature_layers_b_plots import plot_size

# fmt: off
__all__ = [
    "CHAPTER", "ReadingA", "ReadingB", "Protocol", "PROTOCOL", "StackLevel", "BLOCK_SUM", "TRAINED_RF",
    "RandomLevel", "FeatureKurtosis", "EvenPolyFeatures", "NetworkResult", "Rate", "TwoPointRate", "Interval",
    "gaussian_ring_covariance", "gaussian_stack", "random_stack", "even_poly_features", "trained_networks",
    "eval_data", "network_results", "untrained_layers", "rates", "two_point_rates", "overlap_intervals",
    "n_rho_intervals", "bayes_intervals", "stack_table", "random_stack_table", "even_poly_table", "network_table",
    "rates_table", "two_point_table", "span_table", "bayes_table", "units_table", "tasks_table", "plot_stack_flow",
    "plot_size", "LayerStep", "ScaledResult", "exact_rates_table", "exact_two_point_rates", "layer_steps",
    "scaled_intervals", "scaled_results", "scaled_table", "steps_table", "FIGURES", "CLAIMS"
]
# fmt: on

CHAPTER = "book/feature_layers"


@dataclass(frozen=True)
class Protocol:
    """The chapter's protocol: Reading A and Reading B."""

    a: ReadingA = ReadingA()
    b: ReadingB = ReadingB()

    def smoke(self) -> Protocol:
        """A variant that runs each claim in a few seconds (same code paths, tiny sizes)."""
        return Protocol(
            a=replace(
                self.a,
                N=9,
                depth=1,
                rs=(0.3,),
                restarts=2,
                steps=150,
                even_poly_samples=1000,
                even_poly_restarts=1,
                sample_boot=20,
                control_seeds=(0, 1, 2),
                n_boot=200,
            ),
            b=replace(
                self.b,
                Ns=(4, 8),
                seeds=(0,),
                control_Ns=(4,),
                steps=30,
                n_train=256,
                batch_size=64,
                n_eval=2000,
                n_train_per_site=32,
                many_Ns=(4, 8),
                many_seeds=(0, 1, 2),
                n_boot=200,
            ),
        )


PROTOCOL = Protocol()

FIGURES = ("fig-iia-flow", "fig-iib-size")


# --------------------------------------------------------------------------------------
# Claims


def measure_reconstruction_registered(P: Protocol, tol) -> list[Row]:
    """II.A as registered: the trained stacks' loss against Eckart-Young, ring ratio r_l against the RG iterate
    (absolute tolerance), phi^4 chain kappa_4 against the block-sum iterate (absolute tolerance); no controls."""
    return _rows.reconstruction_registered_rows(P, tol)


def measure_reconstruction(P: Protocol, tol) -> list[Row]:
    """II.Aa: linear autoencoder stacks on Gaussian rings against Eckart-Young and the decimation RG iterates,
    phi^4 chain kappa_4 against the block-sum iterate; random linear maps of the same shapes as controls."""
    return _rows.reconstruction_rows(P, tol)


def measure_gaussianity(P: Protocol, tol) -> list[Row]:
    """II.B1: rate p of the feature units' standardized kappa_4 between two sizes, trained vs random/selection."""
    return _rows.gaussianity_rows(P, tol)


def measure_span(P: Protocol, tol) -> list[Row]:
    """II.B2: block-sum overlap of the trained layers' span; test RMSE against the exact Bayes estimator."""
    return _rows.span_rows(P, tol)


def measure_units(P: Protocol, tol) -> list[Row]:
    """II.B3: per-unit N rho of the trained units against the block sum's 1 (a basis-dependent quantity)."""
    return _rows.units_rows(P, tol)


def measure_steps(P: Protocol, tol) -> list[Row]:
    """II.Ab: II.Aa with (ii) as one RG step per layer, q_l = r_l / r_b(r_(l-1)) from the layer's own input."""
    return _rows.steps_rows(P, tol)


def measure_gaussianity_exact(P: Protocol, tol) -> list[Row]:
    """II.B1a: II.B1 with every unit's cumulants exact (the Bernoulli chain's by its transfer matrix)."""
    return _rows.gaussianity_exact_rows(P, tol)


def measure_span_scaled(P: Protocol, tol) -> list[Row]:
    """II.B2a: block-sum overlap of layers trained on n_train_per_site x N samples."""
    return _rows.span_scaled_rows(P, tol)


def measure_bayes_scaled(P: Protocol, tol) -> list[Row]:
    """II.B2b: test RMSE of regressors trained on n_train_per_site x N samples against the exact Bayes estimator."""
    return _rows.bayes_scaled_rows(P, tol)


_PAPER_II_MAIN = (
    "Paper II: once FC DNNs reach their optimal parameters, the characteristic parameters of the feature-layer "
    "outputs coincide with the fixed points of the input's characteristic parameters under the RG method for "
    "continuous fields (abstract)."
)


CLAIMS = (
    Claim(
        id="II.A",
        paper="II",
        reading="A",
        paper_claim=_PAPER_II_MAIN,
        title="training follows the decimation RG steps (as registered)",
        statement=(
            "Reading A, depth: greedy linear autoencoders {protocol.a.chain} (b = {protocol.a.b}) on Gaussian rings "
            "with r = K/d = {protocol.a.rs_text}, each layer the best of {protocol.a.restarts} restarts on the exact "
            "loss, (i) reach the Eckart-Young (PCA) minimum (relative {loss}); (ii) their features, in the "
            "receptive-field gauge (ours), have projected ring ratio r_l within {ratio} of the RG iterates r_b^l(r) "
            "(decimation control to {decimation}); (iii) on the phi^4-type chain (V = "
            "{protocol.a.even_poly_theta[0]}x^2 + {protocol.a.even_poly_theta[1]}x^4, K = {protocol.a.even_poly_K}) "
            "their standardized kappa_4 equals that of the block-sum RG iterate (b = {protocol.a.b}) within "
            "{kurtosis}."
        ),
        tolerances={"loss": 1e-6, "ratio": 0.02, "decimation": 1e-10, "kurtosis": 0.05},
        chapter=CHAPTER,
        measure=measure_reconstruction_registered,
        protocol=PROTOCOL,
        figure="fig-iia-flow",
        constants=("phi^4", "x^2", "x^4"),
    ),
    Claim(
        id="II.Aa",
        amends="II.A",
        paper="II",
        reading="A",
        paper_claim=_PAPER_II_MAIN,
        title="training follows the decimation RG steps (amended: relative tolerances, random-map controls)",
        statement=(
            "Reading A (ours, stronger than the paper's claim: training follows the decimation RG steps): greedy "
            "linear autoencoders {protocol.a.chain} (b = {protocol.a.b}) on Gaussian rings with r = K/d = "
            "{protocol.a.rs_text}, each layer the best of {protocol.a.restarts} restarts on the exact loss, (i) reach "
            "the Eckart-Young (PCA) minimum (relative {loss}); (ii) their features, in the receptive-field gauge "
            "(ours), have projected ring ratios r_l equal to the decimation RG iterates r_b^l(r) within relative "
            "{ratio} (|r_l/r_b^l(r) - 1|; the decimation layer reproduces the iterates to {decimation}); (iii) on the "
            "phi^4-type chain (V = {protocol.a.even_poly_theta[0]}x^2 + {protocol.a.even_poly_theta[1]}x^4, K = "
            "{protocol.a.even_poly_K}) the mean over features of their standardized kappa_4 equals that of the "
            "block-sum RG iterate (b = {protocol.a.b}) within {k_sigma} standard errors of the difference (bootstrap "
            "over the samples). Controls: random linear maps of the same shapes ({protocol.a.n_control_seeds} seeds, "
            "same gauge); a control satisfies a prediction when its whole 95% seed-bootstrap interval lies within "
            "the tolerance, fails it when the whole interval lies outside, and is undecided otherwise (then the "
            "verdict is inconclusive)."
        ),
        tolerances={"loss": 1e-6, "ratio": 0.1, "decimation": 1e-10, "k_sigma": 3.0},
        chapter=CHAPTER,
        measure=measure_reconstruction,
        protocol=PROTOCOL,
        figure="fig-iia-flow",
        constants=("- 1|", "phi^4", "x^2", "x^4", "95%"),
    ),
    Claim(
        id="II.B1",
        paper="II",
        reading="B",
        paper_claim=_PAPER_II_MAIN,
        title="feature units flow to the Gaussian fixed point at the block-sum rate",
        statement=(
            "Reading B (ours), Gaussianity of the features: FC regressors with {protocol.b.M} linear feature units "
            "trained to "
            "infer a natural parameter from N data (Poisson, Bernoulli, Gamma rate; Bernoulli chain with K = 0.5) "
            "have units whose standardized kappa_4 decays as N^p with p = -1 +- {exponent} (the block-sum RG "
            "rate), p measured between N = {protocol.b.many_Ns[0]} and N = {protocol.b.N_last} from the means over "
            "{protocol.b.n_many_seeds} seeds (exactly from the weights "
            "for i.i.d. data, from samples for the chain); the whole 95% seed-bootstrap interval of p must lie "
            "within the tolerance. The Gaussian task (kappa_4 = 0 identically) is excluded; the even-polynomial "
            "task, whose units are linear in a tanh hidden layer rather than in the data, is reported apart. "
            "Controls: random frozen layers ({protocol.b.n_many_seeds} seeds) and the selection layer (decimation)."
        ),
        tolerances={"exponent": 0.2},
        chapter=CHAPTER,
        measure=measure_gaussianity,
        protocol=PROTOCOL,
        figure="fig-iib-size",
        constants=("K = 0.5", "p = -1", "95%", "kappa_4 = 0"),
    ),
    Claim(
        id="II.B2",
        paper="II",
        reading="B",
        paper_claim=_PAPER_II_MAIN,
        title="the trained layer's span contains the block sum",
        statement=(
            "Reading B (ours), the span contains the block sum: for the linear tasks (Gaussian mean, Poisson, "
            "Bernoulli, Gamma rate, Bernoulli chain with K = 0.5) at {protocol.b.many_Ns_text}, the basis-free share "
            "of the uniform vector in the span of the {protocol.b.M} trained units, |P_W 1|^2/N, is at least 1 - "
            "{overlap} at the lower end of its 95% seed-bootstrap interval ({protocol.b.n_many_seeds} seeds); and the "
            "regressors are near-optimal: for Poisson and Bernoulli data, whose sum is sufficient, the test RMSE is "
            "within relative {bayes} of the exact Bayes (posterior-mean) estimator's on the same test samples (upper "
            "end of the 95% seed interval). Controls: random frozen layers ({protocol.b.n_many_seeds} seeds; for the "
            "RMSE with a trained head) and the selection layer; a control satisfies a prediction when its interval "
            "reaches the tolerance."
        ),
        tolerances={"overlap": 0.05, "bayes": 0.05},
        chapter=CHAPTER,
        measure=measure_span,
        protocol=PROTOCOL,
        figure="fig-iib-size",
        constants=("K = 0.5", "|P_W 1|^2/N", "at least 1 -", "95%"),
    ),
    Claim(
        id="II.B3",
        paper="II",
        reading="B",
        paper_claim=_PAPER_II_MAIN,
        title="each trained unit is the block sum (basis-dependent)",
        statement=(
            "Reading B (ours), per-unit quantities, basis-dependent: for the i.i.d. linear tasks (Gaussian mean, "
            "Poisson, Bernoulli, Gamma rate) at N = {protocol.b.N_last}, the trained units' N rho = N sum w^4/(sum "
            "w^2)^2 (1 exactly when the |w_i| are equal: the block sum up to signs; for non-Gaussian data the ratio of "
            "the unit's standardized kappa_4 to the block sum's) is within {n_rho} of 1 at the upper end of the 95% "
            "seed-bootstrap interval of its mean over units ({protocol.b.n_many_seeds} seeds). The head tanh(Au + a) "
            "absorbs any invertible linear map of the units, so the per-unit basis is no property of the optimum. "
            "Controls: random frozen layers ({protocol.b.n_many_seeds} seeds) and the selection layer."
        ),
        tolerances={"n_rho": 0.5},
        chapter=CHAPTER,
        measure=measure_units,
        protocol=PROTOCOL,
        figure="fig-iib-size",
        constants=("w^4/(sum w^2)^2 (1 exactly", "of 1 at", "95%"),
    ),
    Claim(
        id="II.Ab",
        amends="II.Aa",
        paper="II",
        reading="A",
        paper_claim=_PAPER_II_MAIN,
        title="each trained layer is one decimation RG step (amended: the step from the layer's own input)",
        statement=(
            "Reading A (ours, stronger than the paper's claim: training follows the decimation RG steps), one step "
            "per layer: the greedy linear autoencoders of II.Aa ({protocol.a.chain}, b = {protocol.a.b}, Gaussian "
            "rings with r = K/d = {protocol.a.rs_text}, each layer the best of {protocol.a.restarts} restarts on the "
            "exact loss) (i) reach the Eckart-Young (PCA) minimum (relative {loss}); (ii) each layer performs one "
            "decimation RG step from its own input: its step q_l = r_l / r_b(r_(l-1)), where r_l is the projected "
            "ring ratio of the layer's features in the receptive-field gauge (ours) and r_b(r_(l-1)) the decimation "
            "RG map applied to the projected ratio of the layer's input (r_0 = r), is within {step} of 1 (the "
            "decimation layer's step to {decimation}); (iii) as in II.Aa, on the phi^4-type chain (V = "
            "{protocol.a.even_poly_theta[0]}x^2 + {protocol.a.even_poly_theta[1]}x^4, K = {protocol.a.even_poly_K}) "
            "the mean over features of their standardized kappa_4 equals that of the block-sum RG iterate (b = "
            "{protocol.a.b}) within {k_sigma} standard errors of the difference. Controls: random linear maps of "
            "the same shapes ({protocol.a.n_control_seeds} seeds, same gauge, each step from the map's own input "
            "ratio); a control satisfies a prediction when its whole 95% seed-bootstrap interval lies within the "
            "tolerance, fails it when the whole interval lies outside, and is undecided otherwise (then the verdict "
            "is inconclusive)."
        ),
        tolerances={"loss": 1e-6, "step": 0.1, "decimation": 1e-10, "k_sigma": 3.0},
        chapter=CHAPTER,
        measure=measure_steps,
        protocol=PROTOCOL,
        figure="fig-iia-flow",
        constants=("phi^4", "x^2", "x^4", "r_0 = r", "of 1", "95%"),
    ),
    Claim(
        id="II.B1a",
        amends="II.B1",
        paper="II",
        reading="B",
        paper_claim=_PAPER_II_MAIN,
        title="feature units flow to the Gaussian fixed point at the block-sum rate (amended: exact cumulants)",
        statement=(
            "Reading B (ours), Gaussianity of the features, every cumulant exact: the networks of II.B1 (FC "
            "regressors with {protocol.b.M} linear feature units trained to infer a natural parameter from N data: "
            "Poisson, Bernoulli, Gamma rate; Bernoulli chain with K = 0.5) have units whose standardized kappa_4 "
            "decays as N^p with p = -1 +- {exponent} (the block-sum RG rate), p measured per seed between N = "
            "{protocol.b.many_Ns[0]} and N = {protocol.b.N_last} from the mean over units of |kappa_4/kappa_2^2| "
            "computed exactly from the weights at the task's evaluation parameter (closed forms for i.i.d. data; "
            "the transfer matrix of the open chain for the Bernoulli chain, where II.B1 used one sample shared by "
            "all seeds), so the seed interval holds every source of variation; the whole 95% seed-bootstrap "
            "interval of p ({protocol.b.n_many_seeds} seeds) must lie within the tolerance. Controls: random frozen "
            "layers ({protocol.b.n_many_seeds} seeds, exact in the same way) and the selection layer (decimation); "
            "a control satisfies the prediction when its whole 95% interval lies within the tolerance, fails it "
            "when the whole interval lies outside, and is undecided otherwise (then the verdict is inconclusive)."
        ),
        tolerances={"exponent": 0.2},
        chapter=CHAPTER,
        measure=measure_gaussianity_exact,
        protocol=PROTOCOL,
        figure="fig-iib-size",
        constants=("K = 0.5", "p = -1", "95%", "kappa_2^2|"),
    ),
    Claim(
        id="II.B2a",
        amends="II.B2",
        paper="II",
        reading="B",
        paper_claim=_PAPER_II_MAIN,
        title="the trained layer's span contains the block sum (amended: training data growing with N)",
        statement=(
            "Reading B (ours), the span contains the block sum, with training data growing with N: FC regressors "
            "with {protocol.b.M} linear feature units for the linear tasks (Gaussian mean, Poisson, Bernoulli, Gamma "
            "rate, Bernoulli chain with K = 0.5), trained on {protocol.b.n_train_per_site} N samples "
            "({protocol.b.scaled_n_train_text}; otherwise as in II.B2), have at {protocol.b.many_Ns_text} a "
            "basis-free share of the uniform vector in the span of their units, |P_W 1|^2/N, of at least 1 - "
            "{overlap} at the lower end of its 95% seed-bootstrap interval ({protocol.b.n_many_seeds} seeds). "
            "Controls: random frozen layers ({protocol.b.n_many_seeds} seeds) and the selection layer; a control "
            "satisfies the prediction when its whole 95% interval lies within the tolerance, fails it when the "
            "whole interval lies outside, and is undecided otherwise (then the verdict is inconclusive)."
        ),
        tolerances={"overlap": 0.05},
        chapter=CHAPTER,
        measure=measure_span_scaled,
        protocol=PROTOCOL,
        figure="fig-iib-size",
        constants=("K = 0.5", "|P_W 1|^2/N", "at least 1 -", "95%"),
    ),
    Claim(
        id="II.B2b",
        amends="II.B2",
        paper="II",
        reading="B",
        paper_claim=_PAPER_II_MAIN,
        title="the regressors are near Bayes-optimal (amended: training data growing with N)",
        statement=(
            "Reading B (ours), optimality, with training data growing with N: for Poisson and Bernoulli data, whose "
            "sum is sufficient, the regressors of II.B2a ({protocol.b.M} linear feature units, trained on "
            "{protocol.b.n_train_per_site} N samples: {protocol.b.scaled_n_train_text}) have at "
            "{protocol.b.many_Ns_text} a test RMSE within relative {bayes} of the exact Bayes (posterior-mean) "
            "estimator's on the same test samples, at the upper end of the 95% seed-bootstrap interval of the ratio "
            "({protocol.b.n_many_seeds} seeds). Control: random frozen layers ({protocol.b.n_many_seeds} seeds) "
            "with a head trained on the same data; a control satisfies the prediction when its whole 95% interval "
            "lies within the tolerance, fails it when the whole interval lies outside, and is undecided otherwise "
            "(then the verdict is inconclusive)."
        ),
        tolerances={"bayes": 0.05},
        chapter=CHAPTER,
        measure=measure_bayes_scaled,
        protocol=PROTOCOL,
        figure="fig-iib-size",
        constants=("95%",),
    ),
)
