"""Export time against running Graphviz alone on the same DOT text.

For maps of 50, 200, 1,000 and 2,000 concepts shaped like concept maps (a hierarchy with
fan-out phrases, ~15 % cross-links, evidence on a third of the propositions), measures
(medians of several runs):

* ``own``: conceptmap's own work inside the process (hierarchy, DOT text; and with gaps, the
  analysis), start-up aside;
* ``layout``: the layout engine alone (``dot -Tsvg`` on the same DOT text, as a subprocess);
* ``command``: ``conceptmap export MAP -o MAP.svg`` as a whole command, start-up included
  (wall-clock time).

``own`` and ``layout`` are CPU seconds (ours, and the ``dot`` child's), so that other work on a
shared machine does not skew the ratio.

``own`` is measured *cold*, as a real command does it: every timed run works on a fresh map
object (built from the same document outside the timed region) with an empty label cache, so
PageRank, betweenness, articulation points and the hierarchy — which a map caches on itself
(``ConceptMap.derived``) — are computed inside the timed region each time, once, as
``conceptmap export`` computes them. (Timing repeated runs on one map object would measure
them warm, served from that cache, which no export command ever sees.)

Targets (issue 4): own work under 15 % of the layout time from 200 concepts up, both without
and with the gap analysis (``--no-gaps`` and the default export); an SVG of a 2,000-concept map
in under 8 s as a whole command. Exits 1 when a target is missed.

    .venv/bin/python bench/bench_export.py [--runs 3] [--sizes 50,200,1000,2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conceptmap.formats import dump_map
from conceptmap.model import ConceptMap
from conceptmap.model.records import (
    Concept,
    Evidence,
    LinkingPhrase,
    MapDocument,
    Proposition,
)
from conceptmap.render.dot import DotOptions, map_to_dot, wrap_label
from conceptmap.render.export import build_marks
from conceptmap.render.graphviz import choose_layout, run_graphviz

AS_OF = dt.date(2026, 6, 1)
KINDS = ["interview", "analytics", "survey", "belief", "experiment"]


def make_map(n: int, seed: int = 7) -> ConceptMap:
    """A concept-map-shaped map of ``n`` concepts."""
    rnd = random.Random(seed)
    concepts = [Concept(id=f"c-{i:05d}", label=f"concept number {i} of the map") for i in range(n)]
    phrases: list[LinkingPhrase] = []
    props: list[Proposition] = []
    children: dict[int, list[int]] = {}
    for i in range(1, n):
        children.setdefault(rnd.randrange(max(1, i // 3 + 1)) if i > 3 else 0, []).append(i)
    k = 0
    for parent, kids in sorted(children.items()):
        # one phrase fanning out to up to three children, the rest one phrase each
        groups = [kids[:3]] + [[c] for c in kids[3:]]
        for group in groups:
            lid = f"l-{k:05d}"
            k += 1
            phrases.append(
                LinkingPhrase(
                    id=lid,
                    label=rnd.choice(["includes", "needs", "is part of", "drives", "e.g."]),
                    sources=[f"c-{parent:05d}"],
                    targets=[f"c-{c:05d}" for c in group],
                )
            )
            props += [
                Proposition(
                    id=f"p-{lid}-{c}", source=f"c-{parent:05d}", via=lid, target=f"c-{c:05d}"
                )
                for c in group
            ]
    existing = {(p.source, p.target) for p in props}
    for _ in range(int(0.15 * n)):
        a, b = rnd.sample(range(n), 2)
        key = (f"c-{a:05d}", f"c-{b:05d}")
        if key in existing or key[::-1] in existing:
            continue
        existing.add(key)
        lid = f"l-{k:05d}"
        k += 1
        phrases.append(LinkingPhrase(id=lid, label="affects", sources=[key[0]], targets=[key[1]]))
        props.append(Proposition(id=f"p-{lid}", source=key[0], via=lid, target=key[1]))
    evidence = [
        Evidence(
            id=f"e-{i:05d}",
            claim=p.id,
            stance="supports" if rnd.random() < 0.8 else "contradicts",
            kind=rnd.choice(KINDS),
            source=f"source {rnd.randrange(50)}",
            date=AS_OF - dt.timedelta(days=rnd.randrange(400)),
        )
        for i, p in enumerate(props)
        if rnd.random() < 0.33
    ]
    doc = MapDocument(
        id=f"m-bench-{n:08d}",
        title=f"bench {n}",
        focus_question="What does the bench map say?",
        created="2026-01-01T00:00:00Z",
        updated="2026-01-01T00:00:00Z",
        root="c-00000",
        concepts=concepts,
        linking_phrases=phrases,
        propositions=props,
        evidence=evidence,
    )
    return ConceptMap.from_document(doc)


def _cpu() -> float:
    """CPU seconds of this process and its finished children: fair under a loaded machine
    (other work on the two cores stretches wall time, not CPU time)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def median_time(fn, runs: int, *, cpu: bool = True) -> tuple[float, object]:
    clock = _cpu if cpu else time.perf_counter
    times, result = [], None
    for _ in range(runs):
        t = clock()
        result = fn()
        times.append(clock() - t)
    return statistics.median(times), result


def median_cold(n: int, fn, runs: int) -> tuple[float, object]:
    """Median CPU seconds of ``fn(m)``, each run on a fresh map of ``n`` concepts (built, and
    the label cache emptied, outside the timed region): nothing cached from an earlier run."""
    times, result = [], None
    for _ in range(runs):
        m = make_map(n)
        wrap_label.cache_clear()
        t = _cpu()
        result = fn(m)
        times.append(_cpu() - t)
    return statistics.median(times), result


def export_text(m: ConceptMap, opts: DotOptions, gaps: bool) -> str:
    """What ``conceptmap export`` does in-process before the layout: the analysis (when
    ``gaps``) and the DOT text."""
    marks = build_marks(m, as_of=AS_OF) if gaps else None
    return map_to_dot(m, marks, options=opts)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="50,200,1000,2000")
    args = ap.parse_args()
    exe = str(Path(sys.executable).with_name("conceptmap"))
    ok = True
    print(
        f"{'concepts':>8} {'boxes':>6} {'engine':>10} {'dot text':>9} {'analysis':>9} "
        f"{'layout':>8} {'own/layout':>10} {'own+gaps/layout':>15} {'command':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            m = make_map(n)
            boxes = len(m.concepts) + len(m.linking_phrases)
            layout = choose_layout(boxes)
            opts = DotOptions(engine=layout.engine, fast=layout.fast)
            export_text(make_map(n), opts, gaps=True)  # warm the imports (not the map)
            t_dot, _ = median_cold(n, lambda m, o=opts: export_text(m, o, gaps=False), args.runs)
            t_full, text = median_cold(n, lambda m, o=opts: export_text(m, o, gaps=True), args.runs)
            t_marks = t_full - t_dot  # what the analysis adds
            t_layout, _ = median_time(
                lambda t=text, e=layout.engine: run_graphviz(t, "svg", e), args.runs
            )
            path = Path(tmp) / f"bench{n}.cmap.json"
            path.write_bytes(dump_map(m))
            cmd = [
                exe,
                "export",
                str(path),
                "-o",
                str(Path(tmp) / f"b{n}.svg"),
                "--as-of",
                "2026-06-01",
            ]
            t_cmd, _ = median_time(
                lambda c=cmd: subprocess.run(c, check=True, capture_output=True),
                args.runs,
                cpu=False,
            )
            own = t_dot / t_layout
            own_gaps = t_full / t_layout
            engine = layout.engine + ("-fast" if layout.fast else "")
            print(
                f"{n:>8} {boxes:>6} {engine:>10} {t_dot:>8.3f}s {t_marks:>8.3f}s {t_layout:>7.3f}s "
                f"{own:>9.1%} {own_gaps:>15.1%} {t_cmd:>7.2f}s"
            )
            if n >= 200 and own > 0.15:
                print(f"  target missed: own work {own:.1%} of layout (≤ 15 %)")
                ok = False
            if n >= 200 and own_gaps > 0.15:
                # what a default `conceptmap export MAP -o x.svg` does: the analysis included
                print(f"  target missed: own work with the gaps {own_gaps:.1%} of layout (≤ 15 %)")
                ok = False
            if n >= 2000 and t_cmd > 8:
                print(f"  target missed: whole command {t_cmd:.2f} s (≤ 8 s)")
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
