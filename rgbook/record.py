"""The committed verdict record: ``verdicts.json`` at the book root.

For every claim it holds the verdict, the status and every row (quantity, role, predicted,
measured, tolerance, passes, and a control's decision), each number to :data:`RTOL` (relative)
or :data:`ATOL` (absolute). ``make book`` compares the claim records of the fresh build with
it (:func:`compare`) and fails, naming the claim and the row, when a verdict, a status, a role,
a pass/fail or a number differs; ``python -m rgbook reproduce`` re-measures and compares with
it too. An intended change is taken in only by ``python -m rgbook accept CLAIM ...``
(:func:`accept`), which rewrites the entries of those claims, so the change shows in the diff
of the commit that makes it (whose message gives the reason).

The file is written with sorted keys and one row per line, so a diff names the row.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["RTOL", "ATOL", "RECORD_FILE", "entry", "load", "compare", "accept", "write"]

#: Numbers compare equal within RTOL * max(|a|, |b|) + ATOL. The book is bit-reproducible on one
#: kind of machine (``make check-determinism``); the slack absorbs the last digits that BLAS and
#: torch may change with the thread count when a claim is re-measured outside ``make book``.
RTOL = 1e-6
ATOL = 1e-12
RECORD_FILE = "verdicts.json"

_ROW_KEYS = ("quantity", "role", "predicted", "measured", "tolerance", "passes", "lo", "hi", "decision")
_NUMBER_KEYS = ("predicted", "measured", "tolerance", "lo", "hi")
_EXACT_KEYS = ("quantity", "role", "passes", "decision")


def _number(value):
    """JSON-safe number (NaN and infinities as strings, as Python's json would write invalid JSON)."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def _as_float(value) -> float:
    return float(value) if isinstance(value, str) else value


def entry(record: Mapping) -> dict:
    """The verdict-record entry of one claim record (``_build/claims/<id>.json``)."""
    rows = []
    for row in record.get("rows", []):
        out = {}
        for key in _ROW_KEYS:
            if key in row and row[key] is not None:
                out[key] = _number(row[key]) if key in _NUMBER_KEYS else row[key]
        rows.append(out)
    return {
        "verdict": record["verdict"],
        "status": record["status"],
        "reading": record.get("reading", ""),
        "rows": rows,
    }


def load(root: Path) -> dict[str, dict] | None:
    """The committed record's claims by id, or None when there is no ``verdicts.json``."""
    path = Path(root) / RECORD_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); restore it with git") from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), dict):
        raise ValueError(f"{path} must hold an object with a 'claims' object")
    return data["claims"]


def _close(a, b) -> bool:
    a, b = _as_float(a), _as_float(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= RTOL * max(abs(a), abs(b)) + ATOL


def compare(
    records: Mapping[str, Mapping], expected: Mapping[str, Mapping], ids: Iterable[str] | None = None
) -> list[str]:
    """Differences between fresh claim records and the committed record, one line each ([] if none).

    ``ids`` restricts the comparison (default: every id in either); a claim measured but absent
    from the record, or recorded but not measured, is a difference.
    """
    wanted = list(ids) if ids is not None else sorted(set(records) | set(expected))
    problems = []
    for claim_id in wanted:
        got, want = records.get(claim_id), expected.get(claim_id)
        if want is None:
            problems.append(
                f"{claim_id}: measured, but not in {RECORD_FILE} (a new claim: "
                f"`python -m rgbook accept {claim_id}` takes it in)"
            )
            continue
        if got is None:
            problems.append(f"{claim_id}: in {RECORD_FILE}, but not measured by this build")
            continue
        got = entry(got)
        for key in ("verdict", "status"):
            if got[key] != want.get(key):
                problems.append(f"{claim_id}: {key} {got[key]!r}, recorded {want.get(key)!r}")
        got_rows, want_rows = got["rows"], want.get("rows", [])
        if len(got_rows) != len(want_rows):
            problems.append(f"{claim_id}: {len(got_rows)} rows, recorded {len(want_rows)}")
        for i, (g, w) in enumerate(zip(got_rows, want_rows)):
            name = f"{claim_id} row {i + 1} ({w.get('quantity', '?')})"
            for key in _EXACT_KEYS:
                if g.get(key) != w.get(key):
                    problems.append(f"{name}: {key} {g.get(key)!r}, recorded {w.get(key)!r}")
            for key in _NUMBER_KEYS:
                if (key in g) != (key in w):
                    problems.append(f"{name}: {key} {g.get(key)!r}, recorded {w.get(key)!r}")
                elif key in g and not _close(g[key], w[key]):
                    problems.append(
                        f"{name}: {key} {g[key]!r}, recorded {w[key]!r} (beyond rtol {RTOL:g} + atol {ATOL:g})"
                    )
    return problems


def write(root: Path, claims_by_id: Mapping[str, Mapping]) -> Path:
    """Write ``verdicts.json`` (sorted ids, one row per line)."""
    path = Path(root) / RECORD_FILE
    lines = ["{", f'  "precision": {{"rtol": {RTOL!r}, "atol": {ATOL!r}}},', '  "claims": {']
    ids = sorted(claims_by_id)
    for n, claim_id in enumerate(ids):
        e = claims_by_id[claim_id]
        head = {k: e[k] for k in ("verdict", "status", "reading")}
        body = json.dumps(head, sort_keys=True)[1:-1]
        rows = ",\n".join(f"      {json.dumps(r, sort_keys=True)}" for r in e["rows"])
        lines.append(
            f'    {json.dumps(claim_id)}: {{{body}, "rows": [\n{rows}\n    ]}}' + ("," if n < len(ids) - 1 else "")
        )
    lines += ["  }", "}", ""]
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text("\n".join(lines))
    json.loads(tmp.read_text())  # never commit a record that does not parse
    tmp.replace(path)
    return path


def accept(root: Path, records: Mapping[str, Mapping], ids: Iterable[str]) -> list[str]:
    """Take the fresh records of ``ids`` into ``verdicts.json``; returns one line per change."""
    current = load(root) or {}
    changes = []
    for claim_id in ids:
        if claim_id not in records:
            raise KeyError(f"claim {claim_id!r} has no record in this build (execute its chapter first)")
        new = entry(records[claim_id])
        old = current.get(claim_id)
        if old is None:
            changes.append(f"{claim_id}: new, verdict {new['verdict']!r}")
        else:
            diffs = compare({claim_id: records[claim_id]}, {claim_id: old}, [claim_id])
            changes.extend(diffs or [f"{claim_id}: unchanged"])
        current[claim_id] = new
    write(root, current)
    return changes


def drop(root: Path, ids: Iterable[str]) -> None:
    """Remove claims that no chapter registers any more from ``verdicts.json``."""
    current = load(root) or {}
    for claim_id in ids:
        current.pop(claim_id, None)
    write(root, current)
