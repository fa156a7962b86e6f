"""Regularization in graphs and training: L2 nodes in the backward pass, the train/eval switches,
batch_norm's running statistics, early stopping on a validation split."""
from __future__ import annotations

import numpy as np
import pytest

from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.errors import OptionError
from graphapp.core.train.templates import build_template
from graphapp.core.train.trainer import TrainConfig, Trainer, train
from kernels.regularization import running_stats


def test_penalties_as_expressions_follow_the_lectures_convention() -> None:
    g = parse_expression("L = l2(W, lambda=0.5) + l1(W, lambda=0.1)", {"W": [1.0, -2.0, 0.0]})
    t = Executor(g).run()
    assert float(t.values["L"]) == pytest.approx(0.5 * 5.0 + 0.1 * 3.0)  # λ·Σw² + λ·Σ|w|
    np.testing.assert_allclose(t.grads["W"], [2 * 0.5 * 1.0 + 0.1, 2 * 0.5 * -2.0 - 0.1, 0.0])


def test_l2_nodes_show_in_the_backward_pass_and_equal_weight_decay() -> None:
    d = load_dataset("blobs", size=30, seed=1)
    lam = 0.05
    plain = build_template("mlp", d, hidden=(6,))
    ridge = build_template("mlp", d, hidden=(6,), l2=lam)
    trace = Executor(ridge).run()
    into_w1 = [(e.dst, e.formula) for e in trace.backward if e.src == "W1"]
    assert ("L2_W1", "∂(λ·Σw²)/∂w = 2λ·w") in into_w1 and len(into_w1) == 2
    base = Executor(plain).run(record=False)
    assert float(trace.values["cost"]) == pytest.approx(float(base.values["cost"]) + lam * sum(
        float((ridge.nodes[w].value ** 2).sum()) for w in ("W1", "W2")))
    for w in ("W1", "W2"):  # torch's weight_decay = 2λ adds exactly this to the gradient
        np.testing.assert_allclose(trace.grads[w], base.grads[w] + 2 * lam * ridge.nodes[w].value, rtol=1e-12)
    np.testing.assert_allclose(trace.grads["b1"], base.grads["b1"], rtol=1e-12)  # biases are not penalized
    r = train(ridge, d, None, TrainConfig("sgd", {"lr": 0.5}, steps=50))
    assert r.final.train_accuracy is not None and r.final.train_accuracy > 0.9  # the loss head is found


def _dropout_graph(p: float) -> Graph:
    return parse_expression(f"L = sum(dropout(x, p={p}, seed=3))", {"x": np.full((50, 40), 2.0)})


def test_executor_evaluates_by_default_and_switches_to_training() -> None:
    g = _dropout_graph(0.5)
    ex = Executor(g)
    assert float(ex.run().values["L"]) == 4000.0  # evaluation: the identity (canvas, CLI trace)
    ex.set_mode(True, step=4)
    recorded, compiled = ex.run(), ex.run(record=False)
    drop = next(n for n in g.nodes if g.nodes[n].op == "dropout")
    out = recorded.values[drop]
    assert set(np.unique(out)) == {0.0, 4.0} and 0.45 < (out == 0).mean() < 0.55
    np.testing.assert_array_equal(compiled.values[drop], out)  # both run paths see the switch
    np.testing.assert_array_equal(recorded.grads["x"], out / 2.0)  # ∂/∂x = m/(1 − p)
    ex.set_mode(True, step=5)
    assert not np.array_equal(ex.run(record=False).values[drop], out)  # a new step, a new mask
    ex.set_mode(False)
    assert float(ex.run(record=False).values["L"]) == 4000.0
    assert float(Executor(g, training=True).run().values["L"]) != 4000.0


def test_trainer_updates_in_training_mode_and_evaluates_in_eval_mode() -> None:
    d = load_dataset("moons", size=40, seed=0)
    g = build_template("mlp", d, hidden=(8,), dropout=0.5)
    t = Trainer(g, d, config=TrainConfig("sgd", {"lr": 0.0}, steps=3))
    losses = [t.step() for _ in range(3)]  # lr 0: the same parameters, a different mask each step
    assert len(set(losses)) == 3
    first, second = t.evaluate(), t.evaluate()
    assert first == second and first.train_loss not in losses
    plain = Executor(g).run(record=False).values["cost"]  # the graph itself evaluates
    assert first.train_loss == pytest.approx(float(plain))


def test_batch_norm_running_statistics_follow_the_batches() -> None:
    d = load_dataset("blobs", size=40, seed=3)
    g = build_template("mlp", d, hidden=(5,), batch_norm=True)
    t = Trainer(g, d, config=TrainConfig("sgd", {"lr": 0.1}, batch_size=10, steps=6, seed=2))
    order = Trainer(g, d, config=TrainConfig(batch_size=10, seed=2))._batches  # the same batches (seed 2)
    mean, var = np.zeros(5), np.ones(5)
    for _ in range(6):  # the pre-activations Z1 = X·W1 + b1 each batch gives BN1, through torch's rule
        z = d.x[next(order)] @ t.params["W1"] + t.params["b1"]
        mean, var = running_stats(np, z, mean, var, 0.1)
        t.step()
    np.testing.assert_allclose(t.buffers["running_mean1"], mean, rtol=1e-12)
    np.testing.assert_allclose(t.buffers["running_var1"], var, rtol=1e-12)
    assert not np.allclose(var, 1.0)
    t.apply()
    np.testing.assert_allclose(g.nodes["running_var1"].value, var, rtol=1e-12)
    # evaluation uses those statistics: the graph as applied gives the trainer's evaluation loss
    assert float(Executor(g).run(record=False).values["cost"]) == pytest.approx(t.evaluate().train_loss)


def test_batch_norm_refuses_a_batch_of_one_and_computed_statistics() -> None:
    d = load_dataset("blobs", size=41, seed=3)
    g = build_template("mlp", d, hidden=(5,), batch_norm=True)
    for batch in (10, 1):  # 41 = 4·10 + 1 leaves a last batch of one row
        with pytest.raises(OptionError, match="node 'BN1': batch normalization needs at least 2 rows"):
            Trainer(g, d, config=TrainConfig(batch_size=batch))
    assert Trainer(g, d, config=TrainConfig(batch_size=12)).batch == 12  # 41 = 3·12 + 5
    g.add_node("param", "free_mean", value=np.zeros(5))
    g.disconnect("BN1", "running_mean")
    g.connect("free_mean", "BN1", "running_mean")
    with pytest.raises(OptionError, match="node 'BN1': running_mean comes from 'free_mean', a param node"):
        Trainer(g, d, config=TrainConfig(batch_size=12))


def test_early_stopping_restores_the_best_parameters() -> None:
    d = load_dataset("moons", size=60, noise=0.35, seed=0)  # few noisy rows, a wide net: it overfits
    g = build_template("mlp", d, hidden=(64, 64))
    config = TrainConfig("adam", {"lr": 0.03}, batch_size=16, epochs=200, validation_fraction=0.3, patience=10)
    t = Trainer(g, d, config=config)
    assert (t.train_set.n, t.val_set.n) == (42, 18) and t.total_steps == 200 * 3
    r = t.run()
    h = r.history
    val = [e.val_loss for e in h.evaluations]
    best = int(np.argmin(val))
    assert h.stopped_early == r.steps < t.total_steps and h.best_step == h.evaluations[best].step
    assert len(val) - 1 - best == 10  # ten evaluations (epochs) without a lower validation loss
    assert r.final.val_loss == pytest.approx(min(val)) and r.final.val_loss < val[-1]
    again = train(g, d, None, config)  # reproducible from the seed
    np.testing.assert_array_equal(again.params["W1"], r.params["W1"])
    no_patience = train(g, d, None, TrainConfig("adam", {"lr": 0.03}, batch_size=16, epochs=5,
                                                validation_fraction=0.3))
    assert no_patience.history.stopped_early is None and no_patience.steps == 15
    assert all(e.val_accuracy is not None for e in no_patience.history.evaluations)


@pytest.mark.parametrize(("settings", "message"), [
    ({"patience": 3}, "needs a validation fraction above 0"),
    ({"validation_fraction": 1.0}, r"validation fraction must be in \[0, 1\)"),
    ({"validation_fraction": 0.2, "patience": 0}, "patience must be a whole number ≥ 1"),
])
def test_early_stopping_settings_are_checked(settings: dict, message: str) -> None:
    d = load_dataset("xor")
    with pytest.raises(OptionError, match=message):
        Trainer(build_template("xor_net", d), d, config=TrainConfig(**settings))


def test_regularization_settings_belong_to_the_mlp() -> None:
    d = load_dataset("xor")
    with pytest.raises(OptionError, match="settings of the mlp template"):
        build_template("xor_net", d, dropout=0.5)
    with pytest.raises(OptionError, match="dropout must be a probability"):
        build_template("mlp", d, dropout=1.0)
    g = build_template("mlp", d, hidden=(4,), dropout=0.2, batch_norm=True, l2=0.01)
    assert [g.nodes[n].op for n in ("BN1", "drop1", "L2_W1", "L2_W2")] == ["batch_norm", "dropout", "l2", "l2"]
    assert g.source_of("A1", "x") == "BN1" and g.source_of("A1W2", "a") == "drop1"


def test_an_l2_node_trains_like_torchs_weight_decay_of_two_lambda() -> None:
    """SGD on mse + λ·ΣW² and SGD with weight_decay = 2λ on mse alone: the same trajectory."""
    x = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    y = np.array([[1.0], [0.0], [2.0]])
    w = np.array([[0.3], [-0.7]])
    lam = 0.1
    values = {"x": x, "y": y, "W": w}
    ridge = parse_expression(f"L = mse(matmul(x, W), y) + l2(W, lambda={lam})", values, params={"W"})
    plain = parse_expression("L = mse(matmul(x, W), y)", values, params={"W"})
    runs = [Trainer(g, None, config=TrainConfig("sgd", settings, steps=20)).run().params["W"]
            for g, settings in ((ridge, {"lr": 0.05}), (plain, {"lr": 0.05, "weight_decay": 2 * lam}))]
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-12)
    assert not np.allclose(runs[0], w)
    torch = pytest.importorskip("torch")
    wt = torch.tensor(w, requires_grad=True)
    opt = torch.optim.SGD([wt], lr=0.05, weight_decay=2 * lam)
    for _ in range(20):
        opt.zero_grad()
        torch.nn.functional.mse_loss(torch.tensor(x) @ wt, torch.tensor(y)).backward()
        opt.step()
    np.testing.assert_allclose(runs[0], wt.detach().numpy(), rtol=1e-10)
