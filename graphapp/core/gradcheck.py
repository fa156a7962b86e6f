"""Numerical gradient check: central differences next to backprop, for every input and parameter.

f is what the executor differentiates: the sum of every output's elements (its seed is ones_like).
Each element is nudged by ±eps in a copy passed as `values=`, so the graph itself is never touched.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy

from graphapp.core.executor import Executor
from graphapp.core.graph import Graph

RTOL, ATOL = 1e-4, 1e-5


class GradRow(NamedTuple):
    node: str
    analytic: numpy.ndarray
    numeric: numpy.ndarray
    ok: bool


def _objective(ex: Executor, values: dict[str, Any]) -> float:
    trace = ex.run(backward=False, record=False, values=values)
    return float(sum(numpy.sum(trace.values[o]) for o in trace.outputs))


def check_gradients(graph: Graph, eps: float = 1e-6) -> list[GradRow]:
    """One row per input and parameter node (constants are fixed numbers, not checked)."""
    ex = Executor(graph)
    grads = ex.run(record=False).grads
    rows = []
    for nid, node in graph.nodes.items():
        if node.op not in ("input", "param"):
            continue
        base = numpy.array(node.value, dtype=numpy.float64)
        analytic = numpy.asarray(grads.get(nid, numpy.zeros_like(base)), dtype=numpy.float64)
        numeric = numpy.zeros_like(base)
        for idx in numpy.ndindex(base.shape):
            plus, minus = base.copy(), base.copy()
            plus[idx] += eps
            minus[idx] -= eps
            numeric[idx] = (_objective(ex, {nid: plus}) - _objective(ex, {nid: minus})) / (2 * eps)
        ok = bool(numpy.allclose(analytic, numeric, rtol=RTOL, atol=ATOL))
        rows.append(GradRow(nid, analytic, numeric, ok))
    return rows
