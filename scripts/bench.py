"""`make bench`: speed ratios side by side, in one run (not part of any pass/fail).

1-3. micro-benchmarks from rgbook.bench (exact sampler vs Metropolis at equal effective
     sample size, enumeration throughput, training step vs a bare PyTorch loop);
4.   cold vs warm book build: `jupyter-book build --all` after clearing the execution cache,
     again with the cache filled (every page re-read and rendered from cached outputs), and an
     incremental build with nothing changed. Build times are written to _build/bench-build.json, which
     the Performance appendix shows.
Pass --no-build to skip item 4 (it re-executes every chapter, about 18 minutes on 2 cores).
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from rgbook import bench

ROOT = Path(__file__).resolve().parent.parent


def build_seconds(*extra: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/jupyter-book"), "build", str(ROOT), "--builder", "html", "-W", "-n",
                    "--keep-going", *extra], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv):
    pd.set_option("display.width", 200)
    table = bench.all_micro()
    if "--no-build" not in argv:
        subprocess.run(["rm", "-rf", str(ROOT / "_build/.jupyter_cache"), str(ROOT / "_build/jupyter_execute")], check=True)
        cold = build_seconds("--all")          # every page re-read, every chapter executed
        warm = build_seconds("--all")          # every page re-read and rendered, chapters from the execution cache
        unchanged = build_seconds()            # incremental: nothing changed, only always-outdated pages
        (ROOT / "_build/bench-build.json").write_text(json.dumps(
            {"cold_seconds": cold, "warm_seconds": warm, "incremental_seconds": unchanged}, indent=2))
        table = pd.concat([table, pd.DataFrame([
            {"benchmark": "book build, all pages", "unit": "s per build", "rgbook": warm, "reference": cold,
             "reference method": "cold build (execution cache cleared)", "ratio reference / rgbook": cold / warm},
            {"benchmark": "book build, nothing changed", "unit": "s per build", "rgbook": unchanged, "reference": cold,
             "reference method": "cold build (execution cache cleared)", "ratio reference / rgbook": cold / unchanged}])])
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
