"""Filters and feature maps as pictures: from the CLI (PNG, CSV, JSON) and from the Plots dock's tabs."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from graphapp.cli import main
from graphapp.ui.docks.plots import PlotsPanel
from graphapp.ui.plots.feature_maps import FeatureMapPlot

TRAIN = ["lenet_digits", "--data", "digits", "--steps", "2", "--batch-size", "64"]  # pictures, not accuracy


@pytest.mark.parametrize(("kind", "lang", "images"), [("filters", "en", 16), ("maps", "ko", 17)])
def test_cli_writes_the_grid(qapp, tmp_path: Path, kind: str, lang: str, images: int) -> None:  # noqa: ANN001
    out = tmp_path / f"{kind}.png"
    assert main(["plot", kind, *TRAIN, "--size", "800x600", "--lang", lang, "-o", str(out)]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (800, 600)
    small = image.scaled(80, 60)
    assert len({small.pixel(x, y) for x in range(80) for y in range(60)}) > 30  # colour, not a blank page
    rows = list(csv.reader(out.with_suffix(".csv").read_text().splitlines()))
    assert rows[0] == ["image", "row", "col", "value"] and len({r[0] for r in rows[1:]}) == images
    assert len(rows) == 1 + (16 * 9 if kind == "filters" else 17 * 64)


def test_cli_json_holds_the_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plot", "maps", *TRAIN, "--layer", "C2", "--row", "5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["layer"] == "C2" and out["total"] == 32 and len(out["images"]) == 32
    assert len(out["images"][0]) == 4 and min(min(min(r) for r in im) for im in out["images"]) >= 0  # a ReLU's
    assert main(["plot", "filters", *TRAIN, "--layer", "flat", "--json"]) == 2
    assert capsys.readouterr().err.startswith("error: --layer 'flat': filters belong to a conv2d node")


def test_the_dock_tabs_train_and_draw(qtbot) -> None:  # noqa: ANN001
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    assert [panel.tabText(i) for i in range(panel.count())][5:7] == ["Filters", "Feature maps"]
    for tab in (panel.filters, panel.maps):
        assert tab.model.currentData() == "lenet_digits" and tab.data_name.currentData() == "digits"
        tab.steps.setValue(2)
        tab.run()
        qtbot.waitUntil(lambda tab=tab: tab.canvas is not None, timeout=20000)
        assert isinstance(tab.canvas, FeatureMapPlot) and tab.canvas.grid.kind == tab.kind
    panel.maps.layer.setText("nope")
    panel.maps.run()
    qtbot.waitUntil(lambda: panel.maps.worker is None, timeout=20000)
    assert "'nope'" in panel.maps.message.text()
