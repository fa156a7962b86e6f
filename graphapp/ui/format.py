"""Numbers for the canvas and the inspector: scalars as the core formats them, matrices one row per line.

The inspector shows arrays at the core's precision (`value_lines`). The canvas shows them shorter
(`canvas_text`): every element of an array gets the same number of decimals, chosen so that its largest
element keeps 3 significant digits, so a 4×2 matrix stays narrow enough to read from the back row and its
columns line up; a vector of 4 or more elements stands as a column (the batch of the XOR examples reads
like the matrix form's rows, and the graph gets narrower). Scalars keep the core's format on both (the
lectures' 0.8176, 1.1, 220).
"""
from __future__ import annotations

import math
from typing import Any

import numpy

from graphapp.core.values import fmt_number, fmt_value

MAX_ROWS = 6
MAX_COLS = 6
CANVAS_DIGITS = 3  # significant digits of an array's largest element on the canvas
COLUMN_FROM = 4  # a vector this long stands as a column, like the matrix form's batch rows
MAX_DECIMALS = 3  # 0.0275 -> 0.028: the inspector has the full number


def value_lines(value: Any) -> str:
    arr = numpy.asarray(value)
    if arr.ndim != 2:
        return fmt_value(arr)
    rows = [fmt_value(r) for r in arr[:MAX_ROWS]]
    if len(arr) > MAX_ROWS:
        rows.append("⋮")
    return "\n".join(rows)


def _decimals(arr: numpy.ndarray) -> int | None:
    """Decimals that give the largest |element| CANVAS_DIGITS significant digits; None: use exponents."""
    finite = arr[numpy.isfinite(arr)]
    big = float(numpy.abs(finite).max()) if finite.size else 0.0
    if big == 0.0:
        return 0
    if big < 10.0 ** -MAX_DECIMALS or big >= 1e6:
        return None
    return max(0, min(MAX_DECIMALS, CANVAS_DIGITS - 1 - math.floor(math.log10(big))))


def fmt_cell(x: float, decimals: int | None) -> str:
    """One element at a shared number of decimals, trailing zeros dropped (5, −7, 0.95); an element that
    is not zero but rounds to it keeps its zeros (0.000) so it does not read as an exact zero."""
    if not math.isfinite(x) or (decimals is None and x == 0):
        return fmt_number(x, CANVAS_DIGITS)
    if decimals is None:  # 1.2e−5: the mantissa without trailing zeros
        mantissa, _, exponent = f"{x:.{CANVAS_DIGITS - 1}e}".partition("e")
        mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
        return f"{mantissa}e{int(exponent)}".replace("-", "−")
    if x == 0:
        return "0"
    text = f"{abs(x):.{decimals}f}"
    if float(text) == 0.0:
        return text  # 0.000: tiny, not zero
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("−" if x < 0 else "") + text


def _row(values: numpy.ndarray, decimals: int | None) -> str:
    items = [fmt_cell(float(v), decimals) for v in values[:MAX_COLS]]
    if len(values) > MAX_COLS:
        items.append("…")
    return "[" + ", ".join(items) + "]"


def canvas_text(value: Any) -> str:
    """What the canvas writes for a value: scalars as the core does, arrays compact (see the module)."""
    arr = numpy.asarray(value, dtype=float)
    if arr.ndim == 0:
        return fmt_value(arr)
    if arr.ndim > 2 or arr.size == 0:
        return fmt_value(arr)
    decimals = _decimals(arr)
    if arr.ndim == 1 and len(arr) < COLUMN_FROM:
        return _row(arr, decimals)
    if arr.ndim == 1:  # one element per line: a long row of numbers would widen the gap between columns
        arr = arr.reshape(-1, 1)
    rows = [_row(r, decimals) for r in arr[:MAX_ROWS]]
    if len(arr) > MAX_ROWS:
        rows.append("⋮")
    return "\n".join(rows)
