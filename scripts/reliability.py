"""Reliability drills for the safe save: crash safety and concurrent editors.

    python scripts/reliability.py crash --saves 200 [--concepts 5000]
    python scripts/reliability.py race --rounds 100
    python scripts/reliability.py hostile-xml

``crash`` starts a writer process that keeps editing and saving a large map, kills it with
SIGKILL at random moments, and checks after every kill that the file on disk is a complete,
valid version — the last one saved, or the one being saved — never corrupt, never empty. It
restarts the writer from the file until the given number of saves completed.

``race`` starts two editor processes together; in every round each adds one concept and saves at
the same moment. The loser of each race gets FileChangedError, reloads, re-applies its edit and
saves again, as the TUI does. At the end every one of the 2 × rounds concepts must be in the map.

Both print one line of figures and exit 0 on success, 1 on a violation.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conceptmap.errors import FileChangedError
from conceptmap.formats import MapFile, dump_map, read_map
from conceptmap.model import ConceptMap


def _big_map(n: int) -> ConceptMap:
    m = ConceptMap.new("Reliability drill", focus_question="Does every save survive?")
    ids = [m.add_concept(f"concept {i}", id=f"c-{i:08x}").id for i in range(n)]
    for i in range(1, n):
        m.add_proposition(ids[(i - 1) // 3], None, ids[i])
    return m


def writer(path: Path) -> None:
    """Edit and save forever, announcing each save's digest before and after."""
    mf = MapFile.load(path)
    out = sys.stdout
    i = 0
    while True:
        i += 1
        mf.map.add_concept(f"edit {os.getpid()}-{i}")
        data = dump_map(mf.map)
        out.write(f"about {hashlib.sha256(data).hexdigest()}\n")
        out.flush()
        mf.save()
        out.write(f"saved {mf.digest}\n")
        out.flush()


def tui_writer(path: Path) -> None:
    """The real TUI, driven by its Pilot: add concepts one after another through the form."""
    import asyncio

    from conceptmap.tui.app import ConceptmapApp

    async def run() -> None:
        app = ConceptmapApp(path, watch_seconds=0)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            print("ready", flush=True)
            i = 0
            while True:
                i += 1
                before = app.session.file.digest
                await pilot.press("a")
                await pilot.pause()
                app.focused.insert_text_at_cursor(f"tui edit {os.getpid()}-{i}")  # type: ignore[union-attr]
                await pilot.press("enter")
                while app.session.file.digest == before:
                    await pilot.pause(0.001)
                print(f"saved {len(app.session.map.concepts)}", flush=True)

    asyncio.run(run())


def crash_tui(saves: int, concepts: int, seed: int) -> int:
    """SIGKILL the TUI at random moments while it saves edits made through its forms."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "drill.cmap.json"
        path.write_bytes(dump_map(_big_map(concepts)))
        done, kills = 0, 0
        count = len(read_map(path).concepts)
        while done < saves:
            proc = subprocess.Popen(
                [sys.executable, __file__, "tui-writer", str(path)],
                stdout=subprocess.PIPE,
                text=True,
            )
            time.sleep(rng.uniform(0.8, 2.5))
            proc.send_signal(signal.SIGKILL)
            out, _ = proc.communicate()
            kills += 1
            counts = [int(ln.split()[1]) for ln in out.splitlines() if ln.startswith("saved ")]
            done += len(counts)
            last = counts[-1] if counts else count
            now = len(read_map(path).concepts)  # raises if the file is not a complete map
            if now not in (last, last + 1):
                print(
                    f"FAIL: after kill {kills} the file has {now} concepts, expected {last} or {last + 1}"
                )
                return 1
            count = now
        print(
            f"crash (TUI autosave): {done} saves through the TUI's forms, {kills} SIGKILLs: "
            "the file was always a complete version (old or new)"
        )
        return 0


def crash(saves: int, concepts: int, seed: int) -> int:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "drill.cmap.json"
        path.write_bytes(dump_map(_big_map(concepts)))
        done, kills, checks = 0, 0, 0
        while done < saves:
            before = hashlib.sha256(path.read_bytes()).hexdigest()
            proc = subprocess.Popen(
                [sys.executable, __file__, "writer", str(path)],
                stdout=subprocess.PIPE,
                text=True,
            )
            time.sleep(rng.uniform(0.05, 0.6))
            proc.send_signal(signal.SIGKILL)
            out, _ = proc.communicate()
            kills += 1
            lines = out.splitlines()
            saved = [ln.split()[1] for ln in lines if ln.startswith("saved ")]
            about = [ln.split()[1] for ln in lines if ln.startswith("about ")]
            done += len(saved)
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            # the version being saved when the kill came, or the last one saved (this round's,
            # or the previous round's when this writer saved nothing)
            allowed = set(about[-1:]) | (set(saved[-1:]) if saved else {before})
            if not data:
                print(f"FAIL: empty file after kill {kills}")
                return 1
            read_map(path)  # raises if the file is not a complete valid map
            checks += 1
            if digest not in allowed:
                print(
                    f"FAIL: after kill {kills} the file is neither the last saved nor the new version"
                )
                return 1
        print(
            f"crash: {done} saves, {kills} SIGKILLs at random moments, {checks} checks: "
            "the file was always a complete version (old or new)"
        )
        return 0


def racer(path: Path, name: str, rounds: int, start: float) -> None:
    """One editor of the race: each round add a concept and save at the same moment."""
    mf = MapFile.load(path)
    refused = 0
    for r in range(rounds):
        # both racers wake at the same instants, so their saves overlap
        target = start + r * 0.05
        delay = target - time.time()
        if delay > 0:
            time.sleep(delay)
        label = f"{name} round {r}"
        mf.map.add_concept(label)
        while True:
            try:
                mf.save()
                break
            except FileChangedError:
                refused += 1
                mf.reload()  # the other editor saved first: take theirs, re-apply ours
                mf.map.add_concept(label)
    print(f"refused {refused}")


def race(rounds: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "race.cmap.json"
        path.write_bytes(dump_map(_big_map(200)))
        start = time.time() + 1.0
        procs = [
            subprocess.Popen(
                [sys.executable, __file__, "racer", str(path), name, str(rounds), repr(start)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for name in ("ana", "ben")
        ]
        refused = 0
        for p in procs:
            out, _ = p.communicate()
            if p.returncode != 0:
                print(f"FAIL: a racer exited {p.returncode}")
                return 1
            refused += int(out.split()[-1])
        m = read_map(path)
        labels = {c.label for c in m.concepts.values()}
        expected = {f"{n} round {r}" for n in ("ana", "ben") for r in range(rounds)}
        lost = expected - labels
        print(
            f"race: 2 editors x {rounds} rounds, {refused} saves refused and re-applied, "
            f"{len(lost)} edits lost"
        )
        return 1 if lost else 0


HOSTILE_XML = {
    "billion laughs": (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + ']><cmap xmlns="http://cmap.ihmc.us/xml/cmap/"><map><concept-list>'
        '<concept id="a" label="&lol9;"/></concept-list></map></cmap>'
    ),
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        '<cmap xmlns="http://cmap.ihmc.us/xml/cmap/"><map><concept-list>'
        '<concept id="a" label="&ext;"/></concept-list></map></cmap>'
    ),
    "quadratic blow-up": (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "' + "x" * 50_000 + '">]>'
        '<cmap xmlns="http://cmap.ihmc.us/xml/cmap/"><map><concept-list><concept id="a" label="'
        + "&a;" * 20_000
        + '"/></concept-list></map></cmap>'
    ),
    "deep nesting (100,000 levels)": (
        '<?xml version="1.0"?><cmap xmlns="http://cmap.ihmc.us/xml/cmap/"><map>'
        + "<a>" * 100_000
        + "</a>" * 100_000
        + "</map></cmap>"
    ),
}


def hostile_xml() -> int:
    """Import each hostile file in a fresh process; report time, peak memory and the message."""
    import resource

    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in HOSTILE_XML.items():
            src = Path(tmp) / "hostile.cxl"
            src.write_text(text)
            out = Path(tmp) / "out.cmap.json"
            t0 = time.perf_counter()
            res = subprocess.run(
                [sys.executable, "-m", "conceptmap", "import", str(src), "-o", str(out)],
                capture_output=True,
                text=True,
            )
            elapsed = time.perf_counter() - t0
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            line = res.stderr.strip().splitlines()[-1] if res.stderr.strip() else ""
            ok = res.returncode == 2 and not out.exists() and line.startswith("conceptmap: error:")
            failed += not ok
            print(
                f"{name}: exit {res.returncode} in {elapsed:.2f} s, peak RSS so far {peak:.0f} MB: {line[:110]}"
            )
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("crash")
    c.add_argument("--saves", type=int, default=200)
    c.add_argument("--concepts", type=int, default=5000)
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--tui", action="store_true", help="drive the real TUI instead of the library")
    r = sub.add_parser("race")
    r.add_argument("--rounds", type=int, default=100)
    sub.add_parser("hostile-xml")
    tw = sub.add_parser("tui-writer")
    tw.add_argument("path", type=Path)
    w = sub.add_parser("writer")
    w.add_argument("path", type=Path)
    x = sub.add_parser("racer")
    x.add_argument("path", type=Path)
    x.add_argument("name")
    x.add_argument("rounds", type=int)
    x.add_argument("start", type=float)
    a = ap.parse_args()
    if a.cmd == "crash":
        return (crash_tui if a.tui else crash)(a.saves, a.concepts, a.seed)
    if a.cmd == "tui-writer":
        tui_writer(a.path)
        return 0
    if a.cmd == "race":
        return race(a.rounds)
    if a.cmd == "hostile-xml":
        return hostile_xml()
    if a.cmd == "writer":
        writer(a.path)
        return 0
    racer(a.path, a.name, a.rounds, a.start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
