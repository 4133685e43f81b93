"""The claims registry: verdict logic, recording and the ledger."""

import json

import pytest

from rgbook import claims
from rgbook.claims import Row


def test_row_verdict():
    assert Row("x", 1.0, 1.05, 0.1).passes
    assert not Row("x", 1.0, 1.2, 0.1).passes
    assert not Row("x", 1.0, float("nan"), 0.1).passes
    with pytest.raises(ValueError, match="tolerance"):
        Row("x", 1.0, 1.0, -1.0)
    with pytest.raises(TypeError, match="measured"):
        Row("x", 1.0, "1", 0.1)


def test_result_status():
    claim = claims.get("I.rg.decimation")
    assert claims.Result(claim, []).status == "not-run"
    assert claims.Result(claim, [Row("a", 0, 0, 0), Row("b", 0, 1, 0.5)]).status == "fails"
    assert claims.Result(claim, [Row("a", 0, 0, 0)]).status == "holds"


def test_check_records_and_ledger(tmp_path, monkeypatch):
    monkeypatch.setenv("RGBOOK_ROOT", str(tmp_path))
    result = claims.check("I.rg.fixed-point")
    assert result.status == "holds"
    with pytest.raises(RuntimeError, match="I.rg.decimation"):
        claims.write_ledger(expect=["I.rg.fixed-point", "I.rg.decimation"])
    path = claims.write_ledger(expect=["I.rg.fixed-point"])
    ledger = json.loads(path.read_text())
    assert [c["id"] for c in ledger["claims"]] == ["I.rg.fixed-point"]
    assert ledger["claims"][0]["status"] == "holds"
    assert "I.rg.decimation" in ledger["not_run"]


def test_unknown_claim_lists_registered():
    with pytest.raises(KeyError, match="I.rg.decimation"):
        claims.get("I.nope")


def test_every_registered_claim_has_a_measure_function():
    for claim in claims.REGISTRY.values():
        assert callable(claim.measure_function())
        assert claim.paper in ("I", "II") and claim.reading in ("RG", "A", "B")
