"""What the sequence pictures show: a trained stock model's predicted against true Close over the test span,
and a recurrent node's hidden state over time (time × unit) for one input sequence.

The hidden states come from the model's own graph and ops: the graph runs forward on the one sequence up
to the recurrent node's input, then that node's op runs again on it with `sequences` on, so a many-to-one
model (which keeps only its last state) shows every step's state too. Nothing here recomputes a cell.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy

from graphapp.core.executor import Executor
from graphapp.core.graph import Graph
from graphapp.core.train.errors import OptionError

RECURRENT_OPS = ("rnn", "lstm", "gru")


@dataclass(frozen=True)
class Series:
    """Predicted and true target on the test span, in the file's units, and the test RMSE in scaled units."""

    target: str
    truth: numpy.ndarray  # (N,)
    predicted: numpy.ndarray  # (N,)
    start: int  # the first test row's index in the series (rows oldest first)
    rmse_scaled: float
    rmse: float  # in the target's units

    def rows(self) -> list[tuple[int, float, float]]:
        return [(self.start + i, float(t), float(p)) for i, (t, p) in enumerate(zip(self.truth, self.predicted))]


@dataclass(frozen=True)
class HiddenStates:
    """h_t for one input sequence: states[t, j] is unit j's value after step t."""

    node: str
    op: str
    states: numpy.ndarray  # (T, H)
    sample: int  # which row of the data (or 0: the graph's own input)
    inputs: tuple[str, ...] = ()  # a label per step where known (hihello's characters)

    def to_json(self) -> dict[str, Any]:
        return {"node": self.node, "op": self.op, "sample": self.sample, "steps": int(self.states.shape[0]),
                "units": int(self.states.shape[1]), "states": self.states.tolist(), "inputs": list(self.inputs)}


def recurrent_node(graph: Graph) -> str:
    """The first recurrent node in evaluation order; an OptionError where the graph has none."""
    for nid in graph.topo_order():
        if graph.nodes[nid].op in RECURRENT_OPS:
            return nid
    raise OptionError("the model has no recurrent node (rnn, lstm or gru) whose hidden state could be shown")


def _forward(graph: Graph, values: dict[str, Any]) -> dict[str, Any]:
    return Executor(graph).run(backward=False, record=False, values=values).values


def hidden_states(graph: Graph, params: dict[str, numpy.ndarray], x: numpy.ndarray | None = None,
                  x_node: str | None = None, sample: int = 0) -> HiddenStates:
    """The hidden state over time of the graph's first recurrent node for one input: row `x` (a batch of
    one) fed to `x_node`, or the graph's own input values when x is None. Params: the trained values."""
    nid = recurrent_node(graph)
    node = graph.nodes[nid]
    probe = _probe(graph, x, x_node)
    values = {k: v for k, v in params.items() if k in probe.nodes}
    sources = {port: graph.source_of(nid, port) for port in node.spec.inputs}
    seq = numpy.asarray(_forward(probe, values)[sources["x"]])[:1]  # (1, T, F): the one sequence
    cell = Graph()
    cell.add_node("input", "x", value=seq)
    for port, src in sources.items():
        if port != "x":
            cell.add_node("param", port, value=numpy.asarray(values.get(src, graph.nodes[src].value)))
    cell.add_node(node.op, "cell", attrs={**node.attrs, "sequences": True})
    for port in sources:
        cell.connect(port, "cell", port)
    states = numpy.asarray(_forward(cell, {})["cell"])[0]
    chars = graph.meta.get("train", {}).get("characters")
    inputs = tuple(chars[int(i)] for i in seq[0].argmax(axis=1)) if chars and x is None else ()
    return HiddenStates(node.label or nid, node.op, states, sample, inputs)


def _probe(graph: Graph, x: numpy.ndarray | None, x_node: str | None) -> Graph:
    """The graph with its data input set to the one row (targets zero), or as it is."""
    if x is None:
        return graph
    g = Graph()
    spec = graph.meta.get("train", {})
    feed = {x_node or spec.get("x", "X"): numpy.asarray(x, dtype=float).reshape(1, -1)}
    y = spec.get("y", "Y")
    if y in graph.nodes:
        feed[y] = numpy.zeros((1, *graph.nodes[y].value.shape[1:]))
    for n in graph.nodes.values():
        g.add_node(n.op, n.id, value=feed.get(n.id, n.value), attrs=dict(n.attrs))
    for e in graph.edges:
        g.connect(e.src, e.dst, e.port)
    return g


__all__ = ["RECURRENT_OPS", "HiddenStates", "Series", "hidden_states", "recurrent_node"]
