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
from graphapp.core.analysis.recurrent import HiddenStates, Series, hidden_states
from graphapp.core.graph import Graph
from graphapp.core.train.data import Dataset, Prepared, prepare
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.errors import DataError, OptionError
from graphapp.core.train.sequences import Windowing, load_windows
from graphapp.core.values import as_value
from graphapp.core.train.templates import TEMPLATES, build_template
from graphapp.core.train.templates_rnn import OWN_DATA, RNN_TEMPLATES, SEQUENCE_DATA, TRAINING, windowing_of
from graphapp.core.train.trainer import Progress, TrainConfig, Trainer, TrainResult
from kernels.backend import to_numpy

SMALL_SET = 1000  # up to this many training rows the default batch is the whole set; above it, 100 rows
SEQUENCE_TEST = 0.3  # the lab's 70/30 split of a time series


@dataclass
class LabOptions:
    model: str
    data: str | None  # None: the model's own input values (hihello_rnn, an example) are the one batch
    target: str | None = None
    scale: str | None = None  # None: minmax for windows (as the lab), else none
    hidden: Sequence[int] | None = None
    activation: str | None = None
    init: str | None = None
    optimizer: str = "adam"
    lr: float | None = None
    steps: int | None = None
    epochs: int | None = None
    batch_size: int | None = None  # None: the default above; 0: the whole set ("full")
    test_fraction: float | None = None  # None: 0.3 for windows (the lab's 70/30), else 0.2
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
    window: int | None = None  # rows per window: the CSV becomes a time series (a stock template's default: 7)
    order: str | None = None  # the CSV's row order, oldest-first or newest-first (a stock template's: newest)

    def windowing(self, kept: Windowing | None = None) -> Windowing | None:
        """How the data becomes windows: given, else the stock template's recipe or the one an opened graph
        keeps (`kept`); None for plain rows."""
        recipe = SEQUENCE_DATA.get(self.model.strip().lower()) or kept
        if self.window is None and self.order is None and recipe is None:
            return None
        base = recipe or Windowing()
        return Windowing(base.window if self.window is None else self.window,
                         base.order if self.order is None else self.order).check()


@dataclass
class LabRun:
    options: LabOptions
    prepared: Prepared | None  # None: trained on the graph's own inputs
    graph: Graph
    trainer: Trainer
    result: TrainResult
    windowing: Windowing | None = None  # how a time series was cut into rows
    path: list[dict[str, numpy.ndarray]] = field(default_factory=list)  # parameters at the evaluations

    @property
    def data(self) -> Dataset | None:
        return None if self.prepared is None else self.prepared.train

    @property
    def task(self) -> str | None:
        return self.data.task if self.data is not None else self.graph.meta.get("train", {}).get("task")

    def predicted_text(self) -> str | None:
        """A character model's answer read as text (hihello_rnn: the predicted next characters)."""
        chars = self.graph.meta.get("train", {}).get("characters")
        if not chars or self.prepared is not None:
            return None
        out = self.trainer.outputs(numpy.zeros(1))[1]  # (steps, classes): one row of scores per character
        return None if out is None else "".join(chars[int(i)] for i in out.argmax(axis=1))

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
        if self.prepared is None or self.data is None:
            raise OptionError("--predict needs a data set (--data): the graph was trained on its own inputs")
        x = self.prepared.features(rows)
        out = self.trainer.predict(x)
        if self.data.task == "regression":
            values = self.prepared.y_scaler.invert(out.reshape(len(out), -1))
            return (values[:, 0] if values.shape[1] == 1 else values).tolist()
        chosen = [self.data.class_values[int(i)] for i in out]
        return [int(v) if v.is_integer() else v for v in chosen]

    def rmse_in_units(self) -> float | None:
        """The test RMSE in the target's own units (a min-max scale is a range: RMSE scales with it)."""
        rmse = self.result.final.test_rmse
        return None if rmse is None or self.prepared is None else rmse * float(self.prepared.y_scaler.scale[0])

    def naive_rmse(self) -> float | None:
        """The test RMSE (scaled units) of the naive forecast "the next value is the last one in the window",
        the baseline a time-series model has to beat; None where the target is not among the window's columns."""
        if self.windowing is None or self.prepared is None or self.prepared.test is None:
            return None
        test = self.prepared.test
        last = f"{test.target}[t-1]"
        if last not in test.features:
            return None
        i = test.features.index(last)
        xs, ys = self.prepared.x_scaler, self.prepared.y_scaler
        guess = test.x[:, i] * xs.scale[i] + xs.shift[i]  # in the file's units, then scaled as the target is
        truth = ys.invert(test.y.reshape(-1, 1))[:, 0]
        return float(numpy.sqrt(numpy.mean((guess - truth) ** 2)) / ys.scale[0])

    def series(self) -> Series:
        """Predicted against true target over the test span of a time-series run, in the file's units."""
        window = self.windowing
        test = None if self.prepared is None else self.prepared.test
        if window is None or test is None or self.result.final.test_rmse is None:
            raise OptionError("a predicted-against-true series needs a time series with a test span "
                              "(a stock template or --window, and a test fraction above 0)")
        y = self.prepared.y_scaler
        predicted = y.invert(self.trainer.predict(test.x).reshape(-1, 1))[:, 0]
        truth = y.invert(test.y.reshape(-1, 1))[:, 0]
        return Series(test.target, truth, predicted, self.prepared.train.n + window.window,
                      float(self.result.final.test_rmse), float(self.rmse_in_units()))

    def hidden(self, sample: int | None = None) -> HiddenStates:
        """The recurrent node's hidden state over one input: row `sample` of the test set (default its last,
        the newest window), or the graph's own input without a data set."""
        params = self.result.params
        if self.prepared is None:
            return hidden_states(self.graph, params)
        rows = self.prepared.test or self.prepared.train
        i = rows.n - 1 if sample is None else sample
        if not 0 <= i < rows.n:
            raise OptionError(f"--sample: row {i} does not exist (the rows are 0 to {rows.n - 1})")
        return hidden_states(self.graph, params, rows.x[i], self.trainer.x_id, i)

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


def parse_rows(text: str, features: int | None) -> numpy.ndarray:
    """--predict: a JSON list of rows ([[0, 1], [1, 1]]) or one row ([0, 1]). features None (the data set is not
    read yet: the check before training): any width, the same for every row."""
    try:
        rows = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise OptionError("--predict: not JSON; expected rows such as [[0, 1], [1, 1]]") from None
    if isinstance(rows, list) and rows and not isinstance(rows[0], list):
        rows = [rows]
    width = features if features is not None else len(rows[0]) if isinstance(rows, list) and rows and \
        isinstance(rows[0], list) else 0
    ok = isinstance(rows, list) and rows and width > 0 and all(
        isinstance(r, list) and len(r) == width and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                        for v in r) for r in rows)
    if not ok:
        if features is None:
            raise OptionError("--predict: expected a list of rows of numbers, all of one length, e.g. [[0, 1], [1, 1]]")
        raise OptionError(f"--predict: expected a list of rows of {features} numbers each, e.g. "
                          f"[{', '.join(['0'] * features)}]")
    return as_value(rows, "--predict")  # 1e400 or NaN: refused here, not as a NaN in some node of the graph


def build_model(opts: LabOptions, data: Dataset | None) -> Graph:
    key = opts.model.strip().lower()
    if key in TEMPLATES:
        if opts.hidden is not None and key not in ("mlp", "xor_net", *RNN_TEMPLATES):
            raise OptionError(f"--hidden: only mlp, xor_net and the recurrent templates have hidden layers; "
                              f"'{key}' has none")
        if opts.activation is not None and key != "mlp":
            raise OptionError(f"--activation: only mlp lets you choose; '{key}' has its own")
        if opts.init is not None and key in RNN_TEMPLATES:
            raise OptionError(f"--init: '{key}' starts its weights as PyTorch's recurrent layers do")
        return build_template(opts.model, data, hidden=opts.hidden, activation=opts.activation or "relu",
                              init=opts.init, seed=opts.seed, dropout=opts.dropout, batch_norm=opts.batch_norm,
                              l2=opts.l2, windowing=opts.windowing())
    given = [name for name, v in (("--hidden", opts.hidden), ("--activation", opts.activation), ("--init", opts.init))
             if v is not None]
    if given:
        raise OptionError(f"{given[0]}: only a template takes it ({', '.join(TEMPLATES)}); '{opts.model}' is a graph")
    if opts.dropout or opts.batch_norm or opts.l2:
        raise OptionError(f"dropout, batch normalization and L2 are settings of the mlp template, not of '{opts.model}'")
    return examples.open_target(opts.model)


def prepare_data(opts: LabOptions, size: int = 200, windowing: Windowing | None = None) -> Prepared | None:
    """The data as `opts` say: windows of a time series cut as `windowing` says (split in time order), or rows
    split at random; None without --data (the model's own inputs). `size`: rows of a generated set."""
    key = opts.model.strip().lower()
    windowing = opts.windowing() if windowing is None else windowing
    if opts.data is None:
        if opts.window is not None:  # given by the user: it cuts a CSV, and there is none to cut
            raise OptionError("--window: it cuts a CSV time series into windows; give the CSV with --data")
        if windowing is not None or key in TEMPLATES and key not in OWN_DATA:
            raise OptionError(f"--data: {opts.model} needs a data set")
        return None
    if windowing is not None:
        fraction = SEQUENCE_TEST if opts.test_fraction is None else opts.test_fraction
        return load_windows(opts.data, windowing, opts.target, fraction, opts.scale or "minmax")
    if key in OWN_DATA:
        raise OptionError(f"--data: {opts.model} brings its own data; leave --data out")
    data = load_dataset(opts.data, size=size, seed=opts.seed, target=opts.target)
    if data.task == "regression" and key in ("logistic_regression", "softmax_classifier", "xor_net"):
        raise DataError(f"'{data.name}' has a numeric target ({data.target}); {opts.model} needs classes")
    # as the lab does (MinMaxScaler over every column), a regression target is scaled with the features;
    # losses are then in scaled units, and predictions are turned back into the file's units
    fraction = 0.2 if opts.test_fraction is None else opts.test_fraction
    return prepare(data, fraction, opts.seed, opts.scale or "none", scale_target=True)


def run_lab(opts: LabOptions, callback: Callable[[Progress], None] | None = None,
            stop: threading.Event | None = None) -> LabRun:
    """Train as `opts` say; `stop` (the window's Stop) ends the run early, before any further update."""
    # an example or a graph file opens first: a saved stock model keeps how its rows were cut
    opened = None if opts.model.strip().lower() in TEMPLATES else build_model(opts, None)
    windowing = opts.windowing(None if opened is None else windowing_of(opened))
    prepared = prepare_data(opts, windowing=windowing)
    if prepared is None:  # the graph's own inputs are the one batch: options that split or scale rows do nothing
        idle = [name for name, v in (("--batch-size", opts.batch_size), ("--test-fraction", opts.test_fraction),
                                     ("--target", opts.target), ("--scale", opts.scale),
                                     ("--validation-fraction", opts.validation_fraction or None)) if v is not None]
        if idle:
            raise OptionError(f"{idle[0]}: '{opts.model}' trains on its own inputs as one batch; "
                              f"the option applies to a data set (--data)")
    graph = opened or build_model(opts, None if prepared is None else prepared.train)
    n = 1 if prepared is None else prepared.train.n
    batch = opts.batch_size if opts.batch_size is not None else (0 if n <= SMALL_SET else 100)
    lr, steps = opts.lr, opts.steps
    suggested = TRAINING.get(opts.model.strip().lower())
    if suggested is not None:  # a recurrent template's own settings (the lab's) where none are given
        lr = suggested[0] if lr is None and opts.optimizer == "adam" else lr
        steps = suggested[1] if steps is None and opts.epochs is None else steps
    settings = {k: v for k, v in (("lr", lr), ("weight_decay", opts.weight_decay)) if v is not None}
    config = TrainConfig(opts.optimizer, settings, batch or None, opts.epochs, steps, opts.seed,
                         validation_fraction=opts.validation_fraction, patience=opts.patience, dtype=opts.dtype)
    trainer = Trainer(graph, None if prepared is None else prepared.train,
                      None if prepared is None else prepared.test, config, opts.xp)
    path = [trainer.host_params()]

    def keep(progress: Progress) -> None:
        if progress.evaluation is not None:  # at most about 200 points: the path of a long run, sampled
            path.append({k: to_numpy(v) for k, v in progress.params.items()})  # off the device, if on one
        if callback is not None:
            callback(progress)
    result = trainer.run(stop, callback=keep)
    return LabRun(opts, prepared, graph, trainer, result, windowing, path)
