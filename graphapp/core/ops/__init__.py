"""The node-type registry: every op the graph, the palette, the parser and the files know."""
from __future__ import annotations

from graphapp.core.errors import UnknownOpError
from graphapp.core.ops.activations import ACTIVATIONS
from graphapp.core.ops.arith import ARITH
from graphapp.core.ops.linalg import LINALG
from graphapp.core.ops.losses import LOSSES
from graphapp.core.ops.nn import LAYERS
from graphapp.core.ops.recurrent import RECURRENT
from graphapp.core.ops.regularization import MODAL_OPS, REGULARIZATION
from graphapp.core.ops.sources import SOURCES
from graphapp.core.ops.spec import AttrSpec, OpSpec, Shape, fmt_shape
from graphapp.core.ops.state import STATE

REGISTRY: dict[str, OpSpec] = {op.name: op for op in (*SOURCES, *ARITH, *ACTIVATIONS, *LINALG, *LOSSES, *REGULARIZATION, *LAYERS,
                                                *RECURRENT, *STATE)}
CATEGORIES: dict[str, tuple[str, str]] = {  # category -> (English, Korean), in palette order
    "source": ("Inputs & parameters", "입력과 매개변수"),
    "arithmetic": ("Arithmetic", "산술"),
    "activation": ("Activations", "활성화 함수"),
    "loss": ("Losses", "손실 함수"),
    "matrix": ("Matrix", "행렬"),
    "regularization": ("Regularization", "규제"),
    "layers": ("Layers", "신경망 층"),
    "recurrent": ("Recurrent", "순환 신경망"),
}
VALUE_OPS = frozenset({"input", "param", "const"})  # nodes that hold a value instead of computing one


def get_op(name: str, node: str | None = None) -> OpSpec:
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownOpError(name, node) from None


__all__ = ["MODAL_OPS", "AttrSpec", "CATEGORIES", "OpSpec", "REGISTRY", "Shape", "VALUE_OPS", "fmt_shape", "get_op"]
