"""Headless export of a lab plot to PNG (and its numbers to CSV), what the CLI's `race` and `plot` call."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from graphapp.core.errors import RenderError
from graphapp.ui.app import quiet_qt_messages
from graphapp.ui.plots.common import PlotCanvas, save
from graphapp.ui.render import check_size, ensure_app


def build(kind: str, data: Any, lang: str = "en") -> PlotCanvas:
    """The widget of a plot kind filled with its data (the objects graphapp.core.analysis computes)."""
    from graphapp.ui.plots import boundary, curves, feature_maps, histograms, landscape, race, sequence  # noqa: PLC0415

    if kind == "race":
        w: PlotCanvas = race.RacePlot(lang)
        w.set_race(*data)
    elif kind == "landscape":
        w = landscape.LandscapePlot(lang)
        w.set_landscape(data)
    elif kind == "cost":
        w = landscape.CostCurvePlot(lang)
        w.set_curve(*data)
    elif kind == "histograms":
        w = histograms.HistogramPlot(lang)
        w.set_histograms(data)
    elif kind == "boundary":
        w = boundary.BoundaryPlot(lang)
        w.set_run(*data)
    elif kind in ("filters", "maps"):
        w = feature_maps.FeatureMapPlot(lang)
        w.set_grid(data)
    elif kind == "curves":  # (History, steps per epoch)
        w = curves.Curves(lang)
        w.update_from(*data)
    elif kind == "series":
        w = sequence.SeriesPlot(lang)
        w.set_series(data)
    elif kind == "hidden":
        w = sequence.HiddenPlot(lang)
        w.set_states(data)
    else:
        raise RenderError(f"unknown plot '{kind}'")
    return w


def export_plot(kind: str, data: Any, out: str | os.PathLike[str], size: tuple[int, int], lang: str = "en",
                with_csv: bool = True) -> Path:
    check_size(*size)
    with quiet_qt_messages():
        ensure_app()
        widget = build(kind, data, lang)
        try:
            return save(widget, out, size, with_csv)
        finally:
            widget.close()
            widget.deleteLater()
