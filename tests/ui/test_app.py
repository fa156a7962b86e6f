"""`python main.py` as a user starts it: the window opens on apple_tax, and quitting after Copy is clean."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import graphapp.ui.app as app_module

def drive():
    try:
        (window,) = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow"]
        assert sorted(window.graph.nodes) == ["L", "count", "mul_1", "mul_2", "price", "tax"], window.graph.nodes
        window.scene.select_nodes(["price"])
        assert window.copy()
        window.undo_stack.setClean()
        window.close()
    except BaseException as exc:  # an exception in a Qt slot would not end the event loop
        print(repr(exc), file=sys.stderr)
        QApplication.exit(3)

app = QApplication(sys.argv)  # run_app() takes this one; the timer needs it to exist first
QTimer.singleShot(300, drive)
sys.exit(app_module.run_app())
"""


def test_main_window_opens_apple_tax_and_quits_cleanly_after_copy(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]


DISCARD = SCRIPT.replace("""        window.scene.select_nodes(["price"])
        assert window.copy()
        window.undo_stack.setClean()
        window.close()""", """        window.add_op("add", window.view.mapToScene(10, 10))  # an unsaved edit
        window.ask_discard = lambda: "discard"
        window.close()""")


def test_quitting_after_an_edit_and_discard_is_clean(tmp_path: Path) -> None:
    """It used to print "RuntimeError: libshiboken: Internal C++ object (MainWindow) already deleted"."""
    assert DISCARD != SCRIPT
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path),
           "BACKPROP_STUDIO_AUTOSAVE_DIR": str(tmp_path / "autosave")}
    proc = subprocess.run([sys.executable, "-c", DISCARD], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Error" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr[-2000:]
