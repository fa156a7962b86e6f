"""Automatic layered layout: columns by topological generation, rows ordered to cut crossings, rows
placed to keep chains straight, and no more room between two columns than their labels need.

- Sources sit in the column just before their first consumer, as in the lectures' figures.
- A source with one consumer that also takes a computed input (a bias, a weight on a hidden layer, the
  tax in the apple example, a target) "hangs" below-left of that consumer instead of taking a column
  (above-left when it feeds the upper port), as the tax does in the lectures' figure: a wide, flat
  network uses the vertical room and gets narrower.
- The gap between two columns is as wide as the labels that really stand between them, plus a margin;
  a gap crossed only by edges without labels (out of value nodes) stays narrow.
- Vertical positions: a few passes that pull each node towards the mean of its neighbours, then pack
  each column in order by isotonic regression (pool adjacent violators), so a chain stays on one line.

Cost: one pass over the edges builds the adjacency; every later pass (layer assignment by longest path
in topological order, a fixed number of ordering and pulling sweeps, packing) is linear in nodes + edges,
except the per-column sorts (n log n), so 20,000 nodes lay out in well under a second. Qt-free: sizes come
in as callbacks.
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

from graphapp.core.graph import Graph

Size = tuple[float, float, float]  # width, reach above the centre, reach below it
Adjacency = dict[str, dict[str, None]]  # node -> neighbours, in edge order (a dict as an ordered set)
GAP_X = 50.0  # between columns whose edges carry no labels: ports, arrowheads, a short curve
LABEL_MARGIN = 10.0  # on either side of the labels standing in a gap
GAP_Y = 26.0  # between the reserved extents of two nodes in a column
SAT_LEAD = 24.0  # from a hanging source's right side to its consumer's left side
SAT_GAP = 16.0  # between a consumer's reserved extent and a source hanging under it
SAT_MARGIN = 14.0  # between a hanging source and the column before
CONVERGE_SLACK = 11.0  # half the distance between a round node's two input ports


def _size3(size: Sequence[float]) -> Size:
    if len(size) == 3:
        return float(size[0]), float(size[1]), float(size[2])
    return float(size[0]), float(size[1]) / 2, float(size[1]) / 2


def isotonic(values: list[float]) -> list[float]:
    """The non-decreasing sequence nearest to `values` in least squares (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [sum, count]
    for v in values:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    out: list[float] = []
    for s, c in blocks:
        out += [s / c] * int(c)
    return out


def pack(desired: list[float], spacing: list[float]) -> list[float]:
    """Positions nearest to `desired` (in order) with position[i+1] - position[i] >= spacing[i]."""
    offsets = [0.0]
    for s in spacing:
        offsets.append(offsets[-1] + s)
    z = isotonic([d - o for d, o in zip(desired, offsets)])
    return [zi + o for zi, o in zip(z, offsets)]


def adjacency(graph: Graph) -> tuple[Adjacency, Adjacency, dict[tuple[str, str], str]]:
    """Predecessors and successors of every node (parallel edges counted once) and the port of each
    (src, dst) pair, from one pass over `graph.edges` (which rebuilds its list on every call)."""
    preds: Adjacency = {n: {} for n in graph.nodes}
    succs: Adjacency = {n: {} for n in graph.nodes}
    port_of: dict[tuple[str, str], str] = {}
    for e in graph.edges:
        preds[e.dst][e.src] = None
        succs[e.src][e.dst] = None
        port_of[(e.src, e.dst)] = e.port
    return preds, succs, port_of


def hanging_sources(nodes: Iterable[str], preds: Adjacency, succs: Adjacency) -> dict[str, str]:
    """Source -> the consumer it hangs beside (see the module). Only beside a consumer that also takes a
    computed input: beside one fed by other sources it would sit among their edges, in the first gap."""
    out: dict[str, str] = {}
    for n in nodes:
        if not preds[n] and len(succs[n]) == 1:
            (c,) = succs[n]
            if any(preds[p] for p in preds[c]):  # c takes a computed input
                out[n] = c
    return out


def longest_path_layers(nodes: list[str], preds: Adjacency, succs: Adjacency) -> dict[str, int]:
    """Layer of every node: the length of the longest path reaching it (Kahn's algorithm by generations;
    the graph is acyclic, Graph refuses an edge that would close a cycle)."""
    indegree = {n: len(preds[n]) for n in nodes}
    generation = [n for n in nodes if indegree[n] == 0]
    layer: dict[str, int] = {}
    depth = 0
    while generation:
        following = []
        for n in generation:
            layer[n] = depth
            for m in succs[n]:
                indegree[m] -= 1
                if indegree[m] == 0:
                    following.append(m)
        generation, depth = following, depth + 1
    return layer


def layered_positions(graph: Graph, size_of: Callable[[str], Sequence[float]] | None = None,
                      sweeps: int = 4, label_width: Callable[[str], float] | None = None,
                      label_height: Callable[[str], float] | None = None) -> dict[str, tuple[float, float]]:
    """Centre position of every node. `size_of(n)`: (width, height) or (width, above, below) to keep
    for n; `label_width(n)`, `label_height(n)`: how wide and tall the labels on n's outgoing edges get
    (0: they carry none)."""
    size_of = size_of or (lambda _n: (80.0, 50.0))
    sizes = {n: _size3(size_of(n)) for n in graph.nodes}
    all_preds, all_succs, port_of = adjacency(graph)
    hang = hanging_sources(graph.nodes, all_preds, all_succs)
    # The core: every node but the hanging sources, with the edges among them.
    core = [n for n in graph.nodes if n not in hang]
    preds = {n: {m: None for m in all_preds[n] if m not in hang} if hang else all_preds[n] for n in core}
    succs = {n: all_succs[n] for n in core}  # a hanging source is never a successor
    layer = longest_path_layers(core, preds, succs)
    for n in core:  # pull sources right, next to where they are used
        if not preds[n] and succs[n]:
            layer[n] = max(0, min(layer[s] for s in succs[n]) - 1)
    n_layers = max(layer.values(), default=-1) + 1
    columns: list[list[str]] = [[] for _ in range(n_layers)]
    for n in graph.nodes:  # insertion order as the first guess: files list nodes top to bottom
        if n in layer:
            columns[layer[n]].append(n)
    rank = {n: i for col in columns for i, n in enumerate(col)}
    for sweep in range(sweeps):  # barycenter ordering: a fixed number of sweeps, each a sort per column
        down = sweep % 2 == 0
        nbrs = preds if down else succs
        for col in (columns[1:] if down else reversed(columns[:-1])):
            key: dict[str, float] = {}
            for n in col:
                ranks = [rank[m] for m in nbrs[n]]
                key[n] = sum(ranks) / len(ranks) if ranks else rank[n]
            col.sort(key=key.__getitem__)
            for i, n in enumerate(col):
                rank[n] = i

    # Hanging sources: above or below their consumer, by the port they feed.
    above: dict[str, list[str]] = {}
    below: dict[str, list[str]] = {}
    for s, c in hang.items():
        inputs = list(graph.nodes[c].spec.inputs)

        def index(port: str) -> int:
            return inputs.index(port) if port in inputs else len(inputs)

        main = [index(port_of[(p, c)]) for p in preds[c]]
        (above if main and index(port_of[(s, c)]) < min(main) else below).setdefault(c, []).append(s)

    def stack(sources: list[str]) -> float:
        """The height of sources hanging on one side of a consumer: SAT_GAP from it, GAP_Y between them
        (a conv or dense layer hangs its W and b, both below)."""
        return sum(sizes[s][1] + sizes[s][2] + (GAP_Y if i else SAT_GAP) for i, s in enumerate(sources))

    def reach(n: str) -> tuple[float, float]:
        _w, up, down = sizes[n]
        return up + stack(above.get(n, [])), down + stack(below.get(n, []))

    reaches = {n: reach(n) for n in layer}
    heights = label_height or (lambda _n: 0.0)

    def spacing_of(col: list[str]) -> list[float]:
        out = []
        for a, b in zip(col, col[1:]):
            s = reaches[a][1] + GAP_Y + reaches[b][0]
            if not succs[a].keys().isdisjoint(succs[b]):
                # Two edges that meet at one node come closer halfway: keep room there for a's gradient
                # (below its edge) and b's value (above its own) side by side in height.
                s = max(s, 4 * max(heights(a), heights(b)) - 2 * CONVERGE_SLACK)
            out.append(s)
        return out

    spacings = [spacing_of(col) for col in columns]  # the order is final from here on
    y: dict[str, float] = {}
    for col, spacing in zip(columns, spacings):  # first guess: each column centred on 0
        y.update(zip(col, pack([0.0] * len(col), spacing)))
    for sweep in range(3):  # pull towards the neighbours: down, up, down
        down = sweep % 2 == 0
        nbrs = preds if down else succs
        order = range(1, n_layers) if down else reversed(range(n_layers - 1))
        for k in order:
            col = columns[k]
            desired = []
            for n in col:
                ys = [y[m] for m in nbrs[n]]
                desired.append(sum(ys) / len(ys) if ys else y[n])
            y.update(zip(col, pack(desired, spacings[k])))

    # Horizontal: each gap as wide as what stands in it.
    widths = [max((sizes[n][0] for n in col), default=0.0) for col in columns]
    labels = [0.0] * max(0, n_layers - 1)
    if label_width is not None:
        widest: dict[str, float] = {}  # label_width once per source, not once per edge
        for (src, dst) in port_of:
            i, j = layer.get(src), layer.get(dst)
            if i is None or j is None or j <= i:
                continue
            k = min(n_layers - 2, (i + j - 1) // 2)
            if src not in widest:
                widest[src] = label_width(src)
            labels[k] = max(labels[k], widest[src])
    gaps = []
    for k in range(n_layers - 1):
        gap = max(GAP_X, labels[k] + 2 * LABEL_MARGIN if labels[k] else 0.0)
        for c in columns[k + 1]:
            for s in above.get(c, []) + below.get(c, []):
                slack = (widths[k + 1] - sizes[c][0]) / 2
                gap = max(gap, SAT_LEAD + sizes[s][0] + SAT_MARGIN - slack)
                if labels[k]:  # the hanging source's curve rises beside the labels, not through them
                    gap = max(gap, labels[k] + LABEL_MARGIN + SAT_LEAD + 2 - slack)
        gaps.append(gap)
    pos: dict[str, tuple[float, float]] = {}
    x = 0.0
    for k, col in enumerate(columns):
        if k == 0:  # a hanging source of the first column must not stick out to the left of 0
            x = max([0.0] + [SAT_LEAD + sizes[s][0] - (widths[0] - sizes[c][0]) / 2
                             for c in col for s in above.get(c, []) + below.get(c, [])])
        centre = x + widths[k] / 2
        for n in col:
            pos[n] = (centre, y[n])
            w, up, down = sizes[n]
            sx = centre - w / 2 - SAT_LEAD
            top = y[n] - up
            for i, s in enumerate(above.get(n, [])):
                sw, s_up, s_down = sizes[s]
                top -= (GAP_Y if i else SAT_GAP) + s_down
                pos[s] = (sx - sw / 2, top)
                top -= s_up
            bottom = y[n] + down
            for i, s in enumerate(below.get(n, [])):
                sw, s_up, s_down = sizes[s]
                bottom += (GAP_Y if i else SAT_GAP) + s_up
                pos[s] = (sx - sw / 2, bottom)
                bottom += s_down
        x += widths[k] + (gaps[k] if k < len(gaps) else 0.0)
    for n in graph.nodes:  # nodes outside any column (isolated ones are in columns; this is a guard)
        pos.setdefault(n, (0.0, 0.0))
    return pos
