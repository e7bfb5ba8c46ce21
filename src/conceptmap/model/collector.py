"""Python's cyclic garbage collector, paused around work that makes many objects and no
garbage cycles.

Loading a map, analysing it and drawing it allocate hundreds of thousands of small objects
(records, results, lines of text) that either live on or die by reference counting. The
collector would only scan them again and again; worse, objects that live for the whole of a
long step (each claim's evidence list during an analysis of 10^5 claims) reach its oldest
generation before they die, and push it into a full collection of every object of the map:
0.6–1.3 s holding the interpreter, which froze the TUI's screen after every few edits of a
big map.

>>> import gc
>>> with collector_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector for the block; at its end, if it was on, put it back and look at
    the young objects still alive once, here, so that the work is not left to whatever runs
    next (on another thread, the screen's). Nested pauses, and pauses on two threads in any
    order, end with the collector as the first found it."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
            gc.collect(0)
