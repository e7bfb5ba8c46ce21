"""The concept map model: validated records and the map object that wraps the graph.

Nothing here knows about files, analysis, drawing or user interfaces.
"""

from conceptmap.model.collector import collector_paused
from conceptmap.model.conceptmap import Change, ConceptMap, Edit, normalise_label
from conceptmap.model.ids import new_id, slug
from conceptmap.model.records import (
    EVIDENCE_KINDS,
    KIND_LEVEL,
    SCHEMA_VERSION,
    Concept,
    Evidence,
    EvidenceKind,
    Link,
    LinkingPhrase,
    MapDocument,
    MapMeta,
    Position,
    Proposition,
    Relation,
    RelationKind,
    Setting,
    Stance,
)

__all__ = [
    "EVIDENCE_KINDS",
    "KIND_LEVEL",
    "SCHEMA_VERSION",
    "Change",
    "Concept",
    "ConceptMap",
    "Edit",
    "Evidence",
    "EvidenceKind",
    "Link",
    "LinkingPhrase",
    "MapDocument",
    "MapMeta",
    "Position",
    "Proposition",
    "Relation",
    "RelationKind",
    "Setting",
    "Stance",
    "collector_paused",
    "new_id",
    "normalise_label",
    "slug",
]
