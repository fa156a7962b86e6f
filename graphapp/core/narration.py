"""Words for each step of a trace, in English and Korean: the narration bar, the CLI, the edge labels."""
from __future__ import annotations

from typing import Any

import numpy

from graphapp.core.graph import Graph
from graphapp.core.trace import EdgeEvent, ForwardEvent, Trace
from graphapp.core.values import fmt_value

# How the lectures explain what each common node does to the gradient (Korean narration).
KO_RULES = {
    "add": "덧셈 노드는 상류 기울기를 그대로 흘려보냅니다",
    "sub": "뺄셈 노드는 a에는 그대로, b에는 부호를 바꿔 흘려보냅니다",
    "mul": "곱셈 노드는 상류 기울기에 '다른 입력'을 곱해 흘려보냅니다",
    "sigmoid": "시그모이드의 국소 기울기는 σ(1−σ)입니다",
    "output": "역전파는 출력에서 ∂L/∂L = 1로 시작합니다",
    "exp": "exp 노드의 국소 기울기는 자기 자신 eˣ입니다",
    "reciprocal": "1/x 노드의 국소 기울기는 −1/x²입니다",
}


def is_scalar(a: Any) -> bool:
    return a is not None and numpy.ndim(a) == 0


def edge_label(ev: EdgeEvent) -> str:
    """The chain rule on one edge, `upstream × local = grad`, or just the gradient for arrays."""
    if is_scalar(ev.upstream) and is_scalar(ev.local) and is_scalar(ev.grad):
        return f"{fmt_value(ev.upstream)} × {fmt_value(ev.local)} = {fmt_value(ev.grad)}"
    return fmt_value(ev.grad)


def local_text(ev: EdgeEvent) -> str:
    """`∂(a·b)/∂a = b = 1.1`: the formula, then the number when there is one per element."""
    if ev.local is None:
        return ev.formula
    number = fmt_value(ev.local)
    return ev.formula if ev.formula.endswith(f"= {number}") else f"{ev.formula} = {number}"


def forward_text(graph: Graph, ev: ForwardEvent, lang: str) -> str:
    node = graph.nodes[ev.node]
    name = node.name(lang)
    if node.spec.is_source:
        return f"{name} = {fmt_value(ev.value)}"
    srcs = [s for s in graph.input_sources(ev.node) if s is not None]
    args = ", ".join(graph.nodes[s].name(lang) for s in srcs)
    op = node.spec.ko if lang == "ko" else node.spec.en
    return f"{name} = {op}({args}) = {fmt_value(ev.value)}"


def backward_text(graph: Graph, ev: EdgeEvent, lang: str) -> str:
    src, dst = graph.nodes[ev.src].name(lang), graph.nodes[ev.dst].name(lang)
    outs = graph.outputs()
    L = graph.nodes[outs[0]].name(lang) if len(outs) == 1 else "L"  # noqa: N806 - the lectures' letter
    chain = f"∂{L}/∂{src} = ∂{L}/∂{dst} × ∂{dst}/∂{src}"
    if is_scalar(ev.local) and is_scalar(ev.upstream):
        numbers = f"{fmt_value(ev.upstream)} × {fmt_value(ev.local)} = {fmt_value(ev.grad)}"
    else:
        numbers = f"{ev.formula} → {fmt_value(ev.grad)}"
    op = graph.nodes[ev.dst].op
    if lang == "ko":
        rule = KO_RULES.get(op, "상류 기울기 × 국소 기울기")
        text = f"{rule}: {chain} = {numbers}"
    else:
        text = f"{chain} = {numbers}"
    if ev.previous is not None:
        total = f"{fmt_value(ev.previous)} + {fmt_value(ev.grad)} = {fmt_value(ev.accumulated)}"
        text += (f" · 두 경로의 기울기를 더합니다: {total}" if lang == "ko"
                 else f" · both paths add up: ∂{L}/∂{src} = {total}")
    return text


def describe(graph: Graph, trace: Trace, step: int, lang: str = "en") -> str:
    """Narration for playhead position `step` (0 = before the run; 1.. = the events in order)."""
    nf, nb = len(trace.forward), len(trace.backward)
    if step <= 0:
        return ("Ready: press Forward or → to run the graph step by step." if lang == "en"
                else "준비: 순전파 버튼이나 → 키로 한 단계씩 실행하세요.")
    if step <= nf:
        word = "순전파" if lang == "ko" else "Forward"
        return f"{word} {step}/{nf} · {forward_text(graph, trace.forward[step - 1], lang)}"
    k = min(step - nf, nb)
    word = "역전파" if lang == "ko" else "Backward"
    return f"{word} {k}/{nb} · {backward_text(graph, trace.backward[k - 1], lang)}"
