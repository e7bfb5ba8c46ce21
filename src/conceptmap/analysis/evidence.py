"""Evidence strength: the ladder, recency, and a source counted once (analysis.md §1–§2).

The weight of one item is ``e = m · log2(1 + n) · λ · t · (0.75 if lab)`` with
``λ = 2^(−age/h)``. Items on one claim that share a source are not independent: within each
source only the strongest supporting and the strongest contradicting item count.

>>> import datetime as dt
>>> from conceptmap.analysis.settings import Settings
>>> from conceptmap.model import Evidence
>>> day = dt.date(2026, 6, 1)
>>> e = Evidence(id="e1", claim="p1", stance="supports", kind="interview", source="Maya", date=day)
>>> item_weight(e, day, Settings().evidence)
1.0
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from conceptmap.analysis.settings import EvidenceSettings, Settings
from conceptmap.model import KIND_LEVEL, ConceptMap, Evidence

__all__ = [
    "ClaimEvidence",
    "decay",
    "evidence_pass",
    "fuse",
    "item_weight",
    "undecayed_weight",
]


#: The zero every total starts from. :func:`conceptmap.analysis.opinion.opinion` recognises this
#: very object (no evidence at all) and hands out one shared opinion for it.
ZERO = 0.0


@dataclass(frozen=True, slots=True)
class ClaimEvidence:
    """The evidence totals of one claim on the analysis date.

    ``r``/``s``: decayed supporting/contradicting totals (a source counted once);
    ``r0``/``s0``: the same without decay (for the stale rule); ``count``: items counted
    (dated on or before the analysis date); ``newest``: date of the newest item and
    ``newest_half_life`` its kind's half-life; ``max_level``: highest ladder level present.
    ``half_lives``: the distinct half-lives of the items (one → closed-form forecast).
    """

    r: float = ZERO
    s: float = ZERO
    r0: float = ZERO
    s0: float = ZERO
    count: int = 0
    newest: dt.date | None = None
    newest_half_life: float | None = None
    max_level: int = 0
    say_r: float = ZERO
    say_s: float = ZERO
    do_r: float = ZERO
    do_s: float = ZERO
    half_lives: tuple[float, ...] = ()


#: The totals of a claim with no evidence (shared: most claims of a map have none yet).
NO_EVIDENCE = ClaimEvidence()


def decay(age_days: float, half_life: float) -> float:
    """Recency ``λ = 2^(−age/h)`` (age counted in days from the analysis date)."""
    return 2.0 ** (-age_days / half_life)


def undecayed_weight(e: Evidence, cfg: EvidenceSettings) -> float:
    """``m · log2(1 + n) · t · (lab factor)``: the weight before recency."""
    # kinds, stances and settings are StrEnums: each member is its value (hash, ==, order),
    # so it is used as it is, without the enum's slow .value
    m = cfg.ladder[KIND_LEVEL[e.kind] - 1]
    lab = cfg.lab_factor if e.setting == "lab" else 1.0
    return m * math.log2(1 + e.n) * e.reliability * lab


def item_weight(e: Evidence, as_of: dt.date, cfg: EvidenceSettings) -> float:
    """The weight ``e`` of one item on ``as_of``."""
    age = (as_of - e.date).days
    return undecayed_weight(e, cfg) * decay(age, cfg.half_life(e.kind.value))


def fuse(items: Iterable[tuple[str, str, float]]) -> tuple[float, float]:
    """``(source, stance, weight)`` triples → ``(r, s)``: per source the strongest supporting
    and the strongest contradicting weight, summed across sources (in sorted source order, so
    the sum never depends on record order)."""
    best: dict[tuple[str, str], float] = {}
    for source, stance, w in items:
        key = (source, stance)
        if w > best.get(key, -1.0):
            best[key] = w
    r = s = ZERO
    for (_, stance), w in sorted(best.items()):
        if stance == "supports":
            r += w
        else:
            s += w
    return r, s


def claim_evidence(items: list[Evidence], as_of: dt.date, cfg: EvidenceSettings) -> ClaimEvidence:
    """Fuse the items of one claim (already filtered to those dated on or before ``as_of``)."""
    if not items:
        return NO_EVIDENCE
    if len(items) == 1:  # most claims with evidence have one item so far
        return _one_item(items[0], as_of, cfg)
    decayed, raw, say, do = [], [], [], []
    newest: Evidence | None = None
    max_level = 0
    hls = set()
    for e in items:
        w0 = undecayed_weight(e, cfg)
        hl = cfg.half_life(e.kind)
        hls.add(hl)
        w = w0 * decay((as_of - e.date).days, hl)
        # the source is matched ignoring case and surrounding spaces ("Maya " is "maya")
        src = " ".join(e.source.casefold().split())
        stance = e.stance
        decayed.append((src, stance, w))
        raw.append((src, stance, w0))
        level = KIND_LEVEL[e.kind]
        (do if level >= 4 else say).append((src, stance, w))
        max_level = max(max_level, level)
        if newest is None or (e.date, e.id) > (newest.date, newest.id):
            newest = e
    r, s = fuse(decayed)
    r0, s0 = fuse(raw)
    say_r, say_s = fuse(say)
    do_r, do_s = fuse(do)
    assert newest is not None
    return ClaimEvidence(
        r=r,
        s=s,
        r0=r0,
        s0=s0,
        count=len(items),
        newest=newest.date,
        newest_half_life=cfg.half_life(newest.kind),
        max_level=max_level,
        say_r=say_r,
        say_s=say_s,
        do_r=do_r,
        do_s=do_s,
        half_lives=tuple(sorted(hls)),
    )


def evidence_items(m: ConceptMap, as_of: dt.date) -> dict[str, list[Evidence]]:
    """The items of every claim dated on or before ``as_of`` (later ones did not exist yet)."""
    out: dict[str, list[Evidence]] = {cid: [] for cid in m.claim_ids()}
    evidence = m.evidence
    for eid in sorted(evidence):
        e = evidence[eid]
        if e.date <= as_of and e.claim in out:
            out[e.claim].append(e)
    return out


def evidence_pass(m: ConceptMap, settings: Settings, as_of: dt.date) -> dict[str, ClaimEvidence]:
    """Evidence totals of every claim of ``m`` on ``as_of``."""
    cfg = settings.evidence
    return {
        cid: claim_evidence(items, as_of, cfg) for cid, items in evidence_items(m, as_of).items()
    }


def _fuse_one(stance: str, w: float) -> tuple[float, float]:
    """``fuse`` of a single item (its source does not matter)."""
    if not w > -1.0:
        return ZERO, ZERO
    return (ZERO + w, ZERO) if stance == "supports" else (ZERO, ZERO + w)


def _one_item(e: Evidence, as_of: dt.date, cfg: EvidenceSettings) -> ClaimEvidence:
    """:func:`claim_evidence` of one item, the same figures without the grouping by source."""
    kind = e.kind
    hl = cfg.half_life(kind)
    w0 = undecayed_weight(e, cfg)
    w = w0 * decay((as_of - e.date).days, hl)
    stance = e.stance
    r, s = _fuse_one(stance, w)
    r0, s0 = _fuse_one(stance, w0)
    level = KIND_LEVEL[kind]
    (say_r, say_s), (do_r, do_s) = ((ZERO, ZERO), (r, s)) if level >= 4 else ((r, s), (ZERO, ZERO))
    # r, s, r0, s0, count, newest, newest_half_life, max_level, say, do, half_lives
    return ClaimEvidence(
        r, s, r0, s0, 1, e.date, hl, max(0, level), say_r, say_s, do_r, do_s, (hl,)
    )
