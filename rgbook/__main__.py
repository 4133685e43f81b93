"""Command line: ``python -m rgbook`` (also installed as ``rgbook``).

``rgbook reproduce [CLAIM ...]`` re-runs claims headless, prints their verdicts and exits
non-zero if a verdict differs from the one recorded by the last build;
``rgbook ledger`` gathers recorded results into ``_build/claims.json``;
``rgbook figures [CHAPTER ...]`` executes the chapters headless (no HTML build) so that every
figure is written to ``_build/figures/`` with its provenance sidecar.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import claims


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rgbook", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("reproduce", help="re-run claims and print their verdicts")
    rep.add_argument("claim", nargs="*", help="claim ids (default: all registered)")
    led = sub.add_parser("ledger", help="write _build/claims.json from recorded results")
    led.add_argument("--require-all", action="store_true",
                     help="fail unless every registered claim was measured by the build")
    fig = sub.add_parser("figures", help="execute chapters headless and write every figure file")
    fig.add_argument("chapter", nargs="*", help="chapter names, e.g. ising_rg (default: every chapter in _toc.yml)")
    args = parser.parse_args(argv)

    if args.command == "figures":
        return write_figures(args.chapter)
    if args.command == "ledger":
        path = claims.write_ledger(expect=claims.REGISTRY if args.require_all else ())
        print(f"claims ledger written to {path}")
        return 0
    ids = args.claim or list(claims.REGISTRY)
    unknown = [i for i in ids if i not in claims.REGISTRY]
    if unknown:
        parser.error(f"unknown claim ids {unknown}; registered: {sorted(claims.REGISTRY)}")
    recorded = claims.load_records()
    changed = 0
    results = []
    for n, claim_id in enumerate(ids, 1):
        print(f"[{n}/{len(ids)}] running {claim_id} ...", flush=True)
        start = time.perf_counter()
        result = claims.check(claim_id)
        results.append(result)
        print(f"        done in {time.perf_counter() - start:.1f} s", flush=True)
        before = recorded.get(claim_id, {}).get("status", "not-run")
        note = "" if before in ("not-run", result.status) else f"  VERDICT CHANGED (recorded: {before})"
        print(f"{claim_id:28s} {result.status:6s} ({len(result.rows)} rows){note}")
        changed += bool(note)
    print()
    print(claims.summary(results).to_string(index=False))
    return 1 if changed else 0


def _toc_chapters(root: Path) -> list[str]:
    from .figures import toc_files

    return [f for f in toc_files(root) if "code-cell" in (root / f"{f}.md").read_text()]


def write_figures(chapters: list[str]) -> int:
    """Execute chapters (jupytext + nbclient, no Sphinx) with the book root as RGBOOK_ROOT."""
    import jupytext
    from nbclient import NotebookClient

    root = claims.book_root()
    available = _toc_chapters(root)
    wanted = [c if c.startswith("book/") else f"book/{c}" for c in chapters] or available
    unknown = [c for c in wanted if c not in available]
    if unknown:
        print(f"unknown chapters {unknown}; chapters with code: {available}", file=sys.stderr)
        return 2
    os.environ["RGBOOK_ROOT"] = str(root)
    out = root / "_build" / "figures"
    for n, chapter in enumerate(wanted, 1):
        print(f"[{n}/{len(wanted)}] executing {chapter} ...", flush=True)
        start = time.perf_counter()
        nb = jupytext.read(root / f"{chapter}.md")
        NotebookClient(nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(root / "book")}}).execute()
        print(f"        done in {time.perf_counter() - start:.1f} s", flush=True)
    files = sorted(p.name for p in out.glob("*")) if out.is_dir() else []
    print(f"{len(files)} figure files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
