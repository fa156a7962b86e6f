"""Numerical against analytic gradients, in a table, with a mark where they disagree.

The check runs in the window's own thread in slices: core.gradcheck.iter_gradients pauses after every
nudged element, and a slice ends after SLICE seconds, the next one queued behind the window's events.
A lecture's example is done within the first slice, before run() returns; a large model fills the
table row by row, with Stop, and the window stays live throughout. The check works on its own copy
of the graph; an edit that changes results clears the table and ends the check (MainWindow calls clear).
"""
from __future__ import annotations

import time
from typing import Iterator

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from graphapp.core.errors import StudioError
from graphapp.core.gradcheck import MAX_CHECKED, GradRow, data_rows, iter_gradients
from graphapp.core.graph import Graph
from graphapp.core.values import fmt_value
from graphapp.ui.i18n import error_text, language, tr

FIRST_SLICE = 0.25  # seconds run at once when the check starts: every lecture example finishes here
SLICE = 0.05  # seconds a later slice runs before the window handles its events again
RED, GREY = "#d0021b", "#888888"


class GradCheckPanel(QWidget):
    def __init__(self, graph: Graph, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph = graph
        self.rows: list[GradRow] = []
        self._steps: Iterator[GradRow | None] | None = None
        self._nodes = 0  # input and parameter nodes the running check goes through
        self._rows_note = ""  # "on the first 16 of 1,797 rows", when the check runs on a template's data
        self._stopped = False
        lay = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.button, self.stop_button = QPushButton(), QPushButton()
        self.button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        buttons.addWidget(self.button, 1)
        buttons.addWidget(self.stop_button)
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
        lay.addLayout(buttons)
        for w in (self.help, self.table, self.summary):
            lay.addWidget(w)
        self.retranslate()

    @property
    def running(self) -> bool:
        return self._steps is not None

    def retranslate(self) -> None:
        self.button.setText(tr("gc_run"))
        self.button.setToolTip(tr("tip_gc_run"))
        self.stop_button.setText(tr("gc_stop"))
        self.stop_button.setToolTip(tr("tip_gc_stop"))
        self.help.setText(tr("gc_help"))
        self.table.setHorizontalHeaderLabels([tr("gc_node"), tr("gc_analytic").replace(" (", "\n("),
                                              tr("gc_numeric").replace(" (", "\n("), "✓"])
        for col, key in enumerate(("gc_node", "gc_analytic", "gc_numeric", "gc_ok")):
            self.table.horizontalHeaderItem(col).setToolTip(tr(key))
        self._fill()
        if self.rows or self.running:
            self._show_summary()

    def clear(self) -> None:
        """The graph changed: old results no longer apply, and a running check is on the old graph."""
        self._end()
        self.rows = []
        self.summary.setText("")
        self._fill()

    def run(self) -> None:
        self.clear()
        self._stopped = False
        self._nodes = sum(node.op in ("input", "param") for node in self.graph.nodes.values())
        rows = data_rows(self.graph)
        self._rows_note = "" if rows is None else tr("gc_rows", n=f"{rows[0]:,}", total=f"{rows[1]:,}")
        self._steps = iter_gradients(self.graph)
        self.button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._advance(FIRST_SLICE)

    def stop(self) -> None:
        if self.running:
            self._stopped = True
            self._end()
            self._show_summary()

    def _end(self) -> None:
        self._steps = None
        self.button.setEnabled(True)
        self.stop_button.setEnabled(False)

    def _advance(self, budget: float = SLICE) -> None:
        steps = self._steps
        if steps is None:  # stopped or cleared while this slice waited in the queue
            return
        start, added = time.perf_counter(), False
        try:
            while time.perf_counter() - start < budget:
                step = next(steps, StopIteration)
                if step is StopIteration:
                    self._end()
                    break
                if step is not None:
                    self.rows.append(step)
                    added = True
        except StudioError as exc:  # e.g. a graph without an output, or a value outside an op's domain
            self._end()
            self.rows = []
            self._fill()
            self.summary.setStyleSheet(f"color: {RED};")
            self.summary.setText(tr("error", msg=error_text(exc)))
            return
        if added:
            self._fill()
        self._show_summary()
        if self.running:
            QTimer.singleShot(0, self, self._advance)  # dropped if the panel is gone by then

    def _show_summary(self) -> None:
        checked = [r for r in self.rows if not r.index]
        bad = sum(not r.ok for r in checked)
        if self.running:
            head = tr("gc_running", done=len(self.rows), n=self._nodes)
        elif self._stopped:
            head = tr("gc_stopped", done=len(self.rows), n=self._nodes)
        else:
            head = tr("gc_all_ok", n=len(checked)) if bad == 0 else tr("gc_bad", bad=bad, n=len(checked))
        lines = [head]
        if any(r.where is not None for r in checked):
            lines.append(tr("gc_counted", checked=f"{sum(r.checked for r in checked):,}",
                            total=f"{sum(r.total for r in checked):,}", most=MAX_CHECKED))
        if self._rows_note:
            lines.append(self._rows_note)
        skipped = [self._name(r) for r in self.rows if r.index]
        if skipped:
            lines.append(tr("gc_skipped", names=", ".join(skipped)))
        kinks = sum(r.kinks for r in checked)
        if kinks:
            lines.append(tr("gc_kinks", n=kinks))
        self.summary.setStyleSheet("" if bad == 0 else f"color: {RED}; font-weight: bold;")
        self.summary.setText("\n".join(lines))

    def _name(self, row: GradRow) -> str:
        node = self.graph.nodes.get(row.node)
        return node.name(language()) if node else row.node

    def _cells(self, row: GradRow) -> list[tuple[str, str]]:
        """(text, tooltip) per column: 3 digits fit a narrow dock (the ✓ says whether they agree); the
        tooltip has 10."""
        name = self._name(row)
        if row.index:
            why = tr("gc_skipped", names=name)
            return [(f"{name}\n{tr('gc_index')}", why), ("—", why), ("—", why), ("—", why)]
        if row.where is not None:
            checked, total = f"{row.checked:,}", f"{row.total:,}"
            name_cell = (f"{name}\n{tr('gc_of', checked=checked, total=total)}",
                         f"{name}: {tr('gc_counted', checked=checked, total=total, most=MAX_CHECKED)}")
        else:
            name_cell = (name, name)
        mark = ("✓*", tr("gc_kinks", n=row.kinks)) if row.ok and row.kinks else ("✓", "✓") if row.ok else ("✗", "✗")
        return [name_cell, (fmt_value(row.analytic, 3), fmt_value(row.analytic, 10)),
                (fmt_value(row.numeric, 3), fmt_value(row.numeric, 10)), mark]

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            for j, (text, full) in enumerate(self._cells(row)):
                item = QTableWidgetItem(text)
                item.setToolTip(full)
                if row.index:
                    item.setForeground(QColor(GREY))
                elif not row.ok:
                    item.setForeground(QColor(RED))
                self.table.setItem(i, j, item)
        self.table.resizeRowsToContents()
