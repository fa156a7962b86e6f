"""Narration in the lecture's words (no internal ids, no gradient steps into constants, sums written as
differences) and the update phase of graphs with a learning rate."""
from __future__ import annotations

import re

import numpy

import pytest

from graphapp.core.errors import BadValueError
from graphapp.core.examples import example_names, load_example
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.narration import GENERAL_KO_RULE, backward_text, node_name
from graphapp.core.ops import get_op
from graphapp.core.playback import frame_at


def run(name: str):  # noqa: ANN201
    g = load_example(name)
    return g, Executor(g).run(lr=g.meta.get("lr"))


@pytest.mark.parametrize("name", example_names())
def test_narration_never_shows_an_internal_id(name: str) -> None:
    g, t = run(name)
    hidden = [n for n, node in g.nodes.items() if not node.label and not node.spec.is_source]
    for step in range(t.phase_end("done") + 1):
        f = frame_at(g, t, step)
        for text in (f.narration_en, f.narration_ko):
            assert not [n for n in hidden if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", text)], (step, text)
            # a − b with U+2212; a hyphen inside a word ("cross-entropy") is no minus sign
            assert "+ −" not in text and not re.search(r"(?<![A-Za-z])-|-(?![A-Za-z])", text), (step, text)


@pytest.mark.parametrize("name", example_names())
def test_constants_take_no_gradient_step(name: str) -> None:
    g, t = run(name)
    consts = {n for n, node in g.nodes.items() if node.op == "const"}
    assert not [e for e in t.backward if e.src in consts]
    assert not consts & t.grads.keys()
    assert Executor(g).run(record=False).grads.keys() == t.grads.keys()  # the compiled path agrees


def test_sigmoid_decomposed_names_what_each_node_computes() -> None:
    g, t = run("sigmoid_decomposed")
    assert node_name(g, "mul_1") == "x·(−1)" and node_name(g, "exp_1", "ko") == "exp(x·(−1))"
    narrations = [frame_at(g, t, s).narration_en for s in range(1, t.phase_end("done") + 1)]
    assert "Multiply: x·(−1) = −1" in narrations[2]
    assert not any("∂y/∂−1" in n or "∂y/∂(−1)" in n for n in narrations)
    assert narrations[-1].endswith("∂y/∂x = ∂y/∂(x·(−1)) × ∂(x·(−1))/∂x = −0.1966 × (−1) = 0.1966")


def test_long_names_are_bounded_and_unnamed_nodes_fall_back_to_their_op() -> None:
    g = parse_expression("L = sigmoid(alpha_one * beta_two + gamma_three * delta_four)", {
        "alpha_one": 1.0, "beta_two": 2.0, "gamma_three": 3.0, "delta_four": 4.0})
    sig = next(n for n, node in g.nodes.items() if node.op == "sigmoid")
    assert node_name(g, sig) == "σ(… + …)"  # its full formula is 43 characters
    add = next(n for n, node in g.nodes.items() if node.op == "add")
    assert node_name(g, add, "ko") == "… + …"


def test_logistic_update_moves_each_parameter_as_steps_of_the_trace() -> None:
    g, t = run("logistic_update")
    nb_end, end = t.phase_end("backward"), t.phase_end("done")
    assert [u.node for u in t.updates] == ["w1", "w2"] and end == nb_end + 2
    assert float(t.updates[0].after) == pytest.approx(0.5 - 0.48780, abs=1e-4)  # the lecture's 0.0122
    assert float(t.updates[1].after) == pytest.approx(-1.1194, abs=1e-4)
    f = frame_at(g, t, nb_end + 1)
    assert f.phase == "update" and f.current_node == "w1" and f.current_edge is None
    assert f.update_text("w1") == "0.5 − 1 × 0.4878 = 0.01225" and f.update_text("w2") is None
    assert f.narration_ko.startswith("갱신 1/2 · 경사 하강법") and "가중치 w1 ← 가중치 w1 − η·∂손실/∂(가중치 w1)" \
        in f.narration_ko
    assert f.narration_en.startswith("Update 1/2 · gradient descent moves w1")
    last = frame_at(g, t, end)
    assert last.phase == "done" and last.update_text("w2") == "0.1 − 1 × 1.219 = −1.119"
    assert frame_at(g, t, nb_end).phase == "backward" and not frame_at(g, t, nb_end).updates
    assert Executor(g).run().updates == []  # no learning rate, no update phase


@pytest.mark.parametrize("lr", [0, -1.0, float("nan"), "abc", True])
def test_a_bad_learning_rate_is_refused_by_name(lr) -> None:  # noqa: ANN001
    with pytest.raises(BadValueError, match="learning rate"):
        Executor(load_example("logistic_update")).run(lr=lr)


def test_a_compound_name_after_the_partial_sign_is_parenthesised() -> None:
    g = parse_expression("L = exp(a) + exp(b)", {"a": 0.0, "b": 0.0})
    t = Executor(g).run()
    texts = [frame_at(g, t, s).narration_en for s in range(t.phase_end("forward") + 1, t.phase_end("done") + 1)]
    assert any("∂L/∂(exp(a) + exp(b)) = ∂L/∂L × " in x for x in texts), texts
    assert any("∂L/∂a = ∂L/∂exp(a) × ∂exp(a)/∂a = 1 × 1 = 1" in x for x in texts), texts


def test_the_played_trace_carries_the_learning_rate_of_the_graph() -> None:
    from graphapp.core.playback import play_trace  # noqa: PLC0415

    assert [u.node for u in play_trace(load_example("logistic_update")).updates] == ["w1", "w2"]
    assert play_trace(load_example("apple_tax")).updates == []


def test_korean_backward_narration_states_the_rule_on_the_op_spec() -> None:
    g = parse_expression("L = tanh(x * y)", {"x": 2.0, "y": 3.0})
    t = Executor(g).run()
    texts = {g.nodes[ev.dst].op: backward_text(g, ev, "ko") for ev in t.backward}
    assert texts["mul"].startswith(get_op("mul").ko_rule + ": ")  # the lecture's rule for ×, from its OpSpec
    assert get_op("tanh").ko_rule == "" and texts["tanh"].startswith(GENERAL_KO_RULE + ": ")
    assert not backward_text(g, t.backward[-1], "en").startswith(get_op("mul").ko_rule)


def test_big_arrays_are_named_in_words_small_ones_read_out() -> None:
    """A 4×64 gradient read out as clipped rows filled the narration bar in three lines on a projector."""
    from graphapp.core.narration import SPOKEN, spoken  # noqa: PLC0415

    assert spoken(numpy.arange(SPOKEN).reshape(4, 3), "en") == "[[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]"
    assert spoken(numpy.zeros((4, 64)), "en") == "a 4×64 matrix"
    assert spoken(numpy.zeros((4, 64)), "ko") == "4×64 행렬"
    assert spoken(numpy.zeros(13), "en") == "a vector of 13 numbers"
    assert spoken(numpy.zeros(13), "ko") == "수 13개짜리 벡터"
    assert spoken(numpy.zeros((2, 4, 6, 6)), "en") == "a 2×4×6×6 array"
    assert spoken(2.5, "en") == "2.5"


def test_vgg_block_narration_stays_short_at_every_step() -> None:
    from graphapp.core import examples  # noqa: PLC0415
    from graphapp.core.executor import Executor  # noqa: PLC0415
    from graphapp.core.narration import describe  # noqa: PLC0415

    g = examples.load_example("vgg_block")
    trace = Executor(g).run()
    total = len(trace.forward) + len(trace.backward) + len(trace.updates)
    for lang in ("en", "ko"):
        longest = max(len(describe(g, trace, step, lang)) for step in range(total + 1))
        assert longest < 260, (lang, longest)


def test_every_formula_with_words_has_its_korean_and_the_narration_uses_it() -> None:
    """Formulas are notation; the few that hold words ("0 elsewhere") would put English in the Korean narration."""
    from graphapp.core.narration import KO_FORMULAS, formula_text  # noqa: PLC0415
    from graphapp.core.ops import REGISTRY  # noqa: PLC0415

    words = re.compile(r"\b(or|if|in|at|of|the|each|over|without|before|through|elsewhere|evaluation|training|"
                       r"spread|last|dropped|gates|index)\b")
    formulas = {f for spec in REGISTRY.values() for f in spec.formulas}
    worded = {f for f in formulas if words.search(f)}
    assert worded == set(KO_FORMULAS)  # every worded formula translated, and no stale entry
    assert formula_text("∂L/∂x = G at the index, 0 elsewhere", "ko") == "∂L/∂x = 인덱스 자리에 G, 나머지는 0"
    assert formula_text("∂(a·b)/∂a = b", "ko") == "∂(a·b)/∂a = b"
    g = parse_expression("max_pool2d(x, kernel_size=2)", {"x": numpy.arange(16.0).reshape(1, 1, 4, 4)})
    trace = Executor(g).run()
    ko = [backward_text(g, e, "ko") for e in trace.backward]
    assert any("최댓값 자리에 G" in t for t in ko) and not any("elsewhere" in t for t in ko)
