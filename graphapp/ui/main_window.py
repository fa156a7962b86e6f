"""The main window: canvas in the middle, narration and playback under it, palette, inspector,
gradient check and lesson in docks; menus from the action table (actions.py).

The window holds documents (open, save, the title) and wiring. One Graph lives as long as the window
(Open replaces its content, so every listener stays subscribed); edits go through the GraphEditor,
which owns the undo stack and takes node ids: the window turns gestures and selections into ids.
"""
from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Callable

import shiboken6
from PySide6.QtCore import QByteArray, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox, QTabBar, QVBoxLayout, QWidget,
)

from graphapp.core import examples, expand as expansion, fileio
from graphapp.core.expanders import EXPANDERS
from graphapp.core.errors import StudioError
from graphapp.core.graph import Graph
from graphapp.core.meta import check_meta, text
from graphapp.core.narration import describe
from graphapp.core.trace import Trace
from graphapp.ui import i18n
from graphapp.ui.actions import ACTIONS, MENU_BAR, MENUS, plain
from graphapp.ui.backend_menu import backend_menu
from graphapp.ui.canvas.display import total_text
from graphapp.ui.canvas.scene import GraphScene
from graphapp.ui.canvas.style import Style
from graphapp.ui.canvas.view import GraphView
from graphapp.ui.docks.gradcheck import GradCheckPanel
from graphapp.ui.docks.inspector import Inspector
from graphapp.ui.docks.lesson import LessonPanel
from graphapp.ui.docks.narration import NarrationBar
from graphapp.ui.docks.palette import Palette
from graphapp.ui.docks.playback import Playback, PlaybackBar
from graphapp.ui.docks.plots import PlotsPanel
from graphapp.ui.docks.train import TrainPanel
from graphapp.ui.editor import GraphEditor, layout_positions
from graphapp.ui.expr_dialog import ExpressionDialog
from graphapp.ui.export import export_scene, scene_image
from graphapp.ui.export_animation import export_animation
from graphapp.ui.fonts import apply_app_font
from graphapp.ui.format import digits_menu
from graphapp.ui.help import about_dialog, shortcuts_dialog, tooltip_widgets
from graphapp.ui.i18n import tr
from graphapp.ui.model_signals import GraphSignals
from graphapp.ui.node_menu import node_menu
from graphapp.ui.presentation import Presenter
from graphapp.ui.theme import make_theme, window_palette

MAX_RECENT = 8
TAB_PAD_PX = 7
INSPECTOR_WIDTH = 250  # the gradient check's four columns of 6-digit numbers fit at 1280×720
TRAIN_WIDTH = 480  # the Train tab when opened: its fields and curves, the canvas still the widest
CANVAS_SHARE = 0.58  # the canvas keeps this share of the window's width when the Train or Plots tab opens
WIDE_DOCK_SHARE = 0.7  # of the room beside the canvas, for that tab; the palette keeps the rest


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None, lang: str | None = None,
                 theme: str | None = None) -> None:
        super().__init__()
        self.settings = settings  # None: remember nothing (headless rendering)
        i18n.set_language(lang or str(self._pref("lang", i18n.system_language())))
        self.theme_name = theme or str(self._pref("theme", "light"))
        self.presentation = False  # a mode for one lecture, not remembered: the next start is a desk again
        self.path: Path | None = None
        self.auto_placed = False  # the open graph's places all came from the automatic layout
        self.graph = Graph()
        self.signals = GraphSignals(self.graph, self)
        self.presenter = Presenter(self)
        self.style_ = Style(make_theme(self.theme_name, self.presentation), i18n.language())
        self.editor = GraphEditor(self.graph, lambda: self.style_, self)
        self.undo_stack = self.editor.stack  # the document's clean state lives there
        self.playback = Playback(self.graph, self)
        self.scene = GraphScene(self.graph, self.signals, self.style_)
        self.view = GraphView(self.scene)
        self.narration = NarrationBar()
        self.bar = PlaybackBar(self.playback)
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.narration)
        lay.addWidget(self.bar)
        self.setCentralWidget(central)
        self.param_total = QLabel()  # the graph's parameter count, beside any status message
        self.statusBar().addPermanentWidget(self.param_total)
        self.palette = Palette()
        self.inspector = Inspector(self.graph, self.editor.apply)
        self.gradcheck = GradCheckPanel(self.graph)
        self.lesson = LessonPanel()
        self.train_panel = TrainPanel(self.graph, self.undo_stack, self.open_graph)
        self.plots_panel = PlotsPanel()
        self.docks = {
            "palette": self._dock("palette", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea),
            "inspector": self._dock("inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea),
            "gradcheck": self._dock("gradcheck", self.gradcheck, Qt.DockWidgetArea.RightDockWidgetArea),
            "lesson": self._dock("lesson", self.lesson, Qt.DockWidgetArea.RightDockWidgetArea),
            "train": self._dock("train", self.train_panel, Qt.DockWidgetArea.RightDockWidgetArea),
            "plots": self._dock("plots", self.plots_panel, Qt.DockWidgetArea.RightDockWidgetArea),
        }
        self.tabifyDockWidget(self.docks["inspector"], self.docks["gradcheck"])
        self.tabifyDockWidget(self.docks["gradcheck"], self.docks["lesson"])
        self.tabifyDockWidget(self.docks["lesson"], self.docks["train"])
        self.tabifyDockWidget(self.docks["train"], self.docks["plots"])
        self.docks["train"].hide()  # a tab from Run → Train Panel (or View → Panels) on
        self.docks["plots"].hide()  # likewise from Run → Plots Panel
        self.docks["inspector"].raise_()
        for dock in self.docks.values():
            dock.visibilityChanged.connect(self._tidy_tab_bars)
        # Prompts are attributes so tests (and scripts) can replace them: nothing here may block a test.
        self.ask_discard: Callable[[], str] = self._ask_discard  # "save" | "discard" | "cancel"
        self.ask_open_path: Callable[[], str | None] = self._ask_open_path
        self.ask_save_path: Callable[[str, str], str | None] = self._ask_save_path
        self.show_error: Callable[[str, str], None] = self._show_error
        self.show_menu: Callable[[QMenu, QPoint], object] = QMenu.exec  # a right-click menu at a global point
        self._build_actions()
        self._build_menus()
        self._wire()
        self.apply_theme()
        self.retranslate()
        self._size_docks()
        self._restore_window()
        self._tidy_tab_bars()

    # ---- settings -------------------------------------------------------------------------------
    def _pref(self, key: str, default: object) -> object:
        return self.settings.value(key, default) if self.settings is not None else default

    def _set_pref(self, key: str, value: object) -> None:
        if self.settings is not None:
            self.settings.setValue(key, value)

    def _restore_window(self) -> None:
        geometry, state = self._pref("geometry", None), self._pref("window_state", None)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _size_docks(self) -> None:
        """The palette as wide as its rows in this language; the inspector narrower: the canvas first."""
        self.resizeDocks([self.docks["palette"], self.docks["inspector"]], [self.palette.wanted_width(), INSPECTOR_WIDTH],
                         Qt.Orientation.Horizontal)

    def _tidy_tab_bars(self, *_shown: bool) -> None:
        """Tabbed docks show whole titles and scroll when they do not fit: "Inspec…" reads worse than an
        arrow, and the inspector stays narrow so the canvas keeps the width (Qt makes these bars lazily)."""
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)
            bar.setExpanding(False)
            # Narrower margins than the style's: the three tabs shown at the start fit INSPECTOR_WIDTH in English
            bar.setStyleSheet(f"QTabBar::tab {{ padding: 3px {TAB_PAD_PX}px; }}")

    def _dock(self, key: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(f"dock_{key}")  # saveState needs names
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # ---- actions and menus ----------------------------------------------------------------------
    def _slots(self) -> dict[str, Callable[[], object]]:
        """What each action of the table does (undo and redo come from the stack)."""
        pb, view = self.playback, self.view
        slots: dict[str, Callable[[], object]] = {
            "new": self.new_file, "new_expr": self.new_from_expression, "open": self.open_dialog,
            "save": self.save, "save_as": self.save_as, "export_png": lambda: self.export_dialog("png"),
            "export_svg": lambda: self.export_dialog("svg"), "export_animation": lambda: export_animation(self),
            "quit": self.close,
            "cut": self.cut, "copy": self.copy, "copy_image": self.copy_image, "paste": self.paste,
            "duplicate": self.duplicate, "delete": self.delete_selection, "select_all": self.select_all,
            "insert_expr": self.insert_expression, "expand": self.expand_selection,
            "collapse": self.collapse_selection,
            "zoom_in": lambda: view.zoom_by(1.25), "zoom_out": lambda: view.zoom_by(0.8), "fit": view.fit,
            "relayout": self.relayout, "presentation": lambda: self.set_presentation(not self.presentation),
            "forward": pb.run_forward, "backward": pb.run_backward, "step_next": lambda: pb.step_by(1),
            "step_prev": lambda: pb.step_by(-1), "play_pause": pb.toggle_play, "reset": pb.reset,
            "gradcheck": self.run_gradcheck, "lesson": self.show_lesson, "shortcuts": self.show_shortcuts,
            "about": self.show_about, "show_train": self.show_train,
            "show_plots": self.show_plots,
        }
        for name in ("light", "dark"):
            slots[f"theme_{name}"] = lambda n=name: self.set_theme(n)
        for lang in ("en", "ko"):
            slots[f"lang_{lang}"] = lambda lg=lang: self.set_language(lg)
        return slots

    def _build_actions(self) -> None:
        self.actions_: dict[str, QAction] = {
            "undo": self.undo_stack.createUndoAction(self), "redo": self.undo_stack.createRedoAction(self)}
        for key, slot in self._slots().items():
            action = QAction(self)
            action.triggered.connect(lambda _checked=False, f=slot: f())
            self.actions_[key] = action
        for key, action in self.actions_.items():
            spec = ACTIONS[key]
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
            action.setCheckable(spec.checkable)
            self.addAction(action)  # shortcuts work even where the menu bar is hidden
        self.theme_group = QActionGroup(self)
        self.lang_group = QActionGroup(self)
        for key in MENUS["theme"]:
            self.theme_group.addAction(self.actions_[key])
        for key in MENUS["language"]:
            self.lang_group.addAction(self.actions_[key])

    def _build_menus(self) -> None:
        self.menus: dict[str, QMenu] = {}
        extra = {"recent": self._fill_recent, "examples": self._fill_examples}
        for name in MENU_BAR:
            menu = self.menus[name] = self.menuBar().addMenu("")
            if name in extra:
                menu.aboutToShow.connect(extra[name])
            else:
                self._fill_menu(menu, name)
        self._fill_examples()

    def _fill_menu(self, menu: QMenu, name: str) -> None:
        for entry in MENUS[name]:
            if entry == "-":
                menu.addSeparator()
            elif entry == "@digits":
                self.menus["digits"] = digits_menu(self, self.settings, self._digits_changed)
                menu.addMenu(self.menus["digits"])
            elif entry == "@backend":
                self.menus["backend"] = backend_menu(self, self.settings, self.set_backend)
                menu.addMenu(self.menus["backend"])
            elif entry.startswith("@"):
                sub = self.menus[entry[1:]] = menu.addMenu("")
                if entry[1:] in MENUS:
                    self._fill_menu(sub, entry[1:])
                elif entry == "@recent":
                    sub.aboutToShow.connect(self._fill_recent)
                elif entry == "@docks":
                    for dock in self.docks.values():
                        sub.addAction(dock.toggleViewAction())
            else:
                menu.addAction(self.actions_[entry])

    def _fill_examples(self) -> None:
        menu = self.menus["examples"]
        menu.clear()
        ko = i18n.language() == "ko"
        for name in examples.example_names():
            try:
                info = examples.example_info(name)
            except StudioError:
                continue
            first, second = (info.title_ko, info.title_en) if ko else (info.title_en, info.title_ko)
            act = menu.addAction(f"{first} · {second}" if first and second else first or second or name)
            act.setData(name)
            act.triggered.connect(lambda _c=False, n=name: self.open_example(n))

    def _fill_recent(self) -> None:
        menu = self.menus["recent"]
        menu.clear()
        recent = self.recent_files()
        for path in recent:
            menu.addAction(path).triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if not recent:
            menu.addAction(tr("no_recent")).setEnabled(False)
        menu.addSeparator()
        menu.addAction(tr("clear_recent")).triggered.connect(lambda: self._set_pref("recent", []))

    def set_backend(self, xp: ModuleType) -> None:
        """Run → Backend: the trace and the Train dock's next runs compute on `xp` (numpy or CuPy)."""
        self.playback.set_backend(xp)
        self.train_panel.set_backend(xp)

    def recent_files(self) -> list[str]:
        value = self._pref("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _add_recent(self, path: Path) -> None:
        p = str(path.resolve())
        self._set_pref("recent", [p, *[r for r in self.recent_files() if r != p]][:MAX_RECENT])

    def retranslate(self) -> None:
        for key, action in self.actions_.items():
            shown = "\t" + ", ".join(ACTIONS[key].shown) if ACTIONS[key].shown else ""
            if key not in ("undo", "redo"):  # the stack names what they undo
                action.setText(tr(key) + shown)  # after a tab: shown in the menu's key column
            action.setToolTip(tr(f"tip_{key}"))
            action.setStatusTip(tr(f"tip_{key}"))
        for key, menu in self.menus.items():
            menu.setTitle(tr(f"menu_{key}") if f"menu_{key}" in i18n.STRINGS else tr(key))
            menu.setToolTipsVisible(True)
        for key, dock in self.docks.items():
            dock.setWindowTitle(plain(tr(key)))
            dock.toggleViewAction().setToolTip(tr("tip_dock", name=plain(tr(key))))
        self._tidy_tab_bars()
        for widget, tip in tooltip_widgets(self):
            widget.setToolTip(tip)
        self.lesson.set_meta(self.graph.meta)
        self.actions_[f"lang_{i18n.language()}"].setChecked(True)
        self.actions_[f"theme_{self.theme_name}"].setChecked(True)
        self.actions_["presentation"].setChecked(self.presentation)
        self.palette.retranslate()
        self.inspector.rebuild()
        self.gradcheck.retranslate()
        self.train_panel.retranslate()
        self.plots_panel.retranslate()
        self.bar.retranslate()
        self._fill_examples()
        self._show_narration()
        self._update_title()
        self._show_param_total()

    # ---- wiring -----------------------------------------------------------------------------------
    def _wire(self) -> None:
        self.signals.changed.connect(self._model_changed)
        self.playback.frame_changed.connect(self._frame_changed)
        self.playback.failed.connect(self._run_failed)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.scene.connect_requested.connect(self.editor.connect)
        self.scene.nodes_moved.connect(self.editor.move_nodes)
        self.scene.op_dropped.connect(self.add_op)
        self.editor.refused.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self.scene.refused.connect(lambda reason: self.statusBar().showMessage(tr("refused", reason=reason), 6000))
        self.palette.add_requested.connect(lambda op: self.add_op(op, self.view.mapToScene(
            self.view.viewport().rect().center())))
        self.view.play_toggled.connect(self.playback.toggle_play)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._node_menu)
        self.undo_stack.cleanChanged.connect(lambda _c: self._update_title())
        # expand.swap() records groups after its node edits: frames follow once the step (or undo) is done
        self.undo_stack.indexChanged.connect(self.scene.sync_frames)

    def _model_changed(self, kind: str, payload: object) -> None:
        if self.graph.revision != self.playback.revision:
            self.playback.invalidate()  # results may differ: back to step 0
            self.gradcheck.clear()
        elif kind == "node_changed":
            self.playback.refresh()  # a new name: same numbers, new words
        if kind == "node_changed":
            self.inspector.node_changed(payload.id)
        elif kind in ("node_removed", "reset"):
            self.inspector.set_nodes(self.scene.selected_node_ids())
        self._update_title()
        self._show_param_total()

    def _show_param_total(self) -> None:
        total = total_text(self.graph, i18n.language())
        self.param_total.setText(total)
        self.param_total.setVisible(any(n.op == "param" for n in self.graph.nodes.values()))

    def _frame_changed(self, frame: object) -> None:
        self.scene.apply_frame(frame)
        self.view.follow_playhead()
        self.inspector.set_frame(frame)
        self._show_narration()

    def _show_narration(self) -> None:
        """At step 0 the bar tells the lesson (title and description) when the graph has one."""
        frame = self.playback.frame
        if frame is None or frame.step == 0:
            err = self.playback.error
            lesson = tuple(self.lesson_text(lang) for lang in ("en", "ko"))
            ready = ((str(err), i18n.error_text(err, "ko")) if err is not None else lesson if any(lesson) else
                     (describe(self.graph, Trace([], [], {}), 0, "en"), describe(self.graph, Trace([], [], {}), 0, "ko")))
            self.narration.set_frame(None, ready)
        else:
            self.narration.set_frame(frame)

    def lesson_text(self, lang: str) -> str:
        meta = check_meta(self.graph.meta)
        title, description = text(meta, "title", lang), text(meta, "description", lang)
        return f"{title} — {description}" if title and description else title or description

    def _run_failed(self, exc: StudioError | None) -> None:
        self.scene.set_errors({exc.node: i18n.error_text(exc)} if exc is not None and exc.node else {})
        if exc is not None:
            self.statusBar().showMessage(tr("error", msg=i18n.error_text(exc)))
        else:
            self.statusBar().clearMessage()
        self._show_narration()

    def _selection_changed(self) -> None:
        if shiboken6.isValid(self.scene) and shiboken6.isValid(self.inspector):  # not while being destroyed
            self.inspector.set_nodes(self.scene.selected_node_ids())

    # ---- editing: selections become ids for the editor --------------------------------------------
    def add_op(self, op: str, at: QPointF) -> str:
        nid = self.editor.add_op(op, self.scene.model_pos(at))  # `at` on the canvas, drawn at any scale
        self.scene.select_nodes([nid])
        return nid

    def delete_selection(self) -> None:
        self.editor.delete(self.scene.selected_node_ids(), self.scene.selected_edges())

    def select_all(self) -> None:
        self.scene.select_nodes(list(self.graph.nodes))

    def copy(self) -> bool:
        return self.editor.copy(self.scene.selected_node_ids())

    def cut(self) -> None:
        self.editor.cut(self.scene.selected_node_ids())

    def paste(self) -> list[str]:
        return self._select(self.editor.paste())

    def duplicate(self) -> list[str]:
        return self._select(self.editor.duplicate(self.scene.selected_node_ids()))

    def _select(self, ids: list[str]) -> list[str]:
        if ids:
            self.scene.select_nodes(ids)
        return ids

    def expand_selection(self) -> list[str]:
        """Expand the selected layers; their pieces become the selection (so Collapse is one key away)."""
        layers = self.editor.expand(ids := self.scene.selected_node_ids())
        if not layers and not any(expansion.expandable(self.graph, n) for n in ids):
            self.statusBar().showMessage(tr("nothing_to_expand", ops=", ".join(sorted(EXPANDERS))), 8000)
        self._select([p for g in layers for p in self.graph.groups[g].nodes.values()])
        return layers

    def collapse_selection(self) -> list[str]:
        """Collapse the groups of the selected nodes; the layers they give back become the selection."""
        ids = self.scene.selected_node_ids()
        if not any(expansion.group_of(self.graph, n) is not None for n in ids):
            self.statusBar().showMessage(tr("nothing_to_collapse"), 8000)
        return self._select(self.editor.collapse(ids))

    def _node_menu(self, at: QPoint) -> None:
        menu = node_menu(self, at, self)
        if menu is not None:
            self.show_menu(menu, self.view.viewport().mapToGlobal(at))

    def relayout(self) -> None:
        self.editor.relayout()
        self.view.frame_graph()

    def copy_image(self) -> None:
        """Edit → Copy as image: the whole canvas as a picture, for slides and notes."""
        QGuiApplication.clipboard().setImage(scene_image(self.scene))
        self.statusBar().showMessage(tr("copied_image"), 4000)

    def new_from_expression(self) -> None:
        if self.maybe_save():
            self._expression_dialog(replace=True)

    def insert_expression(self) -> None:
        self._expression_dialog(replace=False)

    def _expression_dialog(self, replace: bool) -> None:
        dialog = ExpressionDialog(self, replace)
        dialog.accepted_graph.connect(lambda graph: self.put_expression(graph, replace))
        self.expression_dialog = dialog  # tests drive it; open(), never exec(): nothing blocks
        dialog.open()

    def put_expression(self, graph: Graph, replace: bool) -> list[str]:
        """A graph built from an expression: a new document, or inserted into this one; one undo step."""
        if replace:
            self.set_graph(Graph())
        ids = self.editor.insert_graph(graph, tr("cmd_expression", n=len(graph.nodes)))
        self._select(ids)
        self.view.frame_graph()
        return ids

    # ---- documents ----------------------------------------------------------------------------------
    def set_graph(self, graph: Graph, path: Path | None = None) -> None:
        """Show another graph (open, example, new): lay out unplaced nodes, forget the undo history."""
        self.auto_placed = bool(graph.nodes) and all(n.pos is None for n in graph.nodes.values())
        if any(n.pos is None for n in graph.nodes.values()):
            for nid, pos in layout_positions(graph, self.style_).items():
                if graph.nodes[nid].pos is None:
                    graph.nodes[nid].pos = pos  # graph is not shown yet: nobody to notify
        self.playback.pause()
        self.graph.replace_with(graph)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.path = path
        self.lesson.set_meta(self.graph.meta)
        self.view.frame_graph()
        self._update_title()
        self.narration.reset()  # another graph: the bar may shrink to its text (stepping never shrinks it)
        self._show_narration()

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current graph (saved, discarded, or unchanged)."""
        if self.undo_stack.isClean():
            return True
        answer = self.ask_discard()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_file(self) -> None:
        if self.maybe_save():
            self.set_graph(Graph())

    def open_example(self, name: str) -> bool:
        if not self.maybe_save():
            return False
        try:
            graph = examples.load_example(name)
        except StudioError as exc:
            self.show_error(tr("open_failed"), str(exc))
            return False
        self.set_graph(graph)
        title = examples.info(graph)
        self.statusBar().showMessage(tr("opened", name=title.title_ko if i18n.language() == "ko" else title.title_en
                                        or name), 5000)
        return True

    def open_graph(self, graph: Graph) -> bool:
        """Open a graph made in the window (a Train dock template) as a new document, like an example."""
        if not self.maybe_save():
            return False
        self.set_graph(graph)
        return True

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = self.ask_open_path()
        if path:
            self.open_path(path, ask=False)

    def open_path(self, path: str | Path, ask: bool = True) -> bool:
        if ask and not self.maybe_save():
            return False
        try:
            graph = fileio.load(path)  # a failed load leaves the open graph untouched
        except StudioError as exc:
            self.show_error(tr("open_failed"), str(exc))
            return False
        self.set_graph(graph, Path(path))
        self._add_recent(Path(path))
        return True

    def save(self) -> bool:
        return self.save_to(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        path = self.ask_save_path("file_filter", ".json")
        return self.save_to(Path(path)) if path else False

    def save_to(self, path: Path) -> bool:
        try:
            fileio.save(self.graph, path)
        except StudioError as exc:  # the message names the file
            self.show_error(tr("save_failed"), str(exc))
            return False
        self.path = path
        self.undo_stack.setClean()
        self._add_recent(path)
        self.statusBar().showMessage(tr("saved", path=str(path)), 5000)
        self._update_title()
        return True

    def document_name(self) -> str:
        """The file's name, else the graph's title in this language (an example), else "Untitled"."""
        if self.path:
            return self.path.name
        return text(check_meta(self.graph.meta), "title", i18n.language()) or tr("untitled")

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document_name()}[*] — {tr('app_name')}")
        self.setWindowModified(not self.undo_stack.isClean())

    # ---- dialogs (replaceable) ----------------------------------------------------------------------
    def discard_box(self) -> QMessageBox:
        return QMessageBox(QMessageBox.Icon.Question, tr("unsaved_title"),
                           tr("unsaved_text", name=self.document_name()),
                           QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                           | QMessageBox.StandardButton.Cancel, self)

    def _ask_discard(self) -> str:
        answer = self.discard_box().exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def _ask_open_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, tr("open"), str(self.path.parent if self.path else Path.home()),
                                              tr("file_filter"))
        return path or None

    def _ask_save_path(self, filter_key: str, suffix: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, tr("save_as"), str(self.path or Path.home()), tr(filter_key))
        if path and not path.endswith(suffix):
            path += suffix
        return path or None

    def _show_error(self, title: str, message: str) -> None:
        message = i18n.error_text(message)
        self.statusBar().showMessage(f"{title}: {message}")
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): never blocks

    # ---- export -----------------------------------------------------------------------------------
    def export_dialog(self, kind: str) -> None:
        path = self.ask_save_path(f"{kind}_filter", f".{kind}")
        if path:
            self.export(path)

    def export(self, path: str | Path) -> bool:
        """The canvas as SVG or PNG (2×), written atomically like a graph file."""
        try:
            export_scene(self.scene, path, tr("app_name"))
        except StudioError as exc:
            self.show_error(tr("save_failed"), str(exc))
            return False
        self.statusBar().showMessage(tr("exported", path=str(path)), 5000)
        return True

    # ---- view -------------------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        i18n.set_language(lang)
        self._set_pref("lang", lang)
        self._restyle()
        self.retranslate()
        self.playback.refresh() if self.playback.frame is not None else None
        if self.playback.error is not None:  # the error on the node and in the status bar, in the new language
            self._run_failed(self.playback.error)

    def set_theme(self, name: str) -> None:
        self.theme_name = name
        self._set_pref("theme", name)
        self.apply_theme()
        self.retranslate()

    def set_presentation(self, on: bool, full_screen: bool = True) -> None:
        """Presentation mode (see Presenter); `full_screen` False keeps the size (headless rendering)."""
        self.presentation = on
        self.apply_theme()
        self.actions_["presentation"].setChecked(on)
        self.presenter.enter(full_screen) if on else self.presenter.leave()
        self.view.frame_graph()

    def apply_theme(self) -> None:
        theme = make_theme(self.theme_name, self.presentation)
        self._restyle()
        self.narration.set_theme(theme)
        app = QApplication.instance()
        if app is not None:
            app.setPalette(window_palette(theme))
            apply_app_font(app, 10.0 * theme.scale)

    def _restyle(self) -> None:
        old = self.style_
        self.style_ = Style(make_theme(self.theme_name, self.presentation), i18n.language())
        self.scene.set_style(self.style_)
        if (old.theme.scale, old.lang) != (self.style_.theme.scale, self.style_.lang):
            self._refresh_auto_layout()

    def _digits_changed(self) -> None:
        """View → Digits: numbers change width, so redraw them and lay an untouched graph out again."""
        self.scene.set_style(self.style_)
        self._refresh_auto_layout()
        self.playback.refresh()

    def _refresh_auto_layout(self) -> None:
        """Lay an untouched, automatically placed graph out again for new sizes (presentation scale,
        names in the other language): the gaps were measured for the old ones. Not an edit: no undo
        step, and the document stays clean; a graph someone arranged or edited keeps its places."""
        if not getattr(self, "auto_placed", False) or not self.undo_stack.isClean() or self.undo_stack.count():
            return
        for nid, pos in layout_positions(self.graph, self.style_).items():
            self.graph.move_node(nid, pos)
        for edge in self.scene.edges.values():  # placed while their neighbours still stood elsewhere
            edge.place_labels()
        self.view.frame_graph()

    def show_train(self) -> None:
        """The Train tab, widened so its curves are readable (drag it to the bottom for more room)."""
        self._show_wide(self.docks["train"])

    def show_plots(self) -> None:
        """The Plots tab, as wide as the Train tab opens (its pictures need the room)."""
        self._show_wide(self.docks["plots"])

    def _show_wide(self, dock: QDockWidget) -> None:
        """Raise a dock that wants TRAIN_WIDTH, in the room the canvas leaves (CANVAS_SHARE of the window):
        at 1280 px the dock gets most of it and the palette the rest, never the canvas's share."""
        dock.show()
        dock.raise_()
        if dock.isFloating() or dock.width() >= TRAIN_WIDTH:
            return
        palette = self.docks["palette"]
        room = self.width() - round(CANVAS_SHARE * self.width()) - 2 * self.style().pixelMetric(
            self.style().PixelMetric.PM_DockWidgetSeparatorExtent)
        wanted = min(TRAIN_WIDTH, max(dock.minimumSizeHint().width(), round(WIDE_DOCK_SHARE * room)))
        if palette.isHidden() or palette.isFloating():
            self.resizeDocks([dock], [wanted], Qt.Orientation.Horizontal)
            return
        side = min(self.palette.wanted_width(), max(room - wanted, palette.minimumSizeHint().width()))
        self.resizeDocks([palette, dock], [side, wanted], Qt.Orientation.Horizontal)

    def show_lesson(self) -> None:
        self.docks["lesson"].show()
        self.docks["lesson"].raise_()

    def show_shortcuts(self) -> None:
        self.help_dialog = shortcuts_dialog(self)
        self.help_dialog.open()

    def show_about(self) -> None:
        self.help_dialog = about_dialog(self)
        self.help_dialog.open()

    def run_gradcheck(self) -> None:
        self.docks["gradcheck"].show()
        self.docks["gradcheck"].raise_()
        self.gradcheck.run()

    # ---- keys and closing -------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.playback.toggle_play()  # Space outside the canvas (the canvas uses it for panning too)
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.maybe_save():
            event.ignore()
            return
        self.undo_stack.setClean()  # saved or discarded; else the stack's clear() at exit signals a dead window
        self.playback.pause()
        self.train_panel.shutdown()
        self.plots_panel.shutdown()
        self.set_presentation(False) if self.presentation else None  # remember the desk, not the hall
        self._set_pref("geometry", self.saveGeometry())
        self._set_pref("window_state", self.saveState())
        event.accept()
