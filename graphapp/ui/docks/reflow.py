"""Layouts that fit a narrow dock (a 1280-pixel screen): fields that reflow from two columns to one, combo
and spin boxes that may be narrower than their longest text, and a scroll area for a short dock."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QFrame, QGridLayout, QLabel, QScrollArea, QWidget

FIELD_LEAST = 160  # a field narrower than this (two columns) reads worse than one column of wide fields


def narrow(widget: QWidget, chars: int = 10) -> QWidget:
    """Let a combo box or spin box shrink below its longest item or widest value (the popup and the
    tooltip still show them whole): its size hint otherwise sets the whole dock's minimum width."""
    if isinstance(widget, QComboBox):
        widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        widget.setMinimumContentsLength(chars)
    elif isinstance(widget, QAbstractSpinBox):
        widget.setMinimumWidth(widget.fontMetrics().horizontalAdvance("0" * chars) + 30)
    return widget


def least_width(widget: QWidget) -> int:
    """The width a widget needs in a cell: a label or check box all of its text, a field its minimum
    (an explicit minimum width first, as Qt's layouts take it) and at least FIELD_LEAST."""
    if isinstance(widget, (QLabel, QCheckBox)):
        return widget.sizeHint().width()
    least = widget.minimumWidth() or widget.minimumSizeHint().width()
    return max(least, FIELD_LEAST) if not isinstance(widget, ReflowGrid) else least


class ReflowGrid(QWidget):
    """Cells (a label and its field, or a single check box) in as many columns as the width holds, `most`
    at the widest and one at the narrowest: a narrow dock stacks its fields instead of cutting them off."""

    def __init__(self, most: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.most = most
        self.cells: list[tuple[QWidget, ...]] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.columns = most
        self.placed: list[tuple[QWidget, ...]] = []

    def add(self, *widgets: QWidget) -> None:
        self.cells.append(widgets)
        self._place()

    def shown(self) -> list[tuple[QWidget, ...]]:
        # a field hidden on purpose takes no place (one not shown yet only waits for its window)
        return [c for c in self.cells
                if not (c[-1].isHidden() and c[-1].testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide))]

    def needed(self, columns: int) -> int:
        """The least width with `columns` cells a row: the widest part in each grid column, plus spacing."""
        widths: dict[int, int] = {}
        for i, cell in enumerate(self.shown()):
            for j, widget in enumerate(cell):
                col = (i % columns) * len(cell) + j
                widths[col] = max(widths.get(col, 0), least_width(widget))
        return sum(widths.values()) + max(len(widths) - 1, 0) * self.grid.horizontalSpacing()

    def _place(self) -> None:
        for cell in self.cells:
            for widget in cell:
                self.grid.removeWidget(widget)
        for col in range(self.grid.columnCount()):
            self.grid.setColumnStretch(col, 0)
        self.placed = self.shown()
        for i, cell in enumerate(self.placed):
            for j, widget in enumerate(cell):
                col = (i % self.columns) * len(cell) + j
                self.grid.addWidget(widget, i // self.columns, col)
                # the fields take the spare width, the labels keep theirs
                self.grid.setColumnStretch(col, 1 if j == len(cell) - 1 else 0)
        self.updateGeometry()

    def reflow(self, width: int | None = None) -> None:
        """Choose the column count for `width` (default: the present one); a shown or hidden cell re-places."""
        width = self.width() if width is None else width
        fits = next((c for c in range(self.most, 0, -1) if self.needed(c) <= width), 1)
        if fits != self.columns or self.placed != self.shown():
            self.columns = fits
            self._place()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self.reflow(event.size().width())
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a text changed (the language) or a field was hidden
            self.reflow()
        return super().event(event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.needed(1), super().minimumSizeHint().height())


class TallScroll(QScrollArea):
    """Scrolls when the dock is short, and asks for all of its content's height (Qt caps a scroll area's
    hint at 24 lines) so a tall dock shows it unscrolled. `keep_width`: as narrow as the content allows,
    never sideways; else (a form that would set the dock's least width) it may scroll sideways too."""

    def __init__(self, content: QWidget, keep_width: bool = True) -> None:
        super().__init__()
        self.keep_width = keep_width
        self.setWidgetResizable(True)
        self.setWidget(content)
        self.setFrameShape(QFrame.Shape.NoFrame)
        if keep_width:
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        least = super().minimumSizeHint()
        if not self.keep_width:
            return least
        content = self.widget().minimumSizeHint().width()
        return QSize(content + self.verticalScrollBar().sizeHint().width(), least.height())

    def sizeHint(self) -> QSize:  # noqa: N802
        content = self.widget().sizeHint()
        return QSize(content.width() + self.verticalScrollBar().sizeHint().width(), content.height())
