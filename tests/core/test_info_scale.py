"""Big graphs can be inspected: shape inference is uncapped (`info` allocates nothing), and the 10⁷-number
limit of a value stands where a run would allocate, naming the node and the arithmetic."""
from __future__ import annotations

import json
from pathlib import Path

import numpy
import pytest

from graphapp.cli import main
from graphapp.core import fileio
from graphapp.core.errors import BadValueError, ShapeError
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.values import MAX_ELEMENTS, as_value, is_stand_in, stand_in
from tests.core.test_messages import assert_korean

VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


def vgg16(batch: int, blocks: int = 5, dense: bool = True) -> tuple[str, dict[str, tuple[int, ...]]]:
    """VGG-16 (configuration D) as an expression and the shapes of its names: 3×3 convolutions with padding 1,
    2×2 max pooling, then dense 25088 → 4096 → 4096 → 1000; `blocks` and `dense` cut it short."""
    parts, shapes, prev, channels, i, p = [], {"x": (batch, 3, 224, 224)}, "x", 3, 0, 0
    for v in VGG16:
        if p == blocks:
            break
        if v == "M":
            p += 1
            parts.append(f"p{p} = max_pool2d({prev}, kernel_size=2, stride=2)")
            prev = f"p{p}"
            continue
        i += 1
        parts.append(f"h{i} = relu(conv2d({prev}, W{i}, b{i}, padding=1))")
        shapes[f"W{i}"], shapes[f"b{i}"] = (v, channels, 3, 3), (v,)
        prev, channels = f"h{i}", v
    if dense:
        parts.append(f"a13 = flatten({prev})")
        for j, (d_in, d_out) in enumerate([(25088, 4096), (4096, 4096), (4096, 1000)], start=14):
            parts.append(f"{'y' if j == 16 else f'a{j}'} = {'relu(' if j < 16 else ''}dense(a{j - 1}, W{j}, b{j})"
                         f"{')' if j < 16 else ''}")
            shapes[f"W{j}"], shapes[f"b{j}"] = (d_in, d_out), (d_out,)
    return "; ".join(parts), shapes


def shape_args(shapes: dict[str, tuple[int, ...]]) -> list[str]:
    return [a for name, s in shapes.items() for a in ("--shape", f"{name}={','.join(map(str, s))}")]


def test_info_lists_vgg16_at_batch_64_with_its_138_million_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    expr, shapes = vgg16(64)
    assert main(["info", "--expr", expr, *shape_args(shapes), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["id"]: r for r in data["nodes"]}
    assert data["total_params"] == 138_357_544  # VGG-16's count, 102,764,544 of them in the first dense layer
    assert rows["W14"]["params"] == 25088 * 4096 and rows["x"]["shape"] == [64, 3, 224, 224]
    assert rows["h1"]["shape"] == [64, 64, 224, 224]  # 205,520,896 numbers: shown, never allocated
    assert [rows[f"p{k}"]["shape"] for k in range(1, 6)] == [
        [64, 64, 112, 112], [64, 128, 56, 56], [64, 256, 28, 28], [64, 512, 14, 14], [64, 512, 7, 7]]
    assert rows["a13"]["shape"] == [64, 25088] and rows["a15"]["shape"] == [64, 4096]
    assert rows["y"]["shape"] == [64, 1000] and all(r["shape"] for r in data["nodes"])


def test_info_shows_alexnet_conv1_at_batch_128(capsys: pytest.CaptureFixture[str]) -> None:
    """The input alone, 128·3·227·227 = 19,787,136 numbers, is past a value's limit: a shape is enough."""
    assert main(["info", "--expr", "y = max_pool2d(conv2d(x, W, b, stride=4), kernel_size=3, stride=2)",
                 "--shape", "x=128,3,227,227", "--shape", "W=96,3,11,11", "--shape", "b=96"]) == 0
    out = capsys.readouterr().out
    assert "[128, 96, 55, 55]" in out and "[128, 96, 27, 27]" in out and "[128, 3, 227, 227]" in out
    assert out.rstrip().endswith("total parameters: 34,944")


def test_a_run_of_the_inspected_graph_is_refused_by_node_before_it_allocates() -> None:
    expr, shapes = vgg16(64)
    graph = parse_expression(expr, {n: stand_in(s, n) for n, s in shapes.items()})
    assert is_stand_in(graph.nodes["W14"].value) and graph.nodes["W14"].value.size > MAX_ELEMENTS
    with pytest.raises(ShapeError) as err:
        Executor(graph).run()
    assert str(err.value) == ("node 'conv2d_1': its output (64, 64, 224, 224) would hold 64·64·224·224 = "
                              "205,520,896 numbers; a value holds at most 10,000,000")
    assert err.value.node == "conv2d_1"
    assert_korean(str(err.value))
    alexnet = parse_expression("y = sum(conv2d(x, W, b, stride=4))", {
        "x": stand_in((128, 3, 227, 227), "x"), "W": stand_in((96, 3, 11, 11), "W"), "b": stand_in((96,), "b")})
    with pytest.raises(ShapeError, match=r"^node 'x': its value \(128, 3, 227, 227\) would hold 128·3·227·227 = "
                                         r"19,787,136 numbers; a value holds at most 10,000,000$") as err:
        Executor(alexnet).run(backward=False, record=False)
    assert_korean(str(err.value))


def test_trace_of_vgg16s_first_block_exits_2_naming_the_node(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A file holds values (each within the limit): 4 images of 224×224 fit, what conv2d makes of them does not.
    The file opens (the window shows its shapes); a run is one error line naming the node."""
    expr, shapes = vgg16(4, blocks=1, dense=False)
    path = tmp_path / "vgg_block1.json"
    fileio.save(parse_expression(expr, {n: numpy.zeros(s) for n, s in shapes.items()}), path)
    assert fileio.load(path).infer_shapes()["p1"] == (4, 64, 112, 112)
    assert main(["trace", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == ("error: node 'conv2d_1': its output (4, 64, 224, 224) would hold 4·64·224·224 = 12,845,056 "
                   "numbers; a value holds at most 10,000,000\n")
    assert main(["trace", str(path), "--lang", "ko"]) == 2
    assert capsys.readouterr().err.startswith("오류: 노드 'conv2d_1': 출력 (4, 64, 224, 224)의 수가")


def test_stand_ins_hold_no_memory_and_absurd_shapes_are_refused() -> None:
    big = stand_in((64, 25088, 4096), "W")
    assert big.strides == (0, 0, 0) and not big.flags.writeable and big.size == 64 * 25088 * 4096
    kept = as_value(big, "W")  # a stand-in still: a copy would be 52 GB
    assert is_stand_in(kept) and kept.shape == big.shape and kept.strides == (0, 0, 0)
    small = as_value(stand_in((2, 3), "v"), "v")  # within the limit: real zeros a run can use
    assert not is_stand_in(small) and small.flags.writeable and not small.any()
    assert not is_stand_in(numpy.broadcast_to(numpy.zeros(()), (3,)))
    with pytest.raises(ShapeError):  # a run refuses every stand-in past the limit, by node
        Executor(parse_expression("y = sum(W)", {"W": big})).run()
    with pytest.raises(BadValueError, match=r"^--shape x: the shape would hold 999999999·999999999·999999999 "
                                            r"numbers, more than 2\^62 = 4,611,686,018,427,387,904; no machine "
                                            r"holds that$"):
        stand_in((999999999,) * 3, "--shape x")
    with pytest.raises(BadValueError, match=r"^x: the shape has a side of 3,000,000,000; a side is at most "
                                            r"2,147,483,647$"):
        stand_in((3_000_000_000,), "x")
    with pytest.raises(BadValueError, match=r"^x: more than 8 dimensions"):
        stand_in((1,) * 9, "x")
