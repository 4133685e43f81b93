r"""Per-chapter bookkeeping of the build: what a chapter's execution depended on.

Every code chapter calls :func:`begin` in its first cell and :func:`finish` in its last:

* :func:`begin` removes what an earlier execution of the chapter left (its claim records, its
  figure files and its dependency record), so that no output of an interrupted run survives
  unmatched;
* :func:`finish` writes ``_build/deps/<name>.json``: the SHA-256 of every ``rgbook`` module
  the chapter's kernel loaded, and the versions of the installed distributions it imported.

Before the book is built, :func:`stale_chapters` compares those records with the current
files and versions; a chapter whose record is missing or differs is re-executed (its cache
entry, records and figures dropped) and no other.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from .claims import book_root, clear_records, load_records

__all__ = ["begin", "finish", "chapter_name", "deps_path"]


def chapter_name(chapter: str) -> str:
    """``"book/reading_a"`` -> ``"reading_a"``."""
    if not isinstance(chapter, str) or not chapter.startswith("book/"):
        raise ValueError(f"chapter must be a book document like 'book/reading_a', got {chapter!r}")
    return chapter.removeprefix("book/")


def deps_path(chapter: str, root: Path | None = None) -> Path:
    return (root or book_root()) / "_build" / "deps" / f"{chapter_name(chapter)}.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def begin(chapter: str, root: Path | None = None) -> None:
    """Forget every output of an earlier execution of ``chapter`` (records, figures, deps)."""
    root = root or book_root()
    deps_path(chapter, root).unlink(missing_ok=True)
    clear_records([cid for cid, rec in load_records(root).items() if rec.get("chapter") == chapter], root)
    figdir = root / "_build" / "figures"
    for sidecar in figdir.glob("*.json") if figdir.is_dir() else []:
        meta = json.loads(sidecar.read_text())
        if meta.get("chapter") == chapter:
            for name in meta.get("files", []):
                (figdir / name).unlink(missing_ok=True)
            sidecar.unlink()


def loaded_rgbook_modules() -> dict[str, str]:
    """SHA-256 of the source of every loaded ``rgbook`` module, keyed by module name."""
    out = {}
    for name, module in sorted(sys.modules.items()):
        if name == "rgbook" or name.startswith("rgbook."):
            file = getattr(module, "__file__", None)
            if file and file.endswith(".py"):
                out[name] = _sha256(Path(file))
    return out


def loaded_distributions() -> dict[str, str]:
    """Versions of the installed distributions whose top-level packages are loaded."""
    from importlib.metadata import packages_distributions, version

    tops = {name.partition(".")[0] for name in sys.modules}
    dists = sorted({d for top, ds in packages_distributions().items() if top in tops for d in ds})
    out = {}
    for dist in dists:
        try:
            out[dist] = version(dist)
        except Exception:  # noqa: BLE001 - a broken metadata entry must not break the record
            continue
    return out


def finish(chapter: str, root: Path | None = None) -> Path:
    """Record what this execution of ``chapter`` depended on; returns the record's path."""
    root = root or book_root()
    path = deps_path(chapter, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "chapter": chapter,
        "modules": loaded_rgbook_modules(),
        "distributions": loaded_distributions(),
        "python": sys.version.split()[0],
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=2, sort_keys=True))
    tmp.replace(path)
    return path
