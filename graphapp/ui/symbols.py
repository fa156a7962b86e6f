"""Drawing an operation's symbol (from the core's OpSpec) so that it reads at any size.

The bundled NanumGothic has its own glyphs for the Latin-1 superscripts ² ³ ¹, but they are tiny (about a
quarter of the em, set near the cap line): at the palette's 13 px "x²" comes out as "x'". So these are drawn
as an ordinary digit, smaller and raised, like the font's own ᵖ in "xᵖ". The lone middle dot of the matrix
product (·) is a 3 px speck at node size, so it is drawn twice as large.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

SUPERSCRIPTS = {"²": "2", "³": "3", "¹": "1"}
SUP_SCALE = 0.62
DOT_SCALE = 2.0


def runs(symbol: str) -> list[tuple[str, bool]]:
    """The symbol as (text, raised) pieces: "x²" -> [("x", False), ("2", True)]."""
    out: list[tuple[str, bool]] = []
    for ch in symbol:
        sup = ch in SUPERSCRIPTS
        text = SUPERSCRIPTS.get(ch, ch)
        if out and out[-1][1] == sup:
            out[-1] = (out[-1][0] + text, sup)
        else:
            out.append((text, sup))
    return out


def _scaled(font: QFont, factor: float) -> QFont:
    f = QFont(font)
    if font.pixelSize() > 0:
        f.setPixelSize(max(6, round(font.pixelSize() * factor)))
    else:
        f.setPointSizeF(max(5.0, font.pointSizeF() * factor))
    return f


def _base_font(font: QFont, symbol: str) -> QFont:
    return _scaled(font, DOT_SCALE) if symbol == "·" else font


@lru_cache(maxsize=2000)
def _width(family: str, pixel: int, point: float, bold: bool, symbol: str) -> float:
    font = QFont(family)
    if pixel > 0:
        font.setPixelSize(pixel)
    else:
        font.setPointSizeF(point)
    font.setBold(bold)
    base = _base_font(font, symbol)
    sup = _scaled(base, SUP_SCALE)
    return sum(QFontMetricsF(sup if raised else base).horizontalAdvance(t) for t, raised in runs(symbol))


def symbol_width(font: QFont, symbol: str) -> float:
    return _width(font.family(), font.pixelSize(), font.pointSizeF(), font.bold(), symbol)


def draw_symbol(painter, rect: QRectF, symbol: str, font: QFont,  # noqa: ANN001
                align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> None:
    """Draw `symbol` in `rect` (centred, or left-aligned with AlignLeft), vertically centred."""
    base = _base_font(font, symbol)
    sup = _scaled(base, SUP_SCALE)
    fm = QFontMetricsF(base)
    width = symbol_width(font, symbol)
    x = rect.left() if align & Qt.AlignmentFlag.AlignLeft else rect.center().x() - width / 2
    baseline = rect.center().y() + (fm.ascent() - fm.descent()) / 2
    if symbol == "·":  # centre the enlarged dot on the text's middle, not on the big font's
        baseline = rect.center().y() + fm.ascent() * 0.33
    raise_by = fm.ascent() * 0.42
    for text, raised in runs(symbol):
        f = sup if raised else base
        painter.setFont(f)
        painter.drawText(QPointF(x, baseline - (raise_by if raised else 0.0)), text)
        x += QFontMetricsF(f).horizontalAdvance(text)
