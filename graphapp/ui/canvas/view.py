"""The canvas view: wheel zoom under the cursor, pan with the middle button or space+drag,
rubber-band selection; where it looks while stepping is the Camera's job (camera.py). Space alone (pressed and released without dragging) asks the
window to play or pause, as in presentation software.

Scroll bars: the scene rect runs far past the graph (the camera centres anything without hitting its
limits), so Qt's "as needed" would always show both. Here "as needed" (the default) means: while the
graph runs past the view along that axis; "always off" (presentation mode, rendering) stays off."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView

from graphapp.ui.canvas.camera import Camera
from graphapp.ui.canvas.scene import GraphScene
from graphapp.ui.canvas.style import READABLE_PX

MIN_ZOOM, MAX_ZOOM = 0.02, 4.0  # F fits any graph, however large


class GraphView(QGraphicsView):
    play_toggled = Signal()

    def __init__(self, scene: GraphScene) -> None:
        super().__init__(scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.presentation_ratio: float | None = None  # presentation: smallest text as a share of the screen
        self.camera = Camera(self)
        self._pan_from: QPointF | None = None
        self._space = False
        self._space_used = False
        self._bars_queued = False
        # the policy callers asked for (setXScrollBarPolicy), per axis; what Qt gets is decided in _update_bars
        self._wanted = {Qt.Orientation.Horizontal: Qt.ScrollBarPolicy.ScrollBarAsNeeded,
                        Qt.Orientation.Vertical: Qt.ScrollBarPolicy.ScrollBarAsNeeded}
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.rangeChanged.connect(self._bars_later)  # zoom, resize, a new scene rect
            bar.valueChanged.connect(self._bars_later)  # pan, the camera's moves
        scene.changed.connect(self._bars_later)  # the graph grew, a node was dragged out of view
        self._update_bars()

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        self.camera.free()
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom() * factor))
        f = target / self.zoom()
        self.scale(f, f)

    def readable_px(self) -> float:
        """The smallest text the back row can read: fixed at a desk; a share of the screen's (the full-screen
        window's) height in presentation mode, so a projector's type grows with it."""
        if self.presentation_ratio is None:
            return READABLE_PX
        return max(READABLE_PX, self.window().height() * self.presentation_ratio)

    def readable_zoom(self) -> float:
        """The least zoom at which the canvas's smallest text is readable_px() on screen."""
        scene = self.scene()
        return self.readable_px() / scene.style.smallest_text() if isinstance(scene, GraphScene) else MIN_ZOOM

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def fit(self) -> None:
        """F: the whole graph, whatever zoom that takes (even below the readable size); it stays whole
        while stepping until the lecturer zooms or pans."""
        self.camera.extent = QRectF()  # the graph as it stands now, not as it was before edits
        self.camera.fit_whole("fit")

    def frame_graph(self) -> None:
        """The automatic framing (a graph opened or laid out): the whole graph when it fits at a readable
        size, else the readable zoom following the playhead (see Camera)."""
        self.camera.frame_graph()

    def follow_playhead(self) -> None:
        """After a step: keep in view what the camera's mode promises, moving as little as possible."""
        self.camera.follow()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.isVisible():
            self.camera.refresh()  # docks hidden, full screen, a taller narration: frame again
        self._bars_later()

    def _bars_later(self, *_: object) -> None:
        """Decide the scroll bars once the current change is done (one decision for many signals)."""
        if not self._bars_queued:
            self._bars_queued = True
            QTimer.singleShot(0, self, self._update_bars)  # dropped if the view is gone by then

    def setHorizontalScrollBarPolicy(self, policy: Qt.ScrollBarPolicy) -> None:  # noqa: N802
        self._wanted[Qt.Orientation.Horizontal] = policy
        self._update_bars()

    def setVerticalScrollBarPolicy(self, policy: Qt.ScrollBarPolicy) -> None:  # noqa: N802
        self._wanted[Qt.Orientation.Vertical] = policy
        self._update_bars()

    def _update_bars(self) -> None:
        self._bars_queued = False
        scene = self.scene()
        if scene is None:  # the window is closing
            return
        graph = scene.graph_rect() if isinstance(scene, GraphScene) else scene.itemsBoundingRect()
        view = self.visible_scene_rect()
        past = {Qt.Orientation.Horizontal: graph.left() < view.left() or graph.right() > view.right(),
                Qt.Orientation.Vertical: graph.top() < view.top() or graph.bottom() > view.bottom()}
        setters = {Qt.Orientation.Horizontal: super().setHorizontalScrollBarPolicy,
                   Qt.Orientation.Vertical: super().setVerticalScrollBarPolicy}
        as_needed = Qt.ScrollBarPolicy.ScrollBarAsNeeded
        for axis, wanted in self._wanted.items():
            if wanted == as_needed and not (past[axis] and not graph.isEmpty()):
                wanted = Qt.ScrollBarPolicy.ScrollBarAlwaysOff  # the whole graph is in view along this axis
            setters[axis](wanted)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.15 ** steps)
        event.accept()

    # ---- panning ----------------------------------------------------------------------------------
    def _start_pan(self, event: QMouseEvent) -> None:
        self.camera.free()
        self._pan_from = event.position()
        self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.MiddleButton or (self._space and event.button() == Qt.MouseButton.LeftButton):
            self._space_used = self._space
            self._start_pan(event)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space, self._space_used = True, False
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space = False
                self.viewport().unsetCursor()
                if not self._space_used:
                    self.play_toggled.emit()
            event.accept()
            return
        super().keyReleaseEvent(event)
