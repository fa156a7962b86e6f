"""View → Significant digits: one setting for canvas, narration and inspector, remembered."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from graphapp.core import examples, numbers
from graphapp.ui.main_window import MainWindow


def test_digits_menu_changes_every_number_and_is_remembered(window, tmp_path):  # noqa: ANN001
    try:
        window.set_graph(examples.load_example("logistic_update"))
        window.playback.go_to(8)  # σ(l1) = 0.8176
        assert "0.8176" in window.narration.main.full_text()
        assert window.scene.edges[("sigmoid_1", "sub_1", "a")].value_label.text == "0.8176"
        menu = window.menus["digits"]
        assert [a.text() for a in menu.actions()] == ["2", "3", "4", "5", "6"] and menu.actions()[2].isChecked()
        menu.actions()[0].trigger()
        assert numbers.get_digits() == 2 and menu.actions()[0].isChecked() and not menu.actions()[2].isChecked()
        assert "0.82" in window.narration.main.full_text() and "0.8176" not in window.narration.main.full_text()
        assert window.scene.edges[("sigmoid_1", "sub_1", "a")].value_label.text == "0.82"
        assert window.settings.value("digits") in (2, "2")
        numbers.set_digits(4)
        again = MainWindow(settings=QSettings(window.settings.fileName(), QSettings.Format.IniFormat), lang="en")
        assert numbers.get_digits() == 2 and again.menus["digits"].actions()[0].isChecked()
        again.deleteLater()
    finally:
        numbers.set_digits(numbers.DEFAULT_DIGITS)


def test_a_bad_stored_digits_setting_falls_back_to_the_default(qapp, tmp_path):  # noqa: ANN001
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("digits", "abc")
    try:
        win = MainWindow(settings=settings, lang="en")
        assert numbers.get_digits() == numbers.DEFAULT_DIGITS
        win.deleteLater()
    finally:
        numbers.set_digits(numbers.DEFAULT_DIGITS)
