"""Expanding a layer into its primitive pieces and collapsing it back: every expander, numbers kept, the
edit undone exactly, the group record in the file, and each refusal named (with its Korean text)."""
from __future__ import annotations

import copy
import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any, Callable

import numpy
import pytest

from graphapp.cli import main as cli_main
from graphapp.core import examples, expand as ex, fileio
from graphapp.core.errors import FileFormatError, GraphError, StudioError
from graphapp.core.executor import Executor
from graphapp.core.expanders import EXPANDERS, Piece
from graphapp.core.expanders import recurrent as ex_recurrent
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Edge, Graph, Node
from graphapp.core.messages import has_hangul, translate
from graphapp.core.train.data import Dataset
from graphapp.core.train.sequences import Windowing, load_windows
from graphapp.core.train.templates_rnn import STOCK, hihello_rnn, stock
from graphapp.core.train.trainer import TrainConfig, train

RNG = numpy.random.default_rng(9)


def layer_graph(op: str, inputs: dict[str, Any], attrs: dict[str, Any] | None = None) -> Graph:
    """inputs (params) → op → a consumer (neg) → output, every node placed."""
    g = Graph()
    for i, (port, value) in enumerate(inputs.items()):
        g.add_node("param", f"in_{port}", value=value, pos=(0.0, 100.0 * i))
    g.add_node(op, "layer", attrs=attrs, label="my layer", label_ko="내 층", pos=(300.0, 100.0))
    for port in inputs:
        g.connect(f"in_{port}", "layer", port)
    g.add_node("neg", "after", pos=(600.0, 100.0))
    g.add_node("output", "out", pos=(800.0, 100.0))
    g.connect("layer", "after", "x")
    g.connect("after", "out", "x")
    return g


def samples() -> dict[str, Callable[[], Graph]]:
    hot = numpy.eye(4)[[1, 3, 0]]
    return {
        "dense": lambda: layer_graph("dense", {"x": RNG.normal(size=(3, 4)), "W": RNG.normal(size=(4, 2)),
                                               "b": RNG.normal(size=2)}),
        "sigmoid": lambda: layer_graph("sigmoid", {"x": RNG.normal(size=(2, 3)) * 3}),
        "sigmoid_scalar": lambda: layer_graph("sigmoid", {"x": 1.0}),
        "mse": lambda: layer_graph("mse", {"pred": RNG.normal(size=(5, 2)), "target": RNG.normal(size=2)}),
        "softmax_cross_entropy": lambda: layer_graph("softmax_cross_entropy",
                                                     {"logits": RNG.normal(size=(3, 4)), "target": hot}),
        "softmax_cross_entropy_1d": lambda: layer_graph("softmax_cross_entropy",
                                                        {"logits": RNG.normal(size=4), "target": hot[0]}),
        **recurrent_samples(),
    }


def recurrent_samples() -> dict[str, Callable[[], Graph]]:
    """Sequence nodes over 3 steps (N = 2, F = 3, H = 2), many-to-one and many-to-many, and over one step."""
    def weights(k: int, biases: tuple[str, ...] = ("b",)) -> dict[str, Any]:
        w = {"x": RNG.normal(size=(2, 3, 3)), "W_x": RNG.normal(size=(3, k * 2)) * 0.5,
             "W_h": RNG.normal(size=(2, k * 2)) * 0.5}
        return {**w, **{b: RNG.normal(size=k * 2) * 0.1 for b in biases}}
    out: dict[str, Callable[[], Graph]] = {}
    for sequences in (False, True):
        tag = "seq" if sequences else "last"
        out[f"rnn_{tag}"] = lambda s=sequences: layer_graph("rnn", weights(1), {"sequences": s})
        out[f"rnn_relu_{tag}"] = lambda s=sequences: layer_graph("rnn", weights(1),
                                                                 {"sequences": s, "nonlinearity": "relu"})
        out[f"lstm_{tag}"] = lambda s=sequences: layer_graph("lstm", weights(4), {"sequences": s})
        out[f"gru_{tag}"] = lambda s=sequences: layer_graph("gru", weights(3, ("b_x", "b_h")), {"sequences": s})
    # one step: h₁ made a sequence of length 1 by a reshape
    out["lstm_seq_one_step"] = lambda: layer_graph("lstm", {**weights(4), "x": RNG.normal(size=(2, 1, 3))},
                                                   {"sequences": True})
    return out


def cases() -> list[tuple[str, Callable[[], Graph], str]]:
    """Every sample, and every expandable node of every lecture example (so layers added later with an
    example are tested here too)."""
    out = [(name, make, "layer") for name, make in samples().items()]
    for name in examples.example_names():
        graph = examples.load_example(name)
        out += [(f"{name}:{nid}", lambda n=name: examples.load_example(n), nid)
                for nid in graph.nodes if ex.expandable(graph, nid) and _expands(graph, nid)]
    return out


def _expands(graph: Graph, nid: str) -> bool:
    """False for a layer its expander refuses (a cross-entropy on class indices, in the CNN examples)."""
    try:
        ex.plan_expand(graph, nid)
    except GraphError:
        return False
    return True


CASES = cases()


def test_every_expander_is_tested() -> None:
    covered = {make().nodes[nid].op for _, make, nid in CASES}
    assert set(EXPANDERS) <= covered, f"add a sample or an example for: {sorted(set(EXPANDERS) - covered)}"


def run(graph: Graph) -> tuple[dict[str, Any], dict[str, Any]]:
    trace = Executor(graph).run()
    return trace.values, trace.grads


def close(a: Any, b: Any) -> bool:
    a, b = numpy.asarray(a), numpy.asarray(b)
    return a.shape == b.shape and numpy.allclose(a, b, rtol=1e-12, atol=1e-12 * max(1.0, numpy.abs(a).max()))


def assert_computes_the_layer(values: dict[str, Any], grads: dict[str, Any], expanded: Graph, group: ex.Group) -> None:
    """The expanded graph gives the layer's trace (values, grads) to 1e-12: the layer's output, and every
    other node's value and gradient."""
    values2, grads2 = run(expanded)
    assert close(values[group.id], values2[group.output])
    for n in values:
        if n != group.id:
            assert close(values[n], values2[n]), n
            assert (n in grads) == (n in grads2), n  # a constant has no gradient, expanded or not
            assert n not in grads or close(grads[n], grads2[n]), n


@pytest.mark.parametrize("make, nid", [(m, n) for _, m, n in CASES], ids=[c[0] for c in CASES])
def test_expand_and_collapse_never_change_a_number(make: Callable[[], Graph], nid: str) -> None:
    g = make()
    original = fileio.graph_to_dict(g)
    values, grads = run(g)
    order, readers = g.topo_order(), list(g.consumers(nid))
    layer = g.nodes[nid]
    group = ex.expand(g, nid)
    assert nid not in g.nodes and g.groups == {nid: group}
    assert all(p.startswith(f"{nid}/") and p in g.nodes for p in group.nodes.values())
    assert [Edge(group.output, e.dst, e.port) for e in readers] == list(g.consumers(group.output))
    if layer.pos is not None:  # from the layer's place rightwards, a column a step, near its row
        for p in group.nodes.values():
            x, y = g.nodes[p].pos
            assert layer.pos[0] - ex.DX <= x <= layer.pos[0] + len(group.nodes) * ex.DX
            assert abs(y - layer.pos[1]) <= 2 * ex.DY
    assert_computes_the_layer(values, grads, g, group)
    back = ex.collapse(g, nid)
    assert back.id == nid and back.op == layer.op and back.attrs == layer.attrs
    assert (back.label, back.label_ko, back.pos) == (layer.label, layer.label_ko, layer.pos)
    assert fileio.graph_to_dict(g) == original and g.groups == {} and g.topo_order() == order
    values3, grads3 = run(g)
    for n in values:  # the very same graph again: bit for bit
        assert numpy.array_equal(values[n], values3[n]), n
        assert (n in grads) == (n in grads3) and (n not in grads or numpy.array_equal(grads[n], grads3[n])), n


def test_the_inverse_swap_undoes_and_the_plan_redoes_exactly() -> None:
    g = samples()["dense"]()
    before = fileio.dumps(g)
    plan, group = ex.plan_expand(g, "layer")
    inverse = ex.swap(g, plan)
    expanded = fileio.dumps(g)
    placed = g.nodes["layer/add"].pos
    g.move_node("layer/add", (5.0, 5.0))  # looks only: collapsing drops them, undoing the collapse keeps them
    g.set_label("layer/matmul", "x·W")
    edited = fileio.dumps(g)
    undo_collapse = ex.swap(g, ex.plan_collapse(g, "layer")[0])
    assert fileio.dumps(g) == before
    ex.swap(g, undo_collapse)
    assert fileio.dumps(g) == edited and g.groups["layer"] == group
    g.move_node("layer/add", placed)
    g.set_label("layer/matmul", "")
    assert fileio.dumps(g) == expanded
    ex.swap(g, inverse)
    assert fileio.dumps(g) == before
    ex.swap(g, plan)
    assert fileio.dumps(g) == expanded


def test_sigmoid_expands_as_the_lecture_draws_it() -> None:
    g = examples.load_example("sigmoid")
    nid = next(n for n, node in g.nodes.items() if node.op == "sigmoid")
    group = ex.expand(g, nid)
    ops = [g.nodes[p].op for p in group.nodes.values()]
    assert ops == ["const", "mul", "exp", "const", "add", "reciprocal"]
    assert [float(g.nodes[p].value) for p in group.nodes.values() if g.nodes[p].op == "const"] == [-1.0, 1.0]
    lecture = examples.load_example("sigmoid_decomposed")
    assert sorted(n.op for n in lecture.nodes.values() if n.op not in ("input", "output")) == sorted(ops)


def test_an_unplaced_layer_gives_unplaced_pieces_and_open_inputs_stay_open() -> None:
    g = Graph()
    g.add_node("param", "W", value=numpy.ones((2, 2)))
    g.add_node("dense", "d")
    g.connect("W", "d", "W")
    group = ex.expand(g, "d")
    assert all(g.nodes[p].pos is None for p in group.nodes.values())
    assert g.source_of("d/matmul", "a") is None and g.source_of("d/add", "b") is None
    ex.collapse(g, "d")
    assert g.input_sources("d") == [None, "W", None]


def test_taken_piece_ids_get_a_number() -> None:
    g = samples()["dense"]()
    g.add_node("neg", "layer/matmul")
    group = ex.expand(g, "layer")
    assert group.nodes["matmul"] == "layer/matmul_1"
    ex.collapse(g, "layer")


# ---- refusals ---------------------------------------------------------------------------------------------
def tanh_expander(node: Node, shapes: dict) -> list[Piece]:
    """tanh(x) = 2σ(2x) − 1: a test-only expander whose pieces hold a layer that expands in turn."""
    two = numpy.asarray(2.0)
    return [Piece("two", "const", value=two), Piece("double", "mul", {"a": "@x", "b": "two"}),
            Piece("sigmoid", "sigmoid", {"x": "double"}), Piece("scale", "mul", {"a": "sigmoid", "b": "two"}),
            Piece("one", "const", value=numpy.asarray(1.0)), Piece("sub", "sub", {"a": "scale", "b": "one"})]


def square_expander(node: Node, shapes: dict) -> list[Piece]:
    """x² = x·x: a test-only expander that reads one input twice, as a recurrent layer reads its weights."""
    return [Piece("mul", "mul", {"a": "@x", "b": "@x"})]


@pytest.fixture
def extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(EXPANDERS, "tanh", tanh_expander)
    monkeypatch.setitem(EXPANDERS, "square", square_expander)


def korean(message: str) -> None:
    text, missing = translate(message)
    assert text is not None and not missing and has_hangul(text), (message, missing)


def refused(fn: Callable[[], Any], *words: str, kind: type[StudioError] = GraphError) -> StudioError:
    with pytest.raises(kind) as info:
        fn()
    for word in words:
        assert word in str(info.value), (word, str(info.value))
    korean(str(info.value))
    return info.value


def test_a_nested_expansion_collapses_inside_out(extra: None) -> None:
    g = layer_graph("tanh", {"x": numpy.linspace(-2, 2, 5)})
    before, (values, grads) = fileio.dumps(g), run(g)
    ex.expand(g, "layer")
    ex.expand(g, "layer/sigmoid")
    assert close(values["layer"], run(g)[0]["layer/sub"])
    text = fileio.dumps(g)
    assert fileio.dumps(fileio.loads(text)) == text  # nested groups survive the file
    refused(lambda: ex.collapse(g, "layer"), "group 'layer'", "'layer/sigmoid'", "collapse group 'layer/sigmoid' first")
    ex.collapse(g, "layer/sigmoid")
    ex.collapse(g, "layer")
    assert fileio.dumps(g) == before


@pytest.mark.parametrize("edit, words", [
    (lambda g: g.remove_node("layer/exp"), ["piece 'layer/exp' was deleted"]),
    (lambda g: g.set_value("layer/one", 2.0), ["value of piece 'layer/one'"]),
    (lambda g: (g.disconnect("layer/add", "a"), g.connect("layer/mul", "layer/add", "a")),
     ["input 'a' of piece 'layer/add' reads 'layer/mul' instead of 'layer/exp'"]),
    (lambda g: (g.add_node("output", "peek"), g.connect("layer/exp", "peek", "x")),
     ["node 'peek' reads piece 'layer/exp' from outside the group"]),
    (lambda g: g.add_node("sigmoid", "layer"), ["the id 'layer' now names another node"]),
    (lambda g: (g.disconnect("layer/mul", "a"), g.connect("layer/one", "layer/mul", "a")),
     ["input 'a' of piece 'layer/mul' reads 'layer/one' instead of the layer's input"]),
])
def test_collapse_refuses_what_it_would_lose(edit: Callable[[Graph], Any], words: list[str]) -> None:
    g = samples()["sigmoid"]()
    ex.expand(g, "layer")
    edit(g)
    state = fileio.dumps(g)
    refused(lambda: ex.collapse(g, "layer"), "group 'layer'", *words)
    assert fileio.dumps(g) == state  # nothing half done


def test_collapse_refuses_a_changed_attribute_and_pieces_that_disagree(extra: None) -> None:
    g = samples()["mse"]()
    ex.expand(g, "layer")
    g.set_attr("layer/mean", "axis", 0)
    refused(lambda: ex.collapse(g, "layer"), "piece 'layer/mean' has axis = 0 where mse has null")
    g = layer_graph("square", {"x": numpy.arange(3.0)})
    g.add_node("param", "other", value=numpy.ones(3))
    ex.expand(g, "layer")
    g.disconnect("layer/mul", "b")
    g.connect("other", "layer/mul", "b")
    refused(lambda: ex.collapse(g, "layer"), "read different nodes for the layer's input 'x' ('in_x' and 'other')")


def test_collapse_refuses_when_new_shapes_expand_differently() -> None:
    g = samples()["rnn_last"]()
    ex.expand(g, "layer")
    g.set_value("in_x", RNG.normal(size=(2, 4, 3)))  # four time steps where three cells were unrolled
    refused(lambda: ex.collapse(g, "layer"), "input 'x' has shape (2, 4, 3) now, (2, 3, 3) when expanded")
    g.set_value("in_x", RNG.normal(size=(5, 3, 3)))  # another batch size expands the same: it collapses
    ex.collapse(g, "layer")
    assert run(g)[0]["layer"].shape == (5, 2)


def test_expand_refusals_name_the_node() -> None:
    g = samples()["softmax_cross_entropy"]()
    g.set_value("in_target", numpy.array([1.0, 3.0, 0.0]))
    refused(lambda: ex.expand(g, "layer"), "node 'layer'", "only one-hot targets expand")
    g = Graph()
    g.add_node("softmax_cross_entropy", "ce")
    refused(lambda: ex.expand(g, "ce"), "node 'ce'", "connect logits and target before expanding")
    refused(lambda: ex.expand(g, "zz"), "no node named 'zz'")
    g.add_node("exp", "e")
    refused(lambda: ex.expand(g, "e"), "node 'e': exp does not expand into primitives (these do: ")
    refused(lambda: ex.collapse(g, "e"), "no expanded group named 'e'")
    g = samples()["dense"]()
    ex.expand(g, "layer")
    g.add_node("dense", "layer")
    refused(lambda: ex.expand(g, "layer"), "an expanded group has the same id; collapse group 'layer' first")


def test_a_failed_swap_is_rolled_back() -> None:
    g = samples()["dense"]()
    before = fileio.dumps(g)
    plan, _ = ex.plan_expand(g, "layer")
    bad = ex.Swap(plan.remove, plan.insert, (*plan.edges, Edge("in_x", "layer/add", "b")), plan.add_groups)
    with pytest.raises(GraphError):
        ex.swap(g, bad)
    assert fileio.dumps(g) == before and g.groups == {}


def test_a_deleted_piece_drops_its_group_from_the_file() -> None:
    g = samples()["dense"]()
    ex.expand(g, "layer")
    g.remove_node("layer/matmul")
    assert "groups" not in fileio.graph_to_dict(g)
    assert fileio.loads(fileio.dumps(g)).groups == {}


# ---- the file -------------------------------------------------------------------------------------------
def test_groups_round_trip_and_copies_carry_none(tmp_path) -> None:  # noqa: ANN001
    g = samples()["softmax_cross_entropy"]()
    ex.expand(g, "layer")
    path = tmp_path / "g.json"
    fileio.save(g, path)
    loaded = fileio.load(path)
    assert loaded.groups == g.groups and fileio.dumps(loaded) == fileio.dumps(g)
    ex.collapse(loaded, "layer")
    assert "groups" not in fileio.graph_to_dict(g, ["layer/mul", "layer/sum"])
    older = fileio.graph_to_dict(samples()["dense"]())
    assert "groups" not in older and fileio.graph_from_dict(older).groups == {}


def expanded_file() -> dict[str, Any]:
    g = samples()["dense"]()
    ex.expand(g, "layer")
    return fileio.graph_to_dict(g)


def broken(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    data = copy.deepcopy(expanded_file())
    change(data)
    return data


def group(data: dict[str, Any]) -> dict[str, Any]:
    return data["groups"][0]


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(groups={}), ["g.json.groups: expected list"]),
    (lambda d: d["groups"].append(3), ["groups[1]: expected an object"]),
    (lambda d: group(d).pop("id"), ["groups[0]: missing field 'id'"]),
    (lambda d: group(d).update(id=""), ["groups[0].id: expected non-empty text"]),
    (lambda d: group(d).update(op="exp"), ["group 'layer'.op: 'exp' is not a layer that expands"]),
    (lambda d: group(d).update(op=5), ["group 'layer'.op: expected str"]),
    (lambda d: group(d).update(nodes=[]), ["group 'layer'.nodes: expected dict"]),
    (lambda d: group(d).update(nodes={}), ["group 'layer'.nodes: expected an object of piece keys and node ids"]),
    (lambda d: group(d).update(nodes={"add": "layer/add", "matmul": "layer/matmul"}),
     ["group 'layer'.nodes: expected the pieces matmul, add of dense, in that order"]),
    (lambda d: group(d)["nodes"].update(add="nowhere"), ["group 'layer'.nodes: no node named 'nowhere'"]),
    (lambda d: group(d)["nodes"].update(add="layer/matmul"),
     ["group 'layer'.nodes: 'layer/matmul' is a piece of group 'layer' too"]),
    (lambda d: group(d).update(attrs={"axis": 1}), ["group 'layer'.attrs: dense has no attribute 'axis'"]),
    (lambda d: group(d).update(label=3), ["group 'layer'.label: expected str"]),
    (lambda d: group(d).update(pos=[1]), ["group 'layer'.pos: expected [x, y], two finite numbers"]),
    (lambda d: group(d).update(shapes={"y": [1]}), ["group 'layer'.shapes.y: expected an input of dense"]),
    (lambda d: group(d).update(shapes={"x": [1.5]}), ["group 'layer'.shapes.x: expected an input of dense"]),
    (lambda d: group(d).update(id="in_x"), ["group 'in_x'.id: names a node of the file"]),
    (lambda d: d["groups"].append(dict(group(d))), ["groups[1].id: a second group named 'layer'"]),
])
def test_a_malformed_group_record_names_the_field(change: Callable[[dict], Any], words: list[str]) -> None:
    refused(lambda: fileio.graph_from_dict(broken(change), "g.json"), *words, kind=FileFormatError)


def test_groups_nested_in_a_cycle_are_refused() -> None:
    data = expanded_file()
    data["groups"].append({"id": "other", "op": "dense", "nodes": {"matmul": "layer", "add": "other2"}})
    data["groups"].append({"id": "other2", "op": "dense", "nodes": {"matmul": "other", "add": "x2"}})
    data["nodes"].append({"id": "x2", "op": "neg"})
    refused(lambda: fileio.graph_from_dict(data, "g.json"), "groups nested in a cycle", kind=FileFormatError)


def test_korean_for_a_refused_expander_shape() -> None:
    data = expanded_file()
    data["groups"][0] = {"id": "ce", "op": "softmax_cross_entropy", "nodes": {"log_softmax": "layer/matmul"}}
    error = refused(lambda: fileio.graph_from_dict(data, "g.json"), "connect logits and target before expanding",
                    kind=FileFormatError)
    assert str(error).startswith("g.json: ")


def test_room_opens_right_of_the_layer_and_closes_again() -> None:
    g = samples()["sigmoid"]()
    before = fileio.dumps(g)
    ex.expand(g, "layer")
    moves = dict(ex.room(g, "layer", opening=True))
    width = 3 * ex.DX  # ×(−1), exp, +1, 1/x: four columns
    assert moves == {"after": (600.0 + width, 100.0), "out": (800.0 + width, 100.0)}
    for nid, pos in moves.items():
        g.move_node(nid, pos)
    assert all(x < 600.0 + width for x, _ in (g.nodes[p].pos for p in g.groups["layer"].nodes.values()))
    for nid, pos in ex.room(g, "layer", opening=False):
        g.move_node(nid, pos)
    ex.collapse(g, "layer")
    assert fileio.dumps(g) == before


def test_a_collapsed_layer_stands_where_its_first_piece_was_moved() -> None:
    g = samples()["dense"]()
    ex.expand(g, "layer")
    x, y = g.nodes["layer/matmul"].pos
    g.move_node("layer/matmul", (x + 40.0, y - 10.0))
    assert ex.collapse(g, "layer").pos == (340.0, 90.0)


def test_a_new_node_never_takes_an_expanded_layers_id() -> None:
    g = Graph()
    g.add_node("sigmoid")
    ex.expand(g, "sigmoid_1")
    assert g.add_node("sigmoid").id == "sigmoid_2"
    ex.collapse(g, "sigmoid_1")
    assert set(g.nodes) == {"sigmoid_1", "sigmoid_2"}


@pytest.mark.parametrize("seed", range(5))
def test_any_order_of_expanding_and_collapsing_comes_back_to_the_same_file(seed: int) -> None:
    g = examples.load_example("xor_neurons")
    before, (values, grads) = fileio.dumps(g), run(g)
    rng = numpy.random.default_rng(seed)
    for _ in range(12):
        layers = [n for n in g.nodes if ex.expandable(g, n)]
        if layers and (not g.groups or rng.random() < 0.6):
            ex.expand(g, str(rng.choice(layers)))
        else:
            ex.collapse(g, str(rng.choice(sorted(g.groups))))
        now_values, now_grads = run(g)
        for n in g.nodes:
            if n in values:
                assert close(values[n], now_values[n]) and close(grads[n], now_grads[n]), n
    for gid in list(rng.permutation(sorted(g.groups))):
        ex.collapse(g, str(gid))
    assert fileio.dumps(g) == before


def test_unrolling_needs_its_shapes_and_stops_at_a_drawable_length() -> None:
    g = Graph()
    g.add_node("rnn", "r")
    with pytest.raises(GraphError, match="connect input 'x' first"):
        ex.expand(g, "r")
    x = numpy.zeros((1, ex_recurrent.MAX_UNROLL + 1, 1))
    g = parse_expression("L = sum(rnn(x, W_x, W_h, b))", {"x": x, "W_x": [[0.5]], "W_h": [[0.5]], "b": [0.0]})
    with pytest.raises(GraphError, match="unrolling T = 1,001 time steps"):
        ex.expand(g, "rnn_1")


def test_a_group_record_with_shapes_that_do_not_fit_its_layer_is_refused() -> None:
    g = parse_expression("L = sum(rnn(x, W_x, W_h, b))", {"x": [[[1.0], [2.0]]], "W_x": [[0.5]], "W_h": [[0.5]],
                                                          "b": [0.0]})
    ex.expand(g, "rnn_1")
    doc = json.loads(fileio.dumps(g))
    doc["groups"][0]["shapes"]["x"] = [2, 2]
    with pytest.raises(FileFormatError, match="rnn takes x of shape"):
        fileio.loads(json.dumps(doc))


def test_unrolling_and_collapsing_cost_grows_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shapes are re-inferred over the nodes an edit reaches; along an unrolled chain that must stay O(1) an
    edit (downstream first when disconnecting, upstream first when connecting), or 1,000 steps cost seconds."""
    visited = [0]
    sorted_ = Graph._sorted

    def counting(self: Graph, nodes: Any, indegree: dict[str, int]) -> list[str]:
        nodes = list(nodes)
        visited[0] += len(nodes)
        return sorted_(self, nodes, indegree)

    monkeypatch.setattr(Graph, "_sorted", counting)
    g = layer_graph("rnn", {"x": numpy.zeros((1, 400, 2)), "W_x": numpy.zeros((2, 3)), "W_h": numpy.zeros((3, 3)),
                            "b": numpy.zeros(3)})
    group = ex.expand(g, "layer")
    pieces = len(group.nodes)
    ex.collapse(g, "layer")
    assert pieces > 800 and visited[0] < 10 * pieces, (pieces, visited[0])


# ---- an expanded layer takes any batch size ------------------------------------------------------------
def rebatch(g: Graph, sources: dict[str, str], n: int, rng: numpy.random.Generator) -> dict[str, Any]:
    """New values, n rows each, for the nodes feeding `sources` (port -> node), of the same kind: one-hot rows
    for a one-hot target, numbers otherwise."""
    new: dict[str, Any] = {}
    for port, nid in sources.items():
        old = numpy.asarray(g.nodes[nid].value)
        if port == "target" and set(numpy.unique(old)) <= {0.0, 1.0}:
            new[nid] = numpy.eye(old.shape[-1])[rng.integers(old.shape[-1], size=n)]
        else:
            new[nid] = rng.normal(size=(n, *old.shape[1:]))
    return new


def with_values(g: Graph, values: dict[str, Any]) -> Graph:
    """The graph as a file with these values (of other shapes, all at once) opens: a new batch in both X and Y."""
    data = fileio.graph_to_dict(g)
    for node in data["nodes"]:
        if node["id"] in values:
            node["value"] = numpy.asarray(values[node["id"]]).tolist()
    return fileio.graph_from_dict(data)


BATCHED = ("x", "pred", "logits", "target")  # ports whose first axis is the batch (a value of rank ≥ 2)


def batched_inputs(g: Graph, nid: str) -> dict[str, str]:
    sources = dict(zip(g.nodes[nid].spec.inputs, g.input_sources(nid)))
    return {port: src for port, src in sources.items()
            if port in BATCHED and src is not None and numpy.ndim(g.nodes[src].value) >= 2}


BATCH_SAMPLES = [name for name, make in samples().items() if batched_inputs(make(), "layer")]


def test_every_expander_has_a_batch_sample() -> None:
    ops = {samples()[name]().nodes["layer"].op for name in BATCH_SAMPLES}
    assert ops == set(EXPANDERS), f"add a batched sample for: {sorted(set(EXPANDERS) - ops)}"


@pytest.mark.parametrize("name", BATCH_SAMPLES)
def test_an_expanded_layer_takes_any_batch_size(name: str) -> None:
    """Expanded at one batch size, fed 3 rows and then 17: the layer's numbers each time; then it collapses
    back to the very layer graph with those rows."""
    layer = samples()[name]()
    g = fileio.loads(fileio.dumps(layer))
    group = ex.expand(g, "layer")
    rng = numpy.random.default_rng(3)
    for n in (3, 17):
        fed = rebatch(layer, batched_inputs(layer, "layer"), n, rng)
        layer, g = with_values(layer, fed), with_values(g, fed)
        values, grads = run(layer)
        assert_computes_the_layer(values, grads, g, group)
    ex.collapse(g, "layer")
    assert fileio.dumps(g) == fileio.dumps(layer)


def stock_data(n: int, window: int = 7, features: int = 5, seed: int = 0) -> Dataset:
    rng = numpy.random.default_rng(seed)
    return Dataset(rng.uniform(size=(n, window * features)), rng.uniform(size=(n, 1)), "regression", "stock")


def recurrent_templates() -> dict[str, Callable[[], Graph]]:
    return {**{name: lambda name=name: stock(name, stock_data(20)) for name in STOCK},
            "hihello_rnn": lambda: hihello_rnn()}


def template_batch(g: Graph, n: int, rng: numpy.random.Generator) -> dict[str, Any]:
    """n windows for a stock model; n scrambled 'hihell's for hihello_rnn (its Y one class a step)."""
    x = numpy.asarray(g.nodes["X"].value)
    if g.meta["name"] != "hihello_rnn":
        data = stock_data(n, seed=int(rng.integers(1000)))
        return {"X": data.x, "Y": data.y}
    classes, steps = x.shape[-1], x.shape[1]
    return {"X": numpy.eye(classes)[rng.integers(classes, size=(n, steps))],
            "Y": rng.integers(classes, size=n * steps).astype(float)}


@pytest.mark.parametrize("name", sorted(recurrent_templates()))
def test_an_expanded_recurrent_template_takes_any_batch_and_saves(name: str) -> None:
    layer = recurrent_templates()[name]()
    nid = next(n for n, node in layer.nodes.items() if node.op in ex_recurrent.RECURRENT)
    g = fileio.loads(fileio.dumps(layer))
    group = ex.expand(g, nid)
    assert g.nodes[group.nodes["s0" if layer.nodes[nid].op == "lstm" else "h0"]].op == "zero_state"
    rng = numpy.random.default_rng(11)
    for n in (3, 17):
        fed = template_batch(layer, n, rng)
        layer, g = with_values(layer, fed), with_values(g, fed)
        values, grads = run(layer)
        assert_computes_the_layer(values, grads, g, group)
        assert values[nid].shape[0] == n
    opened = fileio.loads(fileio.dumps(g))  # a saved expansion opens as it was, and runs the same, bit for bit
    assert fileio.dumps(opened) == fileio.dumps(g) and opened.groups == g.groups
    (v1, g1), (v2, g2) = run(g), run(opened)
    assert all(numpy.array_equal(v1[k], v2[k]) for k in v1) and all(numpy.array_equal(g1[k], g2[k]) for k in g1)
    ex.collapse(opened, nid)
    assert fileio.dumps(opened) == fileio.dumps(layer)
    (v3, g3), (v4, g4) = run(opened), run(layer)
    assert all(numpy.array_equal(v3[k], v4[k]) for k in v4) and all(numpy.array_equal(g3[k], g4[k]) for k in g4)


def test_an_expanded_stock_rnn_trains_at_another_batch_size_as_the_layer_does(tmp_path: Path) -> None:
    """`main.py train FILE --batch-size 5` on a stock_rnn expanded at 33 rows: the layer's run, figure for
    figure (the graph file keeps its weights, so both start the same)."""
    t = numpy.arange(60) * 0.3
    csv = tmp_path / "wave.csv"
    csv.write_text("# s,c\n" + "\n".join(f"{numpy.sin(v):.6f},{numpy.cos(v):.6f}" for v in t) + "\n")
    prepared = load_windows(csv, Windowing(7, "newest-first"))
    layer = stock("stock_rnn", prepared.train)
    g = fileio.loads(fileio.dumps(layer))
    ex.expand(g, "RNN")
    assert g.nodes["X"].value.shape[0] == 35
    reports = []
    for graph, path in ((layer, tmp_path / "layer.json"), (g, tmp_path / "expanded.json")):
        fileio.save(graph, path)
        out = io.StringIO()
        with redirect_stdout(out):
            code = cli_main(["train", str(path), "--data", str(csv), "--batch-size", "5", "--steps", "6",
                             "--optimizer", "adam", "--lr", "0.05", "--json"])
        assert code == 0
        reports.append(json.loads(out.getvalue()))
    layer_report, expanded_report = reports
    assert expanded_report["steps"] == 6
    for key in ("final_loss", "test_loss", "test_rmse"):
        assert expanded_report[key] == pytest.approx(layer_report[key], rel=1e-10), key
    assert layer_report["history"][0]["train_loss"] != pytest.approx(layer_report["final_loss"], rel=1e-3)  # it moved
    config = TrainConfig("adam", {"lr": 0.05}, batch_size=4, steps=3)
    a, b = train(layer, prepared.train, prepared.test, config), train(g, prepared.train, prepared.test, config)
    assert a.history.loss == pytest.approx(b.history.loss, rel=1e-10)
    assert all(close(a.params[k], b.params[k]) for k in a.params)
