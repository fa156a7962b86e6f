"""A CNN's filters or feature maps as a grid of small heat maps, each on its own colour scale (what matters
in a filter is its pattern; a shared scale would leave the weaker ones blank). Filters use a diverging map
(negative blue, positive red, zero white in the middle), feature maps viridis beside the input picture."""
from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy
import pyqtgraph as pg

from graphapp.core.analysis.feature_maps import ImageGrid
from graphapp.ui.plots.common import INK, PlotCanvas

TITLES = {"filters": ("Filters of {layer}", "{layer}의 필터"),
          "maps": ("Feature maps of {layer}", "{layer}의 특징 맵"),
          "shown": (" (first {n} of {total})", " (전체 {total}개 중 처음 {n}개)"),
          "input": ("input", "입력")}


def _text(key: str, lang: str, **fmt: object) -> str:
    en, ko = TITLES[key]
    return (ko if lang == "ko" else en).format(**fmt)


class FeatureMapPlot(PlotCanvas):
    design_width = 480  # five maps a row with their numbers

    def __init__(self, lang: str = "en", parent=None) -> None:  # noqa: ANN001
        super().__init__(lang, parent)
        self.grid: ImageGrid | None = None

    def set_grid(self, grid: ImageGrid) -> None:
        self.clear()
        self.grid = grid
        tiles = [(_text("input", self.lang), grid.source)] if grid.source is not None else []
        tiles += list(zip(grid.titles, grid.images))
        cols = min(8, math.ceil(math.sqrt(len(tiles))))
        shown = "" if grid.total == len(grid.images) else _text("shown", self.lang, n=len(grid.images), total=grid.total)
        self.addLabel(_text(grid.kind, self.lang, layer=grid.layer) + shown, row=0, col=0, colspan=cols,
                      color=INK, size="14pt")
        for i, (title, image) in enumerate(tiles):
            plot = self.new_plot(1 + i // cols, i % cols, title=title)
            for side in ("left", "bottom"):
                plot.hideAxis(side)
            plot.setMouseEnabled(False, False)
            plot.setAspectLocked(True)
            plot.invertY(True)  # row 0 at the top, as an image
            item = pg.ImageItem(numpy.asarray(image, dtype=float), axisOrder="row-major")
            if grid.kind == "filters":
                top = float(numpy.abs(image).max()) or 1.0
                item.setColorMap(pg.colormap.get("CET-D1"))
                item.setLevels((-top, top))
            else:
                item.setColorMap(pg.colormap.get("viridis"))
                lo, hi = float(image.min()), float(image.max())
                item.setLevels((lo, hi if hi > lo else lo + 1.0))
            plot.addItem(item)
            plot.setRange(xRange=(0, image.shape[1]), yRange=(0, image.shape[0]), padding=0.02)

    def csv_rows(self) -> Iterable[Sequence[object]]:
        if self.grid is None:
            return
        yield ["image", "row", "col", "value"]
        tiles = [("input", self.grid.source)] if self.grid.source is not None else []
        for title, image in tiles + list(zip(self.grid.titles, self.grid.images)):
            for (r, c), v in numpy.ndenumerate(image):
                yield [title, r, c, float(v)]
