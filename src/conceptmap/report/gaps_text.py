"""One map's gaps as text: a terminal table and Markdown (``conceptmap gaps``; reused by the
batch report for each map's section).

Every state is shown by glyph *and* word (colour, on a terminal only, is an extra); every
piece of text from the map goes through :func:`~conceptmap.safety.terminal_text` or
:func:`~conceptmap.safety.markdown_text` where it meets the output. The output never holds
evidence quotes or source names, so it is the same with and without ``--redact``.
"""

from __future__ import annotations

from conceptmap.analysis import STATE_GLYPHS, STATE_ORDER, Analysis, ClaimResult, State
from conceptmap.safety import markdown_text, terminal_text

__all__ = [
    "coming_due",
    "gaps_json",
    "gaps_markdown",
    "gaps_table",
    "say_do",
    "say_do_sentence",
    "state_label",
]

#: ANSI colours per state for a terminal (Okabe–Ito-like, readable on dark and light).
_COLOURS = {
    State.unsupported: "\x1b[35m",
    State.contradicted: "\x1b[31m",
    State.contested: "\x1b[33m",
    State.weak: "\x1b[36m",
    State.supported: "\x1b[32m",
}
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"

SCHEMA = "conceptmap.gaps/1"


def state_label(c: ClaimResult, *, colour: bool = False) -> str:
    """``"? unsupported"`` (plus ``", stale"``), coloured on request."""
    text = f"{STATE_GLYPHS[c.state]} {c.state.value}" + (" · stale" if c.stale else "")
    return f"{_COLOURS[c.state]}{text}{_RESET}" if colour else text


def _counts_line(a: Analysis) -> str:
    n = a.counts()
    parts = [f"{n[s.value]} {STATE_GLYPHS[s]} {s.value}" for s in STATE_ORDER]
    return (
        f"{n['gaps']} gaps among {len(a.claims)} claims: "
        + ", ".join(parts)
        + f"; {n['stale']} stale; uncertainty debt {a.debt:.2f}"
    )


def _flags(c: ClaimResult) -> list[str]:
    out = []
    if c.test_first:
        out.append("test first")
    if c.undermined:
        out.append("undermined")
    if c.in_map_contradiction:
        out.append("in a contradiction")
    if c.says_not_does:
        out.append("says ≠ does")
    return out


def gaps_json(a: Analysis, *, top: int | None = None) -> dict:
    """The JSON document of ``conceptmap gaps`` (schema ``conceptmap.gaps/1``)."""
    data = a.model_dump(mode="json")
    if top is not None:
        data["gaps"] = data["gaps"][:top]
    data["counts"] = a.counts()
    return {"schema": SCHEMA, **data}


# ---------------------------------------------------------------------- terminal


def gaps_table(a: Analysis, *, top: int | None = None, colour: bool = False) -> str:
    """The gaps of one map for a terminal (fixed columns, reasons indented below each)."""
    t = terminal_text
    bold = (lambda s: f"{_BOLD}{s}{_RESET}") if colour else (lambda s: s)
    lines = [bold(f"Gaps in “{t(a.title)}” as of {a.as_of.isoformat()}")]
    if a.focus_question:
        lines.append(f"Focus question: {t(a.focus_question)}")
    lines.append(_counts_line(a))
    lines.append("")
    gaps = a.gaps[:top] if top is not None else a.gaps
    width = max((len(state_label(c)) for c in gaps), default=10)
    if gaps:
        lines.append(bold(f"{'#':>3}  {'state':<{width}}  {'score':>5}  {'I':>4}  {'U':>4}  claim"))
    else:
        lines.append("No gaps to gather evidence for.")
    for i, c in enumerate(gaps, 1):
        pad = " " * (width - len(state_label(c)))
        flags = "".join(f"  [{f}]" for f in _flags(c))
        lines.append(
            f"{i:>3}  {state_label(c, colour=colour)}{pad}  {c.gap_score:5.2f}  "
            f"{c.importance.value:4.2f}  {c.U:4.2f}  {t(c.text)}{flags}"
        )
        lines.append(f"{'':5}why:  {t(c.reason)}")
        lines.append(f"{'':5}next: {t(c.next_step)}")
    if top is not None and len(a.gaps) > top:
        lines.append(f"{'':5}… and {len(a.gaps) - top} more (--top to show more)")
    lines.extend(_table_sections(a, colour=colour, bold=bold))
    return "\n".join(lines) + "\n"


def _table_sections(a: Analysis, *, colour: bool, bold) -> list[str]:  # type: ignore[no-untyped-def]
    t = terminal_text
    out: list[str] = []
    if a.revise:
        out += ["", bold("Revise the map: the evidence says these beliefs are wrong")]
        for c in a.revise:
            out.append(
                f"  {state_label(c, colour=colour)}  {t(c.text)}  (d={c.d:.2f}, b={c.b:.2f})"
            )
            out.append(f"      next: {t(c.next_step)}")
    if a.contradictions:
        out += ["", bold("Contradictions in the map: the team believes two incompatible things")]
        out += [f"  ✗ {t(x.message)}" for x in a.contradictions]
    if a.undermined:
        out += ["", bold("Undermined: claims whose supporters are weak or attackers strong")]
        for c in a.undermined:
            out.append(f"  ↓ {t(c.text)}  (τ={c.tau:.2f} → σ={c.sigma:.2f})")
    if not a.converged:
        out.append("  note: a cycle of relations did not settle; its σ values are approximate")
    conflicted = say_do(a)
    if conflicted:
        out += ["", bold("Say–do gap: customers say one thing and do another")]
        for c in conflicted:
            out.append(f"  ≠ {t(c.text)}")
            out.append(f"      {say_do_sentence(c)}: trust what they do")
    if a.stale:
        out += ["", bold("Stale: the evidence has aged")]
        for c in a.stale:
            newest = c.newest_evidence.isoformat() if c.newest_evidence else "—"
            out.append(f"  ⌛ {t(c.text)}  (newest evidence {newest}; {c.state.value})")
    due = coming_due(a)
    if due:
        out += ["", bold("Coming due: supported claims and the date each turns into a gap")]
        for c in due:
            out.append(f"  {c.turns_gap_on}  {t(c.text)}")
    out += ["", bold("Structure")]
    s = a.structure
    ng, tr = s.novak_gowin, s.traditional
    out.append(
        f"  shape: {s.shape} · Novak–Gowin score {ng.score:g} ({ng.propositions} propositions, "
        f"{ng.levels} levels, {ng.cross_links} cross-links, {ng.examples} examples)"
    )
    out.append(
        f"  traditional score {tr.score:g} (NC={tr.NC}, NH={tr.NH}, HH={tr.HH}, NCL={tr.NCL})"
    )
    out += [f"  • {t(f.message)}" for f in s.findings]
    return out


def say_do(a: Analysis) -> list[ClaimResult]:
    """Claims where what customers say and what they do disagree (analysis.md §7), most
    conflicted first."""
    return sorted(
        (c for c in a.claims.values() if c.says_not_does), key=lambda c: (-c.say_do_conflict, c.id)
    )


def say_do_sentence(c: ClaimResult) -> str:
    """ "customers say X but do Y", with the two probabilities."""
    said = "holds" if c.say_P >= 0.5 else "does not hold"
    done = "it does" if c.do_P >= 0.5 else "it does not"
    return (
        f"customers say it {said} (P={c.say_P:.2f}) but what they do says {done} "
        f"(P={c.do_P:.2f}); conflict {c.say_do_conflict:.2f}"
    )


def coming_due(a: Analysis) -> list[ClaimResult]:
    """Supported claims with the date each turns into a gap as its evidence ages, soonest first."""
    due = [c for c in a.claims.values() if c.turns_gap_on is not None]
    return sorted(due, key=lambda c: (c.turns_gap_on, c.id))


# ---------------------------------------------------------------------- Markdown


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def gaps_markdown(a: Analysis, *, top: int | None = None, level: int = 1) -> str:
    """The gaps of one map as Markdown; ``level`` is the level of its top heading (the batch
    report nests each map one level down)."""
    m = markdown_text
    h = "#" * level
    hh = "#" * (level + 1)
    out = [f"{h} Gaps in “{m(a.title)}”", ""]
    out.append(f"As of {a.as_of.isoformat()}.")
    if a.focus_question:
        out.append(f"Focus question: {m(a.focus_question)}")
    out += ["", m(_counts_line(a)), ""]
    gaps = a.gaps[:top] if top is not None else a.gaps
    out.append(f"{hh} Gaps, most important first")
    out.append("")
    if gaps:
        out.append(_md_row(["#", "state", "score", "I", "U", "claim", "why", "next step"]))
        out.append(_md_row(["--:", "---", "--:", "--:", "--:", "---", "---", "---"]))
        for i, c in enumerate(gaps, 1):
            flags = "".join(f" **{f}**" for f in _flags(c))
            out.append(
                _md_row(
                    [
                        str(i),
                        m(state_label(c)),
                        f"{c.gap_score:.2f}",
                        f"{c.importance.value:.2f}",
                        f"{c.U:.2f}",
                        m(c.text) + flags,
                        m(c.reason),
                        m(c.next_step),
                    ]
                )
            )
        if top is not None and len(a.gaps) > top:
            out += ["", f"… and {len(a.gaps) - top} more."]
    else:
        out.append("No gaps to gather evidence for.")
    if a.revise:
        out += ["", f"{hh} Revise the map", ""]
        out.append("The evidence says these beliefs are wrong: change the map, not the evidence.")
        out.append("")
        for c in a.revise:
            out.append(f"- {m(state_label(c))}: {m(c.text)} (d={c.d:.2f}, b={c.b:.2f})")
    if a.contradictions:
        out += ["", f"{hh} Contradictions in the map", ""]
        out += [f"- {m(x.message)}" for x in a.contradictions]
    if a.undermined:
        out += ["", f"{hh} Undermined claims", ""]
        out += [f"- {m(c.text)} (τ={c.tau:.2f} → σ={c.sigma:.2f})" for c in a.undermined]
    conflicted = say_do(a)
    if conflicted:
        out += ["", f"{hh} Say–do gap: customers say one thing and do another", ""]
        out += [f"- {m(c.text)}: {m(say_do_sentence(c))}" for c in conflicted]
    if a.stale:
        out += ["", f"{hh} Stale claims", ""]
        for c in a.stale:
            newest = c.newest_evidence.isoformat() if c.newest_evidence else "—"
            out.append(f"- {m(c.text)}: newest evidence {newest} ({c.state.value})")
    due = coming_due(a)
    if due:
        out += ["", f"{hh} Coming due", ""]
        out.append("Supported claims and the date each turns into a gap as its evidence ages.")
        out.append("")
        out += [f"- {c.turns_gap_on}: {m(c.text)}" for c in due]
    s = a.structure
    ng, tr = s.novak_gowin, s.traditional
    out += ["", f"{hh} Structure", ""]
    out.append(f"- shape: **{s.shape}**")
    out.append(
        f"- Novak–Gowin score {ng.score:g}: {ng.propositions} propositions, {ng.levels} levels, "
        f"{ng.cross_links} cross-links, {ng.examples} examples"
    )
    out.append(
        f"- traditional score {tr.score:g}: NC={tr.NC}, NH={tr.NH}, HH={tr.HH}, NCL={tr.NCL}"
    )
    out += [f"- {m(f.message)}" for f in s.findings]
    return "\n".join(out) + "\n"
