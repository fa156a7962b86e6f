"""A trained network's loss on a 2-D slice with its projected training path; the lecture's 1-D cost(W) curve."""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy
import pyqtgraph as pg

from graphapp.core.analysis.landscape import Landscape
from graphapp.ui.plots.common import INK, PlotCanvas, heat_map, legend


class LandscapePlot(PlotCanvas):
    design_width = 420  # the title in two lines, the legend

    def __init__(self, lang: str = "en", parent=None) -> None:  # noqa: ANN001
        super().__init__(lang, parent)
        self.plot = self.new_plot(0, 0, x=self.t("d1"), y=self.t("d2"))
        self.data: Landscape | None = None

    def set_landscape(self, data: Landscape) -> None:
        self.plot.clear()
        self.data = data
        heat_map(self.plot, data.loss, data.alphas, data.betas, cmap="plasma", contours=14, log=True)
        pca = data.directions == "pca"
        title = self.t("landscape_pca" if pca else "landscape")
        self.set_title(self.plot, f"{title} — {self.t('loss')} {data.center_loss:.4g}")
        self.plot.setLabel("bottom", self.t("pc1" if pca else "d1"))
        self.plot.setLabel("left", self.t("pc2" if pca else "d2"))
        legend(self.plot)
        if len(data.path):
            p = data.path
            self.plot.plot(p[:, 0], p[:, 1], pen=pg.mkPen("w", width=2.5), symbol="o", symbolSize=5,
                           symbolBrush="w", symbolPen=None, name=self.t("path"))
            self.plot.plot([p[0, 0]], [p[0, 1]], pen=None, symbol="star", symbolSize=20, symbolBrush="#56B4E9",
                           symbolPen=pg.mkPen(INK), name=self.t("start"))
        self.plot.plot([0.0], [0.0], pen=None, symbol="o", symbolSize=14, symbolBrush="#009E73",
                       symbolPen=pg.mkPen("w", width=2), name=self.t("end"))
        self.plot.setAspectLocked(True)

    def csv_rows(self) -> Iterable[Sequence[object]]:
        if self.data is None:
            return
        yield ["alpha", "beta", "loss"]
        for i, b in enumerate(self.data.betas):
            for j, a in enumerate(self.data.alphas):
                v = self.data.loss[i, j]
                yield [a, b, "" if numpy.isnan(v) else v]


class CostCurvePlot(PlotCanvas):
    def __init__(self, lang: str = "en", parent=None) -> None:  # noqa: ANN001
        super().__init__(lang, parent)
        self.plot = self.new_plot(0, 0, title=self.t("cost"), x="W", y="cost(W)")
        self.rows: list[tuple[float, float, float]] = []

    def set_curve(self, ws: numpy.ndarray, cost: numpy.ndarray, grad: numpy.ndarray) -> None:
        self.plot.clear()
        self.rows = list(zip(ws.tolist(), cost.tolist(), grad.tolist()))
        self.plot.plot(ws, cost, pen=pg.mkPen("#0072B2", width=3))
        best = int(numpy.argmin(cost))
        self.plot.plot([ws[best]], [cost[best]], pen=None, symbol="o", symbolSize=12, symbolBrush="#D55E00")
        label = pg.TextItem(f"W = {ws[best]:g}, cost = {cost[best]:.3g}", color=INK, anchor=(0.5, 1.3))
        label.setPos(ws[best], cost[best])
        self.plot.addItem(label)
        self.plot.showGrid(x=True, y=True, alpha=0.25)

    def csv_rows(self) -> Iterable[Sequence[object]]:
        yield ["W", "cost", "dcost_dW"]
        yield from self.rows
