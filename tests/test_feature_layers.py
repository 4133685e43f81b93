"""Chapter helpers of feature_layers against independent routes (k-statistics, Eckart-Young bound)."""

import numpy as np
import pytest

from rgbook import expfam
from rgbook.chapters import feature_layers as ch
from rgbook.chapters.feature_layers_a import _standardized_k4


def _powers(u):
    return np.concatenate([u, u**2, u**3, u**4], axis=1)


def test_standardized_k4_from_power_sums_equals_k_statistics():
    u = np.random.default_rng(0).gamma(2.0, size=(500, 3))
    k = expfam.sample_cumulants(u.T)
    np.testing.assert_allclose(_standardized_k4(None, _powers(u), 500), k[:, 3] / k[:, 1] ** 2, rtol=1e-9)


def test_standardized_k4_with_counts_equals_the_repeated_sample():
    """A bootstrap resample given by counts is the sample with each row repeated count times."""
    rng = np.random.default_rng(1)
    u = rng.normal(size=(200, 2)) ** 3
    counts = rng.multinomial(200, np.full(200, 1 / 200))
    repeated = np.repeat(u, counts, axis=0)
    k = expfam.sample_cumulants(repeated.T)
    np.testing.assert_allclose(
        _standardized_k4(counts.astype(float), _powers(u), 200), k[:, 3] / k[:, 1] ** 2, rtol=1e-8
    )


def test_interval_ends():
    iv = ch.Interval(mean=0.5, lo=0.2, hi=0.9, n=10)
    assert iv.far(1.0) == 0.2 and iv.near(1.0) == 0.9
    assert iv.far(0.0) == 0.9 and iv.near(0.0) == 0.2
    assert iv.near(0.4) == 0.4  # inside: the prediction itself
    assert iv.text(".1f") == "0.5 [0.2, 0.9]"


def test_random_stack_never_beats_eckart_young_and_is_deterministic():
    P = ch.PROTOCOL.smoke().a
    levels = ch.random_stack(P, 0.3)
    assert len(levels) == P.depth
    for lev in levels:
        assert lev.r.shape == lev.loss_ratio.shape == (len(P.control_seeds),)
        assert np.all(lev.loss_ratio >= 1 - 1e-12)  # the Eckart-Young minimum bounds every encoder
        assert np.all(lev.r < 0.5)  # positive definite at q = 0: d - 2K > 0
    ch.random_stack.cache_clear()
    again = ch.random_stack(P, 0.3)
    np.testing.assert_array_equal(again[0].r, levels[0].r)


@pytest.mark.parametrize("N", [8, 32])
def test_block_sum_two_point_rate_is_minus_one(N):
    """rho = 1/N exactly for the block sum, so the two-point exponent between any two sizes is -1."""
    from rgbook import features

    rho = [
        features.exact_feature_kurtosis_ratio(features.control_regressor("poisson", n, "block_sum")).mean()
        for n in (N, 4 * N)
    ]
    assert np.log(rho[1] / rho[0]) / np.log(4) == pytest.approx(-1.0, abs=1e-12)


def test_layer_step_is_one_for_a_decimation_step_and_undefined_outside_the_chain():
    """q = r_out / r_b(r_in): 1 when r_out is one decimation step of r_in; NaN where |r_in| >= 1/2."""
    from rgbook import rg
    from rgbook.chapters.feature_layers_amended import _step

    r_in = np.array([0.3, -0.2, 0.45, 0.6])
    r_out = np.array([rg.gaussian_chain_ratio_map_b(r, 3) if abs(r) < 0.5 else 0.1 for r in r_in])
    q = _step(r_out, r_in, 3)
    np.testing.assert_allclose(q[:3], 1.0, rtol=1e-14)
    assert np.isnan(q[3])


def test_block_sum_chain_rate_from_exact_cumulants_is_near_minus_one():
    """The block sum on the Bernoulli chain: exact kappa_4^std falls as N^-1 up to boundary terms of order 1/N."""
    from rgbook import features
    from rgbook.chapters.feature_layers_amended import _y_exact

    y = [_y_exact(features.control_regressor("bernoulli_chain", n, "block_sum")) for n in (16, 64)]
    assert np.log(y[1] / y[0]) / np.log(4) == pytest.approx(-1.0, abs=0.03)


def test_amendments_reuse_the_chapter_networks():
    """II.B1a and II.B2a/b take the networks of network_results from the cache: nothing trains twice."""
    from rgbook.chapters.feature_layers_b import trained_networks

    P = ch.PROTOCOL.smoke().b
    ch.network_results(P)
    misses = trained_networks.cache_info().misses
    ch.exact_two_point_rates(P)
    ch.scaled_results(P)
    assert trained_networks.cache_info().misses == misses
