"""Every kernel's vjp against central finite differences of sum(out · g), in float64.

Inputs are drawn by hypothesis (shapes, broadcasting, attributes) inside each op's smooth domain
(tests/kernels/_cases.py keeps them away from kinks, ties and poles). The finite difference is the
fourth-order central stencil, so tight tolerances hold: rtol 1e-6, atol 1e-8.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphapp.core.ops import REGISTRY
from kernels.backend import unbroadcast
from tests import fuzzing
from tests.kernels._cases import (
    BINARY_ELEMENTWISE, BROADCAST_PAIRS, ELEMENTWISE_OPS, KERNEL_OPS, LOSS_PAIR_OPS, Case, binary_case,
    case_strategy, loss_pair_case, run, softmax_ce_case, upstream,
)

pytestmark = pytest.mark.filterwarnings("error")  # a numpy RuntimeWarning in a kernel is a failure

RTOL, ATOL = 1e-6, 1e-8
H = 1e-4  # inputs stay ≥ 0.1 from any kink, so the ±2h stencil never straddles one
SETTINGS = settings(max_examples=fuzzing.count(25, 250), deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(SETTINGS, max_examples=fuzzing.count(6, 60))

EXPECTED_OPS = {
    "add", "sub", "mul", "div", "neg", "pow", "square", "sqrt", "exp", "log", "reciprocal", "abs", "maximum",
    "minimum", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "step", "sign", "softmax",
    "log_softmax", "matmul", "transpose", "sum", "mean", "reshape", "mse", "bce", "bce_with_logits",
    "softmax_cross_entropy", "output", "l1", "l2", "dropout", "batch_norm",
    "conv2d", "max_pool2d", "avg_pool2d", "flatten", "dense", "embedding", "one_hot", "residual",
    "rnn_cell", "lstm_cell", "gru_cell", "rnn", "lstm", "gru", "select", "append", "zero_state",
}


def numeric_grad(op: str, inputs: list[np.ndarray], attrs: dict, g: np.ndarray, i: int) -> np.ndarray:
    """d sum(out · g) / d inputs[i] by the stencil (8(f(x+h) − f(x−h)) − (f(x+2h) − f(x−2h))) / 12h."""
    forward = REGISTRY[op].kernel.forward

    def f(x: np.ndarray) -> float:
        ins = list(inputs)
        ins[i] = x
        out, _ = forward(np, ins, attrs)
        return float(np.sum(np.asarray(out) * g))

    x = inputs[i]
    grad = np.zeros(x.shape)
    for j in np.ndindex(x.shape):
        def at(d: float, j: tuple = j) -> float:
            y = x.copy()
            y[j] += d
            return f(y)
        grad[j] = (8.0 * (at(H) - at(-H)) - (at(2 * H) - at(-2 * H))) / (12.0 * H)
    return grad


def check_case(op: str, case: Case, g: np.ndarray | None, draw_g=None) -> None:  # noqa: ANN001
    spec = REGISTRY[op]
    inputs = [x.copy() for x in case.inputs]
    out, _ = spec.kernel.forward(np, [x.copy() for x in inputs], case.attrs)
    if g is None:
        g = draw_g(np.shape(out))
    g_before = g.copy()
    out, grads = run(op, inputs, case.attrs, g)
    assert np.array_equal(g, g_before), f"{op}: vjp modified the upstream gradient in place"
    assert len(grads) == len(spec.inputs), f"{op}: {len(grads)} grads for {len(spec.inputs)} inputs"
    for i, (port, x, grad) in enumerate(zip(spec.inputs, inputs, grads)):
        assert np.array_equal(x, case.inputs[i]), f"{op}: forward/vjp modified input '{port}'"
        assert grad.shape == x.shape, f"{op}: d/d{port} has shape {grad.shape}, input has {x.shape}"
        assert grad.dtype == np.float64, f"{op}: d/d{port} has dtype {grad.dtype}"
        assert np.all(np.isfinite(grad)), f"{op}: d/d{port} not finite"
        if i in case.zero_grad:
            assert np.all(grad == 0.0), f"{op}: d/d{port} must be exactly zero"
        if i in case.no_fd:
            continue
        num = numeric_grad(op, inputs, case.attrs, g, i)
        np.testing.assert_allclose(grad, num, rtol=RTOL, atol=ATOL,
                                   err_msg=f"{op}: d/d{port}, shapes {[x.shape for x in inputs]}, attrs {case.attrs}")


# ---- coverage -----------------------------------------------------------------------------------

def test_every_kernel_op_is_covered() -> None:
    assert set(KERNEL_OPS) == EXPECTED_OPS, "the registry changed: update EXPECTED_OPS and tests/kernels/_cases.py"
    for op in KERNEL_OPS:
        case_strategy(op)  # raises KeyError for an op with no strategy


# ---- the main property: vjp == finite differences, for every op ---------------------------------

@pytest.mark.parametrize("op", KERNEL_OPS)
@SETTINGS
@given(data=st.data())
def test_vjp_matches_finite_differences(op: str, data: st.DataObject) -> None:
    case = data.draw(case_strategy(op), label="case")
    check_case(op, case, None, lambda shape: data.draw(upstream(shape), label="g"))


# ---- broadcasting pairs named explicitly, for binary elementwise ops and losses -----------------

def _pair_id(pair: tuple) -> str:
    return "x".join(str(s).replace(" ", "") for s in pair)


@pytest.mark.parametrize("shapes", BROADCAST_PAIRS, ids=_pair_id)
@pytest.mark.parametrize("op", [*BINARY_ELEMENTWISE, *LOSS_PAIR_OPS])
@FEW
@given(data=st.data())
def test_vjp_broadcasting(op: str, shapes: tuple, data: st.DataObject) -> None:
    strategy = binary_case(op, shapes) if op in BINARY_ELEMENTWISE else loss_pair_case(op, shapes)
    case = data.draw(strategy, label="case")
    check_case(op, case, None, lambda shape: data.draw(upstream(shape), label="g"))


@pytest.mark.parametrize("kind", ["indices", "onehot", "probs"])
@FEW
@given(data=st.data())
def test_softmax_cross_entropy_targets(kind: str, data: st.DataObject) -> None:
    case = data.draw(softmax_ce_case(kind), label="case")
    check_case("softmax_cross_entropy", case, None, lambda shape: data.draw(upstream(shape), label="g"))
    if kind == "indices":
        _, grads = run("softmax_cross_entropy", case.inputs, case.attrs)
        assert np.all(grads[1] == 0.0)


# ---- step and sign pass no gradient, even right at 0 --------------------------------------------

@pytest.mark.parametrize("op", ["step", "sign"])
def test_piecewise_constant_ops_have_zero_gradient(op: str) -> None:
    x = np.array([[-2.0, -1e-300, 0.0], [1e-300, 0.5, 7.0]])
    g = np.arange(1.0, 7.0).reshape(2, 3)
    _, (grad,) = run(op, [x], {}, g)
    assert grad.shape == x.shape and np.all(grad == 0.0)
    local = REGISTRY[op].kernel.local(np, REGISTRY[op].kernel.forward(np, [x], {})[1], 0, {})
    assert np.all(local == 0.0)


# ---- `local` (the number on an edge) agrees with the vjp ---------------------------------------

@pytest.mark.parametrize("op", ELEMENTWISE_OPS)
@settings(SETTINGS, max_examples=fuzzing.count(10, 100))
@given(data=st.data())
def test_local_derivative_agrees_with_vjp(op: str, data: st.DataObject) -> None:
    case = data.draw(case_strategy(op), label="case")
    kernel = REGISTRY[op].kernel
    out, saved = kernel.forward(np, case.inputs, case.attrs)
    g = data.draw(upstream(np.shape(out)), label="g")
    grads = kernel.vjp(np, saved, g, case.attrs)
    for i, x in enumerate(case.inputs):
        local = kernel.local(np, saved, i, case.attrs)
        assert np.shape(local) == np.shape(out)
        np.testing.assert_allclose(grads[i], unbroadcast(np, g * local, x.shape), rtol=1e-15, atol=0)


# ---- unbroadcast ------------------------------------------------------------------------------

@pytest.mark.parametrize(("grad_shape", "shape"), [
    ((3, 4), (3, 4)), ((3, 4), ()), ((3, 4), (4,)), ((3, 4), (1, 4)), ((3, 4), (3, 1)), ((3, 4), (1, 1)),
    ((2, 3, 4), (3, 1)), ((2, 3, 4), (1, 3, 1)), ((2, 3, 4), (1,)), ((5,), ()), ((5,), (1,)), ((), ()),
    ((1, 4), (4,)), ((2, 1), (1,)),
], ids=lambda s: str(s).replace(" ", ""))
def test_unbroadcast(grad_shape: tuple, shape: tuple) -> None:
    grad = np.arange(1.0, 1.0 + np.prod(grad_shape)).reshape(grad_shape)
    got = np.asarray(unbroadcast(np, grad, shape))
    assert got.shape == shape
    # Reference: the vjp of broadcast_to is the sum over every output cell that copied an input cell.
    expected = np.zeros(shape)
    index = np.arange(int(np.prod(shape))).reshape(shape)
    np.add.at(expected.reshape(-1), np.broadcast_to(index, grad_shape).reshape(-1), grad.reshape(-1))
    np.testing.assert_array_equal(got, expected)
    assert got.sum() == grad.sum()


def test_unbroadcast_same_shape_returns_grad_unchanged() -> None:
    grad = np.ones((2, 3))
    assert unbroadcast(np, grad, (2, 3)) is grad
