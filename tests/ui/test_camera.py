"""The camera on the real view: every built-in example, at three screen sizes, docks shown and hidden,
through every step. A graph that fits at a readable size stays whole and still; a larger one is followed
at the readable size, with the current edge, both its nodes and its labels in view, moving only when
something needed would leave the viewport; F fits any graph whole."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QRectF

from graphapp.core import examples
from graphapp.ui.canvas.camera import ANIMATION_MS, MARGIN_PX, shift_into

SIZES = [(1280, 720), (1400, 900), (1920, 1080)]


def on_screen(view, rect: QRectF) -> QRect:  # noqa: ANN001
    return view.mapFromScene(rect).boundingRect()


def inside(view, rect: QRectF, slack: int = 1) -> bool:  # noqa: ANN001
    return view.viewport().rect().adjusted(-slack, -slack, slack, slack).contains(on_screen(view, rect))


def needed_rect(scene) -> QRectF | None:  # noqa: ANN001
    """What the lecture must see at this step, measured on the items: the current edge's two nodes (body,
    name, pill) and its visible labels; else the current node; None before a run."""
    frame = scene.frame
    if frame is None:
        return None
    rects: list[QRectF] = []
    if frame.current_edge in scene.edges:
        edge = scene.edges[frame.current_edge]
        for node in (edge.src, edge.dst):
            rects += node.occupied_rects()
        rects += [label.sceneBoundingRect() for label in (edge.value_label, edge.grad_label) if label.isVisible()]
    elif frame.current_node in scene.nodes:
        rects += scene.nodes[frame.current_node].occupied_rects()
    if not rects:
        return None
    out = QRectF(rects[0])
    for r in rects[1:]:
        out = out.united(r)
    return out


def walk(window, qapp, name: str, size: tuple[int, int], docks: bool) -> None:  # noqa: ANN001
    window.resize(*size)
    for dock in window.docks.values():
        dock.setVisible(docks)
    qapp.processEvents()
    window.set_graph(examples.load_example(name))
    qapp.processEvents()
    view, scene, cam = window.view, window.scene, window.view.camera
    readable = view.readable_zoom() * 0.999
    whole_at_start = cam.whole
    # with the camera's own padding around the graph (at 1280 px with every dock the canvas is narrow enough
    # for the padding to decide)
    padded = cam._padded(scene.graph_rect(), scene_pad=True)
    assert whole_at_start == (cam._whole_zoom(padded) >= readable), (name, size, docks)
    assert window.playback.ensure_trace()
    for step in range(window.playback.total + 1):
        refits = cam.refits
        before = view.visible_scene_rect()
        zoom_before = view.zoom()
        size_before = view.viewport().size()
        window.playback.go_to(step)
        where = (name, size, docks, step)
        need = needed_rect(scene)
        if cam.whole:
            assert inside(view, scene.graph_rect()), where
            assert view.zoom() >= readable, where
            if cam.refits == refits:
                assert view.visible_scene_rect() == before, where  # fitted once: never re-centred
        else:
            assert need is None or inside(view, need), where
            focus = scene.focus_rect()  # what the camera keeps: the need, and a node's incoming edges
            # below the readable zoom only for something longer than the screen with its margins (ResNet's skip edge)
            long = [r for r in (need, focus) if r is not None and (
                r.width() * readable + 2 * MARGIN_PX > view.viewport().width()
                or r.height() * readable + 2 * MARGIN_PX > view.viewport().height())]
            assert view.zoom() >= readable or long, where
            # (a narration that grew a line shrinks the viewport: the camera frames again, by design)
            if focus is not None and view.zoom() == zoom_before and view.viewport().size() == size_before:
                m = MARGIN_PX / view.zoom()
                if before.adjusted(m, m, -m, -m).contains(focus):
                    assert view.visible_scene_rect() == before, where  # nothing needed left: no move


def test_camera_keeps_what_matters_in_view_at_every_step(window, qapp):  # noqa: ANN001
    """Every example in one window (as a lecture opens them); `walk` names the example in each assert."""
    window.view.camera.animate = False
    for name in examples.example_names():
        for size in SIZES:
            for docks in (True, False):
                walk(window, qapp, name, size, docks)


def test_the_issue_cases_show_the_whole_graph(window, qapp):  # noqa: ANN001
    """apple_orange forward and backward, xor_neurons and logistic_update at 1920×1080 fit whole."""
    window.view.camera.animate = False
    window.set_language("ko")
    for name in ("apple_orange", "logistic_update", "sigmoid_decomposed", "xor_matrix", "xor_neurons"):
        walk(window, qapp, name, (1920, 1080), False)
        assert window.view.camera.whole, name
    window.set_language("en")


def test_f_fits_any_graph_whole_even_below_the_readable_size(window, qapp):  # noqa: ANN001
    window.view.camera.animate = False
    window.resize(1280, 720)
    qapp.processEvents()
    window.set_graph(examples.load_example("xor_neurons"))
    view = window.view
    assert not view.camera.whole and view.zoom() == pytest.approx(view.readable_zoom())
    window.playback.go_to(20)
    view.zoom_by(3.0)  # the lecturer zoomed in far; F still shows everything
    window.actions_["fit"].trigger()
    assert inside(view, window.scene.graph_rect())
    assert view.zoom() < view.readable_zoom()
    for step in range(20, window.playback.total + 1):  # and it stays whole while stepping
        window.playback.go_to(step)
        assert inside(view, window.scene.graph_rect()), step


def test_following_moves_smoothly_and_briefly(window, qapp, qtbot):  # noqa: ANN001
    assert ANIMATION_MS <= 250
    window.resize(1280, 720)
    qapp.processEvents()
    window.set_graph(examples.load_example("xor_neurons"))
    view, cam = window.view, window.view.camera
    assert cam.animate and not cam.whole and window.playback.ensure_trace()
    moved = False
    for step in range(1, window.playback.total + 1):
        before = view.visible_scene_rect()
        window.playback.go_to(step)
        if cam._anim.state() == cam._anim.State.Running:
            moved = True
            assert view.visible_scene_rect() == before  # starts where it was, no jump
            cam.settle()
        assert inside(view, needed_rect(window.scene)), step
    assert moved
    window.playback.go_to(10)
    qtbot.waitUntil(lambda: cam._anim.state() != cam._anim.State.Running, timeout=2 * ANIMATION_MS + 500)
    assert inside(view, needed_rect(window.scene))


def test_shift_into_moves_as_little_as_possible() -> None:
    view = QRectF(0, 0, 100, 100)
    assert shift_into(QRectF(10, 10, 20, 20), view).toTuple() == (0, 0)
    assert shift_into(QRectF(90, 10, 20, 20), view).toTuple() == (10, 0)
    assert shift_into(QRectF(-5, 95, 20, 20), view).toTuple() == (-5, 15)
    assert shift_into(QRectF(0, 0, 300, 20), view).toTuple() == (100, 0)  # too wide: centred


def test_a_graph_too_big_to_fit_starts_at_its_own_corner_not_in_empty_scene(window, qapp):  # noqa: ANN001
    """Following from an arbitrary centre once left a third of the screen empty beside xor_neurons."""
    window.view.camera.animate = False
    followed = 0
    for size in ((1280, 720), (1920, 1080)):  # opened afresh at each size, in one window
        window.resize(*size)
        qapp.processEvents()
        window.set_graph(examples.load_example("xor_neurons"))
        view, graph = window.view, window.scene.graph_rect()
        if view.camera.whole:  # fits whole at this size: nothing to follow
            continue
        followed += 1
        visible = view.visible_scene_rect()
        margin = MARGIN_PX / view.zoom() + 1
        assert visible.left() >= graph.left() - margin - 1 and visible.left() <= graph.left(), size
        assert visible.top() <= graph.top() or visible.center().y() == pytest.approx(graph.center().y(), abs=2)
    assert followed  # at 1280×720 it does not fit
