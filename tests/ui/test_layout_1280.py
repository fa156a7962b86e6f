"""The window at a laptop's or a projector's 1280×800 (and 1366×768, 1920×1080), in English and Korean:
the canvas keeps the width, the Plots dock shrinks by reflowing its fields and scaling its pictures, and
no label, button or check box in the docks is cut short."""
from __future__ import annotations

import numpy
import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from graphapp.core import examples
from graphapp.core.analysis import race as race_mod
from graphapp.core.analysis.histograms import activation_histograms
from graphapp.core.analysis.recurrent import Series
from graphapp.ui import i18n
from graphapp.ui.docks.plots import PlotsPanel
from graphapp.ui.docks.reflow import ReflowGrid
from graphapp.ui.main_window import MainWindow
from graphapp.ui.plots.boundary import BoundaryPlot
from graphapp.ui.plots.curves import SHORT_PLOT, Curves
from graphapp.ui.plots.histograms import WIDE_COLUMNS, HistogramPlot
from graphapp.ui.plots.race import RacePlot
from graphapp.ui.plots.sequence import SeriesPlot

SIZES = [(1280, 800), (1366, 768), (1920, 1080)]
CANVAS_LEAST = 0.55  # of the window's width, with the docks open


def settle(qapp, window: MainWindow, size: tuple[int, int]) -> None:  # noqa: ANN001
    window.resize(*size)
    for _ in range(3):  # docks, then their contents, then the reflowed fields
        qapp.processEvents()


def cut_short(root: QWidget) -> list[str]:
    """Every shown label, button or check box narrower than its text (word-wrapped labels: shorter)."""
    cut = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or not isinstance(w, (QLabel, QAbstractButton)):
            continue
        hint = w.sizeHint()
        if isinstance(w, QLabel) and w.wordWrap():
            if w.text() and w.height() < w.heightForWidth(w.width()):
                cut.append(f"{w.text()!r}: {w.height()} px high of {w.heightForWidth(w.width())}")
        elif w.width() < hint.width() and (w.text() if hasattr(w, "text") else ""):
            cut.append(f"{w.text()!r}: {w.width()} px of {hint.width()}")
    return cut


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_plots_dock_shrinks_to_400_px_or_less(qtbot, lang):  # noqa: ANN001
    i18n.set_language(lang)
    try:
        panel = PlotsPanel()
        qtbot.addWidget(panel)
        assert panel.minimumSizeHint().width() <= 400
        for tab in panel.tabs:
            assert tab.minimumSizeHint().width() <= 400, tab.kind
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("dock", ["default", "train", "plots"])
def test_the_canvas_keeps_55_percent_of_the_width(window, qapp, lang, dock):  # noqa: ANN001
    window.set_language(lang)
    window.set_graph(examples.load_example("apple_tax"))
    for size in SIZES:
        settle(qapp, window, size)
        if dock != "default":
            getattr(window, f"show_{dock}")()
            settle(qapp, window, size)
        assert window.view.width() >= CANVAS_LEAST * window.width(), (size, window.view.width())
        assert not cut_short(window.docks["palette"]), size


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_nothing_in_the_plots_or_train_dock_is_cut_short_at_1280x800(window, qapp, lang):  # noqa: ANN001
    window.set_language(lang)
    settle(qapp, window, (1280, 800))
    window.show_plots()
    panel = window.plots_panel
    for i, tab in enumerate(panel.tabs):
        panel.setCurrentIndex(i)
        settle(qapp, window, (1280, 800))
        assert tab.form.columns == 1, tab.kind  # about 370 px: one field a row
        assert not cut_short(tab), (tab.kind, cut_short(tab))
    window.show_train()
    settle(qapp, window, (1280, 800))
    assert not cut_short(window.train_panel), cut_short(window.train_panel)
    # the three columns of the Train form stack in a narrow dock: their fields start in one line
    starts = {field.mapTo(window.train_panel.form, field.rect().topLeft()).x()
              for field in window.train_panel.form.fields.values() if field.isVisible()}
    assert len(starts) == 1, starts


def test_fields_reflow_with_the_width(qtbot, qapp):  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.setCurrentWidget(panel.race)
    for width, form_columns, boxes in ((340, 1, 2), (900, 1, 4)):
        panel.resize(width, 700)
        qapp.processEvents()
        assert panel.race.form.columns == form_columns and panel.race.optimizers.columns == boxes, width
    panel.setCurrentWidget(panel.landscape)
    for width, columns in ((340, 1), (900, 2), (340, 1)):
        panel.resize(width, 700)
        qapp.processEvents()
        form: ReflowGrid = panel.landscape.form
        assert form.columns == columns, width
        assert form.width() >= form.needed(columns)  # every label and field has its least width


def test_sequences_tab_leaves_no_gap_for_the_hidden_data_field(qtbot, qapp):  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.setCurrentWidget(panel.sequences)
    panel.resize(900, 700)
    qapp.processEvents()
    form = panel.sequences.form
    assert form.grid.indexOf(panel.sequences.data_name) < 0
    placed = [form.grid.itemAtPosition(r, c) for r in range(form.grid.rowCount()) for c in range(4)]
    assert all(item is not None for item in placed[:4 * (len(form.placed) // 2)])  # full rows, no holes


def test_a_plot_narrower_than_its_design_is_scaled_not_squeezed(qtbot, qapp):  # noqa: ANN001
    plot = HistogramPlot("ko")
    qtbot.addWidget(plot)
    plot.set_histograms(activation_histograms("sigmoid", "normal", 1.0, 0))
    plot.show()
    plot.resize(1500, 400)  # the exported picture: every layer in one row, drawn at its own size
    qapp.processEvents()
    assert plot.columns == WIDE_COLUMNS and plot.fit_scale() == 1.0
    plot.resize(300, 500)  # a narrow dock: two layers a row, laid out at the design width and scaled down
    qapp.processEvents()
    assert plot.columns == 2
    assert plot.fit_scale() == pytest.approx(300 / plot.design_width)
    assert plot.range.width() == plot.design_width
    assert plot.range.height() == pytest.approx(500 * plot.design_width / 300)  # same proportions: no stretch
    plot.resize(1500, 400)
    qapp.processEvents()
    assert plot.columns == WIDE_COLUMNS and plot.fit_scale() == 1.0 and plot.autoPixelRange


def test_train_curves_read_well_before_and_in_a_short_dock(qtbot, qapp):  # noqa: ANN001
    curves = Curves("en")
    qtbot.addWidget(curves)
    curves.arrange(False)
    curves.show()
    curves.resize(360, 2 * SHORT_PLOT - 40)
    qapp.processEvents()
    assert all(legend.columnCount == 2 for legend in curves.legends)  # five names would hang below the plot
    curves.resize(360, 2 * SHORT_PLOT + 200)
    qapp.processEvents()
    assert all(legend.columnCount == 1 for legend in curves.legends)
    # empty: a loss of 0.01..10 over steps 0..10, not 0..1 (crowded log labels, an "(x0.001)" step axis)
    (x0, x1), (y0, y1) = curves.loss_plot.viewRange()
    assert x0 <= 0 and x1 >= 10 and y0 <= -2 and y1 >= 1


def test_the_confusion_matrix_goes_below_the_regions_in_a_narrow_dock(qtbot, qapp):  # noqa: ANN001
    plot = BoundaryPlot("en")
    qtbot.addWidget(plot)
    plot.show()
    for width, stacked, where in ((1400, False, (0, 1)), (370, True, (1, 0)), (1400, False, (0, 1))):
        plot.resize(width, 650)
        qapp.processEvents()
        assert plot.stacked is stacked and plot.ci.layout.itemAt(*where) is plot.matrix, width
    assert plot.ci.layout.itemAt(0, 0) is plot.regions


def test_the_fields_reflow_when_the_language_changes(qtbot, qapp):  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.setCurrentWidget(panel.landscape)
    form = panel.landscape.form
    need = {}
    for lang in ("en", "ko"):
        i18n.set_language(lang)
        panel.retranslate()
        need[lang] = form.needed(2)
    narrow_lang, wide_lang = sorted(need, key=need.get)  # two columns fit one language and not the other
    try:
        i18n.set_language(narrow_lang)
        panel.retranslate()
        panel.resize(panel.width() + (need[narrow_lang] + need[wide_lang]) // 2 - form.width(), 700)
        qapp.processEvents()
        assert need[narrow_lang] <= form.width() < need[wide_lang] and form.columns == 2
        i18n.set_language(wide_lang)
        panel.retranslate()  # the labels' new texts alone: no resize
        qapp.processEvents()
        assert form.columns == 1 and not cut_short(panel.landscape), cut_short(panel.landscape)
    finally:
        i18n.set_language("en")


def test_the_race_key_goes_below_the_plot_in_a_narrow_dock(qtbot, qapp):  # noqa: ANN001
    surface = race_mod.Surface("lecture")
    paths = race_mod.race(surface, (-7.0, 2.0), list(race_mod.OPTIMIZERS), 10)
    plot = RacePlot("en")
    qtbot.addWidget(plot)
    plot.set_race(surface, paths)
    plot.show_step(4)
    plot.show()
    for width, below in ((1200, False), (360, True), (1200, False)):
        plot.resize(width, 800)
        qapp.processEvents()
        assert plot.below is below and plot.plot.legend.isVisible() is not below, width
        assert (plot.key is not None) is below and (plot.ci.layout.itemAt(1, 0) is plot.key if below else True)
        assert len(plot.plot.legend.items) == len(paths) + 1  # eight optimizers and the start
        assert all(len(c.getData()[0]) == 5 for c in plot.curves)  # still at step 4
    plot.resize(360, 800)
    qapp.processEvents()
    assert [label.text for _, label in plot.key.items] == [label.text for _, label in plot.plot.legend.items]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_nothing_in_the_inspector_gradient_check_or_lesson_is_cut_short(window, qapp, lang):  # noqa: ANN001
    window.set_language(lang)
    window.set_graph(examples.load_example("logistic_update"))
    settle(qapp, window, (1280, 800))
    window.scene.select_nodes([next(n for n, node in window.graph.nodes.items() if node.op == "param")])
    window.run_gradcheck()
    window.show_lesson()
    for key in ("inspector", "gradcheck", "lesson"):
        window.docks[key].raise_()
        settle(qapp, window, (1280, 800))
        assert not cut_short(window.docks[key]), (key, cut_short(window.docks[key]))
    assert window.view.width() >= CANVAS_LEAST * window.width()
    window.set_language("en")


def test_the_series_title_takes_two_lines_in_a_narrow_dock(qtbot, qapp):  # noqa: ANN001
    plot = SeriesPlot("en")
    qtbot.addWidget(plot)
    plot.set_series(Series("Close", numpy.arange(5.0), numpy.arange(5.0) + 1, 100, 0.1613, 45.8))
    plot.show()
    for width, lines in ((1200, 1), (360, 2), (1200, 1)):
        plot.resize(width, 600)
        qapp.processEvents()
        title = plot.plot.titleLabel.text
        assert title.count("<br>") == lines - 1 and "RMSE 45.8 (0.1613 scaled)" in title, width
