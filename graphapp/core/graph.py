"""The graph model: nodes with typed ports, edges into input ports, validation, order, shapes.

Every edit is one method that notifies listeners (plain callbacks), so the UI can wrap each in an
undoable command and redraw from notifications, never by reading widgets back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import networkx
import numpy

from graphapp.core.errors import (
    CycleError, GraphError, MissingInputError, PortOccupiedError, ShapeError, UnknownNodeError,
)
from graphapp.core.ops import VALUE_OPS, OpSpec, Shape, get_op
from graphapp.core.values import as_value

Listener = Callable[[str, Any], None]


@dataclass
class Node:
    id: str
    op: str
    label: str = ""  # English (or neutral) display name; the id when empty
    label_ko: str = ""  # Korean display name, optional
    value: numpy.ndarray | None = None  # held by input, param and const nodes only
    attrs: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] | None = None  # canvas position; None until laid out

    @property
    def spec(self) -> OpSpec:
        return get_op(self.op, self.id)

    def name(self, lang: str = "en") -> str:
        if lang == "ko" and self.label_ko:
            return self.label_ko
        return self.label or self.id


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    port: str


class Graph:
    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self._sources: dict[tuple[str, str], str] = {}  # (dst, port) -> src
        self.meta: dict[str, Any] = {}  # name, title {en, ko}, description {en, ko}
        self.revision = 0  # bumped by every change that can alter results (not by moves or renames)
        self._listeners: list[Listener] = []
        self._order_cache: tuple[int, list[str]] | None = None

    # ---- notifications ------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _notify(self, kind: str, payload: Any, changes_results: bool = True) -> None:
        if changes_results:
            self.revision += 1
        for listener in list(self._listeners):
            listener(kind, payload)

    # ---- queries --------------------------------------------------------------------------------
    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise UnknownNodeError(node_id) from None

    @property
    def edges(self) -> list[Edge]:
        """Edges in a canonical order (by target node, then port), whatever order they were made in."""
        return [Edge(self._sources[(dst, port)], dst, port) for dst, node in self.nodes.items()
                for port in node.spec.inputs if (dst, port) in self._sources]

    def source_of(self, dst: str, port: str) -> str | None:
        return self._sources.get((dst, port))

    def input_sources(self, node_id: str) -> list[str | None]:
        node = self.node(node_id)
        return [self._sources.get((node_id, p)) for p in node.spec.inputs]

    def consumers(self, node_id: str) -> Iterator[Edge]:
        return (e for e in self.edges if e.src == node_id)

    def outputs(self) -> list[str]:
        """Output nodes; without any, the sinks (op nodes nobody consumes) stand in for them."""
        marked = [n for n, node in self.nodes.items() if node.op == "output"]
        if marked:
            return marked
        used = set(self._sources.values())
        return [n for n, node in self.nodes.items() if n not in used and node.op not in VALUE_OPS]

    def unique_id(self, prefix: str) -> str:
        i = 1
        while f"{prefix}_{i}" in self.nodes:
            i += 1
        return f"{prefix}_{i}"

    def _nx(self, extra: Edge | None = None) -> networkx.DiGraph:
        g = networkx.DiGraph()
        g.add_nodes_from(self.nodes)
        g.add_edges_from((e.src, e.dst) for e in self.edges)
        if extra:
            g.add_edge(extra.src, extra.dst)
        return g

    def topo_order(self) -> list[str]:
        """Nodes in evaluation order; ties broken by insertion order so traces are reproducible."""
        if self._order_cache and self._order_cache[0] == self.revision:
            return self._order_cache[1]
        index = {n: i for i, n in enumerate(self.nodes)}
        g = self._nx()
        try:
            order = list(networkx.lexicographical_topological_sort(g, key=index.__getitem__))
        except networkx.NetworkXUnfeasible:
            cycle = [u for u, _ in networkx.find_cycle(g)]
            raise CycleError(cycle) from None
        self._order_cache = (self.revision, order)
        return order

    def infer_shapes(self, partial: bool = False) -> dict[str, Shape]:
        """Each node's output shape, before running. `partial` skips nodes with unconnected inputs."""
        shapes: dict[str, Shape] = {}
        for nid in self.topo_order():
            node = self.nodes[nid]
            spec = node.spec
            if node.op in VALUE_OPS:
                if node.value is None:
                    raise GraphError(f"node '{nid}': {node.op} has no value", nid)
                shapes[nid] = tuple(node.value.shape)
                continue
            srcs = self.input_sources(nid)
            missing = [p for p, s in zip(spec.inputs, srcs) if s is None]
            if missing or any(s not in shapes for s in srcs):
                if partial:
                    continue
                raise MissingInputError(nid, missing[0] if missing else spec.inputs[0])
            shapes[nid] = spec.infer(nid, [(s, shapes[s]) for s in srcs], {**spec.default_attrs(), **node.attrs})
        return shapes

    # ---- edits ----------------------------------------------------------------------------------
    def add_node(self, op: str, node_id: str | None = None, *, label: str = "", label_ko: str = "",
                 value: Any = None, attrs: dict[str, Any] | None = None,
                 pos: tuple[float, float] | None = None) -> Node:
        spec = get_op(op, node_id)
        node_id = node_id or self.unique_id(op)
        if op in VALUE_OPS:
            value = as_value(0.0 if value is None else value, f"node '{node_id}' value")
        elif value is not None:
            raise GraphError(f"node '{node_id}': a {op} node computes its value; it cannot be given one",
                             node_id)
        unknown = set(attrs or {}) - {a.name for a in spec.attrs}
        if unknown:
            raise GraphError(f"node '{node_id}': {op} has no attribute '{sorted(unknown)[0]}'", node_id)
        attrs = spec.check_attrs(node_id, attrs or {})  # normalized; AttrError names node, attribute, value
        node = Node(node_id, op, label, label_ko, value, {**spec.default_attrs(), **(attrs or {})},
                    tuple(pos) if pos is not None else None)
        self.insert_node(node)
        return node

    def insert_node(self, node: Node, index: int | None = None) -> None:
        """Add an existing Node object (paste; undo of a removal puts it back at its old `index`)."""
        if node.id in self.nodes:
            raise GraphError(f"a node named '{node.id}' already exists", node.id)
        get_op(node.op, node.id)
        self.nodes[node.id] = node
        if index is not None and index < len(self.nodes) - 1:
            items = list(self.nodes.items())
            items.insert(index, items.pop())
            self.nodes = dict(items)
        self._notify("node_added", node)

    def index_of(self, node_id: str) -> int:
        """Position in insertion order (which breaks ties in the evaluation order)."""
        return list(self.nodes).index(node_id)

    def remove_node(self, node_id: str) -> tuple[Node, list[Edge]]:
        """Remove a node and every edge touching it; return both for undo."""
        node = self.node(node_id)
        touching = [e for e in self.edges if node_id in (e.src, e.dst)]
        for e in touching:
            self.disconnect(e.dst, e.port)
        del self.nodes[node_id]
        self._notify("node_removed", node)
        return node, touching

    def check_connect(self, src: str, dst: str, port: str) -> Edge:
        """Raise the reason `src → dst.port` would be refused; change nothing."""
        self.node(src)
        spec = self.node(dst).spec
        if port not in spec.inputs:
            raise GraphError(f"node '{dst}' has no input '{port}' (it has: {', '.join(spec.inputs) or 'none'})",
                             dst)
        if (dst, port) in self._sources:
            raise PortOccupiedError(dst, port, self._sources[(dst, port)])
        edge = Edge(src, dst, port)
        if src == dst or networkx.has_path(self._nx(), dst, src):
            cycle = [src] if src == dst else networkx.shortest_path(self._nx(), dst, src)
            raise CycleError(cycle)
        # Try the shapes with the edge in place, then restore everything exactly: a check is not an edit,
        # so the revision (and with it a trace on screen) stays as it was.
        revision, cache = self.revision, self._order_cache
        self._sources[(dst, port)] = src
        self.revision += 1
        try:
            self.infer_shapes(partial=True)
        finally:
            del self._sources[(dst, port)]
            self.revision, self._order_cache = revision, cache
        return edge

    def connect(self, src: str, dst: str, port: str) -> Edge:
        edge = self.check_connect(src, dst, port)
        self._sources[(dst, port)] = src
        self._notify("edge_added", edge)
        return edge

    def disconnect(self, dst: str, port: str) -> Edge:
        try:
            src = self._sources.pop((dst, port))
        except KeyError:
            raise GraphError(f"node '{dst}': input '{port}' is not connected", dst) from None
        edge = Edge(src, dst, port)
        self._notify("edge_removed", edge)
        return edge

    def set_value(self, node_id: str, value: Any) -> numpy.ndarray:
        """Set an input/param/const value; return the old one. A new shape must still fit the graph."""
        node = self.node(node_id)
        if node.op not in VALUE_OPS:
            raise GraphError(f"node '{node_id}' is a {node.op} node; only inputs, parameters and constants "
                             "hold values", node_id)
        new, old = as_value(value, f"node '{node_id}' value"), node.value
        node.value = new
        if new.shape != old.shape:
            try:
                self.revision += 1
                self.infer_shapes(partial=True)
            except ShapeError:
                node.value = old
                raise
        self._notify("node_changed", node)
        return old

    def set_attr(self, node_id: str, name: str, value: Any) -> Any:
        node = self.node(node_id)
        if name not in {a.name for a in node.spec.attrs}:
            raise GraphError(f"node '{node_id}': {node.op} has no attribute '{name}'", node_id)
        old = node.attrs.get(name)
        node.attrs[name] = node.spec.check_attr(node_id, name, value)
        try:
            self.revision += 1
            self.infer_shapes(partial=True)
        except GraphError:
            node.attrs[name] = old
            raise
        self._notify("node_changed", node)
        return old

    def set_label(self, node_id: str, label: str, label_ko: str | None = None) -> tuple[str, str]:
        node = self.node(node_id)
        old = (node.label, node.label_ko)
        node.label = label
        if label_ko is not None:
            node.label_ko = label_ko
        self._notify("node_changed", node, changes_results=False)
        return old

    def move_node(self, node_id: str, pos: tuple[float, float]) -> tuple[float, float] | None:
        node = self.node(node_id)
        old, node.pos = node.pos, (float(pos[0]), float(pos[1]))
        self._notify("node_moved", node, changes_results=False)
        return old

    def clear(self) -> None:
        self.nodes.clear()
        self._sources.clear()
        self.meta = {}
        self._notify("reset", None)

    def replace_with(self, other: "Graph") -> None:
        """Take over another graph's content in one step (used by Open: listeners stay subscribed)."""
        self.nodes, self._sources, self.meta = other.nodes, other._sources, other.meta
        self._notify("reset", None)
