"""Offscreen rendering of the window or the canvas at a playhead position (the CLI's `render`)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication

from graphapp.core.errors import RenderError, StudioError
from graphapp.core.graph import Graph
from graphapp.core.playback import play_trace
from graphapp.core.safeio import write_atomic
from graphapp.ui.app import quiet_qt_messages

# Each side of a picture, in pixels. 16384² is 1 GiB of pixels: large slides fit, a typo does not eat the memory.
MIN_SIDE, MAX_SIDE = 16, 16384


def ensure_app() -> QApplication:
    """A QApplication (offscreen unless a platform is already chosen), with the bundled fonts."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(["backprop-studio"])
    from graphapp.ui.fonts import apply_app_font  # noqa: PLC0415

    apply_app_font(app)
    return app


def check_size(width: int, height: int, where: str | None = None) -> None:
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise RenderError(f"{where or f'size {width}x{height}'}: each side must be {MIN_SIDE}..{MAX_SIDE} pixels")


def check_step(graph: Graph, step: int, where: str = "step") -> None:
    """A playhead position must exist: 0 (before the run) up to the last step of the graph's trace."""
    try:
        last = play_trace(graph).phase_end("done")
    except StudioError:  # a graph that cannot run is shown at step 0 with its error
        last = 0
    if not 0 <= step <= last:
        raise RenderError(f"{where} {step}: out of range; this graph's steps are 0..{last}")


def png_bytes(image: QImage | QPixmap) -> bytes:
    """The image encoded as PNG in memory, so the file is written in one atomic step."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RenderError(f"a {image.width()}x{image.height()} picture could not be encoded as PNG")
    buffer.close()
    return data.data()


def render_png(graph: Graph, out: str | os.PathLike[str], step: int | None = None, phase: str | None = None,
               lang: str = "en", size: tuple[int, int] = (1600, 1000), canvas_only: bool = False,
               theme: str = "light", presentation: bool = False) -> Path:
    """Write the picture atomically to `out`; a bad size or step is a RenderError before any window exists.
    `presentation`: the window in presentation mode at `size` (as full screen on a screen of that size)."""
    check_size(*size)
    if step is not None:
        check_step(graph, step)
    with quiet_qt_messages():  # the offscreen platform's chatter is no news to a command-line user
        return _render(graph, Path(out), step, phase, lang, size, canvas_only, theme, presentation)


def _render(graph: Graph, out: Path, step: int | None, phase: str | None, lang: str, size: tuple[int, int],
            canvas_only: bool, theme: str, presentation: bool) -> Path:
    app = ensure_app()
    from graphapp.ui.canvas.view import GraphView  # noqa: PLC0415
    from graphapp.ui.main_window import MainWindow  # noqa: PLC0415

    window = MainWindow(settings=None, lang=lang, theme=theme)
    window.view.camera.animate = False  # one picture: the view stands where it is going
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
        target.camera.animate = False
    else:
        target = window
        if width < 1200:  # too narrow for the docks: show the canvas, narration and playback bar
            for dock in window.docks.values():
                dock.hide()
    target.resize(width, height)
    target.show()
    app.processEvents()
    if presentation:
        window.set_presentation(True, full_screen=False)  # the picture's size stands for the screen's
        if canvas_only:
            target.presentation_ratio = window.view.presentation_ratio
        for _ in range(2):  # the bar's larger buttons ask for a new layout only once the first has run
            app.processEvents()
    (target if canvas_only else window.view).frame_graph()  # the camera's own framing, as on screen
    app.processEvents()
    image = target.grab()
    if (image.width(), image.height()) != (width, height):  # the window's minimum size won
        image = image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    try:
        write_atomic(out, png_bytes(image))
    finally:
        target.close() if canvas_only else None
        window.undo_stack.setClean()
        window.close()
        window.deleteLater()
    return out
