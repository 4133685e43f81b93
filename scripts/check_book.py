"""Open every page of the built book in headless Chromium and check it as a reader would.

Checks per page: HTTP 200; no console errors or uncaught page errors; MathJax finished and
left no raw TeX in prose; every image loaded; every theorem-like box and every figure
caption carries a number; every download link to an executed notebook (``.ipynb``) or to the
PDF edition answers 200, every code chapter offers its notebook and, once ``make pdf`` has
run, every page offers the PDF; the figure gallery shows every figure of the chapter modules; no
page shows a stderr block (``.output.stderr``); no unfolded table is taller than two screens
(1800 px) or, as shown (a table in a scrolling box counts with the box's width), wider than the
text column. A full-page screenshot of each page is kept in ``_build/screenshots/``, with the
page's height printed.

*The answer*: the landing page (``book/intro``) and the conclusions are opened again in a
1400 x 900 window; a screenshot of what shows without scrolling is saved as
``_build/screenshots/answer-<page>.png``, and the verdict badges of *The answer*'s first row, and
at least one badge per paper row within the window, must be visible without scrolling.
Exits non-zero, listing every problem, if any check fails.

Uses Debian's Chromium (``/usr/bin/chromium``) through Playwright; never downloads a browser.
Usage: ``python scripts/check_book.py [BUILD_HTML_DIR]`` (default ``_build/html``).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

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

#: Time a page may take to load, typeset and settle, in milliseconds.
PAGE_TIMEOUT_MS = 120_000

RAW_TEX_JS = r"""
() => {
  const bad = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  const skip = (n) => n.parentElement
    && n.parentElement.closest('pre, code, script, style, mjx-container, .highlight, textarea');
  const pattern = /\\\(|\\\)|\\\[|\\\]|\$\$|\\frac|\\begin\{|\\mathrm|\\operatorname/;
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (!skip(n) && pattern.test(n.textContent)) bad.push(n.textContent.trim().slice(0, 80));
  }
  return bad;
}
"""

IMAGES_JS = """
() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))
"""

NUMBERS_JS = r"""
() => {
  const problems = [];
  document.querySelectorAll('figure, div.figure').forEach((f) => {
    const num = f.querySelector('.caption-number');
    if (!num || !/\d/.test(num.textContent)) problems.push('figure without number: ' + (f.id || '?'));
  });
  document.querySelectorAll('div.proof.theorem, div.theorem, div.proof.lemma, div.proof.proposition').forEach((t) => {
    const title = t.querySelector('.admonition-title');
    if (!title || !/\d/.test(title.textContent))
      problems.push('theorem without number: ' + (title ? title.textContent.slice(0, 60) : '?'));
  });
  return {problems, figures: document.querySelectorAll('figure .caption-number, div.figure .caption-number').length,
          theorems: document.querySelectorAll('div.theorem').length,
          math: document.querySelectorAll('mjx-container').length};
}
"""


#: Largest height of an unfolded table (two 900 px screens), in CSS pixels.
MAX_TABLE_HEIGHT = 1800

STDERR_JS = """
() => Array.from(document.querySelectorAll('.output.stderr, div.stderr, .cell_output .stderr'))
  .map(e => e.textContent.trim().slice(0, 80))
"""

TABLES_JS = r"""
(maxHeight) => {
  const main = document.querySelector('main article, article.bd-article, main') || document.body;
  const column = main.getBoundingClientRect().width;
  const out = [];
  document.querySelectorAll('table').forEach((t, i) => {
    const r = t.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || t.closest('details:not([open])')) return;   // folded
    let shown = r.width;
    for (let e = t.parentElement; e && e !== document.body; e = e.parentElement) {
      const ox = getComputedStyle(e).overflowX;
      if (ox === 'auto' || ox === 'scroll') { shown = Math.min(shown, e.getBoundingClientRect().width); break; }
    }
    const name = (t.closest('[id]') || {}).id || ('table ' + i);
    if (r.height > maxHeight) out.push(`unfolded table ${name} is ${Math.round(r.height)} px tall (max ${maxHeight})`);
    if (shown > column + 2)
      out.push(`table ${name} is ${Math.round(shown)} px wide, the text column ${Math.round(column)} px`);
  });
  return out;
}
"""

ANSWER_JS = r"""
() => {
  const table = document.querySelector('table.rgbook-answer-table');
  if (!table) return {error: 'no table of The answer on the page'};
  const h = window.innerHeight, w = window.innerWidth;
  const visible = (e) => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.bottom <= h && r.left >= 0 && r.right <= w; };
  const rows = Array.from(table.querySelectorAll('tr.rgbook-answer-row'));
  const badges = Array.from(table.querySelectorAll('.rgbook-badge'));
  const first = rows.length ? Array.from(rows[0].querySelectorAll('.rgbook-badge')) : [];
  return {rows: rows.length, badges: badges.length, visible: badges.filter(visible).length,
          first: first.length, firstVisible: first.filter(visible).length,
          top: Math.round(table.getBoundingClientRect().top)};
}
"""

DOWNLOADS_JS = r"""
() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)
  .filter(h => /\.(ipynb|pdf)(#.*)?$/.test(h) && !h.includes('/_images/'))
"""


def _expected_figures() -> set[str]:
    """Every figure label of the chapter modules (the gallery must show each)."""
    import importlib

    from rgbook.chapters import CHAPTER_MODULES

    return {f for m in CHAPTER_MODULES for f in importlib.import_module(f"rgbook.chapters.{m}").FIGURES}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no access log on the console
        pass


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def pages(root: Path) -> list[Path]:
    """The book's pages: the landing page and every file named in ``_toc.yml``."""
    from rgbook.figures import toc_files

    out = [root / "index.html"] + [root / f"{f}.html" for f in toc_files(root.parent.parent)]
    missing = [p for p in out if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"pages named in _toc.yml are missing from the build: {missing}")
    return out


def check_answer(browser, port: int, shots: Path) -> list[str]:
    """*The answer* above the fold: a 1400 x 900 screenshot of the landing page and the conclusions each,
    and the first row's verdict badges (and one per row in view) visible without scrolling."""
    problems = []
    for doc in ("book/intro", "book/conclusions"):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.goto(f"http://127.0.0.1:{port}/{doc}.html", wait_until="networkidle")
        if page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\"]')"):
            page.wait_for_function("() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise")
            page.evaluate("() => window.MathJax.startup.promise")
        page.evaluate("() => window.scrollTo(0, 0)")
        shot = shots / f"answer-{doc.removeprefix('book/')}.png"
        page.screenshot(path=str(shot))  # the window only: what a reader sees without scrolling
        info = page.evaluate(ANSWER_JS)
        page.close()
        if "error" in info:
            problems.append(f"{doc}: {info['error']}")
            continue
        print(
            f"answer {doc:18}  table top {info['top']} px; {info['visible']} of {info['badges']} verdict badges "
            f"visible without scrolling (first row {info['firstVisible']} of {info['first']}); screenshot {shot}"
        )
        if info["first"] == 0 or info["firstVisible"] < info["first"]:
            problems.append(
                f"{doc}: the verdict badges of The answer's first row are not all visible in a 1400 x 900 "
                f"window ({info['firstVisible']} of {info['first']})"
            )
        if info["visible"] == 0:
            problems.append(f"{doc}: no verdict badge of The answer is visible without scrolling")
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "_build/html").resolve()
    if not (root / "index.html").is_file():
        print(f"no built book at {root}: run `make book` first", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    shots = root.parent / "screenshots"
    shots.mkdir(exist_ok=True)
    server, port = _serve(root)
    failures: list[str] = []
    from rgbook.chapters import CHAPTER_MODULES

    code_chapters = set(CHAPTER_MODULES)
    has_pdf = (root / "rgbook.pdf").is_file()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path in pages(root):
            rel = path.relative_to(root).as_posix()
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            # generous: a loaded 2-core machine typesets the longest pages (2000 formulas) in tens of seconds;
            # a slow page is not an error, a page that never settles still fails
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            errors: list[str] = []
            failed: list[str] = []
            # A failed request is reported by its URL below; its console twin ("Failed to load resource")
            # carries no URL, so it is replaced by that list. A missing /favicon.ico (requested by the
            # browser on its own for the redirect page) is not part of the book and is ignored.
            page.on(
                "response",
                lambda r, failed=failed: (
                    failed.append(f"{r.status} {r.url}")
                    if r.status >= 400 and not r.url.endswith("/favicon.ico")
                    else None
                ),
            )
            page.on(
                "console",
                lambda m, errors=errors: (
                    errors.append(m.text)
                    if m.type == "error" and not m.text.startswith("Failed to load resource")
                    else None
                ),
            )
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            response = page.goto(f"http://127.0.0.1:{port}/{rel}", wait_until="networkidle")
            uses_mathjax = page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\"]')")
            if uses_mathjax:
                page.wait_for_function(
                    "() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise",
                    timeout=PAGE_TIMEOUT_MS,
                )
                page.evaluate("() => window.MathJax.startup.promise")
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            problems = []
            if response is None or response.status != 200:
                problems.append(f"HTTP status {None if response is None else response.status}")
            problems += [f"console error: {e}" for e in errors]
            problems += [f"failed request: {f}" for f in failed]
            problems += [f"raw TeX left: {t!r}" for t in page.evaluate(RAW_TEX_JS)]
            problems += [f"image not loaded: {src}" for src in page.evaluate(IMAGES_JS)]
            numbers = page.evaluate(NUMBERS_JS)
            problems += numbers["problems"]
            links = sorted(set(page.evaluate(DOWNLOADS_JS)))
            for url in links:
                status = page.request.get(url).status
                if status != 200:
                    problems.append(f"download link answers {status}: {url}")
            chapter = rel.removeprefix("book/").removesuffix(".html")
            if chapter in code_chapters and not any(u.endswith(f"{chapter}.ipynb") for u in links):
                problems.append("no executed notebook (.ipynb) offered")
            if has_pdf and not any(u.endswith(".pdf") and "rgbook" in u for u in links):
                problems.append("no link to the PDF edition")
            problems += [f"stderr block shown: {t!r}" for t in page.evaluate(STDERR_JS)]
            problems += page.evaluate(TABLES_JS, MAX_TABLE_HEIGHT)
            height = page.evaluate("() => document.documentElement.scrollHeight")
            if chapter == "gallery":
                html = page.content()
                missing = sorted(f for f in _expected_figures() if f not in html)
                problems += [f"gallery does not show {f}" for f in missing]
            page.screenshot(path=str(shots / (rel.replace("/", "__").removesuffix(".html") + ".png")), full_page=True)
            page.close()
            status = "ok" if not problems else "FAIL"
            print(
                f"{status:4}  {rel:28}  math={numbers['math']:4d}  figures={numbers['figures']:2d}  "
                f"theorems={numbers['theorems']:2d}  height={height} px"
            )
            failures += [f"{rel}: {p}" for p in problems]
        failures += check_answer(browser, port, shots)
        browser.close()
    server.shutdown()
    print(f"screenshots in {shots}")
    if failures:
        print("\n".join(["", "problems:"] + failures), file=sys.stderr)
        return 1
    print(f"all {len(pages(root))} pages passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
