"""Parameter updates from a trace's gradients (the plain SGD of the lectures; more optimizers later)."""
from __future__ import annotations

from typing import Any

from graphapp.core.graph import Graph


def param_ids(graph: Graph) -> list[str]:
    return [n for n, node in graph.nodes.items() if node.op == "param"]


def sgd_update(values: dict[str, Any], grads: dict[str, Any], lr: float) -> dict[str, Any]:
    """θ ← θ − lr · ∂L/∂θ for every parameter that has a gradient; new arrays, inputs left as they were."""
    return {k: v - lr * grads[k] for k, v in values.items() if k in grads}
