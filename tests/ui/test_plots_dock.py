"""The Plots dock: race, histograms, landscape and boundary tabs computed from their options, exported."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from graphapp.ui import i18n
from graphapp.ui.docks.plots import PlotsPanel
from graphapp.ui.plots.boundary import BoundaryPlot
from graphapp.ui.plots.landscape import LandscapePlot


def test_race_with_defaults_shows_eight_paths_and_animates(window, qtbot):  # noqa: ANN001
    window.show_plots()
    tab = window.plots_panel.race
    assert window.docks["plots"].isVisible()
    tab.run()
    assert len(tab.canvas.curves) == 8 and tab.total == 30
    assert tab.timer.isActive()
    qtbot.waitUntil(lambda: tab.step >= 2, timeout=3000)
    tab.toggle_play()
    assert not tab.timer.isActive() and tab.play_button.text() == "Play"
    shown = tab.canvas.curves[0].getData()[0]
    assert len(shown) == tab.step + 1  # the path drawn up to the current step only


def test_bad_expression_shows_a_message(qtbot):  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    tab = panel.race
    tab.expr.setText("x + z")
    tab.run()
    assert "'z'" in tab.message.text() and tab.canvas is None
    tab.expr.setText("x**2 +")
    tab.run()
    assert "expression" in tab.message.text()
    for box in tab.checks.values():
        box.setChecked(False)
    tab.expr.setText("x**2 + y**2")
    tab.run()
    assert tab.message.text().startswith("Optimizers")


def test_histograms_recompute_when_the_initializer_changes(qtbot):  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    tab = panel.histograms
    tab.run()
    before = tab.canvas.data.layers[-1].std
    tab.init.setCurrentIndex(1)  # N(0, 0.01²): every layer's activations collapse to 0.5
    after = tab.canvas.data.layers[-1].std
    assert tab.canvas.data.std == 0.01 and after < before / 10
    tab.activation.setCurrentIndex(tab.activation.findData("relu"))
    assert tab.canvas.data.activation == "relu"


def test_landscape_and_boundary_compute_off_the_window_thread(qtbot, tmp_path):  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    for tab, cls in ((panel.landscape, LandscapePlot), (panel.boundary, BoundaryPlot)):
        tab.steps.setValue(15)
        tab.grid.setValue(5)
        tab.run()
        assert not tab.run_button.isEnabled()
        qtbot.waitUntil(lambda tab=tab: tab.canvas is not None, timeout=8000)
        assert isinstance(tab.canvas, cls) and tab.run_button.isEnabled()
    assert panel.landscape.canvas.data.loss.shape == (5, 5)
    assert panel.boundary.canvas.confusion.sum() > 0
    panel.boundary.lr.setText("fast")
    panel.boundary.run()
    assert "'fast'" in panel.boundary.message.text() and panel.boundary.worker is None


def test_export_writes_png_and_csv(qtbot, tmp_path):  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    tab = panel.race
    tab.ask_path = lambda: str(tmp_path / "race.png")
    tab.run()
    tab.export()
    png, csv = tmp_path / "race.png", tmp_path / "race.csv"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = csv.read_text().splitlines()
    assert rows[0] == "optimizer,lr,step,x,y,f" and len(rows) == 1 + 8 * 31
    assert "race.png" in tab.message.text()


def test_every_control_has_a_tooltip_in_both_languages(qtbot):  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    panel.histograms.run()
    tips_en = {id(w): w.toolTip() for w in panel.findChildren(QWidget) if w.toolTip()}
    i18n.set_language("ko")
    try:
        panel.retranslate()
        assert panel.tabText(0) == "경주" and panel.histograms.canvas.lang == "ko"  # the plot is redrawn in Korean
        for tab in panel.tabs:
            for key, label in tab.labels.items():
                assert label.toolTip() and label.text(), key
            assert tab.export_button.toolTip() and tab.run_button.toolTip()
        changed = [w for w in panel.findChildren(QWidget) if id(w) in tips_en and w.toolTip() != tips_en[id(w)]]
        assert len(changed) >= 20
    finally:
        i18n.set_language("en")


def test_stop_ends_a_long_run_without_a_picture(qtbot):  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    tab = panel.boundary
    tab.steps.setValue(1_000_000)  # minutes of training: only Stop ends it within the test's time
    tab.run()
    assert tab.stop_button.isEnabled()
    tab.stop()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=5000)
    assert tab.canvas is None and tab.message.text().startswith("Stopped") and tab.run_button.isEnabled()
