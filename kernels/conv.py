"""Convolution and the dense (affine) layer over `xp`, NCHW with weights [C_out, C_in, kh, kw] as PyTorch.

Forward is im2col as one GEMM: a strided view of the padded input holds every window without copying,
one reshape lays the windows out as rows, and one matrix product with the flattened filters gives every
output. Backward: dW is the transposed GEMM, db a sum, and dx is col2im: each of the kh·kw filter taps
adds one strided slice of the window gradients into dx (a loop over kh·kw slices, each one vectorized
over batch, channels and positions; no Python loop over positions). Where the windows tile the input
(stride = window) it is a single reshape instead.
"""
from __future__ import annotations

import math
from types import ModuleType
from typing import Any

from kernels.base import Array, Kernel

Pads = tuple[int, int, int, int]  # top, bottom, left, right


def out_size(size: int, f: int, s: int, p: int) -> float:
    """The lecture's output size (H + 2P − F)/S + 1; a whole number when the stride fits."""
    return (size + 2 * p - f) / s + 1


def same_pads(size: int, f: int, s: int) -> tuple[int, int]:
    """'same' padding (TensorFlow's rule, PyTorch's for stride 1): the output has ceil(size/S) positions,
    and the padding is split with the extra one after (bottom or right), as both libraries do."""
    total = max((math.ceil(size / s) - 1) * s + f - size, 0)
    return total // 2, total - total // 2


def pads(padding: Any, h: int, w: int, kh: int, kw: int, s: int) -> Pads:
    """The padding attribute ('valid', 'same' or an int P) as (top, bottom, left, right)."""
    if padding == "valid":
        return 0, 0, 0, 0
    if padding == "same":
        return (*same_pads(h, kh, s), *same_pads(w, kw, s))
    return padding, padding, padding, padding


def windows(xp: ModuleType, x: Array, kh: int, kw: int, s: int) -> Array:
    """Every kh×kw window of x (N, C, H, W) at stride s, as a view (N, C, Ho, Wo, kh, kw)."""
    v = xp.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    return v[:, :, ::s, ::s]


def scatter_windows(xp: ModuleType, dwin: Array, shape: tuple[int, ...], s: int) -> Array:
    """col2im: the sum, into an array of `shape` (N, C, H, W), of window gradients (N, C, Ho, Wo, kh, kw)."""
    n, c, ho, wo, kh, kw = dwin.shape
    dx = xp.zeros(shape, dtype=dwin.dtype)
    if s == kh == kw:  # windows tile the input (2×2 pooling at stride 2): one reshape, no loop
        dx[:, :, :ho * kh, :wo * kw] = dwin.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, ho * kh, wo * kw)
        return dx
    for i in range(kh):  # one vectorized strided add per filter tap
        for j in range(kw):
            dx[:, :, i:i + s * (ho - 1) + 1:s, j:j + s * (wo - 1) + 1:s] += dwin[:, :, :, :, i, j]
    return dx


def _pad(xp: ModuleType, x: Array, p: Pads) -> Array:
    return x if not any(p) else xp.pad(x, ((0, 0), (0, 0), (p[0], p[1]), (p[2], p[3])))


def _conv_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x, w, b = ins
    n, c, h, wd = x.shape
    co, _, kh, kw = w.shape
    s = at["stride"]
    p = pads(at["padding"], h, wd, kh, kw, s)
    win = windows(xp, _pad(xp, x, p), kh, kw, s)
    ho, wo = win.shape[2], win.shape[3]
    cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(n * ho * wo, c * kh * kw)  # the one copy: im2col
    out = (cols @ w.reshape(co, -1).T).reshape(n, ho, wo, co).transpose(0, 3, 1, 2) + b[None, :, None, None]
    return xp.ascontiguousarray(out), (cols, x.shape, w, p)


def _conv_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    cols, shape, w, p = saved
    n, c, h, wd = shape
    co, _, kh, kw = w.shape
    ho, wo = g.shape[2], g.shape[3]
    g2 = g.transpose(0, 2, 3, 1).reshape(n * ho * wo, co)
    dw = (g2.T @ cols).reshape(w.shape)
    dwin = (g2 @ w.reshape(co, -1)).reshape(n, ho, wo, c, kh, kw).transpose(0, 3, 1, 2, 4, 5)
    dxp = scatter_windows(xp, dwin, (n, c, h + p[0] + p[1], wd + p[2] + p[3]), at["stride"])
    return dxp[:, :, p[0]:p[0] + h, p[2]:p[2] + wd], dw, g.sum(axis=(0, 2, 3))


def _dense_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x, w, b = ins
    return x @ w + b, (x, w)


def _dense_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    x, w = saved
    return g @ w.T, x.T @ g, g.sum(axis=0)


conv2d = Kernel(_conv_fwd, _conv_vjp)
dense = Kernel(_dense_fwd, _dense_vjp)

KERNELS: dict[str, Kernel] = {"conv2d": conv2d, "dense": dense}
