"""The committed verdict record (verdicts.json): comparison, accept, and the committed file itself."""

from __future__ import annotations

import json
import math

import pytest

from rgbook import claims, record


def _rec(verdict="holds and discriminates", measured=0.5, passes=True, role="evidence", status="holds"):
    return {
        "id": "X.1",
        "verdict": verdict,
        "status": status,
        "reading": "A",
        "rows": [
            {"quantity": "q", "predicted": 0.5, "measured": measured, "tolerance": 0.1, "passes": passes, "role": role}
        ],
    }


def test_identical_records_compare_equal(tmp_path):
    record.write(tmp_path, {"X.1": record.entry(_rec())})
    assert record.compare({"X.1": _rec()}, record.load(tmp_path)) == []


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"verdict": "fails", "status": "fails"}, "verdict 'fails'"),
        ({"measured": 0.5 * (1 + 1e-4)}, "measured"),
        ({"passes": False}, "passes False"),
        ({"role": "consistency"}, "role 'consistency'"),
    ],
)
def test_a_changed_verdict_or_row_is_named(tmp_path, change, needle):
    record.write(tmp_path, {"X.1": record.entry(_rec())})
    problems = record.compare({"X.1": _rec(**change)}, record.load(tmp_path))
    assert problems and any(needle in p and p.startswith("X.1") for p in problems), problems


def test_numbers_within_precision_are_equal(tmp_path):
    record.write(tmp_path, {"X.1": record.entry(_rec())})
    assert record.compare({"X.1": _rec(measured=0.5 * (1 + 1e-9))}, record.load(tmp_path)) == []


def test_nan_and_missing_claims(tmp_path):
    record.write(tmp_path, {"X.1": record.entry(_rec(measured=math.nan))})
    assert record.compare({"X.1": _rec(measured=math.nan)}, record.load(tmp_path)) == []
    assert any("not measured" in p for p in record.compare({}, record.load(tmp_path)))
    assert any("not in verdicts.json" in p for p in record.compare({"X.1": _rec(), "Y": _rec()}, record.load(tmp_path)))


def test_accept_rewrites_only_the_named_claims(tmp_path):
    record.write(tmp_path, {"X.1": record.entry(_rec()), "X.2": record.entry(_rec())})
    before = record.load(tmp_path)["X.2"]
    changes = record.accept(
        tmp_path, {"X.1": _rec(verdict="fails", status="fails"), "X.2": _rec(measured=0.9)}, ["X.1"]
    )
    assert any("verdict" in c for c in changes)
    after = record.load(tmp_path)
    assert after["X.1"]["verdict"] == "fails" and after["X.2"] == before


def test_committed_record_covers_every_registered_claim():
    root = claims.book_root()
    committed = record.load(root)
    assert committed is not None, "verdicts.json is missing at the book root"
    assert set(committed) == set(claims.registry()), "verdicts.json and the registry name different claims"
    for claim_id, e in committed.items():
        assert e["verdict"] in claims.VERDICTS, claim_id
        assert all(r["role"] in claims.ROLES for r in e["rows"]), claim_id
        claim = claims.registry()[claim_id]
        evidence = [r for r in e["rows"] if r["role"] == "evidence"]
        assert evidence or claim.reading == "RG", f"{claim_id} has no evidence row in the record"
        controls = [r for r in e["rows"] if r["role"] == "control"]
        if claim.about_networks and e["status"] == "holds" and not controls:
            assert any(c.kind == "amendment" for c in claim.log), (
                f"{claim_id} holds with no control: only an original kept beside its amendment may"
            )
        # the recorded verdict follows from the recorded rows by the one definition of verdicts
        status = "holds" if all(r["passes"] for r in e["rows"] if r["role"] in ("evidence", "consistency")) else "fails"
        assert status == e["status"], claim_id
        verdict = claims.verdict_of(
            e["reading"],
            status,
            [r.get("decision", r["passes"]) for r in e["rows"] if r["role"] == "control"],
            [r["passes"] for r in e["rows"] if r["role"] == "precondition"],
        )
        assert verdict == e["verdict"], claim_id


def test_record_file_is_valid_json_with_one_row_per_line():
    path = claims.book_root() / record.RECORD_FILE
    text = path.read_text()
    json.loads(text)
    assert all(len(line) < 2000 for line in text.splitlines())
