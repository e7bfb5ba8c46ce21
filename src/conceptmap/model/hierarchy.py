"""The hierarchy of a concept map: root, levels, branches and cross-links.

Novak's maps read top-down from the most general concept. This module finds that reading in
linear time, so that the outline (``conceptmap show``), the drawing and the structural scores
all agree on it:

* **roots**: concepts with no incoming proposition; the *main root* is the map's declared root,
  else the root with the most outgoing propositions (ties: smallest id);
* **levels**: breadth-first distance from the roots (cross-links and cycle-closing links are
  set aside because they never shorten a breadth-first distance to an unvisited concept);
* **branches**: each concept belongs to the first-level branch (a direct successor of the main
  root) with the shortest path to it, ties to the branch that comes first in id order;
* **cross-links**: propositions joining two concepts of different branches (neither end being
  the main root) — Novak's cross-links, the sign of integrated thinking;
* **tree edges**: the proposition through which each concept was first reached.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from conceptmap.model.conceptmap import ConceptMap

__all__ = ["Hierarchy", "hierarchy"]


@dataclass
class Hierarchy:
    main_root: str | None
    roots: list[str]
    level: dict[str, int] = field(default_factory=dict)
    parent_prop: dict[str, str] = field(default_factory=dict)
    branch: dict[str, str] = field(default_factory=dict)
    cross_links: set[str] = field(default_factory=set)
    children: dict[str, list[str]] = field(default_factory=dict)
    unreachable: list[str] = field(default_factory=list)

    @property
    def depth(self) -> int:
        """Number of levels below the roots (0 for a map of roots only)."""
        return max(self.level.values(), default=0)


def hierarchy(m: ConceptMap) -> Hierarchy:
    """The :class:`Hierarchy` of ``m`` (deterministic: everything in id order), cached until
    the map's structure changes. Treat it as read-only."""
    return m.derived("hierarchy", lambda: _hierarchy(m))


def _hierarchy(m: ConceptMap) -> Hierarchy:
    out_props: dict[str, list[tuple[str, str]]] = {cid: [] for cid in m.concepts}
    indeg: dict[str, int] = dict.fromkeys(m.concepts, 0)
    for pid in sorted(m.propositions):
        p = m.propositions[pid]
        out_props[p.source].append((p.target, pid))
        indeg[p.target] += 1
    roots = sorted((c for c, d in indeg.items() if d == 0), key=lambda c: (-len(out_props[c]), c))
    declared = m.meta.root
    main = declared if declared in m.concepts else (roots[0] if roots else None)
    if main is None and m.concepts:
        main = min(m.concepts, key=lambda c: (-len(out_props[c]), c))
    start = ([main] if main else []) + [r for r in roots if r != main]
    h = Hierarchy(main_root=main, roots=start)
    queue: deque[str] = deque()
    for r in start:
        h.level[r] = 0
        h.children[r] = []
        queue.append(r)
    while queue:
        cid = queue.popleft()
        for target, pid in out_props[cid]:
            if target in h.level:
                continue
            h.level[target] = h.level[cid] + 1
            h.parent_prop[target] = pid
            h.children.setdefault(cid, []).append(target)
            h.children.setdefault(target, [])
            if cid == main:
                h.branch[target] = target
            elif cid in h.branch:
                h.branch[target] = h.branch[cid]
            queue.append(target)
    h.unreachable = sorted(c for c in m.concepts if c not in h.level)
    for pid, p in m.propositions.items():
        if main in (p.source, p.target):
            continue
        bs, bt = h.branch.get(p.source), h.branch.get(p.target)
        if bs is not None and bt is not None and bs != bt:
            h.cross_links.add(pid)
    return h
