"""Expanding a layer into its primitive pieces and collapsing it back: every expander, numbers kept, the
edit undone exactly, the group record in the file, and each refusal named (with its Korean text)."""
from __future__ import annotations

import copy
import json
from typing import Any, Callable

import numpy
import pytest

from graphapp.core import examples, expand as ex, fileio
from graphapp.core.errors import FileFormatError, GraphError, StudioError
from graphapp.core.executor import Executor
from graphapp.core.expanders import EXPANDERS, Piece
from graphapp.core.expanders import recurrent as ex_recurrent
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Edge, Graph, Node
from graphapp.core.messages import has_hangul, translate

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
    """Sequence nodes over 3 steps (N = 2, F = 3, H = 2), many-to-one and many-to-many."""
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
    values2, grads2 = run(g)
    assert close(values[nid], values2[group.output])
    for n in values:
        if n != nid:
            assert close(values[n], values2[n]), n
            assert (n in grads) == (n in grads2), n  # a constant has no gradient, expanded or not
            assert n not in grads or close(grads[n], grads2[n]), n
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
