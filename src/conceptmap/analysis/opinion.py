"""From evidence to an opinion: subjective logic (Jøsang 2016; analysis.md §2).

``b = r/(r+s+W)``, ``d = s/(r+s+W)``, ``u = W/(r+s+W)`` and ``P = b + a·u``.

>>> o = opinion(1.0, 0.0)
>>> round(o.b, 4), round(o.u, 4), round(o.P, 4)
(0.3333, 0.6667, 0.6667)
"""

from __future__ import annotations

from dataclasses import dataclass

from conceptmap.analysis.evidence import ZERO, ClaimEvidence
from conceptmap.analysis.settings import OpinionSettings, Settings

__all__ = ["Opinion", "degree_of_conflict", "opinion", "opinion_pass"]


@dataclass(frozen=True, slots=True)
class Opinion:
    """A binomial opinion: belief, disbelief, uncertainty (summing to 1) and projected P."""

    r: float
    s: float
    b: float
    d: float
    u: float
    P: float


def opinion(r: float, s: float, cfg: OpinionSettings | None = None) -> Opinion:
    """The opinion of ``r`` supporting and ``s`` contradicting evidence (cumulative fusion:
    independent evidence simply adds, so r and s are sums)."""
    cfg = cfg or OpinionSettings()
    if r is ZERO and s is ZERO:
        # no evidence (the totals a ClaimEvidence starts from): the same opinion every time
        global _no_evidence
        last_cfg, o = _no_evidence
        if cfg is not last_cfg:  # settings are frozen: the same object gives the same figures
            o = _opinion(r, s, cfg)
            _no_evidence = (cfg, o)
        return o
    return _opinion(r, s, cfg)


#: The opinion of no evidence under the settings last asked for (immutable, so shared).
_no_evidence: tuple[OpinionSettings | None, Opinion | None] = (None, None)


def _opinion(r: float, s: float, cfg: OpinionSettings) -> Opinion:
    total = r + s + cfg.prior_weight
    b, d, u = r / total, s / total, cfg.prior_weight / total
    return Opinion(r, s, b, d, u, b + cfg.base_rate * u)  # r, s, b, d, u, P


def degree_of_conflict(say: Opinion, do: Opinion) -> float:
    """``DC = |P_say − P_do| · (1 − u_say) · (1 − u_do)`` (Jøsang 2016, §4.8; analysis.md §7)."""
    return abs(say.P - do.P) * (1.0 - say.u) * (1.0 - do.u)


def opinion_pass(evidence: dict[str, ClaimEvidence], settings: Settings) -> dict[str, Opinion]:
    """The opinion of every claim from its evidence totals."""
    cfg = settings.opinion
    return {cid: opinion(ev.r, ev.s, cfg) for cid, ev in evidence.items()}
