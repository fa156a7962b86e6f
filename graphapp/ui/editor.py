"""GraphEditor: every edit of the open graph, as undo commands on one QUndoStack.

It owns the graph and the stack and speaks in node ids, never in scene items: the window turns
gestures and selections into ids, the editor turns ids into commands (each one model call), and a
gesture that makes several commands is one undo step through `macro()`.
"""
from __future__ import annotations

import json
from contextlib import ExitStack, contextmanager
from typing import Callable, Iterable, Iterator

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtGui import QGuiApplication, QUndoStack

from graphapp.core import expand as expansion, fileio
from graphapp.core.errors import StudioError
from graphapp.core.graph import Edge, Graph, Node
from graphapp.core.ops import REGISTRY, VALUE_OPS
from graphapp.core.values import as_value, parse_json
from graphapp.ui.canvas.display import layout_positions
from graphapp.ui.canvas.style import Style
from graphapp.ui.commands import (
    AddNode, Connect, Disconnect, ModelCommand, MoveNode, RemoveNode, SwapNodes, apply,
)
from graphapp.ui import i18n
from graphapp.ui.i18n import tr

CLIP_MIME = "application/x-backprop-studio-graph"
PASTE_OFFSET = 40.0
Pos = tuple[float, float]


class GraphEditor(QObject):
    refused = Signal(str)  # an edit the model refused, already worded for the status bar

    def __init__(self, graph: Graph, style: Callable[[], Style], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.graph = graph
        self.stack = QUndoStack(self)
        self.style = style  # the current canvas style: label sizes decide the layout's gaps

    # ---- the undo machinery -------------------------------------------------------------------
    def apply(self, cmd: ModelCommand) -> str | None:
        """Run one edit through the undo stack; a refusal is reported and returned, nothing recorded."""
        try:
            apply(self.stack, cmd)
        except StudioError as exc:
            self.refused.emit(tr("edit_failed", msg=i18n.error_text(exc)))
            return i18n.error_text(exc)
        return None

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """The commands applied inside are one undo step; the macro is closed even when one raises."""
        self.stack.beginMacro(text)
        try:
            yield
        finally:
            self.stack.endMacro()

    # ---- edits by id --------------------------------------------------------------------------------
    def add_op(self, op: str, at: Pos) -> str:
        spec = REGISTRY[op]
        node = Node(self.graph.unique_id(op), op, value=as_value(1.0, op) if op in VALUE_OPS else None,
                    attrs=spec.default_attrs(), pos=(float(at[0]), float(at[1])))
        self.apply(AddNode(self.graph, node))
        return node.id

    def connect(self, src: str, dst: str, port: str) -> str | None:
        return self.apply(Connect(self.graph, src, dst, port))

    def move_nodes(self, moves: list[tuple[str, Pos]]) -> None:
        if len(moves) == 1:
            self.apply(MoveNode(self.graph, *moves[0]))
            return
        with self.macro(tr("cmd_move_many", n=len(moves))):
            for nid, pos in moves:
                self.apply(MoveNode(self.graph, nid, pos))

    def delete(self, ids: Iterable[str], edges: Iterable[Edge] = ()) -> None:
        """Remove nodes with all their edges, and loose edges, as one step (edges first, then nodes)."""
        ids = [n for n in ids if n in self.graph.nodes]
        doomed = set(ids)
        gone = [e for e in self.graph.edges if e.src in doomed or e.dst in doomed]
        gone += [e for e in edges if e not in gone]
        if not ids and not gone:
            return
        with self.macro(tr("cmd_delete", n=len(ids) + len(gone))):
            for e in gone:
                self.apply(Disconnect(self.graph, e))
            for nid in ids:
                self.apply(RemoveNode(self.graph, nid))

    def expand(self, ids: Iterable[str]) -> list[str]:
        """Expand each expandable layer among `ids` into its pieces, as one undo step; returns the layer ids."""
        layers = [n for n in ids if expansion.expandable(self.graph, n)]
        return self._swaps(layers, expansion.plan_expand, "cmd_expand", opening=True)

    def collapse(self, ids: Iterable[str]) -> list[str]:
        """Collapse the groups the nodes `ids` are pieces of, as one undo step; returns the layer ids."""
        groups = dict.fromkeys(g for n in ids if (g := expansion.group_of(self.graph, n)) is not None)
        # a group expanded inside another (its id is "outer/key") goes first: the outer one needs it closed
        return self._swaps(sorted(groups, key=len, reverse=True), expansion.plan_collapse, "cmd_collapse",
                           opening=False)

    def _swaps(self, ids: list[str], plan: Callable[[Graph, str], tuple[expansion.Swap, object]],
               text: str, opening: bool) -> list[str]:
        """One SwapNodes per id, with the moves that make room for the pieces (or take it back), all one undo
        step; each planned against the graph the earlier ones left, and the macro opened only once one
        succeeds, so a refusal alone leaves the stack as it was."""
        done: list[str] = []
        opened = False
        with ExitStack() as step:
            for nid in ids:
                try:
                    cmd = SwapNodes(self.graph, plan(self.graph, nid)[0], tr(text, name=nid))
                except StudioError as exc:
                    self.refused.emit(tr("edit_failed", msg=i18n.error_text(exc)))
                    continue
                if not opened:
                    step.enter_context(self.macro(tr(text, name=", ".join(ids))))
                    opened = True
                moves = [] if opening else expansion.room(self.graph, nid, opening=False)
                if self.apply(cmd) is None:
                    done.append(nid)
                    moves = expansion.room(self.graph, nid, opening=True) if opening else moves
                    for mid, pos in moves:
                        self.apply(MoveNode(self.graph, mid, pos))
        return done

    def relayout(self) -> None:
        self.move_nodes(list(layout_positions(self.graph, self.style()).items()))

    # ---- clipboard and fragments ------------------------------------------------------------------
    def copy(self, ids: list[str]) -> bool:
        if not ids:
            return False
        data = json.dumps(fileio.graph_to_dict(self.graph, ids), ensure_ascii=False)
        mime = QMimeData()
        mime.setData(CLIP_MIME, data.encode())
        mime.setText(data)
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def cut(self, ids: list[str]) -> None:
        if self.copy(ids):
            self.delete(ids)

    def paste(self) -> list[str]:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return []
        raw = bytes(mime.data(CLIP_MIME).data()).decode() if mime.hasFormat(CLIP_MIME) else mime.text()
        try:  # the clipboard may hold anything: bounded nesting, long integers allowed, junk ignored
            data = parse_json(raw, fileio.MAX_DEPTH, StudioError)
        except (StudioError, ValueError, TypeError):
            return []
        return self.insert_subgraph(data)

    def duplicate(self, ids: list[str]) -> list[str]:
        return self.insert_subgraph(fileio.graph_to_dict(self.graph, ids)) if ids else []

    def insert_subgraph(self, data: dict) -> list[str]:
        """Paste a graph_to_dict() fragment with fresh ids, offset so it does not hide the original."""
        try:
            part = fileio.graph_from_dict(data, "clipboard")
        except StudioError as exc:
            self.refused.emit(tr("edit_failed", msg=i18n.error_text(exc)))
            return []
        return self.insert_graph(part, tr("cmd_paste", n=len(part.nodes)), (PASTE_OFFSET, PASTE_OFFSET))

    def insert_graph(self, part: Graph, text: str, offset: Pos = (0.0, 0.0)) -> list[str]:
        """Add another graph's nodes (renamed where an id is taken) and edges as one undo step; returns
        the new ids. Nodes without a place are laid out first, to the right of what is already there."""
        if not part.nodes:
            return []
        if any(n.pos is None for n in part.nodes.values()):
            places = layout_positions(part, self.style())
            right = max((n.pos[0] for n in self.graph.nodes.values() if n.pos), default=None)
            left = min(x for x, _ in places.values())
            shift = 0.0 if right is None else right + 200.0 - left
            for nid, (x, y) in places.items():
                if part.nodes[nid].pos is None:
                    part.nodes[nid].pos = (x + shift, y)
        new_ids: dict[str, str] = {}
        with self.macro(text):
            for old in part.nodes.values():
                base = old.id.rstrip("0123456789").rstrip("_") or old.op
                nid = old.id if old.id not in self.graph.nodes else self.graph.unique_id(base)
                x, y = old.pos or (0.0, 0.0)
                node = Node(nid, old.op, old.label, old.label_ko, old.value, dict(old.attrs),
                            (x + offset[0], y + offset[1]))
                self.apply(AddNode(self.graph, node))
                new_ids[old.id] = nid
            for e in part.edges:
                self.apply(Connect(self.graph, new_ids[e.src], new_ids[e.dst], e.port))
        return list(new_ids.values())
