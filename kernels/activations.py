"""Activations: sigmoid, tanh, relu, leaky_relu, elu, softplus, step, sign, softmax, log_softmax."""
from __future__ import annotations

from kernels.base import Kernel, elementwise
from kernels.elementwise import expr

# σ(x) = exp(−log(1 + e^−x)): no overflow for any |x| (e^−x is never formed)
_sigmoid = expr("x", "xp.exp(-xp.logaddexp(0.0, -x))")


def stable_sigmoid(xp, x):  # noqa: ANN001, ANN201
    return _sigmoid(xp, None, x)


sigmoid = elementwise(_sigmoid, expr("o, a", "o * (1.0 - o)"))
tanh = elementwise(expr("a", "xp.tanh(a)"), expr("o, a", "1.0 - o * o"))
relu = elementwise(expr("a", "xp.maximum(a, 0.0)"), expr("o, a", "(a > 0).astype(a.dtype)"))
leaky_relu = elementwise(
    lambda xp, at, a: xp.where(a > 0, a, at["alpha"] * a),
    lambda xp, at, o, a: xp.where(a > 0, 1.0, at["alpha"]),
)
elu = elementwise(
    # expm1 of min(a, 0): the unused branch never overflows.
    lambda xp, at, a: xp.where(a > 0, a, at["alpha"] * xp.expm1(xp.minimum(a, 0.0))),
    lambda xp, at, o, a: xp.where(a > 0, 1.0, o + at["alpha"]),
)
softplus = elementwise(lambda xp, at, a: xp.logaddexp(0.0, a), lambda xp, at, o, a: stable_sigmoid(xp, a))
# Piecewise constant: the derivative is zero wherever it exists, so no gradient flows back.
step = elementwise(lambda xp, at, a: (a > 0).astype(a.dtype), lambda xp, at, o, a: xp.zeros_like(a))
sign = elementwise(lambda xp, at, a: xp.sign(a), lambda xp, at, o, a: xp.zeros_like(a))


def _log_softmax(xp, x, axis):  # noqa: ANN001, ANN202
    shifted = x - x.max(axis=axis, keepdims=True)  # log-sum-exp trick: the largest exponent is 0
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


def _softmax_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    out = xp.exp(_log_softmax(xp, ins[0], at["axis"]))
    return out, out


def _softmax_vjp(xp, out, g, at):  # noqa: ANN001, ANN202
    return (out * (g - (g * out).sum(axis=at["axis"], keepdims=True)),)


def _log_softmax_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    out = _log_softmax(xp, ins[0], at["axis"])
    return out, out


def _log_softmax_vjp(xp, out, g, at):  # noqa: ANN001, ANN202
    return (g - xp.exp(out) * g.sum(axis=at["axis"], keepdims=True),)


softmax = Kernel(_softmax_fwd, _softmax_vjp)
log_softmax = Kernel(_log_softmax_fwd, _log_softmax_vjp)
