"""Shapes and parameters on the canvas, and the convolution's sliding window: what a CNN graph shows."""
from __future__ import annotations

import numpy
import pytest

from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.info import graph_info
from graphapp.core.numbers import fmt_array
from graphapp.ui.canvas.display import array_text, box_lines, caption, node_params
from graphapp.ui.commands import SetValue
from tests.ui.test_canvas import collisions

CNN = ("h = relu(conv2d(x, W1, b1, stride=1, padding=0)); p = max_pool2d(h, kernel_size=2, stride=2); "
       "f = flatten(p); z = dense(f, W2, b2); L = mse(z, y)")


def cnn() -> Graph:
    rng = numpy.random.default_rng(0)
    return parse_expression(CNN, dict(x=rng.normal(size=(2, 1, 8, 8)), W1=rng.normal(size=(4, 1, 3, 3)),
                                      b1=numpy.zeros(4), W2=rng.normal(size=(36, 3)) * 0.1, b2=numpy.zeros(3),
                                      y=numpy.zeros((2, 3))))


def op_node(graph: Graph, op: str) -> str:
    return next(n for n, node in graph.nodes.items() if node.op == op)


def value_label(window, src: str):  # noqa: ANN001, ANN201
    return next(e for k, e in window.scene.edges.items() if k[0] == src).value_label


def test_an_array_the_canvas_cannot_write_out_stands_as_its_shape() -> None:
    assert array_text(numpy.zeros((64, 6, 24, 24))) == "[64, 6, 24, 24]"  # as `main.py info` prints it
    assert array_text(numpy.arange(4.0).reshape(1, 1, 2, 2)) == "[0, 1]\n[2, 3]"  # a single image is its matrix
    assert array_text(numpy.array([[1.0, 2.0]])) == "[1, 2]" and array_text(2.5) == "2.5"


def test_edges_carry_shapes_before_the_run_and_arrays_as_shapes_after_it(window):  # noqa: ANN001
    g = cnn()
    window.set_graph(g)
    conv, flat = op_node(g, "conv2d"), op_node(g, "flatten")
    shapes = {r.id: str(list(r.shape)) for r in graph_info(g)[0]}
    label = value_label(window, conv)
    assert label.isVisible() and label.text == shapes[conv] == "[2, 4, 6, 6]" and not label.caption
    assert value_label(window, flat).text == "[2, 36]"
    assert not collisions(window.scene)  # the shapes before the run keep clear of everything too
    mse = op_node(g, "mse")
    assert not any(label.isVisible() for k, e in window.scene.edges.items() if k[0] == mse
                   for label in e.labels())  # a number: no shape
    window.playback.go_to_phase("done")
    assert value_label(window, conv).text == "[2, 4, 6, 6]"  # too many axes to write out
    assert value_label(window, flat).caption == "[2, 36]"  # a matrix, with its shape over it
    assert value_label(window, flat).text.count("\n") >= 1
    assert box_lines(g.nodes["x"], window.scene.style, None)[1] == "[2, 1, 8, 8]"
    assert window.scene.nodes[conv].grad_text is None  # its one outgoing edge carries the gradient
    grad = next(e for k, e in window.scene.edges.items() if k[0] == conv).grad_label
    assert grad.isVisible() and grad.text == "[2, 4, 6, 6]"
    assert not collisions(window.scene)


def test_the_narration_names_a_batch_of_feature_maps_by_its_shape(window):  # noqa: ANN001
    g = cnn()
    window.set_graph(g)
    conv = op_node(g, "conv2d")
    assert window.playback.ensure_trace()
    window.playback.go_to(1 + [e.node for e in window.playback.trace.forward].index(conv))
    assert window.playback.frame.current_node == conv
    assert window.narration.main.full_text().endswith("= a 2×4×6×6 array")
    window.set_language("ko")
    assert window.narration.main.full_text().startswith("순전파") and "= 2×4×6×6 배열" in window.narration.main.full_text()
    assert fmt_array(numpy.ones((1, 1, 2, 2))) == "[[[[1, 1], [1, 1]]]]"  # one small image: still its numbers


def test_layers_show_their_parameters_and_the_window_the_total(window):  # noqa: ANN001
    g = cnn()
    window.set_graph(g)
    conv, dense = op_node(g, "conv2d"), op_node(g, "dense")
    assert window.scene.nodes[conv].params == 4 * 1 * 3 * 3 + 4 == node_params(g, conv)
    assert window.scene.nodes[dense].params == 36 * 3 + 3
    assert window.scene.nodes[op_node(g, "max_pool2d")].params == 0
    assert window.scene.nodes[op_node(g, "relu")].params is None  # not a layer
    assert window.param_total.text() == "Parameters: 151" == f"Parameters: {graph_info(g)[1]:,}"
    assert window.editor.apply(SetValue(window.graph, "b2", numpy.zeros(5)))  # refused: dense needs 3 biases
    assert window.param_total.text() == "Parameters: 151"
    window.scene.select_nodes(["b2"])
    window.delete_selection()  # every edit updates the counts
    assert window.scene.nodes[dense].params == 36 * 3 and window.param_total.text() == "Parameters: 148"
    window.undo_stack.undo()
    assert window.scene.nodes[dense].params == 111 and window.param_total.text() == "Parameters: 151"
    window.set_language("ko")
    assert window.param_total.text() == "매개변수 모두 151개"


def test_alexnet_conv1_shows_the_lecture_count(window):  # noqa: ANN001
    g = parse_expression("y = max_pool2d(conv2d(x, W, b, stride=4), kernel_size=3, stride=2)",
                         {"x": numpy.zeros((1, 3, 227, 227)), "W": numpy.zeros((96, 3, 11, 11)), "b": numpy.zeros(96)})
    window.set_graph(g)
    conv = op_node(g, "conv2d")
    assert caption(g.nodes[conv], "en", window.scene.nodes[conv].params).endswith("34,944 params")
    assert caption(g.nodes[conv], "ko", 34944).endswith("매개변수 34,944개")
    assert value_label(window, conv).text == "[1, 96, 55, 55]"
    assert value_label(window, op_node(g, "max_pool2d")).text == "[1, 96, 27, 27]"
    assert window.param_total.text() == "Parameters: 34,944"


def test_the_inspector_shows_shape_parameters_and_a_big_value_by_its_first_matrix(window):  # noqa: ANN001
    from PySide6.QtWidgets import QLabel  # noqa: PLC0415

    g = cnn()
    window.set_graph(g)
    conv = op_node(g, "conv2d")
    window.scene.select_nodes([conv])
    texts = [w.text() for w in window.inspector.widget().findChildren(QLabel)]
    assert "[2, 4, 6, 6]" in texts and "40 params" in texts
    window.playback.go_to_phase("forward")
    value = window.inspector.run_value.text()
    assert value.startswith("[2, 4, 6, 6]\n[0, 0]:\n[") and value.count("\n") == 7  # the 6 rows of the first map


def lecture_conv(padding: str = "valid") -> Graph:
    return parse_expression(f"y = conv2d(x, W, b, stride=1, padding='{padding}')",
                            {"x": numpy.arange(1.0, 10.0).reshape(1, 1, 3, 3),
                             "W": numpy.array([[[[1.0, 0.0], [0.0, 1.0]]]]), "b": numpy.zeros(1)})


def walk_the_window(window, lang: str) -> None:  # noqa: ANN001
    g = lecture_conv("same")
    window.resize(1600, 1000)
    window.set_language(lang)
    window.set_graph(g)
    conv = op_node(g, "conv2d")
    pb, scene = window.playback, window.scene
    while pb.frame is None or pb.frame.current_node != conv:
        pb.step_by(1)
    step = pb.step
    panel = scene.conv_window
    for i in range(9):
        assert (pb.step, pb.sub) == (step, i) and panel.isVisible() and panel.window.index == i
        assert panel.window.sum_text() in window.narration.main.full_text()
        assert (f"창 {i + 1}/9" if lang == "ko" else f"window {i + 1} of 9") in window.narration.main.full_text()
        node_rects = scene.nodes[conv].occupied_rects()
        assert not any(panel.sceneBoundingRect().intersects(r) for r in node_rects)  # beside it, not on it
        assert window.view.visible_scene_rect().contains(panel.sceneBoundingRect())
        assert value_label(window, conv).text == "[1, 1, 3, 3]"  # being computed: the panel fills it
        pb.step_by(1)
    assert pb.step == step + 1 and pb.sub is None and not panel.isVisible()
    assert value_label(window, conv).text == "[6, 8, 3]\n[12, 14, 6]\n[7, 8, 9]"
    assert value_label(window, conv).caption == "[1, 1, 3, 3]"
    pb.step_by(-1)
    assert (pb.step, pb.sub) == (step, 8) and panel.window.sum_text() == "9·1 + 0·0 + 0·0 + 0·1 = 9"
    pb.go_to(step)  # a jump shows the step whole
    assert pb.sub is None and not panel.isVisible()


def test_the_sliding_window_walks_with_the_arrows(window):  # noqa: ANN001
    for lang in ("en", "ko"):  # switched in one window, the graph opened afresh
        walk_the_window(window, lang)
    window.set_language("en")


def test_play_walks_the_windows_too(window):  # noqa: ANN001
    g = lecture_conv()
    window.set_graph(g)
    pb = window.playback
    seen = []
    pb.go_to(0)
    while pb.step < pb.total:
        pb._tick()
        seen.append((pb.step, pb.sub))
    conv_step = 1 + [e.node for e in pb.trace.forward].index(op_node(g, "conv2d"))
    assert [s for s in seen if s[0] == conv_step] == [(conv_step, i) for i in range(4)]


def test_recurrent_and_embedding_layers_count_their_weights() -> None:
    g = parse_expression("h = rnn(x, W_x, W_h, b); e = embedding(i, E); L = sum(h) + sum(e)",
                         dict(x=numpy.zeros((4, 7, 5)), W_x=numpy.zeros((5, 32)), W_h=numpy.zeros((32, 32)),
                              b=numpy.zeros(32), i=numpy.zeros((4, 3)), E=numpy.zeros((10, 6))), params={"E"})
    assert node_params(g, op_node(g, "rnn")) == 5 * 32 + 32 * 32 + 32  # W_x, W_h and b, shared by every step
    assert node_params(g, op_node(g, "embedding")) == 60
    assert node_params(g, op_node(g, "sum")) is None


def test_shapes_follow_every_edit(window):  # noqa: ANN001
    g = parse_expression("h = conv2d(x, W, b)", dict(x=numpy.zeros((2, 1, 8, 8)), W=numpy.zeros((4, 1, 3, 3)),
                                                      b=numpy.zeros(4)))
    window.set_graph(g)
    g = window.graph  # the window's own copy
    conv = op_node(g, "conv2d")
    assert value_label(window, conv).text == "[2, 4, 6, 6]"
    assert window.editor.apply(SetValue(g, "x", numpy.zeros((5, 1, 10, 10)))) is None
    assert value_label(window, conv).text == "[5, 4, 8, 8]"
    window.undo_stack.undo()
    assert value_label(window, conv).text == "[2, 4, 6, 6]"
    relu = window.add_op("relu", window.scene.nodes[conv].pos())
    window.editor.connect(conv, relu, "x")  # a new edge shows what it will carry at once
    label = window.scene.edges[(conv, relu, "x")].value_label
    assert label.text == "[2, 4, 6, 6]" and label.isVisible()
