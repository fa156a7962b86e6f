"""The layered layout without Qt: columns follow the edges, columns never overlap, hanging sources sit
beside their consumer, and big graphs cost one read of the edges and one measurement per node."""
from __future__ import annotations

import random
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from graphapp.core.examples import example_names, load_example
from graphapp.core.graph import Graph
from graphapp.core.layout import GAP_Y, isotonic, layered_positions, longest_path_layers, pack

ROOT = Path(__file__).resolve().parents[2]
SIZE = (60.0, 40.0)  # width, height of every node in these tests


def test_layout_loads_no_qt() -> None:
    code = ("import sys, graphapp.core.layout; "
            "assert not any(m.split('.')[0] in ('PySide6', 'pyqtgraph') for m in sys.modules), 'Qt loaded'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


@lru_cache(maxsize=None)  # built once: layered_positions only reads it
def random_dag(n: int, seed: int = 3) -> Graph:
    """Inputs, then binary and unary operations on random earlier nodes (mostly recent ones, so it is deep)."""
    rng = random.Random(seed)
    g = Graph()
    ids = []
    for i in range(n // 10):
        ids.append(g.add_node("input", f"v{i}", value=1.0).id)
    for i in range(n - len(ids)):
        if rng.random() < 0.3:
            node = g.add_node("tanh", f"t{i}")
            g.connect(rng.choice(ids), node.id, "x")
        else:
            node = g.add_node("add", f"a{i}")
            g.connect(ids[rng.randrange(max(0, len(ids) - 30), len(ids))], node.id, "a")
            g.connect(rng.choice(ids), node.id, "b")
        ids.append(node.id)
    return g


def test_longest_path_layers() -> None:
    preds = {"a": {}, "b": {"a": None}, "c": {"a": None, "b": None}, "d": {}}
    succs = {"a": {"b": None, "c": None}, "b": {"c": None}, "c": {}, "d": {}}
    assert longest_path_layers(list(preds), preds, succs) == {"a": 0, "b": 1, "c": 2, "d": 0}


@pytest.mark.parametrize("graph", [random_dag(300), *(load_example(n) for n in example_names())],
                         ids=["random_dag", *example_names()])
def test_edges_run_left_to_right_and_columns_do_not_overlap(graph: Graph) -> None:
    pos = layered_positions(graph, lambda _n: SIZE)
    assert set(pos) == set(graph.nodes)
    for e in graph.edges:
        assert pos[e.src][0] < pos[e.dst][0], e
    columns: dict[float, list[float]] = {}
    for x, y in pos.values():
        columns.setdefault(x, []).append(y)
    for ys in columns.values():  # nodes sharing a column keep their height plus the gap apart
        ys.sort()
        assert all(b - a >= SIZE[1] + GAP_Y - 1e-6 for a, b in zip(ys, ys[1:]))


def test_layout_reads_the_edges_once_and_measures_each_node_once(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = random_dag(300)
    reads = []
    edges = Graph.edges
    monkeypatch.setattr(Graph, "edges", property(lambda self: reads.append(1) or edges.fget(self)))
    sized: list[str] = []
    labelled: list[str] = []
    layered_positions(graph, lambda n: sized.append(n) or SIZE, label_width=lambda n: labelled.append(n) or 30.0,
                      label_height=lambda _n: 20.0)
    assert len(reads) == 1  # Graph.edges builds a new list on every read
    assert sorted(sized) == sorted(graph.nodes)
    assert len(labelled) == len(set(labelled))  # once per source, not once per outgoing edge


def test_pack_keeps_order_and_spacing() -> None:
    assert isotonic([3.0, 1.0, 2.0]) == pytest.approx([2.0, 2.0, 2.0])
    ys = pack([0.0, 0.0, 0.0], [10.0, 10.0])
    assert ys == pytest.approx([-10.0, 0.0, 10.0])
    ys = pack([0.0, 100.0, 5.0], [10.0, 10.0])
    assert all(b - a >= 10.0 - 1e-9 for a, b in zip(ys, ys[1:]))
