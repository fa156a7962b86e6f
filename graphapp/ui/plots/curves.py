"""Live loss and accuracy curves, train and validation, against epochs (the Train dock feeds evaluations)."""
from __future__ import annotations

from typing import Iterable, Sequence

import pyqtgraph as pg

from graphapp.core.train.trainer import Evaluation
from graphapp.ui.plots.common import PlotCanvas, legend

TRAIN, VALIDATION = "#0072B2", "#D55E00"


class CurvesPlot(PlotCanvas):
    def __init__(self, lang: str = "en", parent=None) -> None:  # noqa: ANN001
        super().__init__(lang, parent)
        self.loss = self.new_plot(0, 0, title=self.t("loss"), x=self.t("epoch"), y=self.t("loss"))
        self.accuracy = self.new_plot(0, 1, title=self.t("accuracy"), x=self.t("epoch"), y=self.t("accuracy"))
        self.accuracy.setYRange(0, 1.02, padding=0)
        for plot in (self.loss, self.accuracy):
            legend(plot, (-10, -10) if plot is self.accuracy else (-10, 10))
            plot.showGrid(x=True, y=True, alpha=0.2)
        self.lines = {
            ("loss", "train"): self.loss.plot(pen=pg.mkPen(TRAIN, width=2.5), name=self.t("train")),
            ("loss", "test"): self.loss.plot(pen=pg.mkPen(VALIDATION, width=2.5), name=self.t("validation")),
            ("accuracy", "train"): self.accuracy.plot(pen=pg.mkPen(TRAIN, width=2.5), name=self.t("train")),
            ("accuracy", "test"): self.accuracy.plot(pen=pg.mkPen(VALIDATION, width=2.5), name=self.t("validation")),
        }
        self.evaluations: list[Evaluation] = []

    def clear_curves(self) -> None:
        self.evaluations = []
        self._redraw()

    def add(self, evaluation: Evaluation) -> None:
        self.evaluations.append(evaluation)
        self._redraw()

    def set_evaluations(self, evaluations: Sequence[Evaluation]) -> None:
        self.evaluations = list(evaluations)
        self._redraw()

    def _redraw(self) -> None:
        fields = {("loss", "train"): "train_loss", ("loss", "test"): "test_loss",
                  ("accuracy", "train"): "train_accuracy", ("accuracy", "test"): "test_accuracy"}
        for key, name in fields.items():
            pts = [(e.epoch, getattr(e, name)) for e in self.evaluations if getattr(e, name) is not None]
            self.lines[key].setData([p[0] for p in pts], [p[1] for p in pts])

    def csv_rows(self) -> Iterable[Sequence[object]]:
        yield ["step", "epoch", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy"]
        for e in self.evaluations:
            yield [e.step, e.epoch, e.train_loss, *("" if v is None else v
                                                    for v in (e.train_accuracy, e.test_loss, e.test_accuracy))]
