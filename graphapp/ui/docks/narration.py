"""The line under the canvas that says the current step in words and in the formula."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from graphapp.core.playback import Frame
from graphapp.ui.fonts import register_fonts
from graphapp.ui.i18n import language
from graphapp.ui.theme import Theme


def fit_text(text: str, fm: QFontMetricsF, width: float, lines: int, height: float | None = None) -> str:
    """`text` if it wraps into `lines` lines of `width` (or into `height`, where the label has room for a
    line grown by a symbol from a fallback font), else its longest start that does, ending in "…"."""
    if not text or width <= 0:
        return text
    flags = int(Qt.TextFlag.TextWordWrap)
    limit = fm.boundingRect(QRectF(0, 0, width, 1e6), flags, "\n".join(["Ag"] * lines)).height() + 0.5
    if height is not None:
        limit = max(limit, min(height, limit * (lines + 0.5) / lines))  # never a whole line more

    def fits(t: str) -> bool:
        return fm.boundingRect(QRectF(0, 0, width, 1e6), flags, t).height() <= limit

    if fits(text):
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with its ellipsis
        mid = (lo + hi + 1) // 2
        if fits(text[:mid].rstrip() + " …"):
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + " …"


class FittedLabel(QLabel):
    """A word-wrapped label of a fixed number of lines: a longer text (a matrix narration) is cut at the
    end with "…" instead of running out of the bar; the whole text is in the tooltip."""

    def __init__(self, lines: int = 2) -> None:
        super().__init__()
        self.lines = lines
        self._full = ""
        self.setWordWrap(True)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._refit()

    def _refit(self) -> None:
        self.ensurePolished()
        room = self.contentsRect()
        shown = fit_text(self._full, QFontMetricsF(self.font()), room.width() - 2, self.lines, room.height())
        self.setText(shown)
        self.setToolTip(self._full if shown != self._full else "")

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
        # A fixed height: a narration that wraps to another line must not resize the canvas (a full
        # repaint on every step).
        self.main.setFixedHeight(int(2 * 1.3 * 17 * s) + 2)
        self.other.setFixedHeight(int(2 * 1.3 * 14 * s) + 2)
        self.main.setStyleSheet(f"color: {theme.ink}; font-family: '{family}'; font-size: {int(17 * s)}px;")
        self.other.setStyleSheet(f"color: {theme.dim}; font-family: '{family}'; font-size: {int(14 * s)}px;")
        self.refresh() if hasattr(self, "frame") else None

    def set_frame(self, frame: Frame | None, ready: tuple[str, str] = ("", "")) -> None:
        """`ready` (en, ko) is shown when there is no trace: an error or the example's description."""
        self.frame, self.ready = frame, ready
        self.refresh()

    def refresh(self) -> None:
        en, ko = (self.frame.narration_en, self.frame.narration_ko) if self.frame else self.ready
        first, second = (ko, en) if language() == "ko" else (en, ko)
        self.main.set_full_text(first)
        self.other.set_full_text(second if second != first else "")
