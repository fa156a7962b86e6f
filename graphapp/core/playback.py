"""What the canvas shows at a playhead position: a Frame derived from a Trace, never recomputed math.

Step 0 is before the run; steps 1..F are the forward events (node by node), F+1..F+B the backward
events (edge by edge), then, with a learning rate, one update per parameter. Stepping back is asking
for the frame of step − 1. A small conv2d forward step also has sub-steps, its sliding window
(graphapp.core.conv_window): the frame of (step, sub) carries that Window and its narration.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy

from graphapp.core.conv_window import Window, window_of
from graphapp.core.executor import Executor
from graphapp.core.graph import Graph
from graphapp.core.narration import describe, edge_label, update_label
from graphapp.core.numbers import fmt_value
from graphapp.core.trace import EdgeEvent, Trace, UpdateEvent

EdgeKey = tuple[str, str, str]  # (src, dst, port)


@dataclass(frozen=True)
class Frame:
    step: int
    total: int
    phase: str  # start, forward, backward, update, done
    values: dict[str, Any] = field(default_factory=dict)  # node -> value, once evaluated
    grads: dict[str, Any] = field(default_factory=dict)  # node -> ∂L/∂node accumulated so far
    edge_grads: dict[EdgeKey, EdgeEvent] = field(default_factory=dict)  # edges the gradient has crossed
    current_node: str | None = None
    current_edge: EdgeKey | None = None
    narration_en: str = ""
    narration_ko: str = ""
    updates: dict[str, UpdateEvent] = field(default_factory=dict)  # parameters moved so far (update phase)
    window: Window | None = None  # the conv2d sliding window at a sub-step

    def edge_text(self, key: EdgeKey) -> str | None:
        """The gradient label under an edge: the chain rule on the current edge, the gradient elsewhere."""
        ev = self.edge_grads.get(key)
        if ev is None:
            return None
        return edge_label(ev) if key == self.current_edge else fmt_value(ev.grad)


    def update_text(self, node: str) -> str | None:
        """A moved parameter's step as numbers, "0.5 − 1 × 0.4878 = 0.0122"; None before its update."""
        ev = self.updates.get(node)
        return None if ev is None else update_label(ev)


def play_trace(graph: Graph, xp: ModuleType = numpy) -> Trace:
    """The run the window plays (and `render` draws): with the graph's learning rate (meta.lr) it ends
    with the update phase, θ ← θ − η·∂L/∂θ for each parameter. Run on `xp` (Run → Backend), its numbers
    come back to the host, where the canvas formats them."""
    trace = Executor(graph, xp).run(lr=graph.meta.get("lr"))
    return trace if xp is numpy else trace.to_host()


def frame_at(graph: Graph, trace: Trace, step: int, sub: int | None = None) -> Frame:
    nf, nb, nu = len(trace.forward), len(trace.backward), len(trace.updates)
    step = max(0, min(step, nf + nb + nu))
    values = {e.node: e.value for e in trace.forward[:step]}
    grads: dict[str, Any] = {}
    edges: dict[EdgeKey, EdgeEvent] = {}
    current_node = trace.forward[step - 1].node if 0 < step <= nf else None
    current_edge = None
    if step > nf:
        for out in trace.outputs:
            grads[out] = trace.grads[out]  # the seed ∂L/∂L = 1
        for ev in trace.backward[: min(step - nf, nb)]:
            edges[(ev.src, ev.dst, ev.port)] = ev
            grads[ev.src] = ev.accumulated
        last = trace.backward[step - nf - 1] if 0 < step - nf <= nb else None
        if last is not None:
            current_edge = (last.src, last.dst, last.port)
            current_node = last.dst
    updates = {ev.node: ev for ev in trace.updates[: max(0, step - nf - nb)]}
    if step > nf + nb:
        current_node = trace.updates[step - nf - nb - 1].node
    window = window_of(graph, trace, step, sub)
    if window is not None:
        en = window.narration(graph, "en", f"Forward {step}/{nf}")
        ko = window.narration(graph, "ko", f"순전파 {step}/{nf}")
    else:
        en, ko = describe(graph, trace, step, "en"), describe(graph, trace, step, "ko")
    return Frame(step, nf + nb + nu, trace.phase_of(step), values, grads, edges, current_node, current_edge,
                 en, ko, updates, window)
