"""`python main.py`: the window with the first lecture example loaded."""
from __future__ import annotations

import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from graphapp.core import examples
from graphapp.ui.fonts import apply_app_font

ORGANIZATION, APPLICATION = "BackpropStudio", "Backprop Studio"
FIRST_EXAMPLE = "apple_tax"


def run_app() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    apply_app_font(app)
    from graphapp.ui.main_window import MainWindow  # noqa: PLC0415 - after the app and fonts exist

    window = MainWindow(settings=QSettings(ORGANIZATION, APPLICATION))
    if FIRST_EXAMPLE in examples.example_names():
        window.open_example(FIRST_EXAMPLE)
    window.show()
    # Qt crashes at interpreter exit while the clipboard still owns a QMimeData made from Python
    # (seen after Copy with PySide6 6.11): let go of it while Qt is still intact.
    app.aboutToQuit.connect(lambda: app.clipboard().clear())
    return app.exec()
