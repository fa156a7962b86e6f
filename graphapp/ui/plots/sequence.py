"""The sequence pictures: a stock model's predicted against true price over the test span, and a recurrent
node's hidden state over time as a heat map (time × unit, diverging colours around 0)."""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy
import pyqtgraph as pg

from graphapp.core.analysis.recurrent import HiddenStates, Series
from graphapp.ui.plots.common import INK, PlotCanvas, font, heat_map, legend

TEXT = {  # key -> (English, Korean)
    "series": ("{target}: predicted and true on the test span — RMSE {rmse} ({scaled} scaled)",
               "{target}: 테스트 구간의 예측값과 실제값 — RMSE {rmse} (스케일 {scaled})"),
    "day": ("day (oldest first)", "날짜 순번 (오래된 날부터)"),
    "true": ("true", "실제값"),
    "predicted": ("predicted", "예측값"),
    "hidden": ("Hidden state of {node} ({op}) over time, sample {sample}",
               "{node} ({op})의 시간에 따른 은닉 상태, 샘플 {sample}"),
    "time": ("time step t", "시점 t"),
    "unit": ("hidden unit", "은닉 유닛"),
}



def _tr(key: str, lang: str, **values: object) -> str:
    en, ko = TEXT[key]
    return (ko if lang == "ko" else en).format(**values)


class SeriesPlot(PlotCanvas):
    design_width = 420  # the title in two lines

    def __init__(self, lang: str = "en", parent=None) -> None:  # noqa: ANN001
        super().__init__(lang, parent)
        self.plot = self.new_plot(0, 0, x=_tr("day", lang))
        self.data: Series | None = None

    def set_series(self, data: Series) -> None:
        self.plot.clear()
        self.data = data
        self.set_title(self.plot, _tr("series", self.lang, target=data.target, rmse=f"{data.rmse:.4g}",
                                      scaled=f"{data.rmse_scaled:.4g}"))
        self.plot.setLabel("left", data.target, color=INK)
        legend(self.plot, offset=(10, 10))
        days = numpy.arange(data.start, data.start + len(data.truth))
        self.plot.plot(days, data.truth, pen=pg.mkPen("#0072B2", width=2.5), name=_tr("true", self.lang))
        self.plot.plot(days, data.predicted, pen=pg.mkPen("#D55E00", width=2.5, style=pg.QtCore.Qt.PenStyle.DashLine),
                       name=_tr("predicted", self.lang))

    def csv_rows(self) -> Iterable[Sequence[object]]:
        if self.data is None:
            return
        yield ["day", "true", "predicted"]
        yield from self.data.rows()


class HiddenPlot(PlotCanvas):
    design_width = 520  # the colour bar beside the map

    def __init__(self, lang: str = "en", parent=None) -> None:  # noqa: ANN001
        super().__init__(lang, parent)
        self.plot = self.new_plot(0, 0, x=_tr("time", lang), y=_tr("unit", lang))
        # pyqtgraph sizes the axis for a Latin line: "은닉 유닛" stood over the unit numbers (two digits at most)
        self.plot.getAxis("left").setWidth(52)
        self.bar: pg.ColorBarItem | None = None
        self.data: HiddenStates | None = None

    def set_states(self, data: HiddenStates) -> None:
        self.plot.clear()
        self.data = data
        steps, units = data.states.shape
        self.plot.setTitle(_tr("hidden", self.lang, node=data.node, op=data.op, sample=data.sample),
                           color=INK, size="13pt")
        # units along y, time along x; symmetric levels so 0 is the middle colour (tanh states lie in −1 … 1)
        image = heat_map(self.plot, data.states.T, numpy.arange(steps, dtype=float), numpy.arange(units, dtype=float),
                         cmap="CET-D1", contours=0)
        self.plot.setRange(xRange=(-0.5, steps - 0.5), yRange=(-0.5, units - 0.5), padding=0)  # whole cells
        top = max(float(numpy.abs(data.states).max()), 1e-12)
        image.setLevels((-top, top))
        if self.bar is None:
            self.bar = pg.ColorBarItem(values=(-top, top), colorMap=pg.colormap.get("CET-D1"), interactive=False)
            self.bar.axis.setTickFont(font(12))
            self.bar.axis.setTextPen(INK)
        self.bar.setLevels((-top, top))
        self.bar.setImageItem(image, insert_in=self.plot)
        bottom = self.plot.getAxis("bottom")
        names = [f"{t}" + (f" '{data.inputs[t]}'" if data.inputs else "") for t in range(steps)]
        bottom.setTicks([list(enumerate(names))])
        self.plot.getAxis("left").setTicks([[(j, str(j)) for j in range(units)]])

    def csv_rows(self) -> Iterable[Sequence[object]]:
        if self.data is None:
            return
        units = self.data.states.shape[1]
        yield ["t", "input", *(f"h{j}" for j in range(units))]
        for t, row in enumerate(self.data.states.tolist()):
            yield [t, self.data.inputs[t] if self.data.inputs else "", *row]
