"""Autosave and crash recovery for the window: at most one interval of work is ever lost.

Every session writes its unsaved graph (a plain graph file, fileio.dumps) atomically to
`<folder>/session-<id>.json` when it changed since the last autosave, with `session-<id>.doc.json`
naming the document it belongs to, and holds `session-<id>.lock` (a QLockFile) while it runs. A saved
or discarded document (a clean undo stack) and a clean quit remove the copy. At start, a copy whose
lock no living process holds is left from a crash: the window offers to recover it.

The folder is QStandardPaths.AppDataLocation/autosave, or $BACKPROP_STUDIO_AUTOSAVE_DIR; the interval
is 30 s, or $BACKPROP_STUDIO_AUTOSAVE_MS milliseconds (tests use a short one).
"""
from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer
from PySide6.QtWidgets import QMessageBox

from graphapp.core import examples, fileio
from graphapp.core.errors import StudioError
from graphapp.core.safeio import write_atomic
from graphapp.ui.i18n import error_text, tr

if TYPE_CHECKING:
    from graphapp.ui.main_window import MainWindow

ENV_FOLDER, ENV_INTERVAL = "BACKPROP_STUDIO_AUTOSAVE_DIR", "BACKPROP_STUDIO_AUTOSAVE_MS"
INTERVAL_MS = 30_000
PREFIX = "session-"


def default_folder() -> Path:
    env = os.environ.get(ENV_FOLDER)
    if env:
        return Path(env)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)) / "autosave"


def default_interval() -> int:
    try:
        return max(10, int(os.environ.get(ENV_INTERVAL, INTERVAL_MS)))
    except ValueError:
        return INTERVAL_MS


def _lock(path: Path) -> QLockFile:
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # stale only when its process is gone, never merely because it is old
    return lock


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass  # already gone, or the folder is: nothing to clean


class Autosave(QObject):
    def __init__(self, window: MainWindow, folder: Path | None = None, interval_ms: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.folder = folder or default_folder()
        stem = f"{PREFIX}{os.getpid()}-{secrets.token_hex(3)}"
        self.copy, self.doc = self.folder / f"{stem}.json", self.folder / f"{stem}.doc.json"
        self.lock = _lock(self.folder / f"{stem}.lock")
        self.changes = 0  # undo-stack moves (edits, undos, redos) so far; graph.revision ignores moves
        self.written = 0  # self.changes when the copy was last written
        window.undo_stack.indexChanged.connect(self._changed)
        window.undo_stack.cleanChanged.connect(lambda clean: self.remove() if clean else None)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms or default_interval())
        self.timer.timeout.connect(self.save_now)
        # Replaceable like the window's prompts: True recovers, False discards.
        self.ask_recover: Callable[[str, str], bool] = self._ask_recover

    def _changed(self, _index: int) -> None:
        self.changes += 1

    def start(self) -> None:
        """Take this session's lock and save every interval from now on."""
        self._claim()
        self.timer.start()

    def _claim(self) -> bool:
        """The folder exists and this session holds its lock: a copy never exists without a live lock,
        or another window would offer it as left by a crash."""
        if self.lock.isLocked():
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        return self.lock.tryLock(0)

    def save_now(self) -> None:
        """Write the copy if the document has unsaved changes the copy lacks."""
        if self.window.undo_stack.isClean() or self.changes == self.written:
            return
        path = self.window.path
        try:
            if not self._claim():
                raise StudioError(f"{self.folder}: cannot be written (no folder, or its lock is taken)")
            write_atomic(self.copy, fileio.dumps(self.window.graph).encode("utf-8"))
            write_atomic(self.doc, json.dumps({"path": str(path) if path else None}).encode("utf-8"))
        except StudioError as exc:  # a status line, not a dialog every interval
            self.window.statusBar().showMessage(tr("autosave_failed", msg=error_text(exc)), 10_000)
            return
        self.written = self.changes

    def remove(self) -> None:
        """The document was saved or dropped: its copy is no longer needed."""
        _remove(self.copy, self.doc)
        self.written = self.changes

    def finish(self) -> None:
        """A clean quit: no copy, no lock left behind."""
        self.timer.stop()
        self.remove()
        self.lock.unlock()

    def orphans(self) -> list[Path]:
        """Copies from sessions that ended without finish(), newest first."""
        found = []
        for path in self.folder.glob(f"{PREFIX}*.json"):
            if path != self.copy and not path.name.endswith(".doc.json"):
                try:
                    found.append((path.stat().st_mtime, path))
                except OSError:
                    continue  # removed meanwhile by its own session
        return [path for _, path in sorted(found, reverse=True)]

    def offer_recovery(self) -> bool:
        """Offer each orphaned copy until one is recovered (it then becomes this session's unsaved document)."""
        if not self.folder.is_dir():
            return False
        for lock_path in self.folder.glob(f"{PREFIX}*.lock"):  # crashed while nothing was unsaved
            if not lock_path.with_suffix(".json").exists() and (lock := _lock(lock_path)).tryLock(0):
                lock.unlock()  # removes the stale lock file
        for copy in self.orphans():
            stem = copy.name.removesuffix(".json")
            doc, lock = copy.with_name(f"{stem}.doc.json"), _lock(copy.with_name(f"{stem}.lock"))
            if not lock.tryLock(0):
                continue  # its session is still running (another window)
            try:
                graph = fileio.load(copy)
                info = json.loads(doc.read_text(encoding="utf-8")) if doc.is_file() else {}
            except (StudioError, OSError, ValueError):
                _remove(copy, doc)  # unreadable: nothing to offer
                lock.unlock()
                continue
            path = Path(info["path"]) if isinstance(info.get("path"), str) else None
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(copy.stat().st_mtime))
            name = path.name if path else (examples.info(graph).title_en or tr("untitled"))
            recover = self.ask_recover(name, when)
            if recover:
                self.window.set_graph(graph, path)
                self.window.undo_stack.resetClean()  # modified and unsaved: Save asks where or overwrites
                self.changes += 1
                self.save_now()  # ours now, before the old copy goes
            _remove(copy, doc)
            lock.unlock()
            if recover:
                return True
        return False

    def _ask_recover(self, name: str, when: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, tr("recover_title"), tr("recover_text", name=name, time=when),
                          parent=self.window)
        recover = box.addButton(tr("recover"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(recover)
        box.exec()
        return box.clickedButton() is recover
