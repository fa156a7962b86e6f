"""Both languages everywhere: the tool's own strings, and the core's errors as the window shows them."""
from __future__ import annotations

import string

from graphapp.core.graph import Graph
from graphapp.core.messages import has_hangul
from graphapp.ui.i18n import STRINGS
from graphapp.ui.main_window import MainWindow
from tests.ui.conftest import small_graph
from tests.ui.test_editing import drag_between

BOTH_SCRIPTS = {"lang_ko", "palette_search"}  # Korean on purpose in the English text: a name, a search hint


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_ui_string_has_english_and_korean() -> None:
    for key, (en, ko) in STRINGS.items():
        assert en.strip() and ko.strip(), key
        assert fields(en) == fields(ko), key
        assert has_hangul(ko), key
        assert key in BOTH_SCRIPTS or not has_hangul(en), key


def failing_graph() -> Graph:
    g = Graph()
    g.add_node("input", "a", value=1.0, pos=(0.0, 0.0))
    g.add_node("const", "zero", value=0.0, pos=(0.0, 120.0))
    g.add_node("div", "d", pos=(200.0, 50.0))
    g.add_node("output", "out", pos=(400.0, 50.0))
    for src, dst, port in (("a", "d", "a"), ("zero", "d", "b"), ("d", "out", "x")):
        g.connect(src, dst, port)
    return g


def test_an_engine_error_is_korean_on_the_node_and_follows_the_language(window: MainWindow) -> None:
    window.set_language("ko")
    window.set_graph(failing_graph())
    window.actions_["step_next"].trigger()
    error = window.scene.nodes["d"].error
    assert error == "노드 'd' (div): 입력 b = 0 (노드 'zero'의 출력): 정의역을 벗어났습니다 (조건: b ≠ 0)"
    assert error in window.statusBar().currentMessage()
    assert window.narration.main.full_text() == error  # Korean first, English second
    window.set_language("en")
    assert window.scene.nodes["d"].error == "node 'd' (div): input b = 0 (from 'zero') is outside its domain b ≠ 0"
    assert "outside its domain" in window.statusBar().currentMessage()


def test_a_refused_connection_says_why_in_korean(window: MainWindow) -> None:
    window.set_language("ko")
    window.set_graph(small_graph())
    drag_between(window, window.scene.nodes["n"].ports[None].scenePos(),
                 window.scene.nodes["m"].ports["b"].scenePos())
    assert window.scene.flash.text.startswith("순환(cycle)이 생깁니다: ")
    assert "순환(cycle)" in window.statusBar().currentMessage()


def test_inspector_and_dialog_errors_are_korean(window: MainWindow, tmp_path) -> None:  # noqa: ANN001
    window.set_language("ko")
    window.set_graph(small_graph())
    window.scene.select_nodes(["x"])
    field = window.inspector.fields["value"]
    field.setText("[1, 2")
    field.editingFinished.emit()
    assert window.inspector.errors["value"].text() == "노드 'x'의 값: 수나 JSON 배열이 아닙니다: '[1, 2'"
    MainWindow._show_error(window, "파일을 열 수 없습니다", f"{tmp_path}/g.json: no such file")
    assert window.statusBar().currentMessage() == f"파일을 열 수 없습니다: {tmp_path}/g.json: 파일이 없습니다"
