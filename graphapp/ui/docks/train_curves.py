"""Live training curves (pyqtgraph): the batch loss per step with its smoothed line and the evaluated
train/validation loss, and train/validation accuracy per evaluation. Exported as one PNG and one CSV."""
from __future__ import annotations

import csv
import io
import math
import time
from pathlib import Path

import numpy
import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtGui import QColor, QPaintEvent
from PySide6.QtWidgets import QWidget

from graphapp.core.errors import RenderError
from graphapp.core.safeio import write_atomic
from graphapp.core.train.trainer import Evaluation, History
from graphapp.ui.i18n import tr
from graphapp.ui.render import png_bytes

SMOOTHING = 0.9  # exponential moving average of the batch loss: new = s·old + (1 − s)·loss
TRAIN_COLOR, TEST_COLOR, RAW_COLOR = "#1f77b4", "#d62728", "#9ab8d6"
CSV_COLUMNS = ("step", "epoch", "batch_loss", "smoothed_loss", "train_loss", "train_accuracy",
               "validation_loss", "validation_accuracy")


def export_png(widget: pg.GraphicsLayoutWidget, path: str | Path, scale: float = 2.0) -> None:
    """A pyqtgraph scene as a PNG at `scale`× its size on screen, written atomically."""
    exporter = ImageExporter(widget.scene())
    width = max(16, int(widget.width() * scale))
    exporter.parameters()["width"] = width
    image = exporter.export(toBytes=True)
    if image is None or image.isNull():
        raise RenderError(f"{path}: the plot could not be drawn")
    write_atomic(path, png_bytes(image))


def _num(x: float | None) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else repr(float(x))


class Curves(pg.GraphicsLayoutWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loss: list[float] = []
        self.smooth: list[float] = []
        self.evaluations: list[Evaluation] = []
        self._buf = numpy.empty((3, 1024))
        self.paint_seconds = 0.0  # the last redraw's time: the dock redraws less often when it is slow
        self.steps_per_epoch = 1
        self.loss_plot = pg.PlotItem()
        self.acc_plot = pg.PlotItem()
        for plot in (self.loss_plot, self.acc_plot):
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
        self.acc_plot.setYRange(0.0, 1.0, padding=0.02)
        self.acc_plot.setXLink(self.loss_plot)
        self.raw = self.loss_plot.plot(pen=pg.mkPen(RAW_COLOR, width=1))
        self.smoothed = self.loss_plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=2))
        self.train_loss = self.loss_plot.plot(pen=None, symbol="o", symbolSize=5, symbolBrush=TRAIN_COLOR,
                                              symbolPen=None)
        self.test_loss = self.loss_plot.plot(pen=pg.mkPen(TEST_COLOR, width=2), symbol="o", symbolSize=5,
                                             symbolBrush=TEST_COLOR, symbolPen=None)
        self.train_acc = self.acc_plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=2), symbol="o", symbolSize=5,
                                            symbolBrush=TRAIN_COLOR, symbolPen=None)
        self.test_acc = self.acc_plot.plot(pen=pg.mkPen(TEST_COLOR, width=2), symbol="o", symbolSize=5,
                                           symbolBrush=TEST_COLOR, symbolPen=None)
        self.loss_legend = self.loss_plot.addLegend(offset=(-10, 10))
        self.acc_legend = self.acc_plot.addLegend(offset=(-10, -10))
        self.horizontal: bool | None = None
        self.arrange(True)
        self.retranslate()

    def arrange(self, horizontal: bool) -> None:
        """Side by side in a wide dock (bottom), one above the other in a tall one (left, right)."""
        if horizontal == self.horizontal:
            return
        self.horizontal = horizontal
        self.ci.clear()
        self.ci.addItem(self.loss_plot, 0, 0)
        self.ci.addItem(self.acc_plot, 0, 1) if horizontal else self.ci.addItem(self.acc_plot, 1, 0)

    def restyle(self, background: QColor, foreground: QColor) -> None:
        self.setBackground(background)
        for plot in (self.loss_plot, self.acc_plot):
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setPen(foreground)
                axis.setTextPen(foreground)
            plot.titleLabel.setText(plot.titleLabel.text, color=foreground)
        for legend in (self.loss_legend, self.acc_legend):
            legend.setLabelTextColor(foreground)
            legend.setBrush(pg.mkBrush(background.red(), background.green(), background.blue(), 200))
        self._fg = foreground

    def retranslate(self) -> None:
        color = getattr(self, "_fg", None)
        self.loss_plot.setTitle(tr("train_plot_loss"), color=color)
        self.acc_plot.setTitle(tr("train_plot_accuracy"), color=color)
        for plot in (self.loss_plot, self.acc_plot):
            plot.setLabel("bottom", tr("train_axis_step"))
        self.loss_legend.clear()
        for item, key in ((self.raw, "train_batch_loss"), (self.smoothed, "train_smoothed"),
                          (self.train_loss, "train_train"), (self.test_loss, "train_validation")):
            self.loss_legend.addItem(item, tr(key))
        self.acc_legend.clear()
        for item, key in ((self.train_acc, "train_train"), (self.test_acc, "train_validation")):
            self.acc_legend.addItem(item, tr(key))

    # ---- data ---------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        start = time.perf_counter()
        super().paintEvent(event)
        self.paint_seconds = time.perf_counter() - start

    def reset(self) -> None:
        """Forget the curves (a new run). Not clear(): pyqtgraph binds that name to removing the plots."""
        self.loss, self.smooth, self.evaluations = [], [], []
        self._buf = numpy.empty((3, 1024))  # step, batch loss, smoothed loss: what the curves draw
        for item in (self.raw, self.smoothed, self.train_loss, self.test_loss, self.train_acc, self.test_acc):
            item.setData([], [])

    def update_from(self, history: History, steps_per_epoch: int) -> None:
        """Take what the run has added since the last call (the lists only grow while a run lives)."""
        self.steps_per_epoch = max(1, steps_per_epoch)
        new = history.loss[len(self.loss):]  # one C-level copy: safe while the worker appends
        evaluations = history.evaluations[:]
        s = self.smooth[-1] if self.smooth else (new[0] if new else 0.0)
        for v in new:
            s = SMOOTHING * s + (1.0 - SMOOTHING) * v if math.isfinite(v) else s
            self.smooth.append(s)
        self.loss.extend(new)
        if new:
            n = len(self.loss)
            if n > self._buf.shape[1]:  # grow by doubling: a redraw costs the new points, not all of them
                grown = numpy.empty((3, max(2 * self._buf.shape[1], n)))
                grown[:, :n - len(new)] = self._buf[:, :n - len(new)]
                self._buf = grown
            self._buf[0, n - len(new):n] = numpy.arange(n - len(new) + 1, n + 1)
            self._buf[1, n - len(new):n] = new
            self._buf[2, n - len(new):n] = self.smooth[n - len(new):]
            self.raw.setData(self._buf[0, :n], self._buf[1, :n])
            self.smoothed.setData(self._buf[0, :n], self._buf[2, :n])
        if len(evaluations) != len(self.evaluations):
            self.evaluations = evaluations
            self._set(self.train_loss, evaluations, "train_loss")
            self._set(self.test_loss, evaluations, "test_loss")
            self._set(self.train_acc, evaluations, "train_accuracy")
            self._set(self.test_acc, evaluations, "test_accuracy")

    @staticmethod
    def _set(item: pg.PlotDataItem, evaluations: list[Evaluation], field: str) -> None:
        pts = [(e.step, getattr(e, field)) for e in evaluations if getattr(e, field) is not None]
        item.setData([p[0] for p in pts], [p[1] for p in pts])

    def points(self) -> int:
        return len(self.loss) + len(self.evaluations)

    # ---- export -------------------------------------------------------------------------------------
    def csv_text(self) -> str:
        """One row per step (its batch loss before the update) and per evaluation (step 0 is the start)."""
        by_step = {e.step: e for e in self.evaluations}
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for step in range(0, len(self.loss) + 1):
            e = by_step.get(step)
            if step == 0 and e is None:
                continue
            raw = self.loss[step - 1] if step else None
            smooth = self.smooth[step - 1] if step else None
            epoch = e.epoch if e is not None else step / self.steps_per_epoch
            writer.writerow([step, _num(epoch), _num(raw), _num(smooth),
                             *(_num(getattr(e, f)) if e else "" for f in
                               ("train_loss", "train_accuracy", "test_loss", "test_accuracy"))])
        return out.getvalue()

    def export_csv(self, path: str | Path) -> None:
        write_atomic(path, self.csv_text().encode("utf-8"))

    def export_png(self, path: str | Path) -> None:
        export_png(self, path)
