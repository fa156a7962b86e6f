"""The model's cost is linear and nothing recurses: long chains and wide fans build, load and run.

No wall-clock thresholds beyond a generous bound (this machine is shared); benchmarks/run.py has the figures.
The incremental indexes (consumers, shapes, order) are checked against a from-scratch computation.
"""
from __future__ import annotations

import random
import time

import networkx
import pytest

from graphapp.core import fileio
from graphapp.core.errors import CycleError, GraphError, ShapeError, StudioError
from graphapp.core.executor import COMPILE_LIMIT, Executor
from graphapp.core.graph import Graph
from graphapp.core.ops import VALUE_OPS


def chain(layers: int) -> Graph:
    """x → (× w_i → tanh) per layer → L: three nodes a layer, like benchmarks/run.py's chain."""
    g = Graph()
    g.add_node("input", "x", value=0.5)
    prev = "x"
    for i in range(layers):
        g.add_node("param", f"w{i}", value=1.0)
        g.add_node("mul", f"m{i}")
        g.add_node("tanh", f"t{i}")
        g.connect(prev, f"m{i}", "a")
        g.connect(f"w{i}", f"m{i}", "b")
        g.connect(f"m{i}", f"t{i}", "x")
        prev = f"t{i}"
    g.add_node("output", "L")
    g.connect(prev, "L", "x")
    return g


def test_a_20000_node_chain_builds_saves_loads_and_traces() -> None:
    start = time.perf_counter()
    g = fileio.loads(fileio.dumps(chain(6666)))
    assert len(g.nodes) == 20_000
    trace = Executor(g).run()
    assert len(trace.forward) == 20_000 and len(trace.backward) == len(g.edges) == 19_999
    assert trace.order[0] == "x" and trace.order[-1] == "L"
    assert set(trace.grads) == set(g.nodes)
    assert time.perf_counter() - start < 20  # quadratic cost took minutes at this size


def test_a_wide_fan_accumulates_every_gradient() -> None:
    g = Graph()
    g.add_node("input", "x", value=[1.0, 2.0])
    for i in range(10_000):
        g.add_node("tanh", f"t{i}")
        g.connect("x", f"t{i}", "x")
    assert len(list(g.consumers("x"))) == 10_000
    trace = Executor(g).run()
    assert len(trace.outputs) == 10_000 and len(trace.backward) == 10_000
    assert trace.backward[-1].previous is not None  # the fan-out sums, one edge after another
    text = fileio.dumps(g)
    assert fileio.dumps(fileio.loads(text)) == text


def test_a_100000_node_chain_has_no_recursion_anywhere() -> None:
    g = Graph()
    g.add_node("input", "n0", value=1.0)
    g.add_node("add", "n1")  # its port b stays open for the cycle below
    g.connect("n0", "n1", "a")
    for i in range(2, 100_000):
        g.add_node("neg", f"n{i}")
        g.connect(f"n{i - 1}", f"n{i}", "x")
    assert g.topo_order()[-1] == "n99999"
    assert "n99999" not in g.infer_shapes(partial=True)
    with pytest.raises(CycleError) as err:  # the search crosses the whole chain, iteratively
        g.check_connect("n99999", "n1", "b")
    assert err.value.cycle[0] == "n1" and len(err.value.cycle) == 99_999
    g.connect("n0", "n1", "b")  # now every shape below n1 is known
    assert g.infer_shapes()["n99999"] == ()
    g.set_value("n0", [1.0, 2.0])  # re-infers all 100,000 shapes downstream
    assert g.infer_shapes()["n99999"] == (2,)
    g.remove_node("n50000")
    assert g.infer_shapes(partial=True).get("n99999") is None and g.index_of("n50001") == 50_000
    with pytest.raises(GraphError, match="node 'n50001': input 'x' is not connected"):
        g.infer_shapes()


def reference_shapes(g: Graph) -> dict[str, tuple[int, ...]]:
    """Partial shapes inferred from scratch over networkx's order, as the model did before it cached."""
    nx = networkx.DiGraph()
    nx.add_nodes_from(g.nodes)
    nx.add_edges_from((e.src, e.dst) for e in g.edges)
    index = {n: i for i, n in enumerate(g.nodes)}
    shapes: dict[str, tuple[int, ...]] = {}
    for nid in networkx.lexicographical_topological_sort(nx, key=index.__getitem__):
        node = g.nodes[nid]
        if node.op in VALUE_OPS:
            shapes[nid] = tuple(node.value.shape)
            continue
        srcs = g.input_sources(nid)
        if all(s in shapes for s in srcs):
            shapes[nid] = node.spec.infer(nid, [(s, shapes[s]) for s in srcs], {**node.spec.default_attrs(),
                                                                               **node.attrs})
    return shapes, list(networkx.lexicographical_topological_sort(nx, key=index.__getitem__))


@pytest.mark.parametrize("seed", range(4))
def test_cached_shapes_order_and_consumers_match_a_fresh_computation(seed: int) -> None:
    rng = random.Random(seed)
    g = Graph()
    values = [1.0, [1.0, 2.0], [[1.0, 2.0, 3.0]], [[1.0], [2.0]]]
    for step in range(300):
        ids = list(g.nodes)
        action = rng.random()
        try:
            if action < 0.25 or len(ids) < 3:
                op = rng.choice(["input", "param", "add", "mul", "tanh", "sum", "matmul", "output"])
                g.add_node(op, value=rng.choice(values) if op in ("input", "param") else None)
            elif action < 0.6:
                dst = rng.choice(ids)
                ports = g.nodes[dst].spec.inputs
                if ports:
                    g.connect(rng.choice(ids), dst, rng.choice(ports))
            elif action < 0.7:
                edges = g.edges
                if edges:
                    e = rng.choice(edges)
                    g.disconnect(e.dst, e.port)
            elif action < 0.8:
                sources = [n for n in ids if g.nodes[n].op in VALUE_OPS]
                if sources:
                    g.set_value(rng.choice(sources), rng.choice(values))
            elif action < 0.9:
                node, edges = g.remove_node(rng.choice(ids))
                if rng.random() < 0.5:  # undo: back in its place, with its edges
                    g.insert_node(node, rng.randrange(len(g.nodes) + 1))
                    for e in edges:
                        g.connect(e.src, e.dst, e.port)
            else:
                sums = [n for n in ids if g.nodes[n].op == "sum"]
                if sums:
                    g.set_attr(rng.choice(sums), "axis", rng.choice([None, 0, 1]))
        except StudioError:
            pass  # refused edits must leave everything as it was: checked below, every step
        shapes, order = reference_shapes(g)
        assert g.infer_shapes(partial=True) == shapes, step
        assert g.topo_order() == order, step
        for nid in g.nodes:
            assert list(g.consumers(nid)) == [e for e in g.edges if e.src == nid]
        assert [g.index_of(n) for n in g.nodes] == list(range(len(g.nodes)))


def test_a_refused_edit_leaves_revision_order_and_shapes() -> None:
    g = chain(3)
    g.disconnect("m0", "b")
    for nid, value in (("v", [1.0, 2.0]), ("u", [3.0, 4.0])):
        g.add_node("input", nid, value=value)
    g.add_node("add", "s")
    g.add_node("matmul", "mm")
    g.connect("v", "s", "a")
    g.connect("u", "s", "b")
    g.connect("v", "mm", "a")
    revision, order, shapes = g.revision, g.topo_order(), g.infer_shapes(partial=True)
    with pytest.raises(CycleError, match="cycle: m0 → t0 → m1 → t1 → m0 "):
        g.connect("t1", "m0", "b")
    with pytest.raises(ShapeError, match="'v'"):
        g.connect("w0", "mm", "b")  # (2,) @ scalar
    with pytest.raises(ShapeError, match="'v' \\(3,\\) and 'u' \\(2,\\)"):
        g.set_value("v", [1.0, 2.0, 3.0])
    assert g.revision == revision and g.topo_order() is order and g.infer_shapes(partial=True) == shapes
    assert g.nodes["v"].value.shape == (2,)


def test_unique_ids_reuse_the_first_free_number_per_prefix() -> None:
    g = Graph()
    ids = [g.add_node("mul").id for _ in range(5)]
    assert ids == [f"mul_{i}" for i in range(1, 6)] and g.add_node("add").id == "add_1"
    g.remove_node("mul_2")
    assert g.unique_id("mul") == "mul_2"
    g.add_node("mul")
    assert g.unique_id("mul") == "mul_6"
    g.add_node("input", "mul_6")
    assert g.unique_id("mul") == "mul_7"


def test_a_run_without_events_past_the_compile_limit_matches_the_compiled_one() -> None:
    small, large = chain(10), chain(COMPILE_LIMIT)  # 2 * COMPILE_LIMIT + 1 ops: walked, not compiled
    for g in (small, large):
        quick, full = Executor(g).run(record=False), Executor(g).run()
        assert quick.forward == [] and quick.backward == []
        assert quick.values == full.values and set(quick.grads) == set(full.grads)
        assert all((quick.grads[n] == full.grads[n]).all() for n in full.grads)
