"""The same test bodies on every array backend, compared with numpy, the reference.

Backends: `strict` (numpy behind a wall that every host-only call runs into: tests/kernels/strict_xp.py,
so the harness checks the code paths CuPy takes on any machine) and `cupy` (skipped, with the reason,
where CuPy is not installed or no CUDA device is present). Each runs every kernel in the registry forward
and backward (vjp, the local derivatives, the partial vjp, the domain check) on random in-domain inputs, the
executor on every lecture example (recorded and compiled runs), and the trainer (mini-batches, Adam,
dropout and batch normalization). strict runs numpy underneath, so it must agree bit for bit; CuPy's
kernels may round differently (fused multiply-adds, another summation order), hence its tolerance.
"""
from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from graphapp.core import examples
from graphapp.core.errors import DomainError
from graphapp.core.executor import Executor
from graphapp.core.expr import parse_expression
from graphapp.core.ops import REGISTRY
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.optim import OPTIMIZERS, make_optimizer
from graphapp.core.train.templates import mlp
from graphapp.core.train.trainer import TrainConfig, Trainer
from kernels.backend import cupy_unavailable, to_numpy
from kernels.base import outside
from tests import fuzzing
from tests.kernels._cases import KERNEL_OPS, Case, case_strategy
from tests.kernels.strict_xp import StrictArray, strict

SETTINGS = settings(max_examples=fuzzing.count(8, 80), deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _cupy() -> Any:
    if importlib.util.find_spec("cupy") is None:
        return pytest.param(None, id="cupy", marks=pytest.mark.skip(reason="CuPy not installed"))
    reason = cupy_unavailable()
    if reason is not None:
        return pytest.param(None, id="cupy", marks=pytest.mark.skip(reason=f"no CUDA device ({reason})"))
    import cupy  # noqa: PLC0415 - present and working, checked above
    return pytest.param(cupy, id="cupy")


BACKENDS = [pytest.param(strict, id="strict"), _cupy()]
EXACT = {"strict"}  # backends that compute with numpy itself


def _close(xp: ModuleType, got: Any, want: Any, what: str) -> None:
    if got is None or want is None:
        assert got is None and want is None, what
        return
    got = to_numpy(got)
    want = np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape}, numpy's {want.shape}"
    if xp.__name__ in EXACT:
        np.testing.assert_array_equal(got, want, err_msg=what)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=what)


def _on(xp: ModuleType, a: np.ndarray) -> Any:
    return xp.asarray(a, dtype=a.dtype)


def _compare_kernel(xp: ModuleType, op: str, case: Case) -> None:
    kernel = REGISTRY[op].kernel
    attrs = dict(case.attrs)
    ins = [x.copy() for x in case.inputs]
    dev_ins = [_on(xp, x) for x in case.inputs]
    out, saved = kernel.forward(np, ins, attrs)
    dev_out, dev_saved = kernel.forward(xp, dev_ins, attrs)
    assert type(dev_out) is xp.ndarray, f"{op}: forward gave a {type(dev_out).__name__}, not the backend's array"
    _close(xp, dev_out, out, f"{op} forward")
    g = np.random.default_rng(0).uniform(-2.0, 2.0, np.shape(out))
    grads = kernel.vjp(np, saved, g, attrs)
    dev_grads = kernel.vjp(xp, dev_saved, _on(xp, g), attrs)
    for i, (want, got) in enumerate(zip(grads, dev_grads)):
        _close(xp, got, want, f"{op} vjp, input {i}")
    if kernel.local is not None:
        for i in range(len(ins)):
            _close(xp, kernel.local(xp, dev_saved, i, attrs), kernel.local(np, saved, i, attrs), f"{op} local {i}")
    if kernel.partial is not None:
        for i in range(len(ins)):
            need = tuple(j == i for j in range(len(ins)))
            got = kernel.partial(xp, dev_saved, _on(xp, g), attrs, need)
            want = kernel.partial(np, saved, g, attrs, need)
            for j in range(len(ins)):
                _close(xp, got[j], want[j], f"{op} partial vjp {need}, input {j}")
    if kernel.domain:
        assert outside(xp, kernel.domain, dev_ins, attrs) is None and outside(np, kernel.domain, ins, attrs) is None


@pytest.mark.parametrize("xp", BACKENDS)
@pytest.mark.parametrize("op", KERNEL_OPS)
def test_kernel_matches_numpy(op: str, xp: ModuleType) -> None:
    @SETTINGS
    @given(case=case_strategy(op))
    def check(case: Case) -> None:
        _compare_kernel(xp, op, case)

    check()


@pytest.mark.parametrize("xp", BACKENDS)
def test_domain_refusal_names_the_same_element(xp: ModuleType) -> None:
    graph = parse_expression("y = log(x)", {"x": [[1.0, 2.0], [-3.0, 4.0]]})
    with pytest.raises(DomainError) as on_numpy:
        Executor(graph).run()
    with pytest.raises(DomainError) as on_device:
        Executor(graph, xp).run()
    assert str(on_device.value) == str(on_numpy.value)
    assert "[1, 0] = −3" in str(on_device.value)


def _compare_traces(xp: ModuleType, want: Any, got: Any, name: str) -> None:
    assert got.order == want.order and got.outputs == want.outputs
    for n in want.values:
        _close(xp, got.values[n], want.values[n], f"{name}: value of {n}")
    assert set(got.grads) == set(want.grads), name
    for n in want.grads:
        _close(xp, got.grads[n], want.grads[n], f"{name}: gradient of {n}")
    assert len(got.backward) == len(want.backward)
    for e, f in zip(want.backward, got.backward):
        assert (f.src, f.dst, f.port, f.formula) == (e.src, e.dst, e.port, e.formula)
        for field in ("upstream", "local", "grad", "previous", "accumulated"):
            _close(xp, getattr(f, field), getattr(e, field), f"{name}: {e.src} → {e.dst}.{e.port} {field}")
    assert [u.node for u in got.updates] == [u.node for u in want.updates]
    for u, v in zip(want.updates, got.updates):
        _close(xp, v.after, u.after, f"{name}: update of {u.node}")


@pytest.mark.parametrize("xp", BACKENDS)
@pytest.mark.parametrize("name", examples.example_names())
def test_lecture_examples_match_numpy(name: str, xp: ModuleType) -> None:
    graph = examples.load_example(name)
    lr = graph.meta.get("lr")
    _compare_traces(xp, Executor(graph).run(lr=lr), Executor(graph, xp).run(lr=lr), name)
    compiled = Executor(graph, xp).run(record=False)  # the training loop's straight-line code
    _compare_traces(xp, Executor(graph).run(record=False), compiled, f"{name} (compiled)")
    host = Executor(graph, xp).run(lr=lr).to_host()  # what the canvas and the CLI are given
    assert all(type(e.value) is np.ndarray for e in host.forward)
    assert all(type(e.grad) is np.ndarray for e in host.backward)


def _trainer(xp: ModuleType, **options: Any) -> Trainer:
    data = load_dataset("moons", size=120, seed=0)
    graph = mlp(data, (8, 6), "tanh", seed=0, **options)
    test = load_dataset("moons", size=40, seed=1)
    config = TrainConfig("adam", {"lr": 0.01}, batch_size=32, epochs=4, seed=0, validation_fraction=0.2,
                         patience=10)
    return Trainer(graph, data, test, config, xp)


@pytest.mark.parametrize("xp", BACKENDS)
@pytest.mark.parametrize("options", [{}, {"dropout": 0.3, "batch_norm": True, "l2": 0.01}],
                         ids=["mlp", "dropout_batchnorm_l2"])
def test_trainer_matches_numpy(xp: ModuleType, options: dict[str, Any]) -> None:
    ref, dev = _trainer(np, **options), _trainer(xp, **options)
    want, got = ref.run(), dev.run()
    assert all(type(v) is xp.ndarray for v in dev.params.values()), "parameters left the device"
    assert got.steps == want.steps == ref.total_steps
    _close(xp, np.array(got.history.loss), np.array(want.history.loss), "loss per step")
    for k in want.params:
        assert type(got.params[k]) is np.ndarray  # the result is on the host
        _close(xp, got.params[k], want.params[k], f"trained {k}")
    for a, b in zip(want.history.evaluations, got.history.evaluations):
        for field in ("train_loss", "test_loss", "val_loss", "train_accuracy", "test_accuracy", "val_accuracy"):
            _close(xp, getattr(b, field), getattr(a, field), f"evaluation at step {a.step}: {field}")
    _close(xp, dev.predict(data_rows := np.array([[0.0, 0.5], [1.0, -0.5]])), ref.predict(data_rows), "predict")


@pytest.mark.parametrize("xp", BACKENDS)
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_matches_numpy(name: str, xp: ModuleType) -> None:
    """Five steps of every optimizer, with the settings that take other code paths (amsgrad, centered,
    momentum, weight decay), on the backend's arrays: the state stays there, and the numbers agree."""
    extra = {"adam": {"amsgrad": True}, "rmsprop": {"centered": True, "momentum": 0.5},
             "nadam": {"decoupled_weight_decay": True}}.get(name, {})
    rng = np.random.default_rng(1)
    params = {"W": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}
    ref, dev = (make_optimizer(name, m, lr=0.1, weight_decay=0.01, **extra) for m in (np, xp))
    p_ref, p_dev = dict(params), {k: _on(xp, v) for k, v in params.items()}
    for _ in range(5):
        grads = {k: rng.normal(size=v.shape) for k, v in params.items()}
        p_ref = ref.step(p_ref, grads)
        p_dev = dev.step(p_dev, {k: _on(xp, v) for k, v in grads.items()})
        assert all(type(v) is xp.ndarray for v in p_dev.values())
    for k in params:
        _close(xp, p_dev[k], p_ref[k], f"{name}: {k} after 5 steps")


def test_strict_refuses_host_calls() -> None:
    """The stand-in is worth its name: what would break or copy on a GPU breaks here too."""
    a = strict.asarray(np.arange(6.0).reshape(2, 3))
    assert type(a) is StrictArray and type(a.sum()) is StrictArray and a.sum().ndim == 0
    for call in (lambda: np.exp(a), lambda: np.sum(a), lambda: np.asarray(a), lambda: a + np.ones(3),
                 lambda: strict.maximum(a, np.ones(3)), lambda: list(a), lambda: a[np.array([0, 1])]):
        with pytest.raises(TypeError):
            call()
    b = a.copy()
    b += 1.0  # in place stays in place, on the same array
    assert float(b.sum()) == 21.0 and np.array_equal(to_numpy(a + 1.0), to_numpy(b))
    assert float(a[0, 0]) == 0.0 and int(a.argmax()) == 5  # 0-d arrays convert, as cupy's do (a sync)
