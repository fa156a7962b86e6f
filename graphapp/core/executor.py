"""Runs a graph: forward in topological order, then backward edge by edge, and returns a Trace.

The plan (order, kernels, input wiring, shapes) is compiled once per graph revision, so re-running
a graph, e.g. in a training loop, costs only the math.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any, Mapping

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
        return self._plan[1], self._plan[2], self._plan[3]

    def run(self, backward: bool = True, record: bool = True,
            values: Mapping[str, Any] | None = None) -> Trace:
        """Run forward (and backward). `values` overrides stored input/param values, same shapes.

        With record=False no events are kept (training loops): only values and gradients.
        """
        steps, shapes, outputs = self.plan()
        xp = self.xp
        vals: dict[str, Any] = {}
        saved: dict[str, Any] = {}
        trace = Trace([s.node for s in steps], outputs, vals)
        with numpy.errstate(all="ignore"):  # overflow becomes inf, reported below by node, not as a warning
            for s in steps:
                if s.kernel is None:
                    v = values[s.node] if values is not None and s.node in values else self.graph.nodes[s.node].value
                    v = xp.asarray(v)
                    if v.shape != shapes[s.node]:
                        raise GraphError(f"node '{s.node}': value of shape {fmt_shape(v.shape)} given where "
                                         f"the graph expects {fmt_shape(shapes[s.node])}", s.node)
                else:
                    v, saved[s.node] = s.kernel.forward(xp, [vals[src] for src in s.srcs], s.attrs)
                vals[s.node] = v
                if record:
                    trace.forward.append(ForwardEvent(s.node, v))
            self._check_finite(trace, record)
            if backward:
                self._backward(trace, steps, saved, record)
        return trace

    def _backward(self, trace: Trace, steps: list[_Step], saved: dict[str, Any], record: bool) -> None:
        xp = self.xp
        grads = trace.grads
        for out in trace.outputs:
            grads[out] = xp.ones_like(trace.values[out])
        for s in reversed(steps):
            if s.kernel is None or s.node not in grads:
                continue  # a value node, or a node the outputs do not depend on
            upstream = grads[s.node]
            in_grads = s.kernel.vjp(xp, saved[s.node], upstream, s.attrs)
            for i, (src, g) in enumerate(zip(s.srcs, in_grads)):
                previous = grads.get(src)
                total = g if previous is None else previous + g  # accumulate, never overwrite
                grads[src] = total
                if record:
                    local = s.kernel.local(xp, saved[s.node], i, s.attrs) if s.kernel.local else None
                    trace.backward.append(EdgeEvent(src, s.node, s.ports[i], upstream, local, g,
                                                    s.formulas[i] if i < len(s.formulas) else "",
                                                    previous, total))
        for nid in trace.order:
            if nid in grads and not bool(xp.isfinite(grads[nid]).all()):
                raise NonFiniteError(f"node '{nid}': its gradient is not finite (NaN or infinity)", nid)

    def _check_finite(self, trace: Trace, record: bool) -> None:
        xp = self.xp
        if all(bool(xp.isfinite(trace.values[o]).all()) for o in trace.outputs) and not record:
            return
        for nid in trace.order:  # the first node in evaluation order is where the trouble starts
            if not bool(xp.isfinite(trace.values[nid]).all()):
                node = self.graph.nodes[nid]
                ins = ", ".join(self.graph.input_sources(nid)) if not node.spec.is_source else ""
                raise NonFiniteError(f"node '{nid}' ({node.op}) produced NaN or infinity"
                                     + (f" from {ins}" if ins else ""), nid)
