"""Three-way merge of two versions of a map that grew from one base.

Records are matched by their stable ids. For every record, and inside a record for every field:
what only one side changed is taken; what both sides changed the same way is taken once; what
both changed in different ways is a **conflict**. A record deleted on one side and edited on the
other is a conflict too. Conflicts are never dropped: the merged record keeps our value (or the
edited version of a record the other side deleted) and a :class:`~conceptmap.model.Conflict`
entry in the map says what the other side had, until someone resolves it
(:meth:`ConceptMap.resolve_conflict`).

List fields that are sets (a linking phrase's sources and targets, tags, links) merge as sets:
both sides' additions are kept and both sides' removals applied. After the merge the map is
repaired so it is valid: a linking phrase that gained a source on one side and a target on the
other gets the proposition for the new pair (with an id derived from the pair, so that both
merges of the same versions agree), and a record that one side deleted while the other side
added something pointing at it is brought back, with a conflict saying so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from conceptmap.errors import MapFormatError
from conceptmap.model.conceptmap import ConceptMap
from conceptmap.model.records import MapDocument

__all__ = ["MergeResult", "merge_maps"]

_LISTS = {
    "concepts": "concept",
    "linking_phrases": "linking_phrase",
    "propositions": "proposition",
    "evidence": "evidence",
    "relations": "relation",
    "plan": "plan",
}
_SET_FIELDS = {"sources", "targets", "tags", "links"}
_HEAD_SKIP = {"schema_version", "created", "updated", *_LISTS, "conflicts"}


@dataclass
class MergeResult:
    map: ConceptMap
    conflicts: int
    added: dict[str, int]


def _hid(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:8]


def _set_merge(b: list[Any], o: list[Any], t: list[Any]) -> list[Any]:
    key = lambda v: json.dumps(v, sort_keys=True)  # noqa: E731  (list items may be dicts)
    bk, ok, tk = ({key(v) for v in x} for x in (b, o, t))
    removed = (bk - ok) | (bk - tk)
    out, seen = [], set()
    for v in [*b, *o, *t]:
        k = key(v)
        if k in removed or k in seen:
            continue
        seen.add(k)
        out.append(v)
    return out


class _Merger:
    def __init__(self) -> None:
        self.conflicts: list[dict[str, Any]] = []

    def conflict(
        self, collection: str, rid: str, field: str | None, b: Any, o: Any, t: Any, message: str
    ) -> None:
        self.conflicts.append(
            {
                "id": f"x-{_hid(collection, rid, field or '')}",
                "collection": collection,
                "record": rid,
                "field": field,
                "base": b,
                "ours": o,
                "theirs": t,
                "message": message,
            }
        )

    def fields(self, collection: str, rid: str, b: dict, o: dict, t: dict) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in sorted(set(b) | set(o) | set(t)):
            bv, ov, tv = b.get(f), o.get(f), t.get(f)
            if ov == tv:
                val = ov
            elif ov == bv:
                val = tv
            elif tv == bv:
                val = ov
            elif f in _SET_FIELDS:
                val = _set_merge(bv or [], ov or [], tv or [])
            elif f == "updated":
                val = max(ov, tv)
            else:
                val = ov
                self.conflict(collection, rid, f, bv, ov, tv, f"{f} was changed on both sides")
            if val is not None:
                out[f] = val
        return out

    def record(
        self, collection: str, rid: str, b: dict | None, o: dict | None, t: dict | None
    ) -> dict | None:
        if o == t:
            return o
        if o is None and t is None:
            return None
        if o is None or t is None:
            kept = t if o is None else o
            if b is not None and kept == b:
                return None  # deleted on one side, untouched on the other: deleted
            if b is None:
                return kept  # added on one side
            side = "our" if o is None else "their"
            self.conflict(
                collection,
                rid,
                None,
                b,
                o,
                t,
                f"deleted on {side} side but edited on the other; kept the edited version",
            )
            return kept
        return self.fields(collection, rid, b or {}, o, t)


def _doc(m: ConceptMap) -> dict[str, Any]:
    return m.to_document().model_dump(mode="json", exclude_defaults=True)


def merge_maps(base: ConceptMap, ours: ConceptMap, theirs: ConceptMap) -> MergeResult:
    """Merge ``ours`` and ``theirs``, two descendants of ``base``; see the module docstring."""
    b_doc, o_doc, t_doc = _doc(base), _doc(ours), _doc(theirs)
    mg = _Merger()
    head = {"schema_version": 1}
    merged_head = mg.fields(
        "map",
        o_doc.get("id", "map"),
        {k: v for k, v in b_doc.items() if k not in _HEAD_SKIP},
        {k: v for k, v in o_doc.items() if k not in _HEAD_SKIP},
        {k: v for k, v in t_doc.items() if k not in _HEAD_SKIP},
    )
    head.update(merged_head)
    head["created"] = min(x["created"] for x in (o_doc, t_doc))
    head["updated"] = max(x["updated"] for x in (o_doc, t_doc))
    # conflicts already in either side are carried over
    carried = {x["id"]: x for side in (o_doc, t_doc) for x in side.get("conflicts", [])}

    by_id: dict[str, dict[str, dict]] = {}
    versions = {
        key: tuple({r["id"]: r for r in d.get(key, [])} for d in (b_doc, o_doc, t_doc))
        for key in _LISTS
    }
    added = {key: 0 for key in _LISTS}
    for key, collection in _LISTS.items():
        b, o, t = versions[key]
        out: dict[str, dict] = {}
        for rid in sorted(set(b) | set(o) | set(t)):
            rec = mg.record(collection, rid, b.get(rid), o.get(rid), t.get(rid))
            if rec is not None:
                out[rid] = rec
                if rid not in b:
                    added[key] += 1
        by_id[key] = out

    _repair(by_id, versions, mg)
    doc = {**head, **{k: [v[i] for i in sorted(v)] for k, v in by_id.items()}}
    all_conflicts = {**carried, **{x["id"]: x for x in mg.conflicts}}
    doc["conflicts"] = [all_conflicts[k] for k in sorted(all_conflicts)]
    try:
        merged = ConceptMap.from_document(MapDocument.model_validate(doc))
    except MapFormatError as err:
        raise MapFormatError(
            problems=[
                p.__class__(f"merge result is invalid: {p.message}", p.place) for p in err.problems
            ]
        ) from None
    return MergeResult(merged, len(mg.conflicts), added)


def _repair(
    by_id: dict[str, dict[str, dict]], versions: dict[str, tuple[dict, ...]], mg: _Merger
) -> None:
    concepts, phrases = by_id["concepts"], by_id["linking_phrases"]
    props, evidence, relations = by_id["propositions"], by_id["evidence"], by_id["relations"]

    def restore(key: str, rid: str, why: str) -> bool:
        """Bring back a record one side deleted because something still points at it."""
        if rid in by_id[key]:
            return True
        b, o, t = versions[key]
        rec = o.get(rid) or t.get(rid) or b.get(rid)
        if rec is None:
            return False
        by_id[key][rid] = rec
        collection = _LISTS[key]
        mg.conflict(
            collection,
            rid,
            None,
            b.get(rid),
            o.get(rid),
            t.get(rid),
            f"deleted on one side, but the other side {why}; kept it",
        )
        return True

    changed = True
    while changed:
        changed = False
        for rid, r in sorted(relations.items()):
            for end in ("source", "target"):
                cid = r[end]
                if (
                    cid not in props
                    and cid not in concepts
                    and not (
                        restore("propositions", cid, "related it to another claim")
                        or restore("concepts", cid, "related it to another claim")
                    )
                ):
                    relations.pop(rid)
                    break
        for rid, item in sorted(by_id["plan"].items()):
            cid = item["claim"]
            if (
                cid not in props
                and cid not in concepts
                and not (
                    restore("propositions", cid, "planned a test for it")
                    or restore("concepts", cid, "planned a test for it")
                )
            ):
                by_id["plan"].pop(rid)
        for rid, e in sorted(evidence.items()):
            cid = e["claim"]
            if (
                cid not in props
                and cid not in concepts
                and not (
                    restore("propositions", cid, "added evidence to it")
                    or restore("concepts", cid, "added evidence to it")
                )
            ):
                evidence.pop(rid)
        for _rid, p in sorted(props.items()):
            for end in ("source", "target"):
                if p[end] not in concepts:
                    changed |= restore("concepts", p[end], "linked a proposition to it")
            via = p.get("via")
            if via is not None:
                if via not in phrases:
                    changed |= restore("linking_phrases", via, "used it in a proposition")
                lp = phrases.get(via)
                if lp is not None:
                    for end, lst in (("source", "sources"), ("target", "targets")):
                        if p[end] not in lp.get(lst, []):
                            lp[lst] = [*lp.get(lst, []), p[end]]
                            changed = True
        for _lid, lp in sorted(phrases.items()):
            for cid in [*lp.get("sources", []), *lp.get("targets", [])]:
                if cid not in concepts:
                    changed |= restore("concepts", cid, "connected a linking phrase to it")
    # every (source, target) pair of a phrase needs its proposition
    pairs = {(p["source"], p.get("via"), p["target"]) for p in props.values()}
    for lid, lp in sorted(phrases.items()):
        srcs, tgts = lp.get("sources", []), lp.get("targets", [])
        both = set(srcs) & set(tgts)
        if both:
            lp["targets"] = [t for t in tgts if t not in both]
        for s in srcs:
            for t in lp.get("targets", []):
                if (s, lid, t) not in pairs:
                    pid = f"p-merge-{_hid(s, lid, t)}"
                    props[pid] = {"id": pid, "source": s, "via": lid, "target": t}
                    pairs.add((s, lid, t))
