"""Escaping for every place untrusted text goes, and the link allow-list.

Labels, notes, evidence quotes and source names are typed by people and imported from files:
they are untrusted. Every output calls one of these functions right where text meets its
destination, so the rule for each destination lives here once:

* :func:`dot_string` for a DOT double-quoted string (Graphviz),
* :func:`html_text` for HTML and SVG text and attribute values,
* :func:`markdown_text` for Markdown (inline text, including table cells),
* :func:`terminal_text` for anything printed on a terminal (no escape sequences get through),
* :func:`safe_link` for links: only ``http``, ``https``, ``mailto`` and relative links leave.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

__all__ = [
    "ALLOWED_SCHEMES",
    "dot_string",
    "html_text",
    "is_safe_link",
    "markdown_text",
    "safe_link",
    "strip_controls",
    "terminal_text",
]

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

# C0 and C1 control characters and DEL; newline and tab are handled per destination.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional overrides and isolates can make text read differently from what it is.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def strip_controls(text: str, *, keep_newlines: bool = True) -> str:
    """Drop control characters and lone surrogates; keep newlines (and tabs) if asked."""
    text = _SURROGATES.sub("\ufffd", text)
    text = _CONTROLS.sub("", text)
    if not keep_newlines:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return text


def dot_string(text: str) -> str:
    """``text`` as the inside of a DOT double-quoted string, shown literally.

    Backslashes are escape sequences in DOT labels (``\\n``, ``\\l``, ``\\N``), so they are
    doubled; quotes are escaped; newlines become ``\\n`` (a centred line break). Graphviz
    decodes HTML entities in labels and tooltips (``&lt;`` shows as ``<``), so ``&`` becomes
    ``&amp;`` and a label that contains ``&lt;`` shows ``&lt;``.
    """
    text = strip_controls(text)
    text = text.replace("&", "&amp;")
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return text.replace("\n", "\\n")


def html_text(text: str) -> str:
    """``text`` escaped for HTML or SVG content and attribute values."""
    return html.escape(strip_controls(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^$])")


def markdown_text(text: str) -> str:
    """``text`` escaped so Markdown shows it literally, on one line (safe in table cells)."""
    text = strip_controls(text, keep_newlines=False)
    # Raw HTML stays inert as entities (a backslash before < would show up, then "&lt;"
    # would be escaped twice and show as "&lt;"); the rest is backslash-escaped.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def terminal_text(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` safe to print on a terminal: no escape sequences, no bidi overrides."""
    text = strip_controls(text, keep_newlines=keep_newlines)
    text = _BIDI.sub("", text)
    # Unicode "format" characters other than joiners can hide text; drop them too.
    return "".join(ch for ch in text if ch in "\u200c\u200d" or unicodedata.category(ch) != "Cf")


def is_safe_link(link: str) -> bool:
    """True for ``http``, ``https`` and ``mailto`` links and for relative paths."""
    link = link.strip()
    if not link or _CONTROLS.search(link) or any(ch.isspace() for ch in link):
        return False
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    if parts.scheme:
        return parts.scheme.lower() in ALLOWED_SCHEMES and (
            parts.scheme.lower() == "mailto" or bool(parts.netloc)
        )
    # Relative: no scheme. A leading "//" would be protocol-relative (another host): refuse.
    return not link.startswith("//") and not link.startswith("\\")


def safe_link(link: str | None) -> str | None:
    """``link`` when it may leave the tool, else ``None``."""
    if link is None:
        return None
    return link.strip() if is_safe_link(link) else None
