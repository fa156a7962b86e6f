"""Matrix and shape ops: matmul, transpose, sum, mean, reshape."""
from __future__ import annotations

from kernels.base import Kernel


def _as_axes(axis, ndim):  # noqa: ANN001, ANN202
    """Normalise an axis attribute (None, int or list) to a tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(a % ndim for a in axes) if ndim else ()


def _np_axis(axis, ndim):  # noqa: ANN001, ANN202
    """The axis attribute as numpy's reductions take it: a list (JSON files, expressions) becomes a
    tuple, and a scalar, which has no axis to reduce, is reduced whole (as the shape rule allows)."""
    if ndim == 0:
        return None
    return tuple(axis) if isinstance(axis, list) else axis


def _matmul_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    a, b = ins
    return a @ b, (a, b)


def _matmul_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    a, b = saved
    if a.ndim == 2 and b.ndim == 2:
        return g @ b.T, a.T @ g
    # Lift vectors to matrices (row for a, column for b) so one rule covers 1-D and 2-D.
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    g2 = g.reshape(a2.shape[0], b2.shape[1])
    return (g2 @ b2.T).reshape(a.shape), (a2.T @ g2).reshape(b.shape)


def _matmul_partial(xp, saved, g, at, need):  # noqa: ANN001, ANN202
    """The same products as _matmul_vjp, only the wanted ones (a data input's gradient is a whole matmul)."""
    a, b = saved
    if a.ndim == 2 and b.ndim == 2:
        return g @ b.T if need[0] else None, a.T @ g if need[1] else None
    return tuple(gi if wanted else None for gi, wanted in zip(_matmul_vjp(xp, saved, g, at), need))


def _transpose_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    axes = at.get("axes")
    return xp.transpose(ins[0], axes), None


def _transpose_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    axes = at.get("axes")
    inverse = None if axes is None else tuple(sorted(range(len(axes)), key=lambda i: axes[i]))
    return (xp.transpose(g, inverse),)


def _sum_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x = ins[0]
    return x.sum(axis=_np_axis(at.get("axis"), x.ndim), keepdims=bool(at.get("keepdims", False))), x.shape


def _expand(xp, g, shape, at):  # noqa: ANN001, ANN202
    """Undo a reduction: put the reduced axes back as size 1, then broadcast to `shape`."""
    if not at.get("keepdims", False):
        for ax in sorted(_as_axes(at.get("axis"), len(shape))):
            g = xp.expand_dims(g, ax)
    return xp.broadcast_to(g, shape)


def _sum_vjp(xp, shape, g, at):  # noqa: ANN001, ANN202
    return (xp.array(_expand(xp, g, shape, at)),)


def _mean_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x = ins[0]
    return x.mean(axis=_np_axis(at.get("axis"), x.ndim), keepdims=bool(at.get("keepdims", False))), x.shape


def _mean_vjp(xp, shape, g, at):  # noqa: ANN001, ANN202
    count = 1
    for ax in _as_axes(at.get("axis"), len(shape)):
        count *= shape[ax]
    return (_expand(xp, g, shape, at) / count,)


def _reshape_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x = ins[0]
    return x.reshape(tuple(at["shape"])), x.shape


def _reshape_vjp(xp, shape, g, at):  # noqa: ANN001, ANN202
    return (g.reshape(shape),)


matmul = Kernel(_matmul_fwd, _matmul_vjp, partial=_matmul_partial)
transpose = Kernel(_transpose_fwd, _transpose_vjp)
sum_ = Kernel(_sum_fwd, _sum_vjp)
mean = Kernel(_mean_fwd, _mean_vjp)
reshape = Kernel(_reshape_fwd, _reshape_vjp)
