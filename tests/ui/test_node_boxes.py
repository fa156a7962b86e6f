"""No node hides under another node's boxes at any step: a gradient pill (a matrix pill is often wider
than its box), a layer's name and parameter count, an output's computed value, the current node's ring.
Every example in English and Korean, the Train dock's templates as they open on the canvas, and graphs
typed as expressions (laid out by the window), one window for all."""
from __future__ import annotations

from pathlib import Path

import numpy
import pytest
from PySide6.QtCore import QPointF

from graphapp.core import examples
from graphapp.core.expr import parse_expression
from graphapp.core.graph import Graph
from graphapp.core.train.datasets import load_dataset
from graphapp.core.train.sequences import Windowing, load_windows
from graphapp.core.train.templates import TEMPLATES, build_template
from graphapp.ui.theme import PRESENTATION_SCALE
from tests.ui.conftest import small_graph
from tests.ui.test_canvas import LECTURE_SIZE, visible_labels
from tests.ui.test_editing import drag_between
from tests.ui.test_overlap_any_graph import EXPRESSIONS


def node_overlaps(scene) -> list[tuple[str, str]]:  # noqa: ANN001
    """Pairs of nodes whose drawn rects (body with ring, name, pill, error) intersect."""
    rects = [(item.node_id, item.occupied_rects()) for item in scene.nodes.values()]
    return [(a, b) for i, (a, ra) in enumerate(rects) for b, rb in rects[i + 1:]
            if any(x.intersects(y) for x in ra for y in rb)]


def labels_on_nodes(scene) -> list[str]:  # noqa: ANN001
    """Edge labels (values, local gradients, chain rules) standing on a node's boxes."""
    return [f"{label.owner.key} {label.text!r} on {item.node_id}"
            for label in visible_labels(scene) for item in scene.nodes.values()
            if any(r.intersects(label.sceneBoundingRect()) for r in item.occupied_rects())]


def walk(window, graph: Graph) -> dict[tuple[str, str], int]:  # noqa: ANN001
    """Every step of the graph's run: the first step at which each pair of nodes overlaps."""
    window.set_graph(graph)
    assert window.playback.ensure_trace()
    found: dict[tuple[str, str], int] = {}
    for step in range(window.playback.total + 1):
        window.playback.go_to(step)
        for pair in node_overlaps(window.scene):
            found.setdefault(pair, step)
    return found


def template_graphs(tmp: Path) -> dict[str, Graph]:
    """Each template sized from a data set of its kind (the stock ones from a five-column price table)."""
    rows = numpy.c_[numpy.arange(40.0), numpy.arange(40.0) ** 0.5, numpy.ones(40), numpy.arange(40.0) % 3,
                    numpy.arange(40.0)]
    (tmp / "stock.csv").write_text("# Open,High,Low,Volume,Close\n" + "\n".join(",".join(map(str, r)) for r in rows))
    (tmp / "scores.csv").write_text("# q1,q2,final\n" + "\n".join(f"{a},{b},{a + 2 * b}" for a, b in rows[:, :2]))
    stock = load_windows(tmp / "stock.csv", Windowing(7)).train
    data = {"linear_regression": load_dataset(str(tmp / "scores.csv")),
            "logistic_regression": load_dataset("xor"), "softmax_classifier": load_dataset("blobs"),
            "mlp": load_dataset("moons"), "xor_net": load_dataset("xor"), "lenet_digits": load_dataset("digits"),
            "hihello_rnn": None}
    return {name: build_template(name, data.get(name, stock), seed=0) for name in TEMPLATES}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_node_hides_under_another_nodes_boxes_at_any_step(window, lang):  # noqa: ANN001
    window.view.camera.animate = False
    window.resize(*LECTURE_SIZE)
    window.set_language(lang)
    found = {name: bad for name in examples.example_names()
             if (bad := walk(window, examples.load_example(name)))}
    assert not found, found
    window.set_language("en")


def test_templates_and_typed_graphs_leave_room_for_every_box(window, tmp_path):  # noqa: ANN001
    """Laid out by the window (no stored places): the layout keeps room for each node's widest pill."""
    window.view.camera.animate = False
    window.resize(*LECTURE_SIZE)
    graphs = template_graphs(tmp_path)
    graphs |= {name: parse_expression(text, values) for name, (text, values) in EXPRESSIONS.items()}
    found = {}
    for name, graph in graphs.items():
        assert all(n.pos is None for n in graph.nodes.values()), name
        if bad := walk(window, graph):
            found[name] = bad
        if on := labels_on_nodes(window.scene):  # the last step: every pill and label out
            found[name] = on
    assert not found, found


def test_a_matrix_pill_wider_than_its_box_gets_its_room(window):  # noqa: ANN001
    """The X of XOR as a 4×2 matrix: its gradient pill is three times as wide as its box, and stood on
    the matrix product beside it before the layout counted the pill."""
    window.resize(*LECTURE_SIZE)
    window.set_graph(examples.load_example("xor_matrix"))
    window.playback.ensure_trace()
    window.playback.go_to(window.playback.total)
    x = window.scene.nodes["X"]
    pill = x.occupied_rects()[-1]
    assert pill.width() > 2 * x.body_rect().width()
    assert not node_overlaps(window.scene)


def test_presentation_mode_draws_places_larger_with_the_text(window):  # noqa: ANN001
    """Presentation mode draws text 1.5 times larger; the places grow alike, so a graph whose boxes clear
    each other on the desk (a stored example, one someone arranged) still does on the projector. The model
    keeps its own units: a drag or a new node there is stored as on the desk, and leaving restores all."""
    window.set_graph(small_graph())
    window.set_presentation(True, full_screen=False)
    k = PRESENTATION_SCALE
    assert window.scene.nodes["m"].pos() == QPointF(250 * k, 0)
    item = window.scene.nodes["n"]
    drag_between(window, item.scenePos(), item.scenePos() + QPointF(60 * k, 80 * k))
    moved = window.graph.nodes["n"].pos
    assert moved == pytest.approx((510, 80), abs=1.5)  # as the same drag at scale 1 (test_editing), to a pixel
    nid = window.add_op("sigmoid", QPointF(300 * k, 150 * k))
    assert window.graph.nodes[nid].pos == pytest.approx((300, 150))
    assert window.scene.nodes[nid].pos() == QPointF(300 * k, 150 * k)
    window.set_presentation(False)
    assert window.scene.nodes["n"].pos() == QPointF(*moved)


STORED = [name for name in examples.example_names()  # the examples that bring their own places
          if all(node.pos is not None for node in examples.load_example(name).nodes.values())]


@pytest.mark.parametrize("name", STORED)
def test_stored_places_clear_every_box_in_presentation_mode(window, qapp, name):  # noqa: ANN001
    window.view.camera.animate = False
    window.resize(1920, 1080)
    qapp.processEvents()
    window.set_presentation(True, full_screen=False)
    assert not walk(window, examples.load_example(name))
    window.set_presentation(False)


def test_a_pill_with_a_neighbour_under_its_node_stands_over_the_node(window, qapp):  # noqa: ANN001
    """Placed by hand with no room under x (y right below it): x's gradient pill goes over x's box instead
    of onto y's, and back under it when y moves away."""
    window.resize(*LECTURE_SIZE)
    g = Graph()
    g.add_node("input", "x", value=2.0, pos=(0.0, -30.0))
    g.add_node("input", "y", value=3.0, pos=(0.0, 30.0))  # just under x's box: no room for x's pill
    g.add_node("mul", "m", pos=(200.0, 0.0))
    g.add_node("output", "out", pos=(400.0, 0.0))
    for src, dst, port in (("x", "m", "a"), ("y", "m", "b"), ("m", "out", "x")):
        g.connect(src, dst, port)
    assert not walk(window, g)
    x, y = window.scene.nodes["x"], window.scene.nodes["y"]
    assert x.grad_text and x.pill_above and x.pill_spot(True).bottom() < x.body_rect().top()
    assert y.grad_text and not y.pill_above  # nothing under y
    window.editor.move_nodes([("y", (0.0, 200.0))])
    qapp.processEvents()  # the pills choose again once the moves are done
    assert x.grad_text and not x.pill_above and x.pill_spot(False).top() > x.body_rect().bottom()
