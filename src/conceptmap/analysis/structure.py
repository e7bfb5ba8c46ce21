"""The structure of the map (analysis.md §4; Novak & Gowin 1984; Novak & Cañas 2008).

Findings: orphans, concepts unreachable from the roots, duplicate labels, linking phrases
missing a source or target, top-level branches with no cross-link between them, no focus
question. Scores: Novak–Gowin, the "traditional" NC/NH/HH/NCL score (Watson, Barrella &
Pelkey 2018), and the shape spoke/chain/net (Kinchin, Hay & Adams 2000). Depths come from
:func:`conceptmap.model.hierarchy.hierarchy` (breadth-first, linear time).
"""

from __future__ import annotations

from collections.abc import Iterable

from conceptmap.analysis.results import (
    Finding,
    NovakGowinScore,
    State,
    StructureResult,
    TraditionalScore,
)
from conceptmap.analysis.settings import Settings
from conceptmap.analysis.states import ClaimState
from conceptmap.model import ConceptMap, normalise_label
from conceptmap.model.hierarchy import Hierarchy, hierarchy

__all__ = ["duplicate_groups", "map_shape", "structure_pass"]

#: At most this many ids are listed in one finding's message (all are in ``ids``).
_SHOW = 5


def _names(m: ConceptMap, ids: Iterable[str]) -> str:
    ids = list(ids)
    shown = ", ".join(f"“{m.concepts[i].label}”" for i in ids[:_SHOW])
    return shown + (f" and {len(ids) - _SHOW} more" if len(ids) > _SHOW else "")


def _label_key(label: str) -> str:
    """``normalise_label(label)``: most labels are words and spaces, whose key is the casefolded
    label without its spaces (found without the regex); the rest go through normalise_label."""
    folded = label.casefold().replace(" ", "")
    return folded if folded.isalnum() else normalise_label(label)


def duplicate_groups(m: ConceptMap) -> list[list[str]]:
    """Concepts whose labels differ only in case, spacing or punctuation, grouped (each group
    sorted by id, groups by their first id)."""
    first: dict[str, str] = {}  # key → the first concept with it
    groups: dict[str, list[str]] = {}  # only the keys met again (most labels are unique)
    concepts = m.concepts
    for cid in sorted(concepts):
        label = concepts[cid].label
        key = _label_key(label) or " ".join(label.casefold().split())
        seen = first.setdefault(key, cid)
        if seen != cid:
            groups.setdefault(key, [seen]).append(cid)
    return sorted(groups.values(), key=lambda g: g[0])


def map_shape(m: ConceptMap, h: Hierarchy) -> str:
    """Kinchin's shape: *net* when a cross-link joins two branches (integrated thinking);
    else *chain* when the longest line from the root holds at least half of the reachable
    concepts (and there are three or more); else *spoke* (everything hangs off the root)."""
    if h.cross_links:
        return "net"
    reachable = len(h.level)
    if reachable >= 3 and h.depth + 1 >= reachable / 2 and h.depth >= 2:
        return "chain"
    return "spoke"


def _findings(m: ConceptMap, h: Hierarchy, settings: Settings) -> list[Finding]:
    out: list[Finding] = []
    linked = {p.source for p in m.propositions.values()}
    linked.update(p.target for p in m.propositions.values())
    orphans = [cid for cid in sorted(m.concepts) if cid not in linked]
    if orphans:
        out.append(
            Finding(
                kind="orphan",
                message=f"{len(orphans)} concept(s) in no proposition: {_names(m, orphans)}; "
                "link each to the map or remove it",
                ids=orphans,
            )
        )
    if h.unreachable:
        out.append(
            Finding(
                kind="unreachable",
                message=f"{len(h.unreachable)} concept(s) cannot be reached from the root "
                f"concepts: {_names(m, h.unreachable)}; link them from a more general concept",
                ids=list(h.unreachable),
            )
        )
    for group in duplicate_groups(m):
        out.append(
            Finding(
                kind="duplicate",
                message=f"{len(group)} concepts are the same term written differently: "
                f"{_names(m, group)}; merge them",
                ids=group,
            )
        )
    phrases = m.linking_phrases
    for lid in sorted(phrases):
        lp = phrases[lid]
        if lp.sources and lp.targets:
            continue
        missing = [w for w, ends in (("source", lp.sources), ("target", lp.targets)) if not ends]
        if missing:
            out.append(
                Finding(
                    kind="dangling-phrase",
                    message=f"linking phrase “{lp.label}” has no {' and no '.join(missing)} "
                    "concept, so it states nothing",
                    ids=[lid],
                )
            )
    out.extend(_branch_findings(m, h, settings))
    if not m.focus_question.strip():
        out.append(
            Finding(
                kind="no-focus-question",
                message="the map has no focus question: write the question it answers "
                "(e.g. “What do SMB café owners need from ordering software?”)",
                ids=[m.id],
            )
        )
    return out


def _branch_findings(m: ConceptMap, h: Hierarchy, settings: Settings) -> list[Finding]:
    branches = sorted(set(h.branch.values()))
    if len(branches) < 2:
        return []
    linked: set[tuple[str, str]] = set()
    for pid in h.cross_links:
        p = m.propositions[pid]
        a, b = sorted((h.branch[p.source], h.branch[p.target]))
        linked.add((a, b))
    pairs = [
        (a, b) for i, a in enumerate(branches) for b in branches[i + 1 :] if (a, b) not in linked
    ]
    if not pairs:
        return []
    if len(pairs) <= settings.structure.max_branch_pairs:
        return [
            Finding(
                kind="unlinked-branches",
                message=f"no cross-link between the branches {_names(m, [a])} and "
                f"{_names(m, [b])}: how does one bear on the other?",
                ids=[a, b],
            )
            for a, b in pairs
        ]
    touched = {x for pair in linked for x in pair}
    alone = [b for b in branches if b not in touched]
    return [
        Finding(
            kind="unlinked-branches",
            message=f"{len(pairs)} pairs of the {len(branches)} top-level branches have no "
            f"cross-link between them; {len(alone)} branch(es) link to no other: "
            f"{_names(m, alone)}",
            ids=alone,
        )
    ]


def structure_pass(
    m: ConceptMap, settings: Settings, states: dict[str, ClaimState] | None = None
) -> StructureResult:
    """Findings and scores of the map's structure. A proposition counts as *valid* for the
    Novak–Gowin score unless its evidence contradicts it."""
    h = hierarchy(m)
    cfg = settings.structure
    states = states or {}
    contradicted = {pid for pid, st in states.items() if st.state is State.contradicted}
    valid = sum(1 for pid in m.propositions if pid not in contradicted)
    examples = sum(1 for c in m.concepts.values() if c.example)
    levels = h.depth
    ng = NovakGowinScore(
        propositions=valid,
        levels=levels,
        cross_links=len(h.cross_links),
        examples=examples,
        score=cfg.ng_proposition * valid
        + cfg.ng_level * levels
        + cfg.ng_cross_link * len(h.cross_links)
        + cfg.ng_example * examples,
    )
    root = h.main_root
    nh = len({p.target for p in m.propositions.values() if p.source == root}) if root else 0
    hh = max((h.level[c] for c in h.branch), default=0)
    nc = max(len(m.concepts) - 1, 0) if root else 0
    ncl = len(h.cross_links)
    trad = TraditionalScore(
        root=root,
        NC=nc,
        NH=nh,
        HH=hh,
        NCL=ncl,
        score=nc + cfg.trad_hierarchy * hh + cfg.trad_cross_link * ncl,
    )
    return StructureResult(
        findings=_findings(m, h, settings),
        novak_gowin=ng,
        traditional=trad,
        shape=map_shape(m, h),  # type: ignore[arg-type]
    )
