r"""The claims framework: what a claim is, how it is measured, recorded and gathered.

A *claim* pairs a statement of one of the two papers (paraphrased, since the full texts were
unavailable) with **our** precise, testable reconstruction of it, and a *measure*: a callable
``measure(protocol, tol) -> list[Row]`` that computes evidence rows::

    Row(quantity, predicted, measured, tolerance, role)

A row passes when :math:`|\text{measured} - \text{predicted}| \le \text{tolerance}`. Its
*role* says what it is evidence of:

``"evidence"``
    a measurement of the claim itself (the trained network, the RG map);
``"control"``
    the same prediction tested on something the claim is *not* about (random layers, a
    counterexample layer): a control never makes a claim fail, it decides whether a claim
    that holds *discriminates*;
``"consistency"``
    a check that cannot fail short of a bug (normalization, a positive control that is
    exact by construction); it must pass, and is shown apart from the evidence.

The claim's **status** is "holds" when every evidence and consistency row passes and
"fails" otherwise; claims not executed in a build are "not-run". Its **verdict** adds what
the controls say, for claims about networks (every reading but ``"RG"``):

* "holds and discriminates": it holds, and every control row *fails* the prediction;
* "holds but not specific to training": it holds, and some control satisfies it too;
* "fails".

Claims of the RG side (standard physics, no training) have verdict "holds" or "fails". A
network claim that holds must return at least one control row (else :meth:`Claim.run` raises);
a failing one needs none for its verdict.

A claim holds its tolerances as numbers (``Claim.tolerances``); its displayed statement
(:attr:`Claim.text`) is generated from a template whose ``{name}`` fields are exactly those
tolerances, and the measure receives the same numbers, so prose and rows cannot drift.

Claims live in the chapter modules (:mod:`rgbook.chapters`), next to the protocol, the run
functions and the figures of their chapter; :func:`registry` collects them. :func:`check`
runs a claim's measure and records the result as ``_build/claims/<id>.json`` under the book
root; :func:`write_ledger` gathers the records into ``_build/claims.json``. The book root is
the nearest directory upward from the working directory that holds ``_config.yml``; the
environment variable ``RGBOOK_ROOT`` overrides it.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "PAPER_I_CLAIM",
    "Claim",
    "Row",
    "Result",
    "registry",
    "get",
    "check",
    "book_root",
    "write_ledger",
    "load_records",
    "clear_records",
    "STATUSES",
    "VERDICTS",
    "ROLES",
    "READINGS",
    "verdict_of",
    "record_verdict",
]

STATUSES = ("holds", "fails", "not-run")

#: Paper I's main claim, paraphrased from its abstract: the ``paper_claim`` of every claim that
#: reads it (literally or, with a sentence added, more strongly).
PAPER_I_CLAIM = (
    "Paper I: for 1D Ising input data, once the FC DNN's parameters are optimal after training, the limit of the "
    "coupling constant in the partition function of the network output equals the stable fixed point of the "
    "coupling constant under real-space RG of the input (abstract)."
)

#: What a row is evidence of (see the module docstring).
ROLES = ("evidence", "control", "consistency")

#: Verdicts: network claims use the first three and "fails"; RG claims "holds" / "fails".
VERDICTS = ("holds and discriminates", "holds but not specific to training", "holds", "fails", "not-run")

#: Readings: "L" the paper's literal claim, "A"/"B"/"C" our stronger readings, "X" our questions beyond
#: the papers (the 2D Ising critical point), "RG" standard physics.
READINGS = ("L", "A", "B", "C", "X", "RG")

#: Papers: "I" (1D Ising data), "II" (exponential family), "2D" (beyond both papers: the 2D Ising critical point).
PAPERS = ("I", "II", "2D")


@dataclass(frozen=True)
class Row:
    """One line of evidence: a measured number against the number the claim predicts.

    ``role`` is ``"evidence"`` (default), ``"control"`` or ``"consistency"`` (see :data:`ROLES`).
    """

    quantity: str
    predicted: float
    measured: float
    tolerance: float
    role: str = "evidence"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"Row.role must be one of {ROLES}, got {self.role!r}")
        for name in ("predicted", "measured", "tolerance"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise TypeError(f"Row.{name} must be a real number, got {type(value).__name__}")
        if not (self.tolerance >= 0 and math.isfinite(self.tolerance)):
            raise ValueError(f"Row.tolerance must be finite and >= 0, got {self.tolerance}")

    @property
    def passes(self) -> bool:
        """True when the measured value lies within tolerance of the prediction (NaN fails)."""
        diff = abs(float(self.measured) - float(self.predicted))
        return bool(math.isfinite(diff) and diff <= self.tolerance)

    def to_json(self) -> dict:
        return {"quantity": self.quantity, "predicted": self.predicted, "measured": self.measured,
                "tolerance": self.tolerance, "passes": self.passes, "role": self.role}


def _format_number(value: float) -> str:
    """Tolerances as a reader writes them: 0.02, 1e-09, 5."""
    return f"{value:g}"


class _Formatted:
    """A protocol value inside a statement template: numbers as ``:g``, sequences comma-separated."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __getattr__(self, name: str) -> _Formatted:
        return _Formatted(getattr(self.value, name))

    def __getitem__(self, key: Any) -> _Formatted:
        return _Formatted(self.value[key])

    def __format__(self, spec: str) -> str:
        value = self.value
        if isinstance(value, (tuple, list)):
            return ", ".join(_Formatted(v).__format__(spec) for v in value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return format(value, spec) if spec else str(value)
        return format(value, spec or "g")

    def __str__(self) -> str:
        return self.__format__("")


class ProtocolView(_Formatted):
    """The protocol as a statement template sees it (``{protocol.n_restarts}``)."""


@dataclass(frozen=True)
class Claim:
    """A registered claim.

    Attributes
    ----------
    id : str
        Stable identifier, e.g. ``"I.rg.decimation"`` (paper, reading, name).
    paper : str
        ``"I"`` (Ising data, arXiv:2212.00005) or ``"II"`` (exponential family, arXiv:2606.00157).
    reading : str
        ``"L"`` (the paper's literal claim, as its abstract states it), ``"A"``, ``"B"`` or
        ``"C"`` (our stronger readings of the network side, labelled "ours"; see the chapter
        *Reading the papers*) or ``"RG"`` (the RG side, standard physics).
    paper_claim : str
        The paper's claim, paraphrased from its abstract (for a stronger reading: which paper
        claim it strengthens).
    statement : str
        Template of our reconstruction; every ``{name}`` field is a key of ``tolerances``.
    tolerances : Mapping[str, float]
        The claim's tolerances as numbers, passed to ``measure``.
    chapter : str
        Book document (e.g. ``"book/ising_rg"``) where the evidence is shown.
    measure : callable
        ``measure(protocol, tol) -> list[Row]``.
    protocol : object
        The chapter's protocol (a frozen dataclass with a ``smoke()`` variant) the book uses.
    figure : str
        Label of the figure that shows the evidence ("" if none).
    title : str
        Short name of what the claim tests (e.g. "the optimal layer is decimation"); shown
        beside the id in the ledger, the summary and the CLI ("" if none).
    constants : tuple of str
        The numbers the statement writes by hand because they are physics or mathematics
        (fixed points, exponents, "R_2"), not protocol: see ``tests/test_statements.py``.
    """

    id: str
    paper: str
    reading: str
    paper_claim: str
    statement: str
    tolerances: Mapping[str, float]
    chapter: str
    measure: Callable[[Any, Mapping[str, float]], list[Row]] = field(repr=False)
    protocol: Any = field(repr=False)
    figure: str = ""
    title: str = ""
    #: Numbers a statement writes by hand because they are physics or mathematics, not protocol
    #: (e.g. ``("0", "1/2", "15/8")``); every other number comes from the protocol or a tolerance.
    constants: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.paper not in PAPERS:
            raise ValueError(f"Claim.paper must be one of {PAPERS}, got {self.paper!r}")
        if (self.paper == "2D") != (self.reading in ("X", "RG")) and self.reading != "RG":
            raise ValueError(f"claim {self.id}: reading 'X' (beyond the papers) goes with paper '2D' and only with it")
        if self.reading not in READINGS:
            raise ValueError(f"Claim.reading must be one of {READINGS}, got {self.reading!r}")
        if not callable(self.measure):
            raise TypeError(f"Claim.measure of {self.id} must be callable")
        fields = {name.split(".")[0].split("[")[0]
                  for _, name, _, _ in string.Formatter().parse(self.statement) if name}
        keys = set(self.tolerances)
        if fields - {"protocol"} != keys:
            raise ValueError(
                f"statement of {self.id} must name exactly its tolerances (and protocol numbers as "
                f"{{protocol.NAME}}): fields {sorted(fields)}, tolerances {sorted(keys)}"
            )
        for name, value in self.tolerances.items():
            if not (isinstance(value, (int, float)) and value >= 0 and math.isfinite(value)):
                raise ValueError(f"tolerance {name!r} of {self.id} must be a finite number >= 0, got {value!r}")

    @property
    def about_networks(self) -> bool:
        """True for claims about trained networks (every reading but ``"RG"``): they need controls."""
        return self.reading != "RG"

    @property
    def literal(self) -> bool:
        """True for the paper's literal claim (reading ``"L"``); False for our readings and the RG side."""
        return self.reading == "L"

    @property
    def ours(self) -> bool:
        """True for our stronger readings (``"A"``, ``"B"``, ``"C"``) and questions beyond the papers (``"X"``)."""
        return self.reading in ("A", "B", "C", "X")

    @property
    def text(self) -> str:
        """The statement with its tolerances and protocol numbers written in."""
        return self.render(self.protocol)

    def render(self, protocol: Any) -> str:
        """The statement written out for ``protocol`` (the book's protocol gives :attr:`text`).

        ``{name}`` fields are tolerances; ``{protocol.NAME}`` fields (optionally with a format
        spec, e.g. ``{protocol.steps:,}``) read the protocol, so a protocol number is never
        written by hand: numbers format as ``:g``, tuples and lists as comma-separated numbers.
        """
        return self.statement.format(protocol=ProtocolView(protocol),
                                     **{k: _format_number(v) for k, v in self.tolerances.items()})

    @property
    def module(self) -> str:
        """The chapter module that holds the claim and its measure."""
        return self.measure.__module__

    @property
    def function(self) -> str:
        """``module:function`` of the measure."""
        return f"{self.measure.__module__}:{self.measure.__qualname__}"

    def run(self, protocol: Any = None) -> Result:
        """Run the measure on ``protocol`` (default: the book's) and return the result (not recorded)."""
        rows = self.measure(self.protocol if protocol is None else protocol, dict(self.tolerances))
        if not rows or not all(isinstance(r, Row) for r in rows):
            raise TypeError(f"measure of {self.id} must return a non-empty list of Row")
        if not any(r.role == "evidence" for r in rows):
            raise ValueError(f"measure of {self.id} must return at least one evidence row")
        result = Result(self, list(rows))
        if self.about_networks and result.status == "holds" and not result.controls:
            # A failing claim needs no control for its verdict; a holding one does, to say
            # whether it discriminates trained networks from untrained ones.
            raise ValueError(f"claim {self.id} (reading {self.reading!r}) is about networks and holds, so it must "
                             "return at least one control row (Row(..., role='control')) for its verdict; got none")
        return result


@dataclass
class Result:
    """The outcome of running a claim: its rows, status and verdict."""

    claim: Claim
    rows: list[Row] = field(default_factory=list)

    @property
    def status(self) -> str:
        """"holds" when every evidence and consistency row passes, "fails" otherwise ("not-run": no rows)."""
        if not self.rows:
            return "not-run"
        return "holds" if all(r.passes for r in self.rows if r.role != "control") else "fails"

    @property
    def verdict(self) -> str:
        """The three-valued verdict of a network claim, or "holds"/"fails" for an RG claim (see module docstring)."""
        return verdict_of(self.claim.reading, self.status, [r.passes for r in self.rows if r.role == "control"])

    @property
    def evidence(self) -> list[Row]:
        return [r for r in self.rows if r.role == "evidence"]

    @property
    def controls(self) -> list[Row]:
        return [r for r in self.rows if r.role == "control"]

    @property
    def consistency(self) -> list[Row]:
        return [r for r in self.rows if r.role == "consistency"]

    def table(self):
        """Evidence as a :class:`pandas.DataFrame` (one row per :class:`Row`), for display."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "quantity": r.quantity,
                    "predicted": r.predicted,
                    "measured": r.measured,
                    "|difference|": abs(r.measured - r.predicted),
                    "tolerance": r.tolerance,
                    "passes": "yes" if r.passes else "NO",
                    "role": r.role,
                }
                for r in self.rows
            ]
        )

    def to_json(self) -> dict:
        c = self.claim
        return {
            "id": c.id, "paper": c.paper, "reading": c.reading, "paper_claim": c.paper_claim,
            "statement": c.text, "tolerances": dict(c.tolerances), "chapter": c.chapter,
            "module": c.module, "measure": c.function, "figure": c.figure,
            "title": c.title, "status": self.status, "verdict": self.verdict, "literal": c.literal, "ours": c.ours,
            "rows": [r.to_json() for r in self.rows],
        }


def verdict_of(reading: str, status: str, control_passes: Iterable[bool]) -> str:
    """Verdict from a claim's reading, its status and whether each control row passes.

    RG claims: the status. Network claims: "fails" if the status fails; "holds and
    discriminates" if it holds and every control fails the prediction; "holds but not
    specific to training" if some control passes it.
    """
    if status not in ("holds", "fails"):
        return "not-run"
    if reading == "RG" or status == "fails":
        return status
    controls = list(control_passes)
    if not controls:
        raise ValueError(f"a network claim (reading {reading!r}) needs at least one control row for its verdict")
    return "holds but not specific to training" if any(controls) else "holds and discriminates"


def record_verdict(record: dict | None) -> str:
    """The verdict of a recorded result (records written before verdicts existed: recomputed from rows)."""
    if not record:
        return "not-run"
    if "verdict" in record:
        return record["verdict"]
    try:
        return verdict_of(record.get("reading", "RG"), record["status"],
                          [r["passes"] for r in record.get("rows", []) if r.get("role") == "control"])
    except ValueError:
        return record["status"]


def summary(results: Iterable[Result]):
    """One line per claim (id, reading, evidence/control/consistency rows passing, verdict) as a DataFrame."""
    import pandas as pd

    def count(rows):
        return f"{sum(row.passes for row in rows)}/{len(rows)}" if rows else "-"

    return pd.DataFrame(
        [
            {"claim": r.claim.id, "reading": r.claim.reading + (" (ours)" if r.claim.ours else ""),
             "evidence passing": count(r.evidence), "controls passing": count(r.controls),
             "consistency passing": count(r.consistency), "verdict": r.verdict}
            for r in results
        ]
    )


def registry() -> dict[str, Claim]:
    """Every claim of every chapter module, in book order (imports the chapter modules)."""
    from .chapters import CHAPTER_MODULES

    claims: dict[str, Claim] = {}
    for name in CHAPTER_MODULES:
        module = importlib.import_module(f"rgbook.chapters.{name}")
        for claim in module.CLAIMS:
            if claim.id in claims:
                raise ValueError(f"claim id {claim.id} registered twice")
            claims[claim.id] = claim
    return claims


def get(claim_id: str) -> Claim:
    """The registered :class:`Claim` with this id (``KeyError`` lists the known ids)."""
    if not isinstance(claim_id, str):
        raise TypeError(f"claim_id must be a string, got {type(claim_id).__name__}")
    claims = registry()
    try:
        return claims[claim_id]
    except KeyError:
        raise KeyError(f"unknown claim {claim_id!r}; registered: {sorted(claims)}") from None


def book_root(start: Path | None = None) -> Path:
    """The book root: ``$RGBOOK_ROOT`` or the nearest ancestor holding ``_config.yml``."""
    env = os.environ.get("RGBOOK_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "_config.yml").is_file():
            return candidate
    raise FileNotFoundError(f"no _config.yml found above {here}; set RGBOOK_ROOT to the book's root directory")


def _records_dir(root: Path | None) -> Path:
    return (root or book_root()) / "_build" / "claims"


def record(result: Result, root: Path | None = None) -> Path:
    """Write ``_build/claims/<id>.json`` atomically (write, then rename)."""
    out = _records_dir(root)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".{result.claim.id}.json.tmp"
    tmp.write_text(json.dumps(result.to_json(), indent=2, sort_keys=True))
    path = out / f"{result.claim.id}.json"
    tmp.replace(path)
    return path


def check(claim: str | Claim, protocol: Any = None, *, root: Path | None = None, record_result: bool = True) -> Result:
    """Run a claim's measure (on the book's protocol unless ``protocol`` is given), record it, return it.

    A run on any protocol other than the book's is never recorded.
    """
    claim = get(claim) if isinstance(claim, str) else claim
    result = claim.run(protocol)
    if record_result and (protocol is None or protocol == claim.protocol):
        record(result, root)
    return result


def load_records(root: Path | None = None) -> dict[str, dict]:
    """All recorded claim results under ``_build/claims/``, by id."""
    out = _records_dir(root)
    records = {}
    for path in sorted(out.glob("*.json")) if out.is_dir() else []:
        rec = json.loads(path.read_text())
        records[rec["id"]] = rec
    return records


def clear_records(claim_ids: Iterable[str], root: Path | None = None) -> None:
    """Remove the records of these claims (a chapter does this before it re-measures them)."""
    out = _records_dir(root)
    for claim_id in claim_ids:
        (out / f"{claim_id}.json").unlink(missing_ok=True)


def write_ledger(root: Path | None = None, expect: Iterable[str] | None = None) -> Path:
    """Gather recorded results into ``_build/claims.json``.

    ``claims`` lists the measured claims (status ``holds`` or ``fails``) in registry order;
    ``not_run`` lists registered ids with no record. If ``expect`` is given, a missing record
    among those ids raises ``RuntimeError``: the build promised to measure them. Records of
    ids no chapter registers any more are dropped.
    """
    root = root or book_root()
    records = load_records(root)
    ids = list(registry())
    measured = [records[i] for i in ids if i in records]
    not_run = [i for i in ids if i not in records]
    missing = sorted(set(expect or ()) - set(records))
    if missing:
        raise RuntimeError(f"claims expected from the build but not measured: {missing}")
    path = root / "_build" / "claims.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"claims": measured, "not_run": not_run}, indent=2, sort_keys=True))
    return path
