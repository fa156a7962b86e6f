"""The canvas view: wheel zoom under the cursor, pan with the middle button or space+drag,
rubber-band selection, fit to view. Space alone (pressed and released without dragging) asks the
window to play or pause, as in presentation software."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView

from graphapp.ui.canvas.scene import GraphScene

MIN_ZOOM, MAX_ZOOM = 0.1, 4.0
FIT_MAX_ZOOM = 1.6  # a tiny graph is not blown up past readable-large


def clamp(x: float, low: float, high: float) -> float:
    """x kept within [low, high]; the middle of the two when the range is empty (the graph is smaller)."""
    return (low + high) / 2 if low > high else min(max(x, low), high)


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
        self._pan_from: QPointF | None = None
        self._fit_pending = False  # fit() before the view had its size: fit again once it has
        self._space = False
        self._space_used = False

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom() * factor))
        f = target / self.zoom()
        self.scale(f, f)

    def readable_zoom(self) -> float:
        scene = self.scene()
        return scene.style.readable_zoom() if isinstance(scene, GraphScene) else MIN_ZOOM

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def fit(self, margin: float = 24.0) -> None:
        """Show the whole graph, but never smaller than the zoom at which its numbers stay readable
        (Style.readable_zoom): a graph too big for that is shown at the readable zoom, centred on the
        playhead (or on its beginning before a run), and `follow` keeps the playhead in view."""
        self._fit_pending = not self.isVisible()
        scene = self.scene()
        rect = scene.graph_rect() if isinstance(scene, GraphScene) else scene.itemsBoundingRect()
        if rect.isEmpty():
            rect = QRectF(-200, -150, 400, 300)
        rect = rect.adjusted(-margin, -margin, margin, margin)
        self.setSceneRect(rect.united(rect.adjusted(-2000, -2000, 2000, 2000)))
        self.resetTransform()
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        fitted = self.zoom()
        target = max(min(fitted, FIT_MAX_ZOOM), self.readable_zoom())
        if target == fitted:
            return
        self.resetTransform()
        self.scale(target, target)
        if fitted >= target:
            self.centerOn(rect.center())
            return
        focus = scene.focus_rect() if isinstance(scene, GraphScene) else None
        view = self.visible_scene_rect()
        # On the playhead, or before a run where the forward pass starts; never past the graph's ends.
        centre = focus.center() if focus is not None else QPointF(rect.left(), rect.center().y())
        self.centerOn(QPointF(clamp(centre.x(), rect.left() + view.width() / 2, rect.right() - view.width() / 2),
                              clamp(centre.y(), rect.top() + view.height() / 2, rect.bottom() - view.height() / 2)))

    def follow(self, rect: QRectF | None, margin: float = 30.0) -> bool:
        """Bring `rect` (the playhead) into view when it is not already; True when the view moved."""
        if rect is None:
            return False
        view = self.visible_scene_rect()
        if view.contains(rect.adjusted(-margin, -margin, margin, margin)):
            return False
        self.centerOn(rect.center())
        return True

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._fit_pending and self.isVisible():
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.15 ** steps)
        event.accept()

    # ---- panning ----------------------------------------------------------------------------------
    def _start_pan(self, event: QMouseEvent) -> None:
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
