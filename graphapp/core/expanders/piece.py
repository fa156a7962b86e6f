"""What an expansion is: the primitive nodes that stand in for one layer node (issue 9).

An expander looks at one layer node and the shapes on its input ports and returns its pieces, in an
order where every piece comes after the pieces it reads. The last piece's output replaces the layer's
output; graph edits that apply an expansion, and collapse it back, live in graphapp/core/expand.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy

Shape = tuple[int, ...]


@dataclass(frozen=True)
class Piece:
    """One primitive node. `inputs` maps each of its ports to "@PORT" (whatever feeds the layer's input
    PORT: shared, never copied, so weights stay one node) or to the `key` of an earlier piece."""

    key: str  # unique within one expansion; becomes part of the new node's id
    op: str
    inputs: Mapping[str, str] = field(default_factory=dict)
    attrs: Mapping[str, Any] = field(default_factory=dict)
    value: numpy.ndarray | None = None  # const pieces only (the −1 and the 1 of a sigmoid, say)
    label: str = ""
    label_ko: str = ""
    # drawn as a constant is, below and left of the piece that reads it: a starting value (h₀ = 0 entering
    # the first cell) that is computed only for its shape, not a step of the layer's own column layout
    aside: bool = False


# expander(layer node, {input port: shape}) -> pieces; the node is a graphapp.core.graph.Node
Expander = Callable[[Any, Mapping[str, Shape]], list[Piece]]
