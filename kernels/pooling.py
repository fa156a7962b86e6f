"""Max and average pooling (NCHW, square windows, no padding) and flatten, over `xp`.

Both poolings read the windows through the strided view of kernels.conv and give their gradients back
through the same col2im. Max pooling sends each output's gradient to the first maximum of its window
(row-major), as PyTorch does, so ties never split it.
"""
from __future__ import annotations

import math

from kernels.base import Kernel
from kernels.conv import scatter_windows, windows


def pool_stride(at) -> int:  # noqa: ANN001
    """The stride attribute; 0 means the kernel size (PyTorch's default, stride=None)."""
    return at["stride"] or at["kernel_size"]


def _max_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x = ins[0]
    k, s = at["kernel_size"], pool_stride(at)
    win = windows(xp, x, k, k, s)
    flat = win.reshape(*win.shape[:4], k * k)
    first = flat.argmax(axis=-1)  # the first maximum in row-major order
    out = xp.take_along_axis(flat, first[..., None], axis=-1)[..., 0]
    return out, (first, x.shape)


def _max_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    first, shape = saved
    k, s = at["kernel_size"], pool_stride(at)
    onehot = first[..., None] == xp.arange(k * k)
    dwin = (onehot * g[..., None]).reshape(*g.shape, k, k)
    return (scatter_windows(xp, dwin, shape, s),)


def _avg_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x = ins[0]
    k, s = at["kernel_size"], pool_stride(at)
    return windows(xp, x, k, k, s).mean(axis=(4, 5)), x.shape


def _avg_vjp(xp, shape, g, at):  # noqa: ANN001, ANN202
    k, s = at["kernel_size"], pool_stride(at)
    dwin = xp.broadcast_to((g / (k * k))[..., None, None], (*g.shape, k, k))
    return (scatter_windows(xp, dwin, shape, s),)


def _flatten_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x = ins[0]
    return x.reshape(x.shape[0], math.prod(x.shape[1:])), x.shape


def _flatten_vjp(xp, shape, g, at):  # noqa: ANN001, ANN202
    return (g.reshape(shape),)


max_pool2d = Kernel(_max_fwd, _max_vjp)
avg_pool2d = Kernel(_avg_fwd, _avg_vjp)
flatten = Kernel(_flatten_fwd, _flatten_vjp)

KERNELS: dict[str, Kernel] = {"max_pool2d": max_pool2d, "avg_pool2d": avg_pool2d, "flatten": flatten}
