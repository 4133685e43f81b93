"""`make bench`: speed ratios and build times, printed side by side (not a pass/fail test).

1-3. micro-benchmarks from rgbook.bench (exact sampler vs Metropolis at equal effective
     sample size, enumeration throughput, a training step of rgbook.training.fit vs a bare
     PyTorch Adam loop on the same loss);
4.   the cold build: `make book` after removing everything built (execution cache, deps,
     claims, figures, doctrees, HTML), i.e. what a fresh clone costs after install; then the
     warm build: `make book` again with nothing changed. Both times and their ratios to the
     360 s target are printed, with each chapter's execution time (from its deps record), and
     written to _build/bench-build.json, which the Performance appendix shows when it is built;
5.   the PDF edition: `make pdf` after the warm build (singlehtml from the cache, printed by
     Chromium, text check, HTML re-linked), its time and page count (skipped, and said so,
     without /usr/bin/chromium or pdftotext).

Pass --no-build to skip item 4 (it executes every chapter); the chapter times of the last build
are printed instead.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from rgbook import bench, build

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 360.0


def make_book_seconds(target: str = "book") -> float:
    start = time.perf_counter()
    subprocess.run(
        [os.environ.get("MAKE", "make"), "--no-print-directory", target],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def make_pdf_seconds() -> float | None:
    """`make pdf` after a built book (None when Chromium or pdftotext is missing)."""
    if not Path("/usr/bin/chromium").exists() or shutil.which("pdftotext") is None:
        print("make pdf skipped: it needs /usr/bin/chromium and pdftotext (Debian: chromium, poppler-utils)")
        return None
    return make_book_seconds("pdf")


def main(argv):
    pd.set_option("display.width", 200)
    fmt = lambda x: f"{x:.3g}"  # noqa: E731
    print(bench.all_micro().to_string(index=False, float_format=fmt))
    if "--no-build" in argv:
        print("\nchapter execution times of the last build (from _build/deps):")
        print(bench.chapter_times(ROOT).to_string(index=False, float_format=fmt))
        return 0
    keep = ROOT / "_build" / "bench-build.json"
    shutil.rmtree(ROOT / "_build", ignore_errors=True)  # a fresh clone has no _build
    cold = make_book_seconds()
    warm = make_book_seconds()
    pdf = make_pdf_seconds()
    keep.write_text(
        json.dumps(
            {"cold_seconds": cold, "warm_seconds": warm} | ({} if pdf is None else {"pdf_seconds": pdf}), indent=2
        )
    )
    times = bench.chapter_times(ROOT)
    print()
    print(
        pd.DataFrame(
            [
                {
                    "build": "cold make book (empty _build, after install)",
                    "seconds": cold,
                    "target (s)": TARGET_SECONDS,
                    "ratio to target": cold / TARGET_SECONDS,
                },
                {
                    "build": "warm make book (nothing changed)",
                    "seconds": warm,
                    "target (s)": TARGET_SECONDS,
                    "ratio to target": warm / TARGET_SECONDS,
                },
            ]
        ).to_string(index=False, float_format=fmt)
    )
    print(f"ratio cold / warm: {cold / warm:.1f}")
    if pdf is not None:
        info = json.loads((ROOT / "_build" / "pdf-build.json").read_text())
        steps = ", ".join(f"{k.removesuffix('_seconds')} {v:.1f} s" for k, v in info.items() if k.endswith("_seconds"))
        print(f"PDF edition (make pdf after the warm build): {pdf:.1f} s for {info['pages']} pages ({steps})")
    print()
    print("chapter execution times of the cold build (two chapters at a time):")
    print(times.to_string(index=False, float_format=fmt))
    total = float(times["execution (s)"].sum())
    print(
        f"sum of chapter execution times {total:.0f} s; cold build wall {cold:.0f} s; ratio sum / wall "
        f"{total / cold:.2f} (above 1 when parallel execution saves more than the install checks and HTML cost)"
    )
    # Re-render the Performance page so that it shows these times (nothing re-executes).
    subprocess.run(
        [os.environ.get("MAKE", "make"), "--no-print-directory", "book"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    stale = sorted(build.stale_chapters(ROOT))
    print(f"\nbuild times written to {keep.relative_to(ROOT)}; stale chapters now: {stale}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
