"""The lab's pyqtgraph plots: each exports a PNG of the requested size (and its CSV), in both languages,
from the widgets and from the CLI; the race animates, the curves follow evaluations."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from graphapp.cli import main
from graphapp.core.analysis.histograms import activation_histograms
from graphapp.core.analysis.lab import LabOptions, run_lab
from graphapp.core.analysis.landscape import cost_curve
from graphapp.core.analysis.race import Surface, race
from graphapp.core.errors import RenderError
from graphapp.core.train.trainer import Evaluation, History
from graphapp.ui.plots.curves import CSV_COLUMNS, Curves
from graphapp.ui.plots.export import export_plot
from graphapp.ui.plots.race import RacePlot


def picture(path: Path) -> QImage:
    image = QImage(str(path))
    assert not image.isNull()
    return image


def distinct_colours(image: QImage) -> int:
    small = image.scaled(80, 60)
    return len({small.pixel(x, y) for x in range(80) for y in range(60)})


@pytest.fixture(scope="module")
def xor_run():  # noqa: ANN201
    return run_lab(LabOptions("mlp", "moons", hidden=(8,), lr=0.05, steps=150))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_plot_exports_png_and_csv_of_the_requested_size(qapp, tmp_path: Path, xor_run, lang: str) -> None:  # noqa: ANN001
    surface = Surface("lecture")
    data = {"race": (surface, race(surface, steps=10)), "histograms": activation_histograms(),
            "cost": cost_curve(), "landscape": xor_run.landscape(7),
            "boundary": (xor_run, xor_run.boundary(30), xor_run.confusion()),
            "curves": (xor_run.result.history, xor_run.trainer.steps_per_epoch)}
    for kind, value in data.items():
        out = export_plot(kind, value, tmp_path / f"{kind}.png", (640, 480), lang)
        image = picture(out)
        assert (image.width(), image.height()) == (640, 480), kind
        assert distinct_colours(image) > 20, kind  # drawn, not a blank canvas
        rows = list(csv.reader((tmp_path / f"{kind}.csv").read_text(encoding="utf-8").splitlines()))
        assert len(rows) >= 2 and rows[0], kind


def test_race_csv_holds_every_point_and_the_race_animates(qapp, tmp_path: Path) -> None:  # noqa: ANN001
    surface = Surface("lecture")
    paths = race(surface, optimizers=["sgd", "adam"], steps=4)
    export_plot("race", (surface, paths), tmp_path / "r.png", (400, 300))
    rows = list(csv.DictReader((tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 10 and rows[1]["optimizer"] == "sgd" and float(rows[1]["x"]) == pytest.approx(-6.335)
    plot = RacePlot("en")
    plot.set_race(surface, paths, grid=21)
    plot.show_step(2)
    assert [len(c.getData()[0]) for c in plot.curves] == [3, 3]
    plot.show_step(4)
    assert [len(c.getData()[0]) for c in plot.curves] == [5, 5]


def test_curves_follow_evaluations_of_train_validation_and_test(qapp) -> None:  # noqa: ANN001
    plot = Curves("ko")
    history = History([0.8, 0.6], [Evaluation(0, 0.0, 0.7, 0.5, 0.72, 0.4, 0.75, 0.45)])
    plot.update_from(history, 2)
    history.evaluations.append(Evaluation(2, 1.0, 0.3, 0.9, None, None, 0.5, 0.8))
    plot.update_from(history, 2)
    xs, ys = plot.lines["loss", "train"].xData, plot.lines["loss", "train"].yData
    assert list(xs) == [0, 2] and list(ys) == [0.7, 0.3]
    assert list(plot.lines["accuracy", "test"].yData) == [0.4]  # no test set at the second evaluation
    assert list(plot.lines["loss", "val"].yData) == [0.75, 0.5]
    assert list(plot.lines["accuracy", "val"].yData) == [0.45, 0.8]
    rows = list(plot.csv_rows())
    assert rows[0] == CSV_COLUMNS and len(rows) == 4  # the start, steps 1 and 2
    assert rows[1] == [0, "0.0", "", "", "0.7", "0.5", "0.75", "0.45", "0.72", "0.4"]
    assert rows[2][:4] == [1, "0.5", "0.8", "0.8"] and rows[2][4:] == [""] * 6
    assert rows[3][6:] == ["0.5", "0.8", "", ""]
    assert plot.loss_plot.titleLabel.text == "손실" and plot.acc_plot.titleLabel.text == "정확도"
    plot.retranslate("en")
    assert plot.loss_plot.titleLabel.text == "Loss"


def test_bad_sizes_are_refused_before_drawing(qapp, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(RenderError, match="each side"):
        export_plot("histograms", activation_histograms(), tmp_path / "h.png", (8, 8))
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args", [
    ["race", "--optimizers", "sgd,momentum,adam", "--size", "500x400"],
    ["plot", "histograms", "--init", "xavier", "--size", "900x300"],
    ["plot", "cost", "--size", "500x400"],
    ["plot", "landscape", "xor_net", "--data", "xor", "--optimizer", "sgd", "--lr", "5", "--steps", "300",
     "--test-fraction", "0", "--grid", "7", "--size", "500x400"],
    ["plot", "boundary", "mlp", "--data", "circles", "--hidden", "8", "--lr", "0.05", "--steps", "200", "--size",
     "700x400"],
])
def test_cli_writes_the_picture(qapp, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:  # noqa: ANN001
    out = tmp_path / "p.png"
    assert main([*args, "--lang", "ko", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip().endswith("p.png")
    w, h = (int(v) for v in args[args.index("--size") + 1].split("x"))
    image = picture(out)
    assert (image.width(), image.height()) == (w, h) and (tmp_path / "p.csv").stat().st_size > 0


def test_decision_regions_are_pale_so_the_points_show(qapp, tmp_path: Path, xor_run) -> None:  # noqa: ANN001
    out = export_plot("boundary", (xor_run, xor_run.boundary(30), xor_run.confusion()), tmp_path / "b.png", (1000, 500))
    image = picture(out).convertToFormat(QImage.Format.Format_RGB32)
    region = image.copy(100, 80, 400, 300).scaled(40, 30)  # inside the regions plot, away from its axes
    channels = [c for x in range(40) for y in range(30) for c in QColor(region.pixel(x, y)).getRgb()[:3]]
    assert np.mean(channels) > 185  # region colours at 45% over white; saturated ones would average ~150


def test_race_view_holds_overshoots_but_not_a_runaway_path() -> None:
    from graphapp.ui.plots.race import _view  # noqa: PLC0415

    lecture = Surface("lecture")
    assert _view(lecture, race(lecture, optimizers=["adam"])) == (-10.0, 10.0, -5.0, 5.0)
    wide = _view(lecture, race(lecture, (-7.0, 2.0), ["sgd"], 3, {"sgd": 1.5}))  # |y| grows ×2 per step
    assert wide[2] < -5.0 and wide[3] > 5.0 and wide[3] <= 10.0
    saddle = Surface("saddle")
    x0, x1, y0, y1 = _view(saddle, race(saddle, optimizers=["sgd"]))  # y ≈ 0.01·2.9^30 ≈ 7e11
    assert (x0, x1) == (-1.5, 1.5) and y0 == -1.5 and y1 == 3.0


def test_train_draws_its_curves_with_the_validation_split(qapp, tmp_path: Path,  # noqa: ANN001
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "c.png"
    assert main(["train", "mlp", "--data", "moons", "--hidden", "16", "--lr", "0.05", "--epochs", "30",
                 "--batch-size", "20", "--validation-fraction", "0.25", "--curves", str(out), "--size", "700x300",
                 "--lang", "ko", "--json"]) == 0
    history = json.loads(capsys.readouterr().out)["history"]
    image = picture(out)
    assert (image.width(), image.height()) == (700, 300) and distinct_colours(image) > 20
    rows = list(csv.DictReader((tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()))
    evaluated = [r for r in rows if r["validation_loss"]]
    assert len(rows) == 30 * 6 + 1 and len(evaluated) == len(history) == 31
    assert [float(r["validation_loss"]) for r in evaluated] == [h["val_loss"] for h in history]
