"""The gap analysis: the rules of ``analysis.md``, one module per rule, run by a pipeline.

>>> from conceptmap.model import ConceptMap
>>> m = ConceptMap.new("Cafés")
>>> a, b = m.add_concept("café owners"), m.add_concept("fast delivery")
>>> p = m.add_proposition(a.id, "value", b.id)
>>> analyse(m).claims[p.id].state
<State.unsupported: 'unsupported'>

Modules: :mod:`.evidence` (the ladder, decay, a source counted once), :mod:`.opinion`
(subjective logic), :mod:`.states` (states and staleness), :mod:`.structure` (findings and
scores), :mod:`.importance` (PageRank, betweenness, articulation points, I),
:mod:`.argumentation` (DF-QuAD, contradictions in the map), :mod:`.ranking` (U, gap score,
words), :mod:`.forecast` (the date a claim turns into a gap), :mod:`.pipeline` (the registry).
"""

from conceptmap.analysis.pipeline import (
    PASSES,
    Context,
    Pass,
    Verdict,
    analyse,
    claim_verdicts,
    register,
)
from conceptmap.analysis.results import (
    STATE_GLYPHS,
    STATE_ORDER,
    Analysis,
    ClaimResult,
    Finding,
    ImportanceParts,
    MapContradiction,
    NovakGowinScore,
    State,
    StructureResult,
    TraditionalScore,
)
from conceptmap.analysis.settings import CONFIG_NAME, Settings, find_config, load_settings

__all__ = [
    "CONFIG_NAME",
    "PASSES",
    "STATE_GLYPHS",
    "STATE_ORDER",
    "Analysis",
    "ClaimResult",
    "Context",
    "Finding",
    "ImportanceParts",
    "MapContradiction",
    "NovakGowinScore",
    "Pass",
    "Settings",
    "State",
    "StructureResult",
    "TraditionalScore",
    "Verdict",
    "analyse",
    "claim_verdicts",
    "find_config",
    "load_settings",
    "register",
]
