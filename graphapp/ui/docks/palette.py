"""Every node type, grouped by category, searchable in English and Korean; drag onto the canvas
(the node appears where dropped) or double-click to add it at the centre of the view.

Rows are painted by OpDelegate: the symbol in a column of its own, drawn by `draw_symbol` (the bundled
font's ² is a speck: "x²" read "x'"), then the name; a name too long for the dock is elided, its full
text in the tooltip. The dock asks for the width its longest row needs (`wanted_width`).
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QDrag, QFontMetricsF, QPainter
from PySide6.QtWidgets import (
    QApplication, QLineEdit, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from graphapp.core.ops import CATEGORIES, REGISTRY, OpSpec
from graphapp.ui.canvas.scene import op_mime
from graphapp.ui.i18n import language, tr
from graphapp.ui.symbols import draw_symbol, symbol_width

OP_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
SYMBOL_GAP = 8.0
INDENT = 14
MAX_WIDTH = 240  # the dock never takes more than this from the canvas


def symbol_slot(fm: QFontMetricsF) -> float:
    """The symbol column: as wide as a short symbol; a longer one (softplus) pushes its name right."""
    return fm.horizontalAdvance("ReLU") + SYMBOL_GAP


class OpDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        op = index.data(OP_ROLE)
        if not op:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(opt.palette.color(opt.palette.ColorRole.HighlightedText if selected
                                         else opt.palette.ColorRole.Text))
        rect = QRectF(opt.rect).adjusted(4, 0, -4, 0)
        fm = QFontMetricsF(opt.font)
        symbol = REGISTRY[op].symbol
        draw_symbol(painter, QRectF(rect.left(), rect.top(), rect.width(), rect.height()), symbol, opt.font,
                    Qt.AlignmentFlag.AlignLeft)
        x = rect.left() + max(symbol_slot(fm), symbol_width(opt.font, symbol) + SYMBOL_GAP)
        name = fm.elidedText(str(index.data(NAME_ROLE) or ""), Qt.TextElideMode.ElideRight, rect.right() - x)
        painter.setFont(opt.font)
        painter.drawText(QRectF(x, rect.top(), rect.right() - x, rect.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        op = index.data(OP_ROLE)
        if op:
            size.setWidth(int(row_width(QFontMetricsF(option.font), option.font, op, str(index.data(NAME_ROLE)))))
        return size


def row_width(fm: QFontMetricsF, font, op: str, name: str) -> float:  # noqa: ANN001 - QFont
    symbol = REGISTRY[op].symbol
    return 8 + max(symbol_slot(fm), symbol_width(font, symbol) + SYMBOL_GAP) + fm.horizontalAdvance(name)


def matches(spec: OpSpec, query: str) -> bool:
    q = query.strip().casefold()
    if not q:
        return True
    words = (spec.name, spec.en, spec.ko, spec.symbol, *spec.aliases)
    return any(q in w.casefold() for w in words)


class OpTree(QTreeWidget):
    add_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderHidden(True)
        self.setIndentation(INDENT)
        self.setRootIsDecorated(False)  # categories stay open; their names are headers, not branches
        self.setItemDelegate(OpDelegate(self))
        self.setDragEnabled(True)
        self.setDragDropMode(QTreeWidget.DragDropMode.DragOnly)
        self.itemDoubleClicked.connect(self._double_clicked)

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        op = item.data(0, OP_ROLE)
        if op:
            self.add_requested.emit(op)

    def startDrag(self, actions: Qt.DropAction) -> None:  # noqa: N802 - Qt API
        item = self.currentItem()
        op = item.data(0, OP_ROLE) if item else None
        if not op:
            return
        drag = QDrag(self)
        drag.setMimeData(op_mime(op))
        drag.exec(Qt.DropAction.CopyAction)


class Palette(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        self.tree = OpTree()
        self.add_requested = self.tree.add_requested
        lay.addWidget(self.search)
        lay.addWidget(self.tree)
        self.retranslate()

    def retranslate(self) -> None:
        ko = language() == "ko"
        self.search.setPlaceholderText(tr("palette_search"))
        self.tree.clear()
        for cat, (en, ko_title) in CATEGORIES.items():
            parent = QTreeWidgetItem([ko_title if ko else en])
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header = parent.font(0)
            header.setBold(True)
            parent.setFont(0, header)
            for spec in REGISTRY.values():
                if spec.category != cat:
                    continue
                name = spec.ko if ko else spec.en
                child = QTreeWidgetItem([f"{spec.symbol}   {name}"])
                child.setData(0, OP_ROLE, spec.name)
                child.setData(0, NAME_ROLE, name)
                child.setToolTip(0, f"{spec.en} · {spec.ko} ({spec.name})\n"
                                    f"{spec.description_ko if ko else spec.description_en}")
                child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                               | Qt.ItemFlag.ItemIsDragEnabled)
                parent.addChild(child)
            self.tree.addTopLevelItem(parent)
        self.tree.expandAll()
        self.filter(self.search.text())

    def wanted_width(self) -> int:
        """Dock width that shows every row of the current language whole (at most MAX_WIDTH)."""
        font = self.tree.font()
        fm = QFontMetricsF(font)
        widest = max(row_width(fm, font, op, str(self.item_for(op).data(0, NAME_ROLE))) for op in REGISTRY
                     if self.item_for(op) is not None)
        scrollbar = self.tree.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        margins = self.layout().contentsMargins()
        frame = 2 * self.tree.frameWidth()
        return min(MAX_WIDTH, int(widest + INDENT + scrollbar + frame + margins.left() + margins.right() + 6))

    def filter(self, query: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(i)
            visible = 0
            for j in range(parent.childCount()):
                child = parent.child(j)
                hit = matches(REGISTRY[child.data(0, OP_ROLE)], query)
                child.setHidden(not hit)
                visible += hit
            parent.setHidden(visible == 0)

    def item_for(self, op: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(i)
            for j in range(parent.childCount()):
                if parent.child(j).data(0, OP_ROLE) == op:
                    return parent.child(j)
        return None
