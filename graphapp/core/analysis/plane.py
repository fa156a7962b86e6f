"""A graph's loss on a plane of parameter space, θ = θ* + a·d1 + b·d2, evaluated point by point cheaply.

The part of a network that is affine in the moving parameters is affine in (a, b): the first layer's
X·W1 + b1 at θ* + a·d1 + b·d2 is (X·W1* + b1) + a·(X·D1) + b·(X·D2). Those three arrays are computed once
(one executor run of that part per term), and each grid point costs the rest of the network: the values
entering it (these "frontier" nodes and the moving parameters the rest reads) are one product
[1, a] @ [V0 + b·Vb; Va] of a (2, S) matrix that holds all of them (its first row made once per grid
row), then one compiled forward run of the rest.

Affine here: add, sub and neg of affine inputs; matmul and mul when at most one input moves (data
times weights). Everything else (activations, losses, dropout, batch_norm) is in the rest, unchanged.
"""
from __future__ import annotations

from typing import AbstractSet, Any, Callable, Mapping, Sequence

import numpy

from graphapp.core.errors import StudioError
from graphapp.core.executor import Executor
from graphapp.core.graph import Graph
from graphapp.core.ops import VALUE_OPS
from graphapp.core.train.trainer import Trainer
from kernels.backend import to_numpy

Params = Mapping[str, numpy.ndarray]
PlaneLoss = Callable[[float, float], float]
AFFINE = frozenset({"add", "sub", "neg"})  # affine in every input
BILINEAR = frozenset({"matmul", "mul"})  # affine while at most one input moves


def affine_region(graph: Graph, moving: set[str]) -> set[str]:
    """The moving parameters and the op nodes whose value is affine in them and depends on them."""
    region, moves = set(moving), set(moving)
    for nid in graph.topo_order():
        node = graph.nodes[nid]
        srcs = [s for s in graph.input_sources(nid) if s is not None]
        moved = [s for s in srcs if s in moves]
        if node.op in VALUE_OPS or not moved:
            continue
        moves.add(nid)
        if all(s in region for s in moved) and (node.op in AFFINE or node.op in BILINEAR and len(moved) == 1):
            region.add(nid)
    return region


def _rebuild(graph: Graph, keep: AbstractSet[str], values: Mapping[str, Any],
             as_inputs: Mapping[str, Any] | None = None, outputs: Sequence[str] = ()) -> Graph:
    """A private graph of the nodes in `keep`: values replaced, some op nodes turned into inputs holding a
    value of their shape, and output markers on `outputs`."""
    g, as_inputs = Graph(), as_inputs or {}
    for nid in graph.topo_order():
        if nid not in keep:
            continue
        node = graph.nodes[nid]
        if nid in as_inputs:
            g.add_node("input", nid, value=as_inputs[nid])
        else:
            g.add_node(node.op, nid, value=values.get(nid, node.value), attrs=dict(node.attrs))
    for e in graph.edges:
        if e.dst in keep and e.dst not in as_inputs:
            g.connect(e.src, e.dst, e.port)
    for nid in outputs:
        g.add_node("output", f"{nid}__out")
        g.connect(nid, f"{nid}__out", "x")
    return g


def _ancestors(graph: Graph, nodes: list[str], stop: AbstractSet[str] = frozenset()) -> set[str]:
    """The nodes and everything they are computed from, not walking past `stop`."""
    seen, todo = set(nodes), list(nodes)
    while todo:
        nid = todo.pop()
        if nid in stop:
            continue
        for s in graph.input_sources(nid):
            if s is not None and s not in seen:
                seen.add(s)
                todo.append(s)
    return seen


class GraphLoss:
    """The scalar `loss` node of `graph` with its data inputs (and constants such as batch-norm running
    statistics) fixed to `feeds`, evaluated (forward, evaluation mode) at other parameter values."""

    def __init__(self, graph: Graph, loss: str, feeds: Mapping[str, Any], dtype: str = "float64",
                 xp: Any = numpy) -> None:
        self.graph, self.loss, self.feeds, self.dtype, self.xp = graph, loss, dict(feeds), dtype, xp

    def plane(self, center: Params, d1: Params, d2: Params) -> PlaneLoss:
        """loss(a, b) at center + a·d1 + b·d2 (NaN where the run fails: overflow far from the minimum)."""
        g, xp = self.graph, self.xp
        stored = {**{k: numpy.asarray(v, dtype=float) for k, v in center.items()}, **self.feeds}
        region = affine_region(g, {k for k in center if numpy.any(d1[k]) or numpy.any(d2[k])})
        rest_nodes = _ancestors(g, [self.loss], stop=region)
        frontier = [n for n in g.topo_order() if n in region and n in rest_nodes]
        terms = self._terms(frontier, stored, d1, d2)
        q = xp.asarray(numpy.stack([numpy.concatenate([numpy.ravel(t[n]) for n in frontier] + [numpy.zeros(0)])
                                    for t in terms]), dtype=self.dtype)
        views, start = [], 0
        for n in frontier:
            views.append((n, start, start + terms[0][n].size, terms[0][n].shape))
            start = views[-1][2]
        rest = _rebuild(g, rest_nodes, stored, {n: terms[0][n] for n in frontier})
        runner, loss, dtype = Executor(rest, xp, dtype=self.dtype), self.loss, self.dtype
        row, row_b = xp.stack([q[0], q[1]]), [0.0]  # [V0 + b·Vb, Va] for the b of the last point

        def at(a: float, b: float) -> float:
            if b != row_b[0]:  # a grid's row shares its b: that term once per row, then [1, a] @ row
                row[0], row_b[0] = q[0] + b * q[2], b
            flat = xp.asarray([1.0, a], dtype=dtype) @ row  # every fed value at once
            values = {n: flat[lo:hi].reshape(shape) for n, lo, hi, shape in views}
            try:
                return float(runner.run(backward=False, record=False, values=values).values[loss])
            except StudioError:
                return float("nan")
        return at

    def _terms(self, frontier: list[str], stored: Params, d1: Params, d2: Params) -> list[dict[str, numpy.ndarray]]:
        """The frontier's values as V(θ*), V(d1) − V(0), V(d2) − V(0): its constant part and its slopes
        along the two directions (exact when the constant part is zero, as for X·W1 + b1 with b1 fixed)."""
        if not frontier:
            return [{}, {}, {}]
        g = self.graph
        part = _rebuild(g, _ancestors(g, frontier), stored, outputs=frontier)
        ex = Executor(part)  # float64: the terms are as exact as the graph's own values
        params = [k for k in d1 if k in part.nodes]

        def values(at: Params) -> dict[str, numpy.ndarray]:
            trace = ex.run(backward=False, record=False, values={k: numpy.asarray(at[k], dtype=float) for k in params})
            return {n: numpy.asarray(trace.values[n]) for n in frontier}
        zero = values({k: numpy.zeros(numpy.shape(d1[k])) for k in params})
        slopes = [values(d) for d in (d1, d2)]
        return [values(stored)] + [{n: s[n] - zero[n] for n in frontier} for s in slopes]


def training_loss(trainer: Trainer) -> GraphLoss:
    """The trainer's loss on its training rows, as LabRun.loss_at evaluates it (with its running statistics)."""
    feeds = {k: to_numpy(v) for k, v in trainer.buffers.items()}
    if not trainer.fixed:
        feeds.update({trainer.x_id: trainer.train_set.x, trainer.y_id: trainer.y_train})
    return GraphLoss(trainer.graph, trainer.loss_id, feeds, trainer.dtype, trainer.xp)
