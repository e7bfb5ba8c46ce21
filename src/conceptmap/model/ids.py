"""Stable, readable ids: a one-letter kind, a slug of the label, and 8 hex digits.

``c-cafe-owners-3f9a1c2e`` reads well in a diff and in a merge, survives renames (the id is
never recomputed) and, with 32 random bits checked against the map on creation, never collides
in practice.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Container

__all__ = ["PREFIXES", "new_id", "slug"]

#: One letter per record kind.
PREFIXES = {
    "map": "m",
    "concept": "c",
    "linking_phrase": "l",
    "proposition": "p",
    "evidence": "e",
    "relation": "r",
    "plan": "t",
}

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, max_len: int = 24) -> str:
    """A lowercase ASCII slug of ``text``: ``"SMB café owners"`` → ``"smb-cafe-owners"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(out) > max_len:
        out = out[:max_len].rstrip("-")
    return out


def new_id(
    kind: str,
    label: str = "",
    taken: Container[str] = (),
    token: Callable[[], str] = lambda: secrets.token_hex(4),
) -> str:
    """A new id for a record of ``kind`` (a key of :data:`PREFIXES`), not in ``taken``."""
    prefix = PREFIXES[kind]
    stem = slug(label)
    while True:
        candidate = f"{prefix}-{stem}-{token()}" if stem else f"{prefix}-{token()}"
        if candidate not in taken:
            return candidate
