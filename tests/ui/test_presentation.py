"""Presentation mode in a lecture hall: full screen with only the canvas, the narration and the playback
bar; text on screen at least 24 px at 1920×1080 (measured on the real items); narration that wraps whole;
a usable slider; the window as it was on leaving; and `render --presentation` headless."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from graphapp.cli import main
from graphapp.core import examples
from graphapp.ui.canvas.display import value_font
from graphapp.ui.presentation import SLIDER_MIN_WIDTH

HALL_PX = 24.0  # text on a 1920×1080 projector, at the least


def on_screen_text_px(window) -> list[tuple[str, float]]:  # noqa: ANN001
    """Every number the canvas shows now, with its size on screen: the view's zoom × the font's pixel size."""
    zoom = window.view.transform().m11()
    sizes = []
    for key, edge in window.scene.edges.items():
        for label in (edge.value_label, edge.grad_label):
            if label.isVisible():
                sizes.append((f"{key} {label.text!r}", zoom * label.font.pixelSize()))
    for nid, item in window.scene.nodes.items():
        if item.value_text:
            sizes.append((f"{nid} value", zoom * value_font(item.style, item.value_text).pixelSize()))
    return sizes


def test_f11_is_full_screen_with_only_the_canvas_narration_and_playback(window, qapp):  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    window.docks["palette"].hide()  # the lecturer's own arrangement, to be restored
    qapp.processEvents()
    window.actions_["presentation"].trigger()
    qapp.processEvents()
    assert window.isFullScreen() and window.presentation
    assert not any(d.isVisible() for d in window.docks.values())
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    assert window.view.isVisible() and window.narration.isVisible() and window.bar.isVisible()
    assert window.bar.slider.width() >= SLIDER_MIN_WIDTH  # a bar to aim at, not a squeezed handle
    assert window.bar.position.width() >= window.bar.position.sizeHint().width()
    window.actions_["presentation"].trigger()
    qapp.processEvents()
    assert not window.isFullScreen() and not window.presentation
    assert window.menuBar().isVisible()
    assert not window.docks["palette"].isVisible() and window.docks["inspector"].isVisible()


def test_text_is_at_least_24_px_at_1920x1080(window, qapp):  # noqa: ANN001
    """Sized as full screen on a 1920×1080 projector (the offscreen screen is smaller, so the window is
    given the projector's size and presentation mode without leaving it); every example in turn, as a
    lecture opens them in one window."""
    window.view.camera.animate = False
    window.resize(1920, 1080)
    qapp.processEvents()
    window.set_presentation(True, full_screen=False)
    for name in examples.example_names():
        window.set_graph(examples.load_example(name))
        qapp.processEvents()
        assert window.view.readable_px() == pytest.approx(HALL_PX), name
        fits = window.view.camera.whole
        assert window.playback.ensure_trace(), name
        total = window.playback.total
        for step in sorted({0, 1, total // 3, total // 2, 2 * total // 3, total - 1, total}):
            window.playback.go_to(step)
            small = [(what, px) for what, px in on_screen_text_px(window) if px < HALL_PX - 0.01]
            assert not small, (name, step, fits, small[:3])
            if fits:
                assert window.view.visible_scene_rect().contains(window.scene.graph_rect()), (name, step)
    window.set_presentation(False)


def test_matrix_narration_wraps_instead_of_being_cut(window, qapp):  # noqa: ANN001
    window.resize(1280, 720)
    window.set_presentation(True, full_screen=False)
    window.set_language("ko")
    grew = False
    for name in ("xor_matrix", "xor_neurons"):
        window.set_graph(examples.load_example(name))
        assert window.playback.ensure_trace()
        for step in range(1, window.playback.total + 1):
            window.playback.go_to(step)
            qapp.processEvents()
            for label in (window.narration.main, window.narration.other):
                assert label.text() == label.full_text() and not label.text().endswith("…"), (name, step)
                assert label.height() >= label.heightForWidth(label.width()) - 1, (name, step)  # every line
                grew |= label.heightForWidth(label.width()) > label.fontMetrics().lineSpacing() * 2.5
    assert grew  # a matrix narration longer than two lines was among them
    window.set_language("en")
    window.set_presentation(False)


def test_render_presentation_draws_it_headless(tmp_path, capsys):  # noqa: ANN001
    plain, hall = tmp_path / "plain.png", tmp_path / "hall.png"
    for out, extra in ((plain, []), (hall, ["--presentation"])):
        assert main(["render", "xor_neurons", "-o", str(out), "--size", "1920x1080", "--lang", "ko",
                     "--step", "40", *extra]) == 0
    a, b = QImage(str(plain)), QImage(str(hall))
    assert (b.width(), b.height()) == (1920, 1080)
    # No menu bar and no docks: the canvas's background reaches the picture's top-left corner.
    assert b.pixelColor(4, 4).name() == "#ffffff" and a.pixelColor(4, 4).name() != "#ffffff"
    capsys.readouterr()
