"""What an op is: ports, attributes, symbol, bilingual names, shape rule, kernel. Defined once."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy

from graphapp.core.errors import AttrError, GraphError, ShapeError
from kernels.base import Kernel

Shape = tuple[int, ...]
# infer(node_id, [(source_id, shape), ...], attrs) -> output shape; raises ShapeError naming nodes.
Infer = Callable[[str, Sequence[tuple[str, Shape]], dict[str, Any]], Shape]
# bound(node_id, [(source_id, shape), ...], output shape, attrs): raises ShapeError when a run would lay out
# work arrays past a value's limit (conv2d's windows, a sequence's tape); checked by Graph.run_shapes.
Bound = Callable[[str, Sequence[tuple[str, Shape]], Shape, dict[str, Any]], None]
# indices([input shapes in port order]) -> the ports that hold whole-number indices for those shapes.
Indices = Callable[[Sequence[Shape]], tuple[str, ...]]
MAX_DIMS = 64  # numpy's limit on the number of axes of an array
MAX_DIM_SIZE = 2**31 - 1  # a larger extent along one axis cannot fit in memory here anyway
MAX_PADDING = 1024  # zeros around an image: more would only frame it in nothing


class _Refused(Exception):
    """Raised inside the attribute checks; AttrSpec.check turns it into an AttrError with the context."""


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, numpy.integer)) and not isinstance(v, (bool, numpy.bool_))


def _is_real(v: Any) -> bool:
    return _is_int(v) or isinstance(v, (float, numpy.floating))


def _in_range(spec: AttrSpec, v: float) -> None:
    if (spec.low is not None and v < spec.low) or (spec.high is not None and v > spec.high):
        raise _Refused


def _float(spec: AttrSpec, v: Any) -> float:
    if not _is_real(v):
        raise _Refused
    try:
        f = float(v)
    except OverflowError:  # an int beyond the float range, e.g. 10**400
        raise _Refused from None
    if not math.isfinite(f):
        raise _Refused
    _in_range(spec, f)
    return f


def _int(spec: AttrSpec, v: Any) -> int:
    if not _is_int(v):
        raise _Refused
    _in_range(spec, int(v))
    return int(v)


def _bool(spec: AttrSpec, v: Any) -> bool:
    if not isinstance(v, (bool, numpy.bool_)):
        raise _Refused
    return bool(v)


def _int_list(v: Any, low: int, high: int) -> list[int]:
    if not isinstance(v, (list, tuple)) or len(v) > MAX_DIMS or not all(_is_int(a) and low <= a <= high for a in v):
        raise _Refused
    return [int(a) for a in v]


def _axis(spec: AttrSpec, v: Any) -> int | list[int] | None:
    if v is None:
        return None
    if _is_int(v) and -MAX_DIMS <= v < MAX_DIMS:
        return int(v)
    axes = _int_list(v, -MAX_DIMS, MAX_DIMS - 1)
    if not axes or len(set(axes)) != len(axes):
        raise _Refused
    return axes


def _shape(spec: AttrSpec, v: Any) -> list[int]:
    shape = _int_list(v, -1, MAX_DIM_SIZE)
    if shape.count(-1) > 1:
        raise _Refused
    return shape


def _axes(spec: AttrSpec, v: Any) -> list[int] | None:
    if v is None:
        return None
    axes = _int_list(v, 0, MAX_DIMS - 1)
    if sorted(axes) != list(range(len(axes))):
        raise _Refused
    return axes


def _padding(spec: AttrSpec, v: Any) -> int | str:
    if isinstance(v, str) and v.lower() in ("valid", "same"):
        return v.lower()
    if _is_int(v) and 0 <= v <= MAX_PADDING:
        return int(v)
    raise _Refused


def _nonlinearity(spec: AttrSpec, v: Any) -> str:
    if isinstance(v, str) and v.lower() in ("tanh", "relu"):
        return v.lower()
    raise _Refused


# kind -> (check returning the normalized value, what it expects)
_KINDS: dict[str, tuple[Callable[[AttrSpec, Any], Any], str]] = {
    "float": (_float, "a finite number"),
    "int": (_int, "an integer"),
    "bool": (_bool, "true or false"),
    "axis": (_axis, f"null (all axes), an integer axis or a list of distinct integer axes "
                    f"(each from {-MAX_DIMS} to {MAX_DIMS - 1})"),
    "shape": (_shape, f"a list of at most {MAX_DIMS} integers, each ≥ 0 or one -1 (inferred), e.g. [2, 3]"),
    "axes": (_axes, "null (reverse the axes) or an order of the axes 0…n-1, e.g. [1, 0]"),
    "padding": (_padding, f"'valid', 'same' or a whole number of zeros from 0 to {MAX_PADDING}"),
    "nonlinearity": (_nonlinearity, "'tanh' or 'relu'"),
}


def describe(value: Any, limit: int = 40) -> str:
    """A given value as a message shows it: JSON notation (escapes included), cut short."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        text = repr(value).encode("ascii", "backslashreplace").decode("ascii")
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True)
class AttrSpec:
    """An attribute the inspector can render and every edit checks: kind is one of _KINDS; `low` and
    `high` bound float and int kinds (inclusive)."""

    name: str
    kind: str
    default: Any
    en: str
    ko: str
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"attribute '{self.name}': unknown kind {self.kind!r}")

    @property
    def expected(self) -> str:
        text = _KINDS[self.kind][1]
        fmt = lambda v: f"{v:g}"  # noqa: E731
        if self.low is not None and self.high is not None:
            return f"{text} from {fmt(self.low)} to {fmt(self.high)}"
        if self.low is not None:
            return f"{text} ≥ {fmt(self.low)}"
        return text if self.high is None else f"{text} ≤ {fmt(self.high)}"

    def check(self, value: Any, node: str, op: str) -> Any:
        """The value normalized (float, int, bool, list of ints or None); AttrError if it does not fit."""
        try:
            return _KINDS[self.kind][0](self, value)
        except _Refused:
            raise AttrError(f"node '{node}': {op} attribute '{self.name}' got {describe(value)}; "
                            f"expected {self.expected}", node, self.name) from None


@dataclass(frozen=True)
class OpSpec:
    """One op, defined once; built with keyword arguments so each field is named where it is given."""

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
    bound: Bound | None = None
    # The local derivative of each input in the lectures' notation, e.g. "∂(a·b)/∂a = b".
    formulas: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=())
    # How the lectures explain, in Korean, what this node does to the gradient (backward narration);
    # empty: the narration says the general rule (upstream × local).
    ko_rule: str = ""
    # The ports that take whole-number indices (class targets, embedding rows): their vjp is zero, and a
    # nudge of ±ε would leave the op's domain, so the gradient check never differentiates them.
    indices: Indices | None = None

    @property
    def is_source(self) -> bool:
        return not self.inputs

    def default_attrs(self) -> dict[str, Any]:
        return {a.name: a.default for a in self.attrs}

    def check_attr(self, node: str, name: str, value: Any) -> Any:
        """One attribute's value, normalized; GraphError for a name the op lacks, AttrError for a bad value."""
        for a in self.attrs:
            if a.name == name:
                return a.check(value, node, self.name)
        raise GraphError(f"node '{node}': {self.name} has no attribute '{name}'", node)

    def check_attrs(self, node: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
        return {name: self.check_attr(node, name, value) for name, value in attrs.items()}


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
    found = tuple(a % len(shape) for a in axes)
    if len(set(found)) != len(found):  # e.g. [0, -2] for a matrix: the attribute check cannot know the rank
        raise ShapeError(f"node '{node}': axes {list(axes)} name the same axis twice for shape "
                         f"{fmt_shape(shape)}", node)
    return found
