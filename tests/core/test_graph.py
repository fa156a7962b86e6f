"""The graph model: refused connections and values change nothing, listeners hear every edit."""
from __future__ import annotations

import pytest

from graphapp.core import fileio
from graphapp.core.errors import BadValueError, CycleError, GraphError, PortOccupiedError, ShapeError
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph


def test_connect_refuses_cycle_occupied_port_and_shape_mismatch_and_changes_nothing() -> None:
    g = parse_expression("t = a + b; L = t * 2", {"a": [1.0, 2.0], "b": [3.0, 4.0]})
    before = fileio.dumps(g)
    g.disconnect("t", "a")
    with pytest.raises(CycleError, match="cycle: t → t"):
        g.check_connect("t", "t", "a")
    with pytest.raises(CycleError, match="t → mul_1 → L → t"):
        g.connect("L", "t", "a")
    with pytest.raises(PortOccupiedError, match="already fed by 'b'"):
        g.connect("a", "t", "b")
    g.add_node("input", "m", value=[[1.0, 2.0, 3.0]])
    with pytest.raises(ShapeError, match=r"'m' \(1, 3\) and 'b' \(2,\)"):
        g.connect("m", "t", "a")
    g.connect("a", "t", "a")
    g.remove_node("m")
    assert fileio.dumps(g) == before


def test_a_refused_connection_is_not_an_edit() -> None:
    g = parse_expression("t = a + b; L = t * 2", {"a": 1.0, "b": 2.0})
    g.add_node("input", "v", value=[1.0, 2.0, 3.0])
    g.add_node("input", "u", value=[[1.0, 2.0]])
    g.add_node("add", "s")
    g.connect("v", "s", "a")
    revision, order = g.revision, list(g.topo_order())
    for src, dst, port in (("L", "t", "a"), ("a", "t", "b"), ("u", "s", "b")):
        with pytest.raises(GraphError):
            g.check_connect(src, dst, port)
    assert g.revision == revision and g.topo_order() == order
    g.connect("a", "s", "b")  # a real edit afterwards sees the real graph, not the tried edge
    assert g.revision > revision and g.topo_order().index("s") > g.topo_order().index("a")


def test_set_value_refuses_nan_and_incompatible_shapes() -> None:
    g = parse_expression("L = a + b", {"a": [1.0, 2.0], "b": [3.0, 4.0]})
    with pytest.raises(BadValueError, match="node 'a' value: values must be finite"):
        g.set_value("a", "NaN")
    with pytest.raises(ShapeError):
        g.set_value("a", [1.0, 2.0, 3.0])
    assert g.nodes["a"].value.tolist() == [1.0, 2.0]


def test_notifications_reach_listeners() -> None:
    g, seen = Graph(), []
    g.subscribe(lambda kind, payload: seen.append(kind))
    g.add_node("input", "a", value=1)
    g.add_node("neg", "n")
    g.connect("a", "n", "x")
    g.set_value("a", 2)
    g.move_node("n", (1, 2))
    g.remove_node("a")
    assert seen == ["node_added", "node_added", "edge_added", "node_changed", "node_moved", "edge_removed",
                    "node_removed"]
