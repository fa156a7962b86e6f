"""Hypothesis cases and PyTorch references of the recurrent ops, for the generic suites (test_gradcheck,
test_torch_oracle) and tests/kernels/test_recurrent.py.

Cells and sequences are drawn small (N ≤ 2, T ≤ 3, F ≤ 2, H ≤ 3) with tanh: finite differences need a
smooth function, and relu's kink is checked on chosen inputs in test_recurrent.py instead.
PyTorch runs its own nn.RNNCell/LSTMCell/GRUCell and nn.RNN/LSTM/GRU modules with our weights
transposed (torch.func.functional_call), so the gradients reach our W_x and W_h through the transpose.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from kernels.recurrent import GATES

F64 = np.float64
ELEMENTS = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)
CELLS = ("rnn_cell", "lstm_cell", "gru_cell")
SEQUENCES = ("rnn", "lstm", "gru")


def kind_of(op: str) -> str:
    return op.removesuffix("_cell")


def shapes(op: str, n: int, t: int, f: int, h: int) -> list[tuple[int, ...]]:
    """Input shapes of `op`, port by port."""
    kind = kind_of(op)
    kh = GATES[kind] * h
    weights = [(f, kh), (h, kh), (kh,)] + ([(kh,)] if kind == "gru" else [])
    if op in SEQUENCES:
        return [(n, t, f), *weights]
    return [(n, f), (n, 2, h) if kind == "lstm" else (n, h), *weights]


@st.composite
def recurrent_case(draw: Callable, op: str) -> Any:
    from tests.kernels._cases import Case, attrs_for  # noqa: PLC0415 - _cases imports this module

    n, t, f, h = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(1, 3))
    inputs = [draw(hnp.arrays(F64, s, elements=ELEMENTS)) for s in shapes(op, n, t, f, h)]
    attrs = attrs_for(op)
    if op in SEQUENCES:
        attrs["sequences"] = draw(st.booleans())
    return Case(inputs, attrs)


@st.composite
def select_case(draw: Callable) -> Any:
    from tests.kernels._cases import ANY, SHAPES_ND, Case, arr, attrs_for  # noqa: PLC0415

    shape = draw(SHAPES_ND)
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    index = draw(st.integers(-shape[axis], shape[axis] - 1))
    return Case([draw(arr(shape, ANY))], attrs_for("select", axis=axis, index=index))


@st.composite
def append_case(draw: Callable) -> Any:
    from tests.kernels._cases import ANY, Case, arr, attrs_for  # noqa: PLC0415

    n, t, h = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    seq = (n, h) if draw(st.booleans()) else (n, t, h)
    return Case([draw(arr(seq, ANY)), draw(arr((n, h), ANY))], attrs_for("append"))


@st.composite
def zero_state_case(draw: Callable) -> Any:
    """Any x with a batch axis (a sequence, a row, a vector); its values are never read: an exactly zero gradient."""
    from tests.kernels._cases import ANY, SHAPES_ND, Case, arr, attrs_for  # noqa: PLC0415

    attrs = attrs_for("zero_state", hidden=draw(st.integers(1, 4)), cell=draw(st.booleans()))
    return Case([draw(arr(draw(SHAPES_ND), ANY))], attrs, zero_grad=(0,))


STRATEGIES: dict[str, Callable[[], Any]] = {
    **{op: (lambda op=op: recurrent_case(op)) for op in (*CELLS, *SEQUENCES)},
    "select": select_case, "append": append_case, "zero_state": zero_state_case,
}


# ---- PyTorch ----------------------------------------------------------------------------------------

def torch_module(op: str, f: int, h: int, nonlinearity: str = "tanh") -> Any:
    import torch  # noqa: PLC0415

    kind, name = kind_of(op), {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}[kind_of(op)]
    kwargs = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
    if op in CELLS:
        return getattr(torch.nn, f"{name}Cell")(f, h, dtype=torch.float64, **kwargs)
    return getattr(torch.nn, name)(f, h, batch_first=True, dtype=torch.float64, **kwargs)


def torch_params(op: str, wx: Any, wh: Any, bx: Any, bh: Any | None) -> dict[str, Any]:
    """Our weights as the module's parameters: transposed, and for RNN/LSTM our one bias as b_ih (b_hh = 0)."""
    import torch  # noqa: PLC0415

    suffix = "" if op in CELLS else "_l0"
    return {f"weight_ih{suffix}": wx.T, f"weight_hh{suffix}": wh.T, f"bias_ih{suffix}": bx,
            f"bias_hh{suffix}": torch.zeros_like(bx) if bh is None else bh}


def torch_recurrent(op: str) -> Callable[..., Any]:
    """The PyTorch reference of a cell or sequence op: f(*tensors, attrs) -> tensor."""
    def ref(*args: Any) -> Any:
        import torch  # noqa: PLC0415
        from torch.func import functional_call  # noqa: PLC0415

        *ts, at = args
        kind = kind_of(op)
        x, rest = ts[0], ts[1:]
        if op in CELLS:
            s, wx, wh, *b = rest
        else:
            wx, wh, *b = rest
        h = wh.shape[0]
        module = torch_module(op, x.shape[-1], h, at.get("nonlinearity", "tanh"))
        params = torch_params(op, wx, wh, b[0], b[1] if kind == "gru" else None)
        if op in SEQUENCES:
            out, _ = functional_call(module, params, (x,))
            return out if at["sequences"] else out[:, -1]
        if kind == "lstm":
            return torch.stack(functional_call(module, params, (x, (s[:, 0], s[:, 1]))), dim=1)
        return functional_call(module, params, (x, s))
    return ref


def _torch_append(seq: Any, h: Any, at: dict) -> Any:
    import torch  # noqa: PLC0415

    return torch.cat([seq[:, None] if seq.dim() == 2 else seq, h[:, None]], dim=1)


def torch_zero_state(x: Any, at: dict) -> Any:
    """PyTorch's own starting state when a recurrent module gets no hx: zeros (N, H), made apart from x (so x's
    gradient is none, i.e. zero); a leaf that wants a gradient so backward runs."""
    import torch  # noqa: PLC0415

    shape = (x.shape[0], 2, at["hidden"]) if at["cell"] else (x.shape[0], at["hidden"])
    return torch.zeros(shape, dtype=x.dtype, requires_grad=True)


TORCH_REFERENCES: dict[str, Callable[..., Any]] = {
    **{op: torch_recurrent(op) for op in (*CELLS, *SEQUENCES)},
    "select": lambda x, at: x.select(at["axis"], at["index"]),
    "append": _torch_append,
    "zero_state": torch_zero_state,
}
