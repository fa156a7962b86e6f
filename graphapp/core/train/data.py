"""A data set in memory (features, targets, task), its train/test split and feature scaling.

Targets: a regression or binary target is a column (N, 1) of floats, the shape a sigmoid or linear
output has; a multi-class target is a vector (N,) of class indices, what softmax_cross_entropy takes
(one_hot() gives the (N, C) rows where a graph wants them).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy

from graphapp.core.train.errors import DataError, OptionError

TASKS = ("regression", "binary", "multiclass")
MAX_CLASSES = 100  # an integer target with more distinct values than this is a quantity, not a class


@dataclass(frozen=True)
class Dataset:
    x: numpy.ndarray  # (N, F) float64
    y: numpy.ndarray  # (N, 1) float64, or (N,) int64 class indices for "multiclass"
    task: str
    name: str = ""
    features: tuple[str, ...] = ()
    target: str = "y"
    class_values: tuple[float, ...] = ()  # the target's original value of each class index

    @property
    def n(self) -> int:
        return int(self.x.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.x.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.class_values) if self.task != "regression" else 0

    @property
    def n_outputs(self) -> int:
        """Width of a model's last layer: 1 for regression and binary, C for C classes."""
        return self.n_classes if self.task == "multiclass" else 1

    def take(self, index: numpy.ndarray) -> "Dataset":
        return replace(self, x=self.x[index], y=self.y[index])

    def one_hot(self) -> numpy.ndarray:
        if self.task != "multiclass":
            return self.y
        return numpy.eye(self.n_classes)[self.y]


def targets_from(column: numpy.ndarray, task: str = "auto", where: str = "target") -> tuple[numpy.ndarray, str, tuple[float, ...]]:
    """(y, task, class_values) from a target column. "auto": integers with 2 distinct values are binary,
    with 3..MAX_CLASSES distinct non-negative values (at most one per row in five) classes; else regression."""
    if task not in ("auto", "classification", *TASKS):
        raise OptionError(f"unknown task '{task}' (choose one of: auto, regression, classification)")
    values = numpy.unique(column)
    integral = bool(numpy.all(column == numpy.round(column)))
    if task == "auto":
        few = len(values) <= MAX_CLASSES and (len(values) == 2 or len(values) * 5 <= len(column))
        task = "classification" if integral and few and values.min() >= 0 else "regression"
    if task == "regression":
        return column.astype(float).reshape(-1, 1), "regression", ()
    if not integral:
        raise DataError(f"{where}: a class target must hold whole numbers (found {column[column != numpy.round(column)][0]:g})")
    if len(values) < 2:
        raise DataError(f"{where}: a classification needs at least 2 classes (all rows are {values[0]:g})")
    index = numpy.searchsorted(values, column)
    if len(values) == 2 and task != "multiclass":
        return index.astype(float).reshape(-1, 1), "binary", tuple(float(v) for v in values)
    return index.astype(numpy.int64), "multiclass", tuple(float(v) for v in values)


def split(data: Dataset, test_fraction: float, seed: int | None = 0) -> tuple[Dataset, Dataset | None]:
    """Shuffle with the seed, then keep the last `test_fraction` of the rows for testing (None for 0)."""
    if not 0.0 <= test_fraction < 1.0:
        raise OptionError(f"test fraction must be in [0, 1), not {test_fraction}")
    if test_fraction == 0.0:
        return data, None
    n_test = max(1, int(round(data.n * test_fraction)))
    if n_test >= data.n:
        raise OptionError(f"test fraction {test_fraction} leaves no training rows out of {data.n}")
    order = numpy.random.default_rng(seed).permutation(data.n)
    return data.take(order[:-n_test]), data.take(order[-n_test:])


@dataclass(frozen=True)
class Scaler:
    """Min-max to [0, 1] or standardization to mean 0, std 1, per column, fitted on the training rows only
    (the test rows must not leak into the statistics). A constant column maps to 0."""

    kind: str
    shift: numpy.ndarray
    scale: numpy.ndarray

    @classmethod
    def fit(cls, a: numpy.ndarray, kind: str, names: Sequence[str] = ()) -> "Scaler":
        """Fitted on `a`'s rows; a column whose span or spread is beyond float64 (values near ±1.8e308) is
        refused by its name in `names` (else its number from 1), before a warning or an inf can appear."""
        a = a.reshape(len(a), -1)
        if kind == "none":
            return cls(kind, numpy.zeros(a.shape[1]), numpy.ones(a.shape[1]))
        with numpy.errstate(over="ignore", invalid="ignore"):
            if kind == "minmax":
                shift, scale = a.min(axis=0), a.max(axis=0) - a.min(axis=0)
            elif kind == "standard":
                shift, scale = a.mean(axis=0), a.std(axis=0)
            else:
                raise OptionError(f"unknown scaling '{kind}' (choose one of: none, minmax, standard)")
        wide = numpy.flatnonzero(~(numpy.isfinite(shift) & numpy.isfinite(scale)))
        if wide.size:
            i = int(wide[0])
            name = names[i] if i < len(names) else str(i + 1)
            raise OptionError(f"--scale {kind}: column '{name}' spans more than 1.8e308, too wide to scale; "
                              "use --scale none")
        return cls(kind, shift, numpy.where(scale > 0, scale, 1.0))

    def apply(self, a: numpy.ndarray) -> numpy.ndarray:
        with numpy.errstate(over="ignore", invalid="ignore"):  # a row far outside the fitted span: inf, refused
            return (a - self.shift) / self.scale              # where it enters the graph, by node

    def invert(self, a: numpy.ndarray) -> numpy.ndarray:
        return a * self.scale + self.shift


@dataclass(frozen=True)
class Prepared:
    """What a training run uses: scaled train and test sets and the scalers that made them."""

    train: Dataset
    test: Dataset | None
    x_scaler: Scaler
    y_scaler: Scaler  # identity unless a regression target was scaled too

    def features(self, raw: numpy.ndarray) -> numpy.ndarray:
        """Raw feature rows as the model sees them."""
        raw = numpy.asarray(raw, dtype=float)
        if raw.ndim != 2 or raw.shape[1] != self.train.n_features:
            raise DataError(f"rows to predict need {self.train.n_features} values each "
                            f"({', '.join(self.train.features)}); got shape {raw.shape}")
        return self.x_scaler.apply(raw)


def prepare(data: Dataset, test_fraction: float = 0.2, seed: int | None = 0, scale: str = "none",
            scale_target: bool = False) -> Prepared:
    train, test = split(data, test_fraction, seed)
    xs = Scaler.fit(train.x, scale, data.features)
    ys = Scaler.fit(train.y, scale if scale_target and data.task == "regression" else "none", (data.target,))

    def scaled(d: Dataset | None) -> Dataset | None:
        return None if d is None else replace(d, x=xs.apply(d.x), y=ys.apply(d.y) if ys.kind != "none" else d.y)
    return Prepared(scaled(train), scaled(test), xs, ys)
