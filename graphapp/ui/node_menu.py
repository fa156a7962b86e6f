"""The right-click menu of a node on the canvas: Expand or Collapse where they apply, then the edits of a
selection. Its entries are the window's own actions (the action table), so texts and keys stay one."""
from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from graphapp.core import expand as expansion
from graphapp.core.graph import Graph
from graphapp.ui.canvas.node_item import NodeItem
from graphapp.ui.canvas.scene import GraphScene
from graphapp.ui.canvas.view import GraphView


class Window(Protocol):
    graph: Graph
    scene: GraphScene
    view: GraphView
    actions_: dict[str, QAction]


def node_at(view: GraphView, at: QPoint) -> str | None:
    """The id of the node under a point of the view's viewport (a port or a label on it counts)."""
    item = view.itemAt(at)
    while item is not None and not isinstance(item, NodeItem):
        item = item.parentItem()
    return item.node_id if item is not None else None


def node_menu(window: Window, at: QPoint, parent: QWidget | None = None) -> QMenu | None:
    """The menu for the node under `at` (viewport coordinates), None off the nodes. A node outside the
    selection becomes the selection first, so the entries act on what was clicked."""
    nid = node_at(window.view, at)
    if nid is None:
        return frame_menu(window, at, parent)
    if nid not in window.scene.selected_node_ids():
        window.scene.select_nodes([nid])
    menu = QMenu(parent)
    ids = window.scene.selected_node_ids()
    if any(expansion.expandable(window.graph, n) for n in ids):
        menu.addAction(window.actions_["expand"])
    if any(expansion.group_of(window.graph, n) is not None for n in ids):
        menu.addAction(window.actions_["collapse"])
    if menu.actions():
        menu.addSeparator()
    for key in ("cut", "copy", "duplicate", "delete"):
        menu.addAction(window.actions_[key])
    return menu


def frame_menu(window: Window, at: QPoint, parent: QWidget | None = None) -> QMenu | None:
    """On an expanded layer's frame (off its pieces): Collapse, acting on that layer. Its own pieces become
    the selection (not those of a layer expanded inside it), so Collapse closes the frame clicked."""
    gid = window.scene.frame_at(window.view.mapToScene(at))
    if gid is None:
        return None
    window.scene.select_nodes([n for n in window.graph.groups[gid].nodes.values() if n in window.scene.nodes])
    if not window.scene.selected_node_ids():  # every piece is a layer expanded in turn: close those first
        return None
    menu = QMenu(parent)
    menu.addAction(window.actions_["collapse"])
    return menu
