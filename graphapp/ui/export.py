"""Pictures of a scene alone (no window): a PNG at 2× for slides, an SVG with vector text, and the
image that Edit → Copy as image puts on the clipboard."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QRectF, QSize
from PySide6.QtGui import QImage, QPainter

from graphapp.core.safeio import write_atomic
from graphapp.ui.canvas.scene import GraphScene
from graphapp.ui.render import png_bytes

MARGIN = 30.0
SCALE = 2.0  # crisp on slides and projectors


def scene_rect(scene: GraphScene) -> QRectF:
    return scene.graph_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def scene_image(scene: GraphScene, scale: float = SCALE) -> QImage:
    """The whole graph (not just what the view shows) on the scene's background, without selection marks."""
    scene.clearSelection()
    with scene.uncached():  # crisp text at any scale
        rect = scene_rect(scene)
        image = QImage(max(1, int(rect.width() * scale)), max(1, int(rect.height() * scale)),
                       QImage.Format.Format_ARGB32)
        image.fill(scene.backgroundBrush().color())
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, QRectF(image.rect()), rect)
        painter.end()
    return image


def scene_svg(scene: GraphScene, title: str) -> bytes:
    from PySide6.QtSvg import QSvgGenerator  # noqa: PLC0415 - only when exporting SVG

    scene.clearSelection()
    with scene.uncached():  # vector text, not cached pixmaps
        rect = scene_rect(scene)
        data = QByteArray()
        buffer = QBuffer(data)
        gen = QSvgGenerator()
        gen.setOutputDevice(buffer)
        gen.setSize(QSize(int(rect.width()), int(rect.height())))
        gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        gen.setTitle(title)
        painter = QPainter(gen)
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
    return data.data()


def export_scene(scene: GraphScene, path: str | Path, title: str) -> Path:
    """SVG or PNG by the file's suffix, encoded in memory and written atomically (StudioError names the file)."""
    path = Path(path)
    content = scene_svg(scene, title) if path.suffix.lower() == ".svg" else png_bytes(scene_image(scene))
    write_atomic(path, content)
    return path
