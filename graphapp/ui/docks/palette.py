"""Every node type, grouped by category, searchable in English and Korean; drag onto the canvas
(the node appears where dropped) or double-click to add it at the centre of the view."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from graphapp.core.ops import CATEGORIES, REGISTRY, OpSpec
from graphapp.ui.canvas.scene import op_mime
from graphapp.ui.i18n import language, tr

OP_ROLE = Qt.ItemDataRole.UserRole


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
            for spec in REGISTRY.values():
                if spec.category != cat:
                    continue
                child = QTreeWidgetItem([f"{spec.symbol}   {spec.ko if ko else spec.en}"])
                child.setData(0, OP_ROLE, spec.name)
                child.setToolTip(0, f"{spec.en} · {spec.ko} ({spec.name})\n"
                                    f"{spec.description_ko if ko else spec.description_en}")
                child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                               | Qt.ItemFlag.ItemIsDragEnabled)
                parent.addChild(child)
            self.tree.addTopLevelItem(parent)
        self.tree.expandAll()
        self.filter(self.search.text())

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
