"""Sphinx extension of the rgbook book: citable figures and the claims ledger.

* Every numbered figure whose label starts with ``fig-`` gets a "Cite this figure" line under
  its caption, with links to its PDF, PNG and provenance files (written by
  ``rgbook.figures.save``), which are copied into the HTML output under ``figures/``. A
  figure without files is a build warning (an error under ``-W``).
* MathJax is served from the book itself (``_static/mathjax/es5``, copied from the
  ``django-static-mathjax`` wheel, MathJax 3.2.2), not from a CDN: the book renders its
  mathematics offline.
* The ``claims-ledger`` directive is replaced, after every chapter has executed, by a table
  of every registered claim: paper, reading, our statement (:attr:`rgbook.claims.Claim.text`,
  tolerances written in), evidence, control and consistency rows passing, the verdict
  (three-valued for network claims), links to the chapter and figure; ``claims-summary`` by
  one row per paper: the literal claim's verdict first, our stronger readings ("ours")
  beside it, the RG side last.
* The ``build-times`` directive is replaced by the build's times, read when the page is
  written (never from an executed cell, whose cached output would go stale): each chapter's
  last execution seconds (``_build/deps/<name>.json``) and the cold and warm build times of
  the last ``make bench`` (``_build/bench-build.json``).
  Pages holding these directives are re-written on every build.
* Every code chapter is offered as an executed notebook in the page's download menu
  (".ipynb"): its notebook with the outputs of its cached execution (nothing is executed
  again), made runnable outside the book by :func:`rgbook.notebooks.downloadable`, is written to
  ``_build/html/_sources/<doc>.ipynb``.
* A code chapter depends on its execution record ``_build/deps/<name>.json`` (written by
  ``rgbook.build.finish``): when the chapter re-executes, or its record is removed, Sphinx
  re-reads the page, so the HTML shows the new outputs although the source did not change.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


class ledger_placeholder(nodes.General, nodes.Element):
    """Replaced by the ledger table in ``doctree-resolved``."""


class ClaimsLedger(SphinxDirective):
    has_content = False
    layout = "ledger"

    def run(self):
        self.env.metadata[self.env.docname]["rgbook_ledger"] = True
        return [ledger_placeholder(layout=self.layout)]


class ClaimsSummary(ClaimsLedger):
    """Side-by-side summary: each paper's claim under each reading, verdict and numbered figure."""

    layout = "summary"


class BuildTimes(ClaimsLedger):
    """Chapter execution times and the last benchmarked cold/warm build times."""

    layout = "times"


def _figures_dir(app) -> Path:
    return Path(app.srcdir) / "_build" / "figures"


def _relative_prefix(app, docname: str) -> str:
    depth = app.builder.get_target_uri(docname).count("/")
    return "../" * depth


def _cite_figures(app, doctree, docname: str) -> None:
    fignumbers = app.env.toc_fignumbers.get(docname, {}).get("figure", {})
    title = nodes.Text(app.env.titles[docname].astext()) if docname in app.env.titles else None
    for fig in list(doctree.findall(nodes.figure)):
        labels = ([i for i in fig["ids"] if i.startswith("fig-")]
                  + [n for n in fig.get("names", []) if n.startswith("fig-")])
        if not labels:
            continue
        label = labels[0]
        sidecar = _figures_dir(app) / f"{label}.json"
        if not sidecar.is_file():
            logger.warning(f"figure {label!r} has no files in _build/figures (call rgbook.figures.save)",
                           location=docname)
            continue
        meta = json.loads(sidecar.read_text())
        number = ".".join(map(str, fignumbers.get(fig["ids"][0], ()))) if fig["ids"] else ""
        prefix = _relative_prefix(app, docname)
        para = nodes.paragraph(classes=["rgbook-cite-figure"])
        para += nodes.strong(text="Cite this figure: ")
        para += nodes.Text(
            f"rgbook, Figure {number} ({label})" + (f", “{title}”" if title is not None else "")
            + f", rgbook {meta.get('rgbook_version', '?')}, commit {str(meta.get('git_commit', '?'))[:12]}. Files: "
        )
        for i, name in enumerate(meta.get("files", []) + [f"{label}.json"]):
            if i:
                para += nodes.Text(" · ")
            kind = "provenance" if name.endswith(".json") else name.rsplit(".", 1)[-1].upper()
            para += nodes.reference(text=kind, refuri=f"{prefix}figures/{name}")
        fig += para


def _table(headers, widths, classes) -> tuple[nodes.table, nodes.tbody]:
    table = nodes.table(classes=classes)
    tgroup = nodes.tgroup(cols=len(headers))
    table += tgroup
    for width in widths:
        tgroup += nodes.colspec(colwidth=width)
    thead = nodes.thead()
    row = nodes.row()
    for h in headers:
        row += nodes.entry("", nodes.paragraph(text=h))
    thead += row
    tgroup += thead
    tbody = nodes.tbody()
    tgroup += tbody
    return table, tbody


_READING_TITLES = {"L": "the paper's literal claim", "A": "ours: Reading A", "B": "ours: Reading B",
                   "C": "ours: Reading C", "RG": "RG side (standard physics)"}


def _verdict_class(verdict: str) -> str:
    return "rgbook-" + verdict.replace(" ", "-")


def _claim_cell(app, docname: str, claim, records) -> nodes.paragraph:
    """``id`` verdict (Fig. n), linked to the chapter; stronger readings labelled "ours"."""
    from rgbook import claims as _claims

    verdict = _claims.record_verdict(records.get(claim.id))
    chapter_uri = app.builder.get_relative_uri(docname, claim.chapter)
    para = nodes.paragraph(classes=[_verdict_class(verdict)])
    if claim.ours:
        para += nodes.emphasis(text="ours: ")
    para += nodes.reference("", "", nodes.literal(text=claim.id), refuri=chapter_uri)
    if claim.title:
        para += nodes.Text(f" ({claim.title})")
    para += nodes.Text(": ")
    para += nodes.strong(text=verdict)
    if claim.figure:
        number = app.env.toc_fignumbers.get(claim.chapter, {}).get("figure", {}).get(claim.figure)
        para += nodes.Text(" (")
        para += nodes.reference(text="Fig. " + ".".join(map(str, number)) if number else claim.figure,
                                refuri=f"{chapter_uri}#{claim.figure}")
        para += nodes.Text(")")
    return para


def _summary_table(app, docname: str) -> nodes.Node:
    """One row per paper: the literal verdict first, our stronger readings beside it ("ours"), the RG side last."""
    import sys

    root = Path(app.srcdir)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from rgbook import claims

    records = claims.load_records(root)
    table, tbody = _table(["paper", "the paper's claim (abstract, paraphrased)", "literal claim (verdict)",
                           "ours: stronger readings (verdicts)", "RG side (standard physics)"],
                          (5, 35, 20, 25, 15), ["rgbook-ledger", "rgbook-summary"])
    by_paper: dict[str, list] = {}
    for claim in claims.registry().values():
        by_paper.setdefault(claim.paper, []).append(claim)
    for paper, members in sorted(by_paper.items()):
        literal = [c for c in members if c.literal]
        ours = [c for c in members if c.ours]
        rg_side = [c for c in members if c.reading == "RG"]
        paper_claim = (literal or ours or rg_side)[0].paper_claim
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph(text=paper))
        row += nodes.entry("", nodes.paragraph(text=paper_claim))
        for group in (literal, ours, rg_side):
            entry = nodes.entry()
            if not group:
                entry += nodes.paragraph(text="(none registered)")
            for claim in group:
                entry += _claim_cell(app, docname, claim, records)
            row += entry
        tbody += row
    return table


def _ledger_table(app, docname: str) -> nodes.Node:
    import sys

    root = Path(app.srcdir)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from rgbook import claims

    records = claims.load_records(root)
    headers = ["claim (paper, reading)", "our statement (tested)", "evidence rows passing", "controls passing",
               "consistency checks (cannot fail short of a bug)", "worst |diff| / tol (evidence)", "verdict",
               "evidence"]
    table, tbody = _table(headers, (10, 42, 6, 6, 6, 6, 9, 15), ["rgbook-ledger"])
    for claim in claims.registry().values():
        rec = records.get(claim.id)
        rows = rec["rows"] if rec else []
        status = claims.record_verdict(rec)
        by_role = {role: [r for r in rows if r.get("role", "evidence") == role] for role in claims.ROLES}
        worst = max((abs(r["measured"] - r["predicted"]) / r["tolerance"] if r["tolerance"] > 0 else float("inf")
                     for r in by_role["evidence"]), default=float("nan"))

        def count(group):
            return f"{sum(r['passes'] for r in group)} / {len(group)}" if group else "-"
        if claim.chapter not in app.env.all_docs:
            logger.warning(f"claim {claim.id} names chapter {claim.chapter!r}, which is not in the book",
                           location=docname)
        chapter_uri = app.builder.get_relative_uri(docname, claim.chapter)
        evidence = nodes.paragraph()
        chapter_title = app.env.titles[claim.chapter].astext() if claim.chapter in app.env.titles else claim.chapter
        evidence += nodes.reference(text=chapter_title,
                                    refuri=chapter_uri)
        if claim.figure:
            evidence += nodes.Text(" · ")
            evidence += nodes.reference(text=claim.figure, refuri=f"{chapter_uri}#{claim.figure}")
        verdict = nodes.paragraph()
        verdict += nodes.strong(text=status)
        reading = {"L": "literal", "RG": "RG"}.get(claim.reading, f"{claim.reading}, ours")
        cells = [
            nodes.paragraph("", "", nodes.literal(text=claim.id),
                            nodes.Text(f" (Paper {claim.paper}, {reading})"
                                       + (f": {claim.title}" if claim.title else ""))),
            nodes.paragraph(text=rec["statement"] if rec and rec.get("statement") else claim.text),
            nodes.paragraph(text=count(by_role["evidence"])),
            nodes.paragraph(text=count(by_role["control"])),
            nodes.paragraph(text=count(by_role["consistency"])),
            nodes.paragraph(text=f"{worst:.3g}"),
            verdict,
            evidence,
        ]
        row = nodes.row(classes=[_verdict_class(status)])
        for cell in cells:
            row += nodes.entry("", cell)
        tbody += row
    return table


def _times_table(app, docname: str) -> nodes.Node:
    """Each code chapter's last execution seconds, and the last benchmarked build times."""
    import sys

    root = Path(app.srcdir)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from rgbook import build

    container = nodes.container(classes=["rgbook-build-times"])
    table, tbody = _table(["chapter", "execution (s)", "threads", "executed (UTC)"], (40, 15, 10, 35),
                          ["rgbook-ledger", "rgbook-times"])
    total = 0.0
    for doc in build.code_chapters(root):     # book order
        rec = build.load_deps(doc, root)
        if rec is None:
            continue
        seconds = rec.get("execution_seconds")
        total += seconds or 0.0
        row = nodes.row()
        title = app.env.titles[doc].astext() if doc in app.env.titles else doc
        link = nodes.paragraph()
        if doc in app.env.all_docs:
            link += nodes.reference(text=title, refuri=app.builder.get_relative_uri(docname, doc))
        else:
            link += nodes.Text(title)
        row += nodes.entry("", link)
        row += nodes.entry("", nodes.paragraph(text="-" if seconds is None else f"{seconds:.1f}"))
        row += nodes.entry("", nodes.paragraph(text=str(rec.get("threads") or "default")))
        row += nodes.entry("", nodes.paragraph(text=str(rec.get("finished", "-"))[:19].replace("T", " ")))
        tbody += row
    container += table
    container += nodes.paragraph(text=f"Sum of chapter execution times: {total:.0f} s (a cold build executes "
                                      "the chapters two at a time).")
    bench = root / "_build" / "bench-build.json"
    if bench.is_file():
        times = json.loads(bench.read_text())
        lines = [f"cold build (make book from an empty _build): {times['cold_seconds']:.0f} s "
                 f"(target 360 s; ratio {times['cold_seconds'] / 360:.2f})"]
        if "warm_seconds" in times:
            lines.append(f"warm build (nothing changed, every chapter from the cache): {times['warm_seconds']:.1f} s; "
                         f"ratio cold / warm {times['cold_seconds'] / times['warm_seconds']:.1f}")
        for line in lines:
            container += nodes.paragraph(text=line)
    else:
        container += nodes.paragraph(text="Cold and warm build times were not measured for this build: run "
                                          "`make bench` (it builds the book from cold) and rebuild to show them here.")
    return container


_LAYOUTS = {"summary": _summary_table, "ledger": _ledger_table, "times": _times_table}


def _doctree_resolved(app, doctree, docname: str) -> None:
    if app.builder.format != "html":
        return
    _cite_figures(app, doctree, docname)
    for node in list(doctree.findall(ledger_placeholder)):
        node.replace_self(_LAYOUTS[node.get("layout", "ledger")](app, docname))


def _note_execution_record(app, docname: str, source: list[str]) -> None:
    """A code chapter depends on its execution record: re-read the page when it changes or goes."""
    if docname.startswith("book/") and "```{code-cell}" in source[0]:
        deps = Path(app.srcdir) / "_build" / "deps" / f"{docname.removeprefix('book/')}.json"
        app.env.note_dependency(str(deps))


def _always_rewrite_ledger(app, env, added, changed, removed):
    return [doc for doc, meta in env.metadata.items() if meta.get("rgbook_ledger")]


def _copy_figure_files(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    src = _figures_dir(app)
    dest = Path(app.outdir) / "figures"
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.glob("*")) if src.is_dir() else []:
        if path.suffix in (".pdf", ".png", ".json"):
            shutil.copy2(path, dest / path.name)


def _copy_mathjax(app, exception) -> None:
    """Copy MathJax's es5 bundle into ``_static/mathjax/es5`` (config: ``mathjax_path``)."""
    if exception is not None or app.builder.format != "html":
        return
    import importlib.util

    spec = importlib.util.find_spec("mathjax")
    src = Path(spec.origin).parent / "static" / "mathjax" / "es5" if spec and spec.origin else None
    if src is None or not (src / "tex-mml-chtml.js").is_file():
        logger.warning("MathJax files not found: install the book extra (pip install -e '.[book]', "
                       "which brings django-static-mathjax) so that the book renders math offline")
        return
    dest = Path(app.outdir) / "_static" / "mathjax" / "es5"
    if not (dest / "tex-mml-chtml.js").is_file():
        shutil.copytree(src, dest, dirs_exist_ok=True)


#: Book-wide styles: breathing room in the tables that pandas writes into cell outputs.
_CSS = """div.cell_output table td, div.cell_output table th { padding: 0.15em 0.7em; }
div.cell_output table thead th { border-bottom: 1px solid #999; }
"""


def _write_css(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        (Path(app.outdir) / "_static" / "rgbook.css").write_text(_CSS)


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Drop repeated identical <script> entries (sphinx-thebe's inline config is added twice by
    Jupyter Book 1, which makes the browser report 'THEBE_JS_URL has already been declared')."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        attributes = tuple(sorted((k, str(v)) for k, v in getattr(js, "attributes", {}).items()))
        key = (str(getattr(js, "filename", js) or ""), attributes)
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique  # in place: later handlers and the template see the same list


def _executed_notebook(app, pagename, templatename, context, doctree) -> None:
    """Offer a code chapter's executed notebook in the download menu (before the theme builds the menu)."""
    if app.builder.format != "html" or doctree is None:
        return
    source = Path(app.srcdir) / f"{pagename}.md"
    if not source.is_file() or "```{code-cell}" not in source.read_text():
        return
    import sys

    root = Path(app.srcdir)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from rgbook import figures, notebooks

    try:
        notebooks.write_downloadable(pagename, Path(app.outdir) / "_sources" / f"{pagename}.ipynb", root=root,
                                     commit=figures.git_commit(root))
    except KeyError:
        logger.warning(f"{pagename}: no execution of its current code cells in the execution cache, so no "
                       "executed notebook to download (run python -m rgbook.build execute)", location=pagename)
        return
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    app.add_node(ledger_placeholder)
    app.add_directive("claims-ledger", ClaimsLedger)
    app.add_directive("claims-summary", ClaimsSummary)
    app.add_directive("build-times", BuildTimes)
    app.connect("source-read", _note_execution_record)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("env-get-outdated", _always_rewrite_ledger)
    app.connect("build-finished", _copy_figure_files)
    app.connect("build-finished", _copy_mathjax)
    app.connect("build-finished", _write_css)
    app.add_css_file("rgbook.css")
    app.connect("html-page-context", _dedupe_scripts, priority=900)  # after the theme's handlers
    # sphinx-book-theme builds the download menu at priority 501 and lists "ipynb_source".
    app.connect("html-page-context", _executed_notebook, priority=450)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
