"""The recurrent templates: stock_rnn/lstm/gru on the lab's windows report test_rmse and beat a constant guess,
hihello_rnn learns 'ihello' to 100% (CLI and trainer), the hidden states shown are the model's own, and the
pictures' data (series, hidden) match what the trainer computes."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from graphapp.cli import main
from graphapp.core.analysis.lab import LabOptions, run_lab
from graphapp.core.analysis.recurrent import hidden_states, recurrent_node
from graphapp.core.errors import FileFormatError
from graphapp.core.executor import Executor
from graphapp.core.fileio import dumps, loads
from graphapp.core.graph import Graph
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.errors import OptionError
from graphapp.core.train.sequences import Windowing, load_windows
from graphapp.core.train.templates import TEMPLATES, build_template, reinitialize
from graphapp.core.train.trainer import TrainConfig, Trainer
from tests.lab_data import STOCK, needs_lab



def _wave(tmp_path: Path, rows: int = 80) -> Path:
    """A smooth two-column series (a sine and its cosine) that a small RNN predicts well."""
    t = np.arange(rows) * 0.3
    path = tmp_path / "wave.csv"
    path.write_text("# s,c\n" + "\n".join(f"{np.sin(v):.6f},{np.cos(v):.6f}" for v in t) + "\n")
    return path


@pytest.mark.parametrize(("name", "cell", "params"), [
    ("stock_rnn", "rnn", {"W_x": (5, 10), "W_h": (10, 10), "b": (10,)}),
    ("stock_lstm", "lstm", {"W_x": (5, 40), "W_h": (10, 40), "b": (40,)}),
    ("stock_gru", "gru", {"W_x": (5, 30), "W_h": (10, 30), "b_x": (30,), "b_h": (30,)}),
])
def test_stock_templates_reshape_windows_and_keep_the_last_state(tmp_path: Path, name: str, cell: str,
                                                                 params: dict) -> None:
    table = np.c_[np.arange(40.0), np.arange(40.0) ** 0.5, np.ones(40), np.arange(40.0) % 3, np.arange(40.0)]
    path = tmp_path / "five.csv"
    path.write_text("# Open,High,Low,Volume,Close\n" + "\n".join(",".join(map(str, r)) for r in table) + "\n")
    p = load_windows(path, Windowing(7))
    g = build_template(name, p.train, seed=0)
    shapes = g.infer_shapes()
    assert shapes["X"] == (p.train.n, 35) and shapes["X_seq"] == (p.train.n, 7, 5)
    assert shapes[cell.upper()] == (p.train.n, 10) and shapes["H"] == (p.train.n, 1) and shapes["cost"] == ()
    assert {k: g.nodes[k].value.shape for k in params} == params and g.nodes[cell.upper()].op == cell
    bound = 1 / np.sqrt(10)
    assert all(np.abs(g.nodes[k].value).max() <= bound for k in params)  # PyTorch's uniform(±1/√H)
    fresh = reinitialize(g, seed=5)  # the recorded initializers draw again, within the same bound
    assert set(fresh) == {*params, "W_y", "b_y"} and np.abs(fresh["W_h"]).max() <= bound
    assert not np.array_equal(fresh["W_h"], g.nodes["W_h"].value)


def test_every_new_template_has_titles_and_hihello_needs_no_data() -> None:
    assert {"stock_rnn", "stock_lstm", "stock_gru", "hihello_rnn"} <= set(TEMPLATES)
    g = build_template("hihello_rnn", None)
    assert g.infer_shapes()["RNN"] == (1, 6, 5) and g.infer_shapes()["logits"] == (6, 5)
    assert g.nodes["RNN"].attrs["sequences"] is True
    assert loads(dumps(g)).meta["train"]["characters"] == "hielo"  # a saved hihello reads its answer back
    with pytest.raises(OptionError, match="stock_lstm needs a data set"):
        build_template("stock_lstm", None)
    with pytest.raises(OptionError, match="mlp needs a data set"):
        build_template("mlp", None)
    with pytest.raises(OptionError, match="recurrent layer's size"):
        build_template("hihello_rnn", None, hidden=(0,))


def test_hihello_learns_ihello_from_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "hihello_rnn", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["train_accuracy"] == 1.0 and out["predicted"] == "ihello" and out["steps"] == 50
    assert out["data"] is None and out["task"] == "multiclass" and "test_rmse" not in out
    assert main(["train", "hihello_rnn", "--steps", "1"]) == 0  # one step: not yet learnt, still reported
    text = capsys.readouterr().out
    assert "hihello_rnn on its own inputs (multiclass): 1 steps" in text and "predicted: " in text


def test_hihello_accuracy_counts_each_next_character() -> None:
    g = build_template("hihello_rnn", None, seed=0)
    t = Trainer(g, None, config=TrainConfig("adam", {"lr": 0.1}, steps=50))
    first = t.evaluate()
    r = t.run()
    assert r.final.train_accuracy == 1.0 and first.train_accuracy is not None and first.train_accuracy < 1.0
    out = t.outputs(np.zeros(1))[1]  # the accuracy is the share of the 6 steps whose argmax is the next char
    assert first.train_accuracy * 6 == pytest.approx(round(first.train_accuracy * 6))
    assert out.argmax(axis=1).tolist() == [1, 0, 2, 3, 3, 4]


def test_a_wave_is_learnt_and_test_rmse_is_the_predictions_rmse(tmp_path: Path) -> None:
    run = run_lab(LabOptions("stock_gru", str(_wave(tmp_path)), window=5, order="oldest-first", steps=200))
    f = run.result.final
    series = run.series()
    constant = np.sqrt(np.mean((run.prepared.test.y - run.prepared.train.y.mean()) ** 2))
    assert f.test_rmse is not None and f.test_rmse < 0.25 * constant  # far better than a constant guess
    assert series.rmse == pytest.approx(np.sqrt(np.mean((series.predicted - series.truth) ** 2)))
    assert series.rmse_scaled == pytest.approx(f.test_rmse)


@pytest.mark.parametrize("name", ["stock_rnn", "stock_lstm", "stock_gru"])
def test_hidden_states_are_the_models_own(tmp_path: Path, name: str) -> None:
    run = run_lab(LabOptions(name, str(_wave(tmp_path)), window=5, order="oldest-first", steps=3))
    h = run.hidden()  # the newest test window
    test = run.prepared.test
    assert h.states.shape == (5, 10) and h.sample == test.n - 1 and h.op == name.split("_")[1]
    # the many-to-one node's value for that row is the heat map's last column
    g = Graph()
    feed = {**run.result.params, "X": test.x[-1:], "Y": np.zeros((1, 1))}
    for n in run.graph.nodes.values():
        g.add_node(n.op, n.id, value=feed.get(n.id, n.value), attrs=dict(n.attrs))
    for e in run.graph.edges:
        g.connect(e.src, e.dst, e.port)
    values = Executor(g).run(backward=False, record=False).values
    np.testing.assert_allclose(h.states[-1], values[recurrent_node(g)][0], rtol=1e-12, atol=1e-12)
    with pytest.raises(OptionError, match="--sample: row 999 does not exist"):
        run.hidden(999)


def test_hihello_hidden_states_name_the_input_characters() -> None:
    run = run_lab(LabOptions("hihello_rnn", None))
    h = run.hidden()
    assert h.inputs == tuple("hihell") and h.states.shape == (6, 5) and np.abs(h.states).max() <= 1
    plain = build_template("mlp", load_dataset("xor"), hidden=(3,))
    with pytest.raises(OptionError, match="no recurrent node"):
        hidden_states(plain, {})


@needs_lab
def test_stock_lstm_on_the_lab_file_reports_test_rmse(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "stock_lstm", "--data", str(STOCK), "--steps", "150", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["task"] == "regression" and out["steps"] == 150
    assert 0 < out["test_rmse"] < 0.1 and out["test_rmse"] == pytest.approx(out["test_loss"] ** 0.5)


def test_a_saved_stock_model_reads_its_data_the_same_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wave, saved = _wave(tmp_path), tmp_path / "gru.json"
    assert main(["train", "stock_gru", "--data", str(wave), "--order", "oldest-first", "--window", "4",
                 "--steps", "30", "--save", str(saved), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert loads(saved.read_text()).meta["train"] | {"init": None} == {
        "x": "X", "y": "Y", "task": "regression", "init": None, "window": 4, "order": "oldest-first"}
    # the file keeps window 4 and the row order: its windows are cut as before, and training goes on from there
    assert main(["train", str(saved), "--data", str(wave), "--steps", "30", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["test_rmse"] is not None and again["final_loss"] < first["final_loss"]
    bad = saved.read_text().replace('"window": 4', '"window": "four"')
    with pytest.raises(FileFormatError, match=r"meta.train.window: got \"four\"; expected a whole number"):
        loads(bad)
