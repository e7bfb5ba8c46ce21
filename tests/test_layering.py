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
