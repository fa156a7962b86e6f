"""The convolution's sliding window as the lecture draws it: the image (its zero padding greyed), the
window on it, the filter, and the output map filling cell by cell, with the sum of products underneath.

A callout beside the conv2d node, shown while the playhead is on one of its window sub-steps
(graphapp.core.conv_window). It paints the Window it is given; every number comes from the trace.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from graphapp.core.conv_window import Window
from graphapp.core.numbers import fmt_number
from graphapp.ui.canvas.style import Style, text_size

TITLES = {"en": ("input", "filter", "output"), "ko": ("입력", "필터", "출력")}
PAD = 10.0  # around the panel's contents (times the theme's scale, as every size below)
GAP = 14.0  # between the three grids and the signs between them
SHIFTS = (0.0, 0.35, -0.35, 0.6, -0.6)  # sideways from centred under the node, in panel widths


class ConvWindowItem(QGraphicsItem):
    def __init__(self, style: Style) -> None:
        super().__init__()
        self.style = style
        self.window: Window | None = None
        self._rect = QRectF()
        self.setZValue(8)  # a callout above the graph's labels
        self.setVisible(False)

    def set_window(self, window: Window | None, style: Style) -> None:
        self.prepareGeometryChange()
        self.window, self.style = window, style
        self.setVisible(window is not None)
        if window is not None:
            self._layout()
        self.update()

    # ---- geometry ---------------------------------------------------------------------------------
    def _cells(self) -> tuple[float, float]:
        """One cell's width and height: room for the widest number any of the three grids shows."""
        w = self.window
        numbers = [*w.image.flat, *w.kernel.flat, *w.output.flat]
        width = max(text_size(self.style.matrix, fmt_number(v))[0] for v in numbers)
        height = text_size(self.style.matrix, "0")[1]
        s = self.style.theme.scale
        return width + 12 * s, height + 8 * s

    def _layout(self) -> None:
        w, st = self.window, self.style
        pad, gap = PAD * st.theme.scale, GAP * st.theme.scale
        self._cw, self._ch = self._cells()
        title_h = text_size(st.small, "Ag")[1] + 4
        sign_w = text_size(st.name, "=")[0] + 2 * gap
        x = pad
        self._grids: list[QRectF] = []
        for grid in (w.image, w.kernel, w.output):
            rows, cols = grid.shape
            self._grids.append(QRectF(x, pad + title_h, cols * self._cw, rows * self._ch))
            x += cols * self._cw + sign_w
        x -= sign_w
        grids_bottom = max(g.bottom() for g in self._grids)
        sw, sh = text_size(st.label, w.sum_text())
        self._sum = QRectF(pad, grids_bottom + pad, max(x - pad, sw), sh)
        self._rect = QRectF(0, 0, max(x, pad + sw) + pad, self._sum.bottom() + pad)
        self._title_h, self._pad, self._gap = title_h, pad, gap

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect if self.window is not None else QRectF()

    # ---- painting ---------------------------------------------------------------------------------
    def paint(self, painter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:  # noqa: ANN001
        w, st, th = self.window, self.style, self.style.theme
        if w is None:
            return
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(th.current), 1.5))
        painter.setBrush(QBrush(QColor(th.label_bg)))
        painter.drawRoundedRect(self._rect, 8, 8)
        image, kernel, output = self._grids
        kh, kw = w.kernel.shape
        t, b, left, r = w.padding
        rows, cols = w.image.shape
        pad_cells = {(i, j) for i in range(rows) for j in range(cols)
                     if i < t or i >= rows - b or j < left or j >= cols - r}
        inside = {(w.top + i, w.left + j) for i in range(kh) for j in range(kw)}
        self._grid(painter, image, w.image, inside, dim=pad_cells)
        self._outline(painter, QRectF(image.left() + w.left * self._cw, image.top() + w.top * self._ch,
                                      kw * self._cw, kh * self._ch))
        self._grid(painter, kernel, w.kernel, {(i, j) for i in range(kh) for j in range(kw)})
        self._outline(painter, kernel)
        done = w.row * w.output.shape[1] + w.col
        shown = {(i, j) for i in range(w.output.shape[0]) for j in range(w.output.shape[1])
                 if i * w.output.shape[1] + j <= done}
        self._grid(painter, output, w.output, {(w.row, w.col)}, shown=shown)
        painter.setPen(QColor(th.ink))
        painter.setFont(st.name)
        for i, sign in enumerate(("∗", "=")):
            a, c = self._grids[i], self._grids[i + 1]
            painter.drawText(QRectF(a.right(), a.top(), c.left() - a.right(), max(a.height(), c.height())),
                             int(Qt.AlignmentFlag.AlignCenter), sign)
        painter.setFont(st.small)
        painter.setPen(QColor(th.dim))
        for grid, title in zip(self._grids, TITLES.get(st.lang, TITLES["en"])):
            painter.drawText(QRectF(grid.left() - self._gap, self._pad, grid.width() + 2 * self._gap, self._title_h),
                             int(Qt.AlignmentFlag.AlignCenter), title)
        painter.setFont(st.label)
        painter.setPen(QColor(th.ink))
        painter.drawText(self._sum, int(Qt.AlignmentFlag.AlignCenter), w.sum_text())

    def _grid(self, painter, rect: QRectF, values, hot: set[tuple[int, int]],  # noqa: ANN001
              dim: set[tuple[int, int]] = frozenset(), shown: set[tuple[int, int]] | None = None) -> None:
        """A grid of cells: `hot` ones tinted with the playhead's colour, `dim` ones (zero padding) grey,
        only the `shown` ones written (the output fills as the window moves)."""
        th = self.style.theme
        tint = QColor(th.current)
        tint.setAlpha(55)
        painter.setFont(self.style.matrix)
        rows, cols = values.shape
        for i in range(rows):
            for j in range(cols):
                cell = QRectF(rect.left() + j * self._cw, rect.top() + i * self._ch, self._cw, self._ch)
                painter.setPen(QPen(QColor(th.edge), 0.8))
                painter.setBrush(QBrush(QColor(th.background)))
                painter.drawRect(cell)
                if (i, j) in dim:  # zero padding: hatched, as the lecture's added border
                    painter.setBrush(QBrush(QColor(th.edge), Qt.BrushStyle.BDiagPattern))
                    painter.drawRect(cell)
                if (i, j) in hot:
                    painter.setBrush(QBrush(tint))
                    painter.drawRect(cell)
                if shown is None or (i, j) in shown:
                    painter.setPen(QColor(th.dim if (i, j) in dim else th.ink))
                    painter.drawText(cell, int(Qt.AlignmentFlag.AlignCenter), fmt_number(values[i, j]))

    def _outline(self, painter, rect: QRectF) -> None:  # noqa: ANN001
        painter.setPen(QPen(QColor(self.style.theme.current), self.style.current_width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)

    def place_near(self, anchor: QRectF, taken: list[QRectF]) -> None:
        """Below the conv node (under its name) or above it, centred or slid sideways: the first spot that
        covers the least of the graph (`taken`: what its nodes and labels occupy)."""
        w, h = self._rect.width(), self._rect.height()
        spots = [QPointF(anchor.center().x() - w / 2 + shift * w, y)
                 for shift in SHIFTS for y in (anchor.bottom() + 12, anchor.top() - 12 - h)]

        def cost(p: QPointF) -> float:
            r = QRectF(p.x(), p.y(), w, h)
            return sum((r & t).width() * (r & t).height() for t in taken if r.intersects(t))

        self.setPos(min(spots, key=cost))
