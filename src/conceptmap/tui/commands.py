"""The command palette (Ctrl+P): every action of :data:`~conceptmap.tui.keys.ACTIONS` by its
"area: action" title, e.g. "concept: add"."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from conceptmap.tui.keys import ACTIONS

__all__ = ["MapCommands"]


class MapCommands(Provider):
    """Map actions for the palette, with the key that does the same shown in the help."""

    def _help(self, title: str) -> str:
        a = next(a for a in ACTIONS if a.title == title)
        return f"{a.help} · key {a.key_display}" if a.key_display else a.help

    async def discover(self) -> Hits:
        for a in ACTIONS:
            yield DiscoveryHit(
                a.title, partial(self.app.run_action, a.action), help=self._help(a.title)
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for a in ACTIONS:
            score = matcher.match(a.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(a.title),
                    partial(self.app.run_action, a.action),
                    text=a.title,
                    help=self._help(a.title),
                )
