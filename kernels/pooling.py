"""Max and average pooling (NCHW, square windows, no padding) and flatten, over `xp`.

Both poolings work batch-last, as kernels.conv does, one vectorized operation per window tap (k·k of
them, 4 for the usual 2×2): the maximum is a running xp.maximum over the taps' strided slices, and the
gradient goes back tap by tap. Max pooling sends each output's gradient to the first maximum of its
window (row-major), as PyTorch does, so ties never split it: a tap takes the gradient where it equals
the maximum and no earlier tap did. Measured on LeNet's pools this is about 4× faster than an argmax
over copied windows.
"""
from __future__ import annotations

import math

from kernels.base import Kernel
from kernels.conv import batch_first, batch_last, taps


def pool_stride(at) -> int:  # noqa: ANN001
    """The stride attribute; 0 means the kernel size (PyTorch's default, stride=None)."""
    return at["stride"] or at["kernel_size"]


def _windows(xp, x, at):  # noqa: ANN001, ANN202
    """x batch-last, and the window taps over it (i, j, rows, cols) for the output's positions."""
    k, s = at["kernel_size"], pool_stride(at)
    xt = batch_last(xp, x)
    ho, wo = (xt.shape[1] - k) // s + 1, (xt.shape[2] - k) // s + 1
    return xt, taps(k, k, s, ho, wo)


def _max_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    xt, window = _windows(xp, ins[0], at)
    out = xt[:, window[0][2], window[0][3]].copy()
    for _, _, rows, cols in window[1:]:
        xp.maximum(out, xt[:, rows, cols], out=out)
    return batch_first(out), (xt, out)


def _max_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    xt, out = saved
    k, s = at["kernel_size"], pool_stride(at)
    gt = g.transpose(1, 2, 3, 0)
    dxt = xp.zeros(xt.shape, dtype=g.dtype)
    taken = None  # outputs whose gradient an earlier tap (an earlier maximum) already took
    for _, _, rows, cols in taps(k, k, s, out.shape[1], out.shape[2]):
        hit = xt[:, rows, cols] == out
        if taken is None:
            taken = hit
        else:
            hit &= ~taken
            taken |= hit
        dxt[:, rows, cols] += gt * hit
    return (batch_first(dxt),)


def _avg_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    xt, window = _windows(xp, ins[0], at)
    out = xt[:, window[0][2], window[0][3]].copy()
    for _, _, rows, cols in window[1:]:
        out += xt[:, rows, cols]
    out /= at["kernel_size"] ** 2
    return batch_first(out), xt.shape


def _avg_vjp(xp, shape, g, at):  # noqa: ANN001, ANN202
    k, s = at["kernel_size"], pool_stride(at)
    share = g.transpose(1, 2, 3, 0) / (k * k)
    dxt = xp.zeros(shape, dtype=g.dtype)
    for _, _, rows, cols in taps(k, k, s, share.shape[1], share.shape[2]):
        dxt[:, rows, cols] += share
    return (batch_first(dxt),)


def _flatten_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x = ins[0]
    return x.reshape(x.shape[0], math.prod(x.shape[1:])), x.shape


def _flatten_vjp(xp, shape, g, at):  # noqa: ANN001, ANN202
    return (g.reshape(shape),)


max_pool2d = Kernel(_max_fwd, _max_vjp)
avg_pool2d = Kernel(_avg_fwd, _avg_vjp)
flatten = Kernel(_flatten_fwd, _flatten_vjp)

KERNELS: dict[str, Kernel] = {"max_pool2d": max_pool2d, "avg_pool2d": avg_pool2d, "flatten": flatten}
