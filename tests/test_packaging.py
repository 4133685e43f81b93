"""The installable package: a wheel built from the source tree ships every module of ``rgbook``.

A wheel that leaves out a subpackage (``rgbook.chapters`` holds the chapter modules the book
imports) installs without error and fails only when a chapter is executed away from the
repository. The wheel is built offline (no index, no build isolation: the build backend of the
test environment is used, nothing is downloaded) from a copy of the source tree, so that the
build leaves no ``build/`` or ``*.egg-info`` in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _source_modules() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / "rgbook").rglob("*.py") if "__pycache__" not in p.parts}


def test_source_tree_has_subpackages():
    """The check below is only meaningful if there is a subpackage to lose."""
    assert "rgbook/chapters/__init__.py" in _source_modules()
    assert any(m.startswith("rgbook/chapters/") and not m.endswith("__init__.py") for m in _source_modules())


def test_wheel_contains_every_module(tmp_path):
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "rgbook", src / "rgbook", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path / "wheels"
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            str(src),
            "-w",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheels = list(out.glob("rgbook-*.whl"))
    assert len(wheels) == 1, [p.name for p in out.iterdir()]
    with zipfile.ZipFile(wheels[0]) as wheel:
        shipped = {name for name in wheel.namelist() if name.endswith(".py")}
    missing = sorted(_source_modules() - shipped)
    assert not missing, f"the wheel leaves out {missing}"
    assert not {name for name in shipped if not name.startswith("rgbook/")}, "the wheel ships foreign modules"


def test_conda_environment_installs_with_the_lock():
    """environment.yml pins what `make venv` pins: torch first, every version from the lock, rgbook constrained."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict) and "pip" in dep)
    assert pip[0] == "torch==2.13.0"
    assert "-r requirements.lock" in pip and "-c requirements.lock" in pip
    editable = [entry for entry in pip if entry.startswith("-e ")]
    assert editable == ["-e .[book,test]"]
    assert pip.index("-r requirements.lock") < pip.index(editable[0])
    assert pip.index("-c requirements.lock") < pip.index(editable[0])
    # the torch pin agrees with the lock and with pyproject.toml, which `make venv` installs
    assert "torch==2.13.0" in (ROOT / "requirements.lock").read_text().split()
    assert '"torch==2.13.0"' in (ROOT / "pyproject.toml").read_text()
