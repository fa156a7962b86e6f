"""The Histograms tab (the initialization experiment, recomputed as the initializer changes) and the
Landscape, Boundary, Filters and Feature maps tabs (a network trained off the window's thread, then its
picture)."""
from __future__ import annotations

import math
import threading
from typing import Any, Callable

from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QSpinBox, QWidget

from graphapp.core.analysis.feature_maps import trained_filters, trained_maps
from graphapp.core.analysis.histograms import ACTIVATIONS, activation_histograms
from graphapp.core.analysis.lab import LabOptions, parse_hidden, run_lab
from graphapp.core.errors import StudioError
from graphapp.core.train.errors import OptionError
from graphapp.core.train.datasets import NAMES
from graphapp.core.train.optim import OPTIMIZERS
from graphapp.core.train.templates import TEMPLATES, TITLES
from graphapp.core.train.templates_rnn import RNN_TEMPLATES
from graphapp.ui.docks.plots_common import PlotTab, Worker, t
from graphapp.ui.docks.train_form import OPTIMIZER_TITLES
from graphapp.ui.i18n import error_text, language

INITS = (("normal", 1.0, "N(0, 1)"), ("normal", 0.01, "N(0, 0.01²)"), ("xavier", 1.0, "Xavier"), ("he", 1.0, "He"))


class HistogramTab(PlotTab):
    kind = "histograms"
    size = (1500, 400)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.activation = QComboBox()
        for key in ACTIVATIONS:
            self.activation.addItem(key, key)
        self.init = QComboBox()
        for i, (_, _, title) in enumerate(INITS):
            self.init.addItem(title, i)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        for key, widget in (("activation", self.activation), ("init", self.init), ("seed", self.seed)):
            self.add_field(key, widget)
        for combo in (self.activation, self.init):  # 1,000 × 100 matmuls: redrawn at once, no Run needed
            combo.currentIndexChanged.connect(self.run)

    def run(self) -> None:
        init, std, _ = INITS[self.init.currentData()]
        try:
            data = activation_histograms(self.activation.currentData(), init, std, self.seed.value())
        except StudioError as exc:
            self.say(error_text(exc), error=True)
            return
        self.say("")
        self.show_data(data)

    def retranslate(self) -> None:
        super().retranslate()
        for key in ("activation", "init", "seed"):
            self.set_tip(key, t(f"{key}_tip"))
        self.run_button.setToolTip(t("hist_run_tip"))


def _positive(text: str, field: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise OptionError(t("bad_number", field=field, text=text.strip()))
    return value


SIZES = {"landscape": (900, 800), "filters": (1200, 900), "maps": (1200, 900)}  # the rest (1400, 650)
CNN_KINDS = ("filters", "maps")  # a CNN on the digits, at the Adam defaults `train lenet_digits` uses


class LabTab(PlotTab):
    """Landscape, Boundary, Filters or Feature maps: the CLI's `plot landscape|boundary|filters|maps`
    options, trained on a worker thread."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        self.kind = kind
        self.size = SIZES.get(kind, (1400, 650))
        cnn = kind in CNN_KINDS
        super().__init__(parent)
        self.worker: Worker | None = None
        self.stop_flag = threading.Event()
        self.stop_button = QPushButton()
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.buttons.insertWidget(1, self.stop_button)
        self.model = QComboBox()
        for key in TEMPLATES:
            if key not in RNN_TEMPLATES:  # they train on a time series file: the Sequences tab
                self.model.addItem(key, key)
        self.model.setCurrentIndex(self.model.findData("lenet_digits" if cnn else "mlp"))
        self.data_name = QComboBox()
        for key in NAMES:
            self.data_name.addItem(key, key)
        self.data_name.setCurrentIndex(self.data_name.findData("digits" if cnn else "moons"))
        self.hidden = QLineEdit("16")
        self.optimizer = QComboBox()
        for key in OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZER_TITLES.get(key, key), key)
        self.optimizer.setCurrentIndex(self.optimizer.findData("adam"))
        self.lr = QLineEdit("0.001" if cnn else "0.05")
        self.steps = QSpinBox()
        self.steps.setRange(1, 1_000_000)
        self.steps.setValue(150 if cnn else 300)
        self.layer = QLineEdit()
        self.grid = QSpinBox()
        self.grid.setRange(3, 101)
        self.grid.setValue(25)
        fields = [("model", self.model), ("data", self.data_name), ("hidden", self.hidden),
                  ("optimizer", self.optimizer), ("lr", self.lr), ("steps", self.steps)]
        if kind == "landscape":
            fields.append(("grid", self.grid))
        if cnn:
            fields.append(("layer", self.layer))
        for key, widget in fields:
            self.add_field(key, widget)
        self.model.currentIndexChanged.connect(self._sync_enabled)

    def _sync_enabled(self) -> None:
        self.hidden.setEnabled(self.model.currentData() in ("mlp", "xor_net"))

    def job(self) -> Callable[[], Any]:
        """The computation, its options read and checked here, on the window's thread."""
        model = self.model.currentData()
        hidden = parse_hidden(self.hidden.text()) if model in ("mlp", "xor_net") else None
        opts = LabOptions(model, self.data_name.currentData(), hidden=hidden, optimizer=self.optimizer.currentData(),
                          lr=_positive(self.lr.text(), t("lr")), steps=self.steps.value())
        grid, stop, layer = self.grid.value(), self.stop_flag, self.layer.text().strip() or None

        def picture() -> Any:  # None when stopped: a half-trained picture would mislead
            run = run_lab(opts, stop=stop)
            if stop.is_set():
                return None
            if self.kind == "landscape":
                return run.landscape(grid, opts.seed, "random")
            if self.kind in CNN_KINDS:
                return trained_filters(run, layer) if self.kind == "filters" else trained_maps(run, layer)
            return run, run.boundary(), run.confusion()
        return picture

    def run(self) -> None:
        if self.busy:
            return
        try:
            job = self.job()
        except StudioError as exc:
            self.say(error_text(exc), error=True)
            return
        self.say(t("computing"))
        self.stop_flag.clear()
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.worker = Worker(job, self)
        self.worker.finished.connect(self._finished)
        self.worker.start()

    @property
    def busy(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def stop(self) -> None:
        self.stop_flag.set()

    def _finished(self) -> None:
        worker, self.worker = self.worker, None
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        if worker is None:
            return
        worker.deleteLater()
        if worker.error is not None:
            self.say(worker.error, error=True)
            return
        if worker.result is None:
            self.say(t("stopped"))
            return
        self.say("")
        self.show_data(worker.result)

    def retranslate(self) -> None:
        super().retranslate()
        tips = {"optimizer": "lab_optimizer_tip", "steps": "lab_steps_tip"}
        for key in self.labels:
            self.set_tip(key, t(tips.get(key, f"{key}_tip")))
        ko = language() == "ko"
        for i in range(self.model.count()):
            key = self.model.itemData(i)
            self.model.setItemText(i, f"{TITLES[key][1 if ko else 0]} ({key})")
        self.run_button.setToolTip(t("lab_run_tip"))
        self.stop_button.setText(t("stop"))
        self.stop_button.setToolTip(t("stop_tip"))

    def shutdown(self) -> None:
        self.stop_flag.set()  # closing the window does not wait for a long run to finish
        if self.worker is not None:
            self.worker.wait()
