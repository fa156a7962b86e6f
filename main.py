"""Backprop Studio. `python main.py` opens the window; subcommands work headless (see --help)."""
import sys

if __name__ == "__main__":
    try:
        from graphapp.cli import main  # numpy, networkx: a Ctrl+C can come while they load
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    sys.exit(main())
