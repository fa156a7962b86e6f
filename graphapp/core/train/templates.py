"""Model templates as ordinary graphs (opened and edited like the examples), sized from a data set.

Node names follow the lectures: X and Y the data, W1/b1… the parameters, H the hypothesis (or `logits`
before a softmax), `cost` the loss. graph.meta["train"] names the data inputs and keeps each parameter's
initializer, so a run knows what to feed and `reinitialize` can draw fresh values.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy

from graphapp.core.graph import Graph
from graphapp.core.train.data import Dataset
from graphapp.core.train.errors import OptionError
from graphapp.core.train.init import Initializer, initialize, make_initializer
from graphapp.core.train.sequences import Windowing
from graphapp.core.train.templates_cnn import CNN_TEMPLATES, CNN_TITLES
from graphapp.core.train.templates_rnn import RNN_TEMPLATES, RNN_TITLES, build_rnn_template

ACTIVATIONS = ("relu", "sigmoid", "tanh")
TEMPLATES = ("linear_regression", "logistic_regression", "softmax_classifier", "mlp", "xor_net", *CNN_TEMPLATES,
             *RNN_TEMPLATES)
TITLES = {
    "linear_regression": ("Linear regression", "선형 회귀"),
    "logistic_regression": ("Logistic regression", "로지스틱 회귀"),
    "softmax_classifier": ("Softmax classifier", "소프트맥스 분류"),
    "mlp": ("Multi-layer perceptron", "다층 퍼셉트론"),
    "xor_net": ("XOR network", "XOR 신경망"),
    **CNN_TITLES,
    **RNN_TITLES,
}


def _head(task: str) -> str:
    return {"regression": "linear", "binary": "sigmoid", "multiclass": "softmax"}[task]


def _build(name: str, data: Dataset, hidden: Sequence[int], activation: str, head: str,
           init: Initializer, seed: int | None, dropout: float = 0.0, batch_norm: bool = False,
           l2: float = 0.0) -> Graph:
    """The layers; with the regularization settings each hidden layer is Z → [batch_norm] → activation →
    [dropout], and cost = data_cost + Σ l2(W) (one L2 penalty node per weight matrix)."""
    if activation not in ACTIVATIONS:
        raise OptionError(f"unknown activation '{activation}' (choose one of: {', '.join(ACTIVATIONS)})")
    if any(int(h) < 1 for h in hidden):
        raise OptionError(f"hidden layer sizes must be ≥ 1, not {','.join(str(h) for h in hidden)}")
    if head == "softmax" and data.task != "multiclass":
        raise OptionError(f"{name} needs a data set with classes; '{data.name}' is {data.task}")
    if head == "sigmoid" and data.task != "binary":
        raise OptionError(f"{name} needs a data set with two classes (0/1); '{data.name}' is {data.task}")
    widths = [data.n_features, *(int(h) for h in hidden), data.n_outputs]
    shapes: dict[str, tuple[int, ...]] = {}
    for i in range(1, len(widths)):
        shapes[f"W{i}"], shapes[f"b{i}"] = (widths[i - 1], widths[i]), (widths[i],)
    zeros = make_initializer("zeros")
    inits = {k: init if k.startswith("W") else zeros for k in shapes}
    values = {k: initialize({k: s}, inits[k], None if seed is None else seed + i)[k]
              for i, (k, s) in enumerate(shapes.items())}

    g = Graph()
    g.add_node("input", "X", label="X", value=data.x)
    g.add_node("input", "Y", label="Y", value=data.y)
    prev, layers = "X", len(widths) - 1
    for i in range(1, layers + 1):
        last = i == layers
        g.add_node("param", f"W{i}", label=f"W{i}", value=values[f"W{i}"])
        g.add_node("param", f"b{i}", label=f"b{i}", value=values[f"b{i}"])
        g.add_node("matmul", f"XW{i}" if i == 1 else f"A{i - 1}W{i}")
        g.connect(prev, f"XW{i}" if i == 1 else f"A{i - 1}W{i}", "a")
        g.connect(f"W{i}", f"XW{i}" if i == 1 else f"A{i - 1}W{i}", "b")
        z = ("H" if head == "linear" else "logits") if last else f"Z{i}"
        g.add_node("add", z, label=z, label_ko="가설 H" if z == "H" else "")
        g.connect(f"XW{i}" if i == 1 else f"A{i - 1}W{i}", z, "a")
        g.connect(f"b{i}", z, "b")
        prev = z
        if not last:
            if batch_norm:
                prev = _batch_norm(g, i, prev, widths[i])
            g.add_node(activation, f"A{i}", label=f"A{i}")
            g.connect(prev, f"A{i}", "x")
            prev = f"A{i}"
            if dropout > 0.0:
                g.add_node("dropout", f"drop{i}", label=f"drop{i}", attrs={"p": dropout, "seed": i})
                g.connect(prev, f"drop{i}", "x")
                prev = f"drop{i}"
    if head == "sigmoid":
        g.add_node("sigmoid", "H", label="H", label_ko="가설 H")
        g.connect(prev, "H", "x")
        prev = "H"
    loss = {"linear": "mse", "sigmoid": "bce", "softmax": "softmax_cross_entropy"}[head]
    data_cost = "data_cost" if l2 > 0.0 else "cost"
    g.add_node(loss, data_cost, label=data_cost, label_ko="비용" if l2 == 0.0 else "데이터 비용")
    g.connect(prev, data_cost, "logits" if loss == "softmax_cross_entropy" else "pred")
    g.connect("Y", data_cost, "target")
    if l2 > 0.0:
        _add_penalties(g, data_cost, [f"W{i}" for i in range(1, layers + 1)], l2)
    en, ko = TITLES[name]
    g.meta = {"name": name, "title": {"en": en, "ko": ko},
              "description": {"en": f"{en} for '{data.name}': {' → '.join(str(w) for w in widths)}.",
                              "ko": f"'{data.name}'에 맞춘 {ko}: {' → '.join(str(w) for w in widths)}."},
              "train": {"x": "X", "y": "Y", "task": data.task,
                        "init": {k: {"kind": v.kind, **({"fan": v.fan} if "xavier" in v.kind else {}),
                                     **({"std": v.std} if v.kind == "normal" else {})}
                                 for k, v in inits.items()}}}
    return g


def _batch_norm(g: Graph, i: int, prev: str, width: int) -> str:
    """BN{i}(prev) with γ = 1 and β = 0 (parameters) and running statistics 0 and 1 (constants, as torch)."""
    g.add_node("param", f"gamma{i}", label=f"γ{i}", value=numpy.ones(width))
    g.add_node("param", f"beta{i}", label=f"β{i}", value=numpy.zeros(width))
    g.add_node("const", f"running_mean{i}", label=f"μ{i}", value=numpy.zeros(width))
    g.add_node("const", f"running_var{i}", label=f"σ²{i}", value=numpy.ones(width))
    g.add_node("batch_norm", f"BN{i}", label=f"BN{i}")
    for port, src in (("x", prev), ("gamma", f"gamma{i}"), ("beta", f"beta{i}"),
                      ("running_mean", f"running_mean{i}"), ("running_var", f"running_var{i}")):
        g.connect(src, f"BN{i}", port)
    return f"BN{i}"


def _add_penalties(g: Graph, data_cost: str, weights: list[str], lam: float) -> None:
    """cost = data_cost + l2(W1) + l2(W2) + …: the penalties are nodes, so backward shows ∂cost/∂W through them."""
    total = data_cost
    for k, w in enumerate(weights):
        g.add_node("l2", f"L2_{w}", label=f"L2({w})", attrs={"lambda": lam})
        g.connect(w, f"L2_{w}", "w")
        out = "cost" if k == len(weights) - 1 else f"cost_{w}"
        g.add_node("add", out, label=out, label_ko="비용" if out == "cost" else "")
        g.connect(total, out, "a")
        g.connect(f"L2_{w}", out, "b")
        total = out


def _init(init: str | Initializer | None, activation: str, **settings: Any) -> Initializer:
    if isinstance(init, Initializer):
        return init
    default = "he_normal" if activation == "relu" else "xavier_normal"
    return make_initializer(init or default, **settings)


def linear_regression(data: Dataset, init: str | Initializer | None = None, seed: int | None = 0) -> Graph:
    """H = X·W + b, cost = MSE(H, Y)."""
    if data.task != "regression":
        raise OptionError(f"linear_regression needs a numeric target; '{data.name}' is {data.task} "
                          "(use logistic_regression or softmax_classifier)")
    return _build("linear_regression", data, (), "sigmoid", "linear", _init(init, "sigmoid"), seed)


def logistic_regression(data: Dataset, init: str | Initializer | None = None, seed: int | None = 0) -> Graph:
    """H = σ(X·W + b), cost = BCE(H, Y)."""
    return _build("logistic_regression", data, (), "sigmoid", "sigmoid", _init(init, "sigmoid"), seed)


def softmax_classifier(data: Dataset, init: str | Initializer | None = None, seed: int | None = 0) -> Graph:
    """logits = X·W + b, cost = softmax cross-entropy(logits, Y) with Y the class indices."""
    return _build("softmax_classifier", data, (), "sigmoid", "softmax", _init(init, "sigmoid"), seed)


def mlp(data: Dataset, hidden: Sequence[int] = (10,), activation: str = "relu",
        init: str | Initializer | None = None, seed: int | None = 0, *, dropout: float = 0.0,
        batch_norm: bool = False, l2: float = 0.0) -> Graph:
    """Hidden layers of the given sizes with one activation; the head follows the task (linear, σ, softmax).
    Optionally batch normalization before and dropout (probability p) after each hidden activation, and an
    L2 penalty λ·ΣW² per weight matrix added to the cost."""
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0.0 <= dropout <= 0.99:
        raise OptionError(f"dropout must be a probability from 0 to 0.99, not {dropout!r}")
    if isinstance(l2, bool) or not isinstance(l2, (int, float)) or not 0.0 <= l2 <= 1e6:
        raise OptionError(f"l2 (λ) must be a number from 0 to 1e6, not {l2!r}")
    return _build("mlp", data, hidden, activation, _head(data.task), _init(init, activation), seed,
                  float(dropout), bool(batch_norm), float(l2))


def xor_net(data: Dataset, hidden: int = 2, init: str | Initializer | None = None, seed: int | None = 0) -> Graph:
    """The lecture's XOR network: K = σ(X·W1 + b1), H = σ(K·W2 + b2), cost = BCE(H, Y)."""
    return _build("xor_net", data, (hidden,), "sigmoid", "sigmoid", _init(init, "sigmoid"), seed)


def build_template(name: str, data: Dataset | None, *, hidden: Sequence[int] | None = None, activation: str = "relu",
                   init: str | Initializer | None = None, seed: int | None = 0, dropout: float = 0.0,
                   batch_norm: bool = False, l2: float = 0.0, windowing: Windowing | None = None) -> Graph:
    """A template by name, sized from `data` (what the CLI and the Train dock call); the regularization
    settings are the mlp's. `data` is None only for a template that brings its own (hihello_rnn);
    `windowing`: how a stock template's rows were cut (its own recipe when None)."""
    key = name.strip().lower()
    if key in RNN_TEMPLATES:
        if dropout or batch_norm or l2:
            raise OptionError(f"dropout, batch normalization and L2 are settings of the mlp template, not of '{name}'")
        if hidden is not None and len(hidden) != 1:
            raise OptionError(f"--hidden: {name} has one recurrent layer; give one size, e.g. 10")
        return build_rnn_template(key, data, None if hidden is None else int(hidden[0]), seed, windowing)
    if data is None:
        raise OptionError(f"{name} needs a data set (--data)")
    if key == "mlp":
        return mlp(data, hidden if hidden is not None else (10,), activation, init, seed,
                   dropout=dropout, batch_norm=batch_norm, l2=l2)
    if dropout or batch_norm or l2:
        raise OptionError(f"dropout, batch normalization and L2 are settings of the mlp template, not of '{name}'")
    if key == "xor_net":
        if hidden is not None and len(hidden) != 1:  # not silently the first of "100,100"
            raise OptionError(f"--hidden: {name} has one hidden layer; give one size, e.g. 2")
        return xor_net(data, hidden[0] if hidden else 2, init, seed)
    if key in CNN_TEMPLATES:
        return CNN_TEMPLATES[key](data, seed)
    makers = {"linear_regression": linear_regression, "logistic_regression": logistic_regression,
              "softmax_classifier": softmax_classifier}
    if key not in makers:
        raise OptionError(f"unknown template '{name}' (choose one of: {', '.join(TEMPLATES)})")
    return makers[key](data, init, seed)


def fitting_template(data: Dataset) -> str:
    """The one-layer template that suits a data set's task."""
    return {"regression": "linear_regression", "binary": "logistic_regression",
            "multiclass": "softmax_classifier"}[data.task]


def reinitialize(graph: Graph, seed: int | None = 0) -> dict[str, numpy.ndarray]:
    """Fresh values for the parameters whose initializer the graph keeps (meta.train.init), by its seed.

    Returns them rather than setting them, so the caller can make the change one undoable command."""
    kept = graph.meta.get("train", {}).get("init", {})
    out: dict[str, numpy.ndarray] = {}
    for i, (nid, spec) in enumerate(kept.items()):
        node = graph.nodes.get(nid)
        if node is None or node.op != "param":
            continue
        settings = {k: v for k, v in spec.items() if k != "kind"}
        init = make_initializer(spec.get("kind", "zeros"), **settings)
        out[nid] = initialize({nid: node.value.shape}, init, None if seed is None else seed + i)[nid]
    return out


def initializer_of(graph: Graph, node: str) -> dict[str, Any] | None:
    """The initializer a template recorded for a parameter (kind and settings), if any."""
    return graph.meta.get("train", {}).get("init", {}).get(node)


__all__ = ["ACTIVATIONS", "TEMPLATES", "build_template", "fitting_template", "initializer_of", "linear_regression",
           "logistic_regression", "mlp", "reinitialize", "softmax_classifier", "xor_net"]
