"""The chapter executor (rgbook.build.execute) on a tiny temporary book with real kernels.

Each test writes a book root (the ``tiny_book`` fixture of ``conftest.py``: one-cell MyST chapters that call
``build.begin``/``build.finish`` as the real chapters do) and executes it: in-process through
:func:`rgbook.build.execute` (fresh and stale chapters, a failing chapter, two kernels started
at once), or as the command ``python -m rgbook.build execute`` interrupted by SIGINT or SIGTERM
while its kernels run (exit status, stale chapters, no kernel left behind).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from rgbook import build

#: Cell body of a chapter that records its kernel's connection (transport and socket address).
RECORD_CONNECTION = """\
import json, pathlib, ipykernel.connect
info = json.loads(ipykernel.connect.get_connection_info())
pathlib.Path("../_build/connection-{name}.json").write_text(json.dumps(info))"""

#: Cell body of a chapter that signals it is running, then runs far longer than the test waits.
SLEEP = """\
import pathlib, time
pathlib.Path("../_build/running-{name}").write_text("")
time.sleep(120)"""


def cached_sources(root: Path) -> list[str]:
    return sorted(Path(r.uri).name for r in build._cache(root).list_cache_records())


NO_DEPS = "no deps record (never executed, failed or interrupted)"


def test_executed_chapters_are_fresh_and_an_edit_makes_only_that_chapter_stale(tiny_book):
    root = tiny_book({"alpha": RECORD_CONNECTION, "beta": RECORD_CONNECTION})
    stale = build.prepare(root)
    assert sorted(stale) == ["book/alpha", "book/beta"]
    reports = build.execute(list(stale), root, jobs=2, log=lambda line: None)
    assert sorted((r.chapter, r.error) for r in reports) == [("book/alpha", None), ("book/beta", None)]
    assert cached_sources(root) == ["alpha.md", "beta.md"]
    assert build.stale_chapters(root) == {}
    # the cached notebook is the executed one: the cell ran in the kernel and wrote its connection file
    infos = [json.loads((root / "_build" / f"connection-{n}.json").read_text()) for n in ("alpha", "beta")]
    # the two kernels ran at once over IPC sockets of their own (no TCP port to race for)
    assert [info["transport"] for info in infos] == ["ipc", "ipc"]
    assert infos[0]["ip"] != infos[1]["ip"]
    assert not Path(infos[0]["ip"]).parent.exists(), "the kernel socket directory outlived the build"

    src = root / "book" / "alpha.md"
    src.write_text(src.read_text().replace('build.begin("book/alpha")', 'build.begin("book/alpha")  # edited'))
    stale = build.stale_chapters(root)
    assert list(stale) == ["book/alpha"]
    assert stale["book/alpha"] == ["its code cells are not in the execution cache (cells changed or never cached)"]
    assert sorted(build.prepare(root)) == ["book/alpha"]
    assert cached_sources(root) == ["beta.md"]  # beta's execution is kept
    assert build.stale_reasons("book/beta", root) == []


def test_failing_chapter_is_reported_not_cached_and_stays_stale(tiny_book):
    root = tiny_book({"alpha": "", "broken": 'raise RuntimeError("deliberate failure in a chapter")'})
    stale = build.prepare(root)
    reports = {r.chapter: r for r in build.execute(list(stale), root, jobs=2, log=lambda line: None)}
    assert reports["book/alpha"].error is None
    assert "deliberate failure in a chapter" in reports["book/broken"].error
    assert cached_sources(root) == ["alpha.md"]
    assert build.load_deps("book/broken", root) is None
    assert list(build.stale_chapters(root)) == ["book/broken"]
    assert build.stale_reasons("book/broken", root) == [NO_DEPS]


def _kernels_of(root: Path) -> list[psutil.Process]:
    """Running ipykernel processes whose working directory is the book's chapter directory."""
    out = []
    for proc in psutil.process_iter(["cmdline", "cwd"]):
        cmdline, cwd = proc.info["cmdline"] or [], proc.info["cwd"] or ""
        if any("ipykernel" in part for part in cmdline) and Path(cwd) == root / "book":
            out.append(proc)
    return out


def _running(proc: psutil.Process) -> bool:
    """Alive and not a zombie (an exited process its new parent, init, has not reaped yet)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_execution_stops_its_kernels_and_leaves_the_chapters_stale(tiny_book, sig):
    root = tiny_book({"one": SLEEP, "two": SLEEP})
    log = root / "_build" / "execute.log"
    # Ctrl-C reaches the whole foreground process group; make's SIGTERM reaches its child alone.
    proc = subprocess.Popen(
        [sys.executable, "-m", "rgbook.build", "execute", "--jobs", "2", "--log", str(log)],
        env={**os.environ, "RGBOOK_ROOT": str(root)},
        cwd=root,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(
            lambda: all((root / "_build" / f"running-{n}").exists() for n in ("one", "two")) or proc.poll() is not None,
            60,
            "both chapters to run",
        )
        assert proc.poll() is None, proc.stderr.read()
        kernels = _kernels_of(root)
        assert len(kernels) == 2, [k.cmdline() for k in kernels]
        descendants = psutil.Process(proc.pid).children(recursive=True)
        connection_files = [k.cmdline()[k.cmdline().index("-f") + 1] for k in kernels]
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 128 + sig, stderr
    assert "interrupted" in log.read_text()
    _wait_for(lambda: not [p for p in descendants if _running(p)], 10, "the build's processes to exit")
    assert _kernels_of(root) == []
    for path in connection_files:  # no kernel mentioning its connection file survives anywhere
        assert not [p for p in psutil.process_iter(["cmdline"]) if path in (p.info["cmdline"] or [])]
        assert not Path(path).parent.parent.exists(), "the kernel socket directory outlived the build"
    assert cached_sources(root) == []
    assert build.stale_chapters(root) == {"book/one": [NO_DEPS], "book/two": [NO_DEPS]}


def test_kernel_configuration_gives_each_kernel_its_own_ipc_sockets(tmp_path):
    """Unit check of the fix: the configuration names sockets in the given directory (IPC), or is empty."""
    config = build._kernel_config(str(tmp_path))
    assert config.KernelManager.transport == "ipc"
    assert config.KernelManager.ip == str(tmp_path / "k")
    assert config.KernelManager.connection_file == str(tmp_path / "kernel.json")
    assert "KernelManager" not in build._kernel_config(None)
    if os.name == "posix":
        base = build._kernel_base_dir()
        try:
            # <base>/<8 random characters>/k-<port>: within the 104 bytes a Unix socket path may have
            assert len(os.path.join(base, "x" * 8, "k-99")) < 104
            assert oct(os.stat(base).st_mode & 0o777) == "0o700"
        finally:
            os.rmdir(base)
