"""New from expression / Insert expression through the real dialog, and the editor's one-step macro."""
from __future__ import annotations

import numpy
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from graphapp.core import fileio
from graphapp.core.errors import ExpressionError
from graphapp.core.executor import Executor
from graphapp.ui.commands import AddNode
from graphapp.core.graph import Node
from graphapp.ui.expr_dialog import parse_values
from tests.examples.test_lecture_examples import X, xor_reference
from tests.ui.conftest import small_graph

XOR = ("h1 = sigmoid(w11*x1 + w12*x2 + b1)\nh2 = sigmoid(w21*x1 + w22*x2 + b2)\n"
       "y = sigmoid(w31*h1 + w32*h2 + b3)")
XOR_VALUES = ("x1 = [0, 0, 1, 1], x2 = [0, 1, 0, 1]\nw11 = 5, w12 = 5, b1 = -8\nw21 = -7, w22 = -7, b2 = 3\n"
              "w31 = -11, w32 = -11, b3 = 6")


def type_into(qtbot, dialog, expression: str, values: str) -> None:  # noqa: ANN001
    for edit, text in ((dialog.expr, expression), (dialog.values, values)):
        edit.clear()
        edit.setFocus()
        for line_no, line in enumerate(text.split("\n")):
            if line_no:
                qtbot.keyClick(edit, Qt.Key.Key_Return)
            qtbot.keyClicks(edit, line)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_xor_net_in_one_dialog(window, qtbot):  # noqa: ANN001
    window.set_graph(small_graph())
    window.actions_["new_expr"].trigger()
    dialog = window.expression_dialog
    assert dialog.isVisible()
    type_into(qtbot, dialog, XOR, XOR_VALUES)
    assert not dialog.isVisible() and dialog.error.text() == ""
    assert {"x1", "x2", "h1", "h2", "y", "w31", "b3"} <= set(window.graph.nodes) and "m" not in window.graph.nodes
    assert all(n.pos is not None for n in window.graph.nodes.values())  # laid out
    trace = Executor(window.graph).run()
    ref = xor_reference()
    for name in ("h1", "h2", "y"):
        assert numpy.allclose(trace.values[name], ref[name], rtol=1e-12)
    assert numpy.round(trace.values["y"]).tolist() == [0, 1, 1, 0]
    assert X.shape == (4, 2)
    assert window.undo_stack.count() == 1  # one undo step
    window.undo_stack.undo()
    assert window.graph.nodes == {}


def test_insert_expression_is_one_undo_step_beside_the_graph(window, qtbot):  # noqa: ANN001
    window.set_graph(small_graph())
    before = fileio.dumps(window.graph)
    window.actions_["insert_expr"].trigger()
    type_into(qtbot, window.expression_dialog, "z = x*w + b", "x = 2; w = 3\nb = 1")
    assert {"m", "out"} <= set(window.graph.nodes)
    assert window.graph.nodes["x_1"].value == 2.0  # x was taken: a fresh id
    right = max(window.graph.nodes[n].pos[0] for n in ("x", "y", "m", "n", "out"))
    assert window.graph.nodes["w"].pos[0] > right  # placed to the right of what was there
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert fileio.dumps(window.graph) == before


BAD_ENTRIES = [
    ("y = sigmoid(w*x + )", "w = 1, x = 2", "expr", "column 19"),
    ("y = w*x", "w = 1", "expr", "'x' has no value"),
    ("y = w*x", "w = 1, x = abc", "values", "values, column 12"),
    ("y = w*x", "w = 1, x = 2, q = 3", "values", "'q' does not occur"),
    ("y = w*x", "w = 1\nw 2", "values", "line 2, column 1"),
]


def test_errors_inline_and_nothing_applied(window, qtbot):  # noqa: ANN001
    """Each bad entry typed into the dialog opened afresh on a fresh graph, in one window."""
    for expression, values, field, message in BAD_ENTRIES:
        window.set_graph(small_graph())
        before = fileio.dumps(window.graph)
        window.actions_["insert_expr"].trigger()
        dialog = window.expression_dialog
        type_into(qtbot, dialog, expression, values)
        assert dialog.isVisible() and message in dialog.error.text(), (expression, values, dialog.error.text())
        marked = dialog.expr if field == "expr" else dialog.values
        assert marked.textCursor().hasSelection(), message  # the cursor is on the column the message names
        assert fileio.dumps(window.graph) == before and window.undo_stack.count() == 0, message
        dialog.reject()


def test_parse_values_keeps_brackets_together():
    values = parse_values("W = [[1, 2], [3, 4]], b = 0.5; x=1")
    assert values["W"].tolist() == [[1, 2], [3, 4]] and float(values["b"]) == 0.5 and float(values["x"]) == 1
    with pytest.raises(ExpressionError, match="given twice"):
        parse_values("a = 1, a = 2")


def test_macro_closes_on_exceptions(window):  # noqa: ANN001
    window.set_graph(small_graph())
    editor = window.editor
    with pytest.raises(RuntimeError), editor.macro("two adds"):
        editor.apply(AddNode(window.graph, Node("p", "input", value=numpy.array(1.0), pos=(0.0, 0.0))))
        raise RuntimeError("boom")
    assert window.undo_stack.count() == 1 and window.undo_stack.index() == 1  # the macro was closed
    window.undo_stack.undo()
    assert "p" not in window.graph.nodes
    editor.add_op("input", (1, 2))
    assert window.undo_stack.count() == 1  # a new step, not part of a dangling macro
