"""Runs a graph: forward in topological order, then backward edge by edge, and returns a Trace.

The plan (order, kernels, input wiring, shapes) is compiled once per graph revision, so re-running
a graph, e.g. in a training loop, costs only the math.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Mapping

import numpy

from graphapp.core.errors import GraphError, NonFiniteError
from graphapp.core.graph import Graph
from graphapp.core.ops import VALUE_OPS, Shape, fmt_shape
from graphapp.core.trace import EdgeEvent, ForwardEvent, Trace
from kernels.base import Kernel


@dataclass(frozen=True)
class _Step:
    node: str
    kernel: Kernel | None  # None for value nodes
    srcs: tuple[str, ...]
    ports: tuple[str, ...]
    attrs: Mapping[str, Any]
    formulas: tuple[str, ...]


def _gatherer(srcs: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A C-level lookup of a node's input values, always as a tuple (itemgetter of one key is not)."""
    get = operator.itemgetter(*srcs)
    return get if len(srcs) > 1 else lambda vals: (get(vals),)


def _finite(xp: ModuleType, a: Any) -> bool:
    return math.isfinite(a.item()) if a.ndim == 0 else bool(xp.isfinite(a).all())


class Executor:
    def __init__(self, graph: Graph, xp: ModuleType = numpy) -> None:
        self.graph = graph
        self.xp = xp
        self._plan: tuple[int, list[_Step], dict[str, Shape], list[str]] | None = None

    def plan(self) -> tuple[list[_Step], dict[str, Shape], list[str]]:
        g = self.graph
        if self._plan is None or self._plan[0] != g.revision:
            shapes = g.infer_shapes()  # raises on cycles, missing inputs, shape mismatches
            steps = []
            for nid in g.topo_order():
                node = g.nodes[nid]
                spec = node.spec
                srcs = tuple(s for s in g.input_sources(nid) if s is not None)
                steps.append(_Step(nid, spec.kernel if node.op not in VALUE_OPS else None, srcs, spec.inputs,
                                   {**spec.default_attrs(), **node.attrs}, spec.formulas))
            outputs = g.outputs()
            if not outputs:
                raise GraphError("the graph has no output: add an Output node or an operation")
            self._plan = (g.revision, steps, shapes, outputs)
            self._order = [s.node for s in steps]
            self._ops = [s for s in steps if s.kernel is not None]
            self._stored = {s.node: self.xp.asarray(g.nodes[s.node].value) for s in steps if s.kernel is None}
            # ∂L/∂L = 1, made once: gradients are never modified in place, so sharing it is safe.
            self._seeds = {o: self.xp.ones(shapes[o]) for o in outputs}
            self._reversed_ops = self._ops[::-1]
            # Plain tuples for the hot loops: one unpack instead of attribute lookups per node.
            self._fwd = [(s.node, s.kernel.forward, _gatherer(s.srcs), s.attrs) for s in self._ops]
            self._bwd = [(s.node, s.kernel.vjp, s.srcs, s.attrs) for s in self._reversed_ops]
        return self._plan[1], self._plan[2], self._plan[3]

    def run(self, backward: bool = True, record: bool = True,
            values: Mapping[str, Any] | None = None) -> Trace:
        """Run forward (and backward). `values` overrides stored input/param values, same shapes.

        With record=False no events are kept (training loops): only values and gradients.
        """
        steps, shapes, outputs = self.plan()
        xp = self.xp
        vals: dict[str, Any] = dict(self._stored)
        if values:
            for nid, v in values.items():
                v = xp.asarray(v)
                if nid not in self._stored:
                    raise GraphError(f"node '{nid}' is not an input, parameter or constant", nid)
                if v.shape != shapes[nid]:
                    raise GraphError(f"node '{nid}': value of shape {fmt_shape(v.shape)} given where "
                                     f"the graph expects {fmt_shape(shapes[nid])}", nid)
                vals[nid] = v
        saved: dict[str, Any] = {}
        trace = Trace(self._order, outputs, vals)
        with numpy.errstate(all="ignore"):  # overflow becomes inf, reported below by node, not as a warning
            for node, forward, gather, attrs in self._fwd:
                vals[node], saved[node] = forward(xp, gather(vals), attrs)
            if record:
                trace.forward = [ForwardEvent(n, vals[n]) for n in self._order]
            self._check_finite(trace, record)
            if backward:
                self._backward(trace, saved, record)
        return trace

    def _backward(self, trace: Trace, saved: dict[str, Any], record: bool) -> None:
        xp = self.xp
        grads = trace.grads
        for out in trace.outputs:
            grads[out] = self._seeds[out]
        if not record:
            for node, vjp, srcs, attrs in self._bwd:
                upstream = grads.get(node)
                if upstream is None:
                    continue  # the outputs do not depend on this node
                for src, g in zip(srcs, vjp(xp, saved[node], upstream, attrs)):
                    previous = grads.get(src)
                    grads[src] = g if previous is None else previous + g  # accumulate, never overwrite
            return  # a training loop's NaN gradient makes a NaN parameter, caught by the next forward pass
        for s in self._reversed_ops:  # the same walk, recording each edge as an event
            upstream = grads.get(s.node)
            if upstream is None:
                continue
            in_grads = s.kernel.vjp(xp, saved[s.node], upstream, s.attrs)
            for i, src in enumerate(s.srcs):
                g = in_grads[i]
                previous = grads.get(src)
                total = g if previous is None else previous + g
                grads[src] = total
                local = s.kernel.local(xp, saved[s.node], i, s.attrs) if s.kernel.local else None
                trace.backward.append(EdgeEvent(src, s.node, s.ports[i], upstream, local, g,
                                                s.formulas[i] if i < len(s.formulas) else "", previous, total))
        for nid in trace.order:
            if nid in grads and not bool(xp.isfinite(grads[nid]).all()):
                raise NonFiniteError(f"node '{nid}': its gradient is not finite (NaN or infinity)", nid)

    def _check_finite(self, trace: Trace, record: bool) -> None:
        xp = self.xp
        if not record and all(_finite(xp, trace.values[o]) for o in trace.outputs):
            return
        for nid in trace.order:  # the first node in evaluation order is where the trouble starts
            if not bool(xp.isfinite(trace.values[nid]).all()):
                node = self.graph.nodes[nid]
                ins = ", ".join(self.graph.input_sources(nid)) if not node.spec.is_source else ""
                raise NonFiniteError(f"node '{nid}' ({node.op}) produced NaN or infinity"
                                     + (f" from {ins}" if ins else ""), nid)
