"""The Race tab: the eight optimizers running down a 2-D function, drawn then animated side by side."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, \
    QWidget

from graphapp.core.analysis import race as race_mod
from graphapp.core.errors import StudioError
from graphapp.core.train.optim import OPTIMIZERS
from graphapp.ui.docks.plots_common import PlotTab, t
from graphapp.ui.docks.reflow import ReflowGrid, narrow
from graphapp.ui.i18n import error_text
from graphapp.ui.plots.race import NAMES, RacePlot

FRAME_MS = 80  # one step of the animation: 30 steps take about 2.5 s


def _coordinate() -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(-1e6, 1e6)
    box.setDecimals(3)
    box.setSingleStep(0.5)
    return narrow(box, 7)


class RaceTab(PlotTab):
    kind = "race"
    size = (1200, 800)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.function = QComboBox()
        for key, fn in race_mod.FUNCTIONS.items():
            self.function.addItem(fn.title, key)
        self.expr = QLineEdit()
        self.x0, self.y0 = _coordinate(), _coordinate()
        start = QHBoxLayout()
        start.setContentsMargins(0, 0, 0, 0)
        start.addWidget(self.x0)
        start.addWidget(self.y0)
        self.start = QWidget()
        self.start.setLayout(start)
        self.steps = QSpinBox()
        self.steps.setRange(1, 2000)
        self.steps.setValue(30)
        self.checks: dict[str, QCheckBox] = {}
        self.optimizers = ReflowGrid(4)  # four check boxes a row, fewer in a narrow dock
        for name in OPTIMIZERS:
            box = QCheckBox(NAMES[name])
            box.setChecked(True)
            self.checks[name] = box
            self.optimizers.add(box)
        self.form.most = 1  # the check boxes need the width
        for key, widget in (("function", self.function), ("expr", self.expr), ("start", self.start),
                            ("steps", self.steps), ("optimizers", self.optimizers)):
            self.add_field(key, widget)
        self.play_button = QPushButton()
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(self.toggle_play)
        self.buttons.insertWidget(1, self.play_button)
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._tick)
        self.step = 0
        self.function.currentIndexChanged.connect(self._function_changed)
        self._function_changed()

    def _function_changed(self) -> None:
        fn = race_mod.FUNCTIONS[self.function.currentData()]
        self.expr.setText(fn.expr)
        self.x0.setValue(fn.start[0])
        self.y0.setValue(fn.start[1])

    def surface_text(self) -> str:
        """The chosen built-in's name while its expression is unedited (its own view and title), else the text."""
        key = self.function.currentData()
        text = self.expr.text().strip()
        return key if text == race_mod.FUNCTIONS[key].expr else text

    def run(self) -> None:
        self.timer.stop()
        names = [n for n, box in self.checks.items() if box.isChecked()]
        if not names:
            self.say(t("no_optimizer"), error=True)
            return
        try:
            surface = race_mod.Surface(self.surface_text())
            paths = race_mod.race(surface, (self.x0.value(), self.y0.value()), names, self.steps.value())
        except StudioError as exc:
            self.say(error_text(exc), error=True)
            return
        self.say("")
        self.show_data((surface, paths))
        self.step = 0
        self.play_button.setEnabled(True)
        self.toggle_play()

    @property
    def total(self) -> int:
        return 0 if self.data is None else max(len(p.points) for p in self.data[1]) - 1

    def toggle_play(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
        else:
            if self.step >= self.total:
                self.step = 0
            self._show_step()
            self.timer.start()
        self._sync_play()

    def _tick(self) -> None:
        self.step += 1
        self._show_step()
        if self.step >= self.total:
            self.timer.stop()
            self._sync_play()

    def _show_step(self) -> None:
        if isinstance(self.canvas, RacePlot):
            self.canvas.show_step(self.step)
            # A path that ended early says why once the animation reaches its end, in this language.
            notes = [error_text(p.stopped) for p in self.data[1] if p.stopped and self.step >= len(p.points) - 1]
            self.say("\n".join([t("step_of", step=self.step, total=self.total), *notes]))

    def _sync_play(self) -> None:
        self.play_button.setText(t("pause" if self.timer.isActive() else "play"))

    def show_data(self, data: object) -> None:
        super().show_data(data)
        if self.data is not None and self.step < self.total:  # a redrawn plot (language switch) keeps the frame
            self._show_step()

    def retranslate(self) -> None:
        super().retranslate()
        self.set_tip("function", t("function_tip"))
        self.set_tip("expr", t("expr_tip"))
        self.set_tip("start", t("start_tip"))
        self.set_tip("steps", t("race_steps_tip"))
        self.set_tip("optimizers", t("optimizers"))
        for name, box in self.checks.items():
            box.setToolTip(t("optimizer_tip", name=NAMES[name]))
        self.run_button.setToolTip(t("race_run_tip"))
        self.play_button.setToolTip(t("play_tip"))
        self._sync_play()

    def shutdown(self) -> None:
        self.timer.stop()
