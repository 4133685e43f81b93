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
    return Claim(
        id=claim_id,
        paper="I",
        reading=reading,
        paper_claim="the paper says so",
        statement="within {eps}",
        tolerances={"eps": 0.1},
        chapter="book/fake",
        measure=_measure(rows),
        protocol=_P(),
        title=title,
    )


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
    module.CLAIMS = [
        _claim("I.L", "L", [ok, ctl_pass, cons], "the literal one"),
        _claim("I.A1", "A", [ok, ctl_fail], "the optimal layer is decimation"),
        _claim("I.rg", "RG", [ok]),
    ]
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


def _render(nodes_list):
    from docutils import nodes

    out = ""
    for n in nodes_list:
        if isinstance(n, nodes.superscript):
            out += "^{" + _render(n.children) + "}"
        elif isinstance(n, nodes.subscript):
            out += "_{" + _render(n.children) + "}"
        else:
            out += n.astext()
    return out


@pytest.mark.parametrize(
    ("ascii_", "typeset"),
    [
        ("kappa_n' = b^(1 - n zeta) kappa_n", "\u03ba_{n}' = b^{1 - n \u03b6} \u03ba_{n}"),
        ("R_2^l(K) + 0.02, tol 1e-06", "R_{2}^{l}(K) + 0.02, tol 1e-06"),
        ("e^{y_j a_j}, b^-2, |P_W 1|^2", "e^{y_{j} a_{j}}, b^{-2}, |P_{W} 1|^{2}"),
        ("sum_(i<=b) x_i -> infinity", "\u03a3_{i\u2264b} x_{i} \u2192 \u221e"),
        ("a snake_case word and the block sum", "a snake_case word and the block sum"),
        ("ln lambda_max, t_3 <= 10 b^(2*3) t_0", "ln \u03bb_{max}, t_{3} \u2264 10 b^{2\u00b73} t_{0}"),
        ("K^2 <x^2>_V, x_- x_+", "K^{2} <x^{2}>_{V}, x_- x_+"),
    ],
)
def test_statements_are_typeset_without_changing_words(ascii_, typeset):
    assert _render(_ext().typeset(ascii_)) == typeset


def test_ledger_blocks_put_the_verdict_first_and_keep_every_row(monkeypatch, tmp_path):
    rows = [Row("trained x_1", 0, 0, 0.1), Row("random", 0, 1, 0.1, "control")]
    module = types.ModuleType("rgbook.chapters.fake")
    module.CLAIMS = [_claim("I.A1", "A", rows, "decimation")]
    monkeypatch.setitem(sys.modules, "rgbook.chapters.fake", module)
    monkeypatch.setattr(rgbook.chapters, "CHAPTER_MODULES", ("fake",))
    monkeypatch.setenv("RGBOOK_ROOT", str(tmp_path))
    claims.check(module.CLAIMS[0])
    app = types.SimpleNamespace(srcdir=str(tmp_path), builder=_Builder(), env=_Env())
    ledger = _ext()._ledger_table(app, "book/ledger")
    text = ledger.astext()
    assert text.index("holds and discriminates") < text.index("I.A1") < text.index("within 0.1")
    assert "Evidence table (2 rows)" in text and "random" in text and "\u2717 no" in text
    assert ledger.next_node(lambda n: "claim-i-a1" in n.get("ids", []) if hasattr(n, "get") else False) is not None


def test_gallery_lists_every_saved_figure_with_caption_claim_and_files(monkeypatch, tmp_path):
    import json

    from docutils import nodes
    from docutils.utils import new_document

    module = types.ModuleType("rgbook.chapters.fake")
    claim = Claim(
        id="I.fig",
        paper="I",
        reading="RG",
        paper_claim="p",
        statement="within {eps}",
        tolerances={"eps": 0.1},
        chapter="book/fake",
        measure=_measure([Row("x", 0, 0, 0.1)]),
        protocol=_P(),
        figure="fig-fake",
    )
    module.CLAIMS = [claim]
    monkeypatch.setitem(sys.modules, "rgbook.chapters.fake", module)
    monkeypatch.setattr(rgbook.chapters, "CHAPTER_MODULES", ("fake",))
    monkeypatch.setenv("RGBOOK_ROOT", str(tmp_path))
    claims.check(claim)
    (tmp_path / "_toc.yml").write_text("root: book/intro\nparts:\n  - chapters:\n      - file: book/fake\n")
    figdir = tmp_path / "_build" / "figures"
    figdir.mkdir(parents=True)
    for label in ("fig-fake", "fig-orphan"):
        (figdir / f"{label}.json").write_text(
            json.dumps(
                {
                    "label": label,
                    "chapter": "book/fake",
                    "files": [f"{label}.pdf", f"{label}.png"],
                    "rgbook_version": "0.1.0",
                    "git_commit": "abcdef0123456789",
                }
            )
        )
    doc = new_document("fake")
    fig = nodes.figure(ids=["fig-fake"])
    fig += nodes.caption("", "", nodes.Text("The flow goes to "), nodes.reference("", "zero", refid="eq-zero"))
    doc += fig

    class Env(_Env):
        toc_fignumbers = {"book/fake": {"figure": {"fig-fake": (3, 1)}}}
        titles = {"book/fake": nodes.title(text="A fake chapter")}

        def get_and_resolve_doctree(self, docname, builder):
            return doc

    builder = _Builder()
    builder.get_target_uri = lambda docname: docname + ".html"
    app = types.SimpleNamespace(srcdir=str(tmp_path), builder=builder, env=Env())
    gallery = _ext()._gallery(app, "book/gallery")
    text = gallery.astext()
    assert text.index("Figure 3.1 (fig-fake)") < text.index("fig-orphan")  # book order, numbered first
    assert "The flow goes to zero" in text and "A fake chapter" in text
    assert "I.fig" in text and "holds" in text and "commit abcdef012345" in text
    refs = [r["refuri"] for r in gallery.findall(nodes.reference)]
    assert "book/fake.html#eq-zero" in refs and "../figures/fig-fake.pdf" in refs
    assert "book/ledger.html#claim-i-fig" not in refs  # no ledger page in this book: link to the chapter
    images = [i["uri"] for i in gallery.findall(nodes.image)]
    assert images == ["../figures/fig-fake.png", "../figures/fig-orphan.png"]
    assert "not shown in a chapter" in text
