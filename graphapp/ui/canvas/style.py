"""Fonts and sizes shared by the canvas items, derived from the theme (presentation scales them)."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem

from graphapp.ui.fonts import canvas_font
from graphapp.ui.theme import Theme


class Style:
    def __init__(self, theme: Theme, lang: str) -> None:
        self.theme = theme
        self.lang = lang
        s = theme.scale
        self.radius = 26 * s  # round op nodes
        self.port_r = 4.5 * s
        self.pad = 10 * s
        self.edge_width = 1.6 * s
        self.current_width = 3.4 * s
        self.name = canvas_font(14 * s, bold=True)
        self.value = canvas_font(14 * s)
        self.small = canvas_font(14 * s)  # node names, messages
        self.label = canvas_font(15 * s, bold=True)  # numbers on edges: they must read from the back row
        self.grad = canvas_font(14 * s, bold=True)
        self.matrix = canvas_font(14 * s)  # matrices: many numbers, smaller and regular

    def smallest_text(self) -> float:
        """Pixel size of the smallest text the canvas draws (matrices, node names)."""
        return min(f.pixelSize() for f in (self.name, self.value, self.small, self.label, self.grad, self.matrix))

    def readable_zoom(self) -> float:
        """The least zoom at which every number is still READABLE_PX on screen."""
        return READABLE_PX / self.smallest_text()

    def symbol_font(self, symbol: str) -> QFont:
        size = 24 if len(symbol) <= 2 else 17 if len(symbol) <= 4 else 12
        return canvas_font(size * self.theme.scale, bold=len(symbol) <= 2)


ITEM_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache  # items as cached pictures: scrolling blits them
DETAIL_LOD = 0.35  # below this zoom, text is unreadable anyway: draw shapes only (big graphs stay fast)
READABLE_PX = 11.0  # the smallest text on screen that the back row of a lecture hall can still read


def lod(painter, option) -> float:  # noqa: ANN001
    return option.levelOfDetailFromTransform(painter.worldTransform())


@lru_cache(maxsize=1 << 16)  # above the node count of a big graph: layout and scene measure every name
def _text_size(family: str, pixel: int, bold: bool, text: str) -> tuple[float, float]:
    font = QFont(family)
    font.setPixelSize(pixel)
    font.setBold(bold)
    r = QFontMetricsF(font).boundingRect(QRectF(0, 0, 1e6, 1e6), int(Qt.AlignmentFlag.AlignLeft), text)
    return r.width(), r.height()


def text_size(font: QFont, text: str) -> tuple[float, float]:
    """Width and height of (possibly multi-line) text; cached because stepping re-measures labels."""
    return _text_size(font.family(), font.pixelSize(), font.bold(), text)
