"""The book's Sphinx extension renders the three-valued verdicts (ledger and summary), on fake claims."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

import pytest

import rgbook.chapters
from rgbook import claims
from rgbook.claims import Claim, Row

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("sphinx")


def _ext():
    spec = importlib.util.spec_from_file_location("rgbook_sphinx_under_test", ROOT / "_ext" / "rgbook_sphinx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _measure(rows):
    return lambda protocol, tol: rows


class _P:
    def smoke(self):
        return self


def _claim(claim_id, reading, rows, title=""):
    return Claim(id=claim_id, paper="I", reading=reading, paper_claim="the paper says so",
                 statement="within {eps}", tolerances={"eps": 0.1}, chapter="book/fake",
                 measure=_measure(rows), protocol=_P(), title=title)


class _Builder:
    def get_relative_uri(self, src, dest):
        return dest + ".html"


class _Env:
    toc_fignumbers: dict = {}
    all_docs = {"book/fake": 0}
    titles: dict = {}


def test_ledger_and_summary_show_verdicts(monkeypatch, tmp_path):
    ok, ctl_fail = Row("trained", 0, 0, 0.1), Row("random", 0, 1, 0.1, "control")
    ctl_pass, cons = Row("random", 0, 0, 0.1, "control"), Row("norm", 1, 1, 1e-9, "consistency")
    module = types.ModuleType("rgbook.chapters.fake")
    module.CLAIMS = [_claim("I.L", "L", [ok, ctl_pass, cons], "the literal one"),
                     _claim("I.A1", "A", [ok, ctl_fail], "the optimal layer is decimation"),
                     _claim("I.rg", "RG", [ok])]
    monkeypatch.setitem(sys.modules, "rgbook.chapters.fake", module)
    monkeypatch.setattr(rgbook.chapters, "CHAPTER_MODULES", ("fake",))
    monkeypatch.setenv("RGBOOK_ROOT", str(tmp_path))
    for claim in module.CLAIMS:
        claims.check(claim)
    app = types.SimpleNamespace(srcdir=str(tmp_path), builder=_Builder(), env=_Env())
    ext = _ext()
    summary = ext._summary_table(app, "book/conclusions").astext()
    assert summary.index("I.L") < summary.index("I.A1") < summary.index("I.rg")
    assert "holds but not specific to training" in summary and "holds and discriminates" in summary
    assert "ours: I.A1 (the optimal layer is decimation): holds and discriminates" in summary
    ledger = ext._ledger_table(app, "book/ledger").astext()
    assert "consistency checks (cannot fail short of a bug)" in ledger
    assert "(Paper I, literal): the literal one" in ledger and "(Paper I, A, ours)" in ledger
