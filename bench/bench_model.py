"""Load, validate and save times of concept maps of 10^2 … 10^5 concepts.

    .venv/bin/python bench/bench_model.py                 # all sizes, 3 runs each (make bench)
    .venv/bin/python bench/bench_model.py --sizes 10000 --runs 5

The maps are concept-map shaped: a tree from one root where each parent's linking phrase fans
out to its children (CmapTools style), ~15 % extra cross-links between branches, half an
evidence item per concept and a few relations. Each size is written once, then timed:

* load: ``MapFile.load`` (read, decode, JSON, schema, references, graph): what opening costs;
* validate: ``api.validate_paths`` (what ``conceptmap validate`` does);
* save: the first ``MapFile.save`` after loading and one edit (canonical dump of every
  record, temp file, fsync, lock, digest check, rename) — what the first edit costs;
* re-save: a later save in the same session (records that did not change keep the line they
  dumped to, so only the edited record is serialised again) — what every further edit costs.

Targets (issue 2): 10^4 concepts load and save under 1 s each; 10^5 under 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from conceptmap import api
from conceptmap.formats import MapFile, dump_map, parse_map

KINDS = [
    "belief", "anecdote", "survey", "interview-opinion", "interview", "support-ticket",
    "review", "analytics", "observation", "experiment", "commitment",
]  # fmt: skip
TARGETS = {10_000: 1.0, 100_000: 10.0}


def generate(n: int, seed: int = 1) -> bytes:
    """A valid map of ``n`` concepts as file bytes (canonical, as conceptmap writes it)."""
    rnd = random.Random(seed)
    cid = [f"c-concept-{i}-{i:08x}" for i in range(n)]
    concepts = [
        {"id": c, "label": f"concept {i} {rnd.choice(['café', 'owner', 'rush', 'fee'])}"}
        for i, c in enumerate(cid)
    ]
    children: dict[int, list[int]] = {}
    for i in range(1, n):
        parent = rnd.randrange(max(0, i - 50), i) if i > 5 else 0
        children.setdefault(parent, []).append(i)
    phrases, props = [], []
    pairs = set()
    for parent, kids in sorted(children.items()):
        lid = f"l-includes-{parent:08x}"
        phrases.append(
            {
                "id": lid,
                "label": "includes",
                "sources": [cid[parent]],
                "targets": [cid[k] for k in kids],
            }
        )
        for k in kids:
            props.append(
                {"id": f"p-t-{k:08x}", "source": cid[parent], "via": lid, "target": cid[k]}
            )
            pairs.add((parent, k))
    for j in range(int(0.15 * n)):
        a, b = rnd.randrange(n), rnd.randrange(n)
        if a == b or (a, b) in pairs:
            continue
        pairs.add((a, b))
        lid = f"l-cross-{j:08x}"
        phrases.append({"id": lid, "label": "affects", "sources": [cid[a]], "targets": [cid[b]]})
        props.append({"id": f"p-x-{j:08x}", "source": cid[a], "via": lid, "target": cid[b]})
    day = dt.date(2026, 1, 1)
    evidence = [
        {
            "id": f"e-ev-{j:08x}",
            "claim": rnd.choice(props)["id"],
            "stance": rnd.choice(["supports", "contradicts"]),
            "kind": rnd.choice(KINDS),
            "source": f"source {rnd.randrange(max(1, n // 10))}",
            "date": (day + dt.timedelta(days=rnd.randrange(300))).isoformat(),
            "quote": "We lost the lunch rush twice because couriers were late.",
            "n": rnd.randrange(1, 200),
        }
        for j in range(n // 2)
    ]
    relations = []
    rel_pairs = set()
    for j in range(n // 50):
        a, b = rnd.choice(props)["id"], rnd.choice(props)["id"]
        if a != b and (a, b) not in rel_pairs:
            rel_pairs.add((a, b))
            relations.append(
                {
                    "id": f"r-rel-{j:08x}",
                    "source": a,
                    "kind": rnd.choice(["supports", "contradicts"]),
                    "target": b,
                }
            )
    doc = {
        "schema_version": 1,
        "id": f"m-bench-{n:08x}",
        "title": f"Benchmark {n}",
        "focus_question": "How fast is it?",
        "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-01T00:00:00Z",
        "root": cid[0],
        "concepts": concepts,
        "linking_phrases": phrases,
        "propositions": props,
        "evidence": evidence,
        "relations": relations,
    }
    return dump_map(parse_map(json.dumps(doc, ensure_ascii=False).encode()))


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench(n: int, runs: int, folder: Path) -> dict[str, float]:
    path = folder / f"bench-{n}.cmap.json"
    path.write_bytes(generate(n))
    out = {"MB": path.stat().st_size / 1e6}
    out["load"] = median_time(lambda: MapFile.load(path), runs)

    def validate() -> None:
        [(_, err)] = api.validate_paths([path])
        assert err is None, err

    out["validate"] = median_time(validate, runs)
    counter = iter(range(10**9))

    def first_save() -> float:
        mf = MapFile.load(path)
        mf.map.update_concept(mf.map.meta.root or "", notes=f"edit {next(counter)}")
        t0 = time.perf_counter()
        mf.save()
        return time.perf_counter() - t0

    out["save"] = statistics.median(first_save() for _ in range(runs))
    mf = MapFile.load(path)
    mf.save()

    def save() -> None:
        mf.map.update_concept(mf.map.meta.root or "", notes=f"edit {next(counter)}")
        mf.save()

    out["re-save"] = median_time(save, runs)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="conceptmap model benchmark")
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000, 100_000])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    print(
        f"{'concepts':>9} {'file MB':>8} {'load s':>8} {'validate s':>10} {'save s':>8} "
        f"{'re-save s':>9}  target"
    )
    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            r = bench(n, args.runs, Path(tmp))
            target = TARGETS.get(n)
            verdict = ""
            if target is not None:
                ok = r["load"] < target and r["save"] < target
                missed |= not ok
                verdict = f"< {target:g} s {'met' if ok else 'MISSED'}"
            print(
                f"{n:>9,} {r['MB']:>8.2f} {r['load']:>8.3f} {r['validate']:>10.3f} "
                f"{r['save']:>8.3f} {r['re-save']:>9.3f}  {verdict}",
                flush=True,
            )
    print(f"(median of {args.runs} runs each)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
