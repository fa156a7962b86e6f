"""A node: round with its symbol for operations; a box with name and value for inputs, parameters,
constants and outputs. Below it: its accumulated gradient (red) and any error (red outline + text).

The item keeps only what it draws; everything it draws comes from the model (Node) or the current
Frame, pushed in by the scene.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from graphapp.core.graph import Node
from graphapp.core.ops import VALUE_OPS
from graphapp.ui.canvas.port_item import PortItem
from graphapp.ui.canvas.style import DETAIL_LOD, Style, lod, text_size
from graphapp.ui.format import value_lines


def is_round(node: Node) -> bool:
    return node.op not in VALUE_OPS and node.op != "output"


def box_lines(node: Node, style: Style, value_text: str | None) -> tuple[str, str | None]:
    """The box's two lines: name, then value. Value nodes always show their given value."""
    if node.op in VALUE_OPS:
        value_text = value_lines(node.value)
    return node.name(style.lang), value_text


def body_size(node: Node, style: Style, value_text: str | None = None) -> tuple[float, float]:
    if is_round(node):
        return 2 * style.radius, 2 * style.radius
    name, value = box_lines(node, style, value_text)
    nw, nh = text_size(style.name, name)
    vw, vh = text_size(style.value, value) if value else (0.0, text_size(style.value, "0")[1])
    return max(nw, vw, 40 * style.theme.scale) + 2 * style.pad, nh + vh + style.pad * 1.2


def sample_text(shape: tuple[int, ...] | None) -> str:
    """Text as wide and tall as a typical value of this shape (used before anything is computed)."""
    cell = "−0.0000"
    if not shape:
        return cell
    if len(shape) == 1:
        return "[" + ", ".join([cell] * min(shape[0], 6)) + "]"
    row = "[" + ", ".join([cell] * min(shape[-1], 6)) + "]"
    return "\n".join([row] * min(shape[0], 7))


def layout_size(node: Node, style: Style, shape: tuple[int, ...] | None = None) -> tuple[float, float]:
    """The space the layout keeps for a node: the body, the name and gradient under it, and room
    for the value and gradient labels on its outgoing edge (matrices make them tall)."""
    w, h = body_size(node, style)
    if is_round(node):
        w = max(w, text_size(style.small, node.name(style.lang))[0])
        h += text_size(style.small, "Ag")[1]
    _lw, lh = text_size(style.matrix if shape and len(shape) == 2 else style.label, sample_text(shape))
    h += lh + 8  # the gradient pill under the node
    return w, max(h, 2 * lh + 24)  # the labels' width goes into the gap after the column (layout)


class NodeItem(QGraphicsItem):
    def __init__(self, node: Node, style: Style) -> None:
        super().__init__()
        self.node = node  # the model's own object: read, never written
        self.style = style
        self.value_text: str | None = None
        self.grad_text: str | None = None
        self.active = False  # evaluated in the forward pass so far
        self.current = False
        self.error: str | None = None
        self.ports: dict[str | None, PortItem] = {}
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setZValue(1)
        self.setAcceptHoverEvents(True)
        self._rect = QRectF()
        self._bounds = QRectF()
        self.refresh()

    @property
    def node_id(self) -> str:
        return self.node.id

    def title(self) -> str:
        """The name drawn on the node, in the current language."""
        return self.node.name(self.style.lang)

    # ---- geometry ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute geometry and ports after a model change (label, value, op) or a style change."""
        self.prepareGeometryChange()
        st = self.style
        w, h = body_size(self.node, st, self.value_text)
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        below = h / 2 + 4
        if is_round(self.node):
            below += text_size(st.small, "Ag")[1]
        self._grad_top = below
        extra_w, extra_h = w, below - h / 2
        if self.grad_text:
            gw, gh = text_size(self._grad_font(), self.grad_text)
            extra_w, extra_h = max(extra_w, gw + 12), extra_h + gh + 6
        if self.error:
            ew, eh = self._error_size()
            extra_w, extra_h = max(extra_w, ew + 8), extra_h + eh + 6
        name_w = text_size(st.small, self.node.name(st.lang))[0] if is_round(self.node) else 0
        half = max(w, extra_w, name_w) / 2 + st.current_width + 8
        self._bounds = QRectF(-half, -h / 2 - 10, 2 * half, h + extra_h + 14)
        self._sync_ports()
        self.setToolTip(self._tooltip())
        self.update()

    def _grad_font(self):  # noqa: ANN202
        return self.style.matrix if self.grad_text and "\n" in self.grad_text else self.style.grad

    def _error_size(self) -> tuple[float, float]:
        fm_rect = self._error_rect()
        return fm_rect.width(), fm_rect.height()

    def _error_rect(self) -> QRectF:
        from PySide6.QtGui import QFontMetricsF  # noqa: PLC0415

        width = 260 * self.style.theme.scale
        r = QFontMetricsF(self.style.small).boundingRect(QRectF(0, 0, width, 1e5),
                                                        int(Qt.TextFlag.TextWordWrap), self.error or "")
        return r

    def _sync_ports(self) -> None:
        names: list[str | None] = list(self.node.spec.inputs) + [None]
        for key in list(self.ports):
            if key not in names:
                self.scene() and self.scene().removeItem(self.ports[key])
                del self.ports[key]
        for key in names:
            port = self.ports.get(key) or PortItem(self, self.node.id, key)
            port.radius = self.style.port_r
            self.ports[key] = port
            port.setPos(self.port_offset(key))

    def port_offset(self, port: str | None) -> QPointF:
        r = self._rect
        if port is None:
            return QPointF(r.right(), 0.0)
        inputs = self.node.spec.inputs
        i, n = inputs.index(port), len(inputs)
        if is_round(self.node):  # spread over the left side of the circle
            angle = 0.0 if n == 1 else math.radians(-40 + 80 * i / (n - 1))
            return QPointF(-self.style.radius * math.cos(angle), self.style.radius * math.sin(angle))
        return QPointF(r.left(), r.top() + r.height() * (i + 1) / (n + 1))

    def port_scene_pos(self, port: str | None) -> QPointF:
        return self.mapToScene(self.port_offset(port))

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if is_round(self.node):
            path.addEllipse(self._rect)
        else:
            path.addRoundedRect(self._rect, 8, 8)
        return path

    def _tooltip(self) -> str:
        spec = self.node.spec
        op = spec.ko if self.style.lang == "ko" else spec.en
        desc = spec.description_ko if self.style.lang == "ko" else spec.description_en
        return f"{self.node.name(self.style.lang)} · {op} ({self.node.id})\n{desc}"

    # ---- what the frame shows ---------------------------------------------------------------------
    def set_display(self, value_text: str | None, grad_text: str | None, active: bool, current: bool) -> None:
        size_changed = (value_text != self.value_text and not is_round(self.node)
                        and self.node.op not in VALUE_OPS) or grad_text != self.grad_text
        self.value_text, self.grad_text, self.active, self.current = value_text, grad_text, active, current
        if size_changed:
            old = self._rect
            self.refresh()
            if old != self._rect:
                self.scene().node_geometry_changed(self)
        else:
            self.update()

    def set_error(self, message: str | None) -> None:
        if message != self.error:
            self.error = message
            self.refresh()

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):  # noqa: N802, ANN001, ANN201
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged and self.scene() is not None:
            self.scene().node_geometry_changed(self)
        # Not super().itemChange(): the base returns `value` unchanged, and round-tripping None
        # through it (scene/parent changes) upsets PySide's reference counting of None.
        return value

    # ---- painting ---------------------------------------------------------------------------------
    def paint(self, painter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:  # noqa: ANN001
        st, th = self.style, self.style.theme
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        rect = self._rect
        fill = th.active_fill if self.active else th.output_fill if self.node.op == "output" else th.node_fill
        border = th.error if self.error else th.param_border if self.node.op == "param" else th.node_border
        pen = QPen(QColor(border), 3.0 * th.scale if self.error else 1.6 * th.scale)
        if self.node.op == "const":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(QColor(fill)))
        round_ = is_round(self.node)
        if round_:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 8, 8)
        if self.current:  # the node being processed has a ring
            ring = rect.adjusted(-5, -5, 5, 5)
            painter.setPen(QPen(QColor(th.current), st.current_width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(ring) if round_ else painter.drawRoundedRect(ring, 11, 11)
        if self.isSelected():
            sel = rect.adjusted(-9, -9, 9, 9)
            painter.setPen(QPen(QColor(th.selection), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(sel) if round_ else painter.drawRoundedRect(sel, 12, 12)
        if lod(painter, option) < DETAIL_LOD:
            return
        painter.setPen(QColor(th.ink))
        if round_:
            symbol = self.node.spec.symbol
            painter.setFont(st.symbol_font(symbol))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), symbol)
            painter.setFont(st.small)
            painter.setPen(QColor(th.dim))
            name_rect = QRectF(self._bounds.left(), rect.bottom() + 3, self._bounds.width(), self._grad_top)
            painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                             self.node.name(st.lang))
        else:
            name, value = box_lines(self.node, st, self.value_text)
            nh = text_size(st.name, name)[1]
            top = rect.top() + st.pad * 0.5
            painter.setFont(st.name)
            painter.drawText(QRectF(rect.left(), top, rect.width(), nh), int(Qt.AlignmentFlag.AlignCenter), name)
            if value:
                painter.setFont(st.value)
                painter.drawText(QRectF(rect.left(), top + nh, rect.width(), rect.bottom() - top - nh - st.pad * 0.5),
                                 int(Qt.AlignmentFlag.AlignCenter), value)
        y = self._grad_top
        if self.grad_text:
            gw, gh = text_size(self._grad_font(), self.grad_text)
            pill = QRectF(-gw / 2 - 6, y, gw + 12, gh + 4)
            painter.setPen(QPen(QColor(th.grad), 1.0))
            bg = QColor(th.label_bg)
            painter.setBrush(QBrush(bg))
            painter.drawRoundedRect(pill, 6, 6)
            painter.setFont(self._grad_font())
            painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), self.grad_text)
            y += gh + 10
        if self.error:
            er = self._error_rect()
            box = QRectF(-er.width() / 2, y, er.width(), er.height())
            painter.setFont(st.small)
            painter.setPen(QColor(th.error))
            painter.drawText(box, int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter), self.error)
