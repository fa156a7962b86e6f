"""File → Export animation…: a dialog for the steps, size, language, theme and speed, then the frames drawn
with a progress dialog whose Cancel stops them (nothing is written then).

Frames are drawn on the GUI thread, which handles events between frames (the Offscreen window does), so
the window keeps repainting and Cancel answers at once; the progress dialog is window-modal, so the
graph cannot be edited while it is being drawn. The animation draws a copy of the graph.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QProgressDialog, QSpinBox, QWidget,
)

from graphapp.core import fileio
from graphapp.core.errors import StudioError
from graphapp.core.graph import Graph
from graphapp.core.playback import play_trace
from graphapp.ui import i18n
from graphapp.ui.animate import (
    DEFAULT_FPS, DEFAULT_HOLD, DEFAULT_SIZE, GIF_MAX_FPS, MAX_FPS, MAX_FRAMES, MIN_FPS, Animation, plan,
    write_animation,
)
from graphapp.ui.i18n import tr
from graphapp.ui.render import MAX_SIDE, MIN_SIDE

if TYPE_CHECKING:
    from graphapp.ui.main_window import MainWindow

RANGES = ("forward", "backward", "all", "steps")  # "steps": the From and To boxes


@dataclass(frozen=True)
class Choice:
    """What the dialog asks for; `first`/`last` only with the "steps" range."""

    phase: str = "all"
    first: int | None = None
    last: int | None = None
    fps: int = DEFAULT_FPS
    hold: int = DEFAULT_HOLD
    size: tuple[int, int] = DEFAULT_SIZE
    lang: str = "en"
    theme: str = "light"
    presentation: bool = False
    suffix: str = ".gif"


def _spin(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    return box


class AnimationDialog(QDialog):
    def __init__(self, last_step: int, lang: str, theme: str, presentation: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("anim_title"))
        form = QFormLayout(self)
        self.range = QComboBox()
        for key in RANGES:
            self.range.addItem(tr(f"anim_range_{key}"), key)
        self.range.setCurrentIndex(RANGES.index("all"))
        self.first, self.last = _spin(0, last_step, 0), _spin(0, last_step, last_step)
        steps = QHBoxLayout()
        steps.addWidget(self.first)
        steps.addWidget(self.last)
        self.width_, self.height_ = (_spin(MIN_SIDE, MAX_SIDE, v) for v in DEFAULT_SIZE)
        size = QHBoxLayout()
        size.addWidget(self.width_)
        size.addWidget(self.height_)
        self.format = QComboBox()
        self.format.addItem("GIF", ".gif")
        self.format.addItem("MP4 (H.264)", ".mp4")
        self.fps, self.hold = _spin(MIN_FPS, GIF_MAX_FPS, DEFAULT_FPS), _spin(0, MAX_FRAMES // 2, DEFAULT_HOLD)
        self.lang = QComboBox()
        self.lang.addItem("English", "en")
        self.lang.addItem("한국어", "ko")
        self.lang.setCurrentIndex(("en", "ko").index(lang))
        self.theme = QComboBox()
        for key in ("light", "dark"):
            self.theme.addItem(tr(f"theme_{key}"), key)
        self.theme.setCurrentIndex(("light", "dark").index(theme))
        self.presentation = QCheckBox(tr("presentation").replace("&", ""))
        self.presentation.setChecked(presentation)
        for label, field in (("anim_range", self.range), ("anim_steps", steps), ("anim_format", self.format),
                             ("anim_size", size), ("anim_fps", self.fps), ("anim_hold", self.hold),
                             ("anim_lang", self.lang), ("anim_theme", self.theme), (None, self.presentation)):
            form.addRow(tr(label) if label else "", field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("anim_export"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("anim_cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.range.currentIndexChanged.connect(self._update)
        self.format.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        steps = self.range.currentData() == "steps"
        self.first.setEnabled(steps)
        self.last.setEnabled(steps)
        mp4 = self.format.currentData() == ".mp4"
        self.fps.setMaximum(MAX_FPS if mp4 else GIF_MAX_FPS)  # a GIF cannot show more (see animate.py)
        for box in (self.width_, self.height_):
            box.setSingleStep(2 if mp4 else 1)
            if mp4 and box.value() % 2:
                box.setValue(box.value() + 1 if box.value() < MAX_SIDE else box.value() - 1)  # H.264: even sides

    def choice(self) -> Choice:
        steps = self.range.currentData() == "steps"
        self._update()  # a side typed odd after MP4 was chosen
        return Choice("all" if steps else self.range.currentData(), self.first.value() if steps else None,
                      self.last.value() if steps else None, self.fps.value(), self.hold.value(),
                      (self.width_.value(), self.height_.value()), self.lang.currentData(),
                      self.theme.currentData(), self.presentation.isChecked(), self.format.currentData())


class AnimationExport(QObject):
    """One export with its progress dialog; `advanced(i, n)` after each picture."""

    advanced = Signal(int, int)

    def __init__(self, window: MainWindow, graph: Graph, out: Path, animation: Animation, choice: Choice) -> None:
        super().__init__(window)
        self.window, self.graph, self.out, self.animation, self.choice = window, graph, out, animation, choice
        self.progress = QProgressDialog(tr("anim_drawing", path=out.name), tr("anim_cancel"), 0,
                                        len(animation.steps), window)
        self.progress.setWindowTitle(tr("anim_title"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)  # the last picture is followed by the encoding: stay until written
        self.encoding_text = tr("anim_encoding", path=out.name)  # now: drawing switches the UI's language

    def _advance(self, i: int, n: int) -> None:
        self.progress.setValue(i)
        if i == n:
            self.progress.setLabelText(self.encoding_text)
        self.advanced.emit(i, n)

    def run(self) -> bool:
        """True when the file was written; False when cancelled or refused (the error is shown)."""
        w, c = self.window, self.choice
        lang = i18n.language()
        self.progress.show()
        error = None
        try:
            done = write_animation(self.graph, self.out, self.animation, size=c.size, lang=c.lang, theme=c.theme,
                                   presentation=c.presentation, progress=self._advance,
                                   cancelled=self.progress.wasCanceled)
        except StudioError as exc:
            done, error = False, exc
        finally:
            self.progress.close()
            self.progress.deleteLater()
            # The drawing window set the app's language, palette and font to its own: take the user's back.
            i18n.set_language(lang)
            w.apply_theme()
        if error is not None:
            w.show_error(tr("anim_failed"), str(error))
        else:
            w.statusBar().showMessage(tr("exported", path=str(self.out)) if done else tr("anim_cancelled"), 5000)
        return done


def ask_animation(window: MainWindow, last_step: int) -> Choice | None:
    """The dialog, run modally, with the window's language, theme and presentation mode preselected."""
    dialog = AnimationDialog(last_step, i18n.language(), window.theme_name, window.presentation, window)
    try:
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def export_animation(window: MainWindow,
                     ask: Callable[[MainWindow, int], Choice | None] = ask_animation) -> bool:
    """The dialog (`ask`: tests answer it), a file name, then the export; True when a file was written."""
    graph = fileio.graph_from_dict(fileio.graph_to_dict(window.graph), "window")  # the window's stays untouched
    try:
        last_step = play_trace(graph).phase_end("done")
        choice = ask(window, last_step)
        if choice is None:
            return False
        path = window.ask_save_path(f"anim{choice.suffix.replace('.', '_')}_filter", choice.suffix)
        if not path:
            return False
        out = Path(path)
        animation = plan(graph, out, choice.phase, choice.first, choice.last, choice.fps, choice.hold,
                         choice.size)
    except StudioError as exc:  # a graph that cannot run, or a folder that cannot be written
        window.show_error(tr("anim_failed"), str(exc))
        return False
    job = AnimationExport(window, graph, out, animation, choice)
    try:
        return job.run()
    finally:
        job.deleteLater()
