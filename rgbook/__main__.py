"""Command line: ``python -m rgbook`` (also installed as ``rgbook``).

``rgbook reproduce [CLAIM ...]`` re-runs claims headless, prints their verdicts and exits
non-zero if a verdict differs from the one recorded by the last build;
``rgbook ledger`` gathers recorded results into ``_build/claims.json``.
"""

from __future__ import annotations

import argparse
import sys

from . import claims


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rgbook", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("reproduce", help="re-run claims and print their verdicts")
    rep.add_argument("claim", nargs="*", help="claim ids (default: all registered)")
    led = sub.add_parser("ledger", help="write _build/claims.json from recorded results")
    led.add_argument("--require-all", action="store_true",
                     help="fail unless every registered claim was measured by the build")
    args = parser.parse_args(argv)

    if args.command == "ledger":
        path = claims.write_ledger(expect=claims.REGISTRY if args.require_all else ())
        print(f"claims ledger written to {path}")
        return 0
    ids = args.claim or list(claims.REGISTRY)
    unknown = [i for i in ids if i not in claims.REGISTRY]
    if unknown:
        parser.error(f"unknown claim ids {unknown}; registered: {sorted(claims.REGISTRY)}")
    recorded = claims.load_records()
    changed = 0
    for claim_id in ids:
        result = claims.check(claim_id)
        before = recorded.get(claim_id, {}).get("status", "not-run")
        note = "" if before in ("not-run", result.status) else f"  VERDICT CHANGED (recorded: {before})"
        print(f"{claim_id:28s} {result.status:6s} ({len(result.rows)} rows){note}")
        changed += bool(note)
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
