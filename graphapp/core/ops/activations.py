"""Activation functions."""
from __future__ import annotations

from graphapp.core.ops.spec import MAX_DIMS, AttrSpec, OpSpec, check_axis, same_shape
from kernels import activations as k

X = ("x",)
AXIS = AttrSpec("axis", "int", -1, "axis", "축", -MAX_DIMS, MAX_DIMS - 1)
ALPHA_BOUND = 1e3  # finite, and far beyond any slope a lecture uses


def _axis_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    check_axis(node, ins[0][1], attrs["axis"])
    return ins[0][1]


ACTIVATIONS = (
    OpSpec(name="sigmoid", category="activation", symbol="σ", en="Sigmoid", ko="시그모이드",
           description_en="σ(x) = 1/(1 + e^(−x)), computed without overflow for any x.",
           description_ko="σ(x) = 1/(1 + e^(−x)). 어떤 x에서도 넘침(overflow) 없이 계산합니다.",
           ko_rule="시그모이드의 국소 기울기는 σ(1−σ)입니다",
           inputs=X, kernel=k.sigmoid, infer=same_shape, formulas=("∂σ(x)/∂x = σ(1−σ)",)),
    OpSpec(name="tanh", category="activation", symbol="tanh", en="Tanh", ko="쌍곡탄젠트",
           description_en="tanh x.",
           description_ko="tanh x.",
           inputs=X, kernel=k.tanh, infer=same_shape, formulas=("∂tanh(x)/∂x = 1 − tanh²",)),
    OpSpec(name="relu", category="activation", symbol="ReLU", en="ReLU", ko="렐루(ReLU)",
           description_en="max(0, x); gradient 0 at x = 0.",
           description_ko="max(0, x). x = 0에서 기울기는 0입니다.",
           inputs=X, kernel=k.relu, infer=same_shape, formulas=("∂relu(x)/∂x = [x > 0]",)),
    OpSpec(name="leaky_relu", category="activation", symbol="LReLU", en="Leaky ReLU", ko="리키 렐루",
           description_en="x if x > 0, else α·x.",
           description_ko="x > 0이면 x, 아니면 α·x.",
           inputs=X, attrs=(AttrSpec("alpha", "float", 0.01, "slope α", "기울기 α", -ALPHA_BOUND, ALPHA_BOUND),),
           kernel=k.leaky_relu, infer=same_shape, formulas=("∂lrelu(x)/∂x = 1 or α",)),
    OpSpec(name="elu", category="activation", symbol="ELU", en="ELU", ko="ELU",
           description_en="x if x > 0, else α·(eˣ − 1).",
           description_ko="x > 0이면 x, 아니면 α·(eˣ − 1).",
           inputs=X, attrs=(AttrSpec("alpha", "float", 1.0, "α", "α", -ALPHA_BOUND, ALPHA_BOUND),), kernel=k.elu,
           infer=same_shape, formulas=("∂elu(x)/∂x = 1 or elu(x) + α",)),
    OpSpec(name="softplus", category="activation", symbol="softplus", en="Softplus", ko="소프트플러스",
           description_en="ln(1 + eˣ), computed without overflow.",
           description_ko="ln(1 + eˣ). 넘침 없이 계산합니다.",
           inputs=X, kernel=k.softplus, infer=same_shape, formulas=("∂softplus(x)/∂x = σ(x)",)),
    OpSpec(name="step", category="activation", symbol="step", en="Step", ko="계단 함수",
           description_en="1 if x > 0, else 0. Its derivative is 0 everywhere it exists, so no gradient flows back "
                          "(why perceptrons could not be trained by backpropagation).",
           description_ko="x > 0이면 1, 아니면 0. 미분값이 어디서나 0이라 기울기가 흐르지 않습니다 (퍼셉트론을 역전파로 학습할 수 없던 이유).",
           inputs=X, kernel=k.step, infer=same_shape, formulas=("∂step(x)/∂x = 0",)),
    OpSpec(name="sign", category="activation", symbol="sgn", en="Sign", ko="부호 함수",
           description_en="−1, 0 or 1. Its derivative is 0 everywhere it exists, so no gradient flows back.",
           description_ko="−1, 0, 1 중 하나. 미분값이 어디서나 0이라 기울기가 흐르지 않습니다.",
           inputs=X, kernel=k.sign, infer=same_shape, formulas=("∂sign(x)/∂x = 0",)),
    OpSpec(name="softmax", category="activation", symbol="softmax", en="Softmax", ko="소프트맥스",
           description_en="e^(x_i) / Σ e^(x_j) along an axis, computed with the log-sum-exp shift.",
           description_ko="축을 따라 e^(x_i) / Σ e^(x_j). 로그-합-지수 이동으로 넘침 없이 계산합니다.",
           inputs=X, attrs=(AXIS,), kernel=k.softmax, infer=_axis_shape, formulas=("∂softmax/∂x = diag(s) − s·sᵀ",)),
    OpSpec(name="log_softmax", category="activation", symbol="log softmax", en="Log-softmax", ko="로그 소프트맥스",
           description_en="x_i − log Σ e^(x_j) along an axis (log-sum-exp).",
           description_ko="축을 따라 x_i − log Σ e^(x_j) (로그-합-지수).",
           inputs=X, attrs=(AXIS,), kernel=k.log_softmax, infer=_axis_shape,
           formulas=("∂logsoftmax/∂x = I − softmax",)),
)
