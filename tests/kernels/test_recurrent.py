"""The recurrent kernels against PyTorch's own modules at fixed sizes (the generic suites draw small
cases by hypothesis): every cell and sequence op, forward and every gradient, to 1e-12 in float64.

Also relu's finite differences on inputs kept off the kink, the unrolling ops on numbers one can read,
float32 kept float32, and the partial vjp equal to the full one bit for bit.
"""
from __future__ import annotations

import numpy as np
import pytest

from graphapp.core.ops import REGISTRY
from kernels import recurrent as kr
from tests.kernels._cases import Case, run
from tests.kernels._recurrent_cases import CELLS, SEQUENCES, kind_of, shapes, torch_module, torch_params
from tests.kernels.test_gradcheck import check_case

torch = pytest.importorskip("torch", reason="PyTorch is the test-only oracle; install torch==2.13.0")
TOL = {"rtol": 1e-12, "atol": 1e-12}


def random_inputs(op: str, n: int, t: int, f: int, h: int, seed: int = 0, scale: float = 0.6) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(size=s) * scale for s in shapes(op, n, t, f, h)]


def torch_run(op: str, inputs: list[np.ndarray], attrs: dict, g: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """PyTorch's module (nn.RNNCell, nn.LSTM, ...) with our weights as its parameters (transposed; RNN and LSTM
    get our bias as b_ih and b_hh = 0), run on leaf tensors: its output and the gradients of our inputs."""
    kind = kind_of(op)
    ts = [torch.tensor(a, requires_grad=True) for a in inputs]
    x = ts[0]
    weights = ts[1:] if op in SEQUENCES else ts[2:]
    wx, wh, bx, *bh = weights
    module = torch_module(op, x.shape[-1], wh.shape[0], attrs.get("nonlinearity", "tanh"))
    with torch.no_grad():  # the module's own parameters, set to ours, and the gradients taken from them
        for name, value in torch_params(op, wx, wh, bx, bh[0] if bh else None).items():
            getattr(module, name).copy_(value)
    if op in SEQUENCES:
        out, _ = module(x)
        out = out if attrs["sequences"] else out[:, -1]
    elif kind == "lstm":
        s = ts[1]
        out = torch.stack(module(x, (s[:, 0], s[:, 1])), dim=1)
    else:
        out = module(x, ts[1])
    out.backward(torch.tensor(g))
    suffix = "" if op in CELLS else "_l0"
    grads = [x.grad.numpy()] + ([] if op in SEQUENCES else [ts[1].grad.numpy()])
    grads += [getattr(module, f"weight_ih{suffix}").grad.numpy().T, getattr(module, f"weight_hh{suffix}").grad.numpy().T]
    b_ih, b_hh = getattr(module, f"bias_ih{suffix}").grad.numpy(), getattr(module, f"bias_hh{suffix}").grad.numpy()
    grads += [b_ih, b_hh] if kind == "gru" else [b_ih]
    if kind != "gru":  # torch's two biases are summed: the same gradient, and ours equals it
        np.testing.assert_allclose(b_ih, b_hh, **TOL)
    return out.detach().numpy(), grads


def compare(op: str, inputs: list[np.ndarray], attrs: dict, seed: int = 1) -> None:
    out, _ = run(op, inputs, attrs)
    g = np.random.default_rng(seed).normal(size=out.shape)
    out, grads = run(op, inputs, attrs, g)
    t_out, t_grads = torch_run(op, inputs, attrs, g)
    np.testing.assert_allclose(out, t_out, **TOL, err_msg=f"{op}: forward")
    assert len(grads) == len(t_grads) == len(REGISTRY[op].inputs)
    for port, grad, t_grad in zip(REGISTRY[op].inputs, grads, t_grads):
        np.testing.assert_allclose(grad, t_grad, **TOL, err_msg=f"{op}: d/d{port}")


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_cell_matches_torch(nonlinearity: str) -> None:
    compare("rnn_cell", random_inputs("rnn_cell", 4, 1, 3, 5), {"nonlinearity": nonlinearity})


@pytest.mark.parametrize("op", ["lstm_cell", "gru_cell"])
def test_lstm_and_gru_cells_match_torch(op: str) -> None:
    compare(op, random_inputs(op, 4, 1, 3, 5, scale=1.0), {})


@pytest.mark.parametrize("sequences", [False, True])
@pytest.mark.parametrize(("op", "nonlinearity"), [("rnn", "tanh"), ("rnn", "relu"), ("lstm", None), ("gru", None)])
def test_sequences_match_torch(op: str, nonlinearity: str | None, sequences: bool) -> None:
    """7 steps of 5 features (the stock lab's windows), hidden 6, batch 4."""
    attrs = {"sequences": sequences, **({"nonlinearity": nonlinearity} if nonlinearity else {})}
    compare(op, random_inputs(op, 4, 7, 5, 6, seed=2, scale=0.5), attrs)


def test_one_step_sequence_is_the_cell_from_zero() -> None:
    for kind in SEQUENCES:
        x, *weights = random_inputs(kind, 3, 1, 2, 4, seed=3)
        zero = np.zeros((3, 2, 4) if kind == "lstm" else (3, 4))
        cell, _ = run(f"{kind}_cell", [x[:, 0], zero, *weights], {})
        seq, _ = run(kind, [x, *weights], {"sequences": False})
        np.testing.assert_array_equal(seq, cell[:, 0] if kind == "lstm" else cell)


def test_relu_rnn_finite_differences_off_the_kink() -> None:
    """relu's derivative is a step: inputs whose pre-activations all stay 0.05 away from 0."""
    for op in ("rnn_cell", "rnn"):
        for seed in range(100):
            inputs = random_inputs(op, 2, 3, 2, 3, seed=seed, scale=1.0)
            x, wx, wh, b = (inputs[0], *inputs[1:]) if op == "rnn" else (inputs[0][:, None], *inputs[2:])
            h = inputs[1] if op == "rnn_cell" else np.zeros((2, 3))
            pre = []
            for t in range(x.shape[1]):
                a = x[:, t] @ wx + h @ wh + b
                pre.append(a)
                h = np.maximum(a, 0.0)
            if min(np.abs(a).min() for a in pre) > 0.05 and any((a > 0).any() for a in pre):
                break
        else:
            pytest.fail("no draw off the kink")
        attrs = {"nonlinearity": "relu", **({"sequences": True} if op == "rnn" else {})}
        g = np.random.default_rng(seed).normal(size=run(op, inputs, attrs)[0].shape)
        check_case(op, Case(inputs, attrs), g)


def test_select_and_append_on_readable_numbers() -> None:
    s = np.array([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]])  # an LSTM state (N=2, 2, H=2)
    h, (gs,) = run("select", [s], {"axis": 1, "index": 0}, np.array([[10.0, 20.0], [30.0, 40.0]]))
    assert h.tolist() == [[1.0, 2.0], [5.0, 6.0]]
    assert gs.tolist() == [[[10.0, 20.0], [0.0, 0.0]], [[30.0, 40.0], [0.0, 0.0]]]
    c, _ = run("select", [s], {"axis": -2, "index": -1})
    assert c.tolist() == [[3.0, 4.0], [7.0, 8.0]]
    h1, h2, h3 = (np.full((2, 2), v) for v in (1.0, 2.0, 3.0))
    seq, (g1, g2) = run("append", [h1, h2], {}, np.arange(8.0).reshape(2, 2, 2))
    assert seq.shape == (2, 2, 2) and seq[:, 0].tolist() == h1.tolist() and seq[:, 1].tolist() == h2.tolist()
    assert g1.tolist() == [[0.0, 1.0], [4.0, 5.0]] and g2.tolist() == [[2.0, 3.0], [6.0, 7.0]]
    seq3, (gseq, gh) = run("append", [seq, h3], {}, np.arange(12.0).reshape(2, 3, 2))
    assert seq3[:, 2].tolist() == h3.tolist() and gseq.shape == (2, 2, 2) and gh.tolist() == [[4.0, 5.0], [10.0, 11.0]]


@pytest.mark.parametrize("op", [*CELLS, *SEQUENCES])
def test_float32_stays_float32(op: str) -> None:
    inputs = [a.astype(np.float32) for a in random_inputs(op, 2, 3, 2, 3)]
    attrs = {**REGISTRY[op].default_attrs(), **({"sequences": True} if op in SEQUENCES else {})}
    kernel = REGISTRY[op].kernel
    out, saved = kernel.forward(np, inputs, attrs)
    grads = kernel.vjp(np, saved, np.ones(out.shape, dtype=np.float32), attrs)
    assert out.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)
    wide, _ = run(op, [a.astype(np.float64) for a in inputs], attrs)
    np.testing.assert_allclose(out, wide, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("op", [*CELLS, *SEQUENCES])
def test_partial_gives_the_wanted_gradients_bit_for_bit(op: str) -> None:
    kernel = REGISTRY[op].kernel
    inputs = random_inputs(op, 2, 3, 2, 3, seed=5)
    attrs = {**REGISTRY[op].default_attrs(), **({"sequences": True} if op in SEQUENCES else {})}
    out, saved = kernel.forward(np, inputs, attrs)
    g = np.random.default_rng(6).normal(size=out.shape)
    full = kernel.vjp(np, saved, g, attrs)
    weights_only = tuple(i > (0 if op in SEQUENCES else 1) for i in range(len(inputs)))
    part = kernel.partial(np, saved, g, attrs, weights_only)
    for i, (a, b) in enumerate(zip(full, part)):
        assert (b is None) == (not weights_only[i])
        if b is not None:
            np.testing.assert_array_equal(a, b)


def test_gates_are_in_torch_order() -> None:
    """With W_h = 0 and x = 0, the bias alone sets each gate: LSTM i, f, g, o as torch orders them, so a
    bias that opens only the forget gate keeps c, and one that opens only the output gate shows tanh(c)."""
    h, big = 2, 40.0
    s = np.array([[[0.3, -0.2], [0.5, 0.7]]])  # h, c
    zero_x, wx, wh = np.zeros((1, 1)), np.zeros((1, 4 * h)), np.zeros((h, 4 * h))
    bias = np.full(4 * h, -big)
    bias[h:2 * h] = big  # f open, i and o shut
    out, _ = run("lstm_cell", [zero_x, s, wx, wh, bias], {})
    np.testing.assert_allclose(out[0, 1], s[0, 1], atol=1e-15)
    np.testing.assert_allclose(out[0, 0], 0.0, atol=1e-15)
    assert kr.GATES == {"rnn": 1, "lstm": 4, "gru": 3}
