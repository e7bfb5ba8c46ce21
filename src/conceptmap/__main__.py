"""``python -m conceptmap`` works the same as ``conceptmap``."""

from conceptmap.cli import main

if __name__ == "__main__":
    main()
