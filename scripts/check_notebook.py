"""Run a downloaded executed notebook as a reader would: in an empty directory, installed package only.

First checks that every code chapter offers its notebook (valid nbformat 4, ``python3``
kernelspec, with outputs). Then copies ``_build/html/_sources/book/<chapter>.ipynb`` (what
the chapter's download menu links) into a fresh temporary directory, checks that it is a
valid nbformat 4 notebook with the ``python3`` kernelspec, and executes it there with
nbclient: the working directory holds nothing but the notebook, ``RGBOOK_ROOT`` and
``PYTHONPATH`` are unset, so the kernel imports the installed ``rgbook`` and the notebook's
added first cell sends the chapter's files to ``./rgbook-output``. Checks that every code
cell ran without error, that the chapter wrote its execution record there, and that the
glued numbers of the re-run equal the downloaded ones (same code, same seeds). Exits
non-zero, saying why, otherwise.

Usage: ``python scripts/check_notebook.py [CHAPTER ...] [--html BUILD_HTML_DIR]`` (default chapter:
``fc_kernel``, one of the fastest; default HTML directory ``_build/html``).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _format_problems(nb, name: str) -> list[str]:
    """Why the notebook ``nb`` (read from ``name``) is not a valid nbformat 4 notebook with a python3 kernel."""
    import nbformat

    problems = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        problems.append(f"{name}: not a valid nbformat 4 notebook: {exc.message}")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append(f"{name}: kernelspec is {nb.metadata.get('kernelspec')!r}, expected python3")
    return problems


def glued(nb) -> dict[str, object]:
    """Every glued value of an executed notebook: name -> text/plain of its output."""
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            meta = output.get("metadata", {}).get("scrapbook", {})
            plain = [v for k, v in output.get("data", {}).items() if k.endswith("text/plain")]
            if "name" in meta and plain:
                out[meta["name"]] = plain[0]
    return out


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)


def check(chapter: str, html: Path, timeout: int) -> list[str]:
    import nbformat
    from nbclient import NotebookClient

    src = html / "_sources" / "book" / f"{chapter}.ipynb"
    if not src.is_file():
        return [f"{src} does not exist: build the book (make book) first"]
    nb = nbformat.read(src, as_version=4)
    problems = _format_problems(nb, src.name)
    before = glued(nb)
    with tempfile.TemporaryDirectory(prefix="rgbook-notebook-") as tmp:
        work = Path(tmp)
        shutil.copy2(src, work / src.name)
        env_backup = {k: os.environ.pop(k) for k in ("RGBOOK_ROOT", "PYTHONPATH") if k in os.environ}
        start = time.perf_counter()
        try:
            run = nbformat.read(work / src.name, as_version=4)
            client = NotebookClient(run, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": tmp}})
            client.execute(cwd=tmp)
        except Exception as exc:  # noqa: BLE001 - reported as a problem
            problems.append(
                f"{src.name}: execution in a clean directory failed: {type(exc).__name__}: "
                + str(exc).strip().splitlines()[-1][:300]
            )
            return problems
        finally:
            os.environ.update(env_backup)
        seconds = time.perf_counter() - start
        record = work / "rgbook-output" / "_build" / "deps" / f"{chapter}.json"
        if not record.is_file():
            problems.append(f"{src.name}: the run wrote no execution record at {record.relative_to(work)}")
        after = glued(run)
        moved = [k for k in before if k not in after or not _same(before[k], after[k])]
        if moved:
            problems.append(
                f"{src.name}: glued values differ from the downloaded notebook's: "
                + ", ".join(f"{k}: {before[k]} -> {after.get(k)}" for k in moved[:8])
            )
        leftovers = sorted(p.name for p in work.iterdir() if p.name not in (src.name, "rgbook-output"))
        print(
            f"{chapter}: executed the downloaded notebook in a clean directory in {seconds:.1f} s; "
            f"{len(before)} glued values, {len(before) - len(moved)} equal after the re-run"
            + (f"; other files written: {leftovers}" if leftovers else "")
        )
    return problems


def check_all(html: Path) -> list[str]:
    """Every code chapter offers a valid nbformat 4 notebook, python3 kernel, with outputs."""
    import nbformat

    sys.path.insert(0, str(ROOT))
    from rgbook import build

    problems = []
    chapters = build.code_chapters(ROOT)
    for chapter in chapters:
        path = html / "_sources" / f"{chapter}.ipynb"
        if not path.is_file():
            problems.append(f"{chapter}: no downloadable notebook at {path}")
            continue
        nb = nbformat.read(path, as_version=4)
        problems += _format_problems(nb, path.name)
        if not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
            problems.append(f"{path.name}: no outputs (the executed notebook should carry the build's outputs)")
    print(f"{len(chapters) - len(problems)} of {len(chapters)} code chapters offer a valid executed notebook")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapter", nargs="*", default=["fc_kernel"])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    problems = check_all(args.html)
    for chapter in args.chapter:
        problems += check(chapter, args.html, args.timeout)
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
