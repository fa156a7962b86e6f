"""Animations for slides: the playhead walked over a range of steps, one frame a step, as a GIF or an MP4.

All frames come from one Offscreen window (render.py) whose playhead moves, so the camera frames them
as it does on screen. GIF is encoded by Pillow (imageio's own dependency), MP4 by imageio's ffmpeg
plugin, whose wheel ships the ffmpeg binary (nothing is downloaded). The file is encoded in memory or
in a temporary folder, then written with safeio.write_atomic: a cancel, an error or a signal leaves
no file, and an older file as it was.
"""
from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy
from PySide6.QtGui import QImage

from graphapp.core.errors import FileAccessError, RenderError
from graphapp.core.graph import Graph
from graphapp.core.playback import play_trace
from graphapp.core.safeio import write_atomic
from graphapp.ui.app import quiet_qt_messages
from graphapp.ui.render import Offscreen, check_size, check_step

FORMATS = (".gif", ".mp4")
PHASES = ("forward", "backward", "all")
DEFAULT_SIZE = (1280, 720)  # 720p: sharp on a projector, small enough to put on a slide or a web page
DEFAULT_FPS = 2  # steps a second: a little faster than the window's 1× playback, slow enough to read
DEFAULT_HOLD = 2  # extra frames on the first and last picture, so the loop's start and end can be seen
MIN_FPS, MAX_FPS = 1, 60
GIF_MAX_FPS = 50  # a GIF frame lasts whole hundredths of a second; browsers slow 10 ms frames to 100 ms
MAX_FRAMES = 2000  # 16 minutes at 2 fps; longer graphs are animated a range at a time (--from/--to)
GIF_MAX_PIXELS = 2**31  # Pillow keeps every GIF frame (a byte a pixel) in memory until it writes the file
MP4_QUALITY = 7  # imageio's 0..10 scale; 7 is x264's crf 15: text stays crisp, slides are static and small

Progress = Callable[[int, int], None]  # (frames drawn, frames to draw)


class Cancelled(Exception):
    """The user stopped the export; nothing was written."""


@dataclass(frozen=True)
class Animation:
    """What to draw: a range of playhead steps, one frame each, the first and the last held longer."""

    steps: range
    fps: int = DEFAULT_FPS
    hold: int = DEFAULT_HOLD

    @property
    def frames(self) -> list[tuple[int, int]]:
        """(step, how many frames it stays) for each picture drawn."""
        repeats = [1] * len(self.steps)
        repeats[0] += self.hold
        repeats[-1] += self.hold
        return list(zip(self.steps, repeats))

    @property
    def count(self) -> int:
        """Frames in the file (an MP4's; a GIF stores each picture once with its duration)."""
        return len(self.steps) + 2 * self.hold


def output_format(out: str | os.PathLike[str]) -> str:
    """'.gif' or '.mp4' from the file name, refused before any drawing when it is neither or cannot be
    written there (the same words as write_atomic's, which checks again when it writes)."""
    name = os.fspath(out)
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise RenderError(f"{name}: an animation is written as .gif or .mp4, not {suffix or 'a name without one'}")
    folder = Path(name).parent
    if Path(name).is_dir():
        raise FileAccessError(f"{name}: is a folder, not a regular file; not replaced")
    if not folder.is_dir():
        raise FileAccessError(f"{name}: cannot be written (no folder {folder})")
    return suffix


def phase_range(graph: Graph, phase: str) -> range:
    """forward: from before the run to the loss; backward: from the loss to the last gradient; all: every
    step (the update of the parameters too, where the graph has a learning rate)."""
    if phase not in PHASES:
        raise RenderError(f"--phase {phase}: expected one of {', '.join(PHASES)}")
    trace = play_trace(graph)  # a graph that cannot run is refused here, naming its node
    ends = {p: trace.phase_end(p) for p in ("forward", "backward", "done")}
    first, last = {"forward": (0, ends["forward"]), "backward": (ends["forward"], ends["backward"]),
                   "all": (0, ends["done"])}[phase]
    return range(first, last + 1)


def plan(graph: Graph, out: str | os.PathLike[str], phase: str = "all", first: int | None = None,
         last: int | None = None, fps: int = DEFAULT_FPS, hold: int = DEFAULT_HOLD,
         size: tuple[int, int] = DEFAULT_SIZE) -> Animation:
    """Every option checked (each error names it) before a window exists; --from/--to replace the
    phase's first or last step."""
    suffix = output_format(out)
    if not MIN_FPS <= fps <= MAX_FPS:
        raise RenderError(f"--fps {fps}: must be {MIN_FPS}..{MAX_FPS}")
    if suffix == ".gif" and fps > GIF_MAX_FPS:
        raise RenderError(f"--fps {fps}: a GIF shows at most {GIF_MAX_FPS} frames a second; use .mp4")
    if hold < 0:
        raise RenderError(f"--hold {hold}: must be 0 or more")
    check_size(*size)
    if suffix == ".mp4" and (size[0] % 2 or size[1] % 2):
        raise RenderError(f"--size {size[0]}x{size[1]}: an MP4 needs even sides, e.g. "
                          f"{size[0] + size[0] % 2}x{size[1] + size[1] % 2}")
    steps = phase_range(graph, phase)
    for step, option in ((first, "--from"), (last, "--to")):
        if step is not None:
            check_step(graph, step, option)
    start, stop = steps.start if first is None else first, steps.stop - 1 if last is None else last
    if start > stop:
        raise RenderError(f"--from {start} --to {stop}: no steps (the first comes after the last)")
    animation = Animation(range(start, stop + 1), fps, hold)
    if animation.count > MAX_FRAMES:
        raise RenderError(f"animation: {animation.count} frames, more than {MAX_FRAMES}; "
                          "animate fewer steps (--from, --to) or hold less")
    per_frame = size[0] * size[1]
    if suffix == ".gif" and len(animation.steps) * per_frame > GIF_MAX_PIXELS:
        raise RenderError(f"animation: {len(animation.steps)} pictures of {size[0]}x{size[1]} are too large "
                          f"for a GIF (at most {GIF_MAX_PIXELS // per_frame} at this size); use a smaller size "
                          "or .mp4")
    return animation


def rgb(image: QImage) -> numpy.ndarray:
    """The picture as a height × width × 3 array of bytes."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    rows = numpy.frombuffer(image.constBits(), numpy.uint8, count=stride * height).reshape(height, stride)
    return rows[:, : width * 3].reshape(height, width, 3).copy()  # rows are padded to 4 bytes


def write_animation(graph: Graph, out: str | os.PathLike[str], animation: Animation, *,
                    size: tuple[int, int] = DEFAULT_SIZE, lang: str = "en", theme: str = "light",
                    canvas_only: bool = False, presentation: bool = False, progress: Progress | None = None,
                    cancelled: Callable[[], bool] | None = None) -> bool:
    """Draw and encode the animation, then write it atomically; False (and no file) when `cancelled()`
    turned true, which is asked before each picture. `progress(i, n)` after each picture."""
    suffix = output_format(out)
    with quiet_qt_messages(), Offscreen(graph, lang, size, canvas_only, theme, presentation) as shot:
        shot.go_to(animation.steps[-1])  # framed with the labels of the last step, which has the most
        shot.frame_graph()
        if shot.view.camera.whole:
            # The camera widens a whole graph's frame once when a step's labels outgrow it (a formula
            # beside a parameter): visit every step first, so that happens before the first frame
            # rather than as a jump in the middle of the animation.
            for step in animation.steps:
                if cancelled is not None and cancelled():
                    return False
                shot.go_to(step)

        def pictures() -> Iterator[tuple[numpy.ndarray, int]]:
            frames = animation.frames
            for i, (step, repeats) in enumerate(frames):
                if cancelled is not None and cancelled():
                    raise Cancelled
                shot.go_to(step)
                yield rgb(shot.grab()), repeats
                if progress is not None:
                    progress(i + 1, len(frames))

        try:
            data = gif_bytes(pictures(), animation) if suffix == ".gif" else mp4_bytes(pictures(), animation)
        except Cancelled:
            return False
    write_atomic(out, data)
    return True


def gif_bytes(pictures: Iterator[tuple[numpy.ndarray, int]], animation: Animation) -> bytes:
    """A looping GIF, each picture once with its duration (a held picture simply lasts longer)."""
    from PIL import Image  # noqa: PLC0415 - Pillow comes with imageio

    # GIF durations are whole hundredths of a second: round each, rather than let them drift.
    durations = [round(repeats * 100 / animation.fps) * 10 for _, repeats in animation.frames]
    # One palette per picture, without dithering: flat colours and text stay clean and compress well.
    images = (Image.fromarray(pixels).quantize(256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
              for pixels, _ in pictures)
    first = next(images)
    buffer = io.BytesIO()
    first.save(buffer, format="GIF", save_all=True, append_images=images, duration=durations, loop=0)
    return buffer.getvalue()


def mp4_bytes(pictures: Iterator[tuple[numpy.ndarray, int]], animation: Animation) -> bytes:
    """An H.264 MP4 (yuv420p, which every player and slide program shows), streamed to ffmpeg frame by frame."""
    import imageio.v2 as imageio  # noqa: PLC0415 - only when writing video

    with tempfile.TemporaryDirectory(prefix="backprop-studio-") as folder:
        path = Path(folder) / "animation.mp4"
        writer = imageio.get_writer(path, format="FFMPEG", mode="I", fps=animation.fps, codec="libx264",
                                    pixelformat="yuv420p", quality=MP4_QUALITY, macro_block_size=1,
                                    ffmpeg_log_level="error", output_params=["-movflags", "+faststart"])
        try:
            for pixels, repeats in pictures:
                for _ in range(repeats):
                    writer.append_data(pixels)
        finally:
            writer.close()
        return path.read_bytes()
