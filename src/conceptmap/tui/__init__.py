"""The workshop terminal UI (Textual). Nothing imports this package but the ``open`` command.

:func:`run` opens a map; :class:`~conceptmap.tui.app.ConceptmapApp` is the app itself
(imported lazily, so that ``import conceptmap.tui`` stays cheap).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conceptmap.tui.app import ConceptmapApp

__all__ = ["open_app", "run"]


def open_app(map_path: str | Path, *, as_of: dt.date | None = None) -> ConceptmapApp:
    """The app for ``map_path``, with the map loaded and its claims judged with the
    ``conceptmap.toml`` next to it or in a folder above, as ``conceptmap gaps`` judges them (a
    bad map or settings file raises here, before any screen is drawn)."""
    from conceptmap import api
    from conceptmap.tui.app import ConceptmapApp

    settings = api.analysis_settings(near=map_path)
    return ConceptmapApp(map_path, as_of=as_of, settings=settings)


def run(map_path: str | Path, *, as_of: dt.date | None = None) -> None:
    """Open ``map_path`` in the TUI and return when the user quits."""
    open_app(map_path, as_of=as_of).run()
