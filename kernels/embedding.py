"""Embedding lookup and one-hot encoding over `xp`: indices to vectors, as torch.nn.functional does.

Indices arrive as floats (every graph value is a float array) holding whole numbers; each op's domain
refuses any other value by node, element and value before the kernel casts them. An index is a label,
not a quantity: neither op passes a gradient back to it (an all-zero gradient, as softmax cross-entropy
gives its class-index targets). The embedding's weight gradient is a scatter-add: an index used twice
adds both upstream rows into its row of W, the same sum a one-hot matrix product would form.
"""
from __future__ import annotations

from types import ModuleType

from kernels.base import Array, Domain, Kernel


def whole_index(xp: ModuleType, idx: Array, n: int) -> Array:
    """Per element: True where idx is one of the whole numbers 0, 1, …, n − 1 (NaN and ±∞ are not)."""
    return (idx == xp.floor(idx)) & (idx >= 0) & (idx < n)


def _embedding_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    idx, w = ins
    i = idx.astype(xp.int64)
    return w[i], (i, idx.shape, w.shape)  # integer-array indexing copies: idx.shape + (D,)


def _embedding_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    i, idx_shape, w_shape = saved
    dw = xp.zeros(w_shape, dtype=g.dtype)
    xp.add.at(dw, i.reshape(-1), g.reshape(-1, w_shape[1]))  # repeated indices add up (unlike dw[i] += g)
    return xp.zeros(idx_shape, dtype=g.dtype), dw


def _one_hot_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    idx = ins[0]
    return (idx[..., None] == xp.arange(at["num_classes"])).astype(idx.dtype), idx.shape


def _one_hot_vjp(xp, idx_shape, g, at):  # noqa: ANN001, ANN202
    return (xp.zeros(idx_shape, dtype=g.dtype),)


embedding = Kernel(_embedding_fwd, _embedding_vjp, domain=(
    Domain(0, lambda xp, ins, at: whole_index(xp, ins[0], ins[1].shape[0]),
           "idx is a row index 0, 1, …, V − 1 (V = the rows of W)"),))
one_hot = Kernel(_one_hot_fwd, _one_hot_vjp, domain=(
    Domain(0, lambda xp, ins, at: whole_index(xp, ins[0], at["num_classes"]),
           "idx is a class index 0, 1, …, C − 1 (C = num_classes = {num_classes})"),))

KERNELS: dict[str, Kernel] = {"embedding": embedding, "one_hot": one_hot}
