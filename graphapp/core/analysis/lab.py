"""One training run of the lab from its options (what `train`, `plot landscape` and `plot boundary` share):
the data loaded, split and scaled, the model built from a template or opened, trained, with its path kept."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, Sequence

import numpy

from graphapp.core import examples
from graphapp.core.analysis.classify import DecisionGrid, confusion_matrix, decision_grid, probabilities
from graphapp.core.analysis.landscape import Landscape, landscape
from graphapp.core.analysis.plane import training_loss
from graphapp.core.graph import Graph
from graphapp.core.train.data import Dataset, Prepared, prepare
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.errors import DataError, OptionError
from graphapp.core.train.templates import TEMPLATES, build_template
from graphapp.core.train.trainer import Progress, TrainConfig, Trainer, TrainResult
from kernels.backend import to_numpy

SMALL_SET = 1000  # up to this many training rows the default batch is the whole set; above it, 100 rows


@dataclass
class LabOptions:
    model: str
    data: str
    target: str | None = None
    scale: str = "none"
    hidden: Sequence[int] | None = None
    activation: str | None = None
    init: str | None = None
    optimizer: str = "adam"
    lr: float | None = None
    steps: int | None = None
    epochs: int | None = None
    batch_size: int | None = None  # None: the default above; 0: the whole set ("full")
    test_fraction: float = 0.2
    seed: int = 0
    dtype: str = "float64"  # or "float32"
    # regularization: the mlp template's dropout p, batch normalization and L2 penalty λ (nodes in the graph),
    # the optimizer's weight decay, and early stopping on a validation split of the training rows
    dropout: float = 0.0
    batch_norm: bool = False
    l2: float = 0.0
    weight_decay: float | None = None
    validation_fraction: float = 0.0
    patience: int | None = None
    xp: ModuleType = numpy  # the array backend the trainer runs on (kernels.backend.choose_xp)


@dataclass
class LabRun:
    options: LabOptions
    prepared: Prepared
    graph: Graph
    trainer: Trainer
    result: TrainResult
    path: list[dict[str, numpy.ndarray]] = field(default_factory=list)  # parameters at the evaluations

    @property
    def data(self) -> Dataset:
        return self.prepared.train

    def loss_at(self, params: dict[str, numpy.ndarray]) -> float:
        """The training loss with other parameter values (forward only, the compiled executor)."""
        t = self.trainer
        saved = t.params
        t.params = {k: t.xp.asarray(v, dtype=t.dtype) for k, v in params.items()}
        try:
            return float(t.outputs(t.train_set.x, t.y_train)[0])
        finally:
            t.params = saved

    def proba(self, features: numpy.ndarray) -> numpy.ndarray:
        """(N, C) class probabilities for rows already scaled as the training data."""
        out = self.trainer.outputs(numpy.asarray(features, dtype=float))[1]
        return probabilities(out, self.trainer.head)

    def predict_raw(self, rows: Any) -> list[Any]:
        """Predictions for raw feature rows: the class's own value for a classifier, else the output."""
        x = self.prepared.features(rows)
        out = self.trainer.predict(x)
        if self.data.task == "regression":
            values = self.prepared.y_scaler.invert(out.reshape(len(out), -1))
            return (values[:, 0] if values.shape[1] == 1 else values).tolist()
        chosen = [self.data.class_values[int(i)] for i in out]
        return [int(v) if v.is_integer() else v for v in chosen]

    def landscape(self, grid: int = 25, seed: int | None = 0, directions: str = "random") -> Landscape:
        return landscape(self.loss_at, self.result.params, self.path, grid=grid, seed=seed, directions=directions,
                         plane=training_loss(self.trainer).plane)

    def boundary(self, n: int = 150) -> DecisionGrid:
        self._classifier("a decision boundary")
        full = numpy.concatenate([self.prepared.x_scaler.invert(self.data.x)]
                                 + ([self.prepared.x_scaler.invert(self.prepared.test.x)] if self.prepared.test else []))
        return decision_grid(lambda raw: self.proba(self.prepared.features(raw)), full, n)

    def confusion(self) -> numpy.ndarray:
        """Counts on the test rows (the training rows without a test split)."""
        self._classifier("a confusion matrix")
        d = self.prepared.test or self.data
        truth = d.y if d.y.ndim == 1 else d.y[:, 0]
        return confusion_matrix(truth, self.trainer.predict(d.x), d.n_classes)

    def _classifier(self, what: str) -> None:
        if self.data.task == "regression":
            raise OptionError(f"{what} needs a classifier; '{self.data.name}' is a regression")


def parse_hidden(text: str, where: str = "--hidden") -> tuple[int, ...]:
    """Hidden layer sizes typed as "300,100"; `where` names the option or field in an error."""
    try:
        sizes = tuple(int(s) for s in text.split(","))
    except ValueError:
        raise OptionError(f"{where} {text!r}: expected sizes separated by commas, e.g. 300,100") from None
    if not sizes or any(not 1 <= s <= 100_000 for s in sizes):
        raise OptionError(f"{where} {text!r}: each size must be 1..100,000")
    return sizes


def parse_rows(text: str, features: int) -> numpy.ndarray:
    """--predict: a JSON list of rows ([[0, 1], [1, 1]]) or one row ([0, 1])."""
    try:
        rows = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise OptionError("--predict: not JSON; expected rows such as [[0, 1], [1, 1]]") from None
    if isinstance(rows, list) and rows and not isinstance(rows[0], list):
        rows = [rows]
    ok = isinstance(rows, list) and rows and all(
        isinstance(r, list) and len(r) == features and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                           for v in r) for r in rows)
    if not ok:
        raise OptionError(f"--predict: expected a list of rows of {features} numbers each, e.g. "
                          f"[{', '.join(['0'] * features)}]")
    return numpy.asarray(rows, dtype=float)


def build_model(opts: LabOptions, data: Dataset) -> Graph:
    key = opts.model.strip().lower()
    if key in TEMPLATES:
        if opts.hidden is not None and key not in ("mlp", "xor_net"):
            raise OptionError(f"--hidden: only mlp and xor_net have hidden layers; '{key}' has none")
        if opts.activation is not None and key != "mlp":
            raise OptionError(f"--activation: only mlp lets you choose; '{key}' has its own")
        return build_template(opts.model, data, hidden=opts.hidden, activation=opts.activation or "relu",
                              init=opts.init, seed=opts.seed, dropout=opts.dropout, batch_norm=opts.batch_norm,
                              l2=opts.l2)
    given = [name for name, v in (("--hidden", opts.hidden), ("--activation", opts.activation), ("--init", opts.init))
             if v is not None]
    if given:
        raise OptionError(f"{given[0]}: only a template takes it ({', '.join(TEMPLATES)}); '{opts.model}' is a graph")
    if opts.dropout or opts.batch_norm or opts.l2:
        raise OptionError(f"dropout, batch normalization and L2 are settings of the mlp template, not of '{opts.model}'")
    return examples.open_target(opts.model)


def run_lab(opts: LabOptions, callback: Callable[[Progress], None] | None = None,
            stop: threading.Event | None = None) -> LabRun:
    """Train as `opts` say; `stop` (the window's Stop) ends the run early, before any further update."""
    data = load_dataset(opts.data, seed=opts.seed, target=opts.target)
    if data.task == "regression" and opts.model.strip().lower() in ("logistic_regression", "softmax_classifier", "xor_net"):
        raise DataError(f"'{data.name}' has a numeric target ({data.target}); {opts.model} needs classes")
    # as the lab does (MinMaxScaler over every column), a regression target is scaled with the features;
    # losses are then in scaled units, and predictions are turned back into the file's units
    prepared = prepare(data, opts.test_fraction, opts.seed, opts.scale, scale_target=True)
    graph = build_model(opts, prepared.train)
    n = prepared.train.n
    batch = opts.batch_size if opts.batch_size is not None else (0 if n <= SMALL_SET else 100)
    settings = {k: v for k, v in (("lr", opts.lr), ("weight_decay", opts.weight_decay)) if v is not None}
    config = TrainConfig(opts.optimizer, settings, batch or None, opts.epochs, opts.steps, opts.seed,
                         validation_fraction=opts.validation_fraction, patience=opts.patience, dtype=opts.dtype)
    trainer = Trainer(graph, prepared.train, prepared.test, config, opts.xp)
    path = [trainer.host_params()]

    def keep(progress: Progress) -> None:
        if progress.evaluation is not None:  # at most about 200 points: the path of a long run, sampled
            path.append({k: to_numpy(v) for k, v in progress.params.items()})  # off the device, if on one
        if callback is not None:
            callback(progress)
    result = trainer.run(stop, callback=keep)
    return LabRun(opts, prepared, graph, trainer, result, path)
