"""Batch report over 1,000 maps of 50 concepts, as a CI job would run it.

    .venv/bin/python bench/bench_report.py                      # 1,000 maps, --jobs 2, 3 runs
    .venv/bin/python bench/bench_report.py --maps 200 --jobs 1 --runs 5 --format html

The maps are bench_analysis.py's concept-map-shaped maps (a hierarchy with cross-links,
evidence on ~40 % of the claims, relations, some in cycles), each from its own seed, written
into a temporary folder. Each run is the real program in a subprocess:

    conceptmap report DIR --jobs 2 --format json -o /dev/null --as-of 2026-11-23

so the time includes start-up, finding the maps, the worker processes and writing the report.
The median of the runs is printed with the target (issue 3: under 60 s with --jobs 2 on the
2-core machine).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_analysis import AS_OF, generate

TARGET_S = 60.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--maps", type=int, default=1000)
    ap.add_argument("--concepts", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--format", default="json", choices=["json", "md", "html"])
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("conceptmap")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        folder = Path(tmp) / "maps"
        t0 = time.perf_counter()
        for i in range(args.maps):
            sub = folder / f"team-{i % 20:02d}"
            sub.mkdir(parents=True, exist_ok=True)
            (sub / f"map-{i:04d}.cmap.json").write_bytes(generate(args.concepts, seed=i + 1))
        print(
            f"generated {args.maps} maps of {args.concepts} concepts in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        cmd = [
            str(exe), "report", str(folder), "--jobs", str(args.jobs), "--format", args.format,
            "-o", "/dev/null", "--as-of", AS_OF.isoformat(),
        ]  # fmt: skip
        times = []
        for run in range(args.runs):
            t = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - t)
            if done.returncode not in (0, 1):
                sys.exit(f"report failed ({done.returncode}): {done.stderr.strip()}")
            print(f"  run {run + 1}: {times[-1]:.2f} s   {done.stderr.strip()}")
        med = statistics.median(times)
        verdict = "OK" if med < TARGET_S else "OVER TARGET"
        print(
            f"report {args.maps} maps × {args.concepts} concepts, --jobs {args.jobs}, "
            f"--format {args.format}: median {med:.2f} s of {args.runs} "
            f"(target < {TARGET_S:.0f} s: {verdict}); {1000 * med / args.maps:.1f} ms per map"
        )


if __name__ == "__main__":
    main()
