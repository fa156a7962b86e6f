"""A run of a graph as data: the events of the forward pass, the backward pass and (with a learning
rate) the update of each parameter, in order.

The UI animates a Trace by moving a playhead over `steps`; the CLI prints it; tests assert on it.
Nothing downstream recomputes math.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from kernels.backend import to_numpy

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


@dataclass(frozen=True)
class UpdateEvent:
    """One parameter's gradient-descent step: after = before − lr × grad (new arrays, nothing in place)."""

    node: str
    before: Array
    grad: Array
    lr: float
    after: Array


PHASES = ("forward", "backward", "update")


@dataclass
class Trace:
    order: list[str]
    outputs: list[str]
    values: dict[str, Array]
    grads: dict[str, Array] = field(default_factory=dict)
    forward: list[ForwardEvent] = field(default_factory=list)
    backward: list[EdgeEvent] = field(default_factory=list)
    updates: list[UpdateEvent] = field(default_factory=list)  # empty without a learning rate
    lr: float | None = None

    @property
    def steps(self) -> list[ForwardEvent | EdgeEvent | UpdateEvent]:
        return [*self.forward, *self.backward, *self.updates]

    def phase_end(self, phase: str) -> int:
        """The playhead position at the end of 'forward', 'backward' or 'update' ('done': the last step)."""
        ends = {"forward": len(self.forward)}
        ends["backward"] = ends["forward"] + len(self.backward)
        ends["update"] = ends["done"] = ends["backward"] + len(self.updates)
        return ends[phase]

    def phase_of(self, step: int) -> str:
        """'start' (step 0), 'forward', 'backward', 'update', or 'done' at the last step."""
        if step <= 0:
            return "start"
        if step >= self.phase_end("done"):
            return "done"
        return next(p for p in PHASES if step <= self.phase_end(p))

    def to_host(self) -> Trace:
        """The same trace with every array copied to the host as numpy (a CuPy run's, for the canvas and the
        CLI, which format numbers with numpy); a numpy trace's arrays stay as they are."""
        opt = lambda a: None if a is None else to_numpy(a)  # noqa: E731
        return replace(
            self, values={k: to_numpy(v) for k, v in self.values.items()},
            grads={k: to_numpy(v) for k, v in self.grads.items()},
            forward=[ForwardEvent(e.node, to_numpy(e.value)) for e in self.forward],
            backward=[replace(e, upstream=to_numpy(e.upstream), local=opt(e.local), grad=to_numpy(e.grad),
                              previous=opt(e.previous), accumulated=to_numpy(e.accumulated)) for e in self.backward],
            updates=[replace(u, before=to_numpy(u.before), grad=to_numpy(u.grad), after=to_numpy(u.after))
                     for u in self.updates])
