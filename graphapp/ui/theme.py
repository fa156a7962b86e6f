"""Colours and sizes of the canvas and window: light, dark, and the lecture (presentation) scale."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    ink: str  # forward values, symbols
    dim: str  # secondary text, idle edges
    edge: str
    grad: str  # gradients: the lectures' red
    current: str  # ring of the node being processed
    node_fill: str
    node_border: str
    param_border: str
    output_fill: str
    active_fill: str  # nodes already evaluated
    label_bg: str  # behind numbers so curves never run through them
    error: str
    selection: str
    narration_bg: str
    scale: float = 1.0  # 1.5 in presentation mode: larger fonts, thicker edges

    def color(self, attr: str) -> QColor:
        return QColor(getattr(self, attr))

    def px(self, size: float) -> float:
        return size * self.scale


LIGHT = Theme("light", background="#ffffff", ink="#1b2230", dim="#6b7485", edge="#6b7485", grad="#d42a2a",
              current="#2463eb", node_fill="#ffffff", node_border="#9aa3b2", param_border="#b7791f",
              output_fill="#f3f6fb", active_fill="#eef4ff", label_bg="#ffffff", error="#d0021b",
              selection="#f59e0b", narration_bg="#f2f5fa")
DARK = Theme("dark", background="#1c1f26", ink="#e8ebf2", dim="#9aa3b2", edge="#8a93a5", grad="#ff6b6b",
             current="#5b9bff", node_fill="#262b35", node_border="#6b7485", param_border="#e0a040",
             output_fill="#2b3140", active_fill="#22324d", label_bg="#1c1f26", error="#ff4d5e",
             selection="#fbbf24", narration_bg="#232833")
THEMES = {"light": LIGHT, "dark": DARK}
PRESENTATION_SCALE = 1.5


def make_theme(name: str, presentation: bool = False) -> Theme:
    base = THEMES.get(name, LIGHT)
    return Theme(**{**base.__dict__, "scale": PRESENTATION_SCALE if presentation else 1.0})


def window_palette(theme: Theme) -> QPalette:
    """A palette for the widgets around the canvas, so docks follow the theme too."""
    pal = QPalette()
    if theme.name == "dark":
        bg, base, text = QColor("#23262e"), QColor("#1c1f26"), QColor("#e8ebf2")
        for role, color in ((QPalette.ColorRole.Window, bg), (QPalette.ColorRole.Base, base),
                            (QPalette.ColorRole.AlternateBase, bg), (QPalette.ColorRole.Button, bg),
                            (QPalette.ColorRole.Text, text), (QPalette.ColorRole.WindowText, text),
                            (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.ToolTipBase, bg),
                            (QPalette.ColorRole.ToolTipText, text), (QPalette.ColorRole.PlaceholderText,
                                                                     QColor("#8a93a5"))):
            pal.setColor(role, color)
        pal.setColor(QPalette.ColorRole.Highlight, QColor("#2f5fb3"))
        pal.setColor(QPalette.ColorRole.HighlightedText, text)
    return pal
