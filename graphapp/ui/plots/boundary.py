"""A 2-D classifier's decision regions (coloured by class, paler where it is unsure) with the data on top,
and its confusion matrix beside them."""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from graphapp.core.analysis.classify import DecisionGrid
from graphapp.ui.plots.common import COLORS, INK, PlotCanvas, font, legend


SIDE_BY_SIDE = 640  # pixels: narrower, the confusion matrix goes below the regions


def _rgb(i: int) -> numpy.ndarray:
    c = QColor(COLORS[i % len(COLORS)])
    return numpy.array([c.red(), c.green(), c.blue()], dtype=float)


class BoundaryPlot(PlotCanvas):
    design_width = 400  # the regions with their legend, the matrix below them (narrower: scaled)
    stacked: bool | None = None  # a class default: pyqtgraph sizes the widget before __init__ ends

    def __init__(self, lang: str = "en", parent=None) -> None:  # noqa: ANN001
        super().__init__(lang, parent)
        self.regions = self.new_plot(0, 0, title=self.t("boundary"), x="x1", y="x2")
        self.matrix = self.new_plot(0, 1, title=self.t("confusion"), x=self.t("predicted"), y=self.t("true"))
        self.grid: DecisionGrid | None = None
        self.confusion: numpy.ndarray | None = None
        self._arrange()

    def resizeEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt's signature
        if hasattr(self, "matrix"):  # not while pyqtgraph's __init__ sizes the widget
            self._arrange()
        super().resizeEvent(ev)

    def _arrange(self) -> None:
        """The matrix beside the regions (the exported picture, a wide dock), below them in a narrow one:
        side by side there, both would be scaled to half size."""
        stacked = self.width() < SIDE_BY_SIDE
        if stacked == self.stacked:
            return
        self.stacked = stacked
        layout = self.ci.layout
        self.ci.removeItem(self.matrix)
        self.ci.addItem(self.matrix, row=1 if stacked else 0, col=0 if stacked else 1)
        columns, rows = ((1, 0), (3, 2)) if stacked else ((3, 2), (1, 0))  # the regions get 3/5
        for i in (0, 1):
            layout.setColumnStretchFactor(i, columns[i])
            layout.setRowStretchFactor(i, rows[i])

    def set_run(self, run: Any, grid: DecisionGrid, confusion: numpy.ndarray) -> None:
        """From a graphapp.core.analysis.lab.LabRun: its data in the file's own units."""
        p = run.prepared
        test = p.test
        self.set_boundary(grid, p.x_scaler.invert(p.train.x), _labels(p.train.y),
                          None if test is None else p.x_scaler.invert(test.x), None if test is None else _labels(test.y),
                          [f"{v:g}" for v in run.data.class_values])
        self.set_confusion(confusion, [f"{v:g}" for v in run.data.class_values])

    def set_boundary(self, grid: DecisionGrid, x: numpy.ndarray, y: numpy.ndarray, x_test: numpy.ndarray | None,
                     y_test: numpy.ndarray | None, names: Sequence[str]) -> None:
        self.regions.clear()
        self.grid = grid
        k = grid.probs.shape[2]
        colours = numpy.stack([_rgb(i) for i in range(k)])
        confidence = grid.probs.max(axis=2, keepdims=True)
        # a sure region shows its class's colour at 45%, an unsure one fades to white
        strength = 0.45 * (confidence - 1.0 / k) / (1.0 - 1.0 / k)
        rgb = 255.0 * (1 - strength) + colours[grid.classes] * strength
        image = pg.ImageItem(rgb.clip(0, 255).astype(numpy.uint8), axisOrder="row-major", levels=(0, 255))
        xs, ys = grid.xs, grid.ys
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        image.setRect(QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy))
        self.regions.addItem(image)
        if k == 2:  # the boundary itself, where p = 0.5
            line = pg.IsocurveItem(grid.probs[:, :, 1], 0.5, pen=pg.mkPen(INK, width=2), axisOrder="row-major")
            line.setParentItem(image)
        legend(self.regions, columns=2)
        for c in range(k):
            for rows, labels, symbol, part in ((x, y, "o", "train"), (x_test, y_test, "t", "test")):
                if rows is None or labels is None or not (labels == c).any():
                    continue
                pts = rows[labels == c]
                self.regions.plot(pts[:, 0], pts[:, 1], pen=None, symbol=symbol, symbolSize=8 if part == "train" else 10,
                                  symbolBrush=QColor(COLORS[c % len(COLORS)]), symbolPen=pg.mkPen(INK, width=0.8),
                                  name=f"{self.t('class')} {names[c]} ({self.t(part)})")
        self.regions.setRange(xRange=(xs[0], xs[-1]), yRange=(ys[0], ys[-1]), padding=0)

    def set_confusion(self, counts: numpy.ndarray, names: Sequence[str]) -> None:
        m = self.matrix
        m.clear()
        self.confusion = counts
        k = len(counts)
        shade = counts / max(int(counts.max()), 1)
        rgb = 255.0 - shade[..., None] * (255.0 - numpy.array([0.0, 114.0, 178.0]))
        image = pg.ImageItem(rgb[::-1].astype(numpy.uint8), axisOrder="row-major", levels=(0, 255))  # class 0 on top
        image.setRect(QRectF(-0.5, -0.5, k, k))
        m.addItem(image)
        for i in range(k):
            for j in range(k):
                text = pg.TextItem(str(int(counts[i, j])), color="w" if shade[i, j] > 0.55 else INK, anchor=(0.5, 0.5))
                text.setFont(font(16 if k <= 5 else 12, bold=i == j))
                text.setPos(j, k - 1 - i)
                m.addItem(text)
        m.getAxis("bottom").setTicks([[(j, names[j]) for j in range(k)]])
        m.getAxis("left").setTicks([[(k - 1 - i, names[i]) for i in range(k)]])
        m.setRange(xRange=(-0.5, k - 0.5), yRange=(-0.5, k - 0.5), padding=0)
        m.setAspectLocked(True)

    def csv_rows(self) -> Iterable[Sequence[object]]:
        if self.confusion is None:
            return
        k = len(self.confusion)
        yield ["true \\ predicted", *range(k)]
        for i in range(k):
            yield [i, *(int(v) for v in self.confusion[i])]


def _labels(y: numpy.ndarray) -> numpy.ndarray:
    return (y if y.ndim == 1 else y[:, 0]).astype(numpy.int64)
