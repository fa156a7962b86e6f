"""What keeps opening a big graph cheap without changing what the canvas shows: edges that follow their
nodes without a per-item Python hook, labels made only when a number appears, a bounded item index."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from graphapp.core import examples
from graphapp.core.graph import Graph
from graphapp.ui.canvas.label_item import LabelItem
from graphapp.ui.canvas.scene import MAX_BSP_DEPTH
from tests.ui.conftest import small_graph
from tests.ui.test_editing import view_point


def edge_end_at_port(window, key: tuple[str, str, str]) -> bool:  # noqa: ANN001
    edge = window.scene.edges[key]
    tip = edge.dst.port_scene_pos(key[2])
    start = edge.src.port_scene_pos(None)
    path = edge.path
    return (path.pointAtPercent(0) - start).manhattanLength() < 0.5 and abs(edge._tip.x() - tip.x()) < 0.5 \
        and abs(edge._tip.y() - tip.y()) < 0.5


def test_edges_follow_a_node_while_it_is_dragged_and_on_undo(window):  # noqa: ANN001
    window.set_graph(small_graph())
    item = window.scene.nodes["n"]
    start = item.scenePos()
    viewport = window.view.viewport()
    pa, pb = view_point(window, start), view_point(window, start + QPointF(60, 80))
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pa)
    QTest.mouseMove(viewport, (pa + pb) / 2)
    QTest.mouseMove(viewport, pb)
    assert item.scenePos() != start  # mid-drag: the model has not moved yet, the curves have
    assert edge_end_at_port(window, ("m", "n", "x")) and edge_end_at_port(window, ("n", "out", "x"))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pb)
    window.undo_stack.undo()  # a move from the model
    assert item.scenePos() == start
    assert edge_end_at_port(window, ("m", "n", "x")) and edge_end_at_port(window, ("n", "out", "x"))


def labels_in_scene(window) -> list[LabelItem]:  # noqa: ANN001
    return [i for i in window.scene.items() if isinstance(i, LabelItem) and i is not window.scene.flash]


def test_labels_are_made_when_numbers_first_show(window):  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    assert labels_in_scene(window) == []
    assert all(edge.labels() == [] for edge in window.scene.edges.values())
    window.playback.go_to_phase("done")
    shown = [label for label in labels_in_scene(window) if label.isVisible()]
    assert shown and all(label.owner is not None for label in shown)
    assert window.scene.graph_rect().contains(shown[0].sceneBoundingRect())
    window.playback.go_to(0)  # back to the start: the labels stay, hidden
    assert not any(label.isVisible() for label in labels_in_scene(window))


def chain(layers: int) -> Graph:
    g = Graph()
    g.add_node("input", "x", value=0.5)
    prev = "x"
    for i in range(layers):
        g.add_node("tanh", f"t{i}")
        g.connect(prev, f"t{i}", "x")
        prev = f"t{i}"
    return g


def test_item_index_depth_is_bounded_on_big_graphs(window):  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    assert window.scene.bspTreeDepth() == 0  # small: Qt chooses
    window.set_graph(chain(400))
    assert window.scene.bspTreeDepth() == MAX_BSP_DEPTH
    assert all(edge_end_at_port(window, key) for key in list(window.scene.edges)[::50])
