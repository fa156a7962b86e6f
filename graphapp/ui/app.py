"""`python main.py`: the window with the first lecture example loaded."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

from PySide6.QtCore import QMessageLogContext, QSettings, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from graphapp.core import examples
from graphapp.ui.autosave import Autosave
from graphapp.ui.fonts import apply_app_font

ORGANIZATION, APPLICATION = "BackpropStudio", "Backprop Studio"
FIRST_EXAMPLE = "apple_tax"
# Qt messages that tell a user nothing: the offscreen platform cannot resize a window to its hints.
QT_NOISE = ("propagateSizeHints",)
_QUIET = (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg, QtMsgType.QtWarningMsg)


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str, quiet: bool = False) -> None:
    if (quiet and kind in _QUIET) or any(noise in message for noise in QT_NOISE):
        return
    print(message, file=sys.stderr)


@contextmanager
def quiet_qt_messages() -> Iterator[None]:
    """Only Qt's critical messages reach stderr while the block runs (headless rendering)."""
    previous = qInstallMessageHandler(lambda kind, context, message: _qt_message(kind, context, message, True))
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def run_app() -> int:
    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    apply_app_font(app)
    from graphapp.ui.main_window import MainWindow  # noqa: PLC0415 - after the app and fonts exist

    window = MainWindow(settings=QSettings(ORGANIZATION, APPLICATION))
    if FIRST_EXAMPLE in examples.example_names():
        window.open_example(FIRST_EXAMPLE)
    window.show()
    autosave = Autosave(window)
    autosave.start()
    autosave.offer_recovery()  # after a crash: the unsaved graph it left behind
    app.aboutToQuit.connect(autosave.finish)
    # Qt crashes at interpreter exit while the clipboard still owns a QMimeData made from Python
    # (seen after Copy with PySide6 6.11): let go of it while Qt is still intact.
    app.aboutToQuit.connect(lambda: app.clipboard().clear())
    return app.exec()
