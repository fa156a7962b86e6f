"""Numbers for the canvas: scalars as the core formats them, matrices one row per line."""
from __future__ import annotations

from typing import Any

import numpy

from graphapp.core.values import fmt_value

MAX_ROWS = 6


def value_lines(value: Any) -> str:
    arr = numpy.asarray(value)
    if arr.ndim != 2:
        return fmt_value(arr)
    rows = [fmt_value(r) for r in arr[:MAX_ROWS]]
    if len(arr) > MAX_ROWS:
        rows.append("⋮")
    return "\n".join(rows)
