"""The graph model, executor and file format: edits, validation, accumulation, caching, round trips."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy
import pytest

from graphapp.core import fileio
from graphapp.core.errors import (
    BadValueError, CycleError, FileAccessError, GraphError, NonFiniteError, PortOccupiedError, ShapeError,
)
from graphapp.core.examples import example_names, load_example
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.playback import frame_at

ROOT = Path(__file__).resolve().parents[2]


def test_core_and_kernels_load_no_qt() -> None:
    code = ("import sys, graphapp.core.executor, graphapp.core.playback, graphapp.cli, kernels.losses; "
            "assert not any(m.split('.')[0] in ('PySide6', 'pyqtgraph') for m in sys.modules), 'Qt loaded'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_fan_out_sums_gradients_and_events_show_the_sum() -> None:
    g = parse_expression("L = x * x + x", {"x": 3.0})
    t = Executor(g).run()
    assert float(t.grads["x"]) == 7.0  # 2x + 1
    into_x = [e for e in t.backward if e.src == "x"]
    assert [float(e.grad) for e in into_x] == [1.0, 3.0, 3.0]
    assert [None if e.previous is None else float(e.previous) for e in into_x] == [None, 1.0, 4.0]
    assert [float(e.accumulated) for e in into_x] == [1.0, 4.0, 7.0]


def test_upstream_gradient_is_never_modified_in_place() -> None:
    g = parse_expression("L = sum(relu(a) * b)", {"a": [1.0, -2.0], "b": [3.0, 4.0]})
    t = Executor(g).run()
    ups = [(e, e.upstream.copy()) for e in t.backward]
    assert all(numpy.array_equal(e.upstream, before) for e, before in ups)
    assert t.grads["a"].tolist() == [3.0, 0.0]


def test_broadcast_gradient_reduces_to_the_input_shape() -> None:
    g = parse_expression("L = sum(W + b)", {"W": numpy.ones((3, 2)).tolist(), "b": [1.0, 2.0]})
    t = Executor(g).run()
    assert t.grads["b"].shape == (2,) and t.grads["b"].tolist() == [3.0, 3.0]


def test_plan_is_cached_per_revision() -> None:
    g = load_example("apple_tax")
    ex = Executor(g)
    ex.run()
    plan = ex._plan
    ex.run()
    assert ex._plan is plan  # same structure: no recompilation
    g.move_node("price", (10, 20))
    ex.run()
    assert ex._plan is plan  # moving a node does not change results
    g.set_value("price", 150)
    assert float(ex.run().values["L"]) == pytest.approx(330)
    assert ex._plan is not plan


@pytest.mark.parametrize("name", example_names())
def test_the_compiled_training_path_matches_the_recorded_one_bit_for_bit(name: str) -> None:
    ex = Executor(load_example(name))
    recorded, compiled = ex.run(record=True), ex.run(record=False)
    assert compiled.forward == [] and compiled.backward == []
    assert recorded.values.keys() == compiled.values.keys() and recorded.grads.keys() == compiled.grads.keys()
    for key in recorded.values:
        assert numpy.array_equal(recorded.values[key], compiled.values[key])
    for key in recorded.grads:
        assert numpy.array_equal(recorded.grads[key], compiled.grads[key])
    assert ex.run(record=False, backward=False).grads == {}


def test_compiled_path_names_the_node_of_a_nan() -> None:
    g = parse_expression("L = log(x) * 0 + exp(x * 1000)", {"x": 1.0})  # exp overflows to infinity
    with pytest.raises(NonFiniteError) as err:
        Executor(g).run(record=False)
    assert err.value.node == "exp_1"


def test_values_override_for_training_loops() -> None:
    g = load_example("linear_cost")
    t = Executor(g).run(record=False, values={"W": numpy.array(1.0)})
    assert float(t.values["cost"]) == 0.0 and t.forward == [] and t.backward == []
    with pytest.raises(GraphError, match="shape"):
        Executor(g).run(values={"W": numpy.ones(2)})


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


def test_nan_is_reported_at_its_first_node() -> None:
    g = parse_expression("L = log(x) * 0 + exp(x * 1000)", {"x": 1.0})
    with pytest.raises(NonFiniteError) as err:
        Executor(g).run()
    assert err.value.node == "exp_1"


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


@pytest.mark.parametrize("name", example_names())
def test_every_example_round_trips_exactly(name: str, tmp_path: Path) -> None:
    g = load_example(name)
    path = tmp_path / "copy.json"
    fileio.save(g, path)
    again = fileio.load(path)
    assert fileio.dumps(again) == fileio.dumps(g)
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == fileio.VERSION
    a, b = Executor(g).run(), Executor(again).run()
    assert all(numpy.array_equal(a.grads[k], b.grads[k]) for k in a.grads)


def test_save_is_atomic_and_a_failed_save_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "g.json"
    fileio.save(load_example("apple_tax"), path)
    old = path.read_text(encoding="utf-8")

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "replace", boom)
    with pytest.raises(FileAccessError, match="g.json: cannot be written \\(disk full\\)"):
        fileio.save(load_example("chain_rule"), path)
    assert path.read_text(encoding="utf-8") == old
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]  # no temporary file left behind


def test_float_values_round_trip_to_the_last_bit(tmp_path: Path) -> None:
    g = parse_expression("L = x * 3", {"x": 0.1 + 0.2})
    again = fileio.loads(fileio.dumps(g))
    assert again.nodes["x"].value.item() == 0.1 + 0.2


def test_playback_frames_step_back_to_the_same_picture() -> None:
    g = load_example("apple_tax")
    t = Executor(g).run()
    f5, f8 = frame_at(g, t, 5), frame_at(g, t, 8)
    assert f8.phase == "backward" and f8.current_edge == ("mul_1", "mul_2", "a")
    assert f8.edge_text(("mul_1", "mul_2", "a")) == "1 × 1.1 = 1.1"
    assert f8.narration_en.startswith("Backward 2/5 · ∂L/∂(apple price·apple count) = ∂L/∂(apple price·apple "
                                      "count·tax) × ∂(apple price·apple count·tax)/∂(apple price·apple count) "
                                      "= 1 × 1.1 = 1.1")
    assert "곱셈 노드는" in f8.narration_ko
    assert "mul_2" not in f5.values or f5.values["mul_2"] is not None
    assert frame_at(g, t, 7) == frame_at(g, t, 7) and frame_at(g, t, 7).edge_grads.keys() < f8.edge_grads.keys()
    assert frame_at(g, t, 0).values == {} and frame_at(g, t, 11).phase == "done"
