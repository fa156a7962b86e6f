"""The gradient check: central differences against the backward pass, Qt-free."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy
import pytest

from graphapp.core import examples
from graphapp.core.errors import DomainError
from graphapp.core.expr import parse_expression
from graphapp.core.gradcheck import MAX_CHECKED, MAX_ROWS, check_gradients, data_rows, iter_gradients
from graphapp.core.graph import Graph
from graphapp.core.ops import REGISTRY
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.sequences import Windowing, load_windows
from graphapp.core.train.templates import build_template
from kernels.base import Kernel
from tests.lab_data import STOCK



def test_gradcheck_agrees_on_apple_tax_and_names_a_kink() -> None:
    rows = check_gradients(examples.load_example("apple_tax"))
    by_node = {r.node: r for r in rows}
    assert abs(float(by_node["price"].numeric) - 2.2) < 1e-6 and all(r.ok for r in rows)
    assert all(r.where is None and r.kinks == 0 and r.checked == r.total for r in rows)  # small: every element
    # relu'(0) = 0 by convention, the difference quotient says 0.5: no derivative there, a kink, not a wrong one
    kink = parse_expression("z = relu(x)", {"x": 0})
    (row,) = check_gradients(kink)
    assert abs(float(row.numeric) - 0.5) < 1e-6 and row.kinks == 1 and row.ok
    smooth = parse_expression("z = relu(x)", {"x": -1})
    assert check_gradients(smooth)[0].kinks == 0


def _broken_dense(monkeypatch: pytest.MonkeyPatch) -> None:
    """dense with ∂L/∂W off by 1%: the kind of mistake the check exists to catch."""
    spec = REGISTRY["dense"]
    good = spec.kernel

    def vjp(xp, saved, g, attrs):  # noqa: ANN001, ANN202
        dx, dw, db = good.vjp(xp, saved, g, attrs)
        return dx, dw * 1.01, db

    monkeypatch.setitem(REGISTRY, "dense", dataclasses.replace(spec, kernel=Kernel(good.forward, vjp)))


def test_a_wrong_vjp_is_caught_where_relu_kinks_are_excused(monkeypatch: pytest.MonkeyPatch) -> None:
    g = examples.load_example("vgg_block")  # zero biases and blank pixels: kinks in every relu layer
    assert all(r.ok for r in check_gradients(g))
    _broken_dense(monkeypatch)
    rows = {r.node: r for r in check_gradients(g)}
    assert not rows["W1"].ok and rows["W1"].kinks == 0
    assert rows["b1"].ok and rows["K1"].ok


def _templates() -> dict[str, Graph]:
    graphs = {"lenet_digits": build_template("lenet_digits", load_dataset("digits")),
              "hihello_rnn": build_template("hihello_rnn", None)}
    if STOCK.is_file():
        graphs["stock_rnn"] = build_template("stock_rnn", load_windows(STOCK, Windowing(7, "newest-first")).train)
    return graphs


@pytest.mark.parametrize("name", ["vgg_block", "resnet_block", "lenet_digits", "stock_rnn", "hihello_rnn"])
def test_the_cnn_and_rnn_models_pass(name: str) -> None:
    graphs = _templates()
    if name not in graphs and name not in examples.example_names():
        pytest.skip("the lab's stock CSV (shared/datasets) is not here")
    g = graphs[name] if name in graphs else examples.load_example(name)
    rows = check_gradients(g)
    bad = [(r.node, r.analytic, r.numeric) for r in rows if not r.ok]
    assert not bad, bad
    for r in rows:
        assert r.checked == (0 if r.index else min(r.total, MAX_CHECKED)), r.node
    assert {r.node for r in rows if r.index} == ({"Y"} if name != "stock_rnn" else set())  # class numbers


def test_a_large_node_is_sampled_spread_out_and_at_its_largest_gradient() -> None:
    g = build_template("lenet_digits", load_dataset("digits"))
    assert data_rows(g) == (MAX_ROWS, 1797)
    rows = {r.node: r for r in check_gradients(g)}
    w1 = rows["W1"]
    assert (w1.total, w1.checked, w1.analytic.shape) == (512 * 64, MAX_CHECKED, (MAX_CHECKED,))
    assert w1.where[0] < 512 * 64 // MAX_CHECKED and w1.where[-1] > 512 * 64 * (MAX_CHECKED - 1) // MAX_CHECKED
    # the largest |∂L/∂W1| of the cut batch is among the checked elements
    assert numpy.max(numpy.abs(w1.analytic)) == pytest.approx(float(numpy.max(numpy.abs(_grad_on_rows(g, "W1")))))
    assert rows["X"].total == MAX_ROWS * 64  # the first rows only
    assert [r.node for r in check_gradients(g)] == list(rows)  # the same picks every time


def _grad_on_rows(g: Graph, nid: str) -> numpy.ndarray:
    from graphapp.core.executor import Executor
    from graphapp.core.train.trainer import clone_with
    cut = clone_with(g, {"X": g.nodes["X"].value[:MAX_ROWS], "Y": g.nodes["Y"].value[:MAX_ROWS]})
    return Executor(cut).run(record=False).grads[nid]


def test_steps_yield_between_nudges_and_leave_the_graph_alone() -> None:
    g = examples.load_example("apple_tax")
    revision = g.revision
    steps = list(iter_gradients(g))
    rows = [s for s in steps if s is not None]
    assert len(steps) - len(rows) == sum(r.checked for r in rows)  # one pause per nudged element
    assert g.revision == revision


def _index_graph() -> Graph:
    """idx → reshape → embedding(W), idx2 → one_hot → ·w: the indices only reach index ports."""
    g = Graph()
    g.add_node("input", "idx", value=numpy.array([[0.0, 2.0], [1.0, 2.0]]))
    g.add_node("reshape", "flat", attrs={"shape": [-1]})
    g.add_node("param", "W", value=numpy.arange(6.0).reshape(3, 2) / 7)
    g.add_node("embedding", "E")
    g.add_node("input", "idx2", value=numpy.array([1.0, 1.0]))
    g.add_node("one_hot", "H", attrs={"num_classes": 2})
    g.add_node("param", "w", value=numpy.array([0.5, -1.5]))
    g.add_node("mul", "Hw")
    g.connect("idx", "flat", "x")
    g.connect("flat", "E", "idx")
    g.connect("W", "E", "W")
    g.connect("idx2", "H", "idx")
    g.connect("H", "Hw", "a")
    g.connect("w", "Hw", "b")
    return g


def test_indices_are_skipped_not_nudged() -> None:
    rows = {r.node: r for r in check_gradients(_index_graph())}  # a nudged index would leave the op's domain
    assert rows["idx"].index and rows["idx2"].index and rows["idx"].checked == 0 and rows["idx"].total == 4
    assert not rows["W"].index and rows["W"].ok and rows["W"].checked == 6
    assert rows["w"].ok and rows["w"].numeric.tolist() == pytest.approx([0.0, 2.0])  # class 1 twice, 0 never


def test_one_hot_targets_are_numbers_and_checked() -> None:
    g = parse_expression("L = softmax_cross_entropy(z, y)", {"z": [[1.0, 2.0, 0.5]], "y": [[0.0, 1.0, 0.0]]})
    rows = {r.node: r for r in check_gradients(g)}
    assert not rows["y"].index and rows["y"].ok and rows["y"].checked == 3
    classes = parse_expression("L = softmax_cross_entropy(z, y)", {"z": [[1.0, 2.0, 0.5]], "y": [1]})
    assert {r.node: r.index for r in check_gradients(classes)} == {"z": False, "y": True}


def test_the_declared_index_ports_are_the_ones_the_vjps_give_zero() -> None:
    g = _index_graph()
    g.add_node("param", "z", value=numpy.array([[0.2, -0.4], [1.0, 0.0]]))
    g.add_node("softmax_cross_entropy", "CE")
    g.connect("z", "CE", "logits")
    g.connect("idx2", "CE", "target")
    from graphapp.core.executor import Executor
    grads = Executor(g).run(record=False).grads
    shapes = g.infer_shapes()
    for nid in ("E", "H", "CE"):
        spec, srcs = g.nodes[nid].spec, g.input_sources(nid)
        ports = spec.indices([shapes[s] for s in srcs])
        assert ports, nid
        for port, src in zip(spec.inputs, srcs):
            if port in ports:
                assert not numpy.any(grads[src]), (nid, port)
    declared = {name for name, spec in REGISTRY.items() if spec.indices is not None}
    assert declared == {"embedding", "one_hot", "softmax_cross_entropy"}


def test_a_graph_written_for_its_batch_size_is_checked_on_every_row() -> None:
    data = load_dataset("xor")
    g = build_template("logistic_regression", data)
    assert data_rows(g) is None  # 4 rows: few enough to check them all
    many = load_dataset("moons", size=40)
    g = build_template("logistic_regression", many)
    assert data_rows(g) == (MAX_ROWS, 40)
    g.add_node("reshape", "fixed", attrs={"shape": [40, 2]})  # only 40 rows fit
    g.connect("X", "fixed", "x")
    assert data_rows(g) is None
    rows = {r.node: r for r in check_gradients(g)}
    assert rows["X"].total == 80 and all(r.ok for r in rows.values())
    # Y: 0/1 probabilities for bce, a number with a gradient; at 0 or 1 a nudge outward leaves bce's
    # domain, so the difference is taken on the side inside it
    assert not rows["Y"].index and rows["Y"].checked == MAX_CHECKED


def test_an_index_also_used_as_a_number_is_refused_by_name() -> None:
    g = _index_graph()
    g.add_node("mul", "twice")
    g.connect("idx", "twice", "a")
    g.connect("idx", "twice", "b")  # idx² has a gradient: idx is nudged, and the embedding refuses both nudges
    with pytest.raises(DomainError, match="node 'E' \\(embedding\\): input idx"):
        check_gradients(g)
    g.remove_node("twice")
    g.add_node("const", "one", value=1.0)
    g.add_node("mul", "same")
    g.disconnect("E", "idx")
    g.connect("flat", "same", "a")
    g.connect("one", "same", "b")
    g.connect("same", "E", "idx")  # idx · 1 still ends in an index port only: no gradient, skipped
    assert {r.node for r in check_gradients(g) if r.index} == {"idx", "idx2"}
