"""The playback bar's icons, drawn in the text colour of the theme (the style's stock media icons stay dark
on the dark theme): |◀◀ to the start, |◀ one step back, ▶ play, ❚❚ pause, ▶| one step on."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF

# Each shape on a 12×12 grid: ("bar", x) a bar 2 wide at x; ("left"/"right", x) a triangle 5 wide from x.
SHAPES: dict[str, tuple[tuple[str, float], ...]] = {
    "reset": (("bar", 1.0), ("left", 3.0), ("left", 7.0)),
    "step_prev": (("bar", 2.0), ("left", 4.5)),
    "play": (("right", 3.0),),
    "pause": (("bar", 3.0), ("bar", 7.0)),
    "step_next": (("right", 2.5), ("bar", 8.0)),
}
OVERSAMPLE = 2  # drawn at twice the size: sharp on a high-density screen and on a projector


def transport_icon(kind: str, color: QColor, px: int) -> QIcon:
    size = px * OVERSAMPLE
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    unit = size / 12
    wide = 7.0 if kind == "play" else 5.0  # play stands out: the one control clicked most
    for shape, x in SHAPES[kind]:
        if shape == "bar":
            painter.drawRect(QRectF(x * unit, 2 * unit, 2 * unit, 8 * unit))
        else:
            tip, back = (x, x + wide) if shape == "left" else (x + wide, x)
            painter.drawPolygon(QPolygonF([QPointF(tip * unit, 6 * unit), QPointF(back * unit, 1.5 * unit),
                                           QPointF(back * unit, 10.5 * unit)]))
    painter.end()
    return QIcon(pixmap)
