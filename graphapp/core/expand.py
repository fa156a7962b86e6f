"""Expand a layer node into the primitive nodes it stands for, and collapse them back (issue 9).

Each is one edit of the graph, a `Swap`: nodes out (with every edge that touches them), nodes in at
given places of the insertion order (which breaks ties in the evaluation order), edges connected,
group records added or dropped. `swap()` applies one and returns the Swap that undoes it, so an undo
stack replays either direction exactly, and a failure halfway is rolled back before it is raised.

The group record (graph.groups[layer id]) keeps the layer's op, attributes, labels and place, so a
collapse gives back the very node that was expanded, under its own id, with the same inputs and
consumers. Before collapsing, the pieces are compared with a fresh expansion of that layer: an edit
that collapsing would lose (a deleted or rewired piece, a changed attribute or constant, a piece read
from outside the group) is refused with what it is. Pieces' labels and places are only looks: they
are dropped. Expanding and collapsing never change a number: the pieces compute the layer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy

from graphapp.core.errors import GraphError, StudioError
from graphapp.core.expanders import EXPANDERS, Piece, Shape
from graphapp.core.graph import Edge, Graph, Node
from graphapp.core.ops import VALUE_OPS, get_op
from graphapp.core.ops.spec import describe, fmt_shape
from graphapp.core.values import as_value

SEP = "/"  # a piece's id is f"{layer id}/{key}", like a name scope
DX, DY = 180.0, 100.0  # the grid the pieces stand on, from the layer's place rightwards


@dataclass(frozen=True)
class Group:
    """An expanded layer: what collapsing gives back, and which nodes stand in for it."""

    id: str  # the layer's id
    op: str
    nodes: Mapping[str, str]  # piece key -> node id, in expansion order; the last one's output is the layer's
    attrs: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""
    label_ko: str = ""
    pos: tuple[float, float] | None = None
    shapes: Mapping[str, Shape] = field(default_factory=dict)  # the inputs' shapes it was expanded for

    @property
    def output(self) -> str:
        return list(self.nodes.values())[-1]

    def layer(self) -> Node:
        return Node(self.id, self.op, self.label, self.label_ko, None, dict(self.attrs), self.pos)


@dataclass(frozen=True)
class Swap:
    remove: tuple[str, ...]
    insert: tuple[tuple[Node, int], ...]  # (node, its index in the insertion order), ascending
    edges: tuple[Edge, ...]  # connected once the nodes are in
    add_groups: tuple[Group, ...] = ()
    drop_groups: tuple[str, ...] = ()


def _local_order(graph: Graph, ids: tuple[str, ...]) -> list[str]:
    """`ids` in evaluation order among themselves: Kahn's algorithm over them alone, never the whole graph."""
    inside = set(ids)
    indegree = {n: sum(src in inside for src in graph.input_sources(n)) for n in ids}
    ready, order = [n for n in reversed(ids) if indegree[n] == 0], []
    while ready:
        n = ready.pop()
        order.append(n)
        for e in graph.consumers(n):
            if e.dst in inside:
                indegree[e.dst] -= 1
                if indegree[e.dst] == 0:
                    ready.append(e.dst)
    return order


def _touching(graph: Graph, order: list[str]) -> list[Edge]:
    """Every edge into or out of the nodes of `order` (in their evaluation order), upstream first: the edges
    into them, then the edges out to other nodes."""
    inside = set(order)
    into = [Edge(src, n, port) for n in order
            for port, src in zip(graph.node(n).spec.inputs, graph.input_sources(n)) if src is not None]
    return into + [e for n in order for e in graph.consumers(n) if e.dst not in inside]


def _indices_with(graph: Graph, removed: set[str], insert: tuple[tuple[Node, int], ...]) -> list[tuple[Node, int]]:
    """`insert`'s indices (ascending, as a Swap holds them) count the order without the removed nodes; these
    count it with them still there, so inserting first and removing after gives the same order. Each new node
    goes right before the survivor it precedes, after the removed nodes standing before that survivor:
    O(inserted × removed) with no walk over the graph."""
    gone = sorted(graph.index_of(n) for n in removed)
    placed = []
    for rank, (node, index) in enumerate(insert):
        if rank and index <= insert[rank - 1][1]:
            raise ValueError("a Swap inserts at ascending indices")
        survivors_before, before = index - rank, 0  # before: removed nodes ahead of that survivor
        for position in gone:
            if position > survivors_before + before:
                break
            before += 1
        placed.append((node, index + before))
    return placed


def swap(graph: Graph, s: Swap) -> Swap:
    """Apply one Swap as a whole (rolled back if the graph refuses a step); return the Swap that undoes it.

    The new nodes come in first, wired among themselves; then each consumer outside is rewired from the
    old node to the new one in one step, so its shape, and everything below it, never passes through
    "unknown"; then the old nodes leave, downstream first. An expansion in the middle of a long chain thus
    costs O(its own size), not O(the chain): expanding every layer of a deep network stays linear.
    """
    places = sorted(((graph.node(n), graph.index_of(n)) for n in s.remove), key=lambda p: p[1])
    removed, new_ids = set(s.remove), {node.id for node, _ in s.insert}
    order = _local_order(graph, s.remove)
    touching = _touching(graph, order)
    undo: list[Callable[[], Any]] = []
    try:
        graph.insert_nodes(_indices_with(graph, removed, s.insert))  # all or none
        undo.extend(lambda node=node: graph.remove_node(node.id) for node, _ in s.insert)
        for e in s.edges:
            old = graph.source_of(e.dst, e.port) if e.dst not in new_ids else None
            if old in removed:
                graph.rewire(e.dst, e.port, e.src)
                undo.append(lambda e=e, old=old: graph.rewire(e.dst, e.port, old))
            else:
                graph.connect(e.src, e.dst, e.port)
                undo.append(lambda e=e: graph.disconnect(e.dst, e.port))
        for nid in reversed(order):
            index = graph.index_of(nid)
            node, edges = graph.remove_node(nid)
            undo.append(lambda node=node, index=index, edges=edges: (
                graph.insert_node(node, index), [graph.connect(e.src, e.dst, e.port) for e in edges]))
    except StudioError:
        for step in reversed(undo):
            step()
        raise
    dropped = tuple(graph.groups.pop(g) for g in s.drop_groups)
    graph.groups.update((g.id, g) for g in s.add_groups)
    return Swap(tuple(n.id for n, _ in s.insert), tuple(places), tuple(touching), dropped,
                tuple(g.id for g in s.add_groups))


# ---- queries ------------------------------------------------------------------------------------------
def expandable(graph: Graph, node_id: str) -> bool:
    return node_id in graph.nodes and graph.nodes[node_id].op in EXPANDERS


def group_of(graph: Graph, node_id: str) -> str | None:
    """The id of the group a node is a piece of, or None."""
    return next((g.id for g in graph.groups.values() if node_id in g.nodes.values()), None)


def whole_groups(graph: Graph) -> list[Group]:
    """The groups that can still be collapsed in some order: every piece is a node or such a group (one
    expanded in turn), and the layer's id is free. A file keeps these; a piece deleted loses its group."""
    whole: dict[str, Group] = {}
    grew = True
    while grew:
        grew = False
        for g in graph.groups.values():
            if g.id not in whole and g.id not in graph.nodes and \
                    all(n in graph.nodes or n in whole for n in g.nodes.values()):
                whole[g.id] = g
                grew = True
    return [whole[g] for g in sorted(whole)]  # by id: the same file whatever order they were expanded in


def expander_keys(op: str, layer_id: str, attrs: Mapping[str, Any], shapes: Mapping[str, Shape]) -> list[str]:
    """The keys of the pieces `op` expands into for these attributes and input shapes (a file's check)."""
    return [p.key for p in _pieces(Node(layer_id, op, attrs=dict(attrs)), shapes)]


def _pieces(node: Node, shapes: Mapping[str, Shape]) -> list[Piece]:
    """The expander's pieces, checked for the shape piece.py promises (a broken expander is a bug, not input)."""
    pieces = EXPANDERS[node.op](node, shapes)
    keys: set[str] = set()
    for p in pieces:
        spec = get_op(p.op, node.id)
        refs = [r for r in p.inputs.values() if not r.startswith("@")]
        ports = [r[1:] for r in p.inputs.values() if r.startswith("@")]
        if p.key in keys or SEP in p.key or set(p.inputs) - set(spec.inputs) or set(refs) - keys \
                or set(ports) - set(node.spec.inputs) or (p.value is not None) != (p.op in VALUE_OPS):
            raise ValueError(f"expander of {node.op}: piece {p.key!r} is malformed")
        keys.add(p.key)
    if not pieces or pieces[-1].op in VALUE_OPS:
        raise ValueError(f"expander of {node.op}: the last piece must compute the output")
    return pieces


def _input_shapes(graph: Graph, sources: Mapping[str, str | None]) -> dict[str, Shape]:
    shapes = {port: graph.shape(src) for port, src in sources.items() if src is not None}
    return {port: shape for port, shape in shapes.items() if shape is not None}


# ---- expand ---------------------------------------------------------------------------------------------
def _ids(graph: Graph, layer: str, pieces: list[Piece]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for p in pieces:
        nid, i = f"{layer}{SEP}{p.key}", 1
        while nid in graph.nodes or nid in graph.groups or nid in ids.values():
            nid, i = f"{layer}{SEP}{p.key}_{i}", i + 1
        ids[p.key] = nid
    return ids


def _aside(p: Piece) -> bool:
    return p.op in VALUE_OPS or p.aside


def _places(pieces: list[Piece], at: tuple[float, float] | None) -> dict[str, tuple[float, float] | None]:
    """Columns by depth (a piece one right of what it reads), the first where the layer stood, rows centred
    on it; a constant (or an `aside` piece: h₀) stands below and left of the piece that reads it, as the lecture
    draws the −1 and the 1."""
    if at is None:
        return {p.key: None for p in pieces}
    depth: dict[str, int] = {}
    for p in pieces:
        if not _aside(p):
            depth[p.key] = 1 + max((depth[r] for r in p.inputs.values() if r in depth), default=-1)
    rows: dict[int, list[str]] = {}
    for key, d in depth.items():
        rows.setdefault(d, []).append(key)
    places: dict[str, tuple[float, float] | None] = {}
    for d, keys in rows.items():
        for r, key in enumerate(keys):
            places[key] = (at[0] + d * DX, at[1] + (r - (len(keys) - 1) / 2) * DY)
    for p in pieces:
        if _aside(p):
            reader = next((q for q in pieces if p.key in q.inputs.values()), pieces[-1])
            x, y = places[reader.key] or at
            places[p.key] = (x - DX / 2, y + DY * 0.8)
    return places


def _origin(graph: Graph, g: Group, pieces: list[Piece]) -> tuple[float, float] | None:
    """Where the layer stands now: its place when expanded, moved as its first piece was moved since (by
    hand, or to make room for another group), so collapsing puts it back among its neighbours."""
    first = next(p.key for p in pieces if not _aside(p))
    planned = _places(pieces, g.pos)[first]
    node = graph.nodes.get(g.nodes[first])
    if g.pos is None or planned is None or node is None or node.pos is None:
        return g.pos
    return g.pos[0] + node.pos[0] - planned[0], g.pos[1] + node.pos[1] - planned[1]


def room(graph: Graph, group_id: str, opening: bool) -> list[tuple[str, tuple[float, float]]]:
    """Moves that make room for an expanded group's columns right of the layer's place (`opening`, after
    expanding), or take that room back (before collapsing): the nodes right of it shift by the columns'
    width. Places are looks only; the window makes these moves part of the same undo step."""
    g = graph.groups[group_id]
    pieces = _pieces(g.layer(), g.shapes)
    at = _origin(graph, g, pieces)
    if at is None:
        return []
    width = max((p[0] for p in _places(pieces, at).values() if p), default=at[0]) - at[0]
    edge = at[0] + (0.0 if opening else width)
    inside = set(g.nodes.values())
    return [(n, (node.pos[0] + (width if opening else -width), node.pos[1])) for n, node in graph.nodes.items()
            if n not in inside and node.pos is not None and node.pos[0] > edge and width > 0]


def plan_expand(graph: Graph, node_id: str) -> tuple[Swap, Group]:
    node = graph.node(node_id)
    if node.op not in EXPANDERS:
        raise GraphError(f"node '{node_id}': {node.op} does not expand into primitives "
                         f"(these do: {', '.join(sorted(EXPANDERS))})", node_id)
    if node_id in graph.groups:
        raise GraphError(f"node '{node_id}': an expanded group has the same id; collapse group '{node_id}' first",
                         node_id)
    sources = dict(zip(node.spec.inputs, graph.input_sources(node_id)))
    shapes = _input_shapes(graph, sources)
    pieces = _pieces(node, shapes)
    ids, places = _ids(graph, node_id, pieces), _places(pieces, node.pos)
    index = graph.index_of(node_id)
    inserted, edges = [], []
    for i, p in enumerate(pieces):
        spec = get_op(p.op, ids[p.key])
        value = as_value(p.value, f"node '{ids[p.key]}' value") if p.op in VALUE_OPS else None
        attrs = {**spec.default_attrs(), **spec.check_attrs(ids[p.key], dict(p.attrs))}
        inserted.append((Node(ids[p.key], p.op, p.label, p.label_ko, value, attrs, places[p.key]), index + i))
        for port in spec.inputs:
            ref = p.inputs.get(port)
            src = None if ref is None else sources.get(ref[1:]) if ref.startswith("@") else ids[ref]
            if src is not None:
                edges.append(Edge(src, ids[p.key], port))
    used = {r[1:] for p in pieces for r in p.inputs.values() if r.startswith("@")}
    if any(src is not None and port not in used for port, src in sources.items()):
        raise ValueError(f"expander of {node.op}: an input of the layer is read by no piece")
    out = ids[pieces[-1].key]
    edges += [Edge(out, e.dst, e.port) for e in graph.consumers(node_id)]
    group = Group(node_id, node.op, {p.key: ids[p.key] for p in pieces}, dict(node.attrs), node.label,
                  node.label_ko, node.pos, shapes)
    return Swap((node_id,), tuple(inserted), tuple(edges), (group,)), group


def expand(graph: Graph, node_id: str) -> Group:
    """Stand the layer's primitive pieces in for it, as one edit; its consumers read the last piece."""
    plan, group = plan_expand(graph, node_id)
    swap(graph, plan)
    return group


# ---- collapse ---------------------------------------------------------------------------------------------
def _same(a: Any, b: Any) -> bool:
    return bool(numpy.array_equal(a, b)) if isinstance(a, numpy.ndarray) or isinstance(b, numpy.ndarray) else a == b


def _layer_sources(graph: Graph, g: Group, pieces: list[Piece]) -> dict[str, str | None]:
    """What the pieces read for each input of the layer; every piece reading one input must agree."""
    sources: dict[str, str | None] = {}
    first: dict[str, str] = {}
    for p in pieces:
        nid = g.nodes[p.key]
        for port, ref in p.inputs.items():
            if not ref.startswith("@"):
                continue
            src = graph.source_of(nid, port)
            if ref[1:] in first and sources[ref[1:]] != src:
                raise GraphError(f"group '{g.id}': pieces '{first[ref[1:]]}' and '{nid}' read different nodes "
                                 f"for the layer's input '{ref[1:]}' ('{sources[ref[1:]]}' and '{src}')", nid)
            sources[ref[1:]], first[ref[1:]] = src, nid
    return sources


def _lost(graph: Graph, g: Group, pieces: list[Piece]) -> None:
    """Raise, naming it, the first edit of the pieces that collapsing would lose."""
    inside = set(g.nodes.values())
    for p in pieces:
        nid = g.nodes[p.key]
        node = graph.nodes[nid]
        spec = get_op(p.op, nid)
        if node.op != p.op:
            raise GraphError(f"group '{g.id}': piece '{nid}' is a {node.op} node where {g.op} expands to {p.op}",
                             nid)
        attrs = {**spec.default_attrs(), **spec.check_attrs(nid, dict(p.attrs))}
        for name, want in attrs.items():
            if not _same(node.attrs.get(name), want):
                raise GraphError(f"group '{g.id}': piece '{nid}' has {name} = {describe(node.attrs.get(name))} "
                                 f"where {g.op} has {describe(want)}; collapsing would lose that change", nid)
        if p.value is not None and not _same(node.value, as_value(p.value, f"node '{nid}' value")):
            raise GraphError(f"group '{g.id}': the value of piece '{nid}' was changed; collapsing would lose it", nid)
        for port, ref in p.inputs.items():
            src = graph.source_of(nid, port)
            if not ref.startswith("@") and src != g.nodes[ref]:
                raise GraphError(f"group '{g.id}': input '{port}' of piece '{nid}' reads '{src}' instead of "
                                 f"'{g.nodes[ref]}'; collapsing would lose that edge", nid)
            if ref.startswith("@") and src in inside:
                raise GraphError(f"group '{g.id}': input '{port}' of piece '{nid}' reads '{src}' instead of "
                                 "the layer's input; collapsing would lose that edge", nid)
        if nid != g.output:
            for e in graph.consumers(nid):
                if e.dst not in inside:
                    raise GraphError(f"group '{g.id}': node '{e.dst}' reads piece '{nid}' from outside the group; "
                                     "collapsing would lose that edge", e.dst)


def _same_pieces(a: list[Piece], b: list[Piece]) -> bool:
    return len(a) == len(b) and all(
        (p.key, p.op, dict(p.inputs), dict(p.attrs)) == (q.key, q.op, dict(q.inputs), dict(q.attrs))
        and _same(p.value, q.value) for p, q in zip(a, b))


def _reshaped(graph: Graph, g: Group, layer: Node, pieces: list[Piece], sources: Mapping[str, str | None]) -> None:
    """Refuse when the inputs' shapes changed since expanding so that the layer expands differently now (a
    sequence one step longer needs one cell more; a batch size never matters): the pieces and the layer would
    no longer compute the same."""
    now = _input_shapes(graph, sources)
    if now == dict(g.shapes):
        return
    try:
        same = _same_pieces(pieces, _pieces(layer, now))
    except StudioError:
        same = False
    if not same:
        port = next(p for p in {**g.shapes, **now} if g.shapes.get(p) != now.get(p))
        old, new = g.shapes.get(port), now.get(port)
        raise GraphError(f"group '{g.id}': input '{port}' has shape {_fmt(new)} now, {_fmt(old)} when expanded, and "
                         f"{g.op} expands differently for it; collapsing would change the numbers", g.id)


def _fmt(shape: Shape | None) -> str:
    return "unknown" if shape is None else fmt_shape(shape)


def plan_collapse(graph: Graph, group_id: str) -> tuple[Swap, Node]:
    g = graph.groups.get(group_id)
    if g is None:
        raise GraphError(f"no expanded group named '{group_id}'", group_id)
    if group_id in graph.nodes:
        raise GraphError(f"group '{group_id}': the id '{group_id}' now names another node; rename that node before "
                         "collapsing", group_id)
    for nid in g.nodes.values():
        if nid in graph.groups:
            raise GraphError(f"group '{group_id}': its piece '{nid}' is expanded; collapse group '{nid}' first", nid)
        if nid not in graph.nodes:
            raise GraphError(f"group '{group_id}': its piece '{nid}' was deleted; undo that before collapsing",
                             group_id)
    layer = g.layer()
    pieces = _pieces(layer, g.shapes)
    if [p.key for p in pieces] != list(g.nodes):
        raise GraphError(f"group '{group_id}': its pieces are not what {g.op} expands into", group_id)
    sources = _layer_sources(graph, g, pieces)
    _lost(graph, g, pieces)
    _reshaped(graph, g, layer, pieces, sources)
    layer.pos = _origin(graph, g, pieces)
    inside = tuple(g.nodes.values())
    index = min(graph.index_of(n) for n in inside)
    edges = [Edge(src, group_id, port) for port, src in sources.items() if src is not None]
    edges += [Edge(group_id, e.dst, e.port) for e in graph.consumers(g.output)]
    return Swap(inside, ((layer, index),), tuple(edges), drop_groups=(group_id,)), layer


def collapse(graph: Graph, group_id: str) -> Node:
    """Give the expanded layer back in place of its pieces, as one edit; refused if that would lose an edit."""
    plan, layer = plan_collapse(graph, group_id)
    swap(graph, plan)
    return layer
