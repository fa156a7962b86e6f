"""The file format: exact round trips, atomic saves, floats to the last bit."""
from __future__ import annotations

import json
from pathlib import Path

import numpy
import pytest

from graphapp.core import fileio
from graphapp.core.errors import FileAccessError, StudioError
from graphapp.core.examples import example_names, load_example
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression


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


def _bits(a: numpy.ndarray) -> numpy.ndarray:
    return numpy.ascontiguousarray(a, dtype=numpy.float64).view(numpy.uint64)


def test_arrays_round_trip_bit_for_bit_with_subnormals_signed_zeros_and_extremes(tmp_path: Path) -> None:
    """Every float64 comes back with the same 64 bits: random ones from all exponents (raw bit patterns),
    subnormals, −0.0 beside 0, the extremes, integral values written as integers, in a mixed array."""
    rng = numpy.random.default_rng(9)
    raw = rng.integers(0, 2**64, size=20_000, dtype=numpy.uint64).view(numpy.float64)
    special = numpy.array([-0.0, 0.0, 5e-324, -5e-324, 2.225e-308, 2.2250738585072014e-308, 1e308, -1e308,
                           1.7976931348623157e308, -1.7976931348623157e308, 0.1, 1 / 3, 2.0**53, 2.0**53 + 2, 7.0,
                           -3.0, 1e16, 123456789.0])
    values = numpy.concatenate([raw[numpy.isfinite(raw)], special, rng.normal(size=1000) * 1e-310])
    g = parse_expression("L = sum(W * x)", {"W": values.reshape(1, -1), "x": values.reshape(1, -1)[:, ::-1].copy()})
    path = tmp_path / "bits.json"
    fileio.save(g, path)
    again = fileio.load(path)
    for name in ("W", "x"):
        assert numpy.array_equal(_bits(again.nodes[name].value), _bits(g.nodes[name].value)), name
    assert fileio.dumps(again) == path.read_text(encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert '"value": [[' in text and ", -0.0, 0, 5e-324, " in text and "NaN" not in text  # one line per array


def test_a_label_cannot_pose_as_an_array(monkeypatch: pytest.MonkeyPatch) -> None:
    """Arrays are put in place of random marker strings: when a label holds the marker drawn, another is drawn."""
    drawn = iter(["0" * 16, "1" * 16])
    monkeypatch.setattr(fileio.secrets, "token_hex", lambda n: next(drawn))
    g = parse_expression("L = sum(W)", {"W": [[1.5, -0.0], [2.0, 3.0]]})
    g.set_label("W", "@array-0000000000000000-0")
    text = fileio.dumps(g)
    assert next(drawn, None) is None  # the second marker was needed
    again = fileio.loads(text)
    assert again.nodes["W"].label == "@array-0000000000000000-0"
    assert _bits(again.nodes["W"].value).tolist() == _bits(g.nodes["W"].value).tolist()


def test_a_big_ragged_value_is_refused_with_its_start_shown() -> None:
    text = json.dumps({"format": fileio.FORMAT, "version": 1, "nodes": [
        {"id": "W", "op": "param", "value": [[0.5] * 1_000_000, [1.0]]}], "edges": []})
    with pytest.raises(StudioError, match=r"node 'W' value: \[\[0\.5, 0\.5, .*\.\.\. is not a number or a "
                                          r"rectangular array of numbers"):
        fileio.loads(text)
