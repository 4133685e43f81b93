"""The committed record catches a wrong chapter measure (run by ``make check-mutation`` in CI).

In a temporary copy of the committed tree, the measure of I.A2 is made to predict R_3^l(K)
instead of R_2^l(K) (``rg.flow(K, 0.0, 2, ...)`` becomes ``rg.flow(K, 0.0, 3, ...)`` in
``rgbook/chapters/reading_a.py``), its chapter is executed headless, and the fresh records are
compared with the committed ``verdicts.json``. The check passes only if the comparison fails
and names I.A2's rows. The unmutated tree is compared by ``make book`` itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = "rgbook/chapters/reading_a.py"
BEFORE = "predicted = rg.flow(K, 0.0, 2, steps=P.stack_depth)[0]"
AFTER = "predicted = rg.flow(K, 0.0, 3, steps=P.stack_depth)[0]"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="rgbook-mutation-") as tmp:
        copy = Path(tmp) / "book"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(copy)], check=True)
        path = copy / TARGET
        source = path.read_text()
        if source.count(BEFORE) != 1:
            print(
                f"check-mutation: {TARGET} no longer holds exactly one {BEFORE!r}; update this script", file=sys.stderr
            )
            return 2
        path.write_text(source.replace(BEFORE, AFTER))
        env = dict(os.environ, RGBOOK_ROOT=str(copy), PYTHONPATH=str(copy))
        python = sys.executable
        print(f"mutated {TARGET}: {BEFORE!r} -> {AFTER!r}; executing book/reading_a in {copy}", flush=True)
        subprocess.run(
            [python, "-m", "rgbook", "figures", "reading_a"], cwd=copy, env=env, check=True, stdout=subprocess.DEVNULL
        )
        result = subprocess.run(
            [python, "-m", "rgbook", "verify", "I.A1", "I.A2"], cwd=copy, env=env, capture_output=True, text=True
        )
        print(result.stdout)
        lines = [line for line in result.stdout.splitlines() if line.startswith("record differs: I.A2")]
        others = [
            line
            for line in result.stdout.splitlines()
            if line.startswith("record differs:") and not line.startswith("record differs: I.A2")
        ]
        if result.returncode == 1 and lines and not others:
            print(
                f"check-mutation: passed (the comparison failed as intended, {len(lines)} difference(s), all in I.A2)"
            )
            return 0
        print(
            f"check-mutation: FAILED: verify exited {result.returncode}; differences in I.A2: {len(lines)}, "
            f"elsewhere: {len(others)}\n{result.stderr}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
