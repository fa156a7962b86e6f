"""Run → Backend: NumPy (CPU) or CuPy (GPU), one checked at a time, remembered in the settings.

The CuPy item is disabled where CuPy cannot run (not installed, no CUDA device), its tooltip saying why;
a remembered "cupy" on such a machine starts on NumPy (and stays remembered for the GPU machine). The
choice reaches the window's runs through `on_change(xp)`: the playback's trace and the Train dock.
"""
from __future__ import annotations

from types import ModuleType
from typing import Callable

from PySide6.QtCore import QSettings
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from graphapp.ui.i18n import tr
from kernels.backend import BACKENDS, cupy_unavailable, get_xp

SETTING = "backend"


def _usable(name: str) -> bool:
    return name == "numpy" or cupy_unavailable() is None


def backend_menu(parent: QWidget, settings: QSettings | None, on_change: Callable[[ModuleType], None]) -> QMenu:
    """The menu, with the remembered backend (where it can run here) checked and handed to `on_change`."""
    menu = QMenu(parent)
    group = QActionGroup(menu)
    stored = str(settings.value(SETTING, "numpy")) if settings is not None else "numpy"
    current = stored if stored in BACKENDS and _usable(stored) else "numpy"

    def choose(name: str) -> None:
        if settings is not None:
            settings.setValue(SETTING, name)
        on_change(get_xp(name))

    for name in BACKENDS:
        action = menu.addAction("")
        action.setData(name)
        action.setCheckable(True)
        action.setChecked(name == current)
        action.setEnabled(_usable(name))
        group.addAction(action)
        action.triggered.connect(lambda _checked=False, n=name: choose(n))

    def retranslate() -> None:  # texts in the language of the moment, each time the menu opens
        reason = cupy_unavailable()
        for action in menu.actions():
            name = action.data()
            action.setText(tr(f"backend_{name}"))
            unusable = name == "cupy" and reason is not None
            action.setToolTip(tr("tip_backend_unavailable", reason=reason) if unusable else tr(f"tip_backend_{name}"))

    menu.aboutToShow.connect(retranslate)
    menu.setToolTipsVisible(True)
    retranslate()
    on_change(get_xp(current))
    return menu


def checked_backend(menu: QMenu) -> str:
    """The name of the checked item ("numpy" or "cupy")."""
    return next(str(a.data()) for a in menu.actions() if a.isChecked())
