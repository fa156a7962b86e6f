"""What a graph is made of, without running it: each node's output shape and parameter count, and the total.

A parameter node counts its size (a weight matrix W of shape (50, 30) is 1,500 parameters); every other
node counts 0, so a layer's parameters are the param nodes feeding it and the total is their sum.
"""
from __future__ import annotations

from dataclasses import dataclass

from graphapp.core.graph import Graph
from graphapp.core.ops import Shape


@dataclass(frozen=True)
class NodeInfo:
    id: str
    label: str
    op: str
    shape: Shape
    params: int


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
