"""pyqtgraph plots of the training lab (race, landscape, histograms, boundary, curves), each exportable to
PNG and CSV; the window's docks show the same widgets."""
