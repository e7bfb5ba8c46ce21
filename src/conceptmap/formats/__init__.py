"""File formats: one module per format, each with parse/dump/read/write verbs.

``native`` is the ``*.cmap.json`` format; ``storage`` holds the safe, locked, atomic save
every writer uses.
"""

from conceptmap.formats.native import MAP_SUFFIX, dump_map, json_schema, parse_map, read_map
from conceptmap.formats.storage import MapFile, atomic_write

__all__ = [
    "MAP_SUFFIX",
    "MapFile",
    "atomic_write",
    "dump_map",
    "json_schema",
    "parse_map",
    "read_map",
]
