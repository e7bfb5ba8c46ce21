"""The map object: the one way to read and change a concept map.

A :class:`ConceptMap` is a graph: its :attr:`~ConceptMap.graph` is a networkx ``DiGraph``
whose nodes are the concepts and linking phrases and whose edges are the connections between
them (concept → linking phrase → concept, or a direct concept → concept link). The records live
in dictionaries keyed by id, with indexes for the questions the analysis and the TUI ask
often, and every record that enters goes through its pydantic model. The networkx graph is
built when first asked for (and again after the structure changed): the analysis reads the
records and indexes directly, so opening and editing a map never waits for networkx (its
import alone is a tenth of a second at start-up).

Every change is an :class:`Edit`: a list of record-level changes (``before`` → ``after``)
that can be applied and reverted. The public edit methods (``add_concept``,
``add_proposition``, ``add_evidence`` …) build an edit, check it, apply it and push it on the
undo stack, so that the TUI gets many-level undo/redo for free and the file format gets
byte-identical round trips.

>>> m = ConceptMap.new("Cafés", focus_question="What do café owners need?")
>>> owners = m.add_concept("SMB café owners")
>>> speed = m.add_concept("fast delivery")
>>> p = m.add_proposition(owners.id, "value", speed.id)
>>> m.proposition_text(p.id)
'SMB café owners — value → fast delivery'
>>> m.undo(); len(m.propositions)
'add proposition'
0
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from conceptmap.errors import InputError, MapFormatError, Problem
from conceptmap.model.ids import new_id
from conceptmap.model.records import (
    Concept,
    Conflict,
    Evidence,
    LinkingPhrase,
    MapDocument,
    MapMeta,
    PlanItem,
    Proposition,
    Relation,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Change", "ConceptMap", "Edit", "format_validation_error", "normalise_label"]

T = TypeVar("T")

Collection = Literal[
    "meta", "concept", "linking_phrase", "proposition", "evidence", "relation", "plan", "conflict"
]

_SPACE_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def normalise_label(label: str) -> str:
    """A label with case, spacing and punctuation taken out, for matching duplicates."""
    return _SPACE_PUNCT.sub("", label.casefold())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def format_validation_error(err: ValidationError, what: str = "") -> list[Problem]:
    """Pydantic's errors as one :class:`Problem` each, naming the field."""
    out = []
    for e in err.errors(include_url=False):
        loc = ".".join(str(x) for x in e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        place = f"{what}, field {loc}" if what and loc else (what or f"field {loc}")
        out.append(Problem(msg, place))
    return out


@dataclass(frozen=True)
class Change:
    """One record replaced: ``before`` is ``None`` for an addition, ``after`` for a removal."""

    collection: Collection
    id: str
    before: BaseModel | None
    after: BaseModel | None

    def inverse(self) -> Change:
        return Change(self.collection, self.id, self.after, self.before)


@dataclass
class Edit:
    """A named, undoable group of changes (what one user action did)."""

    name: str
    changes: list[Change] = field(default_factory=list)

    def inverse(self) -> Edit:
        return Edit(self.name, [c.inverse() for c in reversed(self.changes)])


class ConceptMap:
    """A Novak concept map: concepts, linking phrases, propositions, evidence and relations.

    Read through the properties (read-only mappings keyed by id) and :attr:`graph`; change
    only through the edit methods. ``revision`` grows with every applied change, so callers
    can cache what they compute from the map.
    """

    clock = staticmethod(_now)

    def __init__(self, meta: MapMeta) -> None:
        self._meta = meta
        #: the networkx graph, built when first asked for (:attr:`graph`); ``None`` after a
        #: change to the structure
        self._g: nx.DiGraph | None = None
        self._concepts: dict[str, Concept] = {}
        self._phrases: dict[str, LinkingPhrase] = {}
        self._props: dict[str, Proposition] = {}
        self._evidence: dict[str, Evidence] = {}
        self._relations: dict[str, Relation] = {}
        self._conflicts: dict[str, Conflict] = {}
        self._plan: dict[str, PlanItem] = {}
        self._ev_by_claim: dict[str, set[str]] = {}
        self._props_by_concept: dict[str, set[str]] = {}
        self._props_by_phrase: dict[str, set[str]] = {}
        self._rels_by_claim: dict[str, set[str]] = {}
        self._undo: list[Edit] = []
        self._redo: list[Edit] = []
        self._open: Edit | None = None
        self._staged: list[Change] | None = None
        self._derived: dict[Any, Any] = {}
        #: collection → [its ids sorted, its records in that order, whether that list was
        #: handed out]: kept up to date by :meth:`_set`, so a save after one edit of a big map
        #: does not sort 10^5 ids per collection again (see :meth:`to_document`). The lock
        #: makes a change to a collection and a reader building its list one step each: the
        #: TUI dumps a big map once in a thread (to warm the save) while the map is edited
        self._sorted: dict[str, list[Any]] = {}
        self._sorted_lock = threading.Lock()
        self.revision = 0

    # ------------------------------------------------------------------ construction
    @classmethod
    def new(
        cls, title: str, *, focus_question: str = "", description: str = "", id: str | None = None
    ) -> ConceptMap:
        now = cls.clock()
        try:
            meta = MapMeta(
                id=id or new_id("map", title),
                title=title,
                focus_question=focus_question,
                description=description,
                created=now,
                updated=now,
            )
        except ValidationError as err:
            raise InputError(problems=format_validation_error(err, "map")) from None
        return cls(meta)

    @classmethod
    def from_document(cls, doc: MapDocument, *, path: str | None = None) -> ConceptMap:
        """Build a map from a validated document, checking every reference.

        Raises :class:`MapFormatError` listing every dangling reference, duplicate id and
        inconsistent linking phrase, one line each.
        """
        meta = MapMeta(
            id=doc.id,
            title=doc.title,
            focus_question=doc.focus_question,
            description=doc.description,
            created=doc.created,
            updated=doc.updated,
            root=doc.root,
        )
        m = cls(meta)
        problems: list[Problem] = []
        seen: dict[str, str] = {doc.id: "map"}
        # records refused below: a reference to one is not reported again (one cause, one line)
        rejected: set[str] = set()
        phrases_with_rejects: set[str] = set()

        def unique(kind: str, rec_id: str) -> bool:
            if rec_id in seen:
                problems.append(
                    Problem(f"duplicate id (already used by a {seen[rec_id]})", f"{kind} {rec_id}")
                )
                return False
            seen[rec_id] = kind
            return True

        for c in doc.concepts:
            if unique("concept", c.id):
                m._concepts[c.id] = c
        for lp in doc.linking_phrases:
            if not unique("linking phrase", lp.id):
                continue
            ok = True
            for end, ids in (("source", lp.sources), ("target", lp.targets)):
                if len(set(ids)) != len(ids):
                    problems.append(Problem(f"lists a {end} twice", f"linking phrase {lp.id}"))
                    ok = False
                for cid in ids:
                    if cid not in m._concepts:
                        problems.append(
                            Problem(f"{end} {cid} is not a concept", f"linking phrase {lp.id}")
                        )
                        ok = False
            both = set(lp.sources) & set(lp.targets)
            if both:
                problems.append(
                    Problem(
                        f"{sorted(both)[0]} is both a source and a target (a proposition to itself)",
                        f"linking phrase {lp.id}",
                    )
                )
                ok = False
            if ok:
                m._phrases[lp.id] = lp
            else:
                rejected.add(lp.id)
        pairs: dict[tuple[str, str | None, str], str] = {}
        for p in doc.propositions:
            if not unique("proposition", p.id):
                continue
            place = f"proposition {p.id}"
            bad = False
            for end in ("source", "target"):
                cid = getattr(p, end)
                if cid not in m._concepts:
                    what = (
                        "does not exist" if cid not in seen else f"is a {seen[cid]}, not a concept"
                    )
                    problems.append(Problem(f"{end} {cid} {what}", place))
                    bad = True
            if p.source == p.target:
                problems.append(Problem("joins a concept to itself", place))
                bad = True
            if p.via is not None:
                lp = m._phrases.get(p.via)
                if lp is None:
                    if p.via not in rejected:
                        problems.append(Problem(f"linking phrase {p.via} does not exist", place))
                    bad = True
                elif not bad and (p.source not in lp.sources or p.target not in lp.targets):
                    problems.append(
                        Problem(
                            f"{p.source} → {p.target} is not a connection of linking phrase {p.via}",
                            place,
                        )
                    )
                    bad = True
            key = (p.source, p.via, p.target)
            if not bad and key in pairs:
                problems.append(Problem(f"repeats proposition {pairs[key]}", place))
                bad = True
            if not bad:
                pairs[key] = p.id
                m._props[p.id] = p
            else:
                rejected.add(p.id)
                if p.via is not None:
                    phrases_with_rejects.add(p.via)
        for lp in m._phrases.values():
            if lp.id in phrases_with_rejects:
                continue
            for s in lp.sources:
                for t in lp.targets:
                    if (s, lp.id, t) not in pairs:
                        problems.append(
                            Problem(
                                f"joins {s} → {t} but no proposition records that pair",
                                f"linking phrase {lp.id}",
                            )
                        )
        for e in doc.evidence:
            if not unique("evidence", e.id):
                continue
            if e.claim in rejected:
                continue
            if e.claim not in m._props and e.claim not in m._concepts:
                problems.append(
                    Problem(
                        f"claim {e.claim} is neither a proposition nor a concept",
                        f"evidence {e.id}",
                    )
                )
                continue
            m._evidence[e.id] = e
        rel_pairs: set[tuple[str, str]] = set()
        for r in doc.relations:
            if not unique("relation", r.id):
                continue
            bad = False
            for end in ("source", "target"):
                cid = getattr(r, end)
                if cid not in m._props and cid not in m._concepts:
                    if cid not in rejected:
                        problems.append(
                            Problem(
                                f"{end} {cid} is neither a proposition nor a concept",
                                f"relation {r.id}",
                            )
                        )
                    bad = True
            if r.source == r.target:
                problems.append(Problem("relates a claim to itself", f"relation {r.id}"))
                bad = True
            if not bad and (r.source, r.target) in rel_pairs:
                problems.append(
                    Problem("repeats another relation between the same claims", f"relation {r.id}")
                )
                bad = True
            if not bad:
                rel_pairs.add((r.source, r.target))
                m._relations[r.id] = r
        planned: set[str] = set()
        for item in doc.plan:
            if not unique("plan item", item.id):
                continue
            if item.claim not in m._props and item.claim not in m._concepts:
                problems.append(
                    Problem(
                        f"claim {item.claim} is neither a proposition nor a concept",
                        f"plan item {item.id}",
                    )
                )
                continue
            if item.claim in planned:
                problems.append(
                    Problem(f"claim {item.claim} is planned twice", f"plan item {item.id}")
                )
                continue
            planned.add(item.claim)
            m._plan[item.id] = item
        for x in doc.conflicts:
            if unique("conflict", x.id):
                m._conflicts[x.id] = x
        if doc.root is not None and doc.root not in m._concepts:
            problems.append(Problem(f"root {doc.root} is not a concept", "map"))
        if problems:
            raise MapFormatError(path=path, problems=problems)
        m._rebuild_indexes()
        return m

    def _rebuild_indexes(self) -> None:
        self._derived.clear()
        with self._sorted_lock:
            self._sorted.clear()
        self._g = None
        self._props_by_concept = {cid: set() for cid in self._concepts}
        self._props_by_phrase = {lid: set() for lid in self._phrases}
        for p in self._props.values():
            self._index_prop(p, add=True)
        self._ev_by_claim = {}
        for e in self._evidence.values():
            self._ev_by_claim.setdefault(e.claim, set()).add(e.id)
        self._rels_by_claim = {}
        for r in self._relations.values():
            self._rels_by_claim.setdefault(r.source, set()).add(r.id)
            self._rels_by_claim.setdefault(r.target, set()).add(r.id)
        self.revision += 1

    def to_document(self) -> MapDocument:
        """The map as a file document, records sorted by id (the canonical order)."""
        meta = self._meta
        return MapDocument.model_construct(
            schema_version=1,
            id=meta.id,
            title=meta.title,
            focus_question=meta.focus_question,
            description=meta.description,
            created=meta.created,
            updated=meta.updated,
            root=meta.root,
            concepts=self._sorted_records("concept"),
            linking_phrases=self._sorted_records("linking_phrase"),
            propositions=self._sorted_records("proposition"),
            evidence=self._sorted_records("evidence"),
            relations=self._sorted_records("relation"),
            plan=self._sorted_records("plan"),
            conflicts=self._sorted_records("conflict"),
        )

    def _sorted_records(self, collection: Collection) -> list[Any]:
        """The records of one collection sorted by id. The list is the caller's to read, never
        changed afterwards: the next change to the collection makes a new one (so a caller
        that kept it, like the save's cache of encoded text, can tell by identity)."""
        with self._sorted_lock:
            entry = self._sorted.get(collection)
            if entry is None:
                store = self._store(collection)
                ids = sorted(store)
                entry = self._sorted[collection] = [ids, [store[k] for k in ids], False]
            entry[2] = True
            return entry[1]

    # ------------------------------------------------------------------ reading
    @property
    def meta(self) -> MapMeta:
        return self._meta

    @property
    def id(self) -> str:
        return self._meta.id

    @property
    def title(self) -> str:
        return self._meta.title

    @property
    def focus_question(self) -> str:
        return self._meta.focus_question

    @property
    def concepts(self) -> Mapping[str, Concept]:
        return MappingProxyType(self._concepts)

    @property
    def linking_phrases(self) -> Mapping[str, LinkingPhrase]:
        return MappingProxyType(self._phrases)

    @property
    def propositions(self) -> Mapping[str, Proposition]:
        return MappingProxyType(self._props)

    @property
    def evidence(self) -> Mapping[str, Evidence]:
        return MappingProxyType(self._evidence)

    @property
    def relations(self) -> Mapping[str, Relation]:
        return MappingProxyType(self._relations)

    @property
    def plan(self) -> Mapping[str, PlanItem]:
        """The learning plan: one item per planned claim, by item id."""
        return MappingProxyType(self._plan)

    def plan_for(self, claim_id: str) -> PlanItem | None:
        return next((p for p in self._plan.values() if p.claim == claim_id), None)

    def find_claims(self, query: str) -> list[str]:
        """Claims named by ``query``: an id, a concept label, or a proposition written as
        ``source | linking phrase | target`` or as it reads (``a — b → c``), ignoring case,
        spacing and punctuation."""
        query = query.strip()
        if query in self._props or query in self._concepts:
            return [query]
        parts = [normalise_label(x) for x in re.split(r"\||—|→", query)]
        key = "|".join(x for x in parts if x)
        out = []
        for pid in sorted(self._props):
            p = self._props[pid]
            via = normalise_label(self._phrases[p.via].label) if p.via else ""
            words = [
                normalise_label(self._concepts[p.source].label),
                via,
                normalise_label(self._concepts[p.target].label),
            ]
            if key == "|".join(w for w in words if w):
                out.append(pid)
        if not out:
            out = [c.id for c in self.find_concepts(query)]
        return out

    @property
    def conflicts(self) -> Mapping[str, Conflict]:
        """Merge conflicts waiting to be resolved (see :meth:`resolve_conflict`)."""
        return MappingProxyType(self._conflicts)

    @property
    def graph(self) -> nx.DiGraph:
        """A read-only view of the graph of concepts and linking phrases (node attr ``kind``;
        edge attr ``kind``: ``connection``, or ``link`` with its ``proposition`` for a direct
        link), as the map is when asked."""
        import networkx as nx

        if self._g is None:
            self._g = self._build_graph()
        return nx.graphviews.subgraph_view(self._g)

    def _build_graph(self) -> nx.DiGraph:
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(self._concepts, kind="concept")
        g.add_nodes_from(self._phrases, kind="linking_phrase")
        # one call for all connections: networkx's per-call overhead dominated building
        g.add_edges_from(
            [(s, lp.id) for lp in self._phrases.values() for s in lp.sources]
            + [(lp.id, t) for lp in self._phrases.values() for t in lp.targets],
            kind="connection",
        )
        for pid in sorted(self._props):
            p = self._props[pid]
            if p.via is None and not g.has_edge(p.source, p.target):
                g.add_edge(p.source, p.target, kind="link", proposition=pid)
        return g

    def concept_graph(self) -> nx.DiGraph:
        """Concepts only, one edge per proposition (edge attr ``proposition``; parallel
        propositions between the same two concepts keep the first id in sorted order)."""
        import networkx as nx

        cached = getattr(self, "_cg_cache", None)
        if cached is not None and cached[0] == self.revision:
            return cached[1]
        g = nx.DiGraph()
        g.add_nodes_from(sorted(self._concepts))
        for pid in sorted(self._props):
            p = self._props[pid]
            if not g.has_edge(p.source, p.target):
                g.add_edge(p.source, p.target, proposition=pid)
        self._cg_cache = (self.revision, g)
        return g

    def derived(self, key: Any, compute: Callable[[], T]) -> T:
        """A value computed from the map's *structure* only (concepts, linking phrases,
        propositions and the root), cached until one of those changes.

        Evidence, relations and plan edits keep the cache, so that re-analysing after adding
        evidence does not redo PageRank, betweenness or the hierarchy. Callers must treat the
        value as read-only.
        """
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = compute()
            return value

    def adopt_derived(self, other: ConceptMap) -> bool:
        """Take over ``other``'s structural cache when both maps have the same structure (same
        concepts, linking phrases, propositions and root) — as consecutive versions of a map
        in its history mostly do. Returns whether it was taken."""
        same = (
            self._meta.root == other._meta.root
            and self._props == other._props
            and self._phrases == other._phrases
            and self._concepts == other._concepts
        )
        if same:
            self._derived = other._derived
        return same

    def evidence_for(self, claim_id: str) -> list[Evidence]:
        """The evidence items on one claim, sorted by id."""
        return [self._evidence[e] for e in sorted(self._ev_by_claim.get(claim_id, ()))]

    def relations_of(self, claim_id: str) -> list[Relation]:
        return [self._relations[r] for r in sorted(self._rels_by_claim.get(claim_id, ()))]

    def propositions_of(self, concept_id: str) -> list[Proposition]:
        """Propositions with this concept at either end, sorted by id."""
        return [self._props[p] for p in sorted(self._props_by_concept.get(concept_id, ()))]

    def is_claim(self, record_id: str) -> bool:
        if record_id in self._props:
            return True
        c = self._concepts.get(record_id)
        return c is not None and (c.fact or bool(self._ev_by_claim.get(record_id)))

    def claim_ids(self) -> list[str]:
        """Every claim: all propositions, and concepts that state a fact or have evidence."""
        ids = set(self._props)
        ids.update(c.id for c in self._concepts.values() if c.fact)
        ids.update(cid for cid, evs in self._ev_by_claim.items() if evs and cid in self._concepts)
        return sorted(ids)

    def importance_of(self, claim_id: str) -> int:
        rec = self._props.get(claim_id) or self._concepts.get(claim_id)
        if rec is None:
            raise KeyError(claim_id)
        return rec.importance

    def proposition_text(self, prop_id: str) -> str:
        p = self._props[prop_id]
        via = self._phrases[p.via].label if p.via else ""
        src, tgt = self._concepts[p.source].label, self._concepts[p.target].label
        return f"{src} — {via} → {tgt}" if via else f"{src} → {tgt}"

    def claim_text(self, claim_id: str) -> str:
        """How a claim reads: the proposition sentence, or the concept's label."""
        if claim_id in self._props:
            return self.proposition_text(claim_id)
        return self._concepts[claim_id].label

    def find_concepts(self, label: str) -> list[Concept]:
        """Concepts whose label matches ``label`` ignoring case, spacing and punctuation."""
        key = normalise_label(label)
        return sorted(
            (c for c in self._concepts.values() if normalise_label(c.label) == key),
            key=lambda c: c.id,
        )

    def find_phrase(self, label: str, *, source: str | None = None) -> LinkingPhrase | None:
        """A linking phrase with this label (and ``source`` among its sources, if given)."""
        key = normalise_label(label)
        for lid in sorted(self._phrases):
            lp = self._phrases[lid]
            if normalise_label(lp.label) == key and (source is None or source in lp.sources):
                return lp
        return None

    def taken_ids(self) -> set[str]:
        ids = {self._meta.id}
        for d in (
            self._concepts,
            self._phrases,
            self._props,
            self._evidence,
            self._relations,
            self._conflicts,
        ):
            ids.update(d)
        return ids

    def _new_id(self, kind: str, label: str = "") -> str:
        return new_id(kind, label, _Taken(self))

    # ------------------------------------------------------------------ undo / redo
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def history(self) -> list[str]:
        """Names of the edits that can be undone, oldest first."""
        return [e.name for e in self._undo]

    def undo(self) -> str | None:
        """Revert the last edit; return its name (``None`` when there is nothing to undo)."""
        if not self._undo:
            return None
        edit = self._undo.pop()
        self._apply(edit.inverse().changes)
        self._redo.append(edit)
        return edit.name

    def redo(self) -> str | None:
        if not self._redo:
            return None
        edit = self._redo.pop()
        self._apply(edit.changes)
        self._undo.append(edit)
        return edit.name

    @contextmanager
    def transaction(self, name: str) -> Iterator[Edit]:
        """Group every edit made inside into one undoable edit; on an exception, revert all."""
        if self._open is not None:
            yield self._open
            return
        edit = Edit(name)
        self._open = edit
        try:
            yield edit
        except BaseException:
            self._open = None
            self._apply(edit.inverse().changes)
            raise
        self._open = None
        if edit.changes:
            self._finish(edit)

    def _commit(self, name: str, changes: list[Change], *, applied: bool = False) -> None:
        if not applied:
            self._apply(changes)
        if self._open is not None:
            self._open.changes.extend(changes)
        else:
            self._finish(Edit(name, changes))

    def _finish(self, edit: Edit) -> None:
        now = self.clock()
        if now != self._meta.updated:
            touch = Change(
                "meta", "meta", self._meta, self._meta.model_copy(update={"updated": now})
            )
            self._apply([touch])
            edit.changes.append(touch)
        self._undo.append(edit)
        self._redo.clear()

    def apply_edit(self, edit: Edit) -> None:
        """Apply an edit built elsewhere (re-applying an edit after a reload) as a new edit."""
        self._check_applicable(edit)
        self._commit(edit.name, list(edit.changes))

    def _check_applicable(self, edit: Edit) -> None:
        for ch in edit.changes:
            if ch.collection == "meta":
                continue
            current = self._store(ch.collection).get(ch.id)
            if current != ch.before:
                raise InputError(
                    f"cannot re-apply '{edit.name}': {ch.collection.replace('_', ' ')} {ch.id} changed"
                )

    # ------------------------------------------------------------------ primitive changes
    def _store(self, collection: Collection) -> dict[str, Any]:
        return {
            "concept": self._concepts,
            "linking_phrase": self._phrases,
            "proposition": self._props,
            "evidence": self._evidence,
            "relation": self._relations,
            "plan": self._plan,
            "conflict": self._conflicts,
        }[collection]

    def _apply(self, changes: Iterable[Change]) -> None:
        for ch in changes:
            self._set(ch.collection, ch.id, ch.after)
        self.revision += 1

    def _set(self, collection: Collection, rid: str, rec: Any) -> None:
        if collection == "meta":
            if rec.root != self._meta.root:
                self._derived.clear()
            self._meta = rec
            return
        if collection in ("concept", "linking_phrase", "proposition"):
            self._derived.clear()
            self._g = None
        store = self._store(collection)
        old = store.get(rid)
        with self._sorted_lock:
            if rec is None:
                store.pop(rid, None)
            else:
                store[rid] = rec
            entry = self._sorted.get(collection)
            if entry is not None:
                ids, records, handed_out = entry
                if handed_out:
                    records = entry[1] = records.copy()
                    entry[2] = False
                i = bisect.bisect_left(ids, rid)
                if i < len(ids) and ids[i] == rid:
                    if rec is None:
                        del ids[i], records[i]
                    else:
                        records[i] = rec
                elif rec is not None:
                    ids.insert(i, rid)
                    records.insert(i, rec)
        if collection == "concept":
            if rec is None:
                self._props_by_concept.pop(rid, None)
            else:
                self._props_by_concept.setdefault(rid, set())
        elif collection == "linking_phrase":
            if rec is None:
                self._props_by_phrase.pop(rid, None)
            else:
                self._props_by_phrase.setdefault(rid, set())
        elif collection == "proposition":
            if old is not None:
                self._index_prop(old, add=False)
            if rec is not None:
                self._index_prop(rec, add=True)
        elif collection == "evidence":
            if old is not None:
                self._ev_by_claim.get(old.claim, set()).discard(rid)
            if rec is not None:
                self._ev_by_claim.setdefault(rec.claim, set()).add(rid)
        elif collection == "relation":
            if old is not None:
                for end in (old.source, old.target):
                    self._rels_by_claim.get(end, set()).discard(rid)
            if rec is not None:
                for end in (rec.source, rec.target):
                    self._rels_by_claim.setdefault(end, set()).add(rid)

    def _index_prop(self, p: Proposition, *, add: bool) -> None:
        if add:
            self._props_by_concept.setdefault(p.source, set()).add(p.id)
            self._props_by_concept.setdefault(p.target, set()).add(p.id)
            if p.via:
                self._props_by_phrase.setdefault(p.via, set()).add(p.id)
        else:
            self._props_by_concept.get(p.source, set()).discard(p.id)
            self._props_by_concept.get(p.target, set()).discard(p.id)
            if p.via:
                self._props_by_phrase.get(p.via, set()).discard(p.id)

    # ------------------------------------------------------------------ validation helpers
    @staticmethod
    def _validate(model: type[BaseModel], data: dict[str, Any], what: str) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as err:
            raise InputError(problems=format_validation_error(err, what)) from None

    def _updated(self, rec: BaseModel, what: str, fields: dict[str, Any]) -> Any:
        data = rec.model_dump()
        unknown = set(fields) - set(data) | ({"id"} & set(fields))
        if unknown:
            raise InputError(f"cannot set {sorted(unknown)[0]!r}", place=what)
        data.update(fields)
        return self._validate(type(rec), data, what)

    def _require(self, collection: Collection, rid: str) -> Any:
        rec = self._store(collection).get(rid)
        if rec is None:
            raise InputError(f"no {collection.replace('_', ' ')} with id {rid}")
        return rec

    def _require_claim(self, rid: str) -> None:
        if rid not in self._props and rid not in self._concepts:
            raise InputError(f"no claim with id {rid} (claims are propositions and concepts)")

    # ------------------------------------------------------------------ edits: map
    def set_meta(self, **fields: Any) -> MapMeta:
        """Change the title, focus question, description or root concept."""
        allowed = {"title", "focus_question", "description", "root"}
        bad = set(fields) - allowed
        if bad:
            raise InputError(f"cannot set {sorted(bad)[0]!r} on the map")
        if fields.get("root") is not None and fields["root"] not in self._concepts:
            raise InputError(f"no concept with id {fields['root']}")
        meta = self._updated(self._meta, "map", fields)
        if meta != self._meta:
            self._commit("edit map", [Change("meta", "meta", self._meta, meta)])
        return meta

    # ------------------------------------------------------------------ edits: concepts
    def add_concept(self, label: str, *, id: str | None = None, **fields: Any) -> Concept:
        """Add a concept. ``fields``: notes, tags, example, fact, importance, position, links."""
        cid = id or self._new_id("concept", label)
        if id is not None and id in self.taken_ids():
            raise InputError(f"id {id} is already used")
        c = self._validate(Concept, {"id": cid, "label": label, **fields}, "concept")
        self._commit("add concept", [Change("concept", cid, None, c)])
        return c

    def update_concept(self, concept_id: str, **fields: Any) -> Concept:
        """Rename a concept or change its notes, tags, flags, importance or position."""
        old = self._require("concept", concept_id)
        new = self._updated(old, f"concept {concept_id}", fields)
        if new != old:
            name = "rename concept" if set(fields) == {"label"} else "edit concept"
            self._commit(name, [Change("concept", concept_id, old, new)])
        return new

    def remove_concept(self, concept_id: str) -> None:
        """Remove a concept with its propositions, their evidence and relations."""
        c = self._require("concept", concept_id)
        changes: list[Change] = []
        with self._collecting(changes):
            for lid in sorted(self._phrases):
                lp = self._phrases[lid]
                if concept_id in lp.sources or concept_id in lp.targets:
                    self._detach_from_phrase(lp, concept_id)
            for pid in sorted(self._props_by_concept.get(concept_id, ())):
                self._drop_proposition(pid)
            self._drop_claim_records(concept_id)
            if self._meta.root == concept_id:
                self._stage(
                    Change("meta", "meta", self._meta, self._meta.model_copy(update={"root": None}))
                )
            self._stage(Change("concept", concept_id, c, None))
        self._commit("delete concept", changes, applied=True)

    # ------------------------------------------------------------------ edits: propositions
    def add_proposition(
        self,
        source: str,
        phrase: str | None,
        target: str,
        *,
        via: str | None = None,
        importance: int = 3,
        new_phrase: bool = False,
    ) -> Proposition:
        """Add the proposition ``source`` — ``phrase`` → ``target``.

        ``phrase`` is the linking phrase's label; an existing linking phrase with that label
        that already starts at ``source`` is reused (so one phrase fans out to several
        targets, as in CmapTools) unless ``new_phrase``. ``via`` names a linking phrase by id
        instead. With neither, the link is a direct, unlabelled one.
        """
        for end in (source, target):
            self._require("concept", end)
        if source == target:
            raise InputError("a proposition cannot join a concept to itself")
        self._validate(
            Proposition,
            {"id": "p-x", "source": source, "target": target, "importance": importance},
            "proposition",
        )
        changes: list[Change] = []
        lp: LinkingPhrase | None = None
        if via is not None:
            lp = self._require("linking_phrase", via)
        elif phrase is not None and phrase.strip():
            if not new_phrase:
                lp = self.find_phrase(phrase, source=source)
            if lp is None:
                lid = self._new_id("linking_phrase", phrase)
                new_lp = self._validate(
                    LinkingPhrase,
                    {"id": lid, "label": phrase, "sources": [source], "targets": [target]},
                    "linking phrase",
                )
                changes.append(Change("linking_phrase", lid, None, new_lp))
                pid = self._new_id("proposition", f"{self._concepts[source].label}")
                p = Proposition(
                    id=pid, source=source, via=lid, target=target, importance=importance
                )
                changes.append(Change("proposition", pid, None, p))
                self._commit("add proposition", changes)
                return p
        if lp is None:
            for pid in self._props_by_concept.get(source, ()):
                q = self._props[pid]
                if q.via is None and q.source == source and q.target == target:
                    raise InputError("these two concepts are already linked directly")
            pid = self._new_id("proposition", self._concepts[source].label)
            p = Proposition(id=pid, source=source, target=target, importance=importance)
            self._commit("add proposition", [Change("proposition", pid, None, p)])
            return p
        if source in lp.targets or target in lp.sources:
            raise InputError("a linking phrase cannot lead from a concept back to itself")
        if source in lp.sources and target in lp.targets:
            raise InputError("this proposition already exists")
        sources = lp.sources if source in lp.sources else [*lp.sources, source]
        targets = lp.targets if target in lp.targets else [*lp.targets, target]
        new_lp = lp.model_copy(update={"sources": sources, "targets": targets})
        changes.append(Change("linking_phrase", lp.id, lp, new_lp))
        result: Proposition | None = None
        existing = {
            (self._props[q].source, self._props[q].target) for q in self._props_by_phrase[lp.id]
        }
        for s in sources:
            for t in targets:
                if (s, t) in existing:
                    continue
                pid = self._new_id("proposition", self._concepts[s].label)
                while any(c.id == pid for c in changes):
                    pid = self._new_id("proposition", self._concepts[s].label)
                imp = importance if (s, t) == (source, target) else 3
                p = Proposition(id=pid, source=s, via=lp.id, target=t, importance=imp)
                changes.append(Change("proposition", pid, None, p))
                if (s, t) == (source, target):
                    result = p
        self._commit("add proposition", changes)
        assert result is not None
        return result

    def remove_proposition(self, prop_id: str) -> None:
        """Remove a proposition with its evidence and relations.

        Through a linking phrase that fans out, the connection to the target is removed (as
        deleting an arrow does in CmapTools), which removes every proposition to that target
        through the phrase; a phrase left with no proposition is removed too.
        """
        p = self._require("proposition", prop_id)
        changes: list[Change] = []
        with self._collecting(changes):
            if p.via is None:
                self._drop_proposition(prop_id)
            else:
                lp = self._phrases[p.via]
                end = p.target if len(lp.targets) > 1 or len(lp.sources) == 1 else p.source
                self._detach_from_phrase(lp, end)
        self._commit("delete proposition", changes, applied=True)

    def update_linking_phrase(self, phrase_id: str, **fields: Any) -> LinkingPhrase:
        """Relabel a linking phrase or move it (sources and targets change via propositions)."""
        old = self._require("linking_phrase", phrase_id)
        if {"sources", "targets"} & set(fields):
            raise InputError("change a linking phrase's ends by adding or removing propositions")
        new = self._updated(old, f"linking phrase {phrase_id}", fields)
        if new != old:
            self._commit("edit linking phrase", [Change("linking_phrase", phrase_id, old, new)])
        return new

    def update_proposition(self, prop_id: str, **fields: Any) -> Proposition:
        old = self._require("proposition", prop_id)
        if set(fields) - {"importance"}:
            raise InputError("only a proposition's importance can be changed in place")
        new = self._updated(old, f"proposition {prop_id}", fields)
        if new != old:
            self._commit("set importance", [Change("proposition", prop_id, old, new)])
        return new

    def set_importance(self, claim_id: str, rating: int) -> None:
        """Set the team's importance rating (1–5) of a concept or proposition."""
        if claim_id in self._props:
            self.update_proposition(claim_id, importance=rating)
        elif claim_id in self._concepts:
            self.update_concept(claim_id, importance=rating)
        else:
            self._require_claim(claim_id)

    # ------------------------------------------------------------------ edits: evidence
    def add_evidence(self, claim: str, *, id: str | None = None, **fields: Any) -> Evidence:
        """Attach an evidence item (stance, kind, source, date, quote, link, n, setting,
        reliability) to a claim."""
        self._require_claim(claim)
        eid = id or self._new_id("evidence", str(fields.get("source", "")))
        if id is not None and id in self.taken_ids():
            raise InputError(f"id {id} is already used")
        e = self._validate(Evidence, {"id": eid, "claim": claim, **fields}, "evidence")
        self._commit("add evidence", [Change("evidence", eid, None, e)])
        return e

    def update_evidence(self, evidence_id: str, **fields: Any) -> Evidence:
        old = self._require("evidence", evidence_id)
        if "claim" in fields:
            self._require_claim(fields["claim"])
        new = self._updated(old, f"evidence {evidence_id}", fields)
        if new != old:
            self._commit("edit evidence", [Change("evidence", evidence_id, old, new)])
        return new

    def remove_evidence(self, evidence_id: str) -> None:
        old = self._require("evidence", evidence_id)
        self._commit("delete evidence", [Change("evidence", evidence_id, old, None)])

    # ------------------------------------------------------------------ edits: relations
    def add_relation(
        self, source: str, kind: str, target: str, *, id: str | None = None
    ) -> Relation:
        """Record that claim ``source`` supports or contradicts claim ``target``."""
        self._require_claim(source)
        self._require_claim(target)
        if source == target:
            raise InputError("a claim cannot support or contradict itself")
        for rid in self._rels_by_claim.get(source, ()):
            r = self._relations[rid]
            if r.source == source and r.target == target:
                raise InputError(f"these claims are already related ({r.kind.value})")
        rid = id or self._new_id("relation", kind)
        rel = self._validate(
            Relation, {"id": rid, "source": source, "kind": kind, "target": target}, "relation"
        )
        self._commit("add relation", [Change("relation", rid, None, rel)])
        return rel

    def remove_relation(self, relation_id: str) -> None:
        old = self._require("relation", relation_id)
        self._commit("delete relation", [Change("relation", relation_id, old, None)])

    # ------------------------------------------------------------------ edits: learning plan
    def set_plan(
        self, claim: str, *, owner: str, next_test: str, due: Any, done: bool = False
    ) -> PlanItem:
        """Give a claim (a gap) an owner, the next test to run and a due date."""
        self._require_claim(claim)
        old = self.plan_for(claim)
        pid = old.id if old else self._new_id("plan", owner)
        item = self._validate(
            PlanItem,
            {
                "id": pid,
                "claim": claim,
                "owner": owner,
                "next_test": next_test,
                "due": due,
                "done": done,
            },
            "plan item",
        )
        if item != old:
            self._commit("plan a test", [Change("plan", pid, old, item)])
        return item

    def remove_plan(self, claim: str) -> None:
        old = self.plan_for(claim)
        if old is None:
            raise InputError(f"claim {claim} has no plan item")
        self._commit("remove plan item", [Change("plan", old.id, old, None)])

    # ------------------------------------------------------------------ edits: conflicts
    def resolve_conflict(self, conflict_id: str, take: Literal["ours", "theirs"]) -> None:
        """Resolve a merge conflict by taking our side or theirs.

        A field conflict sets the field to the chosen value. A record deleted on one side and
        edited on the other is kept when the chosen side edited it, and removed (with what
        hangs off it) when the chosen side deleted it.
        """
        x = self._require("conflict", conflict_id)
        if take not in ("ours", "theirs"):
            raise InputError("resolve a conflict by taking 'ours' or 'theirs'")
        with self.transaction("resolve conflict"):
            self._commit("resolve conflict", [Change("conflict", x.id, x, None)])
            chosen = x.ours if take == "ours" else x.theirs
            if x.field is None:
                if chosen is None:
                    self._remove_any(x.collection, x.record)
                return
            if x.collection == "map":
                meta = self._updated(self._meta, "map", {x.field: chosen})
                if meta != self._meta:
                    self._commit("resolve conflict", [Change("meta", "meta", self._meta, meta)])
                return
            rec = self._store(x.collection).get(x.record)
            if rec is None:
                return
            new = self._updated(rec, f"{x.collection} {x.record}", {x.field: chosen})
            if new != rec:
                self._commit("resolve conflict", [Change(x.collection, x.record, rec, new)])

    def _remove_any(self, collection: str, rid: str) -> None:
        if rid not in self._store(collection):  # type: ignore[arg-type]
            return
        remove = {
            "concept": self.remove_concept,
            "proposition": self.remove_proposition,
            "evidence": self.remove_evidence,
            "relation": self.remove_relation,
        }.get(collection)
        if remove is not None:
            remove(rid)
        elif collection == "linking_phrase":
            for pid in sorted(self._props_by_phrase.get(rid, ())):
                if pid in self._props:
                    self.remove_proposition(pid)
            if rid in self._phrases:
                lp = self._phrases[rid]
                self._commit("resolve conflict", [Change("linking_phrase", rid, lp, None)])

    # ------------------------------------------------------------------ cascade helpers
    @contextmanager
    def _collecting(self, changes: list[Change]) -> Iterator[None]:
        """Stage changes (applied at once so later steps see them); undo them on error."""
        self._staged = changes
        try:
            yield
        except BaseException:
            self._apply([c.inverse() for c in reversed(changes)])
            raise
        finally:
            self._staged = None

    def _stage(self, change: Change) -> None:
        assert self._staged is not None
        self._staged.append(change)
        self._apply([change])

    def _drop_claim_records(self, claim_id: str) -> None:
        item = self.plan_for(claim_id)
        if item is not None:
            self._stage(Change("plan", item.id, item, None))
        for eid in sorted(self._ev_by_claim.get(claim_id, ())):
            self._stage(Change("evidence", eid, self._evidence[eid], None))
        for rid in sorted(self._rels_by_claim.get(claim_id, ())):
            if rid in self._relations:
                self._stage(Change("relation", rid, self._relations[rid], None))

    def _drop_proposition(self, prop_id: str) -> None:
        if prop_id not in self._props:
            return
        self._drop_claim_records(prop_id)
        self._stage(Change("proposition", prop_id, self._props[prop_id], None))

    def _detach_from_phrase(self, lp: LinkingPhrase, concept_id: str) -> None:
        for pid in sorted(self._props_by_phrase.get(lp.id, ())):
            p = self._props[pid]
            if concept_id in (p.source, p.target):
                self._drop_proposition(pid)
        lp = self._phrases[lp.id]
        new_lp = lp.model_copy(
            update={
                "sources": [s for s in lp.sources if s != concept_id],
                "targets": [t for t in lp.targets if t != concept_id],
            }
        )
        if not self._props_by_phrase.get(lp.id):
            self._stage(Change("linking_phrase", lp.id, lp, None))
        else:
            self._stage(Change("linking_phrase", lp.id, lp, new_lp))


class _Taken:
    """``in`` over every id of a map without building a set."""

    def __init__(self, m: ConceptMap) -> None:
        self.m = m

    def __contains__(self, rid: object) -> bool:
        m = self.m
        return rid == m._meta.id or any(
            rid in d
            for d in (
                m._concepts,
                m._phrases,
                m._props,
                m._evidence,
                m._relations,
                m._plan,
                m._conflicts,
            )
        )
