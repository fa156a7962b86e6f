"""The layers: the core and the kernels load without Qt (the CLI and the tests run headless); embedding,
one-hot, the residual connection and batch normalization of images in graphs, the parser, `info` and the trainer."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from graphapp.cli import main
from graphapp.core.errors import AttrError, DomainError, ExpressionError, ShapeError
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.info import graph_info
from graphapp.core.messages import has_hangul, translate
from graphapp.core.narration import describe
from graphapp.core.train.data import Dataset
from graphapp.core.train.errors import OptionError
from graphapp.core.train.trainer import TrainConfig, Trainer
from graphapp.core.values import stand_in
from tests.core.test_messages import assert_korean

ROOT = Path(__file__).resolve().parents[2]


def test_core_and_kernels_load_no_qt() -> None:
    code = ("import sys, graphapp.core.executor, graphapp.core.playback, graphapp.cli, kernels.losses; "
            "assert not any(m.split('.')[0] in ('PySide6', 'pyqtgraph') for m in sys.modules), 'Qt loaded'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


# ---- embedding, one-hot, the residual connection, batch normalization of images ---------------

IDX = [[0.0, 9.0, 9.0], [3.0, 1.0, 0.0]]


def _info(expr: str, values: dict, params: tuple[str, ...] = ()) -> dict[str, tuple[tuple[int, ...], int]]:
    rows, total = graph_info(parse_expression(expr, values, set(params)))
    return {r.op if r.op not in ("input", "param") else r.id: (r.shape, r.params) for r in rows} | {"total": total}


def test_the_parser_types_the_new_layers_and_info_counts_their_parameters() -> None:
    emb = _info("y = embedding(idx, W)", {"idx": IDX, "W": np.zeros((10, 4))})
    assert emb["embedding"] == ((2, 3, 4), 0) and emb["W"] == ((10, 4), 40) and emb["total"] == 40  # V·D
    hot = _info("y = one_hot(idx, num_classes=12)", {"idx": IDX})
    assert hot["one_hot"] == ((2, 3, 12), 0) and hot["total"] == 0
    skip = _info("y = residual(x, relu(conv2d(x, W, b, padding=1)))",
                 {"x": np.zeros((1, 2, 5, 5)), "W": np.zeros((2, 2, 3, 3)), "b": np.zeros(2)})
    assert skip["residual"] == ((1, 2, 5, 5), 0) and skip["total"] == 2 * 2 * 9 + 2
    bn = _info("y = batch_norm(x, gamma, beta, running_mean, running_var, momentum=0.2)",
               {"x": np.zeros((4, 3, 6, 6)), **dict.fromkeys(("gamma", "beta", "running_mean", "running_var"),
                                                             np.ones(3))},
               ("gamma", "beta"))
    assert bn["batch_norm"] == ((4, 3, 6, 6), 0) and bn["total"] == 6  # γ and β per channel: 2·C


def test_info_cli_counts_embedding_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--expr", "y = embedding(idx, W)", "--shape", "idx=8,7", "--shape", "W=30,16", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total_params"] == 30 * 16
    assert [n["shape"] for n in out["nodes"] if n["op"] == "embedding"] == [[8, 7, 16]]


@pytest.mark.parametrize(("expr", "shapes", "words"), [
    ("y = residual(x, fx)", {"x": (2, 3), "fx": (3, 2)}, ["node 'residual_1'", "(2, 3)", "(3, 2)", "no broadcasting"]),
    ("y = residual(x, fx)", {"x": (3,), "fx": (2, 3)}, ["'x' (3,)", "'fx' (2, 3)", "equal shapes"]),
    ("y = embedding(idx, W)", {"idx": (4,), "W": (5,)}, ["node 'embedding_1'", "(V, D)", "'W' has (5,)"]),
    ("y = batch_norm(x, g, b, m, v)", {"x": (2, 3, 4), "g": (3,), "b": (3,), "m": (3,), "v": (3,)},
     ["(N, C, H, W)", "'x' has (2, 3, 4)"]),
    ("y = batch_norm(x, g, b, m, v)", {"x": (2, 3, 4, 4), "g": (3,), "b": (4,), "m": (3,), "v": (3,)},
     ["beta 'b' has (4,)", "one value per channel of 'x' (2, 3, 4, 4) is (3,)"]),
])
def test_shape_errors_name_the_node_and_the_shapes(expr: str, shapes: dict, words: list[str]) -> None:
    with pytest.raises(ExpressionError) as err:
        parse_expression(expr, {k: np.zeros(s) for k, s in shapes.items()}, set())
    assert all(w in str(err.value) for w in words), str(err.value)
    assert_korean(str(err.value))


def test_a_residual_edge_of_another_shape_is_refused_at_connect() -> None:
    g = Graph()
    g.add_node("input", "x", value=np.zeros((2, 4)))
    g.add_node("input", "f", value=np.zeros((1, 4)))  # would broadcast for add, not for a skip connection
    g.add_node("residual", "r")
    g.connect("x", "r", "x")
    with pytest.raises(ShapeError, match=r"node 'r': a residual connection adds x 'x' \(2, 4\) and F\(x\) 'f' "
                                         r"\(1, 4\); the skip connection needs equal shapes"):
        g.connect("f", "r", "fx")
    assert g.source_of("r", "fx") is None


@pytest.mark.parametrize(("expr", "idx", "where"), [
    ("y = embedding(idx, W)", [[0.0, 7.0]], "node 'embedding_1' (embedding): input idx [0, 1] = 7 (from 'idx')"),
    ("y = embedding(idx, W)", [0.0, 1.5], "input idx [1] = 1.5"),
    ("y = one_hot(idx, num_classes=3)", [2.0, -1.0, 4.0], "node 'one_hot_1' (one_hot): input idx [1] = −1"),
    ("y = one_hot(idx, num_classes=3)", [[2.0], [0.25]], "input idx [1, 0] = 0.25"),
])
@pytest.mark.parametrize("record", [True, False])
def test_indices_out_of_range_are_refused_by_node_element_and_value(expr: str, idx: list, where: str,
                                                                   record: bool) -> None:
    g = parse_expression(expr, {"idx": idx, **({"W": np.ones((3, 2))} if "W" in expr else {})}, set())
    with pytest.raises(DomainError) as err:
        Executor(g).run(record=record)
    assert where in str(err.value) and ("row index" in str(err.value) or "C = num_classes = 3" in str(err.value))
    assert_korean(str(err.value))


def test_cli_refuses_a_bad_index_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trace", "--expr", "y = sum(embedding(idx, W))", "--set", "idx=[0, 3]", "--set", "W=[[1], [2]]"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: node 'embedding_1' (embedding): input idx [1] = 3") and err.count("\n") == 1


def test_a_resnet_block_matches_torch_and_shows_both_paths() -> None:
    """relu(x + conv(relu(conv(x)))): the gradient reaches x along the skip and through the convolutions."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    values = {"x": rng.normal(size=(2, 3, 5, 5)), "W1": rng.normal(size=(3, 3, 3, 3)), "b1": rng.normal(size=3),
              "W2": rng.normal(size=(3, 3, 3, 3)), "b2": rng.normal(size=3)}
    g = parse_expression("L = sum(relu(residual(x, conv2d(relu(conv2d(x, W1, b1, padding=1)), W2, b2, padding=1))))",
                         values, set())
    trace = Executor(g).run()
    t = {k: torch.tensor(v, requires_grad=True) for k, v in values.items()}
    F = torch.nn.functional
    h = F.relu(F.conv2d(t["x"], t["W1"], t["b1"], padding=1))
    loss = F.relu(t["x"] + F.conv2d(h, t["W2"], t["b2"], padding=1)).sum()
    loss.backward()
    assert float(trace.values["L"]) == pytest.approx(loss.item(), rel=1e-12)
    for k in values:
        np.testing.assert_allclose(trace.grads[k], t[k].grad.numpy(), rtol=1e-9, atol=1e-12)
    into_x = [e for e in trace.backward if e.src == "x"]
    assert {e.dst for e in into_x} == {"residual_1", "conv2d_1"} and into_x[-1].previous is not None
    step = [ev.node for ev in trace.forward].index("residual_1") + 1
    assert "Residual add: x + " in describe(g, trace, step) and "잔차 연결: x + " in describe(g, trace, step, "ko")
    skip = next(i for i, e in enumerate(trace.backward, len(trace.forward) + 1) if e.dst == "residual_1")
    assert "지름길" in describe(g, trace, skip, "ko")


def test_dropout_of_images_in_a_training_run() -> None:
    g = parse_expression("L = sum(dropout(x, p=0.5, seed=4))", {"x": np.full((4, 3, 8, 8), 2.0)}, set())
    trace = Executor(g, training=True).run()
    out = trace.values["dropout_1"]
    assert out.shape == (4, 3, 8, 8) and set(np.unique(out)) == {0.0, 4.0} and 0.4 < (out == 0).mean() < 0.6
    np.testing.assert_array_equal(trace.grads["x"], out / 2.0)


# ---- the trainer keeps BatchNorm2d's running statistics --------------------------------------

def _bn2d_graph(x: np.ndarray, y: np.ndarray, w: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                momentum: float) -> Graph:
    """Y ≈ dense(flatten(batch_norm(X))) with γ, β trained and the running statistics as constants."""
    c = x.shape[1]
    g = Graph()
    g.add_node("input", "X", value=x)
    g.add_node("input", "Y", value=y)
    for nid, op, value in (("gamma", "param", gamma), ("beta", "param", beta), ("mean", "const", np.zeros(c)),
                           ("var", "const", np.ones(c)), ("W", "param", w), ("b", "param", np.zeros(1))):
        g.add_node(op, nid, value=value)
    g.add_node("batch_norm", "BN", attrs={"momentum": momentum})
    for port, src in zip(("x", "gamma", "beta", "running_mean", "running_var"), ("X", "gamma", "beta", "mean", "var")):
        g.connect(src, "BN", port)
    g.add_node("flatten", "flat")
    g.connect("BN", "flat", "x")
    g.add_node("dense", "out")
    for port, src in (("x", "flat"), ("W", "W"), ("b", "b")):
        g.connect(src, "out", port)
    g.add_node("mse", "L")
    g.connect("out", "L", "pred")
    g.connect("Y", "L", "target")
    return g


def test_trainer_keeps_batchnorm2d_running_statistics_as_torch() -> None:
    """Six SGD steps on batches of 4 images: losses, parameters and running statistics equal torch's."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(8)
    n, c, h, w, momentum, lr = 14, 2, 3, 3, 0.2, 0.05  # 14 = 3·4 + 2: a smaller last batch too
    x = rng.normal(1.0, 2.0, (n, c, h, w)) * np.array([1.0, 4.0])[:, None, None]
    y = rng.normal(size=(n, 1))
    weights, gamma, beta = rng.normal(size=(c * h * w, 1)) * 0.3, rng.normal(1.0, 0.1, c), rng.normal(0.0, 0.1, c)
    data = Dataset(x, y, "regression", "images")
    g = _bn2d_graph(x, y, weights, gamma, beta, momentum)
    config = TrainConfig("sgd", {"lr": lr}, batch_size=4, steps=6, seed=5)
    trainer = Trainer(g, data, config=config)
    order = Trainer(g, data, config=config)._batches  # the same batches (the same seed)
    bn = torch.nn.BatchNorm2d(c, momentum=momentum, dtype=torch.float64)
    lin = torch.nn.Linear(c * h * w, 1, dtype=torch.float64)
    with torch.no_grad():
        for p, v in ((bn.weight, gamma), (bn.bias, beta), (lin.weight, weights.T), (lin.bias, np.zeros(1))):
            p.copy_(torch.tensor(v))
    opt = torch.optim.SGD([*bn.parameters(), *lin.parameters()], lr=lr)
    for _ in range(6):
        rows = next(order)
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(lin(bn(torch.tensor(x[rows])).flatten(1)), torch.tensor(y[rows]))
        loss.backward()
        opt.step()
        assert trainer.step() == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(trainer.buffers["mean"], bn.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(trainer.buffers["var"], bn.running_var.numpy(), rtol=1e-12)  # unbiased, N·H·W
    np.testing.assert_allclose(trainer.params["gamma"], bn.weight.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(trainer.params["W"], lin.weight.detach().numpy().T, rtol=1e-10)
    bn.eval()  # evaluation normalizes with the running statistics, as torch's eval mode
    expected = torch.nn.functional.mse_loss(lin(bn(torch.tensor(x)).flatten(1)), torch.tensor(y)).item()
    assert trainer.evaluate().train_loss == pytest.approx(expected, rel=1e-10)


def test_one_image_is_a_batch_but_one_pixel_is_not() -> None:
    """torch.nn.BatchNorm2d trains on one image of several pixels; one value per channel has no variance."""
    rng = np.random.default_rng(9)
    for side, ok in ((3, True), (1, False)):
        x = rng.normal(size=(5, 2, side, side))
        g = _bn2d_graph(x, rng.normal(size=(5, 1)), rng.normal(size=(2 * side * side, 1)), np.ones(2), np.zeros(2), 0.1)
        data = Dataset(x, rng.normal(size=(5, 1)), "regression", "images")
        if ok:
            trainer = Trainer(g, data, config=TrainConfig(batch_size=2, steps=3))
            assert all(np.isfinite(trainer.step()) for _ in range(3))
        else:
            with pytest.raises(OptionError, match="node 'BN': batch normalization needs at least 2 rows"):
                Trainer(g, data, config=TrainConfig(batch_size=2))


@pytest.mark.parametrize("value", [0, 2.5, "3", 65537])
def test_num_classes_is_a_bounded_whole_number(value: object) -> None:
    g = Graph()
    with pytest.raises(AttrError, match="node 'o': one_hot attribute 'num_classes' got .*an integer from 1 to 65536") \
            as err:
        g.add_node("one_hot", "o", attrs={"num_classes": value})
    assert "o" not in g.nodes
    assert_korean(str(err.value))


@pytest.mark.parametrize("expr, shapes, big, message", [
    ("one_hot(i, num_classes=65536)", {"i": (1000, 100)}, (1000, 100, 65536),
     "node 'one_hot_1': its output (1000, 100, 65536) would hold 1000·100·65536 = 6,553,600,000 numbers; "
     "a value holds at most 10,000,000"),
    ("x + z", {"x": (10000, 1), "z": (1, 10000)}, (10000, 10000),
     "node 'add_1': its output (10000, 10000) would hold 10000·10000 = 100,000,000"),
    ("conv2d(x, W, b)", {"x": (1, 1, 2000, 2000), "W": (1, 1, 1000, 1000), "b": (1,)}, (1, 1, 1001, 1001),
     "node 'conv2d_1': conv2d lays out its windows as N·H_out·W_out·C·kh·kw = 1·1001·1001·1·1000·1000 = "
     "1,002,001,000,000 numbers; at most 10,000,000"),
    ("max_pool2d(x, kernel_size=1000, stride=1)", {"x": (1, 1, 3000, 3000)}, (1, 1, 2001, 2001),
     "max_pool2d lays out its windows"),
    ("rnn(x, W_x, W_h, b)", {"x": (1000, 200, 1), "W_x": (1, 100), "W_h": (100, 100), "b": (100,)}, (1000, 100),
     "node 'rnn_1': rnn keeps T·N·1·H = 200·1000·1·100 = 20,000,000 numbers for backprop through time"),
    ("rnn(x, W_x, W_h, b)", {"x": (1, 100001, 1), "W_x": (1, 1), "W_h": (1, 1), "b": (1,)}, (1, 1),
     "node 'rnn_1': rnn runs T = 100,001 time steps; at most 100,000"),
])
def test_huge_work_is_inspected_by_shape_and_refused_by_name_when_a_run_would_allocate(
        expr: str, shapes: dict, big: tuple, message: str) -> None:
    """A hostile file's values stay under the value limit while what they ask to compute does not: shape
    inference shows the shapes (as `info` does), and the run refuses before it allocates, naming the node."""
    g = parse_expression(f"y = sum({expr})", {n: np.broadcast_to(np.zeros(()), s) for n, s in shapes.items()},
                         {"W", "b", "W_x", "W_h"})
    assert big in {r.shape for r in graph_info(g)[0]}
    with pytest.raises(ShapeError) as err:
        Executor(g).run()
    assert message in str(err.value), str(err.value)
    assert has_hangul(translate(str(err.value))[0]) and not translate(str(err.value))[1]


@pytest.mark.parametrize("expr, shapes, message", [
    ("mean(x)", {"x": (4, 0)}, "node 'mean_1': input 'x' ('x' (4, 0)) holds no numbers; mean needs at least one"),
    ("softmax(x)", {"x": (0,)}, "holds no numbers; softmax needs at least one"),
    ("flatten(x)", {"x": (1, 50000, 50000)}, "node 'flatten_1': its output (1, 2500000000) has a side of "
                                              "2,500,000,000; a side is at most 2,147,483,647"),
    ("one_hot(i, num_classes=65536)", {"i": (8, 1024, 1024, 1024, 1024, 1024)},
     "node 'one_hot_1': its output (8, 1024, 1024, 1024, 1024, 1024, 65536) would hold "
     "8·1024·1024·1024·1024·1024·65536 numbers, more than 2^62 = 4,611,686,018,427,387,904; "
     "no machine holds that"),
])
def test_empty_or_absurd_outputs_are_refused_by_shape_inference(expr: str, shapes: dict, message: str) -> None:
    """Uncapped shapes still end somewhere: a side past 2³¹ − 1 or more than 2⁶² numbers is no shape any
    machine holds (and would overflow numpy's sizes). Refused in both languages, naming the node."""
    with pytest.raises(ExpressionError) as err:  # the ShapeError, placed in the expression
        parse_expression(f"y = sum({expr})", {n: stand_in(s, n) for n, s in shapes.items()})
    assert message in str(err.value), str(err.value)
    assert has_hangul(translate(str(err.value))[0]) and not translate(str(err.value))[1]


def test_a_negative_seed_is_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "xor_net", "--data", "xor", "--steps", "1", "--seed", "-1"]) == 2
    assert capsys.readouterr().err.strip() == "error: --seed -1: expected a whole number ≥ 0"
