r"""Per-chapter bookkeeping of the build: what a chapter's execution depended on, and which
chapters must re-execute.

Every code chapter calls :func:`begin` in its first cell and :func:`finish` in its last:

* :func:`begin` removes what an earlier execution of the chapter left (its claim records, its
  figure files and its dependency record), notes the start time, and sets torch's thread count
  from ``$RGBOOK_THREADS`` if torch is already imported;
* :func:`finish` writes ``_build/deps/<name>.json``: the SHA-256 of every ``rgbook`` module
  the chapter's kernel loaded, the versions of the installed distributions it imported, the
  Python version, the chapter's execution seconds and the time it finished.

A chapter is **stale** (:func:`stale_reasons`) when

* it has no dependency record (never executed, failed, or interrupted: :func:`begin` removed
  the record and :func:`finish` never wrote it), or
* the execution cache holds no notebook with its current code cells (its own cells changed;
  jupyter-cache keys on the code cells), or
* an ``rgbook`` module it loaded changed (or disappeared), or the version of an installed
  distribution it loaded changed, or the Python version changed.

:func:`invalidate` forgets a stale chapter's outputs: its execution-cache record(s), its claim
records, its figure files and its dependency record, and nothing of any other chapter.
:func:`execute` then runs the stale chapters, in parallel worker processes, and writes each
executed notebook into the execution cache exactly as myst-nb would (same reader, same hash),
so that ``jupyter-book build`` renders every chapter from the cache.

Command line (``python -m rgbook.build``)::

    stale [--json]              list the stale chapters and why (exit 0)
    prepare                     invalidate every stale chapter (cache record, claims, figures, deps)
    execute [--jobs N]          prepare, then execute the stale chapters into the cache
    times                       each chapter's last execution seconds (from the deps records)
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .claims import book_root, clear_records, load_records

__all__ = [
    "begin",
    "finish",
    "chapter_name",
    "deps_path",
    "load_deps",
    "code_chapters",
    "read_notebook",
    "notebook_hash",
    "stale_reasons",
    "stale_chapters",
    "invalidate",
    "remove_orphan_figures",
    "prepare",
    "execute",
    "chapter_times",
    "ExecutionReport",
    "main",
    "THREADS_ENV",
]

#: Environment variable holding the number of torch threads a chapter should use.
THREADS_ENV = "RGBOOK_THREADS"
#: The variables that fix the BLAS/OpenMP thread pools of an executing kernel.
_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", THREADS_ENV)

_STARTED: dict[str, float] = {}


def chapter_name(chapter: str) -> str:
    """``"book/reading_a"`` -> ``"reading_a"``."""
    if not isinstance(chapter, str) or not chapter.startswith("book/"):
        raise ValueError(f"chapter must be a book document like 'book/reading_a', got {chapter!r}")
    return chapter.removeprefix("book/")


def deps_path(chapter: str, root: Path | None = None) -> Path:
    """``_build/deps/<name>.json`` under the book root."""
    return (root or book_root()) / "_build" / "deps" / f"{chapter_name(chapter)}.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def clear_outputs(chapter: str, root: Path | None = None) -> None:
    """Remove the chapter's claim records, figure files (by their sidecar's ``chapter``) and deps record."""
    root = root or book_root()
    deps_path(chapter, root).unlink(missing_ok=True)
    clear_records([cid for cid, rec in load_records(root).items() if rec.get("chapter") == chapter], root)
    figdir = root / "_build" / "figures"
    for sidecar in sorted(figdir.glob("*.json")) if figdir.is_dir() else []:
        try:
            meta = json.loads(sidecar.read_text())
        except (OSError, json.JSONDecodeError):
            continue  # a sidecar being written by another chapter right now; not ours to judge
        if meta.get("chapter") == chapter:
            for name in meta.get("files", []):
                (figdir / name).unlink(missing_ok=True)
            sidecar.unlink(missing_ok=True)


def begin(chapter: str, root: Path | None = None) -> None:
    """Start an execution of ``chapter``: forget its earlier outputs, note the start time.

    If ``$RGBOOK_THREADS`` is set and torch is already imported, torch's intra-op thread
    count is set to it (torch is never imported here).
    """
    _STARTED[chapter] = time.perf_counter()
    clear_outputs(chapter, root)
    threads = os.environ.get(THREADS_ENV)
    if threads and "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(int(threads))


def loaded_rgbook_modules() -> dict[str, str]:
    """SHA-256 of the source of every loaded ``rgbook`` module, keyed by module name."""
    out = {}
    for name, module in sorted(sys.modules.items()):
        if name == "rgbook" or name.startswith("rgbook."):
            file = getattr(module, "__file__", None)
            if file and file.endswith(".py"):
                out[name] = _sha256(Path(file))
    return out


@functools.lru_cache(maxsize=1)
def _packages_distributions() -> dict[str, list[str]]:
    from importlib.metadata import packages_distributions

    return packages_distributions()


def loaded_distributions() -> dict[str, str]:
    """Versions of the installed distributions whose top-level packages are loaded."""
    from importlib.metadata import version

    tops = {name.partition(".")[0] for name in sys.modules}
    dists = sorted({d for top, ds in _packages_distributions().items() if top in tops for d in ds})
    out = {}
    for dist in dists:
        try:
            out[dist] = version(dist)
        except Exception:  # noqa: BLE001 - a broken metadata entry must not break the record
            continue
    return out


def finish(chapter: str, root: Path | None = None) -> Path:
    """Record what this execution of ``chapter`` depended on and how long it took; returns the path."""
    root = root or book_root()
    path = deps_path(chapter, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = _STARTED.pop(chapter, None)
    record = {
        "chapter": chapter,
        "modules": loaded_rgbook_modules(),
        "distributions": loaded_distributions(),
        "python": sys.version.split()[0],
        "execution_seconds": None if started is None else round(time.perf_counter() - started, 3),
        "finished": datetime.now(UTC).isoformat(),
        "threads": os.environ.get(THREADS_ENV),
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=2, sort_keys=True))
    tmp.replace(path)
    return path


def load_deps(chapter: str, root: Path | None = None) -> dict | None:
    """The chapter's deps record, or None if it has none (or it is unreadable)."""
    try:
        return json.loads(deps_path(chapter, root).read_text())
    except (OSError, json.JSONDecodeError):
        return None


# --------------------------------------------------------------------------- stale detection


def _toc_files(toc: dict) -> list[str]:
    out = [toc["root"]] if "root" in toc else []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                out.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return out


def _source(chapter: str, root: Path) -> Path:
    return root / f"{chapter}.md"


def code_chapters(root: Path | None = None) -> list[str]:
    """The documents of ``_toc.yml`` (in book order) whose source contains a ``code-cell``."""
    import yaml

    root = root or book_root()
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    chapters = []
    for doc in _toc_files(toc):
        doc = doc.removesuffix(".md")
        src = _source(doc, root)
        if src.is_file() and "```{code-cell}" in src.read_text() and doc not in chapters:
            chapters.append(doc)
    return chapters


def _module_file(name: str) -> Path | None:
    """The source file of an ``rgbook`` module in the installed package, without importing it."""
    package = Path(__file__).resolve().parent
    parts = name.split(".")[1:]
    base = package.joinpath(*parts) if parts else package
    for candidate in (base.with_suffix(".py") if parts else None, base / "__init__.py"):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def _md_config(root: Path):
    """The MyST parser configuration of the book (the extensions of ``_config.yml``)."""
    import yaml
    from myst_parser.config.main import MdParserConfig

    config = yaml.safe_load((root / "_config.yml").read_text()) or {}
    extensions = (config.get("parse") or {}).get("myst_enable_extensions") or ()
    return MdParserConfig(enable_extensions=set(extensions))


def read_notebook(chapter: str, root: Path | None = None):
    """The chapter as the notebook myst-nb builds from it (same reader, same configuration)."""
    from myst_nb.core.read import read_myst_markdown_notebook

    root = root or book_root()
    path = _source(chapter, root)
    return read_myst_markdown_notebook(
        path.read_text("utf8"), config=_md_config(root), add_source_map=True, path=str(path)
    )


def _cache(root: Path):
    """The book's jupyter-cache (path from ``_config.yml``'s ``execute.cache``)."""
    import yaml
    from jupyter_cache import get_cache

    config = yaml.safe_load((root / "_config.yml").read_text()) or {}
    rel = (config.get("execute") or {}).get("cache") or "_build/.jupyter_cache"
    return get_cache(str(root / rel))


def notebook_hash(chapter: str, root: Path | None = None) -> str:
    """jupyter-cache's key of the chapter's current code cells (what myst-nb looks up)."""
    root = root or book_root()
    return _cache(root).create_hashed_notebook(read_notebook(chapter, root))[1]


def _has_cache_hit(chapter: str, root: Path) -> bool:
    from jupyter_cache.cache.db import NbCacheRecord

    cache = _cache(root)
    if not (cache.path / "global.db").is_file():
        return False
    try:
        NbCacheRecord.record_from_hashkey(notebook_hash(chapter, root), cache.db)
    except KeyError:
        return False
    return True


def _current_version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def stale_reasons(chapter: str, root: Path | None = None, *, check_cache: bool = True) -> list[str]:
    """Why ``chapter`` must re-execute (empty list: its cached execution is current)."""
    root = root or book_root()
    record = load_deps(chapter, root)
    if record is None:
        return ["no deps record (never executed, failed or interrupted)"]
    reasons = []
    for name, digest in sorted(record.get("modules", {}).items()):
        file = _module_file(name)
        if file is None:
            reasons.append(f"module {name} no longer exists")
        elif _sha256(file) != digest:
            reasons.append(f"module {name} changed")
    for dist, ver in sorted(record.get("distributions", {}).items()):
        now = _current_version(dist)
        if now != ver:
            reasons.append(f"distribution {dist} {ver} -> {now or 'not installed'}")
    if record.get("python") != sys.version.split()[0]:
        reasons.append(f"python {record.get('python')} -> {sys.version.split()[0]}")
    if check_cache and not _has_cache_hit(chapter, root):
        reasons.append("its code cells are not in the execution cache (cells changed or never cached)")
    return reasons


def stale_chapters(root: Path | None = None, *, check_cache: bool = True) -> dict[str, list[str]]:
    """Every stale code chapter of the book, with its reasons, in book order."""
    root = root or book_root()
    out = {}
    for chapter in code_chapters(root):
        reasons = stale_reasons(chapter, root, check_cache=check_cache)
        if reasons:
            out[chapter] = reasons
    return out


def invalidate(chapter: str, root: Path | None = None) -> None:
    """Forget every output of ``chapter``: its cache record(s), claim records, figures, deps record.

    The cache records dropped are those whose URI is the chapter's source and the one keyed
    by its current code cells; records of other chapters are untouched.
    """
    root = root or book_root()
    clear_outputs(chapter, root)
    cache = _cache(root)
    if not (cache.path / "global.db").is_file():
        return
    source = str(_source(chapter, root).absolute())
    key = notebook_hash(chapter, root) if _source(chapter, root).is_file() else None
    for rec in cache.list_cache_records():
        if rec.uri == source or rec.hashkey == key:
            try:
                cache.remove_cache(rec.pk)
            except KeyError:  # the record's notebook file is gone: drop the row alone
                from jupyter_cache.cache.db import NbCacheRecord

                NbCacheRecord.remove_records([rec.pk], cache.db)


def remove_orphan_figures(root: Path | None = None) -> list[str]:
    """Remove figure files no readable sidecar names, and unreadable sidecars; returns their names.

    ``figures.save`` writes the PDF and PNG before the sidecar, so a chapter interrupted in
    between leaves files that no chapter owns. Run only while no chapter executes.
    """
    figdir = (root or book_root()) / "_build" / "figures"
    if not figdir.is_dir():
        return []
    owned, removed = set(), []
    for sidecar in sorted(figdir.glob("*.json")):
        try:
            owned.update(json.loads(sidecar.read_text()).get("files", []))
            owned.add(sidecar.name)
        except (OSError, json.JSONDecodeError, AttributeError):
            pass
    for path in sorted(figdir.iterdir()):
        if path.is_file() and path.name not in owned:
            path.unlink()
            removed.append(path.name)
    return removed


def prepare(root: Path | None = None) -> dict[str, list[str]]:
    """Invalidate every stale chapter and drop orphan figure files; returns the stale chapters and reasons."""
    root = root or book_root()
    stale = stale_chapters(root)
    for chapter in stale:
        invalidate(chapter, root)
    remove_orphan_figures(root)
    return stale


# --------------------------------------------------------------------------- execution


@dataclass(frozen=True)
class ExecutionReport:
    """Outcome of executing one chapter into the cache."""

    chapter: str
    seconds: float
    error: str | None = None


def _kernel_config(kernel_dir: str | None):
    """Kernel-manager configuration for a kernel whose sockets live in the fresh directory ``kernel_dir``.

    With ``kernel_dir`` (POSIX), the kernel talks over IPC (Unix domain sockets) named
    ``<kernel_dir>/k-<n>`` and its connection file is ``<kernel_dir>/kernel.json``. Over TCP,
    jupyter_client picks "free" ports by binding port 0 and closing the socket before the kernel
    binds them, so two kernels started at once (``--jobs 2``) can be handed the same port: one
    dies with ``zmq.error.ZMQError: Address already in use`` / "Kernel died before replying to
    kernel_info". Socket files in a directory no other kernel uses cannot collide. ``None``: the
    default configuration (TCP).
    """
    from traitlets.config import Config

    config = Config()
    if kernel_dir is not None:
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(kernel_dir, "k")
        config.KernelManager.connection_file = os.path.join(kernel_dir, "kernel.json")
    return config


def _kernel_base_dir() -> str | None:
    """A fresh private directory for the kernels' IPC sockets, or None where IPC is not available.

    A Unix socket path must fit in ``sun_path`` (108 bytes on Linux, 104 on macOS); the sockets are
    ``<base>/<8 chars>/k-<n>``, so a long ``$TMPDIR`` is replaced by ``/tmp``.
    """
    import tempfile

    if os.name != "posix":
        return None
    parent = tempfile.gettempdir()
    if len(parent) > 60 and os.path.isdir("/tmp"):
        parent = "/tmp"
    return tempfile.mkdtemp(prefix="rgbook-kernels-", dir=parent)


def _execute_one(
    chapter: str, root: str, threads: int, timeout: int | None, kernel_base: str | None = None
) -> tuple[str, float, str | None, str | None]:
    """Worker: execute one chapter with ``threads`` BLAS/torch threads; returns the executed notebook (JSON).

    With ``kernel_base``, the chapter's kernel uses IPC sockets in a fresh subdirectory of it
    (see :func:`_kernel_config`).
    """
    import tempfile

    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    # Ctrl-C reaches the whole process group: only the parent handles it (it stops the workers
    # and their kernels, which run in their own session, see _stop_descendants).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for var in _THREAD_VARS:
        os.environ[var] = str(threads)
    os.environ["RGBOOK_ROOT"] = root
    path = _source(chapter, Path(root))
    nb = read_notebook(chapter, Path(root))
    kernel_dir = None if kernel_base is None else tempfile.mkdtemp(prefix="", dir=kernel_base)
    start = time.perf_counter()
    try:
        result = single_nb_execution(
            nb,
            cwd=str(path.parent),
            timeout=timeout,
            allow_errors=False,
            meta_override=True,
            config=_kernel_config(kernel_dir),
        )
    except Exception:  # noqa: BLE001 - reported by the parent, which fails the build
        return chapter, time.perf_counter() - start, None, traceback.format_exc()
    finally:
        if kernel_dir is not None:
            shutil.rmtree(kernel_dir, ignore_errors=True)
    if result.err is not None:
        return chapter, result.time, None, result.exc_string or repr(result.err)
    return chapter, result.time, nbformat.writes(result.nb), None


class _Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM received: handled like Ctrl-C; ``signum`` gives the exit status 128 + signum."""

    def __init__(self, signum: int):
        super().__init__(f"signal {signum}")
        self.signum = signum


def _raise_interrupt(signum, frame):
    raise _Interrupted(signum)


def _stop_descendants(grace: float = 5.0) -> None:
    """Stop every process this one started: the pool's workers and their kernels.

    Kernels run in their own session (jupyter_client starts them so), so neither Ctrl-C nor
    make's SIGTERM reaches them; they are found as descendants instead. The workers are frozen
    first (SIGSTOP), so that none starts a kernel after the descendants are listed (a kernel
    started later would outlive the build); then the kernels are terminated and, once they are
    gone (or after ``grace`` seconds, killed), the workers are killed. A worker has nothing to
    clean up, and terminating it would not do: nbclient catches SIGTERM in the worker to shut
    its kernel down and the worker then waits for a cell that never finishes.
    """
    import psutil  # ships with ipykernel (the book extra)

    def tracker(proc) -> bool:  # multiprocessing's resource tracker cleans up after the pool itself
        with contextlib.suppress(psutil.Error):
            return "resource_tracker" in " ".join(proc.cmdline())
        return False

    workers = [p for p in psutil.Process().children() if not tracker(p)]
    for proc in workers:
        with contextlib.suppress(psutil.Error):
            proc.suspend()
    kernels = []
    for proc in workers:
        with contextlib.suppress(psutil.Error):
            kernels.extend(proc.children(recursive=True))
    for proc in kernels:
        with contextlib.suppress(psutil.Error):
            proc.terminate()
    alive = _wait_gone(kernels, grace)
    for proc in alive + workers:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(workers, timeout=grace)  # reaps them (they are our children)


def _wait_gone(procs: list, timeout: float) -> list:
    """Wait until each of ``procs`` has exited (a zombie counts: its frozen parent cannot reap it); return the rest."""
    import psutil

    def running(proc) -> bool:
        try:
            return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    deadline = time.monotonic() + timeout
    alive = [p for p in procs if running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if running(p)]
    return alive


def _timeout(root: Path) -> int | None:
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text()) or {}
    return (config.get("execute") or {}).get("timeout", 30)


def _time_hints(root: Path) -> dict[str, float]:
    """Typical execution seconds per chapter from ``execution_times.json`` at the book root ({} if absent)."""
    try:
        hints = json.loads((root / "execution_times.json").read_text())
    except (OSError, json.JSONDecodeError):
        return {}
    return {k: float(v) for k, v in hints.items() if isinstance(v, (int, float))}


def execute(chapters: list[str], root: Path | None = None, *, jobs: int = 2, log=print) -> list[ExecutionReport]:
    """Execute ``chapters`` into the execution cache, ``jobs`` at a time, longest first.

    Each kernel gets ``cpu_count // jobs`` BLAS and torch threads (at least one), however many
    chapters are stale. An executed notebook is cached under the key myst-nb computes for the
    chapter's source, so the HTML build uses it without executing again. A chapter that fails
    is not cached and has no deps record; its report carries the traceback. "Longest first"
    uses the times of earlier executions (``_build/deps/.times.json``, kept across
    invalidations), else the committed hints of ``execution_times.json``; chapters with
    neither go first, in book order.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed

    import nbformat
    from jupyter_cache.base import CacheBundleIn

    root = (root or book_root()).resolve()
    if not chapters:
        return []
    # Threads follow the requested number of jobs, not the number of stale chapters: a chapter
    # then runs with the same thread count whether it executes alone or in a cold build, and
    # its floating-point reductions (hence figure hashes) do not depend on what else was stale.
    threads = max(1, (os.cpu_count() or 1) // jobs)
    jobs = max(1, min(jobs, len(chapters)))
    history_path = root / "_build" / "deps" / ".times.json"
    try:
        history = json.loads(history_path.read_text())
    except (OSError, json.JSONDecodeError):
        history = {}
    # Chapters never timed here fall back on the committed hints (execution_times.json), so a
    # fresh clone starts its longest chapter first instead of last.
    hints = _time_hints(root)
    order = sorted(chapters, key=lambda c: -history.get(c, hints.get(c, float("inf"))))
    cache = _cache(root)
    timeout = _timeout(root)
    log(f"executing {len(order)} chapter(s), {jobs} at a time, {threads} thread(s) each: {', '.join(order)}")
    reports = []
    kernel_base = _kernel_base_dir()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
    previous = {sig: signal.signal(sig, _raise_interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        futures = [pool.submit(_execute_one, c, str(root), threads, timeout, kernel_base) for c in order]
        for future in as_completed(futures):
            chapter, seconds, nb_json, error = future.result()
            if error is None:
                source = str(_source(chapter, root).absolute())
                stage = cache.add_nb_to_project(source, read_data={"type": "plugin", "name": "myst_nb_md"})
                cache.cache_notebook_bundle(
                    CacheBundleIn(
                        nbformat.reads(nb_json, as_version=4), stage.uri, data={"execution_seconds": seconds}
                    ),
                    check_validity=False,
                    overwrite=True,
                )
                log(f"  executed {chapter} in {seconds:.1f} s")
                history[chapter] = round(seconds, 1)
                history_path.parent.mkdir(parents=True, exist_ok=True)
                history_path.write_text(json.dumps(history, indent=2, sort_keys=True))
            else:
                log(f"  FAILED {chapter} after {seconds:.1f} s:\n{error}")
            reports.append(ExecutionReport(chapter, seconds, error))
    except BaseException:
        # Interrupted (or failed): stop the workers and their kernels. Nothing unfinished is
        # cached, and an unfinished chapter has no deps record, so the next build re-executes it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _stop_descendants()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if kernel_base is not None:
            # after an interruption the kernels are stopped already (_stop_descendants)
            shutil.rmtree(kernel_base, ignore_errors=True)
    pool.shutdown(wait=True)
    return reports


def chapter_times(root: Path | None = None) -> dict[str, float | None]:
    """Each code chapter's last execution seconds, from its deps record (None if it has none)."""
    root = root or book_root()
    return {c: (load_deps(c, root) or {}).get("execution_seconds") for c in code_chapters(root)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rgbook.build", description="Per-chapter invalidation and execution of the book."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    st = sub.add_parser("stale", help="list the stale chapters and why")
    st.add_argument("--json", action="store_true", help="print a JSON object {chapter: [reasons]}")
    sub.add_parser("prepare", help="invalidate every stale chapter (cache record, claims, figures, deps)")
    ex = sub.add_parser("execute", help="invalidate, then execute the stale chapters into the execution cache")
    ex.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("RGBOOK_JOBS", "2")),
        help="chapters executed at once (default $RGBOOK_JOBS or 2)",
    )
    ex.add_argument("--log", type=Path, help="also append what is printed to this file")
    sub.add_parser("times", help="each chapter's last execution seconds")
    args = parser.parse_args(argv)
    root = book_root()

    if args.command == "stale":
        stale = stale_chapters(root)
        if args.json:
            print(json.dumps(stale, indent=2))
        else:
            for chapter, reasons in stale.items():
                print(f"{chapter}: " + "; ".join(reasons))
            if not stale:
                print("no stale chapter")
        return 0
    if args.command == "times":
        for chapter, seconds in chapter_times(root).items():
            print(f"{chapter:28s} {'-' if seconds is None else f'{seconds:8.1f} s'}")
        return 0
    if args.command == "execute" and args.jobs < 1:
        parser.error(f"--jobs must be >= 1, got {args.jobs}")
    log_file = getattr(args, "log", None)

    def log(line: str) -> None:
        print(line, flush=True)
        if log_file is not None:
            with log_file.open("a") as handle:
                handle.write(line + "\n")

    # SIGTERM (e.g. from make) interrupts like Ctrl-C: workers stop and shut their kernels down.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    start = time.perf_counter()
    stale = prepare(root)
    for chapter, reasons in stale.items():
        log(f"stale {chapter}: " + "; ".join(reasons))
    if not stale:
        log("no stale chapter: every chapter renders from the execution cache")
    if args.command == "prepare":
        return 0
    try:
        reports = execute(list(stale), root, jobs=args.jobs, log=log)
    except KeyboardInterrupt as exc:
        log("interrupted: the unfinished chapters have no deps record and re-execute on the next build")
        return 128 + getattr(exc, "signum", signal.SIGINT)  # the shell's status of a process the signal killed
    failed = [r.chapter for r in reports if r.error]
    log(f"execution: {time.perf_counter() - start:.1f} s wall" + (f"; FAILED: {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
