"""Command line of rgbook: python -m rgbook COMMAND (also installed as the script rgbook).

Commands:
  list                       every claim id with its chapter and committed verdict
  show CLAIM                 where a claim lives: chapter, module, measure function (file:line),
                             statement and tolerances, registration and log, figure files,
                             recorded verdict, tests
  reproduce [CLAIM ...]      re-run claims on the book's protocol and compare them with the
                             committed record (verdicts.json); exits 1 on any difference
                             (--record also overwrites the build's records)
  verify                     compare the build's claim records (_build/claims/) with the committed
                             record (verdicts.json); exits 1 naming each claim and row that differs
  accept CLAIM ... | --all   take the build's records of these claims into verdicts.json (the only
                             way a verdict or row changes there; give the reason in the commit)
  audit [CLAIM ...]          read git history: each claim's registration, the commit that first
                             held its measuring code, and every later change of its statement,
                             tolerances or protocol; exits 1 if a change is not in the claim's log
  ledger                     gather recorded verdicts into _build/claims.json
  publish                    after execution (make book): ledger, HTML build (Jupyter Book, in this
                             process) and verify, importing the chapter modules once
  figures [CHAPTER ...]      execute chapters headless (no HTML) and write every figure file

Records live under _build/claims/ of the book root: the nearest directory above the working
directory that holds _config.yml, or the directory named by the environment variable RGBOOK_ROOT.
Errors (no book, no record, a bad RGBOOK_ROOT) are one line on stderr and exit status 2.
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
from . import record as verdict_record

#: Relative difference above which a re-measured number is reported as moved.
NUMBER_MOVED_RTOL = 1e-9


class UsageError(Exception):
    """A one-line error for the user (exit status 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m rgbook",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="claim ids with chapter and committed verdict")
    show = sub.add_parser("show", help="where a claim lives: chapter, code, figure, record, tests")
    show.add_argument("claim", help="claim id, e.g. I.A2")
    rep = sub.add_parser("reproduce", help="re-run claims and compare them with the committed record")
    rep.add_argument("claim", nargs="*", help="claim ids (default: every registered claim)")
    rep.add_argument(
        "--record", action="store_true", help="also overwrite the build's records (_build/claims/) with the new results"
    )
    ver = sub.add_parser("verify", help="compare the build's claim records with the committed record verdicts.json")
    ver.add_argument("claim", nargs="*", help="claim ids (default: every registered claim and every recorded one)")
    acc = sub.add_parser("accept", help="take the build's records of claims into verdicts.json")
    acc.add_argument("claim", nargs="*", help="claim ids")
    acc.add_argument("--all", action="store_true", help="every registered claim (and drop unregistered ones)")
    aud = sub.add_parser("audit", help="registration and changes of each claim, from git history")
    aud.add_argument("claim", nargs="*", help="claim ids (default: every registered claim)")
    aud.add_argument("--verbose", "-v", action="store_true", help="also list the logged changes")
    led = sub.add_parser("ledger", help="write _build/claims.json from the recorded results")
    led.add_argument(
        "--require-all", action="store_true", help="fail unless every registered claim was measured by the build"
    )
    sub.add_parser(
        "publish", help="ledger (every claim required), HTML build and verify in one process (make book's last step)"
    )
    fig = sub.add_parser("figures", help="execute chapters headless and write every figure file")
    fig.add_argument("chapter", nargs="*", help="chapter names, e.g. ising_rg (default: every chapter in _toc.yml)")
    return parser


def _root() -> Path:
    """The book root, or a one-line UsageError (no _config.yml found, or RGBOOK_ROOT names no book)."""
    env = os.environ.get("RGBOOK_ROOT")
    if env is not None:
        path = Path(env)
        if not (path / "_config.yml").is_file():
            raise UsageError(f"RGBOOK_ROOT={env!r} is not a book root (no _config.yml there)")
    try:
        return claims.book_root()
    except FileNotFoundError as exc:
        raise UsageError(f"{exc}") from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except UsageError as exc:
        print(f"rgbook: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into a reader that stopped early (`... | head`)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the interpreter flushes stdout at exit
        return 0


def _dispatch(args) -> int:
    root = _root()
    if args.command == "figures":
        return write_figures(args.chapter)
    if args.command == "ledger":
        try:
            from .audit import histories_or_empty

            path = claims.write_ledger(
                root, expect=claims.registry() if args.require_all else (), histories=histories_or_empty(root)
            )
        except RuntimeError as exc:
            raise UsageError(f"{exc} (build the book first: make book)") from None
        print(f"claims ledger written to {path}")
        return 0
    if args.command == "publish":
        return publish(root)
    registry = claims.registry()
    if args.command == "list":
        return list_claims(root, registry)
    if args.command == "verify":
        unknown = [i for i in args.claim if i not in registry]
        if unknown:
            raise UsageError(f"unknown claim id(s) {unknown}; `python -m rgbook list` lists the registered ones")
        return verify(root, registry, args.claim or None)
    if args.command == "accept":
        if args.all == bool(args.claim):
            raise UsageError("accept takes claim ids or --all (one of the two)")
    wanted = [args.claim] if args.command == "show" else (args.claim or list(registry))
    unknown = [i for i in wanted if i not in registry]
    if unknown:
        raise UsageError(f"unknown claim id(s) {unknown}; `python -m rgbook list` lists the registered ones")
    if args.command == "show":
        return show(registry[args.claim])
    if args.command == "accept":
        return accept(root, registry, wanted, drop_unregistered=args.all)
    if args.command == "audit":
        from . import audit

        return audit.main(root, wanted, verbose=args.verbose)
    return reproduce([registry[i] for i in wanted], record=args.record)


# ----------------------------------------------------------------------------------------
# make book's last step


def publish(root: Path) -> int:
    """Ledger, HTML and verify, as ``ledger --require-all``, ``jupyter-book build . --builder html -W -n
    --keep-going`` and ``verify`` would run them one after another, in one process.

    The chapter modules (and torch, which they import) are imported once instead of three times, and
    the git-history audit of the ledger runs in a forked child while they are imported. Stops at the
    first failing step with its exit status.
    """
    import multiprocessing

    from .audit import histories_or_empty

    # fork before anything heavy is imported: the child reads git history, the parent imports chapters
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pending = pool.apply_async(histories_or_empty, (root,))
        registry = claims.registry()
        histories = pending.get()
    try:
        path = claims.write_ledger(root, expect=registry, histories=histories)
    except RuntimeError as exc:
        raise UsageError(f"{exc} (execute the chapters first: make book)") from None
    print(f"claims ledger written to {path}")
    status = _jupyter_book_html(root)
    if status:
        return status
    return verify(root, registry)


def _jupyter_book_html(root: Path) -> int:
    """``jupyter-book build ROOT --builder html -W -n --keep-going`` in this process; its exit status."""
    from jupyter_book.cli.main import build

    try:
        build.main([str(root), "--builder", "html", "-W", "-n", "--keep-going"], standalone_mode=False)
    except SystemExit as exc:  # jupyter-book exits with Sphinx's status when the build fails
        return exc.code if isinstance(exc.code, int) else 1
    except RuntimeError as exc:  # ... and raises when Sphinx raised
        print(exc, file=sys.stderr)
        return 1
    return 0


# ----------------------------------------------------------------------------------------
# the committed record


def verify(root: Path, registry: dict[str, claims.Claim], ids: list[str] | None = None) -> int:
    """Compare ``_build/claims/*.json`` with ``verdicts.json`` (all claims, or ``ids``); 1 if any differs."""
    expected = verdict_record.load(root)
    if expected is None:
        raise UsageError(f"no committed record {verdict_record.RECORD_FILE} at {root}")
    records = claims.load_records(root)
    if not records:
        raise UsageError("no claim records in _build/claims/ (build the book first: make book)")
    problems = verdict_record.compare(
        {i: r for i, r in records.items() if i in registry}, expected, ids or sorted(set(registry) | set(expected))
    )
    for line in problems:
        print(f"record differs: {line}")
    if problems:
        print(
            f"\n{len(problems)} difference(s) from {verdict_record.RECORD_FILE}. If a change is intended, "
            "take it in with `python -m rgbook accept CLAIM ...` and give the reason in the commit message."
        )
        return 1
    print(f"every verdict and row equals {verdict_record.RECORD_FILE} ({len(ids or expected)} claims)")
    return 0


def accept(root: Path, registry: dict[str, claims.Claim], ids: list[str], *, drop_unregistered: bool) -> int:
    records = claims.load_records(root)
    missing = [i for i in ids if i not in records]
    if missing:
        raise UsageError(f"no build record for {missing} (execute their chapters first: make book)")
    for line in verdict_record.accept(root, records, ids):
        print(line)
    if drop_unregistered:
        gone = sorted(set(verdict_record.load(root) or {}) - set(registry))
        if gone:
            verdict_record.drop(root, gone)
            print(f"dropped claims no chapter registers: {gone}")
    print(f"{verdict_record.RECORD_FILE} rewritten: commit it with the reason for each change")
    return 0


# ----------------------------------------------------------------------------------------
# list and show


def _status(record: dict | None) -> str:
    """The recorded verdict (three-valued for network claims; see :mod:`rgbook.claims`)."""
    return claims.record_verdict(record)


def _reading_label(claim: claims.Claim) -> str:
    return {"L": "L (the paper's literal claim)", "RG": "RG (standard physics)"}.get(
        claim.reading, f"{claim.reading} (ours: a stronger reading)"
    )


def list_claims(root: Path, registry: dict[str, claims.Claim]) -> int:
    """Print one line per registered claim: id, reading, chapter, the verdict of the committed record
    (``verdicts.json``) and, where this tree's build says otherwise, the build's verdict."""
    committed = verdict_record.load(root) or {}
    built = claims.load_records(root)
    width = max((len(i) for i in registry), default=5)
    print(f"{'claim':{width}s}  {'reading':8s}  {'chapter':22s}  verdict ({verdict_record.RECORD_FILE})")
    for claim_id, claim in registry.items():
        reading = claim.reading + (" (ours)" if claim.ours else "")
        verdict = _status(committed.get(claim_id)) if claim_id in committed else "not in the record"
        line = f"{claim_id:{width}s}  {reading:8s}  {claim.chapter:22s}  {verdict}"
        if claim_id in built and _status(built[claim_id]) != verdict:
            line += f"  [this build: {_status(built[claim_id])}]"
        print(line)
    return 0


def _print_rows(rows: list[dict], indent: str = "    ") -> None:
    """Recorded rows grouped by role; consistency rows apart ("cannot fail short of a bug")."""
    titles = {
        "evidence": "evidence",
        "control": "controls (never make the claim fail; decide whether it discriminates)",
        "consistency": "consistency checks (cannot fail short of a bug)",
    }
    for role in claims.ROLES:
        group = [r for r in rows if r.get("role", "evidence") == role]
        if not group:
            continue
        print(f"  {titles[role]}:")
        for r in group:
            mark = "pass" if r.get("passes") else "FAIL"
            print(
                f"{indent}[{mark}] {r['quantity']}: measured {r['measured']:.6g}, predicted {r['predicted']:.6g}, "
                f"tolerance {r['tolerance']:g}"
            )


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
        if (
            isinstance(sub, ast.Constant)
            and isinstance(sub.value, str)
            and (sub.value == claim_id or module in sub.value)
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
        hits = [
            f"tests/{path.name}::{name}"
            for name, node in _test_functions(tree)
            if _mentions(node, claim.id, names, claim.module)
        ]
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
    print(
        f"{claim.id}  (paper {claim.paper}, reading {_reading_label(claim)})"
        + (f": {claim.title}" if claim.title else "")
    )
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
        print(
            f"  recorded   {_status(record)} (status {record['status']}), {passing}/{len(rows)} rows pass "
            f"({path}){stale}"
        )
        _print_rows(rows)
    else:
        print(f"  recorded   no record yet (build the book, or: python -m rgbook reproduce --record {claim.id})")
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
    """Re-run ``selected`` claims on the book's protocol and compare each with the committed record.

    Returns 1 when a verdict or a row differs from ``verdicts.json`` (or a claim is missing
    from it); the build's records are overwritten only when ``record`` is true.
    """
    root = _root()
    expected = verdict_record.load(root)
    if expected is None:
        raise UsageError(f"no committed record {verdict_record.RECORD_FILE} at {root} to compare with")
    recorded = claims.load_records(root)
    differing, results = [], []
    for n, claim in enumerate(selected, 1):
        print(f"[{n}/{len(selected)}] running {claim.id} ...", flush=True)
        start = time.perf_counter()
        result = claims.check(claim, record_result=record)
        results.append(result)
        problems = verdict_record.compare({claim.id: result.to_json()}, expected, [claim.id])
        note = "  equals the committed record" if not problems else f"  DIFFERS from {verdict_record.RECORD_FILE}"
        if problems:
            differing.append(claim.id)
        print(
            f"{claim.id:28s} {result.verdict} ({len(result.rows)} rows, {time.perf_counter() - start:.1f} s){note}",
            flush=True,
        )
        for line in problems:
            print(f"    {line}")
        for line in _moved_rows(result, recorded.get(claim.id)):
            print(f"    number moved from the build's record: {line}")
    print()
    print(claims.summary(results).to_string(index=False))
    if record:
        print(f"\nbuild records overwritten for {len(results)} claim(s)")
    if differing:
        print(f"\ndiffers from {verdict_record.RECORD_FILE}: {', '.join(differing)}")
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
        client = NotebookClient(
            nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(root / "book")}}
        )
        client.execute()
        print(f"        done in {time.perf_counter() - start:.1f} s", flush=True)
    files = sorted(p.name for p in out.glob("*")) if out.is_dir() else []
    print(f"{len(files)} figure files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
