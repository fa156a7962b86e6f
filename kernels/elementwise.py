"""Arithmetic: add, sub, mul, div, neg, pow, square, sqrt, exp, log, reciprocal, abs, maximum, minimum."""
from __future__ import annotations

from typing import Any, Callable

from kernels.base import Domain, elementwise


def expr(args: str, body: str) -> Callable[..., Any]:
    """An elementwise function or local derivative written as one expression over `xp`, `at` and `args`
    (fn(xp, at, *inputs) or deriv(xp, at, o, *inputs)). The text is kept as `.inline`, so a compiled
    training step (graphapp.core.executor) writes the very same expression in place of the call."""
    fn = eval(f"lambda xp, at, {args}: {body}")  # noqa: S307 - our own constant text, no names but its arguments
    fn.inline = (("xp", "at", *(a.strip() for a in args.split(","))), body)
    return fn


add = elementwise(expr("a, b", "a + b"), 1.0, 1.0)
sub = elementwise(expr("a, b", "a - b"), 1.0, -1.0)
mul = elementwise(expr("a, b", "a * b"), expr("o, a, b", "b"), expr("o, a, b", "a"))
div = elementwise(
    expr("a, b", "a / b"),
    expr("o, a, b", "1.0 / b"),
    expr("o, a, b", "-a / (b * b)"),
    domain=(Domain(1, lambda xp, ins, at: ins[1] != 0, "b ≠ 0"),),
)
neg = elementwise(expr("a", "-a"), -1.0)
pow_ = elementwise(
    lambda xp, at, a: a ** at["p"],
    # x⁰ is constant: its derivative is 0, also at x = 0 (where 0 · 0⁻¹ would be nan).
    lambda xp, at, o, a: at["p"] * a ** (at["p"] - 1) if at["p"] != 0 else xp.zeros_like(a),
    domain=(
        # A negative base has no real fractional power, and 0 has no negative power.
        Domain(0, lambda xp, ins, at: (ins[0] >= 0) | (float(at["p"]) % 1 == 0), "x ≥ 0 (p = {p} is not a whole number)"),
        Domain(0, lambda xp, ins, at: (ins[0] != 0) | (at["p"] >= 0), "x ≠ 0 (p = {p} is negative)"),
    ),
)
square = elementwise(expr("a", "a * a"), expr("o, a", "2.0 * a"))
sqrt = elementwise(lambda xp, at, a: xp.sqrt(a), lambda xp, at, o, a: 0.5 / o,
                   domain=(Domain(0, lambda xp, ins, at: ins[0] >= 0, "x ≥ 0"),))
exp = elementwise(expr("a", "xp.exp(a)"), expr("o, a", "o"))
log = elementwise(lambda xp, at, a: xp.log(a), lambda xp, at, o, a: 1.0 / a,
                  domain=(Domain(0, lambda xp, ins, at: ins[0] > 0, "x > 0"),))
reciprocal = elementwise(lambda xp, at, a: 1.0 / a, lambda xp, at, o, a: -(o * o),
                         domain=(Domain(0, lambda xp, ins, at: ins[0] != 0, "x ≠ 0"),))
abs_ = elementwise(lambda xp, at, a: xp.abs(a), lambda xp, at, o, a: xp.sign(a))


def _tie_share(xp, a, b, pick):  # noqa: ANN001, ANN202
    """Gradient share of the first argument of max/min: 1 where it wins, ½ on a tie (as PyTorch)."""
    return xp.where(a == b, 0.5, pick(a, b).astype(a.dtype))


maximum = elementwise(
    lambda xp, at, a, b: xp.maximum(a, b),
    lambda xp, at, o, a, b: _tie_share(xp, a, b, lambda u, v: u > v),
    lambda xp, at, o, a, b: _tie_share(xp, b, a, lambda u, v: u > v),
)
minimum = elementwise(
    lambda xp, at, a, b: xp.minimum(a, b),
    lambda xp, at, o, a, b: _tie_share(xp, a, b, lambda u, v: u < v),
    lambda xp, at, o, a, b: _tie_share(xp, b, a, lambda u, v: u < v),
)
