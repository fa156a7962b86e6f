"""Recurrent layers: RNN, LSTM and GRU cells, the sequence nodes that run them over time, and the two
shape ops that unroll a sequence node into cells (select a time step, append one).

Weights are in the app's x·W convention, the k gate blocks side by side in PyTorch's order:
W_x (F, k·H), W_h (H, k·H), k = 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n). A shape that does not
fit is refused with the sizes it was worked out from (N and F from x, H from W_h).
"""
from __future__ import annotations

from typing import Any, Sequence

from graphapp.core.errors import ShapeError
from graphapp.core.ops.spec import MAX_DIM_SIZE, MAX_DIMS, AttrSpec, OpSpec, Shape, check_axis, fmt_shape
from graphapp.core.values import MAX_ELEMENTS
from kernels import recurrent as k

CELL_KIND = {"rnn_cell": "rnn", "lstm_cell": "lstm", "gru_cell": "gru"}


def _rank(node: str, op: str, port: str, src: str, shape: Shape, want: str, ndim: int, min_t: bool = False) -> None:
    if len(shape) != ndim or (min_t and shape[1] < 1):
        raise ShapeError(f"node '{node}': {op} takes {port} of shape {want}; '{src}' has {fmt_shape(shape)}", node)


def _hidden(node: str, op: str, gates: int, src: str, wh: Shape) -> int:
    """H from W_h (H, k·H), or ShapeError with the arithmetic."""
    _rank(node, op, "W_h", src, wh, f"(H, {gates}·H)", 2)
    if wh[1] != gates * wh[0]:
        raise ShapeError(f"node '{node}': {op} takes W_h of shape (H, {gates}·H); '{src}' has {fmt_shape(wh)}: "
                         f"{gates}·{wh[0]} = {gates * wh[0]}, not {wh[1]}", node)
    return wh[0]


def _check_layer(node: str, op: str, kind: str, ins: Sequence[tuple[str, Shape]], sequence: bool) -> tuple[int, int]:
    """Checks x, the weights, the bias(es) and (cells) the state; returns (N, H)."""
    named = dict(zip(REGISTRY_PORTS[op], ins))
    gates = k.GATES[kind]
    sx, x = named["x"]
    if sequence:
        _rank(node, op, "x", sx, x, "(N, T, F), T ≥ 1", 3, min_t=True)
    else:
        _rank(node, op, "x", sx, x, "(N, F)", 2)
    sw, wh = named["W_h"]
    h = _hidden(node, op, gates, sw, wh)
    n, f = x[0], x[-1]
    wants = {"W_x": ("(F, {k}·H)", (f, gates * h)), "b": ("({k}·H,)", (gates * h,)),
             "b_x": ("({k}·H,)", (gates * h,)), "b_h": ("({k}·H,)", (gates * h,)),
             "h": ("(N, H)", (n, h)), "s": ("(N, 2, H)", (n, 2, h))}
    for port, (src, shape) in named.items():
        if port not in wants:
            continue
        formula, want = wants[port]
        if shape != want:
            raise ShapeError(f"node '{node}': {port} '{src}' has {fmt_shape(shape)}; {op} needs {port} "
                             f"{formula.format(k=gates)} = {fmt_shape(want)} (N = {n}, F = {f} from x '{sx}'; "
                             f"H = {h} from W_h '{sw}')", node)
    return n, h


MAX_STEPS = 100_000  # time steps of one sequence node: each is a Python step forward and back


def _bound_steps(node: str, op: str, gates: int, t: int, n: int, h: int) -> None:
    """Refuse to run a sequence whose steps or whose tape for backprop through time (every step's gates,
    T·N·k·H numbers) would run long or exceed a value's limit, however small its output."""
    if t > MAX_STEPS:
        raise ShapeError(f"node '{node}': {op} runs T = {t:,} time steps; at most {MAX_STEPS:,}", node)
    if t * n * gates * h > MAX_ELEMENTS:
        raise ShapeError(f"node '{node}': {op} keeps T·N·{gates}·H = {t}·{n}·{gates}·{h} = {t * n * gates * h:,} "
                         f"numbers for backprop through time; at most {MAX_ELEMENTS:,}", node)


def _shape_rule(op: str):  # noqa: ANN202
    """The shape rule of one cell or sequence op."""
    kind = CELL_KIND.get(op, op)
    sequence = op not in CELL_KIND

    def infer(node: str, ins: Sequence[tuple[str, Shape]], attrs: dict[str, Any]) -> Shape:
        n, h = _check_layer(node, op, kind, ins, sequence)
        if not sequence:
            return (n, 2, h) if kind == "lstm" else (n, h)
        return (n, ins[0][1][1], h) if attrs.get("sequences") else (n, h)
    return infer


def _sequence_bound(kind: str):  # noqa: ANN202
    def bound(node: str, ins: Sequence[tuple[str, Shape]], out: Shape, attrs: dict[str, Any]) -> None:
        (_, x), *_ = ins  # x (N, T, F); the output ends in H
        _bound_steps(node, kind, k.GATES[kind], x[1], x[0], out[-1])
    return bound


def _select_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (src, x), = ins
    axis, index = check_axis(node, x, attrs["axis"])[0], attrs["index"]
    size = x[axis]
    if not -size <= index < size:
        raise ShapeError(f"node '{node}': index {index} is outside axis {axis} of '{src}' {fmt_shape(x)}, whose "
                         f"{size} entries are 0 to {size - 1} (or −{size} to −1)", node)
    return x[:axis] + x[axis + 1:]


def _append_shape(node, ins, attrs):  # noqa: ANN001, ANN202
    (ss, seq), (sh, h) = ins
    if len(seq) not in (2, 3) or len(h) != 2 or seq[0] != h[0] or seq[-1] != h[-1]:
        raise ShapeError(f"node '{node}': append takes seq (N, t, H) or (N, H) and h (N, H) with the same N and H; "
                         f"got '{ss}' {fmt_shape(seq)} and '{sh}' {fmt_shape(h)}", node)
    return (h[0], 2 if len(seq) == 2 else seq[1] + 1, h[1])


NONLINEARITY = AttrSpec("nonlinearity", "nonlinearity", "tanh", "nonlinearity ('tanh' or 'relu')",
                        "활성화 함수 ('tanh' 또는 'relu')")
SEQUENCES = AttrSpec("sequences", "bool", False, "every step's h (many-to-many)", "모든 시점의 h 출력 (다대다)")
CELL_PORTS = {"rnn": ("x", "h", "W_x", "W_h", "b"), "lstm": ("x", "s", "W_x", "W_h", "b"),
              "gru": ("x", "h", "W_x", "W_h", "b_x", "b_h")}
SEQ_PORTS = {"rnn": ("x", "W_x", "W_h", "b"), "lstm": ("x", "W_x", "W_h", "b"), "gru": ("x", "W_x", "W_h", "b_x", "b_h")}
REGISTRY_PORTS = {**{f"{kind}_cell": ports for kind, ports in CELL_PORTS.items()}, **SEQ_PORTS}
PARAMS_EN = "W_x (F, {k}·H), W_h (H, {k}·H)"
STEP_EN = {"rnn": "h′ = tanh(x·W_x + h·W_h + b) (or relu)",
           "lstm": "gates i, f, g, o = x·W_x + h·W_h + b (σ, σ, tanh, σ); c′ = f⊙c + i⊙g, h′ = o⊙tanh(c′)",
           "gru": "r, z = σ(x·W_x + b_x + h·W_h + b_h); n = tanh(x·W_xn + b_xn + r⊙(h·W_hn + b_hn)); "
                  "h′ = (1 − z)⊙n + z⊙h"}
STEP_KO = {"rnn": "h′ = tanh(x·W_x + h·W_h + b) (또는 relu)",
           "lstm": "게이트 i, f, g, o = x·W_x + h·W_h + b (σ, σ, tanh, σ); c′ = f⊙c + i⊙g, h′ = o⊙tanh(c′)",
           "gru": STEP_EN["gru"]}
CELL_FORMULAS = {
    "rnn": ("∂L/∂x = G·W_xᵀ, G = ∂L/∂h′ ⊙ (1 − h′²)", "∂L/∂h = G·W_hᵀ", "∂L/∂W_x = xᵀ·G", "∂L/∂W_h = hᵀ·G",
            "∂L/∂b = Σ_N G"),
    "lstm": ("∂L/∂x = G·W_xᵀ, G = ∂L/∂(gates before σ, tanh)", "∂L/∂h = G·W_hᵀ, ∂L/∂c = ∂L/∂c′ ⊙ f",
             "∂L/∂W_x = xᵀ·G", "∂L/∂W_h = hᵀ·G", "∂L/∂b = Σ_N G"),
    "gru": ("∂L/∂x = G_x·W_xᵀ", "∂L/∂h = ∂L/∂h′ ⊙ z + G_h·W_hᵀ", "∂L/∂W_x = xᵀ·G_x", "∂L/∂W_h = hᵀ·G_h",
            "∂L/∂b_x = Σ_N G_x", "∂L/∂b_h = Σ_N G_h"),
}
SEQ_FORMULAS = {
    "rnn": ("∂L/∂x_t = G_t·W_xᵀ (BPTT: G_t = (∂L/∂h_t + G_{t+1}·W_hᵀ) ⊙ (1 − h_t²))", "∂L/∂W_x = Σ_t x_tᵀ·G_t",
            "∂L/∂W_h = Σ_t h_{t−1}ᵀ·G_t", "∂L/∂b = Σ_t Σ_N G_t"),
    "lstm": ("∂L/∂x_t = G_t·W_xᵀ (BPTT through h and c)", "∂L/∂W_x = Σ_t x_tᵀ·G_t", "∂L/∂W_h = Σ_t h_{t−1}ᵀ·G_t",
             "∂L/∂b = Σ_t Σ_N G_t"),
    "gru": ("∂L/∂x_t = G_x,t·W_xᵀ (BPTT)", "∂L/∂W_x = Σ_t x_tᵀ·G_x,t", "∂L/∂W_h = Σ_t h_{t−1}ᵀ·G_h,t",
            "∂L/∂b_x = Σ_t Σ_N G_x,t", "∂L/∂b_h = Σ_t Σ_N G_h,t"),
}
NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def _cell(kind: str) -> OpSpec:
    state_en = "s (N, 2, H): s[:, 0] = h, s[:, 1] = c" if kind == "lstm" else "h (N, H)"
    state_ko = "s (N, 2, H): s[:, 0] = h, s[:, 1] = c" if kind == "lstm" else "h (N, H)"
    params = PARAMS_EN.format(k=k.GATES[kind])
    return OpSpec(
        name=f"{kind}_cell", category="recurrent", symbol=f"{NAMES[kind]} cell", en=f"{NAMES[kind]} cell",
        ko=f"{NAMES[kind]} 셀",
        description_en=f"One time step: x (N, F) and the state {state_en} give the next state. {STEP_EN[kind]}. "
                       f"{params}, as torch.nn.{NAMES[kind]}Cell with its weights transposed.",
        description_ko=f"한 시점의 계산: x (N, F)와 상태 {state_ko}로 다음 상태를 구합니다. {STEP_KO[kind]}. "
                       f"{params}. torch.nn.{NAMES[kind]}Cell의 가중치를 전치한 것과 같습니다.",
        inputs=CELL_PORTS[kind], attrs=(NONLINEARITY,) if kind == "rnn" else (),
        kernel=getattr(k, f"{kind}_cell"), infer=_shape_rule(f"{kind}_cell"), formulas=CELL_FORMULAS[kind])


def _sequence(kind: str) -> OpSpec:
    params = PARAMS_EN.format(k=k.GATES[kind])
    return OpSpec(
        name=kind, category="recurrent", symbol=NAMES[kind], en=f"{NAMES[kind]} layer", ko=f"{NAMES[kind]} 층",
        description_en=f"Runs the {NAMES[kind]} cell over x (N, T, F) from a zero state, the weights shared by "
                       f"every step: the last h (N, H) (many-to-one) or, with sequences, every h (N, T, H) "
                       f"(many-to-many). {params}. Backward is backprop through time.",
        description_ko=f"x (N, T, F)의 시점마다 {NAMES[kind]} 셀을 같은 가중치로 0 상태부터 적용합니다. 마지막 h (N, H)를 "
                       f"내거나(다대일), sequences를 켜면 모든 시점의 h (N, T, H)를 냅니다(다대다). {params}. "
                       f"역전파는 시간을 거슬러 갑니다(BPTT).",
        inputs=SEQ_PORTS[kind], attrs=(SEQUENCES, NONLINEARITY) if kind == "rnn" else (SEQUENCES,),
        kernel=getattr(k, kind), infer=_shape_rule(kind), bound=_sequence_bound(kind),
        formulas=SEQ_FORMULAS[kind])


RECURRENT = (
    *(_cell(kind) for kind in ("rnn", "lstm", "gru")),
    *(_sequence(kind) for kind in ("rnn", "lstm", "gru")),
    OpSpec(name="select", category="matrix", symbol="select", en="Select", ko="선택",
           description_en="x taken at one index along one axis, that axis removed: x_t = select(x, axis=1, index=t) "
                          "is time step t of a sequence (N, T, F).",
           description_ko="x의 한 축에서 한 위치를 골라 그 축을 없앱니다. x_t = select(x, axis=1, index=t)는 "
                          "시퀀스 (N, T, F)의 t번째 시점입니다.",
           inputs=("x",),
           attrs=(AttrSpec("axis", "int", 1, "axis", "축", -MAX_DIMS, MAX_DIMS - 1),
                  AttrSpec("index", "int", 0, "index (negative: from the end)", "위치 (음수는 끝에서부터)",
                           -MAX_DIM_SIZE, MAX_DIM_SIZE - 1)),
           kernel=k.select, infer=_select_shape, formulas=("∂L/∂x = G at the index, 0 elsewhere",)),
    OpSpec(name="append", category="matrix", symbol="append", en="Append step", ko="시점 덧붙이기",
           description_en="seq (N, t, H) with h (N, H) added as its last step: (N, t + 1, H). A seq of shape (N, H) "
                          "counts as one step.",
           description_ko="seq (N, t, H)의 끝에 h (N, H)를 한 시점으로 붙여 (N, t + 1, H)를 만듭니다. 모양이 (N, H)인 seq는 "
                          "한 시점으로 봅니다.",
           inputs=("seq", "h"), kernel=k.append, infer=_append_shape,
           formulas=("∂L/∂seq = G without its last step", "∂L/∂h = G's last step")),
)
