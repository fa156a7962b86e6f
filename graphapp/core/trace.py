"""A run of a graph as data: the events of the forward and backward pass, in order.

The UI animates a Trace by moving a playhead over `steps`; the CLI prints it; tests assert on it.
Nothing downstream recomputes math.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Array = Any


@dataclass(frozen=True)
class ForwardEvent:
    node: str
    value: Array


@dataclass(frozen=True)
class EdgeEvent:
    """The gradient crossing one edge backwards: grad = upstream × local (summed back over broadcasting).

    `local` is the elementwise local derivative when the op has one (None for matmul, sum, softmax and
    the losses, whose Jacobian is not a single number per element); `formula` is its lecture notation.
    `accumulated` is the source node's gradient after adding this edge's contribution (fan-out sums).
    """

    src: str
    dst: str
    port: str
    upstream: Array
    local: Array | None
    grad: Array
    formula: str
    previous: Array | None
    accumulated: Array


@dataclass
class Trace:
    order: list[str]
    outputs: list[str]
    values: dict[str, Array]
    grads: dict[str, Array] = field(default_factory=dict)
    forward: list[ForwardEvent] = field(default_factory=list)
    backward: list[EdgeEvent] = field(default_factory=list)

    @property
    def steps(self) -> list[ForwardEvent | EdgeEvent]:
        return [*self.forward, *self.backward]

    def phase_end(self, phase: str) -> int:
        """The playhead position at the end of 'forward' or 'backward' ('done')."""
        return len(self.forward) if phase == "forward" else len(self.forward) + len(self.backward)
