"""The lecture's initialization experiment (seed 004, after "Deep Learning from Scratch" §6.2): 1,000 random
inputs through 5 hidden layers of 100 units; the histogram of each layer's activations shows saturation
(sigmoid, std 1: mass at 0 and 1), collapse (std 0.01: everything near 0.5) or a healthy spread (Xavier
for sigmoid and tanh, He for ReLU)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy

from graphapp.core.train.errors import OptionError
from graphapp.core.train.init import make_initializer

ACTIVATIONS = {
    "sigmoid": (lambda z: 1.0 / (1.0 + numpy.exp(-z)), (0.0, 1.0)),
    "relu": (lambda z: numpy.maximum(z, 0.0), (0.0, 1.0)),
    "tanh": (numpy.tanh, (-1.0, 1.0)),
}
BINS = 30


@dataclass(frozen=True)
class Layer:
    mean: float
    std: float
    counts: numpy.ndarray  # (BINS,) over `edges`
    outside: int  # activations beyond the fixed range (ReLU's large values)

    def to_json(self) -> dict[str, object]:
        return {"mean": self.mean, "std": self.std, "counts": self.counts.tolist(), "outside": self.outside}


@dataclass(frozen=True)
class Histograms:
    activation: str
    init: str
    std: float  # the weights' standard deviation (the first layer's, all are 100 × 100)
    edges: numpy.ndarray  # (BINS + 1,)
    layers: list[Layer]


def activation_histograms(activation: str = "sigmoid", init: str = "normal", std: float = 1.0, seed: int | None = 0,
                          samples: int = 1000, layers: int = 5, units: int = 100, bins: int = BINS) -> Histograms:
    if activation not in ACTIVATIONS:
        raise OptionError(f"--activation: unknown activation '{activation}' (choose one of: {', '.join(ACTIVATIONS)})")
    if init not in ("normal", "xavier", "he"):
        raise OptionError(f"--init: unknown initializer '{init}' (choose one of: normal, xavier, he)")
    if not (numpy.isfinite(std) and std >= 0):
        raise OptionError(f"--std: must be a number ≥ 0, not {std}")
    f, (lo, hi) = ACTIVATIONS[activation]
    weights = make_initializer(init, **({"std": float(std)} if init == "normal" else {}))
    rng = numpy.random.default_rng(seed)
    a = rng.standard_normal((samples, units))
    edges = numpy.linspace(lo, hi, bins + 1)
    out = []
    with numpy.errstate(over="ignore"):  # exp overflow of a saturated sigmoid is exactly 0 or 1
        for _ in range(layers):
            a = f(a @ weights((units, units), rng))
            counts = numpy.histogram(a, bins=edges)[0]
            out.append(Layer(float(a.mean()), float(a.std()), counts, int(a.size - counts.sum())))
    return Histograms(activation, init, weights.scale((units, units)), edges, out)
