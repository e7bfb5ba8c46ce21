"""The validated records a concept map is made of.

Every record entering a map goes through one of these pydantic models. The vocabulary is the
one of ``analysis.md``: concepts, linking phrases, propositions (concept — linking phrase →
concept), evidence items attached to claims, and relations between claims.

Limits (documented in docs/file-format.md): labels are 1–300 characters after trimming, may
hold line breaks but no other control character; notes and quotes up to 20,000 characters;
links only ``http``, ``https``, ``mailto`` or relative.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from conceptmap.safety import is_safe_link

__all__ = [
    "EVIDENCE_KINDS",
    "KIND_LEVEL",
    "SCHEMA_VERSION",
    "Concept",
    "Conflict",
    "Evidence",
    "EvidenceKind",
    "Link",
    "LinkingPhrase",
    "MapDocument",
    "MapMeta",
    "PlanItem",
    "Position",
    "Proposition",
    "Relation",
    "RelationKind",
    "Setting",
    "Stance",
]

SCHEMA_VERSION = 1

LABEL_MAX = 300
TEXT_MAX = 20_000
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"

_BAD_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _no_controls(value: str) -> str:
    match = _BAD_CONTROLS.search(value)
    if match:
        raise ValueError(
            f"control character U+{ord(match.group()):04X} at position {match.start()} is not allowed"
        )
    return value


def _label(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return _no_controls(value)


def _check_label_length(value: str) -> str:
    if len(value) > LABEL_MAX:
        raise ValueError(f"is {len(value)} characters long; at most {LABEL_MAX} are allowed")
    return value


def _text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _no_controls(value.replace("\t", "    "))


def _link(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if not is_safe_link(value):
        raise ValueError("only http, https, mailto and relative links are allowed")
    return value


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(max_length=TEXT_MAX), AfterValidator(_text)]
ShortText = Annotated[str, StringConstraints(max_length=LABEL_MAX * 2), AfterValidator(_text)]
Url = Annotated[str | None, StringConstraints(max_length=2048), AfterValidator(_link)]
Rating = Annotated[int, Field(ge=1, le=5)]


Label = Annotated[
    str,
    StringConstraints(max_length=LABEL_MAX * 4),
    AfterValidator(_label),
    AfterValidator(_check_label_length),
]
Source = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=LABEL_MAX),
    AfterValidator(_no_controls),
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=False)


class Stance(StrEnum):
    """Whether an evidence item speaks for or against its claim."""

    supports = "supports"
    contradicts = "contradicts"


class Setting(StrEnum):
    """Where the evidence was gathered: lab settings weigh 0.75 of real ones."""

    real = "real"
    lab = "lab"


class EvidenceKind(StrEnum):
    """The kinds of evidence of the ladder in analysis.md §1."""

    belief = "belief"
    anecdote = "anecdote"
    survey = "survey"
    interview_opinion = "interview-opinion"
    interview = "interview"
    support_ticket = "support-ticket"
    review = "review"
    analytics = "analytics"
    observation = "observation"
    experiment = "experiment"
    commitment = "commitment"


EVIDENCE_KINDS: tuple[str, ...] = tuple(k.value for k in EvidenceKind)

#: Ladder level (1 opinion … 5 commitment) of each kind.
KIND_LEVEL: dict[str, int] = {
    "belief": 1,
    "anecdote": 1,
    "survey": 2,
    "interview-opinion": 2,
    "interview": 3,
    "support-ticket": 3,
    "review": 3,
    "analytics": 4,
    "observation": 4,
    "experiment": 4,
    "commitment": 5,
}


class RelationKind(StrEnum):
    supports = "supports"
    contradicts = "contradicts"


class Position(_Record):
    """Where a box sits when drawn, as CmapTools records it: the centre of the box."""

    x: float
    y: float
    width: float | None = None
    height: float | None = None


class Link(_Record):
    """A resource attached to a concept (CmapTools keeps these in resource groups)."""

    label: ShortText = ""
    url: Url


class Concept(_Record):
    """A term in the map. ``fact`` marks a concept that states a fact (it is then a claim);
    ``example`` marks one of Novak's examples, a leaf that instantiates a concept."""

    id: Id
    label: Label
    notes: Text = ""
    tags: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = []
    example: bool = False
    fact: bool = False
    importance: Rating = 3
    position: Position | None = None
    links: list[Link] = []


class LinkingPhrase(_Record):
    """The words joining concepts. As in CmapTools a linking phrase may have several source
    concepts and several target concepts: each (source, target) pair is one proposition."""

    id: Id
    label: Label
    sources: list[Id] = []
    targets: list[Id] = []
    position: Position | None = None


class Proposition(_Record):
    """A claim: ``source`` — ``via`` → ``target``. ``via`` is a linking phrase id, or ``None``
    for a direct, unlabelled concept → concept link."""

    id: Id
    source: Id
    via: Id | None = None
    target: Id
    importance: Rating = 3


class Evidence(_Record):
    """One observation about one claim (a proposition or a concept)."""

    id: Id
    claim: Id
    stance: Stance
    kind: EvidenceKind
    source: Source
    date: dt.date
    quote: Text = ""
    link: Url = None
    n: Annotated[int, Field(ge=1, le=10_000_000)] = 1
    setting: Setting = Setting.real
    reliability: Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)] = 1.0


class Relation(_Record):
    """Claim ``source`` supports or contradicts claim ``target``."""

    id: Id
    source: Id
    kind: RelationKind
    target: Id


class Conflict(_Record):
    """A merge conflict kept in the map until someone resolves it (``conceptmap merge``).

    The record holds the ``ours`` value meanwhile; ``field`` is ``None`` when the whole record
    was deleted on one side and edited on the other (the record is kept, nothing is lost).
    """

    id: Id
    collection: Literal[
        "map", "concept", "linking_phrase", "proposition", "evidence", "relation", "plan"
    ]
    record: Id
    field: str | None = None
    base: Any = None
    ours: Any = None
    theirs: Any = None
    message: ShortText = ""


class PlanItem(_Record):
    """A gap's place in the team's learning plan: who tests it, with what, by when."""

    id: Id
    claim: Id
    owner: Source
    next_test: Annotated[
        str, StringConstraints(min_length=1, max_length=LABEL_MAX * 4), AfterValidator(_label)
    ]
    due: dt.date
    done: bool = False


class MapMeta(_Record):
    """What the map is about: its id, title, focus question and times."""

    id: Id
    title: Label
    focus_question: ShortText = ""
    description: Text = ""
    created: dt.datetime
    updated: dt.datetime
    root: Id | None = None


class MapDocument(_Record):
    """The whole file: what ``*.cmap.json`` holds (schema version 1)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "$id": "https://conceptmap.dev/schema/cmap-1.json",
            "title": "conceptmap map file (*.cmap.json)",
        },
    )

    schema_version: Literal[1] = SCHEMA_VERSION
    id: Id
    title: Label
    focus_question: ShortText = ""
    description: Text = ""
    created: dt.datetime
    updated: dt.datetime
    root: Id | None = None
    concepts: list[Concept] = []
    linking_phrases: list[LinkingPhrase] = []
    propositions: list[Proposition] = []
    evidence: list[Evidence] = []
    relations: list[Relation] = []
    plan: list[PlanItem] = []
    conflicts: list[Conflict] = []
