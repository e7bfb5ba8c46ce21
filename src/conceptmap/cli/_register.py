"""Import every command module so its commands register on the app (one line each)."""

from conceptmap.cli import maps  # noqa: F401
from conceptmap.cli import merge  # noqa: F401
from conceptmap.cli import history  # noqa: F401
from conceptmap.cli import plan  # noqa: F401
from conceptmap.cli import serve  # noqa: F401
from conceptmap.cli import gaps  # noqa: F401
from conceptmap.cli import export  # noqa: F401
from conceptmap.cli import evidence  # noqa: F401
from conceptmap.cli import report  # noqa: F401
