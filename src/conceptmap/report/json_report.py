"""The batch gap report as data: schema ``conceptmap.report/1`` (see ``docs/report-schema.md``).

The report is built in two steps so that the heavy part runs in worker processes and the
part that must be consistent across the whole output runs once:

1. :func:`map_entry` (in a worker) turns one analysed map into plain data: counts, the top
   gaps with the evidence behind them, the revise list, contradictions, undermined and stale
   claims, structure. :func:`error_entry` does the same for a map that could not be read.
2. :func:`build_report` (in the parent) marks gaps that are new against a baseline, replaces
   sources by "source 1", "source 2"… with ``redact`` (in order of first appearance in the
   output, so the numbering is the same on every run), adds the summary across maps and the
   ``--fail-on`` verdict.

The Markdown and HTML reports render this same document, so every format shows the same
figures. Nothing in it depends on the clock or on the order workers finish in.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from conceptmap.analysis import STATE_GLYPHS, STATE_ORDER, Analysis, ClaimResult
from conceptmap.errors import ConceptmapError, InputError, UsageError
from conceptmap.model import ConceptMap, Evidence
from conceptmap.render.marks import Redactor
from conceptmap.report.gaps_text import coming_due, say_do, say_do_sentence
from conceptmap.safety import safe_link

__all__ = [
    "FAIL_STATES",
    "SCHEMA",
    "JsonWriter",
    "ReportSummary",
    "build_report",
    "error_entry",
    "exit_code",
    "map_entry",
    "read_baseline",
    "report_json",
    "validate_fail_on",
]

SCHEMA = "conceptmap.report/1"

_INVISIBLE = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

#: What ``--fail-on`` accepts: the four gap states, three flags, and ``new`` (needs a baseline).
FAIL_STATES: tuple[str, ...] = (
    "unsupported",
    "contradicted",
    "contested",
    "weak",
    "stale",
    "undermined",
    "contradiction",
    "new",
)

#: The counts of the summary table, in order (the states, then the flags).
COUNT_KEYS: tuple[str, ...] = (
    *(s.value for s in STATE_ORDER),
    "stale",
    "undermined",
    "contradiction",
    "gaps",
)


def _num(x: float) -> float:
    """Figures rounded to 4 places: readable, and the same bytes on every platform."""
    return round(float(x), 4)


def _evidence_entry(e: Evidence) -> dict[str, Any]:
    return {
        "id": e.id,
        "stance": e.stance.value,
        "kind": e.kind.value,
        "source": e.source,
        "date": e.date.isoformat(),
        "n": e.n,
        "setting": e.setting.value,
        "reliability": _num(e.reliability),
        "quote": e.quote,
        "link": safe_link(e.link) if e.link else None,
    }


def _claim_entry(c: ClaimResult, m: ConceptMap | None, as_of: dt.date) -> dict[str, Any]:
    # only what the analysis counted: evidence dated after the analysis day is left out, as
    # it is by the analysis (a claim "nobody has checked" must not list evidence)
    items: list[Evidence] = m.evidence_for(c.id) if m is not None else []
    items = [e for e in items if e.date <= as_of]
    items = sorted(items, key=lambda e: (-e.date.toordinal(), e.id))
    return {
        "id": c.id,
        "kind": c.kind,
        "text": c.text,
        "state": c.state.value,
        "glyph": STATE_GLYPHS[c.state],
        "stale": c.stale,
        "undermined": c.undermined,
        "in_map_contradiction": c.in_map_contradiction,
        "test_first": c.test_first,
        "says_not_does": c.says_not_does,
        "new": None,
        "gap_score": _num(c.gap_score),
        "importance": _num(c.importance.value),
        "rating": c.importance.rating,
        "U": _num(c.U),
        "r": _num(c.r),
        "s": _num(c.s),
        "b": _num(c.b),
        "d": _num(c.d),
        "u": _num(c.u),
        "P": _num(c.P),
        "tau": _num(c.tau),
        "sigma": _num(c.sigma),
        "evidence_count": c.evidence_count,
        "newest_evidence": c.newest_evidence.isoformat() if c.newest_evidence else None,
        "turns_gap_on": c.turns_gap_on.isoformat() if c.turns_gap_on else None,
        "reason": c.reason,
        "next_step": c.next_step,
        "evidence": [_evidence_entry(e) for e in items],
    }


def _brief(c: ClaimResult) -> dict[str, Any]:
    return {"id": c.id, "text": c.text, "state": c.state.value, "gap_score": _num(c.gap_score)}


def map_entry(path: str, m: ConceptMap, a: Analysis, *, top: int) -> dict[str, Any]:
    """One analysed map as report data (unredacted; :func:`build_report` redacts)."""
    counts = a.counts()
    counts["undermined"] = len(a.undermined)
    counts["contradiction"] = len(a.contradictions)
    # the gaps listed (and compared with a baseline); contradicted claims are in "revise"
    counts["gaps"] = len(a.gaps)
    s = a.structure
    notes = []
    if m.conflicts:
        notes.append(
            f"{len(m.conflicts)} unresolved merge conflict(s): the values kept so far were "
            "analysed (conceptmap validate lists them)"
        )
    if not a.converged:
        notes.append("a cycle of relations did not settle; its σ values are approximate")
    return {
        "path": path,
        "status": "ok",
        "map_id": a.map_id,
        "title": a.title,
        "focus_question": a.focus_question,
        "claims": len(a.claims),
        "counts": {k: counts[k] for k in COUNT_KEYS},
        "debt": _num(a.debt),
        "notes": notes,
        "gap_ids": [c.id for c in a.gaps],
        "gaps": [_claim_entry(c, m, a.as_of) for c in a.gaps[:top]],
        "revise": [_claim_entry(c, m, a.as_of) for c in a.revise],
        "contradictions": [
            {"relation": x.relation, "a": x.a, "b": x.b, "message": x.message}
            for x in a.contradictions
        ],
        "undermined": [
            _brief(c) | {"tau": _num(c.tau), "sigma": _num(c.sigma)} for c in a.undermined
        ],
        "stale": [
            _brief(c)
            | {"newest_evidence": c.newest_evidence.isoformat() if c.newest_evidence else None}
            for c in a.stale
        ],
        "say_do": [
            _brief(c)
            | {
                "say_P": _num(c.say_P),
                "do_P": _num(c.do_P),
                "conflict": _num(c.say_do_conflict),
                "message": say_do_sentence(c),
            }
            for c in say_do(a)
        ],
        "coming_due": [
            _brief(c) | {"turns_gap_on": c.turns_gap_on.isoformat()}
            for c in coming_due(a)
            if c.turns_gap_on is not None
        ],
        "structure": {
            "shape": s.shape,
            "novak_gowin": s.novak_gowin.model_dump(mode="json"),
            "traditional": s.traditional.model_dump(mode="json"),
            "findings": [f.model_dump(mode="json") for f in s.findings],
        },
        # every gap, briefly: what a later run compares against (new gaps) — not in the JSON
        "_all_gaps": [_brief(c) for c in a.gaps],
    }


def error_entry(path: str, err: ConceptmapError) -> dict[str, Any]:
    """A map that could not be read or analysed: it shows as an error in the report."""
    return {"path": path, "status": "error", "errors": err.lines()}


def validate_fail_on(fail_on: Sequence[str], *, has_baseline: bool) -> None:
    """A usage error for an unknown ``--fail-on`` state, or ``new`` without a baseline."""
    unknown = [s for s in fail_on if s not in FAIL_STATES]
    if unknown:
        raise UsageError(f"--fail-on {unknown[0]!r}: use one of {', '.join(FAIL_STATES)}")
    if "new" in fail_on and not has_baseline:
        raise UsageError("--fail-on new needs --baseline PREVIOUS.json (an earlier JSON report)")


# ---------------------------------------------------------------------- baseline


def read_baseline(path: str | os.PathLike[str]) -> set[tuple[str, str]]:
    """The gaps of an earlier JSON report, as ``(map id, claim id)`` pairs."""
    name = os.fspath(path)
    try:
        data = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise InputError("no such baseline report", path=name) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        where = f"{err.lineno}:{err.colno}" if isinstance(err, json.JSONDecodeError) else ""
        raise InputError(
            f"not a JSON report ({type(err).__name__}); make one with --format json",
            path=name,
            place=where,
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else None
        raise InputError(
            f"not a {SCHEMA} report (schema {found!r}); make one with "
            "conceptmap report --format json",
            path=name,
        )
    out: set[tuple[str, str]] = set()
    maps = data.get("maps")
    if not isinstance(maps, list):
        raise InputError("the report has no list of maps", path=name, place="maps")
    for i, entry in enumerate(maps):
        if not isinstance(entry, dict) or entry.get("status") != "ok":
            continue
        ids = entry.get("gap_ids")
        map_id = entry.get("map_id")
        if not isinstance(map_id, str) or not isinstance(ids, list):
            raise InputError("a map without map_id or gap_ids", path=name, place=f"maps[{i}]")
        out.update((map_id, str(c)) for c in ids)
    return out


# ---------------------------------------------------------------------- the document


_TOP_KEYS = (  # the fields of summary.top_gaps, in order: path and map_id first
    "path",
    "map_id",
    "id",
    "text",
    "state",
    "glyph",
    "gap_score",
    "importance",
    "U",
    "new",
    "reason",
    "next_step",
)


def _gap_order(g: dict[str, Any]) -> tuple[float, str, str]:
    """Highest gap score first; ties by map path, then claim id."""
    return (-g["gap_score"], g["path"], g["id"])


class ReportSummary:
    """The report's figures across maps, built one map entry at a time (in output order).

    :meth:`add` marks an entry's gaps that are new against the baseline, redacts it (sources
    numbered by first appearance, so entry by entry in output order gives the same numbers as
    the whole document), drops what only the summary needs, and keeps only that: the totals,
    the ``top`` highest gaps so far, the new gaps, the error lines. The entry can then be
    written out and forgotten, so memory does not grow with the number of maps (except by
    the new gaps, which the summary lists, and the error lines).
    """

    def __init__(
        self,
        *,
        as_of: dt.date,
        top: int,
        fail_on: Sequence[str] = (),
        baseline: set[tuple[str, str]] | None = None,
        baseline_name: str | None = None,
        redact: bool = False,
    ) -> None:
        validate_fail_on(fail_on, has_baseline=baseline is not None)
        self.as_of = as_of
        self.top = top
        self.fail_on = list(fail_on)
        self.baseline = baseline
        self.baseline_name = baseline_name
        self.redact = redact
        self._redactor = Redactor(True) if redact else None
        self.maps = 0
        self.analysed = 0
        self.claims = 0
        self._debt = 0.0
        self.totals = dict.fromkeys(COUNT_KEYS, 0)
        self._top_gaps: list[dict[str, Any]] = []
        self._new_gaps: list[dict[str, Any]] = []
        #: the error lines of the maps that could not be analysed, in output order
        self.errors: list[str] = []

    def add(self, e: dict[str, Any]) -> dict[str, Any]:
        """Take in the next map entry (changed in place, and returned)."""
        self.maps += 1
        all_gaps = e.pop("_all_gaps", None)
        if e["status"] != "ok":
            self.errors += e["errors"]
            return e
        self.analysed += 1
        if self.baseline is not None:
            known = self.baseline
            fresh = {g["id"] for g in all_gaps or () if (e["map_id"], g["id"]) not in known}
            e["new_gap_ids"] = [g for g in e["gap_ids"] if g in fresh]
            for claim in e["gaps"]:
                claim["new"] = claim["id"] in fresh
            for g in all_gaps or ():
                if g["id"] in fresh:
                    self._new_gaps.append({"path": e["path"], "map_id": e["map_id"], **g})
        if self._redactor is not None:
            red = self._redactor
            for key in ("gaps", "revise"):
                for claim in e.get(key, []):
                    for ev in claim["evidence"]:
                        ev["source"] = red.source(ev["source"])
                        ev.pop("quote", None)
                        ev.pop("link", None)
        for k in COUNT_KEYS:
            self.totals[k] += e["counts"][k]
        self.claims += e["claims"]
        self._debt += e["debt"]
        candidates = [
            {"path": e["path"], "map_id": e["map_id"], **{k: c[k] for k in _TOP_KEYS[2:]}}
            for c in e["gaps"]
        ]
        # the same as sorting every map's gaps and taking the first `top` (a stable sort of
        # what came so far, then this map's), without keeping them all
        self._top_gaps = heapq.nsmallest(self.top, self._top_gaps + candidates, key=_gap_order)
        return e

    @property
    def invalid(self) -> int:
        return self.maps - self.analysed

    def document(self, maps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The report document: every field, with ``maps`` (default: none, for a writer that
        streams the maps out itself after the rest)."""
        totals = {**self.totals, "new": len(self._new_gaps)}
        found = {s: totals[s] for s in self.fail_on if totals[s]}
        return {
            "schema": SCHEMA,
            "as_of": self.as_of.isoformat(),
            "top": self.top,
            "redacted": self.redact,
            "baseline": self.baseline_name,
            "fail_on": sorted(set(self.fail_on), key=FAIL_STATES.index),
            "found": found,
            "failed": bool(found),
            "summary": {
                "maps": self.maps,
                "analysed": self.analysed,
                "invalid": self.invalid,
                "claims": self.claims,
                "debt": _num(self._debt),
                "counts": totals,
                "new_gaps": (
                    sorted(self._new_gaps, key=_gap_order) if self.baseline is not None else None
                ),
                "top_gaps": list(self._top_gaps),
            },
            "maps": maps if maps is not None else [],
        }


def build_report(
    entries: Iterable[dict[str, Any]],
    *,
    as_of: dt.date,
    top: int,
    fail_on: Sequence[str] = (),
    baseline: set[tuple[str, str]] | None = None,
    baseline_name: str | None = None,
    redact: bool = False,
) -> dict[str, Any]:
    """The whole report document from the map entries (in output order), in memory. The
    entries are taken over: they are marked and redacted in place. (``conceptmap report``
    streams instead: :class:`ReportSummary` and the writers of each format.)"""
    summary = ReportSummary(
        as_of=as_of,
        top=top,
        fail_on=fail_on,
        baseline=baseline,
        baseline_name=baseline_name,
        redact=redact,
    )
    maps = [summary.add(e) for e in entries]
    return summary.document(maps)


def exit_code(doc: dict[str, Any]) -> int:
    """2 when any map was invalid (it wins), else 1 when a ``--fail-on`` state was found."""
    if doc["summary"]["invalid"]:
        return 2
    return 1 if doc["failed"] else 0


def _json_text(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # bidi overrides and other invisible format characters are written as \u escapes: the
    # data stays exact for a program, and a person paging the file sees what is there
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def report_json(doc: dict[str, Any]) -> str:
    """The document as JSON text (UTF-8, two-space indent, final newline).

    Each map is encoded on its own and spliced in, with the same bytes as one ``json.dumps``
    of the whole document: with an indent, ``json.dumps`` holds every small piece of the
    output in one list before joining it, which for 10,000 maps was most of the peak memory.
    """
    maps = doc["maps"]
    head = _json_text({**{k: v for k, v in doc.items() if k != "maps"}, "maps": []})
    if not maps:
        return head + "\n"
    assert head.endswith('"maps": []\n}')  # "maps" is the last key
    parts = [head[: -len("[]\n}")], "[\n    "]
    for i, e in enumerate(maps):
        if i:
            parts.append(",\n    ")
        parts.append(_entry_json(e))
    parts.append("\n  ]\n}\n")
    return "".join(parts)


def _entry_json(e: dict[str, Any]) -> str:
    clean = {k: v for k, v in e.items() if not k.startswith("_")}
    return _json_text(clean).replace("\n", "\n    ")


class JsonWriter:
    """:func:`report_json`, streamed: :meth:`entry` gives each map encoded as it arrives,
    which the caller spools; :meth:`assemble` writes the head (the summary needs every map)
    and then the spooled maps. The bytes are those of :func:`report_json`."""

    parts = ("maps",)

    def entry(self, i: int, e: dict[str, Any]) -> Iterator[tuple[str, str]]:
        yield "maps", (",\n    " if i > 1 else "") + _entry_json(e)

    def assemble(
        self, doc: dict[str, Any], write: Callable[[str], None], copy: Callable[[str], None]
    ) -> None:
        """``doc``: the document without its maps; ``copy(part)`` writes a spooled part."""
        head = _json_text({**{k: v for k, v in doc.items() if k != "maps"}, "maps": []})
        if not doc["summary"]["maps"]:
            write(head + "\n")
            return
        assert head.endswith('"maps": []\n}')  # "maps" is the last key
        write(head[: -len("[]\n}")] + "[\n    ")
        copy("maps")
        write("\n  ]\n}\n")
