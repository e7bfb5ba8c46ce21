"""How fast the workshop TUI answers, driven headlessly (Textual's Pilot).

    .venv/bin/python bench/bench_tui.py              # 5 start-ups, 15 evidence edits
    .venv/bin/python bench/bench_tui.py --runs 9

* start-up: from starting a fresh ``python`` process to the first frame with the gap panel
  filled, on the demo map (the process prints a line at that moment; the clock is outside);
* keypress → refresh: on a 1,000-concept map (bench_model.generate), from pressing Enter in the
  filled-in evidence form to the gap panel showing the new analysis (edit, safe save,
  analysis, redraw of every panel).

Targets (issue 5): start-up under 1 s; keypress → refreshed gap panel under 150 ms. Exits 1
when a median misses its target.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_model import generate

from conceptmap import api

TARGETS = {"startup": 1.0, "keypress": 0.150}

CHILD = """
import asyncio, sys
from conceptmap.tui.app import ConceptmapApp
from conceptmap.tui.widgets.panels import GapPanel

async def main():
    app = ConceptmapApp(sys.argv[1], watch_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.screen.query(GapPanel) or app.screen.query_one(GapPanel).option_count == 0:
            await pilot.pause(0.005)
        await pilot.pause()  # the frame with the panel drawn
        print("READY", flush=True)

asyncio.run(main())
"""


def startup(path: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    t1 = time.perf_counter()
    proc.wait()
    if line.strip() != "READY":
        raise SystemExit(f"the app did not start: {line!r}")
    return t1 - t0


async def keypresses(path: Path, runs: int) -> list[float]:
    from conceptmap.tui.app import ConceptmapApp
    from conceptmap.tui.widgets.panels import GapPanel

    app = ConceptmapApp(path, watch_seconds=0)
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        claims = sorted(app.session.map.propositions)
        for i in range(runs):
            app.jump_to(claims[(i * 37) % len(claims)])
            await pilot.press("e", "tab")
            app.focused.insert_text_at_cursor("interview")  # type: ignore[union-attr]
            await pilot.press("tab")
            app.focused.insert_text_at_cursor(f"person {i}")  # type: ignore[union-attr]
            await pilot.pause()
            before = app.session.analysis
            t0 = time.perf_counter()
            await pilot.press("enter")
            while app.session.analysis is before:
                await pilot.pause(0.001)
            gaps = app.screen.query_one(GapPanel)
            assert gaps.option_count > 0
            times.append(time.perf_counter() - t0)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="start-ups to time (edits: 3x as many)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        demo = api.copy_demo(tmp)
        starts = [startup(demo) for _ in range(args.runs)]
        big = Path(tmp) / "big.cmap.json"
        big.write_bytes(generate(1000))
        presses = asyncio.run(keypresses(big, args.runs * 3))
    results = {"startup": statistics.median(starts), "keypress": statistics.median(presses)}
    print(
        f"start-up to a filled gap panel (demo map): median {results['startup'] * 1000:.0f} ms "
        f"over {len(starts)} runs (target {TARGETS['startup'] * 1000:.0f} ms)"
    )
    print(
        f"evidence keypress to refreshed gap panel (1,000 concepts): median "
        f"{results['keypress'] * 1000:.0f} ms over {len(presses)} edits, "
        f"max {max(presses) * 1000:.0f} ms (target {TARGETS['keypress'] * 1000:.0f} ms)"
    )
    return 0 if all(results[k] <= TARGETS[k] for k in TARGETS) else 1


if __name__ == "__main__":
    sys.exit(main())
