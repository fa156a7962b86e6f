"""New from expression / Insert expression: type `h1 = sigmoid(w11*x1 + w12*x2 + b1); …` and the
values, get the laid-out graph. An error is shown inline with the cursor on its column, and nothing
is applied until both fields are right."""
from __future__ import annotations

import re

import numpy
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget,
)

from graphapp.core.errors import ExpressionError, StudioError
from graphapp.core.expr import parse_expression
from graphapp.core.expr_syntax import parse, where
from graphapp.core.graph import Graph
from graphapp.core.values import parse_value_text
from graphapp.ui.i18n import tr

_ITEM = re.compile(r"\s*([^\W\d]\w*)\s*=\s*(.*?)\s*$", re.DOTALL)
_AT = re.compile(r"(?:line (\d+), )?column (\d+)")


def _items(text: str) -> list[tuple[int, str]]:
    """(start, item) pieces of `text` split at ',', ';' and new lines outside brackets ([1, 2] is one value)."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(text + "\n"):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch in ",;\n" and depth <= 0:
            if text[start:i].strip():
                items.append((start, text[start:i]))
            start, depth = i + 1, 0
    return items


def parse_values(text: str) -> dict[str, numpy.ndarray]:
    """`x1=0, x2=1, W=[[1, 2], [3, 4]]` or one `name = value` per line; ExpressionError names the column."""
    values: dict[str, numpy.ndarray] = {}
    for start, item in _items(text):
        pos = start + len(item) - len(item.lstrip())
        m = _ITEM.match(item)
        if not m:
            raise ExpressionError(f"values, {where(text, pos)}: expected NAME = VALUE, got {item.strip()!r}")
        name = m.group(1)
        if name in values:
            raise ExpressionError(f"values, {where(text, pos)}: '{name}' is given twice")
        try:
            values[name] = parse_value_text(m.group(2), f"values, {where(text, start + m.start(2))}: {name}")
        except StudioError as exc:
            raise ExpressionError(str(exc)) from None
    return values


def build(expression: str, values_text: str) -> Graph:
    """The graph of an expression with its values; every name's value given, no value left unused."""
    values = parse_values(values_text)
    _, names = parse(expression)
    for name in values:
        if name not in names:
            pos = re.search(rf"\b{re.escape(name)}\s*=", values_text)
            at = where(values_text, pos.start()) if pos else "values"
            raise ExpressionError(f"values, {at}: '{name}' does not occur in the expression")
    return parse_expression(expression, values)


def error_pos(text: str, message: str) -> int | None:
    """The index into `text` of the line and column a message names, if any."""
    m = _AT.search(message)
    if not m:
        return None
    line, column = int(m.group(1) or 1), int(m.group(2))
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return min(starts[min(line, len(starts)) - 1] + column - 1, len(text))


class ExpressionDialog(QDialog):
    accepted_graph = Signal(object)  # Graph

    def __init__(self, parent: QWidget | None, replace: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("new_expr" if replace else "insert_expr").replace("&", "").rstrip("…"))
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        lay = QVBoxLayout(self)
        self.expr_label = QLabel(tr("expr_label"))
        self.expr = QPlainTextEdit()
        self.expr.setObjectName("expression")
        self.values_label = QLabel(tr("expr_values"))
        self.values = QPlainTextEdit()
        self.values.setObjectName("values")
        for edit, tip in ((self.expr, "expr_hint"), (self.values, "values_hint")):
            edit.setFont(mono)
            edit.setPlaceholderText(tr(tip))
            edit.setToolTip(tr(tip))
            edit.setTabChangesFocus(True)
        self.error = QLabel()
        self.error.setObjectName("expr_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d0021b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setToolTip(tr("tip_expr_ok"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setToolTip(tr("tip_cancel"))
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        for w in (self.expr_label, self.expr, self.values_label, self.values, self.error, self.buttons):
            lay.addWidget(w)
        self.resize(640, 420)

    def try_accept(self) -> Graph | None:
        """Build the graph; on an error show it, put the cursor on its column, and stay open."""
        expression, values = self.expr.toPlainText(), self.values.toPlainText()
        try:
            graph = build(expression, values)
        except StudioError as exc:
            message = str(exc)
            self.error.setText(message)
            field, text = (self.values, values) if message.startswith("values") else (self.expr, expression)
            self._mark(field, error_pos(text, message))
            return None
        self.error.clear()
        self.accepted_graph.emit(graph)
        self.accept()
        return graph

    @staticmethod
    def _mark(field: QPlainTextEdit, pos: int | None) -> None:
        field.setFocus()
        if pos is None:
            return
        cursor = field.textCursor()
        cursor.setPosition(pos)
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
        field.setTextCursor(cursor)
