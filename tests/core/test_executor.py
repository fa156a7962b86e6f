"""The executor: accumulation on fan-out, broadcasting, the cached plan, the compiled training path, NaNs."""
from __future__ import annotations

import numpy
import pytest

from graphapp.core.errors import GraphError, NonFiniteError
from graphapp.core.examples import example_names, load_example
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression


def test_fan_out_sums_gradients_and_events_show_the_sum() -> None:
    g = parse_expression("L = x * x + x", {"x": 3.0})
    t = Executor(g).run()
    assert float(t.grads["x"]) == 7.0  # 2x + 1
    into_x = [e for e in t.backward if e.src == "x"]
    assert [float(e.grad) for e in into_x] == [1.0, 3.0, 3.0]
    assert [None if e.previous is None else float(e.previous) for e in into_x] == [None, 1.0, 4.0]
    assert [float(e.accumulated) for e in into_x] == [1.0, 4.0, 7.0]


def test_upstream_gradient_is_never_modified_in_place() -> None:
    g = parse_expression("L = sum(relu(a) * b)", {"a": [1.0, -2.0], "b": [3.0, 4.0]})
    t = Executor(g).run()
    ups = [(e, e.upstream.copy()) for e in t.backward]
    assert all(numpy.array_equal(e.upstream, before) for e, before in ups)
    assert t.grads["a"].tolist() == [3.0, 0.0]


def test_broadcast_gradient_reduces_to_the_input_shape() -> None:
    g = parse_expression("L = sum(W + b)", {"W": numpy.ones((3, 2)).tolist(), "b": [1.0, 2.0]})
    t = Executor(g).run()
    assert t.grads["b"].shape == (2,) and t.grads["b"].tolist() == [3.0, 3.0]


def test_plan_is_cached_per_revision() -> None:
    g = load_example("apple_tax")
    ex = Executor(g)
    ex.run()
    plan = ex._plan
    ex.run()
    assert ex._plan is plan  # same structure: no recompilation
    g.move_node("price", (10, 20))
    ex.run()
    assert ex._plan is plan  # moving a node does not change results
    g.set_value("price", 150)
    assert float(ex.run().values["L"]) == pytest.approx(330)
    assert ex._plan is not plan


@pytest.mark.parametrize("name", example_names())
def test_the_compiled_training_path_matches_the_recorded_one_bit_for_bit(name: str) -> None:
    ex = Executor(load_example(name))
    recorded, compiled = ex.run(record=True), ex.run(record=False)
    assert compiled.forward == [] and compiled.backward == []
    assert recorded.values.keys() == compiled.values.keys() and recorded.grads.keys() == compiled.grads.keys()
    for key in recorded.values:
        assert numpy.array_equal(recorded.values[key], compiled.values[key])
    for key in recorded.grads:
        assert numpy.array_equal(recorded.grads[key], compiled.grads[key])
    assert ex.run(record=False, backward=False).grads == {}


def test_compiled_path_names_the_node_of_a_nan() -> None:
    g = parse_expression("L = log(x) * 0 + exp(x * 1000)", {"x": 1.0})  # exp overflows to infinity
    with pytest.raises(NonFiniteError) as err:
        Executor(g).run(record=False)
    assert err.value.node == "exp_1"


def test_values_override_for_training_loops() -> None:
    g = load_example("linear_cost")
    t = Executor(g).run(record=False, values={"W": numpy.array(1.0)})
    assert float(t.values["cost"]) == 0.0 and t.forward == [] and t.backward == []
    with pytest.raises(GraphError, match="shape"):
        Executor(g).run(values={"W": numpy.ones(2)})


def test_nan_is_reported_at_its_first_node() -> None:
    g = parse_expression("L = log(x) * 0 + exp(x * 1000)", {"x": 1.0})
    with pytest.raises(NonFiniteError) as err:
        Executor(g).run()
    assert err.value.node == "exp_1"
