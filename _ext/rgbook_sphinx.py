"""Sphinx extension of the rgbook book: citable figures and the claims ledger.

* Every numbered figure whose label starts with ``fig-`` gets a "Cite this figure" line under
  its caption, with links to its PDF, PNG and provenance files (written by
  ``rgbook.figures.save``), which are copied into the HTML output under ``figures/``. A
  figure without files is a build warning (an error under ``-W``).
* MathJax is served from the book itself (``_static/mathjax/es5``, copied from the
  ``django-static-mathjax`` wheel, MathJax 3.2.2), not from a CDN: the book renders its
  mathematics offline.
* The ``claims-ledger`` directive is replaced, after every chapter has executed, by one block
  per registered claim, so that a claim reads at a glance: a verdict badge (three-valued for
  network claims), the id with paper and reading ("ours" for our stronger readings), links to
  the chapter and figure; our statement (:attr:`rgbook.claims.Claim.text`, tolerances written
  in) with its ASCII mathematics typeset (:func:`typeset`); the evidence, control and
  consistency rows passing and the worst evidence ratio; the evidence table, folded
  (``<details>``); ``claims-summary`` by
  one row per paper: the literal claim's verdict first, our stronger readings ("ours")
  beside it, the RG side last.
* The ``figure-gallery`` directive is replaced by every figure with saved files, in book
  order, as a card: thumbnail (linked to the figure in its chapter), number, chapter, the
  caption as the chapter renders it, the claims whose ``figure`` it is with their verdicts
  (linked to their ledger entries), and the cite line with its files. Nothing is kept by
  hand: the figure sidecars (``_build/figures/*.json``) and the claim records decide.
* The ``build-times`` directive is replaced by the build's times, read when the page is
  written (never from an executed cell, whose cached output would go stale): each chapter's
  last execution seconds (``_build/deps/<name>.json``) and the cold and warm build times of
  the last ``make bench`` (``_build/bench-build.json``).
  Pages holding these directives are re-written on every build.
* Every code chapter is offered as an executed notebook in the page's download menu
  (".ipynb"): its notebook with the outputs of its cached execution (nothing is executed
  again), made runnable outside the book by :func:`rgbook.notebooks.downloadable`, is written to
  ``_build/html/_sources/<doc>.ipynb``.
* When ``make pdf`` has written the PDF edition (``_build/pdf/rgbook.pdf``), it is copied to
  ``_build/html/rgbook.pdf`` and every page's download menu links it ("Book (PDF)"); a new
  PDF re-writes every page.
* A code chapter depends on its execution record ``_build/deps/<name>.json`` (written by
  ``rgbook.build.finish``): when the chapter re-executes, or its record is removed, Sphinx
  re-reads the page, so the HTML shows the new outputs although the source did not change.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
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


class FigureGallery(ClaimsLedger):
    """Every figure of the book as a thumbnail with its caption, chapter, claims, verdicts and files."""

    layout = "gallery"


def _cell_parts(cell) -> tuple:
    """(source node, output node) of a myst-nb code cell container (either may be None)."""
    source = output = None
    for child in cell.children:
        if child.get("nb_element") == "cell_code_source":
            source = child
        elif child.get("nb_element") == "cell_code_output":
            output = child
    return source, output


def _is_table_output(output) -> bool:
    if output is None:
        return False
    if any(True for _ in output.findall(nodes.table)):
        return True
    return any("<table" in raw.astext() for raw in output.findall(nodes.raw))


def fold_mode(code: str, has_output: bool, table: bool, figure: bool) -> tuple[str | None, bool]:
    """How a code cell is shown: (hide mode for myst-nb or None, remove the input).

    * a figure cell: its plotting code folded ("input");
    * a cell whose output is a table: the table folded ("output"); a one-line cell (it only
      formats a table a chapter function computed) loses its input, a cell with two or more
      ``glue`` calls (plumbing for the prose) gets its input folded too ("input+output");
    * a cell without output that only glues (every statement a ``glue`` call or an assignment
      read by one): its input is removed;
    * every other cell (it computes) is shown as written.
    """
    lines = [ln for ln in code.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    statements = [ln for ln in lines if not ln.startswith((" ", "\t", ")", "]", "}"))]
    glues = sum(1 for ln in statements if ln.startswith("glue("))
    if figure:
        return "input", False
    if table:
        if len(statements) <= 1 or (statements and statements[-1].startswith("claims.summary(")):
            return "output", True
        return ("input+output" if glues >= 2 else "output"), False
    if (
        not has_output
        and statements
        and glues
        and all(ln.startswith("glue(") or ln.startswith("for ") for ln in statements)
    ):
        return None, True
    return None, False


class FoldCells(SphinxPostTransform):
    """Verdict before evidence, glue plumbing out of sight (HTML; the PDF opens every fold).

    Runs before myst-nb's ``HideInputCells`` (priority 199), which renders the folds; a cell that
    carries its own ``hide-*`` or ``remove-*`` tags is left as its tags say. The notebooks are not
    changed (tags would change their execution-cache keys): the rule is :func:`fold_mode`.
    """

    default_priority = 150
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") != "cell_code" or cell.get("hide_mode"):
                continue
            tags = (cell.get("cell_metadata") or {}).get("tags", [])
            if any(t.startswith(("hide", "remove")) and t not in ("remove-stderr", "remove-input") for t in tags):
                continue
            source, output = _cell_parts(cell)
            if source is None:
                # an input its tags removed: a table it shows is folded all the same
                if output is not None and output.children and _is_table_output(output):
                    cell["hide_mode"] = "all"
                    cell["prompt_show"], cell["prompt_hide"] = "Show evidence table", "Hide evidence table"
                continue
            if "remove-input" in tags:
                continue
            figure = output is not None and any(True for _ in output.findall(nodes.figure))
            figure = figure or bool(((cell.get("cell_metadata") or {}).get("mystnb") or {}).get("figure"))
            mode, remove_input = fold_mode(
                source.astext(), output is not None and bool(output.children), _is_table_output(output), figure
            )
            if remove_input:
                cell.remove(source)
                if output is None or not output.children:
                    cell.parent.remove(cell)
                    continue
                if mode == "output":
                    mode = "all"  # no input left: myst-nb folds the output under one summary
            if mode:
                cell["hide_mode"] = mode
                cell["prompt_show"] = (
                    "Show evidence table" if mode in ("output", "all") and not figure else "Show code cell {type}"
                )
                cell["prompt_hide"] = (
                    "Hide evidence table" if mode in ("output", "all") and not figure else "Hide code cell {type}"
                )


def _gallery_has_math(app, doctree) -> None:
    """Captions carry mathematics: load MathJax on the gallery page although its source has none.

    (Runs on ``doctree-read``, after the math domain has recorded the page as equation-free.)
    """
    if any(node.get("layout") == "gallery" for node in doctree.findall(ledger_placeholder)):
        app.env.get_domain("math").data["has_equations"][app.env.docname] = True


class ClaimsDisclosures(ClaimsLedger):
    """Every claim's registration and its log of changes after data (amendments, in-place changes)."""

    layout = "disclosures"


class AnswerTable(ClaimsLedger):
    """*The answer*: one row per question of :mod:`rgbook.answer`, its verdict badges, its sentence, one figure."""

    layout = "answer"


class ClaimsCounts(ClaimsLedger):
    """Summary counts of the recorded verdicts, per verdict and per paper."""

    layout = "counts"


class ClaimsGlossary(ClaimsLedger):
    """Every claim id in one line (badge, id linked to its ledger entry, what it tests), grouped by paper."""

    layout = "glossary"


class ClaimVerdicts(SphinxDirective):
    """A chapter's verdicts at a glance: badge, id and one line per claim.

    Arguments: claim ids (space-separated); without arguments, every claim whose chapter is this page.
    """

    has_content = False
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self):
        self.env.metadata[self.env.docname]["rgbook_ledger"] = True
        ids = self.arguments[0].split() if self.arguments else []
        return [ledger_placeholder(layout="verdicts", claim_ids=ids)]


class BuildTimes(ClaimsLedger):
    """Chapter execution times and the last benchmarked cold/warm build times."""

    layout = "times"


def _figures_dir(app) -> Path:
    return Path(app.srcdir) / "_build" / "figures"


def _relative_prefix(app, docname: str) -> str:
    # singlehtml: every document is a fragment of index.html ("#document-book/x"), at the top
    depth = app.builder.get_target_uri(docname).split("#")[0].count("/")
    return "../" * depth


def _cite_paragraph(label: str, meta: dict, number: str, title, prefix: str) -> nodes.paragraph:
    """ "Cite this figure: Figure n, "chapter", in rgbook version (commit; label). Files: PDF · PNG · provenance"."""
    para = nodes.paragraph(classes=["rgbook-cite-figure"])
    para += nodes.strong(text="Cite this figure: ")
    para += nodes.Text(
        (f"Figure {number}" if number else "Figure")
        + (f", \u201c{title}\u201d" if title is not None else "")
        + f", in rgbook {meta.get('rgbook_version', '?')} (commit {str(meta.get('git_commit', '?'))[:12]}; "
        f"label {label}). Files: "
    )
    for i, name in enumerate(meta.get("files", []) + [f"{label}.json"]):
        if i:
            para += nodes.Text(" \u00b7 ")
        kind = "provenance" if name.endswith(".json") else name.rsplit(".", 1)[-1].upper()
        para += nodes.reference(text=kind, refuri=f"{prefix}figures/{name}")
    return para


def _doc_of(node, default: str) -> str:
    """The document a node comes from: in the one-page build (singlehtml, the PDF) every chapter is
    inlined under a ``start_of_file`` node that names it; elsewhere the page itself."""
    from sphinx import addnodes

    while node is not None:
        if isinstance(node, addnodes.start_of_file):
            return node["docname"]
        if isinstance(node, nodes.section) and node.get("docname"):  # inline_all_toctrees marks the sections
            return node["docname"]
        node = node.parent
    return default


def _cite_figures(app, doctree, docname: str) -> None:
    for fig in list(doctree.findall(nodes.figure)):
        chapter = _doc_of(fig, docname)
        fignumbers = app.env.toc_fignumbers.get(chapter, {}).get("figure", {})
        title = nodes.Text(app.env.titles[chapter].astext()) if chapter in app.env.titles else None
        labels = [i for i in fig["ids"] if i.startswith("fig-")] + [
            n for n in fig.get("names", []) if n.startswith("fig-")
        ]
        if not labels:
            continue
        label = labels[0]
        sidecar = _figures_dir(app) / f"{label}.json"
        if not sidecar.is_file():
            logger.warning(
                f"figure {label!r} has no files in _build/figures (call rgbook.figures.save)", location=docname
            )
            continue
        meta = json.loads(sidecar.read_text())
        number = ".".join(map(str, fignumbers.get(fig["ids"][0], ()))) if fig["ids"] else ""
        para = _cite_paragraph(label, meta, number, title, _relative_prefix(app, docname))
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


_READING_TITLES = {
    "L": "the paper's literal claim",
    "A": "ours: Reading A",
    "B": "ours: Reading B",
    "C": "ours: Reading C",
    "RG": "RG side (standard physics)",
}


def _verdict_class(verdict: str) -> str:
    return "rgbook-" + verdict.replace(" ", "-")


def _claim_cell(app, docname: str, claim, records) -> nodes.paragraph:
    """``id`` verdict (Fig. n), linked to the chapter; stronger readings labelled "ours"."""
    from rgbook import answer as _answer
    from rgbook import claims as _claims

    verdict = _claims.record_verdict(records.get(claim.id))
    chapter_uri = app.builder.get_relative_uri(docname, claim.chapter)
    para = nodes.paragraph(classes=[_verdict_class(verdict)])
    if claim.ours:
        para += nodes.emphasis(text="ours: ")
    para += nodes.reference("", "", nodes.literal(text=claim.id), refuri=chapter_uri)
    para += nodes.Text(" (")
    para += typeset(_answer.one_line(claim))
    para += nodes.Text("): ")
    para += nodes.strong(text=verdict)
    if claim.figure:
        number = app.env.toc_fignumbers.get(claim.chapter, {}).get("figure", {}).get(claim.figure)
        para += nodes.Text(" (")
        para += nodes.reference(
            text="Fig. " + ".".join(map(str, number)) if number else claim.figure,
            refuri=f"{chapter_uri}#{claim.figure}",
        )
        para += nodes.Text(")")
    return para


def _summary_table(app, docname: str) -> nodes.Node:
    """One row per paper: the literal verdict first, our stronger readings beside it ("ours"), the RG side last."""
    root = _rgbook(app)
    from rgbook import claims

    records = claims.load_records(root)
    table, tbody = _table(
        [
            "paper",
            "the paper's claim (abstract, paraphrased)",
            "literal claim (verdict)",
            "ours: stronger readings (verdicts)",
            "RG side (standard physics)",
        ],
        (5, 35, 20, 25, 15),
        ["rgbook-ledger", "rgbook-summary"],
    )
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


#: ASCII mathematics of claim statements, as typeset by :func:`typeset`.
_GREEK = {
    name: chr(code)
    for name, code in (
        ("alpha", 0x3B1),
        ("beta", 0x3B2),
        ("gamma", 0x3B3),
        ("delta", 0x3B4),
        ("epsilon", 0x3B5),
        ("zeta", 0x3B6),
        ("eta", 0x3B7),
        ("theta", 0x3B8),
        ("kappa", 0x3BA),
        ("lambda", 0x3BB),
        ("mu", 0x3BC),
        ("nu", 0x3BD),
        ("xi", 0x3BE),
        ("pi", 0x3C0),
        ("rho", 0x3C1),
        ("sigma", 0x3C3),
        ("tau", 0x3C4),
        ("phi", 0x3C6),
        ("chi", 0x3C7),
        ("psi", 0x3C8),
        ("omega", 0x3C9),
        ("Pi", 0x3A0),
        ("Sigma", 0x3A3),
        ("Lambda", 0x39B),
    )
}
_SYMBOLS = (
    ("<=", "\u2264"),
    (">=", "\u2265"),
    ("->", "\u2192"),
    ("+-", "\u00b1"),
    ("infinity", "\u221e"),
    ("sqrt", "\u221a"),
)


def _script_token():
    import re

    # ^2, ^-2, ^b, ^l, ^(1 - n zeta), ^{y_j a_j}, _(n+1), _l, _2, _B (one level of brackets)
    return re.compile(r"(?P<op>[\^_])(?P<arg>\((?:[^()]|\([^()]*\))*\)|\{[^{}]*\}|-?[A-Za-z0-9]+)")


def _plain(text: str) -> str:
    import re

    text = re.sub(r"\b(" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")\b", lambda m: _GREEK[m.group(1)], text)
    for ascii_, symbol in _SYMBOLS:
        text = text.replace(ascii_, symbol)
    return re.sub(r"(?<=[0-9])\*(?=[0-9])", "\u00b7", text)  # 2*3 -> 2·3


def typeset(text: str) -> list[nodes.Node]:
    """A claim statement's ASCII mathematics as text nodes with sub- and superscripts.

    Greek letter names become letters (``kappa_n`` -> κ with subscript n), ``<=``, ``>=``,
    ``->``, ``+-``, ``infinity`` and ``sqrt`` their symbols, ``sum_``/``prod_`` Σ/∏, and ``x^a``, ``x^(…)``,
    ``x^{…}``, ``x_a``, ``x_(…)`` super- and subscripts (the brackets of a bracketed script
    dropped); numbers like ``1e-06`` are left alone. The words of the statement are not changed.
    """
    import re

    out: list[nodes.Node] = []
    pos = 0
    token = _script_token()
    for m in token.finditer(text):
        start = m.start()
        # a script follows a symbol (letter, digit, a closing bracket, "'", "|" or ">" of <x>),
        # never a space; snake_case words are left alone below
        if start == 0 or not re.match(r"[A-Za-z0-9)'\]|>]", text[start - 1]):
            continue
        arg = m.group("arg")
        if m.group("op") == "_" and re.fullmatch(r"[a-z]{3,}", arg) and arg not in ("max", "min"):
            continue  # snake_case words are not subscripts
        if arg[0] in "({" and arg[-1] in ")}":
            arg = arg[1:-1]
        if start > pos:
            before = _plain(text[pos:start])
            if m.group("op") == "_":  # sum_i, prod_j: the operator's symbol
                before = re.sub(r"\b(sum|prod)$", lambda m: {"sum": "\u03a3", "prod": "\u220f"}[m.group(1)], before)
            out.append(nodes.Text(before))
        inner = typeset(arg)
        out.append((nodes.superscript if m.group("op") == "^" else nodes.subscript)("", "", *inner))
        pos = m.end()
    if pos < len(text):
        out.append(nodes.Text(_plain(text[pos:])))
    return out


def _badge(verdict: str) -> nodes.inline:
    return nodes.inline(text=verdict, classes=["rgbook-badge", _verdict_class(verdict)])


def _number(x) -> str:
    return f"{x:.4g}" if isinstance(x, (int, float)) else str(x)


def _evidence_table(rows) -> nodes.table:
    from rgbook import claims

    table, tbody = _table(
        ["role", "quantity", "predicted", "measured", "tolerance", "passes"],
        (12, 52, 9, 9, 9, 9),
        ["rgbook-ledger", "rgbook-evidence"],
    )
    order = {role: i for i, role in enumerate(claims.ROLES)}
    for r in sorted(rows, key=lambda r: order.get(r.get("role", "evidence"), 9)):
        row = nodes.row(classes=["rgbook-pass" if r["passes"] else "rgbook-fail"])
        cells = [
            r.get("role", "evidence"),
            None,
            _number(r["predicted"]),
            _number(r["measured"]),
            _number(r["tolerance"]),
            "\u2713 yes" if r["passes"] else "\u2717 no",
        ]
        for i, cell in enumerate(cells):
            para = nodes.paragraph("", "", *typeset(r["quantity"])) if i == 1 else nodes.paragraph(text=cell)
            row += nodes.entry("", para)
        tbody += row
    return table


def _ledger_table(app, docname: str) -> nodes.Node:
    """One block per claim: verdict, id and links first, then the statement, then the evidence (collapsible)."""
    root = _rgbook(app)
    from rgbook import claims

    records = claims.load_records(root)
    ledger = _ledger_json(app)
    out = nodes.container(classes=["rgbook-claims"])
    for claim in claims.registry().values():
        rec = records.get(claim.id)
        rows = rec["rows"] if rec else []
        status = claims.record_verdict(rec)
        by_role = {role: [r for r in rows if r.get("role", "evidence") == role] for role in claims.ROLES}
        worst = max(
            (
                abs(r["measured"] - r["predicted"]) / r["tolerance"] if r["tolerance"] > 0 else float("inf")
                for r in by_role["evidence"]
            ),
            default=float("nan"),
        )
        if claim.chapter not in app.env.all_docs:
            logger.warning(
                f"claim {claim.id} names chapter {claim.chapter!r}, which is not in the book", location=docname
            )
        chapter_uri = app.builder.get_relative_uri(docname, claim.chapter)
        chapter_title = app.env.titles[claim.chapter].astext() if claim.chapter in app.env.titles else claim.chapter
        reading = {"L": "literal", "RG": "RG"}.get(claim.reading, f"{claim.reading}, ours")

        block = nodes.container(classes=["rgbook-claim", _verdict_class(status)], ids=[f"claim-{_slug(claim.id)}"])
        head = nodes.paragraph(classes=["rgbook-claim-head"])
        head += _badge(status)
        head += nodes.Text(" ")
        head += nodes.strong("", "", nodes.literal(text=claim.id))
        head += nodes.Text(f" (Paper {claim.paper}, {reading})" + (f": {claim.title}" if claim.title else ""))
        head += nodes.Text(" \u00b7 ")
        head += nodes.reference(text=chapter_title, refuri=chapter_uri)
        if claim.figure:
            number = app.env.toc_fignumbers.get(claim.chapter, {}).get("figure", {}).get(claim.figure)
            head += nodes.Text(" \u00b7 ")
            head += nodes.reference(
                text="Fig. " + ".".join(map(str, number)) if number else claim.figure,
                refuri=f"{chapter_uri}#{claim.figure}",
            )
        block += head
        statement = rec["statement"] if rec and rec.get("statement") else claim.text
        block += nodes.paragraph("", "", *typeset(statement), classes=["rgbook-claim-statement"])

        def count(group):
            return f"{sum(r['passes'] for r in group)} / {len(group)}" if group else "none"

        counts = (
            f"evidence rows passing {count(by_role['evidence'])} \u00b7 controls passing "
            f"{count(by_role['control'])} \u00b7 consistency checks (cannot fail short of a bug) passing "
            f"{count(by_role['consistency'])} \u00b7 worst |diff| / tol (evidence) {worst:.3g}"
        )
        block += nodes.paragraph(text=counts, classes=["rgbook-claim-counts"])
        block += nodes.paragraph(text=_registration_line(claim, ledger.get(claim.id)), classes=["rgbook-claim-counts"])
        if claim.log:
            block += nodes.raw(
                "",
                f'<details class="rgbook-evidence"><summary>Log ({len(claim.log)} '
                f"entr{'y' if len(claim.log) == 1 else 'ies'})</summary>",
                format="html",
            )
            block += _log_list(claim)
            block += nodes.raw("", "</details>", format="html")
        if rows:
            block += nodes.raw(
                "",
                f'<details class="rgbook-evidence"><summary>Evidence table ({len(rows)} rows)</summary>',
                format="html",
            )
            block += _evidence_table(rows)
            block += nodes.raw("", "</details>", format="html")
        else:
            block += nodes.paragraph(text="Not measured in this build.")
        out += block
    return out


def _ledger_json(app) -> dict[str, dict]:
    """``_build/claims.json`` by id (written by ``python -m rgbook ledger`` before the HTML build), or {}."""
    path = Path(app.srcdir) / "_build" / "claims.json"
    try:
        return {c["id"]: c for c in json.loads(path.read_text())["claims"]}
    except (OSError, ValueError, KeyError):
        return {}


def _registration_line(claim, entry: dict | None) -> str:
    """ "registered 1a2b3c4 (2026-12-05) · measured from ... · amended n times" for one claim."""
    parts = []
    reg = (entry or {}).get("registration") or {}
    first, measured = reg.get("registered"), reg.get("measured")
    if first:
        parts.append(f"registered {first['commit']} ({first['date']})")
        if reg.get("registered_with_measure"):
            parts.append("registered in the same commit as its measuring code")
        elif measured:
            parts.append(f"measured from {measured['commit']} ({measured['date']})")
    else:
        parts.append("registration: see git history")
    if claim.amends:
        parts.append(f"post hoc: amends {claim.amends}")
    amendments = [c for c in claim.log if c.kind == "amendment"]
    changes = [c for c in claim.log if c.kind != "amendment"]
    if amendments:
        parts.append("amended " + ", ".join(f"as {c.amendment}" for c in amendments))
    if changes:
        parts.append(f"{len(changes)} other logged change{'s' if len(changes) != 1 else ''} after data")
    if not claim.log and not claim.amends:
        parts.append("unchanged since its data")
    if claim.registration_note:
        parts.append(claim.registration_note)
    return " \u00b7 ".join(parts)


def _log_list(claim) -> nodes.Node:
    items = nodes.bullet_list()
    for c in claim.log:
        text = (
            f"{c.date} \u00b7 {c.kind}"
            + (f" (now {c.amendment})" if c.amendment else "")
            + ("" if c.data_seen else " \u00b7 before data")
            + f": {c.reason}"
        )
        items += nodes.list_item("", nodes.paragraph(text=text))
    return items


def _disclosures(app, docname: str) -> nodes.Node:
    """Every claim with a registration note, an amendment or a logged change, one block each."""
    root = _rgbook(app)
    from rgbook import claims

    ledger = _ledger_json(app)
    records = claims.load_records(root)
    out = nodes.container(classes=["rgbook-disclosures"])
    for claim in claims.registry().values():
        if not (claim.log or claim.amends or claim.registration_note):
            continue
        entry = ledger.get(claim.id)
        head = nodes.paragraph()
        head += _badge(claims.record_verdict(records.get(claim.id)))
        head += nodes.Text(" ")
        ledger_uri = app.builder.get_relative_uri(docname, "book/ledger") + f"#claim-{_slug(claim.id)}"
        head += nodes.reference("", "", nodes.literal(text=claim.id), refuri=ledger_uri)
        if claim.title:
            head += nodes.Text(f": {claim.title}")
        out += head
        out += nodes.paragraph(text=_registration_line(claim, entry), classes=["rgbook-claim-counts"])
        if claim.log:
            out += _log_list(claim)
    return out


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _times_table(app, docname: str) -> nodes.Node:
    """Each code chapter's last execution seconds, and the last benchmarked build times."""
    root = _rgbook(app)
    from rgbook import build

    container = nodes.container(classes=["rgbook-build-times"])
    table, tbody = _table(
        ["chapter", "execution (s)", "threads", "executed (UTC)"], (40, 15, 10, 35), ["rgbook-ledger", "rgbook-times"]
    )
    total = 0.0
    for doc in build.code_chapters(root):  # book order
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
    container += nodes.paragraph(
        text=f"Sum of chapter execution times: {total:.0f} s (a cold build executes the chapters two at a time)."
    )
    bench = root / "_build" / "bench-build.json"
    if bench.is_file():
        times = json.loads(bench.read_text())
        lines = [
            f"cold build (make book from an empty _build): {times['cold_seconds']:.0f} s "
            f"(target 360 s; ratio {times['cold_seconds'] / 360:.2f})"
        ]
        if "warm_seconds" in times:
            lines.append(
                f"warm build (nothing changed, every chapter from the cache): {times['warm_seconds']:.1f} s; "
                f"ratio cold / warm {times['cold_seconds'] / times['warm_seconds']:.1f}"
            )
        if "pdf_seconds" in times:
            lines.append(f"PDF edition (make pdf after the warm build): {times['pdf_seconds']:.0f} s")
        for line in lines:
            container += nodes.paragraph(text=line)
    else:
        container += nodes.paragraph(
            text="Cold and warm build times were not measured for this build: run "
            "`make bench` (it builds the book from cold) and rebuild to show them here."
        )
    pdf = root / "_build" / "pdf-build.json"
    if pdf.is_file():
        info = json.loads(pdf.read_text())
        container += nodes.paragraph(
            text=(
                f"Last PDF edition (make pdf): {info.get('pages', '?')} pages in {info.get('total_seconds', 0):.0f} s "
                f"(one-page HTML {info.get('singlehtml_seconds', 0):.0f} s, "
                f"printing {info.get('print_seconds', 0):.0f} s, "
                f"text check {info.get('check_seconds', 0):.0f} s, "
                f"HTML re-linked {info.get('html_relink_seconds', 0):.0f} s)."
            )
        )
    return container


def _figure_captions(app, chapter: str, chapter_uri: str) -> dict[str, nodes.Node]:
    """Each ``fig-`` figure of ``chapter``: its resolved caption as a paragraph (links made absolute to the chapter)."""
    try:
        doctree = app.env.get_and_resolve_doctree(chapter, app.builder)
    except Exception:  # noqa: BLE001 - a chapter that cannot be read has no captions to show
        return {}
    out = {}
    for fig in doctree.findall(nodes.figure):
        labels = [i for i in fig["ids"] if i.startswith("fig-")] + [
            n for n in fig.get("names", []) if n.startswith("fig-")
        ]
        caption = fig.next_node(nodes.caption)
        if not labels or caption is None:
            continue
        para = nodes.paragraph(classes=["rgbook-gallery-caption"])
        for child in caption.children:
            para += child.deepcopy()
        for ref in list(para.findall(nodes.reference)):
            if ref.get("refid"):  # a link inside the chapter: point it at the chapter
                ref["refuri"] = f"{chapter_uri}#{ref['refid']}"
                del ref["refid"]
        for target in list(para.findall(nodes.target)):
            target.parent.remove(target)
        for node in [n for n in para.findall(nodes.Element) if n.get("ids")]:
            node["ids"] = []
        out[labels[0]] = para
    return out


def _gallery(app, docname: str) -> nodes.Node:
    """Every figure with saved files (``_build/figures/*.json``), in book order, as a card."""
    root = _rgbook(app)
    from rgbook import claims, figures

    records = claims.load_records(root)
    by_figure: dict[str, list] = {}
    for claim in claims.registry().values():
        if claim.figure:
            by_figure.setdefault(claim.figure, []).append(claim)
    metas = []
    for sidecar in sorted(_figures_dir(app).glob("*.json")) if _figures_dir(app).is_dir() else []:
        try:
            metas.append(json.loads(sidecar.read_text()))
        except (OSError, json.JSONDecodeError):
            continue
    order = {doc: i for i, doc in enumerate(figures.toc_files(root))}
    prefix = _relative_prefix(app, docname)

    def number_of(meta) -> tuple:
        return tuple(app.env.toc_fignumbers.get(meta.get("chapter"), {}).get("figure", {}).get(meta["label"], ()))

    metas.sort(key=lambda m: (order.get(m.get("chapter"), len(order)), number_of(m) or (999,), m["label"]))
    out = nodes.container(classes=["rgbook-gallery"])
    captions: dict[str, dict] = {}
    for meta in metas:
        label, chapter = meta["label"], meta.get("chapter", "")
        in_book = chapter in app.env.all_docs
        chapter_uri = app.builder.get_relative_uri(docname, chapter) if in_book else ""
        if in_book and chapter not in captions:
            captions[chapter] = _figure_captions(app, chapter, chapter_uri)
        number = ".".join(map(str, number_of(meta)))
        title = app.env.titles[chapter].astext() if chapter in app.env.titles else chapter
        card = nodes.container(classes=["rgbook-gallery-card"], ids=[f"gallery-{label}"])
        png = next((f for f in meta.get("files", []) if f.endswith(".png")), None)
        if png:
            image = nodes.image(
                uri=f"{prefix}figures/{png}",
                alt=f"Figure {number or label}",
                classes=["rgbook-thumb"],
                candidates={"*": f"{prefix}figures/{png}"},
            )
            target = f"{chapter_uri}#{label}" if in_book else f"{prefix}figures/{png}"
            link = nodes.reference("", "", image, refuri=target)
            card += nodes.paragraph("", "", link, classes=["rgbook-gallery-image"])
        head = nodes.paragraph(classes=["rgbook-gallery-head"])
        head += nodes.strong(text=f"Figure {number}" if number else "Figure (not shown in the book)")
        head += nodes.Text(f" ({label}) \u00b7 ")
        head += nodes.reference(text=title, refuri=chapter_uri) if in_book else nodes.Text(title)
        card += head
        caption = captions.get(chapter, {}).get(label)
        card += (
            caption.deepcopy()
            if caption is not None
            else nodes.paragraph(text="(This figure's file was saved but the figure is not shown in a chapter.)")
        )
        supported = by_figure.get(label, [])
        claims_para = nodes.paragraph(classes=["rgbook-gallery-claims"])
        claims_para += nodes.Text("Supports: " if supported else "Supports no registered claim (illustration).")
        for i, claim in enumerate(supported):
            if i:
                claims_para += nodes.Text("; ")
            verdict = claims.record_verdict(records.get(claim.id))
            claims_para += nodes.reference(
                "",
                "",
                nodes.literal(text=claim.id),
                refuri=app.builder.get_relative_uri(docname, "book/ledger") + f"#claim-{_slug(claim.id)}"
                if "book/ledger" in app.env.all_docs
                else f"{chapter_uri}",
            )
            if claim.title:
                claims_para += nodes.Text(f" ({claim.title})")
            claims_para += nodes.Text(" ")
            claims_para += _badge(verdict)
        card += claims_para
        card += _cite_paragraph(label, meta, number, nodes.Text(title), prefix)
        out += card
    if not metas:
        out += nodes.paragraph(text="No figure files were found in _build/figures: execute the chapters first.")
    return out


def _rgbook(app) -> Path:
    """The book root, with the book's own ``rgbook`` package first on ``sys.path``."""
    import sys

    root = str(Path(app.srcdir))
    if root not in sys.path:
        sys.path.insert(0, root)
    return Path(app.srcdir)


def _ledger_uri(app, docname: str, claim_id: str) -> str:
    if "book/ledger" not in app.env.all_docs:
        return ""
    if app.builder.name == "singlehtml":  # one page: the ledger's blocks are on it
        return f"#claim-{_slug(claim_id)}"
    return app.builder.get_relative_uri(docname, "book/ledger") + f"#claim-{_slug(claim_id)}"


def _id_badge(app, docname: str, claim_id: str, verdict: str) -> nodes.paragraph:
    """``[verdict] id`` with the id linked to its ledger entry."""
    para = nodes.paragraph(classes=["rgbook-answer-verdict"])
    para += _badge(verdict)
    para += nodes.Text(" ")
    uri = _ledger_uri(app, docname, claim_id)
    ident = nodes.literal(text=claim_id)
    para += nodes.reference("", "", ident, refuri=uri) if uri else ident
    return para


def _figure_link(app, docname: str, claim) -> nodes.Node | None:
    if claim is None or not claim.figure:
        return None
    number = app.env.toc_fignumbers.get(claim.chapter, {}).get("figure", {}).get(claim.figure)
    uri = (
        f"#{claim.figure}"
        if app.builder.name == "singlehtml"
        else app.builder.get_relative_uri(docname, claim.chapter) + f"#{claim.figure}"
    )
    return nodes.reference(text="Fig. " + ".".join(map(str, number)) if number else claim.figure, refuri=uri)


def _answer_table(app, docname: str) -> nodes.Node:
    """*The answer*: per paper its claim in one line, then one row per question (:mod:`rgbook.answer`).

    The sentence of each row is the one :func:`rgbook.answer.sentence_for` picks for the recorded
    verdicts; a recorded outcome without a sentence, or a claim id no chapter registers, is a warning
    (an error under ``-W``): the answer cannot drift from the ledger.
    """
    root = _rgbook(app)
    from rgbook import answer, claims

    records = claims.load_records(root)
    registry = claims.registry()
    verdicts = {cid: claims.record_verdict(rec) for cid, rec in records.items()}
    out = nodes.container(classes=["rgbook-answer"])
    table, tbody = _table(["question", "verdict", "the answer"], (22, 26, 52), ["rgbook-ledger", "rgbook-answer-table"])
    used: list[str] = []
    for paper in answer.PAPERS:
        head = nodes.row(classes=["rgbook-answer-paper"])
        para = nodes.paragraph()
        para += nodes.strong(text=paper.title)
        if paper.claim:
            para += nodes.Text(": " + paper.claim)
        head += nodes.entry("", para, morecols=2)
        tbody += head
        for q in paper.questions:
            row = nodes.row(classes=["rgbook-answer-row"])
            first = nodes.paragraph()
            first += nodes.strong(text=q.label)
            first += nodes.Text(". " + q.question)
            row += nodes.entry("", first)
            badges = nodes.paragraph(classes=["rgbook-answer-verdict"])  # inline: they wrap, compactly
            for i, cid in enumerate(q.claims):
                if i:
                    badges += nodes.Text(" \u00b7 ")
                if cid not in registry:
                    badges += nodes.Text(f"{cid}: not registered")
                    continue
                badges.extend(_id_badge(app, docname, cid, verdicts.get(cid, "not-run")).children)
                if cid not in used:
                    used.append(cid)
            row += nodes.entry("", badges)
            try:
                text = answer.sentence_for(q, verdicts, registered=set(registry))
            except LookupError as err:
                logger.warning(str(err), location=docname)
                text = "(No sentence states the recorded verdicts; see the ledger.)"
            sentence = nodes.paragraph(classes=["rgbook-answer-sentence"])
            sentence += nodes.Text(text + " ")
            link = _figure_link(app, docname, registry.get(q.figure or q.claims[0]))
            if link is not None:
                sentence += nodes.Text("(")
                sentence += link
                sentence += nodes.Text(")")
            row += nodes.entry("", sentence)
            tbody += row
    out += table
    # the ids of the table, defined in one line each (folded)
    out += nodes.raw(
        "",
        '<details class="rgbook-evidence rgbook-answer-ids"><summary>What the ids above test '
        f"({len(used)} claims; every id is in the ledger)</summary>",
        format="html",
    )
    items = nodes.bullet_list(classes=["rgbook-glossary"])
    for cid in used:
        para = nodes.paragraph()
        uri = _ledger_uri(app, docname, cid)
        para += nodes.reference("", "", nodes.literal(text=cid), refuri=uri) if uri else nodes.literal(text=cid)
        para += nodes.Text(": ")
        para += typeset(answer.one_line(registry[cid]))
        items += nodes.list_item("", para)
    out += items
    out += nodes.raw("", "</details>", format="html")
    return out


def _claim_verdicts(app, docname: str, node=None, page: str | None = None) -> nodes.Node:
    """A chapter's claims (``docname``), each as badge, id (linked to the ledger) and one line; links
    are relative to ``page`` (the one page of the singlehtml build, else the chapter)."""
    root = _rgbook(app)
    from rgbook import answer, claims

    records = claims.load_records(root)
    registry = claims.registry()
    ids = list(node.get("claim_ids") or []) if node is not None else []
    if not ids:
        ids = [c.id for c in registry.values() if c.chapter == docname]
    out = nodes.bullet_list(classes=["rgbook-claim-verdicts"])
    for cid in ids:
        claim = registry.get(cid)
        if claim is None:
            logger.warning(f"claim-verdicts names claim {cid!r}, which no chapter registers", location=docname)
            continue
        para = _id_badge(app, page or docname, cid, claims.record_verdict(records.get(cid)))
        reading = {"L": "the paper's literal claim", "RG": "standard physics", "X": "ours, beyond the papers"}.get(
            claim.reading, f"ours, Reading {claim.reading}"
        )
        if claim.amends:
            reading += f"; amends {claim.amends}, post hoc"
        para += nodes.Text(f" ({reading}): ")
        para += typeset(answer.one_line(claim))
        out += nodes.list_item("", para)
    if not ids:
        out += nodes.list_item("", nodes.paragraph(text="(this chapter registers no claim)"))
    return out


def _counts_table(app, docname: str) -> nodes.Node:
    """Recorded verdicts counted per paper (rows) and per verdict (columns)."""
    root = _rgbook(app)
    from rgbook import claims

    records = claims.load_records(root)
    registry = claims.registry()
    counts: dict[str, dict[str, int]] = {}
    for claim in registry.values():
        verdict = claims.record_verdict(records.get(claim.id))
        counts.setdefault(claim.paper, {}).setdefault(verdict, 0)
        counts[claim.paper][verdict] += 1
    shown = [v for v in claims.VERDICTS if any(c.get(v) for c in counts.values())]
    table, tbody = _table(
        ["paper"] + shown + ["all"], [12] + [14] * len(shown) + [8], ["rgbook-ledger", "rgbook-counts"]
    )
    head = table.next_node(nodes.thead).next_node(nodes.row)
    for entry, verdict in zip(list(head.children)[1:-1], shown):
        entry.children[0].replace_self(nodes.paragraph("", "", _badge(verdict)))
    for paper in [p for p in claims.PAPERS if p in counts]:
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph(text={"2D": "beyond (2D)"}.get(paper, f"Paper {paper}")))
        for verdict in shown:
            row += nodes.entry("", nodes.paragraph(text=str(counts[paper].get(verdict, 0))))
        row += nodes.entry("", nodes.paragraph(text=str(sum(counts[paper].values()))))
        tbody += row
    row = nodes.row(classes=["rgbook-counts-total"])
    row += nodes.entry("", nodes.paragraph(text="all"))
    for verdict in shown:
        row += nodes.entry("", nodes.paragraph(text=str(sum(c.get(verdict, 0) for c in counts.values()))))
    row += nodes.entry("", nodes.paragraph(text=str(len(registry))))
    tbody += row
    return table


def _glossary(app, docname: str) -> nodes.Node:
    """Every claim id in one line, grouped by paper: the ledger's in-page contents and its glossary."""
    root = _rgbook(app)
    from rgbook import answer, claims

    records = claims.load_records(root)
    out = nodes.container(classes=["rgbook-glossary"])
    by_paper: dict[str, list] = {}
    for claim in claims.registry().values():
        by_paper.setdefault(claim.paper, []).append(claim)
    for paper in [p for p in claims.PAPERS if p in by_paper]:
        out += nodes.paragraph("", "", nodes.strong(text={"2D": "Beyond the papers (2D)"}.get(paper, f"Paper {paper}")))
        items = nodes.bullet_list()
        for claim in by_paper[paper]:
            para = nodes.paragraph()
            para += _badge(claims.record_verdict(records.get(claim.id)))
            para += nodes.Text(" ")
            para += nodes.reference("", "", nodes.literal(text=claim.id), refuri=f"#claim-{_slug(claim.id)}")
            reading = {"L": "literal", "RG": "RG"}.get(claim.reading, f"{claim.reading}, ours")
            para += nodes.Text(f" ({reading}): ")
            para += typeset(answer.one_line(claim))
            items += nodes.list_item("", para)
        out += items
    return out


_LAYOUTS = {
    "summary": _summary_table,
    "ledger": _ledger_table,
    "times": _times_table,
    "gallery": _gallery,
    "disclosures": _disclosures,
    "answer": _answer_table,
    "counts": _counts_table,
    "glossary": _glossary,
}


def _doctree_resolved(app, doctree, docname: str) -> None:
    if app.builder.format != "html":
        return
    _cite_figures(app, doctree, docname)
    for node in list(doctree.findall(ledger_placeholder)):
        if node.get("layout") == "verdicts":
            node.replace_self(_claim_verdicts(app, _doc_of(node, docname), node, page=docname))
        else:
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
        logger.warning(
            "MathJax files not found: install the book extra (pip install -e '.[book]', "
            "which brings django-static-mathjax) so that the book renders math offline"
        )
        return
    dest = Path(app.outdir) / "_static" / "mathjax" / "es5"
    if not (dest / "tex-mml-chtml.js").is_file():
        shutil.copytree(src, dest, dirs_exist_ok=True)


#: Book-wide styles: breathing room in the tables that pandas writes into cell outputs.
_CSS = """div.cell_output table td, div.cell_output table th { padding: 0.15em 0.7em; }
div.cell_output table thead th { border-bottom: 1px solid #999; }
.rgbook-badge { display: inline-block; padding: 0.05em 0.55em; border-radius: 0.8em; font-size: 0.85em;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.rgbook-badge.rgbook-holds-and-discriminates, .rgbook-badge.rgbook-holds { background: #d8f0dc; color: #14532d;
  border-color: #86c595; }
.rgbook-badge.rgbook-holds-but-not-specific-to-training { background: #fdf0c8; color: #6b4e00; border-color: #e0c060; }
.rgbook-badge.rgbook-fails { background: #f9d7d7; color: #7f1d1d; border-color: #e08a8a; }
.rgbook-badge.rgbook-not-run { background: #e5e5e5; color: #333; }
.rgbook-claim { border-left: 4px solid #bbb; padding: 0.3em 0 0.3em 0.9em; margin: 1.1em 0; }
.rgbook-claim.rgbook-holds-and-discriminates, .rgbook-claim.rgbook-holds { border-left-color: #4caf66; }
.rgbook-claim.rgbook-holds-but-not-specific-to-training { border-left-color: #d9a400; }
.rgbook-claim.rgbook-fails { border-left-color: #d04040; }
.rgbook-claim p { margin: 0.25em 0; }
.rgbook-claim-counts { font-size: 0.85em; color: #555; }
.rgbook-claim details summary { cursor: pointer; font-size: 0.9em; }
table.rgbook-evidence { font-size: 0.85em; }
table.rgbook-evidence tr.rgbook-fail td:last-child { color: #9b1c1c; }
.rgbook-gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(19em, 1fr)); gap: 1.2em; }
.rgbook-gallery-card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6em 0.8em; font-size: 0.88em;
  break-inside: avoid; }
.rgbook-gallery-card p { margin: 0.3em 0; }
.rgbook-gallery-card img.rgbook-thumb { width: 100%; height: 11em; object-fit: contain; background: #fff; }
@media print { .rgbook-gallery { display: block; } .rgbook-gallery-card { margin-bottom: 0.8em; }
  .rgbook-gallery-card img.rgbook-thumb { height: 14em; } }
/* The answer: compact, one row per question, badges may wrap */
table.rgbook-answer-table { font-size: 0.86em; width: 100%; margin: 0.4em 0 0.6em 0; }
table.rgbook-answer-table td, table.rgbook-answer-table th { padding: 0.25em 0.5em; vertical-align: top; }
table.rgbook-answer-table p { margin: 0.1em 0; }
table.rgbook-answer-table tr.rgbook-answer-paper td { background: #f2f4f7; }
table.rgbook-answer-table .rgbook-badge { white-space: normal; font-size: 0.9em; }
.rgbook-answer-verdict { line-height: 1.5; }
ul.rgbook-claim-verdicts { list-style: none; padding-left: 0; }
ul.rgbook-claim-verdicts li { margin: 0.2em 0; }
.rgbook-glossary ul { margin-top: 0.1em; }
table.rgbook-counts th p, table.rgbook-counts td p { margin: 0; }
/* Claim and reconstruction boxes: a tested statement is never typeset as a theorem */
div.admonition.claim { border-left-color: #6b7bd6; }
div.admonition.claim > .admonition-title { background: #eef0fb; }
div.admonition.reconstruction { border-left-color: #4caf66; }
div.admonition.reconstruction > .admonition-title { background: #e4f4e7; }
/* Tables never wider than the text column: wide ones scroll */
div.cell_output div.output, div.cell_output .text_html { overflow-x: auto; max-width: 100%; }
div.cell_output table { display: block; overflow-x: auto; max-width: 100%; }
div.cell_output table td, div.cell_output table th { min-width: 5em; }
@media print {
  pre, div.highlight pre, .cell_input pre { white-space: pre-wrap !important; word-break: break-all;
    overflow-wrap: anywhere; overflow: visible !important; }
  div.cell_output table { display: table; overflow: visible; }
  details { display: block; }
  details > summary { list-style: none; }
}
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
    root = _rgbook(app)
    from rgbook import figures, notebooks

    try:
        notebooks.write_downloadable(
            pagename, Path(app.outdir) / "_sources" / f"{pagename}.ipynb", root=root, commit=figures.git_commit(root)
        )
    except KeyError:
        logger.warning(
            f"{pagename}: no execution of its current code cells in the execution cache, so no "
            "executed notebook to download (run python -m rgbook.build execute)",
            location=pagename,
        )
        return
    context["ipynb_source"] = f"{pagename}.ipynb"


def _book_pdf(app) -> Path:
    """The PDF edition written by ``make pdf`` (scripts/build_pdf.py)."""
    return Path(app.srcdir) / "_build" / "pdf" / "rgbook.pdf"


def _link_book_pdf(app, pagename, templatename, context, doctree) -> None:
    """Add "Book (PDF)" to the page's download menu when the PDF edition has been built."""
    if app.builder.name != "html" or not _book_pdf(app).is_file():
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"]("rgbook.pdf", 1),
                    "text": "Book (PDF)",
                    "tooltip": "The whole book as one PDF",
                    "icon": "fas fa-book",
                    "label": "download-book-pdf-button",
                }
            )


def _rewrite_for_new_pdf(app, env, added, changed, removed):
    """A new (or removed) PDF edition re-writes every HTML page, so that its download menu is current."""
    pdf = _book_pdf(app)
    stamp = pdf.stat().st_mtime_ns if pdf.is_file() else None
    if app.builder.name == "html" and getattr(env, "rgbook_pdf_stamp", None) != stamp:
        env.rgbook_pdf_stamp = stamp
        return sorted(env.found_docs)
    return []


def _copy_book_pdf(app, exception) -> None:
    if exception is None and app.builder.name == "html" and _book_pdf(app).is_file():
        shutil.copy2(_book_pdf(app), Path(app.outdir) / "rgbook.pdf")


def setup(app):
    app.add_node(ledger_placeholder)
    app.add_post_transform(FoldCells)
    app.add_directive("claims-ledger", ClaimsLedger)
    app.add_directive("claims-summary", ClaimsSummary)
    app.add_directive("claims-disclosures", ClaimsDisclosures)
    app.add_directive("build-times", BuildTimes)
    app.add_directive("answer-table", AnswerTable)
    app.add_directive("claims-counts", ClaimsCounts)
    app.add_directive("claims-glossary", ClaimsGlossary)
    app.add_directive("claim-verdicts", ClaimVerdicts)
    app.add_directive("figure-gallery", FigureGallery)
    app.connect("source-read", _note_execution_record)
    app.connect("doctree-read", _gallery_has_math)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("env-get-outdated", _always_rewrite_ledger)
    app.connect("build-finished", _copy_figure_files)
    app.connect("build-finished", _copy_mathjax)
    app.connect("build-finished", _write_css)
    app.add_css_file("rgbook.css")
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    # sphinx-book-theme builds the download menu at priority 501 and lists "ipynb_source".
    app.connect("html-page-context", _executed_notebook, priority=450)
    app.connect("html-page-context", _link_book_pdf, priority=510)  # after the theme's download menu
    app.connect("env-get-outdated", _rewrite_for_new_pdf)
    app.connect("build-finished", _copy_book_pdf)  # after the theme's handlers
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
