"""The Train dock: data, model (the open graph or a template), optimizer and its settings, batch size,
run length and seed; Start / Stop / Step; live loss and accuracy curves, exported as PNG and CSV.

A run lives on a TrainThread. The graph is never touched from there (the trainer trains private copies);
when a run pauses or ends, its parameter values are written into the graph as one undoable command, so
the canvas redraws them from the model's notifications and Ctrl+Z brings the old values back. Start
continues a paused run while the graph and the settings are as the run left them; otherwise it begins
a new run from the graph's current values. A template is opened as a new document, like an example
(the open graph is asked about first, as Open does), and the model field then says "the current graph".
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Callable

import numpy
from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication, QBoxLayout, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from graphapp.core.errors import StudioError
from graphapp.core.graph import Graph
from graphapp.core.numbers import fmt_number
from graphapp.core.train.data import Prepared
from graphapp.core.train.sequences import Windowing
from graphapp.core.train.templates import build_template
from graphapp.core.train.templates_rnn import OWN_DATA, SEQUENCE_DATA, windowing_of
from graphapp.core.train.trainer import Trainer
from graphapp.ui.commands import SetValue, apply
from graphapp.ui.docks.reflow import TallScroll
from graphapp.ui.docks.train_form import TrainForm
from graphapp.ui.docks.train_options import CURRENT, DataChoice
from graphapp.ui.docks.train_worker import TrainThread
from graphapp.ui.i18n import error_text, language, tr
from graphapp.ui.plots.curves import Curves
from kernels.backend import to_numpy

ERROR_STYLE = "color: #d0021b;"


@dataclass
class Session:
    """A run that can be continued: its trainer, the options it was made with, and the graph revision
    its values correspond to (any other edit, an undo included, makes the next Start a new run)."""

    trainer: Trainer
    key: tuple
    revision: int


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


class TrainPanel(QWidget):
    def __init__(self, graph: Graph, undo_stack: QUndoStack, open_graph: Callable[[Graph], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph, self.undo_stack, self.open_graph = graph, undo_stack, open_graph
        self.session: Session | None = None
        self.thread: TrainThread | None = None
        self.xp: ModuleType = numpy  # the array backend of the runs (Run → Backend)
        self._data_cache: tuple[DataChoice, Windowing | None, Prepared | None] | None = None
        self._drawn = 0.0  # when the curves were last updated during a run
        # Dialogs are attributes so tests can replace them: nothing here may block a test.
        self.ask_save_path: Callable[[str, str], str | None] = self._ask_save_path
        self._build()
        self.retranslate()
        self._sync_enabled()

    # ---- widgets ------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.form = TrainForm()
        self.start_button, self.stop_button, self.step_button = QPushButton(), QPushButton(), QPushButton()
        self.start_button.clicked.connect(lambda: self.start())
        self.stop_button.clicked.connect(self.stop)
        self.step_button.clicked.connect(lambda: self.start(one_step=True))
        self.png_button, self.csv_button = QPushButton(), QPushButton()
        self.png_button.clicked.connect(lambda: self._export("png"))
        self.csv_button.clicked.connect(lambda: self._export("csv"))
        buttons = QHBoxLayout()
        for b in (self.start_button, self.stop_button, self.step_button):
            buttons.addWidget(b)
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.png_button)
        exports.addWidget(self.csv_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.message = QLabel()  # errors: the StudioError's text, never a traceback
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        scroll = TallScroll(self.form, keep_width=False)  # the dock's least width stays the buttons'
        controls = QVBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(scroll, 1)
        controls.addLayout(buttons)
        controls.addWidget(self.status)
        controls.addWidget(self.message)
        self.controls = QWidget()
        self.controls.setLayout(controls)
        self.curves = Curves(language())
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.curves, 1)
        right.addLayout(exports)
        self.plots = QWidget()
        self.plots.setLayout(right)
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(4, 4, 4, 4)
        self.box.addWidget(self.controls, 0)
        self.box.addWidget(self.plots, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Controls beside the curves in a wide dock (top or bottom), above them in a tall one."""
        wide = event.size().width() > 1.6 * event.size().height()
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        # side by side only where a dock is wide enough for two columns and the curves
        self.form.columns.setDirection(QBoxLayout.Direction.LeftToRight if event.size().width() > 1100
                                       else QBoxLayout.Direction.TopToBottom)
        self.controls.setMinimumWidth(min(self.form.minimumSizeHint().width() + 24, event.size().width() // 2)
                                      if wide else 0)
        self.controls.setMaximumWidth(int(0.42 * event.size().width()) if wide else 16_777_215)
        self.controls.setMaximumHeight(16_777_215 if wide else int(0.45 * event.size().height()))  # curves: the rest
        self.curves.arrange(wide)
        super().resizeEvent(event)

    def retranslate(self) -> None:
        self.form.retranslate()
        for button, key in ((self.start_button, "train_start"), (self.stop_button, "train_stop"),
                            (self.step_button, "train_step"), (self.png_button, "train_export_png"),
                            (self.csv_button, "train_export_csv")):
            button.setText(tr(key))
            button.setToolTip(tr(f"{key}_tip"))
        self.curves.retranslate(language())
        self.restyle()
        self._show_status()

    def restyle(self) -> None:
        """The curves in the window's theme (the application palette: set_theme has just changed it)."""
        pal = QApplication.palette()
        self.curves.restyle(pal.color(pal.ColorRole.Base), pal.color(pal.ColorRole.Text))

    def _sync_enabled(self) -> None:
        running = self.thread is not None
        self.form.setEnabled(not running)
        self.start_button.setEnabled(not running)
        self.step_button.setEnabled(not running)
        self.stop_button.setEnabled(running)

    def _load(self, choice: DataChoice, model: str) -> Prepared | None:
        """Loading digits or a big CSV takes a moment: keep the last one while its fields stay the same.
        A stock template, or an open graph made from one, reads a CSV as windows (its recipe)."""
        if model in OWN_DATA:
            return None  # hihello_rnn trains on its own inputs
        windowing = SEQUENCE_DATA.get(model) or (windowing_of(self.graph) if model == CURRENT else None)
        if self._data_cache is None or self._data_cache[:2] != (choice, windowing):
            self._data_cache = (choice, windowing, choice.load(windowing, model))
        return self._data_cache[2]

    # ---- running ------------------------------------------------------------------------------------
    def running(self) -> bool:
        return self.thread is not None

    def start(self, one_step: bool = False) -> bool:
        """Start (or continue) a run; with one_step, exactly one update. False when nothing started."""
        if self.thread is not None:
            return False
        self.message.clear()
        try:
            session = self._session(one_step)
        except StudioError as exc:
            self.message.setText(error_text(exc))
            return False
        if session is None:
            return False
        thread = self.thread = TrainThread(session.trainer, one_step, self)
        thread.progress.connect(self._progress)
        thread.finished.connect(self._finished)
        self._sync_enabled()
        thread.start()
        return True

    def _session(self, one_step: bool) -> Session | None:
        opts = self.form.options()
        s = self.session
        if (s is not None and s.key == opts.run_key() and s.revision == self.graph.revision and opts.model == CURRENT
                and s.trainer.history.stopped_early is None):  # an early-stopped run is over: Start begins anew
            t = s.trainer
            if t.step_count < t.total_steps:
                return s
            if one_step:  # a finished run takes one more update when asked for one
                t.total_steps += 1
                return s
        data = self._load(opts.data, opts.model)
        if opts.model != CURRENT:
            if data is None and opts.model not in OWN_DATA:
                raise StudioError(tr("train_needs_data"))
            graph = build_template(opts.model, data.train if data else None, **opts.template_settings())
            if not self.open_graph(graph):
                return None
            self.form.use_current_graph()  # the template is the open graph now
        trainer = Trainer(self.graph, data.train if data else None, data.test if data else None, opts.config(),
                          self.xp)
        self.curves.reset()
        self.session = Session(trainer, opts.run_key(), self.graph.revision)
        return self.session

    def set_backend(self, xp: ModuleType) -> None:
        """Runs started from now on compute on `xp`; one running keeps its own to the end, and a paused
        one is not continued on the other backend (the next Start begins from the graph's values)."""
        if xp is not self.xp:
            self.xp = xp
            if self.thread is None:
                self.session = None

    def stop(self) -> None:
        if self.thread is not None:
            self.thread.stop()

    def shutdown(self) -> None:
        """The window closes: end the run and wait for its thread (a QThread must not outlive its object)."""
        if self.thread is not None:
            self.thread.stop()
            self.thread.wait()
            self._finished()

    def _progress(self, step: int, total: int) -> None:
        if self.session is None or self.thread is None or not self.isVisible():  # hidden: caught up at the end
            return
        # On a slow machine a redraw can take longer than the signals' 50 ms: keep it to a third of the time
        now = time.perf_counter()
        if now - self._drawn < 3 * self.curves.paint_seconds:
            return
        self._drawn = now
        self.curves.update_from(self.session.trainer.history, self.session.trainer.steps_per_epoch)
        self._show_status()

    def _finished(self) -> None:
        thread, self.thread = self.thread, None
        if thread is None or self.session is None:
            return
        thread.wait()
        trainer = self.session.trainer
        final = thread.result.final if thread.result is not None else None
        if final is not None and trainer.history.evaluations[-1].step != final.step:
            trainer.history.evaluations.append(final)  # the paused point, evaluated by run(): on the curves too
        self.curves.update_from(trainer.history, trainer.steps_per_epoch)
        if thread.error:
            self.message.setText(error_text(thread.error))
        self._write_back(trainer)
        self._sync_enabled()
        self._show_status(thread)
        thread.deleteLater()

    def _write_back(self, trainer: Trainer) -> None:
        """The run's values into the graph as one undo step, if the graph is still the one it trained."""
        s = self.session
        if s is None:
            return
        if s.revision != self.graph.revision:
            self.message.setText(tr("train_changed"))
            self.session = None
            return
        values = {**trainer.host_params(), **{k: to_numpy(v) for k, v in trainer.buffers.items()}}  # + batch-norm stats
        changed = {k: v for k, v in values.items()
                   if k in self.graph.nodes and not numpy.array_equal(v, self.graph.nodes[k].value)}
        if changed:
            self.undo_stack.beginMacro(tr("cmd_train", n=trainer.step_count))
            try:
                for nid, value in changed.items():
                    apply(self.undo_stack, SetValue(self.graph, nid, value))
            except StudioError as exc:
                self.message.setText(error_text(exc))
            finally:
                self.undo_stack.endMacro()
        s.revision = self.graph.revision

    def _show_status(self, thread: TrainThread | None = None) -> None:
        s = self.session
        if s is None:
            self.status.setText(tr("train_ready"))
            return
        t = s.trainer
        loss = s.trainer.history.loss[-1] if t.history.loss else None
        text = tr("train_status", step=t.step_count, total=t.total_steps,
                  epoch=t.step_count // t.steps_per_epoch, loss="–" if loss is None else fmt_number(loss))
        last = self.curves.evaluations[-1] if self.curves.evaluations else None
        if last is not None and last.train_accuracy is not None:
            text += tr("train_accuracy", train=_pct(last.train_accuracy), test=_pct(last.test_accuracy))
        if last is not None and last.val_loss is not None:
            text += tr("train_val_loss", loss=fmt_number(last.val_loss))
        if last is not None and last.test_rmse is not None:
            text += tr("train_rmse", rmse=fmt_number(last.test_rmse))
        if thread is not None and thread.result is not None:
            r, early = thread.result, t.history.stopped_early
            text += "\n" + (tr("train_stopped_early", n=early, best=t.history.best_step) if early is not None
                            else tr("train_paused", n=r.steps) if r.stopped or r.steps < t.total_steps
                            else tr("train_done", n=r.steps, seconds=f"{r.seconds:.2f}"))
        self.status.setText(text)

    # ---- export and dialogs -------------------------------------------------------------------------
    def _export(self, kind: str) -> None:
        path = self.ask_save_path(f"{kind}_filter" if kind == "png" else "train_csv_filter", f".{kind}")
        if not path:
            return
        self.export(path)

    def export(self, path: str | Path) -> bool:
        """The curves as PNG or their numbers as CSV (by the file's suffix); a failure is a message."""
        try:
            if str(path).lower().endswith(".csv"):
                self.curves.export_csv(path)
            else:
                self.curves.export_png(path)
        except StudioError as exc:
            self.message.setText(error_text(exc))
            return False
        self.message.clear()
        return True

    def _ask_save_path(self, filter_key: str, suffix: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, tr("save_as"), str(Path.home() / f"training{suffix}"),
                                              tr(filter_key))
        if path and not path.endswith(suffix):
            path += suffix
        return path or None
