"""The layers against the lectures' numbers, against PyTorch at fixed settings, and through the parser and `info`.

The generic suites (test_gradcheck, test_torch_oracle) already draw conv2d, pooling, flatten and dense
cases by hypothesis; here are the settings named in the lectures and the ones a student types.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from graphapp.cli import main
from graphapp.core import fileio
from graphapp.core.errors import ExpressionError, ShapeError, StudioError
from graphapp.core.executor import Executor
from graphapp.core.expr import FUNCTIONS, parse_expression
from graphapp.core.graph import Graph
from graphapp.core.info import graph_info
from graphapp.core.messages import localize
from tests.kernels._cases import run

torch = pytest.importorskip("torch", reason="PyTorch is the test-only oracle; install torch==2.13.0")
F = torch.nn.functional
TOL = {"rtol": 1e-10, "atol": 1e-12}
EVEN_SAME = "ignore:Using padding='same' with even kernel:UserWarning"  # torch's note that it copies; no error


def shapes_of(expr: str, **shapes: tuple[int, ...]) -> Graph:
    return parse_expression(expr, {n: np.zeros(s) for n, s in shapes.items()})


def torch_check(op: str, inputs: list[np.ndarray], attrs: dict, reference) -> None:  # noqa: ANN001
    rng = np.random.default_rng(1)
    out, _ = run(op, inputs, attrs)
    g = rng.normal(size=out.shape)
    out, grads = run(op, inputs, attrs, g)
    ts = [torch.tensor(x, requires_grad=True) for x in inputs]
    t_out = reference(*ts)
    t_out.backward(torch.tensor(g))
    np.testing.assert_allclose(out, t_out.detach().numpy(), **TOL)
    for grad, t in zip(grads, ts):
        np.testing.assert_allclose(grad, t.grad.numpy(), **TOL)


@pytest.mark.parametrize(("n", "c", "co", "h", "w", "k", "stride", "padding"), [
    (1, 1, 1, 5, 5, 3, 1, 0), (2, 3, 4, 8, 6, 3, 1, 1), (2, 2, 3, 9, 9, 3, 2, 0), (3, 3, 2, 11, 7, 5, 2, 2),
    (1, 4, 8, 12, 12, 4, 4, 0), (2, 2, 2, 7, 5, 3, 1, "same"), (2, 3, 2, 6, 6, 2, 1, "same"),
    (1, 2, 3, 6, 6, 3, 1, "valid")])
@pytest.mark.filterwarnings(EVEN_SAME)
def test_conv2d_matches_torch(n, c, co, h, w, k, stride, padding) -> None:  # noqa: ANN001
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(n, c, h, w)), rng.normal(size=(co, c, k, k)), rng.normal(size=co)
    torch_check("conv2d", [x, W, b], {"stride": stride, "padding": padding},
                lambda x, W, b: F.conv2d(x, W, b, stride=stride, padding=padding))


@pytest.mark.parametrize(("op", "k", "stride", "h"), [
    ("max_pool2d", 2, 0, 8), ("max_pool2d", 3, 2, 9), ("max_pool2d", 2, 1, 5), ("max_pool2d", 3, 3, 9),
    ("avg_pool2d", 2, 0, 8), ("avg_pool2d", 3, 2, 9), ("avg_pool2d", 2, 1, 5)])
def test_pooling_matches_torch(op: str, k: int, stride: int, h: int) -> None:
    x = np.random.default_rng(2).normal(size=(2, 3, h, h))
    fn = getattr(F, op)
    torch_check(op, [x], {"kernel_size": k, "stride": stride}, lambda x: fn(x, k, stride or k))


def test_max_pool_ties_send_the_gradient_to_the_first_maximum_like_torch() -> None:
    x = np.array([[[[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0], [2.0, 0.0, 3.0, 3.0], [0.0, 2.0, 3.0, 3.0]]]])
    torch_check("max_pool2d", [x], {"kernel_size": 2, "stride": 0}, lambda x: F.max_pool2d(x, 2))
    _, (gx,) = run("max_pool2d", [x], {"kernel_size": 2, "stride": 0})
    assert gx.tolist() == [[[[1.0, 0, 1.0, 0], [0, 0, 0, 0], [1.0, 0, 1.0, 0], [0, 0, 0, 0]]]]


def test_flatten_and_dense_match_torch() -> None:
    rng = np.random.default_rng(3)
    torch_check("flatten", [rng.normal(size=(2, 3, 4, 5))], {}, lambda x: torch.flatten(x, 1))
    x, W, b = rng.normal(size=(4, 6)), rng.normal(size=(6, 3)), rng.normal(size=3)
    torch_check("dense", [x, W, b], {}, lambda x, W, b: F.linear(x, W.T, b))  # torch's weight is (out, in)


# ---- the lectures -------------------------------------------------------------------------------

def test_alexnet_conv1_and_pool1() -> None:
    """227×227×3, 96 filters 11×11 at stride 4: 55×55×96 and 34,944 parameters (34,848 weights, the
    lecture's "35K", and 96 biases); POOL1 3×3 at stride 2: 27×27×96 and none."""
    g = shapes_of("pool1 = max_pool2d(conv1, kernel_size=3, stride=2); conv1 = conv2d(x, W, b, stride=4, padding=0)"
                  .split("; ")[1] + "; y = max_pool2d(conv1, kernel_size=3, stride=2)",
                  x=(1, 3, 227, 227), W=(96, 3, 11, 11), b=(96,))
    rows, total = graph_info(g)
    by_id = {r.id: r for r in rows}
    assert by_id["conv1"].shape == (1, 96, 55, 55) and by_id["y"].shape == (1, 96, 27, 27)
    assert (by_id["W"].params, by_id["b"].params, total) == (34_848, 96, 34_944)
    assert by_id["conv1"].params == by_id["y"].params == 0
    assert 3 * 96 * 11 * 11 + 96 == 34_944  # C_in·C_out·F·F + C_out


def test_a_stride_that_does_not_fit_is_refused_with_the_arithmetic() -> None:
    g = Graph()
    g.add_node("input", "x", value=np.zeros((1, 1, 7, 7)))
    g.add_node("param", "W", value=np.zeros((1, 1, 3, 3)))
    g.add_node("param", "b", value=np.zeros(1))
    g.add_node("conv2d", "c", attrs={"stride": 3})
    g.connect("x", "c", "x")
    g.connect("W", "c", "W")
    with pytest.raises(ShapeError) as err:
        g.connect("b", "c", "b")
    assert str(err.value) == ("node 'c': output height (7 + 2·0 − 3)/3 + 1 = 2.33 is not a whole number; "
                              "stride 3 does not fit")
    assert err.value.node == "c" and "c" not in g.infer_shapes(partial=True)
    with pytest.raises(ShapeError, match=r"output height \(7 \+ 2·0 − 2\)/2 \+ 1 = 3.5 is not a whole"):
        g.add_node("max_pool2d", "p")
        g.connect("x", "p", "x")  # kernel_size 2, stride 2 (the window) on 7 rows


@pytest.mark.filterwarnings(EVEN_SAME)
def test_the_lecture_convolution_valid_and_same() -> None:
    """Lab 11's "1,3,3,1 image, Filter: 2,2,1,1, Stride: 1x1" (seed 001): the image 1…9, a filter of ones.
    VALID gives 2×2; SAME ("want 3x3, zero padding") pads one zero row and column after, as TensorFlow."""
    image = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    ones, zero = np.ones((1, 1, 2, 2)), np.zeros(1)
    valid, _ = run("conv2d", [image, ones, zero], {"stride": 1, "padding": "valid"})
    same, _ = run("conv2d", [image, ones, zero], {"stride": 1, "padding": "same"})
    assert valid[0, 0].tolist() == [[12.0, 16.0], [24.0, 28.0]]
    assert same[0, 0].tolist() == [[12.0, 16.0, 9.0], [24.0, 28.0, 15.0], [15.0, 17.0, 9.0]]
    t_same = F.conv2d(torch.tensor(image), torch.tensor(ones), padding="same")  # torch puts the extra zero after too
    assert same.tolist() == t_same.numpy().tolist()


def test_the_lecture_max_pooling() -> None:
    """2×2 filters at stride 2 on the 4×4 input of the slide: 6 8 / 3 4."""
    x = np.array([[[[1.0, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]]])
    out, (gx,) = run("max_pool2d", [x], {"kernel_size": 2, "stride": 2})
    assert out[0, 0].tolist() == [[6.0, 8.0], [3.0, 4.0]]
    assert gx[0, 0].tolist() == [[0, 0, 0, 0], [0, 1, 0, 1], [1, 0, 0, 0], [0, 0, 0, 1]]


def test_the_lecture_mlp_parameter_count_is_1623_not_2213() -> None:
    """Seed 003: "(50 × 30) + 30 + (30 × 3) + 3 = 2213". The terms sum to 1,623; the lecture's sum is wrong."""
    assert (50 * 30) + 30 + (30 * 3) + 3 == 1623 != 2213
    g = shapes_of("y = (sigmoid(x @ W1 + b1)) @ W2 + b2", x=(1, 50), W1=(50, 30), b1=(30,), W2=(30, 3), b2=(3,))
    _, total = graph_info(g)
    assert total == 1623
    g = shapes_of("y = dense(sigmoid(dense(x, W1, b1)), W2, b2)", x=(8, 50), W1=(50, 30), b1=(30,), W2=(30, 3),
                  b2=(3,))
    rows, total = graph_info(g)
    assert total == 1623 and rows[-1].shape == (8, 3)


# ---- the parser, the graph, the executor ----------------------------------------------------------

def test_the_parser_takes_pytorch_names_keywords_and_aliases() -> None:
    for name in ("conv2d", "max_pool2d", "avg_pool2d", "flatten", "dense", "conv", "maxpool", "avgpool", "affine"):
        assert name in FUNCTIONS
    g = shapes_of("y = flatten(avg_pool2d(maxpool(conv(x, W, b, stride=1, padding='same'), kernel_size=2), "
                  "kernel_size=2, stride=1))", x=(2, 3, 8, 8), W=(4, 3, 3, 3), b=(4,))
    assert g.infer_shapes()["y"] == (2, 4 * 3 * 3)
    assert {n.op for n in g.nodes.values()} >= {"conv2d", "max_pool2d", "avg_pool2d", "flatten"}
    with pytest.raises(ExpressionError, match="conv2d\\(\\) has no option 'kernel_size'"):
        shapes_of("y = conv2d(x, W, b, kernel_size=3)", x=(1, 1, 4, 4), W=(1, 1, 3, 3), b=(1,))
    with pytest.raises(ExpressionError, match="padding' got \"full\"; expected 'valid', 'same' or a whole number"):
        shapes_of("y = conv2d(x, W, b, padding='full')", x=(1, 1, 4, 4), W=(1, 1, 3, 3), b=(1,))


@pytest.mark.parametrize(("expr", "shapes", "message"), [
    ("conv2d(x, W, b)", {"x": (3, 4, 4), "W": (1, 3, 3, 3), "b": (1,)}, "conv2d takes x of shape (N, C, H, W)"),
    ("conv2d(x, W, b)", {"x": (1, 3, 4, 4), "W": (1, 3, 3), "b": (1,)}, "conv2d takes W of shape"),
    ("conv2d(x, W, b)", {"x": (1, 3, 4, 4), "W": (1, 2, 3, 3), "b": (1,)}, "has 2 input channels"),
    ("conv2d(x, W, b)", {"x": (1, 3, 4, 4), "W": (2, 3, 3, 3), "b": (3,)}, "one per filter of 'W' is (2,)"),
    ("conv2d(x, W, b)", {"x": (1, 1, 2, 2), "W": (1, 1, 3, 3), "b": (1,)}, "the window 3 is larger than the height"),
    ("conv2d(x, W, b, stride=2, padding=1)", {"x": (1, 1, 7, 6), "W": (1, 1, 3, 3), "b": (1,)},
     "output width (6 + 2·1 − 3)/2 + 1 = 3.5"),
    ("max_pool2d(x, kernel_size=3)", {"x": (1, 1, 3, 4)}, "output width (4 + 2·0 − 3)/3 + 1 = 1.33"),
    ("avg_pool2d(x)", {"x": (4, 4)}, "avg_pool2d takes x of shape (N, C, H, W)"),
    ("conv2d(x, W, b, padding='full')", {"x": (1, 1, 4, 4), "W": (1, 1, 3, 3), "b": (1,)},
     "expected 'valid', 'same' or a whole number of zeros from 0 to 1024"),
    ("flatten(x)", {"x": (4,)}, "flatten keeps the batch axis"),
    ("dense(x, W, b)", {"x": (2, 3), "W": (4, 2), "b": (2,)}, "dense takes x (N, D_in)"),
])
def test_bad_shapes_name_the_node_and_have_korean(expr: str, shapes: dict, message: str) -> None:
    from tests.core.test_messages import assert_korean  # noqa: PLC0415

    with pytest.raises(StudioError) as err:
        shapes_of(f"y = {expr}", **shapes)
    assert message in str(err.value) and re.search(r"node '\w+_1'", str(err.value))
    assert_korean(str(err.value))


def test_a_small_cnn_runs_forward_and_backward_through_the_executor() -> None:
    rng = np.random.default_rng(4)
    values = {"x": rng.normal(size=(2, 1, 6, 6)), "W": rng.normal(size=(2, 1, 3, 3)), "b": rng.normal(size=2),
              "W2": rng.normal(size=(8, 3)), "b2": rng.normal(size=3)}
    g = parse_expression("L = sum(dense(flatten(max_pool2d(relu(conv2d(x, W, b, padding=1)), kernel_size=3)), "
                         "W2, b2))", values)
    trace = Executor(g).run()
    tx, tW, tb, tW2, tb2 = (torch.tensor(values[n], requires_grad=True) for n in ("x", "W", "b", "W2", "b2"))
    t = (torch.flatten(F.max_pool2d(F.relu(F.conv2d(tx, tW, tb, padding=1)), 3), 1) @ tW2 + tb2).sum()
    t.backward()
    np.testing.assert_allclose(trace.values["L"], t.item(), rtol=1e-12)
    for name, tensor in zip(("x", "W", "b", "W2", "b2"), (tx, tW, tb, tW2, tb2)):
        np.testing.assert_allclose(trace.grads[name], tensor.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_padding_same_survives_a_file_round_trip() -> None:
    g = shapes_of("y = conv2d(x, W, b, stride=2, padding='SAME')", x=(1, 2, 5, 5), W=(3, 2, 3, 3), b=(3,))
    assert g.nodes["conv2d_1"].attrs == {"stride": 2, "padding": "same"}  # normalized as TensorFlow writes it
    back = fileio.graph_from_dict(json.loads(json.dumps(fileio.graph_to_dict(g))), "g.json")
    assert back.nodes["conv2d_1"].attrs == {"stride": 2, "padding": "same"}
    assert back.infer_shapes()["y"] == (1, 3, 3, 3)  # ceil(5/2)


# ---- info ---------------------------------------------------------------------------------------

def test_info_json_lists_nodes_and_the_total(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["info", "--expr", "y = max_pool2d(conv2d(x, W, b, stride=4, padding=0), kernel_size=3, stride=2)",
            "--shape", "x=1,3,227,227", "--shape", "W=96,3,11,11", "--shape", "b=96", "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_params"] == 34_944
    rows = {r["id"]: r for r in data["nodes"]}
    assert set(rows["W"]) == {"id", "label", "op", "shape", "params"}
    assert rows["conv2d_1"] == {"id": "conv2d_1", "label": "conv2d_1", "op": "conv2d", "shape": [1, 96, 55, 55],
                                "params": 0}
    assert rows["y"]["shape"] == [1, 96, 27, 27] and rows["W"]["params"] == 34_848


def test_info_table_for_the_lecture_mlp(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["info", "--expr", "y = (sigmoid(x @ W1 + b1)) @ W2 + b2", "--shape", "x=1,50", "--shape", "W1=50,30",
            "--shape", "b1=30", "--shape", "W2=30,3", "--shape", "b2=3"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("total parameters: 1,623")
    assert re.search(r"W1\s+param\s+\[50, 30\]\s+1,500", out)


def test_info_of_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "apple_tax", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_params"] == 0 and all(r["shape"] == [] for r in data["nodes"])


@pytest.mark.parametrize(("argv", "message"), [
    (["--expr", "y = conv2d(x, W, b, stride=3)", "--shape", "x=1,1,7,7", "--shape", "W=1,1,3,3", "--shape", "b=1"],
     "node 'conv2d_1': output height (7 + 2·0 − 3)/3 + 1 = 2.33 is not a whole number"),
    (["--expr", "y = x", "--shape", "x=999999999,999999999,999999999"],
     "--shape x: the shape would hold 999999999·999999999·999999999 numbers, more than 2^62"),
    (["--expr", "y = x", "--shape", "x=1,0"], "--shape 'x=1,0': expected NAME=SIZES"),
    (["--expr", "y = x", "--shape", "x"], "expected NAME=SIZES"),
    (["apple_tax", "--shape", "x=1"], "--shape works with --expr"),
    (["apple_tax", "--expr", "y = x"], "not both"),
    ([], "info needs an example name"),
])
def test_info_refuses_in_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.core.test_messages import assert_korean  # noqa: PLC0415

    assert main(["info", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err, err
    assert_korean(err[len("error: "):].rstrip("\n"))
    assert main(["info", "--lang", "ko", *argv]) == 2
    assert capsys.readouterr().err.startswith("오류: ")


def test_the_refusal_reads_in_korean() -> None:
    text = "node 'c': output height (7 + 2·0 − 3)/3 + 1 = 2.33 is not a whole number; stride 3 does not fit"
    assert localize(text, "ko") == "노드 'c': 출력 높이 (7 + 2·0 − 3)/3 + 1 = 2.33: 정수가 아닙니다. 스트라이드 3이(가) 맞지 않습니다"
