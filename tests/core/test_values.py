"""Strict values: every reported bad input is refused with our error type, the place and the limit."""
from __future__ import annotations

import json
import math

import numpy
import pytest

from graphapp.core import fileio
from graphapp.core.errors import BadValueError, FileFormatError, StudioError
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.values import MAX_DIMS, MAX_ELEMENTS, as_value, parse_value_text, to_json

HUGE = "9" * 400
ENORMOUS = "9" * 5000
DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize(("text", "needle"), [
    (HUGE, "magnitude above 1.8e308"),  # was OverflowError
    ("-" + ENORMOUS, "magnitude above 1.8e308"),  # was ValueError (Python's 4,300-digit limit)
    ("1e400", "magnitude at most 1.8e308"),
    ("NaN", "finite"),
    (DEEP, f"nested deeper than {MAX_DIMS} levels"),  # was RecursionError
    ("[" * 40 + "1" + "]" * 40, f"at most {MAX_DIMS} dimensions"),  # was numpy's RuntimeError
    ("true", "true/false are not numbers"),
    ("[1, false]", "true/false are not numbers"),
    ('"5"', "is not a number or a JSON array"),
    ('{"a": 1}', "is not a number or a JSON array"),
    ("null", "is not a number or a JSON array"),
    ('["1"]', "'1' is not a number"),
    ("[[1, 2], [3]]", "not a number or a rectangular array"),
    ("[1, [2]]", "not a number or a rectangular array"),
    ("seven", "is not a number or a JSON array"),
])
def test_bad_value_text_is_refused_with_the_place(text: str, needle: str) -> None:
    with pytest.raises(BadValueError) as err:
        parse_value_text(text, "--set x")
    assert str(err.value).startswith("--set x: ") and needle in str(err.value)
    assert len(str(err.value)) < 300  # a one-line message, not the input echoed back


@pytest.mark.parametrize(("raw", "needle"), [
    (int(HUGE), "magnitude above 1.8e308"),
    ([1.0, -int(HUGE)], "magnitude above 1.8e308"),
    (True, "not a number"),
    (numpy.array([True, False]), "not a number"),
    (numpy.zeros((1,) * 40), f"more than {MAX_DIMS} dimensions"),
    (numpy.zeros((4000, 2501)), f"more than {MAX_ELEMENTS:,} numbers"),
    ([[0.0] * 3163] * 3163, f"more than {MAX_ELEMENTS:,} numbers"),  # refused before numpy copies it
    (numpy.array([1.0, numpy.inf]), "finite"),
    (None, "not a number"),
    ({"a": 1}, "not a number"),
])
def test_bad_values_are_refused_with_the_place(raw: object, needle: str) -> None:
    with pytest.raises(BadValueError) as err:
        as_value(raw, "node 'w' value")
    assert str(err.value).startswith("node 'w' value: ") and needle in str(err.value)


def test_good_values_keep_their_shape_and_bits() -> None:
    assert as_value("[[1, 2.5], [3, 4]]", "v").tolist() == [[1.0, 2.5], [3.0, 4.0]]
    assert as_value((1, 2), "v").shape == (2,) and as_value([[], []], "v").shape == (2, 0)
    assert as_value(numpy.float32(0.5), "v").dtype == numpy.float64
    assert as_value([numpy.int64(3)], "v").tolist() == [3.0]
    assert as_value("[" * MAX_DIMS + "1" + "]" * MAX_DIMS, "v").ndim == MAX_DIMS
    assert as_value(1.7976931348623157e308, "v") == 1.7976931348623157e308
    assert as_value(int(1.7976931348623157e308), "v") == 1.7976931348623157e308


def test_negative_zero_round_trips_through_json_and_a_file() -> None:
    assert json.dumps(to_json(-0.0)) == "-0.0" and to_json(0.0) == 0 and to_json(-3.0) == -3
    assert math.copysign(1.0, float(as_value(json.loads(json.dumps(to_json(-0.0))), "v"))) == -1.0
    g = Graph()
    g.add_node("input", "z", value=[-0.0, 0.0, -2.0])
    text = fileio.dumps(g)
    again = fileio.loads(text)
    assert numpy.signbit(again.nodes["z"].value).tolist() == [True, False, True]
    assert fileio.dumps(again) == text


def node_file(value: str = "1", pos: str | None = None, op: str = "input") -> str:
    """A one-node graph file with `value` and `pos` spliced in as raw JSON text."""
    fields = f'"id": "a", "op": "{op}"' + (f', "value": {value}' if value else "") + (f', "pos": {pos}' if pos else "")
    return ('{"format": "backprop-studio-graph", "version": 1, "nodes": [{' + fields + '}], "edges": []}')


@pytest.mark.parametrize(("text", "needle"), [
    (node_file('"5"'), "node 'a'.value: expected a number or a nested list of numbers, not text"),
    (node_file('"[1,2]"'), "node 'a'.value: expected a number or a nested list of numbers, not text"),
    (node_file("true"), "node 'a'.value: expected a number or a nested list of numbers, not true/false"),
    (node_file(""), "node 'a': missing field 'value'"),  # was read as 0
    (node_file("null", op="param"), "node 'a': missing field 'value'"),
    (node_file("", op="const"), "node 'a': missing field 'value'"),
    (node_file(HUGE), "node 'a' value: a number of magnitude above 1.8e308"),
    (node_file(ENORMOUS), "node 'a' value: a number of magnitude above 1.8e308"),
    (node_file("[1e400]"), "node 'a' value: values must be finite"),
    (node_file('[1, "2"]'), "node 'a' value: '2' is not a number"),
    (node_file("[" * 40 + "1" + "]" * 40), f"node 'a' value: more than {MAX_DIMS} dimensions"),
    (node_file(DEEP), "JSON nested deeper than 64 levels (line 1, column "),
    (node_file(pos="[NaN, 0]"), "node 'a'.pos: expected [x, y], two finite numbers"),
    (node_file(pos="[0, Infinity]"), "node 'a'.pos: expected [x, y], two finite numbers"),
    (node_file(pos="[1e400, 0]"), "node 'a'.pos: expected [x, y], two finite numbers"),
    (node_file(pos=f"[{HUGE}, 0]"), "node 'a'.pos: expected [x, y], two finite numbers"),
    (node_file(pos="[true, 0]"), "node 'a'.pos: expected [x, y], two finite numbers"),
    (node_file(pos="[1, 2, 3]"), "node 'a'.pos: expected [x, y], two finite numbers"),
])
def test_bad_file_values_are_refused_with_the_node(text: str, needle: str) -> None:
    with pytest.raises(FileFormatError) as err:
        fileio.loads(text, "g.json")
    assert str(err.value).startswith("g.json: ") and needle in str(err.value)


def test_deep_json_anywhere_in_a_file_is_refused_not_a_recursion_error() -> None:
    text = node_file().replace('"nodes"', '"meta": {"x": ' + "[" * 5000 + "]" * 5000 + '}, "nodes"')
    with pytest.raises(FileFormatError, match="g.json: JSON nested deeper than 64 levels"):
        fileio.loads(text, "g.json")
    brackets_in_text = node_file().replace('"id": "a"', '"id": "a", "label": "' + "[" * 150 + '"')
    assert fileio.loads(brackets_in_text).nodes["a"].label == "[" * 150  # inside a string: no structure


def test_a_new_palette_node_still_defaults_to_zero() -> None:
    assert Graph().add_node("param", "w").value.tolist() == 0.0


def test_huge_numbers_typed_in_an_expression_are_refused() -> None:
    for values in ({"x": 1}, {"x": HUGE}):
        text = f"L = x * {HUGE}" if values["x"] == 1 else "L = x * 2"
        with pytest.raises(StudioError, match="1.8e308"):
            parse_expression(text, values)


def test_arrays_are_written_by_the_same_rule_as_single_numbers() -> None:
    """to_json works on a whole array at once (10⁷ numbers in seconds, not minutes) and keeps the rule of
    one number: integral floats below 2**53 as ints, −0.0, halves, huge and non-finite ones as floats."""
    numbers = [0.0, -0.0, 1.0, -7.0, 2.0**53, -(2.0**53 - 1), 0.5, 1e300, -1e-320, float("nan"), float("inf")]
    arr = numpy.array(numbers * 2).reshape(2, 1, len(numbers))
    assert json.dumps(to_json(arr)) == json.dumps([[[to_json(x) for x in numbers]]] * 2)
    assert to_json(numpy.array([[1.0, 2.0]])) == [[1, 2]] and to_json(numpy.array([0.5, -0.0])) == [0.5, -0.0]
    assert to_json(numpy.array([True, False])) == [1, 0] and to_json(numpy.zeros((2, 0))) == [[], []]
