"""Files, examples, prompts, export, themes, gradient check, headless rendering."""
from __future__ import annotations

from PySide6.QtGui import QImage

from graphapp.core import examples, fileio
from graphapp.core.expr import parse_expression
from graphapp.ui.render import render_png
from tests.ui.conftest import small_graph


def test_every_example_opens_runs_and_renders(window):  # noqa: ANN001
    names = examples.example_names()
    assert names, "no built-in examples found"
    titles = [a.text() for a in window.menus["examples"].actions()]
    assert len(titles) == len(names)
    for name in names:
        assert window.open_example(name)
        assert all(n.pos is not None for n in window.graph.nodes.values())
        window.playback.go_to_phase("done")
        assert window.playback.error is None, name
        assert window.playback.step == window.playback.total > 0
        assert not window.grab().isNull()


def test_render_png_cli_function(tmp_path):  # noqa: ANN001
    out = render_png(examples.load_example("apple_tax"), tmp_path / "a.png", phase="backward", lang="ko",
                     size=(800, 500))
    image = QImage(str(out))
    assert (image.width(), image.height()) == (800, 500)
    out = render_png(examples.load_example("xor_matrix"), tmp_path / "b.png", step=3, size=(640, 400),
                     canvas_only=True, theme="dark")
    assert QImage(str(out)).width() == 640


def test_save_open_recent_and_unsaved_prompt(window, tmp_path):  # noqa: ANN001
    window.set_graph(small_graph())
    path = tmp_path / "g.json"
    window.ask_save_path = lambda *_: str(path)
    window.scene.select_nodes(["x"])
    window.inspector.fields["value"].setText("5")
    window.inspector.fields["value"].editingFinished.emit()
    assert window.isWindowModified()
    answers = ["cancel"]
    window.ask_discard = lambda: answers.pop(0)
    window.new_file()
    assert "x" in window.graph.nodes  # cancelled: nothing dropped
    assert window.save_as()
    assert not window.isWindowModified()
    assert fileio.load(path).nodes["x"].value == 5
    assert str(path.resolve()) in window.recent_files()
    window.new_file()  # clean: no prompt needed
    assert not window.graph.nodes
    assert window.open_path(path)
    assert window.graph.nodes["x"].value == 5 and window.path == path
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert not window.open_path(bad)
    assert window.errors and "not valid JSON" in window.errors[-1]
    assert window.graph.nodes["x"].value == 5  # a failed load leaves the open graph alone


def test_close_asks_when_modified(window):  # noqa: ANN001
    window.set_graph(small_graph())
    window.relayout()
    window.ask_discard = lambda: "cancel"
    assert not window.close()
    window.ask_discard = lambda: "discard"
    assert window.close()


def test_export_png_and_svg(window, tmp_path):  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    window.playback.go_to_phase("backward")
    window.export(tmp_path / "c.png")
    window.export(tmp_path / "c.svg")
    assert QImage(str(tmp_path / "c.png")).width() > 100
    svg = (tmp_path / "c.svg").read_text()
    assert "<svg" in svg and "1.1" in svg


def test_themes_and_presentation_mode(window):  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    window.actions_["theme_dark"].trigger()
    assert window.scene.backgroundBrush().color().name() == "#1c1f26"
    small = window.scene.style.label.pixelSize()
    window.actions_["presentation"].trigger()
    assert window.scene.style.label.pixelSize() > small
    assert window.settings.value("theme") == "dark"
    window.set_presentation(False)
    window.set_theme("light")


def test_gradcheck_panel_marks_the_kink(window):  # noqa: ANN001
    kink = parse_expression("z = relu(x)", {"x": 0})  # no derivative at 0: see tests/core/test_gradcheck.py
    window.set_graph(kink)
    window.actions_["gradcheck"].trigger()
    assert window.gradcheck.table.rowCount() == 1
    assert window.gradcheck.table.item(0, 3).text() == "✓*"
    assert "kink" in window.gradcheck.summary.text()
