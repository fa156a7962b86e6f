"""Every lecture example asserts its lecture numbers: values, every gradient, and the seed's corrections."""
from __future__ import annotations

import numpy
import pytest

from graphapp.core.errors import FileFormatError
from graphapp.core.examples import example_info, example_names, info, load_example
from graphapp.core.executor import Executor
from graphapp.core.learning import param_ids, sgd_update
from graphapp.core.trace import Trace


def run(name: str) -> Trace:
    return Executor(load_example(name)).run()


def assert_numbers(actual: dict, expected: dict, rel: float = 1e-12) -> None:
    for key, want in expected.items():
        assert numpy.allclose(actual[key], want, rtol=rel, atol=1e-12), (key, actual[key], want)


def test_every_example_has_titles_in_both_languages() -> None:
    names = example_names()
    assert len(names) == 15
    for name in names:
        ex = info(load_example(name))
        assert ex.name == name and ex.title_en and ex.title_ko and ex.description_en and ex.description_ko
        assert any("\uac00" <= ch <= "\ud7a3" for ch in ex.title_ko + ex.description_ko)  # Hangul present
        assert example_info(name) == ex  # the menus' cached read says the same
    with pytest.raises(FileFormatError, match="no example named 'nope'"):
        example_info("nope")


def test_apple_tax() -> None:
    t = run("apple_tax")
    assert_numbers(t.values, {"mul_1": 200, "mul_2": 220, "L": 220})
    assert_numbers(t.grads, {"price": 2.2, "count": 110, "tax": 200, "mul_1": 1.1, "mul_2": 1})
    # The sketch's five backward steps, in order, each upstream × local = grad.
    assert [(e.src, e.dst) for e in t.backward] == [("mul_2", "L"), ("mul_1", "mul_2"), ("tax", "mul_2"),
                                                     ("price", "mul_1"), ("count", "mul_1")]
    numbers = [(float(e.upstream), float(e.local), float(e.grad)) for e in t.backward]
    expected = [(1, 1, 1), (1, 1.1, 1.1), (1, 200, 200), (1.1, 2, 2.2), (1.1, 100, 110)]
    for got, want in zip(numbers, expected):
        assert got == pytest.approx(want, rel=1e-14)


def test_apple_orange() -> None:
    t = run("apple_orange")
    assert_numbers(t.values, {"mul_1": 200, "mul_2": 450, "add_1": 650, "L": 715})
    assert_numbers(t.grads, {"apple": 2.2, "apple_n": 110, "orange": 3.3, "orange_n": 165, "tax": 650,
                             "add_1": 1.1, "mul_1": 1.1, "mul_2": 1.1})


def test_several_foods() -> None:
    t = run("several_foods")
    assert_numbers(t.values, {"mul_1": 200, "add_1": 4200, "L": 4620})
    assert_numbers(t.grads, {"foods": 1.1, "price": 2.2, "count": 110, "tax": 4200})


def test_chain_rule() -> None:
    t = run("chain_rule")
    assert_numbers(t.values, {"t": 3, "z": 9})
    assert_numbers(t.grads, {"x": 6, "y": 6, "t": 6})  # 2t · 1 = 2(x + y)


def test_linear_wx_b() -> None:
    t = run("linear_wx_b")
    assert_numbers(t.values, {"g": -10, "f": -7})
    assert_numbers(t.grads, {"x": -2, "w": 5, "b": 1})


def test_sigmoid_one_node_and_decomposed_agree() -> None:
    s = 1 / (1 + numpy.exp(-1.0))
    one, parts = run("sigmoid"), run("sigmoid_decomposed")
    assert_numbers(one.values, {"y": s})
    assert_numbers(parts.values, {"mul_1": -1, "exp_1": numpy.exp(-1.0), "add_1": 1 + numpy.exp(-1.0), "y": s})
    assert_numbers(one.grads, {"x": s * (1 - s)})
    assert_numbers(parts.grads, {"x": s * (1 - s)})
    assert round(float(one.grads["x"]), 4) == 0.1966
    # The decomposed backward pass: 1/x gives −1/x², +1 passes, exp gives eˣ, ×(−1) gives −1.
    locals_ = {e.dst: float(e.local) for e in parts.backward if e.dst != "y"}
    assert locals_["reciprocal_1"] == pytest.approx(-1 / (1 + numpy.exp(-1.0)) ** 2)
    assert locals_["exp_1"] == pytest.approx(numpy.exp(-1.0))


def test_logistic_update_with_the_seeds_corrections() -> None:
    graph = load_example("logistic_update")
    t = Executor(graph).run()
    s = 1 / (1 + numpy.exp(-1.5))
    assert_numbers(t.values, {"l1": 1.5, "sigmoid_1": s, "L": s * s})
    assert round(float(t.values["sigmoid_1"]), 3) == 0.818
    assert round(float(t.values["L"]), 4) == 0.6684  # not ½·0.669 = 0.334 and not "0.67 with ½"
    d_out = 2 * s  # the seed's 1.636
    assert_numbers(t.grads, {"sub_1": d_out, "l1": d_out * s * (1 - s), "w1": d_out * s * (1 - s) * 2,
                             "w2": d_out * s * (1 - s) * 5})
    assert round(float(t.grads["w1"]), 3) == 0.488 and round(float(t.grads["w2"]), 2) == 1.22
    assert graph.meta["lr"] == 1
    new = sgd_update({p: graph.nodes[p].value for p in param_ids(graph)}, t.grads, graph.meta["lr"])
    assert round(float(new["w1"]), 4) == 0.0122  # the seed's "0.136" is wrong
    assert round(float(new["w2"]), 2) == -1.12
    # The window and the CLI see the same step as the update phase of the trace.
    updated = Executor(graph).run(lr=graph.meta["lr"]).updates
    assert [(u.node, float(u.after)) for u in updated] == [(p, float(v)) for p, v in new.items()]
    assert "0.136" in info(graph).description_en and "0.0122" in info(graph).description_en


def sig(x: numpy.ndarray) -> numpy.ndarray:
    return 1 / (1 + numpy.exp(-x))


X = numpy.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def xor_reference() -> dict[str, numpy.ndarray]:
    h1 = sig(X @ [5, 5] - 8)
    h2 = sig(X @ [-7, -7] + 3)
    return {"h1": h1, "h2": h2, "y": sig(-11 * h1 - 11 * h2 + 6)}


def test_xor_neurons_gives_0_1_1_0_and_exact_gradients() -> None:
    t = run("xor_neurons")
    ref = xor_reference()
    assert_numbers(t.values, {"h1": ref["h1"], "h2": ref["h2"], "y": ref["y"]})
    assert numpy.round(t.values["y"]).tolist() == [0, 1, 1, 0]
    # Gradient of Σŷ, worked by hand: dŷ = ŷ(1−ŷ); through w31 to h1, then σ' and the inputs.
    dz3 = ref["y"] * (1 - ref["y"])
    dz1 = dz3 * -11 * ref["h1"] * (1 - ref["h1"])
    dz2 = dz3 * -11 * ref["h2"] * (1 - ref["h2"])
    assert_numbers(t.grads, {"b3": dz3.sum(), "w31": (dz3 * ref["h1"]).sum(), "w32": (dz3 * ref["h2"]).sum(),
                             "b1": dz1.sum(), "w11": (dz1 * X[:, 0]).sum(), "w12": (dz1 * X[:, 1]).sum(),
                             "b2": dz2.sum(), "w21": (dz2 * X[:, 0]).sum(), "w22": (dz2 * X[:, 1]).sum(),
                             "x1": dz1 * 5 + dz2 * -7, "x2": dz1 * 5 + dz2 * -7})


def test_xor_matrix_matches_neuron_form() -> None:
    m, n = run("xor_matrix"), run("xor_neurons")
    assert m.values["Y"].shape == (4, 1)
    assert numpy.allclose(m.values["Y"][:, 0], n.values["y"], rtol=1e-14)
    assert numpy.allclose(m.values["K"], numpy.stack([n.values["h1"], n.values["h2"]], axis=1), rtol=1e-14)
    assert numpy.allclose(m.grads["W1"], [[n.grads["w11"], n.grads["w21"]], [n.grads["w12"], n.grads["w22"]]])
    assert numpy.allclose(m.grads["b1"], [n.grads["b1"], n.grads["b2"]])
    assert numpy.allclose(m.grads["W2"][:, 0], [n.grads["w31"], n.grads["w32"]])
    assert numpy.allclose(m.grads["b2"], [n.grads["b3"]])
    assert numpy.allclose(m.grads["X"], numpy.stack([n.grads["x1"], n.grads["x2"]], axis=1))


def test_linear_cost() -> None:
    graph = load_example("linear_cost")
    t = Executor(graph).run()
    assert float(t.values["cost"]) == pytest.approx(14 / 3, rel=1e-14)  # 4.67 at W = 2, as at W = 0
    assert float(t.grads["W"]) == pytest.approx(28 / 3, rel=1e-14)
    for w, cost in ((1, 0.0), (0, 14 / 3)):
        graph.set_value("W", w)
        assert float(Executor(graph).run(backward=False).values["cost"]) == pytest.approx(cost, abs=1e-14)
