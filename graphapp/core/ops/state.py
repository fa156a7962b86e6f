"""zero_state: the h₀ = 0 that enters the first cell of an unrolled recurrent layer (issue 9).

Its batch size N is read from x (the layer's input sequence) on every run, its hidden size H is an
attribute; so the unrolled graph takes any batch size, as the sequence node it stands for does.
"""
from __future__ import annotations

from typing import Any, Sequence

from graphapp.core.errors import ShapeError
from graphapp.core.ops.spec import MAX_DIM_SIZE, AttrSpec, OpSpec, Shape, fmt_shape
from kernels import state as k


def _shape(node: str, ins: Sequence[tuple[str, Shape]], attrs: dict[str, Any]) -> Shape:
    (src, x), = ins
    if not x:
        raise ShapeError(f"node '{node}': zero_state takes x of shape (N, …); '{src}' has {fmt_shape(x)}", node)
    return k.state_shape(x[0], attrs)


STATE = (
    OpSpec(name="zero_state", category="recurrent", symbol="zeros", en="Zero state", ko="0 초기 상태",
           description_en="The starting state of a recurrent layer, h₀ = 0: zeros (N, H), or (N, 2, H) with an "
                          "LSTM's cell state c₀ = 0 beside h₀. N is the batch size of x (its first axis), read on "
                          "every run, so an unrolled layer takes any batch; x's values are not used, so its "
                          "gradient is 0.",
           description_ko="순환 층의 시작 상태 h₀ = 0입니다: 0으로 채운 (N, H), LSTM이면 셀 상태 c₀ = 0을 h₀ 옆에 "
                          "둔 (N, 2, H). N은 x의 배치 크기(첫 축)로, 실행할 때마다 읽으므로 펼친 층은 어떤 배치 "
                          "크기든 받습니다. x의 값은 쓰지 않으므로 x의 기울기는 0입니다.",
           inputs=("x",),
           attrs=(AttrSpec("hidden", "int", 1, "hidden size H", "은닉 크기 H", 1, MAX_DIM_SIZE),
                  AttrSpec("cell", "bool", False, "with an LSTM's cell state: (N, 2, H)",
                           "LSTM 셀 상태 포함: (N, 2, H)")),
           kernel=k.zero_state, infer=_shape, formulas=("∂h₀/∂x = 0",),
           ko_rule="0 초기 상태 노드는 x의 배치 크기만 읽으므로 x로 가는 기울기는 0입니다"),
)
