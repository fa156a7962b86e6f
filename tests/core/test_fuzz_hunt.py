"""Regressions from a hostile-user hunt over the CLI (issue 9's entry points): each input here once ended in a
traceback, a silently wrong file on disk, or an error naming the wrong option. Every refusal is one line
naming the place, exit code 2, with a Korean template, and the files on disk stay as they were."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy
import pytest

from graphapp.cli import main
from graphapp.core import expand as ex
from graphapp.core import fileio
from graphapp.core.errors import BadValueError
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph, Node
from graphapp.core.messages import has_hangul, translate
from graphapp.core.train.init import initialize, make_initializer
from tests.lab_data import STOCK, needs_lab



def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one error line of a refused command, after checking its Korean form."""
    assert main(list(argv)) == 2
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    korean, missing = translate(lines[0].removeprefix("error: "))
    assert korean is not None and not missing and has_hangul(korean), lines[0]
    return lines[0]


def test_a_weight_over_the_value_limit_is_refused_before_it_is_drawn() -> None:
    """`--hidden 100000` made a 100,000 × 100,000 weight: numpy's MemoryError (75 GiB) as a traceback."""
    with pytest.raises(BadValueError, match=r"node 'W2' value: more than 10,000,000 numbers"):
        initialize({"W1": (64, 100_000), "W2": (100_000, 100_000)}, make_initializer("he"))


@pytest.mark.parametrize("argv", [["train", "mlp", "--data", "digits", "--hidden", "100000,100000"],
                                  ["train", "hihello_rnn", "--hidden", "100000"],
                                  ["plot", "hidden", "hihello_rnn", "--hidden", "100000", "-o", "{tmp}/h.png"]])
def test_huge_hidden_sizes_are_one_line(argv: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    line = refused(capsys, *(a.replace("{tmp}", str(tmp_path)) for a in argv), "--steps", "1")
    assert "more than 10,000,000 numbers" in line and "value" in line


@needs_lab
@pytest.mark.parametrize("command", [["plot", "series", "stock_rnn", "-o"], ["train", "stock_rnn", "--curves"]])
def test_a_plot_never_writes_its_numbers_over_the_data_set(command: list[str], capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    """`-o stock.png --data stock.csv` wrote the plot's CSV over stock.csv: the lab's data set, gone."""
    data = tmp_path / "stock.csv"
    shutil.copy(STOCK, data)
    before = data.read_bytes()
    line = refused(capsys, *command, str(tmp_path / "stock.png"), "--data", str(data), "--steps", "1")
    assert f"{tmp_path / 'stock.png'}: its numbers would go to {data}, the data set being read" in line
    line = refused(capsys, *command, str(tmp_path / "out.csv"), "--data", str(data), "--steps", "1")
    assert "the picture itself; give a .png name" in line
    assert data.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["stock.csv"]


def test_picture_paths_are_checked_before_anything_runs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "the folder" in refused(capsys, "race", "-o", str(tmp_path / "no" / "r.png"))
    assert "is a folder" in refused(capsys, "plot", "series", "stock_rnn", "--data", "nope.csv", "-o", str(tmp_path))
    assert refused(capsys, "train", "xor_net", "--data", "xor", "--curves", "") == "error: --curves: the file name is empty"
    assert list(tmp_path.iterdir()) == []


def test_info_names_the_shape_option(capsys: pytest.CaptureFixture[str]) -> None:
    """info's errors said `--set` (trace's option) where the user typed --shape."""
    conv = ["info", "--expr", "y = conv2d(x, W, b)", "--shape", "x=1,1,5,5", "--shape", "W=2,1,3,3"]
    assert refused(capsys, *conv, "--shape", "b=2", "--shape", "zz=3").endswith(
        "--shape zz: no such name in the expression")
    assert refused(capsys, *conv).endswith("name 'b' has no shape (give one with --shape b=...)")


@pytest.mark.parametrize("argv", [["trace", "--expr", "y = x + 1", "--set", "x=1", "--set", " x=2"],
                                  ["info", "--expr", "y = x + 1", "--shape", "x=1", "--shape", "x=2"]])
def test_a_name_given_twice_is_refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """The later value silently won: a typo in a long command line went unnoticed."""
    assert refused(capsys, *argv).endswith("x: the name is given twice")


def test_xor_net_takes_one_hidden_size(capsys: pytest.CaptureFixture[str]) -> None:
    """`xor_net --hidden 100000,100000` trained a net of one hidden layer of 100,000 units without a word."""
    assert refused(capsys, "train", "xor_net", "--data", "xor", "--hidden", "3,4", "--steps", "1").endswith(
        "xor_net has one hidden layer; give one size, e.g. 2")


def _dense_chain(layers: int) -> Any:
    text, values = "h0 = x", {"x": [[1.0, 2.0]]}
    for i in range(1, layers + 1):
        text += f"; h{i} = tanh(dense(h{i - 1}, W{i}, b{i}))"
        values[f"W{i}"], values[f"b{i}"] = [[0.1, 0.2], [0.3, 0.4]], [0.0, 0.1]
    return parse_expression(f"{text}; L = sum(h{layers})", values, set())


def test_expanding_every_layer_of_a_deep_chain_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Expanding a layer disconnected its consumer (everything below it lost its shape: O(chain)), connected
    it again (O(chain) once more) and sorted the whole graph twice: expanding all 1,000 dense layers of a
    4,000-node chain took 55 s. Now each consumer is rewired in one step and nothing sorts the whole graph:
    shape work per layer is a constant, counted here."""
    work = [0]
    infer_one, sort = Graph._infer_one, Graph._sorted

    def counting_infer(self: Graph, *args: Any) -> Any:
        work[0] += 1
        return infer_one(self, *args)

    def counting_sort(self: Graph, nodes: Any, indegree: dict[str, int]) -> list[str]:
        nodes = list(nodes)
        work[0] += len(nodes)
        return sort(self, nodes, indegree)

    monkeypatch.setattr(Graph, "_infer_one", counting_infer)
    monkeypatch.setattr(Graph, "_sorted", counting_sort)
    per_layer = []
    for layers in (40, 160):
        g = _dense_chain(layers)
        before = Executor(g).run()
        work[0] = 0
        for nid in [n for n in list(g.nodes) if ex.expandable(g, n)]:
            ex.expand(g, nid)
        assert len(g.groups) == layers and len(g.nodes) == 4 * layers + 3 + layers
        after = Executor(g).run()
        assert numpy.allclose(after.values[f"h{layers}"], before.values[f"h{layers}"], rtol=0, atol=0)
        for gid in list(g.groups):
            ex.collapse(g, gid)
        assert not g.groups and fileio.dumps(g) == fileio.dumps(_dense_chain(layers))
        per_layer.append(work[0] / layers)
    assert per_layer[1] <= 1.2 * per_layer[0] and per_layer[1] < 40, per_layer  # was 800 and 3,080 a layer


@pytest.mark.parametrize("seed", range(40))
def test_inserting_before_removing_gives_the_order_of_removing_first(seed: int) -> None:
    """A swap now brings its new nodes in before the old ones leave; the insertion order (which breaks ties
    in the evaluation order, so traces stay reproducible) must come out as removing first would give."""
    import random  # noqa: PLC0415

    rng = random.Random(seed)
    g = Graph()
    for i in range(rng.randint(1, 12)):
        g.add_node("input", f"n{i}", value=1.0)
    removed = set(rng.sample(list(g.nodes), rng.randint(0, len(g.nodes))))
    survivors = [n for n in g.nodes if n not in removed]
    k = rng.randint(0, 4)
    indices = sorted(rng.sample(range(len(survivors) + k), k))
    insert = tuple((Node(f"new{j}", "input", value=numpy.zeros(())), index) for j, index in enumerate(indices))
    expected = list(survivors)
    for node, index in insert:
        expected.insert(index, node.id)
    g.insert_nodes(ex._indices_with(g, removed, insert))
    for nid in removed:
        g.remove_node(nid)
    assert list(g.nodes) == expected


def test_numbers_near_the_float_limit_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A column of ±1e308 overflowed the scaler's span (min-max) or mean (standard), and --lr 1e308 the
    optimizer's update: numpy's RuntimeWarnings printed lines before the error (a warning is an error here,
    as under pytest's filterwarnings); --predict's 1e400 became a NaN named after some node of the graph."""
    wide = tmp_path / "wide.csv"
    wide.write_text("a,b\n" + "".join(f"{s}1e308,{i % 2}\n" for i, s in enumerate("+-+-+-")), encoding="utf-8")
    for scale in ("minmax", "standard"):
        assert refused(capsys, "train", "mlp", "--data", str(wide), "--scale", scale, "--steps", "1").endswith(
            f"--scale {scale}: column 'a' spans more than 1.8e308, too wide to scale; use --scale none")
    assert "node 'cost'" in refused(capsys, "train", "mlp", "--data", "xor", "--lr", "1e308", "--steps", "5")
    assert refused(capsys, "train", "xor_net", "--data", "xor", "--steps", "1", "--predict", "[[1e400, 0]]").startswith(
        "error: --predict: values must be finite numbers")


def test_predict_is_refused_before_any_training(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad --predict used to be found only after the whole run (minutes of training, then exit 2)."""
    import graphapp.cli_lab as cli_lab  # noqa: PLC0415

    def no_training(*_: Any) -> None:
        raise AssertionError("trained before --predict was checked")

    monkeypatch.setattr(cli_lab, "run_lab", no_training)
    for rows, message in [("[[1e400, 0]]", "error: --predict: values must be finite numbers"),
                          ("[[0, 1], [1]]", "error: --predict: expected a list of rows of numbers, all of one length"),
                          ("[[", "error: --predict: not JSON")]:
        assert refused(capsys, "train", "xor_net", "--data", "xor", "--predict", rows).startswith(message)
    assert refused(capsys, "train", "xor_net", "--predict", "[[0, 1]]").startswith("error: --predict needs a data set")


def test_race_refuses_an_optimizer_given_twice_in_lr(capsys: pytest.CaptureFixture[str]) -> None:
    """--lr sgd=1,sgd=2 raced sgd at 2 without a word."""
    assert refused(capsys, "race", "--lr", "sgd=1,adam=0.1,SGD=2", "--json") == \
        "error: --lr sgd: the optimizer is given twice"


def test_window_without_a_csv_names_the_window(capsys: pytest.CaptureFixture[str]) -> None:
    """hihello_rnn --window 3 said 'hihello_rnn needs a data set', though hihello brings its own."""
    assert refused(capsys, "train", "hihello_rnn", "--window", "3") == \
        "error: --window: it cuts a CSV time series into windows; give the CSV with --data"
    assert refused(capsys, "train", "stock_lstm") == "error: --data: stock_lstm needs a data set"


@pytest.mark.parametrize("option", [["--batch-size", "5"], ["--test-fraction", "0.5"], ["--scale", "minmax"],
                                    ["--target", "y"], ["--validation-fraction", "0.2"]])
def test_row_options_without_a_data_set_are_refused(capsys: pytest.CaptureFixture[str], option: list[str]) -> None:
    """conv_lecture --batch-size 5 trained the one batch of its own inputs and ignored the option."""
    assert refused(capsys, "train", "conv_lecture", "--steps", "2", *option) == (
        f"error: {option[0]}: 'conv_lecture' trains on its own inputs as one batch; "
        "the option applies to a data set (--data)")
