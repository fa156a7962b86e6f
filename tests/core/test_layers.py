"""The layers: the core and the kernels load without Qt (the CLI and the tests run headless)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_and_kernels_load_no_qt() -> None:
    code = ("import sys, graphapp.core.executor, graphapp.core.playback, graphapp.cli, kernels.losses; "
            "assert not any(m.split('.')[0] in ('PySide6', 'pyqtgraph') for m in sys.modules), 'Qt loaded'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
