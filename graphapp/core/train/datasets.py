"""Built-in data sets by name: the logic gates, generated 2-D sets, the 8×8 digits; anything else is a CSV path.

The 2-D generators follow scikit-learn's make_circles / make_moons / make_blobs in shape (not in their random
streams) and CS231n's spirals; each is reproducible from its seed (numpy.random.default_rng).
"""
from __future__ import annotations

import gzip
import math
from pathlib import Path
from typing import Callable

import numpy

from graphapp.core.train.csvdata import load_csv
from graphapp.core.train.data import Dataset, targets_from
from graphapp.core.train.errors import DataError, OptionError

DIGITS_FILE = Path(__file__).resolve().parents[3] / "assets" / "datasets" / "digits.csv.gz"
GATES = {"xor": (0, 1, 1, 0), "and": (0, 0, 0, 1), "or": (0, 1, 1, 1)}
Rng = numpy.random.Generator


def gate(name: str) -> Dataset:
    x = numpy.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = numpy.array(GATES[name], dtype=float).reshape(-1, 1)
    return Dataset(x, y, "binary", name, ("x1", "x2"), "y", (0.0, 1.0))


def _two_d(name: str, x: numpy.ndarray, labels: numpy.ndarray) -> Dataset:
    y, task, classes = targets_from(labels.astype(float), "classification", name)
    return Dataset(x, y, task, name, ("x1", "x2"), "y", classes)


def circles(n: int, noise: float, rng: Rng, factor: float = 0.5) -> Dataset:
    """Two rings: outer radius 1 (class 0), inner radius `factor` (class 1)."""
    n_out = n // 2
    t = rng.uniform(0, 2 * math.pi, n)
    r = numpy.where(numpy.arange(n) < n_out, 1.0, factor)
    x = numpy.c_[r * numpy.cos(t), r * numpy.sin(t)] + rng.normal(0, noise, (n, 2))
    return _two_d("circles", x, (numpy.arange(n) >= n_out).astype(int))


def moons(n: int, noise: float, rng: Rng) -> Dataset:
    """Two interleaving half circles."""
    n_a = n // 2
    t = rng.uniform(0, math.pi, n)
    upper = numpy.arange(n) < n_a
    x = numpy.where(upper[:, None], numpy.c_[numpy.cos(t), numpy.sin(t)],
                    numpy.c_[1 - numpy.cos(t), 0.5 - numpy.sin(t)])
    return _two_d("moons", x + rng.normal(0, noise, (n, 2)), (~upper).astype(int))


def spirals(n: int, noise: float, rng: Rng, classes: int = 2) -> Dataset:
    """Arms winding out from the origin, one per class (CS231n's spiral data)."""
    k = numpy.arange(n) % classes
    r = rng.uniform(0.05, 1.0, n)
    t = k * (2 * math.pi / classes) + 4.0 * r + rng.normal(0, noise, n)
    return _two_d("spirals", numpy.c_[r * numpy.sin(t), r * numpy.cos(t)], k)


def blobs(n: int, noise: float, rng: Rng, classes: int = 3) -> Dataset:
    """Gaussian blobs of std `noise` around centers evenly spaced on a circle of radius 3."""
    k = numpy.arange(n) % classes
    angle = 2 * math.pi * k / classes
    x = 3.0 * numpy.c_[numpy.cos(angle), numpy.sin(angle)] + rng.normal(0, noise, (n, 2))
    return _two_d("blobs", x, k)


def linear(n: int, noise: float, rng: Rng) -> Dataset:
    """Points in [−1, 1]² labelled by the side of a random line through the middle, then jittered by `noise`."""
    x = rng.uniform(-1, 1, (n, 2))
    w = rng.normal(0, 1, 2)
    labels = (x @ w > 0).astype(int)
    return _two_d("linear", x + rng.normal(0, noise, (n, 2)), labels)


GENERATED: dict[str, tuple[Callable[..., Dataset], float]] = {  # name -> (generator, default noise)
    "circles": (circles, 0.08), "moons": (moons, 0.15), "spirals": (spirals, 0.2),
    "blobs": (blobs, 1.0), "linear": (linear, 0.0),
}
NAMES = (*GATES, *GENERATED, "digits")


def digits() -> Dataset:
    """The 8×8 digits: 1,797 rows of 64 pixel counts (0–16) and a class 0–9 (assets/datasets/README.md)."""
    try:
        with gzip.open(DIGITS_FILE, "rt") as f:
            table = numpy.loadtxt(f, delimiter=",")
    except OSError as exc:
        raise DataError(f"the digits data set is missing from this installation ({DIGITS_FILE}: {exc})") from None
    y, task, classes = targets_from(table[:, -1], "multiclass", "digits")
    return Dataset(table[:, :-1], y, task, "digits", tuple(f"p{r}{c}" for r in range(8) for c in range(8)),
                   "digit", classes)


def load_dataset(name: str, *, size: int = 200, noise: float | None = None, seed: int | None = 0,
                 target: str | int | None = None, task: str = "auto") -> Dataset:
    """A built-in set by name (xor, and, or, circles, moons, spirals, blobs, linear, digits) or a CSV path.

    size, noise and seed shape the generated sets; target and task apply to CSV files.
    """
    key = name.strip().lower()
    if key in GATES:
        return gate(key)
    if key == "digits":
        return digits()
    if key in GENERATED:
        make, default_noise = GENERATED[key]
        if not 4 <= size <= 1_000_000:
            raise OptionError(f"data set size must be between 4 and 1,000,000, not {size}")
        noise = default_noise if noise is None else noise
        if not noise >= 0:
            raise OptionError(f"noise must be ≥ 0, not {noise}")
        return make(int(size), float(noise), numpy.random.default_rng(seed))
    if Path(name).suffix.lower() != ".csv" and not Path(name).exists():
        raise DataError(f"unknown data set '{name}' (built in: {', '.join(NAMES)}; or the path of a CSV file)")
    return load_csv(name, target, task)
