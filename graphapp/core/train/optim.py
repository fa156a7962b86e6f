"""Optimizers, each exactly as torch.optim defines it (update rule and defaults), on dicts of arrays.

`step(params, grads)` returns a new dict of new arrays: neither a parameter nor a gradient is modified in
place (a caller or a trace may still hold them). The optimizer's own state arrays (moments, buffers) are
updated in place where that saves whole-array temporaries on a training step's hot path (SGD, Adam), each
operation rounding exactly as its out-of-place form would. Parameters without a gradient are passed
through and keep no state, as in torch, where a parameter whose .grad is None is skipped (its step count
does not advance). Arithmetic goes through `xp` (numpy or CuPy). Python-float scalars (bias corrections, NAdam's μ products) are computed as torch computes them, so
float64 trajectories agree with torch's to rounding.
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from types import ModuleType
from typing import Any, ClassVar, Mapping

import numpy

from graphapp.core.train.errors import OptionError

Array = Any
Setting = float | bool


class Optimizer(ABC):
    name: ClassVar[str]
    defaults: ClassVar[dict[str, Setting]]
    # settings that must be >= 0 (torch raises on negative ones); the rest are checked by `_check`
    nonnegative: ClassVar[tuple[str, ...]] = ("lr", "weight_decay", "eps")

    def __init__(self, xp: ModuleType = numpy, **settings: Setting) -> None:
        unknown = sorted(set(settings) - set(self.defaults))
        if unknown:
            raise OptionError(f"optimizer '{self.name}': unknown setting '{unknown[0]}' "
                              f"(it has: {', '.join(self.defaults)})")
        merged: dict[str, Setting] = {}
        for key, default in self.defaults.items():
            value = settings.get(key, default)
            if isinstance(default, bool):
                merged[key] = bool(value)
                continue
            try:
                merged[key] = float(value)
            except (TypeError, ValueError):
                raise OptionError(f"optimizer '{self.name}': setting '{key}' must be a number, "
                                  f"not {value!r}") from None
            if key in self.nonnegative and not merged[key] >= 0.0:  # also refuses NaN
                raise OptionError(f"optimizer '{self.name}': setting '{key}' must be ≥ 0, not {value}")
        self.settings = merged
        self._check()
        self.xp = xp
        self.state: dict[str, dict[str, Any]] = {}

    def _check(self) -> None:
        """Checks that involve more than one setting or a range other than ≥ 0."""

    def _range(self, key: str, low: float, high: float) -> None:
        if not low <= float(self.settings[key]) < high:
            raise OptionError(f"optimizer '{self.name}': setting '{key}' must be in [{low}, {high}), "
                              f"not {self.settings[key]}")

    def step(self, params: Mapping[str, Array], grads: Mapping[str, Array]) -> dict[str, Array]:
        """New values for `params` from their entries in `grads` (other entries there are passed over)."""
        out = dict(params)
        state, update, maximize = self.state, self._update, self.settings.get("maximize")
        for key, p in params.items():
            g = grads.get(key)
            if g is None:
                continue
            if maximize:
                g = -g
            kept = state.get(key)
            if kept is None:
                kept = state[key] = {}
            if getattr(p, "ndim", 0) == 0:  # a scalar runs as one element: in-place updates need arrays
                out[key] = update(self.xp.reshape(p, (1,)), self.xp.reshape(g, (1,)), kept).reshape(())
            else:
                out[key] = update(p, g, kept)
        return out

    @abstractmethod
    def _update(self, p: Array, g: Array, state: dict[str, Any]) -> Array:
        """One parameter's new value from its gradient and its own state (kept between steps)."""

    def _decayed(self, p: Array, g: Array) -> Array:
        wd = self.settings["weight_decay"]
        return g + wd * p if wd != 0 else g  # L2 penalty folded into the gradient (a new array)

    def _zeros(self, p: Array, g: Array) -> Array:
        """A fresh state array, owned by the optimizer and so free to update in place."""
        return self.xp.zeros(p.shape, dtype=self.xp.result_type(p, g))

    def reset(self) -> None:
        self.state.clear()


class SGD(Optimizer):
    name = "sgd"
    defaults = {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0,
                "nesterov": False, "maximize": False}
    nonnegative = ("lr", "weight_decay", "momentum")

    def _check(self) -> None:
        s = self.settings
        if s["nesterov"] and (s["momentum"] <= 0 or s["dampening"] != 0):
            raise OptionError(f"optimizer '{self.name}': nesterov needs a momentum > 0 and zero dampening")

    def _update(self, p: Array, g: Array, state: dict[str, Any]) -> Array:
        s = self.settings
        g = self._decayed(p, g)
        mu = s["momentum"]
        if mu != 0:
            buf = state.get("momentum_buffer")
            if buf is None:  # torch's first step copies the gradient into the buffer, with no dampening
                buf = state["momentum_buffer"] = self.xp.array(g, dtype=self.xp.result_type(p, g))
            else:  # buf ← μ·buf + (1 − dampening)·g, in place
                buf *= mu
                buf += (1.0 - s["dampening"]) * g
            g = g + mu * buf if s["nesterov"] else buf
        return p - s["lr"] * g


class Momentum(SGD):
    """torch.optim.SGD with momentum, 0.9 by default (the lectures' value)."""
    name = "momentum"
    defaults = {**SGD.defaults, "momentum": 0.9}


class Nesterov(SGD):
    """torch.optim.SGD(momentum=0.9, nesterov=True): Nesterov accelerated gradient (NAG)."""
    name = "nag"
    defaults = {**SGD.defaults, "momentum": 0.9, "nesterov": True}


class AdaGrad(Optimizer):
    name = "adagrad"
    defaults = {"lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0,
                "eps": 1e-10, "maximize": False}
    nonnegative = ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")

    def _update(self, p: Array, g: Array, state: dict[str, Any]) -> Array:
        s, xp = self.settings, self.xp
        step = state["step"] = state.get("step", 0) + 1
        g = self._decayed(p, g)
        clr = s["lr"] / (1 + (step - 1) * s["lr_decay"])
        total = state.get("sum")
        if total is None:
            total = xp.full_like(p, s["initial_accumulator_value"])
        total = state["sum"] = total + g * g
        return p - clr * (g / (xp.sqrt(total) + s["eps"]))


class RMSProp(Optimizer):
    name = "rmsprop"
    defaults = {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0,
                "centered": False, "maximize": False}
    nonnegative = ("lr", "alpha", "eps", "weight_decay", "momentum")

    def _update(self, p: Array, g: Array, state: dict[str, Any]) -> Array:
        s, xp = self.settings, self.xp
        g = self._decayed(p, g)
        alpha = s["alpha"]
        sq = state["square_avg"] = alpha * state.get("square_avg", 0.0) + (1.0 - alpha) * (g * g)
        if s["centered"]:
            ga = state.get("grad_avg", 0.0)
            ga = state["grad_avg"] = ga + (g - ga) * (1.0 - alpha)  # torch: grad_avg.lerp_(grad, 1 − α)
            avg = xp.sqrt(sq - ga * ga) + s["eps"]
        else:
            avg = xp.sqrt(sq) + s["eps"]
        if s["momentum"] > 0:
            buf = state["momentum_buffer"] = s["momentum"] * state.get("momentum_buffer", 0.0) + g / avg
            return p - s["lr"] * buf
        return p - s["lr"] * (g / avg)


class AdaDelta(Optimizer):
    name = "adadelta"
    defaults = {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.0, "maximize": False}

    def _check(self) -> None:
        if not 0.0 <= self.settings["rho"] <= 1.0:
            raise OptionError(f"optimizer '{self.name}': setting 'rho' must be in [0, 1], "
                              f"not {self.settings['rho']}")

    def _update(self, p: Array, g: Array, state: dict[str, Any]) -> Array:
        s, xp = self.settings, self.xp
        g = self._decayed(p, g)
        rho, eps = s["rho"], s["eps"]
        sq = state["square_avg"] = rho * state.get("square_avg", 0.0) + (1.0 - rho) * (g * g)
        acc = state.get("acc_delta", 0.0)
        delta = xp.sqrt(acc + eps) / xp.sqrt(sq + eps) * g
        state["acc_delta"] = rho * acc + (1.0 - rho) * (delta * delta)
        return p - s["lr"] * delta


class Adam(Optimizer):
    name = "adam"
    defaults = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0,
                "amsgrad": False, "maximize": False}

    def _check(self) -> None:
        self._range("beta1", 0.0, 1.0)
        self._range("beta2", 0.0, 1.0)

    def _update(self, p: Array, g: Array, state: dict[str, Any]) -> Array:
        s, xp = self.settings, self.xp
        step = state["step"] = state.get("step", 0) + 1
        g = self._decayed(p, g)
        b1, b2 = s["beta1"], s["beta2"]
        if step == 1:
            state["exp_avg"], state["exp_avg_sq"] = self._zeros(p, g), self._zeros(p, g)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        # m ← m + (g − m)(1 − β1) (torch: exp_avg.lerp_(grad, 1 − β1)) and v ← β2·v + (1 − β2)·g², in place
        tmp = xp.subtract(g, m, out=xp.empty_like(m))  # an array even for a 0-d parameter (numpy gives a scalar)
        tmp *= 1.0 - b1
        m += tmp
        v *= b2
        xp.multiply(g, g, out=tmp)
        tmp *= 1.0 - b2
        v += tmp
        if s["amsgrad"]:
            vmax = state.get("max_exp_avg_sq")
            if vmax is None:
                vmax = state["max_exp_avg_sq"] = v.copy()
            else:
                xp.maximum(vmax, v, out=vmax)
            v = vmax
        step_size = s["lr"] / (1.0 - b1 ** step)
        # p − step_size · m / (√v / √(1 − β2^t) + eps), the temporary reused for each stage
        xp.sqrt(v, out=tmp)
        tmp /= math.sqrt(1.0 - b2 ** step)
        tmp += s["eps"]
        xp.divide(m, tmp, out=tmp)
        tmp *= step_size
        return p - tmp


class NAdam(Optimizer):
    name = "nadam"
    defaults = {"lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0,
                "momentum_decay": 4e-3, "decoupled_weight_decay": False, "maximize": False}
    nonnegative = ("lr", "eps", "weight_decay", "momentum_decay")

    def _check(self) -> None:
        self._range("beta1", 0.0, 1.0)
        self._range("beta2", 0.0, 1.0)

    def _update(self, p: Array, g: Array, state: dict[str, Any]) -> Array:
        s, xp = self.settings, self.xp
        step = state["step"] = state.get("step", 0) + 1
        b1, b2, lr, wd = s["beta1"], s["beta2"], s["lr"], s["weight_decay"]
        if wd != 0 and s["decoupled_weight_decay"]:
            p = p * (1.0 - lr * wd)
        else:
            g = self._decayed(p, g)
        # the momentum schedule μ_t = β1(1 − ½·0.96^(t·ψ)) of Dozat's NAdam, and the product of all μ so far
        mu = b1 * (1.0 - 0.5 * 0.96 ** (step * s["momentum_decay"]))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * s["momentum_decay"]))
        mu_product = state["mu_product"] = state.get("mu_product", 1.0) * mu
        m = state.get("exp_avg", 0.0)
        m = state["exp_avg"] = m + (g - m) * (1.0 - b1)
        v = state["exp_avg_sq"] = b2 * state.get("exp_avg_sq", 0.0) + (1.0 - b2) * (g * g)
        denom = xp.sqrt(v / (1.0 - b2 ** step)) + s["eps"]
        p = p - (lr * (1.0 - mu) / (1.0 - mu_product)) * (g / denom)
        return p - (lr * mu_next / (1.0 - mu_product * mu_next)) * (m / denom)


OPTIMIZERS: dict[str, type[Optimizer]] = {c.name: c for c in (
    SGD, Momentum, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam, NAdam)}


def make_optimizer(name: str, xp: ModuleType = numpy, **settings: Setting) -> Optimizer:
    """An optimizer by its name (sgd, momentum, nag, adagrad, rmsprop, adadelta, adam, nadam)."""
    cls = OPTIMIZERS.get(name.strip().lower())
    if cls is None:
        raise OptionError(f"unknown optimizer '{name}' (choose one of: {', '.join(OPTIMIZERS)})")
    return cls(xp, **settings)
