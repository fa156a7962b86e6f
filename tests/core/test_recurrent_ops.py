"""The recurrent ops in the model: the parser's names and keywords, shape rules that name the node and the
arithmetic (in English and Korean), a training graph against PyTorch through the Executor, files, `info`."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from graphapp.core import fileio
from graphapp.core.errors import AttrError, StudioError
from graphapp.core.executor import Executor
from graphapp.core.expr import FUNCTIONS, parse_expression
from graphapp.core.graph import Graph
from graphapp.core.info import graph_info
from graphapp.core.ops import CATEGORIES, REGISTRY
from tests.core.test_messages import assert_korean
from tests.kernels._recurrent_cases import torch_module, torch_params

torch = pytest.importorskip("torch", reason="PyTorch is the test-only oracle; install torch==2.13.0")
OPS = ("rnn_cell", "lstm_cell", "gru_cell", "rnn", "lstm", "gru", "select", "append")


def shapes_of(expr: str, **shapes: tuple[int, ...]) -> Graph:
    return parse_expression(expr, {n: np.zeros(s) for n, s in shapes.items()})


def test_the_ops_are_registered_with_both_languages() -> None:
    assert CATEGORIES["recurrent"] == ("Recurrent", "순환 신경망")
    for op in OPS:
        spec = REGISTRY[op]
        assert op in FUNCTIONS and spec.category == ("matrix" if op in ("select", "append") else "recurrent")
        assert spec.en and re.search("[가-힣]", spec.ko + spec.description_ko), op
        assert len(spec.formulas) == len(spec.inputs), op


def test_the_parser_takes_the_sequence_nodes_with_keywords() -> None:
    g = shapes_of("y = rnn(x, W_x, W_h, b, sequences=True)", x=(64, 7, 5), W_x=(5, 32), W_h=(32, 32), b=(32,))
    assert g.infer_shapes()["y"] == (64, 7, 32)
    assert {n.op for n in g.nodes.values()} >= {"rnn", "param"}
    assert all(g.nodes[p].op == "param" for p in ("W_x", "W_h", "b"))  # trainable by their names
    node = next(n for n in g.nodes.values() if n.op == "rnn")
    assert node.attrs == {"sequences": True, "nonlinearity": "tanh"}
    g = shapes_of("y = rnn(x, W_x, W_h, b, nonlinearity='ReLU')", x=(2, 3, 4), W_x=(4, 5), W_h=(5, 5), b=(5,))
    assert next(n for n in g.nodes.values() if n.op == "rnn").attrs == {"sequences": False, "nonlinearity": "relu"}
    assert g.infer_shapes()["y"] == (2, 5)
    g = shapes_of("y = gru(x, W_x, W_h, b_x, b_h)", x=(2, 3, 4), W_x=(4, 15), W_h=(5, 15), b_x=(15,), b_h=(15,))
    assert g.infer_shapes()["y"] == (2, 5)
    g = shapes_of("s = lstm_cell(x, s0, W_x, W_h, b); y = select(s, axis=1, index=0)",
                  x=(2, 4), s0=(2, 2, 5), W_x=(4, 20), W_h=(5, 20), b=(20,))
    assert g.infer_shapes()["s"] == (2, 2, 5) and g.infer_shapes()["y"] == (2, 5)
    g = shapes_of("y = append(append(h1, h2), h3)", h1=(2, 5), h2=(2, 5), h3=(2, 5))
    assert g.infer_shapes()["y"] == (2, 3, 5)


@pytest.mark.parametrize(("expr", "shapes", "message"), [
    ("lstm(x, W_x, W_h, b)", {"x": (3, 4), "W_x": (4, 8), "W_h": (2, 8), "b": (8,)},
     "lstm takes x of shape (N, T, F), T ≥ 1; 'x' has (3, 4)"),
    ("rnn(x, W_x, W_h, b)", {"x": (3, 0, 4), "W_x": (4, 2), "W_h": (2, 2), "b": (2,)}, "'x' has (3, 0, 4)"),
    ("lstm(x, W_x, W_h, b)", {"x": (3, 4, 5), "W_x": (5, 8), "W_h": (2, 4), "b": (8,)},
     "lstm takes W_h of shape (H, 4·H); 'W_h' has (2, 4): 4·2 = 8, not 4"),
    ("lstm(x, W_x, W_h, b)", {"x": (3, 4, 5), "W_x": (6, 8), "W_h": (2, 8), "b": (8,)},
     "W_x 'W_x' has (6, 8); lstm needs W_x (F, 4·H) = (5, 8) (N = 3, F = 5 from x 'x'; H = 2 from W_h 'W_h')"),
    ("gru(x, W_x, W_h, b_x, b_h)", {"x": (3, 4, 5), "W_x": (5, 6), "W_h": (2, 6), "b_x": (6,), "b_h": (2,)},
     "b_h 'b_h' has (2,); gru needs b_h (3·H,) = (6,)"),
    ("rnn_cell(x, h, W_x, W_h, b)", {"x": (3, 5), "h": (2, 2), "W_x": (5, 2), "W_h": (2, 2), "b": (2,)},
     "h 'h' has (2, 2); rnn_cell needs h (N, H) = (3, 2) (N = 3"),
    ("lstm_cell(x, h, W_x, W_h, b)", {"x": (3, 5), "h": (3, 2), "W_x": (5, 8), "W_h": (2, 8), "b": (8,)},
     "s 'h' has (3, 2); lstm_cell needs s (N, 2, H) = (3, 2, 2)"),
    ("gru_cell(x, h, W_x, W_h, b_x, b_h)", {"x": (3, 5, 1), "h": (3, 2), "W_x": (5, 6), "W_h": (2, 6), "b_x": (6,),
                                            "b_h": (6,)}, "gru_cell takes x of shape (N, F); 'x' has (3, 5, 1)"),
    ("rnn(x, W_x, W_h, b)", {"x": (3, 4, 5), "W_x": (5, 2), "W_h": (2, 2, 1), "b": (2,)},
     "rnn takes W_h of shape (H, 1·H); 'W_h' has (2, 2, 1)"),
    ("select(x, axis=1, index=7)", {"x": (2, 7, 5)},
     "index 7 is outside axis 1 of 'x' (2, 7, 5), whose 7 entries are 0 to 6 (or −7 to −1)"),
    ("select(x, axis=-4, index=0)", {"x": (2, 7, 5)}, "axis -4 is out of range for shape (2, 7, 5)"),
    ("append(s, h)", {"s": (2, 3, 4), "h": (2, 5)},
     "append takes seq (N, t, H) or (N, H) and h (N, H) with the same N and H; got 's' (2, 3, 4) and 'h' (2, 5)"),
    ("rnn(x, W_x, W_h, b, nonlinearity='sigmoid')", {"x": (1, 1, 1), "W_x": (1, 1), "W_h": (1, 1), "b": (1,)},
     "rnn attribute 'nonlinearity' got \"sigmoid\"; expected 'tanh' or 'relu'"),
])
def test_bad_shapes_name_the_node_and_the_arithmetic_in_both_languages(expr: str, shapes: dict, message: str) -> None:
    with pytest.raises(StudioError) as err:
        shapes_of(f"y = {expr}", **shapes)
    assert message in str(err.value), str(err.value)
    assert re.search(r"node '\w+_1'", str(err.value))
    assert_korean(str(err.value))


def test_a_bad_attribute_is_refused_by_the_graph() -> None:
    g = Graph()
    g.add_node("rnn", "r")
    with pytest.raises(AttrError, match="node 'r': rnn attribute 'nonlinearity' got 1; expected 'tanh' or 'relu'"):
        g.set_attr("r", "nonlinearity", 1)
    with pytest.raises(AttrError, match="'sequences' got \"yes\""):
        g.set_attr("r", "sequences", "yes")


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_a_many_to_one_regression_graph_matches_torch(kind: str) -> None:
    """The stock lab's shape of model: 7 steps of 5 features → hidden 4 → dense to 1 → mse, through the
    Executor (recorded run), every parameter's gradient against torch's nn.RNN/LSTM/GRU + nn.Linear."""
    rng = np.random.default_rng(7)
    k = {"rnn": 1, "lstm": 4, "gru": 3}[kind]
    h = 4
    values = {"x": rng.normal(size=(6, 7, 5)), "y": rng.normal(size=(6, 1)), "W_x": rng.normal(size=(5, k * h)) * 0.5,
              "W_h": rng.normal(size=(h, k * h)) * 0.5, "b": rng.normal(size=k * h), "W": rng.normal(size=(h, 1)),
              "b2": rng.normal(size=1)}
    biases = "b, b_h" if kind == "gru" else "b"
    if kind == "gru":
        values["b_h"] = rng.normal(size=k * h)
    g = parse_expression(f"L = mse(dense({kind}(x, W_x, W_h, {biases}), W, b2), y)", values)
    trace = Executor(g).run()
    t = {n: torch.tensor(v, requires_grad=True) for n, v in values.items()}
    module = torch_module(kind, 5, h)
    out, _ = torch.func.functional_call(module, torch_params(kind, t["W_x"], t["W_h"], t["b"], t.get("b_h")),
                                        (t["x"],))
    loss = torch.nn.functional.mse_loss(out[:, -1] @ t["W"] + t["b2"], t["y"])
    loss.backward()
    np.testing.assert_allclose(trace.values["L"], loss.item(), rtol=1e-12)
    for name, tensor in t.items():
        np.testing.assert_allclose(trace.grads[name], tensor.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)


def test_recurrent_nodes_survive_a_file_round_trip_and_count_parameters() -> None:
    g = shapes_of("y = rnn(x, W_x, W_h, b, sequences=True, nonlinearity='relu')",
                  x=(64, 7, 5), W_x=(5, 32), W_h=(32, 32), b=(32,))
    back = fileio.graph_from_dict(json.loads(json.dumps(fileio.graph_to_dict(g))), "g.json")
    assert back.nodes["rnn_1"].attrs == {"sequences": True, "nonlinearity": "relu"}
    assert back.infer_shapes()["y"] == (64, 7, 32)
    _, total = graph_info(back)
    assert total == 5 * 32 + 32 * 32 + 32  # W_x, W_h and b: what torch.nn.RNN has, less its second bias


# ---- expansion into cells (the graph edit that applies it is graphapp/core/expand.py's) ------------

def layer_graph(kind: str, attrs: dict, steps: int, seed: int = 8) -> tuple[Graph, dict[str, tuple[int, ...]]]:
    """x and the weights → one `kind` node 'r' → r ⊙ C → sum → L, C a fixed random array (so that every
    output element gets its own upstream gradient)."""
    rng = np.random.default_rng(seed)
    n, f, h, k = 3, 2, 4, {"rnn": 1, "lstm": 4, "gru": 3}[kind]
    shapes = {"x": (n, steps, f), "W_x": (f, k * h), "W_h": (h, k * h), "b": (k * h,), "b_x": (k * h,), "b_h": (k * h,)}
    g = Graph()
    g.add_node(kind, "r", attrs=attrs)
    ports = REGISTRY[kind].inputs
    for port in ports:
        g.add_node("input" if port == "x" else "param", port, value=rng.normal(size=shapes[port]) * 0.7)
        g.connect(port, "r", port)
    out_shape = (n, steps, h) if attrs.get("sequences") else (n, h)
    g.add_node("const", "C", value=rng.normal(size=out_shape))
    g.add_node("mul", "m")
    g.add_node("sum", "L")
    g.connect("r", "m", "a")
    g.connect("C", "m", "b")
    g.connect("m", "L", "x")
    return g, {p: shapes[p] for p in ports}


def expanded(g: Graph, shapes: dict[str, tuple[int, ...]]) -> tuple[Graph, list]:
    """The same graph with 'r' replaced by its pieces, wired by hand: '@PORT' is what fed that port."""
    from graphapp.core.expanders import EXPANDERS  # noqa: PLC0415

    layer = g.nodes["r"]
    pieces = EXPANDERS[layer.op](layer, shapes)
    e = Graph()
    for nid in ("x", "W_x", "W_h", "b", "b_x", "b_h", "C"):
        if nid in g.nodes:
            node = g.nodes[nid]
            e.add_node(node.op, nid, value=node.value)
    for p in pieces:
        e.add_node(p.op, f"r/{p.key}", value=p.value, attrs=dict(p.attrs), label=p.label, label_ko=p.label_ko)
        for port, ref in p.inputs.items():
            e.connect(ref[1:] if ref.startswith("@") else f"r/{ref}", f"r/{p.key}", port)
    e.add_node("mul", "m")
    e.add_node("sum", "L")
    e.connect(f"r/{pieces[-1].key}", "m", "a")
    e.connect("C", "m", "b")
    e.connect("m", "L", "x")
    return e, pieces


@pytest.mark.parametrize("steps", [1, 2, 7])
@pytest.mark.parametrize("sequences", [False, True])
@pytest.mark.parametrize(("kind", "nonlinearity"), [("rnn", "tanh"), ("rnn", "relu"), ("lstm", None), ("gru", None)])
def test_unrolled_cells_give_the_same_numbers_as_the_sequence_node(kind: str, nonlinearity: str | None,
                                                                  sequences: bool, steps: int) -> None:
    attrs = {"sequences": sequences, **({"nonlinearity": nonlinearity} if nonlinearity else {})}
    g, shapes = layer_graph(kind, attrs, steps)
    e, pieces = expanded(g, shapes)
    keys = [p.key for p in pieces]
    assert len(keys) == len(set(keys))
    assert [p.op for p in pieces].count(f"{kind}_cell") == steps
    assert pieces[0].op == "zero_state" and pieces[0].inputs == {"x": "@x"}  # h₀ = 0 at x's batch size
    cells = [p for p in pieces if p.op.endswith("_cell")]
    assert all(p.inputs["W_x"] == "@W_x" and p.inputs["W_h"] == "@W_h" for p in cells)  # weights shared
    assert all(p.attrs == ({"nonlinearity": nonlinearity} if nonlinearity else {}) for p in cells)
    assert e.infer_shapes()[f"r/{keys[-1]}"] == g.infer_shapes()["r"]
    layer, unrolled = Executor(g).run(), Executor(e).run()
    np.testing.assert_allclose(unrolled.values[f"r/{keys[-1]}"], layer.values["r"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(unrolled.values["L"], layer.values["L"], rtol=1e-12, atol=1e-12)
    for name in shapes:
        np.testing.assert_allclose(unrolled.grads[name], layer.grads[name], rtol=1e-12, atol=1e-12, err_msg=name)


def test_the_pieces_read_like_the_lecture() -> None:
    """A many-to-one LSTM over 3 steps: h₀'s state, x₁ s₁ x₂ s₂ x₃ s₃, then h₃ = s₃[:, 0]."""
    g, shapes = layer_graph("lstm", {"sequences": False}, 3)
    _, pieces = expanded(g, shapes)
    assert [(p.key, p.op, p.label) for p in pieces] == [
        ("s0", "zero_state", "s₀"), ("x1", "select", "x₁"), ("s1", "lstm_cell", "s₁"), ("x2", "select", "x₂"),
        ("s2", "lstm_cell", "s₂"), ("x3", "select", "x₃"), ("s3", "lstm_cell", "s₃"), ("h3", "select", "h₃")]
    assert pieces[0].attrs == {"hidden": 4, "cell": True}  # (N, 2, 4), N read from x
    assert pieces[4].inputs == {"x": "x2", "s": "s1", "W_x": "@W_x", "W_h": "@W_h", "b": "@b"}
    assert pieces[-1].attrs == {"axis": 1, "index": 0}


def test_long_sequences_and_big_tapes_are_refused_before_running() -> None:
    """T·N·k·H numbers are kept for backprop through time whatever the output's size, and each step is a
    Python step: both are bounded when a run is planned (shape inference alone shows them), naming the node."""
    big = shapes_of("y = sum(lstm(x, W_x, W_h, b))", x=(1000, 10000, 1), W_x=(1, 400), W_h=(100, 400), b=(400,))
    assert graph_info(big)[0][-3].shape == (1000, 100)
    with pytest.raises(StudioError, match=r"node 'lstm_1': lstm keeps T·N·4·H = 10000·1000·4·100 = 4,000,000,000"):
        Executor(big).run()
    long = shapes_of("y = sum(rnn(x, W_x, W_h, b))", x=(1, 100_001, 1), W_x=(1, 1), W_h=(1, 1), b=(1,))
    with pytest.raises(StudioError, match=r"node 'rnn_1': rnn runs T = 100,001 time steps; at most 100,000"):
        Executor(long).run()
