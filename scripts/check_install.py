"""Stop the install if torch is not the pinned CPU build (``make venv``).

uv resolves the lock against the torch that pip installed first; this checks it kept that
build: version 2.13.0 and no ``nvidia-*`` distribution (a CUDA build pulls several GB of them).
"""

from __future__ import annotations

import importlib.metadata as metadata
import sys

PINNED = "2.13.0"


def main() -> int:
    version = metadata.version("torch")
    cuda = sorted(
        {d.metadata["Name"] for d in metadata.distributions() if d.metadata["Name"].lower().startswith("nvidia-")}
    )
    if version.split("+")[0] != PINNED or cuda:
        print(
            f"torch {version} installed with {cuda or 'no nvidia packages'}; expected the CPU build of torch=={PINNED} "
            "(see README.md, Install notes)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
