"""The errors conceptmap raises on purpose.

Every error a user can cause is a :class:`ConceptmapError`. Each one knows the file it is
about, the place in that file (``line:col``, a record id and field, a CSV row) and a one-line
message, and maps to the exit code of the conventions in ``architecture.md``:

* 2 (:data:`EXIT_INPUT`): bad input or usage,
* 3 (:data:`EXIT_ENVIRONMENT`): the environment said no (no ``dot``, file changed on disk, lock).

Anything else that escapes is a bug, reported by the CLI with exit code 70. Nothing here
imports another conceptmap module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike, fspath

__all__ = [
    "EXIT_ENVIRONMENT",
    "EXIT_FOUND",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "ConceptmapError",
    "ConfigError",
    "EnvironmentProblem",
    "FileChangedError",
    "GraphvizMissingError",
    "InputError",
    "LockedError",
    "MapFormatError",
    "Problem",
    "UsageError",
]

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_INPUT = 2
EXIT_ENVIRONMENT = 3
EXIT_INTERNAL = 70


# Control characters, bidi overrides and lone surrogates would break the one-line rule or
# reorder what a terminal shows; error lines show them as escapes instead.
_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(
        lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text
    )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, at one place.

    ``place`` is free text naming where: ``"12:5"`` (line:col), ``"concept c-foo-1a2b3c4d,
    field label"``, ``"row 7"``. It is empty when the problem is about the whole file.
    """

    message: str
    place: str = ""

    def format(self, path: str | None) -> str:
        head = ":".join(_printable(p) for p in (path or "", self.place) if p)
        message = _printable(self.message)
        return f"{head}: {message}" if head else message


class ConceptmapError(Exception):
    """An error caused by input or environment, reported as one line per problem.

    ``path`` names the file (or is ``None``); ``problems`` holds one or more
    :class:`Problem`. ``str(error)`` is the first line; :meth:`lines` gives them all.
    """

    exit_code = EXIT_INPUT

    def __init__(
        self,
        message: str | None = None,
        *,
        path: str | PathLike[str] | None = None,
        place: str = "",
        problems: Sequence[Problem] | None = None,
    ) -> None:
        self.path = fspath(path) if path is not None else None
        if problems:
            self.problems: tuple[Problem, ...] = tuple(problems)
        else:
            self.problems = (Problem(message or self.__class__.__name__, place),)
        super().__init__(self.lines()[0])

    @property
    def message(self) -> str:
        return self.problems[0].message

    @property
    def place(self) -> str:
        return self.problems[0].place

    def lines(self) -> list[str]:
        """One line per problem: ``path:place: message``."""
        return [p.format(self.path) for p in self.problems]

    def with_path(self, path: str | PathLike[str]) -> ConceptmapError:
        """Return the same error naming ``path`` (used when a parser did not know the file)."""
        new = self.__class__.__new__(self.__class__)
        ConceptmapError.__init__(new, path=path, problems=self.problems)
        return new

    @classmethod
    def collect(
        cls, problems: Iterable[Problem], *, path: str | PathLike[str] | None = None
    ) -> ConceptmapError | None:
        """An error holding ``problems``, or ``None`` when there are none."""
        found = list(problems)
        return cls(path=path, problems=found) if found else None


class InputError(ConceptmapError):
    """Bad input: a file, record, CSV row or value that cannot be taken (exit code 2)."""


class MapFormatError(InputError):
    """A map file that is not valid JSON, breaks the schema, or refers to what is not there."""


class ConfigError(InputError):
    """A ``conceptmap.toml`` or option with an unknown key or a value out of range."""


class UsageError(InputError):
    """The command was called in a way that cannot work (exit code 2)."""


class EnvironmentProblem(ConceptmapError):
    """The environment said no (exit code 3)."""

    exit_code = EXIT_ENVIRONMENT


class FileChangedError(EnvironmentProblem):
    """The file on disk changed since the map was loaded; the save was refused."""


class LockedError(EnvironmentProblem):
    """Another process holds the lock on the map file."""


class GraphvizMissingError(EnvironmentProblem):
    """The Graphviz ``dot`` program is not installed."""
