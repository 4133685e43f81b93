"""`make pdf`: the whole book as one PDF, printed offline by Debian's Chromium, then checked as text.

1. ``jupyter-book build . --builder singlehtml -W -n --keep-going``: every chapter rendered from
   the execution cache into one page (``_build/singlehtml/rgbook.html``; nothing executes);
2. that page is served on 127.0.0.1 and opened in headless ``/usr/bin/chromium`` through
   Playwright (never a downloaded browser); MathJax, served by the book itself
   (``_static/mathjax``, no CDN), typesets every formula; every folded block (``<details>``:
   the ledger's evidence tables; toggled cells) is opened; a printed contents page (every
   chapter with its page) is put in front; the page is printed to ``_build/pdf/rgbook.pdf`` (A4,
   page numbers in the footer), twice: the first print finds the page each chapter starts on
   (``pdftotext``), the second prints the contents with those numbers; long code lines wrap;
3. the text of the PDF (``pdftotext``, from Debian's poppler-utils) must contain, as the HTML
   shows them: every figure number ("Fig. 3.1"), every claim id preceded by its verdict (the
   ledger's order), and every glued number of the chapters (``{glue:text}``, as printed in the
   HTML); the check fails listing what is missing;
4. the HTML book is rebuilt (the Sphinx extension copies the PDF to ``_build/html/rgbook.pdf``
   and re-writes every page, nothing executes) so that each page's download menu links it
   ("Book (PDF)").

Writes ``_build/pdf-build.json`` (seconds per step, pages, bytes), which ``make bench`` prints
and the Performance appendix shows. Exits non-zero, saying why, on any failure.
Usage: ``python scripts/build_pdf.py [--no-html]`` (``--no-html``: skip step 4).
"""

from __future__ import annotations

import functools
import html as html_lib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
SINGLE = BUILD / "singlehtml"
PDF = BUILD / "pdf" / "rgbook.pdf"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
BIN = Path(sys.executable).parent

FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
    'rgbook &middot; page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)

# Print layout: the one-page book without the site chrome (navigation, buttons, search).
PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .bd-footer, .bd-footer-article,
.header-article, .prev-next-area, .bd-search, .search-button-field, .theme-switch-button, .sidebar-toggle,
#pst-back-to-top, .headerlink, .copybtn, .toggle-button, .bd-footer-content { display: none !important; }
.bd-main, .bd-content, .bd-article-container, .bd-page-width { max-width: 100% !important; width: 100% !important;
  padding: 0 !important; margin: 0 !important; }
.bd-article { padding: 0 !important; }
span[id^="document-"] + section { break-before: page; }
figure, .rgbook-gallery-card, tr, .rgbook-claim > p { break-inside: avoid; }
.rgbook-claim-head, .rgbook-claim-statement, h1, h2, h3 { break-after: avoid; }
summary { display: block; list-style: none; font-weight: 600; break-after: avoid; }
.pst-scrollable-table-container, .table-wrapper, div.cell_output { overflow: visible !important; }
a { color: inherit !important; text-decoration: none !important; }
pre, div.highlight pre, .cell_input pre, .output pre { white-space: pre-wrap !important; overflow-wrap: anywhere;
  word-break: break-word; overflow: visible !important; }
#rgbook-print-contents { break-after: page; }
#rgbook-print-contents ol { list-style: none; padding: 0; margin: 0; }
#rgbook-print-contents li { display: flex; justify-content: space-between; gap: 1em; padding: 0.18em 0;
  border-bottom: 1px dotted #bbb; font-size: 0.95em; }
#rgbook-print-contents li.rgbook-part { border: none; font-weight: 700; margin-top: 0.7em; }
"""

#: A contents page in front of the book: every chapter (the section after each ``span[id^="document-"]``),
#: with a page number
#: filled in after the first print; returns the chapters' titles in order.
CONTENTS_JS = r"""
() => {
  const main = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const clean = (t) => t.replace(/[#¶]/g, '').replace(/\s+/g, ' ').trim();
  // singlehtml marks each document with an empty <span id="document-..."> followed by its section
  const sections = Array.from(document.querySelectorAll('span[id^="document-"]'))
    .map((m) => m.nextElementSibling).filter((s) => s && s.tagName === 'SECTION');
  const nav = document.createElement('nav');
  nav.id = 'rgbook-print-contents';
  const head = document.createElement('h1');
  head.textContent = 'Contents';
  nav.appendChild(head);
  const ol = document.createElement('ol');
  const titles = [];
  sections.forEach((s) => {
    const h = s.querySelector('h1, h2');
    if (!h) return;
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = '#' + s.id;
    a.textContent = clean(h.textContent);
    const page = document.createElement('span');
    page.className = 'rgbook-toc-page';
    page.dataset.i = String(titles.length);
    page.textContent = '000';
    li.appendChild(a);
    li.appendChild(page);
    ol.appendChild(li);
    titles.push(a.textContent);
  });
  nav.appendChild(ol);
  main.insertBefore(nav, main.firstChild);
  return titles;
}
"""

SET_PAGES_JS = """
(pages) => document.querySelectorAll('.rgbook-toc-page').forEach((e) => { e.textContent = pages[+e.dataset.i] || ''; })
"""


def chapter_pages(pdf: Path, titles: list[str]) -> list[str]:
    """The page each chapter starts on: the first page (after the contents) whose head holds its title."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [_norm(t).strip() for t in text.split("\f")]
    out, start = [], 1
    for title in titles:
        key = _norm(title).strip()[:60]
        # the title heads its page; a part caption or a wrapped line may come before it
        # pdftotext drops a hyphen at a line end ("coarse-|grainings" -> "coarsegrainings"): compare without
        bare = key.replace("-", "")
        found = next((k for k in range(start, len(pages)) if bare in pages[k][:400].replace("-", "")), None)
        out.append("" if found is None else str(found + 1))
        if found is not None:
            start = found
    return out


OPEN_ALL_JS = """
() => {
  const n = document.querySelectorAll('details').length;
  // A <details> does not break across printed pages: print its content as a plain block.
  document.querySelectorAll('details').forEach((d) => {
    const div = document.createElement('div');
    div.className = d.className;
    while (d.firstChild) div.appendChild(d.firstChild);
    d.replaceWith(div);
  });
  document.querySelectorAll('img').forEach((i) => { i.loading = 'eager'; });
  document.querySelectorAll('.toggle-hidden').forEach((e) => e.classList.remove('toggle-hidden'));
  document.querySelectorAll('[hidden]').forEach((e) => e.removeAttribute('hidden'));
  return n;
}
"""


def run(cmd: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-6000:])
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd)}")
    return time.perf_counter() - start


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def single_page(single: Path) -> Path:
    """The one page of the singlehtml build, moved to the top of the output.

    Sphinx writes it under the root document's name (``book/intro.html``) but computes its
    links as if it were at the top (``_static/...``), so it is copied to ``rgbook.html`` there.
    """
    import yaml

    root_doc = yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]
    page = single / "rgbook.html"
    shutil.copy2(single / f"{root_doc}.html", page)
    return page


def print_pdf(single: Path, out: Path) -> dict:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(single))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out.parent.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.on(
                "response",
                lambda r: (
                    failed.append(f"{r.status} {r.url}")
                    if r.status >= 400 and not r.url.endswith(("/favicon.ico", "/searchindex.js"))
                    else None
                ),
            )
            url = f"http://127.0.0.1:{server.server_address[1]}/{single_page(single).name}"
            page.goto(url, wait_until="networkidle", timeout=180_000)
            page.wait_for_function(
                "() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise", timeout=120_000
            )
            page.evaluate("() => window.MathJax.startup.promise")
            math = page.evaluate("() => document.querySelectorAll('mjx-container').length")
            details = page.evaluate(OPEN_ALL_JS)
            titles = page.evaluate(CONTENTS_JS)
            page.add_style_tag(content=PRINT_CSS)
            page.emulate_media(media="print")
            page.wait_for_function("() => Array.from(document.images).every((i) => i.complete)", timeout=120_000)
            broken = page.evaluate(
                "() => Array.from(document.images).filter((i) => !i.naturalWidth).map((i) => i.getAttribute('src'))"
            )
            if broken:
                raise SystemExit(f"{len(broken)} image(s) did not load: {broken[:5]}")
            options = dict(
                format="A4",
                print_background=True,
                prefer_css_page_size=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                outline=True,
                tagged=True,
            )
            page.pdf(path=str(out), **options)  # first print: where does each chapter start?
            numbers = chapter_pages(out, titles)
            page.evaluate(SET_PAGES_JS, numbers)
            page.pdf(path=str(out), **options)  # second print: the contents with its page numbers
            browser.close()
    finally:
        server.shutdown()
    # (singlehtml writes no search index: the theme's search asks for it in vain; not part of the PDF)
    if failed:
        raise SystemExit("requests failed while printing: " + ", ".join(failed[:10]))
    missing = [t for t, n in zip(titles, numbers) if not n]
    if not titles or missing:
        raise SystemExit(f"printed contents: no page found for {missing or 'any chapter'}")
    return {"math": math, "details_opened": details, "contents": len(titles)}


def _norm(text: str) -> str:
    text = text.replace("\u00ad", "").replace("\ufb01", "fi").replace("\ufb02", "fl")
    text = re.sub(r"-\s*\n\s*", "-", text)  # a hyphenated id broken over two lines
    return re.sub(r"\s+", " ", text)


def expected(single_html: str) -> dict[str, list[str]]:
    """What the HTML shows that the PDF must show: figure numbers, glued numbers."""
    figs = re.findall(r'<span class="caption-number">\s*(Fig\.\s*[\d.]+)', single_html)
    glued = re.findall(r'<span class="pasted-text">([^<]*)</span>', single_html)
    return {
        "figures": sorted({re.sub(r"\s+", " ", f).rstrip(".").strip() for f in figs}),
        "glued": sorted({html_lib.unescape(g).strip() for g in glued if g.strip()}),
    }


def _near_heading(flat: str, cid: str, verdict: str, window: int = 250) -> bool:
    """The verdict badge within ``window`` characters before the claim's ledger heading ``<id> (Paper ...``.

    The badge is an inline block: at a page break pdftotext may emit it a few lines before the
    heading, after the end of the previous claim's table, instead of right before the id.
    """
    for m in re.finditer(re.escape(cid) + r" \(Paper", flat):
        if verdict in flat[max(0, m.start() - window) : m.start()]:
            return True
    return False


def check_text(text: str, single_html: str) -> tuple[list[str], dict]:
    sys.path.insert(0, str(ROOT))
    from rgbook import claims

    want = expected(single_html)
    flat = _norm(text)
    # pdftotext drops a hyphen at a line end (1.46e-|04 -> 1.46e04): also compare without hyphens
    bare = flat.replace("-", "")

    def found(pattern: str) -> bool:
        return bool(re.search(pattern, flat) or re.search(pattern.replace("\\-", "").replace("-", ""), bare))

    problems = []
    missing_figs = [f for f in want["figures"] if not found(re.escape(f).replace(r"\ ", r"\s*") + r"(?!\d)")]
    problems += [f"figure number {f!r} not in the PDF text" for f in missing_figs]
    records = claims.load_records(ROOT)
    claim_ids = list(claims.registry())
    for cid in claim_ids:
        verdict = claims.record_verdict(records.get(cid))
        pattern = re.escape(verdict) + r"\s*" + re.escape(cid) + r"(?![\w.])"
        if not (found(pattern) or _near_heading(flat, cid, verdict)):
            problems.append(f"claim {cid} with verdict {verdict!r} (ledger order: verdict, id) not in the PDF text")
    unnumbered = len(re.findall(r"Cite this figure: Figure,", flat))
    if unnumbered:
        problems.append(f"{unnumbered} 'Cite this figure' line(s) without a figure number")
    missing_glue = [g for g in want["glued"] if not found(re.escape(_norm(g)))]
    problems += [f"glued value {g!r} not in the PDF text" for g in missing_glue]
    counts = {"figure_numbers": len(want["figures"]), "claims": len(claim_ids), "glued_values": len(want["glued"])}
    return problems, counts


def main(argv: list[str]) -> int:
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    if shutil.which("pdftotext") is None:
        print("pdftotext not found: install Debian's poppler-utils (apt-get install poppler-utils)", file=sys.stderr)
        return 2
    total = time.perf_counter()
    times = {}
    env_jb = [str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"]
    times["singlehtml_seconds"] = run(env_jb + ["--builder", "singlehtml"])
    start = time.perf_counter()
    info = print_pdf(SINGLE, PDF)
    times["print_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(PDF), "-"], check=True, capture_output=True, text=True
    ).stdout
    pdfinfo = subprocess.run(["pdfinfo", str(PDF)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", pdfinfo, re.M).group(1))
    problems, counts = check_text(text, (SINGLE / "rgbook.html").read_text())
    times["check_seconds"] = time.perf_counter() - start
    (BUILD / "pdf" / "rgbook.txt").write_text(text)
    if problems:
        print("\n".join(["PDF text check failed:"] + problems), file=sys.stderr)
        return 1
    print(
        f"PDF: {PDF.relative_to(ROOT)}, {pages} pages, {PDF.stat().st_size / 1e6:.1f} MB; {info['math']} formulas "
        f"typeset, {info['details_opened']} folded blocks opened; text check: {counts['figure_numbers']} figure "
        f"numbers, {counts['claims']} claims with their verdicts, {counts['glued_values']} glued values found"
    )
    if "--no-html" not in argv:
        times["html_relink_seconds"] = run(env_jb + ["--builder", "html"])
    times["total_seconds"] = time.perf_counter() - total
    record = {**{k: round(v, 1) for k, v in times.items()}, "pages": pages, "bytes": PDF.stat().st_size, **counts}
    (BUILD / "pdf-build.json").write_text(json.dumps(record, indent=2))
    print("PDF build: " + ", ".join(f"{k.removesuffix('_seconds')} {v:.1f} s" for k, v in times.items()))
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
