"""Regularization ops: L1 and L2 penalties, inverted dropout, batch normalization.

The penalties follow the lecture notes (MSE + α·Σ|w|, MSE + λ·Σw²): l1 = λ·Σ|w| and l2 = λ·Σw², so
∂l2/∂w = 2λ·w, the same step as torch's weight_decay = 2λ. Added to a cost they are ordinary nodes,
so the backward pass shows the gradient flowing into each weight through its penalty.

dropout and batch_norm behave differently in training and evaluation (MODAL_OPS): see
kernels/regularization.py for how the switch reaches them and where batch_norm's running statistics live.
"""
from __future__ import annotations

from graphapp.core.errors import ShapeError
from graphapp.core.ops.spec import AttrSpec, OpSpec, fmt_shape, same_shape, scalar_shape
from kernels import regularization as k

LAMBDA = AttrSpec("lambda", "float", 0.01, "strength λ", "세기 λ", 0.0, 1e6)
SEED_MAX = 2**31 - 1
MODAL_OPS = frozenset({"dropout", "batch_norm"})  # given "training" and "step" by the Executor's plan


def _bn_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    """Rows of features (N, D) or images (N, C, H, W); γ, β and the running statistics one per D or C."""
    (sx, x), *rest = ins
    if len(x) not in (2, 4):
        raise ShapeError(f"node '{node}': batch_norm takes rows of features (N, D) or images (N, C, H, W); "
                         f"'{sx}' has {fmt_shape(x)}", node)
    unit = "feature" if len(x) == 2 else "channel"
    for port, (src, shape) in zip(("gamma", "beta", "running_mean", "running_var"), rest):
        if shape != x[1:2]:
            raise ShapeError(f"node '{node}': {port} '{src}' has {fmt_shape(shape)}; one value per {unit} "
                             f"of '{sx}' {fmt_shape(x)} is {fmt_shape(x[1:2])}", node)
    return x


REGULARIZATION = (
    OpSpec(name="l1", category="regularization", symbol="L1", en="L1 penalty", ko="L1 규제",
           description_en="λ·Σ|w| (lasso), added to a cost.",
           description_ko="λ·Σ|w| (라쏘). 비용에 더합니다.",
           inputs=("w",), attrs=(LAMBDA,), kernel=k.l1, infer=scalar_shape, formulas=("∂(λ·Σ|w|)/∂w = λ·sign(w)",)),
    OpSpec(name="l2", category="regularization", symbol="L2", en="L2 penalty", ko="L2 규제",
           description_en="λ·Σw² (ridge, weight decay), added to a cost: the step it adds equals torch's "
                          "weight_decay = 2λ.",
           description_ko="λ·Σw² (릿지, 가중치 감소). 비용에 더합니다. torch의 weight_decay = 2λ와 같은 갱신입니다.",
           inputs=("w",), attrs=(LAMBDA,), kernel=k.l2, infer=scalar_shape, formulas=("∂(λ·Σw²)/∂w = 2λ·w",)),
    OpSpec(name="dropout", category="regularization", symbol="drop", en="Dropout", ko="드롭아웃",
           description_en="Training: each unit set to 0 with probability p, the others divided by 1 − p (inverted "
                          "dropout, E[h'] = h); the mask comes from the seed and the step. Evaluation: h unchanged.",
           description_ko="학습: 각 값을 확률 p로 0으로 만들고 나머지는 1 − p로 나눕니다(역 드롭아웃, E[h'] = h). 마스크는 시드와 단계로 정해집니다. 평가: h "
                          "그대로.",
           inputs=("x",),
           attrs=(AttrSpec("p", "float", 0.5, "drop probability p", "드롭 확률 p", 0.0, 0.99),
                  AttrSpec("seed", "int", 0, "mask seed", "마스크 시드", 0, SEED_MAX)),
           kernel=k.dropout, infer=same_shape, formulas=("∂h'/∂h = m/(1 − p): 0 if dropped, 1 in evaluation",)),
    OpSpec(name="batch_norm", category="regularization", symbol="BN", en="Batch normalization", ko="배치 정규화",
           description_en="γ·(x − μ)/√(σ² + ε) + β per feature of rows x (N, D), over the batch, or per channel "
                          "of images x (N, C, H, W), over N, H and W (BatchNorm2d: 2·C parameters). Training uses "
                          "the batch's mean and (biased) variance and the trainer updates the running statistics "
                          "(momentum, unbiased variance, as torch); evaluation uses running_mean and running_var.",
           description_ko="행 x (N, D)는 특성마다 배치에 걸쳐, 이미지 x (N, C, H, W)는 채널마다 N, H, W에 걸쳐 "
                          "γ·(x − μ)/√(σ² + ε) + β를 계산합니다(BatchNorm2d: 매개변수 2·C개). 학습 때는 배치의 평균과 "
                          "분산을 쓰고 트레이너가 이동 통계를 갱신합니다(torch와 같은 momentum, 불편 분산). 평가 때는 "
                          "running_mean과 running_var를 씁니다.",
           inputs=("x", "gamma", "beta", "running_mean", "running_var"),
           attrs=(AttrSpec("eps", "float", 1e-5, "ε", "ε", 1e-12, 1.0),
                  AttrSpec("momentum", "float", 0.1, "momentum", "모멘텀", 0.0, 1.0)),
           kernel=k.batch_norm, infer=_bn_shape,
           formulas=("∂y/∂x = γ/σ (evaluation); γ/σ·(1 − 1/m − x̂·x̂ᵀ/m) (training, m = N or N·H·W)",
                     "∂y/∂γ = x̂", "∂y/∂β = 1",
                     "∂y/∂μ_run = −γ/σ (evaluation)", "∂y/∂σ²_run = −γ·(x − μ)/(2σ³) (evaluation)")),
)
