"""Numerical against analytic gradients, in a table, with a mark where they disagree."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from graphapp.core.errors import StudioError
from graphapp.core.gradcheck import GradRow, check_gradients
from graphapp.core.graph import Graph
from graphapp.core.values import fmt_value
from graphapp.ui.i18n import error_text, language, tr


class GradCheckPanel(QWidget):
    def __init__(self, graph: Graph, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph = graph
        self.rows: list[GradRow] = []
        lay = QVBoxLayout(self)
        self.button = QPushButton()
        self.button.clicked.connect(self.run)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # The four columns share the dock's width (narrow at 1280×720): numbers wrap and the headers take
        # two lines instead of running off to the right; a cell's tooltip holds its whole text.
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        for col, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(col, mode)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        for w in (self.button, self.help, self.table, self.summary):
            lay.addWidget(w)
        self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(tr("gc_run"))
        self.button.setToolTip(tr("tip_gc_run"))
        self.help.setText(tr("gc_help"))
        self.table.setHorizontalHeaderLabels([tr("gc_node"), tr("gc_analytic").replace(" (", "\n("),
                                              tr("gc_numeric").replace(" (", "\n("), "✓"])
        for col, key in enumerate(("gc_node", "gc_analytic", "gc_numeric", "gc_ok")):
            self.table.horizontalHeaderItem(col).setToolTip(tr(key))
        self._fill()

    def clear(self) -> None:
        """The graph changed: old results no longer apply."""
        self.rows = []
        self.summary.setText("")
        self._fill()

    def run(self) -> None:
        try:
            self.rows = check_gradients(self.graph)
        except StudioError as exc:
            self.rows = []
            self.summary.setStyleSheet("color: #d0021b;")
            self.summary.setText(tr("error", msg=error_text(exc)))
            self._fill()
            return
        bad = sum(not r.ok for r in self.rows)
        self.summary.setStyleSheet("" if bad == 0 else "color: #d0021b; font-weight: bold;")
        self.summary.setText(tr("gc_all_ok", n=len(self.rows)) if bad == 0 else tr("gc_bad", bad=bad, n=len(self.rows)))
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        lang = language()
        for i, row in enumerate(self.rows):
            node = self.graph.nodes.get(row.node)
            name = node.name(lang) if node else row.node
            # 3 digits fit a narrow dock (the ✓ says whether they agree); the tooltip has 10
            cells = [(name, name), (fmt_value(row.analytic, 3), fmt_value(row.analytic, 10)),
                     (fmt_value(row.numeric, 3), fmt_value(row.numeric, 10)), ("✓", "✓") if row.ok else ("✗", "✗")]
            for j, (text, full) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(full)
                if not row.ok:
                    item.setForeground(QColor("#d0021b"))
                self.table.setItem(i, j, item)
        self.table.resizeRowsToContents()
