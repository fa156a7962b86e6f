"""An edge: a smooth curve from an output port to an input port, with an arrowhead.

Its labels (forward value above, gradient below) are separate LabelItems owned by the edge, so a
step only changes their text; the curve is recomputed only when a node moves. Each label is placed at
the first free spot along the curve (place_labels), judged by the scene (GraphScene.label_cost).
"""
from __future__ import annotations

import itertools
import math
from typing import Iterator

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from graphapp.core.graph import Edge
from graphapp.core.narration import edge_label, formula_text
from graphapp.core.numbers import fmt_array
from graphapp.ui.canvas.label_item import LabelItem
from graphapp.ui.canvas.numtext import block_size
from graphapp.ui.canvas.style import ITEM_CACHE, Style
from graphapp.ui.i18n import language, tr

Key = tuple[str, str, str]

# Where along the curve a label may stand, best first: the middle, then towards either end, on its own
# side of the curve, then on the other; then the same further out, then sideways (see _candidates). A
# label takes the first spot where it covers no node, no other label and no curve (the scene judges), so
# a crowded gap or a graph whose curves cross stays readable. A fixed number of spots per label, each one
# query of the scene's index: placing stays linear in the labels shown.
T_SPOTS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)
FAR_SPOTS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)  # a subset of T_SPOTS
FAR_STEPS = (0.6, 1.3, 2.0, 2.8, 3.6, 4.5, 5.5)  # further out, in label heights (below the nodes' names at the 4th)
SHIFTS = (0.0, -0.5, 0.5, -1.0, 1.0)  # and sideways, in label widths, where the curves around cross
RING_ROOM = 12.0  # the ring around the current node reaches this far out
# A curve longer than this (scene units, about a screen at the readable zoom) is painted directly: cached,
# it would need a picture as big as the view for one thin line, and a few hundred of those (a big graph
# with long edges) overflow Qt's pixmap cache, so every repaint would re-render them all into pictures.
LONG_EDGE = 1200.0
SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable  # looked up once: PySide6 enum access is slow
NO_CACHE = QGraphicsItem.CacheMode.NoCache


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
        # The labels are made when first asked for (most edges of a big graph never show a number before
        # the playhead reaches them): opening it then creates and indexes one item per edge, not three.
        self._value_label: LabelItem | None = None
        self._grad_label: LabelItem | None = None
        self._hit: QPainterPath | None = None
        self._spots: list[tuple[QPointF, QPointF]] = []
        self.setFlags(SELECTABLE)
        self.setZValue(0)
        self._cached = False  # whether a cached picture is blitted (set by update_path, by its length)
        self.update_path()

    @property
    def key(self) -> Key:
        return (self.edge.src, self.edge.dst, self.edge.port)

    @property
    def value_label(self) -> LabelItem:
        """The forward value, above the curve (hidden while it has no text)."""
        if self._value_label is None:
            self._value_label = self._new_label(self.style.label, self.style.theme.ink)
        return self._value_label

    @property
    def grad_label(self) -> LabelItem:
        """The gradient or chain rule, below the curve (hidden while it has no text)."""
        if self._grad_label is None:
            self._grad_label = self._new_label(self.style.grad, self.style.theme.grad)
            self._style_grad_label()
        return self._grad_label

    def labels(self) -> list[LabelItem]:
        """The labels made so far (an edge that never showed a number has none)."""
        return [label for label in (self._value_label, self._grad_label) if label is not None]

    def _new_label(self, font, color: str) -> LabelItem:  # noqa: ANN001 - QFont
        label = LabelItem(font, color, self.style.theme.label_bg, owner=self)
        label.setVisible(False)
        label.setZValue(4 if self.current else 3)
        if self.scene() is not None:
            self.scene().addItem(label)
        return label

    def add_to(self, scene: QGraphicsScene) -> None:
        scene.addItem(self)
        for label in self.labels():
            scene.addItem(label)

    def remove_from(self, scene: QGraphicsScene) -> None:
        for item in self.labels() + [self]:
            if item.scene() is scene:
                scene.removeItem(item)

    def restyle(self, style: Style) -> None:
        self.style = style
        th = style.theme
        if self._value_label is not None:
            self._value_label.set_style(style.label, th.ink, th.label_bg)
            self._value_label.set_caption(self._value_label.caption, style.small, th.dim)
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
        cached = max(self._bounds.width(), self._bounds.height()) <= LONG_EDGE
        if cached != self._cached:
            # Scrolling to follow the playhead repaints the whole view: blit a cached picture instead.
            self.setCacheMode(ITEM_CACHE if cached else NO_CACHE)
            self._cached = cached
        self._hit = None
        self._spots = []
        for label in self.labels():  # the gap changed: break a chain rule or not
            if label.text:
                label.set_text(label.text, label.font, self._fit(label.text, label.font))
        self.place_labels()

    def hit_path(self) -> QPainterPath:
        """The curve as a thin outline, to test whether it runs through a label (cached until it moves)."""
        if self._hit is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(3)
            self._hit = stroker.createStroke(self.path)
        return self._hit

    def _spot(self, t: float) -> tuple[QPointF, QPointF]:
        point = self.path.pointAtPercent(t)
        angle = math.radians(self.path.angleAtPercent(t))  # counter-clockwise, y up
        return point, QPointF(-math.sin(angle), -math.cos(angle))  # the normal on the upper side, y down

    def _candidates(self, label: LabelItem, below: bool) -> Iterator[QPointF]:
        """Spots best first, made as asked for (most labels take the first): beside the curve on its own
        side, then on the other; then further out, own side first; sideways last. Nearer spots come
        first, so a label leaves its edge only as far as the crowd makes it."""
        if not self._spots:
            self._spots = [self._spot(t) for t in T_SPOTS]
        w, h = label.size()
        sides = (-1.0, 1.0) if below else (1.0, -1.0)
        for sign in sides:
            for p, n in self._spots:
                yield label.offset_for(p, QPointF(sign * n.x(), sign * n.y()))
        for shift in SHIFTS:
            for i, step in enumerate(FAR_STEPS):
                for sign in sides:
                    for t in FAR_SPOTS:
                        p, n = self._spots[T_SPOTS.index(t)]
                        spot = label.offset_for(p, QPointF(sign * n.x(), sign * n.y()), gap=3 + step * h + 6 * (i + 1))
                        yield QPointF(spot.x() + shift * w, spot.y())

    def place_labels(self, push: bool = True) -> None:
        """Values above the curve, gradients below (the lectures' convention), each at the first free spot.
        A label that finds none takes the least crowded one and (with `push`) asks the labels it covers
        to move aside, so a short edge's chain rule does not end up under a neighbour's number."""
        scene = self.scene()
        judge = getattr(scene, "label_cost", None)
        for label, below in ((self._value_label, False), (self._grad_label, True)):
            if label is None or not label.text:
                continue
            candidates = self._candidates(label, below)
            best, best_cost = next(candidates), math.inf
            if judge is not None:
                w, h = label.size()
                for pos in itertools.chain((best,), candidates):
                    cost = judge(QRectF(pos.x(), pos.y(), w, h), self, label)
                    if cost < best_cost:
                        best, best_cost = pos, cost
                        if cost == 0:
                            break
            label.setPos(best)
            if push and best_cost > 0 and judge is not None:
                rect = label.sceneBoundingRect()
                for other in scene.items(rect):
                    if isinstance(other, LabelItem) and other is not label and other.isVisible() \
                            and isinstance(other.owner, EdgeItem) and other.owner is not self \
                            and other.sceneBoundingRect().intersects(rect):
                        other.owner.place_labels(push=False)

    def set_tip(self, value: object, ev: object) -> None:
        """Hover text: the edge, its forward value, and once the gradient crossed it the chain rule with
        the local derivative's formula (ev: the trace's EdgeEvent or None)."""
        lang = self.style.lang
        lines = [f"{self.src.node.name(lang)} → {self.dst.node.name(lang)}.{self.edge.port}"]
        if value is not None:
            lines.append(f"{tr('value')}: {fmt_array(value)}")
        if ev is not None:
            lines.append(f"{tr('run_grad')}: {fmt_array(ev.grad)}")
            formula = formula_text(ev.formula, language())
            lines.append(f"{formula}: {edge_label(ev)}" if formula else edge_label(ev))
        self.setToolTip("\n".join(lines))

    def set_labels(self, value_text: str | None, grad_text: str | None, caption: str | None = None) -> None:
        """The value above (with `caption`, the matrix's shape, over it) and the gradient below."""
        st = self.style
        if value_text or self._value_label is not None:  # no text and no label yet: none to make
            self.value_label.set_caption(caption if value_text else None, st.small, st.theme.dim)
            self._show(self.value_label, value_text, st.label)
        if grad_text or self._grad_label is not None:
            self._show(self.grad_label, grad_text, st.grad)
        self.place_labels()

    def _show(self, label: LabelItem, text: str | None, font) -> None:  # noqa: ANN001 - QFont
        font = self.style.matrix if text and "\n" in text else font
        label.set_text(text or "", font, self._fit(text or "", font))

    def _fit(self, text: str, font) -> str:  # noqa: ANN001 - QFont
        """A chain rule too wide for the gap it stands in is drawn on two lines: "a × b" over "= c"."""
        if " = " not in text or "\n" in text:
            return text
        span = abs(self._end.x() - self.src.port_scene_pos(None).x())
        if block_size(font, text)[0] + 10 <= span - 2 * RING_ROOM:  # clear of both nodes' rings
            return text
        head, _, tail = text.rpartition(" = ")
        return f"{head}\n= {tail}"

    def set_current(self, current: bool, force: bool = False) -> None:
        if current == self.current and not force:
            return
        self.current = current
        if self._grad_label is not None:
            self._style_grad_label()
        self.setZValue(0.5 if current else 0)
        for label in self.labels():  # the playhead's numbers above all others
            label.setZValue(4 if current else 3)
        self.update()

    def _style_grad_label(self) -> None:
        th = self.style.theme
        # The chain-rule text on the current edge gets a red frame so the eye finds it on a projector.
        self._grad_label.set_style(self.style.grad, th.grad, th.label_bg, th.grad if self.current else None)

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
