"""The build-time rule that folds evidence tables and hides glue plumbing (``_ext/rgbook_sphinx.fold_mode``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))

import rgbook_sphinx  # noqa: E402


def test_figure_code_is_folded():
    assert rgbook_sphinx.fold_mode("fig, ax = plt.subplots()\nfigures.save(fig, 'x')", True, False, True) == (
        "input",
        False,
    )


def test_one_line_table_loses_its_input_and_folds():
    assert rgbook_sphinx.fold_mode('ch.rates_table(P).style.hide(axis="index")', True, True, False) == ("output", True)


def test_glue_plumbing_above_a_table_is_folded_with_it():
    code = 'c = claims.check(X)\nglue("a", 1, display=False)\nglue("b", 2, display=False)\nc.table().style'
    assert rgbook_sphinx.fold_mode(code, True, True, False) == ("input+output", False)
    assert rgbook_sphinx.fold_mode("c = claims.check(X)\nc.table().style", True, True, False) == ("output", False)


def test_glue_only_cell_is_removed_and_computing_cells_stay():
    assert rgbook_sphinx.fold_mode(
        'glue("a", P.n, display=False)\n# note\nglue("b", 2, display=False)', False, False, False
    ) == (None, True)
    assert rgbook_sphinx.fold_mode("x = ch.run(P)\nglue('a', x, display=False)", False, False, False) == (None, False)
    assert rgbook_sphinx.fold_mode("import numpy as np", False, False, False) == (None, False)
