"""The Train dock: one SGD step on the lecture's logistic example, Stop within 100 ms, curves, undo,
export, and messages (never tracebacks) for bad data and options."""
from __future__ import annotations

import csv
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from graphapp.core.errors import StudioError
from graphapp.ui.canvas.node_item import box_lines
from graphapp.ui.docks.train import TrainPanel
from graphapp.ui.plots.curves import CSV_COLUMNS


def panel_of(window) -> TrainPanel:  # noqa: ANN001
    window.show_train()
    return window.train_panel


def choose(combo, key: str) -> None:  # noqa: ANN001
    index = combo.findData(key)
    assert index >= 0, key
    combo.setCurrentIndex(index)


def click(qtbot, button) -> None:  # noqa: ANN001
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def run_to_end(qtbot, panel: TrainPanel, button) -> None:  # noqa: ANN001
    click(qtbot, button)
    assert panel.message.text() == ""
    qtbot.waitUntil(lambda: not panel.running(), timeout=5000)


def test_one_sgd_step_on_the_logistic_example_shows_on_the_canvas_and_undoes(window, qtbot) -> None:  # noqa: ANN001
    window.open_example("logistic_update")
    p = panel_of(window)
    choose(p.form.data, "own")
    choose(p.form.optimizer, "sgd")
    p.form.lr.setText("1")
    depth = window.undo_stack.count()
    run_to_end(qtbot, p, p.step_button)
    w1 = window.graph.nodes["w1"]
    assert float(w1.value) == pytest.approx(0.01225, abs=5e-6)
    assert float(window.graph.nodes["w2"].value) == pytest.approx(-1.1194, abs=1e-4)
    assert box_lines(window.scene.nodes["w1"].node, window.scene.style, None)[1] == "0.01225"
    assert p.session.trainer.step_count == 1 and p.curves.loss == [pytest.approx(0.6684, abs=1e-4)]
    assert window.undo_stack.count() == depth + 1  # one command for all the parameters
    # a second Step continues the same run: the lecture's second update, a second undo step
    run_to_end(qtbot, p, p.step_button)
    assert p.session.trainer.step_count == 2 and len(p.curves.loss) == 2
    assert float(w1.value) < 0.01225 and window.undo_stack.count() == depth + 2
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert float(w1.value) == 0.5 and float(window.graph.nodes["w2"].value) == 0.1
    assert box_lines(window.scene.nodes["w1"].node, window.scene.style, None)[1] == "0.5"
    window.undo_stack.redo()
    assert float(w1.value) == pytest.approx(0.01225, abs=5e-6)
    assert box_lines(window.scene.nodes["w1"].node, window.scene.style, None)[1] == "0.01225"


def test_stop_takes_effect_within_100_ms_on_a_digits_mlp_with_batch_1(window, qtbot) -> None:  # noqa: ANN001
    p = panel_of(window)
    choose(p.form.data, "digits")
    choose(p.form.model, "mlp")
    # 64-100-10: after Stop the trainer finishes the update in flight and evaluates the paused point on all
    # 1,797 rows (the last value of the curves); that evaluation is most of the 100 ms on a busy machine
    p.form.hidden.setText("100")
    choose(p.form.optimizer, "adam")
    p.form.batch.setValue(1)
    p.form.length.setValue(50)
    choose(p.form.length_kind, "epochs")
    click(qtbot, p.start_button)
    assert p.message.text() == "" and p.running()
    assert window.graph.nodes["W1"].value.shape == (64, 100)  # the template opened as the document
    assert p.form.model.currentData() == "current"
    before = window.graph.nodes["W2"].value.copy()
    latencies = []
    for _ in range(5):  # Start after Stop continues the same run; the median is robust to a busy machine
        if not p.running():
            click(qtbot, p.start_button)
        goal = len(p.curves.loss) + 20
        qtbot.waitUntil(lambda: len(p.curves.loss) >= goal, timeout=5000)  # the window drew progress meanwhile
        thread = p.thread
        assert not p.start_button.isEnabled() and p.stop_button.isEnabled()
        t0 = time.perf_counter()
        click(qtbot, p.stop_button)
        assert thread.wait(2000)
        latencies.append(time.perf_counter() - t0)
        qtbot.waitUntil(lambda: not p.running(), timeout=2000)
        assert thread.result.stopped and p.curves.evaluations[-1].step == p.session.trainer.step_count
        assert not np.array_equal(window.graph.nodes["W2"].value, before)  # paused: the values are written
        before = window.graph.nodes["W2"].value.copy()
    assert sorted(latencies)[2] < 0.1 and max(latencies) < 0.5, latencies
    assert p.session.trainer.step_count < p.session.trainer.total_steps and len(p.curves.loss) >= 100
    assert "Paused at step" in p.status.text()


def test_curves_follow_a_run_and_export_png_and_csv(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    p = panel_of(window)
    choose(p.form.data, "xor")
    choose(p.form.model, "xor_net")
    p.form.hidden.setText("2")
    choose(p.form.optimizer, "adam")
    p.form.lr.setText("0.1")
    p.form.test_fraction.setValue(0.0)  # four rows: train on all of them
    choose(p.form.length_kind, "steps")
    p.form.length.setValue(300)
    run_to_end(qtbot, p, p.start_button)
    assert len(p.curves.loss) == 300 and len(p.curves.smooth) == 300
    evals = p.curves.evaluations
    assert evals[0].step == 0 and evals[-1].step == 300 and evals[-1].train_accuracy == 1.0
    line = p.curves.lines["accuracy", "train"]
    xs, ys = line.xData, line.yData  # all points (getData clips to the view)
    assert list(xs) == [e.step for e in evals] and ys[-1] == 1.0
    assert "accuracy 100.0%" in p.status.text() and "Finished: 300 updates" in p.status.text()

    asked = []
    p.ask_save_path = lambda key, suffix: asked.append(key) or str(tmp_path / f"curves{suffix}")
    click(qtbot, p.png_button)
    click(qtbot, p.csv_button)
    assert asked == ["png_filter", "train_csv_filter"] and p.message.text() == ""
    image = QImage(str(tmp_path / "curves.png"))
    assert not image.isNull() and image.width() >= 2 * p.curves.width() - 2
    rows = list(csv.reader((tmp_path / "curves.csv").read_text(encoding="utf-8").splitlines()))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 1 + 301  # step 0 (the start) to 300
    assert rows[1][0] == "0" and rows[1][2] == "" and float(rows[1][4]) > 0  # the starting evaluation
    assert float(rows[-1][2]) == pytest.approx(p.curves.loss[-1]) and float(rows[-1][5]) == 1.0
    assert not p.export(tmp_path / "missing" / "c.png") and "missing" in p.message.text()


def test_start_continues_a_paused_run_and_a_change_begins_a_new_one(window, qtbot) -> None:  # noqa: ANN001
    window.open_example("logistic_update")
    p = panel_of(window)
    choose(p.form.data, "own")
    p.form.lr.setText("1")
    for _ in range(3):
        run_to_end(qtbot, p, p.step_button)
    trainer = p.session.trainer
    assert trainer.step_count == 3
    window.undo_stack.undo()  # the graph is not what the run left: the next Step starts from its values
    run_to_end(qtbot, p, p.step_button)
    assert p.session.trainer is not trainer and p.session.trainer.step_count == 1 and len(p.curves.loss) == 1
    trainer = p.session.trainer
    p.form.lr.setText("0.5")  # another setting: a new run too
    run_to_end(qtbot, p, p.step_button)
    assert p.session.trainer is not trainer


def test_bad_csv_and_bad_options_are_messages(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "ragged.csv"
    bad.write_text("a,b,y\n1,2,0\n3,4\n", encoding="utf-8")
    p = panel_of(window)
    p.form.ask_csv_path = lambda: str(bad)
    assert not p.form.browse.isEnabled()
    choose(p.form.data, "csv")  # "CSV file…" asks for the file at once
    assert p.form.csv_path.text() == str(bad) and p.form.browse.isEnabled()
    click(qtbot, p.start_button)
    assert not p.running() and "ragged.csv" in p.message.text() and "line 3" in p.message.text()
    assert "Traceback" not in p.message.text()
    choose(p.form.data, "xor")
    p.form.lr.setText("fast")
    click(qtbot, p.start_button)
    assert p.message.text() == "Learning rate: 'fast' is not a number" and not p.running()
    p.form.lr.setText("0.1")
    p.form.settings.setText("momentum=0.9")  # plain SGD has momentum; AdaGrad does not
    choose(p.form.optimizer, "adagrad")
    assert p.form.lr.text() == "0.01" and p.form.settings.text() == ""  # its default learning rate
    p.form.settings.setText("momentum=0.9")
    click(qtbot, p.start_button)
    assert "unknown setting 'momentum'" in p.message.text() and not p.running()
    p.form.settings.clear()
    choose(p.form.data, "own")
    choose(p.form.model, "mlp")
    click(qtbot, p.start_button)
    assert "template" in p.message.text() and not p.running()
    choose(p.form.model, "current")  # the empty window's graph has nothing to train
    click(qtbot, p.start_button)
    assert "no parameter nodes" in p.message.text() and not p.running()


def test_the_dock_follows_the_language_switch(window) -> None:  # noqa: ANN001
    train = window.docks["train"]
    assert not train.isVisible()  # no tab until asked for
    assert window.actions_["show_train"] in window.menus["run"].actions()
    window.actions_["show_train"].trigger()
    assert not train.visibleRegion().isEmpty() and window.docks["inspector"].visibleRegion().isEmpty()
    p = window.train_panel
    assert p.form.labels["optimizer"].text() == "Optimizer" and p.start_button.text() == "Start"
    window.set_language("ko")
    assert p.form.labels["optimizer"].text() == "최적화 기법" and p.start_button.text() == "시작"
    assert window.actions_["show_train"].text() == "학습 패널(&T)"
    assert "갱신" in p.step_button.toolTip() and p.form.batch.specialValueText() == "전체"
    assert p.form.data.itemText(0) == "그래프의 입력값 그대로" and window.docks["train"].windowTitle() == "학습"
    assert p.curves.loss_plot.titleLabel.text == "손실"
    assert all(p.form.labels[k].toolTip() and p.form.fields[k].toolTip() for k in p.form.fields)
    window.set_language("en")
    assert p.form.labels["optimizer"].text() == "Optimizer"


def test_only_the_fields_that_apply_are_editable(window) -> None:  # noqa: ANN001
    f = panel_of(window).form
    assert f.data.currentData() == "xor" and f.test_fraction.value() == 0.0
    choose(f.data, "moons")  # a generated set: its size applies, and a validation split by default
    assert f.size.isEnabled() and f.test_fraction.value() == pytest.approx(0.2) and not f.target.isEnabled()
    choose(f.data, "and")  # four rows: all of them train
    assert f.test_fraction.value() == 0.0 and not f.size.isEnabled()
    choose(f.data, "own")
    assert not f.scale.isEnabled() and not f.test_fraction.isEnabled()
    assert not f.hidden.isEnabled() and not f.activation.isEnabled()
    choose(f.model, "xor_net")
    assert f.hidden.isEnabled() and not f.activation.isEnabled()
    choose(f.model, "mlp")
    assert f.hidden.isEnabled() and f.activation.isEnabled()
    f.hidden.setText("16, x")
    with pytest.raises(StudioError, match="Hidden '16, x': expected sizes separated by commas"):
        f.options()
    choose(f.optimizer, "nag")
    assert f.lr.text() == "0.001" and "momentum=0.9" in f.settings.toolTip() and "nesterov=True" in f.settings.toolTip()


def test_regularization_fields_build_the_mlp_and_early_stopping_ends_the_run(window, qtbot) -> None:  # noqa: ANN001
    p = panel_of(window)
    choose(p.form.data, "moons")
    choose(p.form.model, "mlp")
    assert p.form.dropout.isEnabled() and p.form.batch_norm.isEnabled() and p.form.l2.isEnabled()
    p.form.hidden.setText("16")
    choose(p.form.optimizer, "adam")
    p.form.lr.setText("0.05")
    p.form.batch.setValue(20)
    p.form.length.setValue(200)  # epochs
    p.form.dropout.setValue(0.2)
    p.form.batch_norm.setChecked(True)
    p.form.l2.setText("0.001")
    p.form.weight_decay.setText("0.0001")
    p.form.validation.setValue(0.25)
    p.form.patience.setValue(3)
    run_to_end(qtbot, p, p.start_button)
    assert {"drop1", "BN1", "L2_W1", "L2_W2"} <= set(window.graph.nodes)  # the opened template has them
    t = p.session.trainer
    assert t.optimizer.settings["weight_decay"] == 0.0001 and t.val_set is not None
    assert t.history.stopped_early is not None and t.step_count < t.total_steps
    assert "Stopped early at step" in p.status.text() and "validation loss" in p.status.text()
    val = p.curves.lines["loss", "val"]
    assert len(val.xData) == len(t.history.evaluations) and min(val.yData) == pytest.approx(
        min(e.val_loss for e in t.history.evaluations))
    choose(p.form.model, "logistic_regression")  # the fields are the mlp's: off for the other templates
    assert not p.form.dropout.isEnabled() and not p.form.batch_norm.isEnabled() and not p.form.l2.isEnabled()


@pytest.mark.parametrize(("field", "text", "message"), [
    ("l2", "much", "L2 λ: 'much' is not a number"),
    ("weight_decay", "-1", "setting 'weight_decay' must be ≥ 0"),
    ("settings", "weight_decay=0.1", "weight decay: given in the field and in the optimizer's settings"),
])
def test_bad_regularization_entries_are_messages(window, qtbot, field: str, text: str, message: str) -> None:  # noqa: ANN001
    p = panel_of(window)
    choose(p.form.data, "moons")
    choose(p.form.model, "mlp")
    if field == "settings":
        p.form.weight_decay.setText("0.1")
    getattr(p.form, field).setText(text)
    click(qtbot, p.start_button)
    assert message in p.message.text() and not p.running()


def test_patience_without_a_validation_split_is_a_message(window, qtbot) -> None:  # noqa: ANN001
    p = panel_of(window)
    choose(p.form.data, "moons")
    choose(p.form.model, "mlp")
    p.form.patience.setValue(2)
    click(qtbot, p.start_button)
    assert "needs a validation fraction above 0" in p.message.text() and not p.running()
    assert p.form.patience.specialValueText() == "off"
