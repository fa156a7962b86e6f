"""Recurrent templates (issue 9): the lab's stock predictors and its "hihello" character RNN.

stock_rnn / stock_lstm / stock_gru (many-to-one): X holds flat windows (N, window·F) as the data set
gives them; a reshape makes them (N, window, F), the recurrent node keeps its last hidden state (N, H), and
a dense layer gives the next day's Close, cost = MSE. Their data recipe (7-row windows of the lab's file,
which lists the newest day first) is SEQUENCE_DATA, so `train stock_lstm --data FILE` needs no options.

hihello_rnn (many-to-many) carries its own data: X the one-hot characters of "hihell" (1, 6, 5), Y the class
of each next character ("ihello"); the rnn returns every step's state (1, 6, H), a dense layer makes each a
row of 5 logits, cost = softmax cross-entropy. It trains in the trainer's fixed mode (the graph's own
input values are the batch).

Recurrent weights start as PyTorch's do: uniform in ±1/√H; the dense layer Xavier, its bias 0.
"""
from __future__ import annotations

import math

import numpy

from graphapp.core.graph import Graph
from graphapp.core.train.data import Dataset
from graphapp.core.train.errors import OptionError
from graphapp.core.train.init import Initializer, initialize, make_initializer
from graphapp.core.train.sequences import Windowing, hihello

CELLS = {"rnn": 1, "lstm": 4, "gru": 3}  # gates per cell: W_x is (F, k·H)
STOCK = {"stock_rnn": "rnn", "stock_lstm": "lstm", "stock_gru": "gru"}
RNN_TEMPLATES = (*STOCK, "hihello_rnn")
RNN_TITLES = {
    "stock_rnn": ("Stock price RNN", "주가 예측 RNN"),
    "stock_lstm": ("Stock price LSTM", "주가 예측 LSTM"),
    "stock_gru": ("Stock price GRU", "주가 예측 GRU"),
    "hihello_rnn": ("Character RNN: hihello", "문자 RNN: hihello"),
}
# the lab's file (data-02-stock_daily.csv) lists the newest day first
SEQUENCE_DATA = {name: Windowing(7, "newest-first") for name in STOCK}
OWN_DATA = ("hihello_rnn",)  # templates that bring their data: trained without a data set
# Adam's learning rate and the steps, used where a run names neither: the lab's (0.01, 500 and 0.1, 50), but
# 0.03 for the LSTM, whose gates are still under-fitting after 500 steps at 0.01 (test RMSE 0.039 against 0.034)
TRAINING = {"stock_rnn": (0.01, 500), "stock_lstm": (0.03, 500), "stock_gru": (0.01, 500), "hihello_rnn": (0.1, 50)}
STOCK_FILE = "data-02-stock_daily.csv"
STOCK_HIDDEN = 10  # the lab's hidden_dim
HIHELLO_HIDDEN = 5  # the lab's hidden_size


def _check_hidden(hidden: int) -> int:
    if isinstance(hidden, bool) or not isinstance(hidden, int) or not 1 <= hidden <= 100_000:
        raise OptionError(f"--hidden: a recurrent layer's size must be a whole number from 1 to 100,000, "
                          f"not {hidden!r}")
    return hidden


def _recurrent(g: Graph, cell: str, src: str, features: int, hidden: int, sequences: bool,
               seed: int | None) -> tuple[str, dict[str, Initializer]]:
    """The recurrent node (id `cell`'s upper-case name) on `src` with its parameters; returns its id and the
    parameters' initializers."""
    k = CELLS[cell]
    bound = 1.0 / math.sqrt(hidden)
    uniform = make_initializer("uniform", low=-bound, high=bound)
    shapes = {"W_x": (features, k * hidden), "W_h": (hidden, k * hidden)}
    shapes.update({"b_x": (k * hidden,), "b_h": (k * hidden,)} if cell == "gru" else {"b": (k * hidden,)})
    values = initialize(shapes, uniform, seed)
    node = cell.upper()
    g.add_node(cell, node, label=node, attrs={"sequences": sequences})
    g.connect(src, node, "x")
    for name, value in values.items():
        g.add_node("param", name, label=name, value=value)
        g.connect(name, node, name)
    return node, {name: uniform for name in shapes}


def _dense(g: Graph, src: str, width: int, out: int, z: str, seed: int | None) -> dict[str, Initializer]:
    """z = h·W_y + b_y (the lecture's y_t = W_hy·h_t) with W_y Xavier (the lecture's 1/√n) and b_y zeros."""
    xavier, zeros = make_initializer("xavier_normal"), make_initializer("zeros")
    g.add_node("param", "W_y", label="W_y", value=initialize({"W_y": (width, out)}, xavier, seed)["W_y"])
    g.add_node("param", "b_y", label="b_y", value=numpy.zeros(out))
    g.add_node("matmul", "hW_y")
    g.connect(src, "hW_y", "a")
    g.connect("W_y", "hW_y", "b")
    g.add_node("add", z, label=z, label_ko="가설 H" if z == "H" else "")
    g.connect("hW_y", z, "a")
    g.connect("b_y", z, "b")
    return {"W_y": xavier, "b_y": zeros}


def _init_meta(inits: dict[str, Initializer]) -> dict[str, dict[str, object]]:
    """What reinitialize() needs to draw each parameter afresh."""
    out: dict[str, dict[str, object]] = {}
    for k, v in inits.items():
        out[k] = {"kind": v.kind, **({"low": v.low, "high": v.high} if v.kind == "uniform" else {})}
    return out


def stock(name: str, data: Dataset, window: int = 7, hidden: int = STOCK_HIDDEN, seed: int | None = 0,
          order: str = "newest-first") -> Graph:
    """A many-to-one recurrent regressor on flat windows of `window` rows (see the module's note); the graph
    keeps the window and the file's row order, so a saved model reads its data the same way again."""
    cell = STOCK[name]
    hidden = _check_hidden(hidden)
    if data.task != "regression":
        raise OptionError(f"{name} predicts a number; '{data.name}' is {data.task}")
    if data.n_features % window:
        raise OptionError(f"{name}: {data.n_features} features do not split into windows of {window} rows "
                          f"({data.n_features} / {window} is not a whole number)")
    features = data.n_features // window
    g = Graph()
    g.add_node("input", "X", label="X", value=data.x)
    g.add_node("input", "Y", label="Y", value=data.y)
    g.add_node("reshape", "X_seq", label=f"X ({window}×{features})", attrs={"shape": [-1, window, features]})
    g.connect("X", "X_seq", "x")
    node, inits = _recurrent(g, cell, "X_seq", features, hidden, False, seed)
    inits.update(_dense(g, node, hidden, 1, "H", None if seed is None else seed + 1))
    g.add_node("mse", "cost", label="cost", label_ko="비용")
    g.connect("H", "cost", "pred")
    g.connect("Y", "cost", "target")
    en, ko = RNN_TITLES[name]
    arrow = f"{window}×{features} → {cell.upper()} {hidden} → 1"
    g.meta = {"name": name, "title": {"en": en, "ko": ko},
              "description": {"en": f"{en} for '{data.name}': {arrow}, the last hidden state to the next "
                                    f"{data.target}.",
                              "ko": f"'{data.name}'에 맞춘 {ko}: {arrow}. 마지막 은닉 상태로 다음 {data.target} 값을 "
                                    "예측합니다."},
              "train": {"x": "X", "y": "Y", "task": "regression", "init": _init_meta(inits),
                        "window": window, "order": order}}
    return g


def hihello_rnn(hidden: int = HIHELLO_HIDDEN, seed: int | None = 0) -> Graph:
    """The lab's character RNN on its own data (see the module's note)."""
    hidden = _check_hidden(hidden)
    text = hihello()
    steps, classes = text.x.shape[1], len(text.characters)
    g = Graph()
    g.add_node("input", "X", label="X", value=text.x)
    g.add_node("input", "Y", label="Y", value=text.y)
    node, inits = _recurrent(g, "rnn", "X", classes, hidden, True, seed)
    g.add_node("reshape", "h_rows", label="h (T×H)", attrs={"shape": [-1, hidden]})
    g.connect(node, "h_rows", "x")
    inits.update(_dense(g, "h_rows", hidden, classes, "logits", None if seed is None else seed + 1))
    g.add_node("softmax_cross_entropy", "cost", label="cost", label_ko="비용")
    g.connect("logits", "cost", "logits")
    g.connect("Y", "cost", "target")
    en, ko = RNN_TITLES["hihello_rnn"]
    g.meta = {"name": "hihello_rnn", "title": {"en": en, "ko": ko},
              "description": {"en": f"Reads '{text.text[:-1]}' one character at a time (one-hot over "
                                    f"{', '.join(text.characters)}) and predicts each next one: '{text.text[1:]}'. "
                                    f"{steps} steps, RNN {hidden}, a dense layer to {classes} logits per step.",
                              "ko": f"'{text.text[:-1]}'를 한 글자씩 읽고(원-핫: {', '.join(text.characters)}) 다음 글자 "
                                    f"'{text.text[1:]}'를 예측합니다. {steps}단계, RNN {hidden}, 단계마다 로짓 {classes}개."},
              "train": {"x": "X", "y": "Y", "task": "multiclass", "characters": text.characters,
                        "init": _init_meta(inits)}}
    return g


def build_rnn_template(name: str, data: Dataset | None, hidden: int | None = None, seed: int | None = 0,
                       windowing: Windowing | None = None) -> Graph:
    """A recurrent template by name; `data` is the windowed set for the stock models (cut as `windowing`
    says, by default the template's own recipe), unused by hihello_rnn."""
    if name == "hihello_rnn":
        return hihello_rnn(HIHELLO_HIDDEN if hidden is None else hidden, seed)
    if data is None:
        raise OptionError(f"{name} needs a data set (--data), e.g. the lab's {STOCK_FILE}")
    w = windowing or SEQUENCE_DATA[name]
    return stock(name, data, w.window, STOCK_HIDDEN if hidden is None else hidden, seed, w.order)


def windowing_of(graph: Graph) -> Windowing | None:
    """The time-series recipe a graph keeps (a stock template, saved or open), or None."""
    spec = graph.meta.get("train", {})
    if "window" not in spec:
        return None
    return Windowing(spec["window"], spec.get("order", "oldest-first")).check()


__all__ = ["OWN_DATA", "RNN_TEMPLATES", "RNN_TITLES", "SEQUENCE_DATA", "TRAINING", "build_rnn_template", "hihello_rnn", "stock",
           "windowing_of"]
