"""Weight initializers by fan-in / fan-out, seeded with numpy.random.default_rng.

Our weights multiply from the right (X @ W), so a 2-D weight has shape (fan_in, fan_out): the transpose
of torch's Linear.weight. A 1-D parameter (a bias) has fan_in = fan_out = its length.

Which definition: He/Kaiming is std = √(2/fan_in) in the lecture and in torch.nn.init (kaiming_normal_
with its defaults mode='fan_in', nonlinearity='leaky_relu', a=0, whose gain is √2); we follow both.
Xavier differs between sources: the lecture on initialization (seed 004, after Deep Learning from
Scratch) uses std = 1/√n with n the previous layer's size (fan_in), while Glorot & Bengio and
torch.nn.init.xavier_normal_ use std = √(2/(fan_in + fan_out)) (which seed 000 also quotes). We follow
the lecture by default (`fan="in"`), and `fan="avg"` gives torch's exactly; for a square layer, such as
the lecture's 100 → 100 histogram experiment, the two are the same. A uniform variant draws from
[−a, a] with a = √3·std, so it has the normal variant's std (for "avg", torch's xavier_uniform_ bound
√(6/(fan_in+fan_out)); for He, kaiming_uniform_'s √(6/fan_in)).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy

from graphapp.core.train.errors import OptionError
from graphapp.core.values import _check_size

Shape = tuple[int, ...]


def fans(shape: Shape) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of this shape (X @ W layout)."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[2:])  # a conv weight is (C_out, C_in, kh, kw), as torch's: fan-in C_in·kh·kw
    return shape[1] * receptive, shape[0] * receptive


@dataclass(frozen=True)
class Initializer:
    """A named way to fill a parameter: kind plus its settings. Stored with a parameter for re-initialize."""

    kind: str = "xavier_normal"
    std: float = 0.01  # normal
    value: float = 0.0  # constant
    low: float = -0.05  # uniform
    high: float = 0.05
    fan: str = "in"  # xavier: "in" (the lecture's 1/√n) or "avg" (Glorot, torch)

    def scale(self, shape: Shape) -> float:
        """The standard deviation this initializer aims at for a weight of this shape."""
        fan_in, fan_out = fans(shape)
        if self.kind in ("he_normal", "he_uniform"):
            return math.sqrt(2.0 / fan_in)
        if self.kind in ("xavier_normal", "xavier_uniform"):
            return math.sqrt(2.0 / (fan_in + fan_out)) if self.fan == "avg" else 1.0 / math.sqrt(fan_in)
        if self.kind == "normal":
            return self.std
        if self.kind == "uniform":
            return (self.high - self.low) / math.sqrt(12.0)
        return 0.0

    def __call__(self, shape: Shape, rng: numpy.random.Generator) -> numpy.ndarray:
        shape = tuple(int(n) for n in shape)
        if self.kind == "zeros":
            return numpy.zeros(shape)
        if self.kind == "constant":
            return numpy.full(shape, float(self.value))
        if self.kind == "uniform":
            return rng.uniform(self.low, self.high, shape)
        std = self.scale(shape)
        if self.kind.endswith("_uniform"):
            bound = math.sqrt(3.0) * std
            return rng.uniform(-bound, bound, shape)
        return rng.normal(0.0, std, shape)


KINDS = ("zeros", "constant", "normal", "uniform", "xavier_normal", "xavier_uniform", "he_normal", "he_uniform")
ALIASES = {"xavier": "xavier_normal", "glorot": "xavier_normal", "he": "he_normal", "kaiming": "he_normal",
           "kaiming_normal": "he_normal", "kaiming_uniform": "he_uniform", "glorot_normal": "xavier_normal",
           "glorot_uniform": "xavier_uniform", "zero": "zeros"}


def make_initializer(kind: str, **settings: Any) -> Initializer:
    """An initializer by name (the KINDS, or xavier/glorot/he/kaiming for the normal variants)."""
    key = ALIASES.get(kind.strip().lower(), kind.strip().lower())
    if key not in KINDS:
        raise OptionError(f"unknown initializer '{kind}' (choose one of: {', '.join(KINDS)})")
    fields = set(Initializer.__dataclass_fields__) - {"kind"}
    unknown = sorted(set(settings) - fields)
    if unknown:
        raise OptionError(f"initializer '{kind}': unknown setting '{unknown[0]}' (it has: {', '.join(sorted(fields))})")
    init = Initializer(key, **settings)
    if init.fan not in ("in", "avg"):
        raise OptionError(f"initializer '{kind}': setting 'fan' must be 'in' or 'avg', not {init.fan!r}")
    if key == "normal" and not init.std >= 0:
        raise OptionError(f"initializer '{kind}': setting 'std' must be ≥ 0, not {init.std}")
    if key == "uniform" and not init.low <= init.high:
        raise OptionError(f"initializer '{kind}': setting 'low' must not exceed 'high'")
    return init


def initialize(shapes: dict[str, Shape], init: Initializer | Callable[[Shape, numpy.random.Generator], Any],
               seed: int | None = 0) -> dict[str, numpy.ndarray]:
    """Fresh values for several parameters from one seeded generator, in the dict's order. Each shape is held
    to a value's limits before anything is drawn: `--hidden 100000` must be a message, not a 75 GiB allocation."""
    for k, s in shapes.items():
        _check_size(tuple(int(n) for n in s), f"node '{k}' value")
    rng = numpy.random.default_rng(seed)
    return {k: numpy.asarray(init(s, rng), dtype=float) for k, s in shapes.items()}
