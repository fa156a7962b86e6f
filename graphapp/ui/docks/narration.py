"""The line under the canvas that says the current step in words and in the formula."""
from __future__ import annotations

import math
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from graphapp.core.playback import Frame
from graphapp.ui.fonts import register_fonts
from graphapp.ui.i18n import language
from graphapp.ui.theme import Theme


ROOM_SHARE = 0.5  # the narration bar takes at most this share of the canvas column's height
ELLIPSIS = " …"


class FittedLabel(QLabel):
    """A word-wrapped label at least two lines tall that grows to show a longer text whole (a matrix
    narration wraps onto more lines). It does not shrink back while a graph is stepped through, so the
    canvas above it is not resized back and forth; reset() lets it shrink. Past its cap (the room the
    window can give) the text is cut at a space, never inside a number, ends in " …", and the whole
    text is the tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self._full = ""
        self._least = 0  # the height of two lines in the current font
        self._grown = 0  # the tallest text since the last reset
        self._cap: int | None = None  # the most height it may take; None: no limit
        self.on_rewrap: Callable[[], None] | None = None  # told when a new width wrapped the text anew
        self.on_height: Callable[[], None] | None = None  # told when its height changed (a font, a text)
        self.setWordWrap(True)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._refit()

    def set_line_height(self, least: int) -> None:
        self._least = least
        self._refit()

    def least(self) -> int:
        return self._least

    def set_cap(self, cap: int | None) -> None:
        if cap != self._cap:
            self._cap = cap
            self._refit()

    def reset(self, refit: bool = True) -> None:
        """Forget the tallest text; `refit` False when a new text follows at once (it sets the height)."""
        self._grown = 0
        if refit:
            self._refit()

    def wanted(self) -> int:
        """The height that shows the whole text at the current width (at least two lines)."""
        return max(self._least, self._needed(self._full))

    def _needed(self, text: str) -> int:
        self.ensurePolished()
        width = self.contentsRect().width() - 2
        if not text or width <= 0:
            return 0
        flags = int(Qt.TextFlag.TextWordWrap)
        return math.ceil(QFontMetricsF(self.font()).boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()) + 2

    def _elided(self, cap: int) -> str:
        """The longest run of whole words, then " …", that fits in `cap` pixels."""
        words = self._full.split(" ")
        lo, hi = 0, len(words) - 1  # words[:lo] fits (an empty start always does)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._needed(" ".join(words[:mid]) + ELLIPSIS) <= cap:
                lo = mid
            else:
                hi = mid - 1
        return " ".join(words[:lo]) + ELLIPSIS

    def _refit(self) -> None:
        needed = self._needed(self._full)
        cap = None if self._cap is None else max(self._cap, self._least)
        cut = cap is not None and needed > cap and self.contentsRect().width() > 2
        self.setText(self._elided(cap) if cut else self._full)
        self.setToolTip(self._full if cut else "")
        if self.contentsRect().width() - 2 <= 0:
            return
        self._grown = max(self._grown, needed)
        height = max(self._least, self._grown if cap is None else min(self._grown, cap))
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)
            if self.on_height is not None:
                self.on_height()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._refit()
        if event.oldSize().width() != event.size().width() and self.on_rewrap is not None:
            self.on_rewrap()


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
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.on_rewrap = self._rewrapped
            label.on_height = self._hold  # the bar is never shorter than its lines
            lay.addWidget(label)
        lay.addStretch(1)  # the height kept from a longer text stays below both lines, not between them
        self.frame: Frame | None = None
        self.ready = ("", "")
        self._tallest = 0  # the bar's height for the longest text since reset(): stepping never shrinks it
        self._room_of: QWidget | None = None  # the widget whose height bounds the bar (the canvas column)

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
        if frame is not None and self.frame is not None and frame.total != self.frame.total:
            self.reset()  # another run: the bar may shrink to its text
        self.frame, self.ready = frame, ready
        self.refresh()

    def reset(self) -> None:
        """Let the bar shrink to the text now shown (another graph or run). Between step 0 (the lesson)
        and the steps it does not, so the canvas is not resized while a lecture steps through."""
        self._tallest = 0
        self.refresh()

    def refresh(self) -> None:
        en, ko = (self.frame.narration_en, self.frame.narration_ko) if self.frame else self.ready
        first, second = (ko, en) if language() == "ko" else (en, ko)
        for label, text in ((self.main, first), (self.other, second if second != first else "")):
            label.reset(refit=False)  # each line as tall as its text: the bar keeps the spare height
            label.set_full_text(text)
        self._share()
        self._hold()
        self.layout().activate()  # the lines placed for their new heights now, not one paint later
        if self.parentWidget() is not None and self.parentWidget().layout() is not None:
            self.parentWidget().layout().activate()

    def _share(self) -> None:
        """Both lines whole when they fit in the room; otherwise the second language gets about a third
        and the main line the rest (each at least two lines), so the canvas keeps most of the column."""
        parent = self.parentWidget()
        if parent is None:
            return
        margins = self.layout().contentsMargins()
        room = int(parent.height() * ROOM_SHARE) - margins.top() - margins.bottom() - self.layout().spacing()
        main_want, other_want = self.main.wanted(), self.other.wanted()
        if main_want + other_want <= room:
            self.main.set_cap(None)
            self.other.set_cap(None)
            return
        other_cap = max(self.other.least(), min(other_want, room // 3))
        main_cap = max(self.main.least(), room - other_cap)
        other_cap = max(self.other.least(), room - min(main_want, main_cap))  # what the main line leaves
        self.main.set_cap(main_cap)
        self.other.set_cap(other_cap)

    def _hold(self) -> None:
        """The bar at the tallest of its texts so far, never more than the room (see _share)."""
        lay = self.layout()
        margins = lay.contentsMargins()
        need = margins.top() + self.main.height() + lay.spacing() + self.other.height() + margins.bottom()
        parent = self.parentWidget()
        room = int(parent.height() * ROOM_SHARE) if parent is not None else need
        self._tallest = min(max(self._tallest, need), max(room, need))
        if self.height() != self._tallest or self.minimumHeight() != self._tallest:
            self.setFixedHeight(self._tallest)
        if (self.main.y(), self.other.y()) != (margins.top(), margins.top() + self.main.height() + lay.spacing()):
            lay.invalidate()  # a line changed height inside a bar that did not: place the lines again now
            lay.activate()

    def event(self, event: QEvent) -> bool:  # the bar is laid into the canvas column after it is made
        if event.type() == QEvent.Type.ParentChange:
            if self._room_of is not None:
                self._room_of.removeEventFilter(self)
            self._room_of = self.parentWidget()
            if self._room_of is not None:
                self._room_of.installEventFilter(self)
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._room_of and event.type() == QEvent.Type.Resize:
            self._share()
            self._hold()
        return False

    def _rewrapped(self) -> None:
        """A label got a new width (the window, a dock): heights measured at the old one no longer hold."""
        self._tallest = 0
        for label in (self.main, self.other):
            label.reset()
        self._share()
        self._hold()
