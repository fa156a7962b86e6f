"""Inputs, parameters, constants (hold a value, no input ports) and the output marker."""
from __future__ import annotations

from graphapp.core.ops.spec import OpSpec, same_shape
from kernels.base import elementwise

SOURCES = (
    OpSpec(name="input", category="source", symbol="x", en="Input", ko="입력",
           description_en="A value fed into the graph (data). Its gradient is reported.",
           description_ko="그래프에 들어가는 값(데이터)입니다. 기울기도 보여 줍니다."),
    OpSpec(name="param", category="source", symbol="w", en="Parameter", ko="매개변수",
           description_en="A trainable value (weight or bias): training updates it by its gradient.",
           description_ko="학습되는 값(가중치나 편향)입니다. 학습은 이 값을 기울기로 갱신합니다."),
    OpSpec(name="const", category="source", symbol="c", en="Constant", ko="상수",
           description_en="A fixed number, such as the 1 in 1 + e^(−x). Its gradient is not reported.",
           description_ko="1 + e^(−x)의 1처럼 고정된 수입니다. 기울기는 보여 주지 않습니다."),
    OpSpec(name="output", category="source", symbol="L", en="Output", ko="출력",
           description_en="Marks a result. The backward pass starts here with ∂L/∂L = 1 (for an array output: the "
                          "gradient of the sum of its elements).",
           description_ko="결과를 표시합니다. 역전파는 여기서 ∂L/∂L = 1로 시작합니다 (배열 출력이면 원소 합의 기울기).",
           ko_rule="역전파는 출력에서 ∂L/∂L = 1로 시작합니다",
           inputs=("x",), kernel=elementwise(lambda xp, at, a: a, 1.0), infer=same_shape, formulas=("∂L/∂x = 1",)),
)
