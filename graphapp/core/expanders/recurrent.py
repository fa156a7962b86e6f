"""Expanders of the recurrent layers: a sequence node over T steps unrolled into one cell per step.

rnn, lstm, gru (x (N, T, F)) → a zero state h₀ (zero_state: zeros shaped from x's batch size on every run,
so the unrolled graph takes any batch, as the layer does), then for each step t a `select` of x_t and a cell
that reads the previous state and the layer's own weight inputs ("@W_x", ...), so every cell shares
one W_x, one W_h and one bias node: backprop through time is then the sum of the cells' weight
gradients, edge by edge on the canvas. An LSTM cell's state is (N, 2, H), so h_t is a `select` of it.
Many-to-one ends at the last h; many-to-many (sequences) stacks every h with a chain of `append`s.
"""
from __future__ import annotations

from typing import Any, Mapping

from graphapp.core.errors import GraphError, ShapeError
from graphapp.core.expanders.piece import Expander, Piece, Shape
from graphapp.core.ops import get_op
from graphapp.core.ops.recurrent import SEQ_PORTS
from graphapp.core.ops.spec import fmt_shape

SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(name: str, t: int) -> str:
    return name + str(t).translate(SUBSCRIPT)


def _piece(key: str, op: str, inputs: Mapping[str, str], attrs: Mapping[str, Any] | None = None,
           label: str = "", aside: bool = False) -> Piece:
    return Piece(key, op, dict(inputs), dict(attrs or {}), None, label, label, aside)


MAX_UNROLL = 1000  # steps: each adds a few nodes to the canvas, and a longer chain is no picture to step through


def _check(node: str, kind: str, shapes: Mapping[str, Shape], attrs: Mapping[str, Any]) -> None:
    """The shapes the unrolling reads (a group record in a file brings its own): x (N, T, F) and W_h (H, k·H)
    known and fitting, and T small enough to draw."""
    missing = [port for port in ("x", "W_h") if port not in shapes]
    if missing:
        raise GraphError(f"node '{node}': {kind} unrolls over the time steps of x with the hidden size of W_h; "
                         f"connect input '{missing[0]}' first", node)
    spec = get_op(kind)
    if all(port in shapes for port in spec.inputs):
        spec.infer(node, [(port, shapes[port]) for port in spec.inputs], dict(attrs))  # ShapeError if not
    elif len(shapes["x"]) != 3 or len(shapes["W_h"]) != 2:
        raise ShapeError(f"node '{node}': {kind} takes x (N, T, F) and W_h (H, k·H); got x {fmt_shape(shapes['x'])} "
                         f"and W_h {fmt_shape(shapes['W_h'])}", node)
    if shapes["x"][1] > MAX_UNROLL:
        raise GraphError(f"node '{node}': unrolling T = {shapes['x'][1]:,} time steps would draw a cell for each; "
                         f"at most {MAX_UNROLL:,} steps unroll", node)


def unroll(node: Any, shapes: Mapping[str, Shape]) -> list[Piece]:
    """The pieces of one rnn, lstm or gru node, given the shapes on its input ports."""
    kind = node.op
    spec = get_op(kind)
    attrs = {**spec.default_attrs(), **node.attrs}
    _check(node.id, kind, shapes, attrs)
    steps = shapes["x"][1]
    hidden = shapes["W_h"][0]
    lstm = kind == "lstm"
    weights = {port: f"@{port}" for port in SEQ_PORTS[kind] if port != "x"}
    cell_attrs = {"nonlinearity": attrs["nonlinearity"]} if kind == "rnn" else {}
    state_port, state = ("s", "s") if lstm else ("h", "h")
    # h₀ = 0 enters the first cell as the lecture draws it; its N is x's, whatever batch x holds
    pieces = [_piece(f"{state}0", "zero_state", {"x": "@x"}, {"hidden": hidden, "cell": lstm}, _sub(state, 0),
                     aside=True)]
    seq = ""
    for t in range(1, steps + 1):
        pieces.append(_piece(f"x{t}", "select", {"x": "@x"}, {"axis": 1, "index": t - 1}, _sub("x", t)))
        pieces.append(_piece(f"{state}{t}", f"{kind}_cell", {"x": f"x{t}", state_port: f"{state}{t - 1}", **weights},
                             cell_attrs, _sub(state, t)))
        if lstm and (attrs["sequences"] or t == steps):  # h_t = s_t[:, 0]
            pieces.append(_piece(f"h{t}", "select", {"x": f"s{t}"}, {"axis": 1, "index": 0}, _sub("h", t)))
        if attrs["sequences"] and t > 1:
            pieces.append(_piece(f"seq{t}", "append", {"seq": seq or "h1", "h": f"h{t}"}, label=f"h₁…{_sub('h', t)[1:]}"))
            seq = f"seq{t}"
    if attrs["sequences"] and steps == 1:  # one step: h₁ as a sequence of length 1
        pieces.append(_piece("seq1", "reshape", {"x": "h1"}, {"shape": [-1, 1, hidden]}, "h₁"))
    return pieces


RECURRENT: dict[str, Expander] = {"rnn": unroll, "lstm": unroll, "gru": unroll}
