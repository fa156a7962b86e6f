"""Stepping the playhead: labels on the edges, narration, stepping back, errors on nodes, language."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from graphapp.core import examples
from graphapp.core.graph import Graph
from graphapp.ui.canvas.display import box_lines


def labels(window) -> dict:  # noqa: ANN001
    scene = window.scene
    return {
        "edges": {k: (e.value_label.text, e.grad_label.text, e.current) for k, e in scene.edges.items()},
        "nodes": {k: (n.value_text, n.grad_text, n.active, n.current) for k, n in scene.nodes.items()},
        "narration": window.narration.main.text(),
    }


def press(window, key: Qt.Key, times: int = 1) -> None:  # noqa: ANN001
    window.activateWindow()
    window.view.setFocus()
    for _ in range(times):
        QTest.keyClick(window.view, key)


def test_forward_then_backward_shows_values_above_and_chain_rule_below(window):  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    edge = window.scene.edges[("mul_1", "mul_2", "a")]
    assert edge.value_label.text == "" and not edge.value_label.isVisible()  # nothing computed yet
    window.actions_["forward"].trigger()
    assert window.playback.step == 6
    # Every number once: an input's value stands in its box, not again on its edge.
    assert window.scene.edges[("price", "mul_1", "a")].value_label.text == ""
    assert box_lines(window.scene.nodes["price"].node, window.scene.style, None)[1] == "100"
    assert edge.value_label.text == "200" and edge.grad_label.text == ""
    assert window.scene.nodes["L"].value_text == "220"
    press(window, Qt.Key.Key_Right, 2)  # backward 1/5 and 2/5
    assert window.playback.step == 8
    assert edge.current and edge.grad_label.text == "1 × 1.1 = 1.1"
    assert window.scene.nodes["mul_2"].current
    assert window.narration.main.text().startswith("Backward 2/5")
    snapshot = labels(window)
    press(window, Qt.Key.Key_Right)
    assert edge.grad_label.text == "1.1" and not edge.current  # past edges keep just the gradient
    tax = window.scene.edges[("tax", "mul_2", "b")]
    assert tax.current and tax.grad_label.text == "1 × 200 = 200"
    press(window, Qt.Key.Key_Left)
    assert labels(window) == snapshot  # stepping back restores exactly the previous picture
    window.actions_["backward"].trigger()
    assert window.scene.nodes["price"].grad_text == "2.2"
    assert window.scene.nodes["count"].grad_text == "110"
    press(window, Qt.Key.Key_PageUp)
    assert window.playback.step == window.playback.total - 1
    window.actions_["reset"].trigger()
    assert window.playback.step == 0 and edge.value_label.text == ""


def test_fan_out_sums_on_the_node(window):  # noqa: ANN001
    from graphapp.core.expr import parse_expression  # noqa: PLC0415

    window.set_graph(parse_expression("z = x * x", {"x": 3}))
    window.actions_["backward"].trigger()  # the last event is x's second path: the sum is shown
    assert window.scene.nodes["x"].grad_text == "3 + 3 = 6"
    texts = []
    for step in range(window.playback.trace.phase_end("forward") + 1, window.playback.total + 1):
        window.playback.go_to(step)
        texts.append(window.scene.nodes["x"].grad_text)
    assert texts[-2:] == ["3", "3 + 3 = 6"]


def test_an_edit_drops_the_trace(window):  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    window.actions_["backward"].trigger()
    window.scene.select_nodes(["tax"])
    window.inspector.fields["value"].setText("1.2")
    window.inspector.fields["value"].editingFinished.emit()
    assert window.playback.step == 0 and window.playback.frame is None
    assert window.scene.nodes["L"].value_text is None
    window.actions_["backward"].trigger()
    assert window.scene.nodes["L"].value_text == "240"


def test_engine_error_shows_on_the_node_and_status_bar(window):  # noqa: ANN001
    g = Graph()
    g.add_node("input", "a", value=1.0, pos=(0.0, 0.0))
    g.add_node("const", "zero", value=0.0, pos=(0.0, 120.0))
    g.add_node("div", "d", pos=(200.0, 50.0))
    g.add_node("output", "out", pos=(400.0, 50.0))
    for src, dst, port in (("a", "d", "a"), ("zero", "d", "b"), ("d", "out", "x")):
        g.connect(src, dst, port)
    window.set_graph(g)
    window.actions_["step_next"].trigger()
    assert window.scene.nodes["d"].error and "outside its domain b ≠ 0" in window.scene.nodes["d"].error
    assert "outside its domain b ≠ 0" in window.statusBar().currentMessage()
    window.scene.select_nodes(["zero"])
    window.inspector.fields["value"].setText("2")
    window.inspector.fields["value"].editingFinished.emit()
    assert window.scene.nodes["d"].error is None
    window.actions_["forward"].trigger()
    assert window.scene.nodes["out"].value_text == "0.5"


def test_missing_input_is_reported_on_its_node(window):  # noqa: ANN001
    g = Graph()
    g.add_node("input", "a", value=1.0, pos=(0.0, 0.0))
    g.add_node("mul", "m", pos=(200.0, 0.0))
    g.add_node("output", "out", pos=(400.0, 0.0))
    g.connect("a", "m", "a")
    g.connect("m", "out", "x")
    window.set_graph(g)
    window.actions_["forward"].trigger()
    assert "not connected" in window.scene.nodes["m"].error


def test_play_pause_and_space(window, qtbot):  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    window.bar.speed.setCurrentIndex(3)
    press(window, Qt.Key.Key_Space)
    assert window.playback.is_playing()
    qtbot.waitUntil(lambda: window.playback.step >= 2, timeout=15000)  # generous: a loaded machine
    press(window, Qt.Key.Key_Space)
    assert not window.playback.is_playing()


def test_switch_language_without_restart(window):  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    window.actions_["forward"].trigger()
    assert window.scene.nodes["price"].title() == "apple price"
    window.actions_["lang_ko"].trigger()
    assert window.scene.nodes["price"].title() == "사과 가격"
    assert window.menus["file"].title() == "파일(&F)"
    assert window.docks["inspector"].windowTitle() == "속성"
    assert window.narration.main.text().startswith("순전파")
    assert window.palette.item_for("mul").text(0).endswith("곱셈")
    assert window.settings.value("lang") == "ko"
    assert window.scene.edges[("mul_1", "mul_2", "a")].value_label.text == "200"  # frame kept
    window.set_language("en")
    assert window.scene.nodes["price"].title() == "apple price"
