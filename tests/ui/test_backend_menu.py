"""Run → Backend: NumPy or CuPy, remembered; CuPy disabled with the reason where it cannot run; the
choice reaches the playback's trace and the Train dock's runs (the strict stand-in answering for CuPy)."""
from __future__ import annotations

import numpy
import pytest
from PySide6.QtCore import QSettings

import kernels.backend as backend
import graphapp.ui.backend_menu as backend_menu_module
from graphapp.core import examples
from graphapp.ui.backend_menu import checked_backend
from graphapp.ui.main_window import MainWindow
from kernels.backend import cupy_unavailable
from tests.kernels.strict_xp import StrictArray, strict
from tests.ui.test_train_dock import choose, panel_of, run_to_end


def items(window: MainWindow) -> dict[str, object]:
    return {a.data(): a for a in window.menus["backend"].actions()}


@pytest.mark.skipif(cupy_unavailable() is None, reason="CuPy runs here: its item is enabled")
def test_cupy_is_disabled_with_the_reason(window: MainWindow) -> None:
    menu = window.menus["backend"]
    assert menu in [a.menu() for a in window.menus["run"].actions() if a.menu()]
    menu.aboutToShow.emit()
    numpy_item, cupy_item = items(window)["numpy"], items(window)["cupy"]
    assert (numpy_item.text(), cupy_item.text()) == ("NumPy (CPU)", "CuPy (GPU)")
    assert numpy_item.isChecked() and numpy_item.isEnabled() and not cupy_item.isEnabled()
    assert cupy_item.toolTip() == f"Not available here: {cupy_unavailable()}"
    window.set_language("ko")
    menu.aboutToShow.emit()
    assert cupy_item.text() == "CuPy (GPU 계산)" and cupy_item.toolTip().startswith("여기서는 쓸 수 없습니다: ")
    assert window.playback.xp is numpy and window.train_panel.xp is numpy


def test_a_remembered_cupy_starts_on_numpy_where_it_cannot_run(qapp, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(backend_menu_module, "cupy_unavailable", lambda: "no CUDA device")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("backend", "cupy")
    win = MainWindow(settings=settings, lang="en")
    assert checked_backend(win.menus["backend"]) == "numpy" and win.playback.xp is numpy
    assert settings.value("backend") == "cupy"  # kept for the day it runs here again
    win.deleteLater()


@pytest.fixture
def device(monkeypatch: pytest.MonkeyPatch) -> None:
    """CuPy that runs: the strict stand-in (numpy behind a wall host-only code runs into) answers for it."""
    monkeypatch.setattr(backend_menu_module, "cupy_unavailable", lambda: None)
    real = backend.get_xp
    monkeypatch.setattr(backend_menu_module, "get_xp", lambda name: strict if name == "cupy" else real(name))


def test_choosing_cupy_reaches_the_trace_and_the_train_dock(device: None, window: MainWindow, qtbot) -> None:  # noqa: ANN001
    window.open_example("logistic_update")
    window.playback.go_to(8)  # σ(l1) = 0.8176, computed on numpy
    assert "0.8176" in window.narration.main.full_text()
    cupy_item = items(window)["cupy"]
    assert cupy_item.isEnabled()
    cupy_item.trigger()
    assert window.settings.value("backend") == "cupy" and checked_backend(window.menus["backend"]) == "cupy"
    assert window.playback.xp is strict and window.train_panel.xp is strict
    assert window.playback.step == 0  # the numpy trace is dropped
    window.playback.go_to(8)  # the same trace, run on the device, shown from its host copy
    assert "0.8176" in window.narration.main.full_text()
    assert all(type(e.value) is numpy.ndarray for e in window.playback.trace.forward)
    p = panel_of(window)
    choose(p.form.data, "own")
    choose(p.form.optimizer, "sgd")
    p.form.lr.setText("1")
    run_to_end(qtbot, p, p.step_button)
    assert p.message.text() == ""
    assert all(type(v) is StrictArray for v in p.session.trainer.params.values())
    assert float(window.graph.nodes["w1"].value) == pytest.approx(0.01225, abs=5e-6)  # the lecture's update
    again = MainWindow(settings=QSettings(window.settings.fileName(), QSettings.Format.IniFormat), lang="en")
    assert checked_backend(again.menus["backend"]) == "cupy" and again.train_panel.xp is strict
    again.deleteLater()
