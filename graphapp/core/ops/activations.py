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
    OpSpec("sigmoid", "activation", "σ", "Sigmoid", "시그모이드",
           "σ(x) = 1/(1 + e^(−x)), computed without overflow for any x.",
           "σ(x) = 1/(1 + e^(−x)). 어떤 x에서도 넘침(overflow) 없이 계산합니다.",
           X, (), k.sigmoid, same_shape, ("∂σ(x)/∂x = σ(1−σ)",)),
    OpSpec("tanh", "activation", "tanh", "Tanh", "쌍곡탄젠트", "tanh x.", "tanh x.", X, (), k.tanh, same_shape,
           ("∂tanh(x)/∂x = 1 − tanh²",)),
    OpSpec("relu", "activation", "ReLU", "ReLU", "렐루(ReLU)", "max(0, x); gradient 0 at x = 0.",
           "max(0, x). x = 0에서 기울기는 0입니다.", X, (), k.relu, same_shape, ("∂relu(x)/∂x = [x > 0]",)),
    OpSpec("leaky_relu", "activation", "LReLU", "Leaky ReLU", "리키 렐루", "x if x > 0, else α·x.",
           "x > 0이면 x, 아니면 α·x.", X,
           (AttrSpec("alpha", "float", 0.01, "slope α", "기울기 α", -ALPHA_BOUND, ALPHA_BOUND),),
           k.leaky_relu, same_shape, ("∂lrelu(x)/∂x = 1 or α",)),
    OpSpec("elu", "activation", "ELU", "ELU", "ELU", "x if x > 0, else α·(eˣ − 1).",
           "x > 0이면 x, 아니면 α·(eˣ − 1).", X,
           (AttrSpec("alpha", "float", 1.0, "α", "α", -ALPHA_BOUND, ALPHA_BOUND),),
           k.elu, same_shape, ("∂elu(x)/∂x = 1 or elu(x) + α",)),
    OpSpec("softplus", "activation", "softplus", "Softplus", "소프트플러스", "ln(1 + eˣ), computed without overflow.",
           "ln(1 + eˣ). 넘침 없이 계산합니다.", X, (), k.softplus, same_shape, ("∂softplus(x)/∂x = σ(x)",)),
    OpSpec("step", "activation", "step", "Step", "계단 함수",
           "1 if x > 0, else 0. Its derivative is 0 everywhere it exists, so no gradient flows back "
           "(why perceptrons could not be trained by backpropagation).",
           "x > 0이면 1, 아니면 0. 미분값이 어디서나 0이라 기울기가 흐르지 않습니다 "
           "(퍼셉트론을 역전파로 학습할 수 없던 이유).",
           X, (), k.step, same_shape, ("∂step(x)/∂x = 0",)),
    OpSpec("sign", "activation", "sgn", "Sign", "부호 함수",
           "−1, 0 or 1. Its derivative is 0 everywhere it exists, so no gradient flows back.",
           "−1, 0, 1 중 하나. 미분값이 어디서나 0이라 기울기가 흐르지 않습니다.",
           X, (), k.sign, same_shape, ("∂sign(x)/∂x = 0",)),
    OpSpec("softmax", "activation", "softmax", "Softmax", "소프트맥스",
           "e^(x_i) / Σ e^(x_j) along an axis, computed with the log-sum-exp shift.",
           "축을 따라 e^(x_i) / Σ e^(x_j). 로그-합-지수 이동으로 넘침 없이 계산합니다.",
           X, (AXIS,), k.softmax, _axis_shape, ("∂softmax/∂x = diag(s) − s·sᵀ",)),
    OpSpec("log_softmax", "activation", "log softmax", "Log-softmax", "로그 소프트맥스",
           "x_i − log Σ e^(x_j) along an axis (log-sum-exp).", "축을 따라 x_i − log Σ e^(x_j) (로그-합-지수).",
           X, (AXIS,), k.log_softmax, _axis_shape, ("∂logsoftmax/∂x = I − softmax",)),
)
