"""Autosave: a copy of unsaved work every interval, removed on save and clean quit; after a crash
(the real app killed with SIGKILL) the next window offers the copy and recovers it."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from graphapp.core import fileio
from graphapp.ui.autosave import ENV_FOLDER, ENV_INTERVAL, Autosave, default_folder, default_interval
from graphapp.ui.i18n import tr
from tests.ui.conftest import small_graph

ROOT = Path(__file__).resolve().parents[2]


def files(folder: Path) -> list[str]:
    return sorted(p.name.split(".", 1)[1] for p in folder.iterdir())  # the session ids differ per run


def test_the_folder_and_interval_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_FOLDER, str(tmp_path))
    monkeypatch.setenv(ENV_INTERVAL, "250")
    assert (default_folder(), default_interval()) == (tmp_path, 250)
    monkeypatch.setenv(ENV_INTERVAL, "soon")
    monkeypatch.delenv(ENV_FOLDER)
    assert default_interval() == 30_000 and default_folder().name == "autosave"


def test_a_copy_while_unsaved_none_once_saved_or_quit(window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "autosave"
    window.set_graph(small_graph())
    saver = Autosave(window, folder, interval_ms=60_000)
    saver.start()
    saver.save_now()
    assert files(folder) == ["lock"]  # nothing unsaved yet
    node = window.editor.add_op("input", (0, 300))
    saver.save_now()
    assert files(folder) == ["doc.json", "json", "lock"]
    assert node in fileio.load(saver.copy).nodes
    assert json.loads(saver.doc.read_text()) == {"path": None}
    before = saver.copy.stat().st_mtime_ns
    saver.save_now()  # unchanged since: not written again
    assert saver.copy.stat().st_mtime_ns == before
    window.editor.move_nodes([(node, (10.0, 310.0))])  # a move is a change too (graph.revision ignores moves)
    saver.save_now()
    assert fileio.load(saver.copy).nodes[node].pos == (10.0, 310.0)
    window.ask_save_path = lambda *_: str(tmp_path / "g.json")
    assert window.save()
    assert files(folder) == ["lock"]  # saved: the copy is gone
    window.undo_stack.undo()
    saver.save_now()
    assert json.loads(saver.doc.read_text()) == {"path": str(tmp_path / "g.json")}
    saver.finish()
    assert files(folder) == []


def test_a_failed_autosave_is_a_status_message(window, tmp_path: Path) -> None:  # noqa: ANN001
    blocker = tmp_path / "file"
    blocker.write_text("")
    saver = Autosave(window, blocker / "autosave")  # its folder cannot exist
    window.editor.add_op("input", (0, 0))
    saver.save_now()
    assert "Autosave failed:" in window.statusBar().currentMessage()


def test_a_running_sessions_copy_is_not_offered(window, tmp_path: Path) -> None:  # noqa: ANN001
    other = Autosave(window, tmp_path)
    other.start()
    window.editor.add_op("input", (0, 0))
    other.save_now()
    stale = tmp_path / "session-1-dead.lock"
    stale.write_text("999999999\npython\n\n")  # a session that crashed with nothing unsaved
    mine = Autosave(window, tmp_path)
    mine.ask_recover = lambda *_: pytest.fail("offered a copy whose session is alive")
    assert mine.orphans() == [other.copy] and not mine.offer_recovery()
    assert other.copy.exists() and not stale.exists()
    other.finish()
    assert not list(tmp_path.iterdir())


# The real app, with a short interval: it opens apple_tax, adds a node, and prints its id once the
# autosave holds it; the test then kills it with SIGKILL (no chance to clean up), or, given "quit",
# it discards the change and closes the window (a clean quit).
CHILD = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import graphapp.core.fileio as fileio
import graphapp.ui.app as app_module

def edit():
    (window,) = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow"]
    node = window.editor.add_op("input", (0, 400))
    folder = Path(sys.argv[1])

    def saved():
        copies = [p for p in folder.glob("session-*.json") if not p.name.endswith(".doc.json")]
        if copies and node in fileio.load(copies[0]).nodes:
            print(node, flush=True)
            if sys.argv[2] == "quit":
                window.ask_discard = lambda: "discard"
                window.close()
        else:
            QTimer.singleShot(20, saved)
    saved()

app = QApplication(sys.argv)
QTimer.singleShot(0, edit)
sys.exit(app_module.run_app())
"""


def run_child(folder: Path, home: Path, how: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home), "XDG_CONFIG_HOME": str(home),
           ENV_FOLDER: str(folder), ENV_INTERVAL: "100"}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(folder), how], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def crash_child(folder: Path, home: Path) -> str:
    proc = run_child(folder, home, "crash")
    try:
        assert proc.stdout is not None
        node = proc.stdout.readline().strip()  # blocks until the copy holds the edit (or the child dies)
        assert node, proc.stderr.read() if proc.stderr else ""
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return node


def test_a_clean_quit_of_the_real_app_leaves_no_copy(tmp_path: Path) -> None:
    folder = tmp_path / "autosave"
    proc = run_child(folder, tmp_path, "quit")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and out.strip(), err[-2000:]
    assert err == ""  # no Qt chatter either
    assert list(folder.iterdir()) == []


def answer_recovery(button_text: str, seen: list[str]) -> QTimer:
    """Click a button of the recovery box once it is up, as a user would."""
    timer = QTimer()

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            (button,) = [b for b in box.buttons() if b.text() == button_text]
            button.click()

    timer.timeout.connect(poll)
    timer.start(20)
    return timer


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("choice", ["recover", "discard"])
def test_after_a_crash_the_next_window_offers_the_copy(window, tmp_path: Path, choice: str) -> None:  # noqa: ANN001
    folder = tmp_path / "autosave"
    start = time.monotonic()
    node = crash_child(folder, tmp_path)
    assert files(folder) == ["doc.json", "json", "lock"]  # left behind by the killed session
    window.set_graph(small_graph())
    saver = Autosave(window, folder)
    saver.start()
    seen: list[str] = []
    timer = answer_recovery(tr(choice), seen)
    try:
        recovered = saver.offer_recovery()
    finally:
        timer.stop()
    assert len(seen) == 1 and "did not close normally" in seen[0] and "Apples with tax" in seen[0]
    if choice == "recover":
        assert recovered and node in window.graph.nodes and "tax" in window.graph.nodes
        assert window.isWindowModified() and window.path is None
        assert files(folder) == ["doc.json", "json", "lock"] and node in fileio.load(saver.copy).nodes  # ours now
    else:
        assert not recovered and sorted(window.graph.nodes) == sorted(small_graph().nodes)
        assert files(folder) == ["lock"]
    saver.finish()
    assert time.monotonic() - start < 20
