"""Every kernel against PyTorch autograd in float64: forward values and input gradients.

Also the points where a derivative is a convention (ties of max/min, relu/abs at 0, step/sign) and
the numerics at extreme inputs (sigmoid, softplus, log(0), softmax, BCE at 0 and 1).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphapp.core.ops import REGISTRY
from kernels.conv import pads
from tests import fuzzing
from tests.kernels._cases import (
    BINARY_ELEMENTWISE, BROADCAST_PAIRS, KERNEL_OPS, LOSS_PAIR_OPS, Case, binary_case, case_strategy,
    loss_pair_case, run, softmax_ce_case, upstream,
)
from tests.kernels._recurrent_cases import TORCH_REFERENCES as RECURRENT_TORCH

torch = pytest.importorskip("torch", reason="PyTorch is the test-only oracle; install torch==2.13.0")
F = torch.nn.functional

pytestmark = pytest.mark.filterwarnings("error")

FWD_TOL = {"rtol": 1e-10, "atol": 1e-12}
GRAD_TOL = {"rtol": 1e-9, "atol": 1e-12}
SETTINGS = settings(max_examples=fuzzing.count(15, 150), deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _pair(fn: Callable) -> Callable:
    """A torch loss that wants equal shapes, applied after broadcasting (the vjp of expand sums back)."""
    return lambda a, b, at: fn(*torch.broadcast_tensors(a, b))


def _transpose(x: Any, at: dict) -> Any:
    axes = at.get("axes")
    return x.permute(tuple(reversed(range(x.dim()))) if axes is None else tuple(axes))


def _reduce(fn: Callable) -> Callable:
    return lambda x, at: fn(x, dim=at.get("axis"), keepdim=bool(at.get("keepdims", False)))


def _cross_entropy(logits: Any, target: Any, at: dict) -> Any:
    if target.dim() < logits.dim():  # class indices
        return F.cross_entropy(logits, target.detach().long())
    return F.cross_entropy(logits, target)  # one-hot / probability rows


def _dropout(x: Any, at: dict) -> Any:
    """Evaluation is torch's identity; training is checked with torch's own mask (test_dropout_* below)."""
    if at.get("training") and at["p"] > 0:
        from kernels.regularization import dropout_keep, dropout_scale  # noqa: PLC0415
        keep = dropout_keep(np, tuple(x.shape), at["p"], at["seed"], at["step"])
        return x * torch.tensor(dropout_scale(np, x.detach().numpy(), keep, at["p"]))
    return F.dropout(x, at["p"], training=False)


def _batch_norm(x: Any, gamma: Any, beta: Any, rm: Any, rv: Any, at: dict) -> Any:
    if at.get("training"):
        return F.batch_norm(x, rm.detach().clone(), rv.detach().clone(), gamma, beta, True, at["momentum"], at["eps"])
    # torch has no gradient for the running statistics: evaluation is its formula, checked against
    # F.batch_norm's values in test_batch_norm_matches_torch_over_steps.
    if x.dim() == 4:  # one statistic per channel
        gamma, beta, rm, rv = (t.view(1, -1, 1, 1) for t in (gamma, beta, rm, rv))
    return (x - rm) * torch.rsqrt(rv + at["eps"]) * gamma + beta


def _conv2d(x, w, b, at):  # noqa: ANN001, ANN202
    """'same' through explicit padding (torch takes padding='same' only at stride 1; tested there too)."""
    top, bottom, left, right = pads(at["padding"], x.shape[2], x.shape[3], w.shape[2], w.shape[3], at["stride"])
    return F.conv2d(F.pad(x, (left, right, top, bottom)), w, b, stride=at["stride"])


TORCH: dict[str, Callable] = {
    "add": lambda a, b, at: torch.add(a, b),
    "sub": lambda a, b, at: torch.sub(a, b),
    "mul": lambda a, b, at: torch.mul(a, b),
    "div": lambda a, b, at: torch.div(a, b),
    "maximum": lambda a, b, at: torch.maximum(a, b),
    "minimum": lambda a, b, at: torch.minimum(a, b),
    "neg": lambda x, at: torch.neg(x),
    "pow": lambda x, at: torch.pow(x, at["p"]),
    "square": lambda x, at: torch.square(x),
    "sqrt": lambda x, at: torch.sqrt(x),
    "exp": lambda x, at: torch.exp(x),
    "log": lambda x, at: torch.log(x),
    "reciprocal": lambda x, at: torch.reciprocal(x),
    "abs": lambda x, at: torch.abs(x),
    "sigmoid": lambda x, at: torch.sigmoid(x),
    "tanh": lambda x, at: torch.tanh(x),
    "relu": lambda x, at: torch.relu(x),
    "leaky_relu": lambda x, at: F.leaky_relu(x, at["alpha"]),
    "elu": lambda x, at: F.elu(x, at["alpha"]),
    "softplus": lambda x, at: F.softplus(x),
    # heaviside has no derivative in torch; step's gradient is checked to be zero separately.
    "step": lambda x, at: torch.heaviside(x.detach(), torch.zeros_like(x)) + 0.0 * x,
    "sign": lambda x, at: torch.sign(x),
    "output": lambda x, at: x.clone(),
    "softmax": lambda x, at: torch.softmax(x, dim=at["axis"]),
    "log_softmax": lambda x, at: torch.log_softmax(x, dim=at["axis"]),
    "matmul": lambda a, b, at: torch.matmul(a, b),
    "transpose": _transpose,
    "sum": _reduce(torch.sum),
    "mean": _reduce(torch.mean),
    "reshape": lambda x, at: torch.reshape(x, tuple(at["shape"])),
    "mse": _pair(F.mse_loss),
    "bce": _pair(F.binary_cross_entropy),
    "bce_with_logits": _pair(F.binary_cross_entropy_with_logits),
    "softmax_cross_entropy": _cross_entropy,
    "l1": lambda w, at: at["lambda"] * torch.abs(w).sum(),
    "l2": lambda w, at: at["lambda"] * torch.square(w).sum(),
    "dropout": _dropout,
    "batch_norm": _batch_norm,
    "conv2d": _conv2d,
    "max_pool2d": lambda x, at: F.max_pool2d(x, at["kernel_size"], at["stride"] or at["kernel_size"]),
    "avg_pool2d": lambda x, at: F.avg_pool2d(x, at["kernel_size"], at["stride"] or at["kernel_size"]),
    "flatten": lambda x, at: torch.flatten(x, 1),
    "dense": lambda x, w, b, at: x @ w + b,
    "embedding": lambda idx, w, at: F.embedding(idx.detach().long(), w),
    # the indices take no gradient, so the output is a leaf of its own (backward needs one that wants a gradient)
    "one_hot": lambda idx, at: F.one_hot(idx.detach().long(), at["num_classes"]).double().requires_grad_(),
    "residual": lambda x, fx, at: x + fx,
    **RECURRENT_TORCH,
}


def torch_reference(op: str, inputs: list[np.ndarray], attrs: dict, g: np.ndarray,
                    no_grad: tuple[int, ...] = ()) -> tuple[np.ndarray, list[np.ndarray]]:
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=i not in no_grad) for i, x in enumerate(inputs)]
    out = TORCH[op](*ts, attrs)
    out.backward(torch.tensor(g, dtype=torch.float64))
    grads = [np.zeros(x.shape) if t.grad is None else t.grad.numpy() for x, t in zip(inputs, ts)]
    return out.detach().numpy(), grads


def compare(op: str, inputs: list[np.ndarray], attrs: dict, g: np.ndarray | None = None,
            no_grad: tuple[int, ...] = ()) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    out, grads = run(op, inputs, attrs, g)
    if g is None:
        g = np.ones(out.shape)
    t_out, t_grads = torch_reference(op, inputs, attrs, g, no_grad)
    assert out.shape == t_out.shape, f"{op}: output shape {out.shape}, torch {t_out.shape}"
    np.testing.assert_allclose(out, t_out, **FWD_TOL, err_msg=f"{op}: forward")
    for port, x, grad, t_grad in zip(REGISTRY[op].inputs, inputs, grads, t_grads):
        assert grad.shape == x.shape, f"{op}: d/d{port} shape {grad.shape}, input {x.shape}"
        np.testing.assert_allclose(grad, t_grad, **GRAD_TOL, err_msg=f"{op}: d/d{port}, attrs {attrs}")
    return out, grads


def compare_case(op: str, case: Case, data: st.DataObject) -> None:
    out, _ = REGISTRY[op].kernel.forward(np, case.inputs, case.attrs)
    g = data.draw(upstream(np.shape(out)), label="g")
    compare(op, case.inputs, case.attrs, g, no_grad=case.no_fd)


def test_every_kernel_op_has_a_torch_reference() -> None:
    assert set(TORCH) == set(KERNEL_OPS)


@pytest.mark.parametrize("op", KERNEL_OPS)
@SETTINGS
@given(data=st.data())
def test_matches_torch(op: str, data: st.DataObject) -> None:
    compare_case(op, data.draw(case_strategy(op), label="case"), data)


@pytest.mark.parametrize("shapes", BROADCAST_PAIRS, ids=lambda p: "x".join(str(s).replace(" ", "") for s in p))
@pytest.mark.parametrize("op", [*BINARY_ELEMENTWISE, *LOSS_PAIR_OPS])
@settings(SETTINGS, max_examples=fuzzing.count(3, 30))
@given(data=st.data())
def test_matches_torch_broadcasting(op: str, shapes: tuple, data: st.DataObject) -> None:
    strategy = binary_case(op, shapes) if op in BINARY_ELEMENTWISE else loss_pair_case(op, shapes)
    compare_case(op, data.draw(strategy, label="case"), data)


@pytest.mark.parametrize("kind", ["indices", "onehot", "probs"])
@settings(SETTINGS, max_examples=fuzzing.count(10, 100))
@given(data=st.data())
def test_cross_entropy_matches_torch(kind: str, data: st.DataObject) -> None:
    compare_case("softmax_cross_entropy", data.draw(softmax_ce_case(kind), label="case"), data)


def test_cross_entropy_index_and_one_hot_targets_agree() -> None:
    logits = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3], [-3.0, 4.0, 1.0], [0.0, 0.0, 0.0]])
    idx = np.array([0.0, 2.0, 1.0, 1.0])
    hot = np.eye(3)[idx.astype(int)]
    out_i, (dz_i, dt_i) = compare("softmax_cross_entropy", [logits, idx], {}, no_grad=(1,))
    out_h, (dz_h, dt_h) = compare("softmax_cross_entropy", [logits, hot], {})
    np.testing.assert_allclose(out_i, out_h, rtol=1e-15)
    np.testing.assert_allclose(dz_i, dz_h, rtol=1e-15)
    assert dt_i.shape == (4,) and np.all(dt_i == 0.0)


# ---- conventions at kinks and ties: match torch exactly ---------------------------------------

def test_maximum_minimum_ties_split_the_gradient_like_torch() -> None:
    a = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]])
    b = np.array([[1.0, 0.0, 3.0], [0.0, 2.0, 5.0]])
    g = np.array([[1.0, 2.0, 4.0], [8.0, 16.0, 32.0]])
    for op in ("maximum", "minimum"):
        _, (da, db) = compare(op, [a, b], {}, g)
        tie = a == b
        np.testing.assert_array_equal(da[tie], 0.5 * g[tie])
        np.testing.assert_array_equal(db[tie], 0.5 * g[tie])
        np.testing.assert_array_equal(da + db, g)
    # Ties under broadcasting: every tie sends half to each side, summed back over the broadcast.
    col = np.array([[1.0], [2.0]])
    row = np.array([[1.0, 2.0, 3.0]])
    for op in ("maximum", "minimum"):
        compare(op, [col, row], {}, np.ones((2, 3)))
        compare(op, [np.array(2.0), row], {}, np.arange(3.0).reshape(1, 3))


@pytest.mark.parametrize(("op", "attrs"), [
    ("relu", {}), ("abs", {}), ("leaky_relu", {"alpha": 0.01}), ("leaky_relu", {"alpha": 0.3}),
    ("elu", {"alpha": 1.0}), ("elu", {"alpha": 0.5}), ("sign", {}), ("step", {}), ("square", {}),
    ("pow", {"p": 0.0}), ("pow", {"p": 1.0}), ("pow", {"p": 2.0}), ("pow", {"p": 3.0}),
    ("sigmoid", {}), ("tanh", {}), ("softplus", {}),
], ids=lambda v: v if isinstance(v, str) else "-".join(f"{k}={x}" for k, x in v.items()) or "default")
def test_at_exactly_zero_like_torch(op: str, attrs: dict) -> None:
    x = np.array([-1.5, -0.0, 0.0, 2.0])
    _, (grad,) = compare(op, [x], {**REGISTRY[op].default_attrs(), **attrs}, np.array([1.0, 2.0, 3.0, 4.0]))
    if op in ("sign", "step"):
        assert np.all(grad == 0.0)


@pytest.mark.parametrize("op", ["step", "sign"])
def test_step_and_sign_pass_no_gradient(op: str) -> None:
    x = np.array([-3.0, -1e-300, 0.0, 1e-300, 3.0])
    out, (grad,) = run(op, [x], {}, np.full(5, 7.0))
    assert np.all(grad == 0.0)
    if op == "sign":
        t = torch.tensor(x, requires_grad=True)
        torch.sign(t).backward(torch.full((5,), 7.0, dtype=torch.float64))
        np.testing.assert_array_equal(grad, t.grad.numpy())
    np.testing.assert_array_equal(out, np.heaviside(x, 0.0) if op == "step" else np.sign(x))


# ---- numerics at extreme inputs: finite, no warnings --------------------------------------------

def _all_finite(*arrays: Any) -> bool:
    return all(np.all(np.isfinite(np.asarray(a))) for a in arrays)


def test_sigmoid_saturates_without_warnings() -> None:
    x = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
    out, (grad,) = compare("sigmoid", [x], {})
    assert out[0] == 0.0 and out[-1] == 1.0 and out[2] == 0.5
    assert _all_finite(out, grad) and grad[0] == 0.0 and grad[-1] == 0.0


def test_softplus_of_large_inputs() -> None:
    x = np.array([-800.0, -30.0, 0.0, 30.0, 800.0])
    out, (grad,) = run("softplus", [x], {})
    assert out[-1] == 800.0 and out[0] == 0.0 and out[2] == pytest.approx(np.log(2.0), rel=1e-15)
    np.testing.assert_allclose(grad, [0.0, np.exp(-30.0), 0.5, 1.0, 1.0], rtol=1e-12, atol=1e-300)
    assert _all_finite(out, grad)
    compare("softplus", [x[1:-1]], {})


def test_log_refuses_zero_and_negatives_instead_of_clipping() -> None:
    from kernels.base import outside  # noqa: PLC0415
    from kernels.elementwise import log  # noqa: PLC0415

    bad = outside(np, log.domain, [np.array([1.0, 0.0, -1.0])], {})
    assert bad is not None and bad[0].rule == "x > 0" and bad[1:] == (0.0, (1,))
    assert outside(np, log.domain, [np.array([1e-300, 1.0])], {}) is None
    out, (grad,) = run("log", [np.array([1e-300, 1.0])], {})
    assert out[1] == 0.0 and grad[1] == 1.0 and out[0] == pytest.approx(np.log(1e-300), rel=1e-15)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_of_huge_logits(op: str) -> None:
    x = np.array([[1000.0, 0.0], [-1000.0, 1000.0], [1e300, 1e300]])
    out, (grad,) = run(op, [x], {"axis": -1}, np.array([[1.0, -2.0], [0.5, 3.0], [1.0, 2.0]]))
    assert _all_finite(out, grad)
    if op == "softmax":
        np.testing.assert_array_equal(out, [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    else:
        np.testing.assert_array_equal(out[:2], [[0.0, -1000.0], [-2000.0, 0.0]])
    compare(op, [x[:2]], {"axis": -1}, np.array([[1.0, -2.0], [0.5, 3.0]]))
    compare(op, [x[:2]], {"axis": 0}, np.array([[1.0, -2.0], [0.5, 3.0]]))


def test_cross_entropy_of_huge_logits() -> None:
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 800.0, 0.0]])
    for target in (np.array([0.0, 2.0]), np.eye(3)[[0, 2]]):
        out, grads = run("softmax_cross_entropy", [logits, target], {})
        assert _all_finite(out, *grads)
        assert out == pytest.approx((0.0 + 800.0) / 2)


def test_bce_at_zero_and_one_is_finite() -> None:
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    out, (dp, dy) = run("bce", [p, y], {})
    assert _all_finite(out, dp, dy)
    # Clipping at 1e-12: log(1e-12) ≈ −27.6 for each confidently wrong prediction.
    expected = (2 * -np.log(1e-12) + np.log(2.0)) / 5
    assert out == pytest.approx(expected, rel=1e-6)
    # Confident and right: the loss is ~0, as in torch. The gradient is the limit of (p − y)/(p(1 − p)),
    # ±1/n (torch's 1e-12 clamp of the denominator gives 0 there, so only the forward is compared).
    ok_p, ok_y = p[:2].copy(), y[:2].copy()
    out_ok, (dp_ok, _) = run("bce", [ok_p, ok_y], {})
    t_out = F.binary_cross_entropy(torch.tensor(ok_p), torch.tensor(ok_y)).item()
    assert out_ok == pytest.approx(t_out, abs=1e-11)
    np.testing.assert_allclose(dp_ok, [0.5, -0.5], rtol=1e-9)


def test_bce_with_logits_at_huge_logits() -> None:
    z = np.array([-800.0, 800.0, -800.0, 800.0])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    out, (dz, dy) = compare("bce_with_logits", [z, y], {})
    assert _all_finite(out, dz, dy)
    assert out == pytest.approx(400.0)
    np.testing.assert_allclose(dz, [0.0, 0.0, -0.25, 0.25], atol=1e-300)
