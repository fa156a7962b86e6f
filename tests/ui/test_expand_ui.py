"""Expand and Collapse in the window: the Edit menu, the keys and the right-click menu, one undo step each."""
from __future__ import annotations

import numpy
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu

from graphapp.core import fileio
from graphapp.core.graph import Graph
from graphapp.ui.node_menu import node_at, node_menu


def layer_graph() -> Graph:
    """x, W, b → dense → sigmoid → output, placed as the lecture would."""
    g = Graph()
    g.add_node("input", "x", value=[[1.0, 2.0]], pos=(0.0, -120.0))
    g.add_node("param", "W", value=[[0.5, -1.0], [0.25, 2.0]], pos=(0.0, 0.0))
    g.add_node("param", "b", value=[0.1, -0.2], pos=(0.0, 120.0))
    g.add_node("dense", "h", pos=(250.0, 0.0))
    g.add_node("sigmoid", "s", pos=(500.0, 0.0))
    g.add_node("output", "out", pos=(750.0, 0.0))
    for port in ("x", "W", "b"):
        g.connect(port, "h", port)
    g.connect("h", "s", "x")
    g.connect("s", "out", "x")
    return g


def at_node(window, nid: str) -> QPoint:  # noqa: ANN001
    return window.view.mapFromScene(window.scene.nodes[nid].sceneBoundingRect().center())


def test_expand_and_collapse_from_the_edit_menu_are_one_undo_step_each(window) -> None:  # noqa: ANN001
    window.set_graph(layer_graph())
    window.playback.run_backward()
    grads = {n: numpy.copy(g) for n, g in window.playback.trace.grads.items()}
    before = fileio.dumps(window.graph)
    assert window.actions_["expand"] in window.menus["edit"].actions()
    assert window.actions_["collapse"] in window.menus["edit"].actions()
    window.scene.select_nodes(["h", "s"])
    window.actions_["expand"].trigger()
    expanded = fileio.dumps(window.graph)
    assert set(window.graph.groups) == {"h", "s"} and "h" not in window.graph.nodes
    assert "s/reciprocal" in window.scene.nodes and "s" not in window.scene.nodes
    assert set(window.scene.selected_node_ids()) == {p for g in window.graph.groups.values() for p in g.nodes.values()}
    window.playback.run_backward()
    for n in ("x", "W", "b"):
        assert numpy.allclose(window.playback.trace.grads[n], grads[n], rtol=1e-12, atol=1e-15)
    window.undo_stack.undo()
    assert fileio.dumps(window.graph) == before and window.graph.groups == {}
    window.undo_stack.redo()
    assert fileio.dumps(window.graph) == expanded
    window.scene.select_nodes(["h/add"])
    window.actions_["collapse"].trigger()
    assert set(window.graph.groups) == {"s"} and window.scene.selected_node_ids() == ["h"]
    window.scene.select_nodes(["s/exp"])
    window.actions_["collapse"].trigger()
    assert fileio.dumps(window.graph) == before
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert fileio.dumps(window.graph) == expanded
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert fileio.dumps(window.graph) == before


def test_the_keys_expand_and_collapse(window) -> None:  # noqa: ANN001
    window.set_graph(layer_graph())
    assert window.actions_["expand"].shortcuts() == [QKeySequence("Ctrl+]")]
    assert window.actions_["collapse"].shortcuts() == [QKeySequence("Ctrl+[")]
    before = fileio.dumps(window.graph)
    window.scene.select_nodes(["s"])
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert "s" in window.graph.groups
    QTest.keyClick(window.view, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    assert fileio.dumps(window.graph) == before


def test_right_click_offers_expand_on_a_layer_and_collapse_on_a_piece(window) -> None:  # noqa: ANN001
    window.set_graph(layer_graph())
    window.view.fit()
    shown: list[QMenu] = []
    window.show_menu = lambda menu, at: shown.append(menu)
    window.view.customContextMenuRequested.emit(at_node(window, "h"))
    assert window.scene.selected_node_ids() == ["h"]  # the clicked node becomes the selection
    entries = [a for a in shown[0].actions() if not a.isSeparator()]
    assert entries[0] is window.actions_["expand"] and window.actions_["collapse"] not in entries
    entries[0].trigger()
    assert "h" in window.graph.groups
    window.view.fit()
    menu = node_menu(window, at_node(window, "h/matmul"))
    assert window.actions_["collapse"] in menu.actions() and window.actions_["expand"] not in menu.actions()
    window.actions_["collapse"].trigger()
    assert "h" in window.graph.nodes and not window.graph.groups
    menu = node_menu(window, at_node(window, "x"))  # an input neither expands nor collapses
    assert window.actions_["expand"] not in menu.actions() and window.actions_["delete"] in menu.actions()
    assert node_at(window.view, QPoint(2, 2)) is None and node_menu(window, QPoint(2, 2)) is None


def test_a_refused_collapse_says_why_and_records_nothing(window) -> None:  # noqa: ANN001
    window.set_graph(layer_graph())
    window.scene.select_nodes(["s"])
    window.expand_selection()
    window.editor.delete(["s/exp"])
    count, state = window.undo_stack.count(), fileio.dumps(window.graph)
    window.scene.select_nodes(["s/add"])
    assert window.collapse_selection() == []
    assert window.undo_stack.count() == count and fileio.dumps(window.graph) == state
    assert "piece 's/exp' was deleted" in window.statusBar().currentMessage()
    window.scene.select_nodes(["x"])
    assert window.expand_selection() == [] and window.undo_stack.count() == count
    assert "Select a layer that expands: dense" in window.statusBar().currentMessage()
    window.collapse_selection()
    assert window.statusBar().currentMessage() == "Select a node of an expanded group"


def test_a_file_with_groups_opens_and_collapses(window, tmp_path) -> None:  # noqa: ANN001
    window.set_graph(layer_graph())
    before = fileio.dumps(window.graph)
    window.scene.select_nodes(["h"])
    window.expand_selection()
    path = tmp_path / "expanded.json"
    assert window.save_to(path)
    window.new_file()  # with the pieces still selected: the selection goes with them, no error
    assert window.scene.selected_node_ids() == []
    assert window.open_path(path)
    assert set(window.graph.groups) == {"h"}
    window.scene.select_nodes(["h/matmul"])
    window.collapse_selection()
    assert fileio.dumps(window.graph) == before
