"""The native file format: ``*.cmap.json``.

Symmetric verbs, as networkx's readers do: :func:`parse_map` (bytes → map),
:func:`dump_map` (map → bytes), :func:`read_map` and :func:`write_map` (paths; the write is the
safe save of :mod:`conceptmap.formats.storage`).

The layout is canonical so that git diffs stay small: top-level fields in schema order, each
record list sorted by id with one record per line, default values left out, UTF-8, a final
newline. Saving an unchanged map gives byte-identical output.

Loading never trusts the file: invalid UTF-8 and invalid JSON report line and column, schema
violations name the record id and field, broken references are listed one per line, and files
over the size limit (50 MB unless raised) are refused before they are read.
"""

from __future__ import annotations

import json
import os
import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from conceptmap.errors import MapFormatError, Problem
from conceptmap.model import SCHEMA_VERSION, ConceptMap, MapDocument, collector_paused
from conceptmap.model.records import ID_PATTERN

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAP_SUFFIX",
    "MIGRATIONS",
    "dump_map",
    "dump_map_parts",
    "json_schema",
    "max_bytes",
    "parse_map",
    "read_bytes",
    "read_map",
]

MAP_SUFFIX = ".cmap.json"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_LISTS = ("concepts", "linking_phrases", "propositions", "evidence", "relations")
_SINGULAR = {
    "concepts": "concept",
    "linking_phrases": "linking phrase",
    "propositions": "proposition",
    "evidence": "evidence",
    "relations": "relation",
    "plan": "plan item",
    "conflicts": "conflict",
}

#: Migrations from an older schema version: ``MIGRATIONS[v]`` turns a version-``v`` document
#: (a dict) into a version ``v + 1`` one. Version 1 is the first; the table grows with the format.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def max_bytes() -> int:
    """The size limit: ``CONCEPTMAP_MAX_BYTES`` from the environment, else 50 MB."""
    raw = os.environ.get("CONCEPTMAP_MAX_BYTES")
    if raw:
        try:
            return int(raw)
        except ValueError:
            raise MapFormatError(
                f"CONCEPTMAP_MAX_BYTES must be a number of bytes, not {raw!r}"
            ) from None
    return DEFAULT_MAX_BYTES


def _too_big(size: int) -> str:
    def amount(n: int) -> str:
        return f"{n / 1e6:.1f} MB" if n >= 1_000_000 else f"{n:,} bytes"

    return (
        f"file is {amount(size)}, over the {amount(max_bytes())} limit "
        "(raise it with CONCEPTMAP_MAX_BYTES)"
    )


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep_at(text: str, limit: int = 500) -> int:
    """Offset of the first bracket nested deeper than ``limit`` (strings skipped)."""
    depth = 0
    for tok in _JSON_TOKEN.finditer(text):
        c = tok.group()
        if c in "[{":
            depth += 1
            if depth > limit:
                return tok.start()
        elif c in "]}":
            depth -= 1
    return 0


class _DuplicateKey(Exception):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json`` keeps the last of two equal keys silently; a map file must not lose data so."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKey
    return obj


_JSON_KEY_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"(?=\s*:)|[\[\]{}]')


def _duplicate_key_at(text: str) -> tuple[int, str]:
    """Offset and name of the first key repeated within one object (slow; errors only)."""
    stack: list[set[str] | None] = []
    for tok in _JSON_KEY_TOKEN.finditer(text):
        t = tok.group()
        if t == "{":
            stack.append(set())
        elif t == "[":
            stack.append(None)
        elif t in "]}":
            if stack:
                stack.pop()
        elif stack and stack[-1] is not None:
            key = json.loads(t)
            if key in stack[-1]:
                return tok.start(), key
            stack[-1].add(key)
    return 0, "?"


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _decode(data: bytes, path: str | None) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = _line_col(data, err.start)
        raise MapFormatError(
            f"not UTF-8 text (byte 0x{data[err.start]:02x})", path=path, place=f"{line}:{col}"
        ) from None


def _record_place(raw: Any, loc: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """Name the record a pydantic error location points into: ('concept c-x', rest of loc)."""
    if len(loc) >= 2 and loc[0] in _SINGULAR and isinstance(loc[1], int):
        kind = _SINGULAR[loc[0]]
        try:
            rec = raw[loc[0]][loc[1]]
            rid = rec.get("id") if isinstance(rec, dict) else None
        except (KeyError, IndexError, TypeError):
            rid = None
        readable = isinstance(rid, str) and re.fullmatch(ID_PATTERN, rid) is not None
        name = f"{kind} {rid}" if readable else f"{kind} #{loc[1] + 1}"
        return name, loc[2:]
    return "map", loc


def _schema_problems(raw: Any, err: ValidationError) -> list[Problem]:
    out = []
    for e in err.errors(include_url=False):
        where, rest = _record_place(raw, tuple(e["loc"]))
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown field"
        field = ".".join(str(x) for x in rest)
        out.append(Problem(msg, f"{where}, field {field}" if field else where))
    return out


def parse_map(data: bytes | str, *, path: str | None = None) -> ConceptMap:
    """Parse the bytes of a ``*.cmap.json`` file into a map, checking everything."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > max_bytes():
        raise MapFormatError(_too_big(len(data)), path=path)
    text = _decode(data, path)
    if not text.strip():
        raise MapFormatError("the file is empty (not a map)", path=path, place="1:1")
    try:
        raw = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey:
        offset, key = _duplicate_key_at(text)
        line, col = _line_col(data.removeprefix(b"\xef\xbb\xbf"), len(text[:offset].encode()))
        raise MapFormatError(
            f"invalid JSON: key {json.dumps(key, ensure_ascii=False)} appears twice in one object",
            path=path,
            place=f"{line}:{col}",
        ) from None
    except json.JSONDecodeError as err:
        msg = f"invalid JSON: {err.msg}"
        if "\n<<<<<<< " in text or text.startswith("<<<<<<< "):
            msg += " (the file holds unresolved git merge conflict markers <<<<<<<)"
        raise MapFormatError(msg, path=path, place=f"{err.lineno}:{err.colno}") from None
    except RecursionError:
        offset = len(text[: _too_deep_at(text)].encode("utf-8"))
        line, col = _line_col(data.removeprefix(b"\xef\xbb\xbf"), offset)
        raise MapFormatError(
            "invalid JSON: nested too deeply", path=path, place=f"{line}:{col}"
        ) from None
    if not isinstance(raw, dict):
        raise MapFormatError(
            f"expected a JSON object at the top, found {type(raw).__name__}", path=path, place="1:1"
        )
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise MapFormatError(
            "missing or invalid schema_version (this is not a conceptmap file?)",
            path=path,
            place="map",
        )
    if version > SCHEMA_VERSION:
        raise MapFormatError(
            f"schema_version {version} is newer than this conceptmap understands ({SCHEMA_VERSION}):"
            " upgrade conceptmap",
            path=path,
            place="map",
        )
    if version < 1:
        raise MapFormatError(f"schema_version {version} does not exist", path=path, place="map")
    while version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
    try:
        # validation allocates many small objects; the collector dominates otherwise
        with collector_paused():
            doc = MapDocument.model_validate(raw)
    except ValidationError as err:
        raise MapFormatError(path=path, problems=_schema_problems(raw, err)) from None
    return ConceptMap.from_document(doc, path=path)


def _record_json(rec: Any) -> str:
    return json.dumps(
        rec.model_dump(mode="json", exclude_defaults=True),
        ensure_ascii=False,
        separators=(", ", ": "),
    )


# Records are immutable, so the line a record dumps to can be kept while the record object is
# the same: the TUI saves after every edit, and a 1,000-concept map then re-dumps one line,
# not thousands. Keyed weakly by map so closed maps are forgotten.
_LINES: weakref.WeakKeyDictionary[ConceptMap, dict[str, tuple[Any, str]]] = (
    weakref.WeakKeyDictionary()
)


def _record_line(cache: dict[str, tuple[Any, str]], rec: Any) -> str:
    hit = cache.get(rec.id)
    if hit is not None and hit[0] is rec:
        return hit[1]
    line = _record_json(rec)
    cache[rec.id] = (rec, line)
    return line


# The same for a whole collection: while its records are the same (an evidence edit leaves the
# 10^5 concepts of a big map alone), its encoded text is kept whole; and a collection that did
# change is re-encoded only in the chunks around the records that changed. A chunk ends after
# a record whose id hashes to 0 modulo _CHUNK (about _CHUNK records each), so an insertion or
# a deletion moves no other chunk's boundaries.
_BODIES: weakref.WeakKeyDictionary[ConceptMap, dict[str, Any]] = weakref.WeakKeyDictionary()
_CHUNK = 512


def _body(
    bodies: dict[str, Any], key: str, records: list[Any], cache: dict[str, tuple[Any, str]]
) -> list[bytes]:
    """The encoded records of one collection, one per line, as pieces to write in order."""
    hit = bodies.get(key)
    # list equality tries identity first, element by element: unchanged records cost no __eq__
    if hit is not None and (hit[0] is records or hit[0] == records):
        return hit[1]
    old_chunks: dict[str, tuple[list[Any], bytes]] = hit[2] if hit is not None else {}
    chunks: dict[str, tuple[list[Any], bytes]] = {}
    parts: list[bytes] = []
    chunk: list[Any] = []
    for i, rec in enumerate(records):
        chunk.append(rec)
        if hash(rec.id) % _CHUNK == 0 or i == len(records) - 1:
            first = chunk[0].id
            was = old_chunks.get(first)
            if was is not None and was[0] == chunk:
                text = was[1]
            else:
                text = ",\n".join(f"    {_record_line(cache, r)}" for r in chunk).encode("utf-8")
            chunks[first] = (chunk, text)
            if parts:
                parts.append(b",\n")
            parts.append(text)
            chunk = []
    bodies[key] = (records, parts, chunks)
    return parts


def dump_map_parts(m: ConceptMap) -> list[bytes]:
    """The canonical bytes of a map in pieces (``b"".join`` of them is :func:`dump_map`): a
    save streams them to the file rather than copying a big map's text into one string."""
    doc = m.to_document()
    cache = _LINES.setdefault(m, {})
    bodies = _BODIES.setdefault(m, {})
    head = doc.model_dump(mode="json", exclude={*_LISTS, "plan", "conflicts"})
    head = {"schema_version": SCHEMA_VERSION, **head}
    items: list[list[bytes]] = []
    for key, value in head.items():
        if value is None or value == "":
            continue
        items.append([f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}".encode()])
    for key in (*_LISTS, "plan", "conflicts"):
        records = getattr(doc, key)
        if key in ("plan", "conflicts") and not records:
            continue
        name = json.dumps(key).encode()
        if not records:
            items.append([b"  ", name, b": []"])
            continue
        items.append([b"  ", name, b": [\n", *_body(bodies, key, records, cache), b"\n  ]"])
    pieces = [b"{\n"]
    for i, item in enumerate(items):
        if i:
            pieces.append(b",\n")
        pieces.extend(item)
    pieces.append(b"\n}\n")
    return pieces


def dump_map(m: ConceptMap) -> bytes:
    """The canonical bytes of a map: stable order, one record per line, final newline."""
    return b"".join(dump_map_parts(m))


def read_map(path: str | os.PathLike[str]) -> ConceptMap:
    """Read and check a map file. Raises :class:`MapFormatError` naming the file."""
    return parse_map(read_bytes(path), path=os.fspath(path))


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a map file, refusing missing, unreadable and oversized files clearly."""
    p = Path(path)
    name = os.fspath(path)
    try:
        size = p.stat().st_size
        if size > max_bytes():
            raise MapFormatError(_too_big(size), path=name)
        return p.read_bytes()
    except FileNotFoundError:
        raise MapFormatError("no such file", path=name) from None
    except IsADirectoryError:
        raise MapFormatError("is a folder, not a map file", path=name) from None
    except PermissionError:
        raise MapFormatError("permission denied", path=name) from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the file format (what ``conceptmap schema`` prints)."""
    return MapDocument.model_json_schema(mode="validation")
