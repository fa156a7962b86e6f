"""A graph whose outputs are past a value's limit opens with its shapes and parameters on the canvas, and
running it is refused with the node named and the arithmetic, on the node and in the status bar."""
from __future__ import annotations

import numpy

from graphapp.core.expr import parse_expression
from tests.ui.test_shapes_canvas import op_node, value_label


def test_a_graph_too_big_to_run_shows_its_shapes_and_refuses_to_run(window):  # noqa: ANN001
    # 64·1·16·16 inputs are fine; 1,024 filters make 64·1024·16·16 = 16,777,216 numbers of conv2d's output
    g = parse_expression("y = sum(relu(conv2d(x, W, b)))", {"x": numpy.ones((64, 1, 16, 16)),
                                                           "W": numpy.ones((1024, 1, 1, 1)), "b": numpy.zeros(1024)})
    window.set_graph(g)
    conv = op_node(g, "conv2d")
    assert value_label(window, conv).text == "[64, 1024, 16, 16]"
    assert window.scene.nodes[conv].params == 1024 + 1024
    message = ("node 'conv2d_1': its output (64, 1024, 16, 16) would hold 64·1024·16·16 = 16,777,216 numbers; "
               "a value holds at most 10,000,000")
    window.actions_["forward"].trigger()
    assert message in window.statusBar().currentMessage()
    assert message in window.scene.nodes[conv].error
    assert window.playback.trace is None or not window.playback.trace.forward
    assert value_label(window, conv).text == "[64, 1024, 16, 16]"  # the shape stays on its edge
