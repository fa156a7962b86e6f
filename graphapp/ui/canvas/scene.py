"""The canvas scene: one NodeItem per node, one EdgeItem per edge, rebuilt from model notifications.

A playback step only changes the items whose value, gradient or highlight changed (apply_frame
diffs against what is shown), so stepping stays cheap on big graphs. Mouse gestures that edit
(connect, move, drop) are turned into requests; the window turns requests into undo commands.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterator

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem, QGraphicsPathItem, QGraphicsScene, QGraphicsSceneDragDropEvent, QGraphicsSceneMouseEvent,
)

from graphapp.core.conv_window import Window
from graphapp.core.errors import StudioError
from graphapp.core.graph import Edge, Graph, Node
from graphapp.core.info import is_layer
from graphapp.core.playback import Frame
from graphapp.ui.canvas.display import box_value, chain_text, edge_caption, edge_texts, node_params, pill_text
from graphapp.ui.canvas.edge_item import EdgeItem, Key, curve
from graphapp.ui.canvas.group_item import GroupFrame, group_title
from graphapp.ui.canvas.label_item import LabelItem
from graphapp.ui.canvas.node_item import NodeItem
from graphapp.ui.canvas.port_item import PortItem
from graphapp.ui.canvas.style import ITEM_CACHE, Style
from graphapp.ui.canvas.window_item import ConvWindowItem
from graphapp.ui.i18n import error_text
from graphapp.ui.model_signals import GraphSignals

OP_MIME = "application/x-backprop-studio-op"
MAX_BSP_DEPTH = 10  # of the scene's item index (see rebuild)
BLANK_EDGE = (None, None, False, None)  # an edge's state with nothing to show: how a new edge is drawn


def op_mime(op: str) -> QMimeData:
    """The payload a palette drag carries (also what tests drop)."""
    mime = QMimeData()
    mime.setData(OP_MIME, op.encode())
    mime.setText(op)
    return mime


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while tens of thousands of long-lived items are made: each
    collection would walk all of them again, for nothing (they are all in use)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class GraphScene(QGraphicsScene):
    connect_requested = Signal(str, str, str)  # src, dst, port: already checked by the model
    nodes_moved = Signal(list)  # [(node_id, (x, y))] after a drag, one undo step
    op_dropped = Signal(str, QPointF)  # palette drop: op name, scene position
    refused = Signal(str)  # reason a connection was refused

    def __init__(self, graph: Graph, signals: GraphSignals, style: Style) -> None:
        super().__init__()
        self.graph = graph
        self.style = style
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[Key, EdgeItem] = {}
        self._edges_at: dict[str, set[Key]] = {}
        self._frame: Frame | None = None
        self._node_state: dict[str, tuple[Any, ...]] = {}
        self._edge_state: dict[Key, tuple[Any, ...]] = {}
        self._shapes: tuple[int, dict[str, tuple[int, ...]]] = (-1, {})  # (graph revision, node -> shape)
        self._layers: set[str] = set()  # nodes that show a parameter count
        self.errors: dict[str, str] = {}
        self._drag_from: PortItem | None = None
        self._drag_line: QGraphicsPathItem | None = None
        self._hot: PortItem | None = None
        self._press_pos: dict[str, QPointF] = {}
        self._shown_pos: dict[str, QPointF] = {}
        self.flash: LabelItem | None = None
        self.conv_window: ConvWindowItem | None = None  # the sliding window's callout (made when first shown)
        self.frames: dict[str, GroupFrame] = {}  # expanded layers' frames by group id
        self._frames_at: dict[str, list[str]] = {}  # node id -> the groups it stands in (nested: several)
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self.clear_flash)
        self._pill_timer = QTimer(self)  # after nodes moved (a drag, an undo, a layout): pills choose again, once
        self._pill_timer.setSingleShot(True)
        self._pill_timer.timeout.connect(self._recheck_pills)
        self.setBackgroundBrush(QColor(style.theme.background))
        signals.node_added.connect(self._add_node)
        signals.node_removed.connect(self._remove_node)
        signals.node_changed.connect(self._node_changed)
        signals.node_moved.connect(self._node_moved)
        signals.edge_added.connect(self._add_edge)
        signals.edge_removed.connect(self._remove_edge)
        signals.reset.connect(self.rebuild)
        signals.changed.connect(self._model_changed)
        self.rebuild()

    # ---- building from the model ------------------------------------------------------------------
    def rebuild(self) -> None:
        self.clear_flash()
        self.clear()  # deletes every item
        self.nodes.clear()
        self.edges.clear()
        self._edges_at.clear()
        self._layers.clear()
        self._node_state.clear()
        self._edge_state.clear()
        self.errors.clear()
        self._drag_line = None
        self.conv_window = None  # clear() deleted it
        self.frames.clear()  # likewise
        self._frames_at.clear()
        # Qt picks the index depth from the item count: 17 levels (131,072 cells) for a 20,000-node graph,
        # where each long curve is filed in thousands of cells and the first paint takes seconds.
        # 10 levels stay fine-grained enough (the queries are a label's or the view's size).
        edges = self.graph.edges  # a list the graph rebuilds on every read: read once
        big = 3 * len(self.graph.nodes) + len(edges) > 1 << MAX_BSP_DEPTH
        self.setBspTreeDepth(MAX_BSP_DEPTH if big else 0)  # 0: Qt's own choice
        with gc_paused():
            for node in self.graph.nodes.values():
                self._add_node(node)
            for edge in edges:
                self._add_edge(edge)
        self._frame = None
        self._shapes = (-1, {})  # new items: counts and shapes to show whatever the revision
        self._model_changed()

    def _model_changed(self, kind: str = "reset", _payload: object = None) -> None:
        """After an edit: layers' parameter counts, and the shapes the edges will carry (on the frame shown,
        which the window replaces when the edit changed results). Only layers are visited for the counts."""
        if kind == "node_moved":
            return  # the moved nodes told their frames already (node_geometry_changed)
        self.sync_frames()  # expand, collapse, undo, delete: the groups may have changed
        if self.graph.revision == self._shapes[0]:
            return  # a new name: no count and no shape changed
        for nid in self._layers:
            item = self.nodes[nid]
            if item.set_params(node_params(self.graph, nid)):
                self.node_geometry_changed(item)
        self._apply_edges(self._frame)

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Each node's output shape as far as it is known (the graph infers them as it is edited)."""
        if self._shapes[0] != self.graph.revision:
            try:
                self._shapes = (self.graph.revision, self.graph.infer_shapes(partial=True))
            except StudioError:
                self._shapes = (self.graph.revision, {})
        return self._shapes[1]

    # ---- places: the model's units are the canvas at scale 1 ---------------------------------------
    # Presentation mode draws every text and node 1.5 times larger; the places grow with them, so a graph
    # whose boxes clear each other at scale 1 (a stored example, a graph someone arranged) still does.
    def scene_pos(self, pos: tuple[float, float] | None) -> QPointF:
        k = self.style.theme.scale
        return QPointF(pos[0] * k, pos[1] * k) if pos is not None else QPointF(0.0, 0.0)

    def model_pos(self, at: QPointF) -> tuple[float, float]:
        k = self.style.theme.scale
        return at.x() / k, at.y() / k

    def _add_node(self, node: Node) -> None:
        item = NodeItem(node, self.style)
        item.setPos(self.scene_pos(node.pos))
        self.addItem(item)
        self.nodes[node.id] = item
        self._edges_at.setdefault(node.id, set())
        if is_layer(self.graph, node.id):
            self._layers.add(node.id)

    def _remove_node(self, node: Node) -> None:
        item = self.nodes.pop(node.id, None)
        if item is not None:
            self.removeItem(item)
        self._edges_at.pop(node.id, None)
        self._layers.discard(node.id)
        self._node_state.pop(node.id, None)
        self.errors.pop(node.id, None)

    def _node_changed(self, node: Node) -> None:
        item = self.nodes.get(node.id)
        if item is not None:
            item.refresh()
            self.node_geometry_changed(item)

    def _node_moved(self, node: Node) -> None:
        item = self.nodes.get(node.id)
        if item is not None and node.pos is not None and item.pos() != self.scene_pos(node.pos):
            item.setPos(self.scene_pos(node.pos))
            self.node_geometry_changed(item)
            self._pill_timer.start(0)

    def _add_edge(self, edge: Edge) -> None:
        item = EdgeItem(edge, self.nodes[edge.src], self.nodes[edge.dst], self.style)
        item.add_to(self)
        key = item.key
        self.edges[key] = item
        self._edges_at[edge.src].add(key)
        self._edges_at[edge.dst].add(key)
        self._edge_state[key] = BLANK_EDGE  # as made: no label, no tip

    def _remove_edge(self, edge: Edge) -> None:
        key = (edge.src, edge.dst, edge.port)
        item = self.edges.pop(key, None)
        if item is not None:
            item.remove_from(self)
        for n in (edge.src, edge.dst):
            self._edges_at.get(n, set()).discard(key)
        self._edge_state.pop(key, None)

    def node_geometry_changed(self, item: NodeItem) -> None:
        own = self._edges_at.get(item.node_id, ())
        for key in own:
            self.edges[key].update_path()
        self.clear_labels_off(item, own)
        for gid in self._frames_at.get(item.node_id, ()):
            self._fit_frame(gid)

    # ---- frames of expanded layers ----------------------------------------------------------------
    def _leaves(self, gid: str) -> list[str]:
        """The nodes on the canvas that stand in for group `gid` (through groups expanded inside it)."""
        out: list[str] = []
        for nid in self.graph.groups[gid].nodes.values():
            out += [nid] if nid in self.nodes else self._leaves(nid) if nid in self.graph.groups else []
        return out

    def sync_frames(self, *_index: int) -> None:
        """One frame per group whose pieces are on the canvas, and none for a group that is gone."""
        groups = self.graph.groups
        for gid in [g for g in self.frames if g not in groups]:
            self.removeItem(self.frames.pop(gid))
        self._frames_at.clear()
        for gid in groups:
            leaves = self._leaves(gid)
            if not leaves:
                if gid in self.frames:
                    self.removeItem(self.frames.pop(gid))
                continue
            if gid not in self.frames:
                depth = sum(1 for g in groups.values() if gid in g.nodes.values())
                self.frames[gid] = GroupFrame(gid, self.style, depth)
                self.addItem(self.frames[gid])
            for nid in leaves:
                self._frames_at.setdefault(nid, []).append(gid)
            self._fit_frame(gid)

    def _fit_frame(self, gid: str) -> None:
        leaves = self._leaves(gid)
        rect = QRectF()
        for nid in leaves:
            rect = rect.united(self.nodes[nid].body_rect())
        group = self.graph.groups[gid]
        ops = [self.nodes[n].node.op for n in leaves]
        self.frames[gid].fit(rect, group_title(group, ops, self.style.lang), self.style)

    def frame_at(self, pos: QPointF) -> str | None:
        """The innermost group whose frame is under scene point `pos`, or None."""
        hits = [f for f in self.items(pos) if isinstance(f, GroupFrame)]
        return max(hits, key=lambda f: f.zValue()).group_id if hits else None

    def clear_labels_off(self, item: NodeItem, skip: Any = ()) -> None:
        """Move the labels that what the node now draws (a pill or error under it, the ring of the current
        node) covers; labels of the edges in `skip` are placed already. One query of the index."""
        for other in self.items(item.sceneBoundingRect()):
            if isinstance(other, LabelItem) and isinstance(other.owner, EdgeItem) and other.owner.key not in skip \
                    and other.isVisible() and self._covers_node(item, other.sceneBoundingRect()):
                other.owner.place_labels()

    @staticmethod
    def _covers_node(node: NodeItem, rect: QRectF) -> bool:
        return any(r.intersects(rect) for r in node.occupied_rects())

    def label_cost(self, rect: QRectF, edge: EdgeItem, label: LabelItem) -> float:
        """How badly a label at `rect` would collide: with a node, another label, or a curve running
        through it (its own curve included: on a bend the box may swing back onto it). 0: a free spot."""
        cost = 0.0
        inner = rect.adjusted(1.5, 1.5, -1.5, -1.5)
        for item in self.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if item is label or not item.isVisible():
                continue
            if isinstance(item, LabelItem):
                if item.owner is not None and item.sceneBoundingRect().intersects(rect):
                    # The playhead's label may stand on another edge's number: that one is pushed aside.
                    cost += 3.0 if edge.current and not item.owner.current else 10.0
            elif isinstance(item, NodeItem):
                if self._covers_node(item, rect):
                    cost += 20.0
            elif isinstance(item, EdgeItem):
                if item.hit_path().intersects(inner):
                    cost += 2.0 if item is edge else 4.0
            elif isinstance(item, GroupFrame) and item.title_rect().intersects(rect):
                cost += 6.0  # a number on a layer's title hides both
        return cost

    def set_style(self, style: Style) -> None:
        self.style = style
        self.setBackgroundBrush(QColor(style.theme.background))
        for item in self.nodes.values():
            item.style = style
            item.refresh()
            item.setPos(self.scene_pos(item.node.pos))  # the scale may have changed (presentation)
        for edge in self.edges.values():
            edge.restyle(style)
        for gid in self.frames:
            self._fit_frame(gid)  # the title in the new language and size
        frame, self._frame = self._frame, None
        self._node_state.clear()
        self._edge_state.clear()
        for item in self.nodes.values():
            item.set_display(None, None, False, False)
        for edge in self.edges.values():
            edge.set_labels(None, None)
        self.apply_frame(frame)

    # ---- what a playback frame shows --------------------------------------------------------------
    def apply_frame(self, frame: Frame | None) -> None:
        """Show a frame; touch only the items whose picture changes. What stands where: display."""
        self._frame = frame
        values = frame.values if frame else {}
        grads = frame.grads if frame else {}
        current_node = frame.current_node if frame else None
        cur_key = frame.current_edge if frame else None
        cur_ev = frame.edge_grads.get(cur_key) if frame and cur_key else None
        changed: list[NodeItem] = []
        for nid, item in self.nodes.items():
            value, grad = values.get(nid), grads.get(nid)
            summing = cur_ev is not None and cur_ev.src == nid and cur_ev.previous is not None
            moved = frame.update_text(nid) if frame else None  # update phase: θ − η·g = θ′ in the pill
            state = (id(value) if value is not None else None, id(grad) if grad is not None else None,
                     nid == current_node, summing, moved)
            if self._node_state.get(nid) == state:
                continue
            self._node_state[nid] = state
            grad_text = pill_text(item.node, grad, self._n_consumers(nid), cur_ev if summing else None, moved)
            item.set_display(box_value(item.node, value), grad_text, value is not None, nid == current_node)
            changed.append(item)
        self._pill_sides(changed)
        self._apply_edges(frame)
        self._show_window(frame.window if frame else None)

    def _pill_sides(self, items: list[NodeItem]) -> None:
        """A pill goes over its node where it would stand on a neighbour under it and the room over the node
        is free: a graph placed by hand (the layout and the examples keep room under every node)."""
        for item in items:
            below = item.pill_spot(False)
            above = not below.isEmpty() and self._taken(item, below) and not self._taken(item, item.pill_spot(True))
            if item.set_pill_above(above):
                self.clear_labels_off(item)

    def _recheck_pills(self) -> None:
        self._pill_sides([item for item in self.nodes.values() if item.grad_text])

    def _taken(self, item: NodeItem, rect: QRectF) -> bool:
        """Whether another node draws anything (body, name, pill) in `rect`."""
        return any(isinstance(other, NodeItem) and other is not item and self._covers_node(other, rect)
                   for other in self.items(rect))

    def _show_window(self, window: Window | None) -> None:
        """The conv2d sliding window beside its node at a window sub-step; hidden otherwise."""
        if window is None or window.node not in self.nodes:
            if self.conv_window is not None:
                self.conv_window.set_window(None, self.style)
            return
        if self.conv_window is None:
            self.conv_window = ConvWindowItem(self.style)
            self.addItem(self.conv_window)
        node = self.nodes[window.node]
        self.conv_window.set_window(window, self.style)
        anchor = node.occupied_rects()[0]
        for r in node.occupied_rects()[1:]:
            anchor = anchor.united(r)
        taken = [r for n in self.nodes.values() if n is not node for r in n.occupied_rects()]
        taken += [label.sceneBoundingRect() for e in self.edges.values() for label in e.labels() if label.isVisible()]
        self.conv_window.place_near(anchor, taken)

    def _apply_edges(self, frame: Frame | None) -> None:
        values = frame.values if frame else {}
        cur_key = frame.current_edge if frame else None
        shapes = self.shapes()
        sliding = frame.window.node if frame is not None and frame.window is not None else None
        for key, edge in self.edges.items():
            # While the window slides, the output is still being computed: its edge shows only its shape.
            value = values.get(key[0]) if key[0] != sliding else None
            ev = frame.edge_grads.get(key) if frame else None
            shape = shapes.get(key[0])
            state = (id(value) if value is not None else None, id(ev) if ev is not None else None, key == cur_key,
                     shape)
            if self._edge_state.get(key) == state:
                continue
            self._edge_state[key] = state
            src = self.graph.nodes[key[0]]
            edge.set_tip(value, ev)
            edge.set_current(key == cur_key)
            edge.set_labels(*edge_texts(src, self._n_consumers(key[0]), value, chain_text(frame, key, ev),
                                        key == cur_key, shape), edge_caption(src, value))

    def _consumers(self, nid: str) -> list[Key]:
        return [k for k in self._edges_at.get(nid, ()) if k[0] == nid]

    def _n_consumers(self, nid: str) -> int:
        return sum(1 for k in self._edges_at.get(nid, ()) if k[0] == nid)

    def focus_rect(self) -> QRectF | None:
        """Where the playhead is: the current edge with its labels, else the current node; None before a run."""
        frame = self._frame
        if frame is None:
            return None
        if frame.current_edge in self.edges:
            edge = self.edges[frame.current_edge]
            rect = edge.src.sceneBoundingRect().united(edge.dst.sceneBoundingRect())
            for label in edge.labels():
                if label.isVisible():
                    rect = rect.united(label.sceneBoundingRect())
            return rect
        if frame.current_node in self.nodes:
            node = self.nodes[frame.current_node]
            rect = node.sceneBoundingRect()
            for key in self._edges_at.get(node.node_id, ()):
                if key[1] == node.node_id:  # the values that flowed into it
                    rect = rect.united(self.edges[key].sceneBoundingRect())
            if self.conv_window is not None and self.conv_window.isVisible():
                rect = rect.united(self.conv_window.sceneBoundingRect())
            return rect
        return None

    @property
    def frame(self) -> Frame | None:
        return self._frame

    def set_errors(self, errors: dict[str, str]) -> None:
        for nid in set(self.errors) | set(errors):
            item = self.nodes.get(nid)
            if item is not None:
                item.set_error(errors.get(nid))
        self.errors = {n: m for n, m in errors.items() if n in self.nodes}

    # ---- selection --------------------------------------------------------------------------------
    def selected_node_ids(self) -> list[str]:
        order = {n: i for i, n in enumerate(self.graph.nodes)}
        # a node already gone from the model (File → New while items are being removed) is no selection
        ids = [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem) and i.node_id in order]
        return sorted(ids, key=order.__getitem__)

    def selected_edges(self) -> list[Edge]:
        return [i.edge for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def select_nodes(self, ids: list[str]) -> None:
        self.clearSelection()
        for nid in ids:
            if nid in self.nodes:
                self.nodes[nid].setSelected(True)

    @contextmanager
    def uncached(self) -> Iterator[None]:
        """Paint items directly for a while (export): a cached item would go into an SVG as a bitmap."""
        items = [i for i in self.items() if i.cacheMode() != QGraphicsItem.CacheMode.NoCache]
        for item in items:
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        try:
            yield
        finally:
            for item in items:
                item.setCacheMode(ITEM_CACHE)

    def graph_rect(self) -> QRectF:
        """What the graph draws: nodes (with their names, pills and errors), curves and labels."""
        rect = QRectF()
        for node in self.nodes.values():
            for r in node.occupied_rects():
                rect = rect.united(r)
        for edge in self.edges.values():
            rect = rect.united(edge.path.controlPointRect())
        for edge in self.edges.values():
            for label in edge.labels():
                if label.isVisible():
                    rect = rect.united(label.sceneBoundingRect())
        if self.conv_window is not None and self.conv_window.isVisible():
            rect = rect.united(self.conv_window.sceneBoundingRect())
        for frame in self.frames.values():
            rect = rect.united(frame.sceneBoundingRect())
        return rect

    # ---- transient message at the cursor ----------------------------------------------------------
    def show_flash(self, text: str, at: QPointF, msec: int = 3500) -> None:
        self.clear_flash()
        th = self.style.theme
        self.flash = LabelItem(self.style.small, th.error, th.label_bg)
        self.flash.set_style(self.style.small, th.error, th.label_bg, th.error)
        self.flash.set_text(text)
        self.flash.setZValue(10)
        self.flash.setPos(at + QPointF(12, 12))
        self.addItem(self.flash)
        self._flash_timer.start(msec)

    def clear_flash(self) -> None:
        if self.flash is not None:
            if self.flash.scene() is self:
                self.removeItem(self.flash)
            self.flash = None

    # ---- connecting by dragging between ports -----------------------------------------------------
    def _port_at(self, pos: QPointF) -> PortItem | None:
        for item in self.items(pos):
            if isinstance(item, PortItem):
                return item
        return None

    def _endpoints(self, a: PortItem, b: PortItem) -> tuple[str, str, str] | None:
        if a.is_output == b.is_output:
            return None
        out, inp = (a, b) if a.is_output else (b, a)
        return out.node_id, inp.node_id, inp.port or ""

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        port = self._port_at(event.scenePos()) if event.button() == Qt.MouseButton.LeftButton else None
        if port is not None:
            self._drag_from = port
            th = self.style.theme
            self._drag_line = QGraphicsPathItem()
            self._drag_line.setPen(QPen(QColor(th.current), 2 * th.scale, Qt.PenStyle.DashLine))
            self._drag_line.setZValue(5)
            self.addItem(self._drag_line)
            self._update_drag(event.scenePos())
            event.accept()
            return
        super().mousePressEvent(event)
        self._press_pos = {i.node_id: i.pos() for i in self.selectedItems() if isinstance(i, NodeItem)}
        self._shown_pos = dict(self._press_pos)  # where the edges last saw each dragged node

    def _update_drag(self, pos: QPointF) -> None:
        start = self._drag_from.scenePos()
        path = curve(start, pos) if self._drag_from.is_output else curve(pos, start)
        self._drag_line.setPath(path if isinstance(path, QPainterPath) else QPainterPath())
        hot = self._port_at(pos)
        hot = hot if hot is not None and self._endpoints(self._drag_from, hot) else None
        if hot is not self._hot:
            if self._hot is not None:
                self._hot.set_hot(False)
            if hot is not None:
                hot.set_hot(True)
            self._hot = hot

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._drag_from is not None:
            self._update_drag(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)  # Qt drags the selected nodes: their edges follow
        for nid in self._press_pos:
            item = self.nodes.get(nid)
            if item is not None and item.pos() != self._shown_pos.get(nid):
                self._shown_pos[nid] = item.pos()
                self.node_geometry_changed(item)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._drag_from is not None:
            start, target = self._drag_from, self._port_at(event.scenePos())
            self._drag_from = None
            if self._hot is not None:
                self._hot.set_hot(False)
                self._hot = None
            if self._drag_line is not None:
                self.removeItem(self._drag_line)
                self._drag_line = None
            ends = self._endpoints(start, target) if target is not None else None
            if ends is not None:
                self.try_connect(*ends, at=event.scenePos())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        moved = []
        for nid, before in self._press_pos.items():
            item = self.nodes.get(nid)
            if item is not None and item.pos() != before:
                moved.append((nid, self.model_pos(item.pos())))
        self._press_pos, self._shown_pos = {}, {}
        if moved:
            self.nodes_moved.emit(moved)

    def try_connect(self, src: str, dst: str, port: str, at: QPointF | None = None) -> bool:
        """Ask the model whether the edge may exist; refuse visibly at the cursor, else request it."""
        try:
            self.graph.check_connect(src, dst, port)
        except StudioError as exc:
            self.show_flash(error_text(exc), at if at is not None else self.nodes[dst].pos())
            self.refused.emit(error_text(exc))
            return False
        self.connect_requested.emit(src, dst, port)
        return True

    # ---- drops from the palette -------------------------------------------------------------------
    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:  # noqa: N802
        event.setAccepted(event.mimeData().hasFormat(OP_MIME))

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:  # noqa: N802
        event.setAccepted(event.mimeData().hasFormat(OP_MIME))

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:  # noqa: N802
        if not event.mimeData().hasFormat(OP_MIME):
            event.ignore()
            return
        op = bytes(event.mimeData().data(OP_MIME).data()).decode()
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.op_dropped.emit(op, event.scenePos())
