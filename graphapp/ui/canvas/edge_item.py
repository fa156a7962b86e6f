"""An edge: a smooth curve from an output port to an input port, with an arrowhead.

Its labels (forward value above, gradient below) are separate LabelItems owned by the edge, so a
step only changes their text; the curve is recomputed only when a node moves.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from graphapp.core.graph import Edge
from graphapp.ui.canvas.label_item import LabelItem
from graphapp.ui.canvas.style import Style

Key = tuple[str, str, str]


def curve(p0: QPointF, p3: QPointF) -> QPainterPath:
    """A horizontal-tangent cubic, like the lectures' figures."""
    dx = max(40.0, abs(p3.x() - p0.x()) * 0.5)
    path = QPainterPath(p0)
    path.cubicTo(QPointF(p0.x() + dx, p0.y()), QPointF(p3.x() - dx, p3.y()), p3)
    return path


class EdgeItem(QGraphicsItem):
    def __init__(self, edge: Edge, src, dst, style: Style) -> None:  # noqa: ANN001 - NodeItems
        super().__init__()
        self.edge = edge
        self.src, self.dst = src, dst
        self.style = style
        self.current = False
        self.flowed = False  # a gradient has crossed it
        self.path = QPainterPath()
        self.value_label = LabelItem(style.label, style.theme.ink, style.theme.label_bg)
        self.grad_label = LabelItem(style.grad, style.theme.grad, style.theme.label_bg)
        for label in (self.value_label, self.grad_label):
            label.setVisible(False)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(0)
        self.update_path()

    @property
    def key(self) -> Key:
        return (self.edge.src, self.edge.dst, self.edge.port)

    def add_to(self, scene: QGraphicsScene) -> None:
        scene.addItem(self)
        scene.addItem(self.value_label)
        scene.addItem(self.grad_label)

    def remove_from(self, scene: QGraphicsScene) -> None:
        for item in (self.value_label, self.grad_label, self):
            scene.removeItem(item)

    def restyle(self, style: Style) -> None:
        self.style = style
        th = style.theme
        self.value_label.set_style(style.label, th.ink, th.label_bg)
        self.set_current(self.current, force=True)
        self.update_path()

    def update_path(self) -> None:
        self.prepareGeometryChange()
        p0 = self.src.port_scene_pos(None)
        p3 = self.dst.port_scene_pos(self.edge.port)
        arrow = 9 * self.style.theme.scale
        end = QPointF(p3.x() - arrow, p3.y())
        self.path = curve(p0, end)
        self._tip, self._end = p3, end
        self._bounds = self.path.controlPointRect().united(QRectF(p3, p3)).adjusted(-12, -12, 12, 12)
        self._place_labels()

    def _place_labels(self) -> None:
        mid = self.path.pointAtPercent(0.5)
        angle = math.radians(self.path.angleAtPercent(0.5))  # counter-clockwise, y up
        up = QPointF(-math.sin(angle), -math.cos(angle))  # the normal on the upper side, y down
        self.value_label.place(mid, up)  # values above, gradients below: the lectures' convention
        self.grad_label.place(mid, QPointF(-up.x(), -up.y()))

    def set_labels(self, value_text: str | None, grad_text: str | None) -> None:
        st = self.style
        for label, text, font in ((self.value_label, value_text, st.label), (self.grad_label, grad_text, st.grad)):
            label.set_text(text or "", st.matrix if text and "\n" in text else font)
        self._place_labels()

    def set_current(self, current: bool, force: bool = False) -> None:
        if current == self.current and not force:
            return
        self.current = current
        th = self.style.theme
        # The chain-rule text on the current edge gets a red frame so the eye finds it on a projector.
        self.grad_label.set_style(self.style.grad, th.grad, th.label_bg, th.grad if current else None)
        self.setZValue(0.5 if current else 0)
        self._place_labels()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self.path)

    def paint(self, painter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:  # noqa: ANN001
        st, th = self.style, self.style.theme
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        color = QColor(th.grad if self.current else th.selection if self.isSelected() else th.edge)
        width = st.current_width if self.current else st.edge_width
        painter.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path)
        tip, end = self._tip, self._end
        angle = math.atan2(tip.y() - end.y(), tip.x() - end.x())
        size = (11 if self.current else 9) * th.scale
        left = QPointF(tip.x() - size * math.cos(angle - 0.4), tip.y() - size * math.sin(angle - 0.4))
        right = QPointF(tip.x() - size * math.cos(angle + 0.4), tip.y() - size * math.sin(angle + 0.4))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(color))
        painter.drawPolygon(QPolygonF([tip, left, right]))
