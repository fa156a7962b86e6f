"""Which number stands where on the canvas, and how much room it takes: the one home of that rule.

Every number stands once: a value node's value is in its box and its gradient in the pill under it
(its edges repeat neither); an operation's value and gradient stand on its outgoing edge (its pill only
when several edges leave it, to show the sum). The edge being processed shows the chain rule, or the
gradient it carries where that differs from the pill (several consumers).

An array the canvas cannot write out (more than two axes that are not all 1, as an image batch
[64, 6, 24, 24]) stands as its shape, the same text `main.py info` prints; a written matrix carries its
shape above it; before a run an operation's edge shows the shape it will carry. A layer (conv2d, dense,
...) shows its parameter count under its name.

The scene asks here what each node and edge shows at a frame; the layout asks here how much room
those texts need, so the two cannot disagree. The items only measure and paint what they are given.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any, Callable

import numpy

from graphapp.core.errors import StudioError
from graphapp.core.graph import Graph, Node
from graphapp.core.info import is_layer, layer_params, param_count
from graphapp.core.layout import layered_positions
from graphapp.core.narration import is_scalar
from graphapp.core.numbers import fmt_sum, fmt_value, shape_text, squeezed, widest_number
from graphapp.core.ops import VALUE_OPS
from graphapp.core.playback import Frame
from graphapp.core.trace import EdgeEvent
from graphapp.ui.canvas.edge_item import Key
from graphapp.ui.canvas.numtext import block_size
from graphapp.ui.canvas.style import Style, text_size
from graphapp.ui.format import COLUMN_FROM, MAX_COLS, MAX_ROWS, canvas_text
from graphapp.ui.theme import Theme

Pos = tuple[float, float]
CHAIN_SAMPLE = "0.0000 × 0.0000\n= 0.0000"  # a chain rule on a scalar edge, as a narrow gap breaks it


PARAMS = {"en": "{n} params", "ko": "매개변수 {n}개"}
TOTAL = {"en": "Parameters: {n}", "ko": "매개변수 모두 {n}개"}


# ---- arrays: written out, or their shape --------------------------------------------------------------

def array_text(value: Any) -> str:
    """A value as the canvas writes it: a number, a vector, a matrix row by row, else its shape."""
    arr = numpy.asarray(value)
    shape = squeezed(arr.shape)
    return shape_text(arr.shape) if shape is None else canvas_text(arr.reshape(shape))


def shape_caption(shape: tuple[int, ...] | None) -> str | None:
    """The shape written above a matrix of this shape (two axes or more); None where the matrix is not
    written (its shape is the text itself) or the value has fewer axes."""
    return shape_text(shape) if shape is not None and len(shape) >= 2 and squeezed(shape) else None


def params_text(n: int | None, lang: str) -> str | None:
    """"34,944 params" / "매개변수 34,944개" under a layer; None for other nodes or a layer without any."""
    return PARAMS.get(lang, PARAMS["en"]).format(n=f"{n:,}") if n else None


def total_text(graph: Graph, lang: str) -> str:
    """The graph's parameter count for the status bar: "Parameters: 1,623" / "매개변수 모두 1,623개"."""
    return TOTAL.get(lang, TOTAL["en"]).format(n=f"{sum(param_count(graph, n) for n in graph.nodes):,}")


def node_params(graph: Graph, node_id: str) -> int | None:
    """The count a node shows: a layer's parameters (core.info), None for every other node."""
    return layer_params(graph, node_id) if is_layer(graph, node_id) else None


# ---- what stands on a node and on an edge -----------------------------------------------------------

def is_round(node: Node) -> bool:
    """Operations are drawn round with their symbol; inputs, parameters, constants and outputs as boxes."""
    return node.op not in VALUE_OPS and node.op != "output"


def caption(node: Node, lang: str, params: int | None = None) -> str:
    """The name under a round (op) node: its label, never its internal id (the symbol says what it does),
    and a layer's parameter count on the line below."""
    name = (node.label_ko if lang == "ko" else node.label) or node.label or node.label_ko
    count = params_text(params, lang)
    return "\n".join(t for t in (name, count) if t)


def box_lines(node: Node, style: Style, value_text: str | None) -> tuple[str, str | None]:
    """The box's two lines: name, then value. Value nodes always show their given value."""
    if node.op in VALUE_OPS:
        value_text = array_text(node.value)
    return node.name(style.lang), value_text


def box_caption(node: Node) -> str | None:
    """The shape a value node's box writes between its name and its given matrix (an array of two axes
    or more; a larger one is its shape already)."""
    return shape_caption(node.value.shape) if node.op in VALUE_OPS and node.value is not None else None


def shows_pill(node: Node, consumers: int) -> bool:
    """Whether the node carries its gradient in a pill under it: an op with one consumer does not (the
    gradient stands on its only outgoing edge), every other node does."""
    return not (is_round(node) and consumers == 1)


def box_value(node: Node, value: Any) -> str | None:
    """The computed value a node shows in its body: none for value nodes (box_lines shows their given
    value) and none before the forward pass reaches it."""
    return None if value is None or node.op in VALUE_OPS else array_text(value)


def pill_text(node: Node, grad: Any, consumers: int, summing: EdgeEvent | None = None,
              moved: str | None = None) -> str | None:
    """The text of the pill under a node. `summing`: the current edge event when it adds a second path's
    gradient into this node; `moved`: the update phase's θ − η·g = θ′ for this node."""
    if moved is not None:
        return moved
    if grad is None:
        return None
    if summing is not None and is_scalar(summing.previous) and is_scalar(summing.grad):
        # Fan-out: the node's gradient is the sum of what its consumers send back.
        return f"{fmt_sum(summing.previous, summing.grad)} = {fmt_value(grad)}"
    if not shows_pill(node, consumers):
        return None  # the same number already stands on its only outgoing edge
    return array_text(grad)


def chain_text(frame: Frame | None, key: Key, ev: EdgeEvent | None) -> str | None:
    """The chain rule (upstream × local = grad) where the core writes one; matrices row by row."""
    if frame is None or ev is None:
        return None
    if is_scalar(ev.grad):
        return frame.edge_text(key)
    return array_text(ev.grad)


def edge_texts(src: Node, consumers: int, value: Any, chain: str | None,
               current: bool, shape: tuple[int, ...] | None = None) -> tuple[str | None, str | None]:
    """(value label, gradient label) of an edge leaving `src`, given its chain-rule text at this frame;
    `shape`: what the edge carries, shown until the value is computed (none for a number)."""
    if src.op in VALUE_OPS:
        if not current:
            chain = None  # the pill under the box shows it (the sum, where several edges leave)
        elif consumers == 1 and " = " not in (chain or ""):
            chain = None  # the same number as the pill: only a chain rule is worth the room
        return None, chain
    if value is None:
        return (shape_text(shape) if shape else None), chain
    return array_text(value), chain


def edge_caption(src: Node, value: Any) -> str | None:
    """The shape above the matrix an edge leaving `src` writes (value nodes' edges write none)."""
    return None if value is None or src.op in VALUE_OPS else shape_caption(numpy.shape(value))


# ---- the room those texts take -----------------------------------------------------------------------

def value_font(style: Style, text: str | None):  # noqa: ANN201 - QFont
    """Matrices in a box use the matrix font, as on the edges; a number uses the value font."""
    return style.matrix if text and "\n" in text else style.value


def body_size(node: Node, style: Style, value_text: str | None = None) -> tuple[float, float]:
    if is_round(node):
        return 2 * style.radius, 2 * style.radius
    name, value = box_lines(node, style, value_text)
    nw, nh = text_size(style.name, name)
    vw, vh = block_size(value_font(style, value), value) if value else (0.0, text_size(style.value, "0")[1])
    cap = box_caption(node)
    cw, ch = text_size(style.small, cap) if cap else (0.0, 0.0)
    return max(nw, vw, cw, 40 * style.theme.scale) + 2 * style.pad, nh + ch + vh + style.pad * 1.2


def sample_text(shape: tuple[int, ...] | None) -> str:
    """Text as wide and tall as a typical value of this shape on the canvas (before anything is computed)."""
    scalar = cell = widest_number()
    if not shape:
        return scalar
    if squeezed(shape) is None:
        return shape_text(shape)  # only the shape stands
    shape = squeezed(shape)
    if len(shape) == 1 and shape[0] < COLUMN_FROM:
        return "[" + ", ".join([cell] * shape[0]) + "]"
    if len(shape) == 1:
        shape = (shape[0], 1)
    row = "[" + ", ".join([cell] * min(shape[-1], MAX_COLS)) + (", …]" if shape[-1] > MAX_COLS else "]")
    rows = [row] * min(shape[0], MAX_ROWS) + (["⋮"] if shape[0] > MAX_ROWS else [])
    return "\n".join(rows)


@lru_cache(maxsize=1024)
def label_size(style: Style, shape: tuple[int, ...] | None, grad: bool = False) -> tuple[float, float]:
    """The size of a typical label of this shape on an edge (value, or gradient with `grad`)."""
    text = sample_text(shape)
    font = style.matrix if "\n" in text else style.grad if grad else style.label
    w, h = block_size(font, text)
    cap = None if grad else shape_caption(shape)
    if cap:  # the shape written above the matrix (LabelItem's caption)
        cw, ch = text_size(style.small, cap)
        w, h = max(w, cw), h + ch
    return w + 10, h + 4


def chain_width(style: Style) -> float:
    """Room for the chain rule (upstream × local = grad) that the current scalar edge shows under it,
    broken over two lines (EdgeItem._fit): the widest label a scalar edge gets."""
    return block_size(style.grad, CHAIN_SAMPLE)[0] + 10


def layout_size(node: Node, style: Style, shape: tuple[int, ...] | None = None,
                consumers: int = 1, params: int | None = None) -> tuple[float, float, float]:
    """The space the layout keeps for a node: width, and how far it reaches above and below its centre:
    the body (an output's as tall as the value it will show), the name and gradient pill under it (as
    wide as its widest gradient: a matrix pill is often wider than its box), and the value and gradient
    labels on the outgoing edge beside it, which stand above and below the node's centre line."""
    w, h = body_size(node, style, None if is_round(node) else sample_text(shape))
    up = down = h / 2
    name = caption(node, style.lang, params) if is_round(node) else ""
    if name:
        nw, nh = text_size(style.small, name)
        w = max(w, nw)
        down += nh + 7
    if shows_pill(node, consumers):
        pw, ph = label_size(style, shape, grad=True)
        w = max(w, pw + 2)  # NodeItem's pill: the text and 6 on either side (a label has 5)
        down += ph + 6
    if node.op not in VALUE_OPS and consumers:
        up = max(up, label_size(style, shape)[1] + 6)
        down = max(down, label_size(style, shape, grad=True)[1] + 6)
    return w, up, down


@lru_cache(maxsize=8)
def unit_style(theme: Theme, lang: str) -> Style:
    """The style at scale 1, in whose units the model keeps places (the scene multiplies them by the scale)."""
    return Style(replace(theme, scale=1.0), lang)


def layout_positions(graph: Graph, st: Style) -> dict[str, Pos]:
    """Layered places for every node, with room for the labels each edge will show in this style's
    language, in the model's units (scale 1: presentation mode draws places and texts larger alike)."""
    st = unit_style(st.theme, st.lang)
    try:
        shapes = graph.infer_shapes(partial=True)
    except StudioError:
        shapes = {}
    consumers: dict[str, int] = {}
    for e in graph.edges:
        consumers[e.src] = consumers.get(e.src, 0) + 1

    def label_width(n: str) -> float:
        """Labels on n's outgoing edges (edge_texts): none out of a value node with one consumer (its box
        and pill show both numbers); gradients only out of other value nodes."""
        node, shape = graph.nodes[n], shapes.get(n)
        if node.op in VALUE_OPS and not shape:  # the current edge shows its chain rule (backward)
            return chain_width(st)
        if node.op in VALUE_OPS:
            return label_size(st, shape, grad=True)[0] if consumers.get(n, 0) > 1 else 0.0
        if not shape:  # a scalar edge shows the chain rule when the playhead is on it
            return chain_width(st)
        return max(label_size(st, shape)[0], label_size(st, shape, grad=True)[0])

    def label_height(n: str) -> float:
        node, shape = graph.nodes[n], shapes.get(n)
        return 0.0 if node.op in VALUE_OPS else label_size(st, shape)[1]

    size: Callable[[str], tuple[float, float, float]] = (
        lambda n: layout_size(graph.nodes[n], st, shapes.get(n), consumers.get(n, 0), node_params(graph, n)))
    return layered_positions(graph, size, label_width=label_width, label_height=label_height)
