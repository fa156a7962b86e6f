"""zero_state, the h₀ = 0 of an unrolled recurrent layer: PyTorch's own starting state (a cell or a module run
without hx gives what it gives from our state), shaped from x's batch size alone, x's gradient exactly zero
(finite differences agree), float32 kept, the partial vjp equal to the full one."""
from __future__ import annotations

import numpy as np
import pytest

from graphapp.core.ops import REGISTRY
from tests.kernels._cases import Case, attrs_for, run
from tests.kernels._recurrent_cases import CELLS, SEQUENCES, kind_of, torch_module
from tests.kernels.test_gradcheck import check_case

torch = pytest.importorskip("torch", reason="PyTorch is the test-only oracle; install torch==2.13.0")
KERNEL = REGISTRY["zero_state"].kernel


@pytest.mark.parametrize("op", [*CELLS, *SEQUENCES])
@pytest.mark.parametrize("n", [1, 3, 17])
def test_torch_without_hx_is_torch_from_our_state(op: str, n: int) -> None:
    kind = kind_of(op)
    x = np.random.default_rng(n).normal(size=(n, 4, 2) if op in SEQUENCES else (n, 2))
    state, _ = run("zero_state", [x], attrs_for("zero_state", hidden=3, cell=kind == "lstm"))
    assert state.shape == ((n, 2, 3) if kind == "lstm" else (n, 3)) and not state.any()
    module = torch_module(op, 2, 3)
    tx, ts = torch.tensor(x), torch.tensor(state)
    if op in SEQUENCES:  # a module's hx has a layer axis first
        hx = (ts[None, :, 0].contiguous(), ts[None, :, 1].contiguous()) if kind == "lstm" else ts[None]
    else:
        hx = (ts[:, 0], ts[:, 1]) if kind == "lstm" else ts
    with torch.no_grad():
        alone, given = module(tx), module(tx, hx)
    assert len(leaves(alone)) == len(leaves(given)) >= 1
    assert all(torch.equal(a, b) for a, b in zip(leaves(alone), leaves(given)))


def leaves(out: object) -> list:
    """A module's tensors: an output, (output, h_n) or (output, (h_n, c_n))."""
    return [out] if isinstance(out, torch.Tensor) else [t for part in out for t in leaves(part)]


@pytest.mark.parametrize("cell", [False, True])
def test_only_the_batch_size_of_x_is_read(cell: bool) -> None:
    attrs = attrs_for("zero_state", hidden=2, cell=cell)
    a, _ = run("zero_state", [np.full((5, 7, 3), 9.0)], attrs)
    b, _ = run("zero_state", [np.zeros((5,))], attrs)
    np.testing.assert_array_equal(a, b)
    assert a.shape == ((5, 2, 2) if cell else (5, 2))
    g = np.random.default_rng(0).normal(size=a.shape)
    check_case("zero_state", Case([np.random.default_rng(1).normal(size=(5, 7, 3))], attrs, zero_grad=(0,)), g)


def test_float32_stays_float32_and_partial_gives_what_is_wanted() -> None:
    attrs = attrs_for("zero_state", hidden=4)
    out, saved = KERNEL.forward(np, [np.ones((3, 2, 5), dtype=np.float32)], attrs)
    g = np.ones(out.shape, dtype=np.float32)
    (gx,) = KERNEL.vjp(np, saved, g, attrs)
    assert out.dtype == gx.dtype == np.float32 and gx.shape == (3, 2, 5)
    assert KERNEL.partial(np, saved, g, attrs, (False,)) == [None]
    np.testing.assert_array_equal(KERNEL.partial(np, saved, g, attrs, (True,))[0], gx)
