"""The typed results of the analysis: what the CLI, the reports, the exports and the TUI read.

Every figure behind a flag is here (r, s, b, d, u, P, τ, σ, the parts of the importance), with
a sentence a facilitator can read aloud and a suggested next step, so every output can say
*why* a claim is a gap. ``Analysis.model_dump(mode="json")`` is the JSON of ``conceptmap gaps``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from conceptmap.analysis.settings import Settings

__all__ = [
    "STATE_GLYPHS",
    "STATE_ORDER",
    "Analysis",
    "ClaimResult",
    "Finding",
    "ImportanceParts",
    "MapContradiction",
    "NovakGowinScore",
    "State",
    "StructureResult",
    "TraditionalScore",
]


class State(StrEnum):
    """The state of a claim (analysis.md §3), in the order the rules are evaluated."""

    unsupported = "unsupported"
    contradicted = "contradicted"
    contested = "contested"
    weak = "weak"
    supported = "supported"


#: The states in rule order (the first rule that holds gives the state).
STATE_ORDER: tuple[State, ...] = tuple(State)

#: A glyph per state, so no output relies on colour alone.
STATE_GLYPHS: dict[State, str] = {
    State.unsupported: "?",
    State.contradicted: "✗",
    State.contested: "±",
    State.weak: "~",
    State.supported: "✓",
}


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)

    @classmethod
    def build(cls, **values: object) -> Self:
        """Construct without validation, fast (the analysis builds 10^5 of these from values
        it computed itself). Every field must be given; the result equals a validated one."""
        obj = _new(cls)
        _set(obj, "__dict__", values)
        _set(obj, "__pydantic_fields_set__", set(values))
        _set(obj, "__pydantic_extra__", None)
        _set(obj, "__pydantic_private__", None)
        return obj


# BaseModel has no __new__ of its own; looked up once rather than per result
_new = object.__new__
_set = object.__setattr__


class ImportanceParts(_Result):
    """The parts of importance I (§5). For a proposition the structural parts are the mean of
    its two concepts'; ``articulation`` says whether either end is an articulation point and
    ``articulation_part`` is the share that enters the formula (0, 0.5 or 1)."""

    rating: int
    pagerank_pct: float
    betweenness_pct: float
    articulation: bool
    articulation_part: float
    value: float


class ClaimResult(_Result):
    """Everything the analysis says about one claim."""

    id: str
    kind: Literal["proposition", "concept"]
    text: str
    state: State
    stale: bool
    r: float
    s: float
    b: float
    d: float
    u: float
    P: float
    tau: float
    sigma: float
    undermined: bool
    in_map_contradiction: bool = False
    importance: ImportanceParts
    U: float
    gap_score: float
    is_gap: bool
    test_first: bool
    evidence_count: int
    newest_evidence: dt.date | None = None
    behavioural: bool = False
    #: §7 say–do gap: degree of conflict between stated (levels 1–3) and behavioural (4–5)
    say_do_conflict: float = 0.0
    says_not_does: bool = False
    #: projected probabilities of the stated and of the behavioural evidence alone
    say_P: float = 0.5
    do_P: float = 0.5
    reason: str
    next_step: str
    turns_gap_on: dt.date | None = None


class Finding(_Result):
    """One structural finding (§4): ``kind`` is a stable word, ``ids`` the records involved."""

    kind: Literal[
        "orphan",
        "unreachable",
        "duplicate",
        "dangling-phrase",
        "unlinked-branches",
        "no-focus-question",
    ]
    message: str
    ids: list[str] = []


class NovakGowinScore(_Result):
    """Novak & Gowin (1984): propositions ×1, hierarchy levels ×5, cross-links ×10,
    examples ×1 (weights are settings)."""

    propositions: int
    levels: int
    cross_links: int
    examples: int
    score: float


class TraditionalScore(_Result):
    """Watson, Barrella & Pelkey (2018): NC + 5·HH + 10·NCL."""

    root: str | None
    NC: int
    NH: int
    HH: int
    NCL: int
    score: float


class StructureResult(_Result):
    findings: list[Finding]
    novak_gowin: NovakGowinScore
    traditional: TraditionalScore
    shape: Literal["spoke", "chain", "net"]


class MapContradiction(_Result):
    """A *contradicts* relation between two claims the team holds (both supported or weak)."""

    relation: str
    a: str
    b: str
    message: str


class Analysis(_Result):
    """The whole analysis of one map on one date."""

    map_id: str
    title: str
    focus_question: str
    as_of: dt.date
    settings: Settings
    claims: dict[str, ClaimResult]
    gaps: list[ClaimResult]
    revise: list[ClaimResult]
    contradictions: list[MapContradiction]
    undermined: list[ClaimResult]
    stale: list[ClaimResult]
    structure: StructureResult
    debt: float
    converged: bool = True
    #: seconds per pass; not part of the dump (outputs stay byte-identical between runs)
    timings: dict[str, float] = Field(default_factory=dict, exclude=True)

    def counts(self) -> dict[str, int]:
        """Claims per state (every state present, in rule order) plus ``stale`` and ``gaps``."""
        out = {s.value: 0 for s in STATE_ORDER}
        for c in self.claims.values():
            out[c.state.value] += 1
        out["stale"] = sum(1 for c in self.claims.values() if c.stale)
        out["gaps"] = sum(1 for c in self.claims.values() if c.is_gap)
        return out
