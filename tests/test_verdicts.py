"""The four verdicts, one test per branch of rgbook.claims.verdict_of, and the control decisions."""

from __future__ import annotations

import math

import pytest

from rgbook.claims import NETWORK_VERDICTS, Row, verdict_of


def test_rg_claims_take_their_status():
    assert verdict_of("RG", "holds", []) == "holds"
    assert verdict_of("RG", "fails", []) == "fails"
    # an RG claim has no preconditions or controls that could change it
    assert verdict_of("RG", "holds", ["undecided"], [False]) == "holds"


def test_not_run():
    assert verdict_of("A", "not-run", [True]) == "not-run"


def test_failed_precondition_is_inconclusive_whatever_the_rest():
    assert verdict_of("A", "holds", ["fails"], [True, False]) == "inconclusive"
    assert verdict_of("A", "fails", [], [False]) == "inconclusive"


def test_fails():
    assert verdict_of("L", "fails", [], [True]) == "fails"
    assert verdict_of("L", "fails", ["passes"]) == "fails"


def test_holds_but_not_specific_when_a_control_passes():
    assert verdict_of("B", "holds", ["fails", "passes", "undecided"]) == "holds but not specific to training"
    assert verdict_of("B", "holds", [False, True]) == "holds but not specific to training"


def test_undecided_control_makes_a_holding_claim_inconclusive():
    assert verdict_of("C", "holds", ["fails", "undecided"]) == "inconclusive"


def test_holds_and_discriminates_when_every_control_decisively_fails():
    assert verdict_of("X", "holds", ["fails", False]) == "holds and discriminates"


def test_holding_network_claim_without_control_is_inconclusive():
    assert verdict_of("A", "holds", []) == "inconclusive"


def test_bad_decision_rejected():
    with pytest.raises(ValueError, match="passes"):
        verdict_of("A", "holds", ["maybe"])


def test_every_network_verdict_is_reachable():
    seen = {
        verdict_of("A", "holds", ["fails"]),
        verdict_of("A", "holds", ["passes"]),
        verdict_of("A", "fails", []),
        verdict_of("A", "holds", ["undecided"]),
    }
    assert seen == set(NETWORK_VERDICTS)


@pytest.mark.parametrize(
    ("lo", "hi", "decision"),
    [
        (0.95, 1.05, "passes"),  # whole interval inside 1 +- 0.1
        (1.2, 1.5, "fails"),  # wholly above the band
        (-7110.0, 1840.0, "undecided"),  # straddles the band (the II.A level-2 random-map interval)
        (0.5, 0.85, "fails"),  # wholly below
        (0.85, 1.05, "undecided"),
    ],
)
def test_control_interval_decides(lo, hi, decision):
    row = Row("ratio", 1.0, (lo + hi) / 2, 0.1, role="control", lo=lo, hi=hi)
    assert row.decision == decision


def test_row_without_interval_decides_by_its_value():
    assert Row("q", 0.0, 0.05, 0.1, role="control").decision == "passes"
    assert Row("q", 0.0, 0.5, 0.1, role="control").decision == "fails"
    assert Row("q", 0.0, math.nan, 0.1, role="control").decision == "fails"


def test_row_interval_validated():
    with pytest.raises(ValueError, match="lo"):
        Row("q", 0.0, 0.0, 0.1, lo=1.0)
    with pytest.raises(ValueError, match="lo must be <="):
        Row("q", 0.0, 0.0, 0.1, lo=1.0, hi=0.0)
    with pytest.raises(TypeError, match="Row.hi"):
        Row("q", 0.0, 0.0, 0.1, lo=0.0, hi="1")
