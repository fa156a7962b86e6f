"""Presentation mode for a lecture hall: the whole screen for the canvas, the narration and the playback
bar (no docks, menu bar or status bar), type sized to the screen, and the window as it was on leaving."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt

if TYPE_CHECKING:
    from graphapp.ui.main_window import MainWindow

# The canvas's smallest text is at least this share of the screen's height: 24 px on a 1080-line projector.
TEXT_PER_SCREEN_HEIGHT = 1 / 45
SLIDER_MIN_WIDTH = 320  # the playhead slider stays a bar to aim at, not a handle squeezed by big buttons


class Presenter:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.active = False
        self._saved: tuple[Qt.WindowState, QByteArray, bool, bool] | None = None

    def enter(self, full_screen: bool = True) -> None:
        """Hide everything but the canvas, narration and playback; `full_screen` False keeps the window's
        size (headless rendering at a chosen size)."""
        w = self.window
        if self.active:
            return
        self.active = True
        self._saved = (w.windowState(), w.saveState(), w.menuBar().isVisible(), w.statusBar().isVisible())
        for dock in w.docks.values():
            dock.hide()
        w.menuBar().hide()  # the window keeps the actions, so every shortcut still works
        w.statusBar().hide()
        w.view.presentation_ratio = TEXT_PER_SCREEN_HEIGHT
        self._scroll_bars(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the camera moves the view; bars only distract
        self._size_bar(w.style_.theme.scale)
        if full_screen:
            w.showFullScreen()

    def leave(self) -> None:
        w = self.window
        if not self.active:
            return
        self.active = False
        state, docks, menu, status = self._saved or (Qt.WindowState.WindowNoState, QByteArray(), True, True)
        w.view.presentation_ratio = None
        self._scroll_bars(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._size_bar(w.style_.theme.scale)
        w.menuBar().setVisible(menu)
        w.statusBar().setVisible(status)
        w.setWindowState(state)
        if w.isVisible():
            w.show()
        if not docks.isEmpty():
            w.restoreState(docks)  # the docks where they were, as they were (shown or hidden)

    def _size_bar(self, scale: float) -> None:
        bar = self.window.bar
        bar.set_scale(scale)
        bar.slider.setMinimumWidth(int(SLIDER_MIN_WIDTH * scale) if self.active else 0)

    def _scroll_bars(self, policy: Qt.ScrollBarPolicy) -> None:
        self.window.view.setHorizontalScrollBarPolicy(policy)
        self.window.view.setVerticalScrollBarPolicy(policy)
