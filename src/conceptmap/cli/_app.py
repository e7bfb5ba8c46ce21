"""The Typer application and what every command shares: streams, colour, errors, formats.

Stdout is data, stderr is talk. Colour only on a terminal without ``NO_COLOR``. Errors are
raised as :class:`~conceptmap.errors.ConceptmapError` and turned into one line and an exit
code by :func:`conceptmap.cli.run`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from enum import StrEnum
from typing import Any

import typer

from conceptmap import __version__
from conceptmap.errors import UsageError

__all__ = [
    "OutputFormat",
    "TableFormat",
    "app",
    "colour_ok",
    "emit_json",
    "parse_date",
    "say",
    "state",
]

HELP = """\
conceptmap: draw what your team believes about its customers as a concept map, attach the
evidence behind each belief, and find the beliefs nobody has checked.

A map is a *.cmap.json file: concepts joined by linking phrases into propositions
("SMB café owners — value → fast delivery"), under a focus question. Start with

\b
  conceptmap new customers.cmap.json --title "Café owners" --focus "What do café owners need?"
  conceptmap show customers.cmap.json

\b
Exit codes: 0 done · 1 found what you asked to fail on · 2 bad input or usage
            3 the environment said no (file changed on disk, lock held, no Graphviz)
            70 an internal error (a bug)
"""

app = typer.Typer(
    name="conceptmap",
    help=HELP,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _State:
    debug = False


state = _State()


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class TableFormat(StrEnum):
    """For results a person reads as a table, a Markdown page, or a program reads as JSON."""

    table = "table"
    md = "md"
    json = "json"


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str | None, option: str = "--as-of") -> dt.date | None:
    """A ``YYYY-MM-DD`` option value as a date (``None`` stays ``None``); anything else is a
    usage error naming the option."""
    if value is None:
        return None
    try:
        if not _DATE.match(value.strip()):
            raise ValueError
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{option} {value!r}: give a date as YYYY-MM-DD, e.g. 2026-11-23"
        ) from None


def colour_ok(stream: Any = None) -> bool:
    """Colour only for a terminal, and never with ``NO_COLOR`` set."""
    stream = stream or sys.stdout
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def say(message: str) -> None:
    """Talk to the user (stderr), never mixed into the data on stdout."""
    print(message, file=sys.stderr)


def emit_json(data: Any) -> None:
    """Data as JSON on stdout: stable key order as built, UTF-8, final newline."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _version(value: bool) -> None:
    if value:
        print(f"conceptmap {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _main(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of internal errors."),
) -> None:
    state.debug = debug
    if ctx.invoked_subcommand is None:
        from conceptmap.cli.maps import open_map

        ctx.invoke(open_map, path=None)
