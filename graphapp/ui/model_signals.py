"""The Graph's plain-callback notifications as Qt signals, so widgets connect the Qt way."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from graphapp.core.graph import Graph


class GraphSignals(QObject):
    changed = Signal(str, object)  # every notification: (kind, payload)
    node_added = Signal(object)
    node_removed = Signal(object)
    node_changed = Signal(object)
    node_moved = Signal(object)
    edge_added = Signal(object)
    edge_removed = Signal(object)
    reset = Signal()

    def __init__(self, graph: Graph, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.graph = graph
        graph.subscribe(self._on_model)

    def detach(self) -> None:
        self.graph.unsubscribe(self._on_model)

    def _on_model(self, kind: str, payload: Any) -> None:
        if kind == "reset":
            self.reset.emit()
        else:
            getattr(self, kind).emit(payload)
        self.changed.emit(kind, payload)
