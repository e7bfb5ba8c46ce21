"""Full analysis time of concept maps of 10^3 … 10^5 concepts, and the share of each pass.

    .venv/bin/python bench/bench_analysis.py                  # 10^3, 10^4, 10^5; 3 runs each
    .venv/bin/python bench/bench_analysis.py --sizes 10000 --runs 5
    .venv/bin/python bench/bench_analysis.py --shape deep     # bench_model.py's deep trees

The maps are concept-map shaped (``--shape wide``, the default): a hierarchy from one root
with 2–6 children per concept through fan-out linking phrases, ~15 % extra cross-links, evidence
on ~40 % of the claims (mixed kinds, sources, stances and ages) and relations between ~2 % of
the claims, some of them in cycles. The document is written as JSON directly (fast) and parsed
once; ``analyse()`` is then timed on the parsed map (the map is not mutated, so its caches
are cleared each run by building a fresh map from the same bytes).

Targets (issue 3): 10^4 concepts under 2 s, 10^5 under 30 s, on the 2-core machine. The CPU
time is printed too: on a shared machine it varies less than the wall-clock time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

from conceptmap.analysis import analyse
from conceptmap.formats import parse_map

KINDS = [
    "belief", "anecdote", "survey", "interview-opinion", "interview", "support-ticket",
    "review", "analytics", "observation", "experiment", "commitment",
]  # fmt: skip
TARGETS = {10_000: 2.0, 100_000: 30.0}
AS_OF = dt.date(2026, 11, 23)


def generate(n: int, seed: int = 1) -> bytes:
    """A valid, concept-map-shaped map of ``n`` concepts as JSON bytes."""
    rnd = random.Random(seed)
    cid = [f"c-{i:08x}" for i in range(n)]
    concepts = [{"id": c, "label": f"concept {i}", "importance": rnd.randint(1, 5)}
                for i, c in enumerate(cid)]  # fmt: skip
    children: dict[int, list[int]] = {}
    for i in range(1, n):
        # parents drawn from the previous "generation": 2–6 children each, depth ~ log n
        parent = rnd.randrange(i // 4, max(i // 2, i // 4 + 1)) if i > 6 else 0
        children.setdefault(parent, []).append(i)
    phrases, props, pairs = [], [], set()
    for parent, kids in sorted(children.items()):
        lid = f"l-t-{parent:08x}"
        phrases.append({"id": lid, "label": "includes", "sources": [cid[parent]],
                        "targets": [cid[k] for k in kids]})  # fmt: skip
        for k in kids:
            props.append({"id": f"p-t-{k:08x}", "source": cid[parent], "via": lid,
                          "target": cid[k]})  # fmt: skip
            pairs.add((parent, k))
    for j in range(int(0.15 * n)):
        a, b = rnd.randrange(1, n), rnd.randrange(1, n)
        if a == b or (a, b) in pairs or (b, a) in pairs:
            continue
        pairs.add((a, b))
        lid = f"l-x-{j:08x}"
        phrases.append({"id": lid, "label": "affects", "sources": [cid[a]], "targets": [cid[b]]})
        props.append({"id": f"p-x-{j:08x}", "source": cid[a], "via": lid, "target": cid[b]})
    claim_ids = [p["id"] for p in props]
    evidence = []
    for k, claim in enumerate(rnd.sample(claim_ids, int(0.4 * len(claim_ids)))):
        for m in range(rnd.randint(1, 4)):
            evidence.append({
                "id": f"e-{k:08x}-{m}", "claim": claim,
                "stance": "supports" if rnd.random() < 0.75 else "contradicts",
                "kind": rnd.choice(KINDS), "source": f"source {rnd.randrange(200)}",
                "date": (AS_OF - dt.timedelta(days=rnd.randrange(0, 800))).isoformat(),
                "n": rnd.choice([1, 1, 1, 5, 20]),
            })  # fmt: skip
    relations, rel_pairs = [], set()
    for j in range(int(0.02 * len(claim_ids))):
        a, b = rnd.sample(claim_ids, 2)
        if (a, b) in rel_pairs:
            continue
        rel_pairs.add((a, b))
        kind = "contradicts" if rnd.random() < 0.4 else "supports"
        relations.append({"id": f"r-{j:08x}", "source": a, "kind": kind, "target": b})
        if rnd.random() < 0.2 and (b, a) not in rel_pairs:  # a cycle
            rel_pairs.add((b, a))
            relations.append({"id": f"r-{j:08x}-back", "source": b, "kind": "contradicts",
                              "target": a})  # fmt: skip
    doc = {
        "schema_version": 1, "id": f"m-bench-{n}", "title": f"bench {n}",
        "focus_question": "What do SMB café owners need?",
        "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
        "root": cid[0], "concepts": concepts, "linking_phrases": phrases,
        "propositions": props, "evidence": evidence, "relations": relations,
    }  # fmt: skip
    return json.dumps(doc).encode()


def deep(n: int) -> bytes:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_model import generate as generate_deep

    return generate_deep(n)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shape", choices=["wide", "deep"], default="wide")
    args = ap.parse_args()
    failed = False
    for n in args.sizes:
        data = generate(n) if args.shape == "wide" else deep(n)
        m = parse_map(data)
        times, cpu, shares = [], [], {}
        for _ in range(args.runs):
            m = parse_map(data)  # a fresh map: no cached concept graph
            start, c0 = time.perf_counter(), time.process_time()
            a = analyse(m, as_of=AS_OF)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - c0)
            for name, t in a.timings.items():
                shares.setdefault(name, []).append(t)
        med = statistics.median(times)
        total = sum(statistics.median(v) for v in shares.values())
        target = TARGETS.get(n)
        verdict = "" if target is None else (" ok" if med < target else f" OVER {target:g} s")
        failed |= target is not None and med >= target
        print(
            f"{n:>7} concepts  {len(m.propositions):>7} propositions  {len(m.evidence):>6} "
            f"evidence  {len(m.relations):>5} relations  analyse median {med:7.3f} s "
            f"(runs: {', '.join(f'{t:.2f}' for t in times)}; CPU median "
            f"{statistics.median(cpu):.2f} s){verdict}"
        )
        parts = sorted(shares.items(), key=lambda kv: -statistics.median(kv[1]))
        print(
            "         passes: "
            + ", ".join(f"{k} {statistics.median(v) / total:.0%}" for k, v in parts)
            + f"  (cycles converged: {a.converged})"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
