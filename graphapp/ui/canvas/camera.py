"""Where the canvas looks while a lecture steps through a graph.

Three modes:
- "auto" (a graph was opened, laid out, or the window changed size): the whole graph when it fits at a
  readable size, and it stays put at every step; else the readable zoom, following the playhead.
- "fit" (F): the whole graph at any zoom, even below the readable size; it stays whole while stepping.
- "free" (the lecturer zoomed or panned): the zoom is theirs; only the playhead is kept in view.

Following moves the view as little as possible (only when something needed leaves the viewport minus a
margin) and smoothly (a short animation of the view's centre)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEasingCurve, QObject, QPointF, QRectF, QSize, QVariantAnimation

if TYPE_CHECKING:
    from graphapp.ui.canvas.view import GraphView

ANIMATION_MS = 220  # short: the eye follows the move, the lecturer never waits for it
MARGIN_PX = 24.0  # what must be seen stays this far inside the viewport's edges
PAD_TEXT = 1.0  # around a fitted graph, in lines of its smallest text: room for labels that come later
FIT_MAX_ZOOM = 1.6  # a tiny graph is not blown up past readable-large


def shift_into(need: QRectF, view: QRectF) -> QPointF:
    """The least move of `view` that brings `need` inside it, per axis; centred where it cannot fit."""

    def axis(lo: float, hi: float, vlo: float, vhi: float) -> float:
        if hi - lo > vhi - vlo:
            return (lo + hi) / 2 - (vlo + vhi) / 2
        if lo < vlo:
            return lo - vlo
        return hi - vhi if hi > vhi else 0.0

    return QPointF(axis(need.left(), need.right(), view.left(), view.right()),
                   axis(need.top(), need.bottom(), view.top(), view.bottom()))


class Camera(QObject):
    def __init__(self, view: GraphView) -> None:
        super().__init__(view)
        self.view = view
        self.mode = "auto"
        self.animate = True  # tests and headless rendering turn this off: the view jumps at once
        self.whole = False  # the view shows the whole graph by design (auto with a graph that fits, or F)
        self.refits = 0  # how often a graph fitted whole had to be fitted again (labels outgrew it)
        self.extent = QRectF()  # the graph as drawn at any step since the last fit (labels come and go)
        self._size = QSize()  # the viewport's size when last framed
        self._anim = QVariantAnimation(self)
        self._anim.setDuration(ANIMATION_MS)
        self._anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._anim.valueChanged.connect(lambda p: self.view.centerOn(p))

    # ---- geometry -------------------------------------------------------------------------------------
    def graph_rect(self) -> QRectF:
        scene = self.view.scene()
        rect = scene.graph_rect() if hasattr(scene, "graph_rect") else scene.itemsBoundingRect()
        return rect if not rect.isEmpty() else QRectF(-200, -150, 400, 300)

    def _whole_zoom(self, rect: QRectF) -> float:
        """The zoom at which `rect` with the margin fills the viewport."""
        vp = self.view.viewport().rect()
        w, h = vp.width() - 2 * MARGIN_PX, vp.height() - 2 * MARGIN_PX
        if w <= 1 or h <= 1:
            return 1.0
        return min(w / max(rect.width(), 1.0), h / max(rect.height(), 1.0))

    def fits_readably(self, rect: QRectF | None = None) -> bool:
        return self._whole_zoom(rect or self._padded(self.graph_rect(), scene_pad=True)) >= self.view.readable_zoom()

    def _padded_extent(self) -> QRectF:
        return self._padded(self.extent, scene_pad=True)

    def _scene_rect_around(self, rect: QRectF) -> None:
        # Room to scroll past the graph's ends, so centring never fights the scroll bars' limits.
        self.view.setSceneRect(rect.adjusted(-3000, -3000, 3000, 3000))

    def _set_zoom(self, zoom: float) -> None:
        self.view.resetTransform()
        self.view.scale(zoom, zoom)

    # ---- modes ----------------------------------------------------------------------------------------
    def fit_whole(self, mode: str = "fit") -> None:
        """The whole graph in view at whatever zoom that takes (capped for tiny graphs)."""
        self._anim.stop()
        self.mode, self.whole = mode, True
        self.extent = self.graph_rect().united(self.extent) if not self.extent.isEmpty() else self.graph_rect()
        rect = self._padded_extent()
        self._scene_rect_around(rect)
        self._set_zoom(min(self._whole_zoom(rect), FIT_MAX_ZOOM))
        self.view.centerOn(rect.center())

    def frame_graph(self) -> None:
        """Automatic framing: whole when readable, else the readable zoom on the playhead (or the start)."""
        self.extent = QRectF()
        if self.fits_readably():
            self.fit_whole("auto")
            return
        self._anim.stop()
        self.mode, self.whole = "auto", False
        rect = self.graph_rect()
        self._scene_rect_around(rect)
        self._set_zoom(self.view.readable_zoom())
        self.view.centerOn(self._home(rect))
        focus = self._focus()
        if focus is None:  # before a run: where the forward pass starts, the graph's left end
            view = self.view.visible_scene_rect()
            focus = QRectF(rect.left(), rect.center().y() - 1, min(rect.width(), view.width() / 2), 2)
        self._move_by(shift_into(self._padded(focus), self._viewable()), animate=False)

    def free(self) -> None:
        """The lecturer took the zoom or the scroll: keep theirs, only keep the playhead visible."""
        self._anim.stop()
        self.mode, self.whole = "free", False

    def refresh(self) -> None:
        """The viewport changed size: frame again the way the current mode frames. A whole graph that
        still shows whole in a smaller viewport (the narration grew a line) stays where it is."""
        size = self.view.viewport().size()
        grew = size.width() > self._size.width() or size.height() > self._size.height()
        self._size = size
        if self.whole and not grew and self.view.visible_scene_rect().contains(self.graph_rect()):
            return
        if self.mode == "fit":
            self.fit_whole("fit")
        elif self.mode == "auto":
            self.frame_graph()
        else:
            self.follow()

    def follow(self) -> None:
        """After a step: keep what the mode promises in view, moving as little as possible."""
        if self.whole:
            rect = self.graph_rect()
            if self.view.visible_scene_rect().contains(rect):
                return  # fitted once: the view stays still while labels come and go inside it
            self.refits += 1
            self.extent = self.extent.united(rect)  # labels appeared past the edge: fit again, once
            if self.mode == "fit" or self.fits_readably(self._padded_extent()):
                self.fit_whole(self.mode)
            else:
                self.frame_graph()
            return
        focus = self._focus()
        if focus is None:
            return
        need = self._padded(focus)
        if need.width() > self._viewable().width() or need.height() > self._viewable().height():
            # One edge longer than the screen: zoom out just enough for it (both its ends must show).
            self._anim.stop()
            self._set_zoom(min(self.view.zoom(), self._whole_zoom(focus)))
            need = self._padded(focus)
        elif self.mode == "auto" and self.view.zoom() < self.view.readable_zoom() <= self._whole_zoom(focus):
            # that long edge is behind: back to the readable zoom the automatic framing keeps
            self._anim.stop()
            self._set_zoom(self.view.readable_zoom())
            need = self._padded(focus)
        self._move_by(shift_into(need, self._viewable()), animate=self.animate)

    # ---- helpers ---------------------------------------------------------------------------------------
    def _home(self, rect: QRectF) -> QPointF:
        """Where a graph too big to fit starts: its top-left corner in view (per axis that does not fit),
        centred on an axis that fits, so no screen is spent on empty scene beside the graph."""
        view, m = self.view.visible_scene_rect(), MARGIN_PX / max(self.view.zoom(), 1e-6)

        def axis(lo: float, hi: float, size: float) -> float:
            return (lo + hi) / 2 if hi - lo + 2 * m <= size else lo - m + size / 2

        return QPointF(axis(rect.left(), rect.right(), view.width()), axis(rect.top(), rect.bottom(), view.height()))

    def _focus(self) -> QRectF | None:
        scene = self.view.scene()
        return scene.focus_rect() if hasattr(scene, "focus_rect") else None

    def _padded(self, rect: QRectF, scene_pad: bool = False) -> QRectF:
        """`rect` with the screen margin at the current zoom, or (before a zoom is chosen) with room for
        the labels that later steps put beside edges at the graph's border."""
        m = self.label_pad() if scene_pad else MARGIN_PX / max(self.view.zoom(), 1e-6)
        return rect.adjusted(-m, -m, m, m)

    def label_pad(self) -> float:
        scene = self.view.scene()
        return PAD_TEXT * scene.style.smallest_text() if hasattr(scene, "style") else 0.0

    def _viewable(self) -> QRectF:
        """The visible scene rect where the animation will end (not where it is now)."""
        rect = self.view.visible_scene_rect()
        if self._anim.state() == QVariantAnimation.State.Running:
            rect.moveCenter(self._anim.endValue())
        return rect

    def _move_by(self, delta: QPointF, animate: bool) -> None:
        if abs(delta.x()) < 0.5 and abs(delta.y()) < 0.5:
            return
        start = self.view.visible_scene_rect().center()
        end = self._viewable().center() + delta
        self._anim.stop()
        if not animate:
            self.view.centerOn(end)
            return
        self._anim.setStartValue(start)
        self._anim.setEndValue(end)
        self._anim.start()

    def settle(self) -> None:
        """Finish a running move at once (a test, an export): the view stands where it was going."""
        if self._anim.state() == QVariantAnimation.State.Running:
            end = self._anim.endValue()
            self._anim.stop()
            self.view.centerOn(end)
