"""The open map behind the TUI: edit → save → analyse, and what to do when the file moved.

The app calls :class:`Session` for every change, so the rules of issue 5 live here, free of
Textual and testable on their own:

* every edit is one undoable :class:`~conceptmap.model.Edit` (a transaction), saved at once
  with the locked atomic save (:meth:`MapFile.save`); nothing is ever unsaved, so quitting
  never asks;
* when the save meets a file that changed on disk, the edit is kept as :attr:`pending` and the
  caller offers :meth:`reload_and_reapply` (load the other version, re-apply the edit on top)
  or :meth:`save_as_copy` (keep editing a copy next to the file); no edit is lost either way;
* a big map (:attr:`Session.background`) is analysed off the event loop: every edit is also
  queued for a *shadow* copy of the map that only the analysing thread reads and changes
  (:meth:`analyse_in_background`), so the map being edited is never read half-changed and
  what the analysis caches on a map is never computed from a map that changed under it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from conceptmap import api
from conceptmap.errors import FileChangedError
from conceptmap.model import Change, ConceptMap, Edit, collector_paused

__all__ = ["BACKGROUND_FROM", "Session", "copy_name"]

#: maps with at least this many concepts and propositions are analysed in a thread
BACKGROUND_FROM = 20_000

T = TypeVar("T")

_COLLECTIONS = (
    "concept",
    "linking_phrase",
    "proposition",
    "evidence",
    "relation",
    "plan",
    "conflict",
)


def copy_name(path: Path) -> Path:
    """A free file name next to ``path`` for keeping one's edits as a copy."""
    suffix = api.MAP_SUFFIX
    stem = path.name[: -len(suffix)] if path.name.endswith(suffix) else path.stem
    for n in range(1, 1000):
        tag = "copy" if n == 1 else f"copy-{n}"
        candidate = path.with_name(f"{stem}-{tag}{suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(f"no free copy name next to {path}")


def _stores(m: ConceptMap) -> dict[str, Any]:
    return {
        "concept": m.concepts,
        "linking_phrase": m.linking_phrases,
        "proposition": m.propositions,
        "evidence": m.evidence,
        "relation": m.relations,
        "plan": m.plan,
        "conflict": m.conflicts,
    }


def _snapshot(m: ConceptMap) -> dict[str, dict[str, Any]]:
    snap = {name: dict(store) for name, store in _stores(m).items()}
    snap["meta"] = {"meta": m.meta}
    return snap


def _diff(name: str, before: dict[str, dict[str, Any]], m: ConceptMap) -> Edit:
    """The edit that turned ``before`` into the map as it is now (used for undo/redo)."""
    after = _snapshot(m)
    changes: list[Change] = []
    for coll in ("meta", *_COLLECTIONS):
        old, new = before[coll], after[coll]
        for rid in sorted(old.keys() | new.keys()):
            a, b = old.get(rid), new.get(rid)
            if a != b:
                changes.append(Change(coll, rid, a, b))  # type: ignore[arg-type]
    return Edit(name, changes)


def _rebased(edit: Edit, m: ConceptMap) -> Edit:
    """``edit`` made to apply on ``m``: map-level changes keep the other side's metadata and
    change only the fields the edit changed (never the ``updated`` stamp)."""
    changes: list[Change] = []
    for ch in edit.changes:
        if ch.collection != "meta":
            changes.append(ch)
            continue
        before, after = ch.before.model_dump(), ch.after.model_dump()  # type: ignore[union-attr]
        fields = {k: v for k, v in after.items() if before.get(k) != v and k != "updated"}
        if fields:
            changes.append(Change("meta", "meta", m.meta, m.meta.model_copy(update=fields)))
    return Edit(edit.name, changes)


class _Stopped(Exception):
    """The analysing thread was asked to stop."""


class Session:
    """A map file open for editing, with the analysis of its current state."""

    def __init__(
        self,
        path: str | Path,
        *,
        as_of: dt.date | None = None,
        settings: Any = None,
        background_from: int = BACKGROUND_FROM,
    ) -> None:
        self.file = api.load(path)
        self.as_of = as_of
        self.settings = settings
        self.analysis: Any = None
        #: what the last analysis leaves for the next (an edit re-analyses only what it changed)
        self._cache = api.analysis_cache()
        #: the edit whose save met a change on disk (waiting for reload or copy)
        self.pending: Edit | None = None
        self.copied_from: Path | None = None
        m = self.map
        #: analysed in a thread (see :meth:`analyse_in_background`)
        self.background = len(m.concepts) + len(m.propositions) >= background_from
        #: the revision of the map :attr:`analysis` is of (background: it may lag behind)
        self.analysed_revision: int | None = None
        self._lock = threading.Lock()
        #: what the shadow map has yet to take: ("reset", document) or ("edit", Edit)
        self._queue: list[tuple[str, Any, int]] = []
        self._shadow: ConceptMap | None = None
        self._running = False
        self._warmed = False
        if self.background:
            self._queue.append(("reset", m.to_document(), m.revision))

    @property
    def map(self) -> ConceptMap:
        return self.file.map

    @property
    def path(self) -> Path:
        return self.file.path

    def analyse(self) -> Any:
        """Run the gap analysis on the map as it is now (kept in :attr:`analysis`)."""
        self.analysis = api.analyse(
            self.map, settings=self.settings, as_of=self.as_of, cache=self._cache
        )
        self.analysed_revision = self.map.revision
        return self.analysis

    @property
    def analysis_current(self) -> bool:
        """Whether :attr:`analysis` is of the map as it is now."""
        return self.analysis is not None and self.analysed_revision == self.map.revision

    def analysis_waiting(self) -> bool:
        """Whether edits wait for the background analysis."""
        with self._lock:
            return bool(self._queue)

    def claim_analysis_thread(self) -> bool:
        """Whether the caller should start the analysing thread now: something is queued and
        no thread is running (the thread runs until the queue is empty)."""
        with self._lock:
            if self._running or not self._queue:
                return False
            self._running = True
            return True

    def analysis_thread_failed(self) -> None:
        """The analysing thread died: the next edit starts one again, on a fresh shadow
        (call on the thread that edits the map: it reads it)."""
        with self._lock:
            self._running = False
            self._shadow = None
            self._queue = [("reset", self.map.to_document(), self.map.revision)]

    def warm_up(self) -> None:
        """Background thread, once: dump the map without writing it, so that the first save
        after an edit re-dumps only the records it changed (a cold dump of 10^5 concepts takes
        seconds; the dump keeps each unchanged record's line)."""
        if self._warmed:
            return
        self._warmed = True
        # an edit removing a record while it is read: that edit's own save dumps what is left
        with contextlib.suppress(KeyError, RuntimeError):
            api.dump_map(self.map)

    def analyse_in_background(
        self, stop: Callable[[], bool] | None = None
    ) -> tuple[Any, int] | None:
        """Analyse the shadow map after taking every queued edit (call from one thread at a
        time). Returns the analysis and the revision of the edited map it is of, or ``None``
        when nothing was queued — or when ``stop()`` said to stop (asked every few seconds at
        most; the edits taken stay in the shadow, and the next call analyses them). The caller
        sets :attr:`analysis` from it on its own thread (:meth:`take_analysis`)."""
        with self._lock:
            queue, self._queue = self._queue, []
            if not queue:
                self._running = False
                return None
        for what, value, _ in queue:
            if what == "reset":
                self._shadow = api.ConceptMap.from_document(value)
                self._cache = api.analysis_cache()
            elif what == "edit":
                assert self._shadow is not None
                self._shadow.apply_edit(_rebased(value, self._shadow))
        assert self._shadow is not None

        def check() -> bool:
            if stop is not None and stop():
                raise _Stopped
            return False

        self._cache.stop = check
        try:
            with collector_paused():
                analysis = api.analyse(
                    self._shadow, settings=self.settings, as_of=self.as_of, cache=self._cache
                )
        except _Stopped:
            with self._lock:  # analysed again on the next call
                self._queue.insert(0, ("again", None, queue[-1][2]))
                self._running = False
            return None
        return analysis, queue[-1][2]

    def take_analysis(self, analysis: Any, revision: int) -> None:
        """Show the analysis the background thread made of ``revision``."""
        self.analysis = analysis
        self.analysed_revision = revision

    def _queue_edit(self, edit: Edit) -> None:
        if self.background and edit.changes:
            with self._lock:
                self._queue.append(("edit", edit, self.map.revision))

    def _queue_reset(self) -> None:
        if self.background:
            with self._lock:
                self._queue.append(("reset", self.map.to_document(), self.map.revision))

    # ------------------------------------------------------------------ editing
    def edit(self, name: str, fn: Callable[[ConceptMap], T]) -> T:
        """Run ``fn`` on the map as one undoable edit and save it.

        An :class:`~conceptmap.errors.InputError` from ``fn`` leaves the map as it was. A
        :class:`FileChangedError` from the save leaves the edit in the map and in
        :attr:`pending`.
        """
        with self.map.transaction(name) as edit:
            result = fn(self.map)
        if edit.changes:
            self._queue_edit(edit)
            self._save(edit)
        return result

    def undo(self) -> str | None:
        return self._step(self.map.undo)

    def redo(self) -> str | None:
        return self._step(self.map.redo)

    def _step(self, step: Callable[[], str | None]) -> str | None:
        before = _snapshot(self.map)
        name = step()
        if name is not None:
            edit = _diff(f"{name} (undo/redo)", before, self.map)
            self._queue_edit(edit)
            self._save(edit)
        return name

    def _save(self, edit: Edit) -> None:
        try:
            self.file.save()
        except FileChangedError:
            self.pending = (
                edit
                if self.pending is None
                else Edit(edit.name, [*self.pending.changes, *edit.changes])
            )
            raise
        self.pending = None

    # ------------------------------------------------------------------ file changed on disk
    def changed_on_disk(self) -> bool:
        return self.file.changed_on_disk()

    def reload_and_reapply(self) -> str | None:
        """Load the version on disk and re-apply the pending edit on top, then save.

        Returns the name of the edit re-applied (``None`` when there was none). If the edit no
        longer applies (someone changed the same record), :class:`InputError` is raised and
        this session still holds the map with the edit, ready for :meth:`save_as_copy`.
        """
        fresh = api.load(self.path)
        edit = self.pending
        if edit is not None:
            fresh.map.apply_edit(_rebased(edit, fresh.map))
        self.file = fresh
        self.pending = None
        self._queue_reset()
        if edit is not None:
            self._save(edit)
            return edit.name
        return None

    def save_as_copy(self) -> Path:
        """Keep editing the map in memory as a new file next to the original."""
        target = copy_name(self.path)
        self.copied_from = self.path
        self.file = api.MapFile.create(target, self.map)
        self.pending = None
        return target
