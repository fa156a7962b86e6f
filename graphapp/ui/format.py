"""Numbers for the canvas and the inspector, by the core's one rule (graphapp.core.numbers).

Both write a matrix one "[a, b]" row per line (the canvas draws it with aligned columns, numtext.py);
on the canvas a vector of COLUMN_FROM or more elements stands as a column, so the XOR examples' batch
reads like the matrix form's rows and the graph stays narrow. Every element keeps its own significant
digits: −0.7195 is never cut to −0.7 to match its column.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QSettings
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from graphapp.core import numbers
from graphapp.core.errors import BadValueError
from graphapp.core.numbers import COLUMN_FROM, MAX_ITEMS, MAX_ROWS, fmt_lines

MAX_COLS = MAX_ITEMS


def value_lines(value: Any) -> str:
    """The inspector's text: matrices one row per line."""
    return fmt_lines(value)


def canvas_text(value: Any) -> str:
    """The canvas's text: matrices one row per line, long vectors as a column."""
    return fmt_lines(value, column_from=COLUMN_FROM)


def digits_menu(parent: QWidget, settings: QSettings | None, on_change: Callable[[], None]) -> QMenu:
    """View → Digits: significant digits 2..6 for every number in the program, one checked at a time,
    remembered in `settings` under "digits" (a bad stored value falls back to the default).
    `on_change` redraws what shows numbers (canvas, narration, inspector) after a choice."""
    if settings is not None:
        try:
            numbers.set_digits(settings.value("digits", numbers.DEFAULT_DIGITS))
        except BadValueError:
            numbers.set_digits(numbers.DEFAULT_DIGITS)
    menu = QMenu(parent)
    group = QActionGroup(menu)

    def choose(n: int) -> None:
        numbers.set_digits(n)
        if settings is not None:
            settings.setValue("digits", n)
        on_change()

    for n in range(numbers.MIN_DIGITS, numbers.MAX_DIGITS + 1):
        action = menu.addAction(str(n))
        action.setCheckable(True)
        action.setChecked(n == numbers.get_digits())
        group.addAction(action)
        action.triggered.connect(lambda _checked=False, n=n: choose(n))
    return menu


__all__ = ["digits_menu", "COLUMN_FROM", "MAX_COLS", "MAX_ROWS", "canvas_text", "value_lines"]
