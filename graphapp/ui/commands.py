"""Undoable edits. Each command calls exactly one model method in redo() and one in undo(); none
touches a graphics item (the scene redraws from the model's notifications).

Commands are applied once *before* they go on the stack (apply()), so a refused edit (a StudioError
from the model) never reaches the stack; QUndoStack.push then skips the first redo.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from graphapp.core.expand import Swap, swap
from graphapp.core.graph import Edge, Graph, Node
from graphapp.ui.i18n import tr


class ModelCommand(QUndoCommand):
    """Base of the edits: each subclass defines do() and undo_model(), one model call each."""

    do: Callable[[], None]
    undo_model: Callable[[], None]

    def __init__(self, graph: Graph, text: str) -> None:
        super().__init__(text)
        self.graph = graph
        self._applied = False

    def redo(self) -> None:
        if self._applied:  # already done by apply(); QUndoStack.push calls redo() once more
            self._applied = False
            return
        self.do()

    def undo(self) -> None:
        self.undo_model()


def apply(stack: QUndoStack, cmd: ModelCommand) -> None:
    """Run the edit now (it may raise StudioError, leaving the model unchanged), then record it."""
    cmd.do()
    cmd._applied = True
    stack.push(cmd)


class AddNode(ModelCommand):
    def __init__(self, graph: Graph, node: Node) -> None:
        super().__init__(graph, tr("cmd_add", name=node.name()))
        self.node = node

    def do(self) -> None:
        self.graph.insert_node(self.node)

    def undo_model(self) -> None:
        self.graph.remove_node(self.node.id)


class RemoveNode(ModelCommand):
    """Removes a node whose edges were already disconnected (deletion is a macro: edges, then nodes)."""

    def __init__(self, graph: Graph, node_id: str) -> None:
        node = graph.node(node_id)
        super().__init__(graph, tr("cmd_remove", name=node.name()))
        self.node = node
        self.index = graph.index_of(node_id)  # undo puts it back in place: order breaks evaluation ties

    def do(self) -> None:
        self.graph.remove_node(self.node.id)

    def undo_model(self) -> None:
        self.graph.insert_node(self.node, self.index)


class Connect(ModelCommand):
    def __init__(self, graph: Graph, src: str, dst: str, port: str) -> None:
        super().__init__(graph, tr("cmd_connect", src=src, dst=f"{dst}.{port}"))
        self.edge = Edge(src, dst, port)

    def do(self) -> None:
        self.graph.connect(self.edge.src, self.edge.dst, self.edge.port)

    def undo_model(self) -> None:
        self.graph.disconnect(self.edge.dst, self.edge.port)


class Disconnect(ModelCommand):
    def __init__(self, graph: Graph, edge: Edge) -> None:
        super().__init__(graph, tr("cmd_disconnect", src=edge.src, dst=f"{edge.dst}.{edge.port}"))
        self.edge = edge

    def do(self) -> None:
        self.graph.disconnect(self.edge.dst, self.edge.port)

    def undo_model(self) -> None:
        self.graph.connect(self.edge.src, self.edge.dst, self.edge.port)


class MoveNode(ModelCommand):
    def __init__(self, graph: Graph, node_id: str, pos: tuple[float, float],
                 old: tuple[float, float] | None = None) -> None:
        super().__init__(graph, tr("cmd_move", name=graph.node(node_id).name()))
        self.node_id, self.pos = node_id, pos
        self.old = old if old is not None else graph.node(node_id).pos

    def do(self) -> None:
        self.graph.move_node(self.node_id, self.pos)

    def undo_model(self) -> None:
        if self.old is not None:
            self.graph.move_node(self.node_id, self.old)


class SetValue(ModelCommand):
    def __init__(self, graph: Graph, node_id: str, value: Any) -> None:
        super().__init__(graph, tr("cmd_value", name=graph.node(node_id).name()))
        self.node_id, self.value, self.old = node_id, value, graph.node(node_id).value

    def do(self) -> None:
        self.old = self.graph.set_value(self.node_id, self.value)

    def undo_model(self) -> None:
        self.graph.set_value(self.node_id, self.old)


class SetAttr(ModelCommand):
    def __init__(self, graph: Graph, node_id: str, name: str, value: Any) -> None:
        super().__init__(graph, tr("cmd_attr", attr=name, name=graph.node(node_id).name()))
        self.node_id, self.name, self.value = node_id, name, value
        self.old = graph.node(node_id).attrs.get(name)

    def do(self) -> None:
        self.old = self.graph.set_attr(self.node_id, self.name, self.value)

    def undo_model(self) -> None:
        self.graph.set_attr(self.node_id, self.name, self.old)


class SetLabel(ModelCommand):
    def __init__(self, graph: Graph, node_id: str, label: str, label_ko: str) -> None:
        node = graph.node(node_id)
        super().__init__(graph, tr("cmd_label", name=node.name()))
        self.node_id, self.new, self.old = node_id, (label, label_ko), (node.label, node.label_ko)

    def do(self) -> None:
        self.graph.set_label(self.node_id, *self.new)

    def undo_model(self) -> None:
        self.graph.set_label(self.node_id, *self.old)


class SwapNodes(ModelCommand):
    """Expand a layer or collapse a group: one expand.swap() each way, the undoing Swap kept from do()."""

    def __init__(self, graph: Graph, plan: Swap, text: str) -> None:
        super().__init__(graph, text)
        self.plan = plan
        self.inverse: Swap  # set by do(), which always comes before undo

    def do(self) -> None:
        self.inverse = swap(self.graph, self.plan)

    def undo_model(self) -> None:
        swap(self.graph, self.inverse)
