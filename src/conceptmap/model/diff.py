"""What changed between two versions of a map, record by record.

Records are matched by their stable ids. When the ids were regenerated (a map re-imported or
rebuilt by a script: almost no id in common, but most labels match), records are matched by
what they say instead — concepts by label, linking phrases by label and ends, propositions by
the sentence they read as, evidence by claim, source, kind and date — and the diff says so
rather than reporting everything as deleted and added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conceptmap.model.conceptmap import ConceptMap, normalise_label

__all__ = ["CollectionDiff", "MapDiff", "diff_maps"]

_COLLECTIONS = ("concepts", "linking_phrases", "propositions", "evidence", "relations")


@dataclass
class CollectionDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # id -> changed fields

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "removed": self.removed, "changed": self.changed}


@dataclass
class MapDiff:
    """Per collection: ids added, removed and changed (ids of the NEW map where matched)."""

    collections: dict[str, CollectionDiff]
    meta_changed: list[str]
    ids_regenerated: bool
    matched_by_content: int = 0
    #: old id -> new id for records matched by content (only when ids were regenerated)
    id_map: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "meta_changed": self.meta_changed,
            "ids_regenerated": self.ids_regenerated,
            "matched_by_content": self.matched_by_content,
            **{k: v.as_dict() for k, v in self.collections.items()},
        }


def _keys(m: ConceptMap) -> dict[str, dict[str, Any]]:
    """Content keys of every record, for matching when ids were regenerated."""
    c = {cid: normalise_label(x.label) for cid, x in m.concepts.items()}
    lp = {
        lid: (
            normalise_label(x.label),
            tuple(sorted(c[s] for s in x.sources)),
            tuple(sorted(c[t] for t in x.targets)),
        )
        for lid, x in m.linking_phrases.items()
    }
    p = {
        pid: (
            c[x.source],
            normalise_label(m.linking_phrases[x.via].label) if x.via else "",
            c[x.target],
        )
        for pid, x in m.propositions.items()
    }

    def claim_key(cid: str) -> Any:
        return ("p", p[cid]) if cid in p else ("c", c.get(cid))

    e = {
        eid: (claim_key(x.claim), x.source, x.kind.value, x.date.isoformat(), x.stance.value)
        for eid, x in m.evidence.items()
    }
    r = {
        rid: (claim_key(x.source), x.kind.value, claim_key(x.target))
        for rid, x in m.relations.items()
    }
    return {"concepts": c, "linking_phrases": lp, "propositions": p, "evidence": e, "relations": r}


def _records(m: ConceptMap, key: str) -> dict[str, Any]:
    return dict(getattr(m, key))


def _changed_fields(a: Any, b: Any, id_map: dict[str, str]) -> list[str]:
    da, db = a.model_dump(mode="json"), b.model_dump(mode="json")
    out = []
    for f in sorted(set(da) | set(db)):
        if f == "id":
            continue
        va, vb = da.get(f), db.get(f)
        if isinstance(va, str):
            va = id_map.get(va, va)
        elif isinstance(va, list):
            va = [id_map.get(v, v) if isinstance(v, str) else v for v in va]
        if va != vb:
            out.append(f)
    return out


def diff_maps(old: ConceptMap, new: ConceptMap) -> MapDiff:
    """Compare two versions of a map; see the module docstring."""
    old_ids = set(old.concepts) | set(old.propositions)
    new_ids = set(new.concepts) | set(new.propositions)
    common = len(old_ids & new_ids)
    regenerated = False
    id_map: dict[str, str] = {}
    if old_ids and new_ids and common <= 0.2 * min(len(old_ids), len(new_ids)):
        ko, kn = _keys(old), _keys(new)
        labels_old = set(ko["concepts"].values())
        labels_new = set(kn["concepts"].values())
        if labels_old and len(labels_old & labels_new) >= 0.5 * len(labels_old):
            regenerated = True
            for coll in _COLLECTIONS:
                by_key: dict[Any, list[str]] = {}
                for nid, k in sorted(kn[coll].items()):
                    by_key.setdefault(k, []).append(nid)
                for oid, k in sorted(ko[coll].items()):
                    if oid in new_ids or oid in getattr(new, coll):
                        continue
                    cands = by_key.get(k)
                    if cands:
                        id_map[oid] = cands.pop(0)
    collections = {}
    for coll in _COLLECTIONS:
        o, n = _records(old, coll), _records(new, coll)
        d = CollectionDiff()
        matched_new = set()
        for oid in sorted(o):
            nid = oid if oid in n else id_map.get(oid)
            if nid is None or nid not in n:
                d.removed.append(oid)
                continue
            matched_new.add(nid)
            fields = _changed_fields(o[oid], n[nid], id_map)
            if fields:
                d.changed[nid] = fields
        d.added = sorted(set(n) - matched_new)
        collections[coll] = d
    om, nm = old.meta.model_dump(mode="json"), new.meta.model_dump(mode="json")
    meta_changed = [f for f in ("title", "focus_question", "description", "root") if om[f] != nm[f]]
    if regenerated and "root" in meta_changed and id_map.get(om["root"]) == nm["root"]:
        meta_changed.remove("root")
    return MapDiff(collections, meta_changed, regenerated, len(id_map), id_map)
