"""What the canvas shows at a playhead position: a Frame derived from a Trace, never recomputed math.

Step 0 is before the run; steps 1..F are the forward events (node by node), F+1..F+B the backward
events (edge by edge). Stepping back is asking for the frame of step − 1.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphapp.core.graph import Graph
from graphapp.core.narration import describe, edge_label
from graphapp.core.trace import EdgeEvent, Trace

EdgeKey = tuple[str, str, str]  # (src, dst, port)


@dataclass(frozen=True)
class Frame:
    step: int
    total: int
    phase: str  # start, forward, backward, done
    values: dict[str, Any] = field(default_factory=dict)  # node -> value, once evaluated
    grads: dict[str, Any] = field(default_factory=dict)  # node -> ∂L/∂node accumulated so far
    edge_grads: dict[EdgeKey, EdgeEvent] = field(default_factory=dict)  # edges the gradient has crossed
    current_node: str | None = None
    current_edge: EdgeKey | None = None
    narration_en: str = ""
    narration_ko: str = ""

    def edge_text(self, key: EdgeKey) -> str | None:
        """The gradient label under an edge: the chain rule on the current edge, the gradient elsewhere."""
        ev = self.edge_grads.get(key)
        if ev is None:
            return None
        from graphapp.core.values import fmt_value  # noqa: PLC0415

        return edge_label(ev) if key == self.current_edge else fmt_value(ev.grad)


def frame_at(graph: Graph, trace: Trace, step: int) -> Frame:
    nf, nb = len(trace.forward), len(trace.backward)
    step = max(0, min(step, nf + nb))
    values = {e.node: e.value for e in trace.forward[:step]}
    grads: dict[str, Any] = {}
    edges: dict[EdgeKey, EdgeEvent] = {}
    current_node = trace.forward[step - 1].node if 0 < step <= nf else None
    current_edge = None
    if step > nf:
        for out in trace.outputs:
            grads[out] = trace.grads[out]  # the seed ∂L/∂L = 1
        for ev in trace.backward[: step - nf]:
            edges[(ev.src, ev.dst, ev.port)] = ev
            grads[ev.src] = ev.accumulated
        last = trace.backward[step - nf - 1] if step - nf > 0 else None
        if last is not None:
            current_edge = (last.src, last.dst, last.port)
            current_node = last.dst
    phase = "start" if step == 0 else "forward" if step <= nf else "done" if step == nf + nb else "backward"
    return Frame(step, nf + nb, phase, values, grads, edges, current_node, current_edge,
                 describe(graph, trace, step, "en"), describe(graph, trace, step, "ko"))
