"""The window's Help: the shortcut sheet from the action table, About with the licences, tooltips on
every action and button in both languages, the Lesson, Copy as image, the prompt's document name, and
the docks at 1280×720."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QTableWidget, QWidget

from graphapp.core import examples
from graphapp.ui.actions import ACTIONS, MENUS, key_texts, plain
from graphapp.ui.i18n import tr
from tests.ui.conftest import small_graph


def test_every_action_of_the_table_is_in_a_menu_and_the_window(window):  # noqa: ANN001
    in_menus = {e for entries in MENUS.values() for e in entries if e != "-" and not e.startswith("@")}
    assert in_menus == set(ACTIONS) == set(window.actions_)
    menu_actions = {a for m in window.menus.values() for a in m.actions()}
    assert all(window.actions_[k] in menu_actions for k in ACTIONS)
    assert window.actions_["fit"].shortcuts()[1].toString() == "F"


def test_shortcut_sheet_is_the_action_table(window):  # noqa: ANN001
    window.show_shortcuts()
    table = window.help_dialog.findChild(QTableWidget, "shortcut_table")
    rows = {(table.item(i, 1).text(), table.item(i, 2).text()) for i in range(table.rowCount())}
    expected = set()
    for key, action in window.actions_.items():
        keys = [s.toString(s.SequenceFormat.NativeText) for s in action.shortcuts()] + list(ACTIONS[key].shown)
        if keys:
            assert key_texts(key) == keys  # what the sheet says is what the QAction does
            expected.add((plain(tr(key)), ", ".join(keys)))
    assert rows == expected
    assert ("Play / Pause", "Space") in rows and ("New from Expression…", "Ctrl+E") in rows
    window.help_dialog.close()


def test_play_shows_space_in_the_run_menu(window):  # noqa: ANN001
    texts = [a.text() for a in window.menus["run"].actions()]
    assert "Play / Pause\tSpace" in texts


def test_about_names_version_and_licences(window):  # noqa: ANN001
    window.show_about()
    text = window.help_dialog.findChild(QWidget, "about_text").text()
    for needle in ("0.1.0", "MIT", "SIL Open Font License 1.1", "OFL.txt", "CC BY 4.0", "LGPL", "pyqtgraph",
                   "NumPy", "NetworkX", "BSD"):
        assert needle in text
    window.help_dialog.close()


def test_every_action_and_button_has_a_tooltip(window):  # noqa: ANN001
    for lang in ("en", "ko"):  # switched in one window
        window.set_language(lang)
        window.set_graph(examples.load_example("apple_tax"))
        window.run_gradcheck()
        window.scene.select_nodes(["apple"] if "apple" in window.graph.nodes else [next(iter(window.graph.nodes))])
        actions = window.findChildren(QAction)
        for menu in window.menus.values():
            actions += menu.actions()
        missing = [a.text() for a in actions if not a.isSeparator() and not a.menu() and not a.toolTip().strip()
                   and not a.objectName().startswith("_q_")]  # Qt's own (a line edit's clear icon)
        assert not missing, lang
        for key, action in window.actions_.items():  # our own words, not Qt's copy of the menu text
            assert action.toolTip() == tr(f"tip_{key}") and action.toolTip() != plain(action.text()), (lang, key)
        buttons = window.findChildren(QAbstractButton)
        assert len(buttons) > 8
        assert not [b.text() or b.objectName() or type(b).__name__ for b in buttons if not b.toolTip().strip()]
    window.set_language("en")


def test_discard_prompt_names_the_example(window):  # noqa: ANN001
    window.open_example("apple_tax")
    window.editor.add_op("input", (0, 0))
    box = window.discard_box()
    assert "Apples with tax" in box.text() and "Untitled" not in box.text()
    box.deleteLater()


def test_copy_as_image_puts_the_canvas_on_the_clipboard(window):  # noqa: ANN001
    window.set_graph(small_graph())
    QGuiApplication.clipboard().clear()
    window.actions_["copy_image"].trigger()
    image = QGuiApplication.clipboard().image()
    rect = window.scene.graph_rect()
    assert not image.isNull() and image.width() >= rect.width() and image.height() >= rect.height()
    assert len({image.pixel(x, image.height() // 2) for x in range(0, image.width(), 4)}) > 2  # not blank


def test_lesson_at_step_zero_and_in_its_dock(window):  # noqa: ANN001
    window.open_example("apple_tax")
    info = examples.info(window.graph)
    assert window.narration.main.full_text().startswith(info.title_en)
    assert info.description_en in window.narration.main.full_text()
    window.actions_["forward"].trigger()
    assert not window.narration.main.full_text().startswith(info.title_en)
    window.actions_["reset"].trigger()
    assert window.narration.main.full_text().startswith(info.title_en)
    window.actions_["lesson"].trigger()
    assert window.docks["lesson"].isVisible()
    assert info.description_en in window.lesson.browser.toPlainText()
    window.set_language("ko")
    assert info.description_ko in window.lesson.browser.toPlainText()
    assert window.narration.main.full_text().startswith(info.title_ko)


def clipped(dock: QWidget) -> list[str]:
    """Visible widgets in a dock that reach past its right edge or past their scroll area's viewport."""
    bad = []
    for w in dock.findChildren(QWidget):
        if not w.isVisible() or w.width() == 0:
            continue
        rect = QRect(w.mapTo(dock, QPoint(0, 0)), w.size())
        area = w.parentWidget()
        while area is not None and area is not dock and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        bound = dock.rect() if not isinstance(area, QAbstractScrollArea) else QRect(
            area.viewport().mapTo(dock, QPoint(0, 0)), area.viewport().size())
        if rect.right() > bound.right() + 1 and (area is None or area is dock or w is not area.viewport()):
            bad.append(f"{type(w).__name__} {w.objectName()} {rect} beyond {bound}")
    return bad


def test_inspector_and_gradcheck_fit_1280x720(window, qapp):  # noqa: ANN001
    window.resize(1280, 720)
    for name in ("apple_tax", "xor_neurons", "logistic_update"):  # opened one after another in one window
        window.set_graph(examples.load_example(name))
        for lang in ("en", "ko"):
            window.set_language(lang)
            for nid in list(window.graph.nodes)[:6]:
                window.docks["inspector"].raise_()
                window.scene.select_nodes([nid])
                qapp.processEvents()
                assert not clipped(window.docks["inspector"]), (name, lang, nid)
            window.run_gradcheck()
            qapp.processEvents()
            table = window.gradcheck.table
            widths = sum(table.columnWidth(c) for c in range(table.columnCount()))
            assert table.columnCount() == 4 and widths <= table.viewport().width(), (name, lang)
            assert not clipped(window.docks["gradcheck"]), (name, lang)
    window.set_language("en")


def test_edges_have_tooltips_with_value_gradient_and_formula(window):  # noqa: ANN001
    window.open_example("apple_tax")
    window.actions_["backward"].trigger()
    tips = [e.toolTip() for e in window.scene.edges.values()]
    assert all(tips) and all("→" in t and "Value: " in t for t in tips)
    assert any("Gradient ∂L/∂·: " in t and " = " in t for t in tips)
    window.set_language("ko")
    window.actions_["reset"].trigger()
    window.actions_["backward"].trigger()
    assert all("값: " in e.toolTip() for e in window.scene.edges.values())
