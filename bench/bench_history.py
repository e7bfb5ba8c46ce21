"""How long `conceptmap history` takes over many versions of a map in git (issue 7).

    .venv/bin/python bench/bench_history.py                  # 200 versions of 1,000 concepts
    .venv/bin/python bench/bench_history.py --versions 50 --concepts 300 --runs 3

Builds a real git repository in a temporary folder: the first commit is a generated
1,000-concept map (bench_model.generate), and every later commit adds evidence to a few claims
and a concept now and then, one commit a day. Then times the whole command
`conceptmap history MAP --format json` (median of the runs). Target: under 30 s for 200 versions
of a 1,000-concept map. Exits 1 when the median misses it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_model import generate

from conceptmap.formats import MapFile

TARGET = 30.0


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "b@example.com",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "b@example.com",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)


def build_repo(repo: Path, versions: int, concepts: int) -> Path:
    _git(repo, "init", "-q", "-b", "main")
    path = repo / "team.cmap.json"
    path.write_bytes(generate(concepts))
    start = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "v0", date=start.isoformat())
    mf = MapFile.load(path)
    claims = sorted(mf.map.propositions)
    for v in range(1, versions):
        day = start + dt.timedelta(days=v)
        for k in range(3):
            claim = claims[(v * 7 + k * 131) % len(claims)]
            kind = ("interview", "analytics", "survey")[(v + k) % 3]
            mf.map.add_evidence(
                claim,
                stance="supports" if (v + k) % 4 else "contradicts",
                kind=kind,
                source=f"source {v}-{k}",
                date=day.date(),
            )
        if v % 10 == 0:
            mf.map.add_concept(f"new idea {v}")
        mf.save()
        _git(repo, "commit", "-qam", f"v{v}", date=day.isoformat())
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--versions", type=int, default=200)
    ap.add_argument("--concepts", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = build_repo(Path(tmp), args.versions, args.concepts)
        print(
            f"built {args.versions} versions of a {args.concepts}-concept map in "
            f"{time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            res = subprocess.run(
                [sys.executable, "-m", "conceptmap", "history", str(path), "--format", "json"],
                capture_output=True,
                text=True,
            )
            times.append(time.perf_counter() - t0)
            if res.returncode != 0:
                raise SystemExit(res.stderr)
    med = statistics.median(times)
    print(
        f"history over {args.versions} versions of {args.concepts} concepts: median {med:.1f} s "
        f"(runs: {', '.join(f'{t:.1f}' for t in times)}; target {TARGET:.0f} s)"
    )
    return 0 if med <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
