"""The command line (``python -m rgbook``), on a fake chapter module in a temporary book root."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

import rgbook.chapters
from rgbook import claims
from rgbook.__main__ import main
from rgbook.claims import Claim, Row

ROOT = Path(__file__).resolve().parents[1]
#: What the fake measure measures; a test changes it to make the verdict change.
STATE = {"offset": 0.0}


@dataclass(frozen=True)
class FakeProtocol:
    n: int = 10

    def smoke(self) -> FakeProtocol:
        return FakeProtocol(n=2)


def measure_fake(protocol: FakeProtocol, tol) -> list[Row]:
    return [
        Row("offset", 0.0, STATE["offset"], tol["eps"]),
        Row("untrained offset", 0.0, 1.0, tol["eps"], "control"),
        Row("normalization", 1.0, 1.0, 1e-12, "consistency"),
    ]


def _claim(claim_id: str, figure: str = "fig-fake") -> Claim:
    return Claim(
        id=claim_id,
        paper="I",
        reading="A",
        paper_claim="a fake claim",
        statement="the offset is within {eps} of zero",
        tolerances={"eps": 0.5},
        chapter="book/fake",
        measure=measure_fake,
        protocol=FakeProtocol(),
        figure=figure,
    )


@pytest.fixture
def book(monkeypatch, tmp_path):
    """A temporary book root with a fake chapter module of two claims and a tests directory."""
    module = types.ModuleType("rgbook.chapters.fake")
    module.CLAIMS = [_claim("I.fake"), _claim("I.other", figure="")]
    monkeypatch.setitem(sys.modules, "rgbook.chapters.fake", module)
    monkeypatch.setattr(rgbook.chapters, "CHAPTER_MODULES", ("fake",))
    monkeypatch.setenv("RGBOOK_ROOT", str(tmp_path))
    monkeypatch.setitem(STATE, "offset", 0.0)
    (tmp_path / "_config.yml").write_text("title: fake\n")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "fake.md").write_text("# Fake\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_claim_smoke.py").write_text("")
    (tests / "test_fake.py").write_text(
        "from rgbook import claims\n\n"
        "def test_names_the_id():\n    assert claims.get('I.fake')\n\n"
        "def test_unrelated():\n    assert True\n"
    )
    return tmp_path


def _record(book: Path, claim_id: str) -> dict:
    return json.loads((book / "_build" / "claims" / f"{claim_id}.json").read_text())


def test_help_is_plain_text(capsys):
    for argv in (["--help"], ["show", "--help"], ["reproduce", "--help"], ["list", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert out.strip()
        for markup in ("``", ":func:", ":mod:", ":class:", ":math:"):
            assert markup not in out, f"{argv}: raw reST {markup!r} in help"
    main_help = subprocess.run(
        [sys.executable, "-m", "rgbook", "--help"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    for command in (
        "list",
        "show",
        "reproduce",
        "verify",
        "accept",
        "audit",
        "ledger",
        "publish",
        "figures",
        "--record",
    ):
        assert command in main_help


def test_list(book, capsys):
    """The committed verdict per claim; a build that says otherwise is shown beside it."""
    claims.check("I.fake")
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == [
        "I.fake",
        "A",
        "(ours)",
        "book/fake",
        "not",
        "in",
        "the",
        "record",
        "[this",
        "build:",
        "holds",
        "and",
        "discriminates]",
    ]
    assert lines[2].split() == ["I.other", "A", "(ours)", "book/fake", "not", "in", "the", "record"]
    assert main(["accept", "I.fake"]) == 0
    capsys.readouterr()
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["I.fake", "A", "(ours)", "book/fake", "holds", "and", "discriminates"]


def test_show(book, capsys):
    assert main(["show", "I.fake"]) == 0
    out = capsys.readouterr().out
    assert "book/fake  (book/fake.md)" in out
    line = measure_fake.__code__.co_firstlineno
    assert f"{__name__}:measure_fake" in out and f"test_cli.py:{line})" in out
    assert "the offset is within 0.5 of zero" in out and "eps = 0.5" in out
    assert "fig-fake: not built yet" in out
    assert "no record yet" in out
    assert "tests/test_claim_smoke.py::test_claim_smoke[I.fake]" in out
    assert "tests/test_fake.py::test_names_the_id" in out and "test_unrelated" not in out

    figures = book / "_build" / "figures"
    figures.mkdir(parents=True)
    for ext in ("pdf", "png", "json"):
        (figures / f"fig-fake.{ext}").write_text("")
    claims.check("I.fake")
    assert main(["show", "I.fake"]) == 0
    out = capsys.readouterr().out
    assert "fig-fake: _build/figures/fig-fake.json, _build/figures/fig-fake.pdf, _build/figures/fig-fake.png" in out
    assert "recorded   holds and discriminates (status holds), 3/3 rows pass" not in out  # the control fails
    assert "recorded   holds and discriminates (status holds), 2/3 rows pass (_build/claims/I.fake.json)" in out
    assert "reading A (ours: a stronger reading)" in out
    assert "consistency checks (cannot fail short of a bug):" in out
    assert out.index("controls") < out.index("consistency checks") and "[FAIL] untrained offset" in out


def test_show_unknown_claim_is_one_line(book, capsys):
    assert main(["show", "I.nope"]) == 2
    err = capsys.readouterr().err
    assert "I.nope" in err and len(err.strip().splitlines()) == 1


def test_reproduce_compares_with_the_committed_record(book, capsys):
    claims.check("I.fake")
    claims.check("I.other")
    assert main(["accept", "--all"]) == 0
    assert (book / "verdicts.json").is_file()
    capsys.readouterr()
    before = (book / "_build" / "claims" / "I.fake.json").read_text()
    STATE["offset"] = 2.0  # the verdict changes from holds to fails
    for _ in range(2):  # reported on every run, not only the first
        assert main(["reproduce", "I.fake"]) == 1
        out = capsys.readouterr().out
        assert "DIFFERS from verdicts.json" in out
        assert "I.fake: verdict 'fails', recorded 'holds and discriminates'" in out
        assert "number moved from the build's record: offset: 0.0 -> 2.0" in out
        assert (book / "_build" / "claims" / "I.fake.json").read_text() == before
    assert main(["reproduce", "--record", "I.fake"]) == 1  # reports the difference, then records it in _build
    assert _record(book, "I.fake")["status"] == "fails"
    # the committed record changes only through accept
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "record differs: I.fake: verdict 'fails'" in out
    assert main(["accept", "I.fake"]) == 0
    assert main(["verify"]) == 0
    assert main(["reproduce", "I.fake"]) == 0


def test_one_line_errors(book, capsys, monkeypatch, tmp_path_factory):
    # no committed record yet
    for argv in (["reproduce", "I.fake"], ["verify"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "verdicts.json" in err and len(err.strip().splitlines()) == 1
    # no build records
    (book / "verdicts.json").write_text('{"claims": {}}')
    assert main(["verify"]) == 2
    assert "make book" in capsys.readouterr().err
    assert main(["ledger", "--require-all"]) == 2
    err = capsys.readouterr().err
    assert "I.fake" in err and len(err.strip().splitlines()) == 1
    assert main(["accept"]) == 2
    assert "--all" in capsys.readouterr().err
    assert main(["accept", "I.fake"]) == 2
    assert "no build record" in capsys.readouterr().err
    # a bad RGBOOK_ROOT, and no book at all
    monkeypatch.setenv("RGBOOK_ROOT", "/nonexistent")
    for argv in (["list"], ["verify"], ["ledger"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "RGBOOK_ROOT" in err and len(err.strip().splitlines()) == 1
    monkeypatch.delenv("RGBOOK_ROOT")
    monkeypatch.chdir(tmp_path_factory.mktemp("not-a-book"))
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert "_config.yml" in err and len(err.strip().splitlines()) == 1


def test_one_line_errors_from_the_real_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rgbook", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_publish_runs_ledger_html_and_verify_in_order(book, capsys, monkeypatch):
    """``publish`` (make book's last step): a missing record stops it before the HTML; a failing HTML
    build stops it before verify with the build's status; otherwise verify decides."""
    from rgbook import __main__ as cli

    built = []
    monkeypatch.setattr(cli, "_jupyter_book_html", lambda root: built.append(root) or status)
    status = 0
    assert main(["publish"]) == 2  # nothing measured: the ledger requires every claim
    assert "I.fake" in capsys.readouterr().err and not built
    claims.check("I.fake")
    claims.check("I.other")
    status = 3
    assert main(["publish"]) == 3 and len(built) == 1
    out = capsys.readouterr().out
    assert "claims ledger written" in out and "verdicts.json" not in out
    ledger = json.loads((book / "_build" / "claims.json").read_text())
    assert [c["id"] for c in ledger["claims"]] == ["I.fake", "I.other"]
    status = 0
    assert main(["publish"]) == 2  # the HTML built; verify finds no committed record
    assert "verdicts.json" in capsys.readouterr().err
    assert main(["accept", "--all"]) == 0
    assert main(["publish"]) == 0
    assert "every verdict and row equals verdicts.json" in capsys.readouterr().out


def test_ledger(book, capsys):
    claims.check("I.fake")
    assert main(["ledger"]) == 0
    ledger = json.loads((book / "_build" / "claims.json").read_text())
    assert [c["id"] for c in ledger["claims"]] == ["I.fake"] and ledger["not_run"] == ["I.other"]
    assert "log" in ledger["claims"][0] and "registration" in ledger["claims"][0]
    assert main(["ledger", "--require-all"]) == 2
