"""Command line of rgbook: python -m rgbook COMMAND (also installed as the script rgbook).

Commands:
  list                       every claim id with its chapter and recorded verdict
  show CLAIM                 where a claim lives: chapter, module, measure function (file:line),
                             statement and tolerances, figure files, recorded verdict, tests
  reproduce [CLAIM ...]      re-run claims on the book's protocol and compare each verdict with
                             the recorded one (records are left alone unless --record is given);
                             exits 1 while a verdict differs from its record
  ledger                     gather recorded verdicts into _build/claims.json
  figures [CHAPTER ...]      execute chapters headless (no HTML) and write every figure file

Records live under _build/claims/ of the book root: the nearest directory above the working
directory that holds _config.yml, or the directory named by the environment variable RGBOOK_ROOT.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import math
import os
import sys
import time
from pathlib import Path

from . import claims

#: Relative difference above which a re-measured number is reported as moved.
NUMBER_MOVED_RTOL = 1e-9


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m rgbook",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="claim ids with chapter and recorded verdict")
    show = sub.add_parser("show", help="where a claim lives: chapter, code, figure, record, tests")
    show.add_argument("claim", help="claim id, e.g. I.A2")
    rep = sub.add_parser("reproduce", help="re-run claims and compare with the recorded verdicts")
    rep.add_argument("claim", nargs="*", help="claim ids (default: every registered claim)")
    rep.add_argument("--record", action="store_true",
                     help="overwrite the records with the new results (default: records are left alone)")
    led = sub.add_parser("ledger", help="write _build/claims.json from the recorded results")
    led.add_argument("--require-all", action="store_true",
                     help="fail unless every registered claim was measured by the build")
    fig = sub.add_parser("figures", help="execute chapters headless and write every figure file")
    fig.add_argument("chapter", nargs="*", help="chapter names, e.g. ising_rg (default: every chapter in _toc.yml)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "figures":
        return write_figures(args.chapter)
    if args.command == "ledger":
        path = claims.write_ledger(expect=claims.registry() if args.require_all else ())
        print(f"claims ledger written to {path}")
        return 0
    registry = claims.registry()
    if args.command == "list":
        return list_claims(registry)
    wanted = [args.claim] if args.command == "show" else (args.claim or list(registry))
    unknown = [i for i in wanted if i not in registry]
    if unknown:
        print(f"unknown claim id(s) {unknown}; registered claims:", file=sys.stderr)
        for claim_id in registry:
            print(f"  {claim_id}", file=sys.stderr)
        return 2
    if args.command == "show":
        return show(registry[args.claim])
    return reproduce([registry[i] for i in wanted], record=args.record)


# ----------------------------------------------------------------------------------------
# list and show


def _status(record: dict | None) -> str:
    """The recorded verdict (three-valued for network claims; see :mod:`rgbook.claims`)."""
    return claims.record_verdict(record)


def _reading_label(claim: claims.Claim) -> str:
    return {"L": "L (the paper's literal claim)", "RG": "RG (standard physics)"}.get(
        claim.reading, f"{claim.reading} (ours: a stronger reading)")


def list_claims(registry: dict[str, claims.Claim]) -> int:
    """Print one line per registered claim: id, reading, chapter, recorded verdict."""
    records = claims.load_records()
    width = max((len(i) for i in registry), default=5)
    print(f"{'claim':{width}s}  {'reading':8s}  {'chapter':22s}  recorded verdict")
    for claim_id, claim in registry.items():
        reading = claim.reading + (" (ours)" if claim.ours else "")
        print(f"{claim_id:{width}s}  {reading:8s}  {claim.chapter:22s}  {_status(records.get(claim_id))}")
    return 0


def _print_rows(rows: list[dict], indent: str = "    ") -> None:
    """Recorded rows grouped by role; consistency rows apart ("cannot fail short of a bug")."""
    titles = {"evidence": "evidence",
              "control": "controls (never make the claim fail; decide whether it discriminates)",
              "consistency": "consistency checks (cannot fail short of a bug)"}
    for role in claims.ROLES:
        group = [r for r in rows if r.get("role", "evidence") == role]
        if not group:
            continue
        print(f"  {titles[role]}:")
        for r in group:
            mark = "pass" if r.get("passes") else "FAIL"
            print(f"{indent}[{mark}] {r['quantity']}: measured {r['measured']:.6g}, predicted {r['predicted']:.6g}, "
                  f"tolerance {r['tolerance']:g}")


def _relative(path: Path | str | None, root: Path) -> str:
    if path is None:
        return "?"
    path = Path(path).resolve()
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _source_location(obj, root: Path) -> str:
    """``path:line`` of a function or module (relative to the book root when inside it)."""
    try:
        path = inspect.getsourcefile(obj)
        line = inspect.getsourcelines(obj)[1] if inspect.isfunction(obj) or inspect.ismethod(obj) else None
    except (OSError, TypeError):
        return "source not found"
    where = _relative(path, root)
    return f"{where}:{line}" if line else where


def _figure_labels(claim: claims.Claim) -> list[str]:
    return [label for label in claim.figure.replace(",", " ").split() if label]


def _module_aliases(tree: ast.Module, module: str) -> set[str]:
    """Names under which a test file binds the chapter module ``module`` (e.g. ``ch``)."""
    short = module.rsplit(".", 1)[-1]
    package = module.rsplit(".", 1)[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == package:
            names |= {a.asname or a.name for a in node.names if a.name == short}
        elif isinstance(node, ast.ImportFrom) and node.module == module:
            names |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.asname or a.name for a in node.names if a.name == module}
    return names


def _test_functions(tree: ast.Module):
    """``(node id suffix, node)`` of every test function (module level and in ``Test*`` classes)."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            yield node.name, node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                    yield f"{node.name}::{item.name}", item


def _mentions(node: ast.AST, claim_id: str, names: set[str], module: str) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and (
            sub.value == claim_id or module in sub.value
        ):
            return True
        if isinstance(sub, ast.Name) and sub.id in names:
            return True
    return False


def tests_for(claim: claims.Claim, root: Path) -> list[str]:
    """Pytest node ids under ``root/tests`` that exercise ``claim``.

    A test exercises the claim when its body names the claim id or uses the claim's chapter
    module (imported under any alias). The per-claim smoke and structure tests are always
    listed when present.
    A file that names the claim or the module only outside test functions is listed as a whole.
    """
    tests_dir = root / "tests"
    found: list[str] = []
    smoke = tests_dir / "test_claim_smoke.py"
    if smoke.is_file():
        found.append(f"tests/test_claim_smoke.py::test_claim_smoke[{claim.id}]")
        if "def test_claim_structure" in smoke.read_text():
            found.append(f"tests/test_claim_smoke.py::test_claim_structure[{claim.id}]")
    for path in sorted(tests_dir.glob("test_*.py")) if tests_dir.is_dir() else []:
        if path == smoke:
            continue
        text = path.read_text()
        if claim.id not in text and claim.module.rsplit(".", 1)[-1] not in text:
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError:
            found.append(f"tests/{path.name} (does not parse)")
            continue
        names = _module_aliases(tree, claim.module)
        hits = [f"tests/{path.name}::{name}" for name, node in _test_functions(tree)
                if _mentions(node, claim.id, names, claim.module)]
        if not hits and (names or claim.id in text):
            hits = [f"tests/{path.name}"]
        found.extend(hits)
    return found


def show(claim: claims.Claim) -> int:
    """Print where ``claim`` lives: chapter, module, measure, statement, figures, record, tests."""
    root = claims.book_root()
    module = sys.modules[claim.module]
    record = claims.load_records(root).get(claim.id)
    doc = root / f"{claim.chapter}.md"
    print(f"{claim.id}  (paper {claim.paper}, reading {_reading_label(claim)})"
          + (f": {claim.title}" if claim.title else ""))
    print(f"  chapter    {claim.chapter}  ({_relative(doc, root) if doc.is_file() else f'{doc} missing'})")
    print(f"  module     {claim.module}  ({_source_location(module, root)})")
    print(f"  measure    {claim.function}  ({_source_location(inspect.unwrap(claim.measure), root)})")
    print(f"  paper      {claim.paper_claim}")
    print(f"  statement  {claim.text}")
    tolerances = ", ".join(f"{k} = {v:g}" for k, v in claim.tolerances.items()) or "none"
    print(f"  tolerances {tolerances}")
    figdir = root / "_build" / "figures"
    labels = _figure_labels(claim)
    if not labels:
        print("  figure     none")
    for label in labels:
        files = sorted(figdir.glob(f"{label}.*")) if figdir.is_dir() else []
        where = ", ".join(_relative(f, root) for f in files) if files else "not built yet"
        print(f"  figure     {label}: {where}")
    if record:
        rows = record.get("rows", [])
        passing = sum(bool(r.get("passes")) for r in rows)
        stale = "" if record.get("statement") == claim.text else " (recorded under a different statement)"
        path = _relative(root / "_build" / "claims" / f"{claim.id}.json", root)
        print(f"  recorded   {_status(record)} (status {record['status']}), {passing}/{len(rows)} rows pass "
              f"({path}){stale}")
        _print_rows(rows)
    else:
        print("  recorded   no record yet (build the book, or: python -m rgbook reproduce --record "
              f"{claim.id})")
    tests = tests_for(claim, root)
    print("  tests      " + ("\n             ".join(tests) if tests else "none found"))
    return 0


# ----------------------------------------------------------------------------------------
# reproduce


def _moved_rows(result: claims.Result, record: dict | None) -> list[str]:
    """Quantities whose measured value moved from the record by more than NUMBER_MOVED_RTOL (relative)."""
    if not record:
        return []
    before = {r["quantity"]: r["measured"] for r in record.get("rows", [])}
    moved = []
    for row in result.rows:
        old = before.get(row.quantity)
        if old is None:
            moved.append(f"{row.quantity} (new row)")
            continue
        if math.isnan(old) and math.isnan(row.measured):
            continue
        if not math.isclose(row.measured, old, rel_tol=NUMBER_MOVED_RTOL, abs_tol=1e-300):
            moved.append(f"{row.quantity}: {old!r} -> {row.measured!r}")
    return moved


def reproduce(selected: list[claims.Claim], *, record: bool = False) -> int:
    """Re-run ``selected`` claims on the book's protocol; return 1 if a verdict differs from its record.

    The records are compared against and left untouched, so a changed verdict is reported on
    every run until the book is rebuilt, unless ``record`` is true (then they are overwritten).
    """
    recorded = claims.load_records()
    changed, results = [], []
    for n, claim in enumerate(selected, 1):
        print(f"[{n}/{len(selected)}] running {claim.id} ...", flush=True)
        start = time.perf_counter()
        result = claims.check(claim, record_result=record)
        results.append(result)
        before = _status(recorded.get(claim.id))
        note = ""
        if before == "not-run":
            note = "  (no record to compare with)"
        elif before != result.verdict:
            note = f"  VERDICT CHANGED (recorded: {before})"
            changed.append(claim.id)
        print(f"{claim.id:28s} {result.verdict} ({len(result.rows)} rows, "
              f"{time.perf_counter() - start:.1f} s){note}", flush=True)
        if result.consistency:
            bad = sum(not r.passes for r in result.consistency)
            print(f"    consistency checks (cannot fail short of a bug): {len(result.consistency) - bad}/"
                  f"{len(result.consistency)} pass", flush=True)
        for line in _moved_rows(result, recorded.get(claim.id)):
            print(f"    number moved: {line}")
    print()
    print(claims.summary(results).to_string(index=False))
    if record:
        print(f"\nrecords overwritten for {len(results)} claim(s)")
    if changed:
        print(f"\nverdict differs from the record for: {', '.join(changed)}"
              + ("" if record else "  (records left unchanged; pass --record to accept)"))
        return 1
    return 0


# ----------------------------------------------------------------------------------------
# figures


def _toc_chapters(root: Path) -> list[str]:
    from .figures import toc_files

    return [f for f in toc_files(root) if "code-cell" in (root / f"{f}.md").read_text()]


def write_figures(chapters: list[str]) -> int:
    """Execute chapters (jupytext + nbclient, no Sphinx) with the book root as RGBOOK_ROOT."""
    # Optional (the book extra): imported only by this command.
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
        client = NotebookClient(nb, timeout=1800, kernel_name="python3",
                                resources={"metadata": {"path": str(root / "book")}})
        client.execute()
        print(f"        done in {time.perf_counter() - start:.1f} s", flush=True)
    files = sorted(p.name for p in out.glob("*")) if out.is_dir() else []
    print(f"{len(files)} figure files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
