"""Training any graph: its parameter nodes updated from the executor's gradients, its data inputs fed in batches.

The graph itself is never changed while training (a run may be on a worker thread while the window shows
the graph): the trainer keeps the parameters in its own dict and runs private copies of the graph, one
per batch height (the full batch, the smaller last one, the evaluation sets), each with its compiled
Executor. `apply(graph)` writes the trained values back, on the caller's thread.

A batch size of the whole set, 1, or anything between gives batch gradient descent, SGD and mini-batch
(the last batch of an epoch may be smaller). Rows are shuffled every epoch by a generator seeded from the
run's seed, so a run is reproducible from its seed and its starting parameters.

Training and evaluation differ for dropout and batch_norm: every update runs its Executor in training mode
(set_mode with the step number, which picks the dropout masks), every evaluation and prediction in
evaluation mode. batch_norm's running statistics are its constant inputs: the trainer keeps them beside
the parameters (`buffers`), feeds them to every run and updates them after each step from the batch the
node saw. Early stopping holds back a validation split of the training rows: after `patience` evaluations
(one per epoch by default) without a lower validation loss, training stops and the best parameters (and
running statistics) come back.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, Iterator

import numpy

from graphapp.core.executor import Executor
from graphapp.core.graph import Graph
from graphapp.core.ops import MODAL_OPS
from graphapp.core.train.data import Dataset, split
from graphapp.core.train.errors import OptionError
from graphapp.core.train.optim import Optimizer, make_optimizer
from kernels.backend import to_numpy
from kernels.regularization import running_stats

# loss op -> (port that holds the model's output, what that output is)
LOSS_HEADS = {"mse": ("pred", "value"), "bce": ("pred", "probability"),
              "bce_with_logits": ("logits", "logits"), "softmax_cross_entropy": ("logits", "logits")}


@dataclass
class TrainConfig:
    optimizer: str = "sgd"
    settings: dict[str, Any] = field(default_factory=dict)  # the optimizer's (lr, momentum, …)
    batch_size: int | None = None  # None: the whole training set (batch gradient descent)
    epochs: int | None = None  # give epochs or steps; neither: 10 epochs
    steps: int | None = None
    seed: int | None = 0
    x: str | None = None  # data input node ids; default meta.train's, else nodes named X and Y
    y: str | None = None
    eval_every: int | None = None  # steps between evaluations; default once per epoch (≤ 200 in a run)
    validation_fraction: float = 0.0  # rows of the training set held back for validation (early stopping)
    patience: int | None = None  # evaluations without a lower validation loss before stopping; None: never
    dtype: str = "float64"  # or "float32": PyTorch's default precision, at about twice the speed


@dataclass(frozen=True)
class Evaluation:
    step: int
    epoch: float  # epochs done, fractional between epoch ends
    train_loss: float
    train_accuracy: float | None
    test_loss: float | None
    test_accuracy: float | None
    val_loss: float | None = None
    val_accuracy: float | None = None
    test_rmse: float | None = None  # a regression's root mean squared error on the test set (scaled units)


@dataclass
class History:
    loss: list[float] = field(default_factory=list)  # each step's batch loss, before its update
    evaluations: list[Evaluation] = field(default_factory=list)
    best_step: int | None = None  # the step with the lowest validation loss so far
    stopped_early: int | None = None  # the step at which early stopping ended the run


@dataclass(frozen=True)
class Progress:
    step: int
    total_steps: int
    epoch: int
    loss: float
    evaluation: Evaluation | None  # set on the steps that were evaluated
    params: dict[str, Any]  # the current values (shared arrays: read, never modify)


@dataclass(frozen=True)
class TrainResult:
    history: History
    params: dict[str, numpy.ndarray]
    final: Evaluation
    steps: int
    seconds: float
    stopped: bool


def _find(graph: Graph, given: str | None, role: str) -> str:
    name = given or graph.meta.get("train", {}).get(role) or role.upper()
    if name in graph.nodes:
        node = graph.nodes[name]
    else:
        matches = [n for n in graph.nodes.values() if n.label == name]
        if len(matches) != 1:
            raise OptionError(f"data input '{name}' ({role}) is not a node of the graph"
                              + (" (two nodes have that label)" if matches else ""))
        node = matches[0]
    if node.op != "input":
        raise OptionError(f"node '{node.id}' is a {node.op} node; the {role} data must feed an input node")
    return node.id


def clone_with(graph: Graph, values: dict[str, numpy.ndarray]) -> Graph:
    """A copy of the graph's structure with some values replaced (other shapes allowed): the trainer's runner
    for another batch size, the gradient check's cut data, the feature maps' one sample."""
    g = Graph()
    for node in graph.nodes.values():
        g.add_node(node.op, node.id, value=values.get(node.id, node.value), attrs=dict(node.attrs))
    for e in graph.edges:
        g.connect(e.src, e.dst, e.port)
    return g


class Trainer:
    def __init__(self, graph: Graph, train: Dataset | None, test: Dataset | None = None,
                 config: TrainConfig | None = None, xp: ModuleType = numpy) -> None:
        self.config = config or TrainConfig()
        self.graph, self.train_set, self.test_set, self.xp = graph, train, test, xp
        c = self.config
        # no data set: the graph's own input values are the (only) batch, as in a lecture's worked example
        self.fixed = train is None
        if self.fixed and test is not None:
            raise OptionError("a test set needs a training set")
        self.x_id = self.y_id = None
        if not self.fixed:
            self.x_id, self.y_id = _find(graph, c.x, "x"), _find(graph, c.y, "y")
        self.fixed_classes = self._fixed_classes() if self.fixed else None
        self.param_ids = [n for n, node in graph.nodes.items() if node.op == "param"]
        if not self.param_ids:
            raise OptionError("the graph has no parameter nodes to train")
        outputs = graph.outputs()
        if len(outputs) != 1:
            raise OptionError(f"training needs one scalar output (the loss); the graph has {len(outputs)}: "
                              f"{', '.join(outputs)}")
        self.loss_id = outputs[0]
        shape = graph.infer_shapes()[self.loss_id]  # raises the graph's own error if it cannot run
        if int(numpy.prod(shape)) != 1:
            raise OptionError(f"training needs a scalar loss; output '{self.loss_id}' has shape {shape} "
                              "(end the graph with a loss, or a sum or mean)")
        self.prediction, self.head = self._prediction()
        train, self.val_set = self._validation(train)
        self.train_set = train
        self.y_val = self._targets(self.val_set) if self.val_set is not None else None
        self.y_train = self._targets(train) if train is not None else None
        self.y_test = self._targets(test) if test is not None else None
        if train is not None and train.x.shape[1:] != graph.nodes[self.x_id].value.shape[1:]:
            raise OptionError(f"node '{self.x_id}' takes rows of {graph.nodes[self.x_id].value.shape[1:]} values; "
                              f"the data has {train.x.shape[1]} features")
        n = 1 if train is None else train.n
        b = n if c.batch_size is None else int(c.batch_size)
        if not 1 <= b:
            raise OptionError(f"batch size must be ≥ 1, not {c.batch_size}")
        self.batch = min(b, n)
        self.steps_per_epoch = -(-n // self.batch)
        self.modal = any(node.op in MODAL_OPS for node in graph.nodes.values())
        self.norms, buffers = self._batch_norms(n)
        if c.steps is not None and c.epochs is not None:
            raise OptionError("give either steps or epochs, not both")
        total = c.steps if c.steps is not None else (10 if c.epochs is None else c.epochs) * self.steps_per_epoch
        if c.steps is not None and c.steps < 1 or c.epochs is not None and c.epochs < 1:
            raise OptionError("steps and epochs must be ≥ 1")
        self.total_steps = int(total)
        # default: once per epoch, but at most about 200 evaluations in a run (full-batch runs have 1-step epochs)
        self.eval_every = int(c.eval_every) if c.eval_every else max(self.steps_per_epoch, -(-self.total_steps // 200))
        if c.dtype not in ("float64", "float32"):
            raise OptionError(f"dtype must be float64 or float32, not {c.dtype!r}")
        self.dtype = c.dtype
        self.optimizer: Optimizer = make_optimizer(c.optimizer, xp, **c.settings)
        self.params = {k: xp.asarray(graph.nodes[k].value, dtype=self.dtype) for k in self.param_ids}
        self.buffers = {k: xp.asarray(graph.nodes[k].value, dtype=self.dtype) for k in buffers}
        self._best: tuple[float, int, dict[str, Any], dict[str, Any]] | None = None
        self._waited = 0  # evaluations since the best validation loss
        self._wrt = frozenset(self.param_ids)  # the only gradients a step needs: none for the data
        # every data set on the array backend in the run's dtype, once: each batch is then one take on the
        # device, and an evaluation copies nothing there (on a GPU only the outputs come back, for accuracy)
        self._x_train, self._y_train = self._on_backend(train, self.y_train)
        self._x_test, self._y_test = self._on_backend(test, self.y_test)
        self._x_val, self._y_val = self._on_backend(self.val_set, self.y_val)
        self._rng = numpy.random.default_rng(c.seed)
        self._runners: dict[tuple[int, bool], Executor] = {}
        self._batches: Iterator[numpy.ndarray] = self._batch_order()
        self.step_count = 0
        self.history = History()

    # ---- set-up ----------------------------------------------------------------------------------
    def _prediction(self) -> tuple[str | None, str]:
        """The node whose value is the model's output, found from the loss op, and what kind it is."""
        loss = self.graph.nodes[self.loss_id]
        if loss.op == "output":
            src = self.graph.source_of(loss.id, "x")
            loss = self.graph.nodes[src] if src else loss
        while loss.op == "add":  # a cost with penalties added: the loss is the one add input that is a loss
            heads = [self.graph.nodes[s] for s in self.graph.input_sources(loss.id)
                     if s is not None and self.graph.nodes[s].op in (*LOSS_HEADS, "add")]
            if len(heads) != 1:
                break
            loss = heads[0]
        if loss.op not in LOSS_HEADS:
            return None, "value"
        port, kind = LOSS_HEADS[loss.op]
        return self.graph.source_of(loss.id, port), kind

    def _fixed_classes(self) -> numpy.ndarray | None:
        """In fixed mode, a classifier template's own targets (meta.train names Y and the task), so its
        accuracy can be reported (hihello_rnn's next characters); None for any other graph."""
        spec = self.graph.meta.get("train", {})
        node = self.graph.nodes.get(spec.get("y", ""))
        if spec.get("task") not in ("binary", "multiclass") or node is None or node.value is None:
            return None
        return numpy.asarray(node.value).reshape(-1).astype(numpy.int64)

    def _validation(self, train: Dataset | None) -> tuple[Dataset | None, Dataset | None]:
        """The training rows split into (train, validation) by the run's seed, as the config asks."""
        c = self.config
        fraction = c.validation_fraction
        if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0.0 <= fraction < 1.0:
            raise OptionError(f"validation fraction must be in [0, 1), not {fraction!r}")
        if c.patience is not None and (isinstance(c.patience, bool) or not isinstance(c.patience, int)
                                       or c.patience < 1):
            raise OptionError(f"patience must be a whole number ≥ 1, not {c.patience!r}")
        if c.patience is not None and fraction == 0.0:
            raise OptionError("early stopping (patience) needs a validation fraction above 0")
        if fraction == 0.0:
            return train, None
        if train is None:
            raise OptionError("a validation split needs a training set")
        if train.n < 2:
            raise OptionError(f"a validation split needs at least 2 training rows; '{train.name}' has {train.n}")
        return split(train, fraction, c.seed)

    def _batch_norms(self, rows: int) -> tuple[list[tuple[str, str, str, str, float]], list[str]]:
        """(node, its x source, running-mean node, running-variance node, momentum) per batch_norm node."""
        g, norms, buffers = self.graph, [], []
        for nid, node in g.nodes.items():
            if node.op != "batch_norm":
                continue
            srcs = {port: g.source_of(nid, port) for port in ("x", "running_mean", "running_var")}
            for port in ("running_mean", "running_var"):
                if g.nodes[srcs[port]].op != "const":
                    raise OptionError(f"node '{nid}': {port} comes from '{srcs[port]}', a {g.nodes[srcs[port]].op} "
                                      "node; it must be a constant node (the trainer updates it)")
            batch, x_shape = self.batch, g.infer_shapes()[srcs["x"]]
            if self.fixed:  # the graph's own input is the batch
                rows = batch = x_shape[0]
            # torch refuses too: one value per statistic has no variance (an image's H·W values suffice)
            if math.prod(x_shape[2:]) == 1 and (batch == 1 or rows % batch == 1):
                raise OptionError(f"node '{nid}': batch normalization needs at least 2 rows in every batch; "
                                  f"a batch size of {batch} for {rows} rows leaves a batch of 1")
            momentum = float({**node.spec.default_attrs(), **node.attrs}["momentum"])
            norms.append((nid, srcs["x"], srcs["running_mean"], srcs["running_var"], momentum))
            buffers += [srcs["running_mean"], srcs["running_var"]]
        return norms, buffers

    def _targets(self, data: Dataset) -> numpy.ndarray:
        """The targets in the shape the graph's Y node has: column, class indices or one-hot rows."""
        want = self.graph.nodes[self.y_id].value.shape
        y = data.y
        if data.task == "multiclass" and len(want) == 2 and want[1] == data.n_classes:
            y = data.one_hot()
        elif len(want) == 1 and y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.shape[1:] != tuple(want[1:]):
            raise OptionError(f"node '{self.y_id}' takes targets of shape {tuple(want[1:]) or 'one value'} per row; "
                              f"'{data.name}' has {y.shape[1:] or 'one value'}")
        return numpy.asarray(y, dtype=float)

    def _runner(self, rows: int, training: bool = False) -> Executor:
        key = (rows, training and self.modal)  # without dropout or batch_norm both modes are one run
        ex = self._runners.get(key)
        if ex is None:
            g = self.graph
            values = {} if self.fixed else {self.x_id: numpy.zeros((rows, *g.nodes[self.x_id].value.shape[1:])),
                                            self.y_id: numpy.zeros((rows, *g.nodes[self.y_id].value.shape[1:]))}
            ex = self._runners[key] = Executor(clone_with(g, values), self.xp, training=key[1], dtype=self.dtype)
        return ex

    def _on_backend(self, data: Dataset | None, y: numpy.ndarray | None) -> tuple[Any, Any]:
        if data is None:
            return None, None
        return self.xp.asarray(data.x, dtype=self.dtype), self.xp.asarray(y, dtype=self.dtype)

    def _batch_order(self) -> Iterator[numpy.ndarray]:
        n = 1 if self.train_set is None else self.train_set.n
        while True:
            order = self._rng.permutation(n) if self.batch < n else numpy.arange(n)
            for i in range(0, n, self.batch):
                yield order[i:i + self.batch]

    # ---- running ---------------------------------------------------------------------------------
    def _feed(self, x: numpy.ndarray, y: numpy.ndarray) -> dict[str, Any]:
        xp = self.xp
        if self.fixed:
            return {**self.params, **self.buffers}
        return {self.x_id: xp.asarray(x, dtype=self.dtype), self.y_id: xp.asarray(y, dtype=self.dtype),
                **self.params, **self.buffers}

    def step(self) -> float:
        """One update on the next batch; returns that batch's loss (before the update)."""
        idx = next(self._batches)
        if self.fixed:
            x = y = None
        elif len(idx) == self.train_set.n:  # the whole set in its own order (batch gradient descent): no copy
            x, y = self._x_train, self._y_train
        else:  # the order is drawn on the host (the same batches on every backend), then taken on the device
            rows = idx if self.xp is numpy else self.xp.asarray(idx)
            x, y = self._x_train[rows], self._y_train[rows]
        runner = self._runner(len(idx), training=True)
        if self.modal:
            runner.set_mode(True, self.step_count)  # this step's dropout masks
        # x and y are rows of the sets already on the backend in the run's dtype: no conversion to ask for
        values = {**self.params, **self.buffers} if self.fixed else \
            {self.x_id: x, self.y_id: y, **self.params, **self.buffers}
        trace = runner.run(record=False, values=values, wrt=self._wrt)
        # the optimizer looks up its parameters' gradients: the others in the trace are passed over
        self.params = self.optimizer.step(self.params, trace.grads)
        for _, x_src, mean, var, momentum in self.norms:
            self.buffers[mean], self.buffers[var] = running_stats(
                self.xp, trace.values[x_src], self.buffers[mean], self.buffers[var], momentum)
        self.step_count += 1
        # the one number a step brings to the host (the curve, the progress bar); on a GPU the executor's
        # finiteness check has already waited for it, so this is a copy of 8 bytes, not another sync
        loss = float(trace.values[self.loss_id])
        self.history.loss.append(loss)
        return loss

    def outputs(self, x: numpy.ndarray, y: numpy.ndarray | None = None) -> tuple[float | None, numpy.ndarray | None]:
        """(loss, model output) for rows x (targets y, or zeros when unknown), forward only."""
        if y is None and not self.fixed:
            y = numpy.zeros((len(x), *self.graph.nodes[self.y_id].value.shape[1:]))
        trace = self._runner(1 if self.fixed else len(x)).run(backward=False, record=False, values=self._feed(x, y))
        out = to_numpy(trace.values[self.prediction]) if self.prediction else None
        return float(trace.values[self.loss_id]), out

    def predict(self, x: numpy.ndarray) -> numpy.ndarray:
        """The model's answer for feature rows (already scaled as the training data): a class index per row
        for a classifier (probability ≥ 0.5 or logit ≥ 0 for two classes, argmax for more), else the output."""
        if self.prediction is None:
            raise OptionError(f"the graph's loss '{self.loss_id}' is not one of "
                              f"{', '.join(LOSS_HEADS)}: it has no prediction to read")
        out = self.outputs(numpy.asarray(x, dtype=float))[1]
        return self._decide(out) if self.train_set is not None and self.train_set.task != "regression" else out

    def _decide(self, out: numpy.ndarray) -> numpy.ndarray:
        if out.ndim == 2 and out.shape[1] > 1:
            return out.argmax(axis=1)
        cut = 0.5 if self.head == "probability" else 0.0
        return (out.reshape(len(out)) >= cut).astype(numpy.int64)

    def _accuracy(self, out: numpy.ndarray | None, data: Dataset) -> float | None:
        if out is None or data.task == "regression":
            return None
        truth = data.y if data.y.ndim == 1 else data.y[:, 0]
        return float(numpy.mean(self._decide(out) == truth.astype(numpy.int64)))

    def evaluate(self) -> Evaluation:
        if self.fixed:
            loss, out = self.outputs(numpy.zeros(1))
            acc = None if self.fixed_classes is None or out is None \
                else float(numpy.mean(self._decide(out) == self.fixed_classes))
            return Evaluation(self.step_count, float(self.step_count), loss, acc, None, None)
        loss, out = self.outputs(self._x_train, self._y_train)
        test_loss = test_acc = test_rmse = None
        if self.test_set is not None:
            test_loss, test_out = self.outputs(self._x_test, self._y_test)
            test_acc = self._accuracy(test_out, self.test_set)
            if self.test_set.task == "regression" and test_out is not None:
                test_rmse = float(numpy.sqrt(numpy.mean((test_out.reshape(self.y_test.shape) - self.y_test) ** 2)))
        val_loss = val_acc = None
        if self.val_set is not None:
            val_loss, val_out = self.outputs(self._x_val, self._y_val)
            val_acc = self._accuracy(val_out, self.val_set)
        return Evaluation(self.step_count, self.step_count / self.steps_per_epoch, loss,
                          self._accuracy(out, self.train_set), test_loss, test_acc, val_loss, val_acc, test_rmse)

    def _early_stop(self, evaluation: Evaluation) -> bool:
        """Note the best validation loss; True (with the best values restored) once patience runs out."""
        if evaluation.val_loss is None:
            return False
        if self._best is None or evaluation.val_loss < self._best[0]:
            self._best = (evaluation.val_loss, evaluation.step, dict(self.params), dict(self.buffers))
            self.history.best_step, self._waited = evaluation.step, 0
            return False
        self._waited += 1
        if self.config.patience is None or self._waited < self.config.patience:
            return False
        self.params, self.buffers = dict(self._best[2]), dict(self._best[3])
        self.history.stopped_early = self.step_count
        return True

    def run(self, stop: threading.Event | None = None,
            callback: Callable[[Progress], None] | None = None) -> TrainResult:
        """Train until total_steps (counted across calls) or until `stop` is set (checked before every step)."""
        start = time.perf_counter()
        stopped = False
        if not self.history.evaluations:
            self.history.evaluations.append(self.evaluate())  # the starting point of every curve
            self._early_stop(self.history.evaluations[0])
        # an update that overflows (--lr 1e308) makes inf/NaN parameters, refused by the next forward pass
        # by node; numpy's own RuntimeWarning would be a second, untranslated line on stderr
        with numpy.errstate(all="ignore"):
            while self.step_count < self.total_steps and self.history.stopped_early is None:
                if stop is not None and stop.is_set():
                    stopped = True
                    break
                loss = self.step()
                evaluation = None
                if self.step_count % self.eval_every == 0 or self.step_count == self.total_steps:
                    evaluation = self.evaluate()
                    self.history.evaluations.append(evaluation)
                stopping = evaluation is not None and self._early_stop(evaluation)
                if callback is not None:
                    callback(Progress(self.step_count, self.total_steps, (self.step_count - 1) // self.steps_per_epoch,
                                      loss, evaluation, self.params))
                if stopping:
                    break
        last = self.history.evaluations[-1] if self.history.evaluations else None
        # after early stopping the best parameters are back: the final numbers are theirs
        final = last if last is not None and last.step == self.step_count and self.history.stopped_early is None \
            else self.evaluate()
        return TrainResult(self.history, self.host_params(), final, self.step_count,
                           time.perf_counter() - start, stopped)

    def host_params(self) -> dict[str, numpy.ndarray]:
        return {k: to_numpy(v) for k, v in self.params.items()}

    def apply(self, graph: Graph | None = None) -> None:
        """Write the current parameter values into the graph (the caller's thread; notifies its listeners)."""
        g = graph or self.graph
        for k, v in {**self.host_params(), **{k: to_numpy(v) for k, v in self.buffers.items()}}.items():
            g.set_value(k, v)


def train(graph: Graph, train_set: Dataset | None, test_set: Dataset | None = None, config: TrainConfig | None = None,
          stop: threading.Event | None = None, callback: Callable[[Progress], None] | None = None,
          xp: ModuleType = numpy) -> TrainResult:
    """Train a graph in one call (the CLI's path); the graph is left as it was."""
    return Trainer(graph, train_set, test_set, config, xp).run(stop, callback)
