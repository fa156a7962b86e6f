"""The gradient check: central differences against the backward pass, Qt-free."""
from __future__ import annotations

from graphapp.core import examples
from graphapp.core.expr import parse_expression
from graphapp.core.gradcheck import check_gradients


def test_gradcheck_agrees_on_apple_tax_and_flags_a_kink() -> None:
    rows = check_gradients(examples.load_example("apple_tax"))
    by_node = {r.node: r for r in rows}
    assert abs(float(by_node["price"].numeric) - 2.2) < 1e-6 and all(r.ok for r in rows)
    kink = parse_expression("z = relu(x)", {"x": 0})  # relu'(0) = 0, the difference quotient says 0.5
    (row,) = check_gradients(kink)
    assert not row.ok and abs(float(row.numeric) - 0.5) < 1e-6
