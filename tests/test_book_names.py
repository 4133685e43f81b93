"""Every ``ch.NAME`` a chapter page uses exists in its chapter module (a moved name must stay re-exported)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
PAGES = sorted(p for p in BOOK.glob("*.md") if re.search(r"from rgbook\.chapters import \w+ as ch", p.read_text()))


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_chapter_names_used_by_the_page_exist(page):
    text = page.read_text()
    name = re.search(r"from rgbook\.chapters import (\w+) as ch", text)[1]
    module = importlib.import_module(f"rgbook.chapters.{name}")
    missing = sorted({name for name in re.findall(r"\bch\.([A-Za-z_]\w*)", text) if not hasattr(module, name)})
    assert not missing, f"{page.name} uses ch.{missing} that {module.__name__} does not define"


def test_the_pages_were_found():
    assert len(PAGES) >= 10
