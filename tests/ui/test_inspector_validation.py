"""The inspector's attribute fields: the model judges the text, and its message is what the user sees."""
from __future__ import annotations

from graphapp.core import fileio
from graphapp.ui.docks.inspector import parse_attr
from tests.ui.conftest import small_graph


def test_parse_attr_reads_json_and_keeps_other_text() -> None:
    assert parse_attr(" 3 ") == 3 and parse_attr("[2, -1]") == [2, -1] and parse_attr("") is None
    assert parse_attr("abc") == "abc" and parse_attr("null") is None


BAD_ATTRIBUTES = [
    ("pow", "p", "abc", "pow attribute 'p' got \"abc\"; expected a finite number from -1000 to 1000"),
    ("pow", "p", "1e400", "got Infinity"),
    ("leaky_relu", "alpha", "[1]", "leaky_relu attribute 'alpha' got [1]"),
    ("sum", "axis", "[0, 0]", "sum attribute 'axis' got [0, 0]"),
    ("reshape", "shape", "5", "reshape attribute 'shape' got 5; expected a list"),
    ("transpose", "axes", "[1.0, 0.0]", "transpose attribute 'axes' got [1.0, 0.0]"),
]


def test_a_bad_attribute_shows_the_models_message_and_changes_nothing(window) -> None:  # noqa: ANN001
    """Each bad text on a freshly opened graph, in one window."""
    for op, attr, text, needle in BAD_ATTRIBUTES:
        g = small_graph()
        g.add_node(op, "k", pos=(250, 200))
        g.connect("y", "k", "x")
        window.set_graph(g)
        before = fileio.dumps(window.graph)
        window.scene.select_nodes(["k"])
        field = window.inspector.fields[f"attr:{attr}"]
        field.setText(text)
        field.editingFinished.emit()
        error = window.inspector.errors[f"attr:{attr}"]
        assert error.isVisibleTo(window.inspector) and needle in error.text(), (op, text, error.text())
        assert "could not convert" not in error.text() and "invalid literal" not in error.text(), (op, text)
        assert fileio.dumps(window.graph) == before and not window.undo_stack.canUndo(), (op, text)


def test_a_good_attribute_is_stored_normalized(window) -> None:  # noqa: ANN001
    g = small_graph()
    g.add_node("sum", "s", pos=(250, 200))
    g.connect("y", "s", "x")
    window.set_graph(g)
    window.scene.select_nodes(["s"])
    window.inspector.fields["attr:axis"].setText("0")
    window.inspector.fields["attr:axis"].editingFinished.emit()
    assert window.graph.nodes["s"].attrs["axis"] == 0 and window.undo_stack.canUndo()
