"""What an op is: ports, attributes, symbol, bilingual names, shape rule, kernel. Defined once."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy

from graphapp.core.errors import ShapeError
from kernels.base import Kernel

Shape = tuple[int, ...]
# infer(node_id, [(source_id, shape), ...], attrs) -> output shape; raises ShapeError naming nodes.
Infer = Callable[[str, Sequence[tuple[str, Shape]], dict[str, Any]], Shape]


@dataclass(frozen=True)
class AttrSpec:
    """An attribute the inspector can render: kind is float, int, axis (None/int), shape or axes."""

    name: str
    kind: str
    default: Any
    en: str
    ko: str


@dataclass(frozen=True)
class OpSpec:
    name: str
    category: str  # source, arithmetic, activation, loss, matrix
    symbol: str  # what a round node shows: ×, +, σ, exp, 1/x, ...
    en: str
    ko: str
    description_en: str
    description_ko: str
    inputs: tuple[str, ...] = ()
    attrs: tuple[AttrSpec, ...] = ()
    kernel: Kernel | None = None
    infer: Infer | None = None
    # The local derivative of each input in the lectures' notation, e.g. "∂(a·b)/∂a = b".
    formulas: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=())

    @property
    def is_source(self) -> bool:
        return not self.inputs

    def default_attrs(self) -> dict[str, Any]:
        return {a.name: a.default for a in self.attrs}


# ---- shape rules shared by the op families -------------------------------------------------------

def fmt_shape(shape: Shape) -> str:
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "scalar" if shape == () else "(" + ", ".join(map(str, shape)) + ")"


def broadcast_shape(node: str, ins: Sequence[tuple[str, Shape]], attrs: dict[str, Any]) -> Shape:
    try:
        return tuple(numpy.broadcast_shapes(*(s for _, s in ins)))
    except ValueError:
        parts = " and ".join(f"'{src}' {fmt_shape(s)}" for src, s in ins)
        raise ShapeError(f"node '{node}': shapes do not broadcast: {parts}", node) from None


def same_shape(node: str, ins: Sequence[tuple[str, Shape]], attrs: dict[str, Any]) -> Shape:
    return ins[0][1]


def scalar_shape(node: str, ins: Sequence[tuple[str, Shape]], attrs: dict[str, Any]) -> Shape:
    return ()


def check_axis(node: str, shape: Shape, axis: Any) -> tuple[int, ...]:
    """Validate an axis attribute against a shape; return the axes as non-negative ints."""
    if axis is None:
        return tuple(range(len(shape)))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not -len(shape) <= a < len(shape) or len(shape) == 0:
            raise ShapeError(f"node '{node}': axis {a} is out of range for shape {fmt_shape(shape)}", node)
    return tuple(a % len(shape) for a in axes)
