"""Editing through the real widgets: drop, connect, refuse, inspect, delete, paste; undo and redo each."""
from __future__ import annotations

import json

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from graphapp.core import fileio
from tests.ui.conftest import small_graph


def assert_undo_redo(window, before: str, after: str) -> None:  # noqa: ANN001
    assert fileio.dumps(window.graph) == after
    window.undo_stack.undo()
    assert fileio.dumps(window.graph) == before
    window.undo_stack.redo()
    assert fileio.dumps(window.graph) == after


def view_point(window, scene_pos: QPointF) -> QPoint:  # noqa: ANN001
    return window.view.mapFromScene(scene_pos)


def test_palette_drag_and_drop_adds_node_where_dropped(window, monkeypatch):  # noqa: ANN001
    window.set_graph(small_graph())
    before = fileio.dumps(window.graph)
    drags: list[QDrag] = []
    monkeypatch.setattr(QDrag, "exec", lambda self, *a: drags.append(self) or Qt.DropAction.CopyAction)
    tree = window.palette.tree
    tree.setCurrentItem(window.palette.item_for("sigmoid"))
    tree.startDrag(Qt.DropAction.CopyAction)
    assert len(drags) == 1
    mime = drags[0].mimeData()
    viewport = window.view.viewport()
    target = QPoint(300, 250)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # Drag enter/move take a QPoint, the drop a QPointF (the PySide6 6.8–6.11 signatures).
    for event in (QDragEnterEvent(target, Qt.DropAction.CopyAction, mime, buttons, mods),
                  QDragMoveEvent(target, Qt.DropAction.CopyAction, mime, buttons, mods)):
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted()
    drop = QDropEvent(QPointF(target), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)
    assert "sigmoid_1" in window.graph.nodes
    expected = window.view.mapToScene(target)
    x, y = window.graph.nodes["sigmoid_1"].pos
    assert abs(x - expected.x()) < 1 and abs(y - expected.y()) < 1
    assert "sigmoid_1" in window.scene.nodes
    assert_undo_redo(window, before, fileio.dumps(window.graph))


def test_palette_search_and_double_click(window):  # noqa: ANN001
    window.set_graph(small_graph())
    window.palette.search.setText("시그모이드")
    item = window.palette.item_for("sigmoid")
    assert not item.isHidden()
    assert window.palette.item_for("add").isHidden()
    window.palette.tree.itemDoubleClicked.emit(item, 0)
    assert "sigmoid_1" in window.graph.nodes


def drag_between(window, a: QPointF, b: QPointF) -> None:  # noqa: ANN001
    viewport = window.view.viewport()
    pa, pb = view_point(window, a), view_point(window, b)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pa)
    QTest.mouseMove(viewport, (pa + pb) / 2)
    QTest.mouseMove(viewport, pb)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pb)


def test_connect_ports_with_the_mouse(window):  # noqa: ANN001
    window.set_graph(small_graph())
    before = fileio.dumps(window.graph)
    out_port = window.scene.nodes["y"].ports[None]
    in_port = window.scene.nodes["m"].ports["b"]
    drag_between(window, out_port.scenePos(), in_port.scenePos())
    assert window.graph.source_of("m", "b") == "y"
    assert ("y", "m", "b") in window.scene.edges
    assert window.undo_stack.count() == 1
    assert_undo_redo(window, before, fileio.dumps(window.graph))
    window.undo_stack.undo()
    assert ("y", "m", "b") not in window.scene.edges


def test_cycle_is_refused_with_a_reason_at_the_cursor(window):  # noqa: ANN001
    window.set_graph(small_graph())
    before = fileio.dumps(window.graph)
    drag_between(window, window.scene.nodes["n"].ports[None].scenePos(),
                 window.scene.nodes["m"].ports["b"].scenePos())
    assert fileio.dumps(window.graph) == before
    assert window.undo_stack.count() == 0
    assert window.scene.flash is not None and "cycle" in window.scene.flash.text
    assert "cycle" in window.statusBar().currentMessage()


def test_occupied_input_is_refused(window):  # noqa: ANN001
    window.set_graph(small_graph())
    before = fileio.dumps(window.graph)
    drag_between(window, window.scene.nodes["y"].ports[None].scenePos(),
                 window.scene.nodes["m"].ports["a"].scenePos())
    assert fileio.dumps(window.graph) == before
    assert "already fed" in window.scene.flash.text


def test_drag_a_node_is_one_undo_step(window):  # noqa: ANN001
    window.set_graph(small_graph())
    before = fileio.dumps(window.graph)
    item = window.scene.nodes["n"]
    start = item.scenePos()
    drag_between(window, start, start + QPointF(60, 80))
    x, y = window.graph.nodes["n"].pos
    assert (round(x), round(y)) == (510, 80)
    assert window.undo_stack.count() == 1
    assert_undo_redo(window, before, fileio.dumps(window.graph))


def test_inspector_edits_value_with_inline_error(window):  # noqa: ANN001
    window.set_graph(small_graph())
    before = fileio.dumps(window.graph)
    window.scene.select_nodes(["x"])
    field = window.inspector.fields["value"]
    field.setText("[[1, 2], [3, 4]]")
    field.editingFinished.emit()
    assert window.graph.nodes["x"].value.tolist() == [[1, 2], [3, 4]]
    after = fileio.dumps(window.graph)
    field = window.inspector.fields["value"]
    field.setText("[1, 2")
    field.editingFinished.emit()
    assert window.inspector.errors["value"].isVisibleTo(window.inspector)
    assert "not a number" in window.inspector.errors["value"].text()
    assert fileio.dumps(window.graph) == after
    assert_undo_redo(window, before, after)


def test_inspector_edits_label_and_attribute(window):  # noqa: ANN001
    g = small_graph()
    g.add_node("pow", "p", pos=(250, 200))
    window.set_graph(g)
    before = fileio.dumps(window.graph)
    window.scene.select_nodes(["p"])
    window.inspector.fields["attr:p"].setText("3")
    window.inspector.fields["attr:p"].editingFinished.emit()
    assert window.graph.nodes["p"].attrs["p"] == 3.0
    assert_undo_redo(window, before, fileio.dumps(window.graph))
    mid = fileio.dumps(window.graph)
    window.inspector.fields["label_ko"].setText("세제곱")
    window.inspector.fields["label_ko"].editingFinished.emit()
    assert window.graph.nodes["p"].label_ko == "세제곱"
    assert_undo_redo(window, mid, fileio.dumps(window.graph))


def test_delete_selection_is_one_macro(window):  # noqa: ANN001
    window.set_graph(small_graph())
    before = fileio.dumps(window.graph)
    window.scene.select_nodes(["m"])
    window.actions_["delete"].trigger()
    assert "m" not in window.graph.nodes and not any("m" in (e.src, e.dst) for e in window.graph.edges)
    assert "m" not in window.scene.nodes and ("x", "m", "a") not in window.scene.edges
    assert window.undo_stack.count() == 1
    after = fileio.dumps(window.graph)
    window.undo_stack.undo()
    assert fileio.dumps(window.graph) == before  # exactly: the node is back in its place in the order
    assert ("x", "m", "a") in window.scene.edges
    window.undo_stack.redo()
    assert fileio.dumps(window.graph) == after


def test_copy_paste_and_duplicate_get_new_ids(window):  # noqa: ANN001
    window.set_graph(small_graph())
    before = fileio.dumps(window.graph)
    window.scene.select_nodes(["x", "m"])
    assert window.copy()
    pasted = window.paste()
    assert len(pasted) == 2 and not set(pasted) & {"x", "m"}
    new_x, new_m = pasted
    assert window.graph.source_of(new_m, "a") == new_x
    assert window.undo_stack.count() == 1
    assert_undo_redo(window, before, fileio.dumps(window.graph))
    clip = json.loads(QApplication.clipboard().text())
    assert {n["id"] for n in clip["nodes"]} == {"x", "m"}
    window.scene.select_nodes(["n"])
    dup = window.duplicate()
    assert len(dup) == 1 and window.graph.nodes[dup[0]].op == "neg"
