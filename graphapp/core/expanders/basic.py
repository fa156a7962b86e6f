"""Expanders of the feed-forward layers, activations and losses into primitive ops, as the lectures draw them.

No piece holds a batch size: constants are scalars (the −1 and the 1) and a mean counts its N when it runs,
so an expanded layer takes any batch, as the layer does.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy

from graphapp.core.errors import GraphError
from graphapp.core.expanders.piece import Expander, Piece, Shape


def _const(key: str, value: float, label: str) -> Piece:
    return Piece(key, "const", value=numpy.asarray(value, dtype=float), label=label, label_ko=label)


def dense(node: Any, shapes: Mapping[str, Shape]) -> list[Piece]:
    """x·W + b: the affine layer is a matrix product and a (broadcast) sum."""
    return [Piece("matmul", "matmul", {"a": "@x", "b": "@W"}),
            Piece("add", "add", {"a": "matmul", "b": "@b"})]


def sigmoid(node: Any, shapes: Mapping[str, Shape]) -> list[Piece]:
    """σ(x) = 1/(1 + exp(−x)) as the lecture's four nodes: ×(−1), exp, +1, 1/x (sigmoid_decomposed)."""
    return [_const("minus_one", -1.0, "−1"),
            Piece("mul", "mul", {"a": "@x", "b": "minus_one"}),
            Piece("exp", "exp", {"x": "mul"}),
            _const("one", 1.0, "1"),
            Piece("add", "add", {"a": "exp", "b": "one"}),
            Piece("reciprocal", "reciprocal", {"x": "add"})]


def mse(node: Any, shapes: Mapping[str, Shape]) -> list[Piece]:
    """mean((pred − target)²): a difference, a square, a mean over every element."""
    return [Piece("sub", "sub", {"a": "@pred", "b": "@target"}),
            Piece("square", "square", {"x": "sub"}),
            Piece("mean", "mean", {"x": "square"})]


def softmax_cross_entropy(node: Any, shapes: Mapping[str, Shape]) -> list[Piece]:
    """−Σ y·log softmax(z) per example, then the mean over the batch (N read at run time, so any batch size
    fits), for one-hot targets y; class-index targets need a gather, which is no primitive."""
    logits, target = shapes.get("logits"), shapes.get("target")
    if logits is None or target is None:
        raise GraphError(f"node '{node.id}': connect logits and target before expanding "
                         "(the pieces depend on their shapes)", node.id)
    if target != logits:
        raise GraphError(f"node '{node.id}': only one-hot targets expand (target of the logits' shape); "
                         "class indices have no primitive", node.id)
    pieces = [Piece("log_softmax", "log_softmax", {"x": "@logits"}, {"axis": -1}),
              Piece("mul", "mul", {"a": "@target", "b": "log_softmax"})]
    if len(logits) < 2:  # one example: its cross-entropy is the loss
        return pieces + [Piece("sum", "sum", {"x": "mul"}), Piece("neg", "neg", {"x": "sum"})]
    per_example = 1 if len(logits) == 2 else list(range(1, len(logits)))  # every axis but the batch's
    return pieces + [Piece("sum", "sum", {"x": "mul"}, {"axis": per_example}),
                     Piece("neg", "neg", {"x": "sum"}),
                     Piece("mean", "mean", {"x": "neg"})]


BASIC: dict[str, Expander] = {
    "dense": dense, "sigmoid": sigmoid, "mse": mse, "softmax_cross_entropy": softmax_cross_entropy,
}
