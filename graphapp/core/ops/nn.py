"""Layers: 2-D convolution, max and average pooling, flatten, dense (affine), embedding, one-hot and the
residual (skip) connection. NCHW as PyTorch.

The shape rules are the lecture's: each spatial side of the output is (H + 2P − F)/S + 1, and a stride
that does not fit (a 7×7 input, a 3×3 filter, stride 3: (7 + 2·0 − 3)/3 + 1 = 2.33) is refused with
that arithmetic, where PyTorch would silently drop the last row and column.
"""
from __future__ import annotations

import math

from graphapp.core.errors import ShapeError
from graphapp.core.ops.spec import AttrSpec, OpSpec, fmt_shape
from graphapp.core.values import MAX_ELEMENTS
from kernels import conv as kc
from kernels import elementwise as ke
from kernels import embedding as kemb
from kernels import pooling as kp

MAX_WINDOW = 1024  # a stride or a pooling window larger than any image this app holds


def bound_windows(node: str, op: str, n: int, ho: int, wo: int, c: int, kh: int, kw: int) -> None:
    """Refuse to run a layer whose windows, laid out one number per tap (im2col), would exceed a value's
    limit: the output may be small while N·H_out·W_out·C·kh·kw, the copy (and the work) behind it, is not."""
    count = n * ho * wo * c * kh * kw
    if count > MAX_ELEMENTS:
        raise ShapeError(f"node '{node}': {op} lays out its windows as N·H_out·W_out·C·kh·kw = "
                         f"{n}·{ho}·{wo}·{c}·{kh}·{kw} = {count:,} numbers; at most {MAX_ELEMENTS:,}", node)


def _number(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def out_side(node: str, axis: str, size: int, f: int, s: int, padding: int | str) -> int:
    """One output side by the lecture's formula, or ShapeError with the arithmetic."""
    if padding == "same":
        return math.ceil(size / s)
    p = 0 if padding == "valid" else int(padding)
    if size + 2 * p < f:
        raise ShapeError(f"node '{node}': the window {f} is larger than the {axis} {size} + 2·{p}", node)
    v = kc.out_size(size, f, s, p)
    if v != int(v):
        raise ShapeError(f"node '{node}': output {axis} ({size} + 2·{p} − {f})/{s} + 1 = {_number(v)} is not a "
                         f"whole number; stride {s} does not fit", node)
    return int(v)


def _image(node: str, op: str, src: str, x: tuple[int, ...]) -> None:
    if len(x) != 4:
        raise ShapeError(f"node '{node}': {op} takes x of shape (N, C, H, W); '{src}' has {fmt_shape(x)}", node)


def _conv_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (sx, x), (sw, w), (sb, b) = ins
    _image(node, "conv2d", sx, x)
    if len(w) != 4:
        raise ShapeError(f"node '{node}': conv2d takes W of shape (C_out, C_in, kh, kw); '{sw}' has "
                         f"{fmt_shape(w)}", node)
    if w[1] != x[1]:
        raise ShapeError(f"node '{node}': W '{sw}' {fmt_shape(w)} has {w[1]} input channels; x '{sx}' "
                         f"{fmt_shape(x)} has {x[1]}", node)
    if b != (w[0],):
        raise ShapeError(f"node '{node}': bias '{sb}' has {fmt_shape(b)}; one per filter of '{sw}' is "
                         f"{fmt_shape((w[0],))}", node)
    s, p = attrs["stride"], attrs["padding"]
    ho, wo = out_side(node, "height", x[2], w[2], s, p), out_side(node, "width", x[3], w[3], s, p)
    return x[0], w[0], ho, wo


def _conv_bound(node, ins, out, attrs):  # noqa: ANN001, ANN202
    (_, x), (_, w), _ = ins
    bound_windows(node, "conv2d", x[0], out[2], out[3], x[1], w[2], w[3])


def _pool_shape(op: str):  # noqa: ANN202
    def infer(node, ins, attrs):  # noqa: ANN001, ANN202
        (sx, x), = ins
        _image(node, op, sx, x)
        k, s = attrs["kernel_size"], kp.pool_stride(attrs)
        ho, wo = out_side(node, "height", x[2], k, s, 0), out_side(node, "width", x[3], k, s, 0)
        return x[0], x[1], ho, wo
    return infer


def _pool_bound(op: str):  # noqa: ANN202
    def bound(node, ins, out, attrs):  # noqa: ANN001, ANN202
        n, c, ho, wo = out
        bound_windows(node, op, n, ho, wo, c, attrs["kernel_size"], attrs["kernel_size"])
    return bound


def _flatten_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (sx, x), = ins
    if len(x) < 2:
        raise ShapeError(f"node '{node}': flatten keeps the batch axis and needs at least 2 axes; '{sx}' has "
                         f"{fmt_shape(x)}", node)
    return x[0], math.prod(x[1:])


def _dense_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (sx, x), (sw, w), (sb, b) = ins
    if len(x) != 2 or len(w) != 2 or x[1] != w[0] or b != w[1:]:
        raise ShapeError(f"node '{node}': dense takes x (N, D_in), W (D_in, D_out) and b (D_out,); got '{sx}' "
                         f"{fmt_shape(x)}, '{sw}' {fmt_shape(w)} and '{sb}' {fmt_shape(b)}", node)
    return x[0], w[1]


def _embedding_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (si, idx), (sw, w) = ins
    if len(w) != 2:
        raise ShapeError(f"node '{node}': embedding takes W of shape (V, D), one row per index; '{sw}' has "
                         f"{fmt_shape(w)}", node)
    return (*idx, w[1])


def _one_hot_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (si, idx), = ins
    return (*idx, attrs["num_classes"])


def _residual_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (sx, x), (sf, fx) = ins
    if x != fx:
        raise ShapeError(f"node '{node}': a residual connection adds x '{sx}' {fmt_shape(x)} and F(x) '{sf}' "
                         f"{fmt_shape(fx)}; the skip connection needs equal shapes (no broadcasting)", node)
    return x


STRIDE = AttrSpec("stride", "int", 1, "stride S", "스트라이드 S", 1, MAX_WINDOW)
PADDING = AttrSpec("padding", "padding", 0, "padding P ('valid', 'same' or zeros)",
                   "패딩 P ('valid', 'same' 또는 0의 수)")
KERNEL = AttrSpec("kernel_size", "int", 2, "window F", "창 크기 F", 1, MAX_WINDOW)
POOL_STRIDE = AttrSpec("stride", "int", 0, "stride S (0: the window)", "스트라이드 S (0이면 창 크기)", 0, MAX_WINDOW)
SIZE_EN = "Output side (H + 2P − F)/S + 1, a whole number or refused."
SIZE_KO = "출력 한 변은 (H + 2P − F)/S + 1이며 정수가 아니면 거부합니다."

LAYERS = (
    OpSpec(name="conv2d", category="layers", symbol="conv", en="Convolution 2D", ko="2D 합성곱",
           description_en="Filters W (C_out, C_in, F, F) slide over x (N, C, H, W) with stride S and padding P; "
                          f"plus one bias per filter. Parameters C_in·C_out·F·F + C_out. {SIZE_EN}",
           description_ko="필터 W (C_out, C_in, F, F)가 x (N, C, H, W) 위를 스트라이드 S, 패딩 P로 움직이며 곱해 "
                          f"더하고, 필터마다 편향 하나를 더합니다. 매개변수 C_in·C_out·F·F + C_out개. {SIZE_KO}",
           inputs=("x", "W", "b"), attrs=(STRIDE, PADDING), kernel=kc.conv2d, infer=_conv_shape,
           bound=_conv_bound,
           formulas=("∂L/∂x = col2im(G·W)", "∂L/∂W = G·im2col(x)ᵀ", "∂L/∂b = Σ_{N,H,W} G"), aliases=("conv",)),
    OpSpec(name="max_pool2d", category="layers", symbol="max", en="Max pooling", ko="최대 풀링",
           description_en=f"The largest value of each F×F window, moved by S; no parameters. {SIZE_EN}",
           description_ko=f"F×F 창마다 가장 큰 값을 고르고 S씩 움직입니다. 매개변수는 없습니다. {SIZE_KO}",
           inputs=("x",), attrs=(KERNEL, POOL_STRIDE), kernel=kp.max_pool2d, infer=_pool_shape("max_pool2d"),
           bound=_pool_bound("max_pool2d"),
           formulas=("∂L/∂x = G at the (first) maximum of each window, 0 elsewhere",), aliases=("maxpool",)),
    OpSpec(name="avg_pool2d", category="layers", symbol="avg", en="Average pooling", ko="평균 풀링",
           description_en=f"The mean of each F×F window, moved by S; no parameters. {SIZE_EN}",
           description_ko=f"F×F 창마다 평균을 내고 S씩 움직입니다. 매개변수는 없습니다. {SIZE_KO}",
           inputs=("x",), attrs=(KERNEL, POOL_STRIDE), kernel=kp.avg_pool2d, infer=_pool_shape("avg_pool2d"),
           bound=_pool_bound("avg_pool2d"),
           formulas=("∂L/∂x = G/F² spread over each window",), aliases=("avgpool",)),
    OpSpec(name="flatten", category="layers", symbol="flat", en="Flatten", ko="평탄화",
           description_en="(N, C, H, W) → (N, C·H·W): each example becomes one row, the batch axis kept.",
           description_ko="(N, C, H, W) → (N, C·H·W): 배치 축은 그대로 두고 예제마다 한 행으로 폅니다.",
           inputs=("x",), kernel=kp.flatten, infer=_flatten_shape, formulas=("∂L/∂x = reshape(G)",)),
    OpSpec(name="dense", category="layers", symbol="dense", en="Dense (affine)", ko="완전 연결",
           description_en="x·W + b: x (N, D_in), W (D_in, D_out), b (D_out,). Parameters D_in·D_out + D_out.",
           description_ko="x·W + b: x (N, D_in), W (D_in, D_out), b (D_out,). 매개변수 D_in·D_out + D_out개.",
           inputs=("x", "W", "b"), kernel=kc.dense, infer=_dense_shape,
           formulas=("∂L/∂x = G·Wᵀ", "∂L/∂W = xᵀ·G", "∂L/∂b = Σ_N G"), aliases=("affine",)),
    OpSpec(name="embedding", category="layers", symbol="emb", en="Embedding", ko="임베딩",
           description_en="Row idx of W for every index: idx (any shape, whole numbers 0…V−1), W (V, D) → idx's "
                          "shape + (D,); a one-hot row times W, without the product. Parameters V·D. Each row of W "
                          "gets the sum of the gradients of the positions that chose it; indices get none.",
           description_ko="인덱스마다 W의 해당 행을 꺼냅니다: idx (어떤 모양이든, 0…V−1의 정수), W (V, D) → idx의 모양 + (D,). "
                          "원-핫 행에 W를 곱한 것과 같지만 곱셈 없이 고릅니다. 매개변수 V·D개. W의 각 행은 그 행을 고른 "
                          "위치들의 기울기를 모두 더해 받고, 인덱스는 기울기를 받지 않습니다.",
           inputs=("idx", "W"), kernel=kemb.embedding, infer=_embedding_shape,
           formulas=("∂L/∂idx = 0", "∂L/∂W[v] = Σ_{idx=v} G"),
           indices=lambda shapes: ("idx",),
           aliases=("embed",)),
    OpSpec(name="one_hot", category="layers", symbol="1-hot", en="One-hot", ko="원-핫 인코딩",
           description_en="Each index (whole numbers 0…C−1) becomes a row of C numbers: 1 at the index, 0 elsewhere; "
                          "idx's shape + (C,). No parameters; the indices get no gradient.",
           description_ko="각 인덱스(0…C−1의 정수)를 C개의 수로 된 행으로 바꿉니다: 인덱스 자리는 1, 나머지는 0. "
                          "모양은 idx의 모양 + (C,). 매개변수는 없고 인덱스는 기울기를 받지 않습니다.",
           inputs=("idx",), attrs=(AttrSpec("num_classes", "int", 2, "number of classes C", "클래스 수 C", 1, 65536),),
           kernel=kemb.one_hot, infer=_one_hot_shape, formulas=("∂L/∂idx = 0",),
           indices=lambda shapes: ("idx",),
           aliases=("onehot",)),
    OpSpec(name="residual", category="layers", symbol="+", en="Residual add", ko="잔차 연결",
           description_en="x + F(x): the skip connection of ResNet. The block learns only the residual F(x) = "
                          "H(x) − x; the gradient reaches x twice, straight along the skip and back through F. "
                          "x and F(x) must have the same shape.",
           description_ko="x + F(x): ResNet의 스킵(지름길) 연결. 블록은 잔차 F(x) = H(x) − x만 배웁니다. 기울기는 "
                          "지름길로 그대로, 그리고 F를 거쳐 x에 두 번 도착합니다. x와 F(x)의 모양이 같아야 합니다.",
           ko_rule="잔차 연결은 덧셈처럼 상류 기울기를 지름길(x)과 F(x)에 그대로 흘려보냅니다",
           inputs=("x", "fx"), kernel=ke.add, infer=_residual_shape,
           formulas=("∂(x + F(x))/∂x = 1", "∂(x + F(x))/∂F(x) = 1"), aliases=("skip",)),
)
