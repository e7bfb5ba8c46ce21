"""CmapTools' CXL: read what IHMC CmapTools exports, write what it imports.

Verbs as in every format module: :func:`parse_cxl` (bytes → :class:`CxlImport`),
:func:`read_cxl` (a file), :func:`dump_cxl` (map → bytes) and :func:`write_cxl`.

Reading follows ``cxl.md``: the XML is parsed with defusedxml with entity expansion off (a
"billion laughs" file or an external entity is refused at once), concepts and linking phrases
come from their lists, connections are resolved by id and then by label (IHMC's own sample
refers to records without ids by label), every (input, output) pair of a linking phrase
becomes a proposition, positions come from the appearance lists (CmapTools' ``x``, ``y`` are
box centres) and resource links become concept links when their scheme is allowed. What is not
modelled (styles, images, nesting, unknown elements) is left out and counted in
:attr:`CxlImport.left_out`, which the CLI prints as one line.

Writing gives the structure of IHMC's schema: ``res-meta`` with ``dc:title`` and
``dc:description`` (the focus question), then ``map`` with the concept, linking-phrase,
connection and resource-group lists and the concept and linking-phrase appearance lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from pydantic import ValidationError

from conceptmap.errors import MapFormatError, Problem
from conceptmap.formats.native import read_bytes
from conceptmap.formats.storage import atomic_write
from conceptmap.model import ConceptMap, new_id
from conceptmap.model.conceptmap import format_validation_error
from conceptmap.model.ids import slug
from conceptmap.model.records import LABEL_MAX, MapDocument
from conceptmap.safety import safe_link

__all__ = ["CXL_NS", "CxlImport", "dump_cxl", "parse_cxl", "read_cxl", "write_cxl"]

CXL_NS = "http://cmap.ihmc.us/xml/cmap/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
VCARD_NS = "http://www.w3.org/2001/vcard-rdf/3.0#"

Box = tuple[float, float, float, float]


@dataclass
class CxlImport:
    """The map read from a CXL file and what was left out of it (counted by kind)."""

    map: ConceptMap
    left_out: Counter[str] = field(default_factory=Counter)
    found_by_label: int = 0

    def left_out_line(self) -> str | None:
        """One line naming what was left out, or ``None`` when nothing was."""
        if not self.left_out:
            return None
        parts = [f"{n} {what}" for what, n in sorted(self.left_out.items())]
        return "left out of the import: " + ", ".join(parts)

    def notes(self) -> list[str]:
        """What the user should hear about the import, one line each."""
        out = []
        if self.found_by_label:
            out.append(
                f"{self.found_by_label} connection ends were found by label (records without ids)"
            )
        line = self.left_out_line()
        if line:
            out.append(line)
        return out


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _num(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    raw = text.strip().replace("Z", "+00:00")
    for candidate in (raw, raw.replace(" ", "T")):
        try:
            when = dt.datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    return None


def _token(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]


def _parse_xml(data: bytes, path: str | None) -> ET.Element:
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ET.ParseError as err:
        line, col = getattr(err, "position", (0, 0))
        message = str(err).split(":", 1)[0]
        raise MapFormatError(
            f"malformed XML: {message}", path=path, place=f"{line}:{col + 1}"
        ) from None
    except LookupError as err:  # the XML declaration names an encoding Python does not know
        raise MapFormatError(f"malformed XML: {err}", path=path, place="1:1") from None
    except DefusedXmlException as err:
        what = type(err).__name__
        if what == "EntitiesForbidden" and getattr(err, "sysid", None):
            what = "ExternalReferenceForbidden"
        reason = {
            "EntitiesForbidden": "it declares XML entities; entity expansion is off, so a "
            "'billion laughs' file cannot exhaust memory",
            "ExternalReferenceForbidden": "it refers to an external entity or DTD, which is "
            "never fetched",
            "DTDForbidden": "it holds a DTD",
            "NotSupportedError": "it uses an XML feature that is not supported",
        }.get(what, what)
        raise MapFormatError(f"refused: {reason}", path=path) from None


_UNMODELLED = {
    "connection-appearance-list": "connection styles",
    "resource-appearance-list": "resource styles",
    "style-sheet-list": "style sheets",
    "extra-properties-list": "extra property lists",
    "extra-graphical-properties-list": "extra graphical property lists",
    "image-list": "images",
    "proposition-list": "proposition lists",
    "not-a-proposition-list": "not-a-proposition lists",
}


class _Reader:
    """One pass over a CXL tree, building a :class:`MapDocument`."""

    def __init__(self, root: ET.Element, path: str | None, digest: str) -> None:
        self.root = root
        self.path = path
        self.digest = digest
        self.left: Counter[str] = Counter()
        self.problems: list[Problem] = []
        self.taken: set[str] = set()
        self.kind_of: dict[str, str] = {}  # our id → "concept" | "phrase"
        self.by_cxl_id: dict[str, str] = {}
        self.by_label: dict[str, str] = {}  # label → first record with it
        self.ambiguous_labels: set[str] = set()
        self.by_label_count = 0
        self.root_id: str | None = None

    def fail(self, message: str, place: str = "") -> MapFormatError:
        return MapFormatError(message, path=self.path, place=place)

    def new_id(self, kind: str, label: str, cxl_id: str, index: int) -> str:
        """A readable id, the same for the same file on every import."""
        salt = itertools.count()
        base = (self.digest, kind, cxl_id or f"#{index}", label)
        return new_id(kind, label, self.taken, lambda: _token(*base, str(next(salt))))

    def label(self, raw: str | None) -> str:
        text = (raw or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        text = "".join(ch for ch in text if ch == "\n" or ord(ch) >= 32).strip()
        if not text:
            self.left["empty labels (shown as '(no label)')"] += 1
            return "(no label)"
        if len(text) > LABEL_MAX:
            self.left[f"label characters beyond {LABEL_MAX}"] += len(text) - LABEL_MAX
            text = text[:LABEL_MAX].rstrip()
        return text

    def read(self) -> tuple[MapDocument, Counter[str]]:
        root = self.root
        if _local(root.tag) != "cmap":
            raise self.fail(f"not a CXL file: the root element is <{_local(root.tag)}>, not <cmap>")
        mapel = next((ch for ch in root if _local(ch.tag) == "map"), None)
        if mapel is None:
            raise self.fail("not a CXL file: <cmap> holds no <map> element")
        meta = next((ch for ch in root if _local(ch.tag) == "res-meta"), None)
        for ch in root:
            if _local(ch.tag) not in ("map", "res-meta"):
                self.left[f"<{_local(ch.tag)}> elements"] += 1
        lists = {_local(ch.tag): ch for ch in mapel}
        known = {
            "concept-list",
            "linking-phrase-list",
            "connection-list",
            "resource-group-list",
            "concept-appearance-list",
            "linking-phrase-appearance-list",
        }
        for name, el in lists.items():
            if name not in known:
                what = _UNMODELLED.get(name, f"<{name}> elements")
                self.left[what] += max(1, len(el))

        concepts: dict[str, dict] = {}
        phrases: dict[str, dict] = {}
        for kind, list_name, item, store in (
            ("concept", "concept-list", "concept", concepts),
            ("linking_phrase", "linking-phrase-list", "linking-phrase", phrases),
        ):
            el = lists.get(list_name)
            for i, rec in enumerate(el if el is not None else []):
                if _local(rec.tag) != item:
                    self.left[f"<{_local(rec.tag)}> in {list_name}"] += 1
                    continue
                cxl_id = (rec.get("id") or "").strip()
                label = self.label(rec.get("label"))
                rid = self.new_id(kind, label, cxl_id, i)
                self.taken.add(rid)
                if rec.get("parent-id"):
                    self.left["nestings in containers (flattened)"] += 1
                entry = {"id": rid, "label": label}
                if kind == "concept":
                    notes = "\n\n".join(
                        t.strip()
                        for t in (rec.get("short-comment"), rec.get("long-comment"))
                        if t and t.strip()
                    )
                    entry["notes"] = notes
                    entry["links"] = []
                else:
                    entry["sources"] = []
                    entry["targets"] = []
                store[rid] = entry
                self.kind_of[rid] = "concept" if kind == "concept" else "phrase"
                if cxl_id:
                    if cxl_id in self.by_cxl_id:
                        raise self.fail(f"the id {cxl_id!r} is used twice", f"{item} {cxl_id}")
                    self.by_cxl_id[cxl_id] = rid
                key = label.strip()
                if key in self.by_label and self.by_label[key] != rid:
                    self.ambiguous_labels.add(key)
                self.by_label.setdefault(key, rid)

        # connections
        direct: list[tuple[str, str]] = []
        seen_conn: set[tuple[str, str]] = set()
        el = lists.get("connection-list")
        for i, conn in enumerate(el if el is not None else []):
            if _local(conn.tag) != "connection":
                self.left[f"<{_local(conn.tag)}> in connection-list"] += 1
                continue
            cid = conn.get("id") or f"#{i + 1}"
            place = f"connection {cid}"
            ends = []
            for attr in ("from-id", "to-id"):
                ref = conn.get(attr)
                if ref is None:
                    raise self.fail(f"has no {attr}", place)
                ends.append(self.resolve(ref, attr, place))
            a, b = ends
            if conn.get("isBidirectional", "false").lower() == "true":
                self.left["bidirectional arrows (kept one way)"] += 1
            if (a, b) in seen_conn:
                self.left["repeated connections"] += 1
                continue
            seen_conn.add((a, b))
            ka, kb = self.kind_of[a], self.kind_of[b]
            if a == b:
                self.left["connections from a record to itself"] += 1
            elif ka == "concept" and kb == "phrase":
                phrases[b]["sources"].append(a)
            elif ka == "phrase" and kb == "concept":
                phrases[a]["targets"].append(b)
            elif ka == "concept" and kb == "concept":
                direct.append((a, b))
            else:
                self.left["connections between two linking phrases"] += 1

        # a concept both source and target of one phrase would be a proposition to itself
        for lp in phrases.values():
            both = set(lp["sources"]) & set(lp["targets"])
            if both:
                self.left["connections that would join a concept to itself"] += len(both)
                lp["targets"] = [t for t in lp["targets"] if t not in both]

        # positions
        for list_name, store in (
            ("concept-appearance-list", concepts),
            ("linking-phrase-appearance-list", phrases),
        ):
            el = lists.get(list_name)
            for app in el if el is not None else []:
                rid = self.by_cxl_id.get(app.get("id") or "")
                x, y = _num(app.get("x")), _num(app.get("y"))
                if rid is None or rid not in store or x is None or y is None:
                    self.left["appearances of unknown records"] += 1
                    continue
                store[rid]["position"] = {
                    "x": x,
                    "y": y,
                    "width": _num(app.get("width")),
                    "height": _num(app.get("height")),
                }

        # resource links
        el = lists.get("resource-group-list")
        for group in el if el is not None else []:
            owner = self.by_cxl_id.get(group.get("parent-id") or "")
            for res in group:
                if _local(res.tag) != "resource":
                    continue
                url = safe_link(res.get("resource-url") or "")
                if owner is None or owner not in concepts:
                    self.left["resources on linking phrases or unknown records"] += 1
                elif url is None:
                    self.left["resource links with a scheme other than http, https, mailto"] += 1
                else:
                    label = (res.get("label") or "").strip()[: LABEL_MAX * 2]
                    concepts[owner]["links"].append({"label": label, "url": url})

        root_ref = mapel.get("root-id")
        if root_ref and self.by_cxl_id.get(root_ref) in concepts:
            self.root_id = self.by_cxl_id[root_ref]
        return self.document(meta, concepts, phrases, direct), self.left

    def resolve(self, ref: str, attr: str, place: str) -> str:
        rid = self.by_cxl_id.get(ref)
        if rid is None:
            rid = self.by_label.get(ref.strip())
            if rid is not None:
                self.by_label_count += 1
                if ref.strip() in self.ambiguous_labels:
                    self.left["connection ends matching several labels (took the first)"] += 1
        if rid is None:
            raise self.fail(
                f"{attr} {ref!r} is neither the id nor the label of a concept or linking phrase",
                place,
            )
        return rid

    def document(
        self,
        meta: ET.Element | None,
        concepts: dict[str, dict],
        phrases: dict[str, dict],
        direct: list[tuple[str, str]],
    ) -> MapDocument:
        def meta_text(name: str) -> str:
            if meta is None:
                return ""
            el = next((ch for ch in meta if _local(ch.tag) == name), None)
            return (el.text or "").strip() if el is not None else ""

        title = self.label(meta_text("title") or "Imported CmapTools map")
        focus = meta_text("description")
        description_parts = ["Imported from a CmapTools CXL file."]
        if len(focus) > LABEL_MAX * 2:
            description_parts.append(focus)
            focus = ""
        if meta is not None:
            names = []
            for person in meta:
                if _local(person.tag) in ("creator", "contributor"):
                    fn = next((x for x in person.iter() if _local(x.tag) == "FN"), None)
                    if fn is not None and fn.text and fn.text.strip():
                        names.append(fn.text.strip())
            if names:
                description_parts.append("Made by: " + ", ".join(dict.fromkeys(names)) + ".")
            publisher = meta_text("publisher")
            if publisher:
                description_parts.append(f"Written by: {publisher}.")
        now = ConceptMap.clock()
        created = _date(meta_text("created")) or now
        updated = _date(meta_text("modified")) or created
        updated = max(updated, created)

        props: list[dict] = []
        for lid in sorted(phrases):
            lp = phrases[lid]
            for s in lp["sources"]:
                for t in lp["targets"]:
                    token = _token(self.digest, "p", s, lid, t)
                    props.append({"id": f"p-{token}", "source": s, "via": lid, "target": t})
        for s, t in direct:
            token = _token(self.digest, "p", s, "", t)
            props.append({"id": f"p-{token}", "source": s, "via": None, "target": t})
        seen = set()
        for p in props:  # hash collisions within one file: vanishingly rare, still handled
            while p["id"] in seen or p["id"] in self.taken:
                p["id"] = f"p-{_token(p['id'])}"
            seen.add(p["id"])
        raw = {
            "id": f"m-{slug(title) or 'cxl'}-{self.digest[:8]}",
            "title": title,
            "focus_question": focus,
            "description": "\n\n".join(description_parts),
            "created": created,
            "updated": updated,
            "root": self.root_id,
            "concepts": [concepts[k] for k in sorted(concepts)],
            "linking_phrases": [phrases[k] for k in sorted(phrases)],
            "propositions": props,
        }
        try:
            return MapDocument.model_validate(raw)
        except ValidationError as err:
            raise MapFormatError(
                path=self.path, problems=format_validation_error(err, "imported map")
            ) from None


#: CmapTools nests a handful of levels (cmap > map > list > item > appearance); anything far
#: deeper is a hostile or broken file.
MAX_DEPTH = 64


def _check_depth(root: ET.Element, path: str | None) -> None:
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise MapFormatError(
                f"refused: elements are nested more than {MAX_DEPTH} levels deep; CXL needs a few",
                path=path,
            )
        stack.extend((child, depth + 1) for child in el)


def parse_cxl(data: bytes, *, path: str | None = None) -> CxlImport:
    """Read CXL bytes into a map. Raises :class:`MapFormatError` (exit code 2) for malformed
    XML (with its line:col), entities, a file that is not CXL, or a connection to nothing."""
    root = _parse_xml(data, path)
    _check_depth(root, path)
    digest = hashlib.sha256(data).hexdigest()
    reader = _Reader(root, path, digest)
    doc, left = reader.read()
    return CxlImport(ConceptMap.from_document(doc, path=path), left, reader.by_label_count)


def read_cxl(path: str | os.PathLike[str]) -> CxlImport:
    """Read a ``.cxl`` file (size-limited like map files)."""
    return parse_cxl(read_bytes(path), path=os.fspath(path))


# ---------------------------------------------------------------------------- writing
def _attr(text: str) -> str:
    """``text`` as an XML attribute value inside double quotes; line breaks kept as
    ``&#xa;`` the way CmapTools writes them."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#xd;")
        .replace("\n", "&#xa;")
        .replace("\t", "&#x9;")
    )


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


def own_positions(m: ConceptMap) -> dict[str, Box] | None:
    """The positions kept in the map when every concept has one (linking phrases without one
    sit between their ends), else ``None``."""
    if not m.concepts or any(c.position is None for c in m.concepts.values()):
        return None
    out: dict[str, Box] = {}
    for cid, c in m.concepts.items():
        p = c.position
        assert p is not None
        out[cid] = (p.x, p.y, p.width or 0.0, p.height or 0.0)
    for lid, lp in m.linking_phrases.items():
        if lp.position is not None:
            p = lp.position
            out[lid] = (p.x, p.y, p.width or 0.0, p.height or 0.0)
            continue
        ends = [out[c] for c in (*lp.sources, *lp.targets) if c in out]
        if ends:
            out[lid] = (
                round(sum(e[0] for e in ends) / len(ends), 1),
                round(sum(e[1] for e in ends) / len(ends), 1),
                0.0,
                0.0,
            )
    return out


def grid_positions(m: ConceptMap) -> dict[str, Box]:
    """A plain grid in hierarchy-free id order: the fallback when Graphviz is not there."""
    out: dict[str, Box] = {}
    ids = sorted(m.concepts) + sorted(m.linking_phrases)
    cols = max(1, int(len(ids) ** 0.5))
    for i, rid in enumerate(ids):
        out[rid] = (100.0 + 180.0 * (i % cols), 60.0 + 90.0 * (i // cols), 0.0, 0.0)
    return out


def dump_cxl(m: ConceptMap, positions: Mapping[str, Box] | None = None) -> bytes:
    """The map as CXL. ``positions`` (record id → centre x, y, width, height) default to the
    map's own, else a grid. Evidence and relations have no place in CXL and are not written."""
    pos = positions or own_positions(m) or grid_positions(m)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<cmap xmlns="{CXL_NS}" xmlns:dc="{DC_NS}" xmlns:dcterms="{DCTERMS_NS}" '
        f'xmlns:vcard="{VCARD_NS}">',
        "  <res-meta>",
        f"    <dc:title>{_text(m.title)}</dc:title>",
        f"    <dc:description>{_text(m.focus_question)}</dc:description>",
        f"    <dcterms:created>{m.meta.created.isoformat()}</dcterms:created>",
        f"    <dcterms:modified>{m.meta.updated.isoformat()}</dcterms:modified>",
        "    <dc:format>x-cmap/x-storable</dc:format>",
        "    <dc:publisher>conceptmap</dc:publisher>",
        "  </res-meta>",
    ]
    width = max((x + w / 2 for x, _, w, _ in pos.values()), default=0) + 50
    height = max((y + h / 2 for _, y, _, h in pos.values()), default=0) + 50
    root = f' root-id="{_attr(m.meta.root)}"' if m.meta.root else ""
    lines.append(f'  <map width="{_fmt(round(width))}" height="{_fmt(round(height))}"{root}>')
    lines.append("    <concept-list>")
    for cid in sorted(m.concepts):
        c = m.concepts[cid]
        comment = f' long-comment="{_attr(c.notes)}"' if c.notes else ""
        lines.append(f'      <concept id="{cid}" label="{_attr(c.label)}"{comment}/>')
    lines.append("    </concept-list>")
    lines.append("    <linking-phrase-list>")
    for lid in sorted(m.linking_phrases):
        lines.append(
            f'      <linking-phrase id="{lid}" label="{_attr(m.linking_phrases[lid].label)}"/>'
        )
    lines.append("    </linking-phrase-list>")
    connections: list[tuple[str, str]] = []
    for lid in sorted(m.linking_phrases):
        lp = m.linking_phrases[lid]
        connections += [(s, lid) for s in lp.sources] + [(lid, t) for t in lp.targets]
    for pid in sorted(m.propositions):
        p = m.propositions[pid]
        if p.via is None:
            connections.append((p.source, p.target))
    lines.append("    <connection-list>")
    for i, (a, b) in enumerate(connections, 1):
        lines.append(f'      <connection id="x-{i}" from-id="{a}" to-id="{b}"/>')
    lines.append("    </connection-list>")
    groups = [(cid, m.concepts[cid].links) for cid in sorted(m.concepts) if m.concepts[cid].links]
    if groups:
        lines.append("    <resource-group-list>")
        for cid, links in groups:
            lines.append(f'      <resource-group parent-id="{cid}" group-type="url-group">')
            for link in links:
                url = safe_link(link.url)
                if url is None:
                    continue
                lines.append(
                    f'        <resource label="{_attr(link.label or url)}" '
                    f'resource-url="{_attr(url)}" resource-mimetype="text/x-url"/>'
                )
            lines.append("      </resource-group>")
        lines.append("    </resource-group-list>")
    for list_name, item, ids in (
        ("concept-appearance-list", "concept-appearance", sorted(m.concepts)),
        ("linking-phrase-appearance-list", "linking-phrase-appearance", sorted(m.linking_phrases)),
    ):
        lines.append(f"    <{list_name}>")
        for rid in ids:
            if rid not in pos:
                continue
            x, y, w, h = pos[rid]
            size = f' width="{_fmt(w)}" height="{_fmt(h)}"' if w and h else ""
            lines.append(f'      <{item} id="{rid}" x="{_fmt(x)}" y="{_fmt(y)}"{size}/>')
        lines.append(f"    </{list_name}>")
    lines.append("  </map>")
    lines.append("</cmap>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_cxl(
    path: str | os.PathLike[str], m: ConceptMap, positions: Mapping[str, Box] | None = None
) -> None:
    """Write the map as CXL atomically, replacing what was there."""
    atomic_write(Path(path), dump_cxl(m, positions), force=True)
