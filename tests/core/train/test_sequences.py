"""Sequence data: windows of a time series as the lab cuts them (oldest first, 7 rows → the next Close,
70/30 in time order, min-max fitted on the training span), hihello's characters, test_rmse, the CLI's
--window/--order and training without --data; every refusal names its option in English and Korean."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from graphapp.cli import main
from graphapp.core.analysis.lab import LabOptions, prepare_data, run_lab
from graphapp.core.messages import has_hangul, translate
from graphapp.core.train.data import Dataset
from graphapp.core.train.errors import DataError, OptionError
from graphapp.core.train.templates import build_template
from graphapp.core.train.sequences import Windowing, hihello, load_windows, window_names, windows
from tests.lab_data import STOCK, needs_lab



def _series(tmp_path: Path, rows: int = 20, newest_first: bool = False) -> Path:
    """A two-column series a (0, 1, 2, …) and b = 10·a, oldest first unless asked otherwise."""
    table = np.c_[np.arange(rows), 10 * np.arange(rows)]
    if newest_first:
        table = table[::-1]
    path = tmp_path / "series.csv"
    path.write_text("# a,b\n" + "\n".join(f"{a},{b}" for a, b in table) + "\n")
    return path


def test_windows_cut_rows_and_predict_the_next_target() -> None:
    table = np.arange(12.0).reshape(6, 2)  # rows (0,1), (2,3), …
    x, y = windows(table, 3, target=1)
    assert x.shape == (3, 6) and y.shape == (3, 1)
    assert x[0].tolist() == [0, 1, 2, 3, 4, 5] and y[:, 0].tolist() == [7, 9, 11]
    assert window_names(["a", "b"], 2) == ("a[t-2]", "b[t-2]", "a[t-1]", "b[t-1]")


@pytest.mark.parametrize("newest_first", [False, True])
def test_time_order_split_and_scaling_on_the_training_span(tmp_path: Path, newest_first: bool) -> None:
    path = _series(tmp_path, 20, newest_first)
    order = "newest-first" if newest_first else "oldest-first"
    p = load_windows(path, Windowing(3, order), test_fraction=0.25)
    # 20 rows: 15 train, 5 test; windows predict rows 3 … 19, rows 3 … 14 are the training targets
    assert p.train.n == 12 and p.test is not None and p.test.n == 5
    raw_y = p.y_scaler.invert(np.r_[p.train.y, p.test.y])[:, 0]
    assert raw_y.tolist() == [10.0 * i for i in range(3, 20)]  # in time order, no shuffle
    assert p.train.y.max() == pytest.approx(1.0) and p.test.y.min() > 1.0  # fitted on rows 0 … 14 only
    # the first test window looks back into the training span (rows 12, 13, 14 → row 15)
    first = p.x_scaler.invert(p.test.x[:1]).reshape(3, 2)
    assert first[:, 0].tolist() == [12, 13, 14] and p.y_scaler.invert(p.test.y[:1])[0, 0] == 150
    np.testing.assert_allclose(p.features(p.x_scaler.invert(p.test.x)), p.test.x)  # --predict takes raw windows


@needs_lab
def test_the_lab_stock_file_as_the_lab_cuts_it() -> None:
    p = load_windows(STOCK, Windowing(7, "newest-first"))
    assert (p.train.n, p.test.n) == (505, 220)  # the lab: train_size = int(732 · 0.7) = 512 rows
    assert p.train.features[:5] == ("Open[t-7]", "High[t-7]", "Low[t-7]", "Volume[t-7]", "Close[t-7]")
    assert p.train.target == "Close" and p.train.task == "regression"
    # the file's first line is the newest day: it is the last test target
    assert p.y_scaler.invert(p.test.y[-1:])[0, 0] == pytest.approx(831.659973)
    last_window = p.x_scaler.invert(p.test.x[-1:]).reshape(7, 5)
    assert last_window[-1].tolist() == pytest.approx([823.02002, 828.070007, 821.655029, 1597800, 828.070007])
    assert p.train.x.min() >= 0 and p.train.x.max() <= 1  # min-max on the training span


def test_hihello_characters() -> None:
    h = hihello()
    assert h.x.shape == (1, 6, 5) and h.x[0].argmax(axis=1).tolist() == [0, 1, 0, 2, 3, 3]  # h i h e l l
    assert h.y.tolist() == [1, 0, 2, 3, 3, 4] and h.decode(h.y) == "ihello"


def test_mlp_on_windows_reports_test_rmse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _series(tmp_path, 60)  # a time series holds out its last 0.3: rows 42 … 59
    code = main(["train", "linear_regression", "--data", str(path), "--window", "3", "--lr", "0.05",
                 "--steps", "400", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["task"] == "regression" and out["test_loss"] is not None
    assert out["test_rmse"] == pytest.approx(out["test_loss"] ** 0.5)  # mse without penalties: rmse = √loss
    # the baseline "next b = the window's last b" is off by exactly 10 each day: 10 / 410 in scaled units
    assert out["naive_rmse"] == pytest.approx(10 / 410)
    run = run_lab(LabOptions("linear_regression", str(path), window=3, lr=0.05, steps=400))
    series = run.series()
    assert series.truth.tolist() == pytest.approx([10.0 * i for i in range(42, 60)]) and series.start == 42
    assert series.rmse == pytest.approx(series.rmse_scaled * 410)  # the training span's range of b: 0 … 410
    assert np.sqrt(np.mean((series.predicted - series.truth) ** 2)) == pytest.approx(series.rmse)


@needs_lab
def test_the_naive_forecast_of_the_stock_file() -> None:
    """Tomorrow's Close = today's, over the 220 test days, worked out from the raw file."""
    rows = np.loadtxt(STOCK, delimiter=",", comments="#")[::-1]  # oldest first
    close = rows[:, 4]
    units = np.sqrt(np.mean((close[-220:] - close[-221:-1]) ** 2))
    run = run_lab(LabOptions("stock_rnn", str(STOCK), steps=1))
    assert run.naive_rmse() * float(run.prepared.y_scaler.scale[0]) == pytest.approx(units)


def test_classifier_runs_have_no_test_rmse(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "mlp", "--data", "moons", "--steps", "5", "--json"]) == 0
    assert "test_rmse" not in json.loads(capsys.readouterr().out)


def test_without_data_an_example_trains_on_its_own_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["train", "logistic_update", "--optimizer", "sgd", "--lr", "1", "--steps", "20", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["data"] is None and out["steps"] == 20 and "test_rmse" not in out
    assert out["final_loss"] < 0.01 and out["train_accuracy"] is None  # an example has no class targets


@pytest.mark.parametrize(("args", "message"), [
    (["train", "stock_lstm"], "--data: stock_lstm needs a data set"),
    (["train", "mlp"], "--data: mlp needs a data set"),
    (["train", "hihello_rnn", "--data", "xor"], "--data: hihello_rnn brings its own data; leave --data out"),
    (["train", "mlp", "--data", "xor", "--window", "0"], "--window: the window must be a whole number"),
    (["train", "mlp", "--data", "xor", "--window", "2"], "xor: no such file"),
    (["train", "logistic_update", "--predict", "[1]"], "--predict needs a data set (--data)"),
    (["train", "linear_regression", "--data", "SERIES", "--window", "19"], "too few for windows of 19 rows"),
    (["train", "hihello_rnn", "--hidden", "3,4"], "--hidden: hihello_rnn has one recurrent layer"),
    (["train", "stock_gru", "--data", "SERIES", "--init", "he"], "--init: 'stock_gru' starts its weights"),
])
def test_refusals_are_one_line_in_both_languages(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 args: list[str], message: str) -> None:
    path = _series(tmp_path, 20)
    args = [str(path) if a == "SERIES" else a for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err
    korean, missing = translate(err.removeprefix("error: "))
    assert korean is not None and not missing and has_hangul(korean), err


def test_window_option_checks_itself() -> None:
    with pytest.raises(OptionError, match="--order: unknown row order 'sideways'"):
        Windowing(3, "sideways").check()
    with pytest.raises(OptionError, match="test fraction"):
        prepare_data(LabOptions("mlp", "x.csv", window=3, test_fraction=1.5))
    with pytest.raises(DataError, match="x.csv: no such file"):
        prepare_data(LabOptions("stock_rnn", "x.csv"))


def test_stock_template_refuses_rows_that_are_not_windows() -> None:
    data = Dataset(np.zeros((4, 10)), np.zeros((4, 1)), "regression", "d")
    with pytest.raises(OptionError, match=r"stock_rnn: 10 features do not split into windows of 3 rows"):
        build_template("stock_rnn", data, windowing=Windowing(3))
