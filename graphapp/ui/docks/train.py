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
from typing import Callable

import numpy
from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication, QBoxLayout, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from graphapp.core.errors import StudioError
from graphapp.core.graph import Graph
from graphapp.core.numbers import fmt_number
from graphapp.core.train.data import Prepared
from graphapp.core.train.datasets import GENERATED, NAMES
from graphapp.core.train.optim import OPTIMIZERS, make_optimizer
from graphapp.core.train.templates import ACTIVATIONS, TEMPLATES, TITLES, build_template
from graphapp.core.train.trainer import Trainer
from graphapp.ui.commands import SetValue, apply
from graphapp.ui.docks.train_curves import Curves
from graphapp.ui.docks.train_options import CSV, CURRENT, OWN, DataChoice, Options, parse_hidden, parse_number, \
    parse_settings
from graphapp.ui.docks.train_worker import TrainThread
from graphapp.ui.i18n import language, tr

OPTIMIZER_TITLES = {"sgd": "SGD", "momentum": "Momentum", "nag": "Nesterov (NAG)", "adagrad": "AdaGrad",
                    "rmsprop": "RMSProp", "adadelta": "AdaDelta", "adam": "Adam", "nadam": "NAdam"}
SCALES = ("none", "minmax", "standard")
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
        self._data_cache: tuple[DataChoice, Prepared | None] | None = None
        self._drawn = 0.0  # when the curves were last updated during a run
        # Dialogs are attributes so tests can replace them: nothing here may block a test.
        self.ask_csv_path: Callable[[], str | None] = self._ask_csv_path
        self.ask_save_path: Callable[[str, str], str | None] = self._ask_save_path
        self._build()
        self.retranslate()
        self._sync_enabled()

    # ---- widgets ------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self.data = QComboBox()
        for key in (OWN, *NAMES, CSV):
            self.data.addItem(key, key)
        self.data.setCurrentIndex(self.data.findData("xor"))
        self.size = QSpinBox()
        self.size.setRange(4, 1_000_000)
        self.size.setValue(200)
        self.csv_path = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        csv_row = QHBoxLayout()
        csv_row.setContentsMargins(0, 0, 0, 0)
        csv_row.addWidget(self.csv_path, 1)
        csv_row.addWidget(self.browse)
        self.csv_box = QWidget()
        self.csv_box.setLayout(csv_row)
        self.target = QLineEdit()
        self.scale = QComboBox()
        for key in SCALES:
            self.scale.addItem(key, key)
        self.test_fraction = QDoubleSpinBox()
        self.test_fraction.setRange(0.0, 0.9)
        self.test_fraction.setSingleStep(0.05)
        self.test_fraction.setValue(0.2)
        self.model = QComboBox()
        for key in (CURRENT, *TEMPLATES):
            self.model.addItem(key, key)
        self.hidden = QLineEdit("10")
        self.activation = QComboBox()
        for key in ACTIVATIONS:
            self.activation.addItem(key, key)
        self.optimizer = QComboBox()
        for key in OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZER_TITLES.get(key, key), key)
        self.lr = QLineEdit("0.1")
        self.settings = QLineEdit()
        self.batch = QSpinBox()
        self.batch.setRange(0, 1_000_000)  # 0 shows as "full"
        self.length_kind = QComboBox()
        self.length_kind.addItem("epochs", "epochs")
        self.length_kind.addItem("steps", "steps")
        self.length = QSpinBox()
        self.length.setRange(1, 10_000_000)
        self.length.setValue(100)
        length_row = QHBoxLayout()
        length_row.setContentsMargins(0, 0, 0, 0)
        length_row.addWidget(self.length, 1)
        length_row.addWidget(self.length_kind)
        self.length_box = QWidget()
        self.length_box.setLayout(length_row)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)

        # two columns, the data and the run, beside each other in a wide dock and one above the other in a tall one
        self.form = QWidget()
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.form)
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.fields = {"data": self.data, "size": self.size, "csv": self.csv_box, "target": self.target,
                       "scale": self.scale, "test": self.test_fraction, "seed": self.seed,
                       "model": self.model, "hidden": self.hidden, "activation": self.activation,
                       "optimizer": self.optimizer, "lr": self.lr, "settings": self.settings, "batch": self.batch,
                       "length": self.length_box}
        for i, key in enumerate(self.fields):
            if i in (0, 7):
                form = QFormLayout()
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                self.columns.addLayout(form, 1)
            self.labels[key] = QLabel()
            form.addRow(self.labels[key], self.fields[key])
        for combo in self.findChildren(QComboBox):  # narrow columns: long item texts elide, the curves get the room
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(7)
        for edit in (self.csv_path, self.target, self.hidden, self.lr, self.settings):
            edit.setMinimumWidth(60)
        self.data.currentIndexChanged.connect(self._data_changed)
        self.model.currentIndexChanged.connect(self._sync_enabled)
        self.optimizer.currentIndexChanged.connect(self._optimizer_changed)

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

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        controls = QVBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(scroll, 1)
        controls.addLayout(buttons)
        controls.addWidget(self.status)
        controls.addWidget(self.message)
        self.controls = QWidget()
        self.controls.setLayout(controls)
        self.curves = Curves()
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
        self.columns.setDirection(QBoxLayout.Direction.LeftToRight if event.size().width() > 1100
                                  else QBoxLayout.Direction.TopToBottom)
        self.controls.setMinimumWidth(min(self.form.minimumSizeHint().width() + 24, event.size().width() // 2)
                                      if wide else 0)
        self.controls.setMaximumWidth(int(0.42 * event.size().width()) if wide else 16_777_215)
        self.controls.setMaximumHeight(16_777_215 if wide else int(0.55 * event.size().height()))
        self.curves.arrange(wide)
        super().resizeEvent(event)

    def retranslate(self) -> None:
        for key, label in self.labels.items():
            tip_key = {"test": "train_test_tip", "csv": "train_csv_tip"}.get(key, f"train_{key}_tip")
            name_key = {"test": "train_test", "csv": "train_csv"}.get(key, f"train_{key}")
            label.setText(tr(name_key))
            tip = self._settings_tip() if key == "settings" else tr(tip_key)
            label.setToolTip(tip)
            self.fields[key].setToolTip(tip)
        for i in range(self.data.count()):
            key = self.data.itemData(i)
            self.data.setItemText(i, tr("train_data_own") if key == OWN else tr("train_data_csv") if key == CSV
                                  else key)
        ko = language() == "ko"
        for i in range(self.model.count()):
            key = self.model.itemData(i)
            self.model.setItemText(i, tr("train_model_current") if key == CURRENT
                                   else f"{TITLES[key][1 if ko else 0]} ({key})")
        for i, key in enumerate(SCALES):
            self.scale.setItemText(i, tr(f"train_scale_{key}"))
        for i, key in enumerate(("epochs", "steps")):
            self.length_kind.setItemText(i, tr(f"train_{key}"))
        self.batch.setSpecialValueText(tr("train_full"))
        self.target.setPlaceholderText(tr("train_target_hint"))
        self.settings.setPlaceholderText(tr("train_settings_hint"))
        self.browse.setText(tr("train_browse"))
        self.browse.setToolTip(tr("train_browse_tip"))
        for button, key in ((self.start_button, "train_start"), (self.stop_button, "train_stop"),
                            (self.step_button, "train_step"), (self.png_button, "train_export_png"),
                            (self.csv_button, "train_export_csv")):
            button.setText(tr(key))
            button.setToolTip(tr(f"{key}_tip"))
        self.curves.retranslate()
        self.restyle()
        self._show_status()

    def restyle(self) -> None:
        """The curves in the window's theme (the application palette: set_theme has just changed it)."""
        pal = QApplication.palette()
        self.curves.restyle(pal.color(pal.ColorRole.Base), pal.color(pal.ColorRole.Text))

    def _settings_tip(self) -> str:
        cls = OPTIMIZERS[self.optimizer.currentData()]
        settings = ", ".join(f"{k}={v}" for k, v in cls.defaults.items() if k != "lr")
        return tr("train_settings_tip", name=OPTIMIZER_TITLES[cls.name], settings=settings)

    def _optimizer_changed(self) -> None:
        self.lr.setText(f"{OPTIMIZERS[self.optimizer.currentData()].defaults['lr']:g}")
        self.settings.clear()
        tip = self._settings_tip()
        self.settings.setToolTip(tip)
        self.labels["settings"].setToolTip(tip)

    def _sync_enabled(self) -> None:
        data, model = self.data.currentData(), self.model.currentData()
        running = self.thread is not None
        self.form.setEnabled(not running)
        self.size.setEnabled(data in GENERATED)
        for w in (self.csv_box, self.target):
            w.setEnabled(data == CSV)
        for w in (self.scale, self.test_fraction):
            w.setEnabled(data != OWN)
        self.hidden.setEnabled(model in ("mlp", "xor_net"))
        self.activation.setEnabled(model == "mlp")
        self.start_button.setEnabled(not running)
        self.step_button.setEnabled(not running)
        self.stop_button.setEnabled(running)

    # ---- reading the fields -------------------------------------------------------------------------
    def options(self) -> Options:
        seed = self.seed.value()
        data = DataChoice(self.data.currentData(), self.size.value(), self.csv_path.text(), self.target.text(),
                          self.scale.currentData(), round(self.test_fraction.value(), 4), seed)
        model = self.model.currentData()
        hidden = parse_hidden(self.hidden.text(), tr("train_hidden")) if model in ("mlp", "xor_net") else (10,)
        settings = {"lr": parse_number(self.lr.text(), tr("train_lr")),
                    **parse_settings(self.settings.text(), tr("train_settings"))}
        make_optimizer(self.optimizer.currentData(), **settings)  # its settings checked before any data is read
        length = self.length.value()
        by_epochs = self.length_kind.currentData() == "epochs"
        return Options(data, model, hidden, self.activation.currentData(), self.optimizer.currentData(),
                       tuple(sorted(settings.items())), self.batch.value() or None,
                       length if by_epochs else None, None if by_epochs else length, seed)

    def _load(self, choice: DataChoice) -> Prepared | None:
        """Loading digits or a big CSV takes a moment: keep the last one while its fields stay the same."""
        if self._data_cache is None or self._data_cache[0] != choice:
            self._data_cache = (choice, choice.load())
        return self._data_cache[1]

    def _data_changed(self) -> None:
        self._sync_enabled()
        if self.data.currentData() == CSV and not self.csv_path.text():
            self._browse()  # "CSV file…": the ellipsis promises the file dialog

    def _browse(self) -> None:
        path = self.ask_csv_path()
        if path:
            self.csv_path.setText(path)
            self.data.setCurrentIndex(self.data.findData(CSV))

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
            self.message.setText(str(exc))
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
        opts = self.options()
        s = self.session
        if s is not None and s.key == opts.run_key() and s.revision == self.graph.revision and opts.model == CURRENT:
            t = s.trainer
            if t.step_count < t.total_steps:
                return s
            if one_step:  # a finished run takes one more update when asked for one
                t.total_steps += 1
                return s
        data = self._load(opts.data)
        if opts.model != CURRENT:
            if data is None:
                raise StudioError(tr("train_needs_data"))
            graph = build_template(opts.model, data.train, hidden=opts.hidden, activation=opts.activation,
                                   seed=opts.seed)
            if not self.open_graph(graph):
                return None
            self.model.setCurrentIndex(self.model.findData(CURRENT))  # the template is the open graph now
        trainer = Trainer(self.graph, data.train if data else None, data.test if data else None, opts.config())
        self.curves.reset()
        self.session = Session(trainer, opts.run_key(), self.graph.revision)
        return self.session

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
            self.message.setText(thread.error)
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
        changed = {k: v for k, v in trainer.host_params().items()
                   if k in self.graph.nodes and not numpy.array_equal(v, self.graph.nodes[k].value)}
        if changed:
            self.undo_stack.beginMacro(tr("cmd_train", n=trainer.step_count))
            try:
                for nid, value in changed.items():
                    apply(self.undo_stack, SetValue(self.graph, nid, value))
            except StudioError as exc:
                self.message.setText(str(exc))
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
        if thread is not None and thread.result is not None:
            r = thread.result
            text += "\n" + (tr("train_paused", n=r.steps) if r.stopped or r.steps < t.total_steps
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
            self.message.setText(str(exc))
            return False
        self.message.clear()
        return True

    def _ask_csv_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, tr("train_csv"), str(Path.home()), tr("train_csv_filter"))
        return path or None

    def _ask_save_path(self, filter_key: str, suffix: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, tr("save_as"), str(Path.home() / f"training{suffix}"),
                                              tr(filter_key))
        if path and not path.endswith(suffix):
            path += suffix
        return path or None
