"""The canvas shows a scroll bar only while the graph runs past the view along that axis (normal mode)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from graphapp.ui.main_window import MainWindow


def bars(window: MainWindow, qapp) -> tuple[bool, bool]:  # noqa: ANN001
    for _ in range(3):  # the view decides after the events of a change are done
        qapp.processEvents()
    view = window.view
    return view.horizontalScrollBar().isVisible(), view.verticalScrollBar().isVisible()


def test_no_scroll_bars_while_the_graph_fits(window, qapp):  # noqa: ANN001
    window.resize(1280, 800)
    window.open_example("apple_tax")
    assert window.view.camera.whole and bars(window, qapp) == (False, False)
    window.view.zoom_by(6.0)  # the graph now runs past the view both ways: scroll bars to reach it
    assert bars(window, qapp) == (True, True)
    window.view.fit()
    assert bars(window, qapp) == (False, False)


def test_a_wide_graph_gets_only_the_bar_it_needs(window, qapp):  # noqa: ANN001
    window.resize(1280, 800)
    window.open_example("vgg_block")  # readable zoom, following the playhead: wider than the view only
    view = window.view
    rect, seen = window.scene.graph_rect(), view.visible_scene_rect()
    assert rect.width() > seen.width() and seen.top() <= rect.top() and rect.bottom() <= seen.bottom()
    assert bars(window, qapp) == (True, False)


def test_presentation_has_none_and_leaving_it_decides_again(window, qapp):  # noqa: ANN001
    window.resize(1280, 800)
    window.open_example("vgg_block")
    window.set_presentation(True, full_screen=False)
    window.view.zoom_by(6.0)
    assert bars(window, qapp) == (False, False)
    window.set_presentation(False)
    window.view.fit()
    assert bars(window, qapp) == (False, False)
    window.view.zoom_by(6.0)
    assert bars(window, qapp) == (True, True)


def test_a_view_told_always_off_stays_off(window, qapp):  # noqa: ANN001
    """A rendered picture (graphapp/ui/render.py) never has scroll bars, however far the graph runs."""
    window.open_example("vgg_block")
    window.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    window.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    window.view.zoom_by(6.0)
    assert bars(window, qapp) == (False, False)
