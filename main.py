"""Backprop Studio. `python main.py` opens the window; subcommands work headless (see --help)."""
import os
import sys

if __name__ == "__main__":
    if sys.argv[1:2] in ([], ["train"], ["race"], ["plot"]):
        # One BLAS thread for training (the lab's commands, and the window's Train dock): on these matrices
        # threads cost more than they give (digits MLP epoch on this 2-core machine: 0.60 s with OpenBLAS's
        # threads, 0.07 s with one), and the GUI thread keeps a core. Set before numpy loads it.
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
    from kernels.memory import keep_freed_memory

    keep_freed_memory()  # freed arrays reused, not unmapped and faulted in again every training step
    try:
        from graphapp.cli import main  # numpy, networkx: a Ctrl+C can come while they load
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    sys.exit(main())
