"""A classifier's decision regions over a 2-D grid, and its confusion matrix."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy

from graphapp.core.train.errors import OptionError

MAX_GRID = 1000


def probabilities(out: numpy.ndarray, head: str) -> numpy.ndarray:
    """(N, C) class probabilities from a model's output: a sigmoid probability or logit column gives
    [1 − p, p]; C logits go through a softmax."""
    out = numpy.asarray(out, dtype=float).reshape(len(out), -1)
    if out.shape[1] == 1:
        p = out[:, 0] if head == "probability" else 1.0 / (1.0 + numpy.exp(-numpy.clip(out[:, 0], -500, 500)))
        return numpy.stack([1.0 - p, p], axis=1)
    if head == "probability":
        return out
    e = numpy.exp(out - out.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class DecisionGrid:
    xs: numpy.ndarray  # (N,) first feature, in the data's own (unscaled) units
    ys: numpy.ndarray  # (N,) second feature
    probs: numpy.ndarray  # (N, N, C): probs[i, j] at (xs[j], ys[i])

    @property
    def classes(self) -> numpy.ndarray:
        return self.probs.argmax(axis=2)


def decision_grid(proba: Callable[[numpy.ndarray], numpy.ndarray], x: numpy.ndarray, n: int = 150,
                  margin: float = 0.1) -> DecisionGrid:
    """Probabilities on an n×n grid covering the rows `x` (2 features) with a margin; one batched call."""
    x = numpy.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != 2:
        raise OptionError(f"a decision boundary needs data with 2 features; this data has {x.shape[-1]}")
    if not 2 <= n <= MAX_GRID:
        raise OptionError(f"--grid: must be 2..{MAX_GRID}, not {n}")
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = numpy.maximum((hi - lo) * margin, 1e-3)
    xs, ys = numpy.linspace(lo[0] - pad[0], hi[0] + pad[0], n), numpy.linspace(lo[1] - pad[1], hi[1] + pad[1], n)
    gx, gy = numpy.meshgrid(xs, ys)
    p = proba(numpy.c_[gx.ravel(), gy.ravel()])
    return DecisionGrid(xs, ys, p.reshape(n, n, -1))


def confusion_matrix(truth: numpy.ndarray, predicted: numpy.ndarray, classes: int) -> numpy.ndarray:
    """counts[i, j]: rows of true class i predicted as class j."""
    counts = numpy.zeros((classes, classes), dtype=numpy.int64)
    numpy.add.at(counts, (numpy.asarray(truth, dtype=numpy.int64).ravel(),
                          numpy.asarray(predicted, dtype=numpy.int64).ravel()), 1)
    return counts
