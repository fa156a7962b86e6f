"""Where the lectures' lab CSVs stand, for every test that reads them: ../shared/datasets beside the
repository (as CI clones it), else the workplace's /work/shared (a git worktree kept elsewhere)."""
from __future__ import annotations

from pathlib import Path

import pytest

_BESIDE = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
LAB = next((p for p in (_BESIDE, Path("/work/shared/datasets")) if p.is_dir()), _BESIDE)
STOCK = LAB / "data-02-stock_daily.csv"
needs_lab = pytest.mark.skipif(not STOCK.is_file(), reason="the lab CSVs (shared/datasets) are not beside the repository")
