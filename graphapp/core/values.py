"""Turning user input (numbers, nested lists, JSON text) into arrays, and arrays back into JSON."""
from __future__ import annotations

import json
from typing import Any

import numpy

from graphapp.core.errors import BadValueError
from graphapp.core.numbers import fmt_number, fmt_value  # noqa: F401 - the number rule, importable from here too


def as_value(raw: Any, where: str) -> numpy.ndarray:
    """A float64 array from a number, nested list or array; refuse text, ragged lists, NaN and ±inf."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raise BadValueError(f"{where}: {raw!r} is not a number or a JSON array") from None
    if isinstance(raw, bool):
        raise BadValueError(f"{where}: {raw!r} is not a number")
    try:
        arr = numpy.array(raw, dtype=numpy.float64)
    except (TypeError, ValueError):
        raise BadValueError(f"{where}: {raw!r} is not a number or a rectangular array of numbers") from None
    if not numpy.isfinite(arr).all():
        raise BadValueError(f"{where}: values must be finite numbers (no NaN or infinity)")
    return arr


def to_json(value: Any) -> Any:
    """A number or nested list; integral floats are written as ints for readability (read back exactly)."""
    arr = numpy.asarray(value)
    if arr.ndim == 0:
        x = float(arr)
        return int(x) if x.is_integer() and abs(x) < 2**53 else x
    return [to_json(v) for v in arr]
