"""Every op outside its domain is refused by name, like sqrt(−1): never a clipped number (log(−1) was
−708.4 with a gradient of 4.5e307) or a silent NaN. The walk covers the whole registry, so an op added
later must either declare its domain or be shown to be defined everywhere."""
from __future__ import annotations

import itertools
import re
from typing import Any

import numpy
import pytest

from graphapp.core.errors import DomainError
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.ops import REGISTRY, VALUE_OPS

OPS = sorted(n for n, spec in REGISTRY.items() if spec.kernel is not None and n not in VALUE_OPS)
# op -> cases outside its domain: (inputs by port, attrs, the rule the refusal must state)
OUTSIDE: dict[str, list[tuple[list[Any], dict[str, Any], str]]] = {
    "log": [([0.0], {}, "x > 0"), ([-1.0], {}, "x > 0"), ([[2.0, -3.0]], {}, "x > 0")],
    "sqrt": [([-1.0], {}, "x ≥ 0")],
    "div": [([1.0, 0.0], {}, "b ≠ 0"), ([[1.0, 2.0], [3.0, 0.0]], {}, "b ≠ 0")],
    "reciprocal": [([0.0], {}, "x ≠ 0")],
    "pow": [([-8.0], {"p": 0.5}, "x ≥ 0 (p = 0.5"), ([0.0], {"p": -1.0}, "x ≠ 0 (p = -1.0")],
    "bce": [([1.5, 1.0], {}, "0 ≤ pred ≤ 1"), ([0.5, 2.0], {}, "0 ≤ target ≤ 1")],
    "bce_with_logits": [([0.0, -1.0], {}, "0 ≤ target ≤ 1")],
    "softmax_cross_entropy": [([[[1.0, 2.0], [3.0, 4.0]], [0.0, 2.0]], {}, "class index"),
                              ([[[1.0, 2.0], [3.0, 4.0]], [0.5, 1.0]], {}, "class index"),
                              ([[[1.0, 2.0], [3.0, 4.0]], [-1.0, 1.0]], {}, "class index")],
    "batch_norm": [([[[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [1.0, -0.5]], {},
                    "running_var ≥ 0")],
    "embedding": [([[0.0, 3.0], [[1.0], [2.0], [3.0]]], {}, "row index"), ([[[0.5]], [[1.0], [2.0]]], {}, "row index"),
                  ([-1.0, [[1.0, 2.0]]], {}, "row index")],
    "one_hot": [([[0.0, 2.0]], {"num_classes": 2}, "class index 0, 1, …, C − 1 (C = num_classes = 2)"),
                ([1.5], {"num_classes": 3}, "class index")],
}
PROBES = (-2.0, -0.5, 0.0, 0.5, 2.0)
# Layers take shaped inputs (port shapes, in order); every other op takes the probe pair [v, −v].
LAYER_SHAPES: dict[str, tuple[tuple[int, ...], ...]] = {
    "conv2d": ((1, 1, 3, 3), (1, 1, 2, 2), (1,)), "max_pool2d": ((1, 1, 2, 2),), "avg_pool2d": ((1, 1, 2, 2),),
    "flatten": ((2, 1, 2),), "dense": ((2, 2), (2, 2), (2,)),
    "rnn_cell": ((1, 2), (1, 1), (2, 1), (1, 1), (1,)), "lstm_cell": ((1, 2), (1, 2, 1), (2, 4), (1, 4), (4,)),
    "gru_cell": ((1, 2), (1, 1), (2, 3), (1, 3), (3,), (3,)), "rnn": ((1, 2, 2), (2, 1), (1, 1), (1,)),
    "lstm": ((1, 2, 2), (2, 4), (1, 4), (4,)), "gru": ((1, 2, 2), (2, 3), (1, 3), (3,), (3,)),
    "select": ((2, 2),), "append": ((1, 2), (1, 2)),
}


def one_op(op: str, inputs: list[Any], attrs: dict[str, Any]) -> Graph:
    g = Graph()
    g.add_node(op, "f")
    for name, value in zip(REGISTRY[op].inputs, inputs):
        g.add_node("input", f"in_{name}", value=value)
        g.connect(f"in_{name}", "f", name)
    for k, v in attrs.items():
        g.set_attr("f", k, v)
    if op != "output":
        g.add_node("output", "L")
        g.connect("f", "L", "x")
    return g


@pytest.mark.parametrize("op", OPS)
def test_every_op_is_refused_by_name_outside_its_domain(op: str) -> None:
    rules = {d.rule for d in REGISTRY[op].kernel.domain}
    assert bool(rules) == (op in OUTSIDE), f"{op}: declare its domain in the kernel and add cases here"
    stated = set()
    for inputs, attrs, rule in OUTSIDE.get(op, []):
        for record in (True, False):  # the animation's run and the training loop's compiled run
            with pytest.raises(DomainError, match=f"node 'f' \\({op}\\).*{re.escape(rule)}") as err:
                Executor(one_op(op, inputs, attrs)).run(record=record)
            assert err.value.node == "f"
        stated |= {r for r in rules if r.split(" (")[0] in str(err.value)}
    assert stated == rules, f"{op}: a domain rule no case breaks"


@pytest.mark.parametrize("op", sorted(set(OPS) - set(OUTSIDE)))
def test_ops_without_a_domain_are_defined_everywhere(op: str) -> None:
    n = len(REGISTRY[op].inputs)
    shapes = LAYER_SHAPES.get(op, ((2,),) * n)
    # One graph and plan per op; each probe combination is fed as the run's values (same shapes), so gru_cell's
    # 5⁶ combinations cost runs, not graph builds.
    run = Executor(one_op(op, [numpy.zeros(shape) for shape in shapes], {})).run
    probes = [[(f"in_{name}", numpy.resize([v, -v], shape)) for v in PROBES]
              for name, shape in zip(REGISTRY[op].inputs, shapes)]
    for inputs in itertools.product(*probes):
        trace = run(values=dict(inputs))
        assert all(numpy.isfinite(v).all() for v in trace.values.values())
        assert all(numpy.isfinite(g).all() for g in trace.grads.values())


def test_log_of_minus_one_from_an_expression_names_the_node() -> None:
    g = parse_expression("L = log(x)", {"x": -1.0})
    with pytest.raises(DomainError, match=r"node 'log_1' \(log\): input x = −1 \(from 'x'\).*x > 0"):
        Executor(g).run()
    g = parse_expression("L = sqrt(x)", {"x": [4.0, -1.0]})
    with pytest.raises(DomainError, match=r"input x \[1\] = −1"):
        Executor(g).run()
