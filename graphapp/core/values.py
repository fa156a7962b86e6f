"""Turning user input (numbers, nested lists, JSON text) into arrays, and arrays back into JSON.

Every value is checked against stated limits before numpy sees it, so no input can end in numpy's or
Python's own errors (OverflowError, RecursionError, "maximum supported dimension"): numbers are finite
and at most MAX_MAGNITUDE in size, a value has at most MAX_DIMS dimensions and MAX_ELEMENTS numbers.
Nested lists are walked level by level, never recursively.

Shapes alone are not capped at MAX_ELEMENTS: `info` inspects VGG-16 at batch 64 without allocating it. A
stand-in (`stand_in`) is a value with a shape and no memory; a run refuses it, and any output past
MAX_ELEMENTS, by name before it allocates (Graph.run_shapes). Only shapes no machine could hold
(`shape_problem`) are refused outright.
"""
from __future__ import annotations

import json
import math
import re
import sys
from typing import Any, Callable

import numpy

from graphapp.core.errors import BadValueError, StudioError
from graphapp.core.numbers import fmt_number, fmt_value  # noqa: F401 - the number rule, importable from here too

MAX_DIMS = 8
MAX_ELEMENTS = 10_000_000
MAX_SIDE = 2**31 - 1  # one side of a shape (as ops.spec.MAX_DIM_SIZE): longer than any axis memory here holds
MAX_SHAPE = 2**62  # the numbers one shape may describe: numpy's sizes are signed 64-bit
MAX_MAGNITUDE = sys.float_info.max  # the largest float64, about 1.8e308
LIMIT_TEXT = "1.8e308"
_INT_DIGITS = 330  # an integer literal longer than this is far above MAX_MAGNITUDE

_NOT_FINITE = f"values must be finite numbers (no NaN or infinity, magnitude at most {LIMIT_TEXT})"
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_NOT_BRACKET_BYTES = bytes(b for b in range(256) if chr(b) not in _DEPTH_STEP)
_BYTE_STEP = numpy.zeros(256, dtype=numpy.int8)
for _ch, _step in _DEPTH_STEP.items():
    _BYTE_STEP[ord(_ch)] = _step


def json_depth_error(text: str, limit: int) -> str | None:
    """Where `text` nests JSON arrays/objects deeper than `limit` ("line L, column C"), else None.

    Checked before json.loads, whose recursive parser fails with RecursionError near 1,000 levels.
    """
    if text.count("[") + text.count("{") <= limit:
        return None
    # The brackets outside strings, by byte-level deletion (C speed: a 10⁷-number value is 200 MB of text).
    brackets = (_STRING.sub("", text) if '"' in text else text).encode("utf-8", "surrogatepass").translate(
        None, _NOT_BRACKET_BYTES)
    steps = _BYTE_STEP[numpy.frombuffer(brackets, dtype=numpy.uint8)]
    if not len(steps) or numpy.cumsum(steps, dtype=numpy.int64).max() <= limit:
        return None
    depth = 0  # rare: find the place, skipping strings (their brackets are not structure)
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        depth += _DEPTH_STEP.get(match.group(), 0)
        if depth > limit:
            at = match.start()
            return f"line {text.count(chr(10), 0, at) + 1}, column {at - text.rfind(chr(10), 0, at)}"
    return None  # unreachable: the fast count found the excess


def _json_int(text: str) -> int:
    """Python refuses to convert integers of more than 4,300 digits (ValueError); anything past
    _INT_DIGITS is refused as too large later, with the place named, so a stand-in of that size is enough."""
    if len(text) <= _INT_DIGITS:
        return int(text)
    return -(10 ** _INT_DIGITS) if text.startswith("-") else 10 ** _INT_DIGITS


def parse_json(text: str, max_depth: int, fail: Callable[[str], StudioError]) -> Any:
    """json.loads with a nesting limit and no failure on long integers; `fail(reason)` builds the error."""
    where = json_depth_error(text, max_depth)
    if where is not None:
        raise fail(f"nested deeper than {max_depth} levels ({where})")
    return json.loads(text, parse_int=_json_int)


def parse_value_text(text: str, where: str) -> numpy.ndarray:
    """The one reader of typed values (CLI --set, the inspector): a JSON number or nested array of numbers."""
    def fail(reason: str) -> BadValueError:
        return BadValueError(f"{where}: {reason} (a value has at most {MAX_DIMS} dimensions)")

    try:
        raw = parse_json(text, MAX_DIMS, fail)
    except json.JSONDecodeError:
        raise BadValueError(f"{where}: {text!r} is not a number or a JSON array") from None
    if isinstance(raw, (str, dict)) or raw is None:
        raise BadValueError(f"{where}: {text!r} is not a number or a JSON array")
    return as_value(raw, where)


def as_value(raw: Any, where: str) -> numpy.ndarray:
    """A float64 array from a number, nested list or array (text goes through parse_value_text).

    Refused, with `where` and the limit in the message: booleans, text, ragged lists, NaN, ±inf, numbers
    above MAX_MAGNITUDE, more than MAX_DIMS dimensions or MAX_ELEMENTS numbers.
    """
    if isinstance(raw, str):
        return parse_value_text(raw, where)
    if is_stand_in(raw):  # a shape without numbers (info --shape): kept past the limit, else real zeros
        if raw.size > MAX_ELEMENTS:
            return stand_in(raw.shape, where)
        _check_size(raw.shape, where)
        return numpy.zeros(raw.shape)
    if isinstance(raw, numpy.ndarray) and raw.dtype.kind in "iuf":
        _check_size(raw.shape, where)
        arr = numpy.array(raw, dtype=numpy.float64)
    else:
        arr = _from_nested(raw, where)
    if not numpy.isfinite(arr).all():
        raise BadValueError(f"{where}: {_NOT_FINITE}")
    return arr


def shape_problem(shape: tuple[int, ...]) -> str | None:
    """Why no machine could hold `shape` (a side past MAX_SIDE, or more than MAX_SHAPE numbers), else None.

    Shapes are Python integers, so the arithmetic itself never overflows; this keeps them inside what numpy's
    64-bit sizes (and a later product of them) can take."""
    side = max(shape, default=0)
    if side > MAX_SIDE:
        return f"has a side of {side:,}; a side is at most {MAX_SIDE:,}"
    if math.prod(shape) > MAX_SHAPE:
        return (f"would hold {'·'.join(map(str, shape))} numbers, more than 2^62 = {MAX_SHAPE:,}; "
                f"no machine holds that")
    return None


_NOTHING = numpy.zeros(())
_NOTHING.flags.writeable = False


def stand_in(shape: tuple[int, ...], where: str) -> numpy.ndarray:
    """A value of `shape` that holds no memory (one zero seen through zero strides), for shape inference alone.

    Past MAX_ELEMENTS numbers it stays a view (as_value keeps it) that any run refuses by name before
    allocating; within the limit as_value turns it into real zeros."""
    if len(shape) > MAX_DIMS:
        raise BadValueError(f"{where}: more than {MAX_DIMS} dimensions (a value has at most {MAX_DIMS})")
    problem = shape_problem(shape)
    if problem is not None:
        raise BadValueError(f"{where}: the shape {problem}")
    return numpy.broadcast_to(_NOTHING, shape)


def is_stand_in(value: Any) -> bool:
    return isinstance(value, numpy.ndarray) and value.base is _NOTHING


def _check_size(shape: tuple[int, ...], where: str) -> None:
    if len(shape) > MAX_DIMS:
        raise BadValueError(f"{where}: more than {MAX_DIMS} dimensions (a value has at most {MAX_DIMS})")
    if math.prod(shape) > MAX_ELEMENTS:
        raise BadValueError(f"{where}: more than {MAX_ELEMENTS:,} numbers (a value holds at most {MAX_ELEMENTS:,})")


def _from_nested(raw: Any, where: str) -> numpy.ndarray:
    """Walk nested lists one level at a time: the shape, then the numbers, checked before numpy."""
    def ragged() -> BadValueError:  # made only when refused: repr of 10⁷ numbers costs seconds
        return BadValueError(f"{where}: {_short(raw)} is not a number or a rectangular array of numbers")

    shape: list[int] = []
    level = [raw.tolist() if isinstance(raw, numpy.ndarray) else raw]
    while level and isinstance(level[0], (list, tuple)):
        n = len(level[0])
        if any(not isinstance(item, (list, tuple)) or len(item) != n for item in level):
            raise ragged()
        shape.append(n)
        _check_size(tuple(shape), where)
        level = [x for item in level for x in item]
    kinds = set(map(type, level))
    if not kinds <= {int, float}:
        for x in level:
            if isinstance(x, bool) or isinstance(x, numpy.bool_):
                raise BadValueError(f"{where}: {x!r} is not a number (true/false are not numbers)")
            if isinstance(x, (list, tuple, numpy.ndarray)):
                raise ragged()
            if not isinstance(x, (int, float, numpy.integer, numpy.floating)):
                raise BadValueError(f"{where}: {_short(x)} is not a number")
    try:
        arr = numpy.array(level, dtype=numpy.float64)
    except OverflowError:  # an int beyond float64
        raise BadValueError(f"{where}: a number of magnitude above {LIMIT_TEXT} "
                            f"(the largest a value can hold)") from None
    if not numpy.isfinite(arr).all():
        big = any(isinstance(x, int) and abs(x) > MAX_MAGNITUDE for x in level)
        raise BadValueError(f"{where}: a number of magnitude above {LIMIT_TEXT} (the largest a value can hold)"
                            if big else f"{where}: {_NOT_FINITE}")
    return arr.reshape(shape)


def _short(raw: Any) -> str:
    if isinstance(raw, (list, tuple)):
        raw = _head(raw, [41])
    text = repr(raw) if not isinstance(raw, int) or abs(raw) < 10**20 else f"an integer of {len(str(abs(raw)))} digits"
    return text if len(text) <= 40 else text[:37] + "..."


def _head(raw: Any, budget: list[int]) -> Any:
    """`raw` cut after its first budget[0] lists and numbers, in the order repr writes them: each writes at
    least one character, so the cut repr starts with the same 40 characters without writing 10⁷ numbers."""
    budget[0] -= 1
    if not isinstance(raw, (list, tuple)):
        return raw
    kept = []
    for x in raw:
        if budget[0] <= 0:
            break
        kept.append(_head(x, budget))
    return tuple(kept) if isinstance(raw, tuple) else kept


def to_json(value: Any) -> Any:
    """A number or nested list; integral floats are written as ints for readability (read back exactly).

    −0.0 stays a float ("-0.0"): written as 0 it would come back as +0.0.
    """
    arr = numpy.asarray(value)
    if arr.ndim == 0:
        x = float(arr)
        return int(x) if x.is_integer() and abs(x) < 2**53 and (x != 0 or math.copysign(1.0, x) > 0) else x
    # The same rule over the whole array at once: an element at a time costs seconds for 10⁷ numbers.
    arr = arr.astype(float)
    with numpy.errstate(invalid="ignore"):
        whole = numpy.isfinite(arr) & (numpy.floor(arr) == arr) & (numpy.abs(arr) < 2**53)
    whole &= ~((arr == 0) & numpy.signbit(arr))  # −0.0
    if whole.all():
        return arr.astype(numpy.int64).tolist()
    if not whole.any():
        return arr.tolist()
    mixed = arr.astype(object)
    mixed[whole] = arr[whole].astype(numpy.int64).astype(object)
    return mixed.tolist()
