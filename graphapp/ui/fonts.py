"""The bundled Korean font: a fresh machine has none, and Korean would render as empty boxes."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FALLBACK = "Sans Serif"
_family: str | None = None


def register_fonts() -> str:
    """Register NanumGothic (regular and bold) once; return the family name to use everywhere."""
    global _family  # noqa: PLW0603 - registration is process-wide in Qt as well
    if _family is None:
        families: list[str] = []
        for name in ("NanumGothic.ttf", "NanumGothicBold.ttf"):
            fid = QFontDatabase.addApplicationFont(str(FONT_DIR / name))
            if fid >= 0:
                families += QFontDatabase.applicationFontFamilies(fid)
        _family = families[0] if families else FALLBACK
    return _family


def apply_app_font(app: QApplication, point_size: float = 10.0) -> None:
    font = QFont(register_fonts())
    font.setPointSizeF(point_size)
    app.setFont(font)


def canvas_font(pixel_size: int, bold: bool = False) -> QFont:
    font = QFont(register_fonts())
    font.setPixelSize(max(6, int(pixel_size)))
    font.setBold(bold)
    return font
