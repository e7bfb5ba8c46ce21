"""The safe save: atomic, locked, refuses to overwrite changes made on disk since loading."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conceptmap.cli import run
from conceptmap.errors import EXIT_ENVIRONMENT, FileChangedError, InputError, LockedError
from conceptmap.formats import MapFile, dump_map, storage
from conceptmap.formats.storage import atomic_write, file_lock
from conceptmap.model import ConceptMap

HOLD_LOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.readline()  # hold the lock until told to let go
"""


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


class LockHolder:
    """Another process holding the lock on ``path`` until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        lock = path.with_name(f".{path.name}.lock")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(lock)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline() == "locked\n"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=10)


@pytest.fixture
def held(small_map_file: Path):  # type: ignore[no-untyped-def]
    holder = LockHolder(small_map_file)
    yield holder
    holder.release()


def test_save_unchanged_is_byte_identical(small_map_file: Path) -> None:
    before = small_map_file.read_bytes()
    mf = MapFile.load(small_map_file)
    mf.save()
    assert small_map_file.read_bytes() == before
    assert leftovers(small_map_file.parent) == []


def test_save_then_reload_keeps_the_edit(small_map_file: Path, fixed_clock: object) -> None:
    mf = MapFile.load(small_map_file)
    mf.map.add_concept("card fees", id="c-card-00000010")
    mf.save()
    again = MapFile.load(small_map_file)
    assert again.map.concepts["c-card-00000010"].label == "card fees"
    assert again.digest == mf.digest
    mf.map.add_concept("rota", id="c-rota-00000011")
    mf.save()  # a second save from the same MapFile is not a conflict with itself
    assert "c-rota-00000011" in MapFile.load(small_map_file).map.concepts


def test_save_refuses_when_the_file_changed_on_disk(small_map_file: Path) -> None:
    mine = MapFile.load(small_map_file)
    theirs = MapFile.load(small_map_file)
    theirs.map.add_concept("their concept", id="c-theirs-00000001")
    theirs.save()
    on_disk = small_map_file.read_bytes()
    mine.map.add_concept("my concept", id="c-mine-00000001")
    with pytest.raises(FileChangedError, match="changed on disk") as info:
        mine.save()
    assert info.value.exit_code == EXIT_ENVIRONMENT == 3
    assert info.value.path == str(small_map_file)
    assert small_map_file.read_bytes() == on_disk  # nothing written, nothing half-written
    assert leftovers(small_map_file.parent) == []
    assert mine.changed_on_disk()
    # reload, re-apply, save: the way the TUI recovers
    mine.reload()
    mine.map.add_concept("my concept", id="c-mine-00000001")
    mine.save()
    final = MapFile.load(small_map_file).map.concepts
    assert {"c-theirs-00000001", "c-mine-00000001"} <= set(final)


def test_a_change_of_one_byte_that_keeps_the_size_is_seen(small_map_file: Path) -> None:
    """The check compares the bytes themselves, not the size or a date: one letter changed
    in place, after a save that left the file in pieces, is still a change on disk."""
    mf = MapFile.load(small_map_file)
    mf.map.add_concept("card fees", id="c-card-00000010")
    mf.save()
    assert not mf.changed_on_disk()
    data = bytearray(small_map_file.read_bytes())
    at = data.index(b"card fees")
    data[at] = ord("b")  # "bard fees": same size
    with open(small_map_file, "r+b") as fh:  # in place, as an editor that does not rename
        fh.write(bytes(data))
    assert mf.changed_on_disk()
    mf.map.add_concept("rota", id="c-rota-00000011")
    with pytest.raises(FileChangedError, match="changed on disk"):
        mf.save()
    assert small_map_file.read_bytes() == bytes(data)


def test_saves_of_a_map_in_big_pieces_are_not_taken_for_changes(tmp_path: Path) -> None:
    """A map whose saved pieces are longer than the window of the check (thousands of
    records): each save checks the file against the pieces the last one wrote."""
    m = ConceptMap.new("Big", id="m-big")
    with m.transaction("bulk"):
        for i in range(3000):
            m.add_concept(f"a concept with a long enough label, number {i}", id=f"c-{i:05d}")
    path = tmp_path / "big.cmap.json"
    mf = MapFile.create(path, m)
    for i in range(3):
        mf.map.add_concept(f"edit {i}", id=f"c-edit-{i}")
        mf.save()
        assert not mf.changed_on_disk()
        assert max(map(len, mf._on_disk)) > storage._WINDOW  # type: ignore[arg-type]
    assert path.read_bytes() == dump_map(mf.map)


def test_holds_compares_piece_by_piece(tmp_path: Path) -> None:
    f = tmp_path / "x.cmap.json"
    assert storage.holds(f, None)
    f.write_bytes(b"abcdef")
    assert not storage.holds(f, None)
    assert storage.holds(f, [b"ab", b"", b"cdef"])
    assert not storage.holds(f, [b"ab", b"cdeg"])
    assert not storage.holds(f, [b"abcdefg"])
    assert not storage.holds(f, [b"abcde"])
    f.write_bytes(b"")
    assert storage.holds(f, [])
    assert storage.holds(f, [b""])
    # a loaded file is one long piece, compared a window at a time: a change in any window
    big = bytes(range(256)) * 1000  # 256,000 bytes, several windows
    f.write_bytes(b"head" + big + b"tail")
    assert storage.holds(f, [b"head", big, b"tail"])
    assert storage.holds(f, [b"head" + big + b"tail"])
    for at in (0, storage._WINDOW - 1, storage._WINDOW, len(big) - 1):
        other = bytearray(big)
        other[at] ^= 1
        assert not storage.holds(f, [b"head", bytes(other), b"tail"]), at
    assert not storage.holds(f, [b"head", big, b"tall"])


def test_force_overwrites_a_changed_file(small_map_file: Path) -> None:
    mine = MapFile.load(small_map_file)
    small_map_file.write_bytes(small_map_file.read_bytes().replace(b"low fees", b"lower fees"))
    mine.save(force=True)
    assert small_map_file.read_bytes() == dump_map(mine.map)


def test_save_refuses_when_the_file_was_deleted(small_map_file: Path) -> None:
    mf = MapFile.load(small_map_file)
    small_map_file.unlink()
    with pytest.raises(FileChangedError, match="was deleted"):
        mf.save()
    assert not small_map_file.exists()
    assert leftovers(small_map_file.parent) == []


def test_create_refuses_an_existing_file(small_map_file: Path, small_map: ConceptMap) -> None:
    before = small_map_file.read_bytes()
    other = ConceptMap.new("other")
    with pytest.raises(FileChangedError, match="already exists"):
        MapFile.create(small_map_file, other)
    assert small_map_file.read_bytes() == before
    MapFile.create(small_map_file, other, force=True)
    assert b'"title": "other"' in small_map_file.read_bytes()


def test_write_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="folder does not exist"):
        atomic_write(tmp_path / "nope" / "x.cmap.json", b"{}")


def test_lock_held_by_another_process(small_map_file: Path, held: LockHolder) -> None:
    start = time.monotonic()
    with (
        pytest.raises(LockedError, match="holds the lock") as info,
        file_lock(small_map_file, timeout=0.3),
    ):
        pass
    assert 0.25 < time.monotonic() - start < 3
    assert info.value.exit_code == 3


def test_save_waits_for_the_lock_and_then_refuses(small_map_file: Path, held: LockHolder) -> None:
    """The full default wait (5 s): the save gives up with LockedError, the file untouched."""
    before = small_map_file.read_bytes()
    mf = MapFile.load(small_map_file)
    mf.map.add_concept("x", id="c-x-00000001")
    with pytest.raises(LockedError):
        mf.save()
    assert small_map_file.read_bytes() == before
    assert leftovers(small_map_file.parent) == []


def test_save_goes_through_once_the_lock_is_released(
    small_map_file: Path, held: LockHolder
) -> None:
    import threading

    mf = MapFile.load(small_map_file)
    mf.map.add_concept("x", id="c-x-00000001")
    threading.Timer(0.5, held.release).start()
    mf.save()
    assert "c-x-00000001" in MapFile.load(small_map_file).map.concepts


def conflicted_map(path: Path) -> None:
    """A map file holding one merge conflict, so `conceptmap resolve` has a save to make."""
    doc = json.loads(path.read_text())
    doc["conflicts"] = [
        {
            "id": "x-label-00000001",
            "collection": "concept",
            "record": "c-fees-00000003",
            "field": "label",
            "base": "low fees",
            "ours": "low fees",
            "theirs": "no fees",
        }
    ]
    path.write_text(json.dumps(doc, ensure_ascii=False))


def test_cli_save_refuses_with_exit_3_when_the_file_changed(small_map_file: Path) -> None:
    """A real `conceptmap resolve` process loads the map and waits on the lock we hold; we
    change the file meanwhile; once the lock is free its save must refuse (exit 3)."""
    conflicted_map(small_map_file)
    holder = LockHolder(small_map_file)
    exe = Path(sys.executable).with_name("conceptmap")
    proc = subprocess.Popen(
        [str(exe), "resolve", str(small_map_file), "all", "--take", "theirs"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not leftovers(small_map_file.parent) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        assert leftovers(small_map_file.parent), "the save never started"
        # someone else saves meanwhile (as another editor would, under the lock we hold)
        changed = small_map_file.read_text().replace("SMB café owners", "SMB café owners (UK)")
        small_map_file.write_text(changed)
    finally:
        holder.release()
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 3, err
    assert err.count("\n") == 1
    assert err.startswith(f"conceptmap: error: {small_map_file}: changed on disk")
    assert "--force" in err and "Traceback" not in err
    assert small_map_file.read_text() == changed
    assert leftovers(small_map_file.parent) == []


def test_cli_force_saves_over_a_changed_file(
    small_map_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conflicted_map(small_map_file)
    assert run(["resolve", str(small_map_file), "all", "--take", "theirs", "--force"]) == 0
    assert "no fees" in small_map_file.read_text()


def test_permissions_follow_the_umask(small_map_file: Path) -> None:
    MapFile.load(small_map_file).save(force=True)
    mode = os.stat(small_map_file).st_mode & 0o777
    assert mode & 0o600 == 0o600 and not mode & 0o022 & os.umask(os.umask(0))
