"""The ``conceptmap`` command: thin Typer commands over :mod:`conceptmap.api`.

:func:`run` takes the arguments and returns the exit code (the tests call it);
:func:`main` is the console-script entry point. ``conceptmap MAP`` is shorthand for
``conceptmap open MAP``; ``conceptmap`` alone opens the demo map.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from conceptmap.errors import EXIT_INTERNAL, ConceptmapError

__all__ = ["main", "run"]


def _commands() -> set[str]:
    from conceptmap.cli._app import app

    names = set()
    for cmd in app.registered_commands:
        names.add(cmd.name or cmd.callback.__name__.replace("_", "-"))
    for grp in app.registered_groups:
        names.add(grp.name)
    return names


def run(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (without the program name); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    from conceptmap.cli import _register  # noqa: F401  (registers the commands)
    from conceptmap.cli._app import app, state

    first = next((a for a in argv if not a.startswith("-")), None)
    if (
        first is not None
        and first not in _commands()
        and (first.endswith(".cmap.json") or Path(first).is_file())
    ):
        argv.insert(argv.index(first), "open")
    state.debug = "--debug" in argv
    try:
        app(args=argv, prog_name="conceptmap", standalone_mode=True)
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except ConceptmapError as err:
        for line in err.lines():
            print(f"conceptmap: error: {line}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("conceptmap: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug: say so in one line, traceback only with --debug
        if state.debug:
            traceback.print_exc()
        print(
            f"conceptmap: internal error: {type(err).__name__}: {err} — this is a bug; please "
            "report it with the command you ran (rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return 0


def main() -> None:
    sys.exit(run())
