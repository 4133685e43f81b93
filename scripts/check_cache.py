"""`make check-cache`: editing one chapter module re-executes that chapter and no other.

Runs on a built book (make check-cache builds it first) with nothing stale, then:

1. core module: appends a comment line to ``rgbook/expfam.py`` and asserts that the stale
   chapters are exactly those whose deps record lists ``rgbook.expfam`` (no build; restored);
2. chapter module: appends a comment line to ``rgbook/chapters/chain_rg.py``, asserts that
   exactly ``book/chain_rg`` is stale, runs ``make book`` and asserts, from the deps records'
   finish times and the build's output, that ``book/chain_rg`` executed and no other chapter did
   (and that Sphinx executed nothing itself: it rendered every chapter from the cache);
3. restores the file and rebuilds (the chapter is stale again: its module's hash changed
   back), with the same assertions, so the book is left as it was.

Edited files are restored on any exit (failure, Ctrl-C, SIGTERM). Exits non-zero on failure.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = Path(sys.executable)  # the venv python that make runs this script with
CHAPTER_MODULE = ROOT / "rgbook" / "chapters" / "chain_rg.py"
CHAPTER = "book/chain_rg"
CORE_MODULE = ROOT / "rgbook" / "expfam.py"
CORE_NAME = "rgbook.expfam"


class CheckFailed(AssertionError):
    pass


def stale() -> dict[str, list[str]]:
    out = subprocess.run(
        [str(PY), "-m", "rgbook.build", "stale", "--json"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def deps() -> dict[str, dict]:
    records = {}
    for path in sorted((ROOT / "_build" / "deps").glob("[!.]*.json")):
        rec = json.loads(path.read_text())
        records[rec["chapter"]] = rec
    return records


class appended_comment:
    """Append a comment line to a file; restore its exact bytes on exit (also on SIGTERM)."""

    def __init__(self, path: Path):
        self.path = path
        self.original = path.read_bytes()

    def __enter__(self):
        self.path.write_bytes(self.original + b"\n# check-cache: this line is removed when the check ends\n")
        return self

    def __exit__(self, *exc):
        self.path.write_bytes(self.original)
        return False


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)
    print(f"ok: {message}")


def build_and_check(label: str) -> None:
    before = {c: r.get("finished") for c, r in deps().items()}
    make = os.environ.get("MAKE", "make")
    proc = subprocess.run(
        [make, "--no-print-directory", "book"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    print(proc.stdout, end="")
    if proc.returncode:
        raise CheckFailed(f"{label}: make book failed (exit {proc.returncode})")
    after = deps()
    executed = sorted(c for c, r in after.items() if r.get("finished") != before.get(c))
    expect(executed == [CHAPTER], f"{label}: only {CHAPTER} executed (deps records rewritten: {executed})")
    missing = sorted(set(before) - set(after))
    expect(not missing, f"{label}: every other chapter kept its deps record (missing: {missing})")
    log = (ROOT / "_build" / "execute.log").read_text()
    expect(
        f"executed {CHAPTER} in" in log and log.count("  executed ") == 1,
        f"{label}: the execution log shows one chapter executed, {CHAPTER}",
    )
    by_sphinx = sorted(c for c in after if f"{c}.md: Executing notebook" in proc.stdout)
    expect(not by_sphinx, f"{label}: Sphinx executed no chapter itself, it rendered them from the cache ({by_sphinx})")
    expect(stale() == {}, f"{label}: nothing is stale after the build")


def main() -> int:
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        initial = stale()
        expect(initial == {}, f"the built book has no stale chapter (stale: {sorted(initial)})")
        records = deps()
        listing = sorted(c for c, r in records.items() if CORE_NAME in r.get("modules", {}))
        with appended_comment(CORE_MODULE):
            got = sorted(stale())
        expect(
            got == listing,
            f"editing {CORE_MODULE.relative_to(ROOT)} marks stale exactly the chapters whose "
            f"deps list {CORE_NAME}: {listing}",
        )
        expect(stale() == {}, "restoring it leaves nothing stale")

        with appended_comment(CHAPTER_MODULE):
            got = sorted(stale())
            expect(
                got == [CHAPTER],
                f"editing {CHAPTER_MODULE.relative_to(ROOT)} marks stale exactly {CHAPTER} (stale: {got})",
            )
            build_and_check("edited")
        expect(sorted(stale()) == [CHAPTER], f"restoring the module marks {CHAPTER} stale again")
        build_and_check("restored")
    except (CheckFailed, subprocess.CalledProcessError) as exc:
        print(f"check-cache FAILED: {exc}", file=sys.stderr)
        return 1
    print("check-cache: editing one chapter module re-executes that chapter and no other")
    return 0


if __name__ == "__main__":
    sys.exit(main())
