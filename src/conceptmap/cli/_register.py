"""Import every command module so its commands register on the app (one line each).

The order here is the order of ``conceptmap --help``: the everyday loop first (make a map,
find its gaps, add evidence, show it), then working over time and together.
"""

from conceptmap.cli import maps  # noqa: F401  new, validate, show, schema, open
from conceptmap.cli import gaps  # noqa: F401
from conceptmap.cli import evidence  # noqa: F401
from conceptmap.cli import export  # noqa: F401  export, import
from conceptmap.cli import report  # noqa: F401
from conceptmap.cli import plan  # noqa: F401
from conceptmap.cli import history  # noqa: F401  diff, history, forecast
from conceptmap.cli import merge  # noqa: F401  merge, git-setup, resolve
from conceptmap.cli import serve  # noqa: F401
