"""The Gradient Check dock: sliced so the window stays live, with Stop; indices and kinks explained."""
from __future__ import annotations

import pytest

from graphapp.core import examples
from graphapp.core.expr import parse_expression
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.templates import build_template
from graphapp.ui.docks import gradcheck as dock
from graphapp.ui.main_window import MainWindow


def marks(window: MainWindow) -> dict[str, str]:
    table = window.gradcheck.table
    return {table.item(i, 0).text().split("\n")[0]: table.item(i, 3).text() for i in range(table.rowCount())}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_vgg_block_checks_out_with_its_class_targets_skipped(window, qtbot, lang):  # noqa: ANN001
    window.set_language(lang)
    window.set_graph(examples.load_example("vgg_block"))
    window.run_gradcheck()
    qtbot.waitUntil(lambda: not window.gradcheck.running, timeout=30000)
    got = marks(window)
    assert len(got) == 8 and got.pop("Y") == "—" and set(got.values()) <= {"✓", "✓*"}, got
    summary = window.gradcheck.summary.text()
    assert summary.startswith("All 7 gradients agree." if lang == "en" else "기울기 7개가 모두 일치합니다.")
    assert ("indices" if lang == "en" else "인덱스") in summary and "error" not in summary.lower()
    assert ("16 of 1,280" if lang == "en" else "1,280개 중 16개") in window.gradcheck.table.item(6, 0).text()  # W1
    window.set_language("en")


def test_a_large_model_fills_in_slices_and_stops(window, qtbot, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(dock, "FIRST_SLICE", 0.0)  # nothing before run() returns: the rest comes in slices
    monkeypatch.setattr(dock, "SLICE", 0.0)  # one nudge a slice
    window.set_graph(build_template("lenet_digits", load_dataset("digits")))
    panel = window.gradcheck
    window.run_gradcheck()
    assert panel.running and panel.rows == [] and not panel.button.isEnabled() and panel.stop_button.isEnabled()
    assert panel.summary.text().startswith("Checking… 0 of 10 nodes")
    assert "first 16 of 1,797 rows" in panel.summary.text()
    qtbot.waitUntil(lambda: len(panel.rows) >= 2, timeout=30000)  # the window handled events in between
    panel.stop_button.click()
    done = len(panel.rows)
    assert not panel.running and panel.button.isEnabled() and not panel.stop_button.isEnabled()
    assert panel.summary.text().startswith(f"Stopped after {done} of 10 nodes.")
    qtbot.wait(50)
    assert len(panel.rows) == done  # nothing more arrives after Stop


def test_an_edit_ends_a_running_check(window, qtbot, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(dock, "FIRST_SLICE", 0.0)
    window.set_graph(examples.load_example("vgg_block"))
    window.run_gradcheck()
    assert window.gradcheck.running
    window.graph.set_value("c1", window.graph.nodes["c1"].value + 0.1)
    assert not window.gradcheck.running and window.gradcheck.table.rowCount() == 0
    qtbot.wait(50)
    assert window.gradcheck.table.rowCount() == 0


def test_the_relu_kink_is_named_not_called_wrong(window):  # noqa: ANN001
    window.set_graph(parse_expression("z = relu(x)", {"x": 0}))
    window.actions_["gradcheck"].trigger()  # a lecture's example: done before the action returns
    assert marks(window) == {"x": "✓*"} and "kink" in window.gradcheck.summary.text()
    assert window.gradcheck.table.item(0, 2).text() == "0.5"  # the average of the slopes 0 and 1
