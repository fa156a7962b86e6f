"""Offscreen rendering of the window or the canvas at a playhead position (the CLI's `render`)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from graphapp.core.graph import Graph


def ensure_app() -> QApplication:
    """A QApplication (offscreen unless a platform is already chosen), with the bundled fonts."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(["backprop-studio"])
    from graphapp.ui.fonts import apply_app_font  # noqa: PLC0415

    apply_app_font(app)
    return app


def render_png(graph: Graph, out: str | os.PathLike[str], step: int | None = None, phase: str | None = None,
               lang: str = "en", size: tuple[int, int] = (1600, 1000), canvas_only: bool = False,
               theme: str = "light") -> Path:
    app = ensure_app()
    from graphapp.ui.canvas.view import GraphView  # noqa: PLC0415
    from graphapp.ui.main_window import MainWindow  # noqa: PLC0415

    window = MainWindow(settings=None, lang=lang, theme=theme)
    window.set_graph(graph)
    if step is not None:
        window.playback.go_to(step)
    else:
        window.playback.go_to_phase(phase or "done")
    width, height = size
    if canvas_only:
        target = GraphView(window.scene)
        target.setFrameShape(GraphView.Shape.NoFrame)
        target.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        target.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    else:
        target = window
        if width < 1200:  # too narrow for the docks: show the canvas, narration and playback bar
            for dock in window.docks.values():
                dock.hide()
    target.resize(width, height)
    target.show()
    app.processEvents()
    (target if canvas_only else window.view).fit()
    app.processEvents()
    out = Path(out)
    image = target.grab()
    if (image.width(), image.height()) != (width, height):  # the window's minimum size won
        image = image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    if not image.save(str(out)):
        raise OSError(f"could not write {out}")
    target.close() if canvas_only else None
    window.undo_stack.setClean()
    window.close()
    window.deleteLater()
    return out
