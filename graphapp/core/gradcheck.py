"""Numerical gradient check: central differences next to backprop, for every input and parameter.

f is what the executor differentiates: the sum of every output's elements (its seed is ones_like).
Each element is nudged by ±eps in a copy passed as `values=`, so the graph itself is never touched.

Bounded so that a lecturer's click never waits long: at most MAX_CHECKED elements a node (2 forward
passes each), and a template's data (graph.meta["train"] names X and Y) cut to its first MAX_ROWS rows.
A node small enough is checked whole, so the lectures' examples keep their exact results.

At a kink (relu at 0, tied maxima of a pool) f has no derivative: its two one-sided slopes differ, the
central difference averages them and backprop takes one by convention (relu'(0) = 0). Such an element
is reported as a kink, not as a disagreement: zero biases and blank pixels put whole layers exactly there.
"""
from __future__ import annotations

from typing import Any, Iterator, NamedTuple

import numpy

from graphapp.core.errors import DomainError, StudioError
from graphapp.core.executor import Executor
from graphapp.core.graph import Graph
from graphapp.core.train.trainer import clone_with

RTOL, ATOL = 1e-4, 1e-5
MAX_CHECKED = 16  # elements nudged per node
MAX_ROWS = 16  # data rows a template's check runs on: the function checked is the loss on those rows


class GradRow(NamedTuple):
    node: str
    # At the checked elements: the node's whole array when every element was checked, else 1-D, in `where` order.
    analytic: numpy.ndarray
    numeric: numpy.ndarray
    ok: bool
    total: int = 1  # elements the node holds
    where: tuple[int, ...] | None = None  # flat positions checked when only some were; None: all of them
    index: bool = False  # it holds indices (class targets, embedding rows): no gradient, nothing nudged
    kink: numpy.ndarray | None = None  # True where the element sits on a kink (numeric's shape); ok ignores those

    @property
    def checked(self) -> int:
        return 0 if self.index else self.total if self.where is None else len(self.where)

    @property
    def kinks(self) -> int:
        return 0 if self.kink is None else int(numpy.count_nonzero(self.kink))


def data_rows(graph: Graph) -> tuple[int, int] | None:
    """(rows checked, rows held) when the check runs on a template's first rows only; None otherwise
    (no data named, few rows, or a graph whose shapes need all of them: then it runs on all)."""
    return _cut(graph)[1]


def _cut(graph: Graph) -> tuple[Graph, tuple[int, int] | None]:
    """A private copy (the window may edit the graph while a check goes on), the data cut to MAX_ROWS rows
    where that fits the graph, with data_rows' answer."""
    train = graph.meta.get("train")
    ids = [train.get(k) for k in ("x", "y")] if isinstance(train, dict) else []
    nodes = [graph.nodes.get(i) for i in ids if isinstance(i, str)]
    if len(nodes) == 2 and all(n is not None and n.op == "input" and numpy.ndim(n.value) for n in nodes):
        rows = {numpy.shape(n.value)[0] for n in nodes}
        n = rows.pop() if len(rows) == 1 else 0
        if n > MAX_ROWS:
            try:
                return clone_with(graph, {node.id: node.value[:MAX_ROWS] for node in nodes}), (MAX_ROWS, n)
            except StudioError:  # e.g. a reshape written with the batch size: check on every row
                pass
    return clone_with(graph, {}), None


def _index_nodes(graph: Graph) -> set[str]:
    """Nodes whose every use is an index port, directly or through nodes that are such themselves: their
    gradient is zero by definition, and the op would refuse a nudged (non-whole) value."""
    shapes = graph.infer_shapes()
    found: set[str] = set()
    for nid in reversed(graph.topo_order()):
        uses = list(graph.consumers(nid))
        if uses and all(e.dst in found or e.port in _index_ports(graph, e.dst, shapes) for e in uses):
            found.add(nid)
    return found


def _index_ports(graph: Graph, nid: str, shapes: dict[str, tuple[int, ...]]) -> tuple[str, ...]:
    spec = graph.nodes[nid].spec
    srcs = graph.input_sources(nid)
    if spec.indices is None or any(s is None for s in srcs):
        return ()
    return spec.indices([shapes[s] for s in srcs if s is not None])


def _positions(analytic: numpy.ndarray) -> tuple[int, ...] | None:
    """MAX_CHECKED flat positions spread evenly over the array, one of them the largest |analytic| (where a
    wrong gradient shows most); None when the array is small enough to check whole."""
    if analytic.size <= MAX_CHECKED:
        return None
    spread = numpy.linspace(0, analytic.size - 1, MAX_CHECKED).round().astype(numpy.int64)
    top = int(numpy.argmax(numpy.abs(analytic)))
    if top not in spread:
        spread[numpy.argmin(numpy.abs(spread - top))] = top
    return tuple(int(p) for p in numpy.sort(spread))


def _objective(ex: Executor, values: dict[str, Any]) -> float:
    trace = ex.run(backward=False, record=False, values=values)
    return float(sum(numpy.sum(trace.values[o]) for o in trace.outputs))


def iter_gradients(graph: Graph, eps: float = 1e-6) -> Iterator[GradRow | None]:
    """check_gradients one step at a time: None after each nudged element (2 forward passes), a GradRow when
    a node is done, so a window can stay responsive between steps and stop whenever it likes."""
    work = _cut(graph)[0]
    ex = Executor(work)
    grads = ex.run(record=False).grads
    index = _index_nodes(work)
    f0 = _objective(ex, {})
    for nid, node in work.nodes.items():
        if node.op not in ("input", "param"):
            continue
        base = numpy.array(node.value, dtype=numpy.float64)
        if nid in index:
            yield GradRow(nid, numpy.zeros(0), numpy.zeros(0), True, base.size, (), True)
            continue
        full = numpy.asarray(grads.get(nid, numpy.zeros_like(base)), dtype=numpy.float64)
        where = _positions(full)
        flat = range(base.size) if where is None else where
        numeric, kink = numpy.zeros(len(flat)), numpy.zeros(len(flat), dtype=bool)
        for i, pos in enumerate(flat):
            up, down = _nudged(ex, nid, base, pos, eps), _nudged(ex, nid, base, pos, -eps)
            if isinstance(up, float) and isinstance(down, float):
                numeric[i] = (up - down) / (2 * eps)
                if not numpy.isclose(full.flat[pos], numeric[i], rtol=RTOL, atol=ATOL):
                    kink[i] = _at_kink(ex, nid, base, pos, eps, f0, up, down)
            elif isinstance(up, float):  # on the edge of a domain (a target probability of 0): the side inside
                numeric[i] = (up - f0) / eps
            elif isinstance(down, float):
                numeric[i] = (f0 - down) / eps
            else:
                raise up
            yield None
        analytic = full if where is None else full.reshape(-1)[list(where)]
        if where is None:
            numeric, kink = numeric.reshape(base.shape), kink.reshape(base.shape)
        agree = numpy.isclose(analytic, numeric, rtol=RTOL, atol=ATOL)
        yield GradRow(nid, analytic, numeric, bool((agree | kink).all()), base.size, where, kink=kink)


def _nudged(ex: Executor, nid: str, base: numpy.ndarray, pos: int, h: float) -> float | DomainError:
    """f with element `pos` of node `nid` moved by h, or the refusal of an op whose domain that leaves."""
    moved = base.copy()
    moved.flat[pos] += h
    try:
        return _objective(ex, {nid: moved})
    except DomainError as exc:
        return exc


def _at_kink(ex: Executor, nid: str, base: numpy.ndarray, pos: int, eps: float, f0: float, up: float,
             down: float) -> bool:
    """Whether f bends at this element: the right slope minus the left slope, a jump J(h). Smooth, J(h) =
    f''·h grows with h; at a kink J stays the size of the jump. So J is measured again at 2h (two more
    passes, only for an element that disagrees) and must be above rounding and not have doubled."""
    noise = 64 * numpy.finfo(numpy.float64).eps * (abs(f0) + 1) / eps
    jump = (up - 2 * f0 + down) / eps
    if abs(jump) <= noise:
        return False
    up2, down2 = _nudged(ex, nid, base, pos, 2 * eps), _nudged(ex, nid, base, pos, -2 * eps)
    if not (isinstance(up2, float) and isinstance(down2, float)):
        return False
    return abs((up2 - 2 * f0 + down2) / (2 * eps) - jump) < 0.25 * abs(jump)


def check_gradients(graph: Graph, eps: float = 1e-6) -> list[GradRow]:
    """One row per input and parameter node (constants are fixed numbers, not checked)."""
    return [row for row in iter_gradients(graph, eps) if row is not None]
