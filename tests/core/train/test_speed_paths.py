"""The training fast paths give the numbers of the plain ones: gradients restricted to the parameters, the
inlined elementwise kernels, the optimizers' in-place state, and float32 runs."""
from __future__ import annotations

import numpy as np
import pytest

from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.errors import OptionError
from graphapp.core.train.optim import make_optimizer
from graphapp.core.train.templates import build_template
from graphapp.core.train.trainer import TrainConfig, Trainer

# broadcasting (b, c), fan-out (h feeds two ops), a constant, division, and a two-input loss
BROADCAST = "h = tanh(X @ W + b); L = mse(h * c / (1 + exp(-h)) - 2, Y)"


def _broadcast_graph():  # noqa: ANN202
    rng = np.random.default_rng(1)
    return parse_expression(BROADCAST, {"X": rng.normal(size=(5, 3)).tolist(), "W": rng.normal(size=(3, 2)).tolist(),
                                        "b": [0.1, -0.2], "c": [[1.5, 0.5]], "Y": rng.normal(size=(5, 2)).tolist()})


def _digits_graph():  # noqa: ANN202
    return build_template("mlp", load_dataset("digits"), hidden=(16,), activation="relu", seed=0)


@pytest.mark.parametrize("make", [_broadcast_graph, _digits_graph])
def test_gradients_for_the_parameters_only_equal_the_full_ones_bit_for_bit(make) -> None:  # noqa: ANN001
    g = make()
    params = frozenset(n for n, node in g.nodes.items() if node.op == "param")
    ex = Executor(g)
    recorded, full, some = ex.run(), ex.run(record=False), ex.run(record=False, wrt=params)
    for key in recorded.grads:  # the compiled path (elementwise kernels inlined) agrees with the recorded one
        assert np.array_equal(recorded.grads[key], full.grads[key])
    assert params <= some.grads.keys()
    for key in some.grads:
        assert np.array_equal(some.grads[key], recorded.grads[key])
    data = {n for n, node in g.nodes.items() if node.op == "input"}
    assert data <= full.grads.keys() and not data & some.grads.keys()  # no work went into the data's gradients


@pytest.mark.parametrize("name", ["adam", "sgd", "momentum", "nag"])
def test_in_place_state_never_reaches_parameters_or_gradients(name: str) -> None:
    opt = make_optimizer(name, lr=0.1)
    p = {"w": np.array([1.0, -2.0, 3.0])}
    g = {"w": np.array([0.5, 0.25, -1.0])}
    kept_p, kept_g = p["w"].copy(), g["w"].copy()
    first = opt.step(p, g)
    second = opt.step(first, g)
    np.testing.assert_array_equal(p["w"], kept_p)
    np.testing.assert_array_equal(g["w"], kept_g)
    moved = first["w"].copy()
    opt.step(second, g)
    np.testing.assert_array_equal(first["w"], moved)  # a returned parameter is never updated afterwards
    for array in opt.state["w"].values():
        if isinstance(array, np.ndarray):
            assert not np.shares_memory(array, g["w"]) and not np.shares_memory(array, second["w"])


def test_float32_training_stays_float32_and_learns_as_float64_does() -> None:
    data = load_dataset("digits")
    graph = build_template("mlp", data, hidden=(32,), activation="relu", seed=0)
    results = {}
    for dtype in ("float64", "float32"):
        trainer = Trainer(graph, data, None, TrainConfig("adam", {"lr": 0.01}, batch_size=64, epochs=2, dtype=dtype))
        result = trainer.run()
        assert all(v.dtype == np.dtype(dtype) for v in trainer.params.values())
        results[dtype] = result
    assert results["float32"].final.train_accuracy > 0.9
    assert abs(results["float32"].final.train_loss - results["float64"].final.train_loss) < 1e-3


def test_a_float32_executor_computes_in_float32() -> None:
    g = _broadcast_graph()
    wide, narrow = Executor(g).run(record=False), Executor(g, dtype="float32").run(record=False)
    for key, value in narrow.grads.items():
        assert value.dtype == np.float32, key
        np.testing.assert_allclose(value, wide.grads[key], rtol=1e-4, atol=1e-5)


def test_trainer_refuses_an_unknown_dtype() -> None:
    data = load_dataset("xor")
    with pytest.raises(OptionError, match="dtype must be float64 or float32"):
        Trainer(build_template("xor_net", data), data, None, TrainConfig(dtype="float16"))


def _inline_functions():  # noqa: ANN202
    """(op, role, function) for every elementwise function or derivative written as an expression."""
    from graphapp.core.ops import REGISTRY  # noqa: PLC0415

    for name, spec in sorted(REGISTRY.items()):
        kernel = spec.kernel
        if kernel is None or kernel.fn is None:
            continue
        for role, fn in (("fn", kernel.fn), *((f"deriv{j}", d) for j, d in enumerate(kernel.derivs))):
            if getattr(fn, "inline", None) is not None:
                yield name, role, fn


@pytest.mark.parametrize(("name", "role", "fn"), list(_inline_functions()),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_an_inlined_expression_gives_its_functions_bits(name: str, role: str, fn) -> None:  # noqa: ANN001
    from graphapp.core.executor import _call  # noqa: PLC0415

    rng = np.random.default_rng(3)
    params = fn.inline[0]
    args = [np, {}] + [rng.normal(size=(3, 4)) if i % 2 == 0 else rng.normal(size=(4,)) for i in range(len(params) - 2)]
    names = ["xp", "attrs"] + [f"v{i}" for i in range(len(params) - 2)]
    code = _call(fn, "unused", names)
    assert "unused" not in code  # written out, not called
    got = eval(code, {"xp": np, "attrs": {}, **dict(zip(names[2:], args[2:]))})  # noqa: S307 - the test's own code
    np.testing.assert_array_equal(got, fn(*args), strict=True)
    assert len(list(_inline_functions())) >= 20  # add, sub, mul, div, neg, square, exp, sigmoid, tanh, relu


# a (1, 2) bias (summed over rows, then reshaped), a 0-d scale (summed over everything), a vector times a
# matrix (matmul's own vjp, not the written-out matrix product) and a fan-out into two products
SHAPES = "h = sigmoid(X @ W + b) * s; L = mse(v @ W2 + h @ W3, Y)"


def test_compiled_gradients_for_every_broadcast_and_product_shape_equal_the_recorded_ones() -> None:
    rng = np.random.default_rng(2)
    g = parse_expression(SHAPES, {"X": rng.normal(size=(5, 3)).tolist(), "W": rng.normal(size=(3, 2)).tolist(),
                                  "b": [[0.1, -0.2]], "s": 1.5, "v": rng.normal(size=(2,)).tolist(),
                                  "W2": rng.normal(size=(2, 2)).tolist(), "W3": rng.normal(size=(2, 2)).tolist(),
                                  "Y": rng.normal(size=(5, 2)).tolist()}, params={"W", "b", "s", "v", "W2", "W3"})
    params = frozenset(n for n, node in g.nodes.items() if node.op == "param")
    assert params == {"W", "b", "s", "v", "W2", "W3"}
    ex = Executor(g)
    recorded = ex.run()
    for run in (ex.run(record=False), ex.run(record=False, wrt=params)):
        for key, grad in run.grads.items():
            assert grad.shape == recorded.grads[key].shape, key
            np.testing.assert_array_equal(grad, recorded.grads[key], strict=True)
    assert params <= ex.run(record=False, wrt=params).grads.keys()


def test_a_compiled_run_converts_given_values_and_names_a_wrong_shape() -> None:
    from graphapp.core.errors import GraphError  # noqa: PLC0415

    g = _broadcast_graph()
    ex = Executor(g)
    as_list = ex.run(record=False, values={"b": [0.1, -0.2]})
    np.testing.assert_array_equal(as_list.grads["W"], ex.run(record=False).grads["W"])
    with pytest.raises(GraphError, match="node 'b': value of shape") as err:
        ex.run(record=False, values={"b": np.ones(3)})
    assert err.value.node == "b"
    with pytest.raises(GraphError, match="node 'nope' is not an input"):
        ex.run(record=False, values={"nope": np.ones(3)})
