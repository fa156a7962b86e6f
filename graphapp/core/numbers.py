"""The one rule for writing numbers: canvas, narration, inspector and CLI all call it.

- Every element gets `digits` significant digits (2 to 6, default 4), trailing zeros dropped:
  0.8176, 220, 1.1. Integer digits are never dropped (12345.6 → 12346 at 4 digits).
- Scientific notation exactly where 1e-3 > |x| > 0 or |x| ≥ 1e6: 2.39e−4, 9.063e−5, 1.5e7.
  So a number that is not zero never reads as "0" or "0.000".
- The minus sign is U+2212 (−), in mantissas and exponents alike.
- A sum with a negative second term is written as a difference: "0.0069 − 0.0125", not "+ −0.0125".

`digits` is one setting for the whole program (View → digits in the window); every function also
takes an explicit `digits` for callers that need a fixed precision (the gradient check's table).
"""
from __future__ import annotations

import math
from typing import Any

import numpy

from graphapp.core.errors import BadValueError

MIN_DIGITS, MAX_DIGITS, DEFAULT_DIGITS = 2, 6, 4
SCI_BELOW, SCI_FROM = 1e-3, 1e6  # the bounds of plain decimal notation (see the module)
MINUS = "−"
MAX_ITEMS = 6  # elements per axis written before "…"
MAX_ROWS = 6  # matrix rows written one per line before "⋮"
COLUMN_FROM = 4  # on the canvas a vector this long stands as a column (like the matrix form's rows)

_digits = DEFAULT_DIGITS


def check_digits(value: Any, where: str = "digits") -> int:
    """`value` (a whole number, or its text as settings store it) as a digits setting, else BadValueError."""
    try:
        n = None if isinstance(value, bool) else int(str(value).strip())
    except ValueError:
        n = None
    if n is None or not MIN_DIGITS <= n <= MAX_DIGITS:
        raise BadValueError(f"{where}: {value!r} is not a whole number from {MIN_DIGITS} to {MAX_DIGITS}")
    return n


def set_digits(value: Any) -> None:
    """Change the program-wide number of significant digits (validated, 2..6)."""
    global _digits  # noqa: PLW0603 - one display setting, read by every formatter
    _digits = check_digits(value)


def get_digits() -> int:
    return _digits


def fmt_number(x: float, digits: int | None = None) -> str:
    """One number by the rule: 0.8176, 220, 2.39e−4, −1.119, 1.5e7; ∞ and NaN by name."""
    d = _digits if digits is None else digits
    x = float(x)
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("∞" if x > 0 else MINUS + "∞")
    if x == 0:
        return "0"
    ax = abs(x)
    rounded = float(f"{ax:.{d - 1}e}")  # decides the notation, so 9.9996e−4 becomes 0.001, not 1e−3
    if SCI_BELOW <= rounded < SCI_FROM:
        decimals = max(0, d - 1 - math.floor(math.log10(rounded)))
        text = f"{ax:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = _sci(ax, d)
    return (MINUS if x < 0 else "") + text


def _sci(ax: float, d: int) -> str:
    mantissa, _, exponent = f"{ax:.{d - 1}e}".partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}".replace("-", MINUS)


def fmt_value(value: Any, digits: int | None = None, max_items: int = MAX_ITEMS) -> str:
    """A scalar as a number; an array as [[..], [..]] with `max_items` elements per axis, then "…"."""
    arr = numpy.asarray(value)
    if arr.ndim == 0:
        return fmt_number(float(arr), digits)
    items = [fmt_value(v, digits, max_items) for v in arr[:max_items]]
    if len(arr) > max_items:
        items.append("…")
    return "[" + ", ".join(items) + "]"


def shape_text(shape: tuple[int, ...]) -> str:
    """A shape as `main.py info` prints it and the canvas writes it on an edge: [64, 6, 24, 24]."""
    return str(list(shape))


def squeezed(shape: tuple[int, ...]) -> tuple[int, ...] | None:
    """The shape an array is written out in: leading axes of 1 dropped down to a matrix (a 1×1×3×3 image
    is its 3×3 matrix); None when more than two axes remain (a batch of feature maps): too many
    numbers to read, so the window writes its shape instead (fmt_array)."""
    while len(shape) > 2 and shape[0] == 1:
        shape = shape[1:]
    return shape if len(shape) <= 2 else None


def fmt_array(value: Any, digits: int | None = None) -> str:
    """`fmt_value`, or the shape ("[64, 6, 24, 24]") of an array that cannot be written out (squeezed)."""
    shape = numpy.shape(value)
    return shape_text(shape) if squeezed(shape) is None else fmt_value(value, digits)


def fmt_lines(value: Any, digits: int | None = None, column_from: int | None = None) -> str:
    """A matrix one "[a, b]" row per line (the canvas draws it with aligned columns); a vector of
    `column_from` or more elements as a column; anything else as `fmt_value` writes it."""
    arr = numpy.asarray(value)
    if arr.ndim == 1 and column_from is not None and len(arr) >= column_from:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        return fmt_value(arr, digits)
    rows = [fmt_value(r, digits) for r in arr[:MAX_ROWS]]
    if len(arr) > MAX_ROWS:
        rows.append("⋮")
    return "\n".join(rows)


def fmt_sum(a: Any, b: Any, digits: int | None = None) -> str:
    """`a + b` as a lecture writes it: "0.0069 − 0.0125" when b is a negative number."""
    if numpy.ndim(b) == 0 and float(b) < 0:
        return f"{fmt_value(a, digits)} {MINUS} {fmt_number(-float(b), digits)}"
    return f"{fmt_array(a, digits)} + {fmt_array(b, digits)}"


def fmt_product(a: Any, b: Any, digits: int | None = None) -> str:
    """`a × b`, a negative second factor in parentheses: "0.5 × (−2)"."""
    right = fmt_value(b, digits)
    return f"{fmt_value(a, digits)} × " + (f"({right})" if right.startswith(MINUS) else right)


def widest_number(digits: int | None = None) -> str:
    """Text as wide as the widest element the rule writes at `digits` (−8.888e−8: scientific notation
    is a little wider than −0.008888), so the canvas can reserve room before anything is computed."""
    d = _digits if digits is None else digits
    return f"{MINUS}8.{'8' * (d - 1)}e{MINUS}88"
