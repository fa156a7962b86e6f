"""Each optimizer beside torch.optim: same start, gradients of the same functions, 100 steps, float64."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from graphapp.core.train.errors import OptionError
from graphapp.core.train.optim import OPTIMIZERS, make_optimizer

A = np.array([[1.0, 3.0], [0.5, 2.0], [4.0, 0.2]])


def grads_of(p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rosenbrock for 'w' (a 2-vector), an ill-conditioned quadratic Σ a·(b − 1)² / 2 for 'b' (3×2)."""
    x, y = p["w"]
    gw = np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])
    return {"w": gw, "b": A * (p["b"] - 1.0)}


def torch_class(name: str, settings: dict) -> tuple[type, dict]:
    s = dict(settings)
    if "beta1" in s or "beta2" in s or name in ("adam", "nadam"):
        defaults = OPTIMIZERS[name].defaults
        s["betas"] = (s.pop("beta1", defaults["beta1"]), s.pop("beta2", defaults["beta2"]))
    if name in ("momentum", "nag"):
        s.setdefault("momentum", 0.9)
        s.setdefault("nesterov", name == "nag")
        return torch.optim.SGD, s
    cls = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
           "adadelta": torch.optim.Adadelta, "adam": torch.optim.Adam, "nadam": torch.optim.NAdam}[name]
    return cls, s


CASES = [
    ("sgd", {}), ("sgd", {"lr": 2e-3, "weight_decay": 0.1, "momentum": 0.5, "dampening": 0.3}),
    ("sgd", {"lr": 1e-3, "momentum": 0.8, "nesterov": True, "maximize": False}),
    ("momentum", {}), ("momentum", {"lr": 5e-4, "weight_decay": 0.01}),
    ("nag", {}), ("nag", {"lr": 5e-4, "momentum": 0.7, "weight_decay": 0.05}),
    ("adagrad", {}), ("adagrad", {"lr": 0.05, "lr_decay": 0.01, "weight_decay": 0.1,
                                  "initial_accumulator_value": 0.5, "eps": 1e-6}),
    ("rmsprop", {}), ("rmsprop", {"lr": 1e-3, "alpha": 0.9, "momentum": 0.5, "centered": True,
                                  "weight_decay": 0.01}),
    ("rmsprop", {"lr": 3e-3, "momentum": 0.9}),
    ("adadelta", {}), ("adadelta", {"lr": 0.5, "rho": 0.95, "eps": 1e-5, "weight_decay": 0.1}),
    ("adam", {}), ("adam", {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.1,
                            "amsgrad": True}),
    ("nadam", {}), ("nadam", {"lr": 0.01, "beta1": 0.85, "momentum_decay": 0.01, "weight_decay": 0.1}),
    ("nadam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("adam", {"lr": 0.01, "maximize": True}),
]


@pytest.mark.parametrize(("name", "settings"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_trajectory_matches_torch(name: str, settings: dict) -> None:
    start = {"w": np.array([-1.2, 1.0]), "b": np.array([[0.0, 2.0], [-1.0, 0.5], [3.0, 1.0]])}
    ours = make_optimizer(name, **settings)
    cls, torch_settings = torch_class(name, settings)
    tp = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in start.items()}
    topt = cls(list(tp.values()), **torch_settings)
    sign = -1.0 if settings.get("maximize") else 1.0  # maximize: climb −f, so the path stays bounded
    p = dict(start)
    moved = 0.0
    for _ in range(100):
        g = {k: sign * v for k, v in grads_of(p).items()}
        before = {k: v.copy() for k, v in g.items()}
        new = ours.step(p, g)
        for k in g:  # neither gradients nor old parameters are touched
            np.testing.assert_array_equal(g[k], before[k])
        tg = grads_of({k: t.detach().numpy() for k, t in tp.items()})
        for k, t in tp.items():
            t.grad = torch.from_numpy(sign * tg[k])
        topt.step()
        for k, t in tp.items():
            np.testing.assert_allclose(new[k], t.detach().numpy(), rtol=1e-6, atol=1e-6)
        moved = max(moved, float(np.abs(new["w"] - start["w"]).max()))
        p = new
    assert moved > 1e-3  # the comparison is about real motion, not two parameters standing still


def test_parameters_without_gradient_pass_through() -> None:
    opt = make_optimizer("adam", lr=0.1)
    p = {"a": np.ones(2), "frozen": np.zeros(3)}
    out = opt.step(p, {"a": np.ones(2)})
    assert out["frozen"] is p["frozen"] and "frozen" not in opt.state
    assert np.all(out["a"] < 1.0)


@pytest.mark.parametrize(("name", "settings", "words"), [
    ("adamw", {}, "unknown optimizer 'adamw'"),
    ("adam", {"betas": 0.9}, "unknown setting 'betas'"),
    ("sgd", {"lr": -1.0}, "'lr' must be ≥ 0"),
    ("adam", {"beta1": 1.0}, "'beta1' must be in"),
    ("sgd", {"nesterov": True}, "nesterov needs a momentum"),
    ("rmsprop", {"lr": "fast"}, "'lr' must be a number"),
])
def test_bad_settings_name_the_option(name: str, settings: dict, words: str) -> None:
    with pytest.raises(OptionError, match=words):
        make_optimizer(name, **settings)
