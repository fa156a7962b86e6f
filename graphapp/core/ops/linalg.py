"""Matrix and shape ops."""
from __future__ import annotations

import math

from graphapp.core.errors import ShapeError
from graphapp.core.ops.spec import AttrSpec, OpSpec, check_axis, fmt_shape
from kernels import linalg as k


def _matmul_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (sa, a), (sb, b) = ins
    if not (1 <= len(a) <= 2 and 1 <= len(b) <= 2):
        raise ShapeError(f"node '{node}': matmul takes vectors or matrices, got '{sa}' {fmt_shape(a)} "
                         f"and '{sb}' {fmt_shape(b)}", node)
    if a[-1] != b[0]:
        raise ShapeError(f"node '{node}': cannot multiply '{sa}' {fmt_shape(a)} by '{sb}' {fmt_shape(b)}: "
                         f"inner sizes {a[-1]} and {b[0]} differ", node)
    return a[:-1] + b[1:]


def _transpose_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    shape, axes = ins[0][1], attrs.get("axes")
    if axes is None:
        return shape[::-1]
    if sorted(axes) != list(range(len(shape))):
        raise ShapeError(f"node '{node}': axes {list(axes)} are not a permutation for shape {fmt_shape(shape)}",
                         node)
    return tuple(shape[i] for i in axes)


def _reduce_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    shape = ins[0][1]
    axes = check_axis(node, shape, attrs.get("axis")) if shape else ()
    if attrs.get("keepdims"):
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def _reshape_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (src, shape), target = ins[0], tuple(attrs["shape"])
    size = math.prod(shape)  # the attribute check has made `target` ints ≥ -1 with at most one -1
    known = math.prod(n for n in target if n != -1)
    if -1 in target:
        if known == 0 or size % known:
            raise ShapeError(f"node '{node}': cannot reshape '{src}' {fmt_shape(shape)} to {list(target)}", node)
        target = tuple(size // known if n == -1 else n for n in target)
    if math.prod(target) != size:
        raise ShapeError(f"node '{node}': cannot reshape '{src}' {fmt_shape(shape)} ({size} elements) "
                         f"to {fmt_shape(target)}", node)
    return target


AXIS = AttrSpec("axis", "axis", None, "axis (empty: all)", "축 (비우면 전체)")
KEEP = AttrSpec("keepdims", "bool", False, "keep dims", "차원 유지")
LINALG = (
    OpSpec(name="matmul", category="matrix", symbol="·", en="Matrix product", ko="행렬 곱",
           description_en="A·B for vectors and matrices.",
           description_ko="벡터와 행렬의 곱 A·B.",
           inputs=("a", "b"), kernel=k.matmul, infer=_matmul_shape, formulas=("∂(A·B)/∂A = G·Bᵀ", "∂(A·B)/∂B = Aᵀ·G"),
           aliases=("dot",)),
    OpSpec(name="transpose", category="matrix", symbol="ᵀ", en="Transpose", ko="전치",
           description_en="Reverses (or permutes) the axes.",
           description_ko="축의 순서를 뒤집거나 바꿉니다.",
           inputs=("x",), attrs=(AttrSpec("axes", "axes", None, "axes", "축 순서"),), kernel=k.transpose,
           infer=_transpose_shape, formulas=("∂(xᵀ)/∂x = Gᵀ",), aliases=("T",)),
    OpSpec(name="sum", category="matrix", symbol="Σ", en="Sum", ko="합",
           description_en="Sum over an axis (or all).",
           description_ko="축을 따라(또는 전체) 더합니다.",
           inputs=("x",), attrs=(AXIS, KEEP), kernel=k.sum_, infer=_reduce_shape, formulas=("∂Σx/∂xᵢ = 1",)),
    OpSpec(name="mean", category="matrix", symbol="mean", en="Mean", ko="평균",
           description_en="Mean over an axis (or all).",
           description_ko="축을 따라(또는 전체) 평균합니다.",
           inputs=("x",), attrs=(AXIS, KEEP), kernel=k.mean, infer=_reduce_shape, formulas=("∂mean(x)/∂xᵢ = 1/n",)),
    OpSpec(name="reshape", category="matrix", symbol="reshape", en="Reshape", ko="형태 변경",
           description_en="Same elements, new shape (−1: inferred).",
           description_ko="원소는 그대로, 모양만 바꿉니다(−1은 자동).",
           inputs=("x",), attrs=(AttrSpec("shape", "shape", [-1], "shape", "모양"),), kernel=k.reshape,
           infer=_reshape_shape, formulas=("∂reshape(x)/∂x = reshape⁻¹(G)",)),
)
