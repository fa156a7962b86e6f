"""Training curves (pyqtgraph), the one widget the Train dock shows live and `export_plot("curves", …)` draws:
the batch loss per step with its smoothed line and the evaluated train / validation / test loss (log scale), and the
accuracies per evaluation. Exported as a PNG and its numbers as CSV (one row per step and per evaluation)."""
from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Iterable, Sequence

import numpy
import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtGui import QColor, QPaintEvent
from PySide6.QtWidgets import QWidget

from graphapp.core.errors import RenderError
from graphapp.core.safeio import write_atomic
from graphapp.core.train.trainer import Evaluation, History
from graphapp.ui.fonts import register_fonts
from graphapp.ui.plots.common import INK, PlotCanvas, csv_bytes
from graphapp.ui.render import png_bytes

SHORT_PLOT = 240  # pixels: a plot this short takes its legend in two columns
SMOOTHING = 0.9  # exponential moving average of the batch loss: new = s·old + (1 − s)·loss
TRAIN_COLOR, VALIDATION_COLOR, TEST_COLOR, RAW_COLOR = "#0072B2", "#D55E00", "#009E73", "#9ab8d6"
# the evaluated sets: (Evaluation's field prefix, label key in plots.common.TEXT, colour)
SETS = (("train", "train", TRAIN_COLOR), ("val", "validation", VALIDATION_COLOR), ("test", "test", TEST_COLOR))
CSV_COLUMNS = ("step", "epoch", "batch_loss", "smoothed_loss", "train_loss", "train_accuracy",
               "validation_loss", "validation_accuracy", "test_loss", "test_accuracy")


def _num(x: float | None) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else repr(float(x))


class Curves(PlotCanvas):
    legends: tuple[pg.LegendItem, ...] = ()  # class defaults: pyqtgraph sizes the widget before __init__ ends
    horizontal: bool | None = None
    def __init__(self, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(lang, parent)
        self.loss: list[float] = []
        self.smooth: list[float] = []
        self.evaluations: list[Evaluation] = []
        self._buf = numpy.empty((3, 1024))
        self.paint_seconds = 0.0  # the last redraw's time: the dock redraws less often when it is slow
        self.steps_per_epoch = 1
        self._fg = QColor(INK)
        self.loss_plot, self.acc_plot = pg.PlotItem(), pg.PlotItem()
        for plot in (self.loss_plot, self.acc_plot):
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
        self.acc_plot.setYRange(0.0, 1.0, padding=0.02)
        # a log scale: a start at 20 and an end at 1e-4 both show, and so does validation rising over a flat train
        self.loss_plot.setLogMode(y=True)
        self.acc_plot.setXLink(self.loss_plot)
        self.raw = self.loss_plot.plot(pen=pg.mkPen(RAW_COLOR, width=1))
        self.smoothed = self.loss_plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=2))
        dots = {"symbol": "o", "symbolSize": 5, "symbolPen": None}
        # the evaluated training loss as dots only: the smoothed batch loss is its line
        self.lines = {("loss", "train"): self.loss_plot.plot(pen=None, symbolBrush=TRAIN_COLOR, **dots)}
        for prefix, _, colour in SETS:
            if prefix != "train":
                self.lines["loss", prefix] = self.loss_plot.plot(pen=pg.mkPen(colour, width=2), symbolBrush=colour,
                                                                 **dots)
            self.lines["accuracy", prefix] = self.acc_plot.plot(pen=pg.mkPen(colour, width=2), symbolBrush=colour,
                                                                **dots)
        self.loss_legend = self.loss_plot.addLegend(offset=(-10, 10))
        self.acc_legend = self.acc_plot.addLegend(offset=(-10, -10))
        self.legends = (self.loss_legend, self.acc_legend)
        self._empty_ranges()
        self.horizontal: bool | None = None
        self._worded: tuple[str, int] | None = None  # the language and ink the words were last set in
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

    def resizeEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt's signature
        """A short plot (a laptop's tall, narrow dock) takes its legend in two columns: one column of four
        names would be cut off at the plot's bottom edge."""
        plot_height = self.height() / (1 if self.horizontal else 2)
        columns = 2 if plot_height < SHORT_PLOT else 1
        for legend in self.legends:  # none yet while pyqtgraph's __init__ sizes the widget
            if legend.columnCount != columns:
                legend.setColumnCount(columns)
        super().resizeEvent(ev)

    def restyle(self, background: QColor, foreground: QColor) -> None:
        """The window's theme (the export keeps PlotCanvas's white)."""
        self.setBackground(background)
        self._fg = foreground
        for legend in (self.loss_legend, self.acc_legend):
            legend.setBrush(pg.mkBrush(background.red(), background.green(), background.blue(), 200))
        self.retranslate()

    def retranslate(self, lang: str | None = None) -> None:
        """Titles, axes and legends in `lang` (default: the one the widget has) and the theme's ink."""
        self.lang = lang or self.lang
        if self._worded == (self.lang, self._fg.rgba()):
            return  # already so: the dock asks again at every restyle, and the legends are slow to rebuild
        self._worded = (self.lang, self._fg.rgba())
        fg, family = self._fg, register_fonts()
        for plot, key in ((self.loss_plot, "loss"), (self.acc_plot, "accuracy")):
            plot.setTitle(self.t(key).capitalize(), color=fg, family=family)
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setPen(fg)
                axis.setTextPen(fg)
            plot.setLabel("bottom", self.t("step_updates"), color=fg.name(), **{"font-family": family})
        for legend in (self.loss_legend, self.acc_legend):
            legend.clear()
            legend.setLabelTextColor(fg)  # before the items: it colours the labels made after it
        self.loss_legend.addItem(self.raw, self.t("batch"))
        self.loss_legend.addItem(self.smoothed, self.t("smoothed"))
        for prefix, key, _ in SETS:
            self.loss_legend.addItem(self.lines["loss", prefix], self.t(key))
            self.acc_legend.addItem(self.lines["accuracy", prefix], self.t(key))

    def _empty_ranges(self) -> None:
        """Before the first step: steps 0..10 and a loss of 0.01..10, not pyqtgraph's 0..1 (whose log axis
        crowds the labels 2..9 into one corner and whose step axis reads "(x0.001)"); the first points
        switch back to following the data."""
        self.loss_plot.setRange(xRange=(0, 10), yRange=(-2, 1), padding=0)
        self.loss_plot.enableAutoRange()

    # ---- data ---------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        start = time.perf_counter()
        super().paintEvent(event)
        self.paint_seconds = time.perf_counter() - start

    def reset(self) -> None:
        """Forget the curves (a new run). Not clear(): pyqtgraph binds that name to removing the plots."""
        self.loss, self.smooth, self.evaluations = [], [], []
        self._buf = numpy.empty((3, 1024))  # step, batch loss, smoothed loss: what the curves draw
        for item in (self.raw, self.smoothed, *self.lines.values()):
            item.setData([], [])
        self._empty_ranges()

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
            for (kind, prefix), item in self.lines.items():
                field = f"{prefix}_{kind}"
                pts = [(e.step, getattr(e, field)) for e in evaluations if getattr(e, field) is not None]
                item.setData([p[0] for p in pts], [p[1] for p in pts])

    def points(self) -> int:
        return len(self.loss) + len(self.evaluations)

    # ---- export -------------------------------------------------------------------------------------
    def csv_rows(self) -> Iterable[Sequence[object]]:
        """One row per step (its batch loss before the update) and per evaluation (step 0 is the start)."""
        yield CSV_COLUMNS
        by_step = {e.step: e for e in self.evaluations}
        for step in range(0, len(self.loss) + 1):
            e = by_step.get(step)
            if step == 0 and e is None:
                continue
            raw = self.loss[step - 1] if step else None
            smooth = self.smooth[step - 1] if step else None
            epoch = e.epoch if e is not None else step / self.steps_per_epoch
            yield [step, _num(epoch), _num(raw), _num(smooth),
                   *(_num(getattr(e, f"{prefix}_{kind}")) if e else ""
                     for prefix, _, _ in SETS for kind in ("loss", "accuracy"))]

    def export_csv(self, path: str | Path) -> None:
        write_atomic(path, csv_bytes(self.csv_rows()))

    def export_png(self, path: str | Path, scale: float = 2.0) -> None:
        """The curves as on screen, at `scale`× their size (for slides), written atomically."""
        exporter = ImageExporter(self.scene())
        exporter.parameters()["width"] = max(16, int(self.width() * scale))
        image = exporter.export(toBytes=True)
        if image is None or image.isNull():
            raise RenderError(f"{path}: the plot could not be drawn")
        write_atomic(path, png_bytes(image))
