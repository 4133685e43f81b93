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
    that holds *discriminates*. A control may carry the interval ``(lo, hi)`` of its
    measured value; it is then *decided* only when the whole interval lies inside the
    tolerance (it satisfies the prediction) or wholly outside it (it does not);
``"precondition"``
    the claim's own stated precondition (e.g. a loss plateau where the claim presupposes
    optimal layers); a failing precondition makes the verdict *inconclusive*;
``"consistency"``
    a check that cannot fail short of a bug (normalization, a positive control that is
    exact by construction); it must pass, and is shown apart from the evidence.

The claim's **status** is "holds" when every evidence and consistency row passes and
"fails" otherwise; claims not executed in a build are "not-run". Its **verdict** is defined
once, by :func:`verdict_of`. For claims about networks (every reading but ``"RG"``) it takes
one of four values:

* "inconclusive": a precondition row fails (the claim's own premise is unmet), or the claim
  holds, no control satisfies the prediction decisively and some control is undecided (its
  interval straddles the tolerance band) or there is no control to decide;
* "fails": the status fails (and every precondition holds);
* "holds but not specific to training": it holds, and some control decisively satisfies it;
* "holds and discriminates": it holds, and every control decisively fails the prediction.

Claims of the RG side (standard physics, no training) have verdict "holds" or "fails"; a
claim of the RG side that a chapter proves may consist of consistency rows alone. A network
claim needs at least one evidence row.

**Registration.** A claim's statement, tolerances and protocol are committed before its
measuring code. A change to any of them made after data (after the commit that first held
its measuring code) is listed in the claim's ``log`` (:class:`Change`); a change that is
more than editorial becomes an *amendment*: a new claim (``amends=`` the original id),
marked post hoc, registered beside the original, which keeps its registered statement and
the verdict that statement earns. :mod:`rgbook.audit` reads the git history and reports
any change not in the log.

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

from .changes import AMENDMENT_RULE_DATE, Change

__all__ = [
    "PAPER_I_CLAIM",
    "Claim",
    "Row",
    "Result",
    "Change",
    "AMENDMENT_RULE_DATE",
    "NETWORK_VERDICTS",
    "PAPERS",
    "ProtocolView",
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
ROLES = ("evidence", "control", "precondition", "consistency")

#: The four verdicts of a claim about networks (see :func:`verdict_of`).
NETWORK_VERDICTS = ("holds and discriminates", "holds but not specific to training", "fails", "inconclusive")
#: Every verdict a record can carry: the four above, "holds" (RG side) and "not-run".
VERDICTS = (
    "holds and discriminates",
    "holds but not specific to training",
    "holds",
    "fails",
    "inconclusive",
    "not-run",
)

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
    #: Optional interval of the measured value (controls: decides whether the control decides).
    lo: float | None = None
    hi: float | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"Row.role must be one of {ROLES}, got {self.role!r}")
        for name in ("predicted", "measured", "tolerance"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise TypeError(f"Row.{name} must be a real number, got {type(value).__name__}")
        if not (self.tolerance >= 0 and math.isfinite(self.tolerance)):
            raise ValueError(f"Row.tolerance must be finite and >= 0, got {self.tolerance}")
        if (self.lo is None) != (self.hi is None):
            raise ValueError("Row.lo and Row.hi go together: give both ends of the interval or neither")
        if self.lo is not None:
            for name in ("lo", "hi"):
                value = getattr(self, name)
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    raise TypeError(f"Row.{name} must be a real number, got {type(value).__name__}")
            if not self.lo <= self.hi:
                raise ValueError(f"Row.lo must be <= Row.hi, got [{self.lo}, {self.hi}]")

    @classmethod
    def in_range(cls, quantity: str, measured: float, bound: float, cap: float, role: str = "evidence") -> Row:
        """A row that passes when ``bound <= measured <= cap``, written as centre and half-width; the quantity
        says ``(passes in [bound, cap])``."""
        return cls(
            f"{quantity} (passes in [{bound:.4g}, {cap:.4g}])",
            0.5 * (bound + cap),
            float(measured),
            0.5 * (cap - bound),
            role,
        )

    @property
    def passes(self) -> bool:
        """True when the measured value lies within tolerance of the prediction (NaN fails)."""
        return _within(self.measured, self.predicted, self.tolerance)

    @property
    def decision(self) -> str:
        """ "passes", "fails" or "undecided": with an interval, "passes" needs the whole interval inside
        the tolerance band and "fails" the whole interval outside it; without one, :attr:`passes`."""
        if self.lo is None:
            return "passes" if self.passes else "fails"
        inside_lo, inside_hi = (
            _within(self.lo, self.predicted, self.tolerance),
            _within(self.hi, self.predicted, self.tolerance),
        )
        if inside_lo and inside_hi:
            return "passes"
        band_lo, band_hi = self.predicted - self.tolerance, self.predicted + self.tolerance
        if math.isfinite(self.lo) and math.isfinite(self.hi) and (self.hi < band_lo or self.lo > band_hi):
            return "fails"
        if not (math.isfinite(self.lo) or math.isfinite(self.hi)):
            return "fails" if not self.passes else "undecided"
        return "undecided"

    def to_json(self) -> dict:
        out = {
            "quantity": self.quantity,
            "predicted": self.predicted,
            "measured": self.measured,
            "tolerance": self.tolerance,
            "passes": self.passes,
            "role": self.role,
        }
        if self.lo is not None:
            out.update(lo=self.lo, hi=self.hi, decision=self.decision)
        return out


def _within(measured: float, predicted: float, tolerance: float) -> bool:
    diff = abs(float(measured) - float(predicted))
    return bool(math.isfinite(diff) and diff <= tolerance)


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
    #: For an amendment: the id of the claim it amends (it is then post hoc by definition).
    amends: str = ""

    def __post_init__(self) -> None:
        if self.paper not in PAPERS:
            raise ValueError(f"Claim.paper must be one of {PAPERS}, got {self.paper!r}")
        if (self.paper == "2D") != (self.reading in ("X", "RG")) and self.reading != "RG":
            raise ValueError(f"claim {self.id}: reading 'X' (beyond the papers) goes with paper '2D' and only with it")
        if self.reading not in READINGS:
            raise ValueError(f"Claim.reading must be one of {READINGS}, got {self.reading!r}")
        if not callable(self.measure):
            raise TypeError(f"Claim.measure of {self.id} must be callable")
        fields = {
            name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(self.statement) if name
        }
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
    def log(self) -> tuple[Change, ...]:
        """Every change of the claim's statement, tolerances, protocol or row roles after it was measured
        (kept in :mod:`rgbook.claim_log`, one place for every claim)."""
        from .claim_log import LOG

        return LOG.get(self.id, ())

    @property
    def registration_note(self) -> str:
        """What a reader must know about how the claim was registered ("" if nothing), from :mod:`rgbook.claim_log`."""
        from .claim_log import NOTES

        return NOTES.get(self.id, "")

    @property
    def post_hoc(self) -> bool:
        """True for an amendment: registered after the data of the claim it amends."""
        return bool(self.amends)

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
        return self.statement.format(
            protocol=ProtocolView(protocol), **{k: _format_number(v) for k, v in self.tolerances.items()}
        )

    @property
    def module(self) -> str:
        """The chapter module that holds the claim: ``rgbook.chapters.<chapter>`` when the measure lives there or
        in one of its sibling modules (``<chapter>_measures``, ``<chapter>_rows``...), else the measure's module."""
        own = self.measure.__module__
        chapter = "rgbook.chapters." + self.chapter.removeprefix("book/")
        return chapter if own.startswith(chapter + "_") else own

    @property
    def function(self) -> str:
        """``module:function`` of the measure."""
        return f"{self.measure.__module__}:{self.measure.__qualname__}"

    def run(self, protocol: Any = None) -> Result:
        """Run the measure on ``protocol`` (default: the book's) and return the result (not recorded)."""
        rows = self.measure(self.protocol if protocol is None else protocol, dict(self.tolerances))
        if not rows or not all(isinstance(r, Row) for r in rows):
            raise TypeError(f"measure of {self.id} must return a non-empty list of Row")
        if self.about_networks and not any(r.role == "evidence" for r in rows):
            raise ValueError(f"measure of {self.id} must return at least one evidence row")
        if not any(r.role in ("evidence", "consistency") for r in rows):
            raise ValueError(f"measure of {self.id} must return at least one evidence or consistency row")
        # A network claim that holds with no control row is "inconclusive" (verdict_of): nothing says whether
        # it discriminates trained networks from untrained ones. tests/test_record.py allows that only for an
        # original kept at its registered statement beside its amendment.
        return Result(self, list(rows))


@dataclass
class Result:
    """The outcome of running a claim: its rows, status and verdict."""

    claim: Claim
    rows: list[Row] = field(default_factory=list)

    @property
    def status(self) -> str:
        """ "holds" when every evidence and consistency row passes, "fails" otherwise ("not-run": no rows)."""
        if not self.rows:
            return "not-run"
        return "holds" if all(r.passes for r in self.rows if r.role in ("evidence", "consistency")) else "fails"

    @property
    def verdict(self) -> str:
        """The verdict (see :func:`verdict_of`)."""
        return verdict_of(
            self.claim.reading, self.status, [r.decision for r in self.controls], [r.passes for r in self.preconditions]
        )

    @property
    def preconditions(self) -> list[Row]:
        return [r for r in self.rows if r.role == "precondition"]

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
            "id": c.id,
            "paper": c.paper,
            "reading": c.reading,
            "paper_claim": c.paper_claim,
            "statement": c.text,
            "tolerances": dict(c.tolerances),
            "chapter": c.chapter,
            "module": c.module,
            "measure": c.function,
            "figure": c.figure,
            "title": c.title,
            "status": self.status,
            "verdict": self.verdict,
            "literal": c.literal,
            "ours": c.ours,
            "amends": c.amends,
            "post_hoc": c.post_hoc,
            "registration_note": c.registration_note,
            "rows": [r.to_json() for r in self.rows],
        }


def verdict_of(reading: str, status: str, controls: Iterable[bool | str], preconditions: Iterable[bool] = ()) -> str:
    """The verdict of a claim: the one place where verdicts are defined.

    ``controls`` holds, per control row, its decision: ``"passes"`` (the control satisfies the
    prediction), ``"fails"`` or ``"undecided"`` (its interval straddles the tolerance band);
    ``True``/``False`` stand for "passes"/"fails". ``preconditions`` holds, per precondition
    row, whether it passes.

    * RG claims (reading ``"RG"``): the status, "holds" or "fails".
    * Network claims, in this order: "inconclusive" if a precondition fails; "fails" if the
      status fails; "holds but not specific to training" if some control passes;
      "inconclusive" if some control is undecided or there is no control at all; else
      "holds and discriminates".
    """
    if status not in ("holds", "fails"):
        return "not-run"
    if reading == "RG":
        return status
    if not all(preconditions):
        return "inconclusive"
    if status == "fails":
        return "fails"
    decisions = [{True: "passes", False: "fails"}.get(c, c) if isinstance(c, bool) else c for c in controls]
    bad = [d for d in decisions if d not in ("passes", "fails", "undecided")]
    if bad:
        raise ValueError(f"control decisions must be 'passes', 'fails' or 'undecided', got {bad}")
    if not decisions:
        return "inconclusive"  # nothing decides whether the result is specific to training
    if "passes" in decisions:
        return "holds but not specific to training"
    if "undecided" in decisions:
        return "inconclusive"
    return "holds and discriminates"


def record_verdict(record: dict | None) -> str:
    """The verdict of a recorded result (records written before verdicts existed: recomputed from rows)."""
    if not record:
        return "not-run"
    if "verdict" in record:
        return record["verdict"]
    try:
        rows = record.get("rows", [])
        return verdict_of(
            record.get("reading", "RG"),
            record["status"],
            [r.get("decision", r["passes"]) for r in rows if r.get("role") == "control"],
            [r["passes"] for r in rows if r.get("role") == "precondition"],
        )
    except ValueError:
        return record["status"]


def summary(results: Iterable[Result]):
    """One line per claim (id, reading, evidence/control/consistency rows passing, verdict) as a DataFrame."""
    import pandas as pd

    def count(rows):
        return f"{sum(row.passes for row in rows)}/{len(rows)}" if rows else "-"

    return pd.DataFrame(
        [
            {
                "claim": r.claim.id,
                "reading": r.claim.reading + (" (ours)" if r.claim.ours else ""),
                "evidence passing": count(r.evidence),
                "controls passing": count(r.controls),
                "consistency passing": count(r.consistency),
                "verdict": r.verdict,
            }
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


def write_ledger(
    root: Path | None = None, expect: Iterable[str] | None = None, histories: Mapping[str, Any] | None = None
) -> Path:
    """Gather recorded results into ``_build/claims.json``.

    ``histories`` (from :func:`rgbook.audit.histories`, passed by ``python -m rgbook ledger``) gives
    each claim's registration; without it the ledger records none.

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
    # Logs and registrations join at ledger time, never in a chapter's kernel: editing the log
    # must not re-execute every chapter (rgbook.build tracks the modules a kernel loads).
    claims_by_id = registry()
    for rec in measured:
        claim = claims_by_id[rec["id"]]
        rec["log"] = [entry.to_json() for entry in claim.log]
        rec["amends"], rec["post_hoc"] = claim.amends, claim.post_hoc
        rec["registration_note"] = claim.registration_note
        rec["amended_by"] = [c.id for c in claims_by_id.values() if c.amends == claim.id]
        history = (histories or {}).get(rec["id"])
        rec["registration"] = history.to_json() if history is not None else None
    path = root / "_build" / "claims.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"claims": measured, "not_run": not_run}, indent=2, sort_keys=True))
    return path
