"""Shared test setup: parametrization over the registered claims, and tiny books for the build's tests.

A test that takes a ``claim`` argument runs once per claim registered by the chapter modules
(:data:`rgbook.chapters.CHAPTER_MODULES`), with the claim id as its test id, e.g.
``test_claim_smoke[I.A2]``. Collection imports each chapter module separately: a module that
fails to import (or whose ``CLAIMS`` is malformed) yields one failing test named after the
module instead of breaking the collection of every other claim.

The fixture ``tiny_book`` writes a temporary book root (``RGBOOK_ROOT``) whose code chapters are
one-cell MyST notebooks calling ``build.begin`` and ``build.finish`` as the real chapters do
(``tests/test_build.py``, ``tests/test_executor.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import pytest

from rgbook.chapters import CHAPTER_MODULES


def _claim_params() -> list:
    params = []
    for name in CHAPTER_MODULES:
        try:
            module = importlib.import_module(f"rgbook.chapters.{name}")
            ids = [claim.id for claim in module.CLAIMS]
        except Exception as exc:  # any failure becomes that module's failing test
            params.append(pytest.param((name, None, f"{type(exc).__name__}: {exc}"), id=f"{name}-broken"))
            continue
        params.extend(pytest.param((name, claim_id, None), id=claim_id) for claim_id in ids)
    return params


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "claim" in metafunc.fixturenames:
        metafunc.parametrize("claim", _claim_params(), indirect=True)


@pytest.fixture
def claim(request):
    """The registered :class:`rgbook.claims.Claim` of this test's parameter."""
    module_name, claim_id, error = request.param
    if error is not None:
        pytest.fail(f"chapter module rgbook.chapters.{module_name} does not load: {error}")
    module = importlib.import_module(f"rgbook.chapters.{module_name}")
    return next(c for c in module.CLAIMS if c.id == claim_id)


# --------------------------------------------------------------------------------------
# tiny books for the build's tests

TINY_CONFIG = """\
title: test book
execute:
  execute_notebooks: cache
  cache: _build/.jupyter_cache
  timeout: 120
parse:
  myst_enable_extensions: [dollarmath, amsmath, colon_fence, deflist, substitution]
"""

#: A code chapter: ``{name}`` its name, ``{body}`` the code run between ``build.begin`` and ``build.finish``.
TINY_CHAPTER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {name}

```{{code-cell}} ipython3
from rgbook import build
build.begin("book/{name}")
{body}
build.finish("book/{name}")
```
"""


def write_tiny_book(root: Path, chapters: dict[str, str]) -> Path:
    """A book at ``root`` (config, toc, a prose intro, ``_build/``) whose code chapters are ``chapters``
    (name -> cell body, in toc order; ``{name}`` in a body is the chapter's name)."""
    (root / "_config.yml").write_text(TINY_CONFIG)
    files = "".join(f"      - file: book/{name}\n" for name in chapters)
    (root / "_toc.yml").write_text(
        f"format: jb-book\nroot: book/intro\nparts:\n  - caption: Chapters\n    chapters:\n{files}"
    )
    (root / "book").mkdir()
    (root / "_build").mkdir()
    (root / "book" / "intro.md").write_text("# Intro\n\nNo code here.\n")
    for name, body in chapters.items():
        (root / "book" / f"{name}.md").write_text(TINY_CHAPTER.format(name=name, body=body.format(name=name)))
    return root


@pytest.fixture
def tiny_book(tmp_path, monkeypatch) -> Callable[[dict[str, str]], Path]:
    """``tiny_book({"alpha": body, ...})`` writes :func:`write_tiny_book` at ``tmp_path``, the book root
    (``RGBOOK_ROOT``), and returns that root."""
    monkeypatch.setenv("RGBOOK_ROOT", str(tmp_path))
    return lambda chapters: write_tiny_book(tmp_path, chapters)
