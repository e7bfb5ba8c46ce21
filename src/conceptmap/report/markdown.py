"""The batch gap report as Markdown: a summary across maps, then one section per map.

Each map's section is the single-map Markdown of ``conceptmap gaps``
(:func:`conceptmap.report.gaps_text.gaps_markdown`, rendered in the worker) followed by the
evidence behind its top gaps. Every piece of text from a map or an error goes through
:func:`~conceptmap.safety.markdown_text`; links only through
:func:`~conceptmap.safety.safe_link` (already applied when the document was built).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from conceptmap.report.json_report import COUNT_KEYS
from conceptmap.safety import markdown_text

__all__ = ["MarkdownWriter", "report_markdown"]

_GLYPHS = {
    "unsupported": "?",
    "contradicted": "✗",
    "contested": "±",
    "weak": "~",
    "supported": "✓",
    "stale": "⌛",
    "undermined": "↓",
    "contradiction": "⚡",
    "gaps": "",
}


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _state(claim: dict[str, Any]) -> str:
    return f"{claim['glyph']} {claim['state']}" if "glyph" in claim else claim["state"]


def _head(doc: dict[str, Any]) -> list[str]:
    m = markdown_text
    s = doc["summary"]
    out = ["# Gap report", ""]
    line = (
        f"As of {doc['as_of']} · {s['maps']} map{'s' if s['maps'] != 1 else ''} "
        f"({s['analysed']} analysed, {s['invalid']} invalid) · {s['claims']} claims · "
        f"uncertainty debt {s['debt']:.2f}"
    )
    if doc["redacted"]:
        line += " · redacted (no quotes; sources numbered)"
    out.append(line)
    if doc["fail_on"]:
        if doc["found"]:
            found = ", ".join(f"{n} {k}" for k, n in doc["found"].items())
            out += ["", f"**Failed**: found {m(found)} (--fail-on {' '.join(doc['fail_on'])})."]
        else:
            out += ["", f"Passed: none of {', '.join(doc['fail_on'])} found."]
    return out


def _new_gaps(doc: dict[str, Any]) -> list[str]:
    new = doc["summary"]["new_gaps"]
    if new is None:
        return []
    m = markdown_text
    out = ["", f"## New gaps since {m(doc['baseline'] or 'the baseline')}", ""]
    if not new:
        return [*out, "No new gaps."]
    out.append(_row(["#", "map", "state", "score", "claim"]))
    out.append(_row(["--:", "---", "---", "--:", "---"]))
    for i, g in enumerate(new, 1):
        out.append(
            _row([str(i), m(g["path"]), m(g["state"]), f"{g['gap_score']:.2f}", m(g["text"])])
        )
    return out


def _summary_head() -> list[str]:
    out = ["", "## Summary", ""]
    heads = ["map"] + [f"{_GLYPHS[k]} {k}".strip() for k in COUNT_KEYS] + ["debt"]
    out.append(_row(heads))
    out.append(_row(["---"] + ["--:"] * (len(heads) - 1)))
    return out


def _summary_row(e: dict[str, Any]) -> list[str]:
    if e["status"] == "ok":
        cells = [str(e["counts"][k]) for k in COUNT_KEYS] + [f"{e['debt']:.2f}"]
    else:
        cells = ["—"] * len(COUNT_KEYS) + ["**invalid**"]
    return [_row([markdown_text(e["path"]), *cells])]


def _summary_tail(doc: dict[str, Any]) -> list[str]:
    m = markdown_text
    totals = doc["summary"]["counts"]
    cells = [f"**{totals[k]}**" for k in COUNT_KEYS] + [f"**{doc['summary']['debt']:.2f}**"]
    out = [_row(["**all maps**", *cells])]
    top = doc["summary"]["top_gaps"]
    out += ["", "### Top gaps across the maps", ""]
    if not top:
        out.append("No gaps to gather evidence for.")
    else:
        out.append(_row(["#", "map", "state", "score", "claim", "next step"]))
        out.append(_row(["--:", "---", "---", "--:", "---", "---"]))
        for i, g in enumerate(top, 1):
            new = " **new**" if g["new"] else ""
            out.append(
                _row(
                    [
                        str(i),
                        m(g["path"]),
                        m(_state(g)),
                        f"{g['gap_score']:.2f}",
                        m(g["text"]) + new,
                        m(g["next_step"]),
                    ]
                )
            )
    return out


def _summary(doc: dict[str, Any]) -> list[str]:
    out = _summary_head()
    for e in doc["maps"]:
        out += _summary_row(e)
    return out + _summary_tail(doc)


_ERRORS_HEAD = ["", "## Maps that could not be analysed", ""]


def _error_item(e: dict[str, Any]) -> list[str]:
    out = [f"- **{markdown_text(e['path'])}**"]
    return out + [f"  - {markdown_text(line)}" for line in e["errors"]]


def _errors(doc: dict[str, Any]) -> list[str]:
    bad = [e for e in doc["maps"] if e["status"] != "ok"]
    if not bad:
        return []
    out = list(_ERRORS_HEAD)
    for e in bad:
        out += _error_item(e)
    return out


def _evidence(claims: list[dict[str, Any]]) -> list[str]:
    m = markdown_text
    out: list[str] = []
    for c in claims:
        if not c["evidence"]:
            continue
        out.append(f"- {m(_state(c))}: {m(c['text'])}")
        for ev in c["evidence"]:
            word = "for" if ev["stance"] == "supports" else "against"
            line = f"  - {word}: {m(ev['kind'])}, {m(ev['source'])}, {ev['date']}"
            if ev["n"] > 1:
                line += f", n={ev['n']}"
            if ev["setting"] != "real":
                line += f", {m(ev['setting'])}"
            if ev.get("quote"):
                line += f": “{m(ev['quote'])}”"
            if ev.get("link"):
                # the link text is escaped; the target went through safe_link and is wrapped
                # in <…> so spaces or parentheses cannot end it early
                target = ev["link"].replace("<", "%3C").replace(">", "%3E")
                line += f" ([link](<{target}>))"
            out.append(line)
    return out


def _gap_table(e: dict[str, Any]) -> list[str]:
    """The gaps of one map from the document alone (when the worker did not render them)."""
    m = markdown_text
    out = [f"### Gaps in “{m(e['title'])}”", ""]
    if not e["gaps"]:
        return [*out, "No gaps to gather evidence for."]
    out.append(_row(["#", "state", "score", "claim", "why", "next step"]))
    out.append(_row(["--:", "---", "--:", "---", "---", "---"]))
    for i, c in enumerate(e["gaps"], 1):
        out.append(
            _row(
                [
                    str(i),
                    m(_state(c)),
                    f"{c['gap_score']:.2f}",
                    m(c["text"]),
                    m(c["reason"]),
                    m(c["next_step"]),
                ]
            )
        )
    return out


def _section(e: dict[str, Any], doc: dict[str, Any]) -> list[str]:
    m = markdown_text
    out = ["", f"## {m(e['path'])}", ""]
    if e["status"] != "ok":
        out.append("This map could not be analysed:")
        out.append("")
        out += [f"- {m(line)}" for line in e["errors"]]
        return out
    out += [f"- {m(n)}" for n in e["notes"]]
    if e.get("new_gap_ids"):
        out.append(f"- **{len(e['new_gap_ids'])} new gap(s)** since the baseline")
    if e["notes"] or e.get("new_gap_ids"):
        out.append("")
    if "_markdown" in e:
        out.append(e["_markdown"].rstrip("\n"))
    else:
        out += _gap_table(e)
    ev = _evidence(e["gaps"] + [c for c in e["revise"] if c["id"] not in set(e["gap_ids"])])
    if ev:
        out += ["", "#### Evidence behind these claims", "", *ev]
    return out


def report_markdown(doc: dict[str, Any]) -> str:
    """The report document as Markdown."""
    out = _head(doc) + _new_gaps(doc) + _summary(doc) + _errors(doc)
    for e in doc["maps"]:
        out += _section(e, doc)
    return "\n".join(out) + "\n"


def _lines(lines: list[str]) -> str:
    # each line with its newline: the same bytes as "\n".join(all lines) + "\n"
    return "".join(line + "\n" for line in lines)


class MarkdownWriter:
    """:func:`report_markdown`, streamed: :meth:`entry` gives each map's pieces as it
    arrives (a summary row, its error lines if it is invalid, its section), which the caller
    spools per part; :meth:`assemble` writes the head, which needs every map, then the parts
    in order. The bytes are those of :func:`report_markdown` of the whole document."""

    parts = ("rows", "errors", "sections")

    def entry(self, i: int, e: dict[str, Any]) -> Iterator[tuple[str, str]]:
        yield "rows", _lines(_summary_row(e))
        if e["status"] != "ok":
            yield "errors", _lines(_error_item(e))
        yield "sections", _lines(_section(e, {}))

    def assemble(
        self, doc: dict[str, Any], write: Callable[[str], None], copy: Callable[[str], None]
    ) -> None:
        """``doc``: the document without its maps; ``copy(part)`` writes a spooled part."""
        write(_lines(_head(doc) + _new_gaps(doc) + _summary_head()))
        copy("rows")
        write(_lines(_summary_tail(doc)))
        if doc["summary"]["invalid"]:
            write(_lines(_ERRORS_HEAD))
            copy("errors")
        copy("sections")
