"""Loss functions: each returns a scalar."""
from __future__ import annotations

from graphapp.core.errors import ShapeError
from graphapp.core.ops.spec import OpSpec, broadcast_shape, fmt_shape
from kernels import losses as k

PT = ("pred", "target")


def _pair_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    broadcast_shape(node, ins, attrs)
    return ()


def _ce_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (sl, logits), (st, target) = ins
    ok = len(logits) in (1, 2) and (target == logits or (len(logits) == 2 and target == logits[:1]))
    if not ok:
        raise ShapeError(f"node '{node}': logits '{sl}' {fmt_shape(logits)} need targets of shape "
                         f"{fmt_shape(logits)} (one-hot) or {fmt_shape(logits[:1])} (class indices); "
                         f"'{st}' has {fmt_shape(target)}", node)
    return ()


LOSSES = (
    OpSpec(name="mse", category="loss", symbol="MSE", en="Mean squared error", ko="평균제곱오차",
           description_en="mean((pred − target)²).",
           description_ko="mean((pred − target)²).",
           inputs=PT, kernel=k.mse, infer=_pair_shape,
           formulas=("∂MSE/∂pred = 2(pred − target)/n", "∂MSE/∂target = −2(pred − target)/n")),
    OpSpec(name="bce", category="loss", symbol="BCE", en="Binary cross-entropy", ko="이진 교차 엔트로피",
           description_en="−mean(y·log p + (1−y)·log(1−p)) from probabilities p; p is clipped to [1e-12, 1 − 1e-12] "
                          "so log(0) never happens.",
           description_ko="확률 p에서 −mean(y·log p + (1−y)·log(1−p)). log(0)이 생기지 않도록 p를 [1e-12, 1 − 1e-12]로 잘라냅니다.",
           inputs=PT, kernel=k.bce, infer=_pair_shape,
           formulas=("∂BCE/∂p = (p − y)/(p(1 − p)n)", "∂BCE/∂y = (log(1−p) − log p)/n")),
    OpSpec(name="bce_with_logits", category="loss", symbol="BCE(z)", en="Binary cross-entropy from logits",
           ko="이진 교차 엔트로피(로짓)",
           description_en="BCE of σ(z), computed as mean(log(1 + eᶻ) − y·z): stable for any z.",
           description_ko="σ(z)의 BCE를 mean(log(1 + eᶻ) − y·z)로 계산합니다. 어떤 z에서도 안정적입니다.",
           inputs=("logits", "target"), kernel=k.bce_with_logits, infer=_pair_shape,
           formulas=("∂BCE/∂z = (σ(z) − y)/n", "∂BCE/∂y = −z/n")),
    OpSpec(name="softmax_cross_entropy", category="loss", symbol="CE", en="Softmax cross-entropy", ko="소프트맥스 교차 엔트로피",
           description_en="−mean over the batch of log softmax(logits)[target]; targets are class indices (shape N) "
                          "or one-hot rows (N×C). Class indices get no gradient.",
           description_ko="배치 평균 −log softmax(logits)[정답]. 정답은 클래스 번호(N) 또는 원-핫 행(N×C)입니다. 클래스 번호에는 기울기가 없습니다.",
           inputs=("logits", "target"), kernel=k.softmax_cross_entropy, infer=_ce_shape,
           formulas=("∂CE/∂z = (softmax(z) − y)/N", "∂CE/∂y = −log softmax(z)/N"),
           # one axis fewer than the logits: class numbers (the kernel's own test); one-hot rows are numbers
           indices=lambda shapes: ("target",) if len(shapes[1]) < len(shapes[0]) else ()),
)
