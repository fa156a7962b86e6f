"""Help: the keyboard-shortcut sheet (generated from the action table, so it cannot drift), the About
box with the licences of everything the app ships, and the tooltips of widgets that mirror actions."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy
import PySide6
from PySide6.QtWidgets import (
    QAbstractButton, QDialog, QDialogButtonBox, QHeaderView, QLabel, QMenuBar, QTabBar, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from graphapp import __version__
from graphapp.ui.actions import key_texts, plain, shortcut_rows
from graphapp.ui.i18n import tr

if TYPE_CHECKING:
    from graphapp.ui.main_window import MainWindow

# (what, licence, where its text is): what the app bundles or links, for the About box.
LICENCES = (
    ("Backprop Studio", "MIT", "pyproject.toml"),
    ("NanumGothic (NAVER)", "SIL Open Font License 1.1", "assets/fonts/OFL.txt"),
    ("UCI digits (Alpaydin & Kaynak, 1998)", "CC BY 4.0", "assets/datasets/README.md"),
    ("Qt 6 / PySide6", "LGPL v3", "https://www.qt.io/licensing"),
    ("pyqtgraph", "MIT", "https://github.com/pyqtgraph/pyqtgraph"),
    ("NumPy", "BSD 3-Clause", "https://numpy.org/license"),
    ("NetworkX", "BSD 3-Clause", "https://networkx.org"),
)


def action_tip(key: str) -> str:
    """An action's tooltip with its keys, e.g. "Run the forward pass to the end (F5)"."""
    keys = key_texts(key)
    return tr(f"tip_{key}") + (f" ({', '.join(keys)})" if keys else "")


def _dialog(parent: QWidget, title: str) -> tuple[QDialog, QVBoxLayout]:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    lay = QVBoxLayout(dialog)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    buttons.button(QDialogButtonBox.StandardButton.Close).setToolTip(tr("tip_close"))
    lay.addWidget(buttons)
    return dialog, lay


def shortcuts_dialog(parent: QWidget) -> QDialog:
    """A table of (menu, command, keys) built from actions.ACTIONS and actions.MENUS."""
    dialog, lay = _dialog(parent, plain(tr("shortcuts")))
    rows = shortcut_rows()
    table = QTableWidget(len(rows), 3)
    table.setObjectName("shortcut_table")
    table.setHorizontalHeaderLabels([tr("sc_menu"), tr("sc_command"), tr("sc_keys")])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.setItem(i, j, QTableWidgetItem(cell))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    lay.insertWidget(0, table)
    dialog.resize(560, 620)
    return dialog


def about_dialog(parent: QWidget) -> QDialog:
    dialog, lay = _dialog(parent, plain(tr("about")))
    rows = "".join(f"<tr><td>{html.escape(what)}</td><td>&nbsp;{html.escape(lic)}</td>"
                   f"<td>&nbsp;<small>{html.escape(where)}</small></td></tr>" for what, lic, where in LICENCES)
    label = QLabel(
        f"<h2>{html.escape(tr('app_name'))} {__version__}</h2><p>{html.escape(tr('about_text'))}</p>"
        f"<p>PySide6 {PySide6.__version__} · NumPy {numpy.__version__}</p>"
        f"<h3>{html.escape(tr('about_licences'))}</h3><table>{rows}</table>")
    label.setObjectName("about_text")
    label.setWordWrap(True)
    lay.insertWidget(0, label)
    return dialog


def tooltip_widgets(window: MainWindow) -> list[tuple[QWidget, str]]:
    """Tooltips for the playback bar, whose buttons do what Run-menu actions do (same words, same keys)."""
    bar = window.bar
    pairs: list[tuple[QWidget, str]] = [
        (button, action_tip("play_pause" if key == "play" else key)) for key, button in bar.buttons.items()]
    pairs += [(bar.speed, tr("tip_speed")), (bar.slider, tr("tip_slider"))]
    for button in window.findChildren(QAbstractButton):  # Qt's own buttons: dock title, clear, scroll arrows
        key = QT_BUTTONS.get(button.objectName()) or QT_BUTTONS.get(button.metaObject().className())
        if key is None and isinstance(button.parentWidget(), (QTabBar, QMenuBar)):
            key = "tip_tab_scroll" if isinstance(button.parentWidget(), QTabBar) else "tip_more_menus"
        if key is not None:
            pairs.append((button, tr(key)))
    return pairs


QT_BUTTONS = {"qt_dockwidget_floatbutton": "tip_float", "qt_dockwidget_closebutton": "tip_close_panel",
              "QLineEditIconButton": "tip_clear", "QTableCornerButton": "tip_select_rows"}
