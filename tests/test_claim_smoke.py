"""One smoke test per registered claim: its measure at the protocol's ``smoke()`` size.

The smoke protocol is far too small for a verdict, so the test checks structure, not the
verdict: the measure returns a non-empty list of :class:`~rgbook.claims.Row` with finite
numbers, it reads every tolerance its statement names (so the displayed tolerance is the one
used), and the claim points to an existing chapter document and figure label. The ``claim``
argument is parametrized over the registry by ``conftest.py``.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from rgbook import claims
from rgbook.chapters import CHAPTER_MODULES

ROOT = Path(__file__).resolve().parents[1]


class ReadTracker(Mapping):
    """The claim's tolerances as a read-only mapping that remembers which keys were read."""

    def __init__(self, values: Mapping[str, float]) -> None:
        self._values = dict(values)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> float:
        value = self._values[key]
        self.read.add(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def test_claim_smoke(claim):
    protocol = claim.protocol
    assert dataclasses.is_dataclass(protocol) and protocol.__dataclass_params__.frozen, (
        f"{claim.id}: the protocol must be a frozen dataclass"
    )
    smoke = protocol.smoke()
    assert type(smoke) is type(protocol), f"{claim.id}: smoke() must return a {type(protocol).__name__}"
    hash(smoke)  # memoized runs key on the protocol

    tol = ReadTracker(claim.tolerances)
    rows = claim.measure(smoke, tol)
    assert isinstance(rows, list) and rows, f"{claim.id}: measure returned {rows!r}, expected a non-empty list"
    for row in rows:
        assert isinstance(row, claims.Row), f"{claim.id}: {row!r} is not a Row"
        assert isinstance(row.quantity, str) and row.quantity, f"{claim.id}: row without a quantity name"
        for name in ("predicted", "measured", "tolerance"):
            value = getattr(row, name)
            assert math.isfinite(value), f"{claim.id}: row {row.quantity!r} has {name} = {value}"
    quantities = [row.quantity for row in rows]
    assert len(set(quantities)) == len(quantities), f"{claim.id}: duplicate row names {quantities}"
    unread = set(claim.tolerances) - tol.read
    assert not unread, f"{claim.id}: the statement names tolerances {sorted(unread)} that the measure never reads"
    assert claims.Result(claim, rows).status in ("holds", "fails")


def test_claim_structure(claim):
    """The claim points to its own chapter module, an existing chapter document and figure."""
    for name in claim.tolerances:
        assert "{" + name + "}" in claim.statement, f"{claim.id}: tolerance {name!r} not in the statement"
    assert claim.text  # renders: every field is a tolerance
    module = sys.modules[claim.module]
    assert claim.module.startswith("rgbook.chapters."), f"{claim.id}: measure lives in {claim.module}"
    assert module.CHAPTER == claim.chapter, f"{claim.id}: chapter {claim.chapter} but module says {module.CHAPTER}"
    assert (ROOT / f"{claim.chapter}.md").is_file(), f"{claim.id}: {claim.chapter}.md does not exist"
    assert claim.module.rsplit(".", 1)[-1] == claim.chapter.removeprefix("book/")
    if claim.figure:
        assert claim.figure in module.FIGURES, f"{claim.id}: figure {claim.figure} not among {module.FIGURES}"


def test_registry_collects_every_chapter_module():
    registry = claims.registry()
    modules = {c.module.rsplit(".", 1)[-1] for c in registry.values()}
    assert modules <= set(CHAPTER_MODULES)
    assert list(registry) == [c.id for c in registry.values()]
