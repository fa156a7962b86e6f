"""Numbers for the canvas and the inspector, by the core's one rule (graphapp.core.numbers).

Both write a matrix one "[a, b]" row per line (the canvas draws it with aligned columns, numtext.py);
on the canvas a vector of COLUMN_FROM or more elements stands as a column, so the XOR examples' batch
reads like the matrix form's rows and the graph stays narrow. Every element keeps its own significant
digits: −0.7195 is never cut to −0.7 to match its column.
"""
from __future__ import annotations

from typing import Any

from graphapp.core.numbers import COLUMN_FROM, MAX_ITEMS, MAX_ROWS, fmt_lines

MAX_COLS = MAX_ITEMS


def value_lines(value: Any) -> str:
    """The inspector's text: matrices one row per line."""
    return fmt_lines(value)


def canvas_text(value: Any) -> str:
    """The canvas's text: matrices one row per line, long vectors as a column."""
    return fmt_lines(value, column_from=COLUMN_FROM)


__all__ = ["COLUMN_FROM", "MAX_COLS", "MAX_ROWS", "canvas_text", "value_lines"]
