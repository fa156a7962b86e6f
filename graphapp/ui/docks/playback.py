"""The playhead over a Trace, and the bar that drives it.

Playback owns no math: it runs the graph (play_trace) once per revision and asks frame_at() for the
picture at a step. Any edit that can change results drops the trace (back to step 0).
"""
from __future__ import annotations

from types import ModuleType

import numpy
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from graphapp.core.conv_window import next_position
from graphapp.core.errors import StudioError
from graphapp.core.graph import Graph
from graphapp.core.playback import Frame, frame_at, play_trace
from graphapp.core.trace import Trace
from graphapp.ui.actions import key_texts
from graphapp.ui.docks.transport_icons import transport_icon
from graphapp.ui.i18n import tr

SPEEDS = (0.5, 1.0, 2.0, 4.0)  # steps per second
BASE_INTERVAL_MS = 900


class Playback(QObject):
    frame_changed = Signal(object)  # Frame | None
    failed = Signal(object)  # StudioError | None (None: the error is gone)
    playing_changed = Signal(bool)

    def __init__(self, graph: Graph, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.graph = graph
        self.xp: ModuleType = numpy  # the array backend of the runs (Run → Backend)
        self.trace: Trace | None = None
        self.revision = -1
        self.step = 0
        self.sub: int | None = None  # the conv2d sliding window's position within the step (conv_window)
        self.frame: Frame | None = None
        self.error: StudioError | None = None
        self.speed = 1.0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)

    @property
    def total(self) -> int:
        return self.trace.phase_end("done") if self.trace else 0

    def ensure_trace(self) -> bool:
        """Run the graph if needed; on an engine error report it and stay at step 0."""
        if self.trace is not None and self.revision == self.graph.revision:
            return True
        self.trace = None
        try:
            trace = play_trace(self.graph, self.xp)
        except StudioError as exc:
            self.error = exc
            self.failed.emit(exc)
            self.pause()
            return False
        self.trace, self.revision = trace, self.graph.revision
        if self.error is not None:
            self.error = None
            self.failed.emit(None)
        return True

    def set_backend(self, xp: ModuleType) -> None:
        """Later runs on `xp`; the trace in hand was made on the other one: run again when next asked."""
        if xp is not self.xp:
            self.xp = xp
            self.invalidate()

    def invalidate(self) -> None:
        """The model changed: the old trace no longer describes it."""
        if self.trace is None and self.step == 0 and self.error is None:
            return
        self.pause()
        self.trace, self.step, self.sub = None, 0, None
        if self.error is not None:
            self.error = None
            self.failed.emit(None)
        self._emit()

    def refresh(self) -> None:
        """Labels changed (not results): re-derive the narration at the same step."""
        self._emit()

    def go_to(self, step: int) -> None:
        if not self.ensure_trace():
            return
        self.step, self.sub = max(0, min(step, self.total)), None
        self._emit()

    def _emit(self) -> None:
        self.frame = frame_at(self.graph, self.trace, self.step, self.sub) if self.trace is not None else None
        self.frame_changed.emit(self.frame)

    def step_by(self, delta: int) -> None:
        """→ and ← (delta ±1) walk a small convolution's window positions too; other moves jump."""
        if not self.ensure_trace():
            return
        if abs(delta) != 1:
            self.go_to(self.step + delta)
            return
        self.step, self.sub = next_position(self.graph, self.trace, self.step, self.sub, delta)
        self._emit()

    def run_forward(self) -> None:
        if self.ensure_trace():
            self.go_to(self.trace.phase_end("forward"))

    def run_backward(self) -> None:
        if self.ensure_trace():
            self.go_to(self.trace.phase_end("backward"))

    def reset(self) -> None:
        self.pause()
        if self.trace is not None:
            self.go_to(0)

    def go_to_phase(self, phase: str) -> None:
        if not self.ensure_trace():
            return
        nf, nb_end, end = (self.trace.phase_end(p) for p in ("forward", "backward", "done"))
        middle = nf + max(1, (nb_end - nf) // 2) if nb_end > nf else nf  # "backward": mid-way through it
        self.go_to({"start": 0, "forward": nf, "backward": middle, "done": end}[phase])

    # ---- play / pause -----------------------------------------------------------------------------
    def is_playing(self) -> bool:
        return self.timer.isActive()

    def toggle_play(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def play(self) -> None:
        if not self.ensure_trace():
            return
        if self.step >= self.total:
            self.go_to(0)
        self.timer.start(int(BASE_INTERVAL_MS / self.speed))
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
            self.playing_changed.emit(False)

    def set_speed(self, speed: float) -> None:
        self.speed = speed
        if self.timer.isActive():
            self.timer.setInterval(int(BASE_INTERVAL_MS / speed))

    def _tick(self) -> None:
        if self.trace is None or self.step >= self.total:
            self.pause()
            return
        self.step_by(1)


# The transport buttons are icons (their names and keys are tooltips), so the playhead slider keeps its
# room beside both docks at 1280 px; Forward and Backward stay words, the lecture's own terms.
ICONS = ("reset", "step_prev", "play", "step_next")
TIPS = {"reset": "reset", "step_prev": "step_prev", "play": "play_pause", "step_next": "step_next",
        "forward": "forward", "backward": "backward"}  # button -> action of the table (tooltip and keys)
ICON_PX = 18  # at scale 1
PHASES = ("start", "forward", "backward", "update", "done")


class PlaybackBar(QWidget):
    """Buttons that never take focus, so the arrow keys and Space keep driving the playhead."""

    def __init__(self, playback: Playback, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.playback = playback
        self.scale = 1.0
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        self.buttons: dict[str, QPushButton] = {}
        for key, slot in (("reset", playback.reset), ("step_prev", lambda: playback.step_by(-1)),
                          ("play", playback.toggle_play), ("step_next", lambda: playback.step_by(1)),
                          ("forward", playback.run_forward), ("backward", playback.run_backward)):
            button = QPushButton()
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            lay.addWidget(button)
            self.buttons[key] = button
        self.speed = QComboBox()
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(lambda i: playback.set_speed(self.speed.itemData(i)))
        lay.addWidget(self.speed)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.valueChanged.connect(self._slid)
        lay.addWidget(self.slider, 1)
        self.position = QLabel()
        lay.addWidget(self.position)
        playback.frame_changed.connect(self.show_frame)
        playback.playing_changed.connect(lambda _p: self.retranslate())
        self.set_scale(1.0)

    def set_scale(self, scale: float) -> None:
        """Icons and the position label sized to the type (presentation mode enlarges both)."""
        self.scale = scale
        size = QSize(int(ICON_PX * scale), int(ICON_PX * scale))
        for button in self.buttons.values():
            button.setIconSize(size)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the app's type was resized (presentation mode)
            self._fit_position(self.slider.maximum())
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            # light or dark: the icons in the new text colour
            self.retranslate()

    def _slid(self, value: int) -> None:
        if value != self.playback.step:
            self.playback.go_to(value)

    def show_frame(self, frame: Frame | None) -> None:
        total = frame.total if frame else 0
        if total != self.slider.maximum():
            self._fit_position(total)
        self.slider.blockSignals(True)
        self.slider.setRange(0, total)
        self.slider.setValue(frame.step if frame else 0)
        self.slider.blockSignals(False)
        step = frame.step if frame else 0
        phase = tr(f"phase_{frame.phase}") if frame else tr("phase_start")
        self.position.setText(f"{tr('step_of', step=step, total=total)} · {phase}")

    def _fit_position(self, total: int) -> None:
        """As wide as the longest "step n / N · phase" of this run, fixed, so stepping never relayouts."""
        self.position.ensurePolished()
        fm = self.position.fontMetrics()
        widest = max(fm.horizontalAdvance(f"{tr('step_of', step=total, total=total)} · {tr(f'phase_{p}')}")
                     for p in PHASES)
        self.position.setFixedWidth(widest + int(12 * self.scale))

    def retranslate(self) -> None:
        playing = self.playback.is_playing()
        for key, button in self.buttons.items():
            action = TIPS[key]
            keys = ", ".join(key_texts(action))
            name = tr("pause" if key == "play" and playing else key)
            button.setToolTip(f"{name} — {tr(f'tip_{action}')}" + (f" ({keys})" if keys else ""))
            if key in ICONS:
                color = self.palette().color(QPalette.ColorRole.ButtonText)  # the buttons learn it after the bar
                button.setIcon(transport_icon("pause" if key == "play" and playing else key, color,
                                              int(ICON_PX * self.scale)))
                button.setAccessibleName(name)
            else:
                button.setText(name)
        self.speed.setToolTip(f"{tr('speed')} — {tr('tip_speed')}")
        self._fit_position(self.slider.maximum())
        self.show_frame(self.playback.frame)
