"""No label collides on graphs that do not come from the examples: graphs typed as expressions (the
lecture's XOR, logistic regression, ...) and seeded random graphs of up to 50 nodes, laid out by the
window, at every step of forward, backward and update (the same check as the examples' test)."""
from __future__ import annotations

import random

import numpy
import pytest

from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.ui.canvas.edge_item import EdgeItem
from graphapp.ui.canvas.label_item import LabelItem
from graphapp.ui.canvas.node_item import NodeItem
from tests.ui.test_canvas import LECTURE_SIZE, collisions, visible_labels

XOR = ("h1 = sigmoid(w11*x1 + w12*x2 + b1); h2 = sigmoid(w21*x1 + w22*x2 + b2); "
       "y = sigmoid(w31*h1 + w32*h2 + b3)")
XOR_VALUES = dict(x1=0, x2=1, w11=5, w12=5, b1=-8, w21=-7, w22=-7, b2=3, w31=-11, w32=-11, b3=6)  # the lecture's

EXPRESSIONS = {
    "xor": (XOR, XOR_VALUES),
    "logistic": ("L = (sigmoid(w1*x1 + w2*x2 + b) - y)**2",
                 dict(x1=1.0, x2=2.0, w1=0.5, w2=-1.0, b=0.1, y=1.0)),
    "apples": ("price = (apple*n_apple + orange*n_orange)*tax",
               dict(apple=100, n_apple=2, orange=150, n_orange=3, tax=1.1)),
    "neuron_relu": ("L = (relu(w1*x1 + w2*x2 + w3*x3 + b) - t)**2",
                    dict(x1=1.0, x2=-2.0, x3=0.5, w1=0.3, w2=-0.2, w3=0.8, b=0.1, t=0.5)),
    "sigmoid_by_hand": ("y = 1 / (1 + exp(-(w*x + b)))", dict(w=2.0, x=-1.5, b=0.5)),
    "two_layer_tanh": ("h = tanh(w1*x + b1); y = w2*h + b2; L = (y - t)**2",
                       dict(x=0.7, w1=1.5, b1=-0.3, w2=-2.0, b2=0.4, t=1.0)),
    "vector_neuron": ("L = sum((sigmoid(W @ x + b) - t)**2)",
                      dict(W=[[0.5, -1.0, 0.2], [1.2, 0.3, -0.7]], x=[1.0, 2.0, -1.0], b=[0.1, -0.2],
                           t=[1.0, 0.0])),
    # A small CNN: shapes on its edges, matrices with their shapes above them, parameter counts under layers.
    "cnn": ("h = relu(conv2d(x, W1, b1, stride=1, padding=0)); p = max_pool2d(h, kernel_size=2, stride=2); "
            "z = dense(flatten(p), W2, b2); L = softmax_cross_entropy(z, y)",
            dict(x=numpy.random.default_rng(1).normal(size=(2, 1, 6, 6)),
                 W1=numpy.random.default_rng(2).normal(size=(3, 1, 3, 3)), b1=[0.1, 0.0, -0.1],
                 W2=numpy.random.default_rng(3).normal(size=(12, 2)), b2=[0.0, 0.0], y=[[1.0, 0.0], [0.0, 1.0]])),
}

# Ops a random graph draws from, by how many inputs they take; all defined everywhere on small numbers.
UNARY = ("neg", "square", "sigmoid", "tanh", "relu", "abs", "softplus", "exp")
BINARY = ("add", "sub", "mul", "maximum", "minimum")
N_RANDOM = 10


def check_every_step(window, graph: Graph) -> None:  # noqa: ANN001
    window.resize(*LECTURE_SIZE)
    window.set_graph(graph)
    window.view.fit()
    window.playback.go_to(1)
    total = window.playback.total
    assert total > 0
    for step in range(1, total + 1):
        window.playback.go_to(step)
        found = indexed_collisions(window.scene)
        assert not found, (step, found)
    assert not collisions(window.scene)  # the examples' check, item by item, agrees at the last step


def indexed_collisions(scene) -> list[str]:  # noqa: ANN001
    """The examples' check (tests.ui.test_canvas.collisions), asking the scene's index for the items
    near each label instead of trying every node and curve: the same rules, fast enough for every step."""
    problems = []
    for a in visible_labels(scene):
        ra = a.sceneBoundingRect()
        inner = ra.adjusted(1.5, 1.5, -1.5, -1.5)
        for item in scene.items(ra):
            if isinstance(item, LabelItem) and item is not a and item.isVisible() and item.owner is not None \
                    and ra.intersects(item.sceneBoundingRect()):
                problems.append(f"{a.owner.key} {a.text!r} overlaps {item.owner.key} {item.text!r}")
            elif isinstance(item, NodeItem) and any(r.intersects(ra) for r in item.occupied_rects()):
                problems.append(f"{a.owner.key} {a.text!r} covers node {item.node_id}")
            elif isinstance(item, EdgeItem) and item.hit_path().intersects(inner):
                problems.append(f"{a.owner.key} {a.text!r} is crossed by {item.key}")
    return problems


@pytest.mark.parametrize("name", list(EXPRESSIONS))
def test_no_label_collides_on_an_expression_graph(window, name):  # noqa: ANN001
    text, values = EXPRESSIONS[name]
    check_every_step(window, parse_expression(text, values))


def random_graph(seed: int, max_nodes: int = 50) -> Graph:
    """Sources (mostly scalars, some 2- or 3-vectors and a 2×3 matrix), then ops on random earlier nodes of
    matching shapes, then sums and adds that gather every unused result into one scalar Output. No
    positions: the window's layout places every node. With a learning rate, so the update phase plays."""
    rng = random.Random(seed)
    g = Graph()
    shape: dict[str, tuple[int, ...]] = {}

    def value(dims: tuple[int, ...]) -> object:
        v = numpy.round(numpy.asarray([rng.uniform(-2, 2) for _ in range(int(numpy.prod(dims)))]), 1)
        return float(v[0]) if not dims else v.reshape(dims).tolist()

    def source(dims: tuple[int, ...]) -> str:
        op = rng.choice(("input", "param"))
        nid = g.add_node(op, value=value(dims)).id
        shape[nid] = dims
        return nid

    def op(name: str, args: list[str]) -> str:
        nid = g.add_node(name).id
        for port, arg in zip(g.nodes[nid].spec.inputs, args):
            g.connect(arg, nid, port)
        shape[nid] = g.infer_shapes(partial=True)[nid]
        return nid

    def room() -> int:  # the gathering below takes a sum per unused vector, an add per unused result
        used = {e.src for e in g.edges}
        return max_nodes - len(g.nodes) - sum(2 if shape[n] else 1 for n in shape if n not in used) - 2

    size = rng.randint(15, max_nodes)
    for _ in range(rng.randint(3, 6)):
        source(())
    if rng.random() < 0.5:
        source((rng.choice((2, 3)),))
    while room() > 0 and len(g.nodes) < size:
        pick = rng.random()
        existing = list(shape)
        if pick < 0.15:
            source(())
        elif pick < 0.45:
            op(rng.choice(UNARY), [rng.choice(existing)])
        elif pick < 0.9:
            a = rng.choice(existing)
            same = [n for n in existing if shape[n] in (shape[a], ())] if shape[a] else \
                [n for n in existing if not shape[n]]
            op(rng.choice(BINARY), [a, rng.choice(same)])
        else:
            vectors = [n for n in existing if len(shape[n]) == 1]
            if vectors:
                v = rng.choice(vectors)
                m = source((2, shape[v][0]))
                op("matmul", [m, v])
    used = {e.src for e in g.edges}
    unused = [n for n in shape if n not in used]
    scalars = []
    for n in unused:
        if shape[n]:
            total = g.add_node("sum").id
            g.connect(n, total, "x")
            shape[total] = ()
            n = total
        scalars.append(n)
    while len(scalars) > 1:
        scalars = [op("add", scalars[:2])] + scalars[2:]
    g.connect(scalars[0], g.add_node("output", "L").id, "x")
    g.meta["lr"] = 0.1
    return g


@pytest.mark.parametrize("seed", range(N_RANDOM))
def test_no_label_collides_on_a_random_graph(window, seed):  # noqa: ANN001
    graph = random_graph(seed)
    assert len(graph.nodes) <= 50 and all(n.pos is None for n in graph.nodes.values())
    check_every_step(window, graph)
