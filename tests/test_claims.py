"""The claims framework: rows and verdicts, claim validation, recording and the ledger.

Uses small fake claims defined here (a fake chapter module registered for the test), so the
framework is tested without running any chapter.
"""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass

import pytest

import rgbook.chapters
from rgbook import claims
from rgbook.claims import Claim, Row


@dataclass(frozen=True)
class FakeProtocol:
    offset: float = 0.0

    def smoke(self) -> FakeProtocol:
        return FakeProtocol(offset=self.offset + 1.0)


def measure_offset(protocol: FakeProtocol, tol) -> list[Row]:
    """Predicts 0 and measures the protocol's offset: holds at offset 0, fails at offset 1."""
    return [Row("offset", 0.0, protocol.offset, tol["eps"])]


def make_claim(claim_id: str = "I.fake", statement: str = "the offset is within {eps} of zero", **kwargs) -> Claim:
    fields = dict(
        paper="I",
        reading="RG",
        paper_claim="a fake claim",
        statement=statement,
        tolerances={"eps": 0.5},
        chapter="book/fake",
        measure=measure_offset,
        protocol=FakeProtocol(),
        figure="fig-fake",
    )
    fields.update(kwargs)
    return Claim(id=claim_id, **fields)


@pytest.fixture
def fake_registry(monkeypatch, tmp_path):
    """Register a fake chapter module with two claims; records go to a tmp RGBOOK_ROOT."""
    module = types.ModuleType("rgbook.chapters.fake")
    module.CLAIMS = [make_claim("I.fake"), make_claim("II.fake", paper="II")]
    monkeypatch.setitem(sys.modules, "rgbook.chapters.fake", module)
    monkeypatch.setattr(rgbook.chapters, "CHAPTER_MODULES", ("fake",))
    monkeypatch.setenv("RGBOOK_ROOT", str(tmp_path))
    return module


def test_row_verdict():
    assert Row("x", 1.0, 1.05, 0.1).passes
    assert Row("x", 1.0, 1.5, 0.5).passes  # the bound is inclusive
    assert not Row("x", 1.0, 1.2, 0.1).passes
    assert not Row("x", 1.0, float("nan"), 0.1).passes
    assert not Row("x", float("inf"), float("inf"), 0.1).passes
    with pytest.raises(ValueError, match="tolerance"):
        Row("x", 1.0, 1.0, -1.0)
    with pytest.raises(TypeError, match="measured"):
        Row("x", 1.0, "1", 0.1)
    with pytest.raises(TypeError, match="predicted"):
        Row("x", True, 1.0, 0.1)


def test_result_status():
    claim = make_claim()
    assert claims.Result(claim, []).status == "not-run"
    assert claims.Result(claim, [Row("a", 0, 0, 0), Row("b", 0, 1, 0.5)]).status == "fails"
    assert claims.Result(claim, [Row("a", 0, 0, 0)]).status == "holds"


def test_row_role():
    assert Row("x", 0, 0, 0).role == "evidence"
    assert Row("x", 0, 0, 0, "control").to_json()["role"] == "control"
    with pytest.raises(ValueError, match="Row.role"):
        Row("x", 0, 0, 0, "positive control")


def test_controls_never_make_a_claim_fail_and_decide_the_verdict():
    def measure(rows):
        return lambda protocol, tol: rows

    ok, bad = Row("trained", 0, 0, 0.1), Row("trained", 0, 1, 0.1)
    ctl_pass, ctl_fail = Row("random", 0, 0.05, 0.1, "control"), Row("random", 0, 0.5, 0.1, "control")
    cons_ok, cons_bad = Row("norm", 1, 1, 1e-9, "consistency"), Row("norm", 1, 2, 1e-9, "consistency")
    net = dict(reading="A")
    assert make_claim(measure=measure([ok, ctl_fail]), **net).run().verdict == "holds and discriminates"
    assert (
        make_claim(measure=measure([ok, ctl_fail, ctl_pass]), **net).run().verdict
        == "holds but not specific to training"
    )
    result = make_claim(measure=measure([bad, ctl_fail]), **net).run()
    assert (result.status, result.verdict) == ("fails", "fails")
    assert make_claim(measure=measure([ok, ctl_fail, cons_bad]), **net).run().verdict == "fails"
    result = make_claim(measure=measure([ok, ctl_fail, cons_ok]), reading="L").run()
    assert result.verdict == "holds and discriminates"
    assert (result.evidence, result.controls, result.consistency) == ([ok], [ctl_fail], [cons_ok])
    # RG claims: holds / fails, whatever the controls say
    assert make_claim(measure=measure([ok, ctl_pass])).run().verdict == "holds"
    assert make_claim(measure=measure([bad])).run().verdict == "fails"
    rec = make_claim(measure=measure([ok, ctl_pass]), **net).run().to_json()
    assert rec["verdict"] == "holds but not specific to training" and rec["status"] == "holds"
    assert claims.record_verdict(rec) == rec["verdict"]
    assert claims.record_verdict(None) == "not-run"


def test_network_claim_without_control_is_inconclusive():
    assert make_claim(reading="B").run().verdict == "inconclusive"
    failing = make_claim(reading="B", measure=lambda p, t: [Row("e", 0, 1, 0.5)])
    assert failing.run().verdict == "fails"  # a failing claim needs no control for its verdict
    only_controls = make_claim(reading="RG", measure=lambda p, t: [Row("c", 0, 0, 0, "control")])
    with pytest.raises(ValueError, match="evidence or consistency row"):
        only_controls.run()
    proven = make_claim(reading="RG", measure=lambda p, t: [Row("c", 0, 0, 0, "consistency")])
    assert proven.run().verdict == "holds"  # an RG claim the chapter proves: consistency rows alone
    no_evidence = make_claim(reading="A", measure=lambda p, t: [Row("c", 0, 0, 0, "consistency")])
    with pytest.raises(ValueError, match="evidence row"):
        no_evidence.run()


def test_literal_and_ours():
    assert make_claim(reading="L").literal and not make_claim(reading="L").ours
    assert all(make_claim(reading=r).ours for r in "ABC")
    assert not make_claim(reading="RG").ours and not make_claim(reading="RG").literal


def test_claim_text_is_rendered_from_its_tolerances():
    claim = make_claim(statement="|x| <= {eps} and |y| <= {tiny}", tolerances={"eps": 0.02, "tiny": 1e-9})
    assert claim.text == "|x| <= 0.02 and |y| <= 1e-09"
    assert claim.module == __name__
    assert claim.function == f"{__name__}:measure_offset"


@dataclass(frozen=True)
class ListedProtocol:
    Ks: tuple[float, ...] = (0.5, 1.0, 1.5)
    steps: int = 20_000


def test_claim_text_reads_protocol_numbers():
    """``{protocol.NAME}`` fields are no tolerances: they read the protocol (numbers :g, tuples comma-separated)."""
    claim = make_claim(
        statement="K in {{{protocol.Ks}}}, {protocol.steps:,} steps, offset {protocol.offset}: {eps}",
        protocol=FakeProtocol(offset=0.25),
    )
    with pytest.raises(AttributeError):
        _ = claim.text  # FakeProtocol has no Ks
    claim = make_claim(
        statement="K in {{{protocol.Ks}}}, {protocol.steps:,} steps, first {protocol.Ks[0]}: {eps}",
        protocol=ListedProtocol(),
    )
    assert claim.text == "K in {0.5, 1, 1.5}, 20,000 steps, first 0.5: 0.5"
    assert claim.render(ListedProtocol(Ks=(2.0,), steps=7)) == "K in {2}, 7 steps, first 2: 0.5"
    assert claim.constants == ()


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(statement="within {eps} and {other}"), r"must name exactly its tolerances.*other"),
        (dict(statement="within 0.5 of zero"), r"must name exactly its tolerances.*eps"),
        (dict(tolerances={"eps": 0.5, "unused": 1.0}), r"must name exactly its tolerances.*unused"),
        (dict(tolerances={"eps": -0.1}), r"tolerance 'eps'.*>= 0"),
        (dict(tolerances={"eps": float("nan")}), r"tolerance 'eps'.*finite"),
        (dict(paper="III"), r"Claim.paper"),
        (dict(reading="D"), r"Claim.reading"),
        (dict(reading="literal"), r"Claim.reading"),
    ],
)
def test_claim_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_claim(**kwargs)


def test_claim_measure_must_be_callable():
    with pytest.raises(TypeError, match="measure"):
        make_claim(measure="rgbook.evidence:ising_decimation")


def test_run_requires_rows():
    claim = make_claim(measure=lambda protocol, tol: [])
    with pytest.raises(TypeError, match="non-empty list of Row"):
        claim.run()
    claim = make_claim(measure=lambda protocol, tol: [("offset", 0.0, 0.0, 0.5)])
    with pytest.raises(TypeError, match="non-empty list of Row"):
        claim.run()


def test_run_uses_the_given_protocol_and_the_claims_tolerances():
    claim = make_claim()
    assert claim.run().status == "holds"
    smoke = claim.run(claim.protocol.smoke())
    assert smoke.status == "fails"
    assert smoke.rows == [Row("offset", 0.0, 1.0, 0.5)]


def test_check_records_only_the_books_protocol(tmp_path, monkeypatch):
    monkeypatch.setenv("RGBOOK_ROOT", str(tmp_path))
    claim = make_claim()
    result = claims.check(claim, claim.protocol.smoke())
    assert result.status == "fails"
    assert claims.load_records() == {}, "a run on a non-book protocol must not be recorded"
    claims.check(claim, record_result=False)
    assert claims.load_records() == {}
    result = claims.check(claim)
    records = claims.load_records()
    assert list(records) == ["I.fake"]
    rec = records["I.fake"]
    assert rec["status"] == "holds" and rec["statement"] == claim.text
    assert rec["tolerances"] == {"eps": 0.5} and rec["measure"] == claim.function
    assert rec["rows"] == [r.to_json() for r in result.rows]
    assert (tmp_path / "_build" / "claims" / "I.fake.json").is_file()
    assert not list((tmp_path / "_build" / "claims").glob(".*.tmp")), "atomic write left a temporary file"
    claims.clear_records(["I.fake", "II.never-recorded"])
    assert claims.load_records() == {}


def test_registry_collects_chapter_modules(fake_registry):
    assert list(claims.registry()) == ["I.fake", "II.fake"]
    assert claims.get("II.fake").paper == "II"
    with pytest.raises(KeyError, match=r"unknown claim 'I.nope'.*I\.fake"):
        claims.get("I.nope")
    with pytest.raises(TypeError, match="claim_id"):
        claims.get(3)


def test_registry_rejects_duplicate_ids(fake_registry):
    fake_registry.CLAIMS = [make_claim("I.fake"), make_claim("I.fake")]
    with pytest.raises(ValueError, match="I.fake registered twice"):
        claims.registry()


def test_ledger(fake_registry, tmp_path):
    claims.check("I.fake")
    # a record of an id no chapter registers any more is dropped from the ledger
    stale = make_claim("I.gone")
    claims.record(claims.Result(stale, [Row("a", 0, 0, 0)]))
    with pytest.raises(RuntimeError, match="II.fake"):
        claims.write_ledger(expect=["I.fake", "II.fake"])
    path = claims.write_ledger(expect=["I.fake"])
    assert path == tmp_path / "_build" / "claims.json"
    ledger = json.loads(path.read_text())
    assert [c["id"] for c in ledger["claims"]] == ["I.fake"]
    assert ledger["claims"][0]["status"] == "holds"
    assert ledger["not_run"] == ["II.fake"]


def test_book_root(tmp_path, monkeypatch):
    monkeypatch.delenv("RGBOOK_ROOT", raising=False)
    (tmp_path / "_config.yml").write_text("title: x\n")
    (tmp_path / "book").mkdir()
    assert claims.book_root(tmp_path / "book") == tmp_path
    monkeypatch.setenv("RGBOOK_ROOT", str(tmp_path / "elsewhere"))
    assert claims.book_root(tmp_path / "book") == tmp_path / "elsewhere"
