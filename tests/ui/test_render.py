"""Headless rendering and window export: sizes and steps checked, pictures written atomically, no Qt chatter."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from graphapp.cli import main
from graphapp.core import examples, safeio
from graphapp.core.errors import RenderError
from graphapp.ui.render import MAX_SIDE, render_png

ROOT = Path(__file__).resolve().parents[2]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("size", "needle"), [
    ("0x0", "--size 0x0: each side must be 16..16384 pixels"),
    ("100000x100000", "--size 100000x100000: each side must be 16..16384 pixels"),
    ("99999999999999999999x1", "--size 99999999999999999999x1: each side must be 16..16384 pixels"),
    (f"{MAX_SIDE + 1}x100", "each side must be 16..16384"),
    ("15x100", "each side must be 16..16384"),
    ("1600x", "--size '1600x': expected WIDTHxHEIGHT"),
    ("-5x100", "expected WIDTHxHEIGHT"),
    ("1e3x100", "expected WIDTHxHEIGHT"),
])
def test_bad_sizes_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, size: str,
                                           needle: str) -> None:
    code, out, err = run_cli(capsys, "render", "apple_tax", "-o", str(tmp_path / "a.png"), f"--size={size}")
    assert code == 2 and out == "" and err.count("\n") == 1 and needle in err, err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("step", ["-1", "12", "99999"])
def test_a_step_outside_the_trace_is_refused_with_the_range(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                            step: str) -> None:
    code, out, err = run_cli(capsys, "render", "apple_tax", "-o", str(tmp_path / "a.png"), "--step", step)
    assert (code, out) == (2, "")
    assert err == f"error: --step {step}: out of range; this graph's steps are 0..11\n"
    with pytest.raises(RenderError, match=f"step {step}: out of range"):
        render_png(examples.load_example("apple_tax"), tmp_path / "a.png", step=int(step))


def test_the_last_step_and_the_smallest_size_render(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "a.png"
    assert run_cli(capsys, "render", "apple_tax", "-o", str(out), "--step", "11", "--size", "16×16")[0] == 0
    assert (QImage(str(out)).width(), QImage(str(out)).height()) == (16, 16)


def test_a_failed_render_write_keeps_the_old_picture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "a.png"
    out.write_bytes(b"old picture")

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safeio.os, "replace", full)
    with pytest.raises(safeio.FileAccessError, match=r"a.png: cannot be written \(No space left on device\)"):
        render_png(examples.load_example("apple_tax"), out, size=(320, 200))
    assert out.read_bytes() == b"old picture" and [p.name for p in tmp_path.iterdir()] == ["a.png"]


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_render_onto_a_fifo_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fifo = tmp_path / "a.png"
    os.mkfifo(fifo)
    code, _, err = run_cli(capsys, "render", "apple_tax", "-o", str(fifo), "--size", "320x200")
    assert code == 2 and err == f"error: {fifo}: is a FIFO (named pipe), not a regular file; not replaced\n"


def test_the_real_render_command_prints_only_the_path(tmp_path: Path) -> None:
    out = tmp_path / "a.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "main.py", "render", "apple_tax", "-o", str(out), "--size", "400x300"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"{out}\n", "")  # no "propagateSizeHints()"
    assert QImage(str(out)).width() == 400


def test_window_export_is_atomic_and_reports_failures(window, tmp_path: Path) -> None:  # noqa: ANN001
    window.set_graph(examples.load_example("apple_tax"))
    png = tmp_path / "c.png"
    png.write_bytes(b"old")
    png.chmod(0o644)
    assert window.export(png)
    assert QImage(str(png)).width() > 100 and (png.stat().st_mode & 0o777) == 0o644
    assert not window.export(tmp_path / "missing" / "c.svg")
    assert window.errors[-1].startswith(f"{tmp_path / 'missing' / 'c.svg'}: cannot be written")
    assert not (tmp_path / "missing").exists() and not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_the_canvas_alone_renders_without_a_main_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """render/animate --canvas-only draw a scene, its view and a playhead: no MainWindow is built."""
    from graphapp.ui import main_window
    from graphapp.ui.render import render_png

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a MainWindow was built for a canvas-only picture")

    monkeypatch.setattr(main_window.MainWindow, "__init__", refuse)
    out = render_png(examples.load_example("apple_tax"), tmp_path / "c.png", step=8, size=(640, 400),
                     canvas_only=True, lang="ko")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (640, 400)
    colours = {image.pixel(x, y) for x in range(0, 640, 8) for y in range(0, 400, 8)}
    assert len(colours) > 10  # nodes, edges and the red current edge, not an empty canvas
