"""The frame behind an expanded layer's pieces: a tinted box under them with the layer's name and what it
became ("h · Dense (affine): Matrix product + Add"), so a lecture still sees the layer among its parts."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from graphapp.core.expand import Group
from graphapp.core.ops import VALUE_OPS, get_op
from graphapp.ui.canvas.style import Style, text_size

FRAME_Z = -1.0  # under the edges (0), nodes (1) and labels (3): it never covers a number or a name
NESTED_Z = 0.01  # a group expanded inside another draws over its parent's tint, still under the edges


def group_title(group: Group, ops: list[str], lang: str) -> str:
    """The layer's name, its op and the ops of its pieces in their order, each once, in `lang`."""
    name = (group.label_ko or group.label) if lang == "ko" else group.label
    spec = get_op(group.op)
    seen = list(dict.fromkeys(op for op in ops if op not in VALUE_OPS))
    parts = " + ".join(get_op(op).ko if lang == "ko" else get_op(op).en for op in seen)
    return f"{name or group.id} · {spec.ko if lang == 'ko' else spec.en}: {parts}"


class GroupFrame(QGraphicsItem):
    def __init__(self, group_id: str, style: Style, depth: int = 0) -> None:
        super().__init__()
        self.group_id = group_id
        self.style = style
        self.title = ""
        self._box = QRectF()  # around the pieces
        self._bounds = QRectF()  # the box and its title band
        self.setZValue(FRAME_Z + NESTED_Z * depth)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # a press here still starts a rubber band

    def fit(self, pieces: QRectF, title: str, style: Style) -> None:
        """Around `pieces` (scene rect of the pieces' bodies and names), the title band above them."""
        self.style = style
        pad = 12 * style.theme.scale
        tw, th = text_size(style.small, title)
        box = pieces.adjusted(-pad, -pad, pad, pad)
        bounds = box.adjusted(0, -(th + pad / 2), 0, 0)
        bounds.setWidth(max(bounds.width(), tw + 2 * pad))
        if (box, bounds, title) == (self._box, self._bounds, self.title):
            return
        self.prepareGeometryChange()
        self._box, self._bounds, self.title = box, bounds, title
        self.setToolTip(title)
        self.update()

    def title_rect(self) -> QRectF:
        """Where the title is written, in scene coordinates (edge labels keep off it)."""
        pad = 12 * self.style.theme.scale
        width, _h = text_size(self.style.small, self.title)
        top = self._bounds.top()
        return QRectF(self._bounds.left() + pad, top, width, self._box.top() - top).translated(self.pos())

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds.adjusted(-2, -2, 2, 2)

    def paint(self, painter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:  # noqa: ANN001
        th = self.style.theme
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        tint = QColor(th.current)
        tint.setAlpha(22 if th.name == "light" else 40)
        pen = QPen(QColor(th.dim), 1.2 * th.scale, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(tint)
        radius = 10 * th.scale
        painter.drawRoundedRect(self._bounds, radius, radius)
        painter.setFont(self.style.small)
        painter.setPen(QColor(th.dim))
        band = self.title_rect().translated(-self.pos())
        painter.drawText(band.adjusted(0, 0, 4, 0), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self.title)
