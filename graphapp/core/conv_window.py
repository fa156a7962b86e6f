"""The lecture's convolution sliding window: the sub-steps of a small conv2d node's forward step.

The trace stays the animation: a conv2d forward step is one step of it, as in the CLI and in exported
animations. In the window, → on such a step walks the filter over the image first, one window position
per press (row by row, filter by filter), and only then goes on to the next step; ← walks back. A
position is (step, sub): `sub` None is the step as a whole (where a jump or the slider lands), 0..K−1
one window. Each Window is plain data read from the trace: the (padded) image, the filter, the output
the run computed and the sum of products written out ("1·1 + 2·0 + 4·0 + 5·1 = 6"); its result is the
trace's own output cell, never recomputed.

Only what can be printed is walked: one example of one channel, sides of at most MAX_SIDE, at most
MAX_TERMS products per window and MAX_WINDOWS positions; a larger conv2d step has no sub-steps.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy

from graphapp.core.graph import Graph
from graphapp.core.narration import node_name
from graphapp.core.numbers import MINUS, fmt_number
from graphapp.core.trace import Trace
from kernels.conv import pads

MAX_SIDE = 8  # image rows and columns (before padding)
MAX_TERMS = 9  # products in one window: a 3×3 filter
MAX_WINDOWS = 64  # positions to press through
Position = tuple[int, int | None]  # (playhead step, window index or None for the whole step)


@dataclass(frozen=True)
class Window:
    node: str
    index: int  # 0..count−1
    count: int
    filter: int  # output channel
    row: int  # output cell being computed
    col: int
    top: int  # the window's top-left corner in the padded image
    left: int
    image: Any  # the padded image (Hp, Wp) of example 0, channel 0
    padding: tuple[int, int, int, int]  # top, bottom, left, right: the image's zero border
    kernel: Any  # this filter (kh, kw)
    bias: float
    output: Any  # this filter's output map (Ho, Wo), from the trace
    terms: str  # "1·1 + 2·0 + 4·0 + 5·1" (and "+ b" with a bias that is not 0)

    @property
    def value(self) -> float:
        return float(self.output[self.row, self.col])

    def sum_text(self) -> str:
        return f"{self.terms} = {fmt_number(self.value)}"

    def narration(self, graph: Graph, lang: str, head: str) -> str:
        """The narration bar at this window, after `head` ("Forward 4/5"): where the window stands and
        its sum of products."""
        name = node_name(graph, self.node, lang)
        many = self.kernel_count > 1
        if lang == "ko":
            where = (f"필터 {self.filter + 1}, " if many else "") + f"출력 {self.row + 1}행 {self.col + 1}열"
            return (f"{head} · {name}: 창 {self.index + 1}/{self.count} ({where}) — 창 안의 값과 필터를 "
                    f"곱해 더합니다: {self.sum_text()}")
        where = (f"filter {self.filter + 1}, " if many else "") + f"output row {self.row + 1}, column {self.col + 1}"
        return (f"{head} · {name}: window {self.index + 1} of {self.count} ({where}) — multiply the window by the "
                f"filter and add: {self.sum_text()}")

    @property
    def kernel_count(self) -> int:
        return self.count // (self.output.shape[0] * self.output.shape[1])


def _term(a: float, b: float, first: bool) -> str:
    """One product as the lecture writes it: a negative second factor in parentheses, a negative first
    factor as a subtraction ("… − 2·1") after the first term."""
    right = fmt_number(b)
    right = f"({right})" if b < 0 else right
    if first or a >= 0:
        return ("" if first else " + ") + f"{fmt_number(a)}·{right}"
    return f" {MINUS} {fmt_number(-a)}·{right}"


def _inputs(graph: Graph, trace: Trace, node: str) -> tuple[Any, Any, Any] | None:
    srcs = [graph.source_of(node, p) for p in ("x", "W", "b")]
    if None in srcs or any(s not in trace.values for s in srcs):
        return None
    return tuple(numpy.asarray(trace.values[s]) for s in srcs)  # type: ignore[return-value]


def window_count(graph: Graph, trace: Trace, node: str) -> int:
    """How many window positions a conv2d node's forward step walks through (0: none, too big to print)."""
    if node not in graph.nodes or graph.nodes[node].op != "conv2d" or node not in trace.values:
        return 0
    ins = _inputs(graph, trace, node)
    if ins is None:
        return 0
    x, w, _ = ins
    out = numpy.asarray(trace.values[node])
    n, c, h, wd = x.shape
    co, _, kh, kw = w.shape
    if n != 1 or c != 1 or max(h, wd) > MAX_SIDE or kh * kw > MAX_TERMS or out[0].size > MAX_WINDOWS:
        return 0
    return int(out[0].size)


def window_at(graph: Graph, trace: Trace, node: str, index: int) -> Window | None:
    """Window `index` of a conv2d node's forward step (positions row by row, filter by filter)."""
    count = window_count(graph, trace, node)
    if not 0 <= index < count:
        return None
    x, w, b = _inputs(graph, trace, node)  # type: ignore[misc]
    out = numpy.asarray(trace.values[node])[0]
    co, ho, wo = out.shape
    attrs = {**graph.nodes[node].spec.default_attrs(), **graph.nodes[node].attrs}
    s = attrs["stride"]
    kh, kw = w.shape[2:]
    pad = pads(attrs["padding"], x.shape[2], x.shape[3], kh, kw, s)
    image = numpy.pad(x[0, 0], ((pad[0], pad[1]), (pad[2], pad[3])))
    f, rest = divmod(index, ho * wo)
    row, col = divmod(rest, wo)
    top, left = row * s, col * s
    patch, kernel = image[top:top + kh, left:left + kw], w[f, 0]
    terms = "".join(_term(float(a), float(k), i == 0) for i, (a, k) in enumerate(zip(patch.flat, kernel.flat)))
    bias = float(b[f])
    if bias:
        terms += f" {MINUS} {fmt_number(-bias)}" if bias < 0 else f" + {fmt_number(bias)}"
    return Window(node, index, count, f, row, col, top, left, image, pad, kernel, bias, out[f], terms)


def _count_at(graph: Graph, trace: Trace, step: int) -> int:
    """Window positions of playhead `step` (a conv2d forward step), else 0."""
    if not 1 <= step <= len(trace.forward):
        return 0
    return window_count(graph, trace, trace.forward[step - 1].node)


def window_of(graph: Graph, trace: Trace, step: int, sub: int | None) -> Window | None:
    """The window shown at position (step, sub); None for a whole step."""
    if sub is None or not _count_at(graph, trace, step):
        return None
    return window_at(graph, trace, trace.forward[step - 1].node, sub)


def next_position(graph: Graph, trace: Trace, step: int, sub: int | None, delta: int) -> Position:
    """One press of → (delta 1) or ← (−1): through the windows of a conv2d step, then to the next step
    (arriving at its first window, or its last going back)."""
    total = trace.phase_end("done")
    count = _count_at(graph, trace, step)
    if sub is not None and count and 0 <= sub + delta < count:
        return step, sub + delta
    new = max(0, min(step + delta, total))
    if new == step:
        return step, sub
    n = _count_at(graph, trace, new)
    return (new, (0 if delta > 0 else n - 1)) if n else (new, None)
