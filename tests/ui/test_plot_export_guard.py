"""Exporting a plot writes its numbers beside the picture; an existing CSV there is replaced only on a yes."""
from __future__ import annotations

from pathlib import Path

from graphapp.ui.docks.plots import PlotsPanel


def _race_tab(qtbot, tmp_path: Path, asked: list[Path], answer: bool):  # noqa: ANN001, ANN202
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    tab = panel.race
    tab.ask_path = lambda: str(tmp_path / "stock.png")
    tab.confirm_replace = lambda p: asked.append(p) or answer
    tab.run()
    tab.panel_ = panel  # the panel owns the tab's widgets: keep it alive as long as the tab
    return tab


def test_a_data_file_beside_the_picture_is_kept_when_the_user_declines(qtbot, tmp_path):  # noqa: ANN001
    data = tmp_path / "stock.csv"
    data.write_bytes(b"Open,High,Low,Volume,Close\n1,2,3,4,5\n")
    asked: list[Path] = []
    tab = _race_tab(qtbot, tmp_path, asked, answer=False)
    tab.export()
    assert asked == [data]
    assert data.read_bytes() == b"Open,High,Low,Volume,Close\n1,2,3,4,5\n"
    assert not (tmp_path / "stock.png").exists()  # nothing half-written: the export did not start


def test_the_csv_is_replaced_on_yes_and_no_question_without_one(qtbot, tmp_path):  # noqa: ANN001
    asked: list[Path] = []
    tab = _race_tab(qtbot, tmp_path, asked, answer=True)
    tab.export()
    assert asked == []  # nothing to replace: no question
    (tmp_path / "stock.csv").write_text("old\n")
    tab.export()
    assert asked == [tmp_path / "stock.csv"]
    assert (tmp_path / "stock.csv").read_text().startswith("optimizer,lr,step,x,y,f")
