"""Recurrent layers over `xp`: RNN (tanh or relu), LSTM and GRU cells and sequences, and the two shape
ops that unroll them (select a time step, append one).

Weights follow the app's x·W convention: W_x (F, k·H) and W_h (H, k·H) hold the k gate blocks side by
side in PyTorch's order (LSTM i, f, g, o; GRU r, z, n), so W_x is torch's weight_ih transposed.

One engine serves cells and sequences. Inside it time comes first, (T, N, ·), so each step reads and
writes whole contiguous blocks. The input's share of every gate at every step is one matrix product
before the loop (bias included); a step adds h·W_h and does its elementwise work on one (N, k·H) array.
Backward (backprop through time) walks the steps in reverse with one product per step for the state's
gradient, collecting every step's gate gradients in one (T, N, k·H) array, so that dW_x, dW_h, db and dx
are again one product (or sum) each after the loop. A cell is the engine at T = 1 from a given state; a
sequence node starts from zeros.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from kernels.activations import stable_sigmoid
from kernels.base import Array, Attrs, Kernel

GATES = {"rnn": 1, "lstm": 4, "gru": 3}  # k: gate blocks per hidden unit


@dataclass(frozen=True)
class Tape:
    """What backward needs from a forward run: inputs (time-major x) and every step's activations."""

    kind: str
    x: Array  # (T, N, F)
    wx: Array
    wh: Array
    h0: Array  # (N, H)
    hs: Array  # (T, N, H), every step's h
    acts: Any = None  # per kind: rnn relu flag; lstm (gates, cells, tanh(cells), c0); gru (r|z, n, h·W_hn + b_hn)


# ---- forward: one step loop per cell kind --------------------------------------------------------

def _rnn_steps(xp: ModuleType, xw: Array, h: Array, wh: Array, relu: bool) -> Array:
    hs = xp.empty(xw.shape, dtype=xw.dtype)
    for t in range(xw.shape[0]):
        a = h @ wh
        a += xw[t]
        h = xp.maximum(a, 0.0, out=hs[t]) if relu else xp.tanh(a, out=hs[t])
    return hs


def _lstm_steps(xp: ModuleType, xw: Array, h: Array, c: Array, wh: Array) -> tuple[Array, ...]:
    t_steps, n, h4 = xw.shape
    hh = h4 // 4
    gates = xp.empty(xw.shape, dtype=xw.dtype)  # activated i, f, g, o
    cs, tcs, hs = (xp.empty((t_steps, n, hh), dtype=xw.dtype) for _ in range(3))
    for t in range(t_steps):
        a = xw[t] + h @ wh
        gate = gates[t]
        gate[...] = stable_sigmoid(xp, a)  # i, f, o; g is overwritten by its tanh next
        xp.tanh(a[:, 2 * hh:3 * hh], out=gate[:, 2 * hh:3 * hh])
        c = gate[:, hh:2 * hh] * c + gate[:, :hh] * gate[:, 2 * hh:3 * hh]
        cs[t] = c
        tc = xp.tanh(c, out=tcs[t])
        h = xp.multiply(gate[:, 3 * hh:], tc, out=hs[t])
    return hs, gates, cs, tcs


def _gru_steps(xp: ModuleType, xw: Array, h: Array, wh: Array, bh: Array) -> tuple[Array, ...]:
    t_steps, n, h3 = xw.shape
    hh = h3 // 3
    rzs = xp.empty((t_steps, n, 2 * hh), dtype=xw.dtype)
    ns, ghn, hs = (xp.empty((t_steps, n, hh), dtype=xw.dtype) for _ in range(3))
    for t in range(t_steps):
        gh = h @ wh + bh
        rz = rzs[t]
        rz[...] = stable_sigmoid(xp, xw[t, :, :2 * hh] + gh[:, :2 * hh])
        ghn[t] = gh[:, 2 * hh:]
        nt = xp.tanh(xw[t, :, 2 * hh:] + rz[:, :hh] * ghn[t], out=ns[t])
        h = xp.add(nt, rz[:, hh:] * (h - nt), out=hs[t])  # (1 − z)·n + z·h
    return hs, rzs, ns, ghn


def run(xp: ModuleType, kind: str, x: Array, state: tuple[Array, ...], wx: Array, wh: Array, bx: Array,
        bh: Array | None = None, relu: bool = False) -> tuple[Array, tuple[Array, ...], Tape]:
    """x (T, N, F) from `state` ((h,) or, for lstm, (h, c)): every h (T, N, H), the final state, the tape."""
    t_steps, n, f = x.shape
    xw = x.reshape(t_steps * n, f) @ wx
    xw += bx
    xw = xw.reshape(t_steps, n, wx.shape[1])
    h0 = state[0]
    if kind == "rnn":
        hs = _rnn_steps(xp, xw, h0, wh, relu)
        return hs, (hs[-1],), Tape(kind, x, wx, wh, h0, hs, relu)
    if kind == "lstm":
        hs, gates, cs, tcs = _lstm_steps(xp, xw, h0, state[1], wh)
        return hs, (hs[-1], cs[-1]), Tape(kind, x, wx, wh, h0, hs, (gates, cs, tcs, state[1]))
    hs, rzs, ns, ghn = _gru_steps(xp, xw, h0, wh, bh)
    return hs, (hs[-1],), Tape(kind, x, wx, wh, h0, hs, (rzs, ns, ghn))


# ---- backward through time -----------------------------------------------------------------------

def _add(a: Array | None, b: Array | None) -> Array | None:
    return b if a is None else a if b is None else a + b


def _rnn_back(xp: ModuleType, tape: Tape, dhs: Array | None, dh: Array | None) -> tuple[Array, Array, tuple]:
    hs, wht = tape.hs, tape.wh.T
    deriv = (hs > 0).astype(hs.dtype) if tape.acts else 1.0 - hs * hs  # the activation's slope, every step at once
    dg = xp.empty(hs.shape, dtype=hs.dtype)
    for t in reversed(range(hs.shape[0])):
        dh = _add(dh, None if dhs is None else dhs[t])
        xp.multiply(dh, deriv[t], out=dg[t])
        dh = dg[t] @ wht
    return dg, dg, (dh,)


def _lstm_back(xp: ModuleType, tape: Tape, dhs: Array | None, dh: Array | None,
               dc: Array | None) -> tuple[Array, Array, tuple]:
    gates, cs, tcs, c0 = tape.acts
    hh, wht = cs.shape[2], tape.wh.T
    # The gates' slopes, every step at once: σ(1 − σ) for i, f, o and 1 − tanh² for g.
    slope = gates * (1.0 - gates)
    slope[:, :, 2 * hh:3 * hh] = 1.0 - gates[:, :, 2 * hh:3 * hh] ** 2
    dg = xp.empty(gates.shape, dtype=gates.dtype)
    up = xp.empty(gates.shape[1:], dtype=gates.dtype)  # ∂L/∂(activated gate) of one step
    for t in reversed(range(gates.shape[0])):
        dh = _add(dh, None if dhs is None else dhs[t])
        g = gates[t]  # dh is never None: a cell's output, the last h or every h carries a gradient
        dc = _add(dc, dh * g[:, 3 * hh:] * (1.0 - tcs[t] * tcs[t]))
        xp.multiply(dh, tcs[t], out=up[:, 3 * hh:])
        xp.multiply(dc, g[:, 2 * hh:3 * hh], out=up[:, :hh])
        xp.multiply(dc, cs[t - 1] if t else c0, out=up[:, hh:2 * hh])
        xp.multiply(dc, g[:, :hh], out=up[:, 2 * hh:3 * hh])
        xp.multiply(up, slope[t], out=dg[t])
        dc = dc * g[:, hh:2 * hh]
        dh = dg[t] @ wht
    return dg, dg, (dh, dc)


def _gru_back(xp: ModuleType, tape: Tape, dhs: Array | None, dh: Array | None) -> tuple[Array, Array, tuple]:
    rzs, ns, ghn = tape.acts
    hs, wht = tape.hs, tape.wh.T
    hh = ns.shape[2]
    slope_rz = rzs * (1.0 - rzs)
    slope_n = 1.0 - ns * ns
    dgx = xp.empty((hs.shape[0], hs.shape[1], 3 * hh), dtype=hs.dtype)
    dgh = xp.empty(dgx.shape, dtype=hs.dtype)
    for t in reversed(range(hs.shape[0])):
        dh = _add(dh, None if dhs is None else dhs[t])
        r, z = rzs[t, :, :hh], rzs[t, :, hh:]
        h_prev = hs[t - 1] if t else tape.h0
        dn = xp.multiply(dh * (1.0 - z), slope_n[t], out=dgx[t, :, 2 * hh:])  # ∂L/∂(pre-activation of n)
        dgx[t, :, :hh] = dn * ghn[t]  # ∂L/∂r, made ∂L/∂(pre-activation) with the slope below
        dgx[t, :, hh:2 * hh] = dh * (h_prev - ns[t])  # ∂L/∂z
        dgx[t, :, :2 * hh] *= slope_rz[t]
        dgh[t, :, :2 * hh] = dgx[t, :, :2 * hh]
        xp.multiply(dn, r, out=dgh[t, :, 2 * hh:])
        dh = dh * z + dgh[t] @ wht
    return dgx, dgh, (dh,)


def back(xp: ModuleType, tape: Tape, dhs: Array | None, dfinal: tuple[Array | None, ...],
         need: tuple[bool, bool, bool, bool, bool, bool]) -> tuple[Array | None, ...]:
    """Gradients (dx (T, N, F), dstate (tuple), dW_x, dW_h, db_x, db_h) from the gradients of every h
    (dhs (T, N, H), or None) and of the final state; None where `need` (same order) is False."""
    if tape.kind == "rnn":
        dgx, dgh, dstate = _rnn_back(xp, tape, dhs, dfinal[0])
    elif tape.kind == "lstm":
        dgx, dgh, dstate = _lstm_back(xp, tape, dhs, *dfinal)
    else:
        dgx, dgh, dstate = _gru_back(xp, tape, dhs, dfinal[0])
    t_steps, n, f = tape.x.shape
    gx2, gh2 = dgx.reshape(t_steps * n, -1), dgh.reshape(t_steps * n, -1)
    dx = (gx2 @ tape.wx.T).reshape(t_steps, n, f) if need[0] else None
    dwx = tape.x.reshape(t_steps * n, f).T @ gx2 if need[2] else None
    dwh = None
    if need[3]:  # Σ_t h_{t−1}ᵀ·G_t: h₀ᵀ·G₁, plus every later step's in one product
        hh = tape.hs.shape[2]
        dwh = tape.h0.T @ dgh[0]
        if t_steps > 1:
            dwh += tape.hs[:-1].reshape((t_steps - 1) * n, hh).T @ gh2[n:]
    dbx = gx2.sum(axis=0) if need[4] else None
    dbh = gh2.sum(axis=0) if need[5] else None
    return dx, dstate if need[1] else None, dwx, dwh, dbx, dbh


# ---- the kernels: cells -------------------------------------------------------------------------

def _relu(at: Attrs) -> bool:
    return at.get("nonlinearity", "tanh") == "relu"


def _cell_fwd(kind: str):  # noqa: ANN202
    def forward(xp: ModuleType, ins: Any, at: Attrs) -> tuple[Array, Any]:
        x, s, wx, wh, *b = ins
        state = (s[:, 0], s[:, 1]) if kind == "lstm" else (s,)
        _, final, tape = run(xp, kind, x[None], state, wx, wh, b[0], b[1] if kind == "gru" else None, _relu(at))
        out = xp.stack(final, axis=1) if kind == "lstm" else final[0]
        return out, (tape, s.shape)
    return forward


def _cell_partial(kind: str):  # noqa: ANN202
    def partial(xp: ModuleType, saved: Any, g: Array, at: Attrs, need: tuple[bool, ...]) -> list[Array | None]:
        tape, s_shape = saved
        dfinal = (g[:, 0], g[:, 1]) if kind == "lstm" else (g,)
        has_bh = kind == "gru"
        dx, ds, dwx, dwh, dbx, dbh = back(xp, tape, None, dfinal,
                                          (need[0], need[1], need[2], need[3], need[4], has_bh and need[5]))
        if ds is not None:
            ds = xp.stack(ds, axis=1) if kind == "lstm" else ds[0]
        grads = [None if dx is None else dx[0], ds, dwx, dwh, dbx]
        return grads + [dbh] if has_bh else grads
    return partial


def _seq_fwd(kind: str):  # noqa: ANN202
    def forward(xp: ModuleType, ins: Any, at: Attrs) -> tuple[Array, Any]:
        x, wx, wh, *b = ins
        zero = xp.zeros((x.shape[0], wh.shape[0]), dtype=x.dtype)
        state = (zero, zero) if kind == "lstm" else (zero,)
        x_tm = xp.ascontiguousarray(x.transpose(1, 0, 2))
        hs, final, tape = run(xp, kind, x_tm, state, wx, wh, b[0], b[1] if kind == "gru" else None, _relu(at))
        out = xp.ascontiguousarray(hs.transpose(1, 0, 2)) if at.get("sequences") else final[0]
        return out, tape
    return forward


def _seq_partial(kind: str):  # noqa: ANN202
    def partial(xp: ModuleType, tape: Tape, g: Array, at: Attrs, need: tuple[bool, ...]) -> list[Array | None]:
        many = bool(at.get("sequences"))
        dhs = g.transpose(1, 0, 2) if many else None
        dfinal = (None, None) if many else (g, None)
        has_bh = kind == "gru"
        dx, _, dwx, dwh, dbx, dbh = back(xp, tape, dhs, dfinal,
                                         (need[0], False, need[1], need[2], need[3], has_bh and need[4]))
        grads = [None if dx is None else xp.ascontiguousarray(dx.transpose(1, 0, 2)), dwx, dwh, dbx]
        return grads + [dbh] if has_bh else grads
    return partial


def _all(partial):  # noqa: ANN001, ANN202
    """The full vjp of a kernel given its partial one: every input's gradient."""
    def vjp(xp: ModuleType, saved: Any, g: Array, at: Attrs) -> list[Array]:
        return partial(xp, saved, g, at, (True,) * 6)
    return vjp


def _kernel(fwd, partial) -> Kernel:  # noqa: ANN001
    return Kernel(fwd, _all(partial), partial=partial)


rnn_cell = _kernel(_cell_fwd("rnn"), _cell_partial("rnn"))
lstm_cell = _kernel(_cell_fwd("lstm"), _cell_partial("lstm"))
gru_cell = _kernel(_cell_fwd("gru"), _cell_partial("gru"))
rnn = _kernel(_seq_fwd("rnn"), _seq_partial("rnn"))
lstm = _kernel(_seq_fwd("lstm"), _seq_partial("lstm"))
gru = _kernel(_seq_fwd("gru"), _seq_partial("gru"))


# ---- unrolling: take one step, append one -------------------------------------------------------

def _select_key(ndim: int, at: Attrs, size: int) -> tuple:
    axis = at["axis"] % ndim
    return (slice(None),) * axis + (at["index"] % size,)


def _select_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    x = ins[0]
    key = _select_key(x.ndim, at, x.shape[at["axis"] % x.ndim])
    return xp.array(x[key]), (x.shape, key)  # a copy (a 0-d one for a vector), not a view of x


def _select_vjp(xp, saved, g, at):  # noqa: ANN001, ANN202
    shape, key = saved
    gx = xp.zeros(shape, dtype=g.dtype)
    gx[key] = g
    return (gx,)


def _append_fwd(xp, ins, at):  # noqa: ANN001, ANN202
    seq, h = ins
    first = seq.ndim == 2  # the first step, (N, H): it becomes step 0 of the sequence
    return xp.concatenate([seq[:, None] if first else seq, h[:, None]], axis=1), first


def _append_vjp(xp, first, g, at):  # noqa: ANN001, ANN202
    gseq = g[:, 0] if first else g[:, :-1]
    return xp.ascontiguousarray(gseq), xp.ascontiguousarray(g[:, -1])


select = Kernel(_select_fwd, _select_vjp)
append = Kernel(_append_fwd, _append_vjp)
