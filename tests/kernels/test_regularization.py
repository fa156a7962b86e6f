"""Dropout and batch normalization against PyTorch: the same mask, the running statistics over steps."""
from __future__ import annotations

import numpy as np
import pytest

from graphapp.core.ops import REGISTRY
from kernels.regularization import dropout_keep, dropout_scale, running_stats

torch = pytest.importorskip("torch", reason="PyTorch is the test-only oracle; install torch==2.13.0")
F = torch.nn.functional

pytestmark = pytest.mark.filterwarnings("error")
TOL = {"rtol": 1e-10, "atol": 1e-12}


def _kernel(op: str, ins: list[np.ndarray], training: bool, **attrs: object):  # noqa: ANN202
    at = {**REGISTRY[op].default_attrs(), **attrs, "training": training, "step": attrs.get("step", 0)}
    return REGISTRY[op].kernel, at, *REGISTRY[op].kernel.forward(np, ins, at)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_matches_torch_with_torchs_mask(p: float) -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0.5, 2.0, (40, 30))  # no zeros, so torch's mask is where its output is nonzero
    g = rng.normal(size=x.shape)
    torch.manual_seed(0)
    xt = torch.tensor(x, requires_grad=True)
    yt = F.dropout(xt, p, training=True)
    yt.backward(torch.tensor(g))
    keep = (yt != 0).numpy()
    m = dropout_scale(np, x, keep, p)
    np.testing.assert_allclose(x * m, yt.detach().numpy(), **TOL)
    kernel, at, _, _ = _kernel("dropout", [x], True, p=p)
    (dx,) = kernel.vjp(np, (m, x.shape), g, at)
    np.testing.assert_allclose(dx, xt.grad.numpy(), **TOL)


def test_dropout_masks_are_reproducible_and_keep_the_expectation() -> None:
    x = np.full((200, 500), 3.0)
    kernel, at, out, saved = _kernel("dropout", [x], True, p=0.3, seed=5, step=7)
    assert abs((out == 0).mean() - 0.3) < 0.01 and abs(out.mean() - 3.0) < 0.05  # E[h'] = h
    assert set(np.unique(out)) == {0.0, 3.0 / 0.7}
    again = kernel.forward(np, [x], at)[0]
    other_step = kernel.forward(np, [x], {**at, "step": 8})[0]
    other_seed = kernel.forward(np, [x], {**at, "seed": 6})[0]
    np.testing.assert_array_equal(out, again)
    assert not np.array_equal(out, other_step) and not np.array_equal(out, other_seed)
    np.testing.assert_array_equal(dropout_keep(np, x.shape, 0.3, 5, 7), out != 0)
    # evaluation, and p = 0: the identity, gradient passed on unchanged
    for training, p in ((False, 0.3), (True, 0.0)):
        kernel, at, out, saved = _kernel("dropout", [x], training, p=p)
        assert out is x and np.array_equal(kernel.vjp(np, saved, x, at)[0], x)
        t = F.dropout(torch.tensor(x), p, training=training).numpy()
        np.testing.assert_array_equal(out, t)


def test_batch_norm_matches_torch_over_steps() -> None:
    """Five training steps of torch's BatchNorm1d beside the kernel plus running_stats, then evaluation."""
    rng = np.random.default_rng(1)
    n, d, momentum, eps = 8, 4, 0.2, 1e-3
    bn = torch.nn.BatchNorm1d(d, eps=eps, momentum=momentum, dtype=torch.float64)
    gamma, beta = rng.normal(size=d), rng.normal(size=d)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(gamma))
        bn.bias.copy_(torch.tensor(beta))
    rm, rv = np.zeros(d), np.ones(d)
    for step in range(5):
        x = rng.normal(2.0, 3.0, (n, d))
        g = rng.normal(size=(n, d))
        kernel, at, out, saved = _kernel("batch_norm", [x, gamma, beta, rm, rv], True, eps=eps, momentum=momentum)
        dx, dgamma, dbeta, drm, drv = kernel.vjp(np, saved, g, at)
        xt = torch.tensor(x, requires_grad=True)
        bn.zero_grad()
        yt = bn(xt)
        yt.backward(torch.tensor(g))
        np.testing.assert_allclose(out, yt.detach().numpy(), **TOL)
        np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(dgamma, bn.weight.grad.numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(dbeta, bn.bias.grad.numpy(), rtol=1e-9, atol=1e-12)
        assert not drm.any() and not drv.any()
        rm, rv = running_stats(np, x, rm, rv, momentum)
        np.testing.assert_allclose(rm, bn.running_mean.numpy(), **TOL)
        np.testing.assert_allclose(rv, bn.running_var.numpy(), **TOL)  # unbiased, as torch keeps it
    bn.eval()
    x = rng.normal(2.0, 3.0, (3, d))
    g = rng.normal(size=(3, d))
    kernel, at, out, saved = _kernel("batch_norm", [x, gamma, beta, rm, rv], False, eps=eps)
    xt = torch.tensor(x, requires_grad=True)
    yt = bn(xt)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(out, yt.detach().numpy(), **TOL)
    np.testing.assert_allclose(kernel.vjp(np, saved, g, at)[0], xt.grad.numpy(), rtol=1e-9, atol=1e-12)
    functional = F.batch_norm(torch.tensor(x), torch.tensor(rm), torch.tensor(rv), torch.tensor(gamma),
                              torch.tensor(beta), False, momentum, eps)
    np.testing.assert_allclose(out, functional.numpy(), **TOL)


def test_batch_norm_normalizes_in_training_only() -> None:
    x = np.random.default_rng(0).normal(5.0, 2.0, (50, 3))
    ins = [x, np.ones(3), np.zeros(3), np.zeros(3), np.ones(3)]
    train_out = _kernel("batch_norm", ins, True)[2]
    eval_out = _kernel("batch_norm", ins, False)[2]
    np.testing.assert_allclose(train_out.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(train_out.std(axis=0), 1.0, rtol=1e-5)
    np.testing.assert_allclose(eval_out, x / np.sqrt(1.0 + 1e-5), **TOL)  # running stats 0 and 1
