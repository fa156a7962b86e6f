"""The main window: canvas in the middle, narration and playback under it, palette, inspector and
gradient check in docks; menus for files, editing, view, run and the lecture examples.

The window owns one Graph for its whole life (Open replaces its content, so every listener stays
subscribed) and turns user gestures into undo commands.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QMimeData, QPointF, QRectF, QSettings, QSize, Qt
from PySide6.QtGui import (
    QAction, QActionGroup, QCloseEvent, QGuiApplication, QImage, QKeyEvent, QKeySequence, QPainter,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QFileDialog, QMainWindow, QMenu, QMessageBox, QVBoxLayout, QWidget,
)

from graphapp.core import examples, fileio
from graphapp.core.errors import StudioError
from graphapp.core.graph import Graph, Node
from graphapp.core.narration import describe
from graphapp.core.safeio import write_atomic
from graphapp.core.ops import REGISTRY, VALUE_OPS
from graphapp.core.trace import Trace
from graphapp.core.values import as_value, parse_json
from graphapp.ui import i18n
from graphapp.core.layout import layered_positions
from graphapp.ui.canvas.node_item import chain_width, label_size, layout_size
from graphapp.ui.canvas.scene import GraphScene
from graphapp.ui.canvas.style import Style
from graphapp.ui.canvas.view import GraphView
from graphapp.ui.commands import AddNode, Connect, Disconnect, ModelCommand, MoveNode, RemoveNode, apply
from graphapp.ui.docks.gradcheck import GradCheckPanel
from graphapp.ui.docks.inspector import Inspector
from graphapp.ui.docks.narration import NarrationBar
from graphapp.ui.docks.palette import Palette
from graphapp.ui.docks.playback import Playback, PlaybackBar
from graphapp.ui.docks.train import TrainPanel
from graphapp.ui.fonts import apply_app_font
from graphapp.ui.format import digits_menu
from graphapp.ui.i18n import tr
from graphapp.ui.model_signals import GraphSignals
from graphapp.ui.render import png_bytes
from graphapp.ui.theme import make_theme, window_palette

CLIP_MIME = "application/x-backprop-studio-graph"
MAX_RECENT = 8
PASTE_OFFSET = 40.0
INSPECTOR_WIDTH = 215


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None, lang: str | None = None,
                 theme: str | None = None) -> None:
        super().__init__()
        self.settings = settings  # None: remember nothing (headless rendering)
        i18n.set_language(lang or str(self._pref("lang", i18n.system_language())))
        self.theme_name = theme or str(self._pref("theme", "light"))
        self.presentation = self._pref("presentation", "false") in (True, "true")
        self.path: Path | None = None
        self.auto_placed = False  # the open graph's places all came from the automatic layout
        self.graph = Graph()
        self.signals = GraphSignals(self.graph, self)
        self.undo_stack = QUndoStack(self)
        self.playback = Playback(self.graph, self)
        self.style_ = Style(make_theme(self.theme_name, self.presentation), i18n.language())
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
        self.palette = Palette()
        self.inspector = Inspector(self.graph, self.apply)
        self.gradcheck = GradCheckPanel(self.graph)
        self.train_panel = TrainPanel(self.graph, self.undo_stack, self.open_graph)
        self.docks = {
            "palette": self._dock("palette", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea),
            "inspector": self._dock("inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea),
            "gradcheck": self._dock("gradcheck", self.gradcheck, Qt.DockWidgetArea.RightDockWidgetArea),
            "train": self._dock("train", self.train_panel, Qt.DockWidgetArea.BottomDockWidgetArea),
        }
        self.docks["train"].hide()  # opened from Run → Train Panel or View → Panels
        self.tabifyDockWidget(self.docks["inspector"], self.docks["gradcheck"])
        self.docks["inspector"].raise_()
        # Prompts are attributes so tests (and scripts) can replace them: nothing here may block a test.
        self.ask_discard: Callable[[], str] = self._ask_discard  # "save" | "discard" | "cancel"
        self.ask_open_path: Callable[[], str | None] = self._ask_open_path
        self.ask_save_path: Callable[[str, str], str | None] = self._ask_save_path
        self.show_error: Callable[[str, str], None] = self._show_error
        self._build_actions()
        self._build_menus()
        self._wire()
        self.apply_theme()
        self.retranslate()
        self._size_docks()
        self._restore_window()

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

    def _dock(self, key: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(f"dock_{key}")  # saveState needs names
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # ---- actions and menus ----------------------------------------------------------------------
    def _action(self, key: str, slot: Callable[[], object], *shortcuts: QKeySequence | str,
                checkable: bool = False) -> QAction:
        action = QAction(self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setCheckable(checkable)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even where the menu bar is hidden
        self.actions_[key] = action
        return action

    def _build_actions(self) -> None:
        self.actions_: dict[str, QAction] = {}
        K = QKeySequence.StandardKey  # noqa: N806
        a = self._action
        a("new", self.new_file, K.New)
        a("open", self.open_dialog, K.Open)
        a("save", self.save, K.Save)
        a("save_as", self.save_as, K.SaveAs)
        a("export_png", lambda: self.export_dialog("png"))
        a("export_svg", lambda: self.export_dialog("svg"))
        a("quit", self.close, K.Quit)
        undo = self.undo_stack.createUndoAction(self)
        undo.setShortcuts([QKeySequence(K.Undo)])
        redo = self.undo_stack.createRedoAction(self)
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.actions_["undo"], self.actions_["redo"] = undo, redo
        a("cut", self.cut, K.Cut)
        a("copy", self.copy, K.Copy)
        a("paste", self.paste, K.Paste)
        a("duplicate", self.duplicate, "Ctrl+D")
        a("delete", self.delete_selection, K.Delete, "Backspace")
        a("select_all", self.select_all, K.SelectAll)
        a("zoom_in", lambda: self.view.zoom_by(1.25), K.ZoomIn, "Ctrl+=")
        a("zoom_out", lambda: self.view.zoom_by(0.8), K.ZoomOut)
        a("fit", self.view.fit, "Ctrl+0", "F")
        a("relayout", self.relayout, "Ctrl+L")
        a("presentation", lambda: self.set_presentation(not self.presentation), "F11", checkable=True)
        pb = self.playback
        a("forward", pb.run_forward, "F5")
        a("backward", pb.run_backward, "F6")
        a("step_next", lambda: pb.step_by(1), Qt.Key.Key_Right, Qt.Key.Key_PageDown)
        a("step_prev", lambda: pb.step_by(-1), Qt.Key.Key_Left, Qt.Key.Key_PageUp)
        a("play", pb.toggle_play)
        a("reset", pb.reset, Qt.Key.Key_Home)
        a("gradcheck", self.run_gradcheck, "Ctrl+G")
        a("show_train", self.show_train, "Ctrl+T")
        self.theme_group = QActionGroup(self)
        for name in ("light", "dark"):
            act = a(f"theme_{name}", lambda n=name: self.set_theme(n), checkable=True)
            self.theme_group.addAction(act)
        self.lang_group = QActionGroup(self)
        for lang in ("en", "ko"):
            act = a(f"lang_{lang}", lambda lg=lang: self.set_language(lg), checkable=True)
            self.lang_group.addAction(act)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        acts = self.actions_
        self.menus: dict[str, QMenu] = {}
        m = self.menus["file"] = mb.addMenu("")
        for key in ("new", "open"):
            m.addAction(acts[key])
        self.menus["recent"] = m.addMenu("")
        self.menus["recent"].aboutToShow.connect(self._fill_recent)
        self.menus["examples"] = mb.addMenu("")
        self.menus["examples"].aboutToShow.connect(self._fill_examples)
        m.addSeparator()
        for key in ("save", "save_as"):
            m.addAction(acts[key])
        m.addSeparator()
        for key in ("export_png", "export_svg"):
            m.addAction(acts[key])
        m.addSeparator()
        m.addAction(acts["quit"])
        m = self.menus["edit"] = mb.addMenu("")
        for key in ("undo", "redo", None, "cut", "copy", "paste", "duplicate", "delete", None, "select_all"):
            m.addSeparator() if key is None else m.addAction(acts[key])
        m = self.menus["view"] = mb.addMenu("")
        for key in ("zoom_in", "zoom_out", "fit", "relayout", None, "presentation"):
            m.addSeparator() if key is None else m.addAction(acts[key])
        self.menus["theme"] = m.addMenu("")
        for key in ("theme_light", "theme_dark"):
            self.menus["theme"].addAction(acts[key])
        self.menus["language"] = m.addMenu("")
        for key in ("lang_en", "lang_ko"):
            self.menus["language"].addAction(acts[key])
        self.menus["digits"] = digits_menu(self, self.settings, self._digits_changed)
        m.addMenu(self.menus["digits"])
        self.menus["docks"] = m.addMenu("")
        for dock in self.docks.values():
            self.menus["docks"].addAction(dock.toggleViewAction())
        m = self.menus["run"] = mb.addMenu("")
        for key in ("forward", "backward", "step_next", "step_prev", "play", "reset", None, "gradcheck", "show_train"):
            m.addSeparator() if key is None else m.addAction(acts[key])
        self._fill_examples()

    def _fill_examples(self) -> None:
        menu = self.menus["examples"]
        menu.clear()
        ko = i18n.language() == "ko"
        for name in examples.example_names():
            try:
                info = examples.info(examples.load_example(name))
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

    def recent_files(self) -> list[str]:
        value = self._pref("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _add_recent(self, path: Path) -> None:
        p = str(path.resolve())
        self._set_pref("recent", [p, *[r for r in self.recent_files() if r != p]][:MAX_RECENT])

    def retranslate(self) -> None:
        for key, action in self.actions_.items():
            if key not in ("undo", "redo"):
                action.setText(tr(key))
        for key, menu in self.menus.items():
            menu.setTitle(tr(f"menu_{key}") if f"menu_{key}" in i18n.STRINGS else tr(key))
        for key, dock in self.docks.items():
            dock.setWindowTitle(tr(key))
        self.actions_[f"lang_{i18n.language()}"].setChecked(True)
        self.actions_[f"theme_{self.theme_name}"].setChecked(True)
        self.actions_["presentation"].setChecked(self.presentation)
        self.palette.retranslate()
        self.inspector.rebuild()
        self.gradcheck.retranslate()
        self.train_panel.retranslate()
        self.bar.retranslate()
        self._fill_examples()
        self._show_narration()
        self._update_title()

    # ---- wiring -----------------------------------------------------------------------------------
    def _wire(self) -> None:
        self.signals.changed.connect(self._model_changed)
        self.playback.frame_changed.connect(self._frame_changed)
        self.playback.failed.connect(self._run_failed)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.scene.connect_requested.connect(lambda s, d, p: self.apply(Connect(self.graph, s, d, p)))
        self.scene.nodes_moved.connect(self.move_nodes)
        self.scene.op_dropped.connect(self.add_op)
        self.scene.refused.connect(lambda reason: self.statusBar().showMessage(tr("refused", reason=reason), 6000))
        self.palette.add_requested.connect(lambda op: self.add_op(op, self.view.mapToScene(
            self.view.viewport().rect().center())))
        self.view.play_toggled.connect(self.playback.toggle_play)
        self.undo_stack.cleanChanged.connect(lambda _c: self._update_title())

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

    def _frame_changed(self, frame: object) -> None:
        self.scene.apply_frame(frame)
        self.view.follow(self.scene.focus_rect())
        self.inspector.set_frame(frame)
        self._show_narration()

    def _show_narration(self) -> None:
        frame = self.playback.frame
        if frame is None:
            err = self.playback.error
            ready = ((str(err), str(err)) if err is not None else
                     (describe(self.graph, Trace([], [], {}), 0, "en"), describe(self.graph, Trace([], [], {}), 0, "ko")))
            self.narration.set_frame(None, ready)
        else:
            self.narration.set_frame(frame)

    def _run_failed(self, exc: StudioError | None) -> None:
        self.scene.set_errors({exc.node: str(exc)} if exc is not None and exc.node else {})
        if exc is not None:
            self.statusBar().showMessage(tr("error", msg=str(exc)))
        else:
            self.statusBar().clearMessage()
        self._show_narration()

    def _selection_changed(self) -> None:
        if shiboken6.isValid(self.scene) and shiboken6.isValid(self.inspector):  # not while being destroyed
            self.inspector.set_nodes(self.scene.selected_node_ids())

    # ---- editing ----------------------------------------------------------------------------------
    def apply(self, cmd: ModelCommand) -> str | None:
        """Run one edit through the undo stack; a refusal goes to the status bar and is returned."""
        try:
            apply(self.undo_stack, cmd)
        except StudioError as exc:
            self.statusBar().showMessage(tr("edit_failed", msg=str(exc)), 8000)
            return str(exc)
        return None

    def add_op(self, op: str, at: QPointF) -> str:
        spec = REGISTRY[op]
        node = Node(self.graph.unique_id(op), op, value=as_value(1.0, op) if op in VALUE_OPS else None,
                    attrs=spec.default_attrs(), pos=(at.x(), at.y()))
        self.apply(AddNode(self.graph, node))
        self.scene.select_nodes([node.id])
        return node.id

    def move_nodes(self, moves: list[tuple[str, tuple[float, float]]]) -> None:
        if len(moves) == 1:
            self.apply(MoveNode(self.graph, *moves[0]))
            return
        self.undo_stack.beginMacro(tr("cmd_move_many", n=len(moves)))
        for nid, pos in moves:
            self.apply(MoveNode(self.graph, nid, pos))
        self.undo_stack.endMacro()

    def delete_selection(self) -> None:
        ids = self.scene.selected_node_ids()
        doomed = set(ids)
        edges = [e for e in self.graph.edges if e.src in doomed or e.dst in doomed]
        edges += [e for e in self.scene.selected_edges() if e not in edges]
        if not ids and not edges:
            return
        # One undo step: the edges first, then the nodes (each command calls one model method).
        self.undo_stack.beginMacro(tr("cmd_delete", n=len(ids) + len(edges)))
        for e in edges:
            self.apply(Disconnect(self.graph, e))
        for nid in ids:
            self.apply(RemoveNode(self.graph, nid))
        self.undo_stack.endMacro()

    def select_all(self) -> None:
        self.scene.select_nodes(list(self.graph.nodes))

    def copy(self) -> bool:
        ids = self.scene.selected_node_ids()
        if not ids:
            return False
        data = json.dumps(fileio.graph_to_dict(self.graph, ids), ensure_ascii=False)
        mime = QMimeData()
        mime.setData(CLIP_MIME, data.encode())
        mime.setText(data)
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def cut(self) -> None:
        if self.copy():
            self.delete_selection()

    def paste(self) -> list[str]:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return []
        raw = bytes(mime.data(CLIP_MIME).data()).decode() if mime.hasFormat(CLIP_MIME) else mime.text()
        try:  # the clipboard may hold anything: bounded nesting, long integers allowed, junk ignored
            data = parse_json(raw, fileio.MAX_DEPTH, StudioError)
        except (StudioError, ValueError, TypeError):
            return []
        return self.insert_subgraph(data)

    def duplicate(self) -> list[str]:
        ids = self.scene.selected_node_ids()
        return self.insert_subgraph(fileio.graph_to_dict(self.graph, ids)) if ids else []

    def insert_subgraph(self, data: dict) -> list[str]:
        """Paste a graph_to_dict() fragment with fresh ids, offset so it does not hide the original."""
        try:
            part = fileio.graph_from_dict(data, "clipboard")
        except StudioError as exc:
            self.statusBar().showMessage(tr("edit_failed", msg=str(exc)), 8000)
            return []
        if not part.nodes:
            return []
        self.undo_stack.beginMacro(tr("cmd_paste", n=len(part.nodes)))
        new_ids: dict[str, str] = {}
        for old in part.nodes.values():
            base = old.id.rstrip("0123456789").rstrip("_") or old.op
            nid = old.id if old.id not in self.graph.nodes else self.graph.unique_id(base)
            x, y = old.pos or (0.0, 0.0)
            node = Node(nid, old.op, old.label, old.label_ko, old.value, dict(old.attrs),
                        (x + PASTE_OFFSET, y + PASTE_OFFSET))
            self.apply(AddNode(self.graph, node))
            new_ids[old.id] = nid
        for e in part.edges:
            self.apply(Connect(self.graph, new_ids[e.src], new_ids[e.dst], e.port))
        self.undo_stack.endMacro()
        self.scene.select_nodes(list(new_ids.values()))
        return list(new_ids.values())

    def relayout(self) -> None:
        positions = self.layout_positions(self.graph)
        self.move_nodes([(nid, pos) for nid, pos in positions.items()])
        self.view.fit()

    def layout_positions(self, graph: Graph) -> dict[str, tuple[float, float]]:
        try:
            shapes = graph.infer_shapes(partial=True)
        except StudioError:
            shapes = {}
        st = self.style_
        consumers: dict[str, int] = {}
        for e in graph.edges:
            consumers[e.src] = consumers.get(e.src, 0) + 1

        def label_width(n: str) -> float:
            """Labels on n's outgoing edges (see GraphScene.apply_frame): none out of a value node with
            one consumer (its box and pill show both numbers); gradients only out of other value nodes."""
            node, shape = graph.nodes[n], shapes.get(n)
            if node.op in VALUE_OPS:
                return label_size(st, shape, grad=True)[0] if consumers.get(n, 0) > 1 else 0.0
            if not shape:  # a scalar edge shows the chain rule when the playhead is on it
                return chain_width(st)
            return max(label_size(st, shape)[0], label_size(st, shape, grad=True)[0])

        def label_height(n: str) -> float:
            node, shape = graph.nodes[n], shapes.get(n)
            if node.op in VALUE_OPS:
                return 0.0
            return label_size(st, shape)[1]

        return layered_positions(graph, lambda n: layout_size(graph.nodes[n], st, shapes.get(n), consumers.get(n, 0)),
                                 label_width=label_width, label_height=label_height)

    # ---- documents ----------------------------------------------------------------------------------
    def set_graph(self, graph: Graph, path: Path | None = None) -> None:
        """Show another graph (open, example, new): lay out unplaced nodes, forget the undo history."""
        self.auto_placed = bool(graph.nodes) and all(n.pos is None for n in graph.nodes.values())
        if any(n.pos is None for n in graph.nodes.values()):
            for nid, pos in self.layout_positions(graph).items():
                if graph.nodes[nid].pos is None:
                    graph.nodes[nid].pos = pos  # graph is not shown yet: nobody to notify
        self.playback.pause()
        self.graph.replace_with(graph)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.path = path
        self.view.fit()
        self._update_title()
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

    def _update_title(self) -> None:
        name = self.path.name if self.path else (examples.info(self.graph).title_ko if i18n.language() == "ko"
                                                 else examples.info(self.graph).title_en) or tr("untitled")
        self.setWindowTitle(f"{name}[*] — {tr('app_name')}")
        self.setWindowModified(not self.undo_stack.isClean())

    # ---- dialogs (replaceable) ----------------------------------------------------------------------
    def _ask_discard(self) -> str:
        name = self.path.name if self.path else tr("untitled")
        box = QMessageBox(QMessageBox.Icon.Question, tr("unsaved_title"), tr("unsaved_text", name=name),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        answer = box.exec()
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
        """The canvas as SVG or PNG (2×), encoded in memory and written atomically like a graph file."""
        path = Path(path)
        self.scene.clearSelection()
        with self.scene.uncached():  # vector text in an SVG, crisp text at 2× in a PNG
            rect = self.scene.graph_rect().adjusted(-30, -30, 30, 30)
            if path.suffix.lower() == ".svg":
                from PySide6.QtSvg import QSvgGenerator  # noqa: PLC0415 - only when exporting SVG

                data = QByteArray()
                buffer = QBuffer(data)
                gen = QSvgGenerator()
                gen.setOutputDevice(buffer)
                gen.setSize(QSize(int(rect.width()), int(rect.height())))
                gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
                gen.setTitle(tr("app_name"))
                painter = QPainter(gen)
                self.scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
                painter.end()
                content = data.data()
            else:
                scale = 2.0  # crisp on slides
                image = QImage(int(rect.width() * scale), int(rect.height() * scale), QImage.Format.Format_ARGB32)
                image.fill(self.scene.backgroundBrush().color())
                painter = QPainter(image)
                painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
                self.scene.render(painter, QRectF(image.rect()), rect)
                painter.end()
                content = png_bytes(image)
        try:
            write_atomic(path, content)
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

    def set_theme(self, name: str) -> None:
        self.theme_name = name
        self._set_pref("theme", name)
        self.apply_theme()
        self.retranslate()

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self._set_pref("presentation", "true" if on else "false")
        self.apply_theme()
        self.actions_["presentation"].setChecked(on)
        self.view.fit()

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
        for nid, pos in self.layout_positions(self.graph).items():
            self.graph.move_node(nid, pos)
        self.view.fit()

    def show_train(self) -> None:
        self.docks["train"].show()
        self.docks["train"].raise_()

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
        self._set_pref("geometry", self.saveGeometry())
        self._set_pref("window_state", self.saveState())
        event.accept()
