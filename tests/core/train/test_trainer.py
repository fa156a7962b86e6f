"""Templates and the trainer: XOR learned, the lab CSVs trained, batches, seeds, stop, callback, prediction."""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from graphapp.core.examples import load_example
from graphapp.core.executor import Executor
from graphapp.core.fileio import dumps, loads
from graphapp.core.train.data import prepare
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.errors import OptionError
from graphapp.core.train.templates import build_template, fitting_template, initializer_of, reinitialize
from graphapp.core.train.trainer import TrainConfig, Trainer, train
from tests.lab_data import LAB, needs_lab



def test_xor_net_learns_xor() -> None:
    d = load_dataset("xor")
    g = build_template("xor_net", d, seed=0)
    before = {k: g.nodes[k].value.copy() for k in ("W1", "b1", "W2", "b2")}
    r = train(g, d, None, TrainConfig("sgd", {"lr": 5.0}, steps=2000, seed=0))
    assert r.final.train_accuracy == 1.0 and r.final.train_loss < 0.01 and r.steps == 2000
    for k, v in before.items():  # the graph is left as it was until apply()
        np.testing.assert_array_equal(g.nodes[k].value, v)
    t = Trainer(g, d, config=TrainConfig("sgd", {"lr": 5.0}, steps=1))
    t.params = {k: np.asarray(v) for k, v in r.params.items()}
    assert t.predict(d.x).tolist() == [0, 1, 1, 0]
    t.apply()
    trace = Executor(g).run(record=False)
    np.testing.assert_allclose(trace.values["H"][:, 0].round(), [0, 1, 1, 0])


@needs_lab
@pytest.mark.parametrize(("file", "scale", "optimizer", "settings", "steps", "batch", "check"), [
    ("data-01-test-score.csv", "standard", "sgd", {"lr": 0.05}, 300, None, lambda r: r.final.train_loss < 15),
    ("data-02-stock_daily.csv", "minmax", "adam", {"lr": 0.01}, 400, 64, lambda r: r.final.test_loss < 0.01),
    ("data-03-diabetes.csv", "none", "sgd", {"lr": 1.0}, 600, None, lambda r: r.final.test_accuracy > 0.7),
    ("data-04-zoo.csv", "none", "sgd", {"lr": 0.5}, 600, None, lambda r: r.final.test_accuracy >= 0.8),
])
def test_lab_csvs_train(file, scale, optimizer, settings, steps, batch, check) -> None:  # noqa: ANN001
    data = load_dataset(str(LAB / file))
    p = prepare(data, 0.2, seed=0, scale=scale, scale_target=file.startswith("data-02"))
    g = build_template(fitting_template(data), p.train, seed=0)
    r = train(g, p.train, p.test, TrainConfig(optimizer, settings, steps=steps, batch_size=batch))
    losses = [e.train_loss for e in r.history.evaluations]
    assert losses[-1] < 0.9 * losses[0] and r.history.evaluations[0].step == 0
    assert check(r)


def test_batches_steps_and_seed() -> None:
    d = load_dataset("moons", size=103, seed=0)
    g = build_template("logistic_regression", d)
    t = Trainer(g, d, config=TrainConfig("sgd", {"lr": 0.1}, batch_size=25, epochs=3, seed=7))
    assert (t.steps_per_epoch, t.total_steps) == (5, 15)
    seen = [next(t._batches) for _ in range(10)]
    assert [len(b) for b in seen] == [25, 25, 25, 25, 3] * 2
    assert sorted(np.concatenate(seen[:5]).tolist()) == list(range(103))  # each row once per epoch
    assert not np.array_equal(np.concatenate(seen[:5]), np.concatenate(seen[5:]))  # reshuffled
    runs = [train(g, d, None, TrainConfig("adam", {"lr": 0.05}, batch_size=10, epochs=2, seed=s)) for s in (1, 1, 2)]
    np.testing.assert_array_equal(runs[0].history.loss, runs[1].history.loss)
    assert runs[0].history.loss != runs[2].history.loss
    sgd1 = Trainer(g, d, config=TrainConfig("sgd", batch_size=1, epochs=1))
    full = Trainer(g, d, config=TrainConfig("sgd", steps=4))
    assert sgd1.total_steps == 103 and full.batch == 103 and full.total_steps == 4
    with pytest.raises(OptionError, match="either steps or epochs"):
        Trainer(g, d, config=TrainConfig(steps=3, epochs=3))
    with pytest.raises(OptionError, match="batch size must be"):
        Trainer(g, d, config=TrainConfig(batch_size=0))


def test_stop_flag_and_callback() -> None:
    d = load_dataset("spirals", size=200, seed=0)
    g = build_template("mlp", d, hidden=(16,), activation="tanh")
    stop = threading.Event()
    seen = []

    def progress(p) -> None:  # noqa: ANN001
        seen.append(p)
        if p.step == 25:
            stop.set()
    r = train(g, d, None, TrainConfig("adam", {"lr": 0.01}, batch_size=20, epochs=100), stop, progress)
    assert r.stopped and r.steps == 25 and len(r.history.loss) == 25
    assert [p.step for p in seen] == list(range(1, 26)) and seen[-1].total_steps == 1000
    assert [p.evaluation.step for p in seen if p.evaluation] == [10, 20]  # once per epoch of 10 batches
    assert r.final.step == 25 and r.final.train_accuracy is not None


def test_softmax_with_one_hot_target_and_any_graph() -> None:
    d = load_dataset("blobs", size=90, seed=2)
    g = build_template("softmax_classifier", d)
    g.set_value("Y", d.one_hot())  # the same graph with one-hot rows for Y: the trainer feeds that shape
    r = train(g, d, None, TrainConfig("sgd", {"lr": 0.5}, steps=100))
    assert r.final.train_accuracy > 0.9
    with pytest.raises(OptionError, match="is not a node of the graph"):
        Trainer(g, d, config=TrainConfig(x="features"))
    with pytest.raises(OptionError, match="needs a scalar loss; output 'Y'"):
        Trainer(load_example("xor_matrix"), None)


def test_templates_sized_from_data_and_reinitialize() -> None:
    d = load_dataset("digits")
    g = build_template("mlp", d, hidden=(30, 20), activation="relu", seed=1)
    assert [g.nodes[k].value.shape for k in ("W1", "W2", "W3", "b3")] == [(64, 30), (30, 20), (20, 10), (10,)]
    assert initializer_of(g, "W1") == {"kind": "he_normal"} and initializer_of(g, "b1") == {"kind": "zeros"}
    assert g.nodes["W1"].value.std() == pytest.approx(np.sqrt(2 / 64), rel=0.05)
    same, other = reinitialize(g, seed=1), reinitialize(g, seed=2)
    np.testing.assert_array_equal(same["W2"], g.nodes["W2"].value)
    assert not np.array_equal(other["W2"], g.nodes["W2"].value)
    again = loads(dumps(g))  # the initializers travel with the file
    assert initializer_of(again, "W2") == {"kind": "he_normal"}
    with pytest.raises(OptionError, match="unknown template"):
        build_template("cnn", d)
    with pytest.raises(OptionError, match="needs a numeric target"):
        build_template("linear_regression", d)
    with pytest.raises(OptionError, match="unknown activation 'gelu'"):
        build_template("mlp", d, activation="gelu")


def test_lecture_example_without_data_takes_the_lectures_step() -> None:
    """A graph not made by a template, trained on its own input values: one SGD step at lr 1 (seed 001)."""
    ex = load_example("logistic_update")
    t = Trainer(ex, None, config=TrainConfig("sgd", {"lr": 1.0}, steps=1))
    r = t.run()
    assert r.history.evaluations[0].train_loss == pytest.approx(0.6684, abs=1e-4)
    assert float(r.params["w1"]) == pytest.approx(0.0122, abs=1e-4)
    assert float(r.params["w2"]) == pytest.approx(-1.1194, abs=1e-4)
    assert r.final.train_accuracy is None and float(ex.nodes["w1"].value) == 0.5
    t.apply()
    assert float(ex.nodes["w1"].value) == pytest.approx(0.0122, abs=1e-4)


@pytest.mark.parametrize("train_meta, field", [
    ({"task": "guess"}, "meta.train.task"),
    ({"x": 5}, "meta.train.x"),
    ({"init": {"W1": {"kind": "he_normal", "std": float("nan")}}}, "meta.train.init.W1.std"),
    ({"init": {"W1": "he"}}, "meta.train.init.W1"),
    ({"epochs": 3}, "meta.train"),
])
def test_a_files_training_meta_is_checked(train_meta: dict, field: str) -> None:
    import json

    from graphapp.core.errors import FileFormatError

    g = build_template("xor_net", load_dataset("xor"))
    data = json.loads(dumps(g))
    data["meta"]["train"] = train_meta
    with pytest.raises(FileFormatError, match=field.replace(".", r"\.")):
        loads(json.dumps(data))
