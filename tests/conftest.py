"""Shared test setup: parametrization over the registered claims.

A test that takes a ``claim`` argument runs once per claim registered by the chapter modules
(:data:`rgbook.chapters.CHAPTER_MODULES`), with the claim id as its test id, e.g.
``test_claim_smoke[I.A2]``. Collection imports each chapter module separately: a module that
fails to import (or whose ``CLAIMS`` is malformed) yields one failing test named after the
module instead of breaking the collection of every other claim.
"""

from __future__ import annotations

import importlib

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
