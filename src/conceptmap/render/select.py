"""Drawing part of a map: the neighbourhood of one concept (``export --around C --depth N``).

The part is a real :class:`ConceptMap` (built through ``from_document``, so it is checked like
any map): the concepts within ``depth`` propositions of the centre, in either direction, the
propositions between them, the linking phrases they go through (cut down to the kept ends),
their evidence and the relations between kept claims.
"""

from __future__ import annotations

import networkx as nx

from conceptmap.errors import UsageError
from conceptmap.model import ConceptMap

__all__ = ["neighbourhood", "resolve_concept"]


def resolve_concept(m: ConceptMap, ref: str) -> str:
    """The id of the concept named by ``ref``: its id, else its label (ignoring case, spacing
    and punctuation). Several concepts with that label is a usage error listing their ids."""
    if ref in m.concepts:
        return ref
    found = m.find_concepts(ref)
    if not found:
        raise UsageError(f"no concept has the id or label {ref!r}")
    if len(found) > 1:
        ids = ", ".join(c.id for c in found[:5])
        raise UsageError(f"{len(found)} concepts are labelled {ref!r} ({ids}); name one by id")
    return found[0].id


def neighbourhood(m: ConceptMap, ref: str, depth: int) -> ConceptMap:
    """The part of ``m`` within ``depth`` propositions of the concept ``ref`` (id or label)."""
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    centre = resolve_concept(m, ref)
    keep = set(nx.ego_graph(m.concept_graph(), centre, radius=depth, undirected=True))
    doc = m.to_document()
    props = [p for p in doc.propositions if p.source in keep and p.target in keep]
    used_phrases: dict[str, tuple[set[str], set[str]]] = {}
    for p in props:
        if p.via is not None:
            srcs, tgts = used_phrases.setdefault(p.via, (set(), set()))
            srcs.add(p.source)
            tgts.add(p.target)
    phrases = []
    for lp in doc.linking_phrases:
        if lp.id not in used_phrases:
            continue
        srcs, tgts = used_phrases[lp.id]
        # keep only the pairs that are propositions of the part (every kept pair is one)
        sources = [s for s in lp.sources if s in srcs]
        targets = [t for t in lp.targets if t in tgts]
        phrases.append(lp.model_copy(update={"sources": sources, "targets": targets}))
    pairs = {(p.source, p.via, p.target) for p in props}
    for lp in phrases:  # a cut can leave a (source, target) pair with no proposition
        missing = [(s, t) for s in lp.sources for t in lp.targets if (s, lp.id, t) not in pairs]
        if missing:
            raise AssertionError(f"neighbourhood cut phrase {lp.id} inconsistently: {missing}")
    claims = {p.id for p in props} | keep
    part = doc.model_copy(
        update={
            "root": centre,
            "concepts": [c for c in doc.concepts if c.id in keep],
            "linking_phrases": phrases,
            "propositions": props,
            "evidence": [e for e in doc.evidence if e.claim in claims],
            "relations": [r for r in doc.relations if r.source in claims and r.target in claims],
            "conflicts": [],
        }
    )
    return ConceptMap.from_document(part)
