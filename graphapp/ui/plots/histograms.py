"""The initialization experiment: one histogram of activations per hidden layer, side by side (two a row in a
narrow dock), same scales."""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy
import pyqtgraph as pg

from graphapp.core.analysis.histograms import Histograms
from graphapp.ui.plots.common import INK, PlotCanvas, font

WIDE_COLUMNS = 5  # layers a row where the width allows (the experiment has five)
WIDE_FROM = 640  # pixels: narrower, two layers a row
INIT_NAMES = {"normal": ("std {std:g}", "표준편차 {std:g}"), "xavier": ("Xavier (std {std:.3g})", "Xavier (표준편차 {std:.3g})"),
              "he": ("He (std {std:.3g})", "He (표준편차 {std:.3g})")}


class HistogramPlot(PlotCanvas):
    design_width = 340  # two layers a row
    columns = WIDE_COLUMNS  # a class default: pyqtgraph resizes the widget before __init__ returns
    data: Histograms | None = None

    def resizeEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt's signature
        """Every layer in one row where there is room (the lecture's figure), two a row in a narrow dock."""
        columns = WIDE_COLUMNS if self.width() >= WIDE_FROM else 2
        if columns != self.columns:
            self.columns = columns
            if self.data is not None:
                self.set_histograms(self.data)
        super().resizeEvent(ev)

    def set_histograms(self, data: Histograms) -> None:
        self.clear()
        self.data = data
        cols = min(self.columns, len(data.layers))
        en, ko = INIT_NAMES[data.init]
        init = (ko if self.lang == "ko" else en).format(std=data.std)
        self.addLabel(f"{data.activation}, {init}", row=0, col=0, colspan=cols, color=INK, size="14pt")
        # ReLU sends about half its inputs to exactly 0: that bar would flatten the rest, so (as the lecture's
        # figures do) the scale follows the other bars and the clipped bar's count is written on it
        clip = data.activation == "relu"
        top = max(int(layer.counts[1:].max() if clip else layer.counts.max()) for layer in data.layers) * 1.15 or 1
        width = data.edges[1] - data.edges[0]
        first = None
        for i, layer in enumerate(data.layers):
            row, col = 1 + i // cols, i % cols
            plot = self.new_plot(row, col, title=f"{self.t('layer')} {i + 1}",
                                 x=self.t("activation") if i + cols >= len(data.layers) else "",
                                 y=self.t("count") if col == 0 else "")
            plot.addItem(pg.BarGraphItem(x0=data.edges[:-1], width=width, height=layer.counts,
                                         brush="#0072B2", pen=pg.mkPen("#004A75", width=0.5)))
            plot.setXRange(float(data.edges[0]), float(data.edges[-1]), padding=0.02)
            if cols < WIDE_COLUMNS:  # pyqtgraph packs "0.20.40.6" edge to edge on a narrow plot: three ticks
                lo, hi = float(data.edges[0]), float(data.edges[-1])  # (a label at an end would be hidden)
                plot.getAxis("bottom").setTicks([[(v, f"{v:.3g}") for v in numpy.linspace(lo, hi, 5)[1:-1]]])
            plot.setYRange(0, top * 1.45, padding=0)  # the upper third holds the layer's numbers, above the bars
            note = f"\n{self.t('zeros').format(n=int(layer.counts[0]))}" if clip and layer.counts[0] > top else ""
            text = pg.TextItem(f"μ {layer.mean:.3f}\nσ {layer.std:.3f}{note}", color=INK, anchor=(0.5, 0))
            text.setFont(font(13))
            text.setPos(float(numpy.mean(data.edges[[0, -1]])), top * 1.43)
            plot.addItem(text)
            if col == 0:
                plot.getAxis("left").setWidth(72)  # room for the count labels beside the axis title
            else:
                plot.getAxis("left").setStyle(showValues=False)
            if first is None:
                first = plot
            else:
                plot.setYLink(first)

    def csv_rows(self) -> Iterable[Sequence[object]]:
        if self.data is None:
            return
        yield ["bin_low", "bin_high", *(f"layer{i + 1}" for i in range(len(self.data.layers)))]
        for b in range(len(self.data.edges) - 1):
            yield [self.data.edges[b], self.data.edges[b + 1], *(int(l.counts[b]) for l in self.data.layers)]
