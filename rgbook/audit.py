"""Registration audit: each claim's history, read from git.

For every claim (a ``Claim(id=...)`` call in any module under ``rgbook/``) the audit walks the
commits that touched ``rgbook/`` and records, statically (``ast``, nothing is imported):

* the **registration**: the first commit that states the claim;
* the **measure commit**: the first commit whose module holds the claim's measuring code
  (the function named by ``measure=`` exists there with a body that is not a stub, i.e. not
  only a docstring and ``raise NotImplementedError``);
* every later **change** of its *fingerprint*: a hash of the statement template and the
  tolerances (the ``statement=`` and ``tolerances=`` expressions) and of the values of the
  chapter protocol's fields (``class Protocol`` field defaults and the ``PROTOCOL = ...``
  call) that existed at the measure commit. The working tree counts as a last commit.

A change after the measure commit is *logged* when the claim's ``log`` holds a
:class:`rgbook.claims.Change` with that fingerprint; returning to the fingerprint of the
measure commit (a revert) needs no entry. :func:`main` prints the history and exits 1 when a
change is not logged. Row roles live in measuring code and are not fingerprinted: a role
change shows as a difference from the committed record ``verdicts.json`` instead.
"""

from __future__ import annotations

import ast
import hashlib
import subprocess
import warnings
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Event", "History", "histories", "histories_or_empty", "fingerprint_source", "main"]

_HASH_LEN = 12


@dataclass
class Event:
    commit: str  # short hash, or "working tree"
    date: str
    subject: str
    fingerprint: str
    parts: tuple[str, ...] = ()  # what changed: "statement", "tolerances", "protocol:<field>"
    text: str | None = None  # the statement rendered statically (None when it needs the protocol)
    previous_text: str | None = None  # the same, before this change

    @property
    def editorial(self) -> bool:
        """True when the change provably keeps the rendered statement and the protocol values."""
        return (
            self.text is not None
            and self.text == self.previous_text
            and not any(p.startswith("protocol:") for p in self.parts)
        )


@dataclass
class History:
    claim_id: str
    registered: Event
    measured: Event | None = None
    with_measure: bool = False  # registered in the same commit as its measuring code
    changes: list[Event] = field(default_factory=list)  # fingerprint changes after the measure commit
    path: str = ""

    def to_json(self) -> dict:
        def ev(e):
            return (
                None
                if e is None
                else {
                    "commit": e.commit,
                    "date": e.date,
                    "subject": e.subject,
                    "fingerprint": e.fingerprint,
                    "parts": list(e.parts),
                }
            )

        return {
            "registered": ev(self.registered),
            "measured": ev(self.measured),
            "registered_with_measure": self.with_measure,
            "changes": [ev(e) for e in self.changes],
        }


# ----------------------------------------------------------------------------------------
# static reading of one module


def _dump(node: ast.AST | None) -> str:
    return "" if node is None else ast.dump(node, annotate_fields=False, include_attributes=False)


def _is_stub(fn: ast.FunctionDef) -> bool:
    body = list(fn.body)
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(getattr(body[0], "value", None), ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    if not body:
        return True
    if len(body) == 1 and isinstance(body[0], ast.Raise):
        exc = body[0].exc
        name = exc.func if isinstance(exc, ast.Call) else exc
        return isinstance(name, ast.Name) and name.id == "NotImplementedError"
    return False


@dataclass
class _Module:
    claims: dict[str, tuple[str, str, str]]  # id -> (statement dump, tolerances dump, measure name)
    texts: dict[str, str | None]  # id -> statement rendered statically, if it can be
    protocol: dict[str, str]  # field -> value dump
    real: set[str]  # functions with a real body
    stubs: set[str]  # functions that are stubs
    nested: dict[str, str] = field(default_factory=dict)  # Protocol field -> class named by its default
    classes: dict[str, dict[str, str]] = field(default_factory=dict)  # class name -> field -> value dump


def _read_module(source: str) -> _Module:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # old sources may hold invalid escapes
            tree = ast.parse(source)
    except SyntaxError:
        return _Module({}, {}, {}, set(), set())
    assigns: dict[str, ast.AST] = {}
    real, stubs = set(), set()
    protocol: dict[str, str] = {}
    nested: dict[str, str] = {}
    classes: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigns[target.id] = node.value
                    if target.id == "PROTOCOL":
                        protocol["PROTOCOL"] = _dump(node.value)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            (stubs if _is_stub(node) else real).add(node.name)
        elif isinstance(node, ast.ClassDef):
            fields = {
                item.target.id: item.value
                for item in node.body
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
            }
            classes[node.name] = {name: _dump(value) for name, value in fields.items()}
            if node.name == "Protocol":
                for name, value in fields.items():
                    protocol[name] = _dump(value)
                    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
                        nested[name] = value.func.id
    found: dict[str, tuple[str, str, str]] = {}
    texts: dict[str, str | None] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name != "Claim":
            continue
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        if not isinstance(kw.get("id"), ast.Constant):
            continue

        def resolve(value):
            return assigns.get(value.id, value) if isinstance(value, ast.Name) else value

        measure = kw.get("measure")
        measure_name = measure.id if isinstance(measure, ast.Name) else _dump(measure)
        found[kw["id"].value] = (
            _dump(resolve(kw.get("statement"))),
            _dump(resolve(kw.get("tolerances"))),
            measure_name,
        )
        texts[kw["id"].value] = _render(resolve(kw.get("statement")), resolve(kw.get("tolerances")))
    return _Module(found, texts, protocol, real, stubs, nested, classes)


def _render(statement: ast.AST | None, tolerances: ast.AST | None) -> str | None:
    """The statement as the book renders it, when it is a literal template with literal tolerances."""
    try:
        template = ast.literal_eval(statement)
        tol = ast.literal_eval(tolerances) if tolerances is not None else {}
        return template.format(**{k: f"{v:g}" for k, v in tol.items()})
    except (ValueError, TypeError, KeyError, IndexError, SyntaxError, AttributeError):
        return None


def _expanded(module: _Module, classes: dict[str, dict[str, str]]) -> dict[str, str]:
    """The protocol's fields, with a field whose default constructs another dataclass (``a: ReadingA =
    ReadingA()``) expanded into that class's field defaults (``a.restarts``), wherever the class is defined."""
    out = dict(module.protocol)
    for name, cls in module.nested.items():
        for sub, value in classes.get(cls, {}).items():
            out[f"{name}.{sub}"] = value
    return out


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:_HASH_LEN]


def _fingerprint(stmt: str, tol: str, protocol: dict[str, str], fields: set[str] | None) -> str:
    names = sorted(fields if fields is not None else protocol)
    proto = "\x1e".join(f"{n}={protocol.get(n, '<removed>')}" for n in names)
    return _hash(stmt, tol, proto)


def fingerprint_source(source: str, claim_id: str, fields: set[str] | None = None) -> str:
    """The fingerprint of ``claim_id`` in a module's source (all protocol fields unless ``fields``)."""
    module = _read_module(source)
    stmt, tol, _ = module.claims[claim_id]
    return _fingerprint(stmt, tol, _expanded(module, module.classes), fields)


# ----------------------------------------------------------------------------------------
# walking git history


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


class _Blobs:
    """``git cat-file --batch``: file contents at commits, one process for the whole walk."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", "-C", str(root), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def get(self, commit: str, path: str) -> str:
        self.proc.stdin.write(f"{commit}:{path}\n".encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().decode()
        if header.endswith("missing\n"):
            return ""
        size = int(header.split()[2])
        data = self.proc.stdout.read(size + 1)[:-1]
        return data.decode("utf-8", errors="replace")

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def _commits(root: Path) -> list[tuple[str, str, str, list[str]]]:
    """(hash, date, subject, parent hashes) of every commit, parents before children (topological order)."""
    out = _git(root, "log", "--reverse", "--topo-order", "--format=%H%x09%cs%x09%P%x09%s")
    commits = []
    for line in out.splitlines():
        commit, date, parents, subject = (line.split("\t", 3) + ["", "", ""])[:4]
        commits.append((commit, date, subject, parents.split()))
    return commits


def _snapshot(root: Path, commit: str) -> dict[str, str]:
    """path -> blob id of every .py file under rgbook/ at ``commit``."""
    out = _git(root, "ls-tree", "-r", commit, "--", "rgbook")
    blobs = {}
    for line in out.splitlines():
        meta, path = line.split("\t", 1)
        if path.endswith(".py"):
            blobs[path] = meta.split()[2]
    return blobs


def _claims_in(modules: dict[str, _Module]) -> dict[str, tuple[str, _Module]]:
    """claim id -> (path, module) in one snapshot (the last path in sorted order wins a duplicate)."""
    found = {}
    for path in sorted(modules):
        for claim_id in modules[path].claims:
            found[claim_id] = (path, modules[path])
    return found


def histories(root: Path, *, include_worktree: bool = True) -> dict[str, History]:
    """The history of every claim ever stated under ``rgbook/`` (see the module docstring).

    Each commit is read as a whole snapshot and compared with its parents, so branches that were
    merged are read as they were: a change is a commit whose fingerprint differs from every
    parent's, and a merge that takes one side's state is not a change.
    """
    root = Path(root)
    blobs = _Blobs(root)
    parsed: dict[str, _Module] = {}  # blob id -> module
    states: dict[str, dict[str, tuple]] = {}  # commit -> claim id -> (fp, text, stmt, tol, protocol)
    result: dict[str, History] = {}
    fields0: dict[str, set[str]] = {}

    def module_of(blob: str, commit: str, path: str) -> _Module:
        if blob not in parsed:
            parsed[blob] = _read_module(blobs.get(commit, path))
        return parsed[blob]

    def visit(commit: str, date: str, subject: str, parents: list[str], modules: dict[str, _Module]) -> None:
        state = {}
        classes: dict[str, dict[str, str]] = {}
        for path in sorted(modules):
            for name, fields in modules[path].classes.items():
                if name != "Protocol":
                    classes[name] = fields
        short = commit[:7] if commit != "working tree" else commit
        for claim_id, (path, module) in _claims_in(modules).items():
            stmt, tol, measure = module.claims[claim_id]
            protocol = _expanded(module, classes)
            history = result.get(claim_id)
            if history is None:
                fp = _fingerprint(stmt, tol, protocol, None)
                history = result[claim_id] = History(
                    claim_id, Event(short, date, subject, fp, text=module.texts.get(claim_id)), path=path
                )
            history.path = path
            real = measure in module.real or (measure not in module.stubs)
            if history.measured is None and real:
                fields0[claim_id] = set(protocol)
                fp = _fingerprint(stmt, tol, protocol, fields0[claim_id])
                history.measured = Event(short, date, subject, fp, text=module.texts.get(claim_id))
                history.with_measure = history.registered.commit == short
                state[claim_id] = (fp, module.texts.get(claim_id), stmt, tol, protocol)
                continue
            fp = _fingerprint(stmt, tol, protocol, fields0.get(claim_id))
            state[claim_id] = (fp, module.texts.get(claim_id), stmt, tol, protocol)
            if history.measured is None:
                continue
            before = [states[p][claim_id] for p in parents if p in states and claim_id in states[p]]
            if not before or fp in {b[0] for b in before}:
                continue
            old_fp, old_text, old_stmt, old_tol, old_proto = before[0]
            parts = (["statement"] if stmt != old_stmt else []) + (["tolerances"] if tol != old_tol else [])
            parts += [f"protocol:{n}" for n in sorted(fields0[claim_id]) if protocol.get(n) != old_proto.get(n)]
            history.changes.append(
                Event(short, date, subject, fp, tuple(parts), text=module.texts.get(claim_id), previous_text=old_text)
            )
        states[commit] = state

    try:
        commits = _commits(root)
        for commit, date, subject, parents in commits:
            snap = _snapshot(root, commit)
            visit(commit, date, subject, parents, {p: module_of(b, commit, p) for p, b in snap.items()})
        if include_worktree and commits:
            head = _git(root, "rev-parse", "HEAD").strip()
            files = {str(p.relative_to(root)): p for p in (root / "rgbook").rglob("*.py")}
            modules = {rel: _read_module(path.read_text()) for rel, path in files.items()}
            visit("working tree", "uncommitted", "", [head], modules)
    finally:
        blobs.close()
    return result


def histories_or_empty(root: Path) -> dict[str, History]:
    """:func:`histories`, or {} outside a git checkout (a tarball of the book has no history to read)."""
    if not (Path(root) / ".git").exists():
        return {}
    try:
        return histories(root)
    except (subprocess.CalledProcessError, FileNotFoundError, OSError):
        return {}


def unlogged(history: History, logged: set[str]) -> list[Event]:
    """Changes after the measure commit whose fingerprint is neither logged nor the measured one."""
    if history.measured is None:
        return []
    allowed = set(logged) | {history.measured.fingerprint}
    return [e for e in history.changes if e.fingerprint not in allowed]


def main(root: Path, ids: list[str], *, verbose: bool = False) -> int:
    """Print each claim's registration and changes; return 1 if any change is not in its log."""
    from .claims import registry

    try:
        found = histories(root)
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        print(f"rgbook: audit needs the book's git history ({exc})")
        return 2
    claims = registry()
    bad = 0
    for claim_id in ids:
        claim = claims[claim_id]
        history = found.get(claim_id)
        if history is None:
            print(f"{claim_id}: not in git history yet (uncommitted)")
            continue
        logged = {c.fingerprint for c in claim.log if c.fingerprint}
        missing = unlogged(history, logged)
        reg = history.registered
        measured = history.measured
        how = (
            "registered with its measuring code"
            if history.with_measure
            else f"measured from {measured.commit} ({measured.date})"
            if measured
            else "not measured yet"
        )
        entries = f"{len(claim.log)} log entr{'y' if len(claim.log) == 1 else 'ies'}"
        print(
            f"{claim_id}: registered {reg.commit} ({reg.date}), {how}; "
            f"{len(history.changes)} change(s) after data, {entries}"
            + (f", {len(missing)} NOT LOGGED" if missing else "")
        )
        for event in history.changes if verbose else missing:
            mark = "NOT LOGGED" if event in missing else "logged"
            print(
                f"    {event.commit} {event.date} [{mark}] fingerprint {event.fingerprint} "
                f"({', '.join(event.parts) or 'reverted'}): {event.subject[:100]}"
            )
        bad += len(missing)
    if bad:
        print(
            f"\n{bad} change(s) after data are not in their claim's log: add a Change(fingerprint=...) entry "
            "(kind 'editorial' or 'roles' only when the rendered statement and verdict are unchanged; otherwise "
            "restore the registered statement and register the change as an amendment with a new id)"
        )
        return 1
    return 0
