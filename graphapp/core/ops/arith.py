"""Arithmetic ops."""
from __future__ import annotations

from graphapp.core.ops.spec import AttrSpec, OpSpec, broadcast_shape, same_shape
from kernels import elementwise as k

AB = ("a", "b")
P_BOUND = 1e3  # beyond it xᵖ overflows for every |x| ≥ 3; no lecture comes near
ARITH = (
    OpSpec("add", "arithmetic", "+", "Add", "덧셈", "a + b. Passes the upstream gradient to both inputs unchanged.",
           "a + b. 상류 기울기를 두 입력에 그대로 흘려보냅니다.", AB, (), k.add, broadcast_shape,
           ("∂(a+b)/∂a = 1", "∂(a+b)/∂b = 1"), ("plus",)),
    OpSpec("sub", "arithmetic", "−", "Subtract", "뺄셈", "a − b.", "a − b.", AB, (), k.sub, broadcast_shape,
           ("∂(a−b)/∂a = 1", "∂(a−b)/∂b = −1"), ("minus",)),
    OpSpec("mul", "arithmetic", "×", "Multiply", "곱셈",
           "a × b. Each input receives the upstream gradient times the other input.",
           "a × b. 각 입력은 상류 기울기에 '다른 입력'을 곱한 값을 받습니다.", AB, (), k.mul, broadcast_shape,
           ("∂(a·b)/∂a = b", "∂(a·b)/∂b = a"), ("times",)),
    OpSpec("div", "arithmetic", "÷", "Divide", "나눗셈", "a / b.", "a / b.", AB, (), k.div, broadcast_shape,
           ("∂(a/b)/∂a = 1/b", "∂(a/b)/∂b = −a/b²")),
    OpSpec("neg", "arithmetic", "−x", "Negate", "부호 반전", "−x.", "−x.", ("x",), (), k.neg, same_shape,
           ("∂(−x)/∂x = −1",)),
    OpSpec("pow", "arithmetic", "xᵖ", "Power", "거듭제곱", "x to a fixed power p.", "x의 p제곱(p는 고정된 수).",
           ("x",), (AttrSpec("p", "float", 2.0, "exponent p", "지수 p", -P_BOUND, P_BOUND),), k.pow_, same_shape,
           ("∂(xᵖ)/∂x = p·xᵖ⁻¹",)),
    OpSpec("square", "arithmetic", "x²", "Square", "제곱", "x².", "x².", ("x",), (), k.square, same_shape,
           ("∂(x²)/∂x = 2x",)),
    OpSpec("sqrt", "arithmetic", "√", "Square root", "제곱근", "√x.", "√x.", ("x",), (), k.sqrt, same_shape,
           ("∂√x/∂x = 1/(2√x)",)),
    OpSpec("exp", "arithmetic", "exp", "Exponential", "지수 함수", "eˣ.", "eˣ.", ("x",), (), k.exp, same_shape,
           ("∂eˣ/∂x = eˣ",)),
    OpSpec("log", "arithmetic", "log", "Natural log", "자연로그",
           "ln x, defined for x > 0: log of 0 or a negative number is refused, naming the node.",
           "ln x. x > 0에서만 정의되므로 0이나 음수의 로그는 그 노드를 밝혀 거부합니다.",
           ("x",), (), k.log, same_shape, ("∂(ln x)/∂x = 1/x",)),
    OpSpec("reciprocal", "arithmetic", "1/x", "Reciprocal", "역수", "1/x.", "1/x.", ("x",), (), k.reciprocal,
           same_shape, ("∂(1/x)/∂x = −1/x²",)),
    OpSpec("abs", "arithmetic", "|x|", "Absolute value", "절댓값", "|x|; gradient sign(x), 0 at x = 0.",
           "|x|. 기울기는 sign(x)이고 x = 0에서는 0입니다.", ("x",), (), k.abs_, same_shape,
           ("∂|x|/∂x = sign(x)",)),
    OpSpec("maximum", "arithmetic", "max", "Maximum", "최댓값",
           "Elementwise max(a, b); the gradient goes to the larger input (half to each on a tie).",
           "원소별 max(a, b). 기울기는 큰 쪽으로 갑니다(같으면 반씩).", AB, (), k.maximum, broadcast_shape,
           ("∂max(a,b)/∂a = [a > b]", "∂max(a,b)/∂b = [b > a]")),
    OpSpec("minimum", "arithmetic", "min", "Minimum", "최솟값",
           "Elementwise min(a, b); the gradient goes to the smaller input (half to each on a tie).",
           "원소별 min(a, b). 기울기는 작은 쪽으로 갑니다(같으면 반씩).", AB, (), k.minimum, broadcast_shape,
           ("∂min(a,b)/∂a = [a < b]", "∂min(a,b)/∂b = [b < a]")),
)
