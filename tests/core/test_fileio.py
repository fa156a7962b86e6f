"""The file format: exact round trips, atomic saves, floats to the last bit."""
from __future__ import annotations

import json
from pathlib import Path

import numpy
import pytest

from graphapp.core import fileio
from graphapp.core.errors import FileAccessError
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
