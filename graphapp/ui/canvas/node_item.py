"""A node: round with its symbol for operations; a box with name and value for inputs, parameters,
constants and outputs. Below it: its accumulated gradient (red) and any error (red outline + text).

The item keeps only geometry and painting; what it shows (which number, which name, whether a pill)
is decided in graphapp.ui.canvas.display and pushed in by the scene.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from graphapp.core.graph import Node
from graphapp.core.ops import VALUE_OPS
from graphapp.ui.canvas.display import body_size, box_caption, box_lines, caption, is_round, value_font
from graphapp.ui.canvas.port_item import PortItem
from graphapp.ui.canvas.numtext import block_size, draw_block
from graphapp.ui.canvas.style import ITEM_CACHE, DETAIL_LOD, Style, lod, text_size
from graphapp.ui.symbols import draw_symbol


# Looked up once: PySide6's enum attribute access costs microseconds, paid for every node of a big graph.
# No ItemSendsGeometryChanges and no itemChange override: the scene tells the edges when a node moves
# (GraphScene._node_moved, mouseMoveEvent), so Qt's dozen state changes per new node (flags, z, tooltip,
# each port added, scene) do not each call into Python.
NODE_FLAGS = QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable


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
        self.params: int | None = None  # a layer's parameter count, written under its name (the scene sets it)
        self.pill_above = False  # the pill over the body: a neighbour stands under it (the scene decides)
        self.ports: dict[str | None, PortItem] = {}
        self._offsets: dict[str | None, QPointF] = {}  # port -> where it sits on the node (edges ask often)
        self.setFlags(NODE_FLAGS)
        self.setZValue(1)
        # Scrolling to follow the playhead repaints the whole view: blit a cached picture instead.
        self.setCacheMode(ITEM_CACHE)
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
        self._name_rect = QRectF()
        name = caption(self.node, st.lang, self.params) if is_round(self.node) else ""
        if name:  # under the ring the current node gets
            nw, nh = text_size(st.small, name)
            self._name_rect = QRectF(-nw / 2, h / 2 + 7, nw, nh)
            below = self._name_rect.bottom() + 2
        self._grad_top = below
        self._pill = QRectF()
        extra_w, top, bottom = w, -h / 2 - 10, below
        if self.grad_text:
            gw, gh = block_size(self._grad_font(), self.grad_text)
            self._pill = QRectF(-gw / 2 - 6, below, gw + 12, gh + 4)
            extra_w = max(extra_w, gw + 12)
            if self.pill_above:
                self._pill.moveBottom(-h / 2 - 4)  # as far from the body as under it, where no name stands
                top = self._pill.top() - 2
            else:
                bottom = self._pill.bottom() + 2
        self._error_box = QRectF()
        if self.error:
            ew, eh = self._error_size()
            self._error_box = QRectF(-ew / 2, bottom + 4, ew, eh)
            extra_w, bottom = max(extra_w, ew + 8), self._error_box.bottom()
        half = max(w, extra_w, self._name_rect.width()) / 2 + st.current_width + 8
        self._bounds = QRectF(-half, top, 2 * half, bottom + 4 - top)
        self._sync_ports()
        self.setToolTip(self._tooltip())
        self.update()

    def body_rect(self) -> QRectF:
        """The body and its name in scene coordinates: what a group's frame surrounds (not the pills that
        come and go while stepping, so the frame stands still)."""
        rect = self._rect.united(self._name_rect) if not self._name_rect.isEmpty() else self._rect
        return rect.translated(self.pos())

    def occupied_rects(self) -> list[QRectF]:
        """What the node draws, in scene coordinates: body (with its ring when current), name, pill, error."""
        pos = self.pos()
        ring = 5 + self.style.current_width / 2 + 1 if self.current else 2.0
        rects = [self._rect.adjusted(-ring, -ring, ring, ring)]
        rects += [r for r in (self._name_rect, self._pill, self._error_box) if not r.isEmpty()]
        return [r.translated(pos) for r in rects]

    def pill_spot(self, above: bool) -> QRectF:
        """Where the pill would stand under the body or over it, in scene coordinates (empty: no pill)."""
        if self._pill.isEmpty():
            return QRectF()
        pill = QRectF(self._pill)
        if above:
            pill.moveBottom(-self._rect.height() / 2 - 4)
        else:
            pill.moveTop(self._grad_top)
        return pill.translated(self.pos())

    def set_pill_above(self, above: bool) -> bool:
        """Put the pill over the body or back under it; True when that moved it."""
        if above == self.pill_above:
            return False
        self.pill_above = above
        self.refresh()
        return True

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
        inputs = self.node.spec.inputs
        names: list[str | None] = list(inputs) + [None]
        for key in list(self.ports):
            if key not in names:
                self.scene() and self.scene().removeItem(self.ports[key])
                del self.ports[key]
        self._offsets = {key: self._port_offset(key, inputs) for key in names}
        for key in names:
            port = self.ports.get(key) or PortItem(self, self.node.id, key)
            port.radius = self.style.port_r
            self.ports[key] = port
            port.setPos(self._offsets[key])

    def port_offset(self, port: str | None) -> QPointF:
        offset = self._offsets.get(port)
        return QPointF(offset) if offset is not None else self._port_offset(port, self.node.spec.inputs)

    def _port_offset(self, port: str | None, inputs: tuple[str, ...]) -> QPointF:
        r = self._rect
        if port is None:
            return QPointF(r.right(), 0.0)
        i, n = inputs.index(port), len(inputs)
        if is_round(self.node):  # spread over the left side of the circle
            angle = 0.0 if n == 1 else math.radians(-40 + 80 * i / (n - 1))
            return QPointF(-self.style.radius * math.cos(angle), self.style.radius * math.sin(angle))
        return QPointF(r.left(), r.top() + r.height() * (i + 1) / (n + 1))

    def port_scene_pos(self, port: str | None) -> QPointF:
        offset = self._offsets.get(port)
        return self.mapToScene(offset if offset is not None else self.port_offset(port))

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
        before = self.occupied_rects()  # a new pill or the current ring may now cover a label
        self.value_text, self.grad_text, self.active, self.current = value_text, grad_text, active, current
        if size_changed:
            old = self._rect
            self.refresh()
            if old != self._rect:
                self.scene().node_geometry_changed(self)
                return
        else:
            self.update()
        if self.scene() is not None and self.occupied_rects() != before:
            self.scene().clear_labels_off(self)

    def set_params(self, params: int | None) -> bool:
        """Show a layer's parameter count; True when that changed the node's size (its edges follow)."""
        if params == self.params:
            return False
        self.params = params
        self.refresh()
        return True

    def set_error(self, message: str | None) -> None:
        if message != self.error:
            self.error = message
            self.refresh()

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
        r = st.port_r  # the ports' dots (PortItem draws only a hot one)
        painter.setPen(QPen(QColor(th.node_border), 1.2))
        painter.setBrush(QBrush(QColor(th.background)))
        for port in self.ports.values():
            painter.drawEllipse(port.pos(), r, r)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QColor(th.ink))
        if round_:
            symbol = self.node.spec.symbol
            draw_symbol(painter, rect, symbol, st.symbol_font(symbol))
            painter.setFont(st.small)
            painter.setPen(QColor(th.dim))
            painter.drawText(self._name_rect.adjusted(-4, 0, 4, 0), int(Qt.AlignmentFlag.AlignCenter),
                             caption(self.node, st.lang, self.params))
        else:
            name, value = box_lines(self.node, st, self.value_text)
            nh = text_size(st.name, name)[1]
            top = rect.top() + st.pad * 0.5
            painter.setFont(st.name)
            painter.drawText(QRectF(rect.left(), top, rect.width(), nh), int(Qt.AlignmentFlag.AlignCenter), name)
            shape = box_caption(self.node)
            if shape:  # the given matrix's shape, quieter than its numbers
                ch = text_size(st.small, shape)[1]
                painter.setFont(st.small)
                painter.setPen(QColor(th.dim))
                painter.drawText(QRectF(rect.left(), top + nh, rect.width(), ch), int(Qt.AlignmentFlag.AlignCenter),
                                 shape)
                painter.setPen(QColor(th.ink))
                nh += ch
            if value:
                draw_block(painter, QRectF(rect.left(), top + nh, rect.width(), rect.bottom() - top - nh - st.pad * 0.5),
                           value_font(st, value), value)
        if self.grad_text:
            pill = self._pill
            painter.setPen(QPen(QColor(th.grad), 1.0))
            painter.setBrush(QBrush(QColor(th.label_bg)))
            painter.drawRoundedRect(pill, 6, 6)
            draw_block(painter, pill, self._grad_font(), self.grad_text)
        if self.error:
            painter.setFont(st.small)
            painter.setPen(QColor(th.error))
            painter.drawText(self._error_box, int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter), self.error)
