"""Safe saves: atomic, locked, and never over someone else's changes.

A :class:`MapFile` is a map together with the file it came from and the digest of the bytes
that were on disk when it was loaded (or last saved). :meth:`MapFile.save` follows the sequence
of ``architecture.md``:

1. write the new bytes to a temporary file in the same folder and fsync it;
2. take an exclusive lock (``fcntl.flock`` on a hidden sidecar ``.NAME.lock``);
3. check the file on disk is still the version that was loaded; if not, refuse with
   :class:`FileChangedError` (exit code 3) unless ``force``;
4. rename the temporary file over the map (atomic on POSIX) and fsync the folder;
5. release the lock.

A process killed at any moment leaves either the old or the new complete file, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import mmap
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from conceptmap.errors import FileChangedError, InputError, LockedError
from conceptmap.formats.native import dump_map, dump_map_parts, parse_map, read_bytes
from conceptmap.model import ConceptMap

__all__ = [
    "MapFile",
    "atomic_write",
    "atomic_write_parts",
    "atomic_writer",
    "digest_of",
    "file_lock",
]

LOCK_TIMEOUT = 5.0


def digest_of(path: Path) -> str | None:
    """SHA-256 of the file's bytes, or ``None`` when there is no file. The file is hashed
    through a memory map, not read into a copy (a 45 MB map is checked before every save)."""
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size == 0:
                return hashlib.sha256(b"").hexdigest()
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
                return hashlib.sha256(view).hexdigest()
    except FileNotFoundError:
        return None


def _lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (through its sidecar lock file)."""
    lock = _lock_path(path)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise LockedError(
                        f"another process holds the lock {lock.name} (waited {timeout:.0f} s)",
                        path=str(path),
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(
    path: str | os.PathLike[str],
    *,
    expected_digest: str | None = None,
    must_not_exist: bool = False,
    force: bool = False,
) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` atomically, under its lock, when the block ends
    without an error; on an error nothing is written at ``path`` (the temporary file is
    removed). For writers that stream their output rather than hold it in memory.

    ``expected_digest`` is the digest of the version the caller loaded: if the file on disk
    differs, :class:`FileChangedError` is raised and nothing is written (unless ``force``).
    With ``must_not_exist`` an existing file is refused instead.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("the folder does not exist", path=str(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, 0o644 & ~_umask())
        with file_lock(target):
            current = digest_of(target)
            if not force:
                if must_not_exist and current is not None:
                    raise FileChangedError(
                        "already exists; choose another name or pass --force to overwrite it",
                        path=str(target),
                    )
                if not must_not_exist and current != expected_digest:
                    what = "was deleted" if current is None else "changed on disk"
                    raise FileChangedError(
                        f"{what} since it was loaded; the save was refused so that nobody's "
                        "edits are overwritten (reload it, or pass --force)",
                        path=str(target),
                    )
            os.replace(tmp, target)
            tmp = None
            _fsync_dir(folder)
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    expected_digest: str | None = None,
    must_not_exist: bool = False,
    force: bool = False,
) -> str:
    """Write ``data`` to ``path`` atomically under the lock (:func:`atomic_writer`); return
    the new digest."""
    return atomic_write_parts(
        path,
        [data],
        expected_digest=expected_digest,
        must_not_exist=must_not_exist,
        force=force,
    )


def atomic_write_parts(
    path: str | os.PathLike[str],
    parts: list[bytes],
    *,
    expected_digest: str | None = None,
    must_not_exist: bool = False,
    force: bool = False,
) -> str:
    """:func:`atomic_write` of the bytes ``b"".join(parts)``, written piece by piece (no copy
    of the whole); returns their digest."""
    digest = hashlib.sha256()
    with atomic_writer(
        path, expected_digest=expected_digest, must_not_exist=must_not_exist, force=force
    ) as fh:
        for part in parts:
            fh.write(part)
            digest.update(part)
    return digest.hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class MapFile:
    """A map and the file it lives in, with the digest of the version loaded from disk."""

    def __init__(self, path: str | os.PathLike[str], map: ConceptMap, digest: str | None) -> None:
        self.path = Path(path)
        self.map = map
        self.digest = digest

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MapFile:
        data = read_bytes(path)
        return cls(path, parse_map(data, path=os.fspath(path)), hashlib.sha256(data).hexdigest())

    @classmethod
    def create(
        cls, path: str | os.PathLike[str], map: ConceptMap, *, force: bool = False
    ) -> MapFile:
        """Write a new map file; refuse when the file exists (unless ``force``)."""
        mf = cls(path, map, None)
        mf.digest = atomic_write(mf.path, dump_map(map), must_not_exist=True, force=force)
        return mf

    def changed_on_disk(self) -> bool:
        return digest_of(self.path) != self.digest

    def save(self, *, force: bool = False) -> None:
        """Save the map safely; raises :class:`FileChangedError` if someone else saved first."""
        self.digest = atomic_write_parts(
            self.path, dump_map_parts(self.map), expected_digest=self.digest, force=force
        )

    def reload(self) -> None:
        """Load the version on disk, replacing the map in memory (its undo history is lost)."""
        fresh = MapFile.load(self.path)
        self.map, self.digest = fresh.map, fresh.digest
