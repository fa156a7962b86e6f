"""Embedding, one-hot, the residual connection, batch normalization of images and dropout of images:
each against PyTorch (F.embedding, F.one_hot, nn.BatchNorm2d, F.dropout) and finite differences."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphapp.core.ops import REGISTRY
from kernels.embedding import whole_index
from kernels.regularization import dropout_keep, dropout_scale, running_stats
from tests import fuzzing
from tests.kernels._cases import ANY, arr, attrs_for, batch_norm_case, dropout_case, run, upstream
from tests.kernels.test_gradcheck import SETTINGS, check_case

torch = pytest.importorskip("torch", reason="PyTorch is the test-only oracle; install torch==2.13.0")
F = torch.nn.functional

pytestmark = pytest.mark.filterwarnings("error")
TOL = {"rtol": 1e-10, "atol": 1e-12}
GRAD_TOL = {"rtol": 1e-9, "atol": 1e-12}


# ---- embedding and one-hot ---------------------------------------------------------------------

def test_embedding_gathers_rows_and_scatter_adds_repeated_indices() -> None:
    w = np.arange(12.0).reshape(4, 3)
    idx = np.array([[0.0, 2.0, 2.0], [3.0, 2.0, 0.0]])  # row 2 three times, row 0 twice, row 1 never
    g = np.random.default_rng(0).normal(size=(2, 3, 3))
    out, (d_idx, d_w) = run("embedding", [idx, w], {}, g)
    np.testing.assert_array_equal(out, w[idx.astype(int)])
    assert out.shape == (2, 3, 3) and d_idx.shape == idx.shape and not d_idx.any()
    np.testing.assert_allclose(d_w[2], g[0, 1] + g[0, 2] + g[1, 1], rtol=1e-15)
    np.testing.assert_allclose(d_w[0], g[0, 0] + g[1, 2], rtol=1e-15)
    assert not d_w[1].any()
    wt = torch.tensor(w, requires_grad=True)
    yt = F.embedding(torch.tensor(idx).long(), wt)
    yt.backward(torch.tensor(g))
    np.testing.assert_array_equal(out, yt.detach().numpy())
    np.testing.assert_allclose(d_w, wt.grad.numpy(), **GRAD_TOL)


def test_embedding_is_a_one_hot_row_times_w() -> None:
    """The lecture's view: looking a row up is multiplying its one-hot vector by W, values and gradients."""
    rng = np.random.default_rng(1)
    w, idx = rng.normal(size=(5, 4)), np.array([4.0, 0.0, 4.0, 1.0, 3.0, 4.0])
    g = rng.normal(size=(6, 4))
    out, (_, d_w) = run("embedding", [idx, w], {}, g)
    hot, _ = run("one_hot", [idx], attrs_for("one_hot", num_classes=5))
    np.testing.assert_allclose(out, hot @ w, rtol=1e-15)
    np.testing.assert_allclose(d_w, hot.T @ g, rtol=1e-12)


def test_embedding_of_a_single_index_and_in_float32() -> None:
    w = np.arange(6.0).reshape(3, 2)
    out, (d_idx, d_w) = run("embedding", [np.array(1.0), w], {}, np.array([5.0, 7.0]))
    np.testing.assert_array_equal(out, [2.0, 3.0])
    assert d_idx.shape == () and np.array_equal(d_w, [[0.0, 0.0], [5.0, 7.0], [0.0, 0.0]])
    kernel = REGISTRY["embedding"].kernel
    out32, saved = kernel.forward(np, [np.array([2.0, 2.0], np.float32), w.astype(np.float32)], {})
    d_idx32, d_w32 = kernel.vjp(np, saved, np.ones((2, 2), np.float32), {})
    assert out32.dtype == d_w32.dtype == d_idx32.dtype == np.float32 and d_w32[2].tolist() == [2.0, 2.0]


@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (2, 1, 3)])
def test_one_hot_matches_torch(shape: tuple[int, ...]) -> None:
    idx = np.random.default_rng(2).integers(0, 4, size=shape).astype(float)
    out, (d_idx,) = run("one_hot", [idx], attrs_for("one_hot", num_classes=4), np.ones((*shape, 4)))
    np.testing.assert_array_equal(out, F.one_hot(torch.tensor(idx).long(), 4).double().numpy())
    assert out.shape == (*shape, 4) and d_idx.shape == shape and not d_idx.any()


def test_only_whole_indices_in_range_are_indices() -> None:
    x = np.array([0.0, 2.0, 3.0, -1.0, 0.5, 2.0000001, np.nan, np.inf, -np.inf, -0.0])
    np.testing.assert_array_equal(whole_index(np, x, 3),
                                  [True, True, False, False, False, False, False, False, False, True])


# ---- the residual connection -------------------------------------------------------------------

def test_residual_adds_and_passes_the_gradient_to_both_branches() -> None:
    rng = np.random.default_rng(3)
    x, fx, g = rng.normal(size=(2, 3, 4, 4)), rng.normal(size=(2, 3, 4, 4)), rng.normal(size=(2, 3, 4, 4))
    out, (dx, dfx) = run("residual", [x, fx], {}, g)
    np.testing.assert_array_equal(out, x + fx)
    np.testing.assert_array_equal(dx, g)
    np.testing.assert_array_equal(dfx, g)


# ---- batch normalization of images, as torch.nn.BatchNorm2d ------------------------------------

def _bn(ins: list[np.ndarray], training: bool, **attrs: object):  # noqa: ANN202
    at = {**REGISTRY["batch_norm"].default_attrs(), **attrs, "training": training, "step": 0}
    kernel = REGISTRY["batch_norm"].kernel
    return kernel, at, *kernel.forward(np, ins, at)


def test_batch_norm2d_matches_torch_over_steps_then_evaluates() -> None:
    """Five training steps of nn.BatchNorm2d beside the kernel plus running_stats (unbiased over N·H·W)."""
    rng = np.random.default_rng(4)
    c, momentum, eps = 3, 0.3, 1e-4
    bn = torch.nn.BatchNorm2d(c, eps=eps, momentum=momentum, dtype=torch.float64)
    gamma, beta = rng.normal(size=c), rng.normal(size=c)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(gamma))
        bn.bias.copy_(torch.tensor(beta))
    rm, rv = np.zeros(c), np.ones(c)
    for n, h, w in ((4, 5, 5), (2, 3, 4), (1, 2, 2), (3, 1, 1), (5, 2, 3)):  # one image is enough (H·W > 1)
        x = rng.normal(1.0, 2.0, (n, c, h, w)) * np.array([1.0, 5.0, 0.2])[:, None, None]
        g = rng.normal(size=x.shape)
        kernel, at, out, saved = _bn([x, gamma, beta, rm, rv], True, eps=eps, momentum=momentum)
        dx, dgamma, dbeta, drm, drv = kernel.vjp(np, saved, g, at)
        xt = torch.tensor(x, requires_grad=True)
        bn.zero_grad()
        yt = bn(xt)
        yt.backward(torch.tensor(g))
        np.testing.assert_allclose(out, yt.detach().numpy(), **TOL)
        np.testing.assert_allclose(dx, xt.grad.numpy(), **GRAD_TOL)
        np.testing.assert_allclose(dgamma, bn.weight.grad.numpy(), **GRAD_TOL)
        np.testing.assert_allclose(dbeta, bn.bias.grad.numpy(), **GRAD_TOL)
        assert drm.shape == drv.shape == (c,) and not drm.any() and not drv.any()
        rm, rv = running_stats(np, x, rm, rv, momentum)
        np.testing.assert_allclose(rm, bn.running_mean.numpy(), **TOL)
        np.testing.assert_allclose(rv, bn.running_var.numpy(), **TOL)
    bn.eval()
    x = rng.normal(1.0, 2.0, (2, c, 3, 3))
    g = rng.normal(size=x.shape)
    kernel, at, out, saved = _bn([x, gamma, beta, rm, rv], False, eps=eps)
    xt = torch.tensor(x, requires_grad=True)
    yt = bn(xt)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(out, yt.detach().numpy(), **TOL)
    grads = kernel.vjp(np, saved, g, at)
    np.testing.assert_allclose(grads[0], xt.grad.numpy(), **GRAD_TOL)
    assert [a.shape for a in grads] == [x.shape, (c,), (c,), (c,), (c,)]


def test_batch_norm2d_normalizes_each_channel_over_batch_and_pixels() -> None:
    x = np.random.default_rng(5).normal(3.0, 2.0, (6, 2, 4, 4))
    out = _bn([x, np.ones(2), np.zeros(2), np.zeros(2), np.ones(2)], True)[2]
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), 1.0, rtol=1e-4)  # ε = 1e-5 below the variance


@pytest.mark.parametrize("training", [True, False])
@settings(SETTINGS, max_examples=fuzzing.count(25, 250))
@given(data=st.data())
def test_batch_norm2d_vjp_matches_finite_differences(training: bool, data: st.DataObject) -> None:
    case = data.draw(batch_norm_case(training, images=True), label="case")
    check_case("batch_norm", case, None, lambda shape: data.draw(upstream(shape), label="g"))


# ---- dropout of images --------------------------------------------------------------------------

def test_dropout_of_images_matches_torch_with_torchs_mask() -> None:
    rng = np.random.default_rng(6)
    x = rng.uniform(0.5, 2.0, (4, 3, 6, 6))
    g = rng.normal(size=x.shape)
    torch.manual_seed(1)
    xt = torch.tensor(x, requires_grad=True)
    yt = F.dropout(xt, 0.3, training=True)
    yt.backward(torch.tensor(g))
    m = dropout_scale(np, x, (yt != 0).numpy(), 0.3)
    np.testing.assert_allclose(x * m, yt.detach().numpy(), **TOL)
    np.testing.assert_allclose(REGISTRY["dropout"].kernel.vjp(np, (m, x.shape), g, {})[0], xt.grad.numpy(), **TOL)


def test_dropout_of_images_drops_single_units_reproducibly() -> None:
    x = np.full((8, 4, 16, 16), 2.0)
    at = {**attrs_for("dropout", p=0.25, seed=3), "training": True, "step": 2}
    out, (dx,) = run("dropout", [x], at, np.ones(x.shape))
    assert out.shape == x.shape and abs((out == 0).mean() - 0.25) < 0.02
    np.testing.assert_array_equal(out != 0, dropout_keep(np, x.shape, 0.25, 3, 2))
    np.testing.assert_array_equal(dx, out / 2.0)  # ∂/∂x = m/(1 − p)
    per_channel = (out == 0).mean(axis=(2, 3))  # units, not whole channels (that would be dropout2d)
    assert 0.0 < per_channel.min() and per_channel.max() < 1.0
    np.testing.assert_array_equal(run("dropout", [x], {**at, "training": False})[0], x)  # evaluation


@settings(SETTINGS, max_examples=fuzzing.count(15, 150))
@given(data=st.data())
def test_dropout_of_images_vjp_matches_finite_differences(data: st.DataObject) -> None:
    shape = tuple(data.draw(st.integers(1, 3), label="side") for _ in range(4))
    case = data.draw(dropout_case(training=True), label="case")
    case.inputs = [data.draw(arr(shape, ANY), label="x")]
    check_case("dropout", case, None, lambda s: data.draw(upstream(s), label="g"))
