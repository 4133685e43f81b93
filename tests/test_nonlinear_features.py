"""Chapter *Beyond linear and Gaussian*: the chapter's own pieces (its tools are tested in test_continuous.py,
test_information.py, test_networks.py and test_expfam.py)."""

import numpy as np
import pytest

from rgbook import expfam
from rgbook.chapters import nonlinear_features as nf


def test_phi4_chain_is_the_even_poly_chain_of_expfam():
    a = nf.sample_phi4_chain((0.5, 0.1), 0.3, 5, 300, rng=np.random.default_rng(7), n_grid=300)
    b = expfam.sample_chain(
        expfam.family("even_poly"), [-0.5, -0.1], 0.3, 5, 300, rng=np.random.default_rng(7), n_grid=300
    )
    np.testing.assert_array_equal(a, b)


def test_bad_input():
    with pytest.raises(ValueError, match="theta"):
        nf.sample_phi4_chain((0.5, 0.0), 0.3, 4, 10, rng=0)
