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
    OpSpec("mse", "loss", "MSE", "Mean squared error", "평균제곱오차", "mean((pred − target)²).",
           "mean((pred − target)²).", PT, (), k.mse, _pair_shape,
           ("∂MSE/∂pred = 2(pred − target)/n", "∂MSE/∂target = −2(pred − target)/n")),
    OpSpec("bce", "loss", "BCE", "Binary cross-entropy", "이진 교차 엔트로피",
           "−mean(y·log p + (1−y)·log(1−p)) from probabilities p; p is clipped to [1e-12, 1 − 1e-12] "
           "so log(0) never happens.",
           "확률 p에서 −mean(y·log p + (1−y)·log(1−p)). log(0)이 생기지 않도록 p를 [1e-12, 1 − 1e-12]로 "
           "잘라냅니다.", PT, (), k.bce, _pair_shape,
           ("∂BCE/∂p = (p − y)/(p(1 − p)n)", "∂BCE/∂y = (log(1−p) − log p)/n")),
    OpSpec("bce_with_logits", "loss", "BCE(z)", "Binary cross-entropy from logits", "이진 교차 엔트로피(로짓)",
           "BCE of σ(z), computed as mean(log(1 + eᶻ) − y·z): stable for any z.",
           "σ(z)의 BCE를 mean(log(1 + eᶻ) − y·z)로 계산합니다. 어떤 z에서도 안정적입니다.",
           ("logits", "target"), (), k.bce_with_logits, _pair_shape,
           ("∂BCE/∂z = (σ(z) − y)/n", "∂BCE/∂y = −z/n")),
    OpSpec("softmax_cross_entropy", "loss", "CE", "Softmax cross-entropy", "소프트맥스 교차 엔트로피",
           "−mean over the batch of log softmax(logits)[target]; targets are class indices (shape N) or "
           "one-hot rows (N×C). Class indices get no gradient.",
           "배치 평균 −log softmax(logits)[정답]. 정답은 클래스 번호(N) 또는 원-핫 행(N×C)입니다. "
           "클래스 번호에는 기울기가 없습니다.",
           ("logits", "target"), (), k.softmax_cross_entropy, _ce_shape,
           ("∂CE/∂z = (softmax(z) − y)/N", "∂CE/∂y = −log softmax(z)/N")),
)
