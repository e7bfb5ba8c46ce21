"""How a claim's state looks: always glyph and word, with colour only as a third cue.

Colours are from the Okabe–Ito palette (safe for the common colour-vision deficiencies),
brightened to read on the black projector theme.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from conceptmap import api

__all__ = ["STATE_STYLES", "state_text"]

STATE_STYLES: dict[str, str] = {
    "unsupported": "bold #ff8fd8",
    "contradicted": "bold #ff7043",
    "contested": "bold #ffb000",
    "weak": "bold #f0e442",
    "supported": "bold #56d6ff",
}


_GLYPHS: dict[str, str] = {}


def state_text(state: Any, *, short: bool = False) -> Text:
    """``? unsupported`` (or only the glyph when ``short``) in the state's colour."""
    if not _GLYPHS:
        _GLYPHS.update(api.state_glyphs())
    word = str(getattr(state, "value", state))
    glyph = _GLYPHS.get(word, "·")
    return Text(glyph if short else f"{glyph} {word}", style=STATE_STYLES.get(word, "bold"))
