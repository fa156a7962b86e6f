"""Turning user input (numbers, nested lists, JSON text) into arrays, and arrays back into JSON."""
from __future__ import annotations

import json
import math
from typing import Any

import numpy

from graphapp.core.errors import BadValueError


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
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond float, e.g. 10**400
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


def fmt_number(x: float, digits: int = 4) -> str:
    """A short decimal for labels: 220, 1.1, 0.8176, 1.2e-05; never a float artefact like 0.30000000000000004."""
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("∞" if x > 0 else "−∞")
    if x == 0:
        return "0"
    if 1e-4 <= abs(x) < 1e6:
        text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
        if text in ("0", "-0"):
            text = f"{x:.{digits}g}"
    else:
        text = f"{x:.{digits - 1}e}".replace("e-0", "e-").replace("e+0", "e+").replace("e+", "e")
    return text.replace("-", "−")


def fmt_value(value: Any, digits: int = 4, max_items: int = 6) -> str:
    """A scalar as a number, an array as [[..], [..]] abbreviated past `max_items` elements per axis."""
    arr = numpy.asarray(value)
    if arr.ndim == 0:
        return fmt_number(float(arr), digits)
    items = [fmt_value(v, digits, max_items) for v in arr[:max_items]]
    if len(arr) > max_items:
        items.append("…")
    return "[" + ", ".join(items) + "]"
