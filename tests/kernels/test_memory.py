"""kernels.memory: glibc keeps freed blocks for reuse (a subprocess, so the test suite's own heap is untouched)."""
from __future__ import annotations

import subprocess
import sys


def test_keep_freed_memory_tunes_glibc_and_numpy_still_computes() -> None:
    code = ("from kernels.memory import keep_freed_memory; import numpy as np; ok = keep_freed_memory(); "
            "a = np.ones((2000, 300), dtype=np.float32); print(ok, float((a @ a.T).sum()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    ok, total = out.stdout.split()
    assert ok == ("True" if sys.platform.startswith("linux") else "False")
    assert float(total) == 2000 * 2000 * 300
