"""zero_state in the graph: its shape rule and refusals (named, in Korean too), typed in an expression, and as
the h₀ of an unrolled layer: fed by the layer's x, drawn where the lecture draws h₀ (below and left of the
first cell), and following a new x typed into the inspector at another batch size."""
from __future__ import annotations

import numpy
import pytest

from graphapp.core import expand as ex
from graphapp.core.errors import AttrError, ExpressionError, ShapeError
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.info import graph_info
from graphapp.core.messages import has_hangul, translate

RNG = numpy.random.default_rng(4)


def korean(message: str) -> None:
    text, missing = translate(message)
    assert text is not None and not missing and has_hangul(text), (message, missing)


def test_its_shape_is_the_batch_of_x_and_the_hidden_size() -> None:
    g = parse_expression("s = zero_state(x, hidden=3, cell=True)", {"x": RNG.normal(size=(4, 7, 2))})
    assert g.infer_shapes()["zero_state_1"] == (4, 2, 3)
    trace = Executor(g).run()
    assert trace.values["zero_state_1"].shape == (4, 2, 3) and not trace.values["zero_state_1"].any()
    assert numpy.array_equal(trace.grads["x"], numpy.zeros((4, 7, 2)))
    g.set_value("x", RNG.normal(size=(9, 1)))  # any x with a batch axis: only N is read
    assert g.infer_shapes()["zero_state_1"] == (9, 2, 3)
    rows, total = graph_info(g)
    assert total == 0 and all(r.params == 0 for r in rows)


def test_refusals_name_the_node_and_read_in_korean() -> None:
    g = Graph()
    g.add_node("input", "x", value=2.0)
    g.add_node("zero_state", "h0", attrs={"hidden": 2})
    with pytest.raises(ShapeError, match=r"node 'h0': zero_state takes x of shape \(N, …\); 'x' has scalar") as err:
        g.connect("x", "h0", "x")
    korean(str(err.value))
    with pytest.raises(AttrError, match="node 'h0': zero_state attribute 'hidden' got 0; expected an integer from 1") \
            as err:
        g.set_attr("h0", "hidden", 0)
    korean(str(err.value))
    with pytest.raises(ExpressionError, match="zero_state attribute 'cell' got 2"):
        parse_expression("s = zero_state(x, cell=2)", {"x": [[1.0]]})


@pytest.mark.parametrize("op", ["rnn", "lstm", "gru"])
def test_an_unrolled_layer_starts_from_a_zero_state_of_its_x(op: str) -> None:
    k = {"rnn": 1, "lstm": 4, "gru": 3}[op]
    biases = "b_x, b_h" if op == "gru" else "b"
    values = {"x": RNG.normal(size=(2, 3, 2)), "W_x": RNG.normal(size=(2, 3 * k)), "W_h": RNG.normal(size=(3, 3 * k)),
              **{b: RNG.normal(size=3 * k) for b in biases.split(", ")}}
    g = parse_expression(f"L = sum({op}(x, W_x, W_h, {biases}))", values)
    layer = f"{op}_1"
    g.move_node(layer, (400.0, 200.0))
    before = Executor(g).run().values["L"]
    group = ex.expand(g, layer)
    state = "s" if op == "lstm" else "h"
    h0, h1 = g.nodes[group.nodes[f"{state}0"]], g.nodes[group.nodes[f"{state}1"]]
    assert h0.op == "zero_state" and h0.label == f"{state}₀"
    assert h0.attrs == {"hidden": 3, "cell": op == "lstm"} and g.source_of(h0.id, "x") == "x"
    assert g.source_of(h1.id, state) == h0.id
    assert h0.pos == (h1.pos[0] - ex.DX / 2, h1.pos[1] + ex.DY * 0.8)  # where the constant h₀ stood
    assert numpy.allclose(Executor(g).run().values["L"], before, rtol=1e-12, atol=0)
    new_x = RNG.normal(size=(6, 3, 2))  # a new x typed into the inspector, six sequences
    g.set_value("x", new_x)
    expanded = Executor(g).run().values["L"]
    ex.collapse(g, layer)
    assert g.nodes["x"].value.shape == (6, 3, 2)
    numpy.testing.assert_allclose(expanded, Executor(g).run().values["L"], rtol=1e-12, atol=1e-12)
