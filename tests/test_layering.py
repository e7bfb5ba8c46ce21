"""The core knows nothing of the shells: `import conceptmap.api` loads no UI or drawing
library, and import-linter's contracts (pyproject.toml) hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys
import conceptmap.api
heavy = sorted(m for m in ("textual", "typer", "graphviz", "click", "rich") if m in sys.modules)
print(",".join(heavy))
"""


def test_importing_the_api_loads_no_ui_or_graphviz() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.strip()
    loaded = set(out.split(",")) - {""}
    assert not loaded & {"textual", "typer", "graphviz"}, loaded


def test_import_contracts_hold() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kept, 0 broken" in done.stdout


OPENING = """
import sys
from conceptmap import api
from conceptmap.tui.app import ConceptmapApp
m = api.load(sys.argv[1]).map
cache = api.analysis_cache()
a = api.analyse(m, cache=cache)
assert a.claims
print(",".join(sorted(n for n in ("networkx", "scipy", "graphviz") if n in sys.modules)))
"""


def test_opening_a_map_in_the_tui_and_analysing_it_loads_no_networkx() -> None:
    """Start-up: what the workshop TUI imports and runs before its first frame (load the map,
    analyse it) needs neither networkx (a tenth of a second to import), scipy nor graphviz;
    they load when a drawing, an export or a cycle of relations asks for them."""
    demo = ROOT / "src" / "conceptmap" / "data" / "maps" / "cafe-ordering.cmap.json"
    out = subprocess.run(
        [sys.executable, "-c", OPENING, str(demo)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", out
