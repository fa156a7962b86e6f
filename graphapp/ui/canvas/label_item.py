"""A number on the canvas on its own light background, so a curve never runs through it; a matrix may
carry a caption above it in a quieter colour (its shape, "[4, 2]")."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from graphapp.ui.canvas.numtext import block_size, draw_block
from graphapp.ui.canvas.style import ITEM_CACHE, DETAIL_LOD, lod, text_size

PAD_X, PAD_Y = 5.0, 2.0
NO_BUTTON = Qt.MouseButton.NoButton  # looked up once: PySide6 enum access is slow, and every edge has two labels


class LabelItem(QGraphicsItem):
    def __init__(self, font: QFont, color: str, bg: str, owner: object = None) -> None:
        super().__init__()
        self.text = ""  # what the label says
        self.shown = ""  # how it is drawn: the text, or the text broken over two lines where room is short
        self.font = font
        self.color = color
        self.bg = bg
        self.border: str | None = None
        self.owner = owner  # the EdgeItem that places it (None: a free-standing message)
        self.caption = ""  # drawn above the text, in caption_font and caption_color
        self.caption_font: QFont | None = None
        self.caption_color = color
        self._size = (0.0, 0.0)
        self.setZValue(3)
        # Scrolling to follow the playhead repaints the whole view: blit a cached picture instead.
        self.setCacheMode(ITEM_CACHE)
        self.setAcceptedMouseButtons(NO_BUTTON)

    def set_style(self, font: QFont, color: str, bg: str, border: str | None = None) -> None:
        self.prepareGeometryChange()
        self.font, self.color, self.bg, self.border = font, color, bg, border
        self._size = block_size(font, self.shown) if self.shown else (0.0, 0.0)
        self.update()

    def set_text(self, text: str, font: QFont | None = None, shown: str | None = None) -> None:
        shown = text if shown is None else shown
        if text == self.text and shown == self.shown and (font is None or font == self.font):
            return
        self.prepareGeometryChange()
        self.text, self.shown = text, shown
        self.font = font or self.font
        self._size = block_size(self.font, shown) if shown else (0.0, 0.0)
        self.setVisible(bool(text))
        self.update()

    def set_caption(self, caption: str | None, font: QFont, color: str) -> None:
        caption = caption or ""
        if caption == self.caption and font == self.caption_font and color == self.caption_color:
            return
        self.prepareGeometryChange()
        self.caption, self.caption_font, self.caption_color = caption, font, color
        self.update()

    def _caption_size(self) -> tuple[float, float]:
        return text_size(self.caption_font, self.caption) if self.caption and self.caption_font else (0.0, 0.0)

    def size(self) -> tuple[float, float]:
        w, h = self._size
        cw, ch = self._caption_size()
        return max(w, cw) + 2 * PAD_X, h + ch + 2 * PAD_Y

    def offset_for(self, anchor: QPointF, normal: QPointF, gap: float = 3.0) -> QPointF:
        """Top-left corner that puts the label beside `anchor` on the side `normal` (unit) points to,
        just clear of a line through it with that normal: on a steep curve the label moves sideways
        instead of onto the curve."""
        w, h = self.size()
        reach = abs(normal.x()) * w / 2 + abs(normal.y()) * h / 2 + gap
        return QPointF(anchor.x() + normal.x() * reach - w / 2, anchor.y() + normal.y() * reach - h / 2)

    def place(self, anchor: QPointF, normal: QPointF, gap: float = 3.0) -> None:
        self.setPos(self.offset_for(anchor, normal, gap))

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
        cw, ch = self._caption_size()
        if ch:
            painter.setFont(self.caption_font)
            painter.setPen(QColor(self.caption_color))
            painter.drawText(QRectF(rect.left(), rect.top() + PAD_Y, rect.width(), ch),
                             int(Qt.AlignmentFlag.AlignCenter), self.caption)
            rect = rect.adjusted(0, ch, 0, 0)
        painter.setPen(QColor(self.color))
        draw_block(painter, rect, self.font, self.shown)
