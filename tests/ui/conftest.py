"""A real MainWindow per test, with settings in a temporary file and no blocking dialogs."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication

from graphapp.core.graph import Graph
from graphapp.ui.fonts import apply_app_font
from graphapp.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, qapp, tmp_path):  # noqa: ANN001, ANN201
    apply_app_font(qapp)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, lang="en", theme="light")
    win.errors = []
    win.ask_discard = lambda: "discard"
    win.show_error = lambda title, msg: win.errors.append(msg)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.playback.pause()
    win.undo_stack.setClean()
    # A clipboard still holding our QMimeData when the interpreter exits crashes Qt's teardown.
    QGuiApplication.clipboard().clear()


def small_graph() -> Graph:
    """x, y inputs; m = x * y; n = neg(m); out. Positions fixed so mouse tests know where ports are."""
    g = Graph()
    g.add_node("input", "x", value=2.0, pos=(0.0, -100.0))
    g.add_node("input", "y", value=3.0, pos=(0.0, 100.0))
    g.add_node("mul", "m", pos=(250.0, 0.0))
    g.add_node("neg", "n", pos=(450.0, 0.0))
    g.add_node("output", "out", pos=(650.0, 0.0))
    g.connect("x", "m", "a")
    g.connect("m", "n", "x")
    g.connect("n", "out", "x")
    return g
