"""The graph model: nodes with typed ports, edges into input ports, validation, order, shapes.

Every edit is one method that notifies listeners (plain callbacks), so the UI can wrap each in an
undoable command and redraw from notifications, never by reading widgets back.

Cost is linear in the graph: an index of consumers answers "who reads this node" directly, a connect
looks for a cycle only between the two ends (a bidirectional search, O(1) for a graph built in order),
output shapes are cached per node and re-inferred only downstream of an edit, and the evaluation order
is computed once per revision. Nothing recurses, so chains of any length work.
"""
from __future__ import annotations

import bisect
import heapq
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy

from graphapp.core.errors import (
    CycleError, GraphError, MissingInputError, PortOccupiedError, ShapeError, StudioError, UnknownNodeError,
)
from graphapp.core.ops import VALUE_OPS, OpSpec, Shape, get_op
from graphapp.core.ops.spec import fmt_shape
from graphapp.core.values import MAX_ELEMENTS, as_value, shape_problem

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


MAX_TEXT = 200  # characters in an id or a label: longer ones cannot be shown on a node or a narration line


def check_text(text: object, where: str, node: str | None = None, empty: bool = True) -> str:
    """An id or a label: text of at most MAX_TEXT characters that a file and a terminal can hold."""
    if not isinstance(text, str) or (not empty and not text):
        raise GraphError(f"{where}: expected {'text' if empty else 'non-empty text'}", node)
    if len(text) > MAX_TEXT:
        raise GraphError(f"{where}: {len(text):,} characters; at most {MAX_TEXT}", node)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800": no file could store it
        raise GraphError(f"{where}: contains an unpaired surrogate (U+D800–U+DFFF), which is not text", node) \
            from None
    return text


class Graph:
    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.meta: dict[str, Any] = {}  # name, title {en, ko}, description {en, ko}
        self.groups: dict[str, Any] = {}  # expanded layers by id: expand.Group records (graphapp/core/expand.py)
        self.revision = 0  # bumped by every change that can alter results (not by moves or renames)
        self._listeners: list[Listener] = []
        self._reset_indexes()

    def _reset_indexes(self) -> None:
        self._sources: dict[tuple[str, str], str] = {}  # (dst, port) -> src
        self._consumers: dict[str, set[tuple[str, str]]] = {}  # src -> {(dst, port)}
        self._shapes: dict[str, Shape] = {}  # output shapes of the nodes whose inputs are all known
        self._pos: dict[str, int] = {}  # increasing in insertion order (the heap key of the order)
        self._removed: list[int] = []  # sorted positions freed since the last renumbering
        self._next_pos = 0
        self._free_from: dict[str, int] = {}  # prefix -> every f"{prefix}_{i}" below it is taken
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

    def shape(self, node_id: str) -> Shape | None:
        """The node's output shape as inferred so far (None while an input is open): O(1), from the cache."""
        return self._shapes.get(self.node(node_id).id)

    def input_sources(self, node_id: str) -> list[str | None]:
        node = self.node(node_id)
        return [self._sources.get((node_id, p)) for p in node.spec.inputs]

    def consumers(self, node_id: str) -> Iterator[Edge]:
        """The edges out of a node, in the canonical edge order."""
        return iter(self._canonical(Edge(node_id, dst, port) for dst, port in self._consumers.get(node_id, ())))

    def _canonical(self, edges: Iterable[Edge]) -> list[Edge]:
        return sorted(edges, key=lambda e: (self._pos[e.dst], self.nodes[e.dst].spec.inputs.index(e.port)))

    def outputs(self) -> list[str]:
        """Output nodes; without any, the sinks (op nodes nobody consumes) stand in for them."""
        marked = [n for n, node in self.nodes.items() if node.op == "output"]
        if marked:
            return marked
        return [n for n, node in self.nodes.items() if not self._consumers.get(n) and node.op not in VALUE_OPS]

    def unique_id(self, prefix: str) -> str:
        """The first free f"{prefix}_{i}", i = 1, 2, ...; amortised O(1) through a per-prefix lower bound.
        An expanded layer's id is not free: collapsing gives it back."""
        i = self._free_from.get(prefix, 1)
        while f"{prefix}_{i}" in self.nodes or f"{prefix}_{i}" in self.groups:
            i += 1
        self._free_from[prefix] = i
        return f"{prefix}_{i}"

    def index_of(self, node_id: str) -> int:
        """Position in insertion order (which breaks ties in the evaluation order)."""
        position = self._pos[self.node(node_id).id]
        return position - bisect.bisect_left(self._removed, position)

    def _renumber(self) -> None:
        self._pos = {n: i for i, n in enumerate(self.nodes)}
        self._removed, self._next_pos = [], len(self._pos)

    def _sorted(self, nodes: Iterable[str], indegree: dict[str, int]) -> list[str]:
        """Kahn's algorithm over `nodes` (edges counted in `indegree`), smallest insertion index first:
        the same order as networkx's lexicographical_topological_sort keyed by insertion index."""
        pos = self._pos
        heap = [(pos[n], n) for n in nodes if indegree[n] == 0]
        heapq.heapify(heap)
        order = []
        while heap:
            n = heapq.heappop(heap)[1]
            order.append(n)
            for dst, _ in self._consumers.get(n, ()):
                indegree[dst] -= 1
                if indegree[dst] == 0:
                    heapq.heappush(heap, (pos[dst], dst))
        return order

    def topo_order(self) -> list[str]:
        """Nodes in evaluation order; ties broken by insertion order so traces are reproducible."""
        if self._order_cache and self._order_cache[0] == self.revision:
            return self._order_cache[1]
        indegree = dict.fromkeys(self.nodes, 0)
        for dst, _ in self._sources:
            indegree[dst] += 1
        order = self._sorted(self.nodes, indegree)
        if len(order) < len(self.nodes):
            raise CycleError(self._find_cycle({n for n, d in indegree.items() if d > 0}))
        self._order_cache = (self.revision, order)
        return order

    def _find_cycle(self, stuck: set[str]) -> list[str]:
        """A cycle among the nodes Kahn's algorithm could not order: each has a source among them."""
        seen: dict[str, int] = {}
        path: list[str] = []
        n = min(stuck, key=self._pos.__getitem__)
        while n not in seen:
            seen[n] = len(path)
            path.append(n)
            n = next(s for p in self.nodes[n].spec.inputs if (s := self._sources.get((n, p))) in stuck)
        return path[seen[n]:][::-1]  # walked against the edges; a cycle reads along them

    def _path(self, start: str, goal: str) -> list[str] | None:
        """A shortest path start → … → goal, or None: a bidirectional breadth-first search that always
        widens the smaller frontier, so it stops after O(1) steps when either end is new."""
        if start == goal:
            return [start]
        fwd: dict[str, str | None] = {start: None}  # node -> the node before it, towards start
        back: dict[str, str | None] = {goal: None}  # node -> the node after it, towards goal
        fwd_front, back_front = [start], [goal]
        while fwd_front and back_front:
            forward = len(fwd_front) <= len(back_front)
            seen, other = (fwd, back) if forward else (back, fwd)
            nxt = []
            for v in (fwd_front if forward else back_front):
                near = ([d for d, _ in self._consumers.get(v, ())] if forward else
                        [s for p in self.nodes[v].spec.inputs if (s := self._sources.get((v, p))) is not None])
                for w in near:
                    if w not in seen:
                        seen[w] = v
                        nxt.append(w)
                    if w in other:
                        if not forward:
                            v, w = w, v
                        return self._join(fwd, back, v, w)
            if forward:
                fwd_front = nxt
            else:
                back_front = nxt
        return None

    @staticmethod
    def _join(fwd: dict[str, str | None], back: dict[str, str | None], u: str, w: str) -> list[str]:
        """The path through the edge u → w, u reached from the start and w leading to the goal."""
        head: list[str] = []
        n: str | None = u
        while n is not None:
            head.append(n)
            n = fwd[n]
        tail: list[str] = []
        n = w
        while n is not None:
            tail.append(n)
            n = back[n]
        return head[::-1] + tail

    def infer_shapes(self, partial: bool = False) -> dict[str, Shape]:
        """Each node's output shape, before running. `partial` skips nodes with unconnected inputs."""
        order = self.topo_order()
        if not partial:
            for nid in order:
                if nid in self._shapes:
                    continue
                node = self.nodes[nid]
                if node.op in VALUE_OPS:
                    raise GraphError(f"node '{nid}': {node.op} has no value", nid)
                # The first unknown shape in evaluation order has all its sources known: a port is open.
                srcs = self.input_sources(nid)
                missing = [p for p, s in zip(node.spec.inputs, srcs) if s is None]
                raise MissingInputError(nid, missing[0] if missing else node.spec.inputs[0])
        return {n: self._shapes[n] for n in order if n in self._shapes}

    def _infer_one(self, nid: str, shape_of: Callable[[str], Shape | None]) -> Shape | None:
        node = self.nodes[nid]
        if node.op in VALUE_OPS:
            return None if node.value is None else tuple(node.value.shape)
        spec = node.spec
        ins = []
        for port in spec.inputs:
            src = self._sources.get((nid, port))
            shape = None if src is None else shape_of(src)
            if shape is None:
                return None
            ins.append((src, shape))
        out = spec.infer(nid, ins, {**spec.default_attrs(), **node.attrs})  # an op's own message first
        for port, (src, shape) in zip(spec.inputs, ins):  # reductions of nothing give NaN, softmax fails
            if 0 in shape:
                raise ShapeError(f"node '{nid}': input '{port}' ('{src}' {fmt_shape(shape)}) holds no numbers; "
                                 f"{node.op} needs at least one", nid)
        problem = shape_problem(out)  # shapes are uncapped (info shows VGG-16 at batch 64), but not absurd
        if problem is not None:
            raise ShapeError(f"node '{nid}': its output {fmt_shape(out)} {problem}", nid)
        return out

    def run_shapes(self) -> dict[str, Shape]:
        """infer_shapes() for a run about to allocate: every value and output within MAX_ELEMENTS numbers,
        and the work arrays behind a layer (conv2d's windows, a sequence's tape) too, refused by node with
        the arithmetic. Shape inference alone (info, the canvas) leaves them uncapped. Linear in the graph."""
        shapes = self.infer_shapes()
        for nid in self.topo_order():
            node, out = self.nodes[nid], shapes[nid]
            count = math.prod(out)
            if count > MAX_ELEMENTS:
                what = "value" if node.op in VALUE_OPS else "output"
                raise ShapeError(f"node '{nid}': its {what} {fmt_shape(out)} would hold {'·'.join(map(str, out))} "
                                 f"= {count:,} numbers; a value holds at most {MAX_ELEMENTS:,}", nid)
            spec = node.spec
            if spec.bound is not None:
                ins = [(src, shapes[src]) for src in self.input_sources(nid) if src is not None]
                spec.bound(nid, ins, out, {**spec.default_attrs(), **node.attrs})
        return shapes

    def _reshape(self, start: str) -> dict[str, Shape | None]:
        """New shapes for `start` and what depends on it (raises ShapeError); the cache is not written.

        Only nodes with a changed input are inferred again, in evaluation order, so a change that
        keeps `start`'s shape, or leaves it unknown, costs O(1) however much hangs below it.
        """
        new: dict[str, Shape | None] = {start: self._infer_one(start, self._shapes.get)}
        if new[start] == self._shapes.get(start) or not self._consumers.get(start):
            return new
        region = {start}
        stack = [start]
        while stack:
            for dst, _ in self._consumers.get(stack.pop(), ()):
                if dst not in region:
                    region.add(dst)
                    stack.append(dst)
        indegree = dict.fromkeys(region, 0)
        for n in region:
            for dst, _ in self._consumers.get(n, ()):
                indegree[dst] += 1
        changed = {start}

        def shape_of(n: str) -> Shape | None:
            return new[n] if n in new else self._shapes.get(n)

        for nid in self._sorted(region, indegree)[1:]:  # `start` is the only root of its region
            if any(self._sources.get((nid, p)) in changed for p in self.nodes[nid].spec.inputs):
                new[nid] = self._infer_one(nid, shape_of)
                if new[nid] != self._shapes.get(nid):
                    changed.add(nid)
        return new

    def _store_shapes(self, new: dict[str, Shape | None]) -> None:
        for nid, shape in new.items():
            if shape is None:
                self._shapes.pop(nid, None)
            else:
                self._shapes[nid] = shape

    # ---- edits ----------------------------------------------------------------------------------
    def add_node(self, op: str, node_id: str | None = None, *, label: str = "", label_ko: str = "",
                 value: Any = None, attrs: dict[str, Any] | None = None,
                 pos: tuple[float, float] | None = None) -> Node:
        spec = get_op(op, node_id)
        node_id = self.unique_id(op) if node_id is None else node_id
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

    def _check_new(self, node: Node, also_taken: set[str] | frozenset[str] = frozenset()) -> None:
        """A Node object may join: its id and labels are text, the id is free, the op exists."""
        check_text(node.id, "a node's id", node.id, empty=False)
        check_text(node.label, f"node '{node.id}' label", node.id)
        check_text(node.label_ko, f"node '{node.id}' label_ko", node.id)
        if node.id in self.nodes or node.id in also_taken:
            raise GraphError(f"a node named '{node.id}' already exists", node.id)
        get_op(node.op, node.id)

    def insert_node(self, node: Node, index: int | None = None) -> None:
        """Add an existing Node object (paste; undo of a removal puts it back at its old `index`)."""
        self._check_new(node)
        self.nodes[node.id] = node
        if index is not None and index < len(self.nodes) - 1:
            items = list(self.nodes.items())
            items.insert(index, items.pop())
            self.nodes = dict(items)
            self._renumber()
        else:
            self._pos[node.id] = self._next_pos
            self._next_pos += 1
        self._store_shapes({node.id: self._infer_one(node.id, self._shapes.get)})  # a value node's shape
        self._notify("node_added", node)

    def insert_nodes(self, placed: Sequence[tuple[Node, int]]) -> None:
        """insert_node for many nodes at once, each at its index as if inserted one after another in this
        order: checked all first (nothing changes if one is refused), then the order is rebuilt once, so an
        expansion of k pieces costs O(n + k), not O(n·k)."""
        ids: set[str] = set()
        for node, _ in placed:
            self._check_new(node, ids)
            ids.add(node.id)
        order = list(self.nodes)
        for node, index in placed:
            order.insert(index, node.id)
        new = {node.id: node for node, _ in placed}
        self.nodes = {nid: new.get(nid) or self.nodes[nid] for nid in order}
        self._renumber()
        for node, _ in placed:
            self._store_shapes({node.id: self._infer_one(node.id, self._shapes.get)})
            self._notify("node_added", node)

    def remove_node(self, node_id: str) -> tuple[Node, list[Edge]]:
        """Remove a node and every edge touching it; return both for undo."""
        node = self.node(node_id)
        incoming = [Edge(s, node_id, p) for p in node.spec.inputs if (s := self._sources.get((node_id, p)))]
        touching = self._canonical([*incoming, *self.consumers(node_id)])
        for e in touching:
            self.disconnect(e.dst, e.port)
        del self.nodes[node_id]
        self._consumers.pop(node_id, None)
        self._shapes.pop(node_id, None)
        bisect.insort(self._removed, self._pos.pop(node_id))  # the others keep their order and keys
        prefix, _, number = node_id.rpartition("_")
        if number.isdigit() and int(number) < self._free_from.get(prefix, 1):
            self._free_from[prefix] = int(number)
        self._notify("node_removed", node)
        return node, touching

    def _link(self, src: str, dst: str, port: str) -> None:
        self._sources[(dst, port)] = src
        self._consumers.setdefault(src, set()).add((dst, port))

    def _unlink(self, src: str, dst: str, port: str) -> None:
        del self._sources[(dst, port)]
        self._consumers[src].discard((dst, port))

    def _try_connect(self, src: str, dst: str, port: str) -> tuple[Edge, dict[str, Shape | None]]:
        """Raise the reason `src → dst.port` would be refused, else return it and the shapes it makes."""
        self.node(src)
        spec = self.node(dst).spec
        if port not in spec.inputs:
            raise GraphError(f"node '{dst}' has no input '{port}' (it has: {', '.join(spec.inputs) or 'none'})",
                             dst)
        if (dst, port) in self._sources:
            raise PortOccupiedError(dst, port, self._sources[(dst, port)])
        cycle = self._path(dst, src)
        if cycle is not None:
            raise CycleError(cycle)
        # Infer with the edge in place, then take it out again: a check is not an edit, so the
        # revision (and with it a trace on screen) and the shape cache stay as they were.
        self._link(src, dst, port)
        try:
            shapes = self._reshape(dst)
        finally:
            self._unlink(src, dst, port)
        return Edge(src, dst, port), shapes

    def check_connect(self, src: str, dst: str, port: str) -> Edge:
        """Raise the reason `src → dst.port` would be refused; change nothing."""
        return self._try_connect(src, dst, port)[0]

    def connect(self, src: str, dst: str, port: str) -> Edge:
        edge, shapes = self._try_connect(src, dst, port)
        self._link(src, dst, port)
        self._store_shapes(shapes)
        self._notify("edge_added", edge)
        return edge

    def rewire(self, dst: str, port: str, src: str) -> Edge:
        """Feed an occupied input from `src` instead, as one checked edit: shapes are inferred once, from the
        new source, so a source of the same shape costs O(1) however much hangs below `dst` (a disconnect and
        a connect would make all of it unknown and then known again)."""
        old = self._sources.get((dst, port))
        if old is None:
            return self.connect(src, dst, port)
        self._unlink(old, dst, port)
        try:
            edge, shapes = self._try_connect(src, dst, port)
        except StudioError:
            self._link(old, dst, port)
            raise
        self._link(src, dst, port)
        self._store_shapes(shapes)
        self._notify("edge_removed", Edge(old, dst, port))
        self._notify("edge_added", edge)
        return edge

    def disconnect(self, dst: str, port: str) -> Edge:
        src = self._sources.get((dst, port))
        if src is None:
            raise GraphError(f"node '{dst}': input '{port}' is not connected", dst)
        self._unlink(src, dst, port)
        self._store_shapes(self._reshape(dst))  # dst and what it feeds lose their shapes
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
        try:
            shapes = self._reshape(node_id)
        except ShapeError:
            node.value = old
            raise
        self._store_shapes(shapes)
        self._notify("node_changed", node)
        return old

    def set_attr(self, node_id: str, name: str, value: Any) -> Any:
        node = self.node(node_id)
        if name not in {a.name for a in node.spec.attrs}:
            raise GraphError(f"node '{node_id}': {node.op} has no attribute '{name}'", node_id)
        old = node.attrs.get(name)
        node.attrs[name] = node.spec.check_attr(node_id, name, value)
        try:
            shapes = self._reshape(node_id)
        except GraphError:
            node.attrs[name] = old
            raise
        self._store_shapes(shapes)
        self._notify("node_changed", node)
        return old

    def set_label(self, node_id: str, label: str, label_ko: str | None = None) -> tuple[str, str]:
        node = self.node(node_id)
        check_text(label, f"node '{node_id}' label", node_id)
        check_text(label_ko or "", f"node '{node_id}' label_ko", node_id)
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
        self.meta, self.groups = {}, {}
        self._reset_indexes()
        self._notify("reset", None)

    def replace_with(self, other: "Graph") -> None:
        """Take over another graph's content in one step (used by Open: listeners stay subscribed)."""
        self.nodes, self.meta, self.groups = other.nodes, other.meta, other.groups
        self._reset_indexes()
        self._sources, self._consumers, self._shapes = other._sources, other._consumers, other._shapes
        self._pos, self._free_from = other._pos, other._free_from
        self._removed, self._next_pos = other._removed, other._next_pos
        self._notify("reset", None)
