"""What every training-lab plot shares: a light pyqtgraph canvas, its text in two languages, the optimizers'
colours, heat maps with contour lines, and the PNG/CSV export the CLI and the window's docks both call."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Iterable, Sequence

import numpy
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont

from graphapp.core.safeio import write_atomic
from graphapp.ui.fonts import register_fonts
from graphapp.ui.render import check_size, png_bytes

TEXT = {  # key -> (English, Korean)
    "race": ("Optimizer race", "최적화 기법 경주"),
    "start": ("start", "시작점"),
    "step": ("step", "스텝"),
    "landscape": ("Loss landscape (filter-normalized directions)", "손실 지형 (필터 정규화 방향)"),
    "landscape_pca": ("Loss landscape (the path's principal components)", "손실 지형 (학습 경로의 주성분)"),
    "path": ("training path", "학습 경로"),
    "end": ("trained", "학습 끝"),
    "d1": ("direction 1 (α)", "방향 1 (α)"),
    "d2": ("direction 2 (β)", "방향 2 (β)"),
    "pc1": ("principal component 1", "주성분 1"),
    "pc2": ("principal component 2", "주성분 2"),
    "cost": ("cost(W) of H = W·x, x = y = [1, 2, 3]", "비용 cost(W), H = W·x, x = y = [1, 2, 3]"),
    "loss": ("loss", "손실"),
    "layer": ("layer", "층"),
    "activation": ("activation value", "활성화 값"),
    "count": ("count", "개수"),
    "zeros": ("bar at 0: {n:,} (clipped)", "0 막대: {n:,}개 (잘림)"),
    "boundary": ("Decision boundary", "결정 경계"),
    "confusion": ("Confusion matrix", "혼동 행렬"),
    "predicted": ("predicted class", "예측한 클래스"),
    "true": ("true class", "실제 클래스"),
    "train": ("train", "학습"),
    "test": ("test", "테스트"),
    "validation": ("validation", "검증"),
    "accuracy": ("accuracy", "정확도"),
    "epoch": ("epoch", "에폭"),
    "step_updates": ("step (updates)", "단계 (갱신 횟수)"),
    "batch": ("batch", "배치"),
    "smoothed": ("batch, smoothed", "배치 (평활)"),
    "class": ("class", "클래스"),
}
# Distinct on white and for the common colour-vision deficiencies (Okabe–Ito, plus two darker tones).
COLORS = ("#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#0072B2", "#6A3D9A", "#222222")
INK = "#222222"
ONE_LINE_TITLE = 640  # pixels: narrower, a title's number goes on a second line


def tr(key: str, lang: str) -> str:
    en, ko = TEXT[key]
    return ko if lang == "ko" else en


def font(pixels: int = 14, bold: bool = False) -> QFont:
    f = QFont(register_fonts())
    f.setPixelSize(pixels)
    f.setBold(bold)
    return f


class PlotCanvas(pg.GraphicsLayoutWidget):
    """A white GraphicsLayoutWidget whose plots use the bundled font (Korean needs it) and dark ink.

    Narrower than `design_width` (a narrow dock), the plots are laid out at that width and the whole
    picture scaled down to fit, text included: smaller, but nothing overlaps or is cut off, and the
    proportions stay those of the widget (no stretching)."""

    design_width = 0  # pixels the layout needs for its titles, legends and ticks; 0: any width
    titles: dict[pg.PlotItem, str] | None = None  # set_title's, per plot (None while pyqtgraph's __init__ runs)

    def __init__(self, lang: str = "en", parent=None) -> None:  # noqa: ANN001 - any QWidget
        super().__init__(parent=parent, show=False, size=None, title=None, border=None)
        self.setBackground("w")
        self.lang = lang
        self.titles = {}

    def set_title(self, plot: pg.PlotItem, title: str) -> None:
        """A title in one line where it fits (an exported picture), its part after " — " (the number)
        on a second line in a narrow dock."""
        self.titles[plot] = title
        shown = title.replace(" — ", "<br>") if self.width() < ONE_LINE_TITLE else title
        if shown != plot.titleLabel.text:
            plot.setTitle(shown, color=INK, size="13pt")

    def resizeEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt's signature
        for plot, title in (self.titles or {}).items():
            self.set_title(plot, title)
        w, h = self.width(), self.height()
        if 0 < w < self.design_width:
            self.setRange(QRectF(0, 0, self.design_width, h * self.design_width / w), padding=0)
            self.setAspectLocked(True)
        elif not self.autoPixelRange:
            self.autoPixelRange = True
            self.setAspectLocked(False)
        super().resizeEvent(ev)

    def fit_scale(self) -> float:
        """How much the picture is scaled down to fit (1.0: drawn at its own size)."""
        return 1.0 if self.autoPixelRange else self.width() / self.range.width()

    def t(self, key: str) -> str:
        return tr(key, self.lang)

    def new_plot(self, row: int, col: int, title: str = "", x: str = "", y: str = "", **kwargs: object) -> pg.PlotItem:
        plot = self.addPlot(row=row, col=col, **kwargs)
        style = {"color": INK, "font-size": "13pt", "font-family": register_fonts()}
        if title:
            plot.setTitle(title, color=INK, size="13pt", family=register_fonts())
        for side, text in (("bottom", x), ("left", y)):
            axis = plot.getAxis(side)
            axis.setPen(INK)
            axis.setTextPen(INK)
            axis.setTickFont(font(12))
            if text:
                axis.setLabel(text, **style)
        return plot

    def csv_rows(self) -> Iterable[Sequence[object]]:
        """The plotted numbers as rows (header first); each plot defines its own."""
        return []


def heat_map(plot: pg.PlotItem, z: numpy.ndarray, xs: numpy.ndarray, ys: numpy.ndarray, cmap: str = "viridis",
             contours: int = 12, log: bool = False) -> pg.ImageItem:
    """z[i, j] at (xs[j], ys[i]) as a coloured image with contour lines; NaN (undefined) shows grey."""
    shown = numpy.log1p(z - numpy.nanmin(z)) if log and numpy.isfinite(z).any() else z
    finite = numpy.isfinite(shown)
    lo, hi = (float(numpy.min(shown[finite])), float(numpy.max(shown[finite]))) if finite.any() else (0.0, 1.0)
    hi = hi if hi > lo else lo + 1.0
    image = pg.ImageItem(numpy.where(finite, shown, lo), axisOrder="row-major")
    image.setColorMap(pg.colormap.get(cmap))
    image.setLevels((lo, hi))
    dx, dy = (xs[-1] - xs[0]) / max(len(xs) - 1, 1), (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
    rect = QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)
    image.setRect(rect)
    plot.addItem(image)
    if not finite.all():
        rgba = numpy.zeros((*z.shape, 4), dtype=numpy.uint8)
        rgba[~finite] = (190, 190, 190, 255)  # where the function is undefined
        grey = pg.ImageItem(rgba, axisOrder="row-major", levels=(0, 255))
        grey.setRect(rect)
        plot.addItem(grey)
    for level in numpy.linspace(lo, hi, contours + 2)[1:-1]:
        line = pg.IsocurveItem(numpy.where(finite, shown, hi), float(level), pen=pg.mkPen((255, 255, 255, 150), width=1),
                               axisOrder="row-major")
        line.setParentItem(image)
    plot.setRange(xRange=(xs[0], xs[-1]), yRange=(ys[0], ys[-1]), padding=0)
    return image


def legend(plot: pg.PlotItem, offset: tuple[int, int] = (-10, 10), columns: int = 1) -> pg.LegendItem:
    item = plot.addLegend(offset=offset, labelTextColor=INK, labelTextSize="12pt", colCount=columns,
                          brush=pg.mkBrush(255, 255, 255, 220), pen=pg.mkPen("#999999"))
    # pyqtgraph keeps a legend at screen size: in a picture scaled down to fit (design_width) it would
    # then cover the plot it explains, so it scales with the rest
    item.setFlag(item.GraphicsItemFlag.ItemIgnoresTransformations, False)
    return item


def grab_png(widget: PlotCanvas, size: tuple[int, int]) -> bytes:
    """The widget drawn at exactly `size` pixels, PNG-encoded."""
    from graphapp.ui.render import ensure_app  # noqa: PLC0415

    app = ensure_app()
    widget.resize(*size)
    widget.show()
    app.processEvents()
    image = widget.grab()
    if (image.width(), image.height()) != size:
        image = image.scaled(*size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return png_bytes(image)


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def save(widget: PlotCanvas, out: str | os.PathLike[str], size: tuple[int, int], with_csv: bool = True) -> Path:
    """Write the picture atomically, and its numbers beside it (same name, .csv)."""
    check_size(*size)
    out = Path(out)
    write_atomic(out, grab_png(widget, size))
    if with_csv:
        write_atomic(out.with_suffix(".csv"), csv_bytes(widget.csv_rows()))
    return out


def color(i: int) -> QColor:
    return QColor(COLORS[i % len(COLORS)])
