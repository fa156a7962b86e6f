"""The line under the canvas that says the current step in words and in the formula."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from graphapp.core.playback import Frame
from graphapp.ui.fonts import register_fonts
from graphapp.ui.i18n import language
from graphapp.ui.theme import Theme


class NarrationBar(QWidget):
    """Main line in the current language; the other language underneath, smaller (bilingual classes)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("narration")
        self.setAutoFillBackground(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 6, 14, 6)
        lay.setSpacing(2)
        self.main = QLabel()
        self.other = QLabel()
        for label in (self.main, self.other):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lay.addWidget(label)
        self.frame: Frame | None = None
        self.ready = ("", "")

    def set_theme(self, theme: Theme) -> None:
        family = register_fonts()
        s = theme.scale
        self.setStyleSheet(f"#narration {{ background: {theme.narration_bg}; }}")
        # A fixed height: a narration that wraps to another line must not resize the canvas (a full
        # repaint on every step).
        self.main.setFixedHeight(int(2 * 1.3 * 17 * s) + 2)
        self.other.setFixedHeight(int(2 * 1.3 * 14 * s) + 2)
        self.main.setStyleSheet(f"color: {theme.ink}; font-family: '{family}'; font-size: {int(17 * s)}px;")
        self.other.setStyleSheet(f"color: {theme.dim}; font-family: '{family}'; font-size: {int(14 * s)}px;")

    def set_frame(self, frame: Frame | None, ready: tuple[str, str] = ("", "")) -> None:
        """`ready` (en, ko) is shown when there is no trace: an error or the example's description."""
        self.frame, self.ready = frame, ready
        self.refresh()

    def refresh(self) -> None:
        en, ko = (self.frame.narration_en, self.frame.narration_ko) if self.frame else self.ready
        first, second = (ko, en) if language() == "ko" else (en, ko)
        self.main.setText(first)
        self.other.setText(second)
        self.other.setText(second if second != first else "")
