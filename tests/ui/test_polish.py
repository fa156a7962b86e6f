"""Lecture-hall polish: the narration bar never overlaps its second line nor squeezes the canvas (a long
text is cut at a word with its whole text as the tooltip); the playback slider and the docks' tab titles
read well at common screen sizes in both languages."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

from graphapp.core import examples
from graphapp.ui.docks.narration import ELLIPSIS, ROOM_SHARE, FittedLabel

SIZES = ((1280, 720), (1400, 900), (1920, 1080))
SLIDER_LEAST = 160  # px: a bar to aim at beside both docks


def lecture(repeat: int):  # noqa: ANN201
    """logistic_update, its description said `repeat` times: longer than any bar can hold when large."""
    graph = examples.load_example("logistic_update")
    for lang in ("en", "ko"):
        graph.meta["description"][lang] = " ".join([graph.meta["description"][lang]] * repeat)
    return graph


def assert_no_overlap(window, size) -> None:  # noqa: ANN001
    bar, main, other = window.narration, window.narration.main, window.narration.other
    assert (window.width(), window.height()) == size  # no label's minimum size grew the window
    assert main.geometry().bottom() < other.geometry().top() and other.geometry().bottom() < bar.height()
    assert other.y() == main.y() + main.height() + bar.layout().spacing()  # the languages together, no gap
    assert bar.geometry().bottom() < window.bar.geometry().top()
    assert bar.height() <= ROOM_SHARE * bar.parentWidget().height() + 1  # the canvas keeps most of the column
    assert window.view.height() > 0.4 * bar.parentWidget().height()
    for label in (main, other):
        assert label.height() >= label.heightForWidth(label.width()) - 1  # every shown line whole
        if label.text() != label.full_text():
            shown = label.text().removesuffix(ELLIPSIS)
            assert label.text().endswith(ELLIPSIS) and label.toolTip() == label.full_text()
            assert label.full_text().startswith(shown + " ")  # cut between words: never inside a number
        else:
            assert label.toolTip() == ""


def test_a_long_lesson_never_overlaps_the_second_language(window, qapp):  # noqa: ANN001
    """Both languages, in and out of presentation mode, switched in one window as a lecturer does."""
    for lang in ("en", "ko"):
        for presentation in (False, True):
            window.set_language(lang)
            window.set_presentation(presentation, full_screen=False)
            for size in SIZES:
                window.resize(*size)
                for repeat in (1, 10):
                    window.set_graph(lecture(repeat))
                    qapp.processEvents()
                    where = (lang, presentation, size, repeat)
                    assert_no_overlap(window, size)
                    cut = window.narration.main.text() != window.narration.main.full_text()
                    assert cut == (repeat == 10), where  # the real lesson whole, ten times over cut
                    window.playback.go_to(1)  # stepping: the bar shrinks back to the narration
                    qapp.processEvents()
                    assert_no_overlap(window, size)
                    assert window.narration.main.text() == window.narration.main.full_text(), where
            window.set_presentation(False)
    window.set_language("en")


def test_cut_text_grows_back_when_there_is_room(qtbot):  # noqa: ANN001
    label = FittedLabel()
    qtbot.addWidget(label)
    label.setFixedWidth(300)
    label.set_line_height(40)
    text = "w1 = 0.0122 and w2 = −1.1194; " * 12
    label.set_full_text(text)
    label.set_cap(60)
    assert label.height() == 60 and label.text().endswith(ELLIPSIS) and label.toolTip() == text
    label.set_cap(None)
    assert label.text() == text and label.toolTip() == "" and label.height() > 60


def test_slider_and_dock_tabs_read_well(window, qapp):  # noqa: ANN001
    """In both languages, switched in one window."""
    for lang in ("en", "ko"):
        window.set_language(lang)
        window.set_graph(examples.load_example("xor_neurons"))
        window.docks["train"].show()  # four tabs on the right, the palette on the left
        window.docks["inspector"].raise_()
        for size in SIZES:
            window.resize(*size)
            qapp.processEvents()
            window.playback.go_to(window.playback.total)  # the longest position text
            qapp.processEvents()
            bar = window.bar
            assert bar.slider.width() >= SLIDER_LEAST, (lang, size)
            assert bar.position.width() >= bar.position.sizeHint().width(), (lang, size)
            for key, button in bar.buttons.items():
                assert button.toolTip() and (not button.icon().isNull() or button.text()), (lang, key)
            tab_bars = window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
            titles = {b.tabText(i) for b in tab_bars for i in range(b.count())}
            assert {window.docks[k].windowTitle() for k in ("inspector", "gradcheck", "lesson", "train")} <= titles
            assert all(b.elideMode() == Qt.TextElideMode.ElideNone and b.usesScrollButtons() for b in tab_bars)
    window.set_language("en")


def test_play_button_says_pause_while_playing(window, qapp):  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    play = window.bar.buttons["play"]
    assert play.toolTip().startswith("Play") and "Space" in play.toolTip()
    window.playback.play()
    assert play.toolTip().startswith("Pause")
    window.playback.pause()
    assert play.toolTip().startswith("Play")


def test_race_tab_says_which_optimizer_stopped_and_where(qtbot):  # noqa: ANN001
    from graphapp.ui import i18n
    from graphapp.ui.docks.plots import PlotsPanel

    panel = PlotsPanel()
    qtbot.addWidget(panel)
    tab = panel.race
    tab.expr.setText("log(x) + y**2")
    tab.x0.setValue(1.0)
    tab.y0.setValue(1.0)
    tab.steps.setValue(5)
    for name, box in tab.checks.items():
        box.setChecked(name == "sgd")
    tab.run()
    tab.toggle_play()  # stop the animation; show its last frame
    tab.step = tab.total
    tab._show_step()
    text = tab.message.text()
    # sgd at lr 0.95 jumps from x = 0.05 to −18.95, where log has no value
    assert "optimizer 'sgd', step 2: f is undefined at (-18.95, 0.81) (outside the function's domain)" in text
    assert "log_" not in text and "node" not in text  # no graph insides
    tab.step = 0
    tab._show_step()
    assert "sgd" not in tab.message.text()  # not before the animation reaches the path's end
    i18n.set_language("ko")
    try:
        tab.step = tab.total
        tab._show_step()
        assert "최적화기 'sgd', 2단계: (-18.95, 0.81)에서 f가 정의되지 않습니다" in tab.message.text()
    finally:
        i18n.set_language("en")


def _expanded(window, qapp):  # noqa: ANN001, ANN202
    from tests.ui.test_expand_ui import layer_graph  # noqa: PLC0415

    window.set_graph(layer_graph())
    window.scene.select_nodes(["h", "s"])
    window.actions_["expand"].trigger()
    qapp.processEvents()
    return window.scene.frames


def test_expanded_layers_are_framed_behind_their_pieces(window, qapp):  # noqa: ANN001
    frames = _expanded(window, qapp)
    assert set(frames) == {"h", "s"}
    assert frames["h"].title == "h · Dense (affine): Matrix product + Add"
    assert frames["s"].title == "s · Sigmoid: Multiply + Exponential + Add + Reciprocal"  # the constants unnamed
    for gid, frame in frames.items():
        for nid in window.graph.groups[gid].nodes.values():
            node = window.scene.nodes[nid]
            assert frame.sceneBoundingRect().contains(node.body_rect()) and frame.zValue() < node.zValue()
            assert not frame.title_rect().intersects(node.body_rect())  # the title stands above the pieces
        for edge in window.scene.edges.values():
            assert frame.zValue() < edge.zValue() and all(frame.zValue() < lb.zValue() for lb in edge.labels())
    window.set_language("ko")
    assert frames["h"].title == "h · 완전 연결: 행렬 곱 + 덧셈"
    window.set_language("en")
    window.playback.run_backward()  # stepping: the frame stands still, and no edge label sits on a title
    qapp.processEvents()
    for frame in frames.values():
        for edge in window.scene.edges.values():
            for label in edge.labels():
                assert not (label.isVisible() and label.sceneBoundingRect().intersects(frame.title_rect())), label.text


def test_frames_follow_moves_collapse_and_undo(window, qapp):  # noqa: ANN001
    frames = _expanded(window, qapp)
    before = frames["h"].sceneBoundingRect()
    window.editor.move_nodes([("h/add", (900.0, 400.0))])
    qapp.processEvents()
    moved = frames["h"].sceneBoundingRect()
    assert moved != before and moved.contains(window.scene.nodes["h/add"].body_rect())
    window.undo_stack.undo()  # the move back
    assert frames["h"].sceneBoundingRect() == before
    window.scene.select_nodes(["h/add"])
    window.actions_["collapse"].trigger()
    assert set(window.scene.frames) == {"s"}
    window.undo_stack.undo()
    assert set(window.scene.frames) == {"h", "s"} and window.scene.frames["h"].sceneBoundingRect() == before
    window.undo_stack.undo()  # the expansion itself
    assert window.scene.frames == {}


def test_right_click_on_a_frame_offers_collapse(window, qapp):  # noqa: ANN001
    from graphapp.ui.node_menu import node_menu  # noqa: PLC0415

    frames = _expanded(window, qapp)
    window.view.fit()
    qapp.processEvents()
    title = frames["s"].title_rect()
    at = window.view.mapFromScene(title.center())
    menu = node_menu(window, at)
    assert menu is not None and menu.actions() == [window.actions_["collapse"]]
    assert set(window.scene.selected_node_ids()) == set(window.graph.groups["s"].nodes.values())
    menu.actions()[0].trigger()
    assert set(window.graph.groups) == {"h"} and "s" in window.graph.nodes and set(window.scene.frames) == {"h"}


@pytest.mark.parametrize("name", ["several_foods", "xor_neurons"])
def test_rendered_presentation_keeps_both_lines_inside_the_bar(name):  # noqa: ANN001
    """`render --presentation`: the window is built, then enlarged type: the second line stays whole."""
    from graphapp.ui.render import Offscreen  # noqa: PLC0415

    with Offscreen(examples.load_example(name), lang="ko", size=(1280, 720), presentation=True) as off:
        off.go_to(0)
        assert_no_overlap(off.window, (1280, 720))
        off.go_to(None, "done")
        assert_no_overlap(off.window, (1280, 720))
