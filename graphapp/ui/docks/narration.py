"""The line under the canvas that says the current step in words and in the formula."""
from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from graphapp.core.playback import Frame
from graphapp.ui.fonts import register_fonts
from graphapp.ui.i18n import language
from graphapp.ui.theme import Theme


class FittedLabel(QLabel):
    """A word-wrapped label at least two lines tall that grows to show a longer text whole (a matrix
    narration wraps onto more lines; it is never cut). It does not shrink back while a graph is stepped
    through, so the canvas above it is not resized back and forth; reset() lets it shrink."""

    def __init__(self) -> None:
        super().__init__()
        self._full = ""
        self._least = 0  # the height of two lines in the current font
        self._grown = 0  # the tallest text since the last reset
        self.setWordWrap(True)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._refit()

    def set_line_height(self, least: int) -> None:
        self._least = least
        self._refit()

    def reset(self) -> None:
        self._grown = 0
        self._refit()

    def _refit(self) -> None:
        self.ensurePolished()
        self.setText(self._full)
        width = self.contentsRect().width() - 2
        if width <= 0:
            return
        flags = int(Qt.TextFlag.TextWordWrap)
        needed = QFontMetricsF(self.font()).boundingRect(QRectF(0, 0, width, 1e6), flags, self._full).height()
        self._grown = max(self._grown, math.ceil(needed) + 2 if self._full else 0)
        height = max(self._least, self._grown)
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._refit()


class NarrationBar(QWidget):
    """Main line in the current language; the other language underneath, smaller (bilingual classes)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("narration")
        self.setAutoFillBackground(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 6, 14, 6)
        lay.setSpacing(2)
        self.main = FittedLabel()
        self.other = FittedLabel()
        for label in (self.main, self.other):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lay.addWidget(label)
        self.frame: Frame | None = None
        self.ready = ("", "")

    def set_theme(self, theme: Theme) -> None:
        family = register_fonts()
        s = theme.scale
        self.setStyleSheet(f"#narration {{ background: {theme.narration_bg}; }}")
        # Room for two lines at least: a narration that wraps to a second line must not resize the canvas
        # (a full repaint on every step); a longer one grows the bar once (see FittedLabel).
        self.main.set_line_height(int(2 * 1.3 * 17 * s) + 2)
        self.other.set_line_height(int(2 * 1.3 * 14 * s) + 2)
        self.main.setStyleSheet(f"color: {theme.ink}; font-family: '{family}'; font-size: {int(17 * s)}px;")
        self.other.setStyleSheet(f"color: {theme.dim}; font-family: '{family}'; font-size: {int(14 * s)}px;")
        self.refresh() if hasattr(self, "frame") else None

    def set_frame(self, frame: Frame | None, ready: tuple[str, str] = ("", "")) -> None:
        """`ready` (en, ko) is shown when there is no trace: an error or the example's description."""
        if frame is None or self.frame is None or frame.total != self.frame.total:
            for label in (self.main, self.other):
                label.reset()  # another graph or run: the bar may shrink back to two lines
        self.frame, self.ready = frame, ready
        self.refresh()

    def refresh(self) -> None:
        en, ko = (self.frame.narration_en, self.frame.narration_ko) if self.frame else self.ready
        first, second = (ko, en) if language() == "ko" else (en, ko)
        self.main.set_full_text(first)
        self.other.set_full_text(second if second != first else "")
