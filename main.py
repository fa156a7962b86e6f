"""Backprop Studio. `python main.py` opens the window; subcommands work headless (see --help)."""
import sys

from graphapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
