"""Downloadable executed notebooks (rgbook.notebooks): valid for plain Jupyter, runnable outside the book."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

from rgbook import notebooks  # noqa: E402


def _executed_like():
    nb = nbformat.v4.new_notebook()
    nb.metadata["jupytext"] = {"text_representation": {"extension": ".md", "format_name": "myst"}}
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["source_map"] = [3, 7]
    nb.cells = [
        nbformat.v4.new_markdown_cell("(x)=\n# A chapter title\n\nText."),
        nbformat.v4.new_code_cell(
            "1 + 1",
            outputs=[nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1)],
            execution_count=1,
        ),
    ]
    return nb


def test_downloadable_is_valid_python3_and_leaves_the_input_alone():
    nb = _executed_like()
    before = nbformat.writes(nb)
    out = notebooks.downloadable(nb, commit="0123456789abcdef")
    nbformat.validate(out)
    assert nbformat.writes(nb) == before
    assert out.metadata["kernelspec"]["name"] == "python3"
    assert "jupytext" not in out.metadata and "source_map" not in out.metadata
    assert [c.cell_type for c in out.cells] == ["markdown", "code", "markdown", "code"]
    assert "A chapter title" in out.cells[0].source and "0123456789ab" in out.cells[0].source
    assert out.cells[1].source == notebooks.SETUP_SOURCE
    assert out.cells[3].outputs[0]["data"]["text/plain"] == "2"  # outputs kept
    assert len({c["id"] for c in out.cells}) == len(out.cells)


def test_downloadable_rejects_non_notebooks():
    with pytest.raises(ValueError, match="nb must be an nbformat 4 notebook"):
        notebooks.downloadable({"cells": []})


def _root_after_setup(cwd: Path) -> str:
    code = notebooks.SETUP_SOURCE + "\nprint(os.environ.get('RGBOOK_ROOT', ''))\n"
    env = {k: v for k, v in os.environ.items() if k != "RGBOOK_ROOT"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_setup_cell_sends_outputs_to_rgbook_output_outside_a_checkout(tmp_path):
    assert _root_after_setup(tmp_path) == str((tmp_path / notebooks.OUTPUT_DIR).resolve())
    assert (tmp_path / notebooks.OUTPUT_DIR).is_dir()


def test_setup_cell_does_nothing_inside_a_checkout(tmp_path):
    (tmp_path / "_config.yml").write_text("title: x\n")
    (tmp_path / "rgbook").mkdir()
    (tmp_path / "book").mkdir()
    assert _root_after_setup(tmp_path / "book") == ""
    assert not (tmp_path / "book" / notebooks.OUTPUT_DIR).exists()


def test_setup_cell_ignores_a_foreign_book(tmp_path):
    (tmp_path / "_config.yml").write_text("title: another book\n")  # no rgbook package beside it
    assert _root_after_setup(tmp_path) == str((tmp_path / notebooks.OUTPUT_DIR).resolve())
