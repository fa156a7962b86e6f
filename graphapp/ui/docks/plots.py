"""The Plots dock (issue #8): the training lab's pictures in tabs — the optimizer race, the initialization
histograms, a loss landscape, a decision boundary and a CNN's filters and feature maps — each computed from its own options and exportable
to PNG with its numbers as CSV (graphapp.ui.plots.export, what the CLI's `race` and `plot` write)."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from graphapp.ui.docks.plots_common import PlotTab, t
from graphapp.ui.docks.plots_lab import HistogramTab, LabTab
from graphapp.ui.docks.plots_race import RaceTab
from graphapp.ui.docks.plots_sequence import SequenceTab, st


class PlotsPanel(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.race = RaceTab()
        self.histograms = HistogramTab()
        self.landscape = LabTab("landscape")
        self.boundary = LabTab("boundary")
        self.filters = LabTab("filters")
        self.maps = LabTab("maps")
        self.sequences = SequenceTab()
        for tab in self.tabs:
            self.addTab(tab, "")
        self.retranslate()

    @property
    def tabs(self) -> tuple[PlotTab, ...]:
        return (self.race, self.histograms, self.landscape, self.boundary, self.sequences, self.filters,
                self.maps)

    def retranslate(self) -> None:
        for i, tab in enumerate(self.tabs):
            self.setTabText(i, st("sequences") if tab is self.sequences else t(tab.kind))
            tab.retranslate()

    def shutdown(self) -> None:
        for tab in self.tabs:
            tab.shutdown()
