"""The batch-last conv and pooling kernels: stride and padding combinations against PyTorch, inputs in
either memory layout, the partial vjp bit for bit against the full one, and a LeNet chain end to end."""
from __future__ import annotations

import numpy as np
import pytest

from kernels import conv as kc
from kernels import pooling as kp
from tests.kernels.test_conv import EVEN_SAME, torch_check

torch = pytest.importorskip("torch", reason="PyTorch is the test-only oracle; install torch==2.13.0")
F = torch.nn.functional


@pytest.mark.parametrize(("h", "w", "kh", "kw", "stride", "padding"), [
    (9, 7, 3, 3, 2, 1), (8, 8, 2, 3, 1, "same"), (7, 10, 3, 2, 1, 2), (12, 12, 5, 5, 1, 2),
    (10, 10, 3, 3, 3, 1), (6, 6, 4, 4, 2, 1), (5, 5, 5, 5, 1, 0), (6, 8, 1, 1, 2, 0)])
@pytest.mark.filterwarnings(EVEN_SAME)
def test_conv2d_strides_paddings_and_oblong_filters_match_torch(h, w, kh, kw, stride, padding) -> None:  # noqa: ANN001
    rng = np.random.default_rng(4)
    x, W, b = rng.normal(size=(3, 2, h, w)), rng.normal(size=(4, 2, kh, kw)), rng.normal(size=4)
    torch_check("conv2d", [x, W, b], {"stride": stride, "padding": padding},
                lambda x, W, b: F.conv2d(x, W, b, stride=stride, padding=padding))


def test_inputs_in_either_layout_give_the_same_numbers() -> None:
    """A layer's output is batch-last; a reshaped data batch is batch-first. Both read the same."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(4, 3, 6, 6))
    x_last = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    W, b, g = rng.normal(size=(2, 3, 3, 3)), rng.normal(size=2), rng.normal(size=(4, 2, 4, 4))
    at = {"stride": 1, "padding": 0}
    for x_in in (x, x_last):
        out, saved = kc.conv2d.forward(np, [x_in, W, b], at)
        grads = kc.conv2d.vjp(np, saved, g, at)
        ref, ref_saved = kc.conv2d.forward(np, [x, W, b], at)
        np.testing.assert_array_equal(out, ref)
        for a, r in zip(grads, kc.conv2d.vjp(np, ref_saved, np.ascontiguousarray(g), at)):
            np.testing.assert_array_equal(a, r)


@pytest.mark.parametrize("need", [(False, True, True), (True, False, False), (False, False, True)])
def test_the_partial_vjp_is_the_full_one_bit_for_bit(need: tuple[bool, ...]) -> None:
    rng = np.random.default_rng(6)
    x, W, b = rng.normal(size=(2, 2, 7, 7)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    at = {"stride": 2, "padding": "same"}
    out, saved = kc.conv2d.forward(np, [x, W, b], at)
    g = rng.normal(size=out.shape)
    full = kc.conv2d.vjp(np, saved, g, at)
    part = kc.conv2d.partial(np, saved, g, at, need)
    for wanted, f, p in zip(need, full, part):
        assert (p is None) if not wanted else np.array_equal(f, p)


@pytest.mark.parametrize(("k", "stride"), [(2, 2), (3, 1), (2, 3)])
def test_pooling_on_batch_last_inputs_matches_torch(k: int, stride: int) -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 8, 8, 2)).transpose(3, 0, 1, 2)  # (N, C, H, W) stored batch-last
    for op, fn in (("max_pool2d", F.max_pool2d), ("avg_pool2d", F.avg_pool2d)):
        torch_check(op, [x], {"kernel_size": k, "stride": stride}, lambda t: fn(t, k, stride))


def test_max_pooling_ties_in_overlapping_windows_go_to_the_first_maximum() -> None:
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 1:3, 1:3] = 1.0  # every 3×3 window holds the same maximum four times
    torch_check("max_pool2d", [x], {"kernel_size": 3, "stride": 1}, lambda t: F.max_pool2d(t, 3, 1))


def test_a_lenet_chain_matches_torch_end_to_end() -> None:
    """conv → relu → pool → conv → relu → pool → flatten: each kernel reading the previous one's batch-last
    output, forward and every gradient against torch.autograd."""
    rng = np.random.default_rng(8)
    x = rng.normal(size=(5, 1, 16, 16))
    K1, c1, K2, c2 = (rng.normal(size=s) for s in ((3, 1, 5, 5), (3,), (4, 3, 3, 3), (4,)))
    conv, pool = {"stride": 1, "padding": 0}, {"kernel_size": 2, "stride": 2}
    a1, s1 = kc.conv2d.forward(np, [x, K1, c1], conv)
    r1 = np.maximum(a1, 0)
    p1, sp1 = kp.max_pool2d.forward(np, [r1], pool)
    a2, s2 = kc.conv2d.forward(np, [p1, K2, c2], {"stride": 1, "padding": 1})
    p2, sp2 = kp.max_pool2d.forward(np, [np.maximum(a2, 0)], pool)
    flat, sf = kp.flatten.forward(np, [p2], {})
    g = rng.normal(size=flat.shape)
    (gp2,) = kp.flatten.vjp(np, sf, g, {})
    (ga2,) = kp.max_pool2d.vjp(np, sp2, gp2, pool)
    gp1, gK2, gc2 = kc.conv2d.vjp(np, s2, ga2 * (a2 > 0), {"stride": 1, "padding": 1})
    (gr1,) = kp.max_pool2d.vjp(np, sp1, gp1, pool)
    _, gK1, gc1 = kc.conv2d.partial(np, s1, gr1 * (a1 > 0), conv, (False, True, True))

    t = [torch.tensor(v, requires_grad=True) for v in (K1, c1, K2, c2)]
    h = F.max_pool2d(F.relu(F.conv2d(torch.tensor(x), t[0], t[1])), 2)
    out = torch.flatten(F.max_pool2d(F.relu(F.conv2d(h, t[2], t[3], padding=1)), 2), 1)
    out.backward(torch.tensor(g))
    np.testing.assert_allclose(flat, out.detach().numpy(), rtol=1e-10, atol=1e-12)
    for mine, ref in zip((gK1, gc1, gK2, gc2), t):
        np.testing.assert_allclose(mine, ref.grad.numpy(), rtol=1e-10, atol=1e-12)
