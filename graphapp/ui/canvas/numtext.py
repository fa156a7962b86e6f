"""Numbers as the canvas draws them: a line of text, or a matrix with aligned columns between tall
brackets (the way a blackboard writes one), instead of ragged "[a, b]" rows.

The text stays the model of what is shown ("[5, −7]\n[5, −7]", as `canvas_text` writes it); only the
drawing reads it as a matrix, so tests and the rest of the app keep comparing plain strings.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPen

from graphapp.ui.canvas.style import text_size


@dataclass(frozen=True)
class Block:
    width: float
    height: float
    rows: tuple[tuple[str, ...] | None, ...] | None  # matrix cells (None: a "⋮" row); None: plain text
    col_widths: tuple[float, ...] = ()
    line_h: float = 0.0
    bracket: float = 0.0  # width of one bracket with its inner padding
    gap: float = 0.0  # between columns


def parse_matrix(text: str) -> list[tuple[str, ...] | None] | None:
    """Rows of cells when `text` is a matrix of two or more rows written one "[a, b]" row per line."""
    lines = text.split("\n")
    if len(lines) < 2:
        return None
    rows: list[tuple[str, ...] | None] = []
    for line in lines:
        if line == "⋮":
            rows.append(None)
            continue
        if not (line.startswith("[") and line.endswith("]")) or "[" in line[1:-1]:
            return None
        rows.append(tuple(line[1:-1].split(", ")))
    widths = {len(r) for r in rows if r is not None}
    return rows if len(widths) == 1 else None


def _font(family: str, pixel: int, bold: bool) -> QFont:
    font = QFont(family)
    font.setPixelSize(pixel)
    font.setBold(bold)
    return font


@lru_cache(maxsize=20000)
def _block(family: str, pixel: int, bold: bool, text: str) -> Block:
    rows = parse_matrix(text)
    if rows is None:
        w, h = text_size(_font(family, pixel, bold), text)
        return Block(w, h, None)
    fm = QFontMetricsF(_font(family, pixel, bold))
    n = max(len(r) for r in rows if r is not None)
    cols = [0.0] * n
    for r in rows:
        if r is not None:
            for i, cell in enumerate(r):
                cols[i] = max(cols[i], fm.horizontalAdvance(cell))
    line_h = fm.height()
    bracket = max(4.0, pixel * 0.45)
    gap = pixel * 0.6
    width = 2 * bracket + sum(cols) + gap * (n - 1)
    return Block(width, line_h * len(rows), tuple(rows), tuple(cols), line_h, bracket, gap)


def block(font: QFont, text: str) -> Block:
    return _block(font.family(), font.pixelSize(), font.bold(), text)


def block_size(font: QFont, text: str) -> tuple[float, float]:
    """Width and height of `text` as the canvas draws it (a matrix is narrower than its "[a, b]" rows)."""
    b = block(font, text)
    return b.width, b.height


def draw_block(painter, rect: QRectF, font: QFont, text: str) -> None:  # noqa: ANN001
    """Draw `text` centred in `rect` with the painter's current pen colour."""
    painter.setFont(font)
    b = block(font, text)
    if b.rows is None:
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        return
    left = rect.center().x() - b.width / 2
    top = rect.center().y() - b.height / 2
    right = left + b.width
    bottom = top + b.height
    inner_left = left + b.bracket
    y = top
    centre = int(Qt.AlignmentFlag.AlignCenter)
    for row in b.rows:
        if row is None:
            painter.drawText(QRectF(inner_left, y, b.width - 2 * b.bracket, b.line_h), centre, "⋮")
        else:
            x = inner_left
            for cell, cw in zip(row, b.col_widths):
                painter.drawText(QRectF(x, y, cw, b.line_h),
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), cell)
                x += cw + b.gap
        y += b.line_h
    pen = QPen(painter.pen().color(), max(1.0, font.pixelSize() / 11.0))
    painter.save()
    painter.setPen(pen)
    serif = b.bracket * 0.55
    t, bt = top + 2, bottom - 2
    for x, d in ((left + 1.5, 1), (right - 1.5, -1)):
        painter.drawLine(QPointF(x, t), QPointF(x, bt))
        painter.drawLine(QPointF(x, t), QPointF(x + d * serif, t))
        painter.drawLine(QPointF(x, bt), QPointF(x + d * serif, bt))
    painter.restore()
