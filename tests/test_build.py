"""Per-chapter invalidation of the build (rgbook.build): stale detection, cleanup, interruption.

Every test works on a temporary book root (``RGBOOK_ROOT``; the ``tiny_book`` fixture of ``conftest.py``) with
two tiny chapters; nothing here executes a notebook.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rgbook import build


@pytest.fixture
def book(tiny_book) -> Path:
    """Two code chapters, ``alpha`` and ``beta``, that only begin and finish."""
    return tiny_book({"alpha": "", "beta": ""})


def write_outputs(root: Path, chapter: str, claim_id: str, label: str) -> None:
    """A claim record and a figure (PNG and sidecar) of ``chapter``, as claims.check and figures.save write them."""
    claims_dir, fig_dir = root / "_build" / "claims", root / "_build" / "figures"
    claims_dir.mkdir(parents=True, exist_ok=True)
    fig_dir.mkdir(parents=True, exist_ok=True)
    (claims_dir / f"{claim_id}.json").write_text(
        json.dumps({"id": claim_id, "chapter": chapter, "status": "holds", "statement": "s", "rows": []})
    )
    (fig_dir / f"{label}.png").write_bytes(b"png")
    (fig_dir / f"{label}.json").write_text(json.dumps({"chapter": chapter, "files": [f"{label}.png"]}))


def cache_chapter(root: Path, chapter: str) -> None:
    """Put the chapter's notebook in the execution cache under myst-nb's key (as the build does)."""
    from jupyter_cache.base import CacheBundleIn

    cache = build._cache(root)
    nb = build.read_notebook(chapter, root)
    uri = str((root / f"{chapter}.md").absolute())
    cache.cache_notebook_bundle(CacheBundleIn(nb, uri, data={}), check_validity=False, overwrite=True)


def complete(root: Path, chapter: str, claim_id: str, label: str) -> None:
    """A finished execution: outputs, deps record and cache entry."""
    build.begin(chapter, root)
    write_outputs(root, chapter, claim_id, label)
    build.finish(chapter, root)
    cache_chapter(root, chapter)


def test_code_chapters_are_toc_documents_with_code_cells(book):
    assert build.code_chapters(book) == ["book/alpha", "book/beta"]


def test_finished_chapter_is_fresh_and_records_its_time(book):
    complete(book, "book/alpha", "T.alpha", "fig-alpha")
    assert build.stale_reasons("book/alpha", book) == []
    record = build.load_deps("book/alpha", book)
    assert record["execution_seconds"] >= 0 and record["finished"]
    assert record["modules"]["rgbook.build"] == build._sha256(Path(build.__file__))
    assert build.chapter_times(book)["book/beta"] is None


def test_each_kind_of_change_makes_a_chapter_stale(book):
    complete(book, "book/alpha", "T.alpha", "fig-alpha")
    path = build.deps_path("book/alpha", book)
    fresh = json.loads(path.read_text())

    def reasons_with(**changes):
        path.write_text(json.dumps({**fresh, **changes}))
        return " ".join(build.stale_reasons("book/alpha", book))

    assert "module rgbook.build changed" in reasons_with(modules={**fresh["modules"], "rgbook.build": "0" * 64})
    assert "no longer exists" in reasons_with(modules={"rgbook.gone": "0" * 64})
    assert "distribution numpy 0.0" in reasons_with(distributions={"numpy": "0.0"})
    assert "python" in reasons_with(python="2.7.0")
    path.write_text(json.dumps(fresh))
    assert build.stale_reasons("book/alpha", book) == []
    # own cells changed: the cache has no notebook with the new code cells
    src = book / "book" / "alpha.md"
    src.write_text(src.read_text().replace('build.begin("book/alpha")', 'build.begin("book/alpha")  # edited'))
    assert "execution cache" in " ".join(build.stale_reasons("book/alpha", book))
    path.unlink()
    assert build.stale_reasons("book/alpha", book) == ["no deps record (never executed, failed or interrupted)"]


def test_prepare_invalidates_the_stale_chapter_only(book):
    complete(book, "book/alpha", "T.alpha", "fig-alpha")
    complete(book, "book/beta", "T.beta", "fig-beta")
    record = build.deps_path("book/beta", book)
    rec = json.loads(record.read_text())
    rec["modules"]["rgbook.build"] = "0" * 64
    record.write_text(json.dumps(rec))
    assert sorted(build.prepare(book)) == ["book/beta"]
    fig, claims_dir = book / "_build" / "figures", book / "_build" / "claims"
    assert sorted(p.name for p in fig.iterdir()) == ["fig-alpha.json", "fig-alpha.png"]
    assert sorted(p.name for p in claims_dir.iterdir()) == ["T.alpha.json"]
    assert not record.exists() and build.deps_path("book/alpha", book).exists()
    uris = [Path(r.uri).name for r in build._cache(book).list_cache_records()]
    assert uris == ["alpha.md"]
    assert build.stale_chapters(book) == {"book/beta": ["no deps record (never executed, failed or interrupted)"]}


INTERRUPTED = textwrap.dedent("""
    import json, signal, sys, time
    # Ctrl-C as in a terminal: a job started in the background by a non-interactive shell (as CI
    # runs make) inherits SIGINT ignored, and Python then installs no KeyboardInterrupt handler.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from pathlib import Path
    from rgbook import build
    root = Path(sys.argv[1])
    build.begin("book/beta")
    claims_dir, fig = root / "_build" / "claims", root / "_build" / "figures"
    (claims_dir / "T.beta.json").write_text(json.dumps({"id": "T.beta", "chapter": "book/beta", "status": "fails"}))
    (fig / "fig-beta-new.png").write_bytes(b"partial")
    (fig / "fig-beta-new.json").write_text(json.dumps({"chapter": "book/beta", "files": ["fig-beta-new.png"]}))
    print("ready", flush=True)
    time.sleep(60)
    build.finish("book/beta")
""")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_chapter_leaves_nothing_unmatched(book, sig):
    complete(book, "book/alpha", "T.alpha", "fig-alpha")
    complete(book, "book/beta", "T.beta", "fig-beta")  # an earlier, complete execution of beta
    assert build.stale_chapters(book) == {}
    proc = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED, str(book)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "RGBOOK_ROOT": str(book)},
    )
    try:
        assert proc.stdout.readline().strip() == "ready"  # mid-chapter: begun, outputs written, not finished
        proc.send_signal(sig)
        assert proc.wait(timeout=60) != 0  # generous: a loaded CI machine can be slow to schedule it
    finally:
        proc.kill()
    fig = book / "_build" / "figures"
    assert (fig / "fig-beta-new.png").exists() and not (fig / "fig-beta.png").exists()  # begin cleared the old run
    assert build.stale_chapters(book) == {"book/beta": ["no deps record (never executed, failed or interrupted)"]}
    build.prepare(book)
    assert sorted(p.name for p in fig.iterdir()) == ["fig-alpha.json", "fig-alpha.png"]
    assert sorted(p.name for p in (book / "_build" / "claims").iterdir()) == ["T.alpha.json"]
    assert [Path(r.uri).name for r in build._cache(book).list_cache_records()] == ["alpha.md"]
    assert build.stale_chapters(book) == {"book/beta": ["no deps record (never executed, failed or interrupted)"]}


def test_prepare_removes_figure_files_no_sidecar_names(book):
    complete(book, "book/alpha", "T.alpha", "fig-alpha")
    fig = book / "_build" / "figures"
    (fig / "fig-half.pdf").write_bytes(b"pdf")  # interrupted between savefig and the sidecar
    (fig / "fig-torn.json").write_text('{"chapter": "bo')  # interrupted while writing the sidecar
    build.prepare(book)
    assert sorted(p.name for p in fig.iterdir()) == ["fig-alpha.json", "fig-alpha.png"]


def test_build_module_does_not_import_torch():
    code = "import sys, rgbook.build; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_chapter_name_rejects_non_book_documents():
    with pytest.raises(ValueError, match="chapter must be a book document"):
        build.chapter_name("reading_a")


def test_chapters_check_claims_by_object_not_by_id():
    """``claims.check("<id>")`` looks the id up in the registry, which imports every chapter module and so makes
    the chapter depend on all of them (an edit anywhere would re-execute it); chapters pass claim objects."""
    root = Path(__file__).resolve().parents[1]
    offenders = [
        f"{md.name}:{k + 1}"
        for md in sorted((root / "book").glob("*.md"))
        for k, line in enumerate(md.read_text(encoding="utf-8").splitlines())
        if re.search(r"claims\.(check|get)\(\s*['\"]", line)
    ]
    assert not offenders, offenders
