"""Offscreen rendering of the window or the canvas at a playhead position (the CLI's `render`)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication

from graphapp.core.errors import RenderError, StudioError
from graphapp.core.graph import Graph
from graphapp.core.playback import play_trace
from graphapp.core.safeio import write_atomic
from graphapp.ui.app import quiet_qt_messages

if TYPE_CHECKING:
    from graphapp.ui.canvas.view import GraphView

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
    with quiet_qt_messages(), Offscreen(graph, lang, size, canvas_only, theme, presentation) as shot:
        shot.go_to(step, phase)
        shot.frame_graph()
        write_atomic(out, png_bytes(shot.grab()))
    return Path(out)


class Offscreen:
    """One window (or its canvas alone) of a fixed size, never shown on a screen, with `graph` open:
    pictures at any playhead position. An animation takes all its frames from one of these.

    Building the window sets the app's language, palette and font (MainWindow does); a caller inside
    the running app restores its own window's afterwards."""

    def __init__(self, graph: Graph, lang: str = "en", size: tuple[int, int] = (1600, 1000),
                 canvas_only: bool = False, theme: str = "light", presentation: bool = False) -> None:
        self.app = ensure_app()
        from graphapp.ui.canvas.view import GraphView  # noqa: PLC0415
        from graphapp.ui.main_window import MainWindow  # noqa: PLC0415

        self.size = size
        self.window = window = MainWindow(settings=None, lang=lang, theme=theme)
        window.view.camera.animate = False  # a picture: the view stands where it is going
        window.set_graph(graph)
        self.canvas: GraphView | None = None
        if canvas_only:
            self.canvas = GraphView(window.scene)
            self.canvas.setFrameShape(GraphView.Shape.NoFrame)
            self.canvas.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.canvas.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.canvas.camera.animate = False
            window.playback.frame_changed.connect(lambda _f: self.canvas.follow_playhead())
        elif size[0] < 1200:  # too narrow for the docks: show the canvas, narration and playback bar
            for dock in window.docks.values():
                dock.hide()
        self.target = self.canvas or window
        self.target.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)  # drawn for grab() only
        self.target.resize(*size)
        self.target.show()
        self.app.processEvents()
        if presentation:
            window.set_presentation(True, full_screen=False)  # the picture's size stands for the screen's
            if self.canvas is not None:
                self.canvas.presentation_ratio = window.view.presentation_ratio
            for _ in range(2):  # the bar's larger buttons ask for a new layout only once the first has run
                self.app.processEvents()

    def go_to(self, step: int | None, phase: str | None = None) -> None:
        """The playhead at `step`, or at the end of `phase` (default: the last step); the camera follows."""
        if step is not None:
            self.window.playback.go_to(step)
        else:
            self.window.playback.go_to_phase(phase or "done")
        self.app.processEvents()

    @property
    def view(self) -> GraphView:
        """The canvas the pictures show (the window's, or the lone one)."""
        return self.canvas or self.window.view

    def frame_graph(self) -> None:
        """The camera's own framing, as on screen: the whole graph when it fits readably."""
        self.view.frame_graph()
        self.app.processEvents()

    def grab(self) -> QImage:
        """The picture now, exactly `size` pixels."""
        width, height = self.size
        image = self.target.grab().toImage()
        if (image.width(), image.height()) != (width, height):  # the window's minimum size won
            image = image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        return image

    def close(self) -> None:
        if self.canvas is not None:
            self.canvas.close()
        self.window.undo_stack.setClean()
        self.window.close()
        self.window.deleteLater()

    def __enter__(self) -> "Offscreen":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
