"""A number on the canvas on its own light background, so a curve never runs through it."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from graphapp.ui.canvas.style import DETAIL_LOD, lod, text_size


class LabelItem(QGraphicsItem):
    def __init__(self, font: QFont, color: str, bg: str) -> None:
        super().__init__()
        self.text = ""
        self.font = font
        self.color = color
        self.bg = bg
        self.border: str | None = None
        self._size = (0.0, 0.0)
        self.setZValue(3)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_style(self, font: QFont, color: str, bg: str, border: str | None = None) -> None:
        self.prepareGeometryChange()
        self.font, self.color, self.bg, self.border = font, color, bg, border
        self._size = text_size(font, self.text) if self.text else (0.0, 0.0)
        self.update()

    def set_text(self, text: str, font: QFont | None = None) -> None:
        if text == self.text and (font is None or font == self.font):
            return
        self.prepareGeometryChange()
        self.text = text
        self.font = font or self.font
        self._size = text_size(self.font, text) if text else (0.0, 0.0)
        self.setVisible(bool(text))
        self.update()

    def size(self) -> tuple[float, float]:
        w, h = self._size
        return w + 10, h + 4

    def place(self, anchor: QPointF, normal: QPointF, gap: float = 3.0) -> None:
        """Sit beside `anchor` on the side `normal` (unit) points to, just clear of a line through it
        with that normal: on a steep curve the label moves sideways instead of onto the curve."""
        w, h = self.size()
        reach = abs(normal.x()) * w / 2 + abs(normal.y()) * h / 2 + gap
        self.setPos(anchor.x() + normal.x() * reach - w / 2, anchor.y() + normal.y() * reach - h / 2)

    def boundingRect(self) -> QRectF:  # noqa: N802
        w, h = self.size()
        return QRectF(0, 0, w, h)

    def paint(self, painter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:  # noqa: ANN001
        if not self.text or lod(painter, option) < DETAIL_LOD:
            return
        rect = self.boundingRect()
        bg = QColor(self.bg)
        bg.setAlpha(235)
        painter.setPen(QPen(QColor(self.border), 1.2) if self.border else Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(bg))
        painter.drawRoundedRect(rect, 5, 5)
        painter.setFont(self.font)
        painter.setPen(QColor(self.color))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.text)
