"""conceptmap: model what a team believes about its customers, and find what it does not know yet.

The public library surface lives in :mod:`conceptmap.api`; the command line in
:mod:`conceptmap.cli` and the terminal UI in :mod:`conceptmap.tui` are thin shells over it.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
