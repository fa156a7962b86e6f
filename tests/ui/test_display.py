"""The display rule on its own (graphapp.ui.canvas.display): every number stands once, decided without
any scene item. The canvas tests check the same rule on the drawn scene."""
from __future__ import annotations

from graphapp.core.examples import load_example
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.playback import frame_at
from graphapp.ui.canvas.display import box_value, chain_text, edge_texts, pill_text, shows_pill
from graphapp.ui.format import canvas_text


def test_a_value_node_shows_its_gradient_in_the_pill_and_its_edge_only_a_chain_rule() -> None:
    g = parse_expression("L = x * y", {"x": 2.0, "y": 3.0})
    x = g.nodes["x"]
    assert box_value(x, 2.0) is None  # its given value stands in the box already (box_lines)
    assert pill_text(x, 3.0, consumers=1) == canvas_text(3.0) and shows_pill(x, 1)
    assert edge_texts(x, 1, 2.0, "1 × 3 = 3", current=False) == (None, None)
    assert edge_texts(x, 1, 2.0, "1 × 3 = 3", current=True) == (None, "1 × 3 = 3")
    assert edge_texts(x, 1, 2.0, "3", current=True) == (None, None)  # the pill says 3 already
    assert edge_texts(x, 2, 2.0, "3", current=True) == (None, "3")  # the pill holds the sum of two


def test_an_operation_shows_its_numbers_on_its_outgoing_edge_and_a_pill_only_to_sum() -> None:
    g = parse_expression("L = x * y", {"x": 2.0, "y": 3.0})
    mul = next(n for n in g.nodes.values() if n.op == "mul")
    assert box_value(mul, 6.0) == canvas_text(6.0) and box_value(mul, None) is None
    assert pill_text(mul, 1.0, consumers=1) is None and not shows_pill(mul, 1)
    assert pill_text(mul, 1.0, consumers=2) == canvas_text(1.0)
    assert edge_texts(mul, 1, 6.0, None, current=False) == (canvas_text(6.0), None)
    assert pill_text(mul, 1.0, consumers=1, moved="0.5 − 0.1·1 = 0.4") == "0.5 − 0.1·1 = 0.4"


def test_fan_out_writes_the_sum_in_the_pill_while_the_second_path_arrives() -> None:
    g = parse_expression("L = x * x + x", {"x": 3.0})
    t = Executor(g).run()
    second = next(e for e in t.backward if e.src == "x" and e.previous is not None)
    assert pill_text(g.nodes["x"], second.accumulated, 3, summing=second) == "1 + 3 = 4"


def test_the_current_scalar_edge_carries_the_core_chain_rule() -> None:
    g = load_example("apple_tax")
    t = Executor(g).run()
    f = frame_at(g, t, 8)
    key = f.current_edge
    assert chain_text(f, key, f.edge_grads[key]) == f.edge_text(key) == "1 × 1.1 = 1.1"
    assert chain_text(None, key, f.edge_grads[key]) is None and chain_text(f, key, None) is None
