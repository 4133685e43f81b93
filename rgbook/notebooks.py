"""Executed chapters as notebooks a reader can download and re-run.

When the HTML book is built, :func:`executed` takes each code chapter's notebook with the
outputs of its execution from the execution cache (``_build/.jupyter_cache``, filled by
``rgbook.build execute``; nothing is executed a second time) and :func:`downloadable` turns
it into the notebook the book offers in the chapter's download menu
(``_build/html/_sources/<doc>.ipynb``, written by the Sphinx extension
``_ext/rgbook_sphinx.py``). (MyST-NB's own copy in ``_build/jupyter_execute`` has no outputs
when the chapter comes from the cache: MyST-NB 1.4 writes the notebook it read, not the one
it merged with the cache.) The downloadable notebook

* is nbformat 4, valid, with the ``python3`` kernelspec, so plain JupyterLab opens it;
* starts with a markdown cell saying where it comes from and how to re-run it, and a code
  cell that makes it runnable outside a checkout of the book: a chapter's first cell
  (``rgbook.build.begin``) and last cell (``rgbook.build.finish``), ``rgbook.figures.save``
  and ``rgbook.claims.check`` write under the *book root* (``$RGBOOK_ROOT``, else the nearest
  directory upward holding ``_config.yml``). Outside a checkout of rgbook the added cell sets
  ``RGBOOK_ROOT`` to ``./rgbook-output`` (created), so the figures, claim records and
  execution record go there. Inside a checkout it does nothing and the notebook behaves as
  the book's chapter does.

This route leaves ``rgbook.build`` and ``rgbook.claims`` unchanged: every chapter loads them,
so editing them would make every chapter's cached execution stale.
"""

from __future__ import annotations

import copy
from pathlib import Path

__all__ = ["SETUP_SOURCE", "executed", "downloadable", "write_downloadable", "OUTPUT_DIR"]

#: Where a downloaded notebook run outside a checkout of the book writes its files.
OUTPUT_DIR = "rgbook-output"

#: The code cell prepended to every downloadable notebook.
SETUP_SOURCE = f'''\
# Added to the downloaded notebook (not part of the book's source). The chapter writes its
# figure files, claim records and execution record under the book root: $RGBOOK_ROOT, else the
# nearest directory upward holding _config.yml. Outside a checkout of rgbook they go to
# ./{OUTPUT_DIR} instead.
import os
from pathlib import Path

if not os.environ.get("RGBOOK_ROOT"):
    _here = Path.cwd().resolve()
    _root = next((d for d in (_here, *_here.parents) if (d / "_config.yml").is_file()), None)
    if _root is None or not (_root / "rgbook").is_dir():
        (_here / "{OUTPUT_DIR}").mkdir(exist_ok=True)
        os.environ["RGBOOK_ROOT"] = str(_here / "{OUTPUT_DIR}")
'''

_INTRO = """\
*This notebook is the chapter **{title}** of the book rgbook, with the outputs of the
execution that built the book{commit}.* It runs in plain Jupyter with the `rgbook` package
installed (`pip install -e '.[book]'` in a checkout of the book; see its README for the CPU
build of torch). The markdown cells are MyST: directives, roles and cross-references
(`{{numref}}`, `{{cite:p}}`, `{{glue:text}}`) show as text here and are rendered in the HTML book.
The first code cell below was added for running outside the book's repository."""


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "?"


def executed(chapter: str, root: Path | None = None):
    """The chapter's notebook with the outputs of its cached execution (nothing is executed).

    The notebook is read from the chapter's source exactly as MyST-NB reads it and its cells
    are matched to the execution cache by their code (``rgbook.build``). Raises ``KeyError``
    when the cache holds no execution of the chapter's current code cells.
    """
    from . import build

    root = Path(root) if root is not None else build.book_root()
    nb = build.read_notebook(chapter, root)
    _, merged = build._cache(root).merge_match_into_notebook(nb)
    return merged


def downloadable(nb, *, commit: str | None = None):
    """A copy of the executed notebook ``nb`` (nbformat 4) ready to download; ``nb`` is not changed.

    Adds the intro and setup cells (see the module docstring), sets the ``python3``
    kernelspec and a minimal ``language_info``, drops the jupytext text-representation
    metadata (the notebook is no longer paired with a ``.md`` file) and validates the result.
    """
    import nbformat

    if getattr(nb, "nbformat", None) != 4:
        raise ValueError(f"nb must be an nbformat 4 notebook (nbformat.read(..., as_version=4)), got {type(nb)!r}")
    out = copy.deepcopy(nb)
    out.metadata.pop("jupytext", None)
    out.metadata.pop("source_map", None)  # MyST-NB's map to the .md source lines
    out.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    out.metadata.setdefault("language_info", {"name": "python"})
    suffix = f", commit {commit[:12]}" if commit and commit != "unknown" else ""
    intro = nbformat.v4.new_markdown_cell(_INTRO.format(title=_title(nb), commit=suffix))
    setup = nbformat.v4.new_code_cell(SETUP_SOURCE, metadata={"tags": ["rgbook-download-setup"]})
    for cell in (intro, setup):
        cell.pop("id", None)
    out.cells = [intro, setup, *out.cells]
    # Cell ids: keep the ones MyST-NB wrote, give the new cells fresh unique ones.
    seen = {c.get("id") for c in out.cells[2:]}
    for i, cell in enumerate(out.cells[:2]):
        cid = f"rgbook-download-{i}"
        while cid in seen:
            cid += "x"
        cell["id"] = cid
    out.nbformat, out.nbformat_minor = 4, max(int(out.get("nbformat_minor", 5)), 5)
    nbformat.validate(out)
    return out


def write_downloadable(chapter: str, dest: Path, *, root: Path | None = None, commit: str | None = None) -> Path:
    """Write the :func:`downloadable` form of the chapter's :func:`executed` notebook to ``dest``; returns ``dest``."""
    import nbformat

    dest = Path(dest)
    nb = executed(chapter, root)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".ipynb.tmp")
    nbformat.write(downloadable(nb, commit=commit), tmp)
    tmp.replace(dest)
    return dest
