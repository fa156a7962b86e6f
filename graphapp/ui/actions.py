"""The action table: every command of the window with its keys, and where it stands in the menus.

The window builds its QActions and menus from this table, and the keyboard-shortcut sheet is
generated from the same table, so the sheet cannot drift from what the keys really do. Texts are
i18n keys: `key` for the menu text, `tip_<key>` for the tooltip.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

from graphapp.ui.i18n import tr

Key = QKeySequence.StandardKey | str
K = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    keys: tuple[Key, ...] = ()  # QAction shortcuts
    shown: tuple[str, ...] = ()  # keys a widget handles itself (Space: play, or pan when dragged)
    checkable: bool = False


ACTIONS: dict[str, ActionSpec] = {
    "new": ActionSpec((K.New,)),
    "new_expr": ActionSpec(("Ctrl+E",)),
    "open": ActionSpec((K.Open,)),
    "save": ActionSpec((K.Save,)),
    "save_as": ActionSpec((K.SaveAs,)),
    "export_png": ActionSpec(),
    "export_svg": ActionSpec(),
    "export_animation": ActionSpec(),
    "quit": ActionSpec((K.Quit,)),
    "undo": ActionSpec((K.Undo,)),
    "redo": ActionSpec(("Ctrl+Shift+Z", "Ctrl+Y")),
    "cut": ActionSpec((K.Cut,)),
    "copy": ActionSpec((K.Copy,)),
    "copy_image": ActionSpec(("Ctrl+Shift+C",)),
    "paste": ActionSpec((K.Paste,)),
    "duplicate": ActionSpec(("Ctrl+D",)),
    "delete": ActionSpec((K.Delete, "Backspace")),
    "select_all": ActionSpec((K.SelectAll,)),
    "insert_expr": ActionSpec(("Ctrl+Shift+E",)),
    "expand": ActionSpec(("Ctrl+]",)),
    "collapse": ActionSpec(("Ctrl+[",)),
    "zoom_in": ActionSpec((K.ZoomIn, "Ctrl+=")),
    "zoom_out": ActionSpec((K.ZoomOut,)),
    "fit": ActionSpec(("Ctrl+0", "F")),
    "relayout": ActionSpec(("Ctrl+L",)),
    "presentation": ActionSpec(("F11",), checkable=True),
    "theme_light": ActionSpec(checkable=True),
    "theme_dark": ActionSpec(checkable=True),
    "lang_en": ActionSpec(checkable=True),
    "lang_ko": ActionSpec(checkable=True),
    "forward": ActionSpec(("F5",)),
    "backward": ActionSpec(("F6",)),
    "step_next": ActionSpec(("Right", "PgDown")),
    "step_prev": ActionSpec(("Left", "PgUp")),
    "play_pause": ActionSpec(shown=("Space",)),
    "reset": ActionSpec(("Home",)),
    "gradcheck": ActionSpec(("Ctrl+G",)),
    "show_train": ActionSpec(("Ctrl+T",)),
    "show_plots": ActionSpec(("Ctrl+Shift+P",)),
    "lesson": ActionSpec(("F1",)),
    "shortcuts": ActionSpec(("Ctrl+/",)),
    "about": ActionSpec(),
}

# Menu layouts: action keys, "-" a separator, "@name" a submenu (filled by the window: recent files,
# examples, digits, panels) or another layout of this table (theme, language).
MENUS: dict[str, tuple[str, ...]] = {
    "file": ("new", "new_expr", "open", "@recent", "-", "save", "save_as", "-", "export_png", "export_svg",
             "export_animation", "-", "quit"),
    "edit": ("undo", "redo", "-", "cut", "copy", "copy_image", "paste", "duplicate", "delete", "-",
             "select_all", "-", "insert_expr", "-", "expand", "collapse"),
    "view": ("zoom_in", "zoom_out", "fit", "relayout", "-", "presentation", "@theme", "@language", "@digits",
             "@docks"),
    "run": ("forward", "backward", "step_next", "step_prev", "play_pause", "reset", "-", "gradcheck", "show_train",
            "show_plots", "-", "@backend"),
    "help": ("lesson", "shortcuts", "-", "about"),
    "theme": ("theme_light", "theme_dark"),
    "language": ("lang_en", "lang_ko"),
}
MENU_BAR = ("file", "examples", "edit", "view", "run", "help")  # "examples" is filled from the lecture files


def plain(text: str) -> str:
    """A menu text without its mnemonic: "&Save" -> "Save", "파일(&F)" -> "파일"."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "")


def key_texts(key: str) -> list[str]:
    """The keys of an action as the menus show them (native text: Ctrl+S, or ⌘S on a Mac)."""
    spec = ACTIONS[key]
    fmt = QKeySequence.SequenceFormat.NativeText
    return [QKeySequence(k).toString(fmt) for k in (*spec.keys, *spec.shown)]  # a standard key: its first binding


def menu_actions(menu: str) -> list[str]:
    """The action keys of a menu and its table submenus, in menu order."""
    out: list[str] = []
    for entry in MENUS[menu]:
        if entry.startswith("@"):
            out += menu_actions(entry[1:]) if entry[1:] in MENUS else []
        elif entry != "-":
            out.append(entry)
    return out


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(menu title, action text, keys) for every action with a key, menu by menu: the shortcut sheet."""
    rows = []
    for menu in MENU_BAR:
        if menu not in MENUS:
            continue
        for key in menu_actions(menu):
            keys = key_texts(key)
            if keys:
                rows.append((plain(tr(f"menu_{menu}")), plain(tr(key)), ", ".join(keys)))
    return rows
