"""Words for each step of a trace, in English and Korean: the narration bar, the CLI, the edge labels.

Nodes are called by the lecture's words, never by internal ids: a node's label where it has one, else
what it computes from its inputs' names (x·y, a + b, σ(l1)), shortened to σ(…) when that grows long,
else its op in the current language. Numbers follow the one rule (graphapp.core.numbers); an array of more
than SPOKEN numbers is named in words by its shape ("a 4×64 matrix", "4×64 행렬"): rows of clipped numbers
would fill the narration bar on a projector, and the canvas shows them by the node.
"""
from __future__ import annotations

import math
from typing import Any

import numpy

from graphapp.core.graph import Graph
from graphapp.core.numbers import fmt_array, fmt_product, fmt_sum, fmt_value
from graphapp.core.ops import get_op
from graphapp.core.trace import EdgeEvent, ForwardEvent, Trace, UpdateEvent

GENERAL_KO_RULE = "상류 기울기 × 국소 기울기"  # for ops whose spec gives no ko_rule
MAX_NAME = 28  # characters: a derived name longer than this is shortened (σ(…)), then replaced by the op
ATOM, CALL, PREFIX, PRODUCT, SUM = 9, 8, 3, 2, 1  # precedence: decides where parentheses go
INFIX = {"add": (" + ", SUM), "sub": (" − ", SUM), "mul": ("·", PRODUCT), "div": ("/", PRODUCT),
         "matmul": ("·", PRODUCT), "residual": (" + ", SUM)}
POSTFIX = {"square": "²", "transpose": "ᵀ"}
# The few local-derivative formulas (OpSpec.formulas) that hold words, as the Korean narration says them;
# every other formula is notation alone and reads the same in both languages.
KO_FORMULAS = {
    "∂lrelu(x)/∂x = 1 or α": "∂lrelu(x)/∂x = 1 또는 α",
    "∂elu(x)/∂x = 1 or elu(x) + α": "∂elu(x)/∂x = 1 또는 elu(x) + α",
    "∂h'/∂h = m/(1 − p): 0 if dropped, 1 in evaluation": "∂h'/∂h = m/(1 − p): 끈 유닛은 0, 평가 때는 1",
    "∂y/∂x = γ/σ (evaluation); γ/σ·(1 − 1/m − x̂·x̂ᵀ/m) (training, m = N or N·H·W)":
        "∂y/∂x = γ/σ (평가); γ/σ·(1 − 1/m − x̂·x̂ᵀ/m) (학습, m = N 또는 N·H·W)",
    "∂y/∂μ_run = −γ/σ (evaluation)": "∂y/∂μ_run = −γ/σ (평가)",
    "∂y/∂σ²_run = −γ·(x − μ)/(2σ³) (evaluation)": "∂y/∂σ²_run = −γ·(x − μ)/(2σ³) (평가)",
    "∂L/∂x = G at the (first) maximum of each window, 0 elsewhere": "∂L/∂x = 창마다 (첫) 최댓값 자리에 G, 나머지는 0",
    "∂L/∂x = G/F² spread over each window": "∂L/∂x = 창마다 G/F²을 고르게 나눔",
    "∂L/∂x = G·W_xᵀ, G = ∂L/∂(gates before σ, tanh)": "∂L/∂x = G·W_xᵀ, G = ∂L/∂(σ, tanh 앞의 게이트)",
    "∂L/∂x_t = G_t·W_xᵀ (BPTT through h and c)": "∂L/∂x_t = G_t·W_xᵀ (BPTT: h와 c를 거쳐)",
    "∂L/∂x = G at the index, 0 elsewhere": "∂L/∂x = 인덱스 자리에 G, 나머지는 0",
    "∂L/∂seq = G without its last step": "∂L/∂seq = 마지막 시점을 뺀 G",
    "∂L/∂h = G's last step": "∂L/∂h = G의 마지막 시점",
}
SPOKEN = 12  # numbers an array may have to be read out in the narration (xor_matrix's 4×3 still is)


def is_scalar(a: Any) -> bool:
    return a is not None and numpy.ndim(a) == 0


# ---- names ------------------------------------------------------------------------------------------

def _label(graph: Graph, nid: str, lang: str) -> str:
    node = graph.nodes[nid]
    return node.label_ko if lang == "ko" and node.label_ko else node.label


def _wrap(text: str, prec: int, need: int) -> str:
    return f"({text})" if prec < need else text


def _expr(graph: Graph, nid: str, lang: str, depth: int) -> tuple[str, int]:
    """What `nid` is called, written from its inputs' names `depth` levels of unnamed nodes deep."""
    node = graph.nodes[nid]
    label = _label(graph, nid, lang)
    if label:
        return label, SUM if label.startswith("−") else ATOM  # x·(−1)
    if node.op == "const":
        text = fmt_value(node.value)
        return text, SUM if text.startswith("−") else ATOM  # x·(−1)
    if node.spec.is_source:
        return nid, ATOM  # an input or parameter without a label: its id is the name its author typed
    srcs = graph.input_sources(nid)
    if depth <= 0 or None in srcs:
        return "…", ATOM
    return _apply(graph, nid, [_expr(graph, s, lang, depth - 1) for s in srcs if s is not None])


def _apply(graph: Graph, nid: str, args: list[tuple[str, int]]) -> tuple[str, int]:
    """`nid`'s op written on its arguments' texts (with their precedence), parenthesised as needed."""
    node = graph.nodes[nid]
    op = node.op
    if op == "output":
        return ("L", ATOM) if graph.outputs() == [nid] else args[0]
    if op in INFIX:
        sym, prec = INFIX[op]
        (a, pa), (b, pb) = args
        return _wrap(a, pa, prec) + sym + _wrap(b, pb, prec + 1), prec  # a − (b − c), a/(b·c)
    if op == "neg":
        return "−" + _wrap(*args[0], CALL), PREFIX
    if op in POSTFIX:
        return _wrap(*args[0], ATOM) + POSTFIX[op], ATOM
    if op == "reciprocal":
        return "1/" + _wrap(*args[0], ATOM), PRODUCT
    if op == "pow":
        return _wrap(*args[0], ATOM) + "^" + fmt_value(node.attrs.get("p", 2.0)), ATOM
    return f"{node.spec.symbol}({', '.join(a for a, _ in args)})", CALL


def _named(graph: Graph, nid: str, lang: str) -> tuple[str, int]:
    for depth in (3, 2, 1):
        text, prec = _expr(graph, nid, lang, depth)
        if len(text) <= MAX_NAME:
            return text, prec
    spec = graph.nodes[nid].spec
    return (spec.ko if lang == "ko" else spec.en), ATOM


def node_name(graph: Graph, nid: str, lang: str = "en") -> str:
    """The lecture's name for a node: its label, else what it computes (bounded: σ(…)), else its op."""
    return _named(graph, nid, lang)[0]


def _is_call(name: str) -> bool:
    """σ(l1), exp(x·(−1)): a function name whose first parenthesis closes at the very end."""
    start = name.find("(")
    if start <= 0 or not name.endswith(")") or any(c in name[:start] for c in " +−·/"):
        return False
    depth = 0
    for i, c in enumerate(name[start:], start):
        depth += (c == "(") - (c == ")")
        if depth == 0:
            return i == len(name) - 1
    return False


def _d(name: str) -> str:
    """A name after ∂: parenthesised when it is more than one word or term (∂L/∂(x·y)), not when it
    is one call (∂L/∂σ(l1))."""
    return name if _is_call(name) or not any(c in name for c in " +−·/^") else f"({name})"


def loss_letter(graph: Graph, lang: str) -> str:
    """The L of ∂L/∂x: the output's own short name (y), else L."""
    outs = graph.outputs()
    if len(outs) != 1:
        return "L"
    name = node_name(graph, outs[0], lang)
    return name if len(name) <= 8 and name.replace("_", "").isalnum() else "L"


# ---- numbers in words ---------------------------------------------------------------------------------

def edge_label(ev: EdgeEvent) -> str:
    """The chain rule on one edge, `upstream × local = grad`, or just the gradient for arrays."""
    if is_scalar(ev.upstream) and is_scalar(ev.local) and is_scalar(ev.grad):
        return f"{fmt_product(ev.upstream, ev.local)} = {fmt_value(ev.grad)}"
    return fmt_array(ev.grad)


def update_label(ev: UpdateEvent) -> str:
    """θ − η·g = θ′ as numbers: "0.5 − 1 × 0.4878 = 0.0122"."""
    if is_scalar(ev.before) and is_scalar(ev.grad):
        return f"{fmt_value(ev.before)} − {fmt_product(ev.lr, ev.grad)} = {fmt_value(ev.after)}"
    return fmt_array(ev.after)


def formula_text(formula: str, lang: str) -> str:
    return KO_FORMULAS.get(formula, formula) if lang == "ko" else formula


def local_text(ev: EdgeEvent) -> str:
    """`∂(a·b)/∂a = b = 1.1`: the formula, then the number when there is one per element."""
    if ev.local is None:
        return ev.formula
    number = fmt_value(ev.local)
    return ev.formula if ev.formula.endswith(f"= {number}") else f"{ev.formula} = {number}"


def spoken(value: Any, lang: str) -> str:
    """An array's numbers when it has at most SPOKEN of them, else its shape in words."""
    shape = numpy.shape(value)
    if math.prod(shape) <= SPOKEN:
        return fmt_array(value)
    dims = "×".join(map(str, shape))
    if len(shape) == 1:
        return f"수 {shape[0]}개짜리 벡터" if lang == "ko" else f"a vector of {shape[0]} numbers"
    word = ("행렬", "matrix") if len(shape) == 2 else ("배열", "array")
    return f"{dims} {word[0]}" if lang == "ko" else f"a {dims} {word[1]}"


# ---- the steps ------------------------------------------------------------------------------------------

def forward_text(graph: Graph, ev: ForwardEvent, lang: str) -> str:
    node = graph.nodes[ev.node]
    name = node_name(graph, ev.node, lang)
    if node.spec.is_source:
        return f"{name} = {spoken(ev.value, lang)}"
    word = node.spec.ko if lang == "ko" else node.spec.en
    args = [_named(graph, s, lang) for s in graph.input_sources(ev.node) if s is not None]
    expr = args[0][0] if node.op == "output" else _apply(graph, ev.node, args)[0]
    head = f"{name} = {expr}" if _label(graph, ev.node, lang) else expr
    return f"{word}: {head} = {spoken(ev.value, lang)}"


def backward_text(graph: Graph, ev: EdgeEvent, lang: str) -> str:
    L = loss_letter(graph, lang)  # noqa: N806 - the lectures' letter
    src = _d(node_name(graph, ev.src, lang))
    dst = L if graph.outputs() == [ev.dst] else _d(node_name(graph, ev.dst, lang))
    chain = f"∂{L}/∂{src} = ∂{L}/∂{dst} × ∂{dst}/∂{src}"
    if is_scalar(ev.local) and is_scalar(ev.upstream):
        numbers = f"{fmt_product(ev.upstream, ev.local)} = {fmt_value(ev.grad)}"
    else:
        numbers = f"{formula_text(ev.formula, lang)} → {spoken(ev.grad, lang)}"
    if lang == "ko":
        rule = get_op(graph.nodes[ev.dst].op).ko_rule or GENERAL_KO_RULE
        text = f"{rule}: {chain} = {numbers}"
    else:
        text = f"{chain} = {numbers}"
    if ev.previous is not None:
        parts = (ev.previous, ev.grad, ev.accumulated)
        total = (f"{fmt_sum(ev.previous, ev.grad)} = {fmt_array(ev.accumulated)}"
                 if all(numpy.size(v) <= SPOKEN for v in parts)
                 else " + ".join(spoken(v, lang) for v in parts[:2]) + f" = {spoken(ev.accumulated, lang)}")
        text += (f" · 두 경로의 기울기를 더합니다: ∂{L}/∂{src} = {total}" if lang == "ko"
                 else f" · both paths add up: ∂{L}/∂{src} = {total}")
    return text


def update_text(graph: Graph, ev: UpdateEvent, lang: str) -> str:
    name = node_name(graph, ev.node, lang)
    L = loss_letter(graph, lang)  # noqa: N806
    rule = f"{name} ← {name} − η·∂{L}/∂{_d(name)} = {update_label(ev)}"
    if lang == "ko":
        return f"경사 하강법으로 기울기의 반대 방향으로 학습률 η = {fmt_value(ev.lr)}만큼 옮깁니다: {rule}"
    lr = fmt_value(ev.lr)
    return f"gradient descent moves {name} against its gradient at learning rate η = {lr}: {rule}"


def describe(graph: Graph, trace: Trace, step: int, lang: str = "en") -> str:
    """Narration for playhead position `step` (0 = before the run; 1.. = the events in order)."""
    nf, nb, nu = len(trace.forward), len(trace.backward), len(trace.updates)
    ko = lang == "ko"
    if step <= 0:
        return "준비: 순전파 버튼이나 → 키로 한 단계씩 실행하세요." if ko else \
            "Ready: press Forward or → to run the graph step by step."
    if step <= nf:
        return f"{'순전파' if ko else 'Forward'} {step}/{nf} · {forward_text(graph, trace.forward[step - 1], lang)}"
    if step <= nf + nb or not nu:
        k = min(step - nf, nb)
        return f"{'역전파' if ko else 'Backward'} {k}/{nb} · {backward_text(graph, trace.backward[k - 1], lang)}"
    k = min(step - nf - nb, nu)
    return f"{'갱신' if ko else 'Update'} {k}/{nu} · {update_text(graph, trace.updates[k - 1], lang)}"
