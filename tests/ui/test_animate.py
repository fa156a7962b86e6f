"""Animated exports: GIF and MP4 from one offscreen window, options refused in one line, cancel leaves no
file, and File → Export animation through its dialog."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import numpy
import pytest
from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from graphapp.cli import main
from graphapp.core import examples
from graphapp.core.messages import translate
from graphapp.ui import i18n
from graphapp.ui import main_window as main_window_module
from graphapp.ui.animate import MAX_FRAMES, Animation, plan, write_animation
from graphapp.ui.export_animation import AnimationDialog, AnimationExport, Choice, export_animation
from graphapp.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
FORWARD_STEPS = 7  # apple_tax: step 0 (before the run) and its 6 forward steps
LAST_STEP = 11


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(["animate", *args])
    except SystemExit as exc:  # argparse's own refusals
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def gif_frames(path: Path) -> tuple[numpy.ndarray, list[int]]:
    """The pictures and each one's duration in ms."""
    durations = []
    with Image.open(path) as im:
        for i in range(im.n_frames):
            im.seek(i)
            durations.append(im.info["duration"])
    return iio.imread(path, index=None), durations


def mp4_frames(path: Path, width: int, height: int) -> tuple[list[numpy.ndarray], float]:
    """The frames ffmpeg decodes, and the frame rate. ffmpeg is run here: imageio's readers leave a pipe
    open when ffmpeg ends first, which pytest reports as an error."""
    import imageio_ffmpeg  # noqa: PLC0415

    raw = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True, timeout=60).stdout
    frames = list(numpy.frombuffer(raw, numpy.uint8).reshape(-1, height, width, 3))
    count, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert count == len(frames)
    return frames, count / seconds


def ffmpeg_runs() -> str | None:
    """None when the ffmpeg shipped with imageio-ffmpeg runs here, else why not."""
    try:
        import imageio_ffmpeg  # noqa: PLC0415

        exe = imageio_ffmpeg.get_ffmpeg_exe()
        subprocess.run([exe, "-version"], capture_output=True, check=True, timeout=30)
    except (ImportError, RuntimeError, OSError, subprocess.SubprocessError) as exc:
        return f"imageio-ffmpeg's ffmpeg cannot run here: {exc}"
    return None


def test_cli_writes_a_gif_of_the_forward_pass(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "apple.gif"
    code, printed, err = run_cli(capsys, "apple_tax", "-o", str(out), "--phase", "forward", "--size", "320x200",
                                 "--fps", "4", "--hold", "3")
    assert (code, printed, err) == (0, f"{out}\n", "")
    pictures, durations = gif_frames(out)
    # A GIF stores each step once; a held step simply lasts longer: 7 steps + 2 × 3 hold frames at 4 fps.
    assert pictures.shape == (FORWARD_STEPS, 200, 320, 3)
    assert durations == [1000] + [250] * (FORWARD_STEPS - 2) + [1000]
    assert sum(durations) == (FORWARD_STEPS + 2 * 3) * 1000 // 4
    assert all((pictures[i] != pictures[i + 1]).any() for i in range(FORWARD_STEPS - 1))  # each step differs
    with Image.open(out) as im:
        assert im.info["loop"] == 0  # loops forever, as a slide needs
    assert [p.name for p in tmp_path.iterdir()] == ["apple.gif"]  # no temporary file left


def test_cli_writes_an_mp4_with_one_frame_per_step_and_hold(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    if (why := ffmpeg_runs()) is not None:
        pytest.skip(why)
    out = tmp_path / "apple.mp4"
    code, printed, err = run_cli(capsys, "apple_tax", "-o", str(out), "--phase", "backward", "--size", "320x180",
                                 "--hold", "1", "--fps", "10", "--lang", "ko", "--theme", "dark")
    assert (code, printed, err) == (0, f"{out}\n", "")
    frames, fps = mp4_frames(out, 320, 180)
    backward_steps = 6  # from the loss (step 6) to the last gradient (step 11)
    assert len(frames) == backward_steps + 2 and fps == pytest.approx(10)
    assert frames[0].mean() < 100  # the dark theme
    change = [numpy.abs(b.astype(int) - a).max() for a, b in zip(frames, frames[1:])]
    assert change[0] < 40 and change[-1] < 40  # the held first and last steps (H.264 blurs a little)
    assert all(c > 100 for c in change[1:-1])  # every step between draws something new


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "{tmp}/a.png"], "error: {tmp}/a.png: an animation is written as .gif or .mp4, not .png"),
    (["-o", "{tmp}/a"], "error: {tmp}/a: an animation is written as .gif or .mp4, not a name without one"),
    (["-o", "{tmp}/no/a.gif"], "error: {tmp}/no/a.gif: cannot be written (no folder {tmp}/no)"),
    (["-o", "{tmp}/d.gif"], "error: {tmp}/d.gif: is a folder, not a regular file; not replaced"),
    (["-o", "{tmp}/a.gif", "--fps", "0"], "error: --fps 0: must be 1..60"),
    (["-o", "{tmp}/a.mp4", "--fps", "61"], "error: --fps 61: must be 1..60"),
    (["-o", "{tmp}/a.gif", "--fps", "51"], "error: --fps 51: a GIF shows at most 50 frames a second; use .mp4"),
    (["-o", "{tmp}/a.gif", "--fps", "2.5"], "error: argument --fps: invalid int value: '2.5'"),
    (["-o", "{tmp}/a.gif", "--size", "15x100"], "error: --size 15x100: each side must be 16..16384 pixels"),
    (["-o", "{tmp}/a.gif", "--size", "big"], "error: --size 'big': expected WIDTHxHEIGHT"),
    (["-o", "{tmp}/a.mp4", "--size", "321x200"], "error: --size 321x200: an MP4 needs even sides, e.g. 322x200"),
    (["-o", "{tmp}/a.gif", "--phase", "sideways"], "error: argument --phase: invalid choice: 'sideways'"),
    (["-o", "{tmp}/a.gif", "--to", "12"], "error: --to 12: out of range; this graph's steps are 0..11"),
    (["-o", "{tmp}/a.gif", "--from", "-1"], "error: --from -1: out of range; this graph's steps are 0..11"),
    (["-o", "{tmp}/a.gif", "--from", "5", "--to", "2"],
     "error: --from 5 --to 2: no steps (the first comes after the last)"),
    (["-o", "{tmp}/a.gif", "--hold", "-1"], "error: --hold -1: must be 0 or more"),
    (["-o", "{tmp}/a.gif", "--hold", "995"],
     f"error: animation: 2002 frames, more than {MAX_FRAMES}; animate fewer steps (--from, --to) or hold less"),
    (["-o", "{tmp}/a.gif", "--size", "16384x16384"],
     "error: animation: 12 pictures of 16384x16384 are too large for a GIF (at most 8 at this size)"),
])
def test_bad_options_are_one_line_exit_2_and_write_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                           args: list[str], message: str) -> None:
    (tmp_path / "d.gif").mkdir()
    code, printed, err = run_cli(capsys, "apple_tax", *(a.format(tmp=tmp_path) for a in args))
    assert (code, printed) == (2, "") and err.count("\n") == 1, err
    assert err.startswith(message.format(tmp=tmp_path)), err
    assert [p.name for p in tmp_path.iterdir()] == ["d.gif"]


@pytest.mark.parametrize("args", [["--fps", "0"], ["--size", "321x200"], ["--from", "5", "--to", "2"],
                                  ["--hold", "995"], ["-o", "a.webm"]])
def test_the_refusals_read_in_korean(capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]) -> None:
    out = ["-o", str(tmp_path / "a.mp4")] if "-o" not in args else []
    code, _, english = run_cli(capsys, "apple_tax", *out, *args, "--lang", "en")
    korean, untranslated = translate(english.removeprefix("error: ").strip())
    assert code == 2 and korean is not None and not untranslated, english
    assert run_cli(capsys, "apple_tax", *out, *args, "--lang", "ko") == (2, "", f"오류: {korean}\n")


def test_cancel_stops_early_and_leaves_the_old_file(tmp_path: Path) -> None:
    graph = examples.load_example("apple_tax")
    out = tmp_path / "a.gif"
    out.write_bytes(b"the old animation")
    seen: list[tuple[int, int]] = []
    animation = plan(graph, out, "all", size=(160, 100))
    done = write_animation(graph, out, animation, size=(160, 100), progress=lambda i, n: seen.append((i, n)),
                           cancelled=lambda: len(seen) >= 3)
    assert done is False and seen == [(1, 12), (2, 12), (3, 12)]
    assert out.read_bytes() == b"the old animation" and [p.name for p in tmp_path.iterdir()] == ["a.gif"]


def test_a_cancelled_mp4_leaves_no_file(tmp_path: Path) -> None:
    if (why := ffmpeg_runs()) is not None:
        pytest.skip(why)
    graph = examples.load_example("apple_tax")
    out = tmp_path / "a.mp4"
    calls = []
    done = write_animation(graph, out, plan(graph, out, size=(160, 100)), size=(160, 100),
                           cancelled=lambda: calls.append(1) or len(calls) > 5)
    assert done is False and len(calls) == 6 and not list(tmp_path.iterdir())


def test_all_frames_come_from_one_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = []

    class Counted(MainWindow):
        def __init__(self, *args: object, **kwargs: object) -> None:
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(main_window_module, "MainWindow", Counted)
    graph = examples.load_example("apple_tax")
    out = tmp_path / "a.gif"
    assert write_animation(graph, out, Animation(range(0, LAST_STEP + 1), 5, 0), size=(160, 100))
    assert len(made) == 1 and len(gif_frames(out)[1]) == LAST_STEP + 1


def test_the_real_command_is_quiet(tmp_path: Path) -> None:
    """No Qt or ffmpeg chatter: the path alone on stdout, nothing on stderr."""
    if (why := ffmpeg_runs()) is not None:
        pytest.skip(why)
    out = tmp_path / "a.mp4"
    done = subprocess.run([sys.executable, "main.py", "animate", "apple_tax", "-o", str(out), "--size", "320x180",
                           "--phase", "forward", "--presentation"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{out}\n", "")
    assert out.stat().st_size > 1000


# ---- the window ---------------------------------------------------------------------------------------------
def open_apple(window: MainWindow, tmp_path: Path, suffix: str) -> Path:
    window.set_graph(examples.load_example("apple_tax"))
    out = tmp_path / f"anim{suffix}"
    window.ask_save_path = lambda _filter, _suffix: str(out)
    return out


def test_the_dialog_exports_a_step_range_and_gives_the_window_its_look_back(window: MainWindow,
                                                                           tmp_path: Path) -> None:
    out = open_apple(window, tmp_path, ".gif")
    palette = QApplication.instance().palette().window().color().name()

    def answer(win: MainWindow, last_step: int) -> Choice:
        dialog = AnimationDialog(last_step, "en", win.theme_name, win.presentation, win)
        assert dialog.last.maximum() == LAST_STEP and not dialog.first.isEnabled()
        dialog.range.setCurrentIndex(dialog.range.findData("steps"))
        assert dialog.first.isEnabled()
        dialog.first.setValue(2)
        dialog.last.setValue(5)
        dialog.width_.setValue(321)
        dialog.height_.setValue(200)
        dialog.hold.setValue(0)
        dialog.lang.setCurrentIndex(dialog.lang.findData("ko"))
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        return dialog.choice()

    assert export_animation(window, ask=answer) is True
    pictures, durations = gif_frames(out)
    assert pictures.shape == (4, 200, 321, 3) and durations == [500] * 4
    assert pictures[0].mean() < 100  # drawn dark
    assert i18n.language() == "en" and window.actions_["lang_en"].isChecked()
    assert QApplication.instance().palette().window().color().name() == palette
    assert window.statusBar().currentMessage() == f"Exported {out}"
    assert not window.errors and window.undo_stack.isClean()


def test_choosing_mp4_allows_60_fps_and_makes_sides_even(qtbot) -> None:  # noqa: ANN001
    dialog = AnimationDialog(LAST_STEP, "ko", "light", False)
    qtbot.addWidget(dialog)
    assert dialog.fps.maximum() == 50 and dialog.windowTitle() == "Export Animation"
    dialog.width_.setValue(641)
    dialog.format.setCurrentIndex(dialog.format.findData(".mp4"))
    assert dialog.fps.maximum() == 60 and dialog.width_.value() == 642
    dialog.height_.setValue(361)  # typed after MP4 was chosen
    choice = dialog.choice()
    assert (choice.size, choice.suffix, choice.lang, choice.phase, choice.first) == ((642, 362), ".mp4", "ko",
                                                                                     "all", None)


def test_cancel_in_the_progress_dialog_writes_nothing(window: MainWindow, tmp_path: Path) -> None:
    out = open_apple(window, tmp_path, ".gif")
    graph = examples.load_example("apple_tax")
    animation = plan(graph, out, "all", size=(160, 100))
    job = AnimationExport(window, graph, out, animation, Choice(size=(160, 100)))
    assert job.progress.maximum() == LAST_STEP + 1
    seen = []
    job.advanced.connect(lambda i, n: (seen.append(i), job.progress.cancel() if i == 2 else None))
    assert job.run() is False
    assert seen == [1, 2] and not list(tmp_path.glob("anim*"))
    assert window.statusBar().currentMessage() == "Export cancelled; nothing was written"


def test_a_graph_that_cannot_run_is_reported_not_exported(window: MainWindow, tmp_path: Path) -> None:
    from tests.ui.test_i18n import failing_graph  # noqa: PLC0415

    window.set_graph(failing_graph())
    asked = []
    assert export_animation(window, ask=lambda *a: asked.append(a)) is False
    assert not asked and len(window.errors) == 1 and "outside its domain" in window.errors[0]


def test_closing_the_dialog_exports_nothing(window: MainWindow, tmp_path: Path) -> None:
    open_apple(window, tmp_path, ".gif")
    assert export_animation(window, ask=lambda *_: None) is False
    assert not list(tmp_path.glob("anim*")) and not window.errors
    assert window.actions_["export_animation"].text() == "Export Ani&mation (GIF, MP4)…"


def test_a_whole_graph_stands_still_through_the_animation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """logistic_update's update formulas outgrow the frame fitted at its last step; the camera widens it
    before the first picture, not as a jump in the middle."""
    from graphapp.ui import render  # noqa: PLC0415

    views = []
    grab = render.Offscreen.grab

    def recording(shot: render.Offscreen) -> object:
        views.append((round(shot.view.zoom(), 6), shot.view.visible_scene_rect().center().toTuple()))
        return grab(shot)

    monkeypatch.setattr(render.Offscreen, "grab", recording)
    graph = examples.load_example("logistic_update")
    out = tmp_path / "a.gif"
    assert write_animation(graph, out, plan(graph, out, size=(1280, 720), hold=0), size=(1280, 720),
                           canvas_only=True, lang="ko")
    assert len(views) == 26 and len(set(views)) == 1, sorted(set(views))


def test_the_real_dialog_runs_modally_and_its_choice_is_used(window: MainWindow, tmp_path: Path) -> None:
    out = open_apple(window, tmp_path, ".gif")
    seen = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog))
        if isinstance(dialog, AnimationDialog):
            dialog.range.setCurrentIndex(dialog.range.findData("forward"))
            dialog.width_.setValue(160)
            dialog.height_.setValue(100)
            dialog.accept()

    QTimer.singleShot(0, answer)
    assert export_animation(window) is True and seen == [AnimationDialog]
    assert gif_frames(out)[0].shape == (FORWARD_STEPS, 100, 160, 3)
