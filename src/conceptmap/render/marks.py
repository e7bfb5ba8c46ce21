"""From an analysis to what the drawings show of each claim (:class:`ClaimMark`).

The renderers take ``dict[claim id, ClaimMark]`` rather than the whole analysis, so that a plain
map (``--no-gaps``) draws with no analysis at all. The summary is the tooltip: the claim, its
state and why, and the evidence counted by stance and kind with the newest date and the
sources. Quotes never go into a drawing; with ``redact`` the sources read "source 1",
"source 2"… consistently within one output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from conceptmap.model import ConceptMap, Evidence
from conceptmap.render.dot import STALE_GLYPH, STATE_GLYPHS, ClaimMark

if TYPE_CHECKING:
    from conceptmap.analysis import Analysis, ClaimResult, Verdict

__all__ = ["Redactor", "evidence_summary", "marks_from_analysis", "marks_from_claims"]


class Redactor:
    """Replaces source names by "source 1", "source 2"… in order of first appearance."""

    def __init__(self, active: bool) -> None:
        self.active = active
        self._names: dict[str, str] = {}

    def source(self, name: str) -> str:
        if not self.active:
            return name
        return self._names.setdefault(name, f"source {len(self._names) + 1}")


def evidence_summary(m: ConceptMap, claim_id: str, redactor: Redactor) -> str:
    """ "2 for (interview, analytics), 1 against (survey); newest 2026-05-20; from A; B"."""
    return _summary(m.evidence_for(claim_id), redactor)


def _summary(items: list[Evidence], redactor: Redactor) -> str:
    """The evidence summary of one claim's items (in id order)."""
    if not items:
        return "no evidence yet"
    if len(items) == 1:  # most claims with evidence have one item so far
        e = items[0]
        word = {"supports": "for", "contradicts": "against"}.get(e.stance)
        said = f"1 {word} ({e.kind})" if word else ""
        return f"{said}; newest {e.date.isoformat()}; from {redactor.source(e.source)}"
    parts = []
    for stance, word in (("supports", "for"), ("contradicts", "against")):
        kinds: dict[str, int] = {}  # kind → items (a Counter, without its cost per claim)
        count = 0
        for e in items:
            if e.stance == stance:  # StrEnum members are their values
                kind = e.kind
                kinds[kind] = kinds.get(kind, 0) + 1
                count += 1
        if count:
            kind_text = ", ".join(
                f"{k} ×{n}" if n > 1 else k for k, n in sorted(kinds.items(), key=lambda kv: kv[0])
            )
            parts.append(f"{count} {word} ({kind_text})")
    newest = max(e.date for e in items).isoformat()
    sources = []
    for e in items:
        s = redactor.source(e.source)
        if s not in sources:
            sources.append(s)
    return f"{'; '.join(parts)}; newest {newest}; from {'; '.join(sources)}"


def marks_from_analysis(
    m: ConceptMap, analysis: Analysis, *, redact: bool = False
) -> dict[str, ClaimMark]:
    """One :class:`ClaimMark` per claim of ``analysis`` (claims in id order, so the source
    numbering of ``redact`` is the same on every run)."""
    return marks_from_claims(m, analysis.claims, redact=redact)


def marks_from_claims(
    m: ConceptMap, claims: Mapping[str, ClaimResult | Verdict], *, redact: bool = False
) -> dict[str, ClaimMark]:
    """One :class:`ClaimMark` per claim, from each claim's text, state, staleness, reason and
    evidence count: the results of an analysis, or the lighter
    :func:`conceptmap.analysis.claim_verdicts` an export needs."""
    redactor = Redactor(redact)
    out: dict[str, ClaimMark] = {}
    heads: dict[tuple[object, bool], tuple[str, str]] = {}  # (state, stale) → state, head
    # every claim's items in id order, as m.evidence_for gives them, in one pass
    items_of: dict[str, list[Evidence]] = {}
    evidence = m.evidence
    for eid in sorted(evidence):
        e = evidence[eid]
        items_of.setdefault(e.claim, []).append(e)
    for cid in sorted(claims):
        c = claims[cid]
        stale = bool(c.stale)
        known = heads.get((c.state, stale))
        if known is None:
            state = str(c.state.value if hasattr(c.state, "value") else c.state)
            head = f"{STATE_GLYPHS.get(state, '')} {state}"
            if stale:
                head += f", {STALE_GLYPH} stale"
            known = heads[(c.state, stale)] = (state, head)
        state, head = known
        reason = c.reason
        items = items_of.get(cid)
        if items:
            said = _summary(items, redactor)
            if redact:  # the sentence may name a source
                for e in items:
                    reason = reason.replace(e.source, redactor.source(e.source))
        else:
            said = "no evidence yet"
        summary = f"{c.text}\n{head}: {reason}\nEvidence: {said}"
        out[cid] = _mark(state, stale, summary, c.evidence_count)
    return out


def _mark(state: str, stale: bool, summary: str, evidence_count: int) -> ClaimMark:
    """``ClaimMark(state, stale, summary, evidence_count)`` without the frozen dataclass's
    attribute-by-attribute ``__init__`` (the same object, one per claim of a map)."""
    mark = object.__new__(ClaimMark)
    mark.__dict__.update(state=state, stale=stale, summary=summary, evidence_count=evidence_count)
    return mark
