"""The recurrent examples in the window and as pictures: hihello_rnn and a stock model trained from the Train
dock, the Plots dock's Sequences tab, and `plot series|hidden` writing PNG + CSV (English and Korean)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from graphapp.cli import main
from graphapp.core.train.templates import build_template
from graphapp.ui import i18n
from graphapp.ui.docks.plots import PlotsPanel
from graphapp.ui.plots.sequence import HiddenPlot, SeriesPlot
from tests.ui.test_train_dock import choose, click, panel_of
from tests.lab_data import STOCK, needs_lab



def _wave(tmp_path: Path, rows: int = 80) -> Path:
    t = np.arange(rows) * 0.3
    path = tmp_path / "wave.csv"
    path.write_text("# s,c\n" + "\n".join(f"{np.sin(v):.6f},{np.cos(v):.6f}" for v in t[::-1]) + "\n")
    return path  # newest row first, as the lab's stock file


def test_hihello_trains_from_the_train_dock(window, qtbot) -> None:  # noqa: ANN001
    p = panel_of(window)
    choose(p.form.model, "hihello_rnn")  # the template's own data and the lab's settings fill the form
    assert p.form.data.currentData() == "own" and p.form.optimizer.currentData() == "adam"
    assert p.form.lr.text() == "0.1" and p.form.length.value() == 50 and p.form.hidden.text() == "5"
    assert p.form.length_kind.currentData() == "steps" and p.form.hidden.isEnabled()
    click(qtbot, p.start_button)
    assert p.message.text() == ""
    qtbot.waitUntil(lambda: not p.running(), timeout=20000)
    assert window.graph.meta["name"] == "hihello_rnn" and p.form.model.currentData() == "current"
    assert p.session.trainer.history.evaluations[-1].train_accuracy == 1.0
    assert "accuracy 100.0%" in p.status.text()
    start = build_template("hihello_rnn", None, seed=0).nodes["W_h"].value
    assert not np.array_equal(window.graph.nodes["W_h"].value, start)  # the trained values are in the graph


def test_a_stock_model_trains_from_the_train_dock_on_windows(window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    p = panel_of(window)
    path = _wave(tmp_path)
    p.form.ask_csv_path = lambda: str(path)
    choose(p.form.model, "stock_gru")
    assert p.form.scale.currentData() == "minmax" and p.form.test_fraction.value() == pytest.approx(0.3)
    choose(p.form.data, "csv")  # asks for the file (replaced above)
    p.form.length.setValue(40)
    click(qtbot, p.start_button)
    assert p.message.text() == ""
    qtbot.waitUntil(lambda: not p.running(), timeout=30000)
    assert window.graph.infer_shapes()["X_seq"][1:] == (7, 2)  # 7-row windows of the 2 columns
    assert "validation RMSE" in p.status.text() and p.session.trainer.test_set.n == 24  # 80 rows: the last 24
    # Start again on the opened graph ("the current graph") reads the file the same way: it continues
    p.form.length.setValue(45)
    click(qtbot, p.start_button)
    assert p.message.text() == ""
    qtbot.waitUntil(lambda: not p.running(), timeout=30000)
    assert p.session.trainer.step_count == 45


def test_a_stock_model_needs_a_csv_in_the_dock(window) -> None:  # noqa: ANN001
    p = panel_of(window)
    choose(p.form.model, "stock_rnn")
    choose(p.form.data, "moons")
    assert not p.start()
    assert "stock_rnn reads a time series from a CSV file" in p.message.text()


def test_the_sequences_tab_draws_both_pictures_and_exports(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    tab = panel.sequences
    assert panel.landscape.model.findData("stock_rnn") == -1  # a time series file has its own tab
    assert [tab.model.itemData(i) for i in range(tab.model.count())] == [
        "stock_rnn", "stock_lstm", "stock_gru", "hihello_rnn"]
    choose(tab.model, "stock_rnn")
    assert tab.lr.text() == "0.01" and tab.steps.value() == 500
    tab.csv_path.setText(str(_wave(tmp_path)))
    tab.steps.setValue(30)
    tab.run()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=30000)
    assert tab.message.text() == "" and isinstance(tab.canvas, SeriesPlot) and tab.kind == "series"
    choose(tab.picture, "hidden")
    tab.run()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=30000)
    assert isinstance(tab.canvas, HiddenPlot) and tab.canvas.data.states.shape == (7, 10)
    tab.ask_path = lambda: str(tmp_path / "h.png")
    tab.export()
    assert QImage(str(tmp_path / "h.png")).size().width() == 1000 and (tmp_path / "h.csv").is_file()
    choose(tab.model, "hihello_rnn")
    assert not tab.csv_box.isEnabled() and tab.picture.currentData() == "hidden"
    tab.run()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=30000)
    assert tab.canvas.data.inputs == tuple("hihell")
    tab.csv_path.clear()
    choose(tab.model, "stock_lstm")
    tab.run()
    qtbot.waitUntil(lambda: tab.worker is None, timeout=30000)
    assert "stock_lstm needs a data set" in tab.message.text()
    i18n.set_language("ko")
    try:
        panel.retranslate()
        assert panel.tabText(4) == "시퀀스" and tab.own_labels["picture"].text() == "그림"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_plot_hidden_and_series_write_png_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  lang: str) -> None:
    out = tmp_path / f"hidden_{lang}.png"
    assert main(["plot", "hidden", "hihello_rnn", "-o", str(out), "--lang", lang, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["steps"] == 6 and data["units"] == 5 and data["inputs"] == list("hihell")
    assert QImage(str(out)).size().width() == 1000
    rows = list(csv.reader(out.with_suffix(".csv").read_text().splitlines()))
    assert rows[0] == ["t", "input", "h0", "h1", "h2", "h3", "h4"] and len(rows) == 7
    series = tmp_path / f"series_{lang}.png"
    assert main(["plot", "series", "stock_rnn", "--data", str(_wave(tmp_path)), "--steps", "60",
                 "-o", str(series), "--lang", lang]) == 0
    assert capsys.readouterr().out.strip() == str(series)
    rows = list(csv.reader(series.with_suffix(".csv").read_text().splitlines()))
    assert rows[0] == ["day", "true", "predicted"] and len(rows) == 1 + 24 and rows[1][0] == "56"


def test_plot_series_refuses_a_model_without_a_time_series(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    assert main(["plot", "series", "hihello_rnn", "-o", str(tmp_path / "s.png")]) == 2
    assert "needs a time series with a test span" in capsys.readouterr().err
    assert main(["plot", "hidden", "mlp", "--data", "xor", "-o", str(tmp_path / "h.png")]) == 2
    assert "no recurrent node" in capsys.readouterr().err


@needs_lab
def test_series_of_the_lab_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plot", "series", "stock_rnn", "--data", str(STOCK), "--steps", "100", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["start"] == 512 and len(data["true"]) == 220 and data["true"][-1] == pytest.approx(831.659973)
    assert data["rmse"] == pytest.approx(data["test_rmse"] * 284.047737, rel=1e-6)  # the training span's range
