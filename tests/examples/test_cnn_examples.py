"""The CNN lecture examples and the lenet_digits template: the lectures' numbers, gradients against finite
differences and PyTorch, and training from `main.py train`."""
from __future__ import annotations

import json

import numpy
import pytest

from graphapp.cli import main
from graphapp.core.analysis.lab import LabOptions, run_lab
from graphapp.core.examples import example_names, load_example
from graphapp.core.executor import Executor
from graphapp.core.gradcheck import check_gradients
from graphapp.core.info import graph_info
from graphapp.core.train.data import Dataset
from graphapp.core.train.errors import OptionError
from graphapp.core.train.templates import TEMPLATES, build_template
from graphapp.core.train.templates_cnn import LENET5, LENET5_DENSE, cnn
from tests.core.test_messages import assert_korean

CNN = ("conv_lecture", "maxpool_lecture", "vgg_block", "resnet_block")


def test_the_cnn_examples_are_listed_after_the_first_lectures_with_positions() -> None:
    assert example_names()[-4:] == list(CNN)
    for name in CNN:
        g = load_example(name)
        assert all(node.pos is not None for node in g.nodes.values()), name
        assert len({node.pos for node in g.nodes.values()}) == len(g.nodes), name


def test_conv_lecture_valid_and_same() -> None:
    """Seed 001: 1,3,3,1 image, 2,2,1,1 filter, stride 1; VALID 2×2 and SAME ('want 3x3', zero padding)."""
    t = Executor(load_example("conv_lecture")).run()
    assert t.values["valid"][0, 0].tolist() == [[12, 16], [24, 28]]
    assert t.values["same"][0, 0].tolist() == [[12, 16, 9], [24, 28, 15], [15, 17, 9]]
    assert t.values["T_valid"][0, 0].tolist() == [[-4, -4], [-4, -4]]  # the edge filter's [[1, 0], [0, −1]]
    assert "T_valid" not in t.grads and "T_same" not in t.grads  # targets are constants: no gradient shown
    # the shared filter's gradient sums over both outputs' windows: checked against central differences
    rows = {r.node: r for r in check_gradients(load_example("conv_lecture"))}
    assert rows["W"].ok and rows["b"].ok and rows["x"].ok
    assert rows["W"].analytic.shape == (1, 1, 2, 2)


def test_conv_lecture_gradients_match_torch() -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is the test-only oracle")
    g = load_example("conv_lecture")
    t = Executor(g).run()
    x, tv, ts = (torch.tensor(g.nodes[n].value) for n in ("x", "T_valid", "T_same"))
    W, b = (torch.tensor(g.nodes[n].value, requires_grad=True) for n in ("W", "b"))
    F = torch.nn.functional
    same = F.conv2d(F.pad(x, (0, 1, 0, 1)), W, b)  # TensorFlow's SAME: the extra zero after
    loss = F.mse_loss(F.conv2d(x, W, b), tv) + F.mse_loss(same, ts)
    loss.backward()
    assert float(t.values["L"]) == pytest.approx(float(loss.detach()), rel=1e-12)
    numpy.testing.assert_allclose(t.grads["W"], W.grad.numpy(), rtol=1e-12)
    numpy.testing.assert_allclose(t.grads["b"], b.grad.numpy(), rtol=1e-12)


def test_conv_lecture_learns_the_edge_filter() -> None:
    opts = LabOptions("conv_lecture", None, optimizer="adam", lr=0.05, steps=1000)
    run = run_lab(opts)
    trainer, result = run.trainer, run.result
    assert result.final.train_loss < 0.01 < result.history.loss[0]
    numpy.testing.assert_allclose(trainer.host_params()["W"][0, 0], [[1, 0], [0, -1]], atol=0.05)


def test_maxpool_lecture_sends_the_gradient_to_each_maximum() -> None:
    """2×2 max pooling at stride 2 on the 4×4 input: 6 8 / 3 4, and the gradient reaches only those places."""
    t = Executor(load_example("maxpool_lecture")).run()
    assert t.values["pool"][0, 0].tolist() == [[6, 8], [3, 4]]
    assert t.values["H"][0, 0].tolist() == [[6, 8], [3, 4]]
    gx = t.grads["x"][0, 0]
    assert (gx != 0).astype(int).tolist() == [[0, 0, 0, 0], [0, 1, 0, 1], [1, 0, 0, 0], [0, 0, 0, 1]]
    # ∂L/∂pool = 2(H − T)/4 per output, passed on unchanged to the window's maximum
    numpy.testing.assert_allclose(gx[[1, 1, 2, 3], [1, 3, 0, 3]], [1.5, 2.0, 0.75, 1.0])
    assert all(r.ok for r in check_gradients(load_example("maxpool_lecture")))


def test_maxpool_lecture_learns_to_halve() -> None:
    p = run_lab(LabOptions("maxpool_lecture", None, lr=0.05, steps=500)).trainer.host_params()
    assert float(p["w"]) == pytest.approx(0.5, abs=1e-3) and float(p["b"]) == pytest.approx(0.0, abs=1e-2)


@pytest.mark.parametrize(("name", "params"), [
    ("vgg_block", {"K1": 72, "c1": 8, "K2": 576, "c2": 8, "W1": 1280, "b1": 10}),
    ("resnet_block", {"K0": 72, "c0": 8, "K1": 576, "c1": 8, "gamma1": 8, "beta1": 8, "K2": 576, "c2": 8,
                      "gamma2": 8, "beta2": 8, "W1": 1280, "b1": 10})])
def test_vgg_and_resnet_blocks_shapes_and_parameters(name: str, params: dict[str, int]) -> None:
    g = load_example(name)
    rows, total = graph_info(g)
    by_id = {r.id: r for r in rows}
    assert {k: by_id[k].params for k in params} == params and total == sum(params.values())
    convs = [r for r in rows if r.op == "conv2d"]
    assert all(r.shape == (4, 8, 8, 8) for r in convs)  # 3×3 with 'same' padding keeps 8×8
    assert by_id["P"].shape == (4, 8, 4, 4) and by_id["logits"].shape == (4, 10)
    if name == "resnet_block":  # the skip adds the block's input to f(x) = BN(conv(relu(BN(conv(x))))): one shape
        assert g.nodes["skip"].op == "residual" and g.source_of("skip", "x") == "A0"
        assert g.source_of("skip", "fx") == "BN2" and by_id["skip"].shape == by_id["A0"].shape == (4, 8, 8, 8)


@pytest.mark.parametrize("name", ["vgg_block", "resnet_block"])
def test_the_blocks_trace_and_train_on_their_digits_and_on_the_set(name: str) -> None:
    t = Executor(load_example(name)).run()
    assert t.grads["K1"].shape == load_example(name).nodes["K1"].value.shape
    own = run_lab(LabOptions(name, None, steps=30, lr=0.01)).result
    assert own.final.train_loss < own.history.loss[0] / 2
    run = run_lab(LabOptions(name, "digits", steps=40, batch_size=64, lr=0.01))
    assert run.result.final.test_accuracy > 0.5


def test_resnet_block_batch_norm_statistics_follow_training() -> None:
    """Per channel over N·H·W, as BatchNorm2d: the trainer moves μ and σ² from 0 and 1 after each step."""
    trainer = run_lab(LabOptions("resnet_block", None, steps=3)).trainer
    mean, var = trainer.buffers["running_mean1"], trainer.buffers["running_var1"]
    assert mean.shape == var.shape == (8,) and numpy.abs(mean).max() > 0 and not numpy.allclose(var, 1)


def test_a_block_gradient_matches_finite_differences() -> None:
    """The ResNet block's skip connection: the gradient reaches the stem through both paths."""
    g = load_example("resnet_block")
    ex = Executor(g)
    trace = ex.run(record=False)
    rng = numpy.random.default_rng(0)
    k0 = g.nodes["K0"].value
    for _ in range(3):
        idx = tuple(int(rng.integers(n)) for n in k0.shape)
        plus, minus = k0.copy(), k0.copy()
        plus[idx] += 1e-6
        minus[idx] -= 1e-6
        f = lambda v: float(ex.run(backward=False, record=False, values={"K0": v}).values["cost"])  # noqa: E731
        assert trace.grads["K0"][idx] == pytest.approx((f(plus) - f(minus)) / 2e-6, rel=1e-5, abs=1e-9)


def test_lenet_digits_reaches_95_percent_at_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    assert "lenet_digits" in TEMPLATES
    assert main(["train", "lenet_digits", "--data", "digits", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["test_accuracy"] >= 0.95 and out["steps"] == 150


def test_lenet_digits_graph() -> None:
    data = Dataset(numpy.full((3, 64), 16.0), numpy.array([0, 1, 2]), "multiclass", "d",
                   class_values=(0.0, 1.0, 2.0))
    g = build_template("lenet_digits", data)
    shapes = g.infer_shapes()
    assert shapes["image"] == (3, 1, 8, 8) and shapes["P1"] == (3, 16, 4, 4) and shapes["C2"] == (3, 32, 4, 4)
    assert shapes["flat"] == (3, 512) and shapes["logits"] == (3, 3)
    assert float(g.nodes["pixel_scale"].value) == 1 / 16
    k1 = g.nodes["K1"].value  # He normal with fan-in C_in·F·F = 9
    assert k1.shape == (16, 1, 3, 3) and 0.3 < k1.std() < 0.65


def test_lenet5_shape_for_the_benchmark() -> None:
    data = Dataset(numpy.zeros((2, 784)), numpy.array([0, 1]), "multiclass", "d", class_values=(0.0, 1.0))
    g = cnn(data, LENET5, LENET5_DENSE, name="lenet5")
    shapes = g.infer_shapes()
    assert shapes["conv1"] == (2, 6, 24, 24) and shapes["P2"] == (2, 16, 4, 4) and shapes["flat"] == (2, 256)
    _, total = graph_info(g)
    assert total == (6 * 25 + 6) + (16 * 6 * 25 + 16) + (256 * 120 + 120) + (120 * 84 + 84) + (84 * 2 + 2)


def test_cnn_refusals_are_one_line_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    odd = Dataset(numpy.zeros((4, 5)), numpy.array([0, 1, 2, 0]), "multiclass", "odd", class_values=(0.0, 1.0, 2.0))
    with pytest.raises(OptionError) as err:
        build_template("lenet_digits", odd)
    assert str(err.value) == "a CNN template needs square images; 'odd' has 5 features, not 1·H·H pixels"
    assert_korean(str(err.value))
    assert main(["train", "lenet_digits"]) == 2
    line = capsys.readouterr().err.strip()
    assert line == "error: --data: lenet_digits needs a data set"
    assert_korean(line.removeprefix("error: "))


def test_train_an_example_on_its_own_inputs_from_the_cli(capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # noqa: ANN001
    out_file = tmp_path / "trained.json"
    assert main(["train", "conv_lecture", "--steps", "50", "--lr", "0.05", "--json", "--save", str(out_file)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["data"] is None and out["steps"] == 50 and out["final_loss"] < 900
    assert main(["trace", str(out_file)]) == 0
