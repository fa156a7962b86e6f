"""The optimizer race: the function as a heat map with contours, each optimizer's path in its own colour."""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy
import pyqtgraph as pg

from graphapp.core.analysis.race import Path, Surface
from graphapp.ui.plots.common import INK, PlotCanvas, color, heat_map, legend

NAMES = {"sgd": "SGD", "momentum": "Momentum", "nag": "NAG", "adagrad": "AdaGrad", "rmsprop": "RMSProp",
         "adadelta": "AdaDelta", "adam": "Adam", "nadam": "NAdam"}


KEY_INSIDE_FROM = 560  # pixels: narrower, the key goes below the plot, in columns
KEY_COLUMNS = 2  # nine entries of about 170 px


class RacePlot(PlotCanvas):
    design_width = 420  # the plot, its key below it in two columns (narrower: scaled)
    below: bool | None = None  # class defaults: pyqtgraph sizes the widget before __init__ ends
    surface: Surface | None = None

    def __init__(self, lang: str = "en", parent=None) -> None:  # noqa: ANN001
        super().__init__(lang, parent)
        self.plot = self.new_plot(0, 0, x="x", y="y")
        self.paths: list[Path] = []
        self.curves: list[pg.PlotDataItem] = []
        self.step: int | None = None  # the animation's frame; None: every path whole
        self.key: pg.LegendItem | None = None  # the key below the plot, in a narrow dock

    def resizeEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt's signature
        """The key of nine entries inside the plot where it is wide (the exported picture), below it in a
        narrow dock, where inside it would hide the paths."""
        below = self.width() < KEY_INSIDE_FROM
        if below != self.below:
            self.below = below
            if self.surface is not None:
                self.set_race(self.surface, self.paths)
        super().resizeEvent(ev)

    def set_race(self, surface: Surface, paths: Sequence[Path], grid: int = 161) -> None:
        self.plot.clear()
        self.surface, self.paths = surface, list(paths)
        xs, ys, z = surface.grid(grid, _view(surface, paths))
        heat_map(self.plot, z, xs, ys, cmap="viridis", log=True)
        self.plot.setTitle(f"{self.t('race')}: {surface.function.title}", color=INK, size="13pt")
        inside = legend(self.plot)
        inside.setVisible(not self.below)
        if self.key is not None:
            self.ci.removeItem(self.key)
            self.key = None
        if self.below:
            self.key = pg.LegendItem(labelTextColor=INK, labelTextSize="12pt", colCount=KEY_COLUMNS)
            self.key.setFlag(self.key.GraphicsItemFlag.ItemIgnoresTransformations, False)  # scaled with the rest
            self.ci.addItem(self.key, row=1, col=0)
        self.curves = []
        for i, p in enumerate(self.paths):
            pts = numpy.asarray(p.points)
            curve = self.plot.plot(pts[:, 0], pts[:, 1], pen=pg.mkPen(color(i), width=2.5),
                                   symbol="o", symbolSize=5, symbolBrush=color(i), symbolPen=None,
                                   name=f"{NAMES[p.optimizer]} (lr {p.lr:g})")
            self.curves.append(curve)
        if self.paths:
            x0, y0 = self.paths[0].points[0]
            self.plot.plot([x0], [y0], pen=None, symbol="star", symbolSize=22, symbolBrush="w",
                           symbolPen=pg.mkPen(INK, width=1.5), name=self.t("start"))
        if self.key is not None:
            for sample, label in inside.items:
                self.key.addItem(sample.item, label.text)
        if self.step is not None:
            self.show_step(self.step)

    def show_step(self, step: int) -> None:
        """Each path up to `step` (the window animates the race side by side with this)."""
        self.step = step
        for curve, p in zip(self.curves, self.paths):
            pts = numpy.asarray(p.points[:step + 1])
            curve.setData(pts[:, 0], pts[:, 1])

    def csv_rows(self) -> Iterable[Sequence[object]]:
        yield ["optimizer", "lr", "step", "x", "y", "f"]
        for p in self.paths:
            for i, ((x, y), v) in enumerate(zip(p.points, p.values)):
                yield [p.optimizer, p.lr, i, x, y, v]


def _view(surface: Surface, paths: Sequence[Path]) -> tuple[float, float, float, float]:
    """The function's own window, widened to hold the paths (an overshooting SGD leaves it), but by at most
    half its size on each side: a path that runs away (SGD leaving a saddle) is cut at the edge, and the
    function stays readable."""
    x0, x1, y0, y1 = surface.function.view
    pts = numpy.array([pt for p in paths for pt in p.points] or [[x0, y0]])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    w, h = x1 - x0, y1 - y0
    lo_x, hi_x = max(min(x0, lo[0] - 0.05 * w), x0 - w / 2), min(max(x1, hi[0] + 0.05 * w), x1 + w / 2)
    lo_y, hi_y = max(min(y0, lo[1] - 0.05 * h), y0 - h / 2), min(max(y1, hi[1] + 0.05 * h), y1 + h / 2)
    return lo_x, hi_x, lo_y, hi_y
