"""A port: where an edge starts (the node's output, right) or ends (a named input, left)."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from graphapp.ui.canvas.style import DETAIL_LOD, lod


class PortItem(QGraphicsItem):
    def __init__(self, parent: QGraphicsItem, node_id: str, port: str | None) -> None:
        super().__init__(parent)
        self.node_id = node_id
        self.port = port  # None: the output port
        self.radius = 4.5
        self.hot = False  # under the cursor, or a valid target during a connection drag
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(port or "out")
        self.setZValue(2)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)  # idle: the node draws it

    @property
    def is_output(self) -> bool:
        return self.port is None

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        r = self.radius * 2.2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:
        # A larger hit area than the dot: ports are small and lecturers click fast.
        path = QPainterPath()
        path.addEllipse(self.boundingRect())
        return path

    def set_hot(self, hot: bool) -> None:
        if hot != self.hot:
            self.hot = hot
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, not hot)
            self.update()

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        self.set_hot(True)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        self.set_hot(False)

    def paint(self, painter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:  # noqa: ANN001
        # An idle port is drawn by its node (one item to paint instead of three); a hot one draws itself.
        if not self.hot or lod(painter, option) < DETAIL_LOD:
            return
        theme = self.scene().style.theme
        r = self.radius * 1.5
        painter.setPen(QPen(QColor(theme.current), 1.2))
        painter.setBrush(QBrush(QColor(theme.current)))
        painter.drawEllipse(QRectF(-r, -r, 2 * r, 2 * r))
