"""The key footer, redrawn only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` recomposes (unmounts and mounts one widget per key,
with their styles) every time the screen's bindings are refreshed, which happens at every
focus change, also when the keys shown stay the same. At start-up that was five recomposes in
a row (~0.2 s before the first quiet frame); this one recomposes only when what it would show
differs.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer

__all__ = ["KeyFooter"]


class KeyFooter(Footer):
    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._shown: tuple[Any, ...] | None = None

    @staticmethod
    def _signature(screen: Screen[Any]) -> tuple[Any, ...]:
        palette = screen.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, b.action, b.description, b.key_display, b.group, enabled, tooltip)
            for key, (_, b, enabled, tooltip) in screen.active_bindings.items()
            if b.show or key == palette
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = self._signature(screen)
            if shown == self._shown and self._bindings_ready:
                return
            self._shown = shown
        super().bindings_changed(screen)
