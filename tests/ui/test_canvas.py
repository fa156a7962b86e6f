"""The canvas at lecture size: readable zoom, labels that never collide, a compact layout, each number
shown once, symbols that read, and a narration bar that never overflows."""
from __future__ import annotations

import numpy
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from graphapp.core import examples
from graphapp.core.graph import Graph
from graphapp.core.ops import REGISTRY
from graphapp.ui.canvas.label_item import LabelItem
from graphapp.ui.canvas.style import READABLE_PX
from graphapp.ui.docks.narration import FittedLabel
from graphapp.ui.docks.palette import INDENT, row_width
from graphapp.ui.format import canvas_text
from graphapp.ui.symbols import runs

LECTURE_SIZE = (1600, 1000)  # the window on the projector, docks included


def lecture_window(window, name: str):  # noqa: ANN001, ANN201
    window.resize(*LECTURE_SIZE)
    window.set_graph(examples.load_example(name))
    window.view.fit()
    return window.scene


def visible_labels(scene) -> list[LabelItem]:  # noqa: ANN001
    return [label for edge in scene.edges.values() for label in (edge.value_label, edge.grad_label)
            if label.isVisible()]


def collisions(scene) -> list[str]:  # noqa: ANN001
    """Every label that overlaps another label or a node (body, name, pill), or that a curve runs through."""
    problems = []
    labels = visible_labels(scene)
    for i, a in enumerate(labels):
        ra = a.sceneBoundingRect()
        for b in labels[i + 1:]:
            if ra.intersects(b.sceneBoundingRect()):
                problems.append(f"{a.owner.key} {a.text!r} overlaps {b.owner.key} {b.text!r}")
        for node in scene.nodes.values():
            if any(r.intersects(ra) for r in node.occupied_rects()):
                problems.append(f"{a.owner.key} {a.text!r} covers node {node.node_id}")
        inner = ra.adjusted(1.5, 1.5, -1.5, -1.5)
        for edge in scene.edges.values():
            if edge.hit_path().intersects(inner):
                problems.append(f"{a.owner.key} {a.text!r} is crossed by {edge.key}")
    return problems


def smallest_on_screen(window) -> float:  # noqa: ANN001
    return window.view.zoom() * window.scene.style.smallest_text()


def test_no_label_collides_at_any_step(window):  # noqa: ANN001
    """Every example in turn, in one window (as a lecture opens them)."""
    for name in examples.example_names():
        scene = lecture_window(window, name)
        window.playback.go_to(1)
        for step in range(1, window.playback.total + 1):
            window.playback.go_to(step)
            assert not collisions(scene), (name, step, collisions(scene))


def test_xor_matrix_fits_the_lecture_window_at_a_readable_zoom(window):  # noqa: ANN001
    # With every element at 4 significant digits (−4.371e−6, not 0.000) the matrices need the canvas
    # without the side docks, as a lecture shows it; with docks the camera follows the playhead instead.
    from PySide6.QtWidgets import QApplication, QDockWidget  # noqa: PLC0415

    scene = lecture_window(window, "xor_matrix")
    for dock in window.findChildren(QDockWidget):
        if window.dockWidgetArea(dock) in (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea):
            dock.hide()
    QApplication.processEvents()  # lay the window out again without them
    window.playback.go_to_phase("done")
    window.view.fit()
    assert smallest_on_screen(window) >= READABLE_PX - 0.01
    assert window.view.visible_scene_rect().contains(scene.graph_rect())  # and the whole graph is in view
    assert not collisions(scene)


def test_framing_never_goes_below_the_readable_zoom_and_follows_the_playhead(window):  # noqa: ANN001
    g = Graph()  # a chain far too long for the window
    g.add_node("input", "x0", value=0.5)
    prev = "x0"
    for i in range(60):
        g.add_node("sigmoid" if i % 2 else "neg", f"n{i}")
        g.connect(prev, f"n{i}", "x")
        prev = f"n{i}"
    g.add_node("output", "out")
    g.connect(prev, "out", "x")
    window.resize(*LECTURE_SIZE)
    window.set_graph(g)
    assert smallest_on_screen(window) >= READABLE_PX - 0.01
    assert window.view.zoom() == pytest.approx(window.scene.style.readable_zoom())
    view = window.view
    for step in range(1, window.playback.total + 1, 7):  # forward and backward: the playhead stays in view
        window.playback.go_to(step)
        assert view.visible_scene_rect().contains(window.scene.focus_rect().center()), step
    window.playback.go_to(40)
    view.zoom_by(0.2)  # the lecturer zoomed out; the automatic framing brings the readable zoom back
    view.frame_graph()
    assert view.zoom() == pytest.approx(window.scene.style.readable_zoom())
    assert view.visible_scene_rect().contains(window.scene.focus_rect())
    view.fit()  # F shows the whole chain, below the readable size
    assert view.visible_scene_rect().contains(window.scene.graph_rect())


def test_a_small_graph_is_fitted_whole(window):  # noqa: ANN001
    scene = lecture_window(window, "apple_tax")
    assert window.view.visible_scene_rect().contains(scene.graph_rect())
    assert smallest_on_screen(window) >= READABLE_PX


def test_each_number_stands_once(window):  # noqa: ANN001
    scene = lecture_window(window, "xor_matrix")
    window.playback.go_to_phase("done")
    for (src, dst, _port), edge in scene.edges.items():
        if src in ("X", "W1", "b1", "W2", "b2"):  # value nodes: the box and the pill under it say it all
            assert not edge.value_label.isVisible() and not edge.grad_label.isVisible(), (src, dst)
    assert scene.nodes["W1"].grad_text and scene.nodes["b1"].grad_text
    assert scene.nodes["matmul_1"].grad_text is None  # its only outgoing edge shows it
    assert scene.edges[("matmul_1", "add_1", "a")].grad_label.isVisible()


def test_hanging_sources_and_compact_columns(window):  # noqa: ANN001
    scene = lecture_window(window, "apple_tax")
    pos = {n: (item.pos().x(), item.pos().y()) for n, item in scene.nodes.items()}
    # The tax hangs below-left of the second multiplication, as in the lectures' figure.
    assert pos["mul_1"][0] < pos["tax"][0] < pos["mul_2"][0] and pos["tax"][1] > pos["mul_2"][1]
    # An edge out of a value node shows only its chain rule (when the playhead is on it): that gap is no
    # wider than one that also carries a value and a gradient.
    body = {n: item.sceneBoundingRect() for n, item in scene.nodes.items()}
    assert body["mul_1"].left() - body["price"].right() <= body["mul_2"].left() - body["mul_1"].right()
    scene = lecture_window(window, "xor_matrix")
    pos = {n: (item.pos().x(), item.pos().y()) for n, item in scene.nodes.items()}
    for bias, consumer in (("b1", "add_1"), ("b2", "add_2")):
        assert pos[bias][0] < pos[consumer][0] and pos[bias][1] > pos[consumer][1]


def test_canvas_numbers_follow_the_one_rule():
    assert canvas_text(0.81757) == "0.8176"  # scalars as the lectures write them
    m = numpy.array([[0.0383, 0.0383], [-0.0057, -0.0057], [-0.7195, -4.371e-6]])
    # every element keeps its own significant digits; a tiny one is not "0.000"
    assert canvas_text(m) == "[0.0383, 0.0383]\n[−0.0057, −0.0057]\n[−0.7195, −4.371e−6]"
    assert canvas_text(numpy.array([[5.0, -7.0], [10.0, -14.0]])) == "[5, −7]\n[10, −14]"
    assert canvas_text(numpy.array([1.0, 2.0, 3.0])) == "[1, 2, 3]"
    assert canvas_text(numpy.array([0.011, 0.995, 0.995, 0.024])) == "[0.011]\n[0.995]\n[0.995]\n[0.024]"
    assert canvas_text(numpy.array([[1.2e-5, 3e-6]])) == "[1.2e−5, 3e−6]"


def test_superscripts_are_drawn_as_raised_digits(window):  # noqa: ANN001
    assert runs("x²") == [("x", False), ("2", True)]
    assert runs("xᵖ") == [("xᵖ", False)]  # the bundled font's own ᵖ reads well
    tree = window.palette.tree
    fm = QFontMetricsF(tree.font())
    window.set_language("ko")  # every Korean name whole in the palette as the window opens it
    room = window.palette.wanted_width()
    for op, spec in REGISTRY.items():
        assert row_width(fm, tree.font(), op, spec.ko) + INDENT <= room, op
    window.set_language("en")


def test_long_narration_wraps_whole_and_the_bar_grows_once(window):  # noqa: ANN001
    label = FittedLabel()
    label.setFixedWidth(400)
    label.set_line_height(40)
    long_text = "Backward 3/11 · ∂L/∂W = " + ", ".join(["[−0.0275, 0.0000]"] * 40)
    label.set_full_text(long_text)
    fm = QFontMetricsF(label.font())
    assert label.text() == long_text and "…" not in label.text()
    needed = fm.boundingRect(QRectF(0, 0, label.contentsRect().width() - 2, 1e6), int(Qt.TextFlag.TextWordWrap),
                             long_text).height()
    assert label.height() >= needed > 40  # every line shows
    tall = label.height()
    label.set_full_text("short")
    assert label.text() == "short" and label.height() == tall  # no shrinking while stepping
    label.reset()
    assert label.height() == 40
    window.narration.set_frame(None, (long_text, long_text))
    assert window.narration.main.text() == long_text and window.narration.main.full_text() == long_text
