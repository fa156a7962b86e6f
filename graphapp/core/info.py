"""What a graph is made of, without running it: each node's output shape and parameter count, and the total.

A parameter node counts its size (a weight matrix W of shape (50, 30) is 1,500 parameters); every other
node counts 0, so a layer's parameters are the param nodes feeding it and the total is their sum.
"""
from __future__ import annotations

from dataclasses import dataclass

from graphapp.core.graph import Graph
from graphapp.core.numbers import shape_text
from graphapp.core.ops import Shape


__all__ = ["NodeInfo", "graph_info", "is_layer", "layer_params", "param_count", "shape_text"]


@dataclass(frozen=True)
class NodeInfo:
    id: str
    label: str
    op: str
    shape: Shape
    params: int


# Ops that are layers of a network: each shows the parameters feeding it (the conv, dense and recurrent
# layers, batch normalization's γ and β). A penalty such as l2(W) reads a parameter but holds none.
LAYER_CATEGORIES = frozenset({"layers", "recurrent"})
LAYER_OPS = frozenset({"batch_norm"})


def is_layer(graph: Graph, node_id: str) -> bool:
    node = graph.node(node_id)
    return node.op in LAYER_OPS or node.spec.category in LAYER_CATEGORIES


def layer_params(graph: Graph, node_id: str) -> int:
    """A layer's parameters: those of the param nodes feeding it (conv2d's W and b: Ci·Co·kh·kw + Co)."""
    return sum(param_count(graph, src) for src in graph.input_sources(node_id) if src is not None)


def param_count(graph: Graph, node_id: str) -> int:
    """The parameters a node holds: a param node's number of elements, 0 for any other node."""
    node = graph.node(node_id)
    return int(node.value.size) if node.op == "param" and node.value is not None else 0


def graph_info(graph: Graph) -> tuple[list[NodeInfo], int]:
    """Every node in evaluation order with its shape (shape inference only) and parameters, and the total."""
    shapes = graph.infer_shapes()
    rows = [NodeInfo(n, graph.nodes[n].name(), graph.nodes[n].op, shapes[n], param_count(graph, n))
            for n in graph.topo_order()]
    return rows, sum(r.params for r in rows)
