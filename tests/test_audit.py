"""The registration audit: git history against each claim's log.

The synthetic repositories check the audit's reading of history on cases built by hand (an
independent route: we know which commit changed what); the last test runs it on this book.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from rgbook import audit, claims

MODULE = """
from dataclasses import dataclass


@dataclass(frozen=True)
class Protocol:
    restarts: int = {restarts}
    steps: int = 100


PROTOCOL = Protocol()


def measure_x(P, tol):
    {body}


CLAIMS = (
    Claim(id="T.1", paper="I", reading="A", statement={statement!r}, tolerances={{"t": {tol}}},
          measure=measure_x, protocol=PROTOCOL),
)
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "PATH": "/usr/bin:/bin",
        },
    )


def _commit(
    repo: Path, message: str, *, restarts=4, body="raise NotImplementedError('stub')", statement="K within {t}", tol=0.1
) -> None:
    path = repo / "rgbook" / "chapters" / "m.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(MODULE.format(restarts=restarts, body=body, statement=statement, tol=tol)))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def book_histories():
    """This book's claim histories (read once: the walk over git history takes seconds)."""
    root = claims.book_root()
    if not (root / ".git").exists():
        pytest.skip("not a git checkout: the audit reads git history")
    return audit.histories(root)


@pytest.fixture
def repo(tmp_path):
    _git(tmp_path, "init", "-q")
    return tmp_path


def test_registration_then_measure_then_unlogged_change(repo):
    _commit(repo, "register")
    _commit(repo, "measure", body="return []")
    _commit(repo, "statement changed after data", body="return []", statement="K within {t} nats")
    history = audit.histories(repo)["T.1"]
    assert history.registered.subject == "register"
    assert history.measured.subject == "measure" and not history.with_measure
    assert [e.subject for e in history.changes] == ["statement changed after data"]
    assert history.changes[0].parts == ("statement",)
    assert history.changes[0].text == "K within 0.1 nats" and history.changes[0].previous_text == "K within 0.1"
    missing = audit.unlogged(history, set())
    assert len(missing) == 1
    assert audit.unlogged(history, {missing[0].fingerprint}) == []


def test_changes_before_the_measure_are_free(repo):
    _commit(repo, "register")
    _commit(repo, "tolerance tightened before any code", tol=0.05)
    _commit(repo, "measure", body="return []", tol=0.05)
    history = audit.histories(repo)["T.1"]
    assert history.changes == [] and audit.unlogged(history, set()) == []


def test_protocol_change_and_revert(repo):
    _commit(repo, "register")
    _commit(repo, "measure", body="return []")
    _commit(repo, "fewer restarts", body="return []", restarts=3)
    _commit(repo, "restored", body="return []", restarts=4)
    history = audit.histories(repo)["T.1"]
    assert [e.parts for e in history.changes] == [("protocol:restarts",), ("protocol:restarts",)]
    # the cut needs a log entry; the return to the measured fingerprint does not
    assert [e.subject for e in audit.unlogged(history, set())] == ["fewer restarts"]


def test_registered_with_its_measure(repo):
    _commit(repo, "claim and code at once", body="return []")
    assert audit.histories(repo)["T.1"].with_measure


def test_uncommitted_change_counts(repo):
    _commit(repo, "register")
    _commit(repo, "measure", body="return []")
    path = repo / "rgbook" / "chapters" / "m.py"
    path.write_text(path.read_text().replace("K within {t}", "K well within {t}"))
    history = audit.histories(repo)["T.1"]
    assert history.changes[-1].commit == "working tree"
    assert history.changes[-1].editorial is False


def test_in_place_changes_end_with_the_amendment_rule():
    claims.Change("2026-12-05", "in-place", "disclosed")
    with pytest.raises(ValueError, match="amendment"):
        claims.Change(claims.AMENDMENT_RULE_DATE, "in-place", "too late")
    with pytest.raises(ValueError, match="names the amending claim"):
        claims.Change("2026-12-06", "amendment", "no id")


def test_this_book_has_no_unlogged_change(book_histories):
    found = book_histories
    problems = []
    for claim_id, claim in claims.registry().items():
        history = found.get(claim_id)
        if history is None:
            continue  # stated in the working tree only: nothing measured yet
        logged = {c.fingerprint for c in claim.log if c.fingerprint}
        problems += [f"{claim_id}: {e.commit} {e.parts}" for e in audit.unlogged(history, logged)]
        if claim.amends:
            assert claim.amends in claims.registry(), claim_id
    assert problems == [], "changes after data not in the claim's log (python -m rgbook audit): " + "; ".join(problems)


def test_every_amendment_is_logged_on_its_original():
    registry = claims.registry()
    for claim_id, claim in registry.items():
        if claim.amends:
            original = registry[claim.amends]
            assert any(c.kind == "amendment" and c.amendment == claim_id for c in original.log), claim_id


def test_amended_originals_keep_their_registered_statement(book_histories):
    """An original beside its amendment renders exactly a statement it had before the amending change."""
    found = book_histories
    for claim_id, claim in claims.registry().items():
        amendments = [c for c in claim.log if c.kind == "amendment"]
        if not amendments:
            continue
        history = found[claim_id]
        amending = {c.fingerprint for c in amendments}
        before = [history.measured.text]
        for event in history.changes:
            if event.fingerprint in amending:
                before.append(event.previous_text)  # the statement just before the amending change
                break
            before.append(event.text)
        texts = [t for t in before if t is not None]
        if not texts:
            # a statement that needs the protocol to render: the original must then be unchanged since the
            # amendment entry that names its fingerprint (an amendment that left the original as it was)
            latest = history.changes[-1].fingerprint if history.changes else history.measured.fingerprint
            assert latest in amending, f"{claim_id}: no statically readable statement before its amendment"
            continue
        normalise = str.split  # line wrapping and "1e-6" vs "1e-06" aside, the words must agree
        assert any(
            normalise(claim.text.replace("1e-06", "1e-6")) == normalise(t.replace("1e-06", "1e-6")) for t in texts
        ), f"{claim_id}: statement differs from its registered text"


def test_editorial_entries_keep_the_rendered_statement(book_histories):
    """A change logged as editorial (or a revert) must leave the rendered statement as it was: the current
    statement equals the last statically readable one when only editorial changes followed it."""
    found = book_histories
    checked = 0
    for claim_id, claim in claims.registry().items():
        history = found.get(claim_id)
        if history is None or history.measured is None:
            continue
        kinds = {c.fingerprint: c.kind for c in claim.log if c.fingerprint}
        last_text, clean = history.measured.text, True
        for event in history.changes:
            if event.text is not None:
                last_text, clean = event.text, True
            elif kinds.get(event.fingerprint) not in ("editorial", "reverted"):
                clean = False
        if last_text is None or not clean or not history.changes or history.changes[-1].text is not None:
            continue
        checked += 1
        assert claim.text.replace("1e-06", "1e-6").split() == last_text.replace("1e-06", "1e-6").split(), claim_id
    assert checked or not found
